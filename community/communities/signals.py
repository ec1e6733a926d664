"""What the communities domain announces."""

from __future__ import annotations

from community.core.signals import namespace

signals = namespace("communities")

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
