"""The seams every domain builds on: on_commit, signals, the notification port, the export,
the erasure and reportable content. Each test plays a new domain, from outside `members`,
`moderation` and `notifications`: what it adds there, it adds from its own folder. And the
definitions every domain reads and none writes again: a gardener's mandate in office."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from marshmallow import ValidationError

import community
from community.core import notify as notify_port
from community.core.errors import Conflict, Invalid
from community.core.signals import all_signals, on_commit, on_rollback
from community.extensions import db
from community.members import signals as member_signals
from community.members.erasure import erase_account
from community.members.export import export_data
from community.members.models import Member
from community.moderation import services as moderation
from community.moderation import targets
from community.moderation.models import Report
from community.moderation.schemas import ReportCreateSchema
from community.notifications.models import Notification
from tests.factories import PASSWORD, make_member


def test_on_commit_runs_after_commit_and_not_on_rollback(app):
    ran: list[str] = []
    on_commit(lambda: ran.append("committed"))
    on_rollback(lambda: ran.append("undone"))
    assert ran == []
    db.session.commit()
    assert ran == ["committed"]
    make_member()  # effects are queued inside a transaction, after a service flushed
    on_commit(lambda: ran.append("never"))
    on_rollback(lambda: ran.append("undone"))
    db.session.rollback()
    assert ran == ["committed", "undone"]


def test_a_failing_effect_does_not_stop_the_next(app):
    ran: list[str] = []

    def broken() -> None:
        raise OSError("mail server down")

    on_commit(broken)
    on_commit(lambda: ran.append("next"))
    db.session.commit()
    assert ran == ["next"]


def test_signals_are_declared_with_a_docstring(app):
    declared = all_signals()
    assert "members.exporting" in declared
    for name, sig in declared.items():
        assert sig.__doc__ and len(sig.__doc__.strip()) > 20, name


def test_the_notification_port_reaches_the_notifications_domain(app, monkeypatch):
    member = make_member()
    # The kind lives for this test only (the registry is the process's: others walk it).
    monkeypatch.setattr(notify_port, "_KINDS", dict(notify_port._KINDS))
    notify_port.register_kind("test_port", "a test kind")
    notify_port.notify(member, "test_port", "Bonjour", "/me")
    stored = db.session.query(Notification).filter_by(member_id=member.id).one()
    assert (stored.kind, stored.text, stored.url) == ("test_port", "Bonjour", "/me")
    with pytest.raises(ValueError):
        notify_port.notify(member, "no_such_kind", "x", "/")


def test_a_domain_adds_its_export_section_through_the_signal(app):
    member = make_member()

    def answer(sender, **_):
        return {"test_section": [{"who": sender.id}]}

    member_signals.exporting.connect(answer)
    try:
        data = export_data(member)
    finally:
        member_signals.exporting.disconnect(answer)
    assert data["test_section"] == [{"who": member.id}]
    assert data["account"]["id"] == member.id


def test_a_domain_answers_for_its_rows_when_an_account_is_erased(app):
    member = make_member()
    asked: list[str] = []

    def blocked(sender, **_):
        asked.append("blocked")
        return "Finish your test first." if sender.id == member.id and len(asked) == 1 else None

    def erasing(sender, **_):
        asked.append(f"erasing {sender.id}")

    def erased(sender, **_):
        asked.append(f"erased {sender}")

    member_signals.erasure_blocked.connect(blocked)
    member_signals.erasing.connect(erasing)
    member_signals.erased.connect(erased)
    try:
        with pytest.raises(Conflict, match="Finish your test first"):
            erase_account(member, PASSWORD)
        member_id = member.id
        erase_account(member, PASSWORD)
    finally:
        member_signals.erasure_blocked.disconnect(blocked)
        member_signals.erasing.disconnect(erasing)
        member_signals.erased.disconnect(erased)
    assert asked == ["blocked", "blocked", f"erasing {member_id}", f"erased {member_id}"]
    assert db.session.get(Member, member_id) is None


@pytest.fixture
def reportable_note(app):
    """A kind of content a new domain registers as reportable, as its `reportable.py` would."""
    author = make_member()

    def load(note_id: int) -> targets.Target | None:
        return targets.Target(obj=note_id, community=None, author=author, label="A note")

    targets.register("test_note", targets.TargetType(load=load))
    yield author
    del targets.REGISTRY["test_note"]


def test_a_domain_registers_reportable_content_with_no_change_in_moderation(reportable_note):
    reporter = make_member()
    assert ReportCreateSchema().load(
        {"target_type": "test_note", "target_id": 7, "reason": "spam"}
    ) == {"target_type": "test_note", "target_id": 7, "reason": "spam", "text": ""}
    report = moderation.report(reporter, "test_note", 7, "spam")
    db.session.flush()  # the table takes any registered kind: no constraint lists them
    stored = db.session.get(Report, report.id)
    assert stored is not None
    assert (stored.target_type, stored.target_id) == ("test_note", 7)
    assert stored.target_author_id == reportable_note.id


def test_a_kind_nobody_registered_is_refused(app):
    reporter = make_member()
    with pytest.raises(Invalid) as refused:
        moderation.report(reporter, "test_unknown", 1, "spam")
    assert "target_type" in refused.value.errors
    with pytest.raises(ValidationError, match="target_type"):
        ReportCreateSchema().load({"target_type": "test_unknown", "target_id": 1, "reason": "spam"})


def test_a_kind_is_registered_once_and_fits_the_column(reportable_note):
    with pytest.raises(ValueError):
        targets.register("test_note", targets.TargetType(load=lambda _id: None))
    with pytest.raises(ValueError):
        targets.register("x" * 17, targets.TargetType(load=lambda _id: None))


# Where a mandate's end date is read for what it is, not to ask whether she gardens now.
MANDATE_END_READ = {
    "communities/privacy.py:export_sections": "her export lists her mandates' end dates",
    "threads/readers.py:WATCHED": "watches the column: a mandate that ends narrows reading",
}


def _reads_of_a_mandate_end(path: Path) -> list[tuple[str, int]]:
    """(top-level definition, line) of each read of `<GardenerMandate or *mandate*>.ended_at`."""
    found = []
    for top in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            name = top.name
        elif isinstance(top, ast.Assign | ast.AnnAssign):
            target = top.targets[0] if isinstance(top, ast.Assign) else top.target
            name = target.id if isinstance(target, ast.Name) else "<module>"
        else:
            name = "<module>"
        for node in ast.walk(top):
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "ended_at"
                and isinstance(node.ctx, ast.Load)
                and isinstance(node.value, ast.Name)
                and "mandate" in node.value.id.lower()
            ):
                found.append((name, node.lineno))
    return found


def test_a_mandate_in_office_is_defined_once():
    """ "She gardens it now" is `GardenerMandate.in_office` (no end date), and the queries of
    `communities/gardening.py` built on it: no module writes `ended_at IS NULL` again."""
    package = Path(community.__file__).parent
    offenders, allowed_seen = [], set()
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package).as_posix()
        if rel == "communities/models.py":
            continue  # the definition itself
        for name, line in _reads_of_a_mandate_end(path):
            if f"{rel}:{name}" in MANDATE_END_READ:
                allowed_seen.add(f"{rel}:{name}")
            else:
                offenders.append(f"community/{rel}:{line} ({name})")
    assert not offenders, (
        "a mandate's end date read to ask whether she gardens now: use GardenerMandate.in_office"
        " or communities.gardening (gardened_ids, gardeners_of) — " + ", ".join(offenders)
    )
    assert allowed_seen == set(MANDATE_END_READ), "an exception that no longer applies"
