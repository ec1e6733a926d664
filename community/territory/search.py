"""The words a theme brings to search: its name and a few everyday words for it.

A person looking for a community about food types "manger", not "alimentation". Each entry
below lists the everyday words for a theme; it applies to every theme whose name holds the
key word (compared in the forgiving form of `community.core.search.words`, so "Déchets et
réemploi" matches "dechets"). The list is short on purpose: add a word when people are seen
looking for it. Themes not listed are found by their name only.
"""

from __future__ import annotations

from community.core.search import words
from community.territory.models import Theme

SYNONYMS: dict[str, str] = {
    "alimentation": "manger nourriture repas cuisine potager légumes fruits jardin",
    "biodiversité": "nature arbres plantes oiseaux insectes abeilles jardin",
    "déchets": "poubelle tri recyclage compost zéro déchet réparer",
    "réemploi": "réparer recyclerie occasion don troc",
    "solidarité": "entraide aide voisins partage",
    "mobilité": "vélo transport bus marche covoiturage",
    "culture": "musique théâtre lecture livres spectacle art",
    "énergie": "chauffage électricité économies isolation",
    "jeunesse": "jeunes enfants ados école",
    "santé": "soins bien-être sport",
    "bien-vieillir": "aînés personnes âgées seniors",
}

_BY_STEM = {stem: extra for key, extra in SYNONYMS.items() for stem in words(key)}


def theme_text(theme: Theme | None) -> str:
    """A theme's name followed by the everyday words for it."""
    if theme is None:
        return ""
    extra = [_BY_STEM[stem] for stem in dict.fromkeys(words(theme.name)) if stem in _BY_STEM]
    return " ".join([theme.name, *extra])
