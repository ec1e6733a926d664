"""User text: Markdown rendered once to HTML, sanitised with an allow-list.

Templates show the stored `*_html` value and never mark raw user input safe.
"""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable(["table", "strikethrough"])
_markdown.disable(["image"])  # no hot-linked images from other hosts in user text

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "del", "a", "ul", "ol", "li", "blockquote", "code", "pre",
    "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
HEADING = re.compile(r"<(/?)h[12]>")


def render_markdown(text: str) -> str:
    """Markdown source → sanitised HTML, safe to show as is."""
    html = _markdown.render(text or "")
    # Page headings belong to the page, not to user text: demote them.
    html = HEADING.sub(r"<\1h3>", html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener ugc",
    )


def plain_text(text: str) -> str:
    """Text with every tag removed, for places that show no formatting."""
    return nh3.clean(text or "", tags=set())


def excerpt(text: str, length: int = 80) -> str:
    """The start of a Markdown text as plain words, at most `length` characters (with "…")."""
    clean = " ".join(plain_text(text or "").split())
    return clean if len(clean) <= length else clean[: length - 1].rstrip() + "…"
