"""The lifecycle service: legal moves, the answer rules, who may do what."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from community.core.errors import Conflict, Forbidden, Invalid, Unauthenticated
from community.extensions import db
from community.initiatives import backing, lifecycle, services
from community.initiatives.models import Initiative, StatusChange, Support
from community.threads.models import Thread
from tests.initiatives.factories import initiative_data, make_initiative

ANSWER = "Merci, nous étudions la faisabilité avec le service espaces verts."


def move(initiative, member, status, answer=ANSWER, reason=None):
    return lifecycle.change_status(member, initiative, status, answer, reason)


def test_propose_creates_a_proposed_initiative_with_its_thread(world):
    initiative = make_initiative(world.author, community=world.community, title="Jardin partagé")
    assert initiative.status == "proposed" and not initiative.informal
    assert initiative.awaiting_since is not None and initiative.answered_at is None
    thread = db.session.get(Thread, initiative.thread_id)
    assert thread.kind == "initiative"
    assert thread.community_id == world.community.id
    assert thread.title == "Jardin partagé"
    assert "<strong>besoin</strong>" in initiative.description_html


def test_a_spontaneous_initiative_has_a_thread_without_community(world):
    initiative = make_initiative(world.author)
    assert initiative.spontaneous
    assert db.session.get(Thread, initiative.thread_id).community_id is None


def test_declared_informal_initiative_runs_without_approval(world):
    initiative = make_initiative(world.author, informal=True)
    assert initiative.status == "in_progress" and initiative.informal
    assert initiative.awaiting_since is None


def test_full_path_to_done_records_every_change(world):
    initiative = make_initiative(world.author, community=world.community)
    for status in ("under_review", "accepted", "in_progress", "done"):
        move(initiative, world.gardener, status)
    changes = initiative.status_changes
    assert [(c.from_status, c.to_status) for c in changes] == [
        ("proposed", "under_review"),
        ("under_review", "accepted"),
        ("accepted", "in_progress"),
        ("in_progress", "done"),
    ]
    assert all(c.author_id == world.gardener.id and c.answer == ANSWER for c in changes)
    assert initiative.answered_at == changes[0].created_at


ILLEGAL = [
    ("proposed", "in_progress"),
    ("proposed", "done"),
    ("under_review", "in_progress"),
    ("accepted", "done"),
    ("accepted", "declined"),
    ("in_progress", "accepted"),
    ("done", "in_progress"),
    ("declined", "accepted"),
    ("proposed", "proposed"),
    ("proposed", "nonsense"),
]
PATHS = {
    "proposed": [],
    "under_review": ["under_review"],
    "accepted": ["accepted"],
    "in_progress": ["accepted", "in_progress"],
    "done": ["accepted", "in_progress", "done"],
    "declined": ["declined"],
}


@pytest.mark.parametrize(("start", "target"), ILLEGAL)
def test_illegal_transitions_are_refused_with_a_clear_error(world, start, target):
    initiative = make_initiative(world.author, community=world.community)
    for status in PATHS[start]:
        move(initiative, world.agent, status, reason="budget" if status == "declined" else None)
    with pytest.raises(Invalid) as caught:
        move(initiative, world.agent, target)
    assert "status" in caught.value.errors
    assert "ne peut pas passer de" in caught.value.message
    assert initiative.status == start


def test_declining_needs_a_public_answer_and_a_reason(world):
    initiative = make_initiative(world.author, community=world.community)
    with pytest.raises(Invalid) as caught:
        move(initiative, world.gardener, "declined", answer="  ", reason=None)
    assert set(caught.value.errors) == {"answer", "reason"}
    with pytest.raises(Invalid):
        move(initiative, world.gardener, "declined", reason="because")
    assert initiative.status == "proposed" and initiative.status_changes == []
    change = move(initiative, world.gardener, "declined", reason="competence")
    assert change.reason == "competence" and initiative.status == "declined"


def test_a_reason_is_only_for_a_refusal(world):
    initiative = make_initiative(world.author, community=world.community)
    with pytest.raises(Invalid) as caught:
        move(initiative, world.gardener, "accepted", reason="budget")
    assert "reason" in caught.value.errors


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("gardener", True),
        ("agent", True),
        ("staff", True),
        ("admin", True),
        ("author", False),
        ("citizen", False),
        ("member_of_it", False),
        ("other_gardener", False),
    ],
)
def test_only_gardeners_of_its_community_and_staff_answer(world, who, allowed):
    initiative = make_initiative(world.author, community=world.community)
    if allowed:
        move(initiative, getattr(world, who), "accepted")
        assert initiative.status == "accepted"
    else:
        with pytest.raises(Forbidden):
            move(initiative, getattr(world, who), "accepted")
        assert initiative.status == "proposed"


def test_a_spontaneous_initiative_is_answered_by_staff_only(world):
    initiative = make_initiative(world.author)
    with pytest.raises(Forbidden):
        move(initiative, world.gardener, "accepted")
    move(initiative, world.staff, "accepted")
    assert initiative.status == "accepted"


def test_only_the_author_withdraws(world):
    initiative = make_initiative(world.author, community=world.community)
    with pytest.raises(Forbidden):
        move(initiative, world.agent, "withdrawn")
    move(initiative, world.author, "withdrawn", answer="")
    assert initiative.status == "withdrawn"
    # Withdrawing is not an answer from the authority.
    assert initiative.answered_at is None


@pytest.mark.parametrize("start", ["done", "declined"])
def test_done_and_declined_cannot_be_withdrawn(world, start):
    initiative = make_initiative(world.author, community=world.community)
    for status in PATHS[start]:
        move(initiative, world.agent, status, reason="budget" if status == "declined" else None)
    with pytest.raises(Invalid):
        move(initiative, world.author, "withdrawn")


def test_an_informal_initiative_asks_for_support_once(world):
    initiative = make_initiative(world.author, informal=True, community=world.community)
    assert lifecycle.allowed_moves(world.author, initiative) == ["under_review", "withdrawn"]
    move(initiative, world.author, "under_review", answer="Nous aurions besoin d'un local.")
    assert initiative.status == "under_review" and initiative.awaiting_since is not None
    assert initiative.awaiting_answer
    move(initiative, world.gardener, "accepted")
    assert initiative.answered_at is not None
    move(initiative, world.gardener, "in_progress")
    assert "under_review" not in lifecycle.allowed_moves(world.author, initiative)


def test_a_proposal_cannot_ask_for_support(world):
    initiative = make_initiative(world.author, community=world.community)
    with pytest.raises(Forbidden):
        move(initiative, world.author, "under_review")


def test_visitor_is_asked_to_log_in():
    initiative = make_initiative()
    with pytest.raises(Unauthenticated):
        lifecycle.change_status(None, initiative, "accepted", ANSWER)  # type: ignore[arg-type]


def test_support_is_unique_and_counted(world):
    initiative = make_initiative(world.author)
    assert backing.support(world.citizen, initiative) is True
    assert backing.support(world.citizen, initiative) is False
    backing.support(world.gardener, initiative)
    assert initiative.support_count == 2
    count = db.session.execute(
        select(func.count()).select_from(Support).where(Support.initiative_id == initiative.id)
    ).scalar_one()
    assert count == 2
    backing.withdraw_support(world.citizen, initiative)
    backing.withdraw_support(world.citizen, initiative)
    assert initiative.support_count == 1


def test_closed_initiatives_take_no_support_nor_help(world):
    initiative = make_initiative(world.author)
    move(initiative, world.author, "withdrawn")
    with pytest.raises(Conflict):
        backing.support(world.citizen, initiative)
    with pytest.raises(Conflict):
        backing.volunteer(world.citizen, initiative)


def test_volunteering_with_an_optional_message(world):
    initiative = make_initiative(world.author)
    participation, created = backing.volunteer(world.citizen, initiative)
    assert created and participation.message == ""
    participation, created = backing.volunteer(world.citizen, initiative, " J'ai une brouette ")
    assert not created and participation.message == "J'ai une brouette"
    with pytest.raises(Invalid):
        backing.volunteer(world.citizen, initiative, "x" * 1001)
    backing.stop_volunteering(world.citizen, initiative)
    assert backing.participation_of(world.citizen, initiative) is None


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 161}, "title"),
        ({"summary": ""}, "summary"),
        ({"summary": "x" * 301}, "summary"),
        ({"description": "x" * 10_001}, "description"),
        ({"theme_ids": []}, "theme_ids"),
        ({"theme_ids": [999_999]}, "theme_ids"),
        ({"neighbourhood_id": 999_999}, "neighbourhood_id"),
        ({"needs": ["x" * 81]}, "needs"),
        ({"needs": [f"besoin {n}" for n in range(16)]}, "needs"),
    ],
)
def test_bad_input_is_refused_and_nothing_stored(world, fields, error):
    before = db.session.execute(select(func.count(Initiative.id))).scalar_one()
    threads = db.session.execute(select(func.count(Thread.id))).scalar_one()
    with pytest.raises(Invalid) as caught:
        services.propose(world.author, initiative_data(**fields))
    assert error in caught.value.errors
    assert db.session.execute(select(func.count(Initiative.id))).scalar_one() == before
    assert db.session.execute(select(func.count(Thread.id))).scalar_one() == threads


def test_unknown_community_is_refused(world):
    data = initiative_data()
    data.community = "nulle-part"
    with pytest.raises(Invalid) as caught:
        services.propose(world.author, data)
    assert "community" in caught.value.errors


def test_the_author_edits_and_the_thread_follows(world):
    initiative = make_initiative(world.author, community=world.community)
    services.edit(world.author, initiative, services.InitiativeData(title="Nouveau titre"))
    assert db.session.get(Thread, initiative.thread_id).title == "Nouveau titre"
    with pytest.raises(Forbidden):
        services.edit(world.gardener, initiative, services.InitiativeData(title="Pirate"))
    move(initiative, world.author, "withdrawn")
    with pytest.raises(Conflict):
        services.edit(world.author, initiative, services.InitiativeData(title="Trop tard"))


def test_status_changes_keep_their_order(world):
    initiative = make_initiative(world.author, community=world.community)
    move(initiative, world.gardener, "accepted")
    move(initiative, world.gardener, "in_progress")
    stored = (
        db.session.execute(
            select(StatusChange.to_status)
            .where(StatusChange.initiative_id == initiative.id)
            .order_by(StatusChange.id)
        )
        .scalars()
        .all()
    )
    assert stored == ["accepted", "in_progress"]
