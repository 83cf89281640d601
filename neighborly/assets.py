"""Static files with fingerprinted URLs: `?v=<content hash>`, cached for a year and immutable.

`url_for('static', filename='css/site.css')` becomes `/static/css/site.css?v=1a2b3c4d5e6f`; a
changed file gets a new hash, so browsers and proxies may keep the old URL forever. A request
without the current hash (an old page, a typed URL) is cached only for STATIC_MAX_AGE seconds.
Compression is the proxy's job (docs/deploy.md).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, current_app, request
from werkzeug.wrappers import Response

YEAR = 31_536_000
HASH_LENGTH = 12


def register_fingerprints(app: Flask) -> None:
    """Add the hash to every static URL and the long cache to every fingerprinted response."""
    app.extensions["static_hashes"] = {}
    app.url_defaults(_add_fingerprint)
    app.after_request(_cache_static)


def fingerprint(filename: str) -> str | None:
    """The content hash of one static file (remembered per process), or None if it is missing."""
    hashes: dict[str, str | None] = current_app.extensions["static_hashes"]
    if filename not in hashes or current_app.debug:
        folder = Path(current_app.static_folder or "")
        path = (folder / filename).resolve()
        inside = path.is_relative_to(folder.resolve()) and path.is_file()
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_LENGTH] if inside else None
        hashes[filename] = digest
    return hashes[filename]


def _add_fingerprint(endpoint: str, values: dict) -> None:
    """url_for('static', filename=...) gains ?v=<hash>."""
    if endpoint == "static" and "filename" in values and "v" not in values:
        digest = fingerprint(values["filename"])
        if digest:
            values["v"] = digest


def _cache_static(response: Response) -> Response:
    """A year and immutable for the current fingerprint; a short while for anything else."""
    if request.endpoint != "static" or response.status_code not in (200, 304):
        return response
    filename = (request.view_args or {}).get("filename", "")
    if request.args.get("v") and request.args.get("v") == fingerprint(filename):
        response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    else:
        max_age = int(current_app.config.get("STATIC_MAX_AGE") or 0)
        response.headers["Cache-Control"] = f"public, max-age={max_age}"
    return response
