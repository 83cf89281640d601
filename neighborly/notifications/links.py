"""Links in email and texts: always at PUBLIC_URL, never at the request's Host header."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app


def absolute_url(endpoint: str, **values: Any) -> str:
    """A full link for an email, always at PUBLIC_URL, never at the request's Host header."""
    public = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(
        public.netloc, script_name=public.path or "/", url_scheme=public.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)
