"""Who may use the resource views.

The library is site-wide: one collection read by every community. Curating it (adding,
editing, publishing, featuring, reviewing suggestions, seeing click counts) is open to
anyone who coordinates at least one community, and to site administrators. Reading is
open to everyone; what an unpublished resource shows is decided in the services (404).
"""

from __future__ import annotations

from typing import Any

from neighborly.accounts.policies import anyone, signed_in
from neighborly.resources.services import is_curator

__all__ = ["anyone", "curator", "signed_in"]


def curator(user: Any, view_args: dict[str, Any]) -> bool:
    """Coordinators of any community, and site administrators."""
    return is_curator(user)
