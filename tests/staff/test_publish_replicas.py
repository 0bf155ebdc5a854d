"""``bot publish`` loads the model into EVERY Rasa replica (one model id), JWT in the header only;
a replica that refuses gets the others rolled back to their previous model."""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.staff import publish as pub

SECRET = "replica-test-secret"


class FakeRasa(ThreadingHTTPServer):
    def __init__(self, refuse: bool = False) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.model_file, self.refuse, self.calls = "models/old.tar.gz", refuse, []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    server: FakeRasa

    def log_message(self, *_args) -> None:
        pass

    def _reply(self, code: int, body: dict) -> None:
        raw = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def _authorized(self) -> bool:
        """``Authorization: Bearer`` with an HS256 JWT signed by SECRET (and no ?token=)."""
        header = self.headers.get("Authorization", "")
        if "token=" in self.path or not header.startswith("Bearer ") or header[7:].count(".") != 2:
            return False
        head, payload, signature = header[7:].split(".")
        expected = base64.urlsafe_b64encode(hmac.new(SECRET.encode(), f"{head}.{payload}".encode(),
                                                     hashlib.sha256).digest()).rstrip(b"=").decode()
        return hmac.compare_digest(signature, expected)

    def do_GET(self) -> None:  # noqa: N802
        self.server.calls.append(("GET", self.path, self._authorized()))
        self._reply(200, {"model_id": Path(self.server.model_file).name.removesuffix(".tar.gz"), "model_file": self.server.model_file})

    def do_PUT(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.calls.append(("PUT", self.path, self._authorized()))
        if self.server.refuse and not body["model_file"].endswith("old.tar.gz"):
            self._reply(400, {"message": "cannot load"})
            return
        self.server.model_file = body["model_file"]
        self._reply(204, {})


@pytest.fixture
def servers(request) -> Iterator[list[FakeRasa]]:
    fakes = [FakeRasa(refuse=i in getattr(request, "param", ())) for i in range(3)]
    for fake in fakes:
        threading.Thread(target=fake.serve_forever, daemon=True).start()
    yield fakes
    for fake in fakes:
        fake.shutdown()
        fake.server_close()


def _args(tmp_path: Path, servers: list[FakeRasa]) -> argparse.Namespace:
    model = tmp_path / "staging" / "new.tar.gz"
    model.parent.mkdir()
    model.write_bytes(b"x")
    return argparse.Namespace(rasa_url=[s.url for s in servers], secret=SECRET, timeout=10, model=model,
                              skip_train=False, staging_dir=tmp_path / "staging", models_dir=tmp_path / "models",
                              test_file="t.yml", min_intent_f1=0.9, min_entity_f1=0.8)


@pytest.fixture(autouse=True)
def no_eval(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pub, "evaluate", lambda *a: (1.0, 1.0))
    monkeypatch.setattr(pub, "model_id_of", lambda model: Path(str(model)).name.removesuffix(".tar.gz"))


def test_every_replica_serves_the_new_model(tmp_path: Path, servers: list[FakeRasa]) -> None:
    args = _args(tmp_path, servers)
    assert pub.publish(args) == "new"
    assert all(Path(s.model_file).name == "new.tar.gz" for s in servers)
    assert all(authorized for s in servers for _m, _p, authorized in s.calls)  # JWT header on every call
    assert all("token" not in path for s in servers for _m, path, _a in s.calls)
    assert (tmp_path / "models" / "new.tar.gz").is_file()


@pytest.mark.parametrize("servers", [(2,)], indirect=True)
def test_a_refusing_replica_rolls_the_others_back(tmp_path: Path, servers: list[FakeRasa]) -> None:
    args = _args(tmp_path, servers)
    with pytest.raises(pub.PublishError):
        pub.publish(args)
    assert [Path(s.model_file).name for s in servers] == ["old.tar.gz"] * 3
    assert not (tmp_path / "models").exists()  # a refused model never lands in models/


def test_replica_urls_from_the_running_launcher(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RASA_URLS", raising=False)
    monkeypatch.setattr(pub, "RUN_DIR", tmp_path)
    (tmp_path / "stack.json").write_text(json.dumps({"rasa_urls": ["http://127.0.0.1:1", "http://127.0.0.1:2"]}))
    assert pub.rasa_urls(argparse.Namespace(rasa_url=None)) == ["http://127.0.0.1:1", "http://127.0.0.1:2"]
    monkeypatch.setenv("RASA_URLS", "http://127.0.0.1:3, http://127.0.0.1:4")
    assert pub.rasa_urls(argparse.Namespace(rasa_url=None)) == ["http://127.0.0.1:3", "http://127.0.0.1:4"]


def test_an_operator_may_raise_the_floors_but_never_lower_them(tmp_path: Path, servers: list[FakeRasa],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    floors: list[tuple[float, float]] = []
    monkeypatch.setattr(pub, "evaluate", lambda _model, _file, intent, entity: floors.append((intent, entity)))
    args = _args(tmp_path, servers)
    args.min_intent_f1 = args.min_entity_f1 = None  # not given on the command line
    monkeypatch.setenv("BOT_PUBLISH_MIN_INTENT_F1", "0,95")
    monkeypatch.setenv("BOT_PUBLISH_MIN_ENTITY_F1", "0.99")
    pub.publish(args)
    assert floors == [(0.95, 0.99)]
    calls = sum(len(s.calls) for s in servers)
    for value in ("0.5", "viel", "1.5"):
        monkeypatch.setenv("BOT_PUBLISH_MIN_INTENT_F1", value)
        with pytest.raises(pub.PublishError) as err:
            pub.publish(args)
        assert err.value.code == pub.EXIT_CONFIG and "BOT_PUBLISH_MIN_INTENT_F1" in str(err.value)
    assert "lassen sich nur erhöhen" in str(err.value)
    assert sum(len(s.calls) for s in servers) == calls and floors == [(0.95, 0.99)]  # refused before anything else
