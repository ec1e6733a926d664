"""The push API: the key, subscribing a browser and unsubscribing it; bad input is a 4xx."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select

from community.notifications import push_keys
from community.notifications.push_models import PushSubscription
from community.notifications.push_services import MAX_SUBSCRIPTIONS
from tests.factories import make_member
from tests.notifications.push_server import b64url

URL = "/api/v1/me/push-subscriptions"


def browser_keys() -> dict[str, str]:
    point = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return {"p256dh": b64url(point), "auth": b64url(b"0123456789abcdef")}


def body(endpoint: str = "https://fcm.googleapis.com/fcm/send/abc123", **keys: str) -> dict:
    return {"endpoint": endpoint, "expirationTime": None, "keys": {**browser_keys(), **keys}}


def subscriptions(member=None) -> list[PushSubscription]:  # type: ignore[no-untyped-def]
    stmt = select(PushSubscription).order_by(PushSubscription.id)
    if member is not None:
        stmt = stmt.where(PushSubscription.member_id == member.id)
    from community.extensions import db

    return list(db.session.execute(stmt).scalars())


def test_the_key_is_the_vapid_public_key(client, vapid, app) -> None:
    response = client.get("/api/v1/push/key")
    assert response.status_code == 200
    key = response.get_json()["public_key"]
    assert key == push_keys.public_key(app)
    raw = push_keys._b64url_decode(key)
    assert len(raw) == 65 and raw[0] == 4  # an uncompressed P-256 point


def test_without_a_key_push_is_off(client, app, api_headers) -> None:
    assert app.config["VAPID_PRIVATE_KEY"] is None
    assert client.get("/api/v1/push/key").status_code == 404
    member = make_member()
    response = client.post(URL, json=body(), headers=api_headers(member))
    assert response.status_code == 404 and response.get_json()["code"] == "not_found"


@pytest.fixture
def api_headers(api_token):  # type: ignore[no-untyped-def]
    return api_token


def test_subscribe_then_unsubscribe(client, vapid, api_headers) -> None:
    member = make_member()
    response = client.post(URL, json=body(), headers=api_headers(member))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["endpoint"] == "https://fcm.googleapis.com/fcm/send/abc123"
    assert "keys" not in response.get_json()
    again = client.post(URL, json=body(), headers=api_headers(member))
    assert again.status_code == 200
    assert len(subscriptions(member)) == 1

    other = make_member()
    gone = client.delete(URL, json={"endpoint": body()["endpoint"]}, headers=api_headers(other))
    assert gone.status_code == 204 and len(subscriptions(member)) == 1  # not theirs
    gone = client.delete(URL, json={"endpoint": body()["endpoint"]}, headers=api_headers(member))
    assert gone.status_code == 204 and subscriptions(member) == []


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://fcm.googleapis.com/fcm/send/abc",  # plain http off loopback
        "https://push.example.org/abc",  # not a push service
        "https://fcm.googleapis.com.evil.example/abc",
        "https://evilpush.apple.com.example/abc",
        "https://push.apple.com/abc",  # "*.push.apple.com" is for subdomains
        "http://127.0.0.2:9/push",  # loopback, but not listed
        "ftp://fcm.googleapis.com/abc",
        "https://user:pw@fcm.googleapis.com/abc",
        "https://fcm.googleapis.com:99999/abc",
        "not a url",
        "https://fcm.googleapis.com/" + "a" * 1100,  # too long
    ],
)
def test_endpoints_off_the_allowed_push_services_are_refused(
    client, vapid, api_headers, endpoint
) -> None:
    response = client.post(URL, json=body(endpoint), headers=api_headers(make_member()))
    assert response.status_code == 422, response.get_json()
    assert subscriptions() == []


def test_allowed_hosts_include_subdomains_and_listed_loopback(app, vapid) -> None:
    hosts = app.config["PUSH_ALLOWED_HOSTS"]
    assert push_keys.endpoint_allowed("https://web.push.apple.com/QK9", hosts)
    assert push_keys.endpoint_allowed("https://wns2-par02p.notify.windows.com/w/?token=x", hosts)
    assert push_keys.endpoint_allowed("https://updates.push.services.mozilla.com/wpush/v2/x", hosts)
    assert push_keys.endpoint_allowed(
        "http://127.0.0.1:8123/push/x", hosts
    )  # listed by the fixture
    assert not push_keys.endpoint_allowed("http://localhost:8123/push/x", hosts)  # not listed


@pytest.mark.parametrize(
    "keys",
    [
        {"p256dh": "AAAA"},
        {"p256dh": b64url(b"\x04" + b"\x01" * 64)},  # not a point on the curve
        {"auth": b64url(b"short")},
        {"auth": "!!!not base64!!!"},
        {"p256dh": "x" * 101},
        {"auth": ""},
    ],
)
def test_bad_keys_are_refused(client, vapid, api_headers, keys) -> None:
    response = client.post(URL, json=body(**keys), headers=api_headers(make_member()))
    assert response.status_code == 422
    assert response.get_json()["status"] == 422
    assert subscriptions() == []


@pytest.mark.parametrize(
    "payload", [{}, {"endpoint": "https://fcm.googleapis.com/x"}, {"keys": {}}, [], "x"]
)
def test_malformed_bodies_are_refused(client, vapid, api_headers, payload) -> None:
    response = client.post(URL, json=payload, headers=api_headers(make_member()))
    assert response.status_code in (400, 422)


def test_anonymous_callers_and_session_writes_without_csrf(client, vapid) -> None:
    assert client.post(URL, json=body()).status_code == 401
    assert client.delete(URL, json={"endpoint": "x"}).status_code == 401
    member = make_member()
    client.login_as(member)
    assert client.post(URL, json=body()).status_code in (400, 403)  # no X-CSRFToken
    token = client.csrf_token()
    response = client.post(URL, json=body(), headers={"X-CSRFToken": token})
    assert response.status_code == 201
    assert len(subscriptions(member)) == 1


def test_the_same_browser_follows_who_is_logged_in(client, vapid, api_headers) -> None:
    first, second = make_member(), make_member()
    client.post(URL, json=body(), headers=api_headers(first))
    assert client.post(URL, json=body(), headers=api_headers(second)).status_code == 200
    assert subscriptions(first) == [] and len(subscriptions(second)) == 1


def test_a_member_keeps_a_bounded_number_of_browsers(client, vapid, api_headers) -> None:
    member = make_member()
    for n in range(MAX_SUBSCRIPTIONS + 2):
        endpoint = f"https://fcm.googleapis.com/fcm/send/{n}"
        assert client.post(URL, json=body(endpoint), headers=api_headers(member)).status_code == 201
    kept = [s.endpoint.rsplit("/", 1)[1] for s in subscriptions(member)]
    assert kept == [str(n) for n in range(2, MAX_SUBSCRIPTIONS + 2)]  # the oldest went


def test_erasing_the_member_removes_their_subscriptions(client, vapid, api_headers) -> None:
    from community.extensions import db

    member = make_member()
    client.post(URL, json=body(), headers=api_headers(member))
    db.session.delete(member)
    db.session.flush()
    assert subscriptions() == []


def test_a_browser_subscribed_again_is_not_forgotten_by_a_push_to_its_old_subscription(
    app, client, vapid, api_headers
) -> None:
    """A push being sent holds its subscription's id, and deletes that row when the push
    service answers that the browser is gone (`Dispatcher._forget`). Unsubscribed and
    subscribed again meanwhile, the browser's new row had the old one's id (SQLite gave the
    largest id once more): the old push's answer deleted it."""
    from community.notifications.push_sending import Job, dispatcher

    member = make_member()
    headers = api_headers(member)
    client.post(URL, json=body(), headers=headers)
    [old] = subscriptions()
    in_flight = Job(old.id, old.endpoint, old.p256dh, old.auth, data="{}")
    client.delete(URL, json={"endpoint": old.endpoint}, headers=headers)
    again = body("https://fcm.googleapis.com/fcm/send/def456")
    assert client.post(URL, json=again, headers=headers).status_code == 201
    dispatcher(app)._forget(in_flight)  # the push service: 410 Gone, for the old endpoint
    [new] = subscriptions()
    assert new.endpoint == again["endpoint"] and new.id > in_flight.subscription_id


