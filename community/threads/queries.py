"""Reads shared by the thread pages and the API."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from community.communities.models import Community
from community.threads.models import Thread


def community_threads(community: Community) -> Select[Any]:
    """A community's topics: pinned first, then the most recently active."""
    return (
        select(Thread)
        .where(Thread.community_id == community.id, Thread.kind == "community")
        .order_by(
            Thread.pinned.desc(), Thread.last_message_at.desc().nulls_last(), Thread.id.desc()
        )
    )
