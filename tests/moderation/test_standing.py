"""A suspension takes a member's powers away at every door (the attacker walk of issue 18).

A gardener suspended from the whole platform keeps a read-only account until the suspension
ends: every act is refused with the reason and the end date (403 on pages, the one JSON
error shape on the API, the error ack on sockets), except the few she keeps (logging out,
her notifications and preferences, contesting, taking back what is hers). A ban from one
community takes away her gardener's powers in that community only. Services authorise with
the same predicates, so the CLI and a test that calls them get the same rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from community.ambassadors import permissions as ambassador_permissions
from community.ambassadors.models import Ambassador
from community.ambassadors.services import name_ambassador
from community.communities import pairs
from community.communities import permissions as community_permissions
from community.communities.memberships import answer_request
from community.core.errors import Forbidden, Invalid
from community.core.jinja import day
from community.core.models import utcnow
from community.events import permissions as event_permissions
from community.events.models import Event, Registration
from community.extensions import db
from community.initiatives import permissions as initiative_permissions
from community.initiatives.models import Initiative
from community.moderation.models import PlatformSuspension, Report
from community.moderation.permissions import can_moderate_in
from community.moderation.suspensions import suspend_from_community, suspend_from_platform
from community.questionnaires import permissions as questionnaire_permissions
from community.questionnaires.models import Questionnaire
from community.solidarity import permissions as solidarity_permissions
from community.threads import permissions as thread_permissions
from community.threads import services as thread_services
from community.threads.models import Thread
from tests.ambassadors.factories import make_ambassador
from tests.conftest import page_text
from tests.events.factories import make_event, make_registration
from tests.factories import make_community, make_member, make_membership, make_thread
from tests.initiatives.factories import make_initiative
from tests.questionnaires.factories import QUESTIONS
from tests.threads.conftest import sio  # noqa: F401  (the Socket.IO client fixture)


@dataclass
class Scene:
    """Community A (gardened by `gardener`, with `technician`), with a request to join, an
    active member, a rencontre she planned, a thread and an initiative; community B, which
    `gardener` also gardens, with its own request to join."""

    a: Any
    b: Any
    gardener: Any
    technician: Any
    staff: Any
    member: Any
    request: Any
    request_b: Any
    event: Any
    thread: Any
    message: Any
    initiative: Any


@pytest.fixture
def scene(app: Any) -> Scene:
    gardener, technician, member = make_member(), make_member("staff"), make_member()
    a = make_community(technician=technician, citizen=gardener, members=(member,))
    b = make_community(technician=make_member("staff"), citizen=gardener)
    thread = make_thread(a)
    return Scene(
        a=a,
        b=b,
        gardener=gardener,
        technician=technician,
        staff=make_member("staff"),
        member=member,
        request=make_membership(a, make_member(), status="pending"),
        request_b=make_membership(b, make_member(), status="pending"),
        event=make_event(a, gardener),
        thread=thread,
        message=thread_services.post_message(member, thread, "Bonjour à tous", None).message,
        initiative=make_initiative(make_member(), community=a),
    )


UNTIL_DAYS = 400


def suspend(scene: Scene, who: Any, scope: str) -> str:
    """Suspend `who` (from the platform until a date, or from community A); the French
    refusal the seam then answers with."""
    if scope == "platform":
        until = utcnow() + timedelta(days=UNTIL_DAYS)
        suspend_from_platform(scene.staff, who, until, "Menaces", notify_member=False)
        return f"Votre compte est suspendu jusqu'au {day(until)}"
    if scope == "platform-no-end":
        suspend_from_platform(scene.staff, who, None, "Menaces", notify_member=False)
        return "Votre compte est suspendu sans date de fin"
    suspend_from_community(scene.technician, who, scene.a, None, "Insultes", notify_member=False)
    return ""


def _future(days: int, hour: int = 9) -> str:
    return (utcnow() + timedelta(days=days)).strftime(f"%Y-%m-%dT{hour:02d}:00")


# --- the attacker walk: every act refused, at every door ------------------------------------

HTML_ACTS = {
    "refuse a request to join": lambda s: (
        f"/communities/requests/{s.request.id}/answer",
        {"decision": "refuse", "answer": "Non."},
    ),
    "name an ambassador": lambda s: (
        f"/communities/{s.a.slug}/ambassadors/name",
        {"member_id": str(s.member.id), "mission": "Relayer au pied des immeubles."},
    ),
    "plan a rencontre": lambda s: (
        f"/communities/{s.a.slug}/events/new",
        {
            "title": "Permanence",
            "starts_at": _future(20),
            "ends_at": _future(20, 12),
            "place": "Place du marché",
            "capacity": "",
            "neighbourhood_id": "",
            "initiative_id": "",
            "repeat": "1",
        },
    ),
    "edit a rencontre": lambda s: (
        f"/events/{s.event.id}/edit",
        {
            "title": "Nouveau titre",
            "starts_at": _future(20),
            "ends_at": _future(20, 12),
            "place": "Ailleurs",
            "capacity": "",
            "neighbourhood_id": "",
            "initiative_id": "",
        },
    ),
    "write a questionnaire": lambda s: (
        f"/communities/{s.a.slug}/questionnaires/new",
        {"title": "Les bacs du square", "intro": "Trois questions.", "audience": "anyone"},
    ),
    "open a topic": lambda s: (f"/communities/{s.a.slug}/threads", {"title": "Composteur"}),
    "propose an initiative": lambda s: (
        "/initiatives/new",
        {
            "title": "Fresque du marché",
            "summary": "Peindre le mur",
            "description": "",
            "community": s.a.slug,
            "needs": "peinture\n",
        },
    ),
    "edit her profile": lambda s: ("/me/edit", {"display_name": "Nouveau nom"}),
}


def _nothing_changed(scene: Scene) -> None:
    db.session.expire_all()
    assert scene.request.status == "pending" and scene.request.answered_by_id is None
    named = select(Ambassador.id).where(Ambassador.member_id == scene.member.id)
    assert db.session.scalar(named) is None
    assert db.session.scalar(select(Event.id).where(Event.id != scene.event.id)) is None
    assert scene.event.title == "Atelier compost"
    assert db.session.scalar(select(Questionnaire.id)) is None
    assert db.session.scalar(select(Thread.id).where(Thread.title == "Composteur")) is None
    titles = {"Fresque du marché", "Repair café"}
    assert db.session.scalar(select(Initiative.id).where(Initiative.title.in_(titles))) is None
    assert scene.initiative.status == "proposed" and scene.initiative.support_count == 0
    assert scene.gardener.display_name != "Nouveau nom"


@pytest.mark.parametrize("scope", ["platform", "platform-no-end"])
@pytest.mark.parametrize("act", HTML_ACTS)
def test_a_suspended_gardener_is_refused_every_act_on_the_pages(
    client: Any, scene: Scene, act: str, scope: str
) -> None:
    refusal = suspend(scene, scene.gardener, scope)
    url, data = HTML_ACTS[act](scene)
    response = client.login_as(scene.gardener).post_form(url, data)
    assert response.status_code == 403, (act, response.status_code)
    text = page_text(response)
    assert refusal in text and "vous pouvez lire, mais pas agir" in text
    _nothing_changed(scene)


def _event_body() -> dict[str, Any]:
    return {
        "title": "Atelier réparation",
        "place": "Maison de quartier",
        "capacity": 10,
        "starts_at": (utcnow() + timedelta(days=20)).isoformat(),
        "ends_at": (utcnow() + timedelta(days=20, hours=2)).isoformat(),
    }


API_ACTS = {
    "plan a rencontre": lambda s: ("POST", f"/api/v1/communities/{s.a.slug}/events", _event_body()),
    "edit a rencontre": lambda s: ("PATCH", f"/api/v1/events/{s.event.id}", {"title": "Autre"}),
    "write a questionnaire": lambda s: (
        "POST",
        f"/api/v1/communities/{s.a.slug}/questionnaires",
        {"title": "Nos jardins", "questions": QUESTIONS},
    ),
    "open a topic": lambda s: (
        "POST",
        f"/api/v1/communities/{s.a.slug}/threads",
        {"title": "Composteur"},
    ),
    "propose an initiative": lambda s: (
        "POST",
        "/api/v1/initiatives",
        {"title": "Repair café", "summary": "Réparer ensemble", "community": s.a.slug},
    ),
    "name an ambassador": lambda s: (
        "POST",
        "/api/v1/ambassadors",
        {"member_id": s.member.id, "community": s.a.slug, "mission": "Relayer au marché."},
    ),
    "answer an initiative": lambda s: (
        "POST",
        f"/api/v1/initiatives/{s.initiative.id}/status",
        {"status": "studying", "answer": "Nous regardons cela de près."},
    ),
    "support an initiative": lambda s: (
        "POST",
        f"/api/v1/initiatives/{s.initiative.id}/support",
        {},
    ),
}


@pytest.mark.parametrize("act", API_ACTS)
def test_a_suspended_gardener_is_refused_every_act_on_the_api(
    client: Any, scene: Scene, api_token: Any, act: str
) -> None:
    headers = api_token(scene.gardener)
    refusal = suspend(scene, scene.gardener, "platform")
    method, url, body = API_ACTS[act](scene)
    response = client.open(url, method=method, json=body, headers=headers)
    assert response.status_code == 403, (act, response.get_json())
    answer = response.get_json()
    assert answer["code"] == "forbidden" and answer["status"] == 403
    assert answer["message"].startswith(refusal) and "mais pas agir" in answer["message"]
    _nothing_changed(scene)


def test_her_powers_that_only_read_are_gone_too(client: Any, scene: Scene, api_token: Any) -> None:
    """Reading the attendees of her rencontre is a gardener's power, not a reading."""
    headers = api_token(scene.gardener)
    assert (
        client.get(f"/api/v1/events/{scene.event.id}/attendees", headers=headers).status_code == 200
    )
    suspend(scene, scene.gardener, "platform")
    response = client.get(f"/api/v1/events/{scene.event.id}/attendees", headers=headers)
    assert response.status_code == 403
    # What anyone reads, she still reads.
    assert client.get(f"/api/v1/events/{scene.event.id}", headers=headers).status_code == 200
    assert client.get(f"/threads/{scene.thread.id}").status_code == 200


