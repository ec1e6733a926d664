"""Every box one types into is styled, whatever its type (usability walk at 360 px: the
"Nom du lien (facultatif)" box of /ambassadors had no `type`, missed the styling and was 21 px
high instead of 44)."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

from flask_wtf import FlaskForm

import community

ROOT = Path(__file__).resolve().parents[2]
NOT_TYPED_INTO = {"hidden", "checkbox", "radio", "submit", "button", "file", "image", "reset"}


def _styled_types() -> set[str]:
    css = (ROOT / "static" / "css" / "terreau.css").read_text()
    rule = next(line for line in css.splitlines() if line.startswith("input:not([type])"))
    return set(re.findall(r'input\[type="([a-z-]+)"\]', rule))


def _template_inputs() -> list[tuple[str, str]]:
    found = []
    for path in (ROOT / "templates").rglob("*.html"):
        for tag in re.findall(r"<input\b[^>]*>", path.read_text(), re.S):
            kind = re.search(r'type="([^"]+)"', tag)
            found.append((str(path.relative_to(ROOT)), kind.group(1) if kind else ""))
    return found


def _form_input_types() -> set[str]:
    for module in pkgutil.walk_packages(community.__path__, "community."):
        if ".translations" not in module.name:
            importlib.import_module(module.name)

    def below(cls: type) -> list[type]:
        return [c for sub in cls.__subclasses__() for c in (sub, *below(sub))]

    types = set()
    for form in below(FlaskForm):
        for name in dir(form):
            field_class = getattr(getattr(form, name, None), "field_class", None)
            widget = getattr(field_class, "widget", None)
            if isinstance(getattr(widget, "input_type", None), str):
                types.add(widget.input_type)
    return types


def test_every_input_of_the_templates_says_its_type() -> None:
    assert [path for path, kind in _template_inputs() if not kind] == []


def test_every_box_one_types_into_is_styled() -> None:
    used = {kind for _path, kind in _template_inputs()} | _form_input_types()
    assert {"text", "email", "date", "datetime-local"} <= used
    assert used - NOT_TYPED_INTO - _styled_types() == set()
