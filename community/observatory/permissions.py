"""Who may read the observatory: staff and admins, nobody else."""

from __future__ import annotations

from community.core.permissions import is_staff
from community.members.models import Member


def can_see_observatory(member: Member | None) -> bool:
    """The authority's staff (admins included) read aggregates; no member sees them."""
    return is_staff(member)
