"""Factories for questionnaires: written through the service, as a gardener would."""

from __future__ import annotations

from typing import Any

from community.extensions import db
from community.questionnaires import services
from community.questionnaires.models import Questionnaire
from tests.factories import make_community, make_member

QUESTIONS: list[dict[str, Any]] = [
    {
        "kind": "single",
        "label": "Avez-vous un jardin ?",
        "required": True,
        "options": ["Oui", "Non"],
    },
    {
        "kind": "single",
        "label": "Compostez-vous ?",
        "options": ["Oui", "Non"],
        "condition": {"question": 0, "option": 0},
    },
    {
        "kind": "long_text",
        "label": "Qu'est-ce qui vous aiderait ?",
        "condition": {"question": 1, "option": 1},
    },
    {"kind": "multiple", "label": "Quels jours ?", "options": ["Lundi", "Mercredi", "Samedi"]},
    {"kind": "scale", "label": "Votre intérêt, de 1 à 5"},
    {"kind": "number", "label": "Combien de personnes chez vous ?"},
    {"kind": "short_text", "label": "Un mot pour finir"},
]


def make_questionnaire(
    community: Any = None,
    *,
    gardener: Any = None,
    questions: list[dict[str, Any]] | None = None,
    status: str = "open",
    audience: str = "anyone",
    title: str = "Le compost du quartier",
) -> Questionnaire:
    if community is None:
        gardener = gardener or make_member()
        community = make_community(citizen=gardener)
    if gardener is None:
        gardener = make_member("staff")
    questionnaire = services.create_questionnaire(
        gardener,
        community,
        services.Details(title=title, intro="Quelques questions.", audience=audience),
        QUESTIONS if questions is None else questions,
    )
    if status in ("open", "closed"):
        services.open_questionnaire(gardener, questionnaire)
    if status == "closed":
        services.close_questionnaire(gardener, questionnaire)
    db.session.flush()
    return questionnaire


def q(questionnaire: Questionnaire, index: int) -> Any:
    return questionnaire.questions[index]


def opt(questionnaire: Questionnaire, index: int, option: int) -> int:
    return questionnaire.questions[index].options[option].id
