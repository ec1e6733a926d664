"""Seed a thread, its senders and listeners in DATABASE_URL; print their tokens as JSON.

Run by the two-process test: `python -m tests.threads.seed_live SENDERS LISTENERS`.
"""

from __future__ import annotations

import json
import sys

from community import create_app
from community.auth.services import issue_token
from community.extensions import db
from tests.factories import make_community, make_member, make_thread


def main(senders: int, listeners: int) -> None:
    app = create_app("development")
    with app.app_context():
        writers = [make_member() for _ in range(senders)]
        readers = [make_member() for _ in range(listeners)]
        thread = make_thread(make_community(visibility="open", members=tuple(writers)))
        data = {
            "thread_id": thread.id,
            "send_tokens": [issue_token(m)[0] for m in writers],
            "read_tokens": [issue_token(m)[0] for m in readers],
            "send_emails": [m.email for m in writers],
        }
        db.session.commit()
    print(json.dumps(data))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
