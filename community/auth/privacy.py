"""The auth domain's part of a member's personal data: the API tokens (their dates, never the
token)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from community.auth.models import ApiToken
from community.core.privacy import export_rows
from community.members.models import Member
from community.members.signals import exporting


@exporting.connect
def export_sections(member: Member) -> dict[str, Any]:
    """This domain's sections of `member`'s data export (one query per section)."""
    me = member.id
    return {
        "api_tokens": export_rows(
            select(ApiToken.created_at, ApiToken.expires_at)
            .where(ApiToken.member_id == me)
            .order_by(ApiToken.id)
        ),
    }
