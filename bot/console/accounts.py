"""Staff accounts: a YAML file (gitignored, mode 0600) with scrypt password hashes, roles and lockout.

Roles: ``redaktion`` (one tenant of config/tenants.yml: its conversations, review queue, local
information) and ``landesredaktion`` (all tenants; may retrain and publish). Passwords are hashed
with ``hashlib.scrypt`` (RFC 7914; N=2**14, r=8, p=1, 16-byte salt) — no extra dependency.

Every gateway process reads the file on each request, so a disabled account and the lockout
after wrong passwords hold in all of them; changes (CLI or login) are read-modify-write under an
exclusive file lock (``.staff_users.yml.lock`` next to it), so failed attempts arriving at two
processes at once are all counted.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import hmac
import os
import re
import secrets
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

ROLES = {"redaktion": "Redaktion", "landesredaktion": "Landesredaktion"}
MIN_PASSWORD = 12
_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
_SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}


class AccountError(ValueError):
    """Bad input for an account operation (German message)."""


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, maxmem=64 * 1024 * 1024, **_SCRYPT)
    b64 = base64.b64encode
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                                dklen=len(expected), maxmem=64 * 1024 * 1024)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


_dummy: list[str] = []


def _dummy_hash() -> str:
    """Verified against when the user does not exist, so that timing does not reveal account names."""
    if not _dummy:
        _dummy.append(hash_password(secrets.token_hex(8)))
    return _dummy[0]


def check_password_policy(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Das Passwort muss mindestens {MIN_PASSWORD} Zeichen lang sein.")
    if password.strip() != password or len(set(password)) < 5:
        raise AccountError("Das Passwort ist zu einfach (Leerzeichen am Rand oder zu wenige verschiedene Zeichen).")


@dataclass
class Account:
    name: str
    role: str
    tenant: str | None
    password: str
    disabled: bool = False
    failed: int = 0
    locked_until: float = 0.0
    created: str = ""

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)

    def may_see(self, tenant: str) -> bool:
        return self.role == "landesredaktion" or tenant == self.tenant

    @property
    def may_publish(self) -> bool:
        return self.role == "landesredaktion"


class AccountStore:
    """The account file; every change is written atomically with mode 0600."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """This process's threads and other processes (CLI, further gateway processes) wait here."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            fd = os.open(self.path.with_name(f".{self.path.name}.lock"), os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                yield
            finally:
                os.close(fd)  # releases the flock

    def load(self) -> dict[str, Account]:
        if not self.path.is_file():
            return {}
        raw = yaml.safe_load(self.path.read_text(encoding="utf-8")) or {}
        users = raw.get("users") or {}
        return {name: Account(name=name, **{k: v for k, v in data.items() if k != "name"})
                for name, data in users.items() if isinstance(data, dict)}

    def save(self, accounts: dict[str, Account]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        doc: dict[str, Any] = {"users": {a.name: {k: v for k, v in asdict(a).items() if k != "name"}
                                         for a in accounts.values()}}
        text = ("# Konten der Mitarbeiterkonsole. Nicht einchecken! Verwaltung: bot staff add-user|"
                "reset-password|disable\n" + yaml.safe_dump(doc, allow_unicode=True, sort_keys=True))
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".staff_users.")
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        os.chmod(self.path, 0o600)

    def get(self, name: str) -> Account | None:
        return self.load().get(name)

    def add(self, name: str, role: str, tenant: str | None, password: str,
            known_tenants: set[str] | None = None) -> Account:
        if not _NAME_RE.match(name):
            raise AccountError("Der Benutzername darf nur Kleinbuchstaben, Ziffern, Punkt, - und _ enthalten "
                               "(2 bis 64 Zeichen).")
        if role not in ROLES:
            raise AccountError(f"Unbekannte Rolle {role!r}; erlaubt: {', '.join(ROLES)}.")
        if role == "redaktion" and not tenant:
            raise AccountError("Eine Redaktion gehört zu genau einem Mandanten (--tenant ID aus config/tenants.yml).")
        if role == "landesredaktion":
            tenant = None
        if tenant and known_tenants is not None and tenant not in known_tenants:
            raise AccountError(f"Mandant {tenant!r} steht nicht in config/tenants.yml "
                               f"(bekannt: {', '.join(sorted(known_tenants))}).")
        check_password_policy(password)
        with self._locked():
            accounts = self.load()
            if name in accounts:
                raise AccountError(f"Das Konto {name} gibt es schon (Passwort ändern: bot staff reset-password).")
            account = Account(name, role, tenant, hash_password(password),
                              created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
            accounts[name] = account
            self.save(accounts)
        return account

    def change(self, name: str, apply: Callable[[Account], None]) -> Account:
        """Apply ``apply`` to the freshly read account and save, all under the file lock."""
        with self._locked():
            accounts = self.load()
            if name not in accounts:
                raise AccountError(f"Das Konto {name} gibt es nicht.")
            apply(accounts[name])
            self.save(accounts)
            return accounts[name]

    def update(self, name: str, **changes: Any) -> Account:
        def apply(account: Account) -> None:
            for key, value in changes.items():
                setattr(account, key, value)

        return self.change(name, apply)

    def reset_password(self, name: str, password: str) -> Account:
        check_password_policy(password)
        return self.update(name, password=hash_password(password), failed=0, locked_until=0.0)

    def authenticate(self, name: str, password: str, lockout_after: int, lockout_seconds: float,
                     now: float | None = None) -> tuple[Account | None, str]:
        """(account, "") on success, else (None, reason) with reason in {"invalid", "locked", "disabled"}."""
        now = time.time() if now is None else now
        account = self.get(name)
        if account is None:
            verify_password(password, _dummy_hash())
            return None, "invalid"
        if account.locked_until > now:
            return None, "locked"
        ok = verify_password(password, account.password)
        if account.disabled:
            return None, "disabled" if ok else "invalid"
        if ok:
            if account.failed or account.locked_until:
                account = self.update(name, failed=0, locked_until=0.0)
            return account, ""

        def count_failure(fresh: Account) -> None:  # on the state of the file now, not of the read above
            if fresh.locked_until > now:
                return
            fresh.failed += 1
            if fresh.failed >= lockout_after:
                fresh.failed, fresh.locked_until = 0, now + lockout_seconds

        try:
            account = self.change(name, count_failure)
        except AccountError:  # deleted meanwhile
            return None, "invalid"
        return None, "locked" if account.locked_until > now else "invalid"
