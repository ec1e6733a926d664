"""A member's data: exported whole (and nobody else's), erased for good on request."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from community.ambassadors.services import OutreachData, log_outreach
from community.auth.services import SignupData, confirm_email, make_confirm_token, sign_up
from community.communities.models import GardenerMandate
from community.core.errors import Conflict, Invalid
from community.extensions import db, socketio
from community.initiatives import backing
from community.initiatives.models import Initiative
from community.members import erasure, export
from community.members.models import Member
from community.moderation.targets import load_target
from community.notifications.mails import unsubscribe_token
from community.notifications.services import email_frequency
from community.solidarity import services as solidarity
from community.threads.models import Message
from community.threads.services import post_message
from tests.ambassadors.factories import make_ambassador, make_invitation, make_use
from tests.conftest import page_text
from tests.factories import PASSWORD, make_community, make_member, make_thread
from tests.initiatives.factories import make_initiative
from tests.moderation.factories import make_report
from tests.solidarity.factories import make_offer, make_request, make_signal


@dataclass
class Life:
    """A member who has done a bit of everything, among others."""

    leaver: Member
    neighbour: Member
    reporter: Member
    community: Any
    thread: Any
    message: Message
    own: Initiative
    supported: Initiative


def build_life(tag: str = "") -> Life:
    leaver = make_member(display_name=f"Rosa Partante{tag}", bio="Jardinière du dimanche")
    n = tag.strip()
    neighbour = make_member(display_name=f"Voisin Resté{tag}", email=f"voisin.reste{n}@example.org")
    reporter = make_member(display_name=f"Témoin Discret{tag}", email=f"temoin{n}@example.org")
    community = make_community(
        members=(leaver, neighbour), technician=make_member("staff"), citizen=make_member()
    )
    thread = make_thread(community, title="Le composteur")
    message = post_message(leaver, thread, "Le bac est plein, qui vient samedi ?").message
    post_message(neighbour, thread, "Moi !", reply_to=message.id)
    own = make_initiative(leaver, community=community, title="Un four à pain partagé")
    supported = make_initiative(neighbour, community=community, title="Des nichoirs")
    backing.support(leaver, supported)
    backing.volunteer(leaver, supported, "J'ai des planches.")
    ambassador = make_ambassador(leaver, community=community)
    invitation = make_invitation(ambassador, label="marché du samedi")
    make_use(invitation, make_member())
    log_outreach(
        leaver,
        ambassador,
        OutreachData(happened_on=date.today(), place_kind="market", people_met=12,
                     topics="Les poubelles débordent"),
    )  # fmt: skip
    make_offer(leaver, text="Je peux arroser les plantes.")
    make_request(leaver, text="Besoin d'un coup de main pour un meuble.")
    make_signal(leaver, text="Des voisins montent les courses de Mme B.")
    make_report(neighbour, reporter=leaver, community=community, text="Il crie dans le fil")
    make_report(leaver, reporter=reporter, community=community, text="Elle m'a vexé")
    db.session.flush()
    return Life(leaver, neighbour, reporter, community, thread, message, own, supported)


@pytest.fixture
def life(app: Any) -> Life:
    return build_life()


# --- export ---------------------------------------------------------------------------------


def test_export_holds_everything_of_the_member(life: Life) -> None:
    data = export.export_data(life.leaver)
    assert data["account"]["email"] == life.leaver.email
    assert data["account"]["bio"] == "Jardinière du dimanche"
    assert [m["community"] for m in data["memberships"]] == [life.community.slug]
    assert [m["body"] for m in data["messages"]] == ["Le bac est plein, qui vient samedi ?"]
    assert [i["title"] for i in data["initiatives"]] == ["Un four à pain partagé"]
    assert [s["initiative_title"] for s in data["supports"]] == ["Des nichoirs"]
    assert data["volunteering"][0]["message"] == "J'ai des planches."
    assert data["invitation_links"][0]["label"] == "marché du samedi"
    assert data["invitation_links"][0]["sign_ups"] == 1
    assert data["outreach_logs"][0]["people_met"] == 12
    assert data["help_offers"][0]["text"] == "Je peux arroser les plantes."
    assert data["help_requests"][0]["text"] == "Besoin d'un coup de main pour un meuble."
    assert data["solidarity_signals"][0]["text"] == "Des voisins montent les courses de Mme B."
    assert data["reports_made"][0]["text"] == "Il crie dans le fil"
    assert data["notifications"][0]["text"].startswith("Voisin Resté vous a répondu")
    json.dumps(data)  # plain JSON all the way down


def test_export_tells_nothing_of_other_people(life: Life) -> None:
    text = json.dumps(export.export_data(life.leaver), ensure_ascii=False)
    # Nobody else's e-mail, and not who reported the member nor what they wrote.
    assert "voisin.reste@example.org" not in text and "temoin@example.org" not in text
    assert "Témoin Discret" not in text and "Elle m'a vexé" not in text
    for secret in ("password_hash", "token_hash", "session_nonce", "$argon2", '"token"'):
        assert secret not in text


def test_export_query_count_does_not_grow(app: Any, queries: Any) -> None:
    small = build_life(" 1")
    with queries() as log:
        export.export_data(small.leaver)
    few = log.count
    big = build_life(" 2")
    for n in range(5):
        post_message(big.leaver, big.thread, f"Encore un message {n}")
        make_initiative(big.leaver, title=f"Idée {n}")
        make_offer(big.leaver, text=f"Offre {n}")
    db.session.flush()
    with queries() as log:
        data = export.export_data(big.leaver)
    assert len(data["messages"]) == 6 and len(data["initiatives"]) == 6
    assert log.count == few


def test_export_download_from_the_profile(client: Any, life: Life) -> None:
    client.login_as(life.leaver)
    assert "/me/export" in page_text(client.get("/me"))
    response = client.get("/me/export")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert response.headers["Cache-Control"] == "no-store"
    assert json.loads(response.data)["account"]["id"] == life.leaver.id


def test_export_over_the_api(client: Any, api_token: Any, life: Life) -> None:
    response = client.get("/api/v1/me/export", headers=api_token(life.leaver))
    assert response.status_code == 200
    assert response.json["account"]["display_name"] == "Rosa Partante"
    assert client.get("/api/v1/me/export").status_code == 401
    assert client.get("/me/export").status_code == 302  # to the login page


# --- erasure --------------------------------------------------------------------------------


def _member_columns() -> list[Any]:
    return [
        fk.parent
        for table in db.metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column.table is Member.__table__
    ]


def _rows_pointing_at(member_id: int) -> dict[str, int]:
    found = {}
    for column in _member_columns():
        count = db.session.execute(
            select(func.count()).select_from(column.table).where(column == member_id)
        ).scalar_one()
        if count:
            found[f"{column.table.name}.{column.name}"] = count
    return found


def test_erasure_removes_the_account_and_keeps_what_others_need(life: Life) -> None:
    leaver_id, message_id, own_id = life.leaver.id, life.message.id, life.own.id
    assert life.supported.support_count == 1
    assert len(_rows_pointing_at(leaver_id)) > 10  # the life above touched many tables
    erasure.erase_account(life.leaver, PASSWORD)
    assert db.session.get(Member, leaver_id) is None
    assert _rows_pointing_at(leaver_id) == {}
    message = db.session.get(Message, message_id)
    assert message is not None and message.author_id is None
    assert message.body == "Le bac est plein, qui vient samedi ?"
    own = db.session.get(Initiative, own_id)
    assert own is not None and own.author_id is None
    supported = db.session.get(Initiative, life.supported.id)
    assert supported is not None and supported.support_count == 0
    # What belongs to the others stays whole.
    neighbour = life.neighbour.id
    assert _rows_pointing_at(neighbour)["memberships.member_id"] == 1
    assert _rows_pointing_at(neighbour)["messages.author_id"] == 1
    assert _rows_pointing_at(neighbour)["initiatives.author_id"] == 1
    assert _rows_pointing_at(life.reporter.id)["reports.reporter_id"] == 1
    # The pseudonym and the address are free again.
    assert db.session.execute(
        select(Member.id).where(Member.display_name_key == "rosa partante")
    ).first() is None  # fmt: skip


def test_erasure_needs_the_right_password(life: Life) -> None:
    with pytest.raises(Invalid) as error:
        erasure.erase_account(life.leaver, "not the password")
    assert error.value.errors == {"password": ["Mot de passe incorrect."]}
    assert db.session.get(Member, life.leaver.id) is not None


def test_a_gardener_hands_over_first(app: Any) -> None:
    gardener = make_member()
    community = make_community(citizen=gardener)
    with pytest.raises(Conflict) as error:
        erasure.erase_account(gardener, PASSWORD)
    assert community.name in error.value.message
    mandate = db.session.execute(
        select(GardenerMandate).where(GardenerMandate.member_id == gardener.id)
    ).scalar_one()
    mandate.ended_at = mandate.started_at  # handed over
    erasure.erase_account(gardener, PASSWORD)
    assert db.session.get(Member, gardener.id) is None


def test_the_last_admin_stays(app: Any) -> None:
    for admin in db.session.execute(select(Member).where(Member.role == "admin")).scalars():
        admin.role = "staff"
    only = make_member("admin")
    with pytest.raises(Conflict):
        erasure.erase_account(only, PASSWORD)
    make_member("admin")
    erasure.erase_account(only, PASSWORD)


def test_an_erased_members_id_is_given_to_nobody_else(client: Any) -> None:
    """SQLite gave the largest id once more after its row was gone: the next person to sign up
    became the member whom the reports about the erased account name (`Report.target_id`),
    and whose mail the erased member's old unsubscribe links (which carry the id) stopped."""
    staff, reporter = make_member("staff"), make_member()
    leaver = make_member(display_name="Rosa Partie")
    report = make_report(leaver, reporter=reporter, text="Elle insulte tout le monde")
    old_link = f"/notifications/unsubscribe/{unsubscribe_token(leaver)}"
    largest = db.session.execute(select(func.max(Member.id))).scalar_one()
    assert leaver.id == largest
    erasure.erase_account(leaver, PASSWORD)
    newcomer = sign_up(
        SignupData(
            email="nina.nouvelle@example.org",
            password=PASSWORD,
            display_name="Nina Nouvelle",
            accept_charter=True,
        )
    )
    assert confirm_email(make_confirm_token(newcomer), PASSWORD) == newcomer
    assert newcomer.id > largest
    # The report stays about the erased account: it names nobody.
    assert load_target(staff, "member", report.target_id) is None
    page = page_text(client.login_as(staff).get(f"/moderation/reports/{report.id}"))
    assert "Elle insulte tout le monde" in page and "Nina Nouvelle" not in page
    # The mail client's one-click unsubscribe, from a mail the erased member kept.
    assert client.post(old_link, data={"List-Unsubscribe": "One-Click"}).status_code == 404
    assert email_frequency(newcomer) != "none"


