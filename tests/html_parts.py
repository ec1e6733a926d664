"""Parts of a page, for page tests that check where something sits (no HTML library needed)."""

from __future__ import annotations

import html
import re
from typing import Any


def element(page: str, marker: str) -> str:
    """The outer HTML of the first element whose opening tag contains `marker` (an attribute,
    such as `data-shown-when="action=suspend"` or `class="mission-end"`), or "" if none."""
    found = re.search(r"<([a-z][a-z0-9]*)\b[^>]*" + re.escape(marker) + r"[^>]*>", page)
    if found is None:
        return ""
    tag = found.group(1)
    depth, position = 0, found.start()
    for match in re.finditer(rf"<(/?){tag}\b[^>]*>", page[found.start() :]):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            position = found.start() + match.end()
            return page[found.start() : position]
    return page[found.start() :]


def text_of(fragment: str) -> str:
    """The words of an HTML fragment, its tags left out, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def hrefs(fragment: str) -> list[str]:
    """The links of a fragment, in order (entities decoded)."""
    return [html.unescape(h) for h in re.findall(r'<a\b[^>]*\bhref="([^"]*)"', fragment)]


def without_tokens(response: Any) -> str:
    """A response's page without its per-render CSRF tokens (signed with the time: two renders
    a second apart differ there), to compare two answers byte for byte otherwise."""
    page = response.get_data(as_text=True)
    page = re.sub(r'name="csrf-token" content="[^"]*"', "", page)
    return re.sub(r'name="csrf_token" value="[^"]*"', "", page)
