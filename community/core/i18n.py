"""Languages: the locale of a request, and the translation catalogs of each domain.

Each domain package keeps its own catalog in `community/<domain>/translations/`, extracted
from its Python code and its `templates/<domain>/` folder (pages, and mails' .html and .txt
parts), so that domains evolve without
stepping on one another. Message ids are English; French is the default and must be
complete (`python -m community.core.i18n check` fails otherwise, and so does the test suite).

    python -m community.core.i18n update    # extract, then merge into the fr and en catalogs
    python -m community.core.i18n compile   # .po → .mo (the build runs it)
    python -m community.core.i18n check     # exit 1 if a French translation is missing
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from flask import Flask, current_app, g, has_request_context, request
from flask_babel import Domain
from flask_login import current_user

from community.extensions import babel

PACKAGE = Path(__file__).resolve().parent.parent
ROOT = PACKAGE.parent
TEMPLATES = ROOT / "templates"
LOCALES = ("fr", "en")
# Every catalog of a language says the same plural rule: Flask-Babel merges them under the rule
# of the last one loaded. French: 0 and 1 are singular ("0 personne inscrite"); Babel would
# give a new French catalog CLDR's three forms.
PLURAL_FORMS = {"fr": "nplurals=2; plural=(n > 1);", "en": "nplurals=2; plural=(n != 1);"}
# Templates at the top of templates/ (layout, errors, the home page, macros) belong to the core
# catalog: every folder of templates/ is a domain's or one of these (tests/core/test_i18n.py).
CORE_TEMPLATE_DIRS = ("", "errors", "home", "macros")
# Pages are .html; a mail has an .html part and a plain-text .txt part, translated alike.
TEMPLATE_SUFFIXES = (".html", ".txt")


def select_locale() -> str:
    """The member's chosen language, else the browser's, else French."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI, mail digests: the caller uses force_locale
        return str(current_app.config["BABEL_DEFAULT_LOCALE"])
    locale = getattr(current_user, "locale", None) if current_user else None
    if locale in languages:
        return str(locale)
    return visitor_locale(
        request.cookies.get("lang"),
        request.accept_languages,
        languages,
        current_app.config["BABEL_DEFAULT_LOCALE"],
    )


def visitor_locale(cookie: str | None, accept: Any, languages: Any, default: str) -> str:
    """A visitor's language: the `lang` cookie's, else the browser's, else `default` (the
    visitor page cache keys its pages on it: core/pagecache.py)."""
    if cookie in languages:
        return str(cookie)
    return str(accept.best_match(languages) or default)


def domains() -> list[str]:
    """Domain packages (each may hold a catalog)."""
    return sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists())


def translation_directories() -> list[str]:
    return [
        str(PACKAGE / d / "translations")
        for d in domains()
        if (PACKAGE / d / "translations").is_dir()
    ]


class RequestDomain(Domain):
    """Flask-Babel's domain, its catalog found once per request and locale: Flask-Babel looks
    the locale up, names it and finds its catalog again at every string (7 µs: a page has
    dozens, its forms' labels and its lazy strings among them). `force_locale` sets another
    locale object: looked up again."""

    def get_translations(self) -> Any:
        ctx = g.get("_flask_babel") if g else None
        locale = getattr(ctx, "babel_locale", None)
        if ctx is None or locale is None:
            return super().get_translations()
        kept = getattr(ctx, "terreau_translations", None)
        if kept is not None and kept[0] is locale and kept[1] is self:
            return kept[2]
        found = super().get_translations()
        ctx.terreau_translations = (locale, self, found)
        return found


def init_i18n(app: Flask) -> None:
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(translation_directories())
    babel.init_app(app, locale_selector=select_locale)
    # Every gettext, lazy string and template word of the app goes through this domain.
    if not isinstance(babel.__dict__.get("domain_instance"), RequestDomain):
        babel.__dict__["domain_instance"] = RequestDomain(
            domain=app.extensions["babel"].default_domain
        )


def _sources(domain: str) -> Iterator[tuple[Path, Path]]:
    """(directory, file) pairs whose strings belong to `domain`'s catalog."""
    package = PACKAGE / domain
    for path in sorted(package.rglob("*.py")):
        yield package, path
    if domain == "core":
        for path in sorted(PACKAGE.glob("*.py")):
            yield PACKAGE, path
        for sub in CORE_TEMPLATE_DIRS:
            for suffix in TEMPLATE_SUFFIXES:
                for path in sorted((TEMPLATES / sub).glob(f"*{suffix}")):
                    yield TEMPLATES, path
    else:
        for suffix in TEMPLATE_SUFFIXES:
            for path in sorted((TEMPLATES / domain).rglob(f"*{suffix}")):
                yield TEMPLATES, path


