"""Demo communities: open and on-request, complete and incomplete pairs, a handover."""

from __future__ import annotations

import random
from typing import Any

from community.communities import memberships, pairs, services

CHARTER = (
    "## Notre charte\n\n"
    "- On se parle avec respect, on écoute avant de répondre.\n"
    "- On ne partage pas les coordonnées des autres sans leur accord.\n"
    "- On parle de ce qu'on fait, pas de qui on est.\n"
)

# slug, name, theme, neighbourhood, visibility, description, technician, citizen
COMMUNITIES = (
    ("compost-tilleuls", "Compost et jardins des Tilleuls", "alimentation", "les-tilleuls", "open",
     "Composteurs de quartier, jardins partagés et trocs de graines.", "agent", "jardinier"),
    ("zero-dechet", "Zéro déchet et réemploi", "dechets-et-reemploi", None, "open",
     "Réparer, donner, réemployer : ateliers et bons plans.", "agent", "crowd5"),
    ("haies-et-mares", "Haies et mares", "biodiversite", "le-bourg-ancien", "on_request",
     "Recenser et protéger les haies, les mares et ce qui y vit.", "crowd1", "jardinier"),
    ("velo-quotidien", "Vélo au quotidien", "mobilite", None, "open",
     "Itinéraires sûrs, ateliers de réparation, balades découverte.", "agent", None),
    ("voisins-solidaires", "Voisins solidaires de la Roseraie", "solidarite", "la-roseraie",
     "on_request",
     "Coups de main entre voisins, repérer celles et ceux qui restent seuls.", None, "crowd8"),
    ("culture-bellevue", "Culture à Bellevue", "culture", "bellevue", "open",
     "Lectures, concerts au pied des immeubles et fêtes de quartier.", None, None),
)  # fmt: skip


def seed(ctx: Any) -> None:
    rng = random.Random(7)  # noqa: S311 - demo data, not security
    admin = ctx.members["admin"]
    crowd = [ctx.members[f"crowd{i}"] for i in range(3, 41)]
    communities = {}
    for slug, name, theme, place, visibility, description, technician, citizen in COMMUNITIES:
        community = services.save_community(
            admin,
            services.CommunityData(
                name=name,
                slug=slug,
                theme_id=ctx.themes[theme].id,
                neighbourhood_id=ctx.neighbourhoods[place].id if place else None,
                description=description,
                charter=CHARTER,
                visibility=visibility,
            ),
        )
        communities[slug] = community
        people = rng.sample(crowd, rng.randint(6, 18))
        if citizen and ctx.members[citizen] not in people:
            people.append(ctx.members[citizen])
        for member in people:
            memberships.join(member, community, accept_charter=True)
        if visibility == "on_request":
            for membership in memberships.pending_requests_for(admin):
                if membership.community_id == community.id:
                    memberships.answer_request(admin, membership, True, "Bienvenue !")
        for side, key in (("technician", technician), ("citizen", citizen)):
            if key:
                pairs.assign_gardener(admin, community, side, ctx.members[key])
    # Membership requests waiting for an answer, and one joined community for the demo inhabitant.
    memberships.join(
        ctx.members["habitant"],
        communities["haies-et-mares"],
        True,
        "J'ai une mare dans mon jardin.",
    )
    memberships.join(ctx.members["porte-voix"], communities["compost-tilleuls"], True)
    memberships.join(ctx.members["porte-voix"], communities["zero-dechet"], True)
    memberships.join(
        crowd[0], communities["voisins-solidaires"], True, "Je peux faire des courses."
    )
    # A handover: the citizen side of "Zéro déchet" passed to the demo citizen gardener.
    successor = ctx.members["jardinier"]
    memberships.join(successor, communities["zero-dechet"], True)
    pairs.assign_gardener(
        admin,
        communities["zero-dechet"],
        "citizen",
        successor,
        "Atelier réparation le 1er samedi du mois à la ressourcerie ; la mairie a promis des bacs "
        "de tri pour la salle des fêtes d'ici juin. Contact utile : l'équipe de la ressourcerie.",
    )
    ctx.extra["communities"] = communities
