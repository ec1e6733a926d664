"""What the communities domain announces."""

from __future__ import annotations

from community.core.signals import namespace

signals = namespace("communities")

access_narrowed = signals.signal(
    "access-narrowed",
    doc="""Someone may read or moderate less of a community than a moment ago, inside the
    transaction that changed it (after the flush).

    Sender: the `Community`. Keyword argument ``member``: the `Member` who lost a right (left,
    was refused, was replaced or removed as gardener), or None when the community itself
    turned on-request (everyone who is not an active member, a gardener or staff loses the
    reading of its threads). The threads domain takes live sockets out of the rooms of the
    community's threads after commit; the pages join again and the right is checked again.
    """,
)
