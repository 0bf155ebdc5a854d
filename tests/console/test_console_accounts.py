"""Accounts: scrypt hashes, file mode 0600, password policy, lockout, and the ``bot staff`` commands."""

from __future__ import annotations

import io
import stat
from pathlib import Path

import pytest
from console_helpers import PASSWORD

from bot.cli import main
from bot.console.accounts import AccountError, AccountStore, hash_password, verify_password


def test_hash_is_salted_scrypt_and_verifies() -> None:
    one, two = hash_password(PASSWORD), hash_password(PASSWORD)
    assert one.startswith("scrypt$16384$8$1$") and one != two and PASSWORD not in one
    assert verify_password(PASSWORD, one) and not verify_password(PASSWORD + "x", one)
    assert not verify_password(PASSWORD, "md5$abc") and not verify_password(PASSWORD, "kaputt")


def test_file_is_private_and_holds_no_plain_password(tmp_path: Path) -> None:
    store = AccountStore(tmp_path / "config" / "staff_users.yml")
    store.add("anna", "redaktion", "fellbach", PASSWORD, {"fellbach"})
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert PASSWORD not in store.path.read_text(encoding="utf-8")
    assert store.get("anna").tenant == "fellbach" and store.get("anna").may_see("fellbach")
    assert not store.get("anna").may_see("ulm") and not store.get("anna").may_publish


@pytest.mark.parametrize(("name", "role", "tenant", "password", "message"), [
    ("anna", "redaktion", "fellbach", "kurz", "mindestens 12 Zeichen"),
    ("anna", "redaktion", None, PASSWORD, "genau einem Mandanten"),
    ("anna", "chef", "fellbach", PASSWORD, "Unbekannte Rolle"),
    ("Anna Müller", "redaktion", "fellbach", PASSWORD, "Benutzername"),
    ("anna", "redaktion", "stuttgart", PASSWORD, "nicht in config/tenants.yml"),
])
def test_bad_accounts_are_refused_in_german(tmp_path: Path, name, role, tenant, password, message) -> None:
    with pytest.raises(AccountError, match=message):
        AccountStore(tmp_path / "u.yml").add(name, role, tenant, password, {"fellbach"})


def test_lockout_after_five_failures_and_reset(tmp_path: Path) -> None:
    store = AccountStore(tmp_path / "u.yml")
    store.add("anna", "redaktion", "fellbach", PASSWORD)
    for _ in range(4):
        assert store.authenticate("anna", "falsch-falsch-1", 5, 900) == (None, "invalid")
    assert store.authenticate("anna", "falsch-falsch-1", 5, 900) == (None, "locked")
    assert store.authenticate("anna", PASSWORD, 5, 900) == (None, "locked")  # even the right password
    assert store.authenticate("anna", PASSWORD, 5, 900, now=store.get("anna").locked_until + 1)[0] is not None
    assert store.authenticate("niemand", PASSWORD, 5, 900) == (None, "invalid")


def test_cli_add_reset_disable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    users = tmp_path / "staff_users.yml"
    monkeypatch.setenv("BOT_STAFF_STATE", str(tmp_path / "state"))
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["staff", "--users", str(users), "add-user", "anna", "--role", "redaktion", "--tenant", "demo",
                 "--password-stdin"]) == 0
    assert "Konto anna angelegt (Redaktion, Mandant demo)" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("Neues-Passwort-2027\n"))
    assert main(["staff", "--users", str(users), "reset-password", "anna", "--password-stdin"]) == 0
    assert verify_password("Neues-Passwort-2027", AccountStore(users).get("anna").password)
    assert main(["staff", "--users", str(users), "disable", "anna"]) == 0
    assert AccountStore(users).get("anna").disabled
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["staff", "--users", str(users), "add-user", "bert", "--role", "redaktion", "--tenant", "gibtsnicht",
                 "--password-stdin"]) == 2
    assert "steht nicht in config/tenants.yml" in capsys.readouterr().err
    audit = (tmp_path / "state" / "audit.jsonl").read_text(encoding="utf-8")
    assert '"action": "add_user"' in audit and '"action": "disable"' in audit and PASSWORD not in audit