@pytest.mark.parametrize("act", ["message:send", "message:hide", "typing"])
def test_a_suspended_gardener_is_refused_on_the_socket(
    sio: Any,  # noqa: F811
    scene: Scene,
    act: str,
) -> None:
    refusal = suspend(scene, scene.gardener, "platform")
    db.session.commit()
    client = sio(scene.gardener)  # she may connect, and read
    join = client.emit("thread:join", {"thread_id": scene.thread.id}, callback=True)
    assert join["ok"] and len(join["messages"]) == 1
    payload = {
        "message:send": {"thread_id": scene.thread.id, "body": "Coucou", "client_id": "c1"},
        "message:hide": {"message_id": scene.message.id, "reason": "Hors sujet"},
        "typing": {"thread_id": scene.thread.id},
    }[act]
    ack = client.emit(act, payload, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden", ack
    assert (
        ack["error"]["message"].startswith(refusal) and "mais pas agir" in ack["error"]["message"]
    )
    db.session.expire_all()
    assert scene.message.hidden_at is None
    assert scene.thread.last_seq == 1


# --- what she keeps -----------------------------------------------------------------------


def test_a_suspended_member_keeps_what_is_harmless_or_needed_to_leave(
    client: Any,
    scene: Scene,
    api_token: Any,
    sio: Any,  # noqa: F811
) -> None:
    """Her notifications and preferences, her data, contesting a decision, taking back what
    is hers (a place at a rencontre, a community, a role), logging out: all still work."""
    member = scene.member
    registration = make_registration(scene.event, member)
    other = make_event(scene.a, scene.gardener, title="Seconde rencontre")
    make_registration(other, member)
    mission = make_ambassador(member, scene.a)
    thread_services.hide_message(scene.technician, scene.message, "Propos déplacés")
    headers = api_token(member)
    suspend(scene, member, "platform")
    db.session.commit()
    client.login_as(member)

    assert client.post_form("/notifications/read").status_code == 302
    assert client.post_form("/language", {"lang": "fr"}).status_code == 302
    assert client.get("/me/export").status_code == 200
    preferences = client.put(
        "/api/v1/me/notifications/preferences", json={"email_frequency": "weekly"}, headers=headers
    )
    assert preferences.status_code == 200
    # Contesting the hiding of her message, reporting what harms her.
    contest = client.post_form(
        f"/moderation/contest/message/{scene.message.id}",
        {"text": "Je pense que ce message respecte la charte."},
    )
    assert contest.status_code == 302
    assert db.session.scalar(select(Report.id).where(Report.appeal.is_(True))) is not None
    report = client.post(
        "/api/v1/reports",
        json={"target_type": "member", "target_id": scene.gardener.id, "reason": "insult"},
        headers=headers,
    )
    assert report.status_code == 201, report.get_json()
    # Taking back what is hers.
    assert client.post_form(f"/events/{scene.event.id}/rsvp/cancel").status_code == 302
    assert client.delete(f"/api/v1/events/{other.id}/rsvp", headers=headers).status_code == 204
    assert client.post_form(f"/ambassadors/{mission.id}/step-down").status_code == 302
    assert client.post_form(f"/communities/{scene.a.slug}/leave").status_code == 302
    db.session.expire_all()
    assert registration.status == "cancelled" and mission.status == "ended"
    assert all(
        r.status == "cancelled"
        for r in db.session.scalars(select(Registration).where(Registration.member_id == member.id))
    )
    assert not community_permissions.is_member(member, scene.a)
    # Reading live.
    socket = sio(member)
    assert socket.emit("thread:join", {"thread_id": scene.thread.id}, callback=True)["ok"]
    assert socket.emit("notifications:subscribe", {}, callback=True)["ok"]
    # Logging out.
    assert client.post_form("/auth/logout").status_code == 302
    assert client.delete("/api/v1/tokens/current", headers=headers).status_code == 204


def test_once_the_suspension_is_over_she_acts_again(client: Any, scene: Scene) -> None:
    suspend(scene, scene.gardener, "platform")
    suspension = db.session.scalars(select(PlatformSuspension)).one()
    suspension.until = utcnow() - timedelta(minutes=1)
    url, data = HTML_ACTS["refuse a request to join"](scene)
    assert client.login_as(scene.gardener).post_form(url, data).status_code == 302
    db.session.expire_all()
    assert scene.request.status == "refused"


# --- the predicates: the same rule without a door (CLI, tests) ------------------------------


@pytest.mark.parametrize("scope", ["platform", "community"])
def test_the_predicates_take_her_powers_away(scene: Scene, scope: str) -> None:
    gardener, a = scene.gardener, scene.a
    mission = make_ambassador(scene.member, a)
    assert community_permissions.can_answer_memberships(gardener, a)
    assert event_permissions.can_manage_event(gardener, scene.event)
    assert ambassador_permissions.acts_as_ambassador(scene.member, mission)
    suspend(scene, gardener, scope)
    suspend(scene, scene.member, scope)
    assert community_permissions.is_gardener(gardener, a)  # the mandate stands: she reads
    assert not community_permissions.acts_as_gardener(gardener, a)
    assert not community_permissions.can_answer_memberships(gardener, a)
    assert not community_permissions.can_moderate(gardener, a)
    assert not ambassador_permissions.can_name_ambassador(gardener, a)
    assert not ambassador_permissions.acts_as_ambassador(scene.member, mission)
    assert not ambassador_permissions.can_log_outreach(scene.member, mission)
    assert not event_permissions.can_create_event(gardener, a)
    assert not event_permissions.can_create_event(scene.member, a)  # nor as ambassador
    assert not event_permissions.can_manage_event(gardener, scene.event)
    assert not questionnaire_permissions.can_create(gardener, a)
    assert not initiative_permissions.can_answer(gardener, scene.initiative)
    assert not initiative_permissions.can_post_update(gardener, scene.initiative)
    assert not thread_permissions.can_create_thread(gardener, a)
    assert not pairs.can_propose_for(gardener, a, "citizen")
    assert not community_permissions.can_leave_handover_note(gardener, _mandate(gardener, a))
    # The services ask them.
    with pytest.raises(Forbidden):
        answer_request(gardener, scene.request, False, "Non.")
    with pytest.raises(Forbidden):
        name_ambassador(gardener, make_member(), "Relayer au marché.", community=a)
    with pytest.raises(Forbidden):
        thread_services.create_thread(gardener, a, "Composteur")
    if scope == "platform":
        assert not solidarity_permissions.is_go_between(gardener)


def _mandate(member: Any, community: Any) -> Any:
    from community.communities.models import GardenerMandate

    return db.session.scalars(
        select(GardenerMandate).where(
            GardenerMandate.member_id == member.id, GardenerMandate.community_id == community.id
        )
    ).one()


def test_a_community_ban_takes_her_powers_in_that_community_only(client: Any, scene: Scene) -> None:
    suspend(scene, scene.gardener, "community")
    gardener = scene.gardener
    assert not community_permissions.can_answer_memberships(gardener, scene.a)
    assert community_permissions.can_answer_memberships(gardener, scene.b)
    assert community_permissions.can_moderate(gardener, scene.b)
    assert event_permissions.can_create_event(gardener, scene.b)
    assert questionnaire_permissions.can_create(gardener, scene.b)
    client.login_as(gardener)
    refused = client.post_form(
        f"/communities/requests/{scene.request.id}/answer", {"decision": "refuse"}
    )
    assert refused.status_code == 403
    answered = client.post_form(
        f"/communities/requests/{scene.request_b.id}/answer", {"decision": "accept"}
    )
    assert answered.status_code == 302
    planned = client.post_form(*HTML_ACTS["plan a rencontre"](_in_b(scene)))
    assert planned.status_code == 302
    db.session.expire_all()
    assert scene.request.status == "pending" and scene.request_b.status == "active"
    assert db.session.scalar(select(Event.id).where(Event.community_id == scene.b.id))


def _in_b(scene: Scene) -> Scene:
    return Scene(**{**scene.__dict__, "a": scene.b})


# --- staff ----------------------------------------------------------------------------------


def test_a_staff_account_is_never_suspended_nor_banned(scene: Scene) -> None:
    """The technician gardener answers to the authority: her citizen co-gardener cannot ban
    her from their community (and strip her of its powers), nor can anyone else."""
    for actor in (scene.gardener, scene.staff):
        with pytest.raises(Invalid):
            suspend_from_community(actor, scene.technician, scene.a, None, "Désaccord")
    with pytest.raises(Invalid):
        suspend_from_platform(scene.staff, scene.technician, None, "Désaccord")
    assert community_permissions.can_moderate(scene.technician, scene.a)
    assert can_moderate_in(scene.technician, scene.a)


def test_every_page_tells_her_she_may_only_read(client: Any, scene: Scene) -> None:
    refusal = suspend(scene, scene.gardener, "platform")
    client.login_as(scene.gardener)
    for url in ("/", f"/communities/{scene.a.slug}", f"/threads/{scene.thread.id}"):
        assert refusal in page_text(client.get(url)), url
    client.login_as(scene.member)
    assert "suspendu" not in page_text(client.get("/"))


def test_her_inbox_lists_only_the_requests_she_may_answer(scene: Scene) -> None:
    from community.core.todo import items_for

    def requests_in_inbox() -> set[str]:
        return {i.url for i in items_for(scene.gardener) if i.kind == "membership"}

    assert len(requests_in_inbox()) == 2  # one in A, one in B
    suspend(scene, scene.gardener, "community")
    assert requests_in_inbox() == {f"/communities/dashboard#request-{scene.request_b.id}"}
    suspend(scene, scene.gardener, "platform")
    assert requests_in_inbox() == set()
