"""Fixtures of the solidarity tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask, g

from tests.conftest import TerreauClient


class FreshClient(TerreauClient):
    """The test client, forgetting the previous request's `g` (the login it cached).

    Each test runs inside one application context, which every request reuses: without
    this, the member loaded by one request would answer for the next one.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        for name in list(vars(g)):
            delattr(g, name)
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app: Flask) -> FreshClient:
    app.test_client_class = FreshClient
    return app.test_client()  # type: ignore[return-value]


@pytest.fixture(autouse=True)
def _request_context(app: Flask) -> Iterator[None]:
    """Services translate their refusals; the locale is read from a request."""
    with app.test_request_context():
        yield
