"""What the second walk of 8 December measured at 360 × 740 and fixed: the tools of the home
page at 43 px, a way back and a form's "Annuler" at 24 px, a rencontre's links at 19 px, and the
"À faire" cards whose text touched their border (`.plain-list li` took the card's padding)."""

from __future__ import annotations

from pathlib import Path

from community.extensions import db
from tests.conftest import page_text
from tests.factories import make_community, make_member

CSS = Path(__file__).resolve().parents[2] / "static" / "css"


def _rule(sheet: str, selector: str) -> str:
    css = (CSS / sheet).read_text(encoding="utf-8")
    return next(line for line in css.splitlines() if line.startswith(selector + " {"))


def _is_44_px(rule: str) -> bool:
    return "min-height: 44px" in rule and "inline-flex" in rule and "align-items: center" in rule


def test_the_tools_of_the_home_page_are_44_px() -> None:
    assert _is_44_px(_rule("terreau.css", ".tool-list a"))


def test_a_way_back_and_a_plain_link_beside_a_button_are_44_px() -> None:
    assert _is_44_px(_rule("terreau.css", ".way-back a, .actions > a:not(.button)"))


def test_the_links_of_a_rencontre_are_44_px(client, login_as) -> None:
    from tests.events.factories import make_event

    assert _is_44_px(_rule("terreau.css", ".link-list > li > a:not(.button)"))
    gardener = make_member()
    community = make_community(citizen=gardener)
    event = make_event(community, title="Repair café")
    db.session.commit()
    login_as(gardener)
    page = page_text(client.get(f"/events/{event.id}"))
    assert '<ul class="plain-list actions link-list">' in page
    manage = page.split('id="manage-title"', 1)[1]
    assert '<ul class="plain-list link-list">' in manage


def test_a_card_in_a_plain_list_keeps_its_padding() -> None:
    # `.plain-list li` (0,1,1) beat `.card` (0,1,0): "À faire" lost its cards' padding.
    assert "padding: 1rem" in _rule("terreau.css", ".plain-list > li.card")
