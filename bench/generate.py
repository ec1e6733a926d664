"""Grow the demo commune to N times its size, with rows consistent with the schema.

    DATABASE_URL=… .venv/bin/python -m bench.generate 100    # 100× the demo (≈ 5,000 members)

Run it on a database migrated and seeded with the demo (`flask db upgrade`, `flask seed-demo`).
Rows go in by bulk inserts (the services would take hours at 100×), shaped like the demo's: for
each copy, as many members, communities (with memberships and a gardener pair), threads with
contiguous `seq`, messages, initiatives and supports as the demo has. Not part of the product.
"""

from __future__ import annotations

import random
import sys
from datetime import timedelta

from sqlalchemy import func, insert, select, update

from community import create_app
from community.communities.models import Community, GardenerMandate, Membership
from community.core.models import utcnow
from community.extensions import db
from community.initiatives.models import Initiative, Support
from community.members.models import Member
from community.territory.models import Neighbourhood, Theme
from community.threads.models import Message, Thread

MESSAGES_PER_COPY = 1150
THREADS_PER_COPY = 5


def count(model: type) -> int:
    return int(db.session.execute(select(func.count()).select_from(model)).scalar_one())


def grow(copies: int, seed: int = 7) -> dict[str, int]:
    rng = random.Random(seed)
    now = utcnow()
    password = db.session.execute(select(Member.password_hash).limit(1)).scalar_one()
    themes = list(db.session.execute(select(Theme.id)).scalars())
    places = list(db.session.execute(select(Neighbourhood.id)).scalars())
    base = {
        "members": count(Member),
        "communities": count(Community),
        "initiatives": count(Initiative),
    }
    first = int(db.session.execute(select(func.max(Member.id))).scalar_one() or 0) + 1
    for copy in range(1, copies):
        members = [
            {
                "email": f"gen{copy}-{n}@bench.terreau.local",
                "display_name": f"Habitant {copy}-{n}",
                "display_name_key": f"habitant {copy}-{n}",
                "password_hash": password,
                "role": "staff" if n == 0 else "citizen",
                "neighbourhood_id": rng.choice(places),
                "email_confirmed_at": now,
                "created_at": now - timedelta(days=rng.randint(0, 700)),
            }
            for n in range(base["members"])
        ]
        db.session.execute(insert(Member), members)
        ids = list(
            db.session.execute(
                select(Member.id).where(Member.email.like(f"gen{copy}-%")).order_by(Member.id)
            ).scalars()
        )
        for c in range(base["communities"]):
            slug = f"communaute-{copy}-{c}"
            db.session.execute(
                insert(Community),
                [
                    {
                        "slug": slug,
                        "name": f"Communauté {copy}-{c}",
                        "theme_id": rng.choice(themes),
                        "neighbourhood_id": rng.choice([None, *places]),
                        "description": "Une communauté générée pour mesurer.",
                        "visibility": "open" if c % 3 else "on_request",
                        "created_at": now,
                    }
                ],
            )
            community_id = db.session.execute(
                select(Community.id).where(Community.slug == slug)
            ).scalar_one()
            joined = rng.sample(ids, k=min(len(ids), 12))
            db.session.execute(
                insert(Membership),
                [
                    {"community_id": community_id, "member_id": m, "status": "active",
                     "joined_at": now, "charter_accepted_at": now}
                    for m in joined
                ],
            )  # fmt: skip
            db.session.execute(
                insert(GardenerMandate),
                [
                    {"community_id": community_id, "member_id": ids[0], "side": "technician"},
                    {"community_id": community_id, "member_id": joined[1], "side": "citizen"},
                ],
            )
            if c < THREADS_PER_COPY:
                _thread(community_id, joined, rng, now, MESSAGES_PER_COPY // THREADS_PER_COPY)
            db.session.execute(
                insert(Initiative),
                [
                    {
                        "title": f"Initiative {copy}-{c}-{i}",
                        "summary": "Une initiative générée pour mesurer.",
                        "community_id": community_id,
                        "author_id": rng.choice(joined),
                        "neighbourhood_id": rng.choice(places),
                        "status": rng.choice(["proposed", "under_review", "accepted", "done"]),
                        "needs": [],
                        "created_at": now - timedelta(days=rng.randint(0, 400)),
                        "updated_at": now,
                        "awaiting_since": now - timedelta(days=rng.randint(0, 60)),
                    }
                    for i in range(max(1, base["initiatives"] // base["communities"]))
                ],
            )
        db.session.commit()
    initiatives = list(db.session.execute(select(Initiative.id)).scalars())
    supports = {(rng.choice(initiatives), m) for m in range(first, first + 5 * copies * 10)}
    existing = set(db.session.execute(select(Support.initiative_id, Support.member_id)).all())
    member_ids = set(db.session.execute(select(Member.id)).scalars())
    rows = [{"initiative_id": i, "member_id": m} for i, m in supports - existing if m in member_ids]
    if rows:
        db.session.execute(insert(Support), rows)
    db.session.execute(
        update(Initiative).values(
            support_count=select(func.count(Support.id))
            .where(Support.initiative_id == Initiative.id)
            .scalar_subquery()
        )
    )
    db.session.commit()
    return {
        "members": count(Member),
        "communities": count(Community),
        "initiatives": count(Initiative),
        "threads": count(Thread),
        "messages": count(Message),
    }


def _thread(community_id: int, authors: list[int], rng: random.Random, now, size: int) -> None:  # type: ignore[no-untyped-def]
    db.session.execute(
        insert(Thread),
        [{"community_id": community_id, "kind": "community", "title": "Discussion générée",
          "last_seq": size, "created_at": now, "last_message_at": now}],
    )  # fmt: skip
    thread_id = db.session.execute(
        select(func.max(Thread.id)).where(Thread.community_id == community_id)
    ).scalar_one()
    start = now - timedelta(minutes=size)
    db.session.execute(
        insert(Message),
        [
            {
                "thread_id": thread_id,
                "seq": seq,
                "author_id": rng.choice(authors),
                "body": f"Message {seq} : on se retrouve samedi au jardin ?",
                "body_html": f"<p>Message {seq} : on se retrouve samedi au jardin ?</p>",
                "created_at": start + timedelta(minutes=seq),
            }
            for seq in range(1, size + 1)
        ],
    )


def main() -> None:
    copies = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    app = create_app()
    with app.app_context():
        print(grow(copies))


if __name__ == "__main__":
    main()
