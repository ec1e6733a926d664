"""Demo threads: topics with messages in the demo communities (or in a small one of our own)."""

from __future__ import annotations

from typing import Any

from community.communities.memberships import join
from community.communities.models import Community, GardenerMandate, Membership
from community.core.models import utcnow
from community.extensions import db
from community.threads import services
from community.threads.permissions import can_post_in_thread

TOPICS = (
    (
        "Bienvenue : présentez-vous !",
        True,
        (
            (
                "jardinier",
                "Bienvenue à toutes et à tous ! Dites-nous qui vous êtes et ce qui vous amène.",
            ),
            (
                "habitant",
                "Bonjour, je m'appelle Léa, j'habite près du marché "
                "et j'aimerais apprendre à composter.",
            ),
            (
                "porte-voix",
                "Bienvenue Léa ! On fait une permanence au composteur du square le samedi matin.",
            ),
        ),
    ),
    (
        "Composteur du square : il est plein",
        False,
        (
            ("habitant", "Le bac d'apport est plein depuis mardi, on fait comment ?"),
            (
                "agent",
                "Merci du signalement : le retournement est prévu jeudi, "
                "le bac de maturation sera libéré.",
            ),
            ("crowd1", "Je peux aider à retourner le compost jeudi, à quelle heure ?"),
            ("agent", "À 17 h 30. Prévoyez des gants, les fourches sont dans le local."),
        ),
    ),
)


def _demo_community(ctx: Any) -> Community:
    """Our own small open community when the communities seeder has not run."""
    theme = next(iter(ctx.themes.values()))
    community = Community(
        slug="compost-du-quartier",
        name="Compost du quartier",
        theme=theme,
        visibility="open",
        description="Les habitants qui compostent ensemble.",
    )
    db.session.add(community)
    db.session.flush()
    for key in ("jardinier", "habitant", "porte-voix", "crowd1"):
        db.session.add(
            Membership(
                community=community, member=ctx.members[key], status="active", joined_at=utcnow()
            )
        )
    db.session.add(
        GardenerMandate(community=community, member=ctx.members["agent"], side="technician")
    )
    db.session.add(
        GardenerMandate(community=community, member=ctx.members["jardinier"], side="citizen")
    )
    db.session.flush()
    return community


def _may_post(member: Any, thread: Any) -> None:
    """Who talks in the demo topics joins their (open) community first, as anyone would."""
    if not can_post_in_thread(member, thread):
        join(member, thread.community, accept_charter=True)


def seed(ctx: Any) -> None:
    communities = ctx.extra.get("communities")
    community = next(iter(communities.values())) if communities else _demo_community(ctx)
    for title, pinned, lines in TOPICS:
        if pinned:  # the first topic is the community's welcome thread
            thread = services.welcome_thread(community, ctx.members[lines[0][0]])
            thread.title = title
        else:
            thread = services.create_thread(ctx.members[lines[0][0]], community, title)
        for n, (key, body) in enumerate(lines):
            _may_post(ctx.members[key], thread)
            services.post_message(ctx.members[key], thread, body, f"demo-{thread.id}-{n}")
    # One hidden message, so that moderators see what the others do not (in the last topic).
    _may_post(ctx.members["crowd2"], thread)
    message = services.post_message(
        ctx.members["crowd2"], thread, "Achetez mes bacs pas chers, écrivez-moi !", "demo-spam"
    ).message
    services.hide_message(ctx.members["jardinier"], message, "Publicité, hors charte")
    for other in (communities or {}).values():
        services.welcome_thread(other)  # every community has one to land in
    ctx.extra["threads"] = {"compost": thread.id}
