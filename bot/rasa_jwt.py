"""Short-lived HS256 tokens for Rasa's HTTP API (``rasa run --jwt-secret … --jwt-method HS256``).

Rasa's plain ``--auth-token`` is only accepted as ``?token=`` in the URL, where it ends up in
access logs and proxies. The project therefore starts Rasa with a JWT secret only and sends
``Authorization: Bearer <jwt>``. Standard library only: the gateway (its own environment) and
the staff tools (Rasa's environment) both use it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from pathlib import Path

#: Environment variable with the shared secret (launcher, systemd EnvironmentFile, bot publish).
SECRET_ENV = "RASA_JWT_SECRET"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def make_token(secret: str, ttl: float = 300.0, now: float | None = None) -> str:
    """A JWT with Rasa's admin role (``{"user": {"username": "bot-ops", "role": "admin"}}``)."""
    issued = int(now if now is not None else time.time())
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    payload = _b64(json.dumps({"user": {"username": "bot-ops", "role": "admin"}, "iat": issued,
                               "exp": issued + int(ttl)}, separators=(",", ":")).encode())
    signing_input = f"{header}.{payload}".encode("ascii")
    signature = _b64(hmac.new(secret.encode("utf-8"), signing_input, hashlib.sha256).digest())
    return f"{header}.{payload}.{signature}"


def auth_header(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token(secret)}"}


def secret_from(env_value: str | None, secret_file: Path | None) -> str | None:
    """The secret from the environment, else from ``secret_file`` (written 0600 by the launcher)."""
    if env_value:
        return env_value
    if secret_file is not None and secret_file.is_file():
        return secret_file.read_text(encoding="utf-8").strip() or None
    return None


def write_secret_file(path: Path, secret: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(secret + "\n")
    os.chmod(path, 0o600)
