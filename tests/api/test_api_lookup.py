"""GET /api/v1/places, /services, /services/{id}, /services/{id}/office against the real domain core."""

from __future__ import annotations

import pytest
from api_helpers import error_of

from bot.cli import lookup_result, place_result


async def get(client, path: str, auth: dict[str, str], **params):
    return await client.get(f"/api/v1/{path}", params=params, headers=auth)


# -- places ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("q", ["Fellbach", "70734", "08111000", "ich wohne in Ulm", "Hausen", "München"])
async def test_places_same_shape_as_cli(client, auth, core, q):
    resp = await get(client, "places", auth, q=q)
    assert resp.status == 200, await resp.text()
    assert resp.headers["Content-Type"] == "application/json; charset=utf-8"
    assert await resp.json() == place_result(core, q)


async def test_places_limit_and_unknown_params(client, auth):
    data = await (await get(client, "places", auth, q="Hausen", limit="2", foo="bar")).json()
    assert len(data["candidates"]) == 2 and data["in_bw"] is True
    assert len((await (await get(client, "places", auth, q="Hausen")).json())["candidates"]) == 4


async def test_place_not_found(client, auth):
    err = await error_of(await get(client, "places", auth, q="Atlantis"), 404)
    assert err["code"] == "place_not_found" and "Atlantis" in err["message"]


@pytest.mark.parametrize("params,status,code", [
    ({}, 400, "missing_query"),
    ({"q": ""}, 400, "empty_query"),
    ({"q": "   "}, 400, "empty_query"),
    ({"q": "x" * 201}, 413, "query_too_long"),
    ({"q": "Ulm", "limit": "0"}, 400, "invalid_limit"),
    ({"q": "Ulm", "limit": "21"}, 400, "invalid_limit"),
    ({"q": "Ulm", "limit": "abc"}, 400, "invalid_limit"),
    ({"q": "Ulm", "limit": "1_0"}, 400, "invalid_limit"),
    ({"q": "Ulm", "limit": " 5"}, 400, "invalid_limit"),
    ({"q": "Ulm", "limit": "-1"}, 400, "invalid_limit"),
])
async def test_places_bad_input(client, auth, params, status, code):
    assert (await error_of(await get(client, "places", auth, **params), status))["code"] == code


async def test_query_of_exactly_200_chars_is_fine(client, auth):
    resp = await get(client, "places", auth, q="Ulm " + "x" * 196)
    assert resp.status in (200, 404)


# -- services -------------------------------------------------------------------------------------
@pytest.mark.parametrize("q,place", [("Ich brauche einen neuen Perso", "70734"), ("Hund anmelden in Fellbach", None),
                                     ("Personalausweis", "Altdorf"), ("Personalausweis", "München"),
                                     ("blablub quatsch", None)])
async def test_services_same_shape_as_cli(client, auth, core, q, place):
    params = {"q": q, **({"place": place} if place else {})}
    resp = await get(client, "services", auth, **params)
    assert resp.status == 200, await resp.text()
    assert await resp.json() == lookup_result(core, q, place)


async def test_services_office_when_place_unique(client, auth):
    data = await (await get(client, "services", auth, q="Personalausweis", place="70734")).json()
    assert data["services"][0]["id"] == "personalausweis"
    assert data["office"]["name"].startswith("Stadt Fellbach")
    assert "ags=08119020" in data["office"]["url"]
    ambiguous = await (await get(client, "services", auth, q="Personalausweis", place="Altdorf")).json()
    assert len(ambiguous["place"]["candidates"]) == 2 and ambiguous["office"] is None


async def test_services_limit(client, auth):
    data = await (await get(client, "services", auth, q="Ausweis", limit="1")).json()
    assert len(data["services"]) == 1


@pytest.mark.parametrize("params,status,code", [
    ({"place": "Fellbach"}, 400, "missing_query"),
    ({"q": "Perso", "place": ""}, 400, "empty_place"),
    ({"q": "Perso", "place": "Atlantis"}, 404, "place_not_found"),
    ({"q": "Perso", "place": "y" * 201}, 413, "query_too_long"),
    ({"q": "P" * 5000}, 413, "query_too_long"),
    ({"q": "Perso", "limit": "99"}, 400, "invalid_limit"),
])
async def test_services_bad_input(client, auth, params, status, code):
    assert (await error_of(await get(client, "services", auth, **params), status))["code"] == code


