"""What `/healthz` tells a proxy or a supervisor: does this process reach its database and Redis?

The database is required (503 without it: the proxy stops sending traffic here). Redis is not:
without it the process still serves (rate limits fall back to memory, messages are stored and
caught up by `seq`), so it answers 200 with ``"status": "degraded"``.
"""

from __future__ import annotations

from typing import Any

import redis
from flask import current_app
from sqlalchemy import text

from community.extensions import db


def _database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        db.session.rollback()
        current_app.logger.exception("health check: the database does not answer")
        return "down"
    return "ok"


def _redis() -> str:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return "unused"
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
        client.close()
    except Exception:
        current_app.logger.warning("health check: Redis does not answer at its REDIS_URL")
        return "down"
    return "ok"


def health() -> tuple[dict[str, Any], int]:
    """The checks and the HTTP status a proxy reads (200 serving, 503 not)."""
    checks = {"database": _database(), "redis": _redis()}
    if checks["database"] != "ok":
        return {"status": "down", **checks}, 503
    status = "degraded" if checks["redis"] == "down" else "ok"
    return {"status": status, **checks}, 200
