"""Input at the edge (issue 12, finding 14): nothing a request carries turns into a 500."""

from __future__ import annotations

import pytest

from community.core.mail import build_message
from community.threads.services import create_thread
from tests.factories import make_community, make_member, make_thread

HUGE = "99999999999999999999999"  # beyond 64 bits
BIG = str(2**31)  # beyond PostgreSQL's integer


@pytest.mark.parametrize("number", [HUGE, BIG, str(2**63)])
def test_ids_beyond_the_schema_in_routes_are_404(client, api_token, number):
    header = api_token(make_member())
    assert client.get(f"/threads/{number}").status_code == 404
    answer = client.get(f"/api/v1/initiatives/{number}", headers=header)
    assert answer.status_code == 404 and answer.get_json()["code"] == "not_found"


def test_integers_beyond_the_schema_in_query_strings_are_ignored(client):
    member = make_member()
    thread = make_thread(make_community(members=(member,)))
    client.login_as(member)
    assert client.get(f"/threads/{thread.id}?before={HUGE}").status_code == 200
    assert client.get(f"/threads/{thread.id}?reply_to={HUGE}").status_code == 200
    assert client.get(f"/initiatives?community=x&theme={HUGE}").status_code == 200
    assert client.get(f"/communities?theme={HUGE}&neighbourhood={BIG}").status_code == 200


def test_integers_beyond_the_schema_in_json_are_field_errors(client):
    body = {
        "email": "grand@example.org",
        "password": "une phrase de passe",
        "display_name": "Grand Nombre",
        "accept_charter": True,
        "neighbourhood_id": int(HUGE),
    }
    answer = client.post("/api/v1/members", json=body)
    assert answer.status_code == 422
    assert "neighbourhood_id" in answer.get_json()["errors"]


@pytest.mark.parametrize(
    "method,url,kwargs",
    [
        ("post", "/auth/login", {"data": {"email": "a\x00@example.org", "password": "x"}}),
        ("post", "/auth/forgot", {"data": {"email": "a@example.org\x00"}}),
        ("post", "/api/v1/tokens", {"json": {"email": "a@example.org", "password": "p\x00"}}),
        ("post", "/api/v1/members", {"json": {"email": "a@b.org", "display_name": "x\x1b[31m"}}),
    ],
)
def test_nul_and_control_characters_are_refused_everywhere(app, client, method, url, kwargs):
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        answer = getattr(client, method)(url, **kwargs)
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    assert answer.status_code == 400
    if url.startswith("/api/"):
        assert answer.get_json()["code"] == "bad_request"


def test_control_characters_are_stripped_from_query_strings(client):
    for url in ("/initiatives?q=caf%00e", "/communities?q=a%01b", "/api/v1/communities?q=%00"):
        assert client.get(url).status_code == 200


