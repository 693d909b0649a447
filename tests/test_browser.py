"""The timeline page in a real browser: headless Chromium renders it, without console errors.

Skipped only where no `chromium` is installed; `.ci/run` installs it, so CI never skips.
"""

from __future__ import annotations

import chromium
import pytest
from htmlpage import Page
from shipped import full_history

pytestmark = pytest.mark.skipif(chromium.binary() is None, reason="chromium is not installed")

CONTRADICTION = (0xD4, 0x00, 0x00)  # timeline.KINDS["contradicted"]
FIRST_REPORT = (0x00, 0x72, 0xB2)


def near(colours, target, tolerance=24) -> int:
    """Pixels within `tolerance` of `target` in every channel."""
    return sum(
        count
        for colour, count in colours.items()
        if all(abs(a - b) <= tolerance for a, b in zip(colour, target))  # noqa: B905
    )


@pytest.fixture
def page(claims, story, tmp_path):
    target = tmp_path / "timeline.html"
    result = claims("timeline", "--output", str(target), repo=story)
    assert result.exit_code == 0, result.output
    return target


def test_the_page_renders(page, tmp_path):
    shot = tmp_path / "timeline.png"
    run = chromium.screenshot(page, shot)
    assert run.console == []
    image = chromium.read_png(shot.read_bytes())
    assert (image.width, image.height) == (1280, 900)
    colours = image.colours()
    white = colours[(255, 255, 255)]
    assert white < 0.97 * image.width * image.height, "the page is blank"
    assert len(colours) > 100  # text, marks and bars, anti-aliased
    assert near(colours, CONTRADICTION) > 200, "no contradiction drawn in red"
    assert near(colours, FIRST_REPORT) > 50, "no first-report mark drawn"


def test_the_dom_holds_lanes_and_labels_and_no_console_errors(page):
    run = chromium.dump_dom(page)
    assert run.console == []
    dom = Page(run.stdout)
    assert dom.lanes == ["summit-date", "summit-location"]
    assert dom.marks["summit-date"] == ["first-report", "broadened", "contradicted"]
    assert "≠ 2025-09-18 ⚠" in dom.labels and "Alaska > Anchorage" in dom.labels
    assert "Every version, claim by claim" in "".join(dom.text)


def test_console_errors_are_caught(tmp_path):
    """The check above can fail: a page that loads from the network or throws is reported."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        "<!DOCTYPE html><html><head><meta http-equiv='Content-Security-Policy' "
        "content=\"default-src 'none'; script-src 'unsafe-inline'\"></head><body>"
        "<img src='https://example.invalid/x.png'><script>undefinedFunction()</script>"
        "</body></html>"
    )
    console = chromium.dump_dom(bad).console
    assert any("Content Security Policy" in line for line in console), console
    assert any("undefinedFunction" in line for line in console), console


def test_the_shipped_database_renders(claims, tmp_path):
    root = full_history()
    target = tmp_path / "timeline.html"
    assert claims("timeline", "--output", str(target), repo=root).exit_code == 0
    shot = tmp_path / "timeline.png"
    assert chromium.screenshot(target, shot).console == []
    colours = chromium.read_png(shot.read_bytes()).colours()
    assert near(colours, CONTRADICTION) > 200
