"""``bot publish``: load a newly trained model into the running Rasa without downtime.

1. Train into a staging directory (``build/staging``) unless ``--model`` is given.
2. Refuse a model that cannot be opened (exit 3) or whose NLU F1 on the held-out test file is
   below the floors of :mod:`bot.rasa_tests` (exit 2). Nothing is sent to Rasa then.
3. ``PUT /model`` on Rasa's HTTP API of EVERY replica (loopback; JWT in the ``Authorization``
   header, never a token in the URL): Rasa loads the new agent next to the old one and swaps it
   in; conversations live in the tracker store and simply continue. If a replica cannot load it,
   the replicas already switched get their previous model back and nothing changes (exit 1).
4. Check with ``GET /status`` that every replica serves the new ``model_id``, then move the model
   into ``models/`` (so a restart serves it too). A refused model never lands in ``models/``.

Floors: ``--min-intent-f1``/``--min-entity-f1``, else the shipped ones of :mod:`bot.rasa_tests`.
An operator may only RAISE them for every run (also the console's) with
``BOT_PUBLISH_MIN_INTENT_F1``/``BOT_PUBLISH_MIN_ENTITY_F1``; a value below a shipped floor is an
error (exit 4), never a lower bar. ``BOT_PUBLISH_STAGING`` moves the staging directory.

Replicas: ``--rasa-url`` repeated, else ``$RASA_URLS`` (comma-separated), else the URLs the
running launcher wrote to ``build/run/stack.json``. The JWT secret: ``$RASA_JWT_SECRET``, else
``build/run/rasa-jwt.secret`` (written 0600 by the launcher).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from bot.config import PROJECT_ROOT
from bot.rasa_jwt import SECRET_ENV, auth_header, secret_from
from bot.rasa_tests import ENTITY_F1_FLOOR, INTENT_F1_FLOOR, NLU_TEST_FILE, read_f1, test_nlu
from bot.staff.goals import BASELINE_FILE, GOALS_ENV, TOLERANCE, goals_enforced

EXIT_RASA, EXIT_FLOOR, EXIT_MODEL, EXIT_CONFIG = 1, 2, 3, 4
FLOOR_ENV = {"intent": "BOT_PUBLISH_MIN_INTENT_F1", "entity": "BOT_PUBLISH_MIN_ENTITY_F1"}
STAGING_ENV = "BOT_PUBLISH_STAGING"
DEFAULT_RASA_URL = "http://127.0.0.1:5005"
RUN_DIR = PROJECT_ROOT / "build" / "run"


class PublishError(Exception):
    def __init__(self, message: str, code: int = EXIT_RASA) -> None:
        super().__init__(message)
        self.code = code


def model_id_of(model: Path) -> str:
    """The ``model_id`` in a Rasa 3 model archive (raises PublishError if it is not one)."""
    try:
        with tarfile.open(model, "r:gz") as tar:
            for member in tar:
                if member.isfile() and member.name.lstrip("./") == "metadata.json":
                    handle = tar.extractfile(member)
                    meta = json.load(handle) if handle else {}
                    if isinstance(meta, dict) and meta.get("model_id"):
                        return str(meta["model_id"])
    except (OSError, tarfile.TarError, EOFError, ValueError) as exc:
        raise PublishError(f"{model.name} ist kein lesbares Rasa-Modell ({type(exc).__name__})", EXIT_MODEL) from None
    raise PublishError(f"{model.name} enthält keine Modell-Metadaten (metadata.json)", EXIT_MODEL)


class RasaApi:
    """Rasa's HTTP API on loopback (``--enable-api --jwt-secret``; token in the header only)."""

    def __init__(self, url: str, secret: str, timeout: float = 600.0) -> None:
        self.url, self.secret, self.timeout = url.rstrip("/"), secret, timeout

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"{self.url}{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json", **auth_header(self.secret)})
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never a proxy
        try:
            with opener.open(req, timeout=self.timeout) as resp:
                raw = resp.read()
                return resp.status, json.loads(raw) if raw.strip() else None
        except urllib.error.HTTPError as exc:
            try:
                payload = json.loads(exc.read() or b"null")
            except ValueError:
                payload = None
            return exc.code, payload
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise PublishError(f"Rasa unter {self.url} nicht erreichbar ({reason})") from None

    def status(self) -> dict[str, Any]:
        code, payload = self._call("GET", "/status")
        if code == 401 or code == 403:
            raise PublishError(f"Rasa lehnt das Token ab ({SECRET_ENV} / --jwt-secret prüfen)")
        if code != 200 or not isinstance(payload, dict):
            raise PublishError(f"Rasa /status antwortet mit HTTP {code}: {_message(payload)}")
        return payload

    def tracker(self, sender: str) -> dict[str, Any]:
        code, payload = self._call("GET", f"/conversations/{urllib.request.quote(sender, safe='')}/tracker")
        if code != 200 or not isinstance(payload, dict):
            raise PublishError(f"Rasa /tracker antwortet mit HTTP {code}")
        return payload

    def load(self, model: Path) -> None:
        """``PUT /model``; raises PublishError with Rasa's message if Rasa refuses the model."""
        code, payload = self._call("PUT", "/model", {"model_file": str(Path(model).resolve())})
        if code not in (200, 204):
            raise PublishError(f"Rasa hat das Modell nicht geladen (HTTP {code}: {_message(payload)}); "
                               "das bisherige Modell bleibt aktiv.")


