"""HTML flows: staff create and edit, the gardener pair form, asking to join and answering."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from community.communities.models import Community, GardenerMandate, Membership
from community.extensions import db
from tests.factories import make_community, make_member, make_membership, make_theme


def test_staff_create_then_edit_a_community(client: Any) -> None:
    theme = make_theme()
    client.login_as(make_member("staff"))
    response = client.post_form(
        "/communities/new",
        {"name": "Jardins partagés", "theme_id": str(theme.id), "neighbourhood_id": "None",
         "visibility": "on_request", "charter": "**Respect**", "description": "Des jardins."},
    )  # fmt: skip
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/communities/jardins-partages"
    )
    community = db.session.execute(
        select(Community).where(Community.slug == "jardins-partages")
    ).scalar_one()
    assert (
        community.visibility == "on_request"
        and "<strong>Respect</strong>" in community.charter_html
    )
    bad = client.post_form(
        f"/communities/{community.slug}/edit",
        {"name": "x", "theme_id": str(theme.id), "neighbourhood_id": "None", "visibility": "open"},
    )
    assert bad.status_code == 422 and 'aria-invalid="true"' in bad.get_data(as_text=True)
    page = client.get(f"/communities/{community.slug}").get_data(as_text=True)
    assert "<strong>Respect</strong>" in page


def test_the_pair_form_asks_for_a_handover_note(client: Any) -> None:
    staff, old, new = make_member("staff"), make_member(), make_member()
    community = make_community(technician=staff, citizen=old, members=(new,))
    client.login_as(staff)
    url = f"/communities/{community.slug}/gardeners"
    data = {"technician_id": str(staff.id), "citizen_id": str(new.id), "handover_note": ""}
    refused = client.post_form(url, data)
    assert refused.status_code == 422 and 'id="handover_note-error"' in refused.get_data(
        as_text=True
    )
    data["handover_note"] = "Le troc de graines est prévu le 12, la salle est réservée."
    assert client.post_form(url, data).status_code == 302

    def open_citizen() -> int:
        return db.session.execute(
            select(GardenerMandate.member_id).where(
                GardenerMandate.community_id == community.id,
                GardenerMandate.side == "citizen",
                GardenerMandate.ended_at.is_(None),
            )
        ).scalar_one()

    # Issue 13: the person is asked first, and named once she accepts.
    assert open_citizen() == old.id
    from community.communities.models import GardenerProposal

    proposal = db.session.execute(select(GardenerProposal)).scalar_one()
    client.login_as(new)
    client.post_form(f"/communities/proposals/{proposal.id}", {"decision": "accept"})
    assert open_citizen() == new.id


def test_an_incomplete_pair_is_shown_plainly(client: Any) -> None:
    community = make_community(technician=make_member("staff"))
    text = client.get(f"/communities/{community.slug}").get_data(as_text=True)
    assert "Il manque un jardinier" in text


def test_asking_to_join_and_being_accepted(client: Any, app: Any) -> None:
    gardener = make_member()
    community = make_community(visibility="on_request", citizen=gardener)
    asker = make_member()
    membership = make_membership(community, asker, "pending")
    membership.request_message = "J'habite à côté."
    client.login_as(gardener)
    dashboard = client.get("/communities/dashboard").get_data(as_text=True)
    assert "J&#39;habite à côté." in dashboard or "J'habite à côté." in dashboard
    refused = client.post_form(
        f"/communities/requests/{membership.id}/answer", {"decision": "refuse"}
    )
    assert (
        refused.status_code == 422 and membership.status == "pending"
    )  # a refusal needs an answer
    _the_refusal_is_shown_at_the_form(refused.get_data(as_text=True), membership.id)
    client.post_form(
        f"/communities/requests/{membership.id}/answer",
        {"decision": "accept", "answer": "Bienvenue !"},
    )
    stored = db.session.get(Membership, membership.id)
    assert stored is not None and stored.status == "active" and stored.answer == "Bienvenue !"


def _the_refusal_is_shown_at_the_form(html: str, request_id: int) -> None:
    """The refused answer is shown in the request's own card, the choice kept: the summary
    links to the field (and is focused on load), the error is tied to the field."""
    import re

    card = re.search(rf'<article[^>]*id="request-{request_id}".*?</article>', html, re.S)
    assert card, html
    text = card.group(0)
    assert "error-summary" in text and f'href="#answer-{request_id}"' in text
    assert f'id="answer-{request_id}-error"' in text and 'aria-invalid="true"' in text
    refuse = re.search(rf'<input[^>]*id="refuse-{request_id}"[^>]*>', text)
    assert refuse and "checked" in refuse.group(0)
    accept = re.search(rf'<input[^>]*id="accept-{request_id}"[^>]*>', text)
    assert accept and "checked" not in accept.group(0)


def test_a_refusal_without_a_reason_keeps_what_was_written_and_the_way_back(client: Any) -> None:
    gardener = make_member()
    community = make_community(visibility="on_request", citizen=gardener)
    membership = make_membership(community, make_member(), "pending")
    client.login_as(gardener)
    refused = client.post_form(
        f"/communities/requests/{membership.id}/answer?next=/todo",
        {"decision": "refuse", "answer": "   "},
    )
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and membership.status == "pending"
    _the_refusal_is_shown_at_the_form(html, membership.id)
    assert "next=%2Ftodo" in html  # the way back to the inbox is kept
    # A form with no choice at all is shown at the form too.
    empty = client.post_form(f"/communities/requests/{membership.id}/answer", {"answer": "Non."})
    assert empty.status_code == 422
    assert f'href="#accept-{membership.id}"' in empty.get_data(as_text=True)
    assert "Non." in empty.get_data(as_text=True)


def test_joining_with_a_message_and_the_charter(client: Any) -> None:
    community = make_community(visibility="on_request")
    member = make_member()
    client.login_as(member)
    missing = client.post_form(f"/communities/{community.slug}/join", {"message": "Bonjour"})
    # A refused form is a 422 (the French message beside the button), and nothing is written.
    assert missing.status_code == 422 and "accept_charter-error" in missing.get_data(as_text=True)
    too_long = client.post_form(
        f"/communities/{community.slug}/join", {"message": "x" * 1001, "accept_charter": "y"}
    )
    assert too_long.status_code == 422 and "1000" in too_long.get_data(as_text=True)
    assert (
        db.session.execute(
            select(Membership).where(Membership.member_id == member.id)
        ).scalar_one_or_none()
        is None
    )
    client.post_form(
        f"/communities/{community.slug}/join", {"message": "Bonjour", "accept_charter": "y"}
    )
    membership = db.session.execute(
        select(Membership).where(Membership.member_id == member.id)
    ).scalar_one()
    assert membership.status == "pending" and membership.request_message == "Bonjour"


def test_the_pair_page_title_holds_no_html_and_no_private_note(client: Any) -> None:
    import re

    staff, old, new = make_member("staff"), make_member(), make_member()
    community = make_community("Graines", technician=staff, citizen=old, members=(new,))
    client.login_as(staff)
    url = f"/communities/{community.slug}/gardeners"
    note = "Le code du local est 1234, la clé est chez Mme R."
    data = {"technician_id": str(staff.id), "citizen_id": str(new.id), "handover_note": note}
    assert client.post_form(url, data).status_code == 302
    # Issue 13: the successor is asked first; her acceptance turns the note into a handover.
    from community.communities.models import GardenerProposal

    proposal = db.session.execute(select(GardenerProposal)).scalar_one()
    client.login_as(new)
    client.post_form(f"/communities/proposals/{proposal.id}", {"decision": "accept"})
    client.login_as(staff)
    html = client.get(url, headers={"Accept-Language": "fr"}).get_data(as_text=True)
    [title] = re.findall(r"<title>(.*?)</title>", html, re.S)
    assert "<" not in title and "code du local" not in title
    assert title.startswith("Les deux jardiniers · Graines")
    assert "code du local" in html.split("</title>", 1)[1]  # the note is in the page, for staff


def test_the_join_button_accepts_the_charter_shown_above_it(client: Any) -> None:
    """Issue 13: one tap joins; the charter is on the page, inside the form, before the button."""
    community = make_community(charter="Respect", charter_html="<p>Respect des voisins</p>")
    client.login_as(make_member())
    html = client.get(f"/communities/{community.slug}").get_data(as_text=True)
    form = html.split(f'action="/communities/{community.slug}/join"', 1)[1].split("</form>")[0]
    charter, button = form.index("Respect des voisins"), form.index('name="accept_charter"')
    assert charter < button and 'value="y"' in form[button - 200 : button + 200]
    assert 'type="checkbox"' not in form
    assert html.count("Respect des voisins") == 1  # not again below the form


@pytest.mark.parametrize("visibility", ["open", "on_request"])
def test_leaving_says_plainly_how_to_come_back(client: Any, visibility: str) -> None:
    """Leaving an on-request community, one cannot just come back: the dialog and the page
    say that a new request, answered by its gardeners, is needed."""
    import html as entities
    import re

    member = make_member()
    community = make_community(visibility=visibility, members=(member,))
    client.login_as(member)
    page = entities.unescape(client.get(f"/communities/{community.slug}").get_data(as_text=True))
    [dialog] = re.findall(r'data-confirm="([^"]*)"', page)
    confirm = entities.unescape(
        client.get(f"/communities/{community.slug}/leave").get_data(as_text=True)
    )
    ask_again = "il faudra refaire une demande"
    if visibility == "open":
        assert "Vous pourrez revenir quand vous voudrez" in dialog
        assert ask_again not in dialog and ask_again not in confirm
    else:
        assert ask_again in dialog and ask_again in confirm
        assert "Vous pourrez revenir" not in dialog + confirm


def test_the_pair_card_says_a_proposed_gardener_waits_to_accept(client: Any) -> None:
    """Not "À désigner" once staff asked someone: the card says a person is asked; her name
    to staff and to herself only, until she accepts."""
    import re

    from community.communities import pairs

    staff, candidate = make_member("staff"), make_member(display_name="Maryse Potager")
    community = make_community(technician=staff, members=(candidate,))
    pairs.propose(staff, community, "citizen", candidate)
    db.session.flush()

    def side(html: str) -> str:
        found = re.search(r"<dt>Côté habitants</dt>\s*<dd>(.*?)</dd>", html, re.S)
        assert found, html
        return " ".join(found.group(1).split())

    client.login_as(make_member())
    page = client.get(f"/communities/{community.slug}").get_data(as_text=True)
    seen = side(page)
    assert "À désigner" not in seen and "Une personne est proposée" in seen
    assert "Maryse" not in seen
    assert "Il manque" not in page  # the side asked for says so; nothing is missing
    client.login_as(staff)
    seen = side(client.get(f"/communities/{community.slug}").get_data(as_text=True))
    assert "Maryse Potager" in seen and "attente" in seen
    client.login_as(candidate)
    seen = side(client.get(f"/communities/{community.slug}").get_data(as_text=True))
    assert "/communities/proposals/" in seen
