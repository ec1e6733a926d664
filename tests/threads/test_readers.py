"""Whatever narrows who may read a thread takes the sockets that may no longer read it out of
its rooms (`threads.readers`): an initiative hidden by moderation first (the attacker walk of
issue "threads", finding 1), then every column the visibility layer reads."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Column
from sqlalchemy.sql import visitors

from community.extensions import db
from community.moderation import services as moderation
from community.threads import readers
from community.threads import services as thread_services
from community.threads.models import Thread
from community.threads.queries import readable_threads
from community.threads.realtime import broadcast_updated
from tests.factories import make_community, make_member, make_membership
from tests.initiatives.factories import make_initiative
from tests.threads.conftest import received


def _join(client: Any, thread_id: int) -> dict[str, Any]:
    return client.emit("thread:join", {"thread_id": thread_id}, callback=True)


def _hidden_initiative_world() -> dict[str, Any]:
    gardener, author, reader, reporter = (make_member() for _ in range(4))
    community = make_community(citizen=gardener, members=(author, reader, reporter))
    initiative = make_initiative(author, community=community, title="Le verger partagé")
    thread = db.session.get(Thread, initiative.thread_id)
    said = thread_services.post_message(reader, thread, "Rendez-vous samedi.").message
    db.session.commit()
    return {
        "gardener": gardener,
        "author": author,
        "reader": reader,
        "reporter": reporter,
        "initiative": initiative,
        "thread": thread,
        "message": said,
    }


def test_hiding_an_initiative_through_a_report_takes_its_readers_out_of_the_room(
    client, api_token, sio
) -> None:  # type: ignore[no-untyped-def]
    """The walk: a member (not author, not moderator) joined thread of initiative; the
    initiative is hidden through a report answered over the API; her socket is told, HTTP
    refuses her, and nothing of the thread reaches her socket any more."""
    world = _hidden_initiative_world()
    thread = world["thread"]
    reader, author, gardener = sio(world["reader"]), sio(world["author"]), sio(world["gardener"])
    for client_ in (reader, author, gardener):
        assert _join(client_, thread.id)["ok"]
    report = moderation.report(world["reporter"], "initiative", world["initiative"].id, "spam")
    db.session.commit()

    answered = client.post(
        f"/api/v1/moderation/reports/{report.id}/resolve",
        json={"action": "hide", "reason": "Hors charte"},
        headers=api_token(world["gardener"]),
    )
    assert answered.status_code == 200, answered.json

    [revoked] = received(reader, "rooms:revoked")
    assert f"thread:{thread.id}" in revoked["rooms"]
    headers = api_token(world["reader"])
    assert client.get(f"/api/v1/threads/{thread.id}", headers=headers).status_code == 404
    assert _join(reader, thread.id)["error"]["code"] == "not_found"
    # Those who still may read join again (the page does so when told).
    assert received(author, "rooms:revoked") and _join(author, thread.id)["ok"]
    assert received(gardener, "rooms:revoked") and _join(gardener, thread.id)["ok"]

    # A message shown again after being hidden: its full body goes to the room.
    message = world["message"]
    thread_services.hide_message(world["gardener"], message, "vérification")
    thread_services.restore_message(world["gardener"], message, "c'était correct")
    broadcast_updated(message)
    db.session.commit()
    assert received(reader, "message:updated") == []
    assert [u["body_html"] for u in received(author, "message:updated")] == [message.body_html]


def test_a_thread_moved_to_an_on_request_community_keeps_only_its_readers(sio) -> None:  # type: ignore[no-untyped-def]
    """No service moves a thread today: the watch sees it anyway (any write of the column)."""
    outsider, insider = make_member(), make_member()
    public = make_community()
    private = make_community(visibility="on_request", members=(insider,))
    make_membership(public, insider)
    thread = thread_services.create_thread(insider, public, "Un sujet qui déménage")
    db.session.commit()
    out, inside = sio(outsider), sio(insider)
    assert _join(out, thread.id)["ok"] and _join(inside, thread.id)["ok"]
    thread.community_id = private.id
    db.session.commit()
    assert received(out, "rooms:revoked") and received(inside, "rooms:revoked")
    assert _join(out, thread.id)["error"]["code"] == "not_found"
    assert _join(inside, thread.id)["ok"]


def test_a_ban_takes_the_member_out_of_the_rooms_of_an_on_request_community(sio) -> None:  # type: ignore[no-untyped-def]
    member, other = make_member(), make_member()
    community = make_community(visibility="on_request", members=(member, other))
    thread = thread_services.create_thread(member, community, "Entre nous")
    db.session.commit()
    banned, stays = sio(member), sio(other)
    assert _join(banned, thread.id)["ok"] and _join(stays, thread.id)["ok"]
    membership = next(m for m in _memberships(community) if m.member_id == member.id)
    membership.status = "banned"
    db.session.commit()
    assert received(banned, "rooms:revoked")
    assert received(stays, "rooms:revoked") == []  # only her sockets
    assert _join(banned, thread.id)["error"]["code"] == "not_found"


def _memberships(community: Any) -> list[Any]:
    from community.communities.models import Membership

    return list(db.session.query(Membership).filter_by(community_id=community.id))


def test_nothing_leaves_when_the_change_is_rolled_back(sio) -> None:  # type: ignore[no-untyped-def]
    world = _hidden_initiative_world()
    reader = sio(world["reader"])
    assert _join(reader, world["thread"].id)["ok"]
    savepoint = db.session.begin_nested()
    world["initiative"].hidden_at = world["thread"].created_at
    db.session.flush()
    savepoint.rollback()
    db.session.rollback()
    db.session.commit()  # the next transaction does not inherit what was rolled back
    assert received(reader, "rooms:revoked") == []


def _columns(clause: Any) -> set[tuple[str, str]]:
    return {
        (element.table.name, element.name)
        for element in visitors.iterate(clause)
        if isinstance(element, Column) and getattr(element, "table", None) is not None
    }


@pytest.mark.parametrize("who", ["visitor", "member", "gardener"])
def test_every_column_the_visibility_layer_reads_is_watched(app, who) -> None:  # type: ignore[no-untyped-def]
    """A new condition in `readable_threads` needs a way for its narrowing to reach sockets:
    watch its column in `readers.WATCHED` (or, for a key never rewritten, its primary key)."""
    member = None
    if who != "visitor":
        member = make_member()
    if who == "gardener":
        make_community(citizen=member)
    read = _columns(readable_threads(member))
    assert read, "the walk found no column: the clause changed shape"
    watched = {(a.class_.__table__.name, a.key) for a in readers.WATCHED}
    keys = {(t, c) for t, c in read if db.metadata.tables[t].c[c].primary_key}
    missing = sorted(read - watched - keys)
    assert not missing, f"readable_threads reads {missing}: watch them in threads.readers"