def test_tabs_and_line_breaks_are_ordinary_text(app, client):
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        answer = client.post("/auth/login", data={"email": "a@example.org\t", "password": "x\r\n"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    assert answer.status_code == 422


def test_a_thread_title_is_one_line_and_mail_subjects_too(app):
    member = make_member()
    community = make_community(citizen=member)
    thread = create_thread(member, community, "Bonjour\r\nBcc: tout-le-monde@example.org")
    assert thread.title == "Bonjour Bcc: tout-le-monde@example.org"
    message = build_message("a@example.org", "Réponse dans « Un\ntitre »", "texte")
    assert message["Subject"] == "Réponse dans « Un titre »"


@pytest.mark.parametrize("start,end", [("9999-01", "9999-12"), ("2026-01", "9999-12")])
def test_observatory_dates_are_within_sane_bounds(client, api_token, start, end):
    header = api_token(make_member("staff"))
    answer = client.get(f"/api/v1/observatory/summary?start={start}&end={end}", headers=header)
    assert answer.status_code == 422
    client.login_as(make_member("staff"))
    page = client.get(f"/observatory?start={start}&end={end}")
    assert page.status_code == 422


# A JSON body the decoder cannot turn into a value a field may hold: nested beyond Python's
# recursion limit, an integer past the interpreter's digit limit, a lone UTF-16 surrogate
# (`"\ud800"`: no UTF-8 form, the database driver cannot encode it).
_UNREADABLE_JSON = {
    "nested": "[" * 5000 + "]" * 5000,
    "huge_integer": '{"neighbourhood_id": ' + "9" * 5000 + "}",
}


@pytest.mark.parametrize("kind", sorted(_UNREADABLE_JSON))
@pytest.mark.parametrize(
    "method,url",
    [("post", "/api/v1/initiatives"), ("patch", "/api/v1/me"), ("post", "/api/v1/help-offers")],
)
def test_a_json_body_the_decoder_cannot_read_is_a_400(client, api_token, kind, method, url):
    header = {**api_token(make_member()), "Content-Type": "application/json"}
    answer = getattr(client, method)(url, data=_UNREADABLE_JSON[kind], headers=header)
    assert answer.status_code == 400
    assert answer.get_json()["code"] == "bad_request"


@pytest.mark.parametrize(
    "url,body",
    [
        ("/api/v1/help-offers", {"theme_id": 1, "neighbourhood_id": 1, "text": "ab\ud800cd"}),
        ("/api/v1/me", {"bio": "\udfff"}),
        ("/api/v1/me/push-subscriptions", {"endpoint": "https://x/\ud800", "keys": {}}),
    ],
)
def test_a_lone_surrogate_in_json_is_refused_like_a_control_character(client, api_token, url, body):
    header = api_token(make_member())
    method = client.patch if url == "/api/v1/me" else client.post
    answer = method(url, json=body, headers=header)
    assert answer.status_code == 400
    assert answer.get_json()["code"] == "bad_request"


def test_a_lone_surrogate_in_a_socket_payload_is_an_error_ack(app, client, api_token):
    from community.extensions import socketio

    member = make_member("staff")
    thread = make_thread(make_community(members=(member,)))
    client.login_as(member)
    sock = socketio.test_client(app, flask_test_client=client)
    for payload in (
        {"thread_id": thread.id, "body": "ab\ud800", "client_id": "c1"},
        {"thread_id": thread.id, "body": "bonjour", "client_id": "\udc00"},
    ):
        ack = sock.emit("message:send", payload, callback=True)
        assert ack["ok"] is False and ack["error"]["code"] == "invalid"
        # Said as the pages and the API say it: which characters, not "some fields".
        assert "caractères" in ack["error"]["message"], ack
    sock.disconnect()


@pytest.mark.parametrize("number", [HUGE, BIG, str(2**63)])
def test_integers_beyond_the_schema_in_forms_are_answers_not_500(client, number):
    """A reply posted with an id no column holds, on a form refused for another reason (an
    empty body), came back to the page, which loaded the message it answers: an
    OverflowError (SQLite) or an out-of-range error (PostgreSQL). Every `readable_…` loader
    asks `core.edge.as_id` first."""
    member = make_member()
    thread = make_thread(make_community(members=(member,)))
    client.login_as(member)
    page = client.post_form(
        f"/threads/{thread.id}", {"body": "", "client_id": "c1", "reply_to": number}
    )
    assert page.status_code == 422


def test_every_loader_of_an_id_bounds_it() -> None:
    """The loaders behind every door answer None (a missing id) to what no column holds."""
    from community.core.edge import as_id
    from community.core.errors import NotFound
    from community.events.services import get_event
    from community.initiatives.queries import readable_initiative
    from community.moderation.targets import load_target
    from community.solidarity.queries import readable_offer, readable_proposal, readable_request
    from community.threads.queries import readable_body, readable_message
    from community.threads.services import get_message, get_thread

    member = make_member()
    for value in (2**31, 2**63, 10**30, -1, 0, True, "1", 1.0, None):
        assert as_id(value) is None
        assert readable_message(member, value) is None
        assert readable_body(member, value) is None
        assert readable_initiative(member, value) is None
        assert readable_request(member, value) is None
        assert readable_offer(member, value) is None
        assert readable_proposal(member, value) is None
        with pytest.raises(NotFound):
            get_event(value)
        assert load_target(member, "message", value) is None
    for number in (2**31, 2**63, 10**30, -1, 0):
        with pytest.raises(NotFound):
            get_thread(member, number)
        with pytest.raises(NotFound):
            get_message(member, number)
    assert as_id(1) == 1 and as_id(2**31 - 1) == 2**31 - 1
