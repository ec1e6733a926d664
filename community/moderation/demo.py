"""Demo moderation: reports open and answered, a journal over several months."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from community.communities.models import Community, GardenerMandate
from community.core.models import utcnow
from community.core.urls import outside_a_request
from community.extensions import db
from community.initiatives.models import Initiative
from community.moderation import services
from community.moderation.models import ModerationAction, Report
from community.threads.models import Message, Thread


def seed(ctx: Any) -> None:
    with outside_a_request():
        _seed(ctx)


def _seed(ctx: Any) -> None:
    rng = random.Random(6)  # noqa: S311 - demo data, not security
    members = ctx.members
    staff, habitant = members["agent"], members["habitant"]
    communities = list(db.session.execute(select(Community).order_by(Community.id)).scalars())
    now = utcnow()

    # Today: two open reports about a member who posts adverts, one answered by a warning.
    spammer = members["crowd12"]
    services.report(
        habitant, "member", spammer.id, "spam", "Il propose ses services payants partout."
    )
    services.report(
        members["crowd3"], "member", spammer.id, "spam", "Publicité pour son entreprise."
    )
    rude = members["crowd20"]
    answered = services.report(
        members["porte-voix"], "member", rude.id, "insult", "Propos insultants."
    )
    services.resolve(staff, answered, "warn", "Merci de rester courtois avec les autres habitants")
    services.report(members["crowd7"], "member", members["crowd25"].id, "personal_data",
                    "A publié le numéro de téléphone d'une voisine.")  # fmt: skip

    # An initiative reported as advertising, hidden by its community's gardener; another
    # reported and waiting.

    candidates = list(
        db.session.execute(
            select(Initiative)
            .where(Initiative.community_id.is_not(None), Initiative.author_id.is_not(None))
            .order_by(Initiative.id)
        ).scalars()
    )
    if len(candidates) >= 2:
        hidden, waiting = candidates[-1], candidates[-2]
        gardener = (
            db.session.execute(
                select(GardenerMandate).where(
                    GardenerMandate.community_id == hidden.community_id,
                    GardenerMandate.in_office,
                )
            )
            .scalars()
            .first()
        )
        reporter = members["crowd30"] if hidden.author_id != members["crowd30"].id else habitant
        report = services.report(reporter, "initiative", hidden.id, "spam", "Vente de produits.")
        if gardener is not None and gardener.member_id != hidden.author_id:
            services.resolve(gardener.member, report, "hide", "Annonce commerciale")
        if waiting.author_id != habitant.id:
            services.report(habitant, "initiative", waiting.id, "off_charter", "Propos hors sujet.")

    # A message reported in a community thread and hidden by a gardener of it.

    message = (
        db.session.execute(
            select(Message)
            .join(Thread, Thread.id == Message.thread_id)
            .where(
                Thread.community_id.is_not(None),
                Message.author_id.is_not(None),
                Message.hidden_at.is_(None),
                Message.deleted_at.is_(None),
            )
            .order_by(Message.id.desc())
        )
        .scalars()
        .first()
    )
    if message is not None:
        mandate = (
            db.session.execute(
                select(GardenerMandate).where(
                    GardenerMandate.community_id == message.thread.community_id,
                    GardenerMandate.in_office,
                    GardenerMandate.member_id != message.author_id,
                )
            )
            .scalars()
            .first()
        )
        reporter = members["crowd31"] if message.author_id != members["crowd31"].id else habitant
        flagged = services.report(reporter, "message", message.id, "insult", "Propos blessants.")
        if mandate is not None:
            services.resolve(mandate.member, flagged, "hide", "Propos blessants envers un voisin")

    # The past months, for the transparency page: counts only, spread over communities.
    reasons = ("insult", "harassment", "spam", "personal_data", "off_charter", "other")
    for months_ago in range(1, 6):
        for _ in range(rng.randint(2, 6)):
            community = rng.choice(communities) if communities and rng.random() < 0.8 else None
            when = now - timedelta(days=30 * months_ago + rng.randint(0, 20))
            target = members[f"crowd{rng.randint(1, 40)}"]
            report = Report(
                reporter=members[f"crowd{rng.randint(1, 40)}"],
                target_type="member",
                target_id=target.id,
                target_author=target,
                community=community,
                reason=rng.choice(reasons),
                text="",
                status="resolved",
                resolution=rng.choice(("dismiss", "warn", "dismiss")),
                resolved_by_id=staff.id,
                resolved_at=when + timedelta(days=1),
                created_at=when,
            )
            db.session.add(report)
            db.session.flush()
            db.session.add(
                ModerationAction(
                    actor=staff,
                    action=report.resolution,
                    target_type="member",
                    target_id=target.id,
                    community=community,
                    subject=target,
                    report_id=report.id,
                    reason="Rappel de la charte" if report.resolution == "warn" else "",
                    created_at=when + timedelta(days=1),
                )
            )
    db.session.flush()
    ctx.extra["moderation_staff"] = staff
