"""Ten people at once for the last two places, on a real server: two places, eight waits.

Runs on whichever database the suite uses (SQLite by default, PostgreSQL with
TEST_DATABASE_URL): the rencontre's row lock (FOR UPDATE on PostgreSQL, BEGIN IMMEDIATE on
SQLite) serialises the counting.
"""

from __future__ import annotations

import threading

import pytest
import requests
from sqlalchemy import select

from community.auth.services import issue_token
from community.events.models import Event, Registration
from community.extensions import db
from tests.events.factories import make_event
from tests.factories import make_community, make_member

PEOPLE = 10


def _all_at_once(calls):
    """Run the calls in threads released together; returns their results in call order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        barrier.wait(timeout=10)
        results[index] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.live
def test_ten_people_for_two_places_get_two_places_and_eight_waits(live_server):
    people = [make_member() for _ in range(PEOPLE)]
    community = make_community()
    event = make_event(community, capacity=2)
    tokens = [issue_token(p)[0] for p in people]
    db.session.commit()
    url = f"{live_server}/api/v1/events/{event.id}/rsvp"

    def register(token):
        return lambda: requests.post(url, headers={"Authorization": f"Bearer {token}"}, timeout=30)

    answers = _all_at_once([register(t) for t in tokens])
    assert [a.status_code for a in answers] == [201] * PEOPLE, [a.text for a in answers]
    statuses = sorted(a.json()["status"] for a in answers)
    assert statuses == ["going"] * 2 + ["waitlisted"] * 8

    db.session.rollback()
    stored = (
        db.session.execute(select(Registration).where(Registration.event_id == event.id))
        .scalars()
        .all()
    )
    assert sorted(r.status for r in stored) == statuses
    stored_event = db.session.get(Event, event.id)
    assert (stored_event.going_count, stored_event.waitlist_count) == (2, 8)

    # The two with a place give it back at once: the two first in the queue get them.
    queue = sorted(
        (r for r in stored if r.status == "waitlisted"), key=lambda r: (r.queued_at, r.id)
    )
    leaving = [tokens[people.index(next(p for p in people if p.id == r.member_id))]
               for r in stored if r.status == "going"]  # fmt: skip

    def give_back(token):
        return lambda: requests.delete(
            url, headers={"Authorization": f"Bearer {token}"}, timeout=30
        )

    answers = _all_at_once([give_back(t) for t in leaving])
    assert [a.status_code for a in answers] == [204, 204]
    db.session.rollback()
    now_going = set(
        db.session.execute(
            select(Registration.id).where(
                Registration.event_id == event.id, Registration.status == "going"
            )
        ).scalars()
    )
    assert now_going == {queue[0].id, queue[1].id}
    stored_event = db.session.get(Event, event.id)
    db.session.refresh(stored_event)
    assert (stored_event.going_count, stored_event.waitlist_count) == (2, 6)
