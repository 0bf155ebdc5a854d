"""Audit log of the console: who logged in, changed or published what (JSON lines).

Entries carry the staff account, the action, the tenant and ids (group key hash, intent, service,
model) — never citizen texts, e-mail addresses or client addresses.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any


def write(path: Path, user: str, action: str, tenant: str | None = None, **detail: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    entry = {"ts": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "user": user, "action": action,
             "tenant": tenant, **detail}
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, ensure_ascii=False) + "\n")


def read(path: Path, limit: int = 200, tenant: str | None = None) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if tenant is None or entry.get("tenant") == tenant:
            entries.append(entry)
    return entries[-limit:][::-1]
