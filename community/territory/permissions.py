from __future__ import annotations

from community.core.permissions import is_admin
from community.members.models import Member


def can_manage_territory(member: Member | None) -> bool:
    """Only admins change the themes and neighbourhoods."""
    return is_admin(member)
