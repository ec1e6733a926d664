from __future__ import annotations

import re
from datetime import timedelta

from flask import g
from sqlalchemy import select

from community.core.models import utcnow
from community.extensions import db
from community.moderation import services
from community.moderation.models import ModerationAction, Report
from community.moderation.transparency import monthly_counts
from tests.conftest import page_text
from tests.factories import make_member
from tests.html_parts import element, hrefs
from tests.moderation.factories import make_report


def test_report_a_member_without_javascript(world, client) -> None:  # type: ignore[no-untyped-def]
    client.login_as(world.citizen)
    page = client.get(f"/report?target_type=member&target_id={world.author.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Auteur Signalé" in html and "Quel est le problème\u00a0?" in html
    response = client.post_form(
        "/report",
        {
            "target_type": "member",
            "target_id": world.author.id,
            "reason": "harassment",
            "text": "Insiste",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/members/{world.author.id}"
    report = db.session.execute(select(Report)).scalar_one()
    assert (report.reporter, report.reason, report.text) == (world.citizen, "harassment", "Insiste")
    # A second time: told, not stored twice.
    again = client.post_form(
        "/report", {"target_type": "member", "target_id": world.author.id, "reason": "spam"}
    )
    assert again.status_code == 302
    assert len(db.session.execute(select(Report)).all()) == 1


def test_report_form_errors_and_refusals(world, client) -> None:  # type: ignore[no-untyped-def]
    client.login_as(world.citizen)
    missing = client.post_form("/report", {"target_type": "member", "target_id": world.author.id})
    assert missing.status_code == 422 and 'class="error"' in missing.get_data(as_text=True)
    assert client.get("/report?target_type=member&target_id=999999").status_code == 404
    assert client.get("/report?target_type=nonsense&target_id=1").status_code == 404
    assert client.get(f"/report?target_type=member&target_id={world.citizen.id}").status_code == 403
    assert db.session.execute(select(Report)).first() is None


def test_report_needs_a_login(world, client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/report?target_type=member&target_id={world.author.id}")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_queue_shows_reports_without_the_reporter(world, client) -> None:  # type: ignore[no-untyped-def]
    reporter = make_member(display_name="Qui Signale")
    make_report(world.author, community=world.a, reporter=reporter, text="Il m'a insulté")
    client.login_as(world.gardener_a)
    html = client.get("/moderation").get_data(as_text=True)
    assert "Auteur Signalé" in html and "Il m&#39;a insulté" in html
    assert "Qui Signale" not in html
    assert "Insulte" in html


def test_queue_queries_stay_flat(world, client, queries) -> None:  # type: ignore[no-untyped-def]
    client.login_as(world.staff)
    make_report(world.author, community=world.a)
    client.get("/moderation")
    with queries() as few:
        client.get("/moderation")
    for _ in range(10):
        make_report(make_member(), community=world.b)
        make_report(make_member())
    with queries() as many:
        client.get("/moderation")
    assert many.count == few.count


def test_journal_queries_stay_flat(world, client, queries) -> None:  # type: ignore[no-untyped-def]
    client.login_as(world.staff)
    services.record_action(
        world.staff, "lock", "thread", 1, community=world.a, subject=make_member()
    )
    services.record_action(  # each kind named costs its query once, not once per act
        world.staff, "warn", "member", world.author.id, community=world.b, subject=world.author
    )
    client.get("/moderation/journal")
    with queries() as few:
        client.get("/moderation/journal")
    for n in range(10):
        services.record_action(
            make_member("staff"), "warn", "member", n, community=world.b, subject=make_member()
        )
    with queries() as many:
        html = client.get("/moderation/journal").get_data(as_text=True)
    assert many.count == few.count
    assert "Avertissement" in html


def test_resolve_through_the_page(world, client) -> None:  # type: ignore[no-untyped-def]
    report = make_report(world.author, community=world.a)
    db.session.commit()  # the view rolls back after a refused form: keep the report
    client.login_as(world.gardener_a)
    page = client.get(f"/moderation/reports/{report.id}").get_data(as_text=True)
    assert "Votre décision" in page
    assert "De toute la plateforme" not in page  # a citizen gardener cannot suspend platform-wide
    missing_reason = client.post_form(f"/moderation/reports/{report.id}", {"action": "warn"})
    assert missing_reason.status_code == 422
    assert "Dites pourquoi" in missing_reason.get_data(as_text=True)
    response = client.post_form(
        f"/moderation/reports/{report.id}",
        {
            "action": "suspend",
            "reason": "Insultes répétées",
            "until": f"{utcnow().year + 5}-12-31",  # dates are bounded (core/dates.py)
            "scope": "community",
        },
    )
    assert response.status_code == 302
    act = db.session.execute(select(ModerationAction)).scalar_one()
    assert (
        act.action == "suspend_community"
        and act.until is not None
        and act.until.year == utcnow().year + 5
    )


def test_a_report_answered_on_the_page_is_committed_inside_its_write_turn(
    world, client, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """As the API does: the answer commits (and its broadcasts leave) before the target's
    write turn ends — a thread's turn keeps its broadcasts in order across processes."""
    from contextlib import contextmanager

    from sqlalchemy import event

    from community.moderation import views

    report = make_report(world.author, community=world.a)
    db.session.commit()
    inside, commits_inside = [False], []

    @contextmanager
    def turn(target_type, target_id):  # type: ignore[no-untyped-def]
        inside[0] = True
        try:
            yield
        finally:
            inside[0] = False

    def committed(session) -> None:  # type: ignore[no-untyped-def]
        commits_inside.append(inside[0])

    monkeypatch.setattr(views, "write_turn", turn)
    event.listen(db.session, "after_commit", committed)
    try:
        client.login_as(world.gardener_a)
        answer = client.post_form(
            f"/moderation/reports/{report.id}", {"action": "warn", "reason": "Restez poli"}
        )
    finally:
        event.remove(db.session, "after_commit", committed)
    assert answer.status_code == 302
    assert True in commits_inside


def test_moderation_entry_in_the_menu(world, client) -> None:  # type: ignore[no-untyped-def]
    client.login_as(world.gardener_a)
    assert 'href="/moderation"' in client.get("/").get_data(as_text=True)
    g.pop("_login_user", None)  # the suite's app context outlives a request: forget who was loaded
    client.login_as(world.member_a)
    assert 'href="/moderation"' not in client.get("/").get_data(as_text=True)


def test_transparency_is_public_and_has_no_names(world, client) -> None:  # type: ignore[no-untyped-def]
    make_report(world.author, community=world.a, reason="insult")
    make_report(world.author, community=world.a, reason="insult")
    make_report(world.author, community=world.b, reason="spam")
    make_report(world.author, reason="harassment")
    services.record_action(
        world.gardener_a,
        "hide",
        "message",
        1,
        community=world.a,
        subject=world.author,
        reason="secret",
    )
    services.record_action(world.gardener_a, "lift_suspension", "member", 1, community=world.a)
    response = client.get("/transparency")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert world.a.name in html and world.b.name in html and "Plateforme (membres)" in html
    assert (
        "Auteur Signalé" not in html
        and "secret" not in html
        and world.gardener_a.display_name not in html
    )
    assert 'href="/transparency"' in client.get("/").get_data(
        as_text=True
    )  # the footer links to it


def test_monthly_counts(world) -> None:  # type: ignore[no-untyped-def]
    now = utcnow()
    make_report(world.author, community=world.a, reason="insult")
    make_report(world.author, community=world.a, reason="insult")
    make_report(world.author, community=world.a, reason="spam", created_at=now - timedelta(days=40))
    make_report(world.author, reason="harassment")
    make_report(
        world.author, community=world.a, reason="spam", created_at=now - timedelta(days=800)
    )
    services.record_action(world.gardener_a, "hide", "message", 1, community=world.a)
    services.record_action(world.gardener_a, "lift_suspension", "member", 1, community=world.a)
    months = monthly_counts(now=now)
    assert len(months) == 2
    current = months[0]
    assert current.month == now.strftime("%Y-%m")
    rows = {row.community: row.counts for row in current.reports}
    assert rows == {world.a.name: {"insult": 2}, None: {"harassment": 1}}
    assert [r.community for r in current.reports] == [world.a.name, None]
    assert {row.community: row.counts for row in current.actions} == {world.a.name: {"hide": 1}}
    assert {row.community: row.counts for row in months[1].reports} == {world.a.name: {"spam": 1}}


def test_a_profile_has_a_report_link(world, client) -> None:  # type: ignore[no-untyped-def]
    client.login_as(world.citizen)
    html = client.get(f"/members/{world.author.id}").get_data(as_text=True)
    assert f"/report?target_type=member&amp;target_id={world.author.id}" in html


def test_the_decision_offers_what_makes_sense_and_says_who_is_told(world, client) -> None:  # type: ignore[no-untyped-def]
    """Walked at 360 px: "restore the content" was offered for a member (nothing to hide), and
    dismissing said the member concerned was told (only the reporter is)."""
    report = make_report(world.author, community=world.a, reporter=make_member())
    client.login_as(world.gardener_a)
    html = client.get(f"/moderation/reports/{report.id}").get_data(as_text=True)
    assert "Classer\u00a0: rien d" in html and "Avertir le membre" in html
    assert "Masquer le contenu" not in html and "Rétablir le contenu" not in html
    response = client.post_form(f"/moderation/reports/{report.id}", {"action": "dismiss"})
    assert response.status_code == 302
    queue = client.get("/moderation").get_data(as_text=True)
    assert "La personne qui a signalé est prévenue." in queue
    assert "Le membre concerné a été prévenu" not in queue


def test_a_report_about_her_own_content_is_not_in_her_queue(world, client) -> None:  # type: ignore[no-untyped-def]
    """Walked at 360 px: the agent's queue listed a report about his own message, and its
    "Examine" button led to a refusal (nobody answers a report about themselves)."""
    mine = make_report(world.gardener_a, community=world.a, reporter=make_member())
    other = make_report(world.author, community=world.a, reporter=make_member())
    client.login_as(world.gardener_a)
    html = client.get("/moderation").get_data(as_text=True)
    assert f"/moderation/reports/{other.id}" in html
    assert f"/moderation/reports/{mine.id}" not in html
    assert f"/moderation/reports/{mine.id}" not in client.get("/todo").get_data(as_text=True)


def test_the_suspension_fields_are_grouped_for_a_suspension_only(world, client) -> None:  # type: ignore[no-untyped-def]
    """Without JavaScript the form stays usable: the end date, "without end date" and the
    scope sit under their own title, which says they only serve a suspension (terreau.js
    shows them only while "Suspend" is chosen: tests/moderation/test_browser.py)."""
    report = make_report(world.author, community=world.a)
    client.login_as(world.gardener_a)
    html = client.get(f"/moderation/reports/{report.id}").get_data(as_text=True)
    group = element(html, 'data-shown-when="action=suspend"')
    assert group.startswith("<fieldset")
    assert "<legend>Seulement pour une suspension</legend>" in group
    names = set(re.findall(r'<(?:input|select)\b[^>]*\bname="([a-z_]+)"', group))
    assert names == {"until", "no_end", "scope"}
    # The choice of the act stays outside the group, before it.
    assert html.index('name="action"') < html.index(group)
    # A dismissal with nothing in the group is answered as before.
    done = client.post_form(f"/moderation/reports/{report.id}", {"action": "dismiss"})
    assert done.status_code == 302


def test_answering_a_report_from_the_inbox_leads_back_to_it(world, client) -> None:  # type: ignore[no-untyped-def]
    report = make_report(world.author, community=world.a)
    other = make_report(make_member(), community=world.a)
    client.login_as(world.gardener_a)
    links = hrefs(
        element(client.get("/todo").get_data(as_text=True), 'class="plain-list todo-list"')
    )
    assert f"/moderation/reports/{report.id}?next=%2Ftodo" in links
    page = client.get(f"/moderation/reports/{report.id}?next=%2Ftodo")
    assert "Retour à ma liste à faire" in page_text(page)
    done = client.post_form(f"/moderation/reports/{report.id}?next=%2Ftodo", {"action": "dismiss"})
    assert done.status_code == 302 and done.headers["Location"] == "/todo"
    assert "La personne qui a signalé est prévenue" in page_text(client.get("/todo"))
    # From the queue (no `next`) back to the queue; a `next` to another site is not followed.
    elsewhere = client.post_form(
        f"/moderation/reports/{other.id}?next=//evil.example/todo", {"action": "dismiss"}
    )
    assert elsewhere.headers["Location"] == "/moderation"


def test_the_journal_names_what_each_act_was_about(world, client) -> None:  # type: ignore[no-untyped-def]
    """Not "Message 7": whose message, where, a short excerpt — only what the reader reads."""
    from community.threads import services as threads
    from tests.factories import make_thread
    from tests.initiatives.factories import make_initiative

    thread = make_thread(world.a, title="Les jardins du lundi")
    said = threads.post_message(world.author, thread, "Des tomates partout dans la cour").message
    threads.hide_message(world.gardener_a, said, "Hors charte")
    gone = threads.post_message(world.author, thread, "Un message effacé ensuite").message
    threads.hide_message(world.gardener_a, gone, "Hors charte")
    threads.delete_message(world.author, gone)
    threads.set_locked(world.gardener_a, thread, True, "On se calme")
    initiative = make_initiative(world.author, community=world.a, title="Un composteur partagé")
    services.record_action(world.gardener_a, "hide", "initiative", initiative.id, community=world.a)
    client.login_as(world.gardener_a)
    html = page_text(client.get("/moderation/journal"))
    assert f"Message {said.id}" not in html and f"Discussion {thread.id}" not in html
    assert "« Des tomates partout dans la cour » — Les jardins du lundi" in html
    assert "Discussion\u00a0: Les jardins du lundi" in html
    assert "Un composteur partagé" in html
    assert "Un message effacé ensuite" not in html
    assert "Non affiché" in html  # the deleted one: said so, not shown


def test_the_journal_never_names_someone_else_under_an_erased_members_id(world, client) -> None:  # type: ignore[no-untyped-def]
    """An act on a member whose account was erased lost its subject (SET NULL); on SQLite her
    id may be given again to a newcomer, whom the journal must not name in her place."""
    newcomer = make_member(display_name="Nouvelle Innocente")
    services.record_action(world.gardener_a, "warn", "member", world.author.id, community=world.a,
                           subject=world.author)  # fmt: skip
    # What erasure leaves: the subject gone, the id now someone else's.
    services.record_action(world.gardener_a, "warn", "member", newcomer.id, community=world.a)
    client.login_as(world.gardener_a)
    html = page_text(client.get("/moderation/journal"))
    assert "Auteur Signalé" in html
    assert "Nouvelle Innocente" not in html


def test_the_journal_names_nothing_its_reader_may_not_read(world) -> None:  # type: ignore[no-untyped-def]
    from community.communities.models import Community
    from community.moderation.targets import readable_labels
    from community.threads import services as threads
    from tests.factories import make_community, make_thread

    closed = make_community(visibility="on_request", citizen=world.gardener_b)
    assert isinstance(closed, Community)
    inside = make_thread(closed, title="Entre nous")
    said = threads.post_message(world.gardener_b, inside, "Rien que pour les membres").message
    open_thread = make_thread(world.a, title="Pour tout le monde")
    shown = threads.post_message(world.author, open_thread, "Bonjour à tous").message
    hidden = threads.post_message(world.author, open_thread, "Un mot blessant").message
    threads.hide_message(world.gardener_a, hidden, "Hors charte")
    keys = [
        ("message", said.id), ("message", shown.id), ("message", hidden.id),
        ("thread", inside.id), ("thread", open_thread.id),
    ]  # fmt: skip
    outsider = readable_labels(world.citizen, keys)
    assert set(outsider) == {("message", shown.id), ("thread", open_thread.id)}
    assert "Bonjour à tous" in outsider[("message", shown.id)].label
    moderator = readable_labels(world.gardener_a, keys)
    assert ("message", hidden.id) in moderator and ("message", said.id) not in moderator
    assert set(readable_labels(world.gardener_b, keys)) >= {
        ("message", said.id),
        ("thread", inside.id),
    }


def test_the_journal_names_its_acts_in_few_queries(world, client, queries) -> None:  # type: ignore[no-untyped-def]
    from community.threads import services as threads
    from tests.factories import make_thread

    def hide_one(n: int) -> None:
        thread = make_thread(world.a, title=f"Sujet {n}")
        threads.hide_message(
            world.gardener_a, threads.post_message(world.author, thread, "Oups").message, "Non"
        )
        threads.set_locked(world.gardener_a, thread, True, "Stop")

    hide_one(0)
    client.login_as(world.gardener_a)
    client.get("/moderation/journal")
    with queries() as few:
        client.get("/moderation/journal")
    for n in range(1, 6):
        hide_one(n)
    with queries() as many:
        html = page_text(client.get("/moderation/journal"))
    assert "Sujet 5" in html and "« Oups » — Sujet 5" in html
    assert many.count <= few.count + 5, (few.count, many.count)
