"""Two identical writes at once, on a real server: never a 500, never a second row. On SQLite
a write request begins as a writer (BEGIN IMMEDIATE) and they queue; on PostgreSQL the one that
meets its twin's row in a unique constraint is replayed once and answers as a repeat
(`core.handlers.in_request_transaction`). Run it with TEST_DATABASE_URL too."""

from __future__ import annotations

import re
import threading

import pytest
import requests
from sqlalchemy import func, select

from community.auth.services import issue_token
from community.extensions import db
from community.initiatives.models import Support
from community.moderation.models import Report
from community.threads.services import post_message
from tests.factories import PASSWORD, make_community, make_member, make_thread
from tests.initiatives.factories import make_initiative

AT_ONCE = 6


def _all_at_once(call):
    barrier = threading.Barrier(AT_ONCE)
    results: list = [None] * AT_ONCE

    def run(index):
        barrier.wait(timeout=10)
        results[index] = call()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(AT_ONCE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _count(model, *where):
    db.session.rollback()
    return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar()


@pytest.mark.live
def test_the_same_write_six_times_at_once_is_one_row_and_no_500(live_server):
    member = make_member()
    initiative = make_initiative(make_member())
    author = make_member()
    community = make_community(members=(author, member))
    message = post_message(author, make_thread(community), "Achetez ici.").message
    token, _ = issue_token(member)
    db.session.commit()
    ids = (initiative.id, message.id, member.id)
    header = {"Authorization": f"Bearer {token}"}

    support = _all_at_once(
        lambda: requests.post(
            f"{live_server}/api/v1/initiatives/{ids[0]}/support", headers=header, timeout=30
        )
    )
    assert sorted(a.status_code for a in support) == [200] * (AT_ONCE - 1) + [201]
    assert _count(Support, Support.initiative_id == ids[0], Support.member_id == ids[2]) == 1

    report = {"target_type": "message", "target_id": ids[1], "reason": "spam", "text": "Pub."}
    reports = _all_at_once(
        lambda: requests.post(
            f"{live_server}/api/v1/reports", json=report, headers=header, timeout=30
        )
    )
    assert all(a.status_code < 500 for a in reports), [a.text for a in reports]
    assert _count(Report, Report.target_id == ids[1], Report.reporter_id == ids[2]) == 1


@pytest.mark.live
def test_six_readers_opening_a_thread_at_once_get_their_page(live_server):
    """Opening a thread moves the reader's marker: a page that reads, then writes. On SQLite a
    reading transaction that becomes a writer after another one committed is refused at once
    ("database is locked"): such a page is replayed as a writer, never a 500."""
    readers = [make_member() for _ in range(AT_ONCE)]
    author = make_member()
    community = make_community(members=(author, *readers))
    thread = make_thread(community)
    for n in range(3):
        post_message(author, thread, f"Message {n}")
    db.session.commit()
    sessions = []
    for reader in readers:
        session = requests.Session()
        page = session.get(f"{live_server}/auth/login", timeout=30).text
        csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        form = {"email": reader.email, "password": PASSWORD, "csrf_token": csrf}
        assert session.post(f"{live_server}/auth/login", data=form, timeout=30).ok
        sessions.append(session)
    lock = threading.Lock()
    page_url = f"{live_server}/threads/{thread.id}"

    def open_page():
        with lock:
            session = sessions.pop()
        return session.get(page_url, timeout=60)

    answers = _all_at_once(open_page)
    assert [a.status_code for a in answers] == [200] * AT_ONCE, [
        a.text[:300] for a in answers if a.status_code != 200
    ]
