"""Tenant file validation, lazy imports and app construction."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from gateway_helpers import FakeRegister

from bot.gateway import Settings, create_app
from bot.gateway.logs import mask_ips
from bot.gateway.relay import RELAY_KEY, normalize_messages
from bot.gateway.tenants import TenantConfigError, load_tenants, normalize_origin, parse_tenants

ROOT = Path(__file__).resolve().parents[2]


def tenant(**overrides):
    base = {"id": "t1", "title": "Stadt Fellbach", "origins": ["https://www.fellbach.de"], "ags": ["08119020"]}
    return {"tenants": [{**base, **overrides}]}


def test_project_tenant_file_is_valid():
    registry = load_tenants(ROOT / "config" / "tenants.yml", FakeRegister())
    demo = registry.for_origin("http://localhost:8080")
    assert demo is not None and demo is registry.for_origin("http://127.0.0.1:8080")
    for ags in ("08119020", "08111000", "08115001", "08421000", "08311000"):
        assert demo.may_claim(ags)
    assert demo.title_for("08119020") == "Stadt Fellbach"
    assert registry.for_origin("https://evil.example") is None


@pytest.mark.parametrize("overrides,fragment", [
    ({"ags": ["8119020"]}, "ungültiger AGS"),
    ({"ags": ["09162000"]}, "ungültiger AGS"),
    ({"ags": ["08999999"]}, "keine Gemeinde"),
    ({"ags": []}, "nicht-leere"),
    ({"origins": ["fellbach.de"]}, "ungültiger Origin"),
    ({"origins": ["https://www.fellbach.de/pfad"]}, "ungültiger Origin"),
    ({"id": "Bad Id"}, "Mandanten-ID"),
    ({"title": ""}, "title"),
])
def test_invalid_tenant_config(overrides, fragment):
    with pytest.raises(TenantConfigError, match=fragment):
        parse_tenants(tenant(**overrides), FakeRegister())


def test_duplicate_origin_refused():
    data = tenant()
    data["tenants"].append({**data["tenants"][0], "id": "t2"})
    with pytest.raises(TenantConfigError, match="mehreren"):
        parse_tenants(data, FakeRegister())


def test_without_register_only_format_is_checked():
    registry = parse_tenants(tenant(ags=["08999999"]), None)
    assert registry.tenants[0].may_claim("08999999")


def test_origin_normalization():
    assert normalize_origin("HTTPS://WWW.Fellbach.de:443") == "https://www.fellbach.de"
    assert normalize_origin("http://localhost:8080/") == "http://localhost:8080"
    assert normalize_origin("null") is None
    assert normalize_origin("javascript:alert(1)") is None


def test_normalize_messages_skips_unrenderable():
    out = normalize_messages([{"recipient_id": "x", "image": "https://x"},
                              {"recipient_id": "x", "text": "Hallo", "buttons": [{"title": "A"}]},
                              "junk"])
    assert [m["text"] for m in out] == ["Hallo"] and out[0]["buttons"] == []
    with pytest.raises(ValueError):
        normalize_messages({"not": "a list"})


def test_mask_ips():
    assert mask_ips("from 203.0.113.7 and 2001:db8::1 via 127.0.0.1") == "from <ip> and <ip> via 127.0.0.1"
    assert mask_ips("ags=08119020 ms=12") == "ags=08119020 ms=12"


def test_import_is_cheap_and_creates_no_client():
    code = ("import sys, bot.gateway, bot.gateway.__main__; "
            "assert 'bot.core' not in sys.modules, 'bot.core imported eagerly'; print('ok')")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    app = create_app(Settings(register=FakeRegister()))
    assert app[RELAY_KEY]._session is None


async def test_bad_tenant_file_fails_startup(tmp_path):
    from aiohttp.test_utils import TestServer

    bad = tmp_path / "tenants.yml"
    bad.write_text("tenants: [{id: x, title: X, origins: ['https://x.de'], ags: ['123']}]", encoding="utf-8")
    server = TestServer(create_app(Settings(tenants_path=bad, register=FakeRegister())))
    with pytest.raises(TenantConfigError):
        await server.start_server()
    await server.close()


def test_cli_help():
    out = subprocess.run([sys.executable, "-m", "bot.gateway", "--help"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0
    for flag in ("--host", "--port", "--rasa-url", "--tenants"):
        assert flag in out.stdout
