"""Sign-up, sign-in, passwords, profile, communities and roles.

One blueprint (`bp`, in common.py); each module adds the views of one part of an account."""

from neighborly.accounts.views import (  # noqa: F401  (each import registers its views)
    blocked,
    communities,
    email_change,
    privacy,
    profile,
    reauth,
    session_life,
    sign_in,
    two_factor,
)
from neighborly.accounts.views.common import bp

__all__ = ["bp"]
