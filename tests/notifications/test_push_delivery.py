"""Pushes end to end: after commit, through the worker, to a push service that checks them as
a real one does and decrypts them as a phone does."""

from __future__ import annotations

import time
from itertools import pairwise

import pytest
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from community.communities.roles import gardener_role
from community.extensions import db
from community.notifications import push, push_keys, push_sending, push_services, services
from community.notifications.push_models import PushSubscription
from tests.factories import make_member

pytestmark = pytest.mark.live  # the worker thread reads and writes committed rows


@pytest.fixture(autouse=True)
def _request(app):  # type: ignore[no-untyped-def]
    with app.test_request_context():
        yield


def subscribed(member, phone) -> PushSubscription:  # type: ignore[no-untyped-def]
    subscription, _ = push_services.subscribe(member, phone.endpoint, phone.p256dh, phone.auth)
    db.session.commit()
    return subscription


def tell(member, kind="gardener", url="/communities/compost"):  # type: ignore[no-untyped-def]
    text = _l(
        "You now hold the role of %(role)s in %(community)s.",
        role=gardener_role("citizen"),
        community="Compost",
    )
    notification = services.notify(member, kind, text, url)
    db.session.commit()
    return notification


def test_a_push_reaches_the_phone_signed_and_encrypted(app, push_service) -> None:
    member = make_member(display_name="Camille")
    phone = push_service.phone()
    subscription = subscribed(member, phone)

    notification = tell(member)
    assert push_sending.dispatcher(app).wait_idle(10)

    assert push_service.errors() == []
    assert push_service.delivered(phone) == [
        {"title": notification.text, "url": "/communities/compost"}
    ]
    assert "Compost" in notification.text and "jardinier" in notification.text
    [received] = push_service.received
    assert set(received.payload) == {"title", "url"}  # a title and a URL, nothing else
    assert received.claims["aud"] == push_service.origin
    assert int(received.headers["ttl"]) > 0
    db.session.expire_all()
    assert db.session.get(PushSubscription, subscription.id).last_success_at is not None


def test_every_phone_of_the_member_and_only_theirs(app, push_service) -> None:
    member, other = make_member(), make_member()
    first, second, elsewhere = push_service.phone(), push_service.phone(), push_service.phone()
    subscribed(member, first)
    subscribed(member, second)
    subscribed(other, elsewhere)

    tell(member)
    assert push_sending.dispatcher(app).wait_idle(10)
    assert len(push_service.delivered(first)) == 1
    assert len(push_service.delivered(second)) == 1
    assert push_service.delivered(elsewhere) == []


def test_gone_subscription_is_deleted(app, push_service) -> None:
    member = make_member()
    gone, alive = push_service.phone(410), push_service.phone()
    subscribed(member, gone)
    subscribed(member, alive)
    unknown = push_service.phone(404)
    subscribed(member, unknown)

    tell(member)
    assert push_sending.dispatcher(app).wait_idle(10)
    endpoints = set(db.session.execute(select(PushSubscription.endpoint)).scalars())
    assert endpoints == {alive.endpoint}


def test_a_server_error_is_retried_after_a_short_wait(app, push_service, monkeypatch) -> None:
    # The same schedule, ten times shorter (2.5 s of waiting otherwise).
    monkeypatch.setattr(
        push_sending, "RETRY_DELAYS", tuple(d / 10 for d in push_sending.RETRY_DELAYS)
    )
    member = make_member()
    phone = push_service.phone(503, 502)
    subscribed(member, phone)

    tell(member)
    assert push_sending.dispatcher(app).wait_idle(15)
    received = push_service.received
    assert [r.status for r in received] == [503, 502, 201]
    # A back-off: each new try waits longer than the one before.
    waits = [later.at - earlier.at for earlier, later in pairwise(received)]
    assert (
        waits[0] >= push_sending.RETRY_DELAYS[0] * 0.9
        and waits[1] >= push_sending.RETRY_DELAYS[1] * 0.9
    )
    assert len(push_service.delivered(phone)) == 1
    assert db.session.execute(select(PushSubscription)).scalar_one().endpoint == phone.endpoint


