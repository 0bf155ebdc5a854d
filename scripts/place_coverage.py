#!/usr/bin/env python
"""Place-resolution coverage over the whole register: every Gemeinde by official and short name,
every BW PLZ. Prints the figures, lists PLZ shared by several Gemeinden, writes reports/place_coverage.json.
Exit 1 if any Gemeinde or PLZ does not resolve.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bot.core import get_core


def main() -> int:
    core = get_core()
    gemeinden = core.register.gemeinden
    by_official = sum(1 for g in gemeinden if g in core.place(g.name).candidates)
    by_short = sum(1 for g in gemeinden if g in core.place(g.short_name).candidates)
    unique_short = sum(1 for g in gemeinden if core.place(g.short_name).candidates == [g])
    plz_ok, ambiguous = 0, {}
    for plz, expected in sorted(core.register.plz_map.items()):
        got = core.place(plz).candidates
        plz_ok += set(got) == set(expected)
        if len(expected) > 1:
            ambiguous[plz] = [f"{g.short_name} ({g.kreis_display})" for g in expected]
    n, p = len(gemeinden), len(core.register.plz_map)
    print(f"Gemeinden by official name: {by_official}/{n}; by short name: {by_short}/{n} "
          f"({unique_short} unambiguous, the rest share their name and are asked back)")
    print(f"BW PLZ resolved: {plz_ok}/{p}; shared by several Gemeinden: {len(ambiguous)}")
    for plz, names in list(ambiguous.items())[:15]:
        print(f"  {plz}: {', '.join(names)}")
    if len(ambiguous) > 15:
        print(f"  … {len(ambiguous) - 15} more in reports/place_coverage.json")
    out = Path("reports/place_coverage.json")
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"gemeinden": n, "by_official_name": by_official, "by_short_name": by_short,
                               "plz": p, "plz_resolved": plz_ok, "ambiguous_plz": ambiguous},
                              ensure_ascii=False, indent=2))
    return 0 if by_official == by_short == n and plz_ok == p else 1


if __name__ == "__main__":
    sys.exit(main())
