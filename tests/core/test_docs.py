"""The repository carries its own map, and nothing in it points outside it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTSIDE = re.compile(r"\.\./shared|shared/DESIGN\.md")


def _tracked_text_files() -> list[Path]:
    """Files git tracks, minus binaries (compiled catalogs, images)."""
    listed = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return [ROOT / name for name in listed if not name.endswith((".mo", ".png", ".ico"))]


def test_readme_links_the_architecture_map():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/ARCHITECTURE.md)" in readme
    assert (ROOT / "docs" / "ARCHITECTURE.md").is_file()


def test_readme_layout_names_every_top_level_module_and_package():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    package = ROOT / "neighborly"
    names = [p.name for p in package.glob("*.py")] + [
        f"{p.name}/" for p in package.iterdir() if (p / "__init__.py").is_file()
    ]
    missing = [name for name in names if f"  {name} " not in readme]
    assert missing == [], f"README's layout does not list {missing}"


def test_nothing_in_the_repository_points_outside_it():
    pointing = [
        str(path.relative_to(ROOT))
        for path in _tracked_text_files()
        if path.is_file() and OUTSIDE.search(path.read_text(encoding="utf-8", errors="ignore"))
    ]
    assert pointing == [], f"these files point outside the repository: {pointing}"
