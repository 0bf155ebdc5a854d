"""``bot staff add-user|reset-password|disable|enable|list``: accounts of the staff console.

Passwords are read without echo from the terminal, or from stdin with ``--password-stdin``
(for scripts); they never appear on the command line. The account file (default
``config/staff_users.yml``, ``$BOT_STAFF_USERS``) is created with mode 0600 and is gitignored.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

import yaml

from bot.console import audit
from bot.console.accounts import ROLES, AccountError, AccountStore
from bot.console.config import ConsoleConfig


def _tenant_ids(path: Path) -> set[str] | None:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return None
    return {str(t.get("id")) for t in doc.get("tenants") or [] if isinstance(t, dict)}


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Neues Passwort: ")
    if getpass.getpass("Passwort wiederholen: ") != first:
        raise AccountError("Die Passwörter stimmen nicht überein.")
    return first


def cmd_staff(args: argparse.Namespace) -> int:
    config = ConsoleConfig()
    store = AccountStore(Path(args.users) if args.users else config.users_path)
    actor = f"cli:{getpass.getuser()}"
    try:
        if args.staff_command == "add-user":
            account = store.add(args.name, args.role, args.tenant, _password(args), _tenant_ids(Path(args.tenants)))
            audit.write(config.audit_path, actor, "add_user", account.tenant, account=account.name, role=account.role)
            print(f"Konto {account.name} angelegt ({account.role_label}"
                  f"{', Mandant ' + account.tenant if account.tenant else ''}).")
        elif args.staff_command == "reset-password":
            store.reset_password(args.name, _password(args))
            audit.write(config.audit_path, actor, "reset_password", None, account=args.name)
            print(f"Passwort von {args.name} geändert; eine Sperre ist aufgehoben.")
        elif args.staff_command in ("disable", "enable"):
            store.update(args.name, disabled=args.staff_command == "disable")
            audit.write(config.audit_path, actor, args.staff_command, None, account=args.name)
            print(f"Konto {args.name} {'deaktiviert' if args.staff_command == 'disable' else 'wieder aktiviert'}.")
        else:
            for a in sorted(store.load().values(), key=lambda a: a.name):
                state = "deaktiviert" if a.disabled else "aktiv"
                print(f"{a.name}\t{a.role_label}\t{a.tenant or 'alle Mandanten'}\t{state}")
    except AccountError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 2
    return 0


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("staff", help="Konten der Mitarbeiterkonsole verwalten", description=__doc__,
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--users", help="Kontodatei (Standard: $BOT_STAFF_USERS oder config/staff_users.yml)")
    sub = p.add_subparsers(dest="staff_command", required=True)
    add = sub.add_parser("add-user", help="Konto anlegen")
    add.add_argument("name", help="Benutzername (Kleinbuchstaben, Ziffern, . - _)")
    add.add_argument("--role", required=True, choices=sorted(ROLES), help="redaktion oder landesredaktion")
    add.add_argument("--tenant", help="Mandant (id aus config/tenants.yml), Pflicht für die Redaktion")
    add.add_argument("--tenants", default="config/tenants.yml", help="Mandantendatei zur Prüfung von --tenant")
    for name, text in (("reset-password", "Passwort neu setzen (hebt eine Sperre auf)"),
                       ("disable", "Konto deaktivieren"), ("enable", "Konto wieder aktivieren")):
        sp = sub.add_parser(name, help=text)
        sp.add_argument("name")
    for sp in (add, sub.choices["reset-password"]):
        sp.add_argument("--password-stdin", action="store_true", help="Passwort aus der ersten Zeile von stdin")
    sub.add_parser("list", help="Konten anzeigen")
    p.set_defaults(func=cmd_staff)
