"""Pseudonyms nobody can pass off as someone else's, or as the platform's.

- **Look-alikes.** Unicode's confusables data (UTS #39, maintained in the
  `confusable_homoglyphs` package) lists the characters that look alike — a Cyrillic "М" and
  a Latin "M", a "0" and an "O", an "l" and an "I", a small capital "ʟ" and an "l". The
  skeleton of a pseudonym is its compatibility-normalised text, every character replaced by
  one representative of its look-alike class, then **transliterated** to Latin letters
  (`anyascii`: "Łukasz" is "Lukasz", "Ølaf" "Olaf", "Карим" "Karim", accents go) and
  case-folded: two pseudonyms that a reader could take for one another ("Karim", "Kärim",
  "Каrim" with a Cyrillic "К" and "а"; "Léa", "ʟéa") have the same skeleton. Look-alikes come
  first, so that a Cyrillic "Р" stays the "P" it looks like (transliterated, it would be an
  "R"). It is stored (`members.display_name_skeleton`, indexed), so that the check is one
  indexed lookup however many members there are.
- **Invisible characters.** A character that shows nothing ("Yanis" followed by a Hangul
  filler U+3164 renders as "Yanis") is refused: Unicode's Default_Ignorable_Code_Point
  property (read from the maintained `regex` module, which follows Unicode's
  DerivedCoreProperties), format, control, private-use and unassigned characters, separators
  other than the plain space, and the Braille blank U+2800 (a symbol that prints as a space).
- **Reserved names.** A pseudonym may not pass for the platform, its staff or the label shown
  for an erased account (`RESERVED_WORDS`, `RESERVED_ANYWHERE`, in French and English).
- **Role words.** A pseudonym may not hold, anywhere, a word that names a role on Terreau
  ("Karim agent", "Léa (modération)", "Porte-voix Yanis": `ROLE_WORDS`), whatever its case,
  accents and look-alike letters, nor its plural. Whole words only: "Delmaire" or "Magenta"
  stay free, "Le Maire" does not.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex
from anyascii import anyascii
from confusable_homoglyphs.utils import load

# Default_Ignorable_Code_Point (the Hangul fillers U+115F, U+1160, U+3164, U+FFA0, zero-width
# spaces and joiners, variation selectors, tags…), as the `regex` module's Unicode data has it.
_IGNORABLE = regex.compile(r"\p{Default_Ignorable_Code_Point}")
# Categories that show nothing a reader can see: control, format, unassigned, private use,
# surrogates, line and paragraph separators; space separators but the plain space.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cn", "Co", "Cs", "Zl", "Zp", "Zs"})
_BLANK_SYMBOLS = frozenset({"\u2800"})  # BRAILLE PATTERN BLANK: a symbol (So) printed blank

# A pseudonym made only of these words (and the small words that join them) passes for the
# platform or its people: "Admin", "Équipe de modération", "Mairie". Compared by skeleton.
RESERVED_WORDS = (
    "admin", "administrateur", "administratrice", "administration", "administrator",
    "moderateur", "moderatrice", "moderation", "moderator", "modo",
    "staff", "support", "equipe", "team", "systeme", "system", "officiel", "official",
    "mairie", "town hall", "anonyme", "anonymous", "jardinier", "jardiniere", "gardener",
)  # fmt: skip
_JOINING_WORDS = ("de", "la", "le", "les", "du", "des", "l", "d", "of", "the")
# Anywhere in a pseudonym: the platform's name, and the label shown in place of an erased
# account's name (templates: "deleted account" / "compte supprimé").
RESERVED_ANYWHERE = ("terreau", "compte supprimé", "deleted account")
# Words that name a role on Terreau: a pseudonym holding one of them (or its plural), as a
# word of its own anywhere in it, passes for someone the platform vouches for. The first
# spelling of each is the one said back to whoever typed it.
ROLE_WORDS = (
    "porte-voix", "ambassadeur", "ambassadrice", "agent", "technicien", "technicienne",
    "collectivité", "mairie", "maire", "jardinier", "jardinière", "modération", "modérateur",
    "modératrice", "administrateur", "administratrice", "admin", "staff", "modo",
    "ambassador", "gardener", "moderator", "administrator", "technician",
)  # fmt: skip
_LONGEST_ROLE = max(len(word) for word in ROLE_WORDS) + 1  # a plural's "s" included
_SEPARATORS = " .'-_’"
# Between two words of a name: anything that is not a letter, a digit or a mark, and where a
# small letter meets a capital ("LéaAdmin").
_WORD_BREAK = regex.compile(r"[^\p{L}\p{N}\p{M}]+|(?<=\p{Ll})(?=\p{Lu})")


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
    nothing: "Jean-Luc", "Jean Luc" and "JeanLuc" are one name to a reader; nor do accents,
    scripts and invisible characters: "Karim", "Kärim" and "Каrim" are one name)."""
    table = _prototypes()

    def look_alike(text: str) -> str:
        return "".join(
            table.get(char) or _small_capital(char)
            for char in text
            if char not in _SEPARATORS and visible(char)
        )

    # Compatibility forms first (a full-width "Ｍ" is an "M"), then look-alikes on the case
    # as written (a Cyrillic capital "М" looks like "M", its small letter not like "m"), then
    # every other letter in Latin letters, the case folded and the look-alikes of the small
    # letters (and of what transliteration wrote: a capital "I" is an "l").
    text = unicodedata.normalize("NFKC", name)
    text = _transliterated(look_alike(text)).casefold()
    return look_alike(text)[:80]


