"""Names come in the order a French reader expects: accents and case set aside first."""

from __future__ import annotations

from sqlalchemy import select

from community.communities.models import Community
from community.core.database import natural, natural_key
from community.extensions import db
from community.territory.services import active_themes
from tests.factories import make_community, make_theme


def test_accented_initials_sort_with_their_letter():
    for name in ("Solidarité", "Énergie", "alimentation", "Eau", "Zéro déchet", "Élevage"):
        make_theme(name)
    db.session.flush()
    names = [t.name for t in active_themes()]
    assert names == ["alimentation", "Eau", "Élevage", "Énergie", "Solidarité", "Zéro déchet"]


def test_a_paginated_list_is_ordered_by_the_database_the_same_way():
    for name in ("Voisins", "Énergie partagée", "ateliers", "Eau claire"):
        make_community(name)
    db.session.flush()
    rows = db.session.execute(select(Community.name).order_by(natural(Community.name)))
    names = [name for (name,) in rows]
    assert names == sorted(names, key=natural_key)
    assert names.index("Énergie partagée") < names.index("Voisins")
