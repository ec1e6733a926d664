"""What can be reported: each target type says how to load one, who answers for it, and how
to hide and restore it. Each content domain registers its own in `<domain>/reportable.py`
(the factory imports it), hiding through its own service, which writes the journal
(`moderation.journal.record_action`) and tells the author:

    register("message", TargetType(load=..., hide=..., restore=...))

Adding a kind of reportable content changes neither this module nor the moderation services.

A loader returns a `Target` (the object, its community — whose gardeners moderate it, none
for staff only —, its author, a label and a link) or None when there is no such object.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from community.communities.models import Community
from community.core.edge import as_id
from community.core.errors import Invalid
from community.core.urls import site_path
from community.extensions import db
from community.members.models import Member
from community.moderation.models import TARGET_TYPE_MAX


@dataclass
class Target:
    obj: Any
    community: Community | None
    author: Member | None
    label: str
    url: str = ""
    hidden: bool = False


@dataclass
class TargetType:
    load: Callable[[int], Target | None]
    # hide(actor, obj, reason, report) / restore(...): the owning domain's service changes the
    # object, flushes, writes the journal entry (with `report`) and tells the author.
    hide: Callable[[Member, Any, str, Any], Any] | None = None
    restore: Callable[[Member, Any, str, Any], Any] | None = None
    # The word used in notifications: "your message", "your initiative"…
    noun: Any = field(default_factory=lambda: _l("your content"))
    # load_many(ids) → {id: Target}: lists use it to stay at one query per type.
    load_many: Callable[[list[int]], dict[int, Target]] | None = None
    # readable(member, id) → may `member` read it? The owning domain's visibility layer. A
    # reporter is shown (label, author, existence) only what this allows.
    readable: Callable[[Member | None, int], bool] = lambda _member, _id: True
    # readable_many(member, ids) → those of `ids` she may read: `readable` for a list (the
    # journal), in a few queries whatever its length. Without it, `readable` for each.
    readable_many: Callable[[Member | None, list[int]], set[int]] | None = None
    # snapshot(obj) → the text kept with a report, as it stood when reported.
    snapshot: Callable[[Any], str] = lambda _obj: ""
    # write_turn(id) → a context manager held from before the answer's transaction until
    # after its commit, when the owning domain orders its writes (a thread's messages).
    write_turn: Callable[[int], AbstractContextManager[Any]] | None = None


REGISTRY: dict[str, TargetType] = {}


def kind_of(target_type: str) -> TargetType | None:
    """The registered target type called `target_type`, or None."""
    return REGISTRY.get(target_type)


def write_turn(target_type: str, target_id: int) -> AbstractContextManager[Any]:
    """What answering a report on this target must run inside (commit included): the owning
    domain's write turn, or nothing."""
    kind = kind_of(target_type)
    if kind is None or kind.write_turn is None:
        return nullcontext()
    return kind.write_turn(target_id)


def already_moderated(hidden: bool) -> Invalid:
    """The refusal to hide what is hidden (`hidden`), or to restore what is not."""
    message = _("This is already hidden.") if hidden else _("This is not hidden.")
    return Invalid(message, {"action": [_("Not possible here.")]})


def register(name: str, target_type: TargetType) -> None:
    """Make `name` a kind of reportable content (at import time of a domain's
    `reportable.py`): reports on it are then accepted, with no change in moderation."""
    if not 0 < len(name) <= TARGET_TYPE_MAX or name in REGISTRY:
        raise ValueError(f"reportable kind {name!r}: new, 1 to {TARGET_TYPE_MAX} characters")
    REGISTRY[name] = target_type


def load_target(member: Member | None, target_type: str, target_id: object) -> Target | None:
    """The target (`target_type`, `target_id`) as `member` may see it — THE loader of every door
    a member acts through (reporting, contesting): None, exactly as for an id that does not
    exist, when the owning domain's visibility layer says she may not read it. So such a door
    answers 404 for what she may not read, and 403 only for what she reads but may not do."""
    kind, ident = kind_of(target_type), as_id(target_id)
    if kind is None or ident is None:
        return None
    if not kind.readable(member, ident):
        return None
    return kind.load(ident)


