"""Time the observatory on 100,000 rows (not part of the suite).

    .venv/bin/python bench/observatory.py               # a temporary SQLite file
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test_issue7 \
        .venv/bin/python bench/observatory.py

The database given is emptied and filled. Prints the row counts, the time of each part of
the page and of the JSON summary, and the number of SQL statements.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROWS = int(os.environ.get("BENCH_ROWS", "100000"))


def main() -> None:
    from sqlalchemy import insert

    from community import create_app
    from community.config import database_url
    from community.core.queries import count_queries
    from community.extensions import db

    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url(url))
    rng = random.Random(1)
    with app.app_context():
        from community.communities.models import Community, Membership
        from community.members.models import Member, member_themes
        from community.solidarity.models import HelpOffer, HelpRequest, SolidaritySignal
        from community.territory.models import Neighbourhood, Theme

        db.drop_all()
        db.create_all()
        started = time.perf_counter()
        themes = [Theme(slug=f"t{i}", name=f"Thème {i}") for i in range(10)]
        places = [Neighbourhood(slug=f"n{i}", name=f"Quartier {i}") for i in range(20)]
        db.session.add_all(themes + places)
        db.session.flush()
        now = datetime.now(UTC)

        def when() -> datetime:
            return now - timedelta(days=rng.randint(0, 360), seconds=rng.randint(0, 86000))

        n_members = ROWS // 5
        db.session.execute(
            insert(Member),
            [
                {
                    "email": f"m{i}@bench.local",
                    "display_name": f"M{i}",
                    "display_name_key": f"m{i}",
                    "password_hash": "x",
                    "role": "citizen",
                    "neighbourhood_id": rng.choice(places).id,
                    "bio": "",
                    "skills": [],
                    "locale": "fr",
                    "session_nonce": "x",
                    "charter_accepted_at": now,
                    "email_confirmed_at": now,
                    "created_at": when(),
                }
                for i in range(n_members)
            ],
        )
        member_ids = list(range(1, n_members + 1))
        db.session.execute(
            insert(member_themes),
            [{"member_id": m, "theme_id": t.id} for m in member_ids for t in rng.sample(themes, 2)],
        )
        communities = [
            Community(slug=f"c{i}", name=f"C{i}", theme_id=themes[i % 10].id) for i in range(30)
        ]
        db.session.add_all(communities)
        db.session.flush()
        db.session.execute(
            insert(Membership),
            [
                {
                    "community_id": c.id,
                    "member_id": m,
                    "status": "active",
                    "joined_at": when(),
                    "request_message": "",
                    "answer": "",
                    "created_at": now,
                }
                for m in rng.sample(member_ids, ROWS // 10)
                for c in rng.sample(communities, 2)
            ],
        )

        def place_rows(n: int, extra: dict) -> list[dict]:  # type: ignore[type-arg]
            rows = []
            for _ in range(n):
                created = when()
                rows.append(
                    {
                        "theme_id": rng.choice(themes).id,
                        "neighbourhood_id": rng.choice(places).id,
                        "created_at": created,
                        **{k: (v(created) if callable(v) else v) for k, v in extra.items()},
                    }
                )
            return rows

        db.session.execute(
            insert(HelpOffer),
            place_rows(
                ROWS // 5,
                {
                    "author_id": lambda _c: rng.choice(member_ids),
                    "text": "x",
                    "text_html": "x",
                    "availability": "",
                },
            ),
        )
        db.session.execute(
            insert(HelpRequest),
            place_rows(
                ROWS // 5,
                {
                    "author_id": lambda _c: rng.choice(member_ids),
                    "text": "x",
                    "text_html": "x",
                    "status": lambda _c: rng.choice(
                        ["open", "open", "matched", "done", "withdrawn"]
                    ),
                    "on_behalf": False,
                    "expires_at": lambda c: c + timedelta(days=60),
                },
            ),
        )
        db.session.execute(
            insert(SolidaritySignal),
            place_rows(
                ROWS // 10,
                {"kind": "other", "people": 3, "contact": "no", "text": "", "text_html": ""},
            ),
        )
        db.session.commit()
        print(
            f"filled in {time.perf_counter() - started:.1f} s on {db.engine.dialect.name}: "
            f"{n_members} members, {ROWS // 5} offers, {ROWS // 5} requests, {ROWS // 10} signals, "
            f"~{ROWS // 5} memberships"
        )

        from community.observatory import services
        from community.observatory.network import network
        from community.observatory.radar import radar
        from community.observatory.trends import trends

        with app.test_request_context(), count_queries(db.engine) as log:
            period = services.parse_period(None, None)
            for label, step in (
                ("summary (tables + suppression)", lambda: services.summary(period)),
            ):
                t = time.perf_counter()
                summary = step()
                print(f"{label:<34} {1000 * (time.perf_counter() - t):8.1f} ms")
            for label, step in (
                ("trends", lambda: trends(summary)),
                ("network of communities", lambda: network(summary.min_cell)),
                ("under the radar", lambda: radar(summary)),
                ("JSON summary", summary.as_json),
            ):
                t = time.perf_counter()
                step()
                print(f"{label:<34} {1000 * (time.perf_counter() - t):8.1f} ms")
        print(f"SQL statements for the whole page: {log.count}")
        staff = Member(
            email="staff@bench.local",
            display_name="Staff",
            display_name_key="staff",
            password_hash="x",
            role="staff",
            email_confirmed_at=now,
        )
        db.session.add(staff)
        db.session.commit()
        from flask_login.utils import _create_identifier

        client = app.test_client()
        with app.test_request_context(environ_base=client.environ_base):
            identifier = _create_identifier()
        with client.session_transaction() as session:
            session["_user_id"] = staff.get_id()
            session["_fresh"] = True
            session["_id"] = identifier
        t = time.perf_counter()
        with app.app_context():  # a fresh `g`, as for a real request
            response = client.get("/observatory")
        print(
            f"{'GET /observatory (full page)':<34} {1000 * (time.perf_counter() - t):8.1f} ms"
            f" -> {response.status_code}"
        )


if __name__ == "__main__":
    main()
