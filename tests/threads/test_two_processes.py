"""Two real gunicorn processes (gevent) sharing PostgreSQL and Redis, as `make serve` runs them.

Skipped, with the reason, when PostgreSQL or Redis is not reachable.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import free_port, postgres_admin_url
from tests.threads.stress import Listener, run_senders

pytestmark = pytest.mark.live

ROOT = Path(__file__).resolve().parents[2]
# The suite's PostgreSQL database; the servers work in a schema of their own inside it.
PG_SERVER = os.environ.get("TERREAU_LIVE_PG") or postgres_admin_url()
REDIS_URL = os.environ.get("TERREAU_LIVE_REDIS", "redis://127.0.0.1:6379/5")
SCHEMA = "live_two_processes"
DATABASE_URL = (
    PG_SERVER.replace("postgresql://", "postgresql+psycopg://")
    + f"?options=-csearch_path%3D{SCHEMA}"
)


def _missing() -> str | None:
    try:
        import psycopg

        psycopg.connect(PG_SERVER, connect_timeout=2).close()
    except Exception as error:
        return f"PostgreSQL not reachable at {PG_SERVER}: {error}"
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as error:
        return f"Redis not reachable at {REDIS_URL}: {error}"
    return None


def _wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server on {port} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)  # polling a port that is not open yet: there is no event to wait on
    raise RuntimeError(f"server on {port} did not start")


@pytest.fixture
def two_servers() -> Iterator[tuple[list[str], dict[str, Any]]]:
    reason = _missing()
    if reason:
        pytest.skip(reason)
    import psycopg
    import redis

    with psycopg.connect(PG_SERVER, autocommit=True) as connection:
        connection.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        connection.execute(f"CREATE SCHEMA {SCHEMA}")
    redis.Redis.from_url(REDIS_URL).flushdb()
    env = {**os.environ, "DATABASE_URL": DATABASE_URL, "TERREAU_ENV": "development"}
    env.pop("REDIS_URL", None)
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    seeded = subprocess.run(
        [sys.executable, "-m", "tests.threads.seed_live", "20", "4"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    data = json.loads(seeded.stdout.decode().strip().splitlines()[-1])
    ports = [free_port(), free_port()]
    server_env = {
        **env,
        "TERREAU_ENV": "production",
        "SECRET_KEY": "two-processes-test-secret-key-0123456789",
        "REDIS_URL": REDIS_URL,
        "MESSAGE_RATE_LIMIT": "1000 per minute",
        "ALLOWED_ORIGINS": ",".join(f"http://127.0.0.1:{p}" for p in ports),
    }
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    processes = [
        subprocess.Popen(
            [
                gunicorn,
                "--worker-class",
                "gevent",
                "--workers",
                "1",
                "--no-control-socket",
                "--bind",
                f"127.0.0.1:{port}",
                "gunicorn_app:app",
            ],
            cwd=ROOT,
            env=server_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        for port, process in zip(ports, processes, strict=True):
            _wait_for_port(port, process)
        yield [f"http://127.0.0.1:{port}" for port in ports], data
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=15)
        with psycopg.connect(PG_SERVER, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")


def test_two_processes_share_seq_and_broadcasts(
    two_servers: tuple[list[str], dict[str, Any]],
) -> None:
    import psycopg

    urls, data = two_servers
    total = 20 * 50
    listeners = [
        Listener(urls[i % 2], token, data["thread_id"], total)
        for i, token in enumerate(data["read_tokens"])
    ]
    try:
        for listener in listeners:
            listener.start()
        errors = run_senders(urls, data["send_tokens"], data["thread_id"], 50)
        assert errors == []
        for listener in listeners:
            assert listener.done.wait(timeout=60), (
                f"{listener.url} got {len(listener.seqs)} of {total}"
            )
            assert listener.seqs == list(
                range(1, total + 1)
            )  # every message, in seq order, on both servers
        # A late listener on either server catches up by seq, paged.
        late = Listener(urls[1], data["read_tokens"][0], data["thread_id"], total)
        ack = late.start()
        assert ack["last_seq"] == total and late.seqs == list(range(1, total + 1))
        late.stop()
    finally:
        for listener in listeners:
            listener.stop()
    with psycopg.connect(PG_SERVER) as connection:
        connection.execute(f"SET search_path TO {SCHEMA}")
        seqs = [row[0] for row in connection.execute("SELECT seq FROM messages ORDER BY seq")]
    assert seqs == list(range(1, total + 1))
