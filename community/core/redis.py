"""The shared Redis client, when `REDIS_URL` is set (None otherwise: one process, no Redis)."""

from __future__ import annotations

from collections.abc import Callable
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
        # Short timeouts: a Redis that does not answer must not hold a request (degrade, below).
        client = _CLIENTS[url] = redis.Redis.from_url(
            url, socket_connect_timeout=1, socket_timeout=2, health_check_interval=10
        )
    return client


_DOWN: set[str] = set()


def degraded(what: str, error: BaseException) -> None:
    """Say once in the log that `what` works without Redis for now (until `recovered`)."""
    if what not in _DOWN:
        _DOWN.add(what)
        current_app.logger.warning("degraded: %s without Redis (%s)", what, error)


def recovered(what: str) -> None:
    """Say in the log that `what` uses Redis again (after `degraded`)."""
    if what in _DOWN:
        _DOWN.discard(what)
        current_app.logger.warning("recovered: %s uses Redis again", what)


def call(what: str, fn: Callable[[Any], Any], default: Any = None) -> Any:
    """`fn(client)` when Redis is configured and answers; `default` when it is not configured
    or is down (logged once as degraded; back by itself when Redis answers again)."""
    client = redis_client()
    if client is None:
        return default
    try:
        result = fn(client)
    except redis.RedisError as error:
        degraded(what, error)
        return default
    recovered(what)
    return result
