"""Demo members: the five documented accounts and a crowd of inhabitants with French names."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from community.auth.passwords import hash_password
from community.core.models import utcnow
from community.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from community.extensions import db
from community.members.models import Member

CROWD = (
    "Amina B.", "Bernard L.", "Chloé M.", "Djibril S.", "Élodie R.", "Fatou D.", "Gérard P.",
    "Hélène V.", "Ibrahim K.", "Jeanne T.", "Kevin F.", "Louise G.", "Mehdi A.", "Nathalie C.",
    "Olivier N.", "Pauline H.", "Quentin J.", "Rachida E.", "Sébastien O.", "Thérèse W.",
    "Ulysse Z.", "Valérie Q.", "William X.", "Yasmine I.", "Zoé U.", "Antoine B.", "Brigitte M.",
    "Cédric L.", "Dominique R.", "Estelle P.", "Francis V.", "Gaëlle T.", "Hugo D.", "Inès S.",
    "Jacques F.", "Karima N.", "Lucien G.", "Manon H.", "Noé C.", "Odile A.",
)  # fmt: skip
SKILLS = (
    "cuisine", "réparation de vélos", "jardinage", "couture", "bricolage", "informatique",
    "accompagnement administratif", "langue arabe", "langue portugaise", "animation d'ateliers",
    "compostage", "premiers secours", "photographie", "musique",
)  # fmt: skip


def seed(ctx: Any) -> None:
    rng = random.Random(42)  # noqa: S311 - demo data, not security
    password_hash = hash_password(DEMO_PASSWORD)  # one hash for all: argon2 is slow on purpose
    now = utcnow()
    neighbourhoods = list(ctx.neighbourhoods.values())
    themes = list(ctx.themes.values())
    pseudonyms = ("Claire (mairie)", "Karim (agent)", "Maryse", "Yanis", "Léa")
    bios = (
        "Administratrice de la plateforme pour la commune.",
        "Agent du service transition écologique, jardinier côté collectivité.",
        "Retraitée, compostage et jardins partagés aux Tilleuls.",
        "Je vais à la rencontre des habitants au marché du samedi.",
        "Habitante de la Roseraie, curieuse de tout.",
    )
    for index, (email, role, _label) in enumerate(DEMO_ACCOUNTS):
        key = email.split("@")[0]
        member = Member(
            email=email,
            display_name=pseudonyms[index],
            display_name_key=pseudonyms[index].casefold(),
            password_hash=password_hash,
            role=role,
            neighbourhood=neighbourhoods[index % len(neighbourhoods)],
            bio=bios[index],
            skills=rng.sample(SKILLS, 2),
            themes=rng.sample(themes, 2),
            email_confirmed_at=now,
            created_at=now - timedelta(days=200 - index),
        )
        db.session.add(member)
        ctx.members[key] = member
    for index, name in enumerate(CROWD):
        # Uneven spread: some neighbourhoods are reached far less than others.
        weights = [8, 6, 5, 4, 3, 2, 1, 1][: len(neighbourhoods)]
        neighbourhood = rng.choices(neighbourhoods, weights=weights)[0]
        member = Member(
            email=f"habitant{index + 1}@demo.terreau.fr",
            display_name=name,
            display_name_key=name.casefold(),
            password_hash=password_hash,
            role="staff" if index in (0, 1) else "citizen",
            neighbourhood=neighbourhood,
            skills=rng.sample(SKILLS, rng.randint(0, 3)),
            themes=rng.sample(themes, rng.randint(1, 3)),
            email_confirmed_at=now,
            created_at=now - timedelta(days=rng.randint(1, 365)),
        )
        db.session.add(member)
        ctx.members[f"crowd{index + 1}"] = member