def _message(payload: Any) -> str:
    if isinstance(payload, dict):
        return str(payload.get("message") or payload.get("reason") or payload)[:300]
    return str(payload)[:300]


def intent_floor(requested: float) -> float:
    """The intent-F1 floor: the goal, or with ``QUALITY_GOALS=report`` (``make test``, while the goal is not
    met yet) no worse than the committed comparison value (bot/staff/goals.py)."""
    if goals_enforced() or requested != INTENT_F1_FLOOR:
        return requested
    try:
        base = json.loads(BASELINE_FILE.read_text(encoding="utf-8"))["summary"]["intent_weighted_f1"]
    except (OSError, ValueError, KeyError, TypeError):
        return requested
    if not isinstance(base, (int, float)):
        return requested
    floor = round(min(requested, base - TOLERANCE), 3)
    print(f"Absichten-F1: Ziel {requested} nur gemeldet ({GOALS_ENV}=report); Untergrenze {floor} "
          f"(Vergleichswert {base:.3f} − {TOLERANCE})")
    return floor


def raised_floor(kind: str, shipped: float) -> float:
    """The floor for ``kind`` ("intent"/"entity"): the shipped one, or higher through the environment."""
    env = FLOOR_ENV[kind]
    raw = os.environ.get(env, "").strip()
    if not raw:
        return shipped
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        raise PublishError(f"{env}={raw!r} ist keine Zahl.", EXIT_CONFIG) from None
    if not shipped <= value <= 1.0:
        raise PublishError(f"{env}={raw} liegt nicht zwischen der ausgelieferten Mindestgüte {shipped} und 1; "
                           "die Mindestwerte lassen sich nur erhöhen.", EXIT_CONFIG)
    return value


def evaluate(model: Path, test_file: str, intent_floor: float, entity_floor: float) -> tuple[float, float]:
    """Intent and entity F1 of ``model`` on ``test_file``; PublishError below the floors."""
    with tempfile.TemporaryDirectory(prefix="publish-eval-") as out:
        rc = test_nlu(str(model), test_file, out, quiet=True)
        if rc != 0:
            raise PublishError(f"Das Modell {model.name} ließ sich nicht laden/bewerten (rasa test nlu: {rc}); "
                               "nicht veröffentlicht.", EXIT_MODEL)
        intent, entity = read_f1(Path(out))
    print(f"Bewertung {model.name} auf {test_file}: Absichten F1 {intent:.3f} (Minimum {intent_floor}), "
          f"Entitäten F1 {entity:.3f} (Minimum {entity_floor})")
    if intent < intent_floor or entity < entity_floor:
        raise PublishError("Modell unter der Mindestgüte; nicht veröffentlicht, das bisherige Modell bleibt aktiv.",
                           EXIT_FLOOR)
    return intent, entity


