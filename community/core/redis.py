"""The shared Redis client, when `REDIS_URL` is set (None otherwise: one process, no Redis)."""

from __future__ import annotations

from typing import Any

import redis
from flask import current_app

_CLIENTS: dict[str, Any] = {}


def redis_client() -> Any:
    """One client per URL, built on first use; None when the app has no `REDIS_URL`."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    client = _CLIENTS.get(url)
    if client is None:
        client = _CLIENTS[url] = redis.Redis.from_url(url)
    return client
