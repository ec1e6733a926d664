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


def french_texts() -> list[str]:
    """Every French msgstr of every catalog, each plural form on its own."""
    from babel.messages.pofile import read_po

    texts: list[str] = []
    for path in sorted((TEMPLATES.parent / "community").glob("*/translations/fr/LC_MESSAGES/*.po")):
        with path.open("rb") as catalog:
            for message in read_po(catalog, locale="fr"):
                if message.id:
                    strings = message.string
                    texts += [
                        t for t in (strings if isinstance(strings, tuple) else [strings]) if t
                    ]
    return texts


def test_french_quotes_hold_their_words_on_one_line() -> None:
    """« and » are written with a no-break space inside (French typography): a closing » never
    starts a line at 360 px, an opening « never ends one."""
    assert [t for t in french_texts() if "« " in t or " »" in t] == []


# French puts a space before ":", ";", "!" and "?": a breakable one (a space, a line break, a
# narrow no-break space that some phone fonts lack) lets the sign start the next line. Only the
# space before the sign is checked: "14:30", "%(n)s:" or "http://" have none.
LOOSE_SIGN = re.compile(r"[^\S\u00a0][:;!?]")


def loose_signs(text: str) -> list[str]:
    return [text[max(0, m.start() - 20) : m.end()] for m in LOOSE_SIGN.finditer(text)]


def test_french_signs_stay_with_the_word_before_them() -> None:
    """ ":", ";", "!" and "?" follow a no-break space (U+00A0) in every French text: a sign never
    starts a line at 360 px."""
    assert [t for t in french_texts() if loose_signs(t)] == []


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("Votre compte : adresse", True),
        ("Votre compte\u00a0: adresse", False),
        ("Déjà membre ?", True),
        ("Déjà membre\u00a0?", False),
        ("Merci\n!", True),
        ("La rencontre est annulée ; les personnes", True),
        ("Rappel\u202f: %(title)s", True),
        ("%(field)s\u00a0: %(error)s", False),
        ("à 14:30, http://exemple.fr/?q=1, %(n)s:", False),
        ("n°\u00a02, 3/4", False),
    ],
)
def test_the_check_finds_a_loose_sign(text: str, bad: bool) -> None:
    assert bool(loose_signs(text)) is bad


# A template's own text around its tags: comments dropped, `{{ … }}` and `{% … %}` kept as
# placeholders (a sign right after one, as in "{{ name }} :", is the template's text).
JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.S)
JINJA_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
TEMPLATE_LOOSE_SIGN = re.compile(r"(?:[ \t\n]|&#32;)[:;!?]")


def template_loose_signs(source: str) -> list[str]:
    text = JINJA_TAG.sub("{…}", JINJA_COMMENT.sub("", source))
    return [text[max(0, m.start() - 20) : m.end()] for m in TEMPLATE_LOOSE_SIGN.finditer(text)]


def test_no_sign_of_a_template_can_start_a_line() -> None:
    """A ":" (";", "!", "?") a template writes itself, beside a French text, is not preceded by
    a breakable space either: `colon()` writes the colon of the page's language (after a
    no-break space in French). Mails and their plain-text part too."""
    found = {
        str(p.relative_to(TEMPLATES)): template_loose_signs(p.read_text())
        for suffix in ("*.html", "*.txt")
        for p in TEMPLATES.rglob(suffix)
    }
    assert {name: bad for name, bad in found.items() if bad} == {}


@pytest.mark.parametrize(
    ("source", "bad"),
    [
        ("<li>{{ name }} : {{ count }}</li>", True),
        ("{{ _('Give my place back') }} : {{ link }}", True),
        ("<li>{{ name }}{{ colon() }} {{ count }}</li>", False),
        ("<li>{{ name }}&nbsp;: {{ count }}</li>", False),
        ("{{ 'a' if x else 'b' }} {# why : because #}", False),
        ("{% set y = a if x else b %}<p>{{ y }}</p>", False),
    ],
)
def test_the_check_finds_a_loose_sign_in_a_template(source: str, bad: bool) -> None:
    assert bool(template_loose_signs(source)) is bad


@pytest.mark.parametrize(
    ("locale", "written"), [("fr", "Bellevue\u00a0: 3"), ("en", "Bellevue: 3")]
)
def test_colon_is_the_colon_of_the_page_language(app, locale: str, written: str) -> None:
    from flask import render_template_string
    from flask_babel import force_locale

    with app.test_request_context("/"), force_locale(locale):
        assert render_template_string("{{ n }}{{ colon() }} 3", n="Bellevue") == written
