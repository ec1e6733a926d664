"""The threads domain answers other domains' facts."""

from __future__ import annotations

from typing import Any

from community.communities.signals import community_created
from community.threads import services


@community_created.connect
def _open_welcome_thread(community: Any, **_kwargs: Any) -> None:
    services.welcome_thread(community)
