"""Demo questionnaires (filled in below)."""

from __future__ import annotations

from typing import Any


def seed(ctx: Any) -> None:
    return None
