"""Seed a thread, its senders and listeners in DATABASE_URL; print their tokens as JSON.

Run by the live-process tests: `python -m tests.threads.seed_live [--upgrade] SENDERS LISTENERS
[SETS]`. With `--upgrade`, the database is first migrated to the head (what `flask db upgrade`
does, without starting a second interpreter and application). With SETS, that many independent
sets (each its own community, thread and people) are printed as a JSON list, so that tests
sharing one pair of servers never share their data.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from community import create_app
from community.auth.services import issue_token
from community.extensions import db
from tests.factories import make_community, make_member, make_thread


def _one_set(senders: int, listeners: int) -> dict[str, Any]:
    writers = [make_member() for _ in range(senders)]
    readers = [make_member() for _ in range(listeners)]
    thread = make_thread(make_community(visibility="open", members=tuple(writers)))
    return {
        "thread_id": thread.id,
        "send_tokens": [issue_token(m)[0] for m in writers],
        "read_tokens": [issue_token(m)[0] for m in readers],
        "send_emails": [m.email for m in writers],
    }


def main(senders: int, listeners: int, sets: int | None = None, upgrade: bool = False) -> None:
    app = create_app("development")
    with app.app_context():
        if upgrade:
            from flask_migrate import upgrade as migrate_to_head

            migrate_to_head()
        data: Any = [_one_set(senders, listeners) for _ in range(sets or 1)]
        db.session.commit()
    print(json.dumps(data if sets else data[0]))


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--upgrade"]
    main(
        int(args[0]),
        int(args[1]),
        int(args[2]) if len(args) > 2 else None,
        upgrade="--upgrade" in sys.argv[1:],
    )
