"""When fewer may read a thread, its live sockets leave its rooms, in every process.

A socket enters a thread's rooms once the visibility layer lets its member read the thread
(`thread:join`); broadcasts then go to the rooms without asking again. So whatever narrows
who may read a thread must take sockets out, and there is ONE way: `narrowed(...)`. After
the commit, every socket leaves the thread's rooms (`core.sockets.reset_rooms`: the
initiative was hidden, the community turned on-request), or one member's sockets do
(`revoke_rooms`: she left, was refused or banned, is no longer gardener); each is told
``rooms:revoked``, the page joins again, and `thread:join` asks the visibility layer again.

Nobody has to remember to call it. The columns `readable_threads` reads (`WATCHED`) are
watched at every flush, whichever service writes them: a change that may narrow the reading
(an initiative hidden, a thread or an initiative moved, a membership that stops being active,
a gardener's mandate that ends, a community turning on-request) calls `narrowed` by itself.
`tests/threads/test_readers.py` fails when `readable_threads` reads a column this table does
not watch. A platform suspension, an erasure and an ended credential close the sockets
instead (`disconnect_member`), and so does a staff member who is no longer staff (`Member.role`:
staff read everything, so every room may be concerned).

The effects are gathered per transaction and leave once, after the commit: the same room is
not reset twice when a service also announces the change (`communities.access_narrowed`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, SessionTransaction, UOWTransaction
from sqlalchemy.orm.attributes import InstrumentedAttribute

from community.communities.models import Community, GardenerMandate, Membership
from community.core.realtime import thread_room
from community.core.signals import on_commit
from community.core.sockets import disconnect_member, reset_rooms, revoke_rooms
from community.extensions import db
from community.initiatives.models import Initiative
from community.members.models import Member
from community.threads.models import Thread
from community.threads.realtime import moderators_room

_KEY = "threads.narrowed"


@dataclass
class Narrowing:
    """What the current transaction narrowed: threads (or all the threads of communities)
    closed to everyone who may no longer read them, or to one member; members whose every
    socket must close."""

    threads: set[int] = field(default_factory=set)
    communities: set[int] = field(default_factory=set)
    member_threads: set[tuple[int, int]] = field(default_factory=set)  # (member, thread)
    member_communities: set[tuple[int, int]] = field(default_factory=set)  # (member, community)
    disconnect: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(
            self.threads
            or self.communities
            or self.member_threads
            or self.member_communities
            or self.disconnect
        )


def _pending(session: Session) -> Narrowing:
    found: Narrowing | None = session.info.get(_KEY)
    if found is None:
        found = session.info[_KEY] = Narrowing()
    return found


def narrowed(
    *,
    threads: Iterable[int | None] = (),
    community: int | None = None,
    member: int | None = None,
    session: Session | None = None,
) -> None:
    """Fewer may read `threads` (or every thread of `community`): after the commit their
    sockets leave the threads' rooms — `member`'s only, or everyone's — and are told
    (``rooms:revoked``); those who still may read join again."""
    pending = _pending(session if session is not None else db.session())
    ids = {int(t) for t in threads if t is not None}
    if member is None:
        pending.threads |= ids
        if community is not None:
            pending.communities.add(community)
    else:
        pending.member_threads |= {(member, t) for t in ids}
        if community is not None:
            pending.member_communities.add((member, community))


# --- what is watched ------------------------------------------------------------------

Change = tuple[Any, Any]  # (old, new); old is `_UNKNOWN` when it was not loaded


class _Unknown:
    def __repr__(self) -> str:
        return "<unknown>"


_UNKNOWN = _Unknown()


def _changed(old: Any, new: Any) -> bool:
    return old is _UNKNOWN or old != new


def _set_now(old: Any, new: Any) -> bool:
    """A date set where there was none (hidden, ended)."""
    return new is not None and (old is _UNKNOWN or old is None)


def _no_longer(value: str) -> Callable[[Any, Any], bool]:
    def narrows(old: Any, new: Any) -> bool:
        return (old is _UNKNOWN or old == value) and new != value

    return narrows


def _staff_no_longer(old: Any, new: Any) -> bool:
    staff = {"staff", "admin"}
    return (old is _UNKNOWN or old in staff) and new not in staff


@dataclass(frozen=True)
class Watch:
    """A column the reading of threads depends on: when a change of it `narrows`, `reach`
    says which threads and whose sockets (`narrowed`'s arguments) from the row."""

    narrows: Callable[[Any, Any], bool]
    reach: Callable[[Any, Change], None]


def _initiative_thread(initiative: Initiative, change: Change) -> None:
    old, _new = change
    before = [old] if initiative.thread_id != old and isinstance(old, int) else []
    narrowed(threads=[initiative.thread_id, *before], session=_session(initiative))


def _thread(thread: Thread, _change: Change) -> None:
    narrowed(threads=[thread.id], session=_session(thread))


def _community(community: Community, _change: Change) -> None:
    narrowed(community=community.id, session=_session(community))


def _membership(row: Membership | GardenerMandate, _change: Change) -> None:
    """The member (and the one before, should the row have changed hands) loses this
    community's threads (and the one before), with their moderators' rooms."""
    attrs: Any = inspect(row).attrs
    members = {row.member_id, *attrs.member_id.history.deleted} - {None}
    communities = {row.community_id, *attrs.community_id.history.deleted} - {None}
    for member in members:
        for community in communities:
            narrowed(community=community, member=member, session=_session(row))


def _member(member: Member, _change: Change) -> None:
    _pending(_session(member)).disconnect.add(member.id)


WATCHED: dict[InstrumentedAttribute[Any], Watch] = {
    # A hidden initiative's thread is read only by its author and its moderators.
    Initiative.hidden_at: Watch(_set_now, _initiative_thread),
    Initiative.thread_id: Watch(_changed, _initiative_thread),
    Initiative.author_id: Watch(_changed, _initiative_thread),
    # A thread moved to another community, or of another kind, is read by others.
    Thread.community_id: Watch(_changed, _thread),
    Thread.kind: Watch(_changed, _thread),
    Community.visibility: Watch(_no_longer("open"), _community),
    Membership.status: Watch(_no_longer("active"), _membership),
    Membership.member_id: Watch(_changed, _membership),
    Membership.community_id: Watch(_changed, _membership),
    GardenerMandate.ended_at: Watch(_set_now, _membership),
    GardenerMandate.member_id: Watch(_changed, _membership),
    GardenerMandate.community_id: Watch(_changed, _membership),
    # Staff read every thread: a staff member who is no longer staff is disconnected.
    Member.role: Watch(_staff_no_longer, _member),
}

# A deleted row that gave a reading (an active membership, a gardener's open mandate).
_DELETED: dict[type, Callable[[Any], bool]] = {
    Membership: lambda row: row.status == "active",
    GardenerMandate: lambda row: row.in_office,
}

_BY_CLASS: dict[Any, list[tuple[str, Watch]]] = {}
for _attribute, _watching in WATCHED.items():
    _BY_CLASS.setdefault(_attribute.class_, []).append((_attribute.key, _watching))


def _session(row: Any) -> Session:
    session = inspect(row).session
    assert session is not None
    return session


@event.listens_for(Session, "after_flush")
def _watch(session: Session, _flush: UOWTransaction) -> None:
    """Every flush: a persistent row of a watched class whose watched column changed in a
    way that may narrow the reading (the history is still the flush's, here)."""
    for row in session.dirty:
        watches = _BY_CLASS.get(type(row))
        if watches is None:
            continue
        attrs = inspect(row).attrs
        for key, watch in watches:
            history = attrs[key].history
            if not history.added and not history.deleted:
                continue
            old = history.deleted[0] if history.deleted else _UNKNOWN
            new = history.added[0] if history.added else None
            if watch.narrows(old, new):
                watch.reach(row, (old, new))
    for row in session.deleted:
        gave = _DELETED.get(type(row))
        if gave is not None and gave(row):
            _membership(row, (None, None))


@event.listens_for(Session, "before_commit")
def _resolve(session: Session) -> None:
    """Before the commit, while the session may still query: the last changes flushed, the
    communities' threads listed, and the effects queued once for after the commit."""
    session.flush()
    pending: Narrowing | None = session.info.pop(_KEY, None)
    if not pending:
        return
    communities = pending.communities | {c for _m, c in pending.member_communities}
    by_community: dict[int, list[int]] = {}
    if communities:
        rows = session.execute(
            select(Thread.community_id, Thread.id).where(Thread.community_id.in_(communities))
        ).all()
        for community_id, thread_id in rows:
            if community_id is not None:
                by_community.setdefault(community_id, []).append(thread_id)
    everyone = set(pending.threads)
    for community_id in pending.communities:
        everyone |= set(by_community.get(community_id, ()))
    per_member: dict[int, set[int]] = {}
    for member_id, thread_id in pending.member_threads:
        per_member.setdefault(member_id, set()).add(thread_id)
    for member_id, community_id in pending.member_communities:
        per_member.setdefault(member_id, set()).update(by_community.get(community_id, ()))
    disconnect = sorted(pending.disconnect)
    everyone_rooms = _rooms(everyone)
    member_rooms = {
        member_id: _rooms(ids - everyone)
        for member_id, ids in sorted(per_member.items())
        if member_id not in pending.disconnect
    }

    def take_sockets_out() -> None:
        if everyone_rooms:
            reset_rooms(everyone_rooms)
        for member_id, rooms in member_rooms.items():
            if rooms:
                revoke_rooms(member_id, rooms)
        for member_id in disconnect:
            disconnect_member(member_id)

    on_commit(take_sockets_out, session)


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, previous: SessionTransaction) -> None:
    """Rolled back: what it narrowed did not happen (a savepoint's rollback keeps what the
    outer transaction gathered: a room reset for nothing is harmless, a missed one is not)."""
    if previous.parent is None:
        session.info.pop(_KEY, None)


def _rooms(thread_ids: set[int]) -> list[str]:
    return [room for tid in sorted(thread_ids) for room in (thread_room(tid), moderators_room(tid))]
