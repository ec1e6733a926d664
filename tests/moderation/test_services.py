from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from community.communities.models import Membership
from community.core.errors import Conflict, Forbidden, Invalid, NotFound
from community.core.models import utcnow
from community.extensions import db
from community.moderation import queries, services
from community.moderation.models import ModerationAction, PlatformSuspension, Report
from community.moderation.suspensions import active_suspension, is_banned_from
from community.notifications.models import Notification
from tests.conftest import built_once, load_rows
from tests.factories import make_member
from tests.moderation.conftest import World, build_world
from tests.moderation.factories import make_report

# Built once for the module; each test starts from it, in a savepoint.
_world_rows = built_once(build_world)


@pytest.fixture
def world(_world_rows: Any) -> World:
    return load_rows(_world_rows)  # type: ignore[no-any-return]


@pytest.fixture(autouse=True)
def _request(app):  # type: ignore[no-untyped-def]
    # Refusals carry translated messages and links: services run inside a request in real life.
    with app.test_request_context():
        yield


def notifications_of(member) -> list[Notification]:  # type: ignore[no-untyped-def]
    return list(
        db.session.execute(
            select(Notification).where(Notification.member_id == member.id)
        ).scalars()
    )


def test_report_a_member(world) -> None:  # type: ignore[no-untyped-def]
    report = services.report(
        world.citizen, "member", world.author.id, "harassment", "  Messages insistants  "
    )
    assert report.status == "open" and report.text == "Messages insistants"
    assert report.target_author == world.author and report.community is None


def test_one_open_report_per_reporter_and_target(world) -> None:  # type: ignore[no-untyped-def]
    first = services.report(world.citizen, "member", world.author.id, "spam")
    with pytest.raises(Conflict):
        services.report(world.citizen, "member", world.author.id, "insult")
    services.report(world.member_a, "member", world.author.id, "spam")  # someone else may
    services.resolve(world.staff, first, "dismiss")
    services.report(world.citizen, "member", world.author.id, "insult")  # once answered, again


@pytest.mark.parametrize(
    ("target_type", "reason", "text", "error"),
    [
        ("thing", "spam", "", Invalid),
        ("member", "boring", "", Invalid),
        ("member", "spam", "x" * 1001, Invalid),
    ],
)
def test_report_refuses_bad_input(world, target_type, reason, text, error) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error):
        services.report(world.citizen, target_type, world.author.id, reason, text)
    assert db.session.execute(select(Report)).first() is None


