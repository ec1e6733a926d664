"""Check-in by signed code, reminders the day before, the compte rendu and attendance counts."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from community.core.errors import Conflict, Invalid
from community.core.models import utcnow
from community.events import attendance, codes
from community.events.cli import send_reminders
from community.extensions import db
from community.notifications.models import Notification
from tests.conftest import page_text
from tests.events.factories import make_event, make_registration
from tests.factories import make_member


def _now_event(world, **fields):
    return make_event(
        world.community, world.gardener, starts_at=utcnow() - timedelta(minutes=10), **fields
    )


def test_codes_are_signed_per_rencontre(world, app):
    code = codes.checkin_code(7, 42)
    assert code.startswith("42-") and len(code) == 11
    assert codes.read_checkin_code(7, code) == 42
    assert codes.read_checkin_code(7, code.lower()) == 42
    assert codes.read_checkin_code(7, f"  {code} ") == 42
    assert codes.read_checkin_code(8, code) is None  # another rencontre
    assert codes.read_checkin_code(7, "43-" + code[3:]) is None  # another registration
    assert codes.read_checkin_code(7, "n'importe quoi") is None
    app.config["SECRET_KEY"], saved = "another-key", app.config["SECRET_KEY"]
    try:
        assert codes.read_checkin_code(7, code) is None
    finally:
        app.config["SECRET_KEY"] = saved


def test_codes_never_mix_o_and_0_nor_i_and_1(world):
    """Walked at the door: "10-O1IB…" had to be read aloud letter by letter. The letters of a
    code are now letters no digit looks like (no I, L, O), after the only digits."""
    letters = set()
    for registration_id in range(1, 400):
        code = codes.checkin_code(3, registration_id)
        number, letters_part = code.split("-")
        assert number == str(registration_id)
        assert re.fullmatch(r"[A-Z]{8}", letters_part)
        letters |= set(letters_part)
        # Typed by hand: lower case, spaces, a long dash, an O for a 0 in the number.
        typed = f" {number.replace('0', 'o').replace('1', 'l')} – {letters_part.lower()} "
        assert codes.read_checkin_code(3, typed) == registration_id
    assert not letters & set("ILO0123456789")


def test_codes_given_before_stay_valid(world):
    letters = codes._old_letters(7, 42)
    assert codes.read_checkin_code(7, f"42-{letters}") == 42
    assert codes.read_checkin_code(7, f"42-{letters.lower()}") == 42
    # Copied from paper or read aloud: a zero for an O, a one for an I is still her code.
    looks_alike = letters.replace("O", "0").replace("I", "1").replace("B", "8")
    assert codes.read_checkin_code(7, "42-" + looks_alike) == 42
    assert codes.read_checkin_code(8, f"42-{letters}") is None


def test_check_in_marks_presence_once(world):
    event = _now_event(world)
    registration = make_registration(event, world.member)
    code = codes.checkin_code(event.id, registration.id)
    first = attendance.check_in(world.gardener, event, code)
    assert not first.already and registration.checked_in_at is not None
    assert attendance.check_in(world.gardener, event, code).already
    other = _now_event(world)
    with pytest.raises(Invalid):
        attendance.check_in(world.gardener, other, code)
    later = make_event(world.community, days=5)
    early = make_registration(later, world.citizen)
    with pytest.raises(Conflict):
        attendance.check_in(world.gardener, later, codes.checkin_code(later.id, early.id))


def test_the_gardener_checks_in_by_a_typed_code_without_javascript(client, world, login_as):
    event = _now_event(world)
    registration = make_registration(event, world.member)
    code = codes.checkin_code(event.id, registration.id)
    login_as(world.gardener)
    # The QR code opens the attendee page with the code filled in.
    page = client.get(f"/events/{event.id}/attendees?code={code}")
    assert page.status_code == 200 and f'value="{code}"' in page.text
    done = client.post_form(f"/events/{event.id}/checkin", {"code": code.lower()})
    assert done.status_code == 302
    said = page_text(client.get(done.location))
    assert f"Présence de {world.member.display_name} notée." in said and "noté présent" not in said
    db.session.refresh(registration)
    assert registration.checked_in_at is not None
    wrong = client.post_form(f"/events/{event.id}/checkin", {"code": "1-AAAAAAAA"})
    assert wrong.status_code == 422
    assert "Ce code ne correspond pas à cette rencontre." in page_text(wrong)


def test_attendees_are_for_those_who_run_it(client, world, login_as):
    event = _now_event(world)
    make_registration(event, world.member)
    login_as(world.member)
    assert client.get(f"/events/{event.id}/attendees").status_code == 403
    login_as(world.gardener)
    page = page_text(client.get(f"/events/{event.id}/attendees"))
    assert world.member.display_name in page
    assert world.member.email not in page


def test_reminders_go_once_the_day_before(world, outbox):
    tomorrow = make_event(world.community, starts_at=utcnow() + timedelta(hours=20))
    far = make_event(world.community, days=6)
    going = make_registration(tomorrow, world.member)
    make_registration(tomorrow, world.citizen, status="waitlisted")
    make_registration(far, world.member)
    guest = make_registration(
        tomorrow, None, guest_name="Camille", guest_email="camille@example.org"
    )
    assert send_reminders()[0] == 2
    assert send_reminders()[0] == 0  # idempotent
    notes = db.session.query(Notification).filter_by(kind="event_reminder").all()
    assert [n.member_id for n in notes] == [world.member.id]
    assert going.reminded_at is not None
    assert len(outbox.to("camille@example.org")) == 1
    assert guest.reminded_at is not None


def test_the_cli_command(app, world):
    result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code == 0 and "Rappels envoyés : 0" in result.output


def test_the_compte_rendu_goes_to_those_who_came(world, client, login_as):
    from tests.initiatives.factories import make_initiative

    initiative = make_initiative(community=world.community)
    event = _now_event(world, initiative_id=initiative.id, title="Tamisage")
    came, absent = make_member(), make_member()
    make_registration(event, came, checked_in_at=utcnow())
    make_registration(event, absent)
    attendance.publish_report(world.gardener, event, "# Bilan\n\n- Bac **mûr**\n<script>x</script>")
    assert "<strong>mûr</strong>" in event.report_html and "<script>" not in event.report_html
    assert (
        db.session.query(Notification).filter_by(kind="event_report", member_id=came.id).count()
        == 1
    )
    assert (
        db.session.query(Notification).filter_by(kind="event_report", member_id=absent.id).count()
        == 0
    )
    attendance.publish_report(world.gardener, event, "Bilan corrigé")
    assert db.session.query(Notification).filter_by(kind="event_report").count() == 1  # sent once
    story = page_text(client.get(f"/initiatives/{initiative.id}"))
    assert "Tamisage" in story and "Bilan corrigé" in story
    with pytest.raises(Conflict):
        attendance.publish_report(world.gardener, make_event(world.community), "Trop tôt")


@pytest.mark.parametrize(("people", "shown"), [(4, False), (12, True)])
def test_attendance_on_the_community_page_is_suppressed_under_the_threshold(
    client, world, people, shown
):
    for days_ago, count in ((30, people // 3), (20, people // 3), (10, people - 2 * (people // 3))):
        event = make_event(world.community, starts_at=utcnow() - timedelta(days=days_ago))
        for _ in range(count):
            make_registration(event, make_member(), checked_in_at=event.starts_at)
    old = make_event(world.community, starts_at=utcnow() - timedelta(days=90))
    for _ in range(20):
        make_registration(old, make_member(), checked_in_at=old.starts_at)  # not among the last 3
    make_event(world.community, days=2, title="La prochaine")
    page = page_text(client.get(f"/communities/{world.community.slug}"))
    assert "La prochaine" in page
    sentence = f"{people} personnes sont venues aux 3 dernières rencontres."
    assert (sentence in page) is shown
    assert "personnes sont venues" in page if shown else "personnes sont venues" not in page


def test_people_met_at_rencontres_feed_the_observatory_under_its_threshold(world):
    from community.observatory import services as observatory
    from tests.factories import make_neighbourhood

    place, small = make_neighbourhood("Les Tilleuls"), make_neighbourhood("Le Bourg")
    busy = make_event(
        world.community, starts_at=utcnow() - timedelta(days=2), neighbourhood_id=place.id
    )
    quiet = make_event(
        world.community, starts_at=utcnow() - timedelta(days=2), neighbourhood_id=small.id
    )
    for _ in range(6):
        make_registration(busy, make_member(), checked_in_at=utcnow() - timedelta(days=2))
    make_registration(busy, make_member())  # registered, did not come
    theme = world.community.theme.name

    def cells():
        summary = observatory.summary(observatory.parse_period(None, None))
        return {
            (c["neighbourhood"]["name"], c["theme"]["name"]): c for c in summary.as_json()["cells"]
        }

    assert cells()[("Les Tilleuls", theme)]["rencontre_people"] == 6
    for _ in range(2):
        make_registration(quiet, make_member(), checked_in_at=utcnow() - timedelta(days=2))
    # 2 people: hidden (and whatever would let them be recomputed).
    assert cells()[("Le Bourg", theme)]["rencontre_people"] is None


def test_links_are_absolute_without_public_url(app):
    """Walked on the demo (PUBLIC_URL unset): the check-in QR code and the mails held "/events/8",
    a link no phone can open. Unset, the address the request came to is the base, as elsewhere."""
    from community.events import qr
    from community.events.mails import _link

    app.config["PUBLIC_URL"], saved = "", app.config["PUBLIC_URL"]
    try:
        with app.test_request_context("/", base_url="http://terreau.example:5078"):
            assert qr.checkin_url(7, 42).startswith("http://terreau.example:5078/events/7/")
            assert _link("/events/7") == "http://terreau.example:5078/events/7"
    finally:
        app.config["PUBLIC_URL"] = saved


def test_the_attendee_page_says_when_check_in_opens(client, world, login_as):
    event = make_event(world.community, world.gardener, days=3)
    registration = make_registration(event, world.member)
    login_as(world.gardener)
    page = page_text(client.get(f"/events/{event.id}/attendees"))
    assert "Vous pourrez noter les présences à partir du" in page
    assert 'name="code"' not in page and "/present" not in page
    refused = client.post_form(f"/events/{event.id}/attendees/{registration.id}/present")
    assert refused.status_code == 302
    assert registration.checked_in_at is None
    assert "Vous pourrez noter" not in page_text(
        client.get(f"/events/{_now_event(world).id}/attendees")
    )


def test_present_button_for_someone_without_her_code(client, world, login_as):
    event = _now_event(world)
    lea = make_member(display_name="Léa")
    registration = make_registration(event, lea)
    login_as(world.gardener)
    page = page_text(client.get(f"/events/{event.id}/attendees"))
    action = f"/events/{event.id}/attendees/{registration.id}/present"
    assert f'action="{action}"' in page and "Présent" in page
    assert client.post(action).status_code == 400  # without the CSRF token
    done = client.post_form(action)
    assert done.status_code == 302
    db.session.refresh(registration)
    assert registration.checked_in_at is not None
    assert registration.checked_in_by_id == world.gardener.id
    flashed = page_text(client.get(done.location))
    assert "Présence de Léa notée." in flashed
    assert f'action="{action}"' not in flashed  # once present, no button
    again = client.post_form(action)
    assert "La présence de Léa était déjà notée." in page_text(client.get(again.location))
    other = make_registration(_now_event(world), make_member())
    wrong = client.post_form(f"/events/{event.id}/attendees/{other.id}/present")
    assert "Cette personne n'est pas inscrite à cette rencontre." in page_text(
        client.get(wrong.location)
    )
    assert other.checked_in_at is None
    login_as(world.member)
    assert client.post_form(action).status_code == 403


def test_present_by_the_api(client, world, api_token):
    event = _now_event(world)
    registration = make_registration(event, world.member)
    path = f"/api/v1/events/{event.id}/attendees/{registration.id}/checkin"
    assert client.post(path, headers=api_token(world.member)).status_code == 403
    answer = client.post(path, headers=api_token(world.gardener))
    assert answer.status_code == 200 and answer.json["already"] is False
    assert answer.json["checked_in_at"] is not None
    assert client.post(path, headers=api_token(world.gardener)).json["already"] is True
    missing = client.post(
        f"/api/v1/events/{event.id}/attendees/999999/checkin", headers=api_token(world.gardener)
    )
    assert missing.status_code == 404


def test_check_in_by_code_through_the_api(client, world, api_token):
    """It answered 500: the attendee was dumped twice (a date already a string)."""
    event = _now_event(world)
    registration = make_registration(event, world.member)
    code = codes.checkin_code(event.id, registration.id)
    answer = client.post(
        f"/api/v1/events/{event.id}/checkin", json={"code": code}, headers=api_token(world.gardener)
    )
    assert answer.status_code == 200, answer.json
    assert answer.json["already"] is False and answer.json["id"] == registration.id


def test_a_scanned_code_says_whom_it_names_before_the_presence_is_noted(client, world, login_as):
    """Found walking: after scanning, the check-in page filled the code in but said whose it
    was only once "Noter la présence" was pressed."""
    event = _now_event(world, capacity=1)
    lea = make_member(display_name="Léa Dupuis")
    sam = make_member(display_name="Sam Roux")
    placed = make_registration(event, lea)
    waiting = make_registration(event, sam, status="waitlisted")
    login_as(world.gardener)

    def scanned(code: str) -> str:
        return page_text(client.get(f"/events/{event.id}/attendees?code={code}"))

    assert "Ce code est celui de Léa Dupuis, qui a une place." in scanned(
        codes.checkin_code(event.id, placed.id)
    )
    assert "Sam Roux, sur la liste d'attente" in scanned(codes.checkin_code(event.id, waiting.id))
    other = _now_event(world)
    foreign = make_registration(other, make_member())
    assert "Ce code ne correspond pas à cette rencontre." in scanned(
        codes.checkin_code(other.id, foreign.id)
    )
    attendance.check_in(world.gardener, event, codes.checkin_code(event.id, placed.id))
    assert "sa présence est déjà notée" in scanned(codes.checkin_code(event.id, placed.id))
    assert "Ce code est celui de" not in page_text(client.get(f"/events/{event.id}/attendees"))


def test_the_compte_rendu_label_says_what_to_write(world, client, login_as):
    """Walked: the section's heading and its field's label both read "Compte rendu"."""
    event = _now_event(world)
    db.session.commit()
    login_as(world.gardener)
    page = page_text(client.get(f"/events/{event.id}/attendees"))
    assert '<h2 id="report-form-title">Compte rendu</h2>' in page
    label = re.search(r"<label for=\"[^\"]*body\"[^>]*>(.*?)</label>", page, re.S)
    assert label is not None
    assert label.group(1).strip() == "Ce qui s'est dit et décidé pendant la rencontre"
    assert "Envoyé aux personnes venues." in page