def _transliterated(text: str) -> str:
    """`text` in Latin letters without accents ("Łukasz" → "Lukasz", "Карим" → "Karim"); a
    character without a transliteration is kept (two different names must not both become
    empty)."""
    return "".join(anyascii(char) or char for char in text)


@lru_cache(maxsize=4096)
def _small_capital(char: str) -> str:
    """A small capital is its letter ("ʟ", LATIN LETTER SMALL CAPITAL L, is an "l"): read from
    the character's Unicode name, as confusables.txt leaves most of them out."""
    prefix = "LATIN LETTER SMALL CAPITAL "
    name = unicodedata.name(char, "")
    letter = name[len(prefix) :] if name.startswith(prefix) else ""
    return letter.lower() if len(letter) == 1 else char


def visible(char: str) -> bool:
    """Does `char` show something a reader sees (the plain space counts as visible)?"""
    if char == " ":
        return True
    return not (
        _IGNORABLE.match(char)
        or unicodedata.category(char) in _INVISIBLE_CATEGORIES
        or char in _BLANK_SYMBOLS
    )


def invisible_characters(name: str) -> list[str]:
    """The characters of `name` that show nothing, as U+XXXX (empty when there is none)."""
    return [f"U+{ord(char):04X}" for char in name if not visible(char)]


def _tokens(name: str) -> list[str]:
    """The words of `name`: split on anything that is not a letter, a digit or a mark, and
    where a small letter meets a capital ("LéaAdmin" is "Léa", "Admin")."""
    text = unicodedata.normalize("NFKC", name)
    return [word for word in _WORD_BREAK.split(text) if word]


def _key(text: str) -> str:
    """The skeleton of a reserved word or of a word of a name, with the letters that read
    alike in a word ("I", "l", "1" and "i") made one: "ADMIN", "Adm1n" and "admIn" meet."""
    return skeleton(text).replace("l", "i")


@lru_cache(maxsize=1)
def _reserved() -> tuple[frozenset[str], frozenset[str], tuple[str, ...], dict[str, str]]:
    words = frozenset(_key(word) for word in RESERVED_WORDS)
    joining = frozenset(_key(word) for word in _JOINING_WORDS)
    anywhere = tuple(_key(text) for text in RESERVED_ANYWHERE)
    roles: dict[str, str] = {}
    for word in ROLE_WORDS:
        key = _key(word)
        for form in (key, key + "s"):  # the plural: "Agents", "Modérateurs"
            roles.setdefault(form, word)
    return words, joining, anywhere, roles


def is_reserved(name: str) -> bool:
    """Does `name` pass for the platform, its people or an erased account ("Admin",
    "Équipe de modération", "Terreau officiel", "compte supprimé"), whatever its case,
    accents and look-alike letters?"""
    words, joining, anywhere, _roles = _reserved()
    whole = _key(name)
    if any(text in whole for text in anywhere):
        return True
    parts = [key for key in (_key(part) for part in _tokens(name)) if key]
    return (
        bool(parts)
        and any(p in words for p in parts)
        and all(p in words or p in joining for p in parts)
    )


def role_word(name: str) -> str | None:
    """The role word `name` holds as a word of its own ("Karim agent", "Léa (Modération)",
    "Porte voix Yanis", "Ad min"), whatever its case, accents and look-alike letters — as
    `ROLE_WORDS` spells it; None when it holds none. Consecutive words are read together too,
    so that spaces cannot split a role word."""
    _words, _joining, _anywhere, roles = _reserved()
    keys = [key for key in (_key(part) for part in _tokens(name)) if key]
    for start in range(len(keys)):
        joined = ""
        for key in keys[start:]:
            joined += key
            if joined in roles:
                return roles[joined]
            if len(joined) > _LONGEST_ROLE:
                break
    return None
