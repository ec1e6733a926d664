"""Counts read right in French, where 0 and 1 take the singular ("0 personne inscrite",
"1 notification non lue"): every count goes through ngettext, and what JavaScript updates
live carries both forms, chosen by the language's own rule (`Intl.PluralRules`)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask_babel import ngettext

from community.core.cache import clear_all
from community.extensions import db
from community.notifications import services
from tests.conftest import page_text
from tests.factories import make_member


@pytest.mark.parametrize(
    ("count", "french"),
    [(0, "0 personne inscrite"), (1, "1 personne inscrite"), (2, "2 personnes inscrites")],
)
def test_zero_and_one_are_singular_in_french(app: Flask, count: int, french: str) -> None:
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        said = ngettext(
            "%(num)d person joined through it", "%(num)d people joined through it", count
        )
        assert said == f"{french} par ce lien"


def _bell(html: str) -> str:
    found = re.search(r"<span class=\"badge bell-count\"[^>]*>(.*?)</span></span>", html, re.S)
    assert found, "no bell"
    return found.group(1)


def test_the_bell_says_its_count_in_words_in_the_right_number(client: Any) -> None:
    clear_all()
    member = make_member()
    services.notify(member, "reply", "Karim vous a répondu", "/")
    db.session.commit()
    client.login_as(member)
    one = _bell(page_text(client.get("/charte")))
    assert one.startswith("1<") and one.endswith(" notification non lue")
    # Both forms ride along for the live count (notifications.js).
    assert 'data-plural-one="notification non lue"' in one
    assert 'data-plural-other="notifications non lues"' in one
    services.notify(member, "reply", "Karim encore", "/")
    db.session.commit()
    clear_all()
    assert _bell(page_text(client.get("/charte"))).endswith(" notifications non lues")


def test_the_live_bell_chooses_the_form_by_the_languages_rule() -> None:
    from pathlib import Path

    script = (Path(__file__).resolve().parents[2] / "static/js/notifications.js").read_text()
    assert "Intl.PluralRules" in script and "pluralOne" in script


def test_every_catalog_of_a_language_says_the_same_plural_rule() -> None:
    """Flask-Babel merges the domains' catalogs under the rule of the last one loaded: one
    catalog with another rule (Babel gives a new French catalog three forms) would shift
    every count of the others."""
    from babel.messages.pofile import read_po

    from community.core.i18n import PACKAGE, PLURAL_FORMS

    for path in sorted(PACKAGE.glob("*/translations/*/LC_MESSAGES/messages.po")):
        locale = path.parts[-3]
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        assert catalog.plural_forms == PLURAL_FORMS[locale], path
