"""Plain French stays true: every French catalog string is checked for readability and jargon.

The score is the French Flesch reading ease of Kandel and Moles, from `textstat` with
``set_lang("fr")``: 207 − 1.015 × (words per sentence) − 73.6 × (syllables per word). It is
noisy on a few words, so only texts of `MIN_WORDS` words or more are scored; every text must
also avoid the point médian, a few words of jargon, and sentences longer than `MAX_SENTENCE`
words. The thresholds pass today's catalogs and fail a long administrative sentence (below).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import pytest


@functools.cache
def _textstat() -> Any:
    """Imported when a score is asked for: the import takes seconds, paid by the one pytest
    worker that runs these tests instead of by every worker at collection."""
    return pytest.importorskip("textstat")


ROOT = Path(__file__).resolve().parents[2]
MIN_WORDS = 12
MIN_SCORE = 45  # Kandel–Moles; today's lowest is about 50, plain speech is 60 and above
MAX_SENTENCE = 25  # words
# Words an inhabitant does not use; say "journal de terrain", "les deux jardiniers",
# "mise en forme simple", "porte-voix depuis…", "note pour la suite", "caché", "état",
# "entraides repérées", "en général, la réponse arrive en…" instead. "Carnet de rencontres"
# reads as a list of the rencontres (the events): an ambassador's outings are her "journal
# de terrain".
JARGON = (
    "aller-vers",
    "carnet de rencontres",
    "délai médian",
    "binôme",
    "markdown",
    "mandat",
    "passation",
    "masqu",  # masqué, masquer, masquée
    "statut",
    "signaux de solidarité",
)
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]+\}")
SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")


def french_strings() -> list[tuple[str, str]]:
    from babel.messages.pofile import read_po

    found = []
    for path in sorted(ROOT.glob("community/*/translations/fr/LC_MESSAGES/messages.po")):
        with path.open("rb") as handle:
            for message in read_po(handle, locale="fr"):
                if not message.id:
                    continue
                strings = message.string if isinstance(message.string, tuple) else [message.string]
                found.extend((path.parts[-5], s) for s in strings if s)
    return found


def problems(text: str) -> list[str]:
    """What makes a French interface text hard to read (empty when it reads plainly)."""
    textstat = _textstat()
    textstat.set_lang("fr")
    found = []
    if "·" in text:
        found.append("point médian")
    lowered = text.casefold()
    found += [f"jargon « {word} »" for word in JARGON if word in lowered]
    plain = PLACEHOLDER.sub("X", text)
    for sentence in SENTENCE_END.split(plain):
        if len(sentence.split()) > MAX_SENTENCE:
            found.append(f"sentence of {len(sentence.split())} words")
    if len(plain.split()) >= MIN_WORDS:
        score = textstat.flesch_reading_ease(plain)
        if score < MIN_SCORE:
            found.append(f"readability {score:.0f} < {MIN_SCORE}")
    return found


def test_every_french_string_reads_plainly() -> None:
    strings = french_strings()
    assert len(strings) > 500  # the catalogs were read
    bad = [
        f"{domain}: {text!r}: {', '.join(p)}" for domain, text in strings if (p := problems(text))
    ]
    assert not bad, "\n".join(bad)


# A sentence does not stop on a word that announces another ("s'inscrire avec"): a
# translation cut short. Only these labels do, since a value follows them on the page.
DANGLING = {
    *("à", "au", "aux", "avec", "chez", "dans", "de", "des", "du", "en", "et", "la", "le"),
    *("les", "ou", "par", "pour", "que", "qui", "sans", "sur", "un", "une", "vers"),
}
LABELS_BEFORE_A_VALUE = {"Answer expected by", "Declared by", "Proposed by", "Received"}


def test_no_french_string_is_cut_short() -> None:
    from babel.messages.pofile import read_po

    cut = []
    for path in sorted(ROOT.glob("community/*/translations/fr/LC_MESSAGES/messages.po")):
        with path.open("rb") as handle:
            for message in read_po(handle, locale="fr"):
                ident = message.id if isinstance(message.id, str) else (message.id or [""])[0]
                if not ident or ident in LABELS_BEFORE_A_VALUE:
                    continue
                strings = message.string if isinstance(message.string, tuple) else [message.string]
                for text in strings:
                    words = (text or "").split()
                    if words and (words[-1].casefold() in DANGLING or words[-1].endswith("'")):
                        cut.append(f"{path.parts[-5]}: {text!r}")
    assert not cut, "\n".join(cut)


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Le dispositif de mutualisation des ressources territoriales permet aux acteurs "
            "institutionnels de coordonner leurs interventions transversales dans une logique "
            "de co-construction partenariale.",
            "readability",
        ),
        ("Rester connecté·e sur cet appareil", "point médian"),
        ("Binôme incomplet", "jargon"),
        ("Mon journal d'aller-vers", "jargon"),
        ("Mon carnet de rencontres", "jargon"),
        ("Délai médian d'une première réponse", "jargon"),
        ("Le format Markdown est accepté.", "jargon"),
        ("Mettre fin à mon mandat", "jargon"),
        ("Note de passation", "jargon"),
        ("message masqué par la modération", "jargon"),
        ("Nouveau statut", "jargon"),
        ("Signaux de solidarité", "jargon"),
        (" ".join(["Nous venons"] * 14) + ".", "sentence of"),
    ],
)
def test_the_check_catches_hard_french(text: str, expected: str) -> None:
    assert any(expected in p for p in problems(text)), problems(text)


@pytest.mark.parametrize(
    "text",
    [
        "Rejoignez la communauté pour participer à cette discussion.",
        "Votre demande est envoyée. Ses jardiniers vont vous répondre. Une notification vous "
        "préviendra.",
        "Chaque communauté a un thème : manger, nature, déchets, entraide… Deux jardiniers "
        "l'animent : un agent de la commune et un habitant.",
    ],
)
def test_the_check_lets_plain_french_through(text: str) -> None:
    assert problems(text) == []


# One person who gardens is "jardinier ou jardinière" (or the role is named without her:
# "côté habitants", "côté collectivité"), never "jardinier" alone, which a woman reads as
# not meant for her; "jardiniers" (the two of the pair, a group) stays.
LONE_GARDENER = re.compile(
    r"\bjardinier\b(?! ou (?:une |la )?jardinière)|\bjardinier (?:citoyen|technicien)", re.I
)


def test_one_gardener_is_named_for_everyone() -> None:
    lone = [(domain, text) for domain, text in french_strings() if LONE_GARDENER.search(text)]
    assert lone == [], "\n".join(f"{d}: {t}" for d, t in lone)


@pytest.mark.parametrize(
    ("text", "lone"),
    [
        ("Vous êtes désormais jardinier citoyen de Haies.", True),
        ("Seul le jardinier en place écrit cette note.", True),
        ("Un jardinier ou une jardinière accueille les membres.", False),
        ("Les deux jardiniers répondent.", False),
    ],
)
def test_the_gardener_check_catches_a_lone_gardener(text: str, lone: bool) -> None:
    assert bool(LONE_GARDENER.search(text)) is lone
