"""Links in notifications and mails: now `community.core.urls` (this old path is kept)."""

from __future__ import annotations

from community.core.urls import external, site_path

__all__ = ["external", "site_path"]
