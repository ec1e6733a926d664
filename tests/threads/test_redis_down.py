"""Degrade, don't fall (issue 12, finding 11): Redis stops mid-run (a Redis of the test's own,
on another port) → logins work, a message is stored and acknowledged, new sockets connect, the
log says what is degraded; Redis comes back → everything resumes by itself and nothing is
lost (a listener catches up with `after_seq`).

Skipped, with the reason, when `redis-server` is not installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import free_port
from tests.factories import PASSWORD
from tests.threads.stress import Listener

pytestmark = [pytest.mark.live, pytest.mark.xdist_group("redis_down")]

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server")


def _start_redis(port: int) -> subprocess.Popen[bytes]:
    assert REDIS_SERVER is not None
    process = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import redis

    deadline = time.monotonic() + 10
    while True:
        try:
            redis.Redis(port=port, socket_connect_timeout=0.5).ping()
            return process
        except redis.RedisError:
            if time.monotonic() > deadline:
                process.kill()
                raise
            time.sleep(0.05)  # a starting server: nothing to wait on but its port


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def _wait_healthy(url: str, server: subprocess.Popen[bytes]) -> None:
    import requests

    deadline = time.monotonic() + 60
    while True:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode}")
        try:
            if requests.get(f"{url}/healthz", timeout=2).status_code in (200, 503):
                return
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.1)  # a starting server: nothing to wait on but its port


def _send(client: Any, thread_id: int, n: int) -> dict[str, Any]:
    payload = {"thread_id": thread_id, "body": f"message {n}", "client_id": f"redis-down-{n}"}
    return client.call("message:send", payload, timeout=15)


def test_redis_stops_mid_run_and_comes_back(tmp_path: Path) -> None:
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed: cannot stop a Redis of the test's own")
    import requests
    import socketio

    redis_port, port = free_port(), free_port()
    redis_process = _start_redis(redis_port)
    env = {
        **os.environ,
        "TERREAU_ENV": "development",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'redis-down.sqlite3'}",
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "SECRET_KEY": "redis-down-test-secret-key-0123456789abcdef",
        "SOCKETIO_ASYNC_MODE": "threading",
        "MESSAGE_RATE_LIMIT": "1000 per minute",
        "PORT": str(port),
        "MAIL_BACKEND": "console",
    }
    env.pop("RATELIMIT_STORAGE_URI", None)
    seeded = subprocess.run(  # migrated to the head, then seeded, in one process
        [sys.executable, "-m", "tests.threads.seed_live", "--upgrade", "1", "1"],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip
    data = json.loads(seeded.stdout.decode().strip().splitlines()[-1])
    log = tmp_path / "server.log"
    with log.open("wb") as log_file:
        server = subprocess.Popen(
            [sys.executable, "wsgi.py"], cwd=ROOT, env=env, stdout=log_file, stderr=log_file
        )
    url = f"http://127.0.0.1:{port}"
    thread_id = data["thread_id"]
    sender = socketio.Client(reconnection=False)
    listener = Listener(url, data["read_tokens"][0], thread_id, 3)
    try:
        _wait_healthy(url, server)
        sender.connect(
            url, auth={"token": data["send_tokens"][0]}, transports=["websocket"], wait_timeout=10
        )
        listener.start()
        assert _send(sender, thread_id, 1)["ok"]

        _stop(redis_process)  # Redis goes away mid-run
        login = requests.post(
            f"{url}/api/v1/tokens",
            json={"email": data["send_emails"][0], "password": PASSWORD},
            timeout=15,
        )
        assert login.status_code == 201, login.text  # logins work
        ack = _send(sender, thread_id, 2)
        assert ack["ok"], ack  # stored and acknowledged
        late = socketio.Client(reconnection=False)
        late.connect(
            url, auth={"token": login.json()["token"]}, transports=["websocket"], wait_timeout=10
        )
        late.disconnect()  # new sockets connect too

        redis_process = _start_redis(redis_port)  # Redis comes back on its own port
        assert _send(sender, thread_id, 3)["ok"]
        ack = listener.join(0)  # whatever a broadcast missed, the join returns
        assert ack["last_seq"] == 3 and listener.seqs == [1, 2, 3]
    finally:
        listener.stop()
        if sender.connected:
            sender.disconnect()
        server.terminate()
        server.wait(timeout=15)
        _stop(redis_process)
    text = log.read_text(errors="replace")
    assert "degraded:" in text  # the log says what works without Redis
