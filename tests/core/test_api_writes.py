"""Every API write but sign-up and login answers 401 to an anonymous caller, whatever it sends."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

from community.auth.guards import PUBLIC_WRITES

WRITES = ("POST", "PUT", "PATCH", "DELETE")


def _write_routes(app: Flask) -> list[tuple[str, str, str]]:
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1"):
            continue
        for method in sorted(set(rule.methods or ()) & set(WRITES)):
            url = re.sub(
                r"<(?:int:)?(\w+)>", lambda m: "1" if "int:" in m.group(0) else "x", rule.rule
            )
            routes.append((method, url, rule.endpoint))
    return routes


def test_the_api_has_writes_to_check(app: Flask) -> None:
    endpoints = {endpoint for _, _, endpoint in _write_routes(app)}
    assert len(endpoints) > 20 and endpoints >= PUBLIC_WRITES


@pytest.mark.parametrize("body", [{}, {"unexpected": "x" * 10_000}, None])
def test_anonymous_writes_are_refused_before_the_body_is_read(
    app: Flask, client: Any, body: Any
) -> None:
    for method, url, endpoint in _write_routes(app):
        response = client.open(url, method=method, json=body)
        if endpoint in PUBLIC_WRITES:
            assert response.status_code in {400, 422}, (method, url)
            continue
        assert response.status_code == 401, (method, url, response.status_code)
        assert response.json["code"] == "unauthenticated" and response.json["status"] == 401
