"""The events of other domains that notify: each through the real service that makes it happen."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from community.ambassadors import services as ambassadors
from community.ambassadors.invitations import record_invitation
from community.communities import memberships, pairs
from community.core.models import utcnow
from community.extensions import db
from community.initiatives import backing, lifecycle
from community.notifications.models import Notification
from community.notifications.triggers import notify_overdue
from tests.ambassadors.factories import make_ambassador, make_invitation
from tests.factories import make_community, make_member, make_membership
from tests.initiatives.factories import make_initiative


@pytest.fixture(autouse=True)
def _request(app):  # type: ignore[no-untyped-def]
    with app.test_request_context():
        yield


def told(member) -> list[Notification]:  # type: ignore[no-untyped-def]
    return list(
        db.session.execute(
            select(Notification)
            .where(Notification.member_id == member.id)
            .order_by(Notification.id)
        ).scalars()
    )


def test_status_change_tells_author_supporters_and_volunteers() -> None:
    technician, gardener = make_member("staff"), make_member()
    author, supporter, volunteer, bystander = (
        make_member(),
        make_member(),
        make_member(),
        make_member(),
    )
    community = make_community(technician=technician, citizen=gardener, members=(author,))
    initiative = make_initiative(author, community=community, title="Boîte à livres")
    backing.support(supporter, initiative)
    backing.volunteer(volunteer, initiative, "Je peux peindre")
    lifecycle.change_status(gardener, initiative, "accepted", "Bravo, la commune fournit le bois.")
    for member in (author, supporter, volunteer):
        [notification] = told(member)
        assert notification.kind == "initiative_status"
        # The answer stays on the initiative's page (no copy of content in a notification).
        assert notification.text == (
            "«\u00a0Boîte à livres\u00a0»\u00a0: nouvel état, «\u00a0Acceptée\u00a0». "
            "Lisez la réponse sur sa page."
        ), notification.text
        assert notification.url == f"/initiatives/{initiative.id}"
    assert told(bystander) == [] and told(gardener) == []


def test_membership_answers_are_told() -> None:
    gardener, asker, refused = make_member(), make_member(), make_member()
    community = make_community(citizen=gardener, visibility="on_request", name="Jardins partagés")
    accepted = memberships.join(asker, community, True, "Bonjour")
    declined = memberships.join(refused, community, True, "Moi aussi")
    memberships.answer_request(gardener, accepted, True, "")
    memberships.answer_request(gardener, declined, False, "Le groupe est complet pour l'instant.")
    assert told(asker)[0].text == "Votre demande pour rejoindre Jardins partagés est acceptée."
    assert "Le groupe est complet" in told(refused)[0].text
    assert told(refused)[0].url == f"/communities/{community.slug}"


def test_gardeners_and_handover_notes_are_told() -> None:
    staff, old, new = make_member("staff"), make_member(), make_member()
    community = make_community(citizen=old, name="Compost")
    make_membership(community, new)
    pairs.assign_gardener(
        staff, community, "citizen", new, "Les clés du local sont chez la gardienne. " * 2
    )
    kinds = [n.kind for n in told(new)]
    assert kinds == ["gardener", "handover"]
    assert any(
        "le rôle de jardinier ou jardinière côté habitants dans Compost" in n.text
        for n in told(new)
    )
    assert told(old) == []


def test_ambassadors_named_are_told() -> None:
    gardener, member = make_member(), make_member()
    community = make_community(citizen=gardener, members=(member,), name="Alimentation")
    ambassadors.name_ambassador(
        gardener, member, "Aller au marché le samedi matin.", community=community
    )
    [notification] = told(member)
    assert notification.kind == "ambassador" and "Alimentation" in notification.text


def test_invitation_owners_are_told_once_the_newcomer_confirms() -> None:
    """Not at sign-up: an address never confirmed (a typo, someone else's) has joined
    nothing. The e-mail confirmed, the ambassador is told."""
    from community.auth.services import confirm_email, make_confirm_token
    from tests.factories import PASSWORD

    owner = make_member()
    community = make_community(members=(owner,))
    invitation = make_invitation(make_ambassador(owner, community))
    newcomer = make_member(display_name="Nouvelle Voisine", confirmed=False)
    record_invitation(newcomer, invitation.token)
    assert told(owner) == []
    assert confirm_email(make_confirm_token(newcomer), PASSWORD) is newcomer
    [notification] = told(owner)
    assert notification.kind == "invitation"
    assert (
        notification.text == "Nouvelle Voisine a rejoint Terreau grâce à votre lien d'invitation."
    )


def test_overdue_initiatives_are_told_to_gardeners_once() -> None:
    technician, gardener, author = make_member("staff"), make_member(), make_member()
    community = make_community(technician=technician, citizen=gardener, members=(author,))
    late = make_initiative(
        author, community=community, title="En retard", awaiting_since=utcnow() - timedelta(days=45)
    )
    make_initiative(
        author, community=community, title="Récente", awaiting_since=utcnow() - timedelta(days=2)
    )
    make_initiative(author, title="Spontanée", awaiting_since=utcnow() - timedelta(days=90))
    assert notify_overdue() == 2  # the two gardeners, about the late one
    for member in (technician, gardener):
        [notification] = told(member)
        assert notification.kind == "overdue" and "En retard" in notification.text
        assert notification.url == f"/initiatives/{late.id}"
    assert notify_overdue() == 0  # idempotent
    lifecycle.change_status(gardener, late, "accepted", "C'est parti")
    assert notify_overdue() == 0


def test_notify_overdue_command(app) -> None:  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(args=["notify-overdue"])
    assert result.exit_code == 0 and "en retard : 0" in result.output


def test_replies_and_mentions_are_told_once() -> None:
    from community.threads import services as threads
    from tests.factories import make_thread

    asker, helper, named = (
        make_member(display_name="Léa"),
        make_member(display_name="Karim"),
        make_member(display_name="Maryse"),
    )
    community = make_community(members=(asker, helper, named))
    thread = make_thread(community, title="Le composteur")
    question = threads.post_message(asker, thread, "Qui a la clé ?").message
    answer = threads.post_message(
        helper, thread, "Moi ! @Léa et @Maryse, passez ce soir.", reply_to=question.id
    ).message
    [to_asker] = told(asker)  # a reply that also names her: told once
    assert to_asker.kind == "reply"
    # Never the message's text.
    assert to_asker.text == "Karim vous a répondu dans «\u00a0Le composteur\u00a0»"
    assert to_asker.url == f"/threads/{thread.id}#unread"  # at her first unread message
    [to_named] = told(named)
    assert (
        to_named.kind == "mention"
        and to_named.text == "Karim a cité votre nom dans «\u00a0Le composteur\u00a0»"
    )
    threads.post_message(helper, thread, "Je me réponds", reply_to=answer.id)
    assert told(helper) == []  # nobody is told of their own act
