"""A "·" between two pieces of a line never starts a line on a phone.

The separator is written `&nbsp;·` right after what it follows: a space before it, or the
newline and indentation of the template's next line that Jinja keeps (a tag without `{%-`),
would let a 360 px screen break the line before the "·" and begin the next one with it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Titles (the browser's tab) and e-mails are not laid out at 360 px.
NOT_LAID_OUT = re.compile(r"<title>.*?</title>|\{% block title %\}.*?\{% endblock %\}", re.S)
# Whitespace a browser may break at, then Jinja tags and comments that keep it (no "-") or
# opening HTML tags (no break of their own), then the separator.
BREAKABLE_BEFORE = re.compile(
    r"[ \t\n](?:\{%(?!-)[^%]*%\}|\{#(?!-).*?#\}|<[a-z][^>]*>)*(?:&nbsp;)?·"
)


def problems(source: str) -> list[str]:
    text = NOT_LAID_OUT.sub("", source)
    found = [m.group(0).strip() for m in BREAKABLE_BEFORE.finditer(text)]
    found += [m.group(0) for m in re.finditer(r"(?<!&nbsp;)·", BREAKABLE_BEFORE.sub("", text))]
    return found


def pages() -> list[Path]:
    return [p for p in TEMPLATES.rglob("*.html") if "mail" not in p.relative_to(TEMPLATES).parts]


def test_no_separator_can_start_a_line() -> None:
    found = {str(p.relative_to(TEMPLATES)): problems(p.read_text()) for p in pages()}
    assert {name: bad for name, bad in found.items() if bad} == {}


@pytest.mark.parametrize(
    ("source", "bad"),
    [
        ("<a>Un</a> · <a>Deux</a>", True),
        ("<a>Un</a>&nbsp;· <a>Deux</a>", False),
        ("<a>Un</a>\n  {% if x %}&nbsp;· deux{% endif %}", True),
        ("<a>Un</a>\n  {%- if x %}&nbsp;· deux{% endif %}", False),
        ("<li>{{ name }} ·\n  {{ status }}</li>", True),
        ("<a>Un</a>\n  <span>&nbsp;· deux</span>", True),
        ("<a>Un</a>\n  {#- kept together #}<span>&nbsp;· deux</span>", False),
        ("{% block title %}Un · Deux{% endblock %}", False),
    ],
)
def test_the_check_finds_a_breakable_separator(source: str, bad: bool) -> None:
    assert bool(problems(source)) is bad


def test_french_quotes_hold_their_words_on_one_line() -> None:
    """« and » are written with a no-break space inside (French typography): a closing » never
    starts a line at 360 px, an opening « never ends one."""
    from babel.messages.pofile import read_po

    loose = []
    for path in sorted((TEMPLATES.parent / "community").glob("*/translations/fr/LC_MESSAGES/*.po")):
        with path.open("rb") as catalog:
            for message in read_po(catalog, locale="fr"):
                texts = message.string if isinstance(message.string, tuple) else [message.string]
                loose += [t for t in texts if t and ("« " in t or " »" in t)]
    assert loose == []