def test_delete_page_erases_and_logs_out(client: Any, life: Life) -> None:
    leaver_id = life.leaver.id
    client.login_as(life.leaver)
    page = page_text(client.get("/me/delete"))
    assert "compte supprimé" in page and "Télécharger mes données" in page
    wrong = client.post_form("/me/delete", {"password": "nope", "confirm": "y"})
    assert wrong.status_code == 422 and "Mot de passe incorrect." in page_text(wrong)
    unconfirmed = client.post_form("/me/delete", {"password": PASSWORD})
    assert unconfirmed.status_code == 422
    assert db.session.get(Member, life.leaver.id) is not None
    done = client.post_form("/me/delete", {"password": PASSWORD, "confirm": "y"})
    assert done.status_code == 302 and done.headers["Location"] == "/"
    assert "Votre compte est supprimé" in page_text(client.get("/"))
    assert client.get("/me").status_code == 302  # logged out
    assert db.session.get(Member, leaver_id) is None


def test_delete_page_needs_csrf(client: Any, life: Life) -> None:
    client.login_as(life.leaver)
    response = client.post("/me/delete", data={"password": PASSWORD, "confirm": "y"})
    assert response.status_code == 400
    assert db.session.get(Member, life.leaver.id) is not None


def test_delete_page_says_why_a_gardener_cannot_leave_yet(client: Any, app: Any) -> None:
    gardener = make_member()
    community = make_community(citizen=gardener)
    client.login_as(gardener)
    page = page_text(client.get("/me/delete"))
    assert community.name in page and 'name="password"' not in page
    refused = client.post_form("/me/delete", {"password": PASSWORD, "confirm": "y"})
    assert refused.status_code == 200 and db.session.get(Member, gardener.id) is not None


