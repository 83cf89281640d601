"""The production files parse: gunicorn.conf.py reads the environment, the benchmarks explain
themselves (they are scripts run by hand, never inside the test run)."""

from __future__ import annotations

import runpy
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_gunicorn_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("GUNICORN_BIND", "127.0.0.1:9001")
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))

    assert settings["workers"] == 3
    assert settings["bind"] == "127.0.0.1:9001"
    assert settings["accesslog"] is None  # the app's JSON line replaces it
    assert settings["preload_app"] is True
    assert 0 < settings["timeout"] <= 60


def test_the_production_extra_brings_gunicorn():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    production = project["optional-dependencies"]["production"]
    assert any(dependency.startswith("gunicorn") for dependency in production)
    assert any(dependency.startswith("psycopg") for dependency in project["dependencies"])


@pytest.mark.parametrize("script", ["load.py", "faults.py"])
def test_each_benchmark_explains_its_options(script):
    shown = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), "--help"],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    assert "usage:" in shown.stdout
    assert "--workers" in shown.stdout
