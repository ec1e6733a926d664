"""The suite's own isolation: a test's transaction belongs to the test's thread alone."""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from community.extensions import db
from community.members.models import Member
from tests.factories import make_member


def _on_another_thread(app: Flask, steps: list[Any]) -> tuple[threading.Thread, dict[str, Any]]:
    """Run `steps` (callables) in an app context of another thread, one per `advance()`."""
    seen: dict[str, Any] = {"errors": []}
    turns = [threading.Event() for _ in steps]
    finished = [threading.Event() for _ in steps]

    def run() -> None:
        with app.app_context():
            try:
                for turn, done, step in zip(turns, finished, steps, strict=True):
                    turn.wait(10)
                    try:
                        step(seen)
                    finally:
                        done.set()
            except Exception as error:  # reported to the test
                seen["errors"].append(error)
                for done in finished:
                    done.set()
            finally:
                db.session.remove()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()

    def advance(i: int) -> None:
        turns[i].set()
        assert finished[i].wait(10), "the other thread did not answer"

    seen["advance"] = advance
    return thread, seen


def test_another_thread_never_works_in_the_tests_connection(app: Flask) -> None:
    mine = db.session.connection()

    def look(seen: dict[str, Any]) -> None:
        seen["bind"] = db.session.get_bind()

    thread, seen = _on_another_thread(app, [look])
    seen["advance"](0)
    thread.join(10)
    assert not seen["errors"], seen["errors"]
    assert seen["bind"] is not mine
    assert seen["bind"] is db.engine


def test_a_rollback_on_another_thread_cannot_take_back_the_tests_rows(app: Flask) -> None:
    """A live server's handler finishing late, or the push worker's retry, rolls back its own
    session while a later test runs: the test's rows stay (they once vanished in a PostgreSQL
    run, when such a thread shared the test's connection and rolled back to its savepoint)."""

    def begin(seen: dict[str, Any]) -> None:
        db.session.execute(select(1))

    def roll_back(seen: dict[str, Any]) -> None:
        db.session.rollback()

    thread, seen = _on_another_thread(app, [begin, roll_back])
    seen["advance"](0)  # the other thread's transaction is open before the test writes
    member = make_member(display_name="Encore là")
    seen["advance"](1)
    thread.join(10)
    assert not seen["errors"], seen["errors"]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).where(Member.id == member.id)) == 1
