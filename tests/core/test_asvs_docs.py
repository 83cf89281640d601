"""The ASVS checklist names only tests that exist (docs/ASVS-L2.md, docs/SECURITY.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = re.compile(r"([\w/]+\.py)?::(\w+)")


def _named_tests(document: Path) -> list[tuple[str, str]]:
    """Each (file, test) a document names; `::name` continues the file named before it."""
    named = []
    for line in document.read_text(encoding="utf-8").splitlines():
        current = None
        for found in REFERENCE.finditer(line):
            if found.group(1):
                current = found.group(1) if found.group(1).startswith("tests/") else None
            if current:
                named.append((current, found.group(2)))
    return named


@pytest.mark.parametrize("document", ["docs/ASVS-L2.md", "docs/SECURITY.md"])
def test_every_test_the_security_documents_name_exists(document):
    named = _named_tests(ROOT / document)
    assert named, f"{document} names no tests"
    missing = []
    for path, name in named:
        source = ROOT / path
        if not source.exists() or not re.search(rf"^def {name}\(", source.read_text(), re.M):
            missing.append(f"{path}::{name}")
    assert not missing, missing


def test_the_checklist_counts_add_up():
    text = (ROOT / "docs/ASVS-L2.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d+\.\d+\.\d+) \| ([12]) \|", text, re.M)
    ids = [row[0] for row in rows]
    assert len(ids) == len(set(ids))
    total = int(re.search(r"\((\d+) requirements at level 1 or 2\)", text).group(1))
    assert len(ids) == total
    does_not_apply = int(re.search(r"\| does not apply \| (\d+) \|", text).group(1))
    applies = int(re.search(r"\| applies to Neighborly \| (\d+) \|", text).group(1))
    assert applies + does_not_apply == total
    assert text.count("| no | |") == does_not_apply
