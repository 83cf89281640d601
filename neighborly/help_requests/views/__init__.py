"""The help blueprint: `bp` in common.py, one module per part of the work.

requests, invitations, series (standing requests) and snow (snow days).
"""

from neighborly.help_requests.views import invitations, requests, series, snow  # noqa: F401
from neighborly.help_requests.views.common import bp

__all__ = ["bp"]
