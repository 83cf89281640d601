"""The coordinator's console: one blueprint, one module per part."""

from __future__ import annotations

from neighborly.coordination.views import console, exports, hours  # noqa: F401  (routes)
from neighborly.coordination.views.common import bp  # noqa: F401
