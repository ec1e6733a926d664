"""The rules of ambassadors: naming, answering, links and reach, the outreach journal."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from community.ambassadors import invitations, services
from community.ambassadors.models import InvitationUse
from community.auth.services import SignupData, sign_up
from community.core.errors import Conflict, Forbidden, Invalid
from community.core.models import utcnow
from community.extensions import db
from tests.ambassadors.factories import make_ambassador, make_invitation, make_use
from tests.factories import (
    make_community,
    make_member,
    make_membership,
    make_neighbourhood,
    make_theme,
)

pytestmark = pytest.mark.usefixtures("request_context")
MISSION = "Aller au marché du samedi, relayer ce qu'on entend."


def _outing(**changes: object) -> services.OutreachData:
    values: dict[str, object] = {
        "happened_on": date.today(),
        "place_kind": "market",
        "people_met": 12,
        "topics": "Envie d'un composteur.",
    }
    values.update(changes)
    return services.OutreachData(**values)  # type: ignore[arg-type]


def test_a_gardener_names_a_member_who_accepts_then_steps_down() -> None:
    gardener, member = make_member(), make_member()
    community = make_community(citizen=gardener, members=(member,))
    ambassador = services.name_ambassador(gardener, member, MISSION, community=community)
    assert ambassador.status == "proposed" and ambassador.started_at is None
    with pytest.raises(Forbidden):
        services.answer_nomination(gardener, ambassador, True)
    services.answer_nomination(member, ambassador, True, shown=True)
    assert ambassador.status == "active" and ambassador.started_at is not None
    assert services.public_ambassadors(community) == [ambassador]
    invitation = invitations.create_invitation(member, ambassador, "école")
    services.step_down(member, ambassador)
    assert ambassador.status == "ended" and ambassador.ended_at is not None
    assert invitation.revoked_at is not None
    assert services.public_ambassadors(community) == []
    with pytest.raises(Conflict):
        services.step_down(member, ambassador)


def test_declining_is_dated_and_final() -> None:
    gardener, member = make_member(), make_member()
    community = make_community(citizen=gardener, members=(member,))
    ambassador = services.name_ambassador(gardener, member, MISSION, community=community)
    services.answer_nomination(member, ambassador, False)
    assert ambassador.status == "declined" and ambassador.ended_at is not None
    with pytest.raises(Conflict):
        services.answer_nomination(member, ambassador, True)


def test_who_may_name_and_whom() -> None:
    gardener, member, outsider = make_member(), make_member(), make_member()
    community = make_community(citizen=gardener, members=(member,))
    other_gardener = make_member()
    make_community(citizen=other_gardener)
    with pytest.raises(Forbidden):
        services.name_ambassador(other_gardener, member, MISSION, community=community)
    with pytest.raises(Forbidden):
        services.name_ambassador(member, member, MISSION, community=community)
    with pytest.raises(Invalid):
        services.name_ambassador(gardener, outsider, MISSION, community=community)  # not a member
    with pytest.raises(Invalid):
        services.name_ambassador(gardener, member, "court", community=community)
    place = make_neighbourhood()
    with pytest.raises(Forbidden):
        services.name_ambassador(gardener, outsider, MISSION, neighbourhood=place)
    assert (
        services.name_ambassador(
            make_member("staff"), outsider, MISSION, neighbourhood=place
        ).neighbourhood_id
        == place.id
    )
    services.name_ambassador(gardener, member, MISSION, community=community)
    with pytest.raises(Conflict):
        services.name_ambassador(gardener, member, MISSION, community=community)


def test_only_agreed_ambassadors_are_public() -> None:
    community = make_community()
    shown = make_ambassador(make_member(), community, shown=True)
    make_ambassador(make_member(), community, shown=False)
    make_ambassador(make_member(), community, shown=True, status="proposed")
    assert services.public_ambassadors(community) == [shown]


def test_links_expire_and_are_revoked() -> None:
    member = make_member()
    ambassador = make_ambassador(member, make_community())
    link = invitations.create_invitation(member, ambassador, "marché du samedi", valid_days=30)
    assert invitations.usable_invitation(link.token) is link
    link.expires_at = utcnow() - timedelta(seconds=1)
    assert invitations.usable_invitation(link.token) is None
    other = invitations.create_invitation(member, ambassador)
    with pytest.raises(Forbidden):
        invitations.revoke_invitation(make_member(), other)
    invitations.revoke_invitation(member, other)
    assert invitations.usable_invitation(other.token) is None
    with pytest.raises(Invalid):
        invitations.create_invitation(member, ambassador, "appelez le 06 12 34 56 78")
    with pytest.raises(Invalid):
        invitations.create_invitation(member, ambassador, valid_days=0)
    with pytest.raises(Forbidden):
        invitations.create_invitation(make_member(), ambassador)


def test_signing_up_through_a_link_records_who_brought_whom() -> None:
    member = make_member()
    link = make_invitation(make_ambassador(member, make_community()))
    data = SignupData(
        "nouvelle@example.org", "un mot de passe solide", "Nouvelle", True, invitation=link.token
    )
    newcomer = sign_up(data)
    use = db.session.execute(
        select(InvitationUse).where(InvitationUse.member_id == newcomer.id)
    ).scalar_one()
    assert use.invitation_id == link.id
    # A dead or unknown link does not stop a sign-up; it is simply not counted.
    link.revoked_at = utcnow()
    late = sign_up(
        SignupData(
            "tard@example.org", "un mot de passe solide", "En retard", True, invitation=link.token
        )
    )
    other = sign_up(
        SignupData("autre@example.org", "un mot de passe solide", "Autre", True, invitation="nope")
    )
    for person in (late, other):
        assert (
            db.session.execute(
                select(InvitationUse).where(InvitationUse.member_id == person.id)
            ).first()
            is None
        )


def test_reach_counts_joined_and_engaged_per_link(queries) -> None:  # type: ignore[no-untyped-def]
    member = make_member()
    ambassador = make_ambassador(member, make_community())
    market, school, empty = (
        make_invitation(ambassador, "marché"),
        make_invitation(ambassador, "école"),
        make_invitation(ambassador, "vide"),
    )
    community = make_community()
    people = [make_member() for _ in range(5)]
    for person in people[:3]:
        make_use(market, person)
    for person in people[3:]:
        make_use(school, person)
    make_membership(community, people[0])
    make_membership(make_community(), people[0])  # counted once
    make_membership(community, people[1], "left")  # not engaged
    make_membership(community, people[3])
    with queries() as log:
        rows = invitations.reach_of(ambassador)
    reach = {r.invitation.label: (r.joined, r.engaged) for r in rows}
    assert reach == {"marché": (3, 1), "école": (2, 1), "vide": (0, 0)}
    assert log.count == 1
    assert empty.id


def test_outreach_refuses_contact_details() -> None:
    member = make_member()
    ambassador = make_ambassador(member, make_community())
    for field, text in (
        ("topics", "Écrire à jean.dupont@example.org"),
        ("follow_up", "Rappeler au 06 12 34 56 78"),
        ("topics", "+33 6 12 34 56 78"),
    ):
        with pytest.raises(Invalid) as error:
            services.log_outreach(member, ambassador, _outing(**{field: text}))
        assert field in (error.value.errors or {})
    theme = make_theme()
    entry = services.log_outreach(
        member, ambassador, _outing(theme_ids=[theme.id], follow_up="Atelier compost.")
    )
    assert entry.themes == [theme] and entry.people_met == 12


def test_outreach_keeps_dates_times_and_counts(app) -> None:
    member = make_member()
    ambassador = make_ambassador(member, make_community())
    for text in ("Rendez-vous le 12/03/2026 à 14h30", "le 12.03.2026", "nous étions 12 12 12 12"):
        entry = services.log_outreach(member, ambassador, _outing(topics=text, follow_up=text))
        assert entry.topics == text
    phone = _outing(topics="Rappeler le 06 12 34 56 78")
    french = app.test_request_context(headers={"Accept-Language": "fr"})
    with french, pytest.raises(Invalid) as error:
        services.log_outreach(member, ambassador, phone)
    assert "un numéro de téléphone (06 12 34 56 78)" in error.value.errors["topics"][0]


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("happened_on", {"happened_on": None}),
        ("happened_on", {"happened_on": date.today() + timedelta(days=2)}),
        ("place_kind", {"place_kind": "moon"}),
        ("people_met", {"people_met": -1}),
        ("neighbourhood_id", {"neighbourhood_id": 999999}),
        ("theme_ids", {"theme_ids": [999999]}),
    ],
)
def test_outreach_validates(field: str, changes: dict[str, object]) -> None:
    member = make_member()
    ambassador = make_ambassador(member, make_community())
    with pytest.raises(Invalid) as error:
        services.log_outreach(member, ambassador, _outing(**changes))
    assert field in (error.value.errors or {})


def test_only_the_active_ambassador_writes_the_journal() -> None:
    member = make_member()
    ambassador = make_ambassador(member, make_community())
    with pytest.raises(Forbidden):
        services.log_outreach(make_member("staff"), ambassador, _outing())
    ended = make_ambassador(member, make_community(), status="ended")
    with pytest.raises(Forbidden):
        services.log_outreach(member, ended, _outing())
