"""Copy the console screenshots of the browser tests (test-artifacts/) into the staff guide
(docs/staff/bilder/, referenced from docs/staff/konsole.md), as 256-colour PNGs (a third of the size).

Run after ``pytest tests/browser/test_browser_console.py tests/browser/test_browser_console_publish.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE, TARGET = ROOT / "test-artifacts", ROOT / "docs" / "staff" / "bilder"
#: test artifact -> picture in the guide
PICTURES = {
    "console-login-locked.png": "konsole-anmeldung-gesperrt.png",
    "console-dashboard.png": "konsole-uebersicht.png",
    "console-dashboard-360.png": "konsole-uebersicht-360.png",
    "console-review.png": "konsole-pruefliste.png",
    "console-review-360.png": "konsole-pruefliste-360.png",
    "console-local-360.png": "konsole-lokale-angaben-360.png",
    "console-inbox.png": "konsole-posteingang.png",
    "console-publish-refused.png": "konsole-veroeffentlichen-abgelehnt.png",
}


def main() -> int:
    from PIL import Image

    missing = [name for name in PICTURES if not (SOURCE / name).is_file()]
    if missing:
        print(f"Fehlt in {SOURCE}: {', '.join(missing)} (erst die Browsertests laufen lassen)", file=sys.stderr)
        return 1
    TARGET.mkdir(parents=True, exist_ok=True)
    for source, target in PICTURES.items():
        with Image.open(SOURCE / source) as image:
            image.convert("RGB").quantize(colors=256).save(TARGET / target, optimize=True)
        print(f"{target}: {(TARGET / target).stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
