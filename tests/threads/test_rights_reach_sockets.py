"""Rights changes reach live sockets (issue 12, finding 4): a socket that loses a right stops
receiving the thread, and is told so (``rooms:revoked``); joining again checks the right."""

from __future__ import annotations

from typing import Any

from community.communities import memberships, pairs
from community.communities import services as community_services
from community.communities.services import CommunityData
from community.extensions import db
from community.threads import services as thread_services
from community.threads.realtime import broadcast_new
from tests.factories import make_member, make_membership
from tests.threads.conftest import build_cast, received


def _post(author: Any, thread: Any, body: str) -> None:
    posted = thread_services.post_message(author, thread, body, f"c-{body}", None)
    broadcast_new(posted.message)
    db.session.commit()


def _join(client: Any, thread_id: int) -> dict[str, Any]:
    return client.emit("thread:join", {"thread_id": thread_id}, callback=True)


def test_leaving_an_on_request_community_stops_its_threads(sio):
    cast = build_cast("on_request")
    leaver, stayer = sio(cast.member), sio(cast.gardener)
    assert _join(leaver, cast.thread.id)["ok"] and _join(stayer, cast.thread.id)["ok"]
    memberships.leave(cast.member, cast.community)
    db.session.commit()
    [revoked] = received(leaver, "rooms:revoked")
    assert f"thread:{cast.thread.id}" in revoked["rooms"]
    _post(cast.gardener, cast.thread, "après le départ")
    assert received(leaver, "message:new") == []
    assert ["après le départ" in m["body_html"] for m in received(stayer, "message:new")] == [True]
    ack = _join(leaver, cast.thread.id)  # what the page does when told: refused now
    assert ack["ok"] is False and ack["error"]["code"] == "not_found"


def test_a_replaced_gardener_leaves_the_moderators_room(sio):
    cast = build_cast("open")
    gardener = sio(cast.gardener)
    assert _join(gardener, cast.thread.id)["ok"]
    successor = make_member()
    make_membership(cast.community, successor)
    pairs.assign_gardener(
        cast.staff,
        cast.community,
        "citizen",
        successor,
        "Passation : les comptes rendus sont dans le dossier partagé.",
    )
    db.session.commit()
    assert received(gardener, "rooms:revoked")
    assert _join(gardener, cast.thread.id)["ok"]  # the page joins again: as a reader now
    # A hidden body goes to the moderators' room only: the former gardener no longer gets it.
    message = thread_services.post_message(cast.member, cast.thread, "à masquer", "h1", None)
    db.session.commit()
    from community.threads.realtime import broadcast_updated

    thread_services.hide_message(cast.technician, message.message, "hors sujet")
    broadcast_updated(message.message)
    db.session.commit()
    updates = received(gardener, "message:updated")
    assert updates and all("masquer" not in u["body_html"] for u in updates), updates


def test_a_community_turning_on_request_keeps_only_those_who_may_read(sio):
    cast = build_cast("open")
    outsider, member = sio(cast.citizen), sio(cast.member)
    assert _join(outsider, cast.thread.id)["ok"] and _join(member, cast.thread.id)["ok"]
    community = cast.community
    community_services.save_community(
        cast.technician,
        CommunityData(
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
    assert received(outsider, "rooms:revoked") and received(member, "rooms:revoked")
    assert _join(member, cast.thread.id)["ok"]  # the member joins again
    refused = _join(outsider, cast.thread.id)
    assert refused["ok"] is False and refused["error"]["code"] == "not_found"
    _post(cast.gardener, cast.thread, "entre membres")
    assert received(outsider, "message:new") == []
    assert ["entre membres" in m["body_html"] for m in received(member, "message:new")] == [True]
