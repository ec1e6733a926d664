"""Demo notifications: the demo accounts find some news, read and unread, when they log in."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app

from community.core.models import utcnow
from community.extensions import db
from community.notifications import services


def seed(ctx: Any) -> None:
    with current_app.test_request_context("/"):
        _seed(ctx)


def _seed(ctx: Any) -> None:
    members = ctx.members
    now = utcnow()
    news = [
        (
            "habitant",
            "reply",
            "Maryse a répondu à votre message sur le compost partagé.",
            "/",
            2,
            False,
        ),
        (
            "habitant",
            "initiative_status",
            "Votre initiative « Boîte à livres de la Roseraie » est acceptée par la commune.",
            "/",
            30,
            False,
        ),
        (
            "habitant",
            "membership",
            "Votre demande pour rejoindre « Jardins partagés » est acceptée.",
            "/",
            60 * 26,
            True,
        ),
        (
            "jardinier",
            "overdue",
            "Une initiative de votre communauté attend une réponse depuis plus de 30 jours.",
            "/",
            60 * 5,
            False,
        ),
        (
            "jardinier",
            "gardener",
            "Vous êtes nommée jardinière citoyenne de la communauté.",
            "/",
            60 * 24 * 20,
            True,
        ),
        (
            "porte-voix",
            "invitation",
            "Djibril S. a rejoint Terreau grâce à votre lien d'invitation.",
            "/",
            60 * 3,
            False,
        ),
        (
            "porte-voix",
            "ambassador",
            "Vous êtes nommé porte-voix de votre quartier.",
            "/",
            60 * 24 * 40,
            True,
        ),
        (
            "agent",
            "handover",
            "Une note de passation vous attend pour la communauté Alimentation.",
            "/",
            60 * 24,
            False,
        ),
    ]
    for key, kind, text, url, minutes_ago, read in news:
        member = members[key]
        notification = services.notify(member, kind, text, url, actor=None)
        assert notification is not None
        notification.created_at = now - timedelta(minutes=minutes_ago)
        if read:
            notification.read_at = notification.created_at + timedelta(hours=1)
    # Different e-mail choices (the default is a daily digest).
    services.set_email_frequency(members["agent"], "weekly")
    services.set_email_frequency(members["crowd1"], "none")
    db.session.flush()
