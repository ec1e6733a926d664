"""Small text helpers shared by the domains."""

from __future__ import annotations

import re
import unicodedata


def slugify(text: str) -> str:
    """ASCII, lower-case, dash-separated: "Centre-ville Nord" → "centre-ville-nord"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60]


def full_stop(text: str) -> str:
    """`text` ended by one full stop: none is added after one (a pseudonym such as "Chloé M."
    ends a sentence on its own), an ellipsis, "!" or "?"."""
    text = text.rstrip()  # a Markup stays Markup: the page does not escape it twice
    return text if text.endswith((".", "…", "!", "?")) else text + "."
