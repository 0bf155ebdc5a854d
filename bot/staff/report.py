"""Writes the evaluation report: ``report.md`` (German), ``metrics.json`` and two PNG plots."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - the backend must be chosen first

from bot.staff.metrics import INTENT_DROP, OVERALL_DROP, WATCHED  # noqa: E402

REPORT = "report.md"
METRICS = "metrics.json"
CONFUSION_PNG = "confusion_matrix.png"
F1_PNG = "intent_f1.png"
FILES = (REPORT, METRICS, CONFUSION_PNG, F1_PNG)
MARK = "**REGRESSION**"


def num(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}".replace(".", ",")


def pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f} %".replace(".", ",")


def delta(d: dict | None, percent: bool = False) -> str:
    if not d:
        return "–"
    value = d["delta"] * (100 if percent else 1)
    text = (f"{value:+.1f} Pkt." if percent else f"{value:+.3f}").replace(".", ",", 1).replace("-", "−")
    return f"{text} {MARK}" if d["regression"] else text


def cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def plot_confusion(labels: list[str], matrix: list[list[int]], path: Path) -> None:
    size = max(6.0, 0.45 * len(labels) + 3)
    fig, ax = plt.subplots(figsize=(size, size))
    rows = [sum(r) or 1 for r in matrix]
    share = [[v / rows[i] for v in r] for i, r in enumerate(matrix)]
    ax.imshow(share, cmap="Blues", vmin=0, vmax=1)
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            if value:
                ax.text(j, i, str(value), ha="center", va="center", fontsize=8,
                        color="white" if share[i][j] > 0.5 else ("#b00020" if i != j else "black"))
    ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.set_xlabel("erkannt als")
    ax.set_ylabel("erwartet")
    ax.set_title("Verwechslungsmatrix (Anzahl Beispiele)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_f1(metrics: dict, comparison: dict | None, floor: float, path: Path) -> None:
    items = sorted(((n, s["f1"]) for n, s in metrics["intents"].items() if s["support"]), key=lambda t: t[1])
    names = [n for n, _ in items]
    before = (comparison or {}).get("intents", {})
    colors = ["#b00020" if before.get(n, {}).get("regression") else "#1f5fa8" for n in names]
    fig, ax = plt.subplots(figsize=(8, max(3.0, 0.32 * len(items) + 1.5)))
    ax.barh(names, [f for _, f in items], color=colors)
    previous = [(i, before[n]["previous"]) for i, n in enumerate(names) if n in before]
    if previous:
        ax.scatter([p for _, p in previous], [i for i, _ in previous], marker="|", s=200, color="black",
                   label="vorher", zorder=3)
    ax.axvline(floor, color="#b00020", linestyle="--", linewidth=1, label=f"Untergrenze gesamt ({num(floor)})")
    left = max(0.0, int(10 * min([f for _, f in items] + [floor]) - 1) / 10)
    ax.set_xlim(left, 1.0)
    ax.set_xlabel("F1" + (f" (Achse beginnt bei {num(left)[:3]})" if left else ""))
    ax.set_title("F1 je Absicht (rot: Rückschritt)")
    ax.tick_params(axis="y", labelsize=8)
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _overview(m: dict, comparison: dict | None, floors: dict) -> list[str]:
    s = m["summary"]
    overall = (comparison or {}).get("overall", {})
    rows = [
        ("Absichten F1 (gewichtet)", num(s["intent_weighted_f1"]), num(floors["intent"]), "intent_weighted_f1", False),
        ("Absichten F1 (Makro)", num(s["intent_macro_f1"]), "", "intent_macro_f1", False),
        ("Absichten: Trefferquote", pct(s["intent_accuracy"]), "", None, False),
        ("Entitäten F1 (gewichtet)", num(s["entity_f1"]), num(floors["entity"]), "entity_f1", False),
        ("Leistungssuche Top-1", pct(s["service_top1"]), "", "service_top1", True),
        ("Leistungssuche Top-3", pct(s["service_top3"]), "", None, False),
        ("Unsicher (Bot hätte nachgefragt)", pct(s["fallback_rate"]), "", None, False),
    ]
    out = ["| Kennzahl | Wert | Untergrenze | Vorher | Änderung |", "|---|---|---|---|---|"]
    for label, value, floor, key, percent in rows:
        d = overall.get(key) if key else None
        prev = "–" if not d else (pct(d["previous"]) if percent else num(d["previous"]))
        out.append(f"| {label} | {value} | {floor} | {prev} | {delta(d, percent)} |")
    return out


def markdown(m: dict, comparison: dict | None, floors: dict, failures: list[str]) -> str:
    s = m["summary"]
    lines = ["# Auswertung des Sprachmodells", "",
             "| | |", "|---|---|",
             f"| Erstellt | {m['created']} |",
             f"| Modell | `{m['model']}` |",
             f"| Testdatei | `{m['nlu_file']}` ({s['examples']} Beispiele) |"]
    if m.get("search"):
        lines.append(f"| Suchanfragen | `{m['search']['file']}` ({m['search']['queries']} Anfragen) |")
    if comparison:
        lines.append(f"| Verglichen mit | Bericht vom {comparison['previous_created']} "
                     f"(Modell `{comparison['previous_model']}`) |")
    lines.append("")
    if failures:
        lines += ["**Ergebnis: NICHT BESTANDEN**", ""] + [f"- {r}" for r in failures]
    else:
        lines.append("**Ergebnis: BESTANDEN** – alle Werte liegen über den Untergrenzen.")
    if comparison:
        lines.append("")
        lines += [f"> {note}" for note in comparison["notes"]]
        if comparison["regressions"]:
            lines += [f"> {MARK} gegenüber dem vorigen Bericht:"] + [f"> - {r}" for r in comparison["regressions"]]
        else:
            lines.append("> Keine Rückschritte gegenüber dem vorigen Bericht.")
    else:
        lines += ["", "Kein vorheriger Bericht zum Vergleich."]
    lines += ["", "## Überblick", "", *_overview(m, comparison, floors), ""]

    lines += ["## Absichten", "", "| Absicht | Precision | Recall | F1 | Beispiele | F1 vorher | Änderung |",
              "|---|---|---|---|---|---|---|"]
    before = (comparison or {}).get("intents", {})
    for name, sc in sorted(m["intents"].items(), key=lambda t: (t[1]["f1"], t[0])):
        d = before.get(name)
        lines.append(f"| {name} | {num(sc['precision'])} | {num(sc['recall'])} | {num(sc['f1'])} | {sc['support']} "
                     f"| {num(d['previous']) if d else '–'} | {delta(d)} |")
    lines += ["", f"![F1 je Absicht]({F1_PNG})", "", "## Verwechslungsmatrix", "",
              f"![Verwechslungsmatrix]({CONFUSION_PNG})", "", "Häufigste Verwechslungen:", "",
              "| Erwartet | Erkannt als | Anzahl |", "|---|---|---|"]
    labels, matrix = m["confusion"]["labels"], m["confusion"]["matrix"]
    pairs = sorted(((v, labels[i], labels[j]) for i, r in enumerate(matrix) for j, v in enumerate(r) if i != j and v),
                   reverse=True)
    lines += [f"| {g} | {p} | {v} |" for v, g, p in pairs[:10]] or ["| – | – | 0 |"]

    lines += ["", "## Entitäten (genaue Textstelle und Art)", "",
              "| Entität | Precision | Recall | F1 | Anzahl |", "|---|---|---|---|---|"]
    lines += [f"| {n} | {num(e['precision'])} | {num(e['recall'])} | {num(e['f1'])} | {e['support']} |"
              for n, e in m["entities"].items()] or ["| – | – | – | – | 0 |"]

    search = m.get("search")
    lines += ["", "## Leistungssuche", ""]
    if search:
        lines += [f"Von {search['answerable']} Anfragen mit passender Leistung steht die richtige bei "
                  f"{pct(search['top1'])} an erster Stelle und bei {pct(search['top3'])} unter den ersten drei. "
                  f"Anfragen ohne passende Leistung richtig erkannt: {pct(search['no_match_correct'])}.", ""]
        if search["misses"]:
            lines += [f"Nicht an erster Stelle gefunden (die ersten {len(search['misses'])} von "
                      f"{search['miss_count']}):", "", "| Anfrage | Erwartet | Gefunden |", "|---|---|---|"]
            lines += [f"| {cell(x['text'])} | {', '.join(x['expected']) or '(keine)'} | {', '.join(x['got']) or '–'} |"
                      for x in search["misses"]]
    else:
        lines.append("Nicht ausgewertet.")

    if m.get("languages"):
        from bot.staff.evaluate_languages import markdown_section  # noqa: PLC0415

        lines += markdown_section(m, m["languages"], floors)

    lines += ["", f"## Die {len(m['worst'])} gravierendsten Fehler", "",
              "Falsch erkannte Beispiele, bei denen das Modell am sichersten war.", "",
              "| # | Beispiel | Stelle | Erwartet | Erkannt | Sicherheit |", "|---|---|---|---|---|---|"]
    lines += [f"| {i} | {cell(w['text'])} | {w['where']} | {w['expected']} | {w['predicted']} | {num(w['confidence'])} |"
              for i, w in enumerate(m["worst"], 1)]
    lines += ["", "## So lesen Sie diesen Bericht", "",
              "- **Precision**: Wie oft stimmt es, wenn das Modell diese Absicht erkennt?",
              "- **Recall**: Wie viele Beispiele dieser Absicht erkennt das Modell?",
              "- **F1**: Mittelwert aus beidem (1,0 = perfekt). *Gewichtet* zählt häufige Absichten stärker, "
              "*Makro* zählt jede Absicht gleich.",
              f"- {MARK}: ein Gesamtwert ist um mehr als {num(OVERALL_DROP)} gefallen oder das F1 einer Absicht "
              f"um mehr als {num(INTENT_DROP)}. Beobachtet werden: {', '.join(WATCHED.values())}.",
              "- Unter der Untergrenze wird ein Modell nicht veröffentlicht.", ""]
    return "\n".join(lines)


def write(out: Path, metrics: dict, comparison: dict | None, floors: dict, failures: list[str]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    plot_confusion(metrics["confusion"]["labels"], metrics["confusion"]["matrix"], out / CONFUSION_PNG)
    plot_f1(metrics, comparison, floors["intent"], out / F1_PNG)
    data = {**metrics, "floors": floors, "passed": not failures, "failures": failures, "comparison": comparison}
    (out / METRICS).write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    (out / REPORT).write_text(markdown(metrics, comparison, floors, failures), encoding="utf-8")
