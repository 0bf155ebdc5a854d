#!/usr/bin/env python
"""Zuständigkeit coverage over the whole register: per authority type (data/zustaendigkeit/), how
many of the 1,101 Gemeinden have a sourced answer (own entry or official list), how many rely on a
rule that is itself sourced, and how many get only the unconfirmed default; which Kreise are fully
checked. Prints the figures and writes reports/zustaendigkeit_coverage.json.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bot.core import get_core


def main() -> int:
    core = get_core()
    gemeinden = core.register.gemeinden
    kreise: dict[str, list] = {}
    for g in gemeinden:
        kreise.setdefault(g.kreis_schluessel, []).append(g)
    report: dict[str, dict] = {}
    for rule, data in sorted(core.responsibility.zustaendigkeit.types.items()):
        entry = sum(1 for g in gemeinden if g.ags in data.answers)
        unknown = sum(1 for g in gemeinden if g.ags not in data.answers and g.kreis_typ in data.unknown_in)
        rest = len(gemeinden) - entry - unknown
        by_rule = rest if data.default_sourced else 0
        checked = [k for k, members in sorted(kreise.items())
                   if all(g.ags in data.answers or data.default_sourced for g in members)]
        report[rule] = {
            "label": data.label, "file": data.file, "gemeinden": len(gemeinden),
            "sourced_entry": entry, "sourced_rule": by_rule, "default_unconfirmed": rest - by_rule,
            "no_answer": unknown, "kreise_total": len(kreise), "kreise_fully_checked": len(checked),
            "kreise_checked": [kreise[k][0].kreis_display for k in checked],
        }
        sourced = entry + by_rule
        print(f"{data.label:18} belegt {sourced:4}/{len(gemeinden)} ({100 * sourced / len(gemeinden):5.1f} %): "
              f"{entry} per Eintrag/Liste, {by_rule} per belegter Regel; {rest - by_rule} nur Voreinstellung "
              f"(unbestätigt), {unknown} ohne Antwort; Kreise vollständig geprüft: {len(checked)}/{len(kreise)}")
        if 0 < len(checked) < len(kreise):
            names = ", ".join(kreise[k][0].kreis_display for k in checked)
            print(f"{'':18} vollständig: {names}")
    out = Path("reports/zustaendigkeit_coverage.json")
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
