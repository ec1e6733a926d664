"""The words for the two sides of a community's gardener pair, in one place for pages, mails
and notifications. The role is named for everyone — "jardinier ou jardinière côté habitants",
"côté collectivité" — never in a form that genders the person who holds it
(`tests/core/test_plain_french.py` looks for a lone "jardinier")."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

_ROLES = {
    "technician": _l("gardener on the town's side"),
    "citizen": _l("gardener on the inhabitants' side"),
}
_SIDES = {"technician": _l("On the town's side"), "citizen": _l("On the inhabitants' side")}


def gardener_role(side: str) -> Any:
    """The role of one side of the pair, as a sentence names it ("you are asked to become…")."""
    return _ROLES[side]


def gardener_side(side: str) -> Any:
    """The side alone, where the page already says it is about the gardeners (the pair's card,
    a table's column)."""
    return _SIDES[side]
