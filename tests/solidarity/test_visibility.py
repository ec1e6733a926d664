"""Who reads a help request, at every door (finding 5): roles × open/closed × doors.

Throw-away offers (one per theme × neighbourhood, posted after the requests) read nothing;
a staff member who gardens nothing reads no individual request; closed requests are not
shown to helpers.
"""

from __future__ import annotations

import json

import pytest
from flask import g

from community.extensions import db
from community.solidarity import services
from tests.factories import make_community, make_member
from tests.html_parts import without_tokens
from tests.solidarity.factories import make_offer, make_place, make_request

ROLES = (
    "visitor",
    "citizen",
    "author",
    "gardener",
    "gardener_elsewhere",
    "staff",
    "admin",
    "early_offerer",
    "late_offerer",
    "helper",
)
READERS = {
    "open": {"author", "gardener", "early_offerer", "helper"},  # the helper offered early
    "matched": {"author", "gardener", "helper"},
    "done": {"author", "gardener"},
    "withdrawn": {"author", "gardener"},
}
TEXT = "Besoin d'aide : je ne peux plus porter mes courses au 3e étage."


def build(state: str):  # type: ignore[no-untyped-def]
    theme, place = make_place()
    people = {role: make_member("staff" if role == "staff" else "citizen") for role in ROLES}
    people["admin"].role = "admin"
    people["visitor"] = None
    make_community(theme=theme, citizen=people["gardener"])
    make_community(citizen=people["gardener_elsewhere"])
    make_offer(people["early_offerer"], theme, place)
    make_offer(people["helper"], theme, place)
    request = make_request(people["author"], theme, place, text=TEXT)
    # Throw-away offers, after the request: the citizen's, the staff's, the admin's.
    for role in ("late_offerer", "staff", "admin", "citizen"):
        make_offer(people[role], theme, place)
    if state != "open":
        proposal = services.propose_help(people["helper"], request)
        if state in {"matched", "done"}:
            services.accept_proposal(people["author"], proposal)
        if state == "done":
            services.mark_done(people["author"], proposal)
        if state == "withdrawn":
            services.withdraw_request(people["author"], request)
    db.session.commit()
    return people, request


@pytest.mark.parametrize("state", sorted(READERS))
@pytest.mark.parametrize("role", ROLES)
def test_a_request_reaches_only_its_readers(client, api_token, role, state) -> None:  # type: ignore[no-untyped-def]
    people, request = build(state)
    member = people[role]
    allowed = role in READERS[state]
    headers = api_token(member) if member is not None else {}
    g.pop("_login_user", None)
    if member is not None:
        client.login_as(member)
    one = client.get(f"/api/v1/help-requests/{request.id}", headers=headers)
    ghost = client.get("/api/v1/help-requests/999999", headers=headers)
    page = client.get(f"/solidarity/requests/{request.id}")
    listed = client.get("/api/v1/help-requests", headers=headers)
    index = client.get("/solidarity")
    seen = [
        json.dumps(r.get_json(), ensure_ascii=False) if r.is_json else r.get_data(as_text=True)
        for r in (one, page, listed, index)
    ]
    if allowed:
        assert one.status_code == 200 and page.status_code == 200
        assert TEXT in seen[0] and TEXT in seen[1]
    else:
        # As for an id that does not exist (a visitor is asked to log in first).
        assert one.status_code == ghost.status_code == (401 if member is None else 404)
        assert page.status_code in ({302, 401} if member is None else {404})
        for text in seen:
            assert TEXT not in text


@pytest.mark.parametrize("role", ["citizen", "late_offerer", "staff", "gardener_elsewhere"])
def test_withdrawing_what_one_may_not_read_is_not_found(client, role) -> None:  # type: ignore[no-untyped-def]
    """The withdraw buttons load through the visibility layer: someone else's request or offer
    answers 404, byte for byte as an id that does not exist — never a 403 that says it is
    there. The request's gardener reads it, so hers is a 403."""
    people, request = build("open")
    offer = make_offer(people["author"])
    db.session.commit()
    client.login_as(people[role])
    for kind, existing in (("requests", request.id), ("offers", offer.id)):
        ghost = client.post_form(f"/solidarity/{kind}/999999/withdraw")
        answer = client.post_form(f"/solidarity/{kind}/{existing}/withdraw")
        assert ghost.status_code == answer.status_code == 404
        assert without_tokens(answer) == without_tokens(ghost)
    db.session.refresh(request)
    db.session.refresh(offer)
    assert request.status == "open" and offer.withdrawn_at is None
    client.login_as(people["gardener"])
    assert client.post_form(f"/solidarity/requests/{request.id}/withdraw").status_code == 403
    client.login_as(people["author"])
    assert client.post_form(f"/solidarity/offers/{offer.id}/withdraw").status_code == 302
    assert client.post_form(f"/solidarity/requests/{request.id}/withdraw").status_code == 302
