"""What the threads domain announces (`community.core.signals`)."""

from __future__ import annotations

from community.core.signals import namespace

signals = namespace("threads")

message_posted = signals.signal(
    "message_posted",
    doc="""A message was posted in a thread (flushed, its mentions recorded).

    Sender: the `Message`. Keyword argument: `mentioned` (the ids of the members whose mention
    was recorded). Sent by `threads.posting.store_message` (every door, `post_message`
    included), once per new message (a resend with the same `client_id` sends nothing).
    Receivers: replies and mentions are told (`threads/receivers.py`).
    """,
)

message_hidden = signals.signal(
    "message_hidden",
    doc="""A moderator hid a message (flushed, the journal written).

    Sender: the `Message`. Keyword arguments: `actor` (the `Member` who hid it), `reason`
    (str). Sent by `threads.services.hide_message`, whichever door it came through (thread
    page, socket, API, a report answered). Receivers: the bells of those told about it drop
    it (`notifications`).
    """,
)

message_restored = signals.signal(
    "message_restored",
    doc="""A moderator showed a hidden message again (flushed, the journal written).

    Sender: the `Message`. Keyword arguments: `actor`, `reason`. Sent by
    `threads.services.restore_message`. Receivers: the bells of those told about it count it
    again (`notifications`).
    """,
)

message_deleted = signals.signal(
    "message_deleted",
    doc="""Its author deleted a message (flushed: its text is gone, its place in the thread stays).

    Sender: the `Message`. Keyword argument: `actor` (the `Member` who deleted it, its author).
    Sent by `threads.services.delete_message`, whichever door it came through, once (deleting
    it again sends nothing). Receivers: the bells of those told about it drop it
    (`notifications`).
    """,
)

thread_read = signals.signal(
    "thread_read",
    doc="""A member's marker in a thread moved forward: she has read it up to `seq`.

    Sender: the `Thread`. Keyword arguments: `member` (the `Member`), `seq` (int). Sent by
    `threads.reading.mark_read` (the thread page, the socket's `thread:read`). Receivers: the
    notifications about the messages she has now read are read too, and her open bells hear
    the new count (`notifications`).
    """,
)
