"""Checks on the sourced Zuständigkeit data (``data/zustaendigkeit/*.yml``), each finding with file:line.

The parser is the one the bot runs (:mod:`bot.responsibility.overrides`): every Gemeinde, Verband
and Kreis named must exist in the register, every target authority must exist, every entry
needs a source and a Stand, and no Gemeinde may get two different answers at the same level.
"""

from __future__ import annotations

from pathlib import Path

from bot.config import DataDirError
from bot.places.register import Register
from bot.responsibility.overrides import Zustaendigkeit
from bot.staff.yaml_lines import ERROR, WARNING, Finding

FOLDER = "data/zustaendigkeit"


def check_zustaendigkeit(root: Path, data: Path | None, rule_ids: set[str] | None) -> list[Finding]:
    folder = root / FOLDER
    if not folder.is_dir():
        return []  # no sourced data: the rules alone apply
    if data is None:
        return [Finding(WARNING, FOLDER, 0, "Datenverzeichnis fehlt: AGS und amtliche Listen nicht geprüft")]
    try:
        register = Register.load(data)
    except (DataDirError, OSError, KeyError) as exc:
        return [Finding(WARNING, FOLDER, 0, f"Gemeindeverzeichnis nicht lesbar ({exc}); nicht geprüft")]
    _, problems = Zustaendigkeit.load(folder, register, data, rule_ids or None, root=root, with_lines=True)
    findings = []
    for p in problems:
        file = p.file if "/" in p.file else f"{FOLDER}/{p.file}"
        findings.append(Finding(ERROR, file, p.line, p.text))
    return findings
