"""``make bench``: this assistant side by side with stock Rasa, in one run on this machine.

Configurations (each started, measured and stopped in turn, all on 127.0.0.1):
- ``stock``: Rasa's own starter bot (``rasa init --no-prompt``), REST channel, Rasa's defaults;
  built and trained once per Rasa version, cached under ``~/.cache/bw-buergerservice/``.
- ``embedded``: this assistant as citizens reach it: gateway -> Rasa -> action server, default profile
  (SQLite tracker store, in-memory lock store).
- ``production``: the same with the PostgreSQL tracker store and the Redis lock store (local services).

For each concurrency level, closed-loop simulated citizens (scripts/bench_load.py) each send a German
five-message conversation on their own sender id. Prints messages/s, p50/p95/p99 latency, errors,
empty replies and the peak RSS of every process; writes ``reports/bench.json`` with each
configuration's throughput ratio to ``stock``. Not a CI gate (shared machines are noisy): ``make test``
runs ``--smoke`` so the script cannot rot.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_load import RssSampler, gateway_sender, rasa_rest_sender, run_load  # noqa: E402

from bot.launcher.stack import LOOPBACK, QUIET_ENV, Stack  # noqa: E402


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def rasa_version() -> str:
    from importlib.metadata import version

    return version("rasa")


def stock_project() -> Path:
    """The ``rasa init`` project for this Rasa version, created and trained once (built in a
    temporary directory and moved into the cache only when complete)."""
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "bw-buergerservice"
    project = cache / f"rasa-init-{rasa_version()}"
    if not list((project / "models").glob("*.tar.gz")):
        cache.mkdir(parents=True, exist_ok=True)
        build = Path(tempfile.mkdtemp(prefix="rasa-init-", dir=cache))
        print(f"Building the stock reference in {project} (rasa init --no-prompt, trains once) ...", flush=True)
        started = time.monotonic()
        try:
            subprocess.run([sys.executable, "-m", "rasa", "init", "--no-prompt", "--init-dir", str(build)],
                           cwd=build, env={**os.environ, **QUIET_ENV}, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
            if not list((build / "models").glob("*.tar.gz")):
                raise RuntimeError("rasa init trained no model")
            shutil.rmtree(project, ignore_errors=True)
            build.rename(project)
        finally:
            shutil.rmtree(build, ignore_errors=True)
        print(f"  stock reference trained in {time.monotonic() - started:.0f} s", flush=True)
    return project


class StockRasa:
    """``rasa run`` of the starter bot, REST channel, nothing else changed."""

    def __init__(self, log_dir: Path) -> None:
        self.project = stock_project()
        self.port = free_port()
        self.log = open(log_dir / "stock-rasa.log", "wb")  # noqa: SIM115 - closed in stop()
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 900) -> str:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "rasa", "run", "--interface", LOOPBACK, "--port", str(self.port),
             "--model", str(self.project / "models")],
            cwd=self.project, env={**os.environ, **QUIET_ENV}, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True)
        base = f"http://{LOOPBACK}:{self.port}"
        deadline = time.monotonic() + timeout
        import urllib.request

        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("stock Rasa exited; see its log")
            try:
                with urllib.request.urlopen(base + "/", timeout=2):  # noqa: S310 - loopback
                    return base
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("stock Rasa did not answer")

    def pids(self) -> dict[str, int]:
        return {"rasa": self.proc.pid} if self.proc else {}

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, 15)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
        self.log.close()


def tenants_file(port: int, directory: Path) -> Path:
    data = yaml.safe_load((ROOT / "config" / "tenants.yml").read_text(encoding="utf-8"))
    for tenant in data["tenants"]:
        if tenant["id"] == "demo":
            tenant["origins"] = [f"http://{LOOPBACK}:{port}"]
    path = directory / f"tenants-{port}.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


#: Our configurations: (profile, Rasa replicas, gateway processes).
#: ``embedded`` is what ``make run`` starts; ``production`` what ``make run PROFILE=production`` starts;
#: ``embedded-2``: the default profile with two Rasa processes (both cores), routed by sender;
#: ``embedded-unpatched``: ``embedded`` with Rasa as shipped (``BOT_RASA_PATCHES=off``), the "before"
#: of bot/launcher/rasa_patches.py and bot/launcher/tracker_cache.py in the same run;
#: ``embedded-nocache``: ``embedded`` with Rasa's own SQL tracker store (``BOT_TRACKER_CACHE=off``),
#: the "before" of the tracker cache alone; ``embedded-trim``: ``embedded`` giving freed heap pages back
#: every 2 s (``BOT_MALLOC_TRIM_SECONDS=2``, bot/launcher/memory.py, off by default).
CONFIGS = {"embedded": ("dev", 1, 1), "embedded-unpatched": ("dev", 1, 1), "embedded-nocache": ("dev", 1, 1),
           "embedded-trim": ("dev", 1, 1), "embedded-2": ("dev", 2, 1),
           "production": ("production", 2, 2)}
DEFAULT_CONFIGS = "stock,embedded-unpatched,embedded,embedded-2,production"


class OurStack:
    """This assistant through the launcher's Stack, with its own tracker store for the run: a fresh
    SQLite file (dev profile) or a PostgreSQL database of its own, dropped afterwards (a database,
    not a schema: with ``POSTGRESQL_SCHEMA`` Rasa adds a query per session that production does not run)."""

    def __init__(self, log_dir: Path, name: str) -> None:
        profile, replicas, workers = CONFIGS[name]
        port = free_port()
        self.database: str | None = None
        rasa_env: dict[str, str] = {}
        if name.endswith("-unpatched"):  # as before any of our changes: Rasa as shipped, glibc as it is
            rasa_env.update({"BOT_RASA_PATCHES": "off", "BOT_MALLOC_TRIM_SECONDS": "off"})
        if name.endswith("-nocache"):
            rasa_env["BOT_TRACKER_CACHE"] = "off"
        if name.endswith("-trim"):
            rasa_env["BOT_MALLOC_TRIM_SECONDS"] = "2"
        redis_url = None
        if profile == "production":
            from bot.staff.trackers import production_env

            env = production_env(dict(os.environ))
            self.database = f"bench_{os.getpid()}_{int(time.time())}"
            self._pg(f'CREATE DATABASE "{self.database}"')
            rasa_env["DB_NAME"] = self.database
            redis_url = f"redis://{env['REDIS_HOST']}:{env['REDIS_PORT']}/2"
        self.stack = Stack(gateway_port=port, rasa_ports=[free_port() for _ in range(replicas)],
                           actions_ports=[free_port() for _ in range(replicas)], gateway_workers=workers,
                           tenants=tenants_file(port, log_dir), log_dir=log_dir / name, profile=profile,
                           rasa_env=rasa_env, redis_url=redis_url,
                           tracker_db=log_dir / f"{name}-tracker.db" if profile == "dev" else None)

    @staticmethod
    def _pg(sql: str) -> None:
        import psycopg2

        from bot.staff.trackers import production_env

        env = production_env(dict(os.environ))
        conn = psycopg2.connect(host=env["DB_HOST"], port=env["DB_PORT"], dbname=env["DB_NAME"],
                                user=env["DB_USER"], password=env["DB_PASSWORD"] or None, connect_timeout=5)
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                cur.execute(sql)
        finally:
            conn.close()

    def start(self) -> str:
        return self.stack.start(timeout=900)  # a busy shared machine loads TensorFlow slowly

    def pids(self) -> dict[str, int]:
        sup = self.stack.supervisor
        return {c.name: c.proc.pid for c in sup.children.values() if c.proc} if sup else {}

    def stop(self) -> None:
        try:
            self.stack.stop()
        finally:
            if self.database:
                self._pg(f'DROP DATABASE IF EXISTS "{self.database}"')


async def measure(name: str, runner, sender_factory, levels: list[int], seconds: float) -> dict:
    started = time.monotonic()
    check = name != "stock"
    try:
        base = runner.start()
        print(f"  {name:<10} up in {time.monotonic() - started:.0f} s", flush=True)
        send = sender_factory(base)
        await run_load(send, 1, min(3.0, seconds))  # warm-up: first messages load models and caches
        rows = []
        with RssSampler(runner.pids()) as sampler:
            for level in levels:
                result = (await run_load(send, level, seconds, check=check)).summary()
                rows.append(result)
                print(f"  {name:<10} {level:>3} concurrent: {result['msg_per_s']:>7} msg/s  p50 {result['p50_ms']} ms"
                      f"  p95 {result['p95_ms']} ms  p99 {result['p99_ms']} ms  errors {result['errors']}"
                      f"  empty {result['empty_replies']}" + (f"  wrong {result['wrong_replies']}" if check else ""),
                      flush=True)
                for message, reply in result["wrong_examples"]:
                    print(f"      wrong: {message!r} -> {reply!r}", flush=True)
            peak = sampler.result()
        load = [round(x, 2) for x in os.getloadavg()]
        print(f"  {name:<10} peak RSS (MB): {peak}; load average {load}", flush=True)
        return {"levels": rows, "peak_rss_mb": peak, "load_average_after": load}
    finally:
        runner.stop()


def ratios(results: dict) -> dict:
    stock = {row["concurrency"]: row["msg_per_s"] for row in results.get("stock", {}).get("levels", [])}
    out: dict[str, dict[str, float | None]] = {}
    for name, res in results.items():
        if name == "stock":
            continue
        out[name] = {str(r["concurrency"]): (round(r["msg_per_s"] / stock[r["concurrency"]], 2)
                                             if stock.get(r["concurrency"]) else None) for r in res["levels"]}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--configs", default=None,
                        help=f"comma-separated: stock, {', '.join(CONFIGS)} "
                             f"(default {DEFAULT_CONFIGS}; --smoke: embedded)")
    parser.add_argument("--levels", default="1,10,20,50")
    parser.add_argument("--seconds", type=float, default=20.0, help="measuring time per level")
    parser.add_argument("--smoke", action="store_true", help="1 and 5 concurrent, 3 s each (make test)")
    parser.add_argument("--out", type=Path, default=None,
                        help="default reports/bench.json (--smoke: reports/bench-smoke.json)")
    args = parser.parse_args(argv)
    args.out = args.out or ROOT / "reports" / ("bench-smoke.json" if args.smoke else "bench.json")
    levels = [1, 5] if args.smoke else [int(x) for x in args.levels.split(",")]
    seconds = 3.0 if args.smoke else args.seconds
    chosen = args.configs or ("embedded" if args.smoke else DEFAULT_CONFIGS)
    configs = [c.strip() for c in chosen.split(",") if c.strip()]
    log_dir = Path(tempfile.mkdtemp(prefix="bench-"))
    print(f"Benchmark: {', '.join(configs)}; levels {levels}; {seconds:.0f} s each; logs in {log_dir}", flush=True)
    results: dict[str, dict] = {}
    for name in configs:
        if name == "stock":
            runner, factory = StockRasa(log_dir), rasa_rest_sender
        elif name in CONFIGS:
            runner, factory = OurStack(log_dir, name), gateway_sender
        else:
            parser.error(f"unknown configuration {name}")
        results[name] = asyncio.run(measure(name, runner, factory, levels, seconds))
    report = {"date": time.strftime("%Y-%m-%dT%H:%M:%S"), "rasa": rasa_version(), "cores": os.cpu_count(),
              "smoke": args.smoke, "seconds_per_level": seconds, "results": results,
              "throughput_ratio_to_stock": ratios(results)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print("Throughput ratio to stock:", json.dumps(report["throughput_ratio_to_stock"]))
    print(f"Written: {args.out}")
    # The starter bot has no answer for most German messages (empty replies are its normal behaviour);
    # only errors and silence count against it.
    bad = [(n, r["concurrency"]) for n, res in results.items() for r in res["levels"]
           if r["errors"] or not r["msg_per_s"]
           or (n != "stock" and (r["empty_replies"] or r["wrong_replies"]))]
    if bad and args.smoke:
        print(f"FAILED: errors, empty replies or no answers in {bad}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