def test_a_push_service_that_keeps_failing_is_given_up(app, push_service, monkeypatch) -> None:
    monkeypatch.setattr(push_sending, "RETRY_DELAYS", (0.05, 0.1, 0.2))
    member = make_member()
    phone = push_service.phone(503, 500, 503, 502, 503)
    subscription = subscribed(member, phone)

    tell(member)
    assert push_sending.dispatcher(app).wait_idle(10)
    # The first try and one per delay, then given up: a 5xx is not "gone", the row stays.
    assert [r.status for r in push_service.received] == [503, 500, 503, 502]
    db.session.expire_all()
    kept = db.session.get(PushSubscription, subscription.id)
    assert kept is not None and kept.last_failure_at is not None and kept.last_success_at is None


def test_pushes_leave_only_after_commit(app, push_service) -> None:
    member = make_member()
    phone = push_service.phone()
    subscribed(member, phone)

    services.notify(member, "gardener", _l("Not this one"), "/")
    db.session.flush()
    assert push_sending.dispatcher(app).wait_idle(1) and push_service.received == []
    db.session.rollback()
    assert push_sending.dispatcher(app).wait_idle(1) and push_service.received == []

    tell(member)
    assert push_sending.dispatcher(app).wait_idle(10)
    assert len(push_service.delivered(phone)) == 1


def test_a_kind_turned_off_is_not_pushed(app, push_service) -> None:
    member = make_member()
    phone = push_service.phone()
    subscribed(member, phone)
    push_services.set_kind_choices(member, set(push.pushable_kinds()) - {"gardener"})
    db.session.commit()

    tell(member, kind="gardener")
    tell(member, kind="handover")
    assert push_sending.dispatcher(app).wait_idle(10)
    assert len(push_service.delivered(phone)) == 1


def test_a_slow_push_service_never_holds_the_request(app, push_service) -> None:
    member = make_member()
    phone = push_service.phone()
    subscribed(member, phone)
    push_service.gate.clear()  # the push service hangs
    try:
        started = time.monotonic()
        for _ in range(3):
            tell(member)
        assert time.monotonic() - started < 2  # the push service waits 10 s
        assert push_service.received == []
    finally:
        push_service.gate.set()
    assert push_sending.dispatcher(app).wait_idle(10)
    assert len(push_service.delivered(phone)) == 3


def test_the_queue_is_bounded(app, push_service) -> None:
    dispatcher = push_sending.Dispatcher(app)
    dispatcher.queue.maxsize = 2
    phone = push_service.phone()
    push_service.gate.clear()
    job = push_sending.Job(
        0, phone.endpoint, phone.p256dh, phone.auth, '{"title": "t", "url": "/"}'
    )
    try:
        accepted = [dispatcher.submit(push_sending.Job(**{**job.__dict__})) for _ in range(6)]
    finally:
        push_service.gate.set()
    assert accepted.count(False) >= 3 and dispatcher.dropped == accepted.count(False)
    assert dispatcher.wait_idle(10)
    dispatcher.stop()
    assert dispatcher.submit(job) is False  # stopped: nothing more is taken


def test_the_push_service_refuses_a_push_signed_with_another_key(app, push_service) -> None:
    member = make_member()
    phone = push_service.phone()
    subscribed(member, phone)
    app.config["VAPID_PRIVATE_KEY"] = push_keys.generate_private_key()  # not the announced key

    tell(member)
    assert push_sending.dispatcher(app).wait_idle(10)
    [received] = push_service.received
    assert received.status == 400 and "VAPID public key" in received.error
    # Refused, not gone: given up without a retry, the subscription stays.
    db.session.expire_all()
    subscription = db.session.execute(select(PushSubscription)).scalar_one()
    assert subscription.last_failure_at is not None and subscription.last_success_at is None
