"""The coordinator's console: one blueprint, one module per part."""

from __future__ import annotations

from neighborly.coordination.views import console, hours  # noqa: F401  (registers routes)
from neighborly.coordination.views.common import bp  # noqa: F401