def test_pages_show_a_deleted_account_afterwards(client: Any, life: Life) -> None:
    staff = make_member("staff")
    erasure.erase_account(life.leaver, PASSWORD)
    client.login_as(life.neighbour)
    thread = page_text(client.get(f"/threads/{life.thread.id}"))
    assert "compte supprimé" in thread and "Le bac est plein" in thread
    initiative = page_text(client.get(f"/initiatives/{life.own.id}"))
    assert "Un four à pain partagé" in initiative and "compte supprimé" in initiative
    assert client.get(f"/communities/{life.community.slug}").status_code == 200
    assert client.get(f"/initiatives/{life.supported.id}").status_code == 200
    client.login_as(staff)
    for url in ("/moderation", "/moderation/journal", "/transparency", "/observatory"):
        assert client.get(url).status_code == 200, url


def test_delete_over_the_api(client: Any, api_token: Any, life: Life) -> None:
    leaver_id = life.leaver.id
    headers = api_token(life.leaver)
    assert client.delete("/api/v1/me", json={}).status_code == 401
    missing = client.delete("/api/v1/me", json={}, headers=headers)
    assert missing.status_code == 422 and "password" in missing.json["errors"]
    wrong = client.delete("/api/v1/me", json={"password": "nope"}, headers=headers)
    assert wrong.status_code == 422
    assert wrong.json["errors"] == {"password": ["Mot de passe incorrect."]}
    not_json = client.delete(
        "/api/v1/me", data="password", headers={**headers, "Content-Type": "application/json"}
    )
    assert not_json.status_code == 400
    assert db.session.get(Member, leaver_id) is not None
    done = client.delete("/api/v1/me", json={"password": PASSWORD}, headers=headers)
    assert done.status_code == 204
    assert db.session.get(Member, leaver_id) is None
    assert client.get("/api/v1/me", headers=headers).status_code == 401  # the token went too


