"""A suspended member reads, but is offered no act she is refused (`core/standing.py`).

The walk opens every page of the site (every GET route but files and feeds, its values
taken from a world where she has a community, a message, an initiative, a mandate of
ambassador, a help request with an exchange, a gardener proposal…) as a member suspended
from the platform: each form it shows posts to an act she keeps (`@kept_while_suspended`).
In their place one plain sentence says why (`standing_refusal`, the `acting()` macro).
Refused anyway, the 403 page leads back to where she was.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask

from community.communities import pairs
from community.core.models import utcnow
from community.core.standing import kept_view_reason
from community.extensions import db
from community.moderation.suspensions import suspend_from_community, suspend_from_platform
from community.solidarity import services as solidarity
from community.threads import services as threads
from tests.ambassadors.factories import make_ambassador, make_invitation
from tests.conftest import page_text
from tests.events.factories import make_event, make_registration
from tests.factories import make_community, make_member, make_thread
from tests.initiatives.factories import make_initiative
from tests.questionnaires.factories import make_questionnaire
from tests.solidarity.factories import make_offer, make_request

# Files, feeds and redirects: no page to show.
NOT_PAGES = {
    "static",
    "core.healthz",
    "core.language",
    "webapp.manifest",
    "webapp.service_worker",
    "events.ics",
    "events.feed",
    "members.export",
    "initiatives.photo",
    "ambassadors.invitation_qr",
    "notifications.unsubscribe",
}


@pytest.fixture
def world(app: Flask) -> dict[str, Any]:
    with app.test_request_context():
        member, staff, neighbour = make_member(), make_member("staff"), make_member()
        mine = make_community(members=(member, neighbour), technician=staff)
        other = make_community(visibility="on_request", technician=make_member("staff"))
        thread = make_thread(mine, "Le bac est plein")
        threads.post_message(neighbour, thread, "On le vide samedi ?", "n1")
        message = threads.post_message(member, thread, "Oui, je viens.", "m1").message
        theirs = make_initiative(neighbour, community=mine)
        hers = make_initiative(member, community=mine)
        event = make_event(mine, staff)
        make_registration(make_event(mine, staff, title="Troc de graines"), member)
        questionnaire = make_questionnaire(mine, gardener=staff)
        ambassador = make_ambassador(member, mine, shown=True)
        invitation = make_invitation(ambassador)
        make_ambassador(member, other, status="proposed")
        proposal = pairs.propose(staff, mine, "citizen", member)
        offer = make_offer(neighbour)
        request = make_request(member, offer.theme, offer.neighbourhood)
        waiting = make_request(member, offer.theme, offer.neighbourhood, text="Un coup de main ?")
        help_proposal = solidarity.propose_help(neighbour, request, "Je peux passer.")
        solidarity.accept_proposal(member, help_proposal)
        solidarity.propose_help(neighbour, waiting, "Moi aussi.")
        make_offer(member, offer.theme, offer.neighbourhood)
        until = utcnow() + timedelta(days=30)
        suspend_from_platform(staff, member, until, "Menaces", notify_member=False)
        db.session.commit()
        values = {
            "slug": mine.slug,
            "thread_id": thread.id,
            "message_id": message.id,
            "initiative_id": hers.id,
            "event_id": event.id,
            "questionnaire_id": questionnaire.id,
            "ambassador_id": ambassador.id,
            "invitation_id": invitation.id,
            "proposal_id": proposal.id,
            "request_id": request.id,
            "member_id": neighbour.id,
        }
        extra = [
            f"/communities/{other.slug}",
            f"/initiatives/{theirs.id}",
            f"/solidarity/exchanges/{help_proposal.id}",
            f"/solidarity/requests/{waiting.id}",
        ]
        empty = make_thread(mine, "Personne n'a encore écrit")
        extra.append(f"/threads/{empty.id}")
        return {"member": member, "values": values, "extra": extra}


def _pages(app: Flask, values: dict[str, Any]) -> list[str]:
    pages = []
    with app.test_request_context():
        from flask import url_for

        for rule in app.url_map.iter_rules():
            if "GET" not in (rule.methods or ()) or rule.endpoint in NOT_PAGES:
                continue
            if rule.rule.startswith("/api/") or set(rule.arguments) - set(values):
                continue
            pages.append(url_for(rule.endpoint, **{a: values[a] for a in rule.arguments}))
    return sorted(set(pages))


def _post_actions(html: str, path: str) -> list[str]:
    actions = []
    for form in re.findall(r"<form\b[^>]*>", html):
        if not re.search(r'method="post"', form, re.I):
            continue
        action = re.search(r'action="([^"]*)"', form)
        actions.append(action.group(1).replace("&amp;", "&") if action else path)
    return actions


def test_no_page_offers_a_suspended_member_an_act_she_is_refused(
    app: Flask, client: Any, world: dict[str, Any]
) -> None:
    client.login_as(world["member"])
    adapter = app.url_map.bind("localhost")
    pages = _pages(app, world["values"]) + world["extra"]
    assert len(pages) > 40
    shown, offered = 0, []
    for path in pages:
        response = client.get(path)
        assert response.status_code < 500, (path, response.status_code)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        shown += 1
        for action in _post_actions(response.get_data(as_text=True), path):
            endpoint, _ = adapter.match(action.split("?")[0].split("#")[0], method="POST")
            if kept_view_reason(app.view_functions[endpoint], "POST") is None:
                offered.append(f"{path} → {action}")
    assert shown > 30
    assert offered == [], "\n".join(offered)


NOTE = "Votre compte est suspendu\u00a0: pour l'instant, vous pouvez lire, mais pas participer."


def test_in_place_of_the_acts_one_plain_sentence(
    app: Flask, client: Any, world: dict[str, Any]
) -> None:
    client.login_as(world["member"])
    theirs, community = world["extra"][1], world["extra"][0]
    for path in (theirs, f"/threads/{world['values']['thread_id']}", community, "/initiatives/new"):
        text = page_text(client.get(path))
        assert text.count(NOTE) == 1, path
    text = page_text(client.get(theirs))
    assert "Je soutiens" not in text and "Je donne un coup de main" not in text
    # Nothing offered, nothing said: the list of initiatives just loses its buttons.
    listing = page_text(client.get("/initiatives"))
    assert NOTE not in listing and "Proposer une initiative" not in listing
    # Her inbox lists nothing she cannot answer (the gardener proposal waits for her).
    assert "Devenir jardinier" not in page_text(client.get("/todo"))
    # A member in good standing sees the acts, and no sentence.
    client.login_as(make_member())
    text = page_text(client.get(theirs))
    assert "Je soutiens" in text and NOTE not in text


def test_the_refusal_page_leads_back(app: Flask, client: Any, world: dict[str, Any]) -> None:
    """Sent anyway (an old tab), the act is refused with the reason and a way back."""
    client.login_as(world["member"])
    theirs = world["extra"][1]
    refused = client.post_form(
        f"{theirs}/support", headers={"Referer": f"http://localhost{theirs}"}
    )
    assert refused.status_code == 403
    text = page_text(refused)
    assert "Votre compte est suspendu jusqu'au" in text
    assert f'<a class="button" href="{theirs}">Revenir à la page d\'avant</a>' in text


def test_no_way_in_that_leads_to_a_refusal(app: Flask, client: Any, world: dict[str, Any]) -> None:
    """Found walking: the discussions of a community she is not in offered her "Demander à
    rejoindre la communauté", which led to a page saying she could not. The sentence instead."""
    client.login_as(world["member"])
    other = world["extra"][0]  # /communities/<slug> of a community she is not in
    text = page_text(client.get(f"{other}/threads"))
    assert "rejoindre la communauté" not in text.lower()
    assert NOTE in text
    client.login_as(make_member())
    assert "Demander à rejoindre la communauté" in page_text(client.get(f"{other}/threads"))


