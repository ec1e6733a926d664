"""Demo ambassadors: "porte-voix" with invitation links, people brought in, outreach entries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from community.ambassadors import invitations, services
from community.ambassadors.models import InvitationUse
from community.communities import memberships
from community.communities import services as communities
from community.core.models import utcnow
from community.extensions import db

OUTINGS = (
    (3, "market", "les-tilleuls", 25, ("alimentation",), "Envie d'un composteur près de l'école.",
     "Proposer un atelier compost au marché."),
    (10, "building", "la-roseraie", 12, ("dechets-et-reemploi",),
     "Encombrants laissés dans les halls.",
     "Demander un ramassage mensuel."),
    (17, "school", "les-tilleuls", 30, ("mobilite", "alimentation"),
     "Parents inquiets de la circulation.", ""),
    (24, "social_centre", "bellevue", 8, ("solidarite",), "Personnes âgées isolées l'hiver.",
     "Relayer aux jardiniers de Voisins solidaires."),
)  # fmt: skip


def seed(ctx: Any) -> None:
    agent, jardinier = ctx.members["agent"], ctx.members["jardinier"]
    yanis = ctx.members["porte-voix"]
    compost = ctx.extra["communities"]["compost-tilleuls"]
    mission = "Aller au marché du samedi et au pied des immeubles, relayer ce qu'on entend."
    ambassador = services.name_ambassador(jardinier, yanis, mission, community=compost)
    services.answer_nomination(yanis, ambassador, accept=True, shown=True)
    market = invitations.create_invitation(yanis, ambassador, "marché du samedi", valid_days=90)
    school = invitations.create_invitation(yanis, ambassador, "école Jules-Ferry")
    old = invitations.create_invitation(yanis, ambassador, "fête de quartier 2025")
    invitations.revoke_invitation(yanis, old)
    # Crowd members who signed up through the links (the record of who brought whom).
    brought = [ctx.members[f"crowd{i}"] for i in range(30, 37)]
    for index, member in enumerate(brought):
        invitation = market if index < 5 else school
        db.session.add(InvitationUse(invitation_id=invitation.id, member_id=member.id))
    memberships.join(brought[0], compost, True)
    memberships.join(brought[1], compost, True)
    today = utcnow().date()
    for days, kind, place, people, themes, topics, follow_up in OUTINGS:
        services.log_outreach(
            yanis,
            ambassador,
            services.OutreachData(
                happened_on=today - timedelta(days=days),
                place_kind=kind,
                people_met=people,
                neighbourhood_id=ctx.neighbourhoods[place].id,
                theme_ids=[ctx.themes[t].id for t in themes],
                topics=topics,
                follow_up=follow_up,
            ),
        )
    # A neighbourhood ambassador (staff named), and a proposal not yet answered.
    other = ctx.members["crowd12"]
    neighbourhood_mission = "Faire connaître la plateforme aux habitants du Port."
    port = services.name_ambassador(
        agent, other, neighbourhood_mission, neighbourhood=ctx.neighbourhoods["le-port"]
    )
    services.answer_nomination(other, port, accept=True, shown=False)
    invitations.create_invitation(other, port, "permanence du centre social")
    velo = ctx.extra["communities"]["velo-quotidien"]
    member = db.session.execute(communities.active_members(velo)).scalars().first()
    if member is not None:
        services.name_ambassador(
            agent, member, "Relayer les balades vélo dans les écoles.", community=velo
        )
    ctx.extra["ambassadors"] = {"porte-voix": ambassador}
