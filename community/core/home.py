"""The home page of a logged-in member, made of each domain's section.

The core imports no domain: a domain registers, at import (in its `views.py`), what its section
of the home page shows for a member with `@home_section`; the home view gathers them before
rendering, so the page's templates query nothing (issue 17). Each function takes the member
and returns the names its template reads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Section = Callable[[Any], dict[str, Any]]

_SECTIONS: list[Section] = []


def home_section(load: Section) -> Section:
    if load not in _SECTIONS:
        _SECTIONS.append(load)
    return load


def home_context(member: Any) -> dict[str, Any]:
    """What every section of `member`'s home page shows (nothing for a visitor)."""
    if member is None:
        return {}
    found: dict[str, Any] = {}
    for load in _SECTIONS:
        found.update(load(member))
    return found
