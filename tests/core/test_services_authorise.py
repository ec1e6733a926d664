"""Every state-changing service authorises its actor itself (`require(...)`, or a refusal it
raises), so that no door — a page, the API, a socket, the CLI, a test — can skip the rule.

The walk reads every module of each domain but its doors (views, API, sockets, CLI), its
declarations and its receivers: a public function that writes (adds, deletes, flushes,
updates, sets an attribute, or announces a fact) must call `require` or raise `Forbidden`.
The few that need no actor say why below; a new exception needs a reason as good.
"""

from __future__ import annotations

import ast
from pathlib import Path

import community

PACKAGE = Path(community.__file__).parent
# Every module of a domain holds services but the doors, the declarations and the answers to
# other domains' facts (a receiver has no actor: it reacts to an act that authorised).
NOT_SERVICES = {
    "__init__", "views", "api", "sockets", "cli", "demo", "models", "schemas", "forms",
    "permissions", "queries", "signals", "search", "receivers", "privacy", "reportable",
}  # fmt: skip
DOOR_SUFFIXES = ("_views", "_api", "_cli", "_models", "_privacy")  # notifications' push_*
# Modules of a domain that hold no service, and why.
NOT_SERVICE_MODULES = {
    "auth/loaders.py": "who the request is (session, token): the login machinery",
    "questionnaires/browser.py": "the browser's signed cookie, read and set per request",
    "notifications/blueprints.py": "the blueprints",
    "questionnaires/blueprints.py": "the blueprint",
    "solidarity/blueprints.py": "the blueprint, and what its pages share (page helpers)",
    "events/blueprints.py": "the blueprint, and how its pages load a rencontre (a read)",
    "threads/readers.py": "live sockets leave rooms after writes that authorised (a reaction)",
}
# A write: adding, deleting, flushing, an UPDATE, a fact announced; or setting an attribute
# (`membership.status = ...`), found in the tree.
WRITES = ("db.session.add(", "db.session.delete(", "db.session.flush(", "update(", ".send(")

NO_ACTOR = {
    # Visitors: their proof is the password or a signed link, checked inside.
    "auth/services.py:sign_up": "anyone may sign up",
    "auth/services.py:authenticate": "the password is the proof",
    "auth/services.py:confirm_email": "the signed link is the proof",
    "auth/services.py:reset_password": "the signed link is the proof",
    "auth/services.py:revoke_token": "the bearer revokes the very token it authenticated with",
    "events/guests.py:request_guest_place": "a guest without an account; checked by the rule",
    "events/guests.py:confirm_guest": "the signed link is the proof",
    "events/guests.py:cancel_guest": "the signed link is the proof",
    # Steps of an act another service authorised, or of a receiver of a fact.
    "ambassadors/invitations.py:record_invitation": "receiver of auth.member_signed_up",
    "moderation/journal.py:record_action": "the journal line of an authorised act",
    "threads/services.py:welcome_thread": "receiver of communities.community_created",
    "events/registrations.py:withdraw_places": "receiver of communities.access_narrowed",
    "threads/posting.py:store_message": (
        "the write step of a draft whose author was authorised before the thread's write turn"
        " (authorise_post, or a socket's posting grant: threads/live.py)"
    ),
    "threads/posting.py:record_mentions": (
        "a step of store_message and edit_message, whose author was authorised"
    ),
    "threads/reading.py:read_statement": (
        "builds the read marker's statement; mark_read and store_message run it, authorised"
    ),
    "notifications/services.py:notify": "receiver of core.notify's request",
    "notifications/services.py:mark_digest_sent": "the digest job (CLI)",
    "notifications/services.py:forget_what_was_named": "receiver of initiatives.initiative_hidden",
    "notifications/services.py:mark_read_up_to": (
        "receiver of threads.thread_read: mark_read authorised the reader (can_read_thread)"
    ),
    "solidarity/services.py:archive_signals": "the retention job (CLI)",
    "events/attendance.py:send_reminders": "the reminder job (CLI)",
    "events/attendance.py:close_past_events": "the closing job (CLI)",
    "questionnaires/questions.py:write_questions": "a step of services that authorise first",
    "members/erasure.py:erasure_refusal": "reads only (locks rows for erase_account)",
    # Reads that the walk takes for writes (a dict's update, a result being built, a signal
    # asking the domains for rows).
    "members/export.py:export_data": "reads only: the member's own data, by signal",
    "moderation/targets.py:load_targets": "reads only",
    "moderation/targets.py:readable_labels": "reads only (what the member may read)",
    "observatory/services.py:summary": "reads only; the doors require can_see_observatory",
    "observatory/radar.py:radar": "reads only; the doors require can_see_observatory",
    "observatory/network.py:network": "reads only; the doors require can_see_observatory",
    # The observatory's release ledger: a quarter's counts are frozen the first time they are
    # published, by whoever reads them first (the doors require can_see_observatory).
    "observatory/releases.py:frozen": "the ledger of a read",
    "observatory/releases.py:keep": "the ledger of a read",
}


