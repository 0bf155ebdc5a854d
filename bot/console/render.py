"""HTML of the console: one layout, escaped values, German texts. No JavaScript is needed."""

from __future__ import annotations

from html import escape
from typing import Any

from aiohttp import web

NAV = [("/staff/", "Übersicht"), ("/staff/review", "Prüfliste"), ("/staff/inbox", "Posteingang"),
       ("/staff/local", "Lokale Angaben"), ("/staff/audit", "Protokoll")]
PUBLISHER_NAV = [("/staff/publish", "Veröffentlichen")]


def e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def csrf_field(token: str) -> str:
    return f'<input type="hidden" name="csrf" value="{e(token)}">'


def page(title: str, body: str, *, user: Any = None, csrf: str = "", current: str = "",
         status: int = 200) -> web.Response:
    nav = ""
    if user is not None:
        current_attr = ' aria-current="page"'
        links = "".join(f'<li><a href="{href}"{current_attr if href == current else ""}>{label}</a></li>'
                        for href, label in NAV + (PUBLISHER_NAV if user.may_publish else []))
        who = f"{e(user.name)} ({e(user.role_label)}{', ' + e(user.tenant) if user.tenant else ''})"
        nav = (f'<nav aria-label="Hauptnavigation"><ul>{links}</ul></nav>'
               f'<form method="post" action="/staff/logout" class="logout"><span>{who}</span>'
               f'{csrf_field(csrf)}<button type="submit">Abmelden</button></form>')
    html = f"""<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{e(title)} – Mitarbeiterkonsole</title>
<link rel="stylesheet" href="/staff/static/console.css">
<link rel="icon" href="/favicon.ico">
</head>
<body>
<a class="skip" href="#inhalt">Zum Inhalt springen</a>
<header><p class="brand">Bürgerservice-Assistent BW · Mitarbeiterkonsole</p>{nav}</header>
<main id="inhalt" tabindex="-1">
<h1>{e(title)}</h1>
{body}
</main>
</body>
</html>
"""
    return web.Response(text=html, content_type="text/html", charset="utf-8", status=status,
                        headers={"Cache-Control": "no-store"})


def notice(text: str, kind: str = "info") -> str:
    role = "alert" if kind == "error" else "status"
    return f'<p class="notice {kind}" role="{role}">{e(text)}</p>'


def table(caption: str, headers: list[str], rows: list[list[Any]], numeric: set[int] | None = None) -> str:
    numeric = numeric or set()
    num = ' class="num"'
    head = "".join(f'<th scope="col"{num if i in numeric else ""}>{e(h)}</th>' for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(
        (f'<th scope="row">{e(c)}</th>' if i == 0 else f'<td{num if i in numeric else ""}>{e(c)}</td>')
        for i, c in enumerate(row)) + "</tr>" for row in rows)
    if not rows:
        body = f'<tr><td colspan="{len(headers)}">Keine Daten im gewählten Zeitraum.</td></tr>'
    # focusable region: the table may scroll sideways on small screens (keyboard users can scroll it too)
    return (f'<div class="table-wrap" tabindex="0" role="region" aria-label="Tabelle: {e(caption)}">'
            f'<table><caption>{e(caption)}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def redirect(location: str) -> web.Response:
    """303 See Other as a plain response (so cookies can be set on it)."""
    return web.Response(status=303, headers={"Location": location, "Cache-Control": "no-store"})
