"""The rules of communities, memberships and gardener pairs."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from community.communities import gardener_queries, memberships, pairs, services
from community.communities.models import GardenerMandate, Handover
from community.core.errors import Conflict, Forbidden, Invalid
from community.extensions import db
from tests.factories import make_community, make_member, make_membership, make_theme

pytestmark = pytest.mark.usefixtures("request_context")

NOTE = "Atelier le samedi ; la mairie a promis des bacs de tri."


def test_staff_create_a_community_with_its_charter_rendered() -> None:
    staff = make_member("staff")
    theme = make_theme()
    community = services.save_community(
        staff,
        services.CommunityData(
            name="Jardins du Port", theme_id=theme.id, charter="## Règles\n\n*respect*"
        ),
    )
    assert community.slug == "jardins-du-port"
    assert (
        "<h3>Règles</h3>" in community.charter_html and "<em>respect</em>" in community.charter_html
    )


def test_a_citizen_cannot_create_a_community() -> None:
    with pytest.raises(Forbidden):
        services.save_community(
            make_member(), services.CommunityData(name="Nope", theme_id=make_theme().id)
        )


@pytest.mark.parametrize(
    ("field", "data"),
    [
        ("name", {"name": "ab"}),
        ("slug", {"slug": "Pas Bon!"}),
        ("slug", {"slug": "dashboard"}),
        ("theme_id", {"theme_id": None}),
        ("visibility", {"visibility": "secret"}),
    ],
)
def test_bad_community_data_is_refused(field: str, data: dict[str, object]) -> None:
    values: dict[str, object] = {"name": "Une communauté", "theme_id": make_theme().id, **data}
    with pytest.raises(Invalid) as error:
        services.save_community(make_member("staff"), services.CommunityData(**values))  # type: ignore[arg-type]
    assert field in (error.value.errors or {})


def test_slug_and_name_stay_unique() -> None:
    existing = make_community(slug="deja-la")
    with pytest.raises(Invalid) as error:
        services.save_community(
            make_member("staff"),
            services.CommunityData(name="Autre", slug="deja-la", theme_id=existing.theme_id),
        )
    assert "slug" in (error.value.errors or {})


def test_joining_an_open_community_is_immediate_and_needs_the_charter() -> None:
    community, member = make_community(), make_member()
    with pytest.raises(Invalid):
        memberships.join(member, community, accept_charter=False)
    membership = memberships.join(member, community, accept_charter=True)
    assert membership.status == "active" and membership.charter_accepted_at is not None


def test_an_on_request_community_waits_for_the_gardeners() -> None:
    citizen = make_member()
    community = make_community(visibility="on_request", citizen=citizen)
    member = make_member()
    membership = memberships.join(member, community, True, "Bonjour !")
    assert membership.status == "pending" and membership.request_message == "Bonjour !"
    assert memberships.pending_requests_for(citizen) == [membership]
    with pytest.raises(Invalid):
        memberships.answer_request(citizen, membership, False, "")  # a refusal needs an answer
    memberships.answer_request(citizen, membership, False, "Réservé aux riverains.")
    assert membership.status == "refused" and membership.answer == "Réservé aux riverains."
    with pytest.raises(Conflict):
        memberships.answer_request(citizen, membership, True, "")


def test_another_communitys_gardener_cannot_answer() -> None:
    other_gardener = make_member()
    make_community(citizen=other_gardener)
    community = make_community(visibility="on_request")
    membership = memberships.join(make_member(), community, True)
    with pytest.raises(Forbidden):
        memberships.answer_request(other_gardener, membership, True, "")
    assert memberships.pending_requests_for(other_gardener) == []


def test_a_banned_member_cannot_join_again_and_leaving_works() -> None:
    community, banned, member = make_community(), make_member(), make_member()
    make_membership(community, banned, "banned")
    with pytest.raises(Forbidden):
        memberships.join(banned, community, True)
    memberships.join(member, community, True)
    assert memberships.leave(member, community).status == "left"
    assert memberships.join(member, community, True).status == "active"


def test_the_citizen_gardener_cannot_leave_without_a_handover() -> None:
    gardener = make_member()
    community = make_community(citizen=gardener)
    with pytest.raises(Conflict):
        memberships.leave(gardener, community)


def test_technician_must_be_staff_and_citizen_must_be_an_active_member() -> None:
    staff, community = make_member("staff"), make_community()
    with pytest.raises(Invalid):
        pairs.assign_gardener(staff, community, "technician", make_member())
    with pytest.raises(Invalid):
        pairs.assign_gardener(staff, community, "citizen", make_member())
    pending = make_member()
    make_membership(community, pending, "pending")
    with pytest.raises(Invalid):
        pairs.assign_gardener(staff, community, "citizen", pending)
    assert pairs.assign_gardener(staff, community, "technician", staff) is not None


def test_only_staff_assign_gardeners() -> None:
    gardener = make_member()
    community = make_community(citizen=gardener)
    with pytest.raises(Forbidden):
        pairs.assign_gardener(gardener, community, "technician", make_member("staff"))


def test_one_person_cannot_hold_both_sides() -> None:
    staff = make_member("staff")
    community = make_community(technician=staff, members=(staff,))
    with pytest.raises(Invalid):
        pairs.assign_gardener(make_member("staff"), community, "citizen", staff)


def test_replacing_a_gardener_needs_a_handover_note_and_keeps_history() -> None:
    staff, old, new = make_member("staff"), make_member(), make_member()
    community = make_community(citizen=old, members=(new,))
    with pytest.raises(Invalid) as error:
        pairs.assign_gardener(staff, community, "citizen", new, "")
    assert "handover_note" in (error.value.errors or {})
    pairs.assign_gardener(staff, community, "citizen", new, NOTE)
    mandates = gardener_queries.mandate_history(community)
    assert [(m.member_id, m.ended_at is None) for m in mandates] == [
        (new.id, True),
        (old.id, False),
    ]
    handover = db.session.execute(select(Handover)).scalar_one()
    assert (handover.from_member_id, handover.to_member_id, handover.note) == (old.id, new.id, NOTE)
    # The successor reads it; the predecessor and other gardeners do not.
    assert gardener_queries.handovers_for(new) == [handover]
    assert gardener_queries.handovers_for(old) == []


def test_one_active_pair_only() -> None:
    staff = make_member("staff")
    community = make_community(technician=staff)
    db.session.add(
        GardenerMandate(community=community, member=make_member("staff"), side="technician")
    )
    with pytest.raises(Exception):  # noqa: B017 - the partial unique index refuses it
        db.session.flush()


def test_removing_a_gardener_needs_a_note_too_and_the_community_needs_one() -> None:
    staff = make_member("staff")
    community = make_community(technician=staff, citizen=make_member())
    assert community not in [c.community for c in gardener_queries.communities_needing_gardener()]
    with pytest.raises(Invalid):
        pairs.assign_gardener(staff, community, "technician", None)
    pairs.assign_gardener(staff, community, "technician", None, NOTE)
    cards = gardener_queries.communities_needing_gardener()
    assert community in [c.community for c in cards]
    assert not services.card_for(community).pair_complete


def test_cards_count_active_members_only() -> None:
    community = make_community(members=(make_member(), make_member()))
    make_membership(community, make_member(), "pending")
    make_membership(community, make_member(), "left")
    assert services.card_for(community).member_count == 2


def test_search_and_filters() -> None:
    theme = make_theme()
    a = make_community("Compost des Tilleuls", theme=theme)
    b = make_community("Vélo", description="réparer son vélo 100% ensemble")
    found = db.session.execute(services.search_communities("compost")).scalars().all()
    assert a in found and b not in found
    assert db.session.execute(
        services.search_communities("", theme_id=theme.id)
    ).scalars().all() == [a]
    assert b in db.session.execute(services.search_communities("100%")).scalars().all()


def test_a_pair_change_is_all_or_nothing() -> None:
    staff, member = make_member("staff"), make_member()
    community = make_community(members=(member,))
    with pytest.raises(Invalid):
        pairs.change_pair(staff, community, {"technician": staff, "citizen": make_member()})
    assert services.card_for(community).technician is None
    assert gardener_queries.pending_proposal(community, "citizen") is None
    [asked] = pairs.change_pair(staff, community, {"technician": staff, "citizen": member})
    # Staff naming themselves are named; the member is asked first (issue 13).
    card = services.card_for(community)
    assert card.technician == staff and card.citizen is None
    assert (asked.candidate_id, asked.side, asked.status) == (member.id, "citizen", "pending")
    pairs.answer_proposal(member, asked, accept=True)
    assert services.card_for(community).pair_complete


def test_only_staff_change_the_pair() -> None:
    gardener, member = make_member(), make_member()
    community = make_community(citizen=gardener, members=(member,))
    with pytest.raises(Forbidden):
        pairs.change_pair(gardener, community, {"citizen": member}, NOTE)


def test_the_gardener_in_office_leaves_a_note_for_their_successor() -> None:
    staff, old, new, other = make_member("staff"), make_member(), make_member(), make_member()
    community = make_community(citizen=old, members=(new,))
    make_community(citizen=other)
    mandate = gardener_queries.gardened_by(old)[0]
    own = "Les clés du local sont chez Mme Diallo ; la fête de quartier est le 12 juin."
    with pytest.raises(Invalid) as error:
        pairs.leave_handover_note(old, mandate, "trop court")
    assert error.value.errors == {
        "note": ["Ce qui est en cours, les personnes à connaître, ce qui a été promis."]
    }
    with pytest.raises(Forbidden):
        pairs.leave_handover_note(other, mandate, own)  # someone else's mandate
    note = pairs.leave_handover_note(old, mandate, own)
    assert (note.from_member_id, note.to_member_id, note.written_by_id) == (old.id, None, old.id)
    assert gardener_queries.handovers_for(old) == [note]  # they see what they wrote
    assert gardener_queries.handovers_for(other) == []
    pairs.assign_gardener(staff, community, "citizen", new, NOTE)
    # The successor reads both: the gardener's own note and staff's note at the replacement.
    assert [h.note for h in gardener_queries.handovers_for(new)] == [NOTE, own]
    assert gardener_queries.handovers_for(old) == []
    with pytest.raises(Forbidden):  # out of office: no more notes on that mandate
        pairs.leave_handover_note(old, mandate, own)


def test_a_handover_accepted_by_the_successor_is_signed_by_whoever_wrote_it() -> None:
    # The walk of 8 December: Maryse handed over with a note, Léa accepted, and Léa's dashboard
    # said "Votre note pour la personne qui vous succédera" over Maryse's words — the row was
    # signed by whoever accepted, so Léa's export held a note she never wrote.
    old, new = make_member(), make_member()
    community = make_community(citizen=old, members=(new,))
    asked = pairs.propose(old, community, "citizen", new, NOTE)
    pairs.answer_proposal(new, asked, accept=True)
    handover = db.session.execute(select(Handover)).scalar_one()
    assert (handover.from_member_id, handover.to_member_id) == (old.id, new.id)
    assert handover.written_by_id == old.id
    assert gardener_queries.handovers_for(new) == [handover]


def test_a_handover_staff_proposed_is_signed_by_staff() -> None:
    staff, old, new = make_member("staff"), make_member(), make_member()
    community = make_community(citizen=old, members=(new,))
    [asked] = pairs.change_pair(staff, community, {"citizen": new}, NOTE)
    pairs.answer_proposal(new, asked, accept=True)
    handover = db.session.execute(select(Handover)).scalar_one()
    assert (handover.from_member_id, handover.written_by_id) == (old.id, staff.id)
