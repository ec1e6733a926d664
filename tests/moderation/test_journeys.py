"""Issue 13: gardeners are told of new reports, reporters of the outcome, authors of hidden
content how to contest; a suspension without end date is chosen, never a default."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from community.core.errors import Forbidden
from community.core.todo import items_for
from community.extensions import db
from community.moderation import services
from community.moderation.models import Report
from community.notifications.models import Notification
from community.threads import services as threads
from tests.conftest import page_text
from tests.factories import make_thread
from tests.html_parts import without_tokens


def told(member, kind):
    return list(
        db.session.execute(
            select(Notification).where(
                Notification.member_id == member.id, Notification.kind == kind
            )
        ).scalars()
    )


@pytest.fixture
def posted(world):  # type: ignore[no-untyped-def]
    thread = make_thread(world.a, "Le marché")
    return threads.post_message(world.author, thread, "Tu es un idiot", "m1").message


def test_a_new_report_tells_the_gardeners_of_its_community(world, posted, request_context):
    services.report(world.member_a, "message", posted.id, "insult")
    for gardener in (world.gardener_a, world.technician_a):
        [notice] = told(gardener, "report")
        assert "Nouveau signalement" in notice.text and notice.url.startswith(
            "/moderation/reports/"
        )
    assert told(world.gardener_b, "report") == [] and told(world.member_a, "report") == []
    assert [i.kind for i in items_for(world.gardener_a)] == ["report"]
    assert items_for(world.gardener_b) == [] and items_for(world.member_a) == []


def test_a_gardener_is_not_told_of_a_report_about_her_own_content(world, request_context):
    """She cannot answer it (`can_resolve`): no notice, no item in her inbox; the other
    gardener of the pair is told."""
    thread = make_thread(world.a, "Le marché")
    hers = threads.post_message(world.gardener_a, thread, "Venez tous !", "g1").message
    services.report(world.member_a, "message", hers.id, "spam")
    assert told(world.gardener_a, "report") == []
    assert items_for(world.gardener_a) == []
    [notice] = told(world.technician_a, "report")
    assert "Nouveau signalement" in notice.text


def test_every_reporter_is_told_the_outcome(world, posted, request_context):
    first = services.report(world.member_a, "message", posted.id, "insult")
    services.report(world.citizen, "message", posted.id, "harassment")
    services.resolve(world.gardener_a, first, "hide", "Insulte envers un voisin")
    for reporter in (world.member_a, world.citizen):
        [notice] = told(reporter, "report_outcome")
        assert "le contenu est maintenant caché" in notice.text
    # The author is told how to contest.
    [hidden] = told(world.author, "moderation")
    assert "pour le contester" in hidden.text
    assert hidden.url == f"/moderation/contest/message/{posted.id}"


def test_a_dismissed_report_says_so(world, posted, request_context):
    report = services.report(world.member_a, "message", posted.id, "insult")
    services.resolve(world.gardener_a, report, "dismiss")
    [notice] = told(world.member_a, "report_outcome")
    assert "rien trouvé de contraire à la charte" in notice.text


def test_the_author_contests_and_staff_answer(world, posted, client):
    threads.hide_message(world.gardener_a, posted, "Insulte")
    client.login_as(world.member_a)  # a hidden body is not hers to read: as a missing id
    assert client.get(f"/moderation/contest/message/{posted.id}").status_code == 404
    client.login_as(world.gardener_a)  # reads it (she moderates it), did not write it
    assert client.get(f"/moderation/contest/message/{posted.id}").status_code == 403
    client.login_as(world.author)
    assert "Contester une décision" in page_text(
        client.get(f"/moderation/contest/message/{posted.id}")
    )
    client.post_form(
        f"/moderation/contest/message/{posted.id}", {"text": "Je plaisantais avec un ami."}
    )
    appeal = db.session.execute(select(Report).where(Report.appeal.is_(True))).scalar_one()
    assert appeal.community_id is None and appeal.reporter_id == world.author.id
    assert [i.kind for i in items_for(world.staff)] == ["report"]
    assert items_for(world.gardener_a) == []  # not those who hid it
    again = client.post_form(
        f"/moderation/contest/message/{posted.id}", {"text": "Je plaisantais avec un ami."}
    )
    assert again.status_code == 302  # told it is already contested, nothing new
    assert len(db.session.execute(select(Report)).all()) == 1


def test_visible_content_cannot_be_contested(world, posted, request_context):
    with pytest.raises(Forbidden):
        services.contest(world.author, "message", posted.id, "Pourquoi donc ?")


def test_a_suspension_needs_an_end_date_or_an_explicit_none(world, client):
    from tests.moderation.factories import make_report

    report = make_report(world.author, community=world.a)
    db.session.commit()  # the view rolls back after a refused form: keep the report
    client.login_as(world.gardener_a)
    url = f"/moderation/reports/{report.id}"
    page = page_text(client.get(url))
    assert "Sans date de fin" in page
    silent = client.post_form(
        url, {"action": "suspend", "reason": "Insultes", "scope": "community"}
    )
    assert silent.status_code == 422
    assert "cochez «\u00a0sans date de fin\u00a0»" in page_text(silent)
    both = client.post_form(
        url,
        {
            "action": "suspend",
            "reason": "Insultes",
            "scope": "community",
            "until": "2030-01-01",
            "no_end": "y",
        },
    )
    assert "pas les deux" in page_text(both)
    chosen = client.post_form(
        url, {"action": "suspend", "reason": "Insultes", "scope": "community", "no_end": "y"}
    )
    assert chosen.status_code == 302


def test_the_gardener_sees_the_badge_for_a_new_report(world, posted, client):
    client.login_as(world.member_a)
    client.post_form(
        "/report", {"target_type": "message", "target_id": posted.id, "reason": "insult"}
    )
    client.login_as(world.gardener_a)
    home = page_text(client.get("/"))
    assert '<span class="badge todo-count">1' in home
    todo = page_text(client.get("/todo"))
    assert "Un signalement sur un message" in todo
    assert "Signalement" in todo and "Signaler" not in todo  # the noun, not the verb


def test_contesting_what_one_may_not_read_is_not_found(world, client):
    """The contest page loads its target through the visibility layer: content one may not
    read answers 404, byte for byte as an id that does not exist (never a 403 that says it is
    there); what one reads but did not write stays a 403."""
    from community.initiatives import services as initiatives
    from tests.factories import make_community, make_member
    from tests.initiatives.factories import make_initiative

    closed_gardener = make_member()
    closed = make_community(
        visibility="on_request", citizen=closed_gardener, members=(world.author,)
    )
    secret = threads.post_message(world.author, make_thread(closed, "Entre nous"), "Idiot", "c1")
    threads.hide_message(closed_gardener, secret.message, "Insulte")
    initiative = make_initiative(world.author, community=world.a)
    initiatives.hide_initiative(world.gardener_a, initiative, "Hors charte")
    db.session.commit()
    client.login_as(world.citizen)
    missing = client.get("/moderation/contest/message/999999")
    assert missing.status_code == 404
    for url in (
        f"/moderation/contest/message/{secret.message.id}",
        f"/moderation/contest/initiative/{initiative.id}",
    ):
        unreadable = client.get(url)
        assert unreadable.status_code == 404
        assert without_tokens(unreadable) == without_tokens(missing)
        posted = client.post_form(url, {"text": "Je plaisantais avec un ami."})
        assert posted.status_code == 404
    client.login_as(world.member_a)  # a member of another community than the message's
    assert client.get(f"/moderation/contest/message/{secret.message.id}").status_code == 404
    client.login_as(world.gardener_a)  # reads the hidden initiative (moderates it): 403
    assert client.get(f"/moderation/contest/initiative/{initiative.id}").status_code == 403
    client.login_as(world.author)
    assert client.get(f"/moderation/contest/initiative/{initiative.id}").status_code == 200
    assert client.get(f"/moderation/contest/message/{secret.message.id}").status_code == 200


def test_the_author_contests_her_hidden_message_after_a_ban_or_leaving(world, client):
    """Hide and ban, the usual pair: the notice of the hiding leads her to the contest page,
    which she keeps although she no longer reads the community's threads. Leaving an
    on-request community keeps it too. Anyone else still gets the missing id's 404."""
    from community.communities import memberships
    from community.moderation.suspensions import suspend_from_community
    from tests.factories import make_community, make_member

    gardener = make_member()
    closed = make_community(visibility="on_request", citizen=gardener, members=(world.author,))
    thread = make_thread(closed, "Entre nous")
    banned = threads.post_message(world.author, thread, "Idiot", "b1").message
    left = threads.post_message(world.author, thread, "Idiot aussi", "b2").message
    threads.hide_message(gardener, banned, "Insulte")
    threads.hide_message(gardener, left, "Insulte")
    suspend_from_community(gardener, world.author, closed, None, "Insultes répétées")
    db.session.commit()
    client.login_as(world.author)
    url = f"/moderation/contest/message/{banned.id}"
    assert client.get(url).status_code == 200
    assert client.post_form(url, {"text": "Je plaisantais avec un ami."}).status_code == 302
    client.login_as(world.citizen)
    assert client.get(f"/moderation/contest/message/{left.id}").status_code == 404

    other = make_member()
    elsewhere = make_community(visibility="on_request", citizen=gardener, members=(other,))
    gone = threads.post_message(other, make_thread(elsewhere, "Ici"), "Bête", "g1").message
    threads.hide_message(gardener, gone, "Insulte")
    memberships.leave(other, elsewhere)
    db.session.commit()
    client.login_as(other)
    assert client.get(f"/moderation/contest/message/{gone.id}").status_code == 200
