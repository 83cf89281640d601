"""A production app compiles its templates before serving."""

from __future__ import annotations

from neighborly.warm import warm_up


def test_warming_compiles_every_template_the_app_can_render(app):
    names = [n for n in app.jinja_env.list_templates() if not n.startswith(".")]

    assert warm_up(app) == len(names) > 100
    cached = {key[1] for key in app.jinja_env.cache}
    assert set(names) <= cached


def test_settling_the_collector_freezes_start_up_objects_and_raises_the_young_threshold(
    monkeypatch,
):
    import gc

    from neighborly.warm import GC_THRESHOLD, settle_garbage_collector

    before = gc.get_threshold()
    try:
        monkeypatch.delenv("NEIGHBORLY_GC_THRESHOLD", raising=False)
        assert settle_garbage_collector() == GC_THRESHOLD == gc.get_threshold()
        assert gc.get_freeze_count() > 0

        monkeypatch.setenv("NEIGHBORLY_GC_THRESHOLD", "5000,10,10")
        assert settle_garbage_collector() == (5000, 10, 10)

        monkeypatch.setenv("NEIGHBORLY_GC_THRESHOLD", "lots")
        assert settle_garbage_collector() == GC_THRESHOLD
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
