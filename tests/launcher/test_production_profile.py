"""``make run PROFILE=production`` for real: PostgreSQL tracker store, Redis lock store, two Rasa
replicas (each with its action server) behind two gateway processes on one port.

Conversations are routed by consistent hashing of the sender id. Killing one replica: the next
message of each of its conversations is answered by the other replica, which continues from
PostgreSQL with the remembered place (Fellbach, named on Stuttgart's site) and Leistung.
Failover timings are printed (-s). Every run uses its own PostgreSQL schema.
"""

from __future__ import annotations

import os
import socket
import sys
import time
import uuid
from collections.abc import Iterator

import pytest
from live_helpers import chat, free_port, kill, tenants_for, texts

from bot.gateway.relay import Replica, rendezvous_order
from bot.launcher import Stack
from bot.staff.trackers import PRODUCTION_ENV_DEFAULTS

pytestmark = pytest.mark.slow


def _reachable(host: str, port: int, what: str) -> None:
    try:
        socket.create_connection((host, port), timeout=3).close()
    except OSError as exc:
        pytest.fail(f"{what} auf {host}:{port} nicht erreichbar ({exc}); läuft in jeder Sitzung und in CI.",
                    pytrace=False)


@pytest.fixture(scope="module")
def prod(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    import psycopg2

    env = {k: os.environ.get(k, v) for k, v in PRODUCTION_ENV_DEFAULTS.items()}
    _reachable(env["DB_HOST"], int(env["DB_PORT"]), "PostgreSQL")
    _reachable(env["REDIS_HOST"], int(env["REDIS_PORT"]), "Redis")
    schema = f"prod_profile_{uuid.uuid4().hex[:12]}"
    conn = psycopg2.connect(host=env["DB_HOST"], port=env["DB_PORT"], dbname=env["DB_NAME"], user=env["DB_USER"],
                            password=env["DB_PASSWORD"] or None, connect_timeout=5)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'CREATE SCHEMA "{schema}"')
    work = tmp_path_factory.mktemp("production")
    port = free_port()
    stack = Stack(gateway_port=port, rasa_ports=[free_port(), free_port()], actions_ports=[free_port(), free_port()],
                  tenants=tenants_for(port, work), log_dir=work / "logs", profile="production",
                  gateway_workers=2, redis_url=f"redis://{env['REDIS_HOST']}:{env['REDIS_PORT']}/2",
                  rasa_env={"POSTGRESQL_SCHEMA": schema}, backoff_initial=0.5)
    started = time.monotonic()
    stack.start(timeout=1200)
    print(f"\nproduction profile up in {time.monotonic() - started:.0f} s", file=sys.stderr)
    stack.pg = (conn, schema)  # type: ignore[attr-defined]
    try:
        yield stack
    finally:
        stack.stop()
        with conn.cursor() as cur:
            cur.execute(f'DROP SCHEMA "{schema}" CASCADE')
        conn.close()


def _home(stack: Stack, sender: str) -> int:
    """Index of the replica the gateway routes ``sender`` to (the relay's consistent hashing of the
    sender id Rasa sees — read from PostgreSQL, so a gateway-side namespace does not matter)."""
    conn, schema = stack.pg  # type: ignore[attr-defined]
    with conn.cursor() as cur:
        cur.execute(f'SELECT DISTINCT sender_id FROM "{schema}".events WHERE sender_id LIKE %s', (f"%{sender}%",))
        (rasa_sender,), = cur.fetchall()
    urls = [stack.rasa_url(i) for i in range(stack.replicas)]
    return urls.index(rendezvous_order(rasa_sender, [Replica(u, "") for u in urls])[0].rasa_url)


def test_stores_and_processes(prod: Stack) -> None:
    names = set(prod.supervisor.children)
    assert names == {"actions-0", "actions-1", "rasa-0", "rasa-1", "gateway-0", "gateway-1"}
    for i in range(2):
        env = prod.supervisor.children[f"rasa-{i}"].env
        assert env["ACTION_ENDPOINT_URL"].endswith(f":{prod.actions_ports[i]}/webhook")
    assert "--reuse-port" in prod.supervisor.children["gateway-1"].cmd


def test_killed_replica_fails_over_with_the_remembered_place(prod: Stack) -> None:
    senders = [str(uuid.uuid4()) for _ in range(8)]
    for sender in senders:
        status, body = chat(prod.base_url, sender, "Ich brauche einen neuen Personalausweis")
        assert status == 200 and "Personalausweis" in texts(body), body
        status, body = chat(prod.base_url, sender, "Ich wohne in Fellbach")
        assert status == 200 and "Fellbach" in texts(body), body
    homes = {s: _home(prod, s) for s in senders}
    assert set(homes.values()) == {0, 1}, homes  # both replicas serve conversations
    victim = prod.supervisor.children["rasa-0"]
    killed = time.monotonic()
    kill(victim.proc.pid)
    timings = []
    for sender in [s for s in senders if homes[s] == 0]:
        sent = time.monotonic()
        status, body = chat(prod.base_url, sender, "Was kostet das?")
        timings.append(time.monotonic() - sent)
        assert status == 200 and "Personalausweis" in texts(body), body  # answered by replica 1
        status, body = chat(prod.base_url, sender, "Wer ist zuständig?")
        assert status == 200 and "Fellbach" in texts(body) and "Stuttgart" not in texts(body), body
    first_answer = killed + timings[0]
    assert victim.proc.poll() is not None or prod.supervisor.restart_count("rasa-0") >= 1
    for sender in [s for s in senders if homes[s] == 1]:  # the survivor's own conversations are untouched
        status, body = chat(prod.base_url, sender, "Was kostet das?")
        assert status == 200 and "Personalausweis" in texts(body)
    print(f"\nfailover: first answer {first_answer - killed:.2f} s after SIGKILL of rasa-0; "
          f"{len(timings)} moved conversations, latency max {max(timings):.2f} s, "
          f"mean {sum(timings) / len(timings):.2f} s", file=sys.stderr)
