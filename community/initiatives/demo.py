"""Demo initiatives: every status, some overdue, some informal, with answers and stories.

Communities come from the communities seeder (`ctx.extra["communities"]`, a dict by slug or a
list) when it ran; otherwise every initiative is spontaneous. Either way the demo holds.
"""

from __future__ import annotations

import io
import random
from datetime import timedelta
from typing import Any

from PIL import Image, ImageDraw
from sqlalchemy import select

from community.communities.models import Community, GardenerMandate
from community.core.models import utcnow
from community.extensions import db
from community.initiatives import backing, lifecycle, services, stories
from community.initiatives.models import Initiative
from community.members.models import Member

# (key, title, summary, theme slug, informal, path of (status, days after creation, answer,
# reason), age in days, author key)
DECLINE = "declined"
SCENARIOS: tuple[tuple[Any, ...], ...] = (
    ("composteur", "Un composteur au pied de la résidence",
     "Installer un composteur partagé pour les trois immeubles des Tilleuls.",
     "dechets-et-reemploi", False, [], 3, "habitant"),
    ("velos", "Des arceaux vélo devant l'école",
     "Les parents n'ont nulle part où attacher leurs vélos le matin.",
     "mobilite", False, [], 12, "crowd3"),
    ("bancs", "Des bancs le long de la promenade du Port",
     "Les personnes âgées n'ont aucun endroit où se reposer sur 800 mètres.",
     "sante-et-bien-vieillir", False, [], 41, "crowd5"),
    ("fontaine", "Remettre en eau la fontaine Saint-Jacques",
     "La fontaine est à sec depuis cinq ans, la place est devenue triste.",
     "culture", False, [], 56, "crowd7"),
    ("grainotheque", "Une grainothèque à la médiathèque",
     "Échanger des graines locales entre jardiniers amateurs.",
     "biodiversite", False,
     [("under_review", 6, "Merci ! Nous en parlons bientôt avec la médiathèque.", None)],
     20, "crowd9"),
    ("atelier-velo", "Un atelier de réparation de vélos",
     "Un samedi par mois, apprendre à réparer son vélo avec des bénévoles.",
     "mobilite", False,
     [("under_review", 25, "Le service des sports regarde quel local pourrait convenir.", None),
      ("accepted", 40, "Accepté : le gymnase Bellevue vous accueille chaque mois.", None)],
     70, "porte-voix"),
    ("frigo", "Un frigo solidaire au centre social",
     "Déposer les invendus des commerçants pour qui en a besoin.",
     "alimentation", False,
     [("accepted", 9, "Oui ! Le centre social prête son hall et l'électricité.", None),
      ("in_progress", 30, "Le frigo est commandé, livraison prévue en fin de mois.", None)],
     60, "crowd11"),
    ("haies", "Replanter des haies au chemin des Vignes",
     "Recréer un corridor pour les oiseaux entre le parc et les champs.",
     "biodiversite", False,
     [("accepted", 12, "Accepté, avec les plants de la pépinière municipale.", None),
      ("in_progress", 20, "Chantier fixé au 15 novembre.", None),
      ("done", 75, "300 mètres de haie plantés : merci à tous les bénévoles !", None)],
     120, "jardinier"),
    ("boite-livres", "Une boîte à livres à la Roseraie",
     "Une ancienne cabine téléphonique transformée en bibliothèque de rue.",
     "culture", False,
     [("accepted", 4, "Excellente idée, les services techniques fournissent la cabine.", None),
      ("in_progress", 10, "", None),
      ("done", 50, "La boîte est installée et déjà bien remplie.", None)],
     150, "habitant"),
    ("piscine", "Une piscine olympique aux Hauts-de-Loire",
     "Un grand bassin pour les clubs de natation du secteur.",
     "sante-et-bien-vieillir", False,
     [(DECLINE, 21, "Un tel équipement relève de l'intercommunalité, pas de la commune. "
       "Nous avons transmis votre proposition à la communauté de communes.", "competence")],
     90, "crowd13"),
    ("navette", "Une navette gratuite le dimanche",
     "Relier le Bourg ancien au centre-ville le dimanche matin.",
     "mobilite", False,
     [("under_review", 14, "Nous étudions le coût avec le transporteur.", None),
      (DECLINE, 45, "Le coût (60 000 € par an) dépasse le budget disponible cette année. "
       "Le covoiturage solidaire reste une piste.", "budget")],
     100, "crowd15"),
    ("marche", "Un marché de producteurs le mercredi",
     "Des produits locaux en semaine, au plus près des habitants.",
     "alimentation", False, [("withdrawn", 8, "Un marché existe déjà le jeudi, je retire.", None)],
     40, "crowd17"),
    ("jardin-tilleuls", "Le jardin partagé des Tilleuls",
     "Nous cultivons ensemble une parcelle derrière l'immeuble B depuis 2019.",
     "alimentation", True, [], 200, "jardinier"),
    ("courses", "Les courses de Mme Renée",
     "Trois voisins se relaient pour faire les courses d'une voisine de 92 ans.",
     "solidarite", True, [], 80, "crowd19"),
    ("repair", "Le repair café du Port",
     "Un dimanche par mois, on répare ensemble grille-pain et vêtements.",
     "dechets-et-reemploi", True,
     [("under_review", 30, "Nous aimerions une salle chauffée pour l'hiver.", None)],
     90, "crowd21"),
    ("pedibus", "Le pédibus de Bellevue",
     "Des parents accompagnent à pied les enfants à l'école, chaque matin.",
     "jeunesse", True, [], 45, "crowd23"),
)  # fmt: skip
UPDATES = {
    "haies": ["Premier chantier : **40 bénévoles** et 150 plants en une matinée.",
              "Les mésanges sont déjà revenues. Prochain rendez-vous : l'arrosage."],
    "boite-livres": ["La cabine est repeinte par les enfants de l'école de la Roseraie."],
    "frigo": ["Trois commerçants ont déjà promis leurs invendus."],
    "jardin-tilleuls": ["Première récolte de courges, partagée lors d'un repas de quartier."],
    "repair": ["12 objets réparés dimanche, dont une machine à coudre de 1970."],
}  # fmt: skip
PHOTO_FOR = "haies"
# Where each one happens (a neighbourhood's slug), as its title and summary say.
PLACES = {
    "composteur": "les-tilleuls", "velos": "bellevue", "bancs": "le-port",
    "fontaine": "saint-jacques", "grainotheque": "centre-ville", "atelier-velo": "bellevue",
    "frigo": "centre-ville", "haies": "le-bourg-ancien", "boite-livres": "la-roseraie",
    "piscine": "les-hauts-de-loire", "navette": "le-bourg-ancien", "marche": "centre-ville",
    "jardin-tilleuls": "les-tilleuls", "courses": "la-roseraie", "repair": "le-port",
    "pedibus": "bellevue",
}  # fmt: skip


