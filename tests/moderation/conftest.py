from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from community.members.models import Member
from tests.factories import make_community, make_member


@dataclass
class World:
    """Two communities, each with its pair of gardeners, and people in every role."""

    a: Any
    b: Any
    technician_a: Member
    gardener_a: Member
    gardener_b: Member
    member_a: Member
    citizen: Member
    staff: Member
    admin: Member
    author: Member

    def role(self, name: str) -> Member | None:
        return None if name == "visitor" else getattr(self, name)


@pytest.fixture
def world() -> World:
    return build_world()


def build_world() -> World:
    technician_a, technician_b = make_member("staff"), make_member("staff")
    gardener_a, gardener_b = make_member(), make_member()
    member_a, author = make_member(), make_member(display_name="Auteur Signalé")
    a = make_community(technician=technician_a, citizen=gardener_a, members=(member_a, author))
    b = make_community(technician=technician_b, citizen=gardener_b)
    return World(
        a=a,
        b=b,
        technician_a=technician_a,
        gardener_a=gardener_a,
        gardener_b=gardener_b,
        member_a=member_a,
        citizen=make_member(),
        staff=make_member("staff"),
        admin=make_member("admin"),
        author=author,
    )
