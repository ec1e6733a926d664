"""Two real gunicorn processes (gevent) sharing PostgreSQL and Redis, as `make serve` runs them.

These servers run on PostgreSQL whatever database the suite uses, so they run once, in the
suite's PostgreSQL pass (`TEST_DATABASE_URL=postgresql://…`, CI's second pass): the SQLite pass
skips them, saying so. Skipped, with the reason, when PostgreSQL or Redis is not reachable.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import free_port, postgres_admin_url
from tests.threads.stress import Listener, run_senders, send_many

# One set of servers for the module (its set-up is the slow part), so one xdist worker.
pytestmark = [pytest.mark.live, pytest.mark.xdist_group("two_processes")]

ROOT = Path(__file__).resolve().parents[2]
# The suite's PostgreSQL database; the servers work in a schema of their own inside it.
PG_SERVER = os.environ.get("TERREAU_LIVE_PG") or postgres_admin_url()
# A schema and a Redis database per xdist worker: two runs of these servers never share one.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "gw9")
REDIS_URL = os.environ.get(
    "TERREAU_LIVE_REDIS", f"redis://127.0.0.1:6379/{5 + int(_WORKER.removeprefix('gw') or 0) % 8}"
)
SCHEMA = f"live_two_processes_{_WORKER}"
DATABASE_URL = (
    PG_SERVER.replace("postgresql://", "postgresql+psycopg://")
    + f"?options=-csearch_path%3D{SCHEMA}"
)


def _missing() -> str | None:
    if not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"):
        return (
            "production serving runs on PostgreSQL: run in the PostgreSQL pass "
            "(TEST_DATABASE_URL=postgresql://…), as CI's second pass does"
        )
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


def _two_free_ports() -> int:
    """A port P such that P and P + 1 are both free (serve.sh listens on PORT and PORT + 1)."""
    for _ in range(50):
        port = free_port()
        try:
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", port + 1))
        except OSError:
            continue
        return port
    raise RuntimeError("no two consecutive free ports")


def _gunicorn_pids(port: int) -> list[int]:
    """The gunicorn processes (master and worker) serving `port`."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if any(b"gunicorn" in a for a in argv[:2]) and f"127.0.0.1:{port}".encode() in argv:
            pids.append(int(entry.name))
    return pids


def _healthy(url: str) -> bool:
    import requests

    try:
        return requests.get(f"{url}/healthz", timeout=2).status_code == 200
    except requests.RequestException:
        return False