def _communities(ctx: Any) -> list[Community]:
    found = ctx.extra.get("communities")
    if isinstance(found, dict):
        found = list(found.values())
    return [c for c in (found or []) if isinstance(c, Community)]


def _answerer(community: Community | None, fallback: Member) -> Member:
    """A gardener of the community when there is one, else the staff agent."""
    if community is None:
        return fallback
    mandate = (
        db.session.execute(
            select(GardenerMandate)
            .where(GardenerMandate.community_id == community.id, GardenerMandate.in_office)
            .order_by(GardenerMandate.side.desc())  # the citizen gardener first
        )
        .scalars()
        .first()
    )
    return mandate.member if mandate is not None else fallback


def _demo_photo() -> stories.Photo:
    image = Image.new("RGB", (960, 640), (120, 170, 90))
    draw = ImageDraw.Draw(image)
    for x in range(0, 960, 60):
        draw.ellipse((x, 380 + (x % 120), x + 90, 520 + (x % 120)), fill=(40, 100, 50))
    draw.rectangle((0, 560, 960, 640), fill=(110, 80, 50))
    out = io.BytesIO()
    image.save(out, "PNG")
    out.seek(0)
    return stories.Photo(out, "haie.png")


def _theme_ids(ctx: Any, slug: str, rng: random.Random) -> list[int]:
    themes = list(ctx.themes.values())
    first = ctx.themes.get(slug) or themes[0]
    ids = [first.id]
    if rng.random() < 0.3:
        ids.append(rng.choice(themes).id)
    return list(dict.fromkeys(ids))


