"""The ambassadors domain answers other domains' facts."""

from __future__ import annotations

from typing import Any

from community.ambassadors import invitations
from community.auth.signals import email_confirmed
from community.members.models import Member


@email_confirmed.connect
def _join_invited_community(member: Member, **_: Any) -> None:
    invitations.join_invited_community(member)
