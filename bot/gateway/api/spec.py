"""The OpenAPI document (``openapi.yaml`` beside this file) and the HTML page rendered from it.

The page is built once at startup: plain HTML plus one same-origin stylesheet, no scripts and
nothing loaded from elsewhere (the gateway's CSP allows neither).
"""

from __future__ import annotations

import functools
import html
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml

SPEC_PATH = Path(__file__).with_name("openapi.yaml")
CSS_PATH = Path(__file__).with_name("docs.css")
METHODS = ("get", "post", "put", "patch", "delete")


@functools.lru_cache(maxsize=4)
def load_spec(path: Path = SPEC_PATH) -> dict[str, Any]:
    """The parsed document (cached: treat it as read-only)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    spec = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    if not isinstance(spec, dict) or not str(spec.get("openapi", "")).startswith("3."):
        raise ValueError(f"{path} is not an OpenAPI 3 document")
    return spec


def _text(value: Any) -> str:
    """Escaped text with `code` spans."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(str(value or ""), quote=False))


def _resolve(spec: dict[str, Any], node: Any) -> Any:
    """Follow local ``$ref``s (``#/components/...``)."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec
        for part in str(node["$ref"]).removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _ref_name(node: Any) -> str | None:
    return node["$ref"].rsplit("/", 1)[-1] if isinstance(node, dict) and "$ref" in node else None


def _schema_label(schema: Any) -> str:
    name = _ref_name(schema)
    if name:
        return f'<a href="#schema-{name}">{name}</a>'
    if not isinstance(schema, dict):
        return ""
    parts = [html.escape(str(schema.get("type", "")))]
    for key in ("minLength", "maxLength", "minimum", "maximum", "pattern", "default"):
        if key in schema:
            parts.append(f"{key}: <code>{html.escape(str(schema[key]))}</code>")
    return ", ".join(p for p in parts if p)


def _curl(method: str, path: str, op: dict[str, Any], spec: dict[str, Any]) -> str:
    query, url_path = [], path
    for param in op.get("parameters", []):
        param = _resolve(spec, param)
        example = param.get("example", (param.get("schema") or {}).get("default"))
        if param["in"] == "path":
            url_path = url_path.replace("{" + param["name"] + "}", str(example or "ID"))
        elif param.get("required") and example is not None:
            query.append(f"{param['name']}={quote(str(example))}")
    url = "$BASE" + url_path + ("?" + "&".join(query) if query else "")
    parts = ["curl", "-sS"]
    if op.get("security", spec.get("security")):
        parts.append('-H "X-API-Key: $API_KEY"')
    body = (op.get("requestBody") or {}).get("content", {}).get("application/json", {}).get("example")
    if method == "post":
        parts += ["-H 'Content-Type: application/json'", f"-d '{json.dumps(body, ensure_ascii=False)}'"]
    return " ".join([*parts, f'"{url}"'])


def _operation(spec: dict[str, Any], path: str, method: str, op: dict[str, Any]) -> str:
    anchor = html.escape(op.get("operationId", f"{method}-{path}"))
    out = [f'<section class="op" id="{anchor}"><h3><span class="method">{method.upper()}</span> '
           f"<code>{html.escape(path)}</code></h3>", f"<p><strong>{_text(op.get('summary'))}</strong></p>"]
    if op.get("description"):
        out.append(f"<p>{_text(op['description'])}</p>")
    if "security" in op and not op["security"]:
        out.append("<p>Ohne API-Schlüssel abrufbar.</p>")
    params = [_resolve(spec, p) for p in op.get("parameters", [])]
    if params:
        out.append("<table><caption>Parameter</caption><tr><th>Name</th><th>Ort</th><th>Pflicht</th>"
                   "<th>Schema</th><th>Beschreibung</th></tr>")
        for p in params:
            out.append(f"<tr><td><code>{html.escape(p['name'])}</code></td><td>{p['in']}</td>"
                       f"<td>{'ja' if p.get('required') else 'nein'}</td><td>{_schema_label(p.get('schema'))}</td>"
                       f"<td>{_text(p.get('description'))}</td></tr>")
        out.append("</table>")
    body = (op.get("requestBody") or {}).get("content", {}).get("application/json")
    if body:
        out.append(f"<p>Request-Body (<code>application/json</code>): {_schema_label(body.get('schema'))}</p>")
    out.append("<table><caption>Antworten</caption><tr><th>Status</th><th>Bedeutung</th><th>Schema</th></tr>")
    for status, response in op.get("responses", {}).items():
        resolved = _resolve(spec, response)
        content = resolved.get("content", {})
        schema = next(iter(content.values()), {}).get("schema") if content else None
        headers = ", ".join(f"Header <code>{html.escape(h)}</code>" for h in resolved.get("headers", {}))
        out.append(f"<tr><td>{html.escape(str(status))}</td><td>{_text(resolved.get('description'))}"
                   f"{' — ' + headers if headers else ''}</td><td>{_schema_label(schema)}</td></tr>")
    out.append("</table>")
    out.append(f"<pre class=\"curl\">{html.escape(_curl(method, path, op, spec))}</pre></section>")
    return "\n".join(out)


def render_docs(spec: dict[str, Any], stylesheet: str = "docs.css") -> str:
    """The documentation page for ``spec`` (German UI text, like the rest of the gateway)."""
    info = spec.get("info", {})
    ops = [(path, method, item[method]) for path, item in spec.get("paths", {}).items()
           for method in METHODS if method in item]
    toc = "\n".join(f'<li><a href="#{html.escape(op.get("operationId", ""))}"><code>{m.upper()} '
                    f"{html.escape(p)}</code></a> – {_text(op.get('summary'))}</li>" for p, m, op in ops)
    schemes = spec.get("components", {}).get("securitySchemes", {})
    auth = "".join(f"<li>Header <code>{html.escape(s.get('name', ''))}</code>: {_text(s.get('description'))}</li>"
                   for s in schemes.values())
    schemas = "\n".join(
        f'<section id="schema-{html.escape(name)}"><h3>{html.escape(name)}</h3>'
        f"<pre>{html.escape(json.dumps(schema, ensure_ascii=False, indent=2))}</pre></section>"
        for name, schema in spec.get("components", {}).get("schemas", {}).items())
    operations = "\n".join(_operation(spec, p, m, op) for p, m, op in ops)
    title = html.escape(str(info.get("title", "API")))
    return f"""<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{html.escape(stylesheet)}">
</head>
<body>
<header><h1>{title}</h1><p>Version {html.escape(str(info.get('version', '')))} ·
<a href="openapi.json">OpenAPI-Dokument (JSON)</a></p></header>
<main>
<p>{_text(info.get('description'))}</p>
<h2>Authentifizierung</h2><ul>{auth}</ul>
<p>In den Beispielen steht <code>$BASE</code> für die Adresse des Gateways (z.&nbsp;B.
<code>http://localhost:8080</code>) und <code>$API_KEY</code> für den Schlüssel Ihres Portals.</p>
<h2>Endpunkte</h2><ul class="toc">{toc}</ul>
{operations}
<h2>Schemas</h2>
{schemas}
</main>
</body>
</html>
"""
