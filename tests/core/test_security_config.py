"""Production's safety settings: known hosts only, HSTS, real mail, trusted proxies.

Findings 2, 7 and 8 of the security review (issue 9); see docs/SECURITY.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from config import ProductionConfig
from neighborly import create_app
from tests.conftest import IsolatedClient, make_test_config

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "NEIGHBORLY_ENV": "production",
    "SECRET_KEY": "a-real-secret",
    "DATABASE_URL": "sqlite:///:memory:",
    "PUBLIC_URL": "https://neighborly.example.org",
    "MAIL_BACKEND": "smtp",
}


def _production(monkeypatch, **env: str | None) -> None:
    """Set the environment a production start reads; None removes a variable."""
    for name, value in {**PRODUCTION_ENV, **env}.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    monkeypatch.delenv("MAIL_BACKEND_ALLOW_CONSOLE", raising=False)


def _production_settings(**env: str) -> dict:
    """ProductionConfig as a fresh process builds it from this environment."""
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    clean.pop("TRUSTED_HOSTS", None)
    code = (
        "import json, config; c = config.ProductionConfig; "
        "print(json.dumps({'TRUSTED_HOSTS': c.TRUSTED_HOSTS, 'HSTS_MAX_AGE': c.HSTS_MAX_AGE}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **PRODUCTION_ENV, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.mark.parametrize("backend", ["console", "file"])
def test_production_refuses_to_start_with_mail_that_lands_in_a_log(monkeypatch, backend):
    _production(monkeypatch, MAIL_BACKEND=backend)
    with pytest.raises(RuntimeError, match=f"refuses MAIL_BACKEND={backend}"):
        ProductionConfig.check()


def test_production_refuses_to_start_when_no_mail_backend_is_set(monkeypatch):
    _production(monkeypatch, MAIL_BACKEND=None)
    with pytest.raises(RuntimeError, match="refuses MAIL_BACKEND=console"):
        ProductionConfig.check()


def test_production_starts_with_console_mail_only_when_told_and_says_so_loudly(monkeypatch, capsys):
    _production(monkeypatch, MAIL_BACKEND="console")
    monkeypatch.setenv("MAIL_BACKEND_ALLOW_CONSOLE", "1")
    ProductionConfig.check()
    assert "WARNING: MAIL_BACKEND=console in production" in capsys.readouterr().err


def test_production_starts_with_smtp_mail(monkeypatch):
    _production(monkeypatch)
    ProductionConfig.check()


def test_production_refuses_to_start_without_its_public_address(monkeypatch):
    _production(monkeypatch, PUBLIC_URL=None)
    with pytest.raises(RuntimeError, match="PUBLIC_URL"):
        ProductionConfig.check()


def test_production_answers_only_the_host_of_its_public_address():
    assert _production_settings()["TRUSTED_HOSTS"] == ["neighborly.example.org"]
    both = _production_settings(TRUSTED_HOSTS="neighborly.example.org, www.example.org")
    assert both["TRUSTED_HOSTS"] == ["neighborly.example.org", "www.example.org"]


def test_a_request_for_an_unknown_host_is_refused(app, database_url):
    guarded = create_app(make_test_config(database_url, TRUSTED_HOSTS=["neighborly.example.org"]))
    guarded.test_client_class = IsolatedClient
    with guarded.app_context():
        client = guarded.test_client()
        forged = client.post(
            "/account/forgot", data={"email": "a@example.org"}, headers={"Host": "evil.example"}
        )
        real = client.get("/account/forgot", headers={"Host": "neighborly.example.org"})
    assert forged.status_code == 400
    assert real.status_code == 200


def test_production_pins_https_for_a_year_with_subdomains(app, database_url):
    assert _production_settings()["HSTS_MAX_AGE"] >= 31_536_000
    pinned = create_app(make_test_config(database_url, HSTS_MAX_AGE=ProductionConfig.HSTS_MAX_AGE))
    with pinned.app_context():
        header = pinned.test_client().get("/").headers["Strict-Transport-Security"]
    directives = [part.strip() for part in header.split(";")]
    assert int(directives[0].removeprefix("max-age=")) >= 31_536_000
    assert "includeSubDomains" in directives


def test_development_over_plain_http_sends_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
