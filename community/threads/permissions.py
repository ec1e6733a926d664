"""Who may read, post in and moderate a thread.

"Read" follows the community: a thread of an open community (or of an initiative without
an on-request community) is readable by anyone (visitors included over HTTP; sockets always
need a login); a thread of an on-request community is readable only by its active members,
its gardeners and staff — and an initiative's thread by its author, always. The rule is
`threads.queries.readable_threads`; these predicates ask it.
"""

from __future__ import annotations

from community.communities.models import Community
from community.communities.permissions import is_gardener, is_member
from community.core.permissions import is_authenticated, is_staff
from community.members.models import Member
from community.moderation.suspensions import posting_refusal
from community.threads.models import Message, Thread
from community.threads.queries import (
    closed_by_hidden_initiative,
    is_initiative_author,
    may_see_body,
    moderates_thread,
    thread_is_readable,
)


def _insider(member: Member | None, thread: Thread) -> bool:
    """An active member of the thread's community, one of its gardeners, or staff."""
    community = thread.community
    if community is None:
        return is_staff(member)
    return is_staff(member) or is_member(member, community) or is_gardener(member, community)


def can_read_thread(member: Member | None, thread: Thread) -> bool:
    """See the thread and its messages: the visibility layer's rule (`threads.queries`)."""
    return thread_is_readable(member, thread)


def can_post_in_thread(member: Member | None, thread: Thread) -> bool:
    """Post: a community thread to its active members (and gardeners, staff); an initiative
    thread to any logged-in member, unless its community is on request (then its members, and
    the initiative's author)."""
    if not is_authenticated(member):
        return False
    community = thread.community
    if posting_refusal(member, community) is not None:  # suspended (moderation)
        return False
    if not can_read_thread(member, thread) or closed_by_hidden_initiative(thread):
        return False
    if thread.kind == "initiative" and (community is None or community.visibility == "open"):
        return True
    return _insider(member, thread) or is_initiative_author(member, thread)


def can_moderate_thread(member: Member | None, thread: Thread) -> bool:
    """Hide and restore messages, pin and lock: the community's gardeners, and staff (the
    rule the visibility layer applies to hidden bodies, `threads.queries.moderates_thread`)."""
    return moderates_thread(member, thread)


def can_read_community_threads(member: Member | None, community: Community) -> bool:
    """List a community's topics: anyone for an open community, insiders otherwise."""
    if community.visibility == "open":
        return True
    return is_staff(member) or is_member(member, community) or is_gardener(member, community)


def can_create_thread(member: Member | None, community: Community) -> bool:
    """Open a topic in a community: its active members, gardeners and staff — never while
    suspended from the platform or from this community (`posting_refusal` says why)."""
    if not is_authenticated(member) or posting_refusal(member, community) is not None:
        return False
    return is_staff(member) or is_member(member, community) or is_gardener(member, community)


def is_author(member: Member | None, message: Message) -> bool:
    return is_authenticated(member) and message.author_id == member.id  # type: ignore[union-attr]


def can_edit_message(member: Member | None, message: Message) -> bool:
    """Edit or delete one's own message, while one may still post in the thread."""
    return is_author(member, message) and can_post_in_thread(member, message.thread)


def can_moderate_message(member: Member | None, message: Message) -> bool:
    """Hide or restore a message: the thread's moderators, never on their own message."""
    return can_moderate_thread(member, message.thread) and not is_author(member, message)


def can_see_hidden(member: Member | None, message: Message) -> bool:
    """A hidden body reaches only its author and the thread's moderators: the visibility
    layer's rule (`threads.queries.may_see_body`)."""
    return may_see_body(member, message)
