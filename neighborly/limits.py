"""Anti-automation limits shared by every domain: per person, per address, from config.py.

Views stack two Flask-Limiter decorators, for example::

    @limiter.limit(configured("ASK_LIMIT_PER_PERSON"), key_func=per_person, **counted_if_done)
    @limiter.limit(configured("ASK_LIMIT_PER_ADDRESS"), **counted_if_done)

The address comes from Flask-Limiter's default key (the remote address, which ProxyFix corrects
behind TRUSTED_PROXIES). Only what went through counts: a redirect after a POST, or a view that
said so with `count_this_action()`; a form sent back with a message beside a field does not.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, g
from flask_limiter.util import get_remote_address
from flask_login import current_user


def configured(name: str) -> Callable[[], str]:
    """A limit read from the app's config when the request comes (so tests can change it)."""

    def limit() -> str:
        return current_app.config[name]

    return limit


def per_person() -> str:
    """One bucket per signed-in person (their id); signed out, the address."""
    if current_user and current_user.is_authenticated:
        return f"person:{current_user.id}"
    return f"address:{get_remote_address()}"


def count_this_action() -> None:
    """Say that this request did what it was limited for (for views that answer 200 on success)."""
    g.limited_action_done = True


def action_done(response) -> bool:
    """Whether a limited POST went through: it redirected, or its view counted it."""
    return response.status_code in (302, 303) or bool(g.get("limited_action_done", False))


counted_if_done = {"methods": ["POST"], "deduct_when": action_done}
