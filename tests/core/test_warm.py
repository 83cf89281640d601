"""A production app compiles its templates before serving."""

from __future__ import annotations

from neighborly.warm import warm_up


def test_warming_compiles_every_template_the_app_can_render(app):
    names = [n for n in app.jinja_env.list_templates() if not n.startswith(".")]

    assert warm_up(app) == len(names) > 100
    cached = {key[1] for key in app.jinja_env.cache}
    assert set(names) <= cached