def extract(domain: str):
    """The template catalog of `domain`, read from its sources."""
    # A fixed date: catalogs must not change when no text did (branches merge them).
    fixed = datetime(2026, 1, 1, tzinfo=UTC)
    catalog = Catalog(project="Terreau", charset="utf-8", creation_date=fixed)
    keywords = {"N_": None, "_": None, "gettext": None, "lazy_gettext": None, "_l": None,
                "ngettext": (1, 2), "lazy_ngettext": (1, 2), "pgettext": ((1, "c"), 2),
                "lazy_pgettext": ((1, "c"), 2)}  # fmt: skip
    for _base, path in _sources(domain):
        method = "python" if path.suffix == ".py" else "jinja2"
        options = {"extensions": "jinja2.ext.do"} if method == "jinja2" else {}
        for lineno, message, comments, context in extract_from_file(
            method, str(path), keywords=keywords, options=options
        ):
            catalog.add(
                message,
                None,
                [(str(path.relative_to(ROOT)), lineno)],
                auto_comments=comments,
                context=context,
            )
    return catalog


def _po_path(domain: str, locale: str) -> Path:
    return PACKAGE / domain / "translations" / locale / "LC_MESSAGES" / "messages.po"


def _read(path: Path):
    with path.open("rb") as handle:
        return read_po(handle, locale=path.parent.parent.name)


def update() -> None:
    """Extract every domain and merge the new ids into its fr and en catalogs."""
    for domain in domains():
        template = extract(domain)
        if not len(template):
            continue
        for locale in LOCALES:
            path = _po_path(domain, locale)
            if path.exists():
                catalog = _read(path)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                catalog = Catalog(locale=locale, project="Terreau", charset="utf-8")
            catalog.mime_headers = [("Plural-Forms", PLURAL_FORMS[locale])]
            catalog.update(template, no_fuzzy_matching=True)
            with path.open("wb") as handle:
                # No locations, sorted ids: a catalog changes only where a text does, and
                # branches that add texts merge without conflict (see .gitattributes).
                write_po(
                    handle,
                    catalog,
                    width=100,
                    omit_header=False,
                    ignore_obsolete=True,
                    no_location=True,
                    sort_output=True,
                )
            print(f"updated {path.relative_to(ROOT)}")


def compile_all() -> None:
    for domain in domains():
        for locale in LOCALES:
            path = _po_path(domain, locale)
            if path.exists():
                catalog = _read(path)
                with path.with_suffix(".mo").open("wb") as handle:
                    write_mo(handle, catalog, use_fuzzy=False)


def missing_french() -> dict[str, list[str]]:
    """Message ids found in the code with no French translation, by domain."""
    missing: dict[str, list[str]] = {}
    for domain in domains():
        template = extract(domain)
        path = _po_path(domain, "fr")
        catalog = _read(path) if path.exists() else None
        for message in template:
            if not message.id:
                continue
            known = catalog.get(message.id, message.context) if catalog is not None else None
            strings = known.string if known is not None else None
            translated = (
                known is not None
                and not known.fuzzy
                and (all(strings) if isinstance(strings, (list, tuple)) else bool(strings))
            )
            if not translated:
                ident = message.id if isinstance(message.id, str) else message.id[0]
                missing.setdefault(domain, []).append(ident)
    return missing


def conflicting_french() -> dict[str, dict[str, str]]:
    """Message ids translated differently by two domains.

    Flask-Babel merges every domain's catalog into one, so the same id can only have one
    French text: a domain that needs another wording needs another id (or a context).
    """
    seen: dict[tuple[str, str | None], dict[str, str]] = {}
    for domain in domains():
        path = _po_path(domain, "fr")
        if not path.exists():
            continue
        for message in _read(path):
            if not message.id or not message.string or message.fuzzy:
                continue
            ident = message.id if isinstance(message.id, str) else message.id[0]
            text = message.string if isinstance(message.string, str) else message.string[0]
            seen.setdefault((ident, message.context), {})[domain] = text
    return {
        ident: by_domain
        for (ident, _context), by_domain in seen.items()
        if len(set(by_domain.values())) > 1
    }


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else ""
    if command == "update":
        update()
    elif command == "compile":
        compile_all()
    elif command == "check":
        missing = missing_french()
        for domain, ids in missing.items():
            for ident in ids:
                print(f"{domain}: missing French for {ident!r}")
        conflicts = conflicting_french()
        for ident, by_domain in conflicts.items():
            print(f"{ident!r} is translated differently: {by_domain}")
        return 1 if missing or conflicts else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
