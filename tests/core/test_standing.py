"""A suspended account is read-only at every door, by structure (`core/standing.py`).

The walk takes every write route of the application (HTML and API: any method but GET, HEAD,
OPTIONS) and every Socket.IO event, and sends each, as a member suspended from the platform:
each answers the one refusal (403 with the reason and the end date, the JSON error shape, the
error ack), except the acts a suspended member keeps — and those are listed here, so a new
one is a decision someone reads. A new endpoint or event needs nothing to be refused: the
seams refuse it (`core.handlers._require_standing`, `core.sockets.event`).
"""

from __future__ import annotations

import functools
import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.views import MethodView

from community.core.jinja import day
from community.core.models import utcnow
from community.core.sockets import registered_events
from community.core.standing import kept_reason, kept_view_reason, kept_while_suspended
from community.extensions import db, socketio
from community.moderation.suspensions import suspend_from_platform
from tests.conftest import page_text
from tests.factories import make_member

WRITES = ("POST", "PUT", "PATCH", "DELETE")

# The acts a member suspended from the platform keeps (method, endpoint), each marked
# `@kept_while_suspended("why")` where it is declared. Keep this list short: reading,
# logging in and out, her own notifications and preferences, contesting a decision, telling
# the moderators of harm, and taking back what is hers.
KEPT_ROUTES = {
    # Logging in and out, keeping her account safe.
    ("POST", "auth.login"),
    ("POST", "auth.logout"),
    ("POST", "auth.confirm"),
    ("POST", "auth.forgot"),
    ("POST", "auth.reset"),
    ("POST", "auth.revoke_token"),
    ("POST", "auth-api.create_token"),
    ("DELETE", "auth-api.delete_current_token"),
    ("DELETE", "auth-api.delete_token"),
    # Her own notifications and preferences.
    ("POST", "core.language"),
    ("POST", "communities.for_me"),
    ("POST", "notifications.mark_one"),
    ("POST", "notifications.mark_all"),
    ("POST", "notifications.settings"),
    ("POST", "notifications.push_kinds"),
    ("POST", "notifications.unsubscribe_confirm"),
    ("POST", "notifications-api.read_notifications"),
    ("PUT", "notifications-api.put_preferences"),
    ("POST", "notifications-api.create_subscription"),
    ("DELETE", "notifications-api.delete_subscription"),
    ("POST", "events.issue_feed"),
    ("POST", "events.revoke_feed"),
    # Contesting a decision, telling the moderators of harm.
    ("POST", "moderation.contest"),
    ("POST", "moderation.report"),
    ("POST", "moderation-api.create_report"),
    # Taking back what is hers.
    ("POST", "communities.leave"),
    ("DELETE", "communities-api.MembershipResource"),
    ("POST", "events.unrsvp"),
    ("DELETE", "events-api.delete_rsvp"),
    ("POST", "ambassadors.step_down"),
}
KEPT_EVENTS = {"thread:join", "thread:read", "thread:leave", "notifications:subscribe"}
LIFECYCLE = {"connect", "disconnect"}  # Flask-SocketIO's own; the credential is checked there


def _write_routes(app: Flask) -> list[tuple[str, str, str]]:
    routes = []
    for rule in app.url_map.iter_rules():
        for method in sorted(set(rule.methods or ()) & set(WRITES)):
            routes.append((method, _url(rule.rule), rule.endpoint))
    return sorted(routes)


def _url(rule: str) -> str:
    """The rule with made-up values: the seam refuses before anything is loaded."""

    def value(match: re.Match[str]) -> str:
        converter, options = match.group(1), match.group(2)
        if converter == "any":
            return options.split(",")[0].strip()
        return "1" if converter == "int" else "x"

    return re.sub(r"<(?:(\w+)(?:\(([^)]*)\))?:)?\w+>", value, rule)


@pytest.fixture
def suspended(app: Flask) -> tuple[Any, str]:
    """A member suspended from the platform, and the first words of the refusal she reads."""
    member, staff = make_member(), make_member("staff")
    until = utcnow() + timedelta(days=30)
    suspend_from_platform(staff, member, until, "Menaces", notify_member=False)
    db.session.commit()
    return member, f"Votre compte est suspendu jusqu'au {day(until)}"


