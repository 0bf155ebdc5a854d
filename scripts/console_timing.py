"""Time the staff console's dashboard on a seeded tracker store (default 100,000 conversations).

Seeds ``build/console_timing/tracker.db`` (scripts/seed_trackers.py; ``--reuse`` keeps an existing
one), builds the statistics cache once (timed), then requests the real dashboard page through the
real gateway app (in-process HTTP server, logged-in Landesredaktion) for every period, cold
(in-memory cache emptied) and warm, the review queue likewise, and after 500 new conversations
(incremental refresh).
Prints the figures and writes them to ``reports/console_timing.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

PASSWORD = "Messung-Konsole-2026"


async def measure(store: Path, repeat: int, tenants: list) -> dict:
    from aiohttp.test_utils import TestClient, TestServer

    from bot.console.accounts import AccountStore
    from bot.console.state import STATS_KEY
    from bot.console.tenancy import ags_map
    from bot.gateway import Settings, create_app
    from bot.gateway.chat import TENANTS_KEY

    tmp = Path(tempfile.mkdtemp(prefix="console_timing_"))
    os.environ.update({"BOT_STAFF_USERS": str(tmp / "users.yml"), "BOT_STAFF_STATE": str(tmp / "state"),
                       "BOT_TRACKER_STORE": f"sqlite:///{store}", "BOT_STAFF_INSECURE_COOKIE": "1"})
    AccountStore(tmp / "users.yml").add("messung", "landesredaktion", None, PASSWORD)
    app = create_app(Settings(rasa_url="http://127.0.0.1:9"))
    result: dict = {}
    async with TestClient(TestServer(app)) as client:
        import re

        page = await client.get("/staff/login")
        token = re.search(r'name="csrf" value="([^"]+)"', await page.text()).group(1)
        await client.post("/staff/login", data={"name": "messung", "password": PASSWORD, "csrf": token},
                          allow_redirects=False)
        refresher = app[STATS_KEY]
        registry = app[TENANTS_KEY].tenants
        started = time.perf_counter()
        build = await asyncio.get_running_loop().run_in_executor(
            None, refresher.stats.refresh, ags_map(registry), {t.id for t in registry}, True)
        result["initial_aggregation_s"] = round(time.perf_counter() - started, 2)
        result["initial_aggregation_conversations"] = build["conversations"]
        refresher.ready = True
        pages = {}
        for tenant in ("alle", registry[0].id):
            for period in ("tag", "woche", "monat"):
                cold, warm = [], []
                for _ in range(repeat):
                    refresher.stats._cache.clear()
                    t = time.perf_counter()
                    resp = await client.get(f"/staff/?mandant={tenant}&zeitraum={period}")
                    body = await resp.text()
                    cold.append(time.perf_counter() - t)
                    assert resp.status == 200 and 'data-figure="conversations"' in body, body[:300]
                    t = time.perf_counter()
                    await (await client.get(f"/staff/?mandant={tenant}&zeitraum={period}")).text()
                    warm.append(time.perf_counter() - t)
                figures = await (await client.get(f"/staff/api/stats?mandant={tenant}&zeitraum={period}")).json()
                pages[f"{tenant}/{period}"] = {
                    "conversations": figures["conversations"], "messages": figures["messages"],
                    "cold_ms_median": round(statistics.median(cold) * 1000, 1),
                    "cold_ms_max": round(max(cold) * 1000, 1),
                    "warm_ms_median": round(statistics.median(warm) * 1000, 1)}
        result["pages"] = pages
        from bot.console import views_review

        review = {}
        for tenant in ("alle", registry[0].id):  # the review queue reads the store itself (cached 60 s)
            for period in ("woche", "monat"):
                cold, warm = [], []
                for _ in range(max(1, repeat // 2)):
                    views_review._cache.clear()
                    t = time.perf_counter()
                    resp = await client.get(f"/staff/review?mandant={tenant}&zeitraum={period}")
                    body = await resp.text()
                    cold.append(time.perf_counter() - t)
                    assert resp.status == 200 and "Gruppe" in body, body[:300]
                    t = time.perf_counter()
                    await (await client.get(f"/staff/review?mandant={tenant}&zeitraum={period}")).text()
                    warm.append(time.perf_counter() - t)
                review[f"{tenant}/{period}"] = {"cold_ms_median": round(statistics.median(cold) * 1000, 1),
                                                "warm_ms_median": round(statistics.median(warm) * 1000, 1)}
        result["review_pages"] = review
        from seed_trackers import seed

        seed(f"sqlite:///{store}", 500, tenants, days=1, seed_value=99)
        t = time.perf_counter()
        inc = await asyncio.get_running_loop().run_in_executor(
            None, refresher.stats.refresh, ags_map(registry), {t.id for t in registry}, True)
        result["incremental_refresh_s"] = round(time.perf_counter() - t, 2)
        result["incremental_refresh_conversations"] = inc["conversations"]
    return result


def main(argv: list[str] | None = None) -> int:
    from seed_trackers import seed, tenants_ags

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--conversations", type=int, default=100_000)
    p.add_argument("--store", type=Path, default=ROOT / "build" / "console_timing" / "tracker.db")
    p.add_argument("--reuse", action="store_true", help="ein vorhandenes Seed nicht neu erzeugen")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--out", type=Path, default=ROOT / "reports" / "console_timing.json")
    args = p.parse_args(argv)
    tenants = tenants_ags(ROOT / "config" / "tenants.yml")
    report: dict = {"conversations_seeded": args.conversations, "store": "SQLite"}
    if not (args.reuse and args.store.exists()):
        args.store.unlink(missing_ok=True)
        report["seed"] = seed(f"sqlite:///{args.store}", args.conversations, tenants)
        print(f"Seed: {report['seed']}")
    report.update(asyncio.run(measure(args.store, args.repeat, tenants)))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"Statistik erstmals aufgebaut: {report['initial_aggregation_conversations']} Gespräche in "
          f"{report['initial_aggregation_s']} s; danach +500 Gespräche in {report['incremental_refresh_s']} s")
    for key, v in report["pages"].items():
        print(f"{key:<14} {v['conversations']:>7} Gespräche  Seite kalt {v['cold_ms_median']:>7} ms "
              f"(max {v['cold_ms_max']})  warm {v['warm_ms_median']:>6} ms")
    for key, v in report["review_pages"].items():
        print(f"Prüfliste {key:<14} kalt {v['cold_ms_median']:>8} ms  warm {v['warm_ms_median']:>6} ms")
    print(f"-> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
