"""Public page ``/qualitaet``: how often the current model is right, from its last evaluation.

Reads the report files at request time (small JSON files; a new evaluation shows up without a
restart): ``reports/eval/metrics.json`` (``bot eval``: intent F1, Leistungssuche top-1/top-3),
``reports/nlu_eval.json`` (``rasa test nlu``, used when ``bot eval`` has not run) and
``reports/conversation_suite.json`` (typed conversations). Without any report the page says so
plainly. Every value is escaped; the page loads nothing but the demo stylesheet, so the strict CSP
of the HTML pages applies unchanged (``security_headers``).
"""

from __future__ import annotations

import asyncio
import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.gateway.settings import PROJECT_ROOT

REPORTS_KEY: web.AppKey[Path] = web.AppKey("quality_reports_dir")
EVAL_METRICS = Path("eval") / "metrics.json"
NLU_EVAL = Path("nlu_eval.json")
SUITE = Path("conversation_suite.json")


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    explanation: str


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _pct(value: Any) -> str | None:
    return f"{value * 100:.1f} %".replace(".", ",") if isinstance(value, (int, float)) else None


def _num(value: Any) -> str | None:
    return f"{value:.3f}".replace(".", ",") if isinstance(value, (int, float)) else None


def _date(value: Any) -> str:
    """ISO ("2026-12-01T21:40:00+00:00", "2026-11-21") or German ("01.12.2026 21:40") -> "01.12.2026"."""
    text = str(value or "")
    if len(text) >= 10 and text[4] == "-" and text[7] == "-":
        return f"{text[8:10]}.{text[5:7]}.{text[0:4]}"
    return text[:10]


def collect(reports: Path) -> dict[str, Any]:
    """Figures, dates and model names from the report files (empty ``figures`` = no evaluation)."""
    figures: list[Figure] = []
    dates: list[str] = []
    models: list[str] = []
    stand = ""
    metrics = _read(reports / EVAL_METRICS)
    summary = (metrics or {}).get("summary") if isinstance((metrics or {}).get("summary"), dict) else {}
    nlu = _read(reports / NLU_EVAL)
    intent = _num(summary.get("intent_weighted_f1")) or _num((nlu or {}).get("intent_f1"))
    if intent:
        figures.append(Figure("Absichten erkannt (F1)", intent,
                              "Wie gut das Sprachmodell erkennt, was gefragt ist (1 = immer richtig), gemessen an "
                              f"{summary.get('examples') or 'eigens geschriebenen'} Testsätzen, die nicht zum Training gehören."))
    if metrics:
        dates.append(_date(metrics.get("created")))
        models.append(str(metrics.get("model") or ""))
        stand = str(metrics.get("data_stand") or "")
    for key, label, what in (("service_top1", "Leistungssuche: richtige Leistung zuerst", "an erster Stelle"),
                             ("service_top3", "Leistungssuche: richtige Leistung unter den ersten drei",
                              "unter den ersten drei Vorschlägen")):
        if value := _pct(summary.get(key)):
            figures.append(Figure(label, value, f"Anteil der Testanfragen, bei denen die passende Leistung {what} steht."))
    suite = _read(reports / SUITE)
    if suite and (turns := _pct(suite.get("turn_accuracy"))):
        figures.append(Figure("Gesprächsschritte richtig beantwortet", turns,
                              f"{suite.get('turns_passed')} von {suite.get('turns')} getippten Fragen in "
                              f"{suite.get('conversations')} Testgesprächen bekamen die richtige Leistung und Stelle."))
        if whole := _pct(suite.get("conversation_accuracy")):
            figures.append(Figure("Ganze Gespräche fehlerfrei", whole,
                                  f"{suite.get('conversations_passed')} von {suite.get('conversations')} Testgesprächen "
                                  "ohne einen einzigen falschen Schritt."))
        dates.append(_date(suite.get("created")))
        models.append(str(suite.get("model") or ""))
        stand = stand or str(suite.get("data_stand") or "")
    return {"figures": figures, "dates": sorted({d for d in dates if d}), "models": sorted({m for m in models if m}),
            "stand": _date(stand) if stand else ""}


def render(info: dict[str, Any]) -> str:
    esc = html.escape
    if info["figures"]:
        rows = "\n".join(f'      <tr><th scope="row">{esc(f.label)}</th><td>{esc(f.value)}</td><td>{esc(f.explanation)}</td></tr>'
                         for f in info["figures"])
        meta = [f"Ausgewertet am {esc(', '.join(info['dates']))}" if info["dates"] else "",
                f"Modell {esc(', '.join(info['models']))}" if info["models"] else "",
                f"Datenstand der Leistungen {esc(info['stand'])}" if info["stand"] else "Datenstand: unbekannt"]
        body = (f"    <p>{'. '.join(m for m in meta if m)}.</p>\n"
                "    <table>\n      <caption>Kennzahlen der letzten Auswertung</caption>\n"
                '      <thead><tr><th scope="col">Kennzahl</th><th scope="col">Wert</th>'
                '<th scope="col">Was sie bedeutet</th></tr></thead>\n'
                f"      <tbody>\n{rows}\n      </tbody>\n    </table>\n")
    else:
        body = ("    <p><strong>Für das aktuelle Modell liegt noch keine Auswertung vor.</strong> Sobald die Tests "
                "gelaufen sind, stehen hier die Kennzahlen.</p>\n")
    return f"""<!doctype html>
<html lang="de">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Wie oft der Bürgerservice-Assistent richtig liegt</title>
  <link rel="icon" href="/demo/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="/demo/demo.css">
</head>
<body>
  <a class="skip" href="#inhalt">Zum Inhalt springen</a>
  <main id="inhalt" class="wrap">
    <h1>Wie oft der Bürgerservice-Assistent richtig liegt</h1>
    <p>Wir veröffentlichen, wie gut der digitale Assistent bei unseren eigenen Tests abschneidet. Die Tests
      sind Fragen, wie Bürgerinnen und Bürger sie eintippen; sie gehören nicht zu den Trainingsdaten.</p>
{body}    <p>Die Antworten stützen sich auf gepflegte Daten zu Leistungen und Zuständigkeiten. Verbindlich sind die
      Angaben Ihrer Gemeinde und von <a href="https://www.service-bw.de">service-bw.de</a>.</p>
    <p><a href="/demo/">Zur Demoseite</a></p>
  </main>
</body>
</html>
"""


async def quality_page(request: web.Request) -> web.Response:
    reports = request.app.get(REPORTS_KEY) or PROJECT_ROOT / "reports"
    info = await asyncio.get_running_loop().run_in_executor(None, collect, reports)
    return web.Response(text=render(info), content_type="text/html", charset="utf-8",
                        headers={"Cache-Control": "no-cache"})


def add_quality_routes(app: web.Application) -> None:
    app.router.add_get("/qualitaet", quality_page)
