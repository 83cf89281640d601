"""axe-core checks (WCAG 2.2 AA) at desktop and phone width, with screenshots to look at."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.base import AxeResults
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Frame, Page

WCAG_22_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_22_AA_TAGS},
    "resultTypes": ["violations"],
}
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
NARROWEST = {"width": 320, "height": 640}  # DESIGN: every page is usable at 320 px
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"

_axe = Axe()


def axe_violations(page: Page) -> list[dict]:
    """Run axe with exactly the WCAG 2.2 AA tag set and return its violations.

    axe-playwright-python's bundled axe-core is injected once per document (through
    Playwright, so the site's strict Content-Security-Policy does not block it).
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe.axe_script)
    results = AxeResults(page.evaluate("options => axe.run(document, options)", AXE_OPTIONS))
    return results.response["violations"]


def describe(violations: list[dict]) -> str:
    """A readable list: rule id, impact, what to fix, and every failing node."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
        lines.append(f"  {violation.get('helpUrl', '')}")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


def check_page(page: Page, name: str) -> None:
    """Fail on any WCAG 2.2 AA violation or sideways scrolling at 1280, 375 and 320 px.

    Screenshots go to test-results/screenshots/<name>-desktop.png and <name>-375.png.
    The page is left at desktop size.
    """
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    failures = []
    try:
        for label, size in (("desktop", DESKTOP), ("375", PHONE), ("320", NARROWEST)):
            page.set_viewport_size(size)
            if size is not NARROWEST:
                page.screenshot(path=SCREENSHOT_DIR / f"{name}-{label}.png", full_page=True)
            violations = axe_violations(page)
            if violations:
                failures.append(f"at {label} ({size['width']} px):\n{describe(violations)}")
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if overflow > 0:
                failures.append(
                    f"at {label}: the page scrolls sideways by {overflow} px: {_too_wide(page)}"
                )
    finally:
        page.set_viewport_size(DESKTOP)
    if failures:
        pytest.fail(
            f"{name!r} ({page.url}) fails WCAG 2.2 AA or reflow:\n" + "\n".join(failures),
            pytrace=False,
        )


def _too_wide(page: Page) -> list[str]:
    """The first few elements that stick out past the right edge (to say what to mend)."""
    return page.evaluate(
        """() => {
            const edge = document.documentElement.clientWidth;
            return [...document.querySelectorAll("body *")]
                .filter((el) => el.getBoundingClientRect().right > edge + 0.5)
                .slice(0, 5)
                .map((el) => `${el.tagName.toLowerCase()}.${el.className}#${el.id}`);
        }"""
    )


class PageAudit:
    """Check pages with axe and prove that every page the browser landed on was checked.

    Each main-frame navigation (a link, a form post, a redirect's final page) is one
    page state; `check(name)` marks the current one, `assert_every_page_checked()` fails
    listing any state that was never checked.
    """

    def __init__(self, page: Page) -> None:
        self.page = page
        self.visits: list[str] = []
        self.checked: set[int] = set()
        self.names: set[str] = set()
        page.on("framenavigated", self._navigated)

    def _navigated(self, frame: Frame) -> None:
        if frame == self.page.main_frame and frame.url != "about:blank":
            self.visits.append(frame.url)

    def check(self, name: str) -> None:
        """Run `check_page` on the current page state under a unique screenshot name."""
        assert name not in self.names, f"screenshot name {name!r} used twice"
        assert self.visits, "nothing has been opened yet"
        self.names.add(name)
        check_page(self.page, name)
        self.checked.add(len(self.visits) - 1)

    def assert_every_page_checked(self) -> None:
        """Fail if the browser landed on any page state that axe never saw."""
        missed = [url for i, url in enumerate(self.visits) if i not in self.checked]
        assert not missed, f"pages visited but never checked with axe: {missed}"
