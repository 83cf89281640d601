"""Shared steps for the two-step sign-in tests: turn it on, read a code, sign in with a password."""

from __future__ import annotations

import re
import time

import pyotp

from neighborly.accounts import two_factor
from neighborly.accounts.models import User
from tests.factories.accounts import DEFAULT_PASSWORD


def turn_on(user: User) -> tuple[str, list[str]]:
    """Turn two-step sign-in on for a person; return their secret and recovery codes."""
    secret = two_factor.begin_setup(user)
    codes = two_factor.confirm_setup(user, _code(secret))
    return secret, codes


def _code(secret: str, steps_from_now: int = 0) -> str:
    """The code an app shows now (or some 30-second steps away)."""
    return pyotp.TOTP(secret).generate_otp(int(time.time() // 30) + steps_from_now)


def code_for(secret: str, steps_from_now: int = 0) -> str:
    """A code for this secret, now or a few 30-second steps away."""
    return _code(secret, steps_from_now)


def secret_on_page(html: str) -> str:
    """The key the set-up page shows as text, without its spaces."""
    found = re.search(r'id="setup-key">([^<]+)<', html)
    assert found, "no key shown as text on the set-up page"
    return found.group(1).replace(" ", "").strip()


def recovery_codes_on_page(html: str) -> list[str]:
    """The recovery codes listed on a page."""
    block = re.search(r'class="recovery-codes".*?</ul>', html, re.S)
    assert block, "no recovery codes on the page"
    return re.findall(r"<li>([a-z0-9-]+)</li>", block.group(0))


def password_step(client, email: str, password: str = DEFAULT_PASSWORD, next_url: str = ""):
    """Send the sign-in form (the first step)."""
    url = "/account/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"email": email, "password": password})
