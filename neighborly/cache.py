"""A small in-process cache with a time to live, for what every reader sees alike.

Topic lists, featured and related resources are the same for everyone and change rarely,
so each worker process keeps them for ``SHARED_CACHE_SECONDS`` (0 turns caching off, as the
test suite does). A write in this process calls ``forget(name)`` so its own pages show the
change at once; other worker processes show it within the time to live. Cache only plain,
immutable values (tuples of frozen dataclasses), never database objects: they would outlive
the session that loaded them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, has_app_context

T = TypeVar("T")
MAX_ENTRIES = 1024
_lock = threading.Lock()


def _store() -> dict[tuple, tuple[float, Any]]:
    """This application's cache entries (one store per app, so test apps never share)."""
    return current_app.extensions.setdefault("neighborly_cache", {})


def _seconds() -> float:
    """How long entries live here; 0 when caching is off or there is no app."""
    if not has_app_context():
        return 0.0
    return float(current_app.config.get("SHARED_CACHE_SECONDS", 60))


def shared(name: str) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Cache a function's result per arguments for the configured time to live."""

    def decorate(func: Callable[..., T]) -> Callable[..., T]:
        @wraps(func)
        def cached(*args: Any, **kwargs: Any) -> T:
            seconds = _seconds()
            if seconds <= 0:
                return func(*args, **kwargs)
            key = (name, args, tuple(sorted(kwargs.items())))
            store = _store()
            now = time.monotonic()
            hit = store.get(key)
            if hit is not None and hit[0] > now:
                return hit[1]
            value = func(*args, **kwargs)
            with _lock:
                if len(store) >= MAX_ENTRIES:
                    store.clear()
                store[key] = (now + seconds, value)
            return value

        return cached

    return decorate


def forget(name: str) -> None:
    """Drop every entry of one cached function in this process (after a write)."""
    if not has_app_context():
        return
    store = _store()
    with _lock:
        for key in [key for key in store if key[0] == name]:
            del store[key]


def clear() -> None:
    """Drop everything this application cached."""
    if has_app_context():
        with _lock:
            _store().clear()