def test_the_walk_finds_the_routes(app: Flask) -> None:
    routes = _write_routes(app)
    endpoints = {endpoint for _, _, endpoint in routes}
    assert {"communities.answer", "events-api.create_event", "threads-api.create_thread"} <= (
        endpoints
    )
    assert len(routes) > 100
    assert _url("/questionnaires/<int:q>/<any(open, close):act>") == "/questionnaires/1/open"


def test_the_acts_a_suspended_member_keeps_are_these(app: Flask) -> None:
    kept = {
        (method, endpoint)
        for method, _, endpoint in _write_routes(app)
        if kept_view_reason(app.view_functions[endpoint], method) is not None
    }
    assert kept == KEPT_ROUTES
    events = {name for name, handler in registered_events().items() if kept_reason(handler)}
    assert events == KEPT_EVENTS


def test_every_other_write_route_refuses_a_suspended_member(
    app: Flask, client: Any, api_token: Any, suspended: tuple[Any, str]
) -> None:
    member, refusal = suspended
    headers = api_token(member)
    client.login_as(member)
    token = client.csrf_token()
    walked = 0
    for method, url, endpoint in _write_routes(app):
        if (method, endpoint) in KEPT_ROUTES:
            continue
        walked += 1
        if url.startswith("/api/"):
            response = client.open(url, method=method, json={}, headers=headers)
            assert response.status_code == 403, (method, url, response.status_code)
            answer = response.get_json()
            assert answer["code"] == "forbidden" and answer["status"] == 403, (method, url)
            assert answer["message"].startswith(refusal), (method, url, answer)
        else:
            response = client.open(url, method=method, data={"csrf_token": token})
            assert response.status_code == 403, (method, url, response.status_code)
            assert refusal in page_text(response), (method, url)
    assert walked > 70


def test_every_socket_event_goes_through_the_wrapper(app: Flask) -> None:
    """A handler registered with `socketio.on` directly would skip the standing check."""
    assert set(socketio.server.handlers["/"]) - LIFECYCLE == set(registered_events())


def test_every_other_socket_event_refuses_a_suspended_member(
    app: Flask, api_token: Any, suspended: tuple[Any, str]
) -> None:
    member, refusal = suspended
    token = api_token(member)["Authorization"].split()[1]
    db.session.commit()
    client = socketio.test_client(app, auth={"token": token})
    assert client.is_connected()  # she may connect: she reads
    try:
        refused = sorted(set(registered_events()) - KEPT_EVENTS)
        assert len(refused) >= 6
        for name in refused:
            ack = client.emit(name, {"thread_id": 1, "message_id": 1}, callback=True)
            assert ack["ok"] is False and ack["error"]["code"] == "forbidden", (name, ack)
            assert ack["error"]["message"].startswith(refusal), (name, ack)
    finally:
        client.disconnect()


def test_a_member_in_good_standing_is_not_refused(app: Flask, client: Any, api_token: Any) -> None:
    """The seam asks, and lets through: the same walk, for a member not suspended, meets the
    acts' own answers (a 404 for a made-up id, a form error…), never this refusal."""
    member = make_member()
    response = client.post(
        "/api/v1/communities/x/threads", json={"title": "Sujet"}, headers=api_token(member)
    )
    assert response.status_code == 404


# --- the mark -------------------------------------------------------------------------------


def test_the_mark_is_found_through_wrappers_and_on_class_based_views() -> None:
    def view() -> None: ...

    marked = kept_while_suspended("reading")(view)

    @functools.wraps(marked)
    def wrapper() -> None: ...

    assert kept_reason(wrapper) == "reading"
    assert kept_reason(lambda: None) is None

    class Resource(MethodView):
        @kept_while_suspended("leaving")
        def delete(self) -> None: ...

        def post(self) -> None: ...

    as_view = Resource.as_view("resource")
    assert kept_view_reason(as_view, "DELETE") == "leaving"
    assert kept_view_reason(as_view, "POST") is None


def test_a_mark_says_why() -> None:
    with pytest.raises(ValueError):
        kept_while_suspended(" ")
