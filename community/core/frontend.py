"""What the browser downloads: compressed responses and fingerprinted static files.

- Compression (Flask-Compress): HTML, JSON, CSS, JavaScript and SVG are sent with brotli or
  gzip when the browser asks for it (`Accept-Encoding`), above 500 bytes. A reverse proxy that
  compresses may do it instead: set `COMPRESS=false` (`COMPRESS_REGISTER` in the config).
- Fingerprints: every `url_for('static', filename=…)` carries `?v=<hash of the file>`, computed
  once per file and process (again when the file changes, in debug mode). A request with the
  file's current hash is cached a year (`immutable`); one without keeps a short cache, so a
  deploy is seen within minutes by anyone holding an old URL.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from flask import Flask, request
from flask_compress import Compress
from werkzeug.wrappers import Response

compress = Compress()

COMPRESSED_TYPES = (
    "text/html",
    "text/css",
    "text/plain",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/manifest+json",
    "application/problem+json",
    "image/svg+xml",
)
YEAR = 365 * 24 * 3600
SHORT_CACHE = 300  # seconds, for a static file asked for without its fingerprint


def init_frontend(app: Flask) -> None:
    app.config.setdefault("COMPRESS_MIMETYPES", list(COMPRESSED_TYPES))
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ["br", "deflate"])
    compress.init_app(app)
    assert app.static_folder is not None
    folder = Path(app.static_folder)
    hashes: dict[str, tuple[float, str | None]] = {}

    def fingerprint(filename: str) -> str | None:
        cached = hashes.get(filename)
        if cached is not None and not app.debug:
            return cached[1]
        path = (folder / filename).resolve()
        if not path.is_relative_to(folder.resolve()) or not path.is_file():
            hashes[filename] = (0.0, None)
            return None
        mtime = path.stat().st_mtime
        if cached is None or cached[0] != mtime:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
            hashes[filename] = cached = (mtime, digest)
        return cached[1]

    @app.url_defaults
    def _fingerprint(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "v" not in values and values.get("filename"):
            version = fingerprint(str(values["filename"]))
            if version:
                values["v"] = version

    @app.after_request
    def _static_cache(response: Response) -> Response:
        if request.endpoint != "static" or response.status_code not in (200, 304):
            return response
        filename = (request.view_args or {}).get("filename")
        version = request.args.get("v")
        if version and filename and version == fingerprint(str(filename)):
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
        else:
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = SHORT_CACHE
        return response


__all__ = ["compress", "init_frontend"]
