"""Demo questionnaires of "Compost et jardins des Tilleuls": one open, answered on the web, on
paper and through the ambassador; one closed, with its results and its follow-up."""

from __future__ import annotations

import random
from typing import Any

from community.questionnaires import answering, services
from community.questionnaires.answering import Given

OPEN_QUESTIONS: list[dict[str, Any]] = [
    {"kind": "single", "label": "Avez-vous un jardin ou un balcon ?", "required": True,
     "options": ["Oui", "Non"]},
    {"kind": "single", "label": "Faites-vous déjà du compost ?", "options": ["Oui", "Non"],
     "condition": {"question": 0, "option": 0}},
    {"kind": "long_text", "label": "Qu'est-ce qui vous aiderait à commencer ?",
     "condition": {"question": 1, "option": 1}},
    {"kind": "multiple", "label": "Quand pourriez-vous apporter vos déchets ?",
     "options": ["En semaine", "Le samedi", "Le dimanche"]},
    {"kind": "scale", "label": "Un composteur au pied de l'immeuble, ça vous tente ?"},
    {"kind": "short_text", "label": "Un mot pour l'équipe"},
]  # fmt: skip

CLOSED_QUESTIONS: list[dict[str, Any]] = [
    {"kind": "single", "label": "Viendrez-vous au troc de graines ?", "required": True,
     "options": ["Oui", "Peut-être", "Non"]},
    {"kind": "multiple", "label": "Qu'aimeriez-vous y trouver ?",
     "options": ["Graines de légumes", "Fleurs", "Plants", "Conseils"]},
    {"kind": "scale", "label": "Le samedi matin vous convient-il ?"},
]  # fmt: skip

FOLLOW_UP = (
    "Merci aux 26 personnes qui ont répondu ! Vous étiez nombreux à vouloir des **plants** et "
    "des **conseils** : le troc aura lieu le samedi 12 avril, de 10 h à 12 h, au jardin des "
    "Tilleuls, avec une table de conseils tenue par deux jardiniers du quartier."
)


def _answer_open(rng: random.Random, questionnaire: Any) -> dict[int, Given]:
    q = questionnaire.questions
    garden = rng.random() < 0.7
    given = {q[0].id: Given([q[0].options[0 if garden else 1].id])}
    if garden:
        composts = rng.random() < 0.4
        given[q[1].id] = Given([q[1].options[0 if composts else 1].id])
        if not composts and rng.random() < 0.5:
            given[q[2].id] = Given(
                text=rng.choice(["Un bac près de l'école.", "Savoir comment faire."])
            )
    given[q[3].id] = Given(rng.sample([o.id for o in q[3].options], rng.randint(1, 2)))
    given[q[4].id] = Given(value=rng.choice([2, 3, 4, 4, 5, 5]))
    return given


def _answer_closed(rng: random.Random, questionnaire: Any) -> dict[int, Given]:
    q = questionnaire.questions
    return {
        q[0].id: Given([rng.choice(q[0].options).id]),
        q[1].id: Given(rng.sample([o.id for o in q[1].options], rng.randint(1, 3))),
        q[2].id: Given(value=rng.choice([3, 4, 4, 5])),
    }


def seed(ctx: Any) -> None:
    rng = random.Random(15)  # noqa: S311 - demo data, not security
    gardener, yanis = ctx.members["jardinier"], ctx.members["porte-voix"]
    compost = ctx.extra["communities"]["compost-tilleuls"]
    places = [ctx.neighbourhoods[s].id for s in ("les-tilleuls", "la-roseraie", "bellevue")]
    crowd = [ctx.members[f"crowd{i}"] for i in range(3, 13)]

    def place() -> int | None:
        return rng.choice([*places, places[0], places[0], None])

    # Closed, with results and a follow-up.
    seeds = services.create_questionnaire(
        gardener,
        compost,
        services.Details(
            title="Le troc de graines du printemps",
            intro="Aidez-nous à préparer le troc de graines : trois questions, une minute.",
        ),
        CLOSED_QUESTIONS,
    )
    services.open_questionnaire(gardener, seeds)
    for n in range(26):
        member = crowd[n] if n < len(crowd) else None
        channel = "web" if n < 18 else ("paper" if n < 22 else "ambassador")
        answering.submit_response(
            member if channel == "web" else (gardener if channel == "paper" else yanis),
            seeds,
            _answer_closed(rng, seeds),
            channel=channel,
            neighbourhood_id=place(),
            consent=channel == "ambassador",
            browser_token=f"demo-browser-seeds-{n:03d}" if channel == "web" else None,
        )
    services.close_questionnaire(gardener, seeds)
    services.publish_follow_up(gardener, seeds, FOLLOW_UP)

    # Open, answered on the web, on paper (typed in by the gardener) and by the ambassador.
    compost_q = services.create_questionnaire(
        gardener,
        compost,
        services.Details(
            title="Un composteur près de chez vous ?",
            intro="Nous voulons installer de nouveaux composteurs. Où, quand, pour qui ? "
            "Dites-nous en deux minutes, sans compte.",
        ),
        OPEN_QUESTIONS,
    )
    services.open_questionnaire(gardener, compost_q)
    for n in range(24):
        channel = "web" if n < 14 else ("paper" if n < 19 else "ambassador")
        actor = None if channel == "web" else (gardener if channel == "paper" else yanis)
        answering.submit_response(
            actor,
            compost_q,
            _answer_open(rng, compost_q),
            channel=channel,
            neighbourhood_id=place(),
            consent=channel == "ambassador",
            browser_token=f"demo-browser-compost-{n:03d}" if channel == "web" else None,
        )
