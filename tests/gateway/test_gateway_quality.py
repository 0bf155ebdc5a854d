"""The public /qualitaet page: figures of the last evaluation, or a plain "noch keine Auswertung"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.gateway import Settings, create_app
from bot.gateway.quality import REPORTS_KEY


@pytest.fixture
async def quality_client(settings: Settings, tmp_path: Path):
    app = create_app(settings)
    reports = tmp_path / "reports"
    reports.mkdir()
    app[REPORTS_KEY] = reports
    async with TestClient(TestServer(app)) as client:
        yield client, reports


async def test_without_reports_says_there_is_no_evaluation(quality_client):
    client, _reports = quality_client
    resp = await client.get("/qualitaet")
    assert resp.status == 200 and resp.content_type == "text/html"
    page = await resp.text()
    assert '<html lang="de">' in page and "noch keine Auswertung" in page and "<table" not in page
    assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"]
    assert resp.headers["X-Frame-Options"] == "DENY" and resp.headers["X-Content-Type-Options"] == "nosniff"


async def test_figures_of_the_last_evaluation(quality_client):
    client, reports = quality_client
    (reports / "eval").mkdir()
    (reports / "eval" / "metrics.json").write_text(json.dumps({
        "created": "01.12.2026 21:40", "model": "20261201-213819-gentle-crest.tar.gz", "data_stand": "2026-11-21",
        "summary": {"intent_weighted_f1": 0.9234, "entity_f1": 0.81, "service_top1": 0.83, "service_top3": 0.915,
                    "examples": 520}}), encoding="utf-8")
    (reports / "conversation_suite.json").write_text(json.dumps({
        "created": "2026-12-01T22:10:00+00:00", "model": "<script>x</script>", "turns": 432, "turns_passed": 400,
        "turn_accuracy": 0.9259, "conversations": 175, "conversations_passed": 140, "conversation_accuracy": 0.8}),
        encoding="utf-8")
    page = await (await client.get("/qualitaet")).text()
    assert "0,923" in page and "83,0 %" in page and "91,5 %" in page
    assert "92,6 %" in page and "400 von 432" in page and "80,0 %" in page
    assert "01.12.2026" in page and "Datenstand der Leistungen 21.11.2026" in page
    assert "<script>x" not in page and "&lt;script&gt;" in page
    assert "noch keine Auswertung" not in page
    assert '<th scope="col">Kennzahl</th>' in page and "<caption>" in page


async def test_broken_report_file_is_ignored(quality_client):
    client, reports = quality_client
    (reports / "conversation_suite.json").write_text("{kaputt", encoding="utf-8")
    resp = await client.get("/qualitaet")
    assert resp.status == 200 and "noch keine Auswertung" in await resp.text()
