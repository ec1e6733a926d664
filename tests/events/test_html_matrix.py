"""The HTML doors of a rencontre follow the same predicates as the API."""

from __future__ import annotations

import pytest

from tests.events.factories import make_event

ROLES = (
    "visitor", "citizen", "member", "ambassador", "other_ambassador", "gardener",
    "other_gardener", "agent", "staff", "admin",
)  # fmt: skip
MANAGERS = {"ambassador", "gardener", "agent", "staff", "admin"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ["edit", "cancel", "attendees"])
def test_pages_of_those_who_run_it(client, world, login_as, role, path):
    event = make_event(world.community, world.ambassador)
    if role != "visitor":
        login_as(getattr(world, role))
    response = client.get(f"/events/{event.id}/{path}")
    if role == "visitor":
        assert response.status_code == 302 and "/auth/login" in response.location
    else:
        assert response.status_code == (200 if role in MANAGERS else 403)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("act", ["checkin", "report", "cancel"])
def test_forms_of_those_who_run_it(client, world, login_as, role, act):
    event = make_event(world.community, world.ambassador)
    if role != "visitor":
        login_as(getattr(world, role))
    data = {"checkin": {"code": "1-AAAAAAAA"}, "report": {"report-body": "Bien."},
            "cancel": {"reason": "Il pleut très fort."}}[act]  # fmt: skip
    if role == "visitor":
        data["csrf_token"] = client.csrf_token()
    response = client.post_form(f"/events/{event.id}/{act}", data)
    if role == "visitor":
        assert response.status_code == 302 and "/auth/login" in response.location
    elif role in MANAGERS:
        # Allowed; the act answers: too early to check in or report (422), cancelled (302).
        assert response.status_code == {"checkin": 422, "report": 422, "cancel": 302}[act]
    else:
        assert response.status_code == 403