def _newest(directory: Path) -> Path | None:
    models = sorted(directory.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None


def staged_model(args: argparse.Namespace) -> Path:
    if args.model:
        if not args.model.is_file():
            raise PublishError(f"Modelldatei nicht gefunden: {args.model}", EXIT_MODEL)
        return args.model
    staging = args.staging_dir
    if not args.skip_train:
        from bot.train import train

        staging.mkdir(parents=True, exist_ok=True)
        print("Training läuft (einige Minuten) …", flush=True)
        rc, seconds = train(out=str(staging))
        print(f"Training in {staging} nach {seconds:.0f} s beendet (Code {rc}).")
        if rc != 0:
            raise PublishError(f"Training fehlgeschlagen (Code {rc})")
    model = _newest(staging) if staging.is_dir() else None
    if model is None:
        raise PublishError(f"Kein Modell in {staging}", EXIT_MODEL)
    return model


def rasa_urls(args: argparse.Namespace) -> list[str]:
    """The replicas to publish to (see the module docstring)."""
    if args.rasa_url:
        return list(args.rasa_url)
    if os.environ.get("RASA_URLS"):
        return [u.strip() for u in os.environ["RASA_URLS"].split(",") if u.strip()]
    state = RUN_DIR / "stack.json"
    if state.is_file():
        try:
            urls = json.loads(state.read_text(encoding="utf-8")).get("rasa_urls")
        except ValueError:
            urls = None
        if isinstance(urls, list) and urls:
            return [str(u) for u in urls]
    return [os.environ.get("RASA_URL", DEFAULT_RASA_URL)]


def _load_all(apis: list[RasaApi], model: Path, previous: list[str | None]) -> None:
    """Load ``model`` into every replica; on a refusal give the switched ones their old model back."""
    for done, api in enumerate(apis):
        try:
            api.load(model)
        except PublishError:
            for back, old in zip(apis[:done], previous[:done], strict=True):
                if old:
                    try:
                        back.load(Path(old))
                    except PublishError as exc:
                        print(f"Warnung: {back.url} behält das neue Modell ({exc})", file=sys.stderr)
            raise


def publish(args: argparse.Namespace) -> str:
    """Run the steps of the module docstring on every replica; returns the new model id."""
    intent = args.min_intent_f1 if args.min_intent_f1 is not None else raised_floor("intent", INTENT_F1_FLOOR)
    entity = args.min_entity_f1 if args.min_entity_f1 is not None else raised_floor("entity", ENTITY_F1_FLOOR)
    apis = [RasaApi(url, args.secret, args.timeout) for url in rasa_urls(args)]
    before = [api.status() for api in apis]  # fail early if a replica or the secret is wrong
    model = staged_model(args)
    new_id = model_id_of(model)
    print(f"Bewertung von {model.name} auf {args.test_file} läuft …", flush=True)
    evaluate(model, args.test_file, intent_floor(intent), entity)
    print(f"Bestanden; {model.name} wird geladen …", flush=True)
    started = time.monotonic()
    _load_all(apis, model, [b.get("model_file") for b in before])
    for api in apis:
        now = api.status().get("model_id")
        if now != new_id:
            raise PublishError(f"Rasa {api.url} meldet Modell {now}, erwartet {new_id}; bitte prüfen.")
    target = args.models_dir / model.name
    if model.resolve() != target.resolve():
        args.models_dir.mkdir(parents=True, exist_ok=True)
        shutil.move(str(model), target)
    old_ids = ", ".join(sorted({str(b.get("model_id")) for b in before}))
    print(f"Veröffentlicht: {target.name} (model_id {new_id}, vorher {old_ids}) auf {len(apis)} "
          f"Rasa-Replik{'en' if len(apis) != 1 else ''} in {time.monotonic() - started:.1f} s geladen, ohne Neustart.")
    return new_id


def cmd_publish(args: argparse.Namespace) -> int:
    args.secret = secret_from(args.jwt_secret, RUN_DIR / "rasa-jwt.secret")
    if not args.secret:
        print(f"Fehler: kein Schlüssel für Rasas HTTP-API (${SECRET_ENV}, --jwt-secret oder ein laufendes "
              "`make run`).", file=sys.stderr)
        return EXIT_RASA
    try:
        publish(args)
    except PublishError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return exc.code
    return 0


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("publish", help="Neues Modell ohne Ausfall in den laufenden Assistenten laden",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", type=Path, help="dieses Modell veröffentlichen (sonst neu trainieren)")
    p.add_argument("--skip-train", action="store_true", help="nicht trainieren: neuestes Modell im Staging nehmen")
    p.add_argument("--rasa-url", action="append", default=None,
                   help="Rasa-Replik (mehrfach möglich; sonst $RASA_URLS oder die laufende Installation)")
    p.add_argument("--jwt-secret", default=os.environ.get(SECRET_ENV),
                   help=f"Schlüssel der Rasa-API (Standard: ${SECRET_ENV} oder build/run/rasa-jwt.secret)")
    p.add_argument("--staging-dir", type=Path,
                   default=Path(os.environ.get(STAGING_ENV) or PROJECT_ROOT / "build" / "staging"),
                   help=f"hierhin trainieren (Standard: ${STAGING_ENV} oder build/staging)")
    p.add_argument("--models-dir", type=Path, default=PROJECT_ROOT / "models")
    p.add_argument("--test-file", default=NLU_TEST_FILE)
    p.add_argument("--min-intent-f1", type=float, default=None,
                   help=f"Mindest-F1 der Absichten (Standard {INTENT_F1_FLOOR}, erhöht durch ${FLOOR_ENV['intent']})")
    p.add_argument("--min-entity-f1", type=float, default=None,
                   help=f"Mindest-F1 der Entitäten (Standard {ENTITY_F1_FLOOR}, erhöht durch ${FLOOR_ENV['entity']})")
    p.add_argument("--timeout", type=float, default=600.0, help="Sekunden für das Laden in Rasa")
    p.set_defaults(func=cmd_publish)
