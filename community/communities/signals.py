"""What the communities domain announces (`community.core.signals`)."""

from __future__ import annotations

from community.core.signals import namespace

signals = namespace("communities")

membership_answered = signals.signal(
    "membership_answered",
    doc="""A request to join a community was accepted or refused (flushed).

    Sender: the `Membership` (status `active` or `refused`, the gardeners' `answer`). Keyword
    argument: `actor` (the gardener or staff member who answered). Sent by
    `communities.memberships.answer_request`.
    """,
)

gardener_changed = signals.signal(
    "gardener_changed",
    doc="""A gardener of a community was named, replaced or removed (flushed).

    Sender: the `Community`. Keyword arguments: `mandate` (the new `GardenerMandate`, or None
    when the side is left empty), `handover` (the `Handover` note left by the outgoing
    gardener for their successor, or None), `actor` (who changed it). Sent by
    `communities.pairs.assign_gardener`.
    """,
)

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

community_created = signals.signal(
    "community_created",
    doc="""Staff created a community (`services.save_community`, after the flush).

    Sender: the new `Community`. Keyword argument: `actor` (the `Member` who created it). The
    threads domain opens its welcome thread.
    """,
)

gardener_proposed = signals.signal(
    "gardener_proposed",
    doc="""Someone is asked to take one side of a community's gardener pair (`pairs.propose`).

    Sender: the pending `GardenerProposal`. Keyword argument: `actor` (who asked: the citizen
    gardener handing over, or staff). The candidate is told and answers from the dashboard.
    """,
)

gardener_proposal_answered = signals.signal(
    "gardener_proposal_answered",
    doc="""A candidate accepted or declined a gardener proposal (`pairs.answer_proposal`).

    Sender: the `GardenerProposal` (status `accepted` or `declined`). Keyword argument: `actor`
    (the candidate). Whoever asked is told.
    """,
)
