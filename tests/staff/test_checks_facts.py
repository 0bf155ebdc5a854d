"""``bot validate`` on fees and processing times: each broken fixture yields its German finding with file:line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from plain_texts import add_plain_texts

from bot.cli import main
from bot.staff.yaml_lines import ERROR, WARNING

FIXTURES = Path(__file__).parent / "fixtures"
BROKEN = Path(__file__).parent / "fixtures_facts"
CAT = "data/catalogue/services/broken.yml"

# case: (level, line, expected text fragment) - all in CAT
CASES = {
    "fee_missing": (ERROR, 3, "Leistung 'hund_anmelden': Angabe zur Gebühr fehlt (Feld 'fee'"),
    "kind_unknown": (ERROR, 11, "kind 'teuer' ist unbekannt; erlaubt sind fixed"),
    "fixed_without_basis": (ERROR, 11, "Gebühr mit kind fixed braucht die Rechtsgrundlage (basis)"),
    "fixed_without_amount": (ERROR, 11, "Gebühr mit kind fixed braucht den Betrag (amount)"),
    "fee_without_source": (ERROR, 11, "'fee' braucht eine Quelle (source)"),
    "stand_not_a_date": (ERROR, 13, "stand '01.12.2026' in 'fee' ist kein Datum (JJJJ-MM-TT"),
    "unknown_key": (ERROR, 12, "unbekanntes Feld 'ammount' in 'fee'"),
    "amount_without_fixed": (ERROR, 12, "ein Betrag (amount) gehört nur zu kind fixed"),
    "legacy_fees_text": (WARNING, 10, "altes Feld 'fees' (nur Text); bitte als 'fee'"),
    "fee_and_fees": (ERROR, 11, "bitte nur 'fee' angeben (das alte Feld 'fees' entfernen)"),
    "fee_wrong_shape": (ERROR, 10, "Feld 'fee' muss ein Abschnitt mit kind"),
    "time_without_text": (ERROR, 12, "processing_time braucht einen Text (text)"),
    "time_without_stand": (ERROR, 12, "'processing_time' braucht einen Stand (stand: JJJJ-MM-TT)"),
}


def run(tmp_path: Path, case: str, capsys: pytest.CaptureFixture) -> tuple[int, list[str]]:
    root = tmp_path / "projekt"
    shutil.copytree(FIXTURES / "base", root)
    shutil.copytree(BROKEN / case, root, dirs_exist_ok=True)
    add_plain_texts(root)  # the Leistung a case adds needs a Leichte-Sprache text like any other
    code = main(["validate", "--project", str(root), "--no-rasa"])
    return code, capsys.readouterr().out.splitlines()


def test_every_fixture_has_a_case() -> None:
    assert {p.name for p in BROKEN.iterdir()} == set(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_fact_is_reported_with_file_and_line(case: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    level, line, text = CASES[case]
    code, out = run(tmp_path, case, capsys)
    prefix = f"{level} {CAT}:{line}: "
    assert any(row.startswith(prefix) and text in row for row in out), "\n".join(out)
    errors = [row for row in out if row.startswith(ERROR)]
    assert len(errors) == (1 if level == ERROR else 0), "\n".join(out)
    assert code == (1 if level == ERROR else 0)


def test_the_base_fixture_with_fees_is_clean(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    root = tmp_path / "projekt"
    shutil.copytree(FIXTURES / "base", root)
    assert main(["validate", "--project", str(root), "--no-rasa"]) == 0
    assert not [row for row in capsys.readouterr().out.splitlines() if row.startswith(ERROR)]
