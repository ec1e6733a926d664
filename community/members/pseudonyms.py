"""Look-alike pseudonyms: the skeleton two names share when they can be confused.

Unicode's confusables data (UTS #39, maintained in the `confusable_homoglyphs` package) lists
the characters that look alike — a Cyrillic "М" and a Latin "M", a "0" and an "O", an "l"
and an "I". The skeleton of a pseudonym is its case-folded, compatibility-normalised text with
every character replaced by one representative of its look-alike class: two pseudonyms that
a reader cannot tell apart have the same skeleton. It is stored (`members.display_name_skeleton`,
indexed), so that the check is one indexed lookup however many members there are.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from confusable_homoglyphs.utils import load


@lru_cache(maxsize=1)
def _prototypes() -> dict[str, str]:
    """Each confusable character → its prototype, the character its look-alikes are written
    with (UTS #39's confusables.txt). The package's data lists, for a source, its prototype,
    and for a prototype, all its sources; when two characters only name each other, the
    ASCII one (else the smaller) stands for both. One hop only: look-alike is not transitive."""
    data = load("confusables.json")
    table: dict[str, str] = {}
    for source, homoglyphs in data.items():
        glyphs = [glyph["c"] for glyph in homoglyphs]
        if len(source) != 1 or len(glyphs) != 1 or len(glyphs[0]) != 1:
            continue  # a prototype (many sources), or a sequence
        target = glyphs[0]
        if len(data.get(target, [])) == 1:  # two characters naming each other
            target = min((source, target), key=lambda c: (not c.isascii(), c))
        if target != source:
            table[source] = target
    return table


def skeleton(name: str) -> str:
    """The look-alike skeleton of a pseudonym (spaces, dots, dashes and apostrophes count as
    nothing: "Jean-Luc", "Jean Luc" and "JeanLuc" are one name to a reader; accents count:
    "Léa" and "Lea" are two names)."""
    table = _prototypes()

    def look_alike(text: str) -> str:
        return "".join(table.get(char, char) for char in text if char not in " .'-_’")

    # Compatibility forms first (a full-width "Ｍ" is an "M"), then look-alikes on the case
    # as written (a Cyrillic capital "М" looks like "M", its small letter not like "m"),
    # then the case folded and the look-alikes of the small letters.
    text = unicodedata.normalize("NFKC", name)
    text = look_alike(text).casefold()
    return unicodedata.normalize("NFC", look_alike(text))[:80]