def load_contested(member: Member | None, target_type: str, target_id: object) -> Target | None:
    """What `member` may contest: what she may read (`load_target`), or her own content she no
    longer reads — hidden, then banned from its community or gone from it: the notice of the
    hiding leads her to this door, and contesting is kept for her. Anyone else: None, as for a
    missing id."""
    found = load_target(member, target_type, target_id)
    if found is not None or member is None or getattr(member, "id", None) is None:
        return found
    ident = as_id(target_id)
    if ident is None:
        return None
    own = load_reported(target_type, ident)
    if own is None or own.author is None or own.author.id != member.id or not own.hidden:
        return None
    return own


def load_reported(target_type: str, target_id: int) -> Target | None:
    """What a report is about, for those who answer it (asked once `can_resolve` passed): with
    no visibility rule, because a report's evidence outlives its content — a message deleted
    since is still answered (warn or suspend its author). Never for a door a member reaches
    by naming a target herself: that is `load_target`."""
    kind = kind_of(target_type)
    return kind.load(target_id) if kind is not None else None


def load_targets(keys: list[tuple[str, int]]) -> dict[tuple[str, int], Target]:
    """Many targets at once, by (type, id): one query per type when the type can."""
    by_type: dict[str, list[int]] = {}
    for target_type, target_id in keys:
        by_type.setdefault(target_type, []).append(target_id)
    found: dict[tuple[str, int], Target] = {}
    for target_type, ids in by_type.items():
        kind = kind_of(target_type)
        if kind is None:
            continue
        if kind.load_many is not None:
            loaded = kind.load_many(sorted(set(ids)))
        else:
            loaded = {i: t for i in set(ids) if (t := kind.load(i)) is not None}
        found.update({(target_type, i): t for i, t in loaded.items()})
    return found


# Kinds the journal names though no one reports them (a thread, locked or unlocked): the
# owning domain registers `names(member, ids) → {id: words}`, only for what she may read.
NAMED: dict[str, Callable[[Member | None, list[int]], dict[int, str]]] = {}


def register_name(name: str, names: Callable[[Member | None, list[int]], dict[int, str]]) -> None:
    """Let the journal name the acts on `name` (not a reportable kind) in words."""
    if name in REGISTRY or name in NAMED:
        raise ValueError(f"kind {name!r} is already named")
    NAMED[name] = names


def readable_labels(
    member: Member | None, keys: list[tuple[str, int]]
) -> dict[tuple[str, int], Target]:
    """What each (type, id) is, in words and with its link, as `member` may read it: one
    query or so per type. What she may not read (or what is gone) is left out, exactly as an id
    that does not exist: a list shown to her (the journal) names only what she reads."""
    by_type: dict[str, list[int]] = {}
    for target_type, target_id in keys:
        by_type.setdefault(target_type, []).append(target_id)
    found: dict[tuple[str, int], Target] = {}
    for target_type, ids in by_type.items():
        ids = sorted(set(ids))
        if target_type in NAMED:
            words = NAMED[target_type](member, ids)
            found.update({(target_type, i): Target(None, None, None, w) for i, w in words.items()})
            continue
        kind = kind_of(target_type)
        if kind is None:
            continue
        if kind.readable_many is not None:
            readable = kind.readable_many(member, ids)
        else:
            readable = {i for i in ids if kind.readable(member, i)}
        loaded = load_targets([(target_type, i) for i in sorted(readable)])
        found.update(loaded)
    return found


def _member_target(member: Member) -> Target:
    return Target(
        obj=member,
        community=None,
        author=member,
        label=member.display_name,
        url=site_path("members.profile", member_id=member.id),
    )


def _load_member(member_id: int) -> Target | None:
    member = db.session.get(Member, member_id)
    if member is None or member.email_confirmed_at is None:
        return None
    return _member_target(member)


def _load_members(ids: list[int]) -> dict[int, Target]:
    members = db.session.execute(
        select(Member).where(Member.id.in_(ids), Member.email_confirmed_at.is_not(None))
    ).scalars()
    return {m.id: _member_target(m) for m in members}


register("member", TargetType(load=_load_member, load_many=_load_members, noun=_l("your account")))
