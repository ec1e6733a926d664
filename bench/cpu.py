"""CPU time of one request in process, per key page (issue 17): the figure that shows the code's
cost on a shared machine, where wrk's requests/s move by 4× between runs.

    .venv/bin/python -m bench.cpu                       # the demo (1×), SQLite
    .venv/bin/python -m bench.cpu --scale 10            # 10× the demo (bench/generate.py)
    .venv/bin/python -m bench.cpu --visitor-cache 5     # with the visitor page cache on

Builds (or reuses, `--reuse`) the SQLite database of `bench/pages.py`, then for each page runs
Flask's test client: `--warm` requests, then `--requests` timed with `time.process_time()`,
`--runs` times; prints the median CPU ms per request and the number of SQL statements of one
request. The staff pages are logged in as the demo's agent. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--requests", type=int, default=150)
    parser.add_argument("--warm", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="keep an existing database")
    parser.add_argument("--visitor-cache", type=float, default=0.0)
    parser.add_argument("--header-cache", type=float, default=None)
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--extra", nargs="*", default=[], help="more pages: NAME=PATH")
    args = parser.parse_args()

    import tempfile

    from bench.pages import prepare, targets

    name = os.environ.get("BENCH_NAME", "cpu")  # its own file: other runs may share /tmp
    url = f"sqlite:///{tempfile.gettempdir()}/terreau-{name}-{args.scale}.sqlite3"
    path = Path(url.removeprefix("sqlite:///"))
    if args.reuse and path.exists():
        env = {**os.environ, "DATABASE_URL": url, "TERREAU_ENV": "development"}
        env.pop("REDIS_URL", None)
    else:
        env = prepare(url, args.scale)
    pages = targets(env)
    pages.update(dict(extra.split("=", 1) for extra in args.extra))
    os.environ.update({"DATABASE_URL": url, "TERREAU_ENV": "development"})
    os.environ.pop("REDIS_URL", None)

    from sqlalchemy import event

    from community import create_app
    from community.extensions import db

    overrides: dict[str, object] = {"RATELIMIT_ENABLED": False}
    if args.visitor_cache:
        overrides["VISITOR_PAGE_CACHE_SECONDS"] = args.visitor_cache
    else:
        overrides["VISITOR_PAGE_CACHE_SECONDS"] = 0
    if args.header_cache is not None:
        overrides["HEADER_CACHE_SECONDS"] = args.header_cache
    app = create_app(**overrides)
    visitor = app.test_client()
    staff = app.test_client()
    staff.environ_base["HTTP_USER_AGENT"] = "terreau-bench"
    form = staff.get("/auth/login").get_data(as_text=True)
    import re

    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
    assert token
    answer = staff.post(
        "/auth/login",
        data={"csrf_token": token.group(1), "email": "agent@demo.terreau.fr",
              "password": "terreau-demo"},
    )  # fmt: skip
    assert answer.status_code in (302, 303), answer.status_code

    statements = 0
    with app.app_context():
        engine = db.engine

    def count(*_a: object) -> None:
        nonlocal statements
        statements += 1

    event.listen(engine, "before_cursor_execute", count)
    from community.core.cache import write_generation

    print(f"{'page':<22}{'CPU ms':>8}{'runs':>24}{'queries':>9}{'commits':>9}")
    from flask import Flask

    hello_app = Flask("hello")  # the reference, in the same loop (bench/hello_app.py's)
    hello_app.add_url_rule("/", "hello", lambda: "hello")
    hello = hello_app.test_client()
    runs = []
    for _ in range(args.runs):
        start = time.process_time()
        for _ in range(args.requests):
            hello.get("/")
        runs.append((time.process_time() - start) * 1000 / args.requests)
    shown = " / ".join(f"{r:.2f}" for r in runs)
    print(f"{'(bare Flask hello)':<22}{statistics.median(runs):>8.2f}{shown:>24}{0:>9}{0:>9}")
    for name, page in pages.items():
        if args.only and name not in args.only:
            continue
        client = staff if "staff" in name else visitor
        first = client.get(page)
        assert first.status_code == 200, (name, first.status_code)
        for _ in range(args.warm):
            client.get(page)
        statements = 0
        client.get(page)  # after the warm-up: what a request costs in the steady state
        queries = statements
        generation = write_generation()  # writing commits during the timed requests
        runs = []
        for _ in range(args.runs):
            start = time.process_time()
            for _ in range(args.requests):
                status = client.get(page).status_code
                assert status == 200, (name, status)  # an error page is not the page
            runs.append((time.process_time() - start) * 1000 / args.requests)
        shown = " / ".join(f"{r:.2f}" for r in runs)
        commits = write_generation() - generation
        print(
            f"{name:<22}{statistics.median(runs):>8.2f}{shown:>24}{queries:>9}{commits:>9}",
            flush=True,
        )


if __name__ == "__main__":
    main()
