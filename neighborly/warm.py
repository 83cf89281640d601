"""Warm a freshly built app before it serves: compile every template once.

Under gunicorn with preload_app the master does this before it forks, so every worker (and every
worker restarted after max_requests) starts with compiled templates instead of compiling them
on its first requests, which would show as slow first pages after each deploy or restart.
"""

from __future__ import annotations

import gc
import os

from flask import Flask

# gen0 after this many new container objects (Python's default is 700), then gen1 and gen2 as
# usual. A page allocates tens of thousands of short-lived objects that reference counting frees
# anyway; at 700 the collector ran dozens of times per page and walked what the page still held,
# which cost near-me a fifth of its CPU. Memory stays bounded: a collection still runs every
# GC_THRESHOLD allocations.
GC_THRESHOLD = (20_000, 20, 20)


def warm_up(app: Flask) -> int:
    """Compile every template the app can render; return how many were compiled."""
    environment = app.jinja_env
    names = [name for name in environment.list_templates() if not name.startswith(".")]
    for name in names:
        environment.get_template(name)
    return len(names)


def settle_garbage_collector() -> tuple[int, int, int]:
    """Freeze what start-up made and collect young garbage less often; return the thresholds.

    Everything alive now (modules, compiled templates, the app) lasts as long as the process:
    `gc.freeze()` keeps every later collection from walking it again (a full collection over it
    took ~150 ms) and, before a fork, keeps its pages shared. `NEIGHBORLY_GC_THRESHOLD`
    ("20000,20,20") overrides the thresholds.
    """
    gc.collect()
    gc.freeze()
    threshold = _threshold(os.environ.get("NEIGHBORLY_GC_THRESHOLD", ""))
    gc.set_threshold(*threshold)
    return threshold


def _threshold(value: str) -> tuple[int, int, int]:
    """Three positive integers from "a,b,c", or the default when unset or malformed."""
    parts = [part.strip() for part in value.split(",")]
    if len(parts) == 3 and all(part.isdigit() and int(part) > 0 for part in parts):
        return int(parts[0]), int(parts[1]), int(parts[2])
    return GC_THRESHOLD
