"""`/healthz`: what a proxy reads to keep or drop this process."""

from __future__ import annotations

from tests.conftest import free_port


def test_healthy_process(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "redis": "unused"}
    assert "Set-Cookie" not in response.headers


def test_redis_down_is_degraded_but_serving(app, client):
    app.config["REDIS_URL"] = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    try:
        response = client.get("/healthz")
    finally:
        app.config["REDIS_URL"] = None
    assert response.status_code == 200
    assert response.get_json()["status"] == "degraded"
    assert response.get_json()["redis"] == "down"


def test_database_down_answers_503(app, client, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from community.core import health

    def refuse(*_args, **_kwargs):
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))

    monkeypatch.setattr(health.db.session, "execute", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "down", "database": "down", "redis": "unused"}
