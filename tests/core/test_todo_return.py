"""Every act reached from the "à faire" inbox leads back to it (`?next=/todo`), as reports do:
a join request answered from the dashboard, an initiative answered publicly, a gardener
proposal answered. A `next` to another site is never followed."""

from __future__ import annotations

import re

from community.communities import pairs
from community.extensions import db
from tests.conftest import page_text
from tests.factories import make_community, make_member, make_membership
from tests.initiatives.factories import make_initiative


def _todo_link(client, kind_path: str) -> str:
    html = client.get("/todo").get_data(as_text=True)
    links = [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', html)]
    found = [h for h in links if h.startswith(kind_path) and "next=%2Ftodo" in h]
    assert found, links
    return found[0]


def _form_action(html: str, start: str) -> str:
    actions = [a.replace("&amp;", "&") for a in re.findall(r'action="([^"]+)"', html)]
    found = [a for a in actions if a.startswith(start)]
    assert found, actions
    return found[0]


def test_a_join_request_answered_from_the_inbox_leads_back_to_it(client) -> None:
    gardener, asking = make_member("staff"), make_member()
    community = make_community(visibility="on_request", technician=gardener)
    request = make_membership(community, asking, status="pending")
    client.login_as(gardener)
    link = _todo_link(client, "/communities/dashboard")
    page = client.get(link.split("#")[0])
    action = _form_action(page.get_data(as_text=True), f"/communities/requests/{request.id}/answer")
    assert "next=%2Ftodo" in action
    done = client.post_form(action, {"decision": "accept"})
    assert done.status_code == 302 and done.headers["Location"] == "/todo"
    assert request.status == "active"
    # Without `next` (from the dashboard itself), back to the dashboard; never elsewhere.
    other = make_membership(community, make_member(), status="pending")
    plain = client.post_form(
        f"/communities/requests/{other.id}/answer?next=//evil.example/todo",
        {"decision": "accept"},
    )
    assert plain.headers["Location"] == "/communities/dashboard"


def test_an_initiative_answered_from_the_inbox_leads_back_to_it(client) -> None:
    agent, maryse = make_member("staff"), make_member()
    community = make_community(technician=agent, citizen=maryse)
    initiative = make_initiative(make_member(), community=community)
    client.login_as(maryse)
    link = _todo_link(client, f"/initiatives/{initiative.id}")
    assert link.endswith("#answer")  # straight to the form, below supporters and helpers
    page = client.get(link)
    assert 'id="answer"' in page.get_data(as_text=True)
    action = _form_action(page.get_data(as_text=True), f"/initiatives/{initiative.id}/status")
    assert "next=%2Ftodo" in action
    done = client.post_form(
        action, {"status-status": "under_review", "status-answer": "Nous regardons."}
    )
    assert done.status_code == 302 and done.headers["Location"] == "/todo"
    # A refused answer stays on the page, still carrying the way back.
    refused = client.post_form(action, {"status-status": "declined", "status-answer": ""})
    assert refused.status_code == 422
    assert "next=%2Ftodo" in _form_action(
        refused.get_data(as_text=True), f"/initiatives/{initiative.id}/status"
    )


def test_a_gardener_proposal_answered_from_the_inbox_leads_back_to_it(client) -> None:
    staff, candidate = make_member("staff"), make_member()
    community = make_community(technician=make_member("staff"))
    make_membership(community, candidate)
    proposal = pairs.propose(staff, community, "citizen", candidate)
    db.session.flush()
    client.login_as(candidate)
    link = _todo_link(client, f"/communities/proposals/{proposal.id}")
    done = client.post_form(link, {"decision": "accept"})
    assert done.status_code == 302 and done.headers["Location"] == "/todo"
    assert "Merci" in page_text(client.get("/todo"))


BACK = '<a href="/todo">Retour à ma liste à faire</a>'


def test_every_page_opened_from_the_inbox_shows_the_way_back(client) -> None:
    """Found walking: the dashboard, an initiative and a gardener proposal opened from "À
    faire" gave no way back to it (the moderation's report page did). Opened otherwise, no
    such link."""
    staff, maryse, candidate = make_member("staff"), make_member(), make_member()
    community = make_community(visibility="on_request", technician=staff, citizen=maryse)
    make_membership(community, make_member(), status="pending")
    initiative = make_initiative(make_member(), community=community)
    make_membership(community, candidate)
    other = make_community(technician=make_member("staff"))
    make_membership(other, candidate)
    proposal = pairs.propose(staff, other, "citizen", candidate)
    db.session.flush()
    for who, start in (
        (maryse, "/communities/dashboard"),
        (maryse, f"/initiatives/{initiative.id}"),
        (candidate, f"/communities/proposals/{proposal.id}"),
    ):
        client.login_as(who)
        link = _todo_link(client, start)
        assert BACK in page_text(client.get(link)), link
        assert BACK not in page_text(client.get(start)), start
