"""Touch targets the walk at 360 × 740 measured under 44 px: the link that closes a card on
the home page ("Voir les rencontres", 19 px) and a thread's community above it (24 px)."""

from __future__ import annotations

import re
from pathlib import Path

from community.extensions import db
from tests.conftest import page_text
from tests.factories import make_community, make_member, make_thread

CSS = Path(__file__).resolve().parents[2] / "static" / "css"


def _rule(sheet: str, selector: str) -> str:
    css = (CSS / sheet).read_text(encoding="utf-8")
    return next(line for line in css.splitlines() if line.startswith(selector + " {"))


def test_the_links_closing_the_home_cards_are_44_px(client) -> None:
    rule = _rule("terreau.css", ".card-more a")
    assert "min-height: 44px" in rule and "inline-flex" in rule
    visitor = page_text(client.get("/"))
    closing = re.findall(r'<p class="card-more"><a href="([^"]+)">', visitor)
    assert closing == ["/communities", "/initiatives", "/events", "/solidarity"]


def test_the_home_rencontres_link_of_a_member_is_44_px(client, login_as) -> None:
    from tests.events.factories import make_event

    member = make_member()
    community = make_community(members=(member,))
    make_event(community, title="Repair café")
    db.session.commit()
    login_as(member)
    home = page_text(client.get("/"))
    assert '<p class="card-more"><a href="/events">Voir les rencontres</a>' in home


def test_the_community_above_a_thread_is_44_px(client, login_as) -> None:
    rule = _rule("threads.css", ".thread-meta > a")
    assert "min-height: 44px" in rule and "inline-flex" in rule
    member = make_member()
    community = make_community(name="Jardin des Lilas", members=(member,))
    thread = make_thread(community, "Le bac est plein")
    db.session.commit()
    login_as(member)
    page = page_text(client.get(f"/threads/{thread.id}"))
    meta = page.split('<p class="thread-meta">', 1)[1].split("</p>", 1)[0]
    assert re.search(r"^\s*(\{#.*?#\}\s*)?<a href=\"[^\"]+\">Jardin des Lilas</a>", meta, re.S)


def test_the_way_back_to_the_initiative_above_its_thread_is_44_px(client, login_as) -> None:
    from tests.initiatives.factories import make_initiative

    rule = _rule("threads.css", ".thread-back > a")
    assert "min-height: 44px" in rule and "inline-flex" in rule
    member = make_member()
    community = make_community(members=(member,))
    initiative = make_initiative(member, community=community, title="Un verger partagé")
    db.session.commit()
    login_as(member)
    page = page_text(client.get(f"/threads/{initiative.thread_id}"))
    back = f'<p class="thread-back"><a href="/initiatives/{initiative.id}">'
    assert back + "Retour à l'initiative « Un verger partagé »</a></p>" in page.replace(
        "\u00a0", " "
    )
