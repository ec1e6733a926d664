"""The home page of a logged-in member, made of each domain's section.

The core imports no domain: a domain registers, at import (in its `views.py`), what its section
of the home page shows for a member with `@home_section`; the home view gathers them before
rendering, so the page's templates query nothing (issue 17). Each function takes the member
and returns the names its template reads.

Staff, admins and gardeners find their tools there too ("Mes outils"): a domain registers each
of its tool pages with `home_tool(endpoint, label, allowed)`, `allowed` being the very
predicate the page requires, so a shortcut never leads to a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import url_for

Section = Callable[[Any], dict[str, Any]]

_SECTIONS: list[Section] = []


def home_section(load: Section) -> Section:
    if load not in _SECTIONS:
        _SECTIONS.append(load)
    return load


@dataclass(frozen=True)
class Tool:
    """A page of a tool: where (`endpoint`, `values`), its name, who may open it."""

    endpoint: str
    label: Any  # a lazy string
    allowed: Callable[[Any], bool]
    values: dict[str, Any] = field(default_factory=dict)


_TOOLS: list[Tool] = []


def home_tool(endpoint: str, label: Any, allowed: Callable[[Any], bool], **values: Any) -> None:
    """Offer the page `endpoint` among the tools of the home page to whoever `allowed` lets in
    (the predicate the page itself requires)."""
    if all(t.endpoint != endpoint or t.values != values for t in _TOOLS):
        _TOOLS.append(Tool(endpoint, label, allowed, values))


def tools_for(member: Any) -> list[tuple[str, str]]:
    """The (name, path) of the tools `member` may open, in the order the domains gave them."""
    return [
        (str(tool.label), url_for(tool.endpoint, **tool.values))
        for tool in _TOOLS
        if tool.allowed(member)
    ]


def home_context(member: Any) -> dict[str, Any]:
    """What every section of `member`'s home page shows (nothing for a visitor)."""
    if member is None:
        return {}
    found: dict[str, Any] = {"tools": tools_for(member)}
    for load in _SECTIONS:
        found.update(load(member))
    return found
