"""The OpenAPI document matches the routes, and the documentation page is rendered from it."""

from __future__ import annotations

import re

import pytest

from bot.gateway import Settings, create_app
from bot.gateway.api.spec import load_spec, render_docs

SPEC = load_spec()
OPERATIONS = [(path, method, op) for path, item in SPEC["paths"].items() for method, op in item.items()]
PUBLIC = {"/api/v1/openapi.json", "/api/v1/docs"}


def test_routes_and_document_agree():
    app = create_app(Settings())
    routes = {(r.resource.canonical, r.method.lower()) for r in app.router.routes()
              if r.resource is not None and r.resource.canonical.startswith("/api/v1/") and r.method != "HEAD"}
    routes.discard(("/api/v1/docs.css", "get"))  # the page's stylesheet, not an API operation
    assert routes == {(path, method) for path, method, _ in OPERATIONS}


@pytest.mark.parametrize("path,method,op", OPERATIONS, ids=[f"{m} {p}" for p, m, _ in OPERATIONS])
def test_every_operation_documents_its_errors(path, method, op):
    assert op.get("operationId") and op.get("summary")
    codes = set(op["responses"])
    if path in PUBLIC:
        assert op["security"] == [] and codes == {"200"}
        return
    assert {"200", "401", "403", "429"} <= codes
    if op.get("parameters") or op.get("requestBody"):
        assert {"400", "404"} & codes
    if any(p.get("$ref", "").endswith(("/q", "/placeQuery", "/place", "/requiredPlace")) for p in op.get("parameters", [])):
        assert "413" in codes
    if method == "post":
        assert {"413", "415", "502", "504"} <= codes


def test_error_schema_is_the_one_shape():
    error = SPEC["components"]["schemas"]["Error"]
    assert error["required"] == ["error"] and error["additionalProperties"] is False
    assert error["properties"]["error"]["required"] == ["code", "message"]
    assert SPEC["components"]["securitySchemes"]["apiKey"] == {
        "type": "apiKey", "in": "header", "name": "X-API-Key",
        "description": SPEC["components"]["securitySchemes"]["apiKey"]["description"]}
    assert "Retry-After" in SPEC["components"]["responses"]["TooManyRequests"]["headers"]


def test_docs_page_is_self_contained():
    page = render_docs(SPEC)
    for path, _method, op in OPERATIONS:
        assert f'id="{op["operationId"]}"' in page and path in page
    assert "<script" not in page.lower() and "style=" not in page
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page), "external resource"
    assert page.count("curl -sS") == len(OPERATIONS)


async def test_docs_served_with_csp(client):
    resp = await client.get("/api/v1/docs")
    assert resp.status == 200
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp
    page = await resp.text()
    assert '<link rel="stylesheet" href="docs.css">' in page
    spec = await client.get("/api/v1/openapi.json")
    assert await spec.json() == SPEC
