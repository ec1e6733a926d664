"""The one search service forgives: accents, case, plurals, theme names and everyday words.

Runs on SQLite (FTS5) and, with TEST_DATABASE_URL, on PostgreSQL (tsvector, `terreau_fr`).
"""

from __future__ import annotations

import pytest

from community.communities.services import search_communities
from community.core import search
from community.extensions import db
from community.initiatives.queries import Filters, browse
from tests.factories import make_community, make_neighbourhood, make_theme
from tests.initiatives.factories import make_initiative


def names(q: str = "", **filters) -> set[str]:
    stmt = search_communities(q, **filters)
    return {c.name for c in db.session.execute(stmt).scalars()}


def titles(q: str) -> set[str]:
    return {i.title for i in db.session.execute(browse(Filters(q=q))).unique().scalars()}


@pytest.fixture
def town():
    food = make_theme("Alimentation")
    waste = make_theme("Déchets et réemploi")
    culture = make_theme("Culture")
    tilleuls, port = make_neighbourhood("Les Tilleuls"), make_neighbourhood("Le Port")
    make_community("Zéro déchet aux Tilleuls", theme=waste, neighbourhood=tilleuls,
                   description="Nous trions, nous compostons.")  # fmt: skip
    make_community("Potager partagé", theme=food, neighbourhood=port,
                   description="Des légumes pour tous.")  # fmt: skip
    make_community("Ciné-club", theme=culture, description="Un film par mois, pour toute la ville.")
    make_community("Lecture au Port", theme=culture, neighbourhood=port, description="Des livres.")
    return tilleuls, port


@pytest.mark.parametrize(
    "query, expected",
    [
        ("déchets", {"Zéro déchet aux Tilleuls"}),
        ("dechets", {"Zéro déchet aux Tilleuls"}),
        ("DÉCHET", {"Zéro déchet aux Tilleuls"}),
        ("zero", {"Zéro déchet aux Tilleuls"}),
        ("Zéro", {"Zéro déchet aux Tilleuls"}),
        ("compost", {"Zéro déchet aux Tilleuls"}),  # "compostons", by its stem
        ("alimentation", {"Potager partagé"}),  # the theme's name
        ("manger", {"Potager partagé"}),  # an everyday word for the theme
        ("légume", {"Potager partagé"}),
        ("potagers partagés", {"Potager partagé"}),
        ("pota", {"Potager partagé"}),  # the last word is a prefix
        ("culture port", {"Lecture au Port"}),  # every word must match
        ("film", {"Ciné-club"}),
        ("piscine", set()),
    ],
)
def test_search_forgives_accents_case_plurals_and_themes(town, query, expected) -> None:
    assert names(query) == expected


def test_a_neighbourhood_keeps_the_communities_of_the_whole_town(town) -> None:
    tilleuls, port = town
    assert names(neighbourhood_id=tilleuls.id) == {"Zéro déchet aux Tilleuls", "Ciné-club"}
    assert names("culture", neighbourhood_id=port.id) == {"Lecture au Port", "Ciné-club"}


@pytest.mark.parametrize(
    "query",
    ['"', '""', "*", "NEAR(", 'NEAR("a" "b", 2)', "a OR b NOT c", "déchet*", "^zero",
     "\x00", "zero\x00déchet", "x" * 100_000, "é" * 5000, "(((", "' OR 1=1 --", ":*", "&|!"],
)  # fmt: skip
def test_bad_input_never_breaks_the_search(town, client, query) -> None:
    db.session.execute(search_communities(query)).scalars().all()
    db.session.execute(browse(Filters(q=query))).unique().scalars().all()
    assert client.get("/communities", query_string={"q": query}).status_code == 200
    assert client.get("/initiatives", query_string={"q": query}).status_code == 200
    assert client.get("/api/v1/communities", query_string={"q": query}).status_code in (200, 422)
    assert client.get("/api/v1/initiatives", query_string={"q": query}).status_code in (200, 422)


def test_the_index_follows_edits_deletions_and_theme_renames(town) -> None:
    from community.communities.models import Community
    from community.territory.models import Theme

    cine = db.session.execute(db.select(Community).filter_by(name="Ciné-club")).scalar_one()
    cine.description = "Des courts métrages."
    db.session.flush()
    assert names("film") == set() and names("métrage") == {"Ciné-club"}
    theme = db.session.execute(db.select(Theme).filter_by(name="Culture")).scalar_one()
    theme.name = "Arts et spectacles"
    db.session.flush()
    assert names("spectacle") == {"Ciné-club", "Lecture au Port"}
    db.session.delete(cine)
    db.session.flush()
    assert names("spectacle") == {"Lecture au Port"}
    assert search.rebuild() >= 3
    assert names("spectacle") == {"Lecture au Port"}


def test_initiatives_are_found_the_same_way() -> None:
    waste = make_theme("Déchets et réemploi")
    make_initiative(title="Un composteur partagé", summary="Au pied des immeubles.", theme=waste)
    make_initiative(title="Réparer les vélos", summary="Un atelier.", theme=make_theme("Mobilité"))
    assert titles("composteurs") == {"Un composteur partagé"}
    assert titles("dechets") == {"Un composteur partagé"}
    assert titles("poubelle") == {"Un composteur partagé"}  # everyday word for the theme
    assert titles("reparer velo") == {"Réparer les vélos"}


def test_words_are_the_same_on_both_sides() -> None:
    assert search.words("Déchets") == search.words("dechet") == ["dechet"]
    assert search.words("Zéro") == search.words("zero")
    assert search.query_words("le " * 50 + "a\x00b") == ["b"]
    assert len(search.query_words("mot " * 500)) == search.MAX_WORDS


def test_postgresql_uses_french_with_unaccent_when_available() -> None:
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only (set TEST_DATABASE_URL)")
    assert search.unaccent_in_use(connection)
    stemmed = connection.exec_driver_sql("SELECT to_tsvector('terreau_fr', 'Déchets')").scalar()
    assert stemmed == "'dechet':1"


def test_the_demo_is_searchable_and_the_index_can_be_rebuilt(app) -> None:
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    found = names("dechets")
    assert found and names("manger")
    result = runner.invoke(args=["search-rebuild"])
    assert result.exit_code == 0 and "reconstruit" in result.output
    assert names("dechets") == found
