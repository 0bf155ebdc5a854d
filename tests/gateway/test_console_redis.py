"""The console's sessions, login limit, lockout and publish job shared through the real local Redis:
backends on their own (two instances = two gateway processes), two gateway apps on one Redis, and
(slow) two real gateway processes."""

from __future__ import annotations

import asyncio
import hashlib
import sys
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from gateway_helpers import FakeRegister

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "console"))

from console_helpers import PASSWORD, csrf_of, login, write_tenants  # noqa: E402

from bot.console.accounts import AccountStore  # noqa: E402
from bot.console.jobs import INTERRUPTED, InMemoryPublishJobs, RedisPublishJobs  # noqa: E402
from bot.console.sessions import (  # noqa: E402
    COOKIE,
    InMemorySessionStore,
    RedisLoginLimit,
    RedisSessionStore,
)
from bot.console.shared import RedisHandle  # noqa: E402
from bot.console.state import CONFIG_KEY, RATE_KEY, SESSIONS_KEY  # noqa: E402
from bot.console.views_publish import PUBLISH_KEY  # noqa: E402
from bot.gateway import Settings, create_app  # noqa: E402

#: Its own db (rate limits: 2, conversation memory: 3, Rasa's lock store: 1) and a prefix per test.
REDIS_URL = "redis://127.0.0.1:6379/4"
DOWN_URL = "redis://127.0.0.1:1/0"


