"""Issue 13: ending an ambassador mandate asks once, says what happens to the links already
handed out, and lets them live on."""

from __future__ import annotations

import pytest

from community.ambassadors import invitations
from community.extensions import db
from tests.ambassadors.factories import make_ambassador, make_invitation
from tests.conftest import page_text
from tests.factories import make_community, make_member


@pytest.mark.parametrize("choice,still_works", [("keep", True), ("stop", False)])
def test_stepping_down_lets_the_links_live_on_or_not(client, choice, still_works):
    member = make_member()
    community = make_community(members=(member,))
    ambassador = make_ambassador(member, community)
    link = make_invitation(ambassador)
    client.login_as(member)
    page = page_text(client.get("/ambassadors"))
    assert "Vous avez donné 1 lien qui marche encore" in page
    assert "Oui, j'arrête d'être porte-voix" in page
    client.post_form(f"/ambassadors/{ambassador.id}/step-down", {"links": choice})
    db.session.expire_all()
    assert ambassador.status == "ended"
    assert (invitations.usable_invitation(link.token) is not None) is still_works
    assert (link.revoked_at is None) is still_works


def test_the_communities_page_offers_missions_to_ambassadors_only(client):
    plain, voice = make_member(), make_member()
    make_ambassador(voice, make_community())
    client.login_as(plain)
    assert "Mes missions de porte-voix" not in client.get("/communities").get_data(as_text=True)
    client.login_as(voice)
    assert "Mes missions de porte-voix" in client.get("/communities").get_data(as_text=True)


def test_the_outreach_form_starts_on_today_in_paris(client, app):
    from community.core.models import local_today

    voice = make_member()
    ambassador = make_ambassador(voice, make_community())
    client.login_as(voice)
    html = client.get(f"/ambassadors/{ambassador.id}/outreach").get_data(as_text=True)
    assert f'value="{local_today(app.config["BABEL_DEFAULT_TIMEZONE"]).isoformat()}"' in html


def test_ending_the_mission_sits_apart_at_the_bottom_of_its_card(client):
    """ "Arrêter d'être porte-voix" is not one tap from "Créer un nouveau lien": it is the last
    thing of the mission's card, in a zone of its own, and still asks before ending."""
    from tests.html_parts import element

    member = make_member()
    ambassador = make_ambassador(member, make_community(members=(member,)))
    make_invitation(ambassador)
    client.login_as(member)
    html = page_text(client.get("/ambassadors"))
    card = element(html, f'aria-labelledby="mandate-{ambassador.id}"')
    zone = element(card, 'class="mission-end"')
    assert "Arrêter d'être porte-voix" in zone and "Oui, j'arrête d'être porte-voix" in zone
    assert "Créer un nouveau lien" not in zone
    assert card.index("Créer un nouveau lien") < card.index(zone)
    # Nothing after it in the card: the zone closes the card.
    assert card[card.index(zone) + len(zone) :].strip().startswith("</section>")
    assert "Arrêter d'être porte-voix" not in card.replace(zone, "")


def test_the_outreach_journal_is_called_journal_de_terrain(client):
    """Not "carnet de rencontres": the rencontres are the events of the site."""
    voice = make_member()
    ambassador = make_ambassador(voice, make_community())
    client.login_as(voice)
    pages = [
        page_text(client.get("/ambassadors")),
        page_text(client.get(f"/ambassadors/{ambassador.id}/outreach")),
    ]
    assert "Mon journal de terrain" in pages[0]
    assert "Journal de terrain" in pages[1]
    assert not any("carnet" in page.casefold() for page in pages)


def test_the_form_for_a_new_link_has_its_heading(client):
    """After the list of her links, the form that makes another one is announced and named by
    a heading of its own (a walk found it sitting unnamed after the list)."""
    from tests.html_parts import element

    member = make_member()
    ambassador = make_ambassador(member, make_community(members=(member,)))
    make_invitation(ambassador)
    client.login_as(member)
    html = page_text(client.get("/ambassadors"))
    heading = f'<h3 id="new-link-{ambassador.id}">Un nouveau lien</h3>'
    assert heading in html
    form = element(html, f'aria-labelledby="new-link-{ambassador.id}"')
    assert "Créer un nouveau lien" in form
    assert html.index("Mes liens d’invitation") < html.index(heading) < html.index(form)
