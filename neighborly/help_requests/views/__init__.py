"""The help blueprint: `bp` in common.py, one module per part (requests, invitations, series)."""

from neighborly.help_requests.views import invitations, requests, series  # noqa: F401
from neighborly.help_requests.views.common import bp

__all__ = ["bp"]