def test_delete_over_the_api_refuses_a_gardener(client: Any, api_token: Any, app: Any) -> None:
    gardener = make_member()
    make_community(citizen=gardener)
    response = client.delete("/api/v1/me", json={"password": PASSWORD}, headers=api_token(gardener))
    assert response.status_code == 409 and response.json["code"] == "conflict"


def test_erasure_closes_the_member_sockets(app: Any, client: Any, life: Life) -> None:
    client.login_as(life.leaver)
    sock = socketio.test_client(app, flask_test_client=client)
    assert sock.is_connected()
    client.post_form("/me/delete", {"password": PASSWORD, "confirm": "y"})
    assert not sock.is_connected()


def test_reports_about_the_account_are_closed(life: Life) -> None:
    from community.moderation.models import Report

    leaver_id = life.leaver.id
    erasure.erase_account(life.leaver, PASSWORD)
    about = db.session.execute(
        select(Report).where(Report.target_type == "member", Report.target_id == leaver_id)
    ).scalar_one()
    assert (about.status, about.resolution) == ("resolved", "dismiss")
    assert about.resolution_reason == "Le compte a été supprimé."


def test_a_request_the_member_was_helping_with_opens_again(app: Any) -> None:
    from community.solidarity.models import HelpRequest

    asker, helper = make_member(), make_member()
    offer = make_offer(helper)  # offered before the request: it reads it (visibility layer)
    request = make_request(asker, offer.theme, offer.neighbourhood)
    proposal = solidarity.propose_help(helper, request, "Je passe jeudi.")
    solidarity.accept_proposal(asker, proposal)
    assert request.status == "matched"
    request_id = request.id
    erasure.erase_account(helper, PASSWORD)
    reopened = db.session.get(HelpRequest, request_id)
    assert reopened is not None and reopened.status == "open"


@pytest.mark.parametrize("scope", ["platform", "community"])
def test_a_suspended_member_cannot_leave_to_come_back_clean(app: Any, scope: str) -> None:
    from datetime import timedelta

    from community.core.models import utcnow
    from community.moderation.suspensions import suspend_from_community, suspend_from_platform

    staff, member = make_member("staff"), make_member()
    community = make_community(members=(member,))
    until = utcnow() + timedelta(days=10)
    if scope == "platform":
        suspend_from_platform(staff, member, until, "Menaces", notify_member=False)
    else:
        suspend_from_community(staff, member, community, None, "Insultes", notify_member=False)
    with pytest.raises(Conflict) as error:
        erasure.erase_account(member, PASSWORD)
    assert "suspendu" in error.value.message
    assert db.session.get(Member, member.id) is not None


def test_an_erased_authors_hidden_message_stays_hidden(client: Any, life: Life) -> None:
    from community.threads.services import hide_message

    moderator = make_member("staff")
    hide_message(moderator, life.message, "Propos déplacés")
    erasure.erase_account(life.leaver, PASSWORD)
    for member in (None, life.neighbour):
        if member is not None:
            client.login_as(member)
        messages = client.get(f"/api/v1/threads/{life.thread.id}/messages").json
        erased = next(m for m in messages if m["author"] is None)
        assert "Le bac est plein" not in str(erased)
        page = page_text(client.get(f"/threads/{life.thread.id}"))
        assert "Le bac est plein" not in page


def test_a_hide_from_the_thread_page_is_in_the_authors_export(client: Any, life: Life) -> None:
    """Hidden from its thread page (not through a report), the act concerns its author too."""
    moderator = make_member("staff")
    db.session.commit()
    client.login_as(moderator)
    response = client.post_form(
        f"/threads/messages/{life.message.id}/hide", {"reason": "Propos déplacés"}
    )
    assert response.status_code == 302
    acts = export.export_data(life.leaver)["moderation_concerning_me"]
    assert [(a["action"], a["target_type"], a["reason"]) for a in acts] == [
        ("hide", "message", "Propos déplacés")
    ]


def test_a_hide_over_a_socket_is_in_the_authors_export(
    app: Any, api_token: Any, life: Life
) -> None:
    moderator = make_member("staff")
    db.session.commit()
    token = api_token(moderator)["Authorization"].split()[1]
    socket = socketio.test_client(app, auth={"token": token})
    ack = socket.emit(
        "message:hide", {"message_id": life.message.id, "reason": "Hors charte"}, callback=True
    )
    socket.disconnect()
    assert ack["ok"] is True
    acts = export.export_data(life.leaver)["moderation_concerning_me"]
    assert [(a["action"], a["reason"]) for a in acts] == [("hide", "Hors charte")]