def _wait_until_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = 90) -> None:
    """gunicorn binds its port before its worker has loaded the app (seconds on a busy machine):
    wait for the app itself to answer."""
    deadline = time.monotonic() + timeout
    while not _healthy(url):
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited with {process.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not become healthy")
        time.sleep(0.2)  # no event to wait on: the app answers or not


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


# One pair of servers for the module (starting them is the slow part: a migration, a seeding
# and two gunicorn boots), each test with a data set of its own (its community, thread and
# people), so the tests do not depend on each other's order or leftovers. Socket.IO's Redis
# channel is global to the Redis server, so two runs' servers must not run at once: a file lock
# takes them in turn (held for the module, released at its end).
TESTS = (
    "test_two_processes_share_seq_and_broadcasts",
    "test_a_killed_process_comes_back_while_the_other_keeps_serving",
    "test_a_right_lost_in_one_process_reaches_sockets_in_the_other",
)


@pytest.fixture(scope="module")
def _servers() -> Iterator[tuple[list[str], dict[str, dict[str, Any]]]]:
    import fcntl
    import tempfile

    with open(Path(tempfile.gettempdir()) / "terreau-two-processes.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield from _two_servers()


@pytest.fixture
def two_servers(
    request: pytest.FixtureRequest, _servers: tuple[list[str], dict[str, dict[str, Any]]]
) -> tuple[list[str], dict[str, Any]]:
    """Both servers answering (a test before may have killed one: it is back by then, or the
    supervisor is bringing it back), and this test's own data set."""
    urls, sets = _servers
    for url in urls:
        deadline = time.monotonic() + 60
        while not _healthy(url):
            assert time.monotonic() < deadline, f"{url} is not serving"
            time.sleep(0.2)  # a process being started again: there is no event to wait on
    return urls, sets[request.node.originalname]


def _two_servers() -> Iterator[tuple[list[str], dict[str, dict[str, Any]]]]:
    reason = _missing()
    if reason:
        pytest.skip(reason)
    import psycopg
    import redis

    with psycopg.connect(PG_SERVER, autocommit=True) as connection:
        connection.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        connection.execute(f"CREATE SCHEMA {SCHEMA}")
    redis.Redis.from_url(REDIS_URL).flushdb()
    # A clean environment: settings other tests left in this process's environment (push keys,
    # limits…) must not reach the servers.
    kept = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV", "PYTHONPATH")
    env = {k: v for k, v in os.environ.items() if k in kept}
    env.update({"DATABASE_URL": DATABASE_URL, "TERREAU_ENV": "development"})
    env.pop("REDIS_URL", None)
    # Migrated to the head, then seeded, in one process.
    seeded = subprocess.run(
        [sys.executable, "-m", "tests.threads.seed_live", "--upgrade", "20", "4", str(len(TESTS))],
        cwd=ROOT,
        env=env,
        capture_output=True,
    )
    assert seeded.returncode == 0, seeded.stderr.decode()[-3000:]
    sets = json.loads(seeded.stdout.decode().strip().splitlines()[-1])
    data = dict(zip(TESTS, sets, strict=True))
    port = _two_free_ports()
    ports = [port, port + 1]
    server_env = {
        **env,
        "SECRET_KEY": "two-processes-test-secret-key-0123456789",
        "REDIS_URL": REDIS_URL,
        "MESSAGE_RATE_LIMIT": "1000 per minute",
        "ALLOWED_ORIGINS": ",".join(f"http://127.0.0.1:{p}" for p in ports),
        "PUBLIC_URL": f"http://127.0.0.1:{port}",  # production refuses to start without it
        "PORT": str(port),
        "BIN": str(Path(sys.executable).parent),
        "GRACEFUL_TIMEOUT": "3",
    }
    # The production command itself: scripts/serve.sh supervises one gunicorn per port.
    supervisor = subprocess.Popen(
        ["bash", "scripts/serve.sh"],
        cwd=ROOT,
        env=server_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    processes = [supervisor, supervisor]
    try:
        for port, process in zip(ports, processes, strict=True):
            _wait_for_port(port, process)
            _wait_until_healthy(f"http://127.0.0.1:{port}", process)
        yield [f"http://127.0.0.1:{port}" for port in ports], data
    finally:
        supervisor.terminate()
        try:
            supervisor.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(supervisor.pid, signal.SIGKILL)
            supervisor.wait(timeout=5)
        with psycopg.connect(PG_SERVER, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")


def test_two_processes_share_seq_and_broadcasts(
    two_servers: tuple[list[str], dict[str, Any]],
) -> None:
    import psycopg

    urls, data = two_servers
    # Sized to prove the guarantee (more than one 200-message page); CI's PostgreSQL pass runs
    # the full size (TERREAU_STRESS=full).
    each = 50 if os.environ.get("TERREAU_STRESS") == "full" else 15
    total = len(data["send_tokens"]) * each
    listeners = [
        Listener(urls[i % 2], token, data["thread_id"], total)
        for i, token in enumerate(data["read_tokens"])
    ]
    try:
        for listener in listeners:
            listener.start()
        errors = run_senders(urls, data["send_tokens"], data["thread_id"], each)
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
        rows = connection.execute(
            "SELECT seq FROM messages WHERE thread_id = %s ORDER BY seq", (data["thread_id"],)
        )
        seqs = [row[0] for row in rows]
    assert seqs == list(range(1, total + 1))


def test_a_killed_process_comes_back_while_the_other_keeps_serving(
    two_servers: tuple[list[str], dict[str, Any]],
) -> None:
    """SIGKILL one process under load: the other serves every send, the supervisor starts the
    dead one again, and a listener there catches up on everything by `seq`."""
    import requests

    urls, data = two_servers
    killed, alive = urls
    thread = requests.get(f"{alive}/api/v1/threads/{data['thread_id']}", timeout=10).json()
    before = thread["last_seq"]
    killed_port = int(killed.rsplit(":", 1)[1])
    tokens = data["send_tokens"][4:8]  # fresh senders: client ids of their own
    errors: list[Any] = []
    each = 25
    sender = threading.Thread(
        target=lambda: errors.extend(run_senders([alive], tokens, data["thread_id"], each))
    )
    sender.start()
    pids = _gunicorn_pids(killed_port)
    assert pids, "no gunicorn found on the port to kill"
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    sender.join(timeout=120)
    assert errors == []  # the other process served every send while one was dead
    deadline = time.monotonic() + 40
    while not _healthy(killed) and time.monotonic() < deadline:
        time.sleep(0.2)  # waiting for a restarted process: there is no event to wait on
    assert _healthy(killed), "the killed process was not started again"
    total = before + len(tokens) * each
    late = Listener(killed, data["read_tokens"][0], data["thread_id"], total)
    ack = late.start()
    late.stop()
    # Every message, once (a late broadcast may arrive beside the join's pages).
    assert ack["last_seq"] == total and sorted(late.seqs) == list(range(1, total + 1))


def test_a_right_lost_in_one_process_reaches_sockets_in_the_other(
    two_servers: tuple[list[str], dict[str, Any]], other_app: Any
) -> None:
    """Issue 12, finding 4, across processes: the community turns on-request in a third
    process (this test's, sharing PostgreSQL and Redis); a reader listening on the other
    server is told at once, is refused when joining again, and receives nothing more."""
    import requests

    from community.communities import services as community_services
    from community.communities.models import Community
    from community.extensions import db
    from community.threads.models import Thread
    from tests.factories import make_member

    urls, data = two_servers
    revoked = threading.Event()
    listener = Listener(urls[1], data["read_tokens"][1], data["thread_id"], 10**9)
    thread = requests.get(f"{urls[0]}/api/v1/threads/{data['thread_id']}", timeout=10).json()
    listener.start(after_seq=thread["last_seq"])
    listener.client.on("rooms:revoked", lambda _payload: revoked.set())
    app = other_app(
        "development", SQLALCHEMY_DATABASE_URI=DATABASE_URL, REDIS_URL=REDIS_URL, TESTING=True
    )
    with app.app_context():
        staff = make_member(
            "staff", email="agent-revocation@example.org", display_name="Agent Revocation"
        )
        community = db.session.get(
            Community, db.session.get(Thread, data["thread_id"]).community_id
        )
        assert community is not None
        community_services.save_community(
            staff,
            community_services.CommunityData(
                name=community.name,
                slug=community.slug,
                theme_id=community.theme_id,
                neighbourhood_id=community.neighbourhood_id,
                visibility="on_request",
                description=community.description,
                charter=community.charter,
            ),
            community,
        )
        db.session.commit()
        try:
            assert revoked.wait(timeout=1), "the other process's socket was not told within 1 s"
            ack = listener.client.call(
                "thread:join", {"thread_id": data["thread_id"], "after_seq": 0}, timeout=10
            )
            assert ack["ok"] is False and ack["error"]["code"] == "not_found"
            before = len(listener.seqs)
            errors: list[Any] = []
            send_many(urls[0], data["send_tokens"][8], data["thread_id"], 1, "revoked", errors)
            assert errors == []
            time.sleep(1)  # proving an absence: nothing may arrive within the second
            assert len(listener.seqs) == before
        finally:
            listener.stop()
            community.visibility = "open"
            db.session.commit()
            db.session.remove()
