"""Per-view authorization: every view declares who may use it; undeclared means denied."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, abort, current_app, redirect, request, url_for
from flask_login import current_user

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
    """Before each request: deny unless the endpoint's declared check says yes."""
    endpoint = request.endpoint
    if endpoint is None or endpoint in PUBLIC_ENDPOINTS:
        return None
    check = declared_policy(endpoint)
    if check is None:
        abort(403)
    if check(current_user, request.view_args or {}):
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
    abort(403)


def register_policy_enforcement(app: Flask) -> None:
    """Run the policy check before every request."""
    app.before_request(enforce_policy)