def test_the_export_names_the_push_service_but_never_the_endpoint(client, vapid, api_headers):
    from community.members.export import export_data
    from community.notifications import push_services

    member = make_member()
    client.post(URL, json=body(), headers=api_headers(member))
    push_services.set_kind_choices(member, {"mention"})
    data = export_data(member)
    [phone] = data["push_subscriptions"]
    assert phone["push_service"] == "fcm.googleapis.com" and phone["created_at"]
    assert "abc123" not in str(data)
    assert {"kind": "reply"} in data["push_kinds_turned_off"]
    assert {"kind": "mention"} not in data["push_kinds_turned_off"]


def test_logging_out_stops_the_pushes_of_this_browser_only(client, vapid, api_headers) -> None:
    member = make_member()
    client.login_as(member)
    this_browser = body("https://fcm.googleapis.com/fcm/send/this")
    response = client.post(URL, json=this_browser, headers={"X-CSRFToken": client.csrf_token()})
    assert response.status_code == 201
    other = body("https://fcm.googleapis.com/fcm/send/other")  # another phone, by token
    assert client.post(URL, json=other, headers=api_headers(member)).status_code == 201
    client.post_form("/auth/logout")
    assert [s.endpoint for s in subscriptions(member)] == [other["endpoint"]]


def test_erasing_an_account_logged_in_with_a_phone(client, vapid) -> None:
    from tests.factories import PASSWORD

    member = make_member()
    client.login_as(member)
    client.post(URL, json=body(), headers={"X-CSRFToken": client.csrf_token()})
    response = client.post_form("/me/delete", {"password": PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    assert subscriptions() == []
