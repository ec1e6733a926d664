"""Issue 13, part A: a home that leads, landing in the welcome thread, communities for me,
confirming before leaving, gardeners asked before being named, the "à faire" inbox."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from community.communities import gardener_queries, pairs, services
from community.communities.models import GardenerMandate, GardenerProposal, Membership
from community.core.errors import Forbidden, Invalid
from community.core.models import utcnow
from community.core.todo import items_for
from community.extensions import db
from community.notifications.models import Notification
from community.threads import reading
from community.threads import services as threads
from community.threads.models import Thread
from tests.conftest import page_text
from tests.factories import (
    make_community,
    make_member,
    make_membership,
    make_neighbourhood,
    make_theme,
    make_thread,
)

NOTE = "Le composteur est retourné le jeudi ; Paul a les clés du local."


def notifications_of(member, kind):
    return list(
        db.session.execute(
            select(Notification).where(
                Notification.member_id == member.id, Notification.kind == kind
            )
        ).scalars()
    )


# --- the home page and the community page ------------------------------------------------


def test_home_lists_my_communities_with_their_latest_discussions_and_unread(client):
    lea, other = make_member(display_name="Léa"), make_member()
    mine = make_community("Compost des Tilleuls", members=(lea, other))
    make_community("Ailleurs", members=(other,))
    thread = make_thread(mine, "Le bac est plein")
    for n in range(3):
        threads.post_message(other, thread, f"Message {n}", f"c{n}")
    reading.mark_read(lea, thread, 1)
    client.login_as(lea)
    html = page_text(client.get("/"))
    assert "Mes communautés" in html and "Compost des Tilleuls" in html
    assert f'href="/threads/{thread.id}#unread"' in html and "2 non lus" in html
    assert "Ailleurs" not in html
    # A visitor still gets the visitor's page.
    client.post_form("/auth/logout")
    assert "Créer mon compte" in page_text(client.get("/"))


def test_a_newcomer_is_led_to_communities_near_her(client):
    newcomer = make_member()
    client.login_as(newcomer)
    html = page_text(client.get("/"))
    assert "Vous n'êtes pas encore dans une communauté" in html
    assert 'href="/communities/for-me"' in html


def test_the_community_page_lists_its_discussions_with_unread(client):
    lea, other = make_member(), make_member()
    community = make_community(members=(lea, other))
    thread = make_thread(community, "On plante quand ?")
    threads.post_message(other, thread, "Samedi ?", "x1")
    client.login_as(lea)
    html = page_text(client.get(f"/communities/{community.slug}"))
    assert "On plante quand ?" in html and "1 non lu" in html
    assert "Aller aux discussions" in html
    # It leads to the list of its discussions, not into the welcome thread's writing box.
    assert f'href="/communities/{community.slug}/threads">Aller aux discussions' in html


def test_joining_lands_in_the_welcome_thread_opened_once(client):
    lea = make_member()
    community = make_community()
    client.login_as(lea)
    response = client.post_form(f"/communities/{community.slug}/join", {"accept_charter": "y"})
    assert response.headers["Location"] == f"/communities/{community.slug}/welcome"
    landing = client.get(response.headers["Location"])
    [welcome] = db.session.execute(
        select(Thread).where(Thread.community_id == community.id, Thread.welcome.is_(True))
    ).scalars()
    # At the top of the thread (walked at 360 px: opened at its writing box, the page hid
    # "Bienvenue dans …", the thread's title and its community above the fold): the welcome,
    # then the "Écrire" button one tap from the box.
    assert landing.headers["Location"] == f"/threads/{welcome.id}"
    shown = page_text(client.get(landing.headers["Location"]))
    assert shown.index("Bienvenue dans") < shown.index("<h1>") < shown.index('href="#message-form"')
    client.get(f"/communities/{community.slug}/welcome")  # a second visit opens no other
    assert threads.welcome_thread(community).id == welcome.id and welcome.pinned
    assert 'id="message-form"' in page_text(client.get(f"/threads/{welcome.id}"))


def test_a_request_to_join_does_not_land_in_the_thread(client):
    lea = make_member()
    community = make_community(visibility="on_request")
    client.login_as(lea)
    response = client.post_form(f"/communities/{community.slug}/join", {"accept_charter": "y"})
    assert response.headers["Location"] == f"/communities/{community.slug}"


def test_creating_a_community_opens_its_welcome_thread(request_context):
    staff = make_member("staff")
    data = services.CommunityData(name="Vélo pour tous", slug="", theme_id=make_theme().id)
    community = services.save_community(staff, data)
    assert threads.welcome_thread(community).created_by_id is None
    assert (
        db.session.execute(select(Thread).where(Thread.community_id == community.id))
        .scalar_one()
        .welcome
    )


def test_communities_for_me_after_confirming(client):
    tilleuls, port = make_neighbourhood("Les Tilleuls"), make_neighbourhood("Le Port")
    food, bikes = make_theme("Alimentation"), make_theme("Vélo")
    lea = make_member()
    make_community("Jardin des Tilleuls", theme=bikes, neighbourhood=tilleuls)
    make_community("Cuisine de la ville", theme=food)  # city-wide: open to everyone
    make_community("Pêche au Port", theme=food, neighbourhood=port)
    joined = make_community("Déjà membre", theme=food, neighbourhood=tilleuls, members=(lea,))
    client.login_as(lea)
    assert "Mon quartier" in page_text(client.get("/communities/for-me"))
    response = client.post_form(
        "/communities/for-me", {"neighbourhood_id": tilleuls.id, "theme_ids": [food.id]}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert lea.neighbourhood_id == tilleuls.id and [t.id for t in lea.themes] == [food.id]
    html = page_text(client.get("/communities/for-me"))
    near = html[html.index("Près de chez vous") :]
    assert near.index("Cuisine de la ville") < near.index("Jardin des Tilleuls")  # her theme first
    assert "Pêche au Port" not in near and joined.name not in near


def test_communities_for_me_needs_a_login(client):
    assert "/auth/login" in client.get("/communities/for-me").headers["Location"]


def test_leaving_asks_once(client):
    lea = make_member()
    community = make_community(members=(lea,))
    client.login_as(lea)
    page = page_text(client.get(f"/communities/{community.slug}/leave"))
    assert f"Quitter {community.name}\u00a0?" in page and "Oui, quitter" in page
    assert (
        db.session.execute(
            select(Membership.status).where(Membership.member_id == lea.id)
        ).scalar_one()
        == "active"
    )
    client.post_form(f"/communities/{community.slug}/leave")
    assert (
        db.session.execute(
            select(Membership.status).where(Membership.member_id == lea.id)
        ).scalar_one()
        == "left"
    )
    # Nothing left to leave: the page sends her back.
    assert client.get(f"/communities/{community.slug}/leave").status_code == 302


# --- gardeners are asked before being named ------------------------------------------------


def test_a_citizen_gardener_hands_over_and_the_successor_accepts(client):
    old, successor = make_member(display_name="Maryse"), make_member(display_name="Paul")
    community = make_community(citizen=old, technician=make_member("staff"), members=(successor,))
    [mandate] = gardener_queries.gardened_by(old)
    client.login_as(old)
    assert "Passer la main" in page_text(client.get("/communities/dashboard"))
    prefix = f"h{mandate.id}"
    client.post_form(
        f"/communities/mandates/{mandate.id}/hand-over",
        {f"{prefix}-candidate_id": successor.id, f"{prefix}-handover_note": NOTE},
    )
    proposal = db.session.execute(select(GardenerProposal)).scalar_one()
    assert proposal.status == "pending" and proposal.proposed_by_id == old.id
    assert gardener_queries.gardened_by(successor) == []  # not named yet: she is asked
    [asked] = notifications_of(successor, "gardener_proposal")
    assert asked.url == f"/communities/proposals/{proposal.id}"
    assert [i.kind for i in items_for(successor)] == ["gardener"]
    # While Paul is asked, Maryse's dashboard says so, with the way to take it back.
    dashboard = page_text(client.get("/communities/dashboard"))
    assert "Passer la main" not in dashboard
    assert "Vous avez demandé à Paul de prendre la suite" in dashboard
    assert f'href="/communities/proposals/{proposal.id}"' in dashboard

    client.login_as(successor)
    assert "Maryse" in page_text(client.get(asked.url))
    client.post_form(asked.url, {"decision": "accept"})
    db.session.expire_all()
    assert [m.member_id for m in gardener_queries.gardened_by(successor)] == [successor.id]
    assert gardener_queries.gardened_by(old) == []
    assert [h.note for h in gardener_queries.handovers_for(successor)] == [NOTE]
    assert notifications_of(old, "gardener_proposal_answer")
    assert community.id == proposal.community_id


def test_declining_changes_nothing(request_context):
    old, successor = make_member(), make_member()
    community = make_community(citizen=old, members=(successor,))
    proposal = pairs.propose(old, community, "citizen", successor, NOTE)
    with pytest.raises(Forbidden):
        pairs.answer_proposal(old, proposal, True)  # only the person asked answers
    pairs.answer_proposal(successor, proposal, False)
    assert proposal.status == "declined"
    assert [m.member_id for m in gardener_queries.gardened_by(old)] == [old.id]


@pytest.mark.parametrize("who", ["member", "technician", "successor"])
def test_who_may_hand_over_the_citizen_side(request_context, who):
    old, successor, member = make_member(), make_member(), make_member()
    technician = make_member("staff")
    community = make_community(citizen=old, technician=technician, members=(successor, member))
    actor = {"member": member, "technician": technician, "successor": successor}[who]
    if who == "technician":  # staff may ask anyone; the pair's other side is staff here
        assert pairs.propose(actor, community, "citizen", successor, NOTE).status == "pending"
        return
    with pytest.raises(Forbidden):
        pairs.propose(actor, community, "citizen", successor, NOTE)


def test_handing_over_checks_the_successor_and_the_note(request_context):
    old, outsider, member = make_member(), make_member(), make_member()
    community = make_community(citizen=old, members=(member,))
    with pytest.raises(Invalid):
        pairs.propose(old, community, "citizen", outsider, NOTE)  # not a member
    with pytest.raises(Invalid):
        pairs.propose(old, community, "citizen", member, "trop court")
    with pytest.raises(Forbidden):
        pairs.propose(old, community, "technician", make_member("staff"), NOTE)


def test_staff_naming_someone_asks_them_first(client):
    staff, paul = make_member("staff"), make_member(display_name="Paul")
    community = make_community(members=(paul,))
    client.login_as(staff)
    response = client.post_form(
        f"/communities/{community.slug}/gardeners",
        {"technician_id": "", "citizen_id": paul.id, "handover_note": ""},
    )
    assert response.status_code == 302
    assert db.session.execute(select(GardenerMandate)).first() is None
    proposal = db.session.execute(select(GardenerProposal)).scalar_one()
    assert proposal.candidate_id == paul.id and proposal.status == "pending"
    assert "En attente de la réponse de Paul" in page_text(
        client.get(f"/communities/{community.slug}/gardeners")
    )


def test_a_stranger_cannot_see_or_answer_a_proposal(client):
    old, successor = make_member(), make_member()
    community = make_community(citizen=old, members=(successor,))
    proposal = pairs.propose(old, community, "citizen", successor, NOTE)
    client.login_as(make_member())
    assert client.get(f"/communities/proposals/{proposal.id}").status_code == 403
    assert (
        client.post_form(
            f"/communities/proposals/{proposal.id}", {"decision": "accept"}
        ).status_code
        == 403
    )


# --- the "à faire" inbox ----------------------------------------------------------------------


def test_join_requests_wait_in_the_gardeners_inbox_with_a_badge(client, app):
    gardener, lea = make_member(), make_member(display_name="Léa")
    community = make_community(citizen=gardener, visibility="on_request")
    old = make_membership(community, make_member(display_name="Ancienne"), status="pending")
    old.created_at = utcnow() - timedelta(days=app.config["MEMBERSHIP_ANSWER_DAYS"] + 1)
    make_membership(community, lea, status="pending")
    client.login_as(gardener)
    html = page_text(client.get("/todo"))
    assert html.index("Ancienne") < html.index("Léa demande")  # the late one first
    assert "En retard" in html
    home = page_text(client.get("/"))
    assert 'href="/todo"' in home and '<span class="badge todo-count">2' in home


def test_a_plain_member_has_no_badge(client):
    client.login_as(make_member())
    assert 'class="badge todo-count"' not in page_text(client.get("/"))
    assert "Rien ne vous attend" in page_text(client.get("/todo"))


def test_home_shows_what_waits_for_me(client, app):
    from community.initiatives import lifecycle
    from community.solidarity.models import HelpProposal
    from tests.initiatives.factories import make_initiative
    from tests.solidarity.factories import make_request

    lea, agent, helper = make_member(), make_member("staff"), make_member(display_name="Hugo")
    with app.test_request_context():
        idea = make_initiative(lea, title="Un banc au square")
        lifecycle.change_status(agent, idea, "accepted", "Oui, au printemps.")
        request = make_request(lea)
    db.session.add(HelpProposal(request=request, helper=helper, message="", status="proposed"))
    db.session.flush()
    client.login_as(lea)
    html = page_text(client.get("/"))
    assert "Mes initiatives" in html and "Un banc au square" in html and "réponse le" in html
    assert "Hugo propose de vous aider\u00a0: répondez-lui" in html


def test_home_shows_the_next_rencontres(client):
    from tests.events.factories import make_event

    lea = make_member()
    community = make_community(members=(lea,))
    make_event(community, title="Troc de graines")
    client.login_as(lea)
    html = page_text(client.get("/"))
    assert "Rencontres" in html and "Troc de graines" in html