# -- one service ----------------------------------------------------------------------------------
async def test_service_full_record(client, auth, core):
    resp = await get(client, "services/personalausweis", auth)
    assert resp.status == 200
    data = await resp.json()
    assert data == core.catalogue.get("personalausweis").to_dict()
    assert data["source"] and data["stand"] == "2026-11-21" and data["curated"] is True


async def test_long_tail_service(client, auth):
    data = await (await get(client, "services/sbw-639", auth)).json()
    assert data["curated"] is False and data["servicebw_id"] == "639" and data["source"]


@pytest.mark.parametrize("sid", ["nope", "PERSONALAUSWEIS", "x" * 65, "%C3%A4", "personalausweis.json"])
async def test_service_not_found(client, auth, sid):
    assert (await error_of(await get(client, f"services/{sid}", auth), 404))["code"] == "service_not_found"


# -- office ---------------------------------------------------------------------------------------
async def test_office_unique_place(client, auth, core):
    resp = await get(client, "services/hund_anmelden/office", auth, place="70734")
    assert resp.status == 200
    data = await resp.json()
    assert data["service"] == {"id": "hund_anmelden", "name": "Hund anmelden (Hundesteuer)", "servicebw_id": "130"}
    assert data["place"] == place_result(core, "70734")
    expected = core.office(core.catalogue.get("hund_anmelden"), core.place("70734")).to_dict()
    assert data["office"] == expected and data["office"]["legal_basis"]


@pytest.mark.parametrize("place", ["Altdorf", "München"])
async def test_office_null_when_ambiguous_or_outside(client, auth, place):
    data = await (await get(client, "services/hund_anmelden/office", auth, place=place)).json()
    assert data["office"] is None and data["place"]["in_bw"] is (place == "Altdorf")


@pytest.mark.parametrize("sid,params,status,code", [
    ("hund_anmelden", {}, 400, "missing_place"),
    ("hund_anmelden", {"place": " "}, 400, "empty_place"),
    ("hund_anmelden", {"place": "z" * 201}, 413, "query_too_long"),
    ("nope", {"place": "Ulm"}, 404, "service_not_found"),
    ("hund_anmelden", {"place": "Atlantis"}, 404, "place_not_found"),
])
async def test_office_errors(client, auth, sid, params, status, code):
    resp = await get(client, f"services/{sid}/office", auth, **params)
    assert (await error_of(resp, status))["code"] == code


async def test_data_answers_are_cacheable_for_the_client_only(client, auth):
    resp = await get(client, "services/personalausweis", auth)
    assert resp.headers["Cache-Control"] == "private, max-age=300"
    assert resp.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


async def test_service_record_with_leichte_sprache(client, auth, core):
    resp = await client.get("/api/v1/services/personalausweis?lang=de-LS", headers=auth)
    assert resp.status == 200
    record = await resp.json()
    service = core.catalogue.get("personalausweis")
    assert record["texts"] == core.texts(service, "de-LS").to_dict()
    assert record["texts"]["official_name"] == record["name"] == "Personalausweis beantragen"
    assert record["texts"]["translated"] and record["texts"]["name"] != record["name"]
    resp = await client.get("/api/v1/services/personalausweis", headers=auth)
    assert "texts" not in await resp.json()  # only when asked


async def test_search_with_leichte_sprache_adds_texts_to_every_hit(client, auth):
    resp = await client.get("/api/v1/services?q=neuer%20Reisepass&lang=de-LS&limit=3", headers=auth)
    assert resp.status == 200
    hits = (await resp.json())["services"]
    assert hits and all(h["texts"]["official_name"] == h["name"] for h in hits)
    assert hits[0]["id"] == "reisepass" and hits[0]["texts"]["translated"]


@pytest.mark.parametrize("path", ["/api/v1/services/personalausweis?lang=fr", "/api/v1/services?q=Pass&lang=leicht"])
async def test_unknown_lang_in_lookup_is_a_german_400(client, auth, path):
    resp = await client.get(path, headers=auth)
    assert resp.status == 400
    assert (await resp.json())["error"]["code"] == "invalid_lang"