# Words that invite her to act: a suspended member reads none of them (found walking).
INVITATIONS = ("répondez-lui", "Lancez la conversation", ": répondez")


def test_no_page_invites_a_suspended_member_to_act_nor_says_it_twice(
    app: Flask, client: Any, world: dict[str, Any]
) -> None:
    client.login_as(world["member"])
    pages = _pages(app, world["values"]) + world["extra"]
    found = []
    for path in pages:
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        text = page_text(response)
        main = text[text.find("<main") :]
        found += [f"{path}: {w}" for w in INVITATIONS if w.lower() in main.lower()]
        if main.count(NOTE) > 1:
            found.append(f"{path}: the suspension said twice")
    assert found == [], "\n".join(found)


def test_a_member_suspended_from_a_community_is_not_invited_to_write_in_it(client: Any) -> None:
    gardener, member = make_member("staff"), make_member()
    community = make_community(members=(member,), technician=gardener)
    empty = make_thread(community, "Personne n'a encore écrit")
    client.login_as(member)
    assert "Lancez la conversation" in page_text(client.get(f"/threads/{empty.id}"))
    suspend_from_community(gardener, member, community, utcnow() + timedelta(days=7), "Insultes")
    text = page_text(client.get(f"/threads/{empty.id}"))
    assert "Lancez la conversation" not in text and "Aucun message pour l’instant." in text
    assert "Votre participation à cette communauté est suspendue" in text
