"""The coordinator's console: one blueprint, one module per part."""

from __future__ import annotations

from neighborly.coordination.views import (  # noqa: F401  (each registers its routes)
    audit,
    console,
    exports,
    hours,
    safety,
    settings,
)
from neighborly.coordination.views.common import bp  # noqa: F401
