"""Fan-out benchmark: N clients in one room, one sender; delivery latency, CPU, messages/s.

Measures Terreau (gunicorn + gevent worker, every message stored first) beside a bare
python-socketio broadcast server with no database, in alternated rounds of the same run, and
prints per round and as medians:

- reach-all p50/p99 (ms from the send to each listener's receipt) and its ratio to bare;
- the server's CPU per message (user + system time of the server's processes over the sends,
  divided by the messages) and its ratio to bare;
- messages/s into one thread: `--senders` clients (each in the thread's room, as a thread
  page is) sending back to back at once, no other listener (the write path), and its ratio.

    .venv/bin/python bench/fanout.py                       # SQLite, N = 100 and 500
    .venv/bin/python bench/fanout.py --db pg --rounds 3    # PostgreSQL (BENCH_PG)
    .venv/bin/python bench/fanout.py --clients 100 --messages 50

Not part of the test suite. Clients and servers share the machine: read the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
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
    """Until the worker answers HTTP (gunicorn's master listens before its worker has loaded
    the app; a connect then would time out on a loaded machine)."""
    for _ in range(600):
        if process.poll() is not None:
            raise SystemExit(f"server on {port} exited")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).close()
            return
        except urllib.error.HTTPError:
            return  # it answered
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
        # Production links come from PUBLIC_URL only, and it answers only that host.
        env={"PUBLIC_URL": f"http://127.0.0.1:{port}", **env},
        stdout=subprocess.DEVNULL,
        stderr=None if os.environ.get("BENCH_DEBUG") else subprocess.DEVNULL,
    )
    wait_for(port, process)
    return process


def prepare_terreau(
    clients: int, db: str, senders: int = 1
) -> tuple[dict[str, str], dict[str, object]]:
    """A fresh database (SQLite file or PostgreSQL schema) with a thread, `senders` senders
    and `clients` readers."""
    if db == "pg":
        import psycopg

        with psycopg.connect(PG_SERVER, autocommit=True) as connection:
            connection.execute("DROP SCHEMA IF EXISTS bench_fanout CASCADE")
            connection.execute("CREATE SCHEMA bench_fanout")
        url = (
            PG_SERVER.replace("postgresql://", "postgresql+psycopg://")
            + "?options=-csearch_path%3Dbench_fanout"
        )
    else:
        path = Path(tempfile.mkdtemp(prefix="fanout-")) / "bench.sqlite3"
        url = f"sqlite:///{path}"
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
        [PYTHON, "-m", "tests.threads.seed_live", str(senders), str(clients)],
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


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children (gunicorn's master and worker)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def measure(
    url: str,
    tokens: list[str | None],
    send_token: str | None,
    thread_id: int,
    messages: int,
    pid: int,
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
    # The sender's page joined the thread, as every thread page does.
    assert sender.call("thread:join", {"thread_id": thread_id}, timeout=60)["ok"]
    time.sleep(0.5)  # let the joins settle before counting CPU
    cpu_before = cpu_seconds(pid)
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
    cpu = cpu_seconds(pid) - cpu_before
    for client in [*readers, sender]:
        client.disconnect()
    latencies.sort()
    return {
        "received": len(latencies),
        "expected": expected,
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p99": latencies[max(0, int(len(latencies) * 0.99) - 1)] if latencies else float("nan"),
        "per_second": len(latencies) / elapsed,
        "cpu_ms": cpu * 1000 / messages,
    }


def throughput(url: str, tokens: list[str | None], thread_id: int, per_sender: int) -> float:
    """Messages/s into one thread: every sender sends back to back at once, nobody listens."""

    def connect(token: str | None) -> socketio.Client:
        client = socketio.Client(reconnection=False)
        client.connect(
            url, auth={"token": token} if token else None, transports=["websocket"], wait_timeout=30
        )
        return client

    with ThreadPoolExecutor(max_workers=len(tokens)) as pool:
        senders = list(pool.map(connect, tokens))
        for client in senders:  # as a thread page does
            assert client.call("thread:join", {"thread_id": thread_id}, timeout=60)["ok"]
        barrier = threading.Barrier(len(senders))

        def run(index: int) -> int:
            client = senders[index]
            barrier.wait()
            sent = 0
            for n in range(per_sender):
                ack = client.call(
                    "message:send",
                    {
                        "thread_id": thread_id,
                        "body": f"t {n}",
                        "client_id": f"{time.time_ns()}-{index}-{n}",
                    },
                    timeout=60,
                )
                assert ack["ok"], ack
                sent += 1
            return sent

        started = time.perf_counter()
        total = sum(pool.map(run, range(len(senders))))
        elapsed = time.perf_counter() - started
    for client in senders:
        client.disconnect()
    return total / elapsed


def one_round(clients: int, args: argparse.Namespace) -> dict[str, dict[str, float]]:
    """Terreau then bare, on fresh servers: fan-out to `clients`, then the write path."""
    env, data = prepare_terreau(clients, args.db, senders=args.senders)
    found: dict[str, dict[str, float]] = {}
    port = free_port()
    # websocket-client sends an Origin header: it must be an allowed one.
    process = start(
        "gunicorn_app:app", port, {**env, "ALLOWED_ORIGINS": f"http://127.0.0.1:{port}"}
    )
    try:
        url = f"http://127.0.0.1:{port}"
        tokens = data["send_tokens"]
        found["terreau"] = measure(
            url, data["read_tokens"], tokens[0], data["thread_id"], args.messages, process.pid
        )
        found["terreau"]["thread_per_second"] = throughput(
            url, tokens, data["thread_id"], args.per_sender
        )
    finally:
        process.terminate()
        process.wait()
    port = free_port()
    process = start("bench.bare_server:app", port, {**os.environ})
    try:
        url = f"http://127.0.0.1:{port}"
        found["bare"] = measure(url, [None] * clients, None, 1, args.messages, process.pid)
        found["bare"]["thread_per_second"] = throughput(
            url, [None] * args.senders, 1, args.per_sender
        )
    finally:
        process.terminate()
        process.wait()
    return found


HEADER = (
    f"{'server':<8} {'N':>4} {'delivered':>11} {'p50 ms':>7} {'p99 ms':>7} {'cpu/msg ms':>10} "
    f"{'thread msg/s':>12}   {'p50 x':>6} {'cpu x':>6} {'msg/s x':>7}"
)


def _ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def line(name: str, clients: int, r: dict[str, float], bare: dict[str, float]) -> str:
    delivered = f"{int(r.get('received', 0))}/{int(r.get('expected', 0))}"
    return (
        f"{name:<8} {clients:>4} {delivered:>11} {r['p50']:>7.1f} {r['p99']:>7.1f} "
        f"{r['cpu_ms']:>10.2f} {r['thread_per_second']:>12.0f}   "
        f"{_ratio(r['p50'], bare['p50']):>6.2f} {_ratio(r['cpu_ms'], bare['cpu_ms']):>6.2f} "
        f"{_ratio(r['thread_per_second'], bare['thread_per_second']):>7.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, nargs="*", default=[100, 500])
    parser.add_argument("--messages", type=int, default=60)
    parser.add_argument("--db", choices=["sqlite", "pg"], default="sqlite")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--senders", type=int, default=8)
    parser.add_argument("--per-sender", type=int, default=100)
    args = parser.parse_args()
    print(f"database: {args.db}; {args.rounds} alternated rounds; medians last", flush=True)
    print(HEADER, flush=True)
    for clients in args.clients:
        rounds = []
        for _ in range(args.rounds):
            found = one_round(clients, args)
            rounds.append(found)
            for name in ("terreau", "bare"):
                print(line(name, clients, found[name], found["bare"]), flush=True)
        medians: dict[str, dict[str, float]] = {}
        for name in ("terreau", "bare"):
            medians[name] = {
                key: statistics.median(r[name][key] for r in rounds)
                for key in ("p50", "p99", "cpu_ms", "thread_per_second", "received", "expected")
            }
        # Ratios of the medians, and the median of the per-round ratios (the honest one when
        # the machine's load drifts between rounds).
        ratio = {
            key: statistics.median(_ratio(r["terreau"][key], r["bare"][key]) for r in rounds)
            for key in ("p50", "cpu_ms", "thread_per_second")
        }
        print(line("median", clients, medians["terreau"], medians["bare"]), flush=True)
        print(
            f"{'':<8} {clients:>4} median of per-round ratios: p50 {ratio['p50']:.2f}x, "
            f"cpu/msg {ratio['cpu_ms']:.2f}x, thread msg/s {ratio['thread_per_second']:.2f}x",
            flush=True,
        )


if __name__ == "__main__":
    main()
