"""Demo mutual help and signals: enough, unevenly spread, that the observatory shows both
published cells and hidden ones."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from community.core.models import utcnow
from community.solidarity import services
from community.solidarity.services import Place

OFFER_TEXTS = (
    "Je peux faire des courses le samedi matin.",
    "Aide pour remplir des papiers administratifs.",
    "Je peux accompagner à un rendez-vous médical en voiture.",
    "Petits travaux de bricolage, changer une ampoule, monter un meuble.",
    "Une visite et un café pour celles et ceux qui se sentent seuls.",
    "Arroser les plantes pendant les vacances.",
)
REQUEST_TEXTS = (
    "Je ne peux plus porter mes courses depuis mon opération.",
    "J'aurais besoin d'aide pour un dossier de la CAF.",
    "Quelqu'un pourrait-il m'emmener à l'hôpital jeudi ?",
    "Mon robinet fuit et je ne sais pas le réparer.",
    "Je me sens un peu seule le dimanche, une visite me ferait plaisir.",
)
SIGNAL_TEXTS = {
    "neighbour_help": "Des voisins font les courses pour une personne âgée de la résidence.",
    "informal_group": "Un groupe de parents organise le covoiturage vers l'école.",
    "association": "Une petite association répare des vélos au pied des immeubles.",
    "solidarity_shop": "L'épicerie du coin garde des paniers à prix libre.",
    "other": "Une boîte à dons devant la médiathèque est toujours bien remplie.",
}

# (theme slug, neighbourhood slug, offers, requests) — a few large cells, many small ones.
HELP = (
    ("solidarite", "la-roseraie", 7, 15),
    ("alimentation", "les-tilleuls", 6, 5),
    ("sante-et-bien-vieillir", "centre-ville", 5, 6),
    ("solidarite", "centre-ville", 5, 2),
    ("mobilite", "bellevue", 2, 3),
    ("sante-et-bien-vieillir", "saint-jacques", 0, 3),
    ("jeunesse", "le-port", 1, 1),
    ("culture", "bellevue", 3, 0),
    ("solidarite", "bellevue", 6, 7),
    ("alimentation", "la-roseraie", 0, 6),
    ("alimentation", "bellevue", 0, 5),
)
# (theme slug, neighbourhood slug, how many signals)
SIGNALS = (
    ("solidarite", "la-roseraie", 6),
    ("sante-et-bien-vieillir", "saint-jacques", 5),
    ("solidarite", "les-hauts-de-loire", 2),
    ("alimentation", "le-port", 3),
    ("jeunesse", "bellevue", 1),
    ("dechets-et-reemploi", "le-bourg-ancien", 2),
)


def seed(ctx: Any) -> None:
    rng = random.Random(7)  # noqa: S311 - demo data, not security
    now = utcnow()
    crowd = [ctx.members[f"crowd{i}"] for i in range(3, 41)]
    made: dict[str, list[Any]] = {"offers": [], "requests": [], "signals": []}
    helpers: dict[tuple[str, str], list[Any]] = {}

    for theme, place, offers, requests in HELP:
        where = Place(ctx.themes[theme].id, ctx.neighbourhoods[place].id)
        for index in range(offers):
            author = crowd[(len(made["offers"]) * 7) % len(crowd)]
            offer = services.create_offer(
                author, where, OFFER_TEXTS[index % len(OFFER_TEXTS)], "en semaine le soir"
            )
            offer.created_at = now - timedelta(days=rng.randint(5, 300))
            made["offers"].append(offer)
            helpers.setdefault((theme, place), []).append(author)
        for index in range(requests):
            author = crowd[(len(made["requests"]) * 5 + 3) % len(crowd)]
            when = now - timedelta(days=rng.randint(1, 50))
            request = services.create_request(
                author, where, REQUEST_TEXTS[index % len(REQUEST_TEXTS)], now=when
            )
            made["requests"].append(request)
            candidates = [h for h in helpers.get((theme, place), []) if h is not author]
            if candidates and index % 3 == 0:
                proposal = services.propose_help(candidates[0], request, "Avec plaisir !", now=when)
                services.accept_proposal(author, proposal, now=when + timedelta(hours=5))
                services.send_exchange_message(
                    candidates[0], proposal, "Bonjour, je passe demain à 10 h ?"
                )
                services.send_exchange_message(author, proposal, "Parfait, merci beaucoup.")
                if index % 2 == 0:
                    services.mark_done(author, proposal, now=when + timedelta(days=2))
            elif candidates and index % 3 == 1:
                services.propose_help(
                    candidates[-1], request, "Je peux passer en fin de journée.", now=when
                )

    # The demo accounts: Léa asks for help; Maryse (gardener of an alimentation community)
    # sees it; Yanis records a request on behalf of someone he met at the market.
    lea, maryse = ctx.members["habitant"], ctx.members["jardinier"]
    tilleuls = Place(ctx.themes["alimentation"].id, ctx.neighbourhoods["les-tilleuls"].id)
    made["requests"].append(
        services.create_request(
            lea, tilleuls, "Je cherche quelqu'un pour m'apprendre à faire des conserves."
        )
    )
    services.create_offer(
        maryse, tilleuls, "Je peux aider au jardin partagé et au compost.", "le mercredi"
    )
    go_between = ctx.members["porte-voix"]
    if services.permissions.is_go_between(go_between):
        made["requests"].append(
            services.create_request(
                go_between,
                Place(ctx.themes["solidarite"].id, ctx.neighbourhoods["la-roseraie"].id),
                "Une dame rencontrée au marché aurait besoin d'aide pour ses courses du mardi.",
                on_behalf=True,
                oral_consent=True,
            )
        )

    for theme, place, count in SIGNALS:
        where = Place(ctx.themes[theme].id, ctx.neighbourhoods[place].id)
        for index in range(count):
            kind = list(SIGNAL_TEXTS)[(index + len(place)) % len(SIGNAL_TEXTS)]
            signal = services.record_signal(
                crowd[(index * 11 + len(theme)) % len(crowd)],
                where,
                kind,
                rng.randint(2, 15),
                "via_ambassador" if index % 2 else "no",
                SIGNAL_TEXTS[kind],
            )
            signal.created_at = now - timedelta(days=rng.randint(3, 330))
            made["signals"].append(signal)
    ctx.extra["solidarity"] = made
