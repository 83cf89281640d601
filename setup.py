"""Copy the top-level templates, static files and migrations into built wheels."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ASSET_DIRS = ("templates", "static", "migrations")


class BuildWithAssets(build_py):
    """build_py that also places the asset folders inside the neighborly package."""

    def run(self) -> None:
        """Build the Python packages, then copy the asset folders beside them."""
        super().run()
        if getattr(self, "editable_mode", False):
            return
        root = Path(__file__).resolve().parent
        for name in ASSET_DIRS:
            shutil.copytree(
                root / name,
                Path(self.build_lib) / "neighborly" / name,
                dirs_exist_ok=True,
                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
            )


setup(cmdclass={"build_py": BuildWithAssets})
