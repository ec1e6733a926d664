from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask


@pytest.fixture
def request_context(app: Flask) -> Iterator[None]:
    """Services speak French: their messages need a request (the locale comes from it)."""
    with app.test_request_context():
        yield
