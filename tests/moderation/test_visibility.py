"""The visibility layer as a matrix: roles × content kinds × doors.

Each door — the thread page, the JSON API, the report form, the report API, the mention
notification, the export — shows a piece of content exactly to those the one rule
(`threads.queries`, `initiatives.queries`) lets read it; to anyone else the report doors
answer 404, exactly as for an id that does not exist (finding 1), and a mention sends
nothing (finding 15).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from flask import g
from sqlalchemy import select

from community.communities.models import GardenerMandate
from community.core.models import utcnow
from community.extensions import db
from community.members.models import Member
from community.moderation.models import PlatformSuspension
from community.notifications.models import Notification
from community.threads import services as thread_services
from community.threads.models import Thread
from tests.conftest import built_once
from tests.factories import make_community, make_member, make_membership, make_thread
from tests.html_parts import without_tokens
from tests.initiatives.factories import make_initiative

ROLES = (
    "visitor",
    "citizen",
    "member",
    "pending",
    "gardener",
    "other_gardener",
    "staff",
    "admin",
    "suspended",
)
KINDS = (
    "message_open",
    "message_on_request",
    "message_hidden",
    "initiative",
    "initiative_hidden",
    "initiative_thread_hidden",
)
SECRET = {
    "message_open": "Texte du sujet ouvert",
    "message_on_request": "Parole confiée au cercle",
    "message_hidden": "Propos masqué par les jardiniers",
    "initiative": "Jardin partagé",
    "initiative_hidden": "Initiative masquée",
    "initiative_thread_hidden": "Fil d'une initiative masquée",
}
EVERYONE = set(ROLES)
INSIDERS = {"member", "gardener", "staff", "admin", "suspended"}
MODERATORS = {"gardener", "staff", "admin"}
READERS: dict[str, set[str]] = {
    "message_open": EVERYONE,
    "message_on_request": INSIDERS,
    "message_hidden": MODERATORS,  # a hidden body: its author and the moderators
    "initiative": EVERYONE,
    "initiative_hidden": MODERATORS,
    "initiative_thread_hidden": MODERATORS,
}


@dataclass
class World:
    people: dict[str, Any]
    author: Any
    targets: dict[str, tuple[str, int]]  # kind → (target_type, id)
    threads: dict[str, Any]


def build() -> World:
    author = make_member(display_name="Autrice")
    gardener, staff_gardener = make_member(), make_member("staff")
    member, pending, suspended = make_member(), make_member(), make_member()
    open_c = make_community(
        technician=staff_gardener, citizen=gardener, members=(member, suspended, author)
    )
    closed = make_community(
        visibility="on_request", citizen=gardener, members=(member, suspended, author)
    )
    make_membership(closed, pending, status="pending")
    other = make_community(citizen=make_member())

    other_gardener = (
        db.session.execute(select(GardenerMandate).where(GardenerMandate.community_id == other.id))
        .scalar_one()
        .member
    )
    db.session.add(PlatformSuspension(member=suspended, reason="r", created_at=utcnow()))
    people = {
        "visitor": None,
        "citizen": make_member(),
        "member": member,
        "pending": pending,
        "gardener": gardener,
        "other_gardener": other_gardener,
        "staff": make_member("staff"),
        "admin": make_member("admin"),
        "suspended": suspended,
    }
    open_thread, closed_thread = make_thread(open_c), make_thread(closed, title="Entre nous")
    m_open = thread_services.post_message(author, open_thread, SECRET["message_open"]).message
    m_closed = thread_services.post_message(
        author, closed_thread, SECRET["message_on_request"]
    ).message
    m_hidden = thread_services.post_message(author, open_thread, SECRET["message_hidden"]).message
    m_hidden.hidden_at = utcnow()
    initiative = make_initiative(author, community=open_c, title=SECRET["initiative"])
    hidden = make_initiative(author, community=open_c, title=SECRET["initiative_hidden"])
    hidden_thread = db.session.get(type(open_thread), hidden.thread_id)
    m_hidden_thread = thread_services.post_message(
        author, hidden_thread, SECRET["initiative_thread_hidden"]
    ).message
    hidden.hidden_at = utcnow()
    db.session.flush()
    return World(
        people,
        author,
        {
            "message_open": ("message", m_open.id),
            "message_on_request": ("message", m_closed.id),
            "message_hidden": ("message", m_hidden.id),
            "initiative": ("initiative", initiative.id),
            "initiative_hidden": ("initiative", hidden.id),
            "initiative_thread_hidden": ("message", m_hidden_thread.id),
        },
        {
            "message_open": open_thread,
            "message_on_request": closed_thread,
            "message_hidden": open_thread,
            "initiative_thread_hidden": hidden_thread,
        },
    )


def _ids(world: World) -> dict[str, Any]:
    return {
        "people": {k: None if v is None else v.id for k, v in world.people.items()},
        "author": world.author.id,
        "targets": world.targets,
        "threads": {k: v.id for k, v in world.threads.items()},
    }


# The world is built once for the module; each test starts from it, in a savepoint.
_world_ids = built_once(lambda: _ids(build()))


@pytest.fixture
def world(_world_ids: dict[str, Any]) -> World:
    """The world's rows, loaded in the test's session."""
    people = {
        k: None if v is None else db.session.get(Member, v) for k, v in _world_ids["people"].items()
    }
    threads = {k: db.session.get(Thread, v) for k, v in _world_ids["threads"].items()}
    author = db.session.get(Member, _world_ids["author"])
    return World(people, author, dict(_world_ids["targets"]), threads)


def _as(client: Any, member: Any) -> None:
    g.pop("_login_user", None)
    if member is not None:
        client.login_as(member)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", [r for r in ROLES if r != "visitor"])
def test_report_doors_show_only_what_the_reporter_may_read(
    client, api_token, world, role, kind
) -> None:  # type: ignore[no-untyped-def]
    member = world.people[role]
    target_type, target_id = world.targets[kind]
    allowed = role in READERS[kind]
    _as(client, member)
    form = client.get(f"/report?target_type={target_type}&target_id={target_id}")
    missing = client.get(f"/report?target_type={target_type}&target_id=999999")
    assert missing.status_code == 404
    if allowed:
        assert form.status_code == 200
    else:
        # Exactly as for an id that does not exist: no excerpt, no title, no author.
        assert form.status_code == 404
        assert without_tokens(form) == without_tokens(missing)
    answer = client.post(
        "/api/v1/reports",
        json={"target_type": target_type, "target_id": target_id, "reason": "spam"},
        headers=api_token(member),
    )
    ghost = client.post(
        "/api/v1/reports",
        json={"target_type": target_type, "target_id": 999999, "reason": "spam"},
        headers=api_token(member),
    )
    if allowed:
        assert answer.status_code == 201
        assert "target_author" not in answer.json and "snapshot" not in answer.json
    else:
        assert answer.status_code == 404 and answer.json == ghost.json
    text = json.dumps(answer.get_json(), ensure_ascii=False) + form.get_data(as_text=True)
    if not allowed:
        assert SECRET[kind] not in text and world.author.display_name not in text


@pytest.mark.parametrize(
    "kind", ["message_open", "message_on_request", "message_hidden", "initiative_thread_hidden"]
)
@pytest.mark.parametrize("role", ROLES)
def test_page_and_api_show_a_body_only_to_its_readers(client, api_token, world, role, kind) -> None:  # type: ignore[no-untyped-def]
    member = world.people[role]
    thread = world.threads[kind]
    allowed = role in READERS[kind]
    _as(client, member)
    page = client.get(f"/threads/{thread.id}")
    headers = api_token(member) if member is not None else {}
    api = client.get(f"/api/v1/threads/{thread.id}/messages", headers=headers)
    for response in (page, api):
        body = response.get_data(as_text=True)
        if response.is_json:
            body = json.dumps(response.get_json(), ensure_ascii=False)
        assert (SECRET[kind] in body) == allowed, (response.request.path, body[:200])


@pytest.mark.parametrize("kind", ["message_open", "message_on_request", "initiative_thread_hidden"])
@pytest.mark.parametrize("role", [r for r in ROLES if r != "visitor"])
def test_a_mention_reaches_only_a_reader(client, api_token, world, role, kind) -> None:  # type: ignore[no-untyped-def]
    member = world.people[role]
    thread = world.threads[kind]
    moderator = world.people["staff"]  # may post everywhere but the hidden initiative's thread
    writer = world.author if kind != "initiative_thread_hidden" else moderator
    from community.core.database import begin_write
    from community.threads.models import Message

    begin_write()
    if kind == "initiative_thread_hidden":
        # The thread is closed with its initiative: nobody posts, nobody is told.
        from community.core.errors import Locked

        with pytest.raises(Locked):
            thread_services.post_message(writer, thread, f"@{member.display_name} lis ceci")
        return
    posted = thread_services.post_message(
        writer, thread, f"@{member.display_name} {SECRET[kind]} (mention)"
    ).message
    db.session.flush()
    told = list(
        db.session.execute(
            select(Notification).where(Notification.member_id == member.id)
        ).scalars()
    )
    allowed = role in READERS[kind]
    assert bool(told) == allowed
    for notification in told:
        assert thread.title in notification.text
    _as(client, member)
    export = json.dumps(
        client.get("/api/v1/me/export", headers=api_token(member)).get_json(), ensure_ascii=False
    )
    if not allowed:
        assert SECRET[kind] not in export and thread.title not in export
    assert isinstance(posted, Message)


def test_hidden_initiative_thread_is_closed_to_posting(client, api_token, world) -> None:  # type: ignore[no-untyped-def]
    thread = world.threads["initiative_thread_hidden"]
    for role in ("citizen", "member", "gardener", "staff"):
        response = client.post(
            f"/api/v1/threads/{thread.id}/messages",
            json={"body": "encore", "client_id": f"c-{role}"},
            headers=api_token(world.people[role]),
        )
        # Its readers are told it is closed; to anyone else it does not exist.
        readers = READERS["initiative_thread_hidden"]
        assert response.status_code == (423 if role in readers else 404), role
