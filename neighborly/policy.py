"""Per-view authorization: every view declares who may use it; undeclared means denied."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, abort, current_app, redirect, request, url_for
from flask_login import current_user

from neighborly.errors import NotFound

Check = Callable[[Any, dict[str, Any]], bool]

PUBLIC_ENDPOINTS = frozenset({"static"})


def policy(check: Check) -> Callable:
    """Declare who may use a view: `check(user, view_args)` must say yes."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args, **kwargs):
            return view(*args, **kwargs)

        guarded.policy = check  # type: ignore[attr-defined]
        return guarded

    return decorate


def declared_policy(endpoint: str) -> Check | None:
    """The check a view declared, or None."""
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "policy", None)


def enforce_policy() -> Any:
    """Before each request: deny unless the endpoint's declared check says yes.

    A refusal must not tell whether a guessed record exists: on a URL that names a record id,
    a missing record and a refused one both answer 404 to a signed-in person, and both send a
    signed-out visitor to sign in.
    """
    endpoint = request.endpoint
    if endpoint is None or endpoint in PUBLIC_ENDPOINTS:
        return None
    check = declared_policy(endpoint)
    if check is None:
        abort(403)
    view_args = request.view_args or {}
    try:
        if check(current_user, view_args):
            return None
    except NotFound:
        if current_user.is_authenticated or not names_a_record(view_args):
            raise
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
    abort(404 if names_a_record(view_args) else 403)


def names_a_record(view_args: dict[str, Any]) -> bool:
    """Whether the URL names a record by its id (an `<int:...>` part)."""
    return any(isinstance(value, int) for value in view_args.values())


def register_policy_enforcement(app: Flask) -> None:
    """Run the policy check before every request."""
    app.before_request(enforce_policy)
