"""No push ever carries a private text: walk every kind of notification through the real flows
that send it, with a marked secret in every private field (message bodies, answers, reasons,
hidden messages, handover notes, report texts, questionnaire answers and follow-ups, help
requests and their exchanges), and read every payload that would be encrypted for a phone."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from community.ambassadors import services as ambassadors
from community.ambassadors.invitations import record_invitation
from community.auth.services import confirm_email, make_confirm_token
from community.communities import memberships, pairs
from community.core.models import utcnow
from community.core.notify import kinds as registered_kinds
from community.events import attendance
from community.events import registrations as event_places
from community.events import services as events
from community.extensions import db
from community.initiatives import backing, lifecycle
from community.moderation import services as moderation
from community.notifications import push, push_sending, push_services
from community.notifications.triggers import notify_overdue
from community.questionnaires import answering
from community.questionnaires import services as questionnaires
from community.questionnaires.answering import Given
from community.solidarity import services as solidarity
from community.threads import services as threads
from tests.ambassadors.factories import make_ambassador, make_invitation
from tests.events.factories import make_event, make_registration
from tests.factories import (
    PASSWORD,
    make_community,
    make_member,
    make_membership,
    make_neighbourhood,
    make_theme,
    make_thread,
)
from tests.initiatives.factories import make_initiative
from tests.moderation.factories import make_report
from tests.notifications.test_push_api import browser_keys
from tests.questionnaires.factories import make_questionnaire, opt, q
from tests.solidarity.factories import make_offer, make_request

SECRET = "SECRETXYZ"

# Kinds walked below: every registered kind needs a flow here (the last test fails otherwise).
WALKED = {
    "reply",
    "mention",
    "initiative_status",
    "membership",
    "moderation",
    "gardener",
    "ambassador",
    "handover",
    "invitation",
    "overdue",
    "event_reminder",
    "event_promoted",
    "event_cancelled",
    "event_moved",
    "event_report",
    "event_withdrawn",
    "report",
    "report_outcome",
    "gardener_proposal",
    "gardener_proposal_answer",
    "questionnaire_follow_up",
}


@pytest.fixture(autouse=True)
def _request(app):  # type: ignore[no-untyped-def]
    with app.test_request_context():
        yield


@pytest.fixture
def pushed(monkeypatch, vapid):  # type: ignore[no-untyped-def]
    """Every (kind, encrypted payload text) the flows queue; nothing leaves the machine."""
    sent: list[tuple[str, str]] = []

    def submit_all(self: Any, jobs: list[push_sending.Job]) -> None:
        sent.extend((job.kind, job.data) for job in jobs)

    monkeypatch.setattr(push_sending.Dispatcher, "submit_all", submit_all)
    return sent


def phone_for(*members: Any) -> None:
    for member in members:
        push_services.subscribe(
            member, f"https://fcm.googleapis.com/fcm/send/m{member.id}", **browser_keys()
        )


def secret(label: str) -> str:
    return f"{label} {SECRET} {label}"


def walk_every_flow() -> None:
    staff, gardener, author, helper, named = (
        make_member("staff"),
        make_member(display_name="Garance"),
        make_member(display_name="Léa"),
        make_member(display_name="Karim"),
        make_member(display_name="Maryse"),
    )
    supporter, asker, refused, successor, newcomer_owner = (make_member() for _ in range(5))
    everyone = [staff, gardener, author, helper, named, supporter, asker, refused, successor]
    phone_for(*everyone, newcomer_owner)
    community = make_community(
        technician=staff,
        citizen=gardener,
        members=(author, helper, named, supporter),
        visibility="on_request",
        name="Compost",
    )

    # reply, mention: a message body
    thread = make_thread(community, title="Le composteur")
    question = threads.post_message(author, thread, secret("question")).message
    answer = threads.post_message(
        helper, thread, f"@Léa @Maryse {secret('answer')}", reply_to=question.id
    ).message
    # moderation: a hidden message and the reason
    threads.hide_message(gardener, answer, secret("reason"))
    report = make_report(author, community=community, text=secret("report"))
    moderation.resolve(gardener, report, "warn", secret("warning"))
    # report (to the community's gardeners), report_outcome (to the reporter): what the
    # reporter wrote, the moderators' reason
    filed = moderation.report(supporter, "message", question.id, "insult", secret("report text"))
    moderation.resolve(staff, filed, "dismiss", secret("dismissal"))

    # initiative_status: a public answer
    initiative = make_initiative(author, community=community, title="Boîte à livres")
    backing.support(supporter, initiative)
    backing.volunteer(helper, initiative, secret("volunteer"))
    lifecycle.change_status(gardener, initiative, "accepted", secret("status answer"))

    # membership: the gardeners' answer
    accepted = memberships.join(asker, community, True, secret("join"))
    declined = memberships.join(refused, community, True, secret("join"))
    memberships.answer_request(gardener, accepted, True, "")
    memberships.answer_request(gardener, declined, False, secret("refusal"))

    # gardener, handover: the handover note
    make_membership(community, successor)
    pairs.assign_gardener(staff, community, "citizen", successor, secret("handover note") * 2)
    # gardener_proposal, gardener_proposal_answer: the citizen gardener hands over her side (a
    # note for the successor); one candidate declines, the next accepts
    declining = pairs.propose(successor, community, "citizen", supporter, secret("proposal") * 2)
    pairs.answer_proposal(supporter, declining, False)
    accepting = pairs.propose(successor, community, "citizen", helper, secret("proposal") * 2)
    pairs.answer_proposal(helper, accepting, True)

    # ambassador: the mission
    ambassadors.name_ambassador(staff, named, secret("mission"), community=community)

    # invitation
    invitation = make_invitation(make_ambassador(newcomer_owner, community))
    newcomer = make_member(display_name="Nouvelle Voisine", confirmed=False)
    record_invitation(newcomer, invitation.token)
    confirm_email(make_confirm_token(newcomer), PASSWORD)  # the ambassador is told then

    # questionnaire_follow_up: the answers and the follow-up's body
    survey = make_questionnaire(community, gardener=staff, title="Le compost du quartier")
    for respondent in (author, named):
        answering.submit_response(
            respondent,
            survey,
            {
                q(survey, 0).id: Given([opt(survey, 0, 1)]),
                q(survey, 6).id: Given(text=secret("questionnaire answer")),
            },
        )
    questionnaires.close_questionnaire(staff, survey)
    questionnaires.publish_follow_up(staff, survey, secret("follow-up"))

    # overdue
    make_initiative(
        author, community=community, title="En retard", awaiting_since=utcnow() - timedelta(days=45)
    )
    notify_overdue()

    # mutual help: a help request, a proposal and the private exchange (no kind today: any
    # notification they start sending is walked here too)
    theme, place = make_theme(), make_neighbourhood()
    make_offer(helper, theme, place)
    request = make_request(author, theme, place, text=secret("help request"))
    proposal = solidarity.propose_help(helper, request, secret("proposal"))
    solidarity.accept_proposal(author, proposal)
    solidarity.send_exchange_message(author, proposal, secret("exchange"))

    # rencontres: a reminder, a place freed up, a cancellation (its reason), a compte rendu
    soon = make_event(community, staff, title="Atelier", starts_at=utcnow() + timedelta(hours=20))
    make_registration(soon, supporter)
    attendance.send_reminders()
    full = make_event(community, staff, title="Complet", capacity=1, description=secret("desc"))
    event_places.register(supporter, full)
    event_places.register(helper, full)  # waits
    event_places.unregister(supporter, full)  # helper gets the place
    events.cancel_event(staff, full, secret("cancellation"))
    past = make_event(community, staff, title="Passé", starts_at=utcnow() - timedelta(days=1))
    make_registration(past, author, checked_in_at=utcnow())
    attendance.publish_report(staff, past, secret("compte rendu"))
    # a place withdrawn: she left the on-request community (where it meets stays private)
    leaver = make_member()
    phone_for(leaver)
    make_membership(community, leaver)
    kept = make_event(community, staff, title="Réservé", place=secret("place"))
    make_registration(kept, leaver)
    # a rencontre moved to another place (the place of an on-request community's rencontre)
    events.edit_event(staff, kept, events.EventData(place=secret("new place"), given={"place"}))
    memberships.leave(leaver, community)
    db.session.commit()


def test_no_push_carries_a_private_text(pushed) -> None:
    walk_every_flow()
    kinds = {kind for kind, _ in pushed}
    expected = WALKED & set(push.pushable_kinds())  # moderation is not pushed at all
    assert kinds >= expected, f"not pushed: {expected - kinds}"
    assert "moderation" not in kinds
    for kind, data in pushed:
        payload = json.loads(data)
        assert set(payload) == {"title", "url"}, payload
        assert SECRET not in data, f"{kind} pushes a private text: {payload['title']!r}"
        assert payload["title"] and payload["url"].startswith("/")


def test_push_titles_still_say_who_did_what(pushed) -> None:
    walk_every_flow()
    titles = {kind: json.loads(data)["title"] for kind, data in pushed}
    assert titles["reply"] == "Karim vous a répondu dans une discussion"
    assert titles["mention"] == "Karim a cité votre nom dans une discussion"
    assert "Compost" in titles["gardener"]


def test_every_pushable_kind_is_walked(app) -> None:
    """A kind another domain registers (pushable or not) gets a flow in `walk_every_flow`."""
    registered = set(registered_kinds()) | set(push.pushable_kinds())
    missing = sorted(registered - WALKED)
    assert not missing, f"no privacy flow for the kinds {missing}: add one to walk_every_flow"