def test_report_unknown_or_own(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        services.report(world.citizen, "member", 999_999, "spam")
    with pytest.raises(NotFound):  # an unconfirmed account is not there for others
        services.report(world.citizen, "member", make_member(confirmed=False).id, "spam")
    with pytest.raises(Forbidden):
        services.report(world.citizen, "member", world.citizen.id, "spam")


def test_dismiss_is_logged_and_tells_nobody_off(world) -> None:  # type: ignore[no-untyped-def]
    report = make_report(world.author, community=world.a)
    other = make_report(world.author, community=world.a)
    services.resolve(world.gardener_a, report, "dismiss")
    assert report.status == "resolved" and report.resolution == "dismiss"
    assert other.status == "open"  # a dismissal answers one report only
    [act] = db.session.execute(select(ModerationAction)).scalars()
    assert (act.action, act.actor, act.community, act.report_id) == (
        "dismiss",
        world.gardener_a,
        world.a,
        report.id,
    )
    assert notifications_of(world.author) == []


def test_warn_tells_the_member_why_and_the_charter_clause(world) -> None:  # type: ignore[no-untyped-def]
    report = make_report(world.author, community=world.a, reason="insult")
    sibling = make_report(world.author, community=world.a, reason="harassment")
    services.resolve(world.gardener_a, report, "warn", "Vous avez traité un voisin d'idiot.")
    assert sibling.status == "resolved" and sibling.resolution == "warn"
    [notification] = notifications_of(world.author)
    assert notification.kind == "moderation"
    assert notification.text == (
        "Modération\u00a0: vous recevez un avertissement. "
        "Motif\u00a0: Vous avez traité un voisin d'idiot. "
        "Charte\u00a0: article 1 (Respect)."
    )
    [act] = db.session.execute(select(ModerationAction)).scalars()
    assert act.action == "warn" and act.subject == world.author


def test_the_reason_is_required_to_sanction(world) -> None:  # type: ignore[no-untyped-def]
    report = make_report(world.author, community=world.a)
    for action in ("warn", "suspend"):
        with pytest.raises(Invalid) as caught:
            services.resolve(world.gardener_a, report, action, " ")
        assert "reason" in (caught.value.errors or {})
    with pytest.raises(Invalid):
        services.resolve(world.gardener_a, report, "ban-forever", "x" * 10)
    assert report.status == "open"


def test_a_member_cannot_be_hidden(world) -> None:  # type: ignore[no-untyped-def]
    report = make_report(world.author, community=world.a)
    with pytest.raises(Invalid):
        services.resolve(world.gardener_a, report, "hide", "Pas possible")
    assert db.session.execute(select(ModerationAction)).first() is None


def test_answered_once(world) -> None:  # type: ignore[no-untyped-def]
    report = make_report(world.author, community=world.a)
    services.resolve(world.gardener_a, report, "dismiss")
    with pytest.raises(Conflict):
        services.resolve(world.technician_a, report, "warn", "Trop tard")


def test_suspend_from_a_community_until_a_date(world) -> None:  # type: ignore[no-untyped-def]
    report = make_report(world.author, community=world.a, reason="harassment")
    until = utcnow() + timedelta(days=14)
    services.resolve(world.gardener_a, report, "suspend", "Harcèlement répété", until)
    membership = db.session.execute(
        select(Membership).where(
            Membership.member_id == world.author.id, Membership.community_id == world.a.id
        )
    ).scalar_one()
    assert membership.status == "banned" and membership.banned_until == until
    assert is_banned_from(world.author, world.a)
    assert not is_banned_from(world.author, world.a, now=until + timedelta(seconds=1))
    assert not is_banned_from(world.author, world.b)
    [act] = db.session.execute(select(ModerationAction)).scalars()
    assert (act.action, act.until, act.community) == ("suspend_community", until, world.a)
    [notification] = notifications_of(world.author)
    assert (
        "vous ne pouvez plus publier dans" in notification.text
        and "Harcèlement répété" in notification.text
    )


def test_a_dated_community_suspension_ends_by_itself(world) -> None:  # type: ignore[no-untyped-def]
    from community.communities.memberships import join

    report = make_report(world.author, community=world.a, reason="insult")
    services.resolve(world.gardener_a, report, "suspend", "Insultes", utcnow() + timedelta(days=7))
    with pytest.raises(Forbidden):
        join(world.author, world.a, accept_charter=True)
    membership = db.session.execute(
        select(Membership).where(
            Membership.member_id == world.author.id, Membership.community_id == world.a.id
        )
    ).scalar_one()
    membership.banned_until = utcnow() - timedelta(minutes=1)  # the week has passed
    joined = join(world.author, world.a, accept_charter=True)
    assert joined.status in {"active", "pending"} and joined.banned_until is None
    assert not is_banned_from(world.author, world.a)


def test_an_open_ended_community_suspension_holds(world) -> None:  # type: ignore[no-untyped-def]
    from community.communities.memberships import join

    report = make_report(world.author, community=world.a, reason="insult")
    services.resolve(world.gardener_a, report, "suspend", "Insultes")
    with pytest.raises(Forbidden):
        join(world.author, world.a, accept_charter=True)


def test_suspend_someone_who_never_joined(world) -> None:  # type: ignore[no-untyped-def]
    outsider = make_member()
    report = make_report(outsider, community=world.a)
    services.resolve(world.gardener_a, report, "suspend", "Spam en série")
    assert is_banned_from(outsider, world.a)


def test_the_date_must_be_in_the_future(world) -> None:  # type: ignore[no-untyped-def]
    report = make_report(world.author, community=world.a)
    with pytest.raises(Invalid):
        services.resolve(world.gardener_a, report, "suspend", "Motif", utcnow() - timedelta(days=1))


def test_platform_suspension_is_for_staff(world) -> None:  # type: ignore[no-untyped-def]
    report = make_report(world.author, community=world.a)
    with pytest.raises(Forbidden):
        services.resolve(world.gardener_a, report, "suspend", "Motif", scope="platform")
    assert report.status == "open" and active_suspension(world.author) is None
    services.resolve(world.staff, report, "suspend", "Menaces", scope="platform")
    suspension = active_suspension(world.author)
    assert isinstance(suspension, PlatformSuspension) and suspension.until is None
    [act] = db.session.execute(select(ModerationAction)).scalars()
    assert act.action == "suspend_platform"
    assert "votre compte est suspendu" in notifications_of(world.author)[0].text


def test_a_member_report_without_community_suspends_from_the_platform(world) -> None:  # type: ignore[no-untyped-def]
    report = services.report(world.citizen, "member", world.author.id, "spam")
    until = utcnow() + timedelta(days=3)
    services.resolve(world.admin, report, "suspend", "Publicité", until)
    suspension = active_suspension(world.author)
    assert suspension is not None and suspension.until == until
    assert active_suspension(world.author, now=until + timedelta(minutes=1)) is None


def test_staff_cannot_be_suspended_from_the_platform(world) -> None:  # type: ignore[no-untyped-def]
    report = make_report(world.staff)
    with pytest.raises(Invalid):
        services.resolve(world.admin, report, "suspend", "Motif", scope="platform")


def test_the_journal_is_append_only(world) -> None:  # type: ignore[no-untyped-def]
    act = services.record_action(
        world.staff, "lock", "thread", 1, community=world.a, reason="Hors sujet"
    )
    act.reason = "autre chose"
    with pytest.raises(ValueError, match="append-only"):
        db.session.flush()
    db.session.rollback()


def test_the_journal_cannot_be_deleted(world) -> None:  # type: ignore[no-untyped-def]
    act = services.record_action(world.staff, "lock", "thread", 1, community=world.a)
    db.session.delete(act)
    with pytest.raises(ValueError, match="append-only"):
        db.session.flush()
    db.session.rollback()


def test_queue_is_scoped_by_role(world) -> None:  # type: ignore[no-untyped-def]
    in_a = make_report(world.author, community=world.a)
    in_b = make_report(world.author, community=world.b)
    platform = make_report(world.author)
    resolved = make_report(world.author, community=world.a, status="resolved")

    def seen(member, status="open"):  # type: ignore[no-untyped-def]
        return set(db.session.execute(queries.queue(member, status)).scalars())

    assert seen(world.staff) == {in_a, in_b, platform}
    assert seen(world.gardener_a) == {in_a}
    assert seen(world.gardener_b) == {in_b}
    assert seen(world.member_a) == set()
    assert seen(world.gardener_a, "resolved") == {resolved}


def test_journal_is_scoped_by_role(world) -> None:  # type: ignore[no-untyped-def]
    in_a = services.record_action(world.staff, "lock", "thread", 1, community=world.a)
    in_b = services.record_action(world.staff, "lock", "thread", 2, community=world.b)
    platform = services.record_action(world.staff, "suspend_platform", "member", world.author.id)
    assert set(db.session.execute(queries.journal(world.gardener_a)).scalars()) == {in_a}
    assert set(db.session.execute(queries.journal(world.admin)).scalars()) == {in_a, in_b, platform}


def test_direct_suspensions_tell_the_member(world) -> None:  # type: ignore[no-untyped-def]
    from community.moderation.suspensions import suspend_from_community, suspend_from_platform

    suspend_from_community(world.gardener_a, world.author, world.a, None, "Insultes")
    suspend_from_platform(world.staff, world.member_a, None, "Menaces")
    [to_author] = notifications_of(world.author)
    assert world.a.name in to_author.text and "Insultes" in to_author.text
    [to_member] = notifications_of(world.member_a)
    assert "votre compte est suspendu" in to_member.text
    assert [
        a.action
        for a in db.session.execute(
            select(ModerationAction).order_by(ModerationAction.id)
        ).scalars()
    ] == [
        "suspend_community",
        "suspend_platform",
    ]


def test_tell_member_is_the_one_way_to_tell(world) -> None:  # type: ignore[no-untyped-def]
    services.tell_member(world.gardener_a, world.author, "hide", "Numéro de téléphone publié.",
                         reason_code="personal_data", url="/threads/3#message-9")  # fmt: skip
    [notification] = notifications_of(world.author)
    assert notification.text == (
        "Modération\u00a0: les modérateurs ont caché votre contenu. "
        "Motif\u00a0: Numéro de téléphone publié. Charte\u00a0: article 3 (Vie privée). "
        "Vous n'êtes pas d'accord\u00a0? Ouvrez cet avis pour le contester."
    )
    assert notification.url == "/threads/3#message-9"
    services.tell_member(world.gardener_a, None, "hide", "compte effacé")  # nobody to tell
