from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from community.core.errors import Forbidden
from community.extensions import db
from community.moderation.models import ModerationAction
from community.moderation.suspensions import (
    active_suspension,
    is_banned_from,
    lift_community_ban,
    suspend_from_community,
    suspend_from_platform,
)
from community.notifications.models import Notification
from tests.conftest import built_once, load_rows
from tests.moderation.conftest import World, build_world

# Built once for the module; each test starts from it, in a savepoint.
_world_rows = built_once(build_world)


@pytest.fixture
def world(_world_rows: Any) -> World:
    return load_rows(_world_rows)  # type: ignore[no-any-return]


ROLES = (
    "visitor",
    "citizen",
    "member_a",
    "gardener_a",
    "gardener_b",
    "technician_a",
    "staff",
    "admin",
)


@pytest.fixture
def suspended(world, app):  # type: ignore[no-untyped-def]
    with app.test_request_context():
        ban = suspend_from_community(world.gardener_a, world.author, world.a, None, "Insultes")
        platform = suspend_from_platform(world.staff, world.member_a, None, "Menaces")
    db.session.commit()
    return ban, platform


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_the_suspensions(world, client, suspended, role) -> None:  # type: ignore[no-untyped-def]
    member = world.role(role)
    if member is not None:
        client.login_as(member)
    response = client.get("/moderation/suspensions")
    if role == "visitor":
        assert response.status_code == 302
        return
    allowed = role in {"gardener_a", "gardener_b", "technician_a", "staff", "admin"}
    assert response.status_code == (200 if allowed else 403)
    if allowed:
        html = response.get_data(as_text=True)
        sees_ban = role != "gardener_b"
        assert (world.author.display_name in html) is sees_ban
        assert (world.member_a.display_name in html) is (role in {"technician_a", "staff", "admin"})


@pytest.mark.parametrize("role", ROLES)
def test_lift_a_community_ban(world, client, suspended, role) -> None:  # type: ignore[no-untyped-def]
    ban, _platform = suspended
    member = world.role(role)
    if member is not None:
        client.login_as(member)
    response = client.post_form(
        f"/moderation/suspensions/community/{ban.id}/lift", {"reason": "Excuses reçues"}
    )
    allowed = role in {"gardener_a", "technician_a", "staff", "admin"}
    expected = 302 if (allowed or role == "visitor") else 403
    assert response.status_code == expected
    assert is_banned_from(world.author, world.a) is not allowed
    if allowed:
        act = db.session.execute(
            select(ModerationAction).where(ModerationAction.action == "lift_suspension")
        ).scalar_one()
        assert act.community == world.a and act.subject == world.author
        texts = [
            n.text
            for n in db.session.execute(
                select(Notification).where(Notification.member_id == world.author.id)
            ).scalars()
        ]
        assert any("est levée" in t for t in texts)


@pytest.mark.parametrize("role", ROLES)
def test_lift_a_platform_suspension(world, client, suspended, role) -> None:  # type: ignore[no-untyped-def]
    _ban, platform = suspended
    member = world.role(role)
    if member is not None:
        client.login_as(member)
    response = client.post_form(f"/moderation/suspensions/platform/{platform.id}/lift", {})
    allowed = role in {"technician_a", "staff", "admin"}
    assert response.status_code == (302 if (allowed or role == "visitor") else 403)
    assert (active_suspension(world.member_a) is None) is allowed


def test_lifting_needs_the_csrf_token(world, client, suspended) -> None:  # type: ignore[no-untyped-def]
    ban, _platform = suspended
    client.login_as(world.gardener_a)
    assert client.post(f"/moderation/suspensions/community/{ban.id}/lift").status_code == 400
    assert is_banned_from(world.author, world.a)


@pytest.mark.parametrize("role", ["citizen", "member_a", "gardener_b"])
def test_the_lifting_service_itself_refuses_who_may_not(world, suspended, role) -> None:  # type: ignore[no-untyped-def]
    """`lift_community_ban` authorises its actor (not only the page that calls it)."""
    ban, _platform = suspended
    with pytest.raises(Forbidden):
        lift_community_ban(world.role(role), ban, "Excuses")
    assert is_banned_from(world.author, world.a)