def seed(ctx: Any) -> None:
    rng = random.Random(4)  # noqa: S311 - demo data, not security
    now = utcnow()
    agent = ctx.members["agent"]
    communities = _communities(ctx)
    neighbourhoods = list(ctx.neighbourhoods.values())
    crowd = [m for k, m in ctx.members.items() if k.startswith("crowd")]
    made: dict[str, Initiative] = {}
    for index, (key, title, summary, theme, informal, path, age, author_key) in enumerate(
        SCENARIOS
    ):
        author = ctx.members.get(author_key) or ctx.members["habitant"]
        community = None
        if communities and index % 4 != 3:  # a quarter stay spontaneous
            # In the community of its theme; none of its theme: spontaneous too.
            matching = [c for c in communities if c.theme and c.theme.slug == theme]
            community = matching[0] if matching else None
        place = (
            ctx.neighbourhoods.get(PLACES.get(key, ""))
            or neighbourhoods[index % len(neighbourhoods)]
        )
        data = services.InitiativeData(
            title=title,
            summary=summary,
            description=f"{summary}\n\n**Pourquoi ?** Parce que le quartier en a besoin.",
            theme_ids=_theme_ids(ctx, theme, rng),
            neighbourhood_id=place.id,
            community=community.slug if community else None,
            needs=rng.sample(["des bras", "un local", "des outils", "un peu de budget",
                              "une autorisation", "des graines", "de la communication"], 2),
        )  # fmt: skip
        initiative = services.propose(author, data, informal=informal)
        created = now - timedelta(days=age, hours=rng.randint(0, 8))
        initiative.created_at = initiative.updated_at = created
        if not informal:
            initiative.awaiting_since = created
        for supporter in rng.sample(crowd, min(len(crowd), rng.randint(0, 14))):
            if supporter is not author:  # an author does not support her own idea
                backing.support(supporter, initiative)
        for helper in rng.sample(crowd, min(len(crowd), rng.randint(0, 4))):
            offer = rng.choice(["", "J'ai une voiture.", "Le samedi matin."])
            backing.volunteer(helper, initiative, offer)
        answerer = _answerer(community, agent)
        if answerer is author:  # a gardener never answers her own initiative
            answerer = agent
        first_answer = None
        for status, after, answer, reason in path:
            by_author = status == "withdrawn" or (informal and status == "under_review")
            actor = author if by_author else answerer
            change = lifecycle.change_status(actor, initiative, status, answer, reason)
            change.created_at = created + timedelta(days=after)
            if by_author and status == "under_review":
                initiative.awaiting_since = change.created_at  # asked for support
            elif not by_author and first_answer is None:
                first_answer = change.created_at
        initiative.answered_at = first_answer if initiative.awaiting_since else None
        for number, body in enumerate(UPDATES.get(key, [])):
            teller = author
            photo = _demo_photo() if key == PHOTO_FOR and number == 0 else None
            update = stories.post_update(teller, initiative, body, photo)
            update.created_at = min(now, created + timedelta(days=30 + 20 * number))
        made[key] = initiative
    db.session.flush()
    ctx.extra["initiatives"] = made
