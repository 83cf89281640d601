"""Warm a freshly built app before it serves: compile every template once.

Under gunicorn with preload_app the master does this before it forks, so every worker (and every
worker restarted after max_requests) starts with compiled templates instead of compiling them
on its first requests, which would show as slow first pages after each deploy or restart.
"""

from __future__ import annotations

from flask import Flask


def warm_up(app: Flask) -> int:
    """Compile every template the app can render; return how many were compiled."""
    environment = app.jinja_env
    names = [name for name in environment.list_templates() if not name.startswith(".")]
    for name in names:
        environment.get_template(name)
    return len(names)
