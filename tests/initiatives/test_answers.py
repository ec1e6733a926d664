"""Answer deadlines (around the boundary) and response figures on a known data set."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from community.extensions import db
from community.initiatives import answers, lifecycle, services
from tests.factories import make_community, make_member
from tests.initiatives.factories import make_initiative

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
SECOND = timedelta(seconds=1)


@pytest.mark.parametrize(
    ("elapsed", "overdue"),
    [
        (30 * DAY - SECOND, False),
        (30 * DAY, False),  # the due moment itself is still on time
        (30 * DAY + SECOND, True),
        (45 * DAY, True),
    ],
)
def test_overdue_around_the_boundary(world, elapsed, overdue):
    initiative = make_initiative(world.author, community=world.community, awaiting_since=T0)
    assert answers.answer_due_at(initiative) == T0 + 30 * DAY
    assert answers.is_overdue(initiative, now=T0 + elapsed) is overdue


def test_the_delay_is_a_setting(app, world):
    initiative = make_initiative(world.author, awaiting_since=T0)
    app.config["INITIATIVE_ANSWER_DAYS"] = 10
    try:
        assert answers.answer_due_at(initiative) == T0 + 10 * DAY
        assert answers.is_overdue(initiative, now=T0 + 10 * DAY + SECOND)
    finally:
        app.config["INITIATIVE_ANSWER_DAYS"] = 30


def test_an_answered_or_informal_initiative_is_never_overdue(world):
    answered = make_initiative(world.author, community=world.community, awaiting_since=T0)
    lifecycle.change_status(world.gardener, answered, "under_review", "Nous regardons.")
    informal = make_initiative(world.author, informal=True)
    later = T0 + 90 * DAY
    assert not answers.is_overdue(answered, now=later)
    assert not answers.is_overdue(informal, now=later)
    assert answers.answer_due_at(informal) is None


def test_awaiting_list_covers_the_gardeners_communities_overdue_first(world):
    now = datetime.now(UTC)
    recent = make_initiative(world.author, community=world.community, awaiting_since=now - 2 * DAY)
    late = make_initiative(world.author, community=world.community, awaiting_since=now - 40 * DAY)
    middle = make_initiative(world.author, community=world.community, awaiting_since=now - 29 * DAY)
    elsewhere = make_initiative(world.author, community=world.other, awaiting_since=now - 50 * DAY)
    spontaneous = make_initiative(world.author, awaiting_since=now - 60 * DAY)
    answered = make_initiative(
        world.author, community=world.community, awaiting_since=now - 45 * DAY
    )
    lifecycle.change_status(world.gardener, answered, "accepted", "Oui !")
    informal = make_initiative(world.author, community=world.community, informal=True)

    items = answers.awaiting_answer(world.gardener)
    assert [i.initiative for i in items] == [late, middle, recent]
    assert [i.overdue for i in items] == [True, False, False]
    assert informal not in [i.initiative for i in items]

    everything = answers.awaiting_answer(world.staff, everything=True)
    ids = [i.initiative.id for i in everything]
    assert ids[:2] == [spontaneous.id, elsewhere.id]
    assert {late.id, middle.id, recent.id} <= set(ids)
    # A citizen who gardens nothing has nothing to answer.
    assert answers.awaiting_answer(world.citizen) == []
    assert answers.awaiting_answer(None) == []


def test_response_figures_on_a_known_data_set(world):
    """Six initiatives in one community, known dates, a 30-day delay:

    a: answered after 5 days     (on time)
    b: answered after 30 days    (on time, exactly at the due moment)
    c: answered after 40 days    (late)
    d: unanswered, 35 days old   (late, counted)
    e: unanswered, 10 days old   (not yet counted)
    f: withdrawn unanswered      (not counted)
    An informal one never asked for support (not counted); another community is ignored.
    """
    now = T0 + 100 * DAY
    community = world.community

    def proposed(days_before_now):
        return make_initiative(
            world.author, community=community, awaiting_since=now - days_before_now * DAY
        )

    def answer_after(initiative, days):
        lifecycle.change_status(world.staff, initiative, "under_review", "Reçu.")
        initiative.answered_at = initiative.awaiting_since + days * DAY
        db.session.flush()

    answer_after(proposed(80), 5)
    answer_after(proposed(70), 30)
    answer_after(proposed(60), 40)
    proposed(35)
    proposed(10)
    lifecycle.change_status(world.author, proposed(50), "withdrawn", "")
    make_initiative(world.author, community=community, informal=True)
    answer_after(
        make_initiative(world.author, community=world.other, awaiting_since=now - 90 * DAY), 1
    )

    figures = answers.response_figures(community, now=now)
    assert figures.counted == 4
    assert figures.on_time == 2
    assert figures.share == 0.5 and figures.percent == 50
    assert figures.median_days == 30.0
    assert figures.awaiting == 2
    assert figures.overdue == 1

    overall = answers.response_figures(now=now)
    assert overall.counted == 5 and overall.on_time == 3
    assert overall.median_days == 17.5

    by_community = dict(answers.figures_by_community(now=now))
    assert by_community[community].counted == 4
    assert by_community[world.other].counted == 1


def test_figures_with_nothing_to_count():
    community = make_community(technician=make_member("staff"))
    figures = answers.response_figures(community)
    assert figures.counted == 0 and figures.share is None and figures.percent is None
    assert figures.median_days is None


def test_a_hidden_initiative_waits_for_no_answer_anywhere(world):
    """One rule (`Initiative.awaiting_answer`, in Python and SQL): hidden by the moderators, an
    overdue initiative leaves the gardeners' inbox, the awaiting lists, the figures and the
    overdue reminders; shown again, it is back, its clock unchanged."""
    from pathlib import Path

    from community.core.todo import items_for
    from community.initiatives.models import Initiative
    from community.notifications.models import Notification
    from community.notifications.triggers import notify_overdue

    now = datetime.now(UTC)
    hidden = make_initiative(world.author, community=world.community, awaiting_since=now - 40 * DAY)
    shown = make_initiative(world.author, community=world.community, awaiting_since=now - 35 * DAY)
    services.hide_initiative(world.agent, hidden, "Hors charte")

    assert not hidden.awaiting_answer and shown.awaiting_answer
    assert not answers.is_overdue(hidden) and answers.answer_due_at(hidden) is not None
    waiting = db.session.execute(
        db.select(Initiative.id).where(Initiative.awaiting_answer)
    ).scalars()
    assert set(waiting) == {shown.id}
    assert [i.initiative for i in answers.awaiting_answer(world.gardener)] == [shown]
    assert hidden.id not in [
        i.initiative.id for i in answers.awaiting_answer(world.staff, everything=True)
    ]
    inbox = [i.title for i in items_for(world.gardener) if i.kind == "initiative"]
    assert inbox == [shown.title]
    figures = answers.response_figures(world.community)
    assert (figures.awaiting, figures.overdue, figures.counted) == (1, 1, 1)
    assert dict(answers.figures_by_community())[world.community].awaiting == 1
    assert answers.figures_by_community_page(1).items[0][1].overdue == 1
    notify_overdue()
    told = db.session.execute(
        db.select(Notification.url).where(Notification.kind == "overdue")
    ).scalars()
    assert {url.rsplit("/", 1)[-1] for url in told} == {str(shown.id)}

    services.restore_initiative(world.agent, hidden, "Relu")
    assert hidden.awaiting_answer and answers.is_overdue(hidden)
    assert hidden in [i.initiative for i in answers.awaiting_answer(world.gardener)]

    # The rule is written once: nobody else spells out the awaiting statuses.
    source = Path(__file__).resolve().parents[2] / "community"
    spelled = [
        str(path.relative_to(source))
        for path in source.rglob("*.py")
        if "AWAITING_STATUSES" in path.read_text() and path.name != "models.py"
    ]
    assert spelled == []


@pytest.mark.parametrize(
    ("median", "usual"), [(None, None), (0.4, 0), (0.5, 1), (12.5, 13), (17.4, 17), (30.0, 30)]
)
def test_the_usual_wait_is_the_median_in_whole_days(median, usual):
    figures = answers.ResponseFigures(1, 1, 1.0, median, 0, 0)
    assert figures.usual_days == usual
