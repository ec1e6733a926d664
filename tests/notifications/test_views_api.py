from __future__ import annotations

import json

import pytest

from community.extensions import db
from community.notifications import services
from tests.factories import make_member


def test_the_list_needs_a_login(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/notifications")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_the_bell_shows_the_unread_count(client) -> None:  # type: ignore[no-untyped-def]
    member = make_member()
    for i in range(3):
        services.notify(member, "reply", f"n{i}", "/")
    client.login_as(member)
    html = client.get("/").get_data(as_text=True)
    assert 'href="/notifications"' in html
    assert "data-notifications-count>3<" in html


def test_visitors_have_no_bell(client) -> None:  # type: ignore[no-untyped-def]
    assert "data-notifications-bell" not in client.get("/").get_data(as_text=True)


def test_list_shows_only_ones_own(client) -> None:  # type: ignore[no-untyped-def]
    member, other = make_member(), make_member()
    services.notify(member, "reply", "Pour moi", "/threads/1")
    services.notify(other, "reply", "Pas pour moi", "/")
    client.login_as(member)
    html = client.get("/notifications").get_data(as_text=True)
    assert "Pour moi" in html and "Pas pour moi" not in html
    assert 'href="/threads/1"' in html
    assert "Vous avez 1 notification non lue." in html


def test_list_queries_stay_flat(client, queries) -> None:  # type: ignore[no-untyped-def]
    member = make_member()
    client.login_as(member)
    services.notify(member, "reply", "un", "/")
    client.get("/notifications")
    with queries() as few:
        client.get("/notifications")
    for i in range(15):
        services.notify(member, "reply", f"n{i}", "/")
    with queries() as many:
        client.get("/notifications")
    assert many.count == few.count


def test_mark_one_read_without_javascript(client) -> None:  # type: ignore[no-untyped-def]
    member = make_member()
    notification = services.notify(member, "reply", "x", "/")
    other = services.notify(make_member(), "reply", "y", "/")
    assert notification is not None and other is not None
    client.login_as(member)
    response = client.post_form(
        f"/notifications/{notification.id}/read", {"next": "/notifications?page=1"}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/notifications?page=1"
    assert services.unread_count(member) == 0
    # Someone else's notification: nothing happens to it.
    client.post_form(f"/notifications/{other.id}/read")
    db.session.refresh(other)
    assert other.read_at is None


def test_mark_all_read_and_csrf(client) -> None:  # type: ignore[no-untyped-def]
    member = make_member()
    services.notify(member, "reply", "x", "/")
    services.notify(member, "reply", "y", "/")
    client.login_as(member)
    assert client.post("/notifications/read").status_code == 400  # no CSRF token
    assert services.unread_count(member) == 2
    response = client.post_form("/notifications/read")
    assert response.status_code == 302
    assert services.unread_count(member) == 0


def test_never_redirects_elsewhere(client) -> None:  # type: ignore[no-untyped-def]
    member = make_member()
    notification = services.notify(member, "reply", "x", "/")
    client.login_as(member)
    response = client.post_form(
        f"/notifications/{notification.id}/read", {"next": "https://evil.example/"}
    )  # type: ignore[union-attr]
    assert "evil" not in response.headers["Location"]


def test_settings_page(client) -> None:  # type: ignore[no-untyped-def]
    member = make_member()
    client.login_as(member)
    html = client.get("/me/notifications/settings").get_data(as_text=True)
    assert (
        'value="daily" checked' in html
        or 'checked id="email_frequency-1"' in html
        or "checked" in html
    )
    response = client.post_form("/me/notifications/settings", {"email_frequency": "weekly"})
    assert response.status_code == 302
    assert services.email_frequency(member) == "weekly"
    bad = client.post_form("/me/notifications/settings", {"email_frequency": "hourly"})
    assert bad.status_code == 422 and services.email_frequency(member) == "weekly"


# --- API ------------------------------------------------------------------------------


def test_api_needs_credentials(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/api/v1/me/notifications").status_code == 401
    response = client.post("/api/v1/me/notifications/read", json={"all": True})
    assert response.status_code == 401 and response.json["code"] == "unauthenticated"


def test_api_lists_ones_own_newest_first(client, api_token) -> None:  # type: ignore[no-untyped-def]
    member = make_member()
    first = services.notify(member, "reply", "premier", "/a")
    second = services.notify(member, "mention", "second", "/b")
    services.notify(make_member(), "reply", "autre", "/")
    assert first is not None and second is not None
    second.created_at = first.created_at.replace(microsecond=0).replace(
        year=first.created_at.year + 1
    )
    response = client.get("/api/v1/me/notifications", headers=api_token(member))
    assert response.status_code == 200
    assert [n["text"] for n in response.json] == ["second", "premier"]
    assert set(response.json[0]) == {"id", "kind", "text", "url", "created_at", "read"}
    assert response.json[0]["read"] is False
    assert json.loads(response.headers["X-Pagination"])["total"] == 2


def test_api_mark_read_by_ids_or_all(client, api_token) -> None:  # type: ignore[no-untyped-def]
    member = make_member()
    headers = api_token(member)
    ids = [services.notify(member, "reply", f"n{i}", "/").id for i in range(3)]  # type: ignore[union-attr]
    other = services.notify(make_member(), "reply", "x", "/")
    response = client.post(
        "/api/v1/me/notifications/read", json={"ids": [ids[0], other.id]}, headers=headers
    )  # type: ignore[union-attr]
    assert response.status_code == 200 and response.json == {"marked": 1, "unread_count": 2}
    unread = client.get("/api/v1/me/notifications?unread=true", headers=headers).json
    assert {n["id"] for n in unread} == set(ids[1:])
    response = client.post("/api/v1/me/notifications/read", json={"all": True}, headers=headers)
    assert response.json == {"marked": 2, "unread_count": 0}


@pytest.mark.parametrize(
    "body",
    [{}, {"ids": []}, {"ids": ["x"]}, {"all": False}, {"ids": [1], "all": True}, {"all": "maybe"}],
)
def test_api_mark_read_refuses_bad_bodies(client, api_token, body) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/api/v1/me/notifications/read", json=body, headers=api_token(make_member())
    )
    assert response.status_code == 422 and response.json["code"] == "invalid"


def test_api_session_writes_need_the_csrf_header(client) -> None:  # type: ignore[no-untyped-def]
    member = make_member()
    client.login_as(member)
    assert client.post("/api/v1/me/notifications/read", json={"all": True}).status_code == 400
    token = client.csrf_token()
    response = client.post(
        "/api/v1/me/notifications/read", json={"all": True}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 200


def test_api_preferences(client, api_token) -> None:  # type: ignore[no-untyped-def]
    member = make_member()
    headers = api_token(member)
    assert client.get("/api/v1/me/notifications/preferences", headers=headers).json == {
        "email_frequency": "daily"
    }
    response = client.put(
        "/api/v1/me/notifications/preferences", json={"email_frequency": "none"}, headers=headers
    )
    assert response.status_code == 200 and response.json == {"email_frequency": "none"}
    bad = client.put(
        "/api/v1/me/notifications/preferences", json={"email_frequency": "hourly"}, headers=headers
    )
    assert bad.status_code == 422


def test_the_openapi_document_lists_the_endpoints(client) -> None:  # type: ignore[no-untyped-def]
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in (
        "/api/v1/me/notifications",
        "/api/v1/me/notifications/read",
        "/api/v1/me/notifications/preferences",
        "/api/v1/reports",
        "/api/v1/moderation/reports",
        "/api/v1/moderation/reports/{report_id}/resolve",
    ):
        assert path in paths, path


def test_the_profile_links_to_the_e_mail_preferences(client) -> None:  # type: ignore[no-untyped-def]
    client.login_as(make_member())
    assert 'href="/me/notifications/settings"' in client.get("/me").get_data(as_text=True)
