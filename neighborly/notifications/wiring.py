"""Mount the notifications domain: its pages, its after-response delivery, its commands."""

from __future__ import annotations

from flask import Flask


def init_notifications(app: Flask) -> None:
    """Called once by create_app's blueprint registration."""
    from neighborly.notifications.commands import commands
    from neighborly.notifications.preference_views import bp
    from neighborly.notifications.worker import register_after_response

    app.register_blueprint(bp)
    register_after_response(app)
    for command in commands:
        app.cli.add_command(command)
