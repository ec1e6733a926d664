"""Fixtures for threads: a community with its people, and Socket.IO test clients."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask

from community.extensions import socketio
from tests.factories import make_community, make_member, make_membership, make_thread


@dataclass
class Cast:
    """Everyone the permission matrix needs, around one community and its thread."""

    community: Any
    thread: Any
    citizen: Any  # logged in, not a member
    member: Any  # active member
    pending: Any  # asked to join, not accepted
    gardener: Any  # citizen gardener
    technician: Any  # staff, technician gardener
    staff: Any  # staff, gardening nothing
    admin: Any
    other_gardener: Any  # gardener of another community

    def role(self, name: str) -> Any:
        return getattr(self, name)


@pytest.fixture
def cast(app: Flask) -> Cast:
    return build_cast("open")


def build_cast(visibility: str) -> Cast:
    technician = make_member("staff")
    gardener = make_member()
    member = make_member()
    pending = make_member()
    community = make_community(
        visibility=visibility, technician=technician, citizen=gardener, members=(member,)
    )
    make_membership(community, pending, status="pending")
    other = make_community(citizen=make_member())
    from community.communities.models import GardenerMandate
    from community.extensions import db

    other_gardener = db.session.query(GardenerMandate).filter_by(community_id=other.id).one().member
    return Cast(
        community=community,
        thread=make_thread(community),
        citizen=make_member(),
        member=member,
        pending=pending,
        gardener=gardener,
        technician=technician,
        staff=make_member("staff"),
        admin=make_member("admin"),
        other_gardener=other_gardener,
    )


@pytest.fixture
def sio(app: Flask, api_token: Any):  # type: ignore[no-untyped-def]
    """`sio(member)` → a connected Socket.IO test client authenticated with a token."""
    clients = []

    def connect(member: Any, **kwargs: Any) -> Any:
        auth = {"token": api_token(member)["Authorization"].split()[1]}
        client = socketio.test_client(app, auth=auth, **kwargs)
        assert client.is_connected()
        clients.append(client)
        return client

    yield connect
    for client in clients:
        if client.is_connected():
            client.disconnect()


def received(client: Any, name: str) -> list[Any]:
    return [item["args"][0] for item in client.get_received() if item["name"] == name]


def login(client: Any, member: Any) -> Any:
    """Log the test client in as `member`."""
    return client.login_as(member)
