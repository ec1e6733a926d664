"""The app shell the service worker keeps on the phone, and its version.

The shell is only what every visitor gets alike: styles, scripts, icons and the offline page.
Its version is a hash of those files (for the offline page, its template and its catalogs),
computed once per process: a deploy that changes one of them gives a new service worker,
which replaces the old cache.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app

# Static files of the shell, relative to static/ (glob patterns).
SHELL_PATTERNS = (
    "css/*.css",
    "js/*.js",
    "img/*.svg",
    "icons/*.png",
    "vendor/*.js",
)
OFFLINE_URL = "/offline"
ICON_SIZES = (192, 512)


@dataclass(frozen=True)
class Shell:
    version: str
    urls: tuple[str, ...]


def _compute(static_folder: Path, static_url: str) -> Shell:
    digest = hashlib.sha256()
    urls: list[str] = []
    files = sorted({p for pattern in SHELL_PATTERNS for p in static_folder.glob(pattern)})
    for path in files:
        relative = path.relative_to(static_folder).as_posix()
        digest.update(relative.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
        urls.append(f"{static_url}/{relative}")
    for path in offline_sources():
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return Shell(version=digest.hexdigest()[:16], urls=(OFFLINE_URL, *urls))


def offline_sources() -> list[Path]:
    """What else the version is made of: the offline page, the worker's own code, and the
    catalogs the offline page's words come from (a translation mended reaches the phones)."""
    package = Path(current_app.root_path)
    templates = package.parent / "templates" / "webapp"
    catalogs = sorted((package / "webapp" / "translations").glob("*/LC_MESSAGES/messages.po"))
    return [templates / "offline.html", templates / "service-worker.js", *catalogs]


def shell(app: Flask | None = None) -> Shell:
    """The shell of this process (computed at its first use, then kept)."""
    app = app or current_app
    cached = app.extensions.get("webapp_shell")
    if cached is None:
        assert app.static_folder is not None
        with app.app_context():
            cached = _compute(Path(app.static_folder), app.static_url_path or "/static")
        app.extensions["webapp_shell"] = cached
    return cached


def icons_missing(app: Flask) -> list[str]:
    """Icons the build has not drawn (`npm run build`)."""
    assert app.static_folder is not None
    folder = Path(app.static_folder) / "icons"
    return [
        f"icons/terreau-{size}.png"
        for size in ICON_SIZES
        if not (folder / f"terreau-{size}.png").is_file()
    ]
