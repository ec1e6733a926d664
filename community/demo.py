"""Demo data: a believable commune, its people and what they do (`flask seed-demo`).

Each domain adds its own objects through a `demo.seed(ctx)` function listed in `SEEDERS`;
`ctx` carries what earlier seeders created (members by key, themes and neighbourhoods by slug).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from sqlalchemy import func, select

from community.core.mail import held
from community.extensions import db
from community.members.models import Member

DEMO_PASSWORD = "terreau-demo"  # noqa: S105 - documented demo password, refused in production
# Modules with a `seed(ctx)` function, run in this order.
SEEDERS = (
    "territory.demo",
    "members.demo",
    "communities.demo",
    "ambassadors.demo",
    "initiatives.demo",
    "events.demo",
    "threads.demo",
    "solidarity.demo",
    "questionnaires.demo",
    "moderation.demo",
    "notifications.demo",
)


@dataclass
class DemoContext:
    members: dict[str, Member] = field(default_factory=dict)
    themes: dict[str, Any] = field(default_factory=dict)
    neighbourhoods: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


DEMO_ACCOUNTS = (
    ("admin@demo.terreau.fr", "admin", "Administratrice (Claire)"),
    ("agent@demo.terreau.fr", "staff", "Agent, jardinier côté collectivité (Karim)"),
    ("jardinier@demo.terreau.fr", "citizen", "Jardinière côté habitants (Maryse)"),
    ("porte-voix@demo.terreau.fr", "citizen", "Porte-voix (Yanis)"),
    ("habitant@demo.terreau.fr", "citizen", "Habitante (Léa)"),
)


def database_is_empty() -> bool:
    return db.session.execute(select(func.count(Member.id))).scalar_one() == 0


def seed_demo() -> DemoContext:
    """Fill an empty database with the demo commune. The caller commits. Its people are made
    up: what it does mails nobody (`core.mail.held`)."""
    ctx = DemoContext()
    with held():
        for name in SEEDERS:
            import_module(f"community.{name}").seed(ctx)
            db.session.flush()
    return ctx
