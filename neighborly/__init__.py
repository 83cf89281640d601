"""Neighborly: neighbourhood help and youth mentoring. `create_app` is the table of contents."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from config import Config, ProductionConfig, config_for_environment

PACKAGE_DIR = Path(__file__).resolve().parent


def _asset_dir(name: str) -> str:
    """Find templates/static/migrations: inside the package when installed, beside it in a clone."""
    packaged = PACKAGE_DIR / name
    return str(packaged if packaged.is_dir() else PACKAGE_DIR.parent / name)


def create_app(config: type[Config] | None = None) -> Flask:
    """Build the Neighborly application."""
    config = config or config_for_environment()
    if issubclass(config, ProductionConfig):
        config.check()
    app = Flask(
        __name__,
        template_folder=_asset_dir("templates"),
        static_folder=_asset_dir("static"),
        instance_relative_config=False,
    )
    app.config.from_object(config)
    from neighborly.setup import (
        register_blueprints,
        register_commands,
        register_error_pages,
        register_extensions,
        register_request_hooks,
        register_template_helpers,
    )

    register_extensions(app, migrations_dir=_asset_dir("migrations"))
    register_blueprints(app)
    register_request_hooks(app)
    register_template_helpers(app)
    register_error_pages(app)
    register_commands(app)
    return app