def stored(prefix: str) -> dict[str, tuple[int, bytes]]:
    """Every key under ``prefix``: its TTL and a dump of its values."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        out = {}
        for key in client.scan_iter(f"{prefix}*"):
            kind = client.type(key)
            value = (repr(client.hgetall(key)) if kind == b"hash" else repr(client.lrange(key, 0, -1))
                     if kind == b"list" else repr(client.get(key))).encode()
            out[key.decode()] = (client.ttl(key), value)
        return out
    finally:
        client.close()


async def test_a_session_made_in_one_process_lives_in_the_other_and_ends_in_both(prefix) -> None:
    first = RedisSessionStore(RedisHandle(REDIS_URL, prefix), idle=1800, maximum=8 * 3600)
    second = RedisSessionStore(RedisHandle(REDIS_URL, prefix), idle=1800, maximum=8 * 3600)
    try:
        token, session = await first.create("anna")
        seen = await second.get(token)
        assert seen is not None and (seen.user, seen.csrf) == ("anna", session.csrf)
        assert await second.get(token + "x") is None and await second.get(None) is None
        keys = stored(prefix)
        assert list(keys) == [f"{prefix}session:{hashlib.sha256(token.encode()).hexdigest()}"]
        ttl, value = next(iter(keys.values()))
        assert 1790 <= ttl <= 1800  # idle expiry in Redis itself
        assert token.encode() not in value and token not in next(iter(keys))  # only its hash is stored
        await second.drop(token)
        assert await first.get(token) is None and stored(prefix) == {}
    finally:
        await first.redis.close()
        await second.redis.close()


async def test_sessions_expire_when_idle_and_at_their_maximum_age(prefix) -> None:
    redis = RedisHandle(REDIS_URL, prefix)
    idle, old = RedisSessionStore(redis, idle=1, maximum=60), RedisSessionStore(redis, idle=60, maximum=1.5)
    try:
        quiet, _ = await idle.create("anna")
        busy, _ = await old.create("lena")
        for _ in range(2):  # lena keeps working, anna does not
            await asyncio.sleep(0.6)
            assert await old.get(busy) is not None
        assert await idle.get(quiet) is None  # idle for more than 1 s: Redis dropped it
        await asyncio.sleep(0.4)
        assert await old.get(busy) is None  # active, but older than the maximum
        assert stored(prefix) == {}
    finally:
        await redis.close()


async def test_the_login_limit_counts_attempts_at_every_process(prefix) -> None:
    first = RedisLoginLimit(RedisHandle(REDIS_URL, prefix), limit=4, window=60)
    second = RedisLoginLimit(RedisHandle(REDIS_URL, prefix), limit=4, window=60)
    try:
        answers = [await (first if i % 2 else second).allow("client-a") for i in range(5)]
        assert answers == [True] * 4 + [False]
        assert await second.allow("client-b")  # other clients are not affected
        assert all(0 < ttl <= 60 for ttl, _ in stored(prefix).values())
    finally:
        await first.redis.close()
        await second.redis.close()


async def test_one_publish_job_across_processes_readable_everywhere(prefix) -> None:
    first, second = RedisPublishJobs(RedisHandle(REDIS_URL, prefix)), RedisPublishJobs(RedisHandle(REDIS_URL, prefix))
    try:
        assert await second.current() is None
        job = await first.start("lena")
        assert job is not None and await second.start("lena") is None and await first.start("lena") is None
        await first.progress(job, "Bewertung läuft")
        shown = await second.current()
        assert shown is not None and shown.running and shown.lines == ["Bewertung läuft"] and shown.user == "lena"
        await first.finish(job, 2)
        shown = await second.current()
        assert shown is not None and shown.code == 2 and not shown.running and shown.lines == ["Bewertung läuft"]
        again = await second.start("lena")  # the lock is free again
        assert again is not None and (await first.current()).lines == []
        await second.finish(again, 0)
    finally:
        for jobs in (first, second):
            await jobs.close()
            await jobs.redis.close()


async def test_a_job_whose_process_died_shows_interrupted_and_frees_the_lock(prefix) -> None:
    dead = RedisPublishJobs(RedisHandle(REDIS_URL, prefix), lock_seconds=1, heartbeat=3600)
    alive = RedisPublishJobs(RedisHandle(REDIS_URL, prefix))
    try:
        job = await dead.start("lena")
        await dead.progress(job, "Training …")
        await dead.close()  # its process is gone: no heartbeat, no outcome
        assert (await alive.current()).running
        await asyncio.sleep(1.3)
        shown = await alive.current()
        assert shown.code == INTERRUPTED and shown.lines == ["Training …"]
        assert await alive.start("lena") is not None
    finally:
        await alive.close()
        await dead.redis.close()
        await alive.redis.close()


async def test_in_process_backends_without_redis_and_redis_when_configured(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("BOT_STAFF_STATE", str(tmp_path))
    app = create_app(Settings(register=FakeRegister()))
    assert isinstance(app[SESSIONS_KEY], InMemorySessionStore) and isinstance(app[PUBLISH_KEY], InMemoryPublishJobs)
    app = create_app(Settings(register=FakeRegister(), redis_url=REDIS_URL))
    assert isinstance(app[SESSIONS_KEY], RedisSessionStore) and isinstance(app[PUBLISH_KEY], RedisPublishJobs)
    assert app[SESSIONS_KEY].redis._client is None  # no client before the first request


# --- two gateway apps on one Redis ------------------------------------------------------------

@pytest.fixture
def staff_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prefix: str) -> dict[str, Path]:
    paths = {"users": tmp_path / "users.yml", "state": tmp_path / "state",
             "tenants": write_tenants(tmp_path / "tenants.yml")}
    for key, value in {"BOT_STAFF_USERS": paths["users"], "BOT_STAFF_STATE": paths["state"],
                       "BOT_STAFF_INSECURE_COOKIE": "1", "BOT_STAFF_REDIS_PREFIX": prefix,
                       "BOT_TRACKER_STORE": f"sqlite:///{tmp_path / 'tracker.db'}"}.items():
        monkeypatch.setenv(key, str(value))
    users = AccountStore(paths["users"])
    users.add("anna", "redaktion", "fellbach", PASSWORD)
    users.add("lena", "landesredaktion", None, PASSWORD)
    return paths


async def gateway(staff_env: dict[str, Path], redis_url: str = REDIS_URL) -> TestClient:
    settings = Settings(rasa_url="http://127.0.0.1:9", tenants_path=staff_env["tenants"], register=FakeRegister(),
                        redis_url=redis_url, client_salt="one-salt-for-all-processes")
    client = TestClient(TestServer(create_app(settings), host="127.0.0.1"))
    await client.start_server()
    return client


def session_cookie(client: TestClient) -> str:
    return next(c.value for c in client.session.cookie_jar if c.key == COOKIE)


async def test_two_gateways_share_login_logout_and_the_publish_job(staff_env) -> None:
    first, second = await gateway(staff_env), await gateway(staff_env)
    try:
        assert (await login(first, "lena")).status == 303
        cookie = {"Cookie": f"{COOKIE}={session_cookie(first)}"}
        page = await second.get("/staff/audit", headers=cookie, allow_redirects=False)
        assert page.status == 200 and "lena (Landesredaktion)" in await page.text()

        # one publish job: started through the first process, seen (and not started again) through the second
        first.app[CONFIG_KEY].publish_cmd = [sys.executable, "-c", "import time; print('Schritt 1', flush=True); "
                                             "time.sleep(1.5); print('Veröffentlicht: neu.tar.gz')"]
        token = csrf_of(await (await first.get("/staff/publish")).text())
        assert (await first.post("/staff/publish", data={"csrf": token}, allow_redirects=False)).status == 303
        await asyncio.sleep(0.5)
        html = await (await second.get("/staff/publish", headers=cookie)).text()
        assert "Läuft" in html and "Schritt 1" in html and "Trainieren und veröffentlichen</button>" not in html
        resp = await second.post("/staff/publish", data={"csrf": token}, headers=cookie, allow_redirects=False)
        assert resp.status == 303
        for _ in range(50):
            html = await (await second.get("/staff/publish", headers=cookie)).text()
            if "Läuft" not in html:
                break
            await asyncio.sleep(0.2)
        assert "Veröffentlicht: neu.tar.gz" in html and "Das neue Modell ist veröffentlicht" in html
        audit = (staff_env["state"] / "audit.jsonl").read_text(encoding="utf-8")
        assert audit.count('"publish_started"') == 1 and audit.count('"publish_finished"') == 1

        resp = await second.post("/staff/logout", data={"csrf": token}, headers=cookie, allow_redirects=False)
        assert resp.status == 303
        assert (await first.get("/staff/audit", allow_redirects=False)).status == 303  # logged out there too
    finally:
        await first.close()
        await second.close()


async def test_wrong_passwords_at_two_gateways_lock_the_account_and_the_limit_is_shared(staff_env) -> None:
    first, second = await gateway(staff_env), await gateway(staff_env)
    try:
        statuses = [(await login(first if i % 2 else second, "anna", "falsches-passwort")).status for i in range(5)]
        assert statuses == [401, 401, 401, 401, 403]  # the fifth attempt locks, counted across both
        resp = await login(first, "anna")
        assert resp.status == 403 and "vorübergehend gesperrt" in await resp.text()
        for app in (first.app, second.app):
            app[RATE_KEY].limit = 8  # 6 attempts so far, from the same client
        statuses = [(await login(second if i % 2 else first, "niemand", "irgendwas-falsch")).status for i in range(3)]
        assert statuses == [401, 401, 429]
    finally:
        await first.close()
        await second.close()


async def test_without_redis_nobody_is_logged_in_and_the_login_says_why(staff_env, caplog) -> None:
    client = await gateway(staff_env, DOWN_URL)
    try:
        resp = await login(client, "anna")
        assert resp.status == 503 and "Die Anmeldung ist gerade nicht möglich" in await resp.text()
        assert (await client.get("/staff/", allow_redirects=False)).status == 303
        assert "console: shared state (Redis) unavailable (ConnectionError)" in caplog.text
        assert "anna" not in caplog.text
    finally:
        await client.close()


# --- two real gateway processes (slow) --------------------------------------------------------

@pytest.fixture
def two_gateways(staff_env: dict[str, Path], tmp_path: Path):
    """Two ``python -m bot.gateway`` processes (the gateway's own interpreter) on one Redis, each on its
    own port (the production profile puts them on one port; here the test picks the process)."""
    import os
    import socket
    import subprocess
    import time
    import urllib.request

    from bot.config import PROJECT_ROOT
    from bot.launcher.stack import gateway_python

    AccountStore(staff_env["users"]).add("uli", "redaktion", "ulm", PASSWORD)
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "GATEWAY_CLIENT_SALT": "one-salt-for-all-processes"}

    def free_port() -> int:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return sock.getsockname()[1]

    procs, bases = [], []
    try:
        for i in range(2):
            port = free_port()
            log = open(tmp_path / f"gateway-{i}.log", "wb")  # noqa: SIM115 - closed with the process
            procs.append((subprocess.Popen(
                [gateway_python(), "-m", "bot.gateway", "--port", str(port), "--rasa-url",
                 f"http://127.0.0.1:{free_port()}", "--tenants", str(staff_env["tenants"]), "--redis-url", REDIS_URL],
                cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT), log))
            bases.append(f"http://127.0.0.1:{port}")
        for (proc, _log), base in zip(procs, bases, strict=True):
            deadline = time.monotonic() + 120
            while True:
                try:
                    urllib.request.urlopen(f"{base}/healthz", timeout=1).close()  # noqa: S310 - loopback
                    break
                except OSError:
                    assert proc.poll() is None and time.monotonic() < deadline, \
                        (tmp_path / "gateway-0.log").read_text() + (tmp_path / "gateway-1.log").read_text()
                    time.sleep(0.3)
        yield bases
    finally:
        for proc, log in procs:
            proc.terminate()
            proc.wait(timeout=20)
            log.close()


def run_outside_any_loop(coro) -> None:
    """Run ``coro`` on a fresh event loop in its own thread: the browser tests in the same pytest run
    (Playwright's sync API) keep an event loop running in the main thread, where pytest-asyncio cannot
    start another one."""
    import asyncio
    import threading

    failure: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(coro)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            failure.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


@pytest.mark.slow
def test_two_gateway_processes_share_sessions_lockout_and_login_limit(two_gateways: list[str]) -> None:
    run_outside_any_loop(two_processes_share_sessions_lockout_and_login_limit(two_gateways))


async def two_processes_share_sessions_lockout_and_login_limit(two_gateways: list[str]) -> None:
    import aiohttp

    one, two = two_gateways
    # one browser: cookies are per host, not per port, so it sends its session to both processes
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
        async def attempt(login_at: str, name: str, password: str = PASSWORD) -> aiohttp.ClientResponse:
            token = csrf_of(await (await browser.get(f"{login_at}/staff/login")).text())
            return await browser.post(f"{login_at}/staff/login", allow_redirects=False,
                                      data={"name": name, "password": password, "csrf": token})

        assert (await attempt(one, "anna")).status == 303  # logged in at process 1 ...
        page = await browser.get(f"{two}/staff/audit", allow_redirects=False)
        html = await page.text()
        assert page.status == 200 and "anna (Redaktion, fellbach)" in html  # ... works at process 2
        resp = await browser.post(f"{two}/staff/logout", data={"csrf": csrf_of(html)}, allow_redirects=False)
        assert resp.status == 303  # logged out at process 2 ...
        gone = await browser.get(f"{one}/staff/audit", allow_redirects=False)
        assert gone.status == 303 and gone.headers["Location"] == "/staff/login"  # ... ends it at process 1

        wrong = [(await attempt(one if i % 2 else two, "uli", "falsches-passwort")).status for i in range(5)]
        assert wrong == [401, 401, 401, 401, 403]  # 5 wrong passwords over both processes lock the account
        locked = await attempt(one, "uli")
        assert locked.status == 403 and "vorübergehend gesperrt" in await locked.text()

        # 7 attempts so far from this client; the limit (20 per 5 minutes) counts those of both processes
        rest = [(await attempt(two if i % 2 else one, "niemand", "irgendwas-falsch")).status for i in range(14)]
        assert rest == [401] * 13 + [429]
