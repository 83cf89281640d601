"""A wheel built with `pip install .` carries its templates, static files and migrations."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SERVE_FROM_WHEEL = """
import sys
sys.path.insert(0, sys.argv[1])
import neighborly
from config import TestingConfig
assert neighborly.__file__.startswith(sys.argv[1]), neighborly.__file__
from neighborly import create_app
from neighborly.extensions import db
class Config(TestingConfig):
    SQLALCHEMY_DATABASE_URI = "sqlite:///" + sys.argv[2]
app = create_app(Config)
with app.app_context():
    from flask_migrate import upgrade
    upgrade()
client = app.test_client()
home = client.get("/")
css = client.get("/static/css/site.css")
print(home.status_code, css.status_code, "Neighbours helping neighbours" in home.text)
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Build the project's wheel once."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return next(out.glob("neighborly-*.whl"))


def test_wheel_contains_templates_static_files_and_migrations(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "neighborly/templates/base.html" in names
    assert "neighborly/static/css/site.css" in names
    assert "neighborly/migrations/env.py" in names
    assert any(n.startswith("neighborly/migrations/versions/") for n in names)
    assert "config.py" in names


def test_app_installed_from_the_wheel_serves_pages(wheel, tmp_path):
    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    result = subprocess.run(
        [sys.executable, "-c", SERVE_FROM_WHEEL, str(unpacked), str(tmp_path / "w.db")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["200", "200", "True"]
