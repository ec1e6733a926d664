"""Pages benchmark of record: each key page beside a bare Flask "hello", same command, same run.

    .venv/bin/python bench/pages.py                     # SQLite, the demo (1×)
    .venv/bin/python bench/pages.py --db pg --scale 100 # PostgreSQL, 100× the demo

Both apps run under `gunicorn --worker-class gevent --workers 1` (the production command);
wrk (Debian's package) loads them in alternated rounds (hello, page, hello, page…) and the
script prints, per page, the median requests/s, p50 latency and the ratio to hello's median.
Not part of the test suite: clients and servers share the machine, read ratios, not absolutes.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.fanout import GUNICORN, PYTHON, free_port, wait_for  # noqa: E402

USER_AGENT = "terreau-bench"
PG_SERVER = os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test")


def database(kind: str, scale: int) -> str:
    if kind == "sqlite":
        # BENCH_NAME: a file of its own when other runs share /tmp.
        name = os.environ.get("BENCH_NAME", "bench")
        return f"sqlite:///{tempfile.gettempdir()}/terreau-{name}-{scale}.sqlite3"
    import psycopg

    schema = f"bench_pages_{scale}"
    with psycopg.connect(PG_SERVER, autocommit=True) as connection:
        connection.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        connection.execute(f"CREATE SCHEMA {schema}")
    url = PG_SERVER.replace("postgresql://", "postgresql+psycopg://")
    return f"{url}?options=-csearch_path%3D{schema}"


def prepare(url: str, scale: int) -> dict[str, str]:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    env = {**os.environ, "DATABASE_URL": url, "TERREAU_ENV": "development"}
    env.pop("REDIS_URL", None)
    flask = [PYTHON, "-m", "flask", "--app", "wsgi"]
    for step in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run([*flask, *step], cwd=ROOT, env=env, check=True, capture_output=True)
    if scale > 1:
        grown = subprocess.run(
            [PYTHON, "-m", "bench.generate", str(scale)],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        )  # fmt: skip
        print("data:", grown.stdout.strip().splitlines()[-1])
    return env


def targets(env: dict[str, str]) -> dict[str, str]:
    """The key pages, found in the database (the demo's first community, initiative, thread)."""
    code = (
        "from community import create_app\n"
        "from community.extensions import db\n"
        "from sqlalchemy import text\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        "    q = lambda s: db.session.execute(text(s)).scalar()\n"
        "    print(q(\"select slug from communities where visibility='open' \"\n"
        '            "order by id limit 1"))\n'
        "    print(q('select id from initiatives where hidden_at is null order by id limit 1'))\n"
        "    print(q('select t.id from threads t join communities c on c.id = t.community_id '\n"
        "            \"where c.visibility = 'open' order by t.last_seq desc limit 1\"))\n"
    )
    out = subprocess.run(
        [PYTHON, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout.split()
    slug, initiative, thread = out[-3:]
    return {
        "home": "/",
        "healthz": "/healthz",
        "communities": "/communities",
        "community": f"/communities/{slug}",
        "initiatives": "/initiatives",
        "initiative": f"/initiatives/{initiative}",
        "thread": f"/threads/{thread}",
        "thread (staff)": f"/threads/{thread}",
        "observatory (staff)": "/observatory",
        "api communities": "/api/v1/communities",
        "api initiatives": "/api/v1/initiatives",
    }


def staff_cookie(base: str) -> str:
    import requests

    session = requests.Session()
    # Flask-Login's "strong" protection ties the session to the User-Agent: wrk sends the same.
    session.headers["User-Agent"] = USER_AGENT
    form = session.get(f"{base}/auth/login", timeout=10).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
    assert token, "no CSRF token on the login page"
    session.post(
        f"{base}/auth/login",
        data={"csrf_token": token.group(1), "email": "agent@demo.terreau.fr",
              "password": "terreau-demo"},
        timeout=10,
    )  # fmt: skip
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


def start(app: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [GUNICORN, "--worker-class", "gevent", "--workers", "1", "--no-control-socket",
         "--bind", f"127.0.0.1:{port}", app],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    wait_for(port, process)
    # gunicorn binds before its worker has loaded the app: wait for an answer.
    import requests

    for _ in range(600):
        try:
            requests.get(f"http://127.0.0.1:{port}/", timeout=5)
            return process
        except requests.RequestException:
            time.sleep(0.1)
    raise SystemExit(f"{app} did not answer")


def wrk(url: str, seconds: int, connections: int, cookie: str | None = None) -> tuple[float, float]:
    """(requests/s, p50 ms) of `url` under wrk."""
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    command += ["-H", f"User-Agent: {USER_AGENT}"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout
    # A page answered by an error or a redirect (a lost login) is not the page: refuse it.
    assert "Non-2xx" not in out, f"{url} answered errors or redirects:\n{out}"
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    assert p50 is not None, out
    factor = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p50.group(2)]
    return rate, float(p50.group(1)) * factor


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "pg"), default="sqlite")
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--only", nargs="*", help="page names to measure")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    env = prepare(database(args.db, args.scale), args.scale)
    pages = targets(env)
    # The development settings (production's differ in cookies over HTTPS, SMTP and refusing
    # the demo accounts the bench logs in with), served as production serves them.
    serve_env = {**env, "SOCKETIO_ASYNC_MODE": "gevent", "RATELIMIT_ENABLED": "false"}
    app_port, hello_port = free_port(), free_port()
    terreau = start("gunicorn_app:app", app_port, serve_env)
    hello = start("bench.hello_app:app", hello_port, serve_env)
    base = f"http://127.0.0.1:{app_port}"
    try:
        cookie = staff_cookie(base)
        print(f"{'page':<22}{'req/s':>9}{'p50 ms':>9}{'hello req/s':>13}{'ratio':>8}")
        for name, path in pages.items():
            if args.only and name not in args.only:
                continue
            mine, theirs, p50s = [], [], []
            for _ in range(args.rounds):
                theirs.append(
                    wrk(f"http://127.0.0.1:{hello_port}/", args.seconds, args.connections)[0]
                )
                rate, p50 = wrk(
                    base + path, args.seconds, args.connections,
                    cookie if "staff" in name else None,
                )  # fmt: skip
                mine.append(rate)
                p50s.append(p50)
            m, h = statistics.median(mine), statistics.median(theirs)
            print(f"{name:<22}{m:>9.0f}{statistics.median(p50s):>9.1f}{h:>13.0f}{m / h:>8.3f}")
    finally:
        for process in (terreau, hello):
            process.terminate()
            process.wait(timeout=15)


if __name__ == "__main__":
    main()
