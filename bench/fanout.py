"""Fan-out benchmark: N clients in one room, one sender; delivery latency p50/p99 and messages/s.

Measures Terreau (gunicorn + gevent worker, PostgreSQL, every message stored first) beside a bare
python-socketio broadcast server with no database, in the same run:

    .venv/bin/python bench/fanout.py            # N = 100 and 500, 30 messages each
    .venv/bin/python bench/fanout.py --clients 100 --messages 50

Not part of the test suite. Clients and servers share the machine: read the figures as relative.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import socketio

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
# A PostgreSQL database the bench may create a schema in (BENCH_PG to change).
PG_SERVER = os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test_issue5")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(port: int, process: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise SystemExit(f"server on {port} exited")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"server on {port} did not start")


def start(target: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [
            GUNICORN,
            "--worker-class",
            "gevent",
            "--workers",
            "1",
            "--no-control-socket",
            "--bind",
            f"127.0.0.1:{port}",
            target,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for(port, process)
    return process


def prepare_terreau(clients: int) -> tuple[dict[str, str], dict[str, object]]:
    """A fresh SQLite database with a thread, a sender and `clients` readers."""
    import psycopg

    with psycopg.connect(PG_SERVER, autocommit=True) as connection:
        connection.execute("DROP SCHEMA IF EXISTS bench_fanout CASCADE")
        connection.execute("CREATE SCHEMA bench_fanout")
    url = (
        PG_SERVER.replace("postgresql://", "postgresql+psycopg://")
        + "?options=-csearch_path%3Dbench_fanout"
    )
    env = {**os.environ, "DATABASE_URL": url, "TERREAU_ENV": "development"}
    env.pop("REDIS_URL", None)
    subprocess.run(
        [PYTHON, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    out = subprocess.run(
        [PYTHON, "-m", "tests.threads.seed_live", "1", str(clients)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    data = json.loads(out.stdout.decode().strip().splitlines()[-1])
    server_env = {
        **env,
        "TERREAU_ENV": "production",
        "SECRET_KEY": "bench-secret-key-0123456789-0123456789",
        "MESSAGE_RATE_LIMIT": "100000 per minute",
        "SESSION_COOKIE_SECURE": "false",
    }
    return server_env, data


def measure(
    url: str, tokens: list[str | None], send_token: str | None, thread_id: int, messages: int
) -> dict[str, float]:
    """Connect the readers, send `messages` one after the other, time the deliveries."""
    latencies: list[float] = []
    lock = threading.Lock()
    expected = len(tokens) * messages
    done = threading.Event()

    def on_new(message: dict[str, object]) -> None:
        sent_ns = int(str(message["client_id"]).split("-")[0])
        with lock:
            latencies.append((time.time_ns() - sent_ns) / 1e6)
            if len(latencies) >= expected:
                done.set()

    def connect(token: str | None) -> socketio.Client:
        client = socketio.Client(reconnection=False)
        client.on("message:new", on_new)
        client.connect(
            url, auth={"token": token} if token else None, transports=["websocket"], wait_timeout=30
        )
        return client

    with ThreadPoolExecutor(max_workers=20) as pool:
        readers = list(pool.map(connect, tokens))
        acks = list(
            pool.map(lambda c: c.call("thread:join", {"thread_id": thread_id}, timeout=60), readers)
        )
    assert all(ack["ok"] for ack in acks)
    sender = socketio.Client(reconnection=False)
    sender.connect(
        url,
        auth={"token": send_token} if send_token else None,
        transports=["websocket"],
        wait_timeout=30,
    )
    started = time.perf_counter()
    for n in range(messages):
        ack = sender.call(
            "message:send",
            {"thread_id": thread_id, "body": f"bench {n}", "client_id": f"{time.time_ns()}-{n}"},
            timeout=60,
        )
        assert ack["ok"], ack
    done.wait(timeout=120)
    elapsed = time.perf_counter() - started
    for client in [*readers, sender]:
        client.disconnect()
    latencies.sort()
    return {
        "received": len(latencies),
        "expected": expected,
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p99": latencies[max(0, int(len(latencies) * 0.99) - 1)] if latencies else float("nan"),
        "per_second": len(latencies) / elapsed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, nargs="*", default=[100, 500])
    parser.add_argument("--messages", type=int, default=30)
    args = parser.parse_args()
    print(
        f"{'server':<10} {'clients':>7} {'delivered':>12} {'p50 ms':>8} {'p99 ms':>8} {'msg/s':>9}"
    )
    for clients in args.clients:
        env, data = prepare_terreau(clients)
        runs = []
        port = free_port()
        # websocket-client sends an Origin header: it must be an allowed one.
        process = start(
            "gunicorn_app:app", port, {**env, "ALLOWED_ORIGINS": f"http://127.0.0.1:{port}"}
        )
        try:
            runs.append(("terreau", (measure(
                f"http://127.0.0.1:{port}",
                data["read_tokens"],
                data["send_tokens"][0],
                data["thread_id"],
                args.messages,
            ))))  # fmt: skip
        finally:
            process.terminate()
            process.wait()
        port = free_port()
        process = start("bench.bare_server:app", port, {**os.environ})
        try:
            runs.append(("bare", (measure(
                f"http://127.0.0.1:{port}", [None] * clients, None, 1, args.messages
            ))))  # fmt: skip
        finally:
            process.terminate()
            process.wait()
        for name, r in runs:
            print(
                f"{name:<10} {clients:>7} {r['received']:>6}/{r['expected']:<5} "
                f"{r['p50']:>8.1f} {r['p99']:>8.1f} {r['per_second']:>9.0f}"
            )


if __name__ == "__main__":
    main()
