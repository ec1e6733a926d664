"""A pseudonym often ends with a full stop ("Chloé M."): a sentence never puts another one
right after it ("Proposée par Chloé M.."). Every translated text that takes a pseudonym
(a placeholder given a `display_name`) either goes on after the name without a stop, or ends
on it without its own stop and leaves the stop to the `full_stop` filter (`core.text`), which
adds one only when the name has none."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from community.core.text import full_stop

ROOT = Path(__file__).resolve().parents[2]
CALL = re.compile(r"(?<![\w.])(?:_|_l|gettext|lazy_gettext)\(")
STRING = re.compile(r"""\s*(?P<q>["'])(?P<s>(?:\\.|(?!(?P=q)).)*)(?P=q)""", re.S)


def _arguments(source: str, start: int) -> str:
    """The text between the parenthesis at `start` - 1 and its match (quotes respected)."""
    depth, i, quote = 1, start, ""
    while i < len(source) and depth:
        char = source[i]
        if quote:
            if char == "\\":
                i += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        i += 1
    return source[start : i - 1]


def _top_level(arguments: str) -> list[str]:
    parts, depth, quote, current = [], 0, "", ""
    for i, char in enumerate(arguments):
        if quote:
            if char == quote and arguments[i - 1] != "\\":
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        current += char
    return [*parts, current]


def named_texts() -> dict[str, set[str]]:
    """Each msgid that takes a pseudonym, with the placeholders that hold one."""
    found: dict[str, set[str]] = {}
    files = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("templates/**/*.txt")]
    files += [p for p in ROOT.glob("community/**/*.py")]
    for path in files:
        source = path.read_text(encoding="utf-8")
        for call in CALL.finditer(source):
            arguments = _arguments(source, call.end())
            literal = STRING.match(arguments)
            if literal is None:
                continue
            # Implicitly joined literals ("a" "b") in Python.
            msgid, rest = "", arguments
            while (piece := STRING.match(rest)) is not None:
                msgid += piece.group("s")
                rest = rest[piece.end() :]
            for part in _top_level(rest)[1:]:
                key, _sep, value = part.partition("=")
                if _sep and "display_name" in value:
                    found.setdefault(msgid.replace('\\"', '"'), set()).add(key.strip())
    return found


def test_the_scan_finds_the_texts_that_take_a_pseudonym() -> None:
    texts = named_texts()
    assert "Proposed by %(name)s" in texts and texts["Proposed by %(name)s"] == {"name"}
    assert len(texts) > 20


def test_no_full_stop_right_after_a_pseudonym() -> None:
    texts = named_texts()
    french: dict[str, list[str]] = {}
    for path in ROOT.glob("community/*/translations/fr/LC_MESSAGES/messages.po"):
        with path.open("rb") as handle:
            for message in read_po(handle, locale="fr"):
                if isinstance(message.id, str) and isinstance(message.string, str):
                    french.setdefault(message.id, []).append(message.string)
    bad = sorted(
        {
            f"{msgid!r} → {text!r}"
            for msgid, keys in texts.items()
            for key in keys
            for text in (msgid, *french.get(msgid, []))
            if re.search(r"%\(" + key + r"\)s\.", text)
        }
    )
    assert not bad, "a stop after a pseudonym doubles the one it may end with:\n" + "\n".join(bad)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Proposée par Chloé M.", "Proposée par Chloé M."),
        ("Proposée par Chloé", "Proposée par Chloé."),
        ("Demandé par Jo !", "Demandé par Jo !"),
        ("Écrit par Zoé…", "Écrit par Zoé…"),
        ("Entre Ana et Bob?", "Entre Ana et Bob?"),
        ("Par Ana ", "Par Ana."),
    ],
)
def test_full_stop_adds_one_only_when_needed(text: str, expected: str) -> None:
    assert full_stop(text) == expected