def _service_modules() -> list[Path]:
    modules = []
    for path in sorted(PACKAGE.glob("*/*.py")):
        name = f"{path.parent.name}/{path.name}"
        if path.parent.name == "core" or name in NOT_SERVICE_MODULES:
            continue
        if path.stem in NOT_SERVICES or path.stem.endswith(DOOR_SUFFIXES):
            continue
        modules.append(path)
    return modules


def _writes(node: ast.FunctionDef, text: str) -> bool:
    if any(write in text for write in WRITES):
        return True
    for sub in ast.walk(node):
        targets = (
            sub.targets
            if isinstance(sub, ast.Assign)
            else [sub.target]
            if isinstance(sub, ast.AugAssign | ast.AnnAssign)
            else []
        )
        for target in targets:
            if any(
                isinstance(e, ast.Attribute) and isinstance(e.ctx, ast.Store)
                for e in ast.walk(target)
            ):
                return True
    return False


def _state_changing_services() -> dict[str, ast.FunctionDef]:
    found = {}
    for path in _service_modules():
        source = path.read_text(encoding="utf-8")
        for node in ast.parse(source).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                text = ast.get_source_segment(source, node) or ""
                if _writes(node, text):
                    found[f"{path.parent.name}/{path.name}:{node.name}"] = node
    return found


def _authorises(node: ast.FunctionDef) -> bool:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call) and getattr(sub.func, "id", None) == "require":
            return True
        if isinstance(sub, ast.Raise) and sub.exc is not None:
            called = sub.exc.func if isinstance(sub.exc, ast.Call) else sub.exc
            if getattr(called, "id", None) == "Forbidden":
                return True
    return False


def test_the_walk_finds_the_services() -> None:
    services = _state_changing_services()
    assert "threads/posting.py:store_message" in services
    assert "moderation/services.py:resolve" in services
    # A write that is only an attribute set, in a module not called services.py.
    assert "moderation/suspensions.py:lift_community_ban" in services
    assert "events/calendar.py:revoke_feed" in services
    assert len(services) > 50


def test_the_modules_said_to_hold_no_service_are_still_there() -> None:
    for name in NOT_SERVICE_MODULES:
        assert (PACKAGE / name).is_file(), name


def test_every_state_changing_service_authorises() -> None:
    services = _state_changing_services()
    missing = sorted(
        name for name, node in services.items() if name not in NO_ACTOR and not _authorises(node)
    )
    assert missing == [], f"these services change state without authorising: {missing}"


def test_posting_authorises_first() -> None:
    """`post_message` (and every door's use case) authorises first with `authorise_post`,
    which says a hidden initiative's thread is closed (423 for everyone), then who may post:
    a check on the thread itself, no read of anything else."""
    functions = {
        node.name: node
        for module in ("services.py", "posting.py")
        for node in ast.parse((PACKAGE / "threads" / module).read_text(encoding="utf-8")).body
        if isinstance(node, ast.FunctionDef)
    }
    post = functions["post_message"].body[1]  # after the docstring
    assert isinstance(post, ast.Expr) and getattr(post.value.func, "id", None) == "authorise_post"
    check = functions["authorise_post"].body[1:]
    assert isinstance(check[0], ast.If) and isinstance(check[1], ast.If)
    assert any(
        isinstance(sub, ast.Call) and getattr(sub.func, "id", None) == "require"
        for sub in ast.walk(check[1])
    )


def test_the_exceptions_are_still_services() -> None:
    assert set(NO_ACTOR) <= set(_state_changing_services())


def test_threads_services_authorise_first() -> None:
    """The thread's acts refuse before they read or write anything (`require` comes first)."""
    for name, node in _state_changing_services().items():
        if not name.startswith("threads/") or name in NO_ACTOR:
            continue
        body = node.body[1:] if isinstance(node.body[0], ast.Expr) else node.body
        first = body[0]
        assert (
            isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Call)
            and getattr(first.value.func, "id", None) == "require"
        ), name
