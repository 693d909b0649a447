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


def probe(page, script: str, tmp_path, width: int = 1280) -> dict:
    """Run `script` in a copy of the page after its own script, laid out `width` px wide; return
    what it posts to its parent as JSON. The copy's policy allows the probe by its hash."""
    import base64
    import hashlib
    import json
    import re
    from html import unescape as html_unescape

    html = page.read_text()
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    html = html.replace("script-src '", f"script-src 'sha256-{digest}' '", 1)
    html = html.replace("</body>", f"<script>{script}</script>\n</body>")
    copy = tmp_path / "probe.html"
    copy.write_text(html)
    run = chromium.dump_framed(copy, width)
    assert run.console == []
    found = re.search(r'<body data-result="([^"]*)"', run.stdout)
    assert found, run.stdout[-2000:]
    return json.loads(html_unescape(found.group(1)))


PHONE = """
var r = {};
var box = document.querySelector(".chart-scroll");
r.viewport = window.innerWidth;
r.pageOverflow = document.documentElement.scrollWidth - window.innerWidth;
r.chartScrolls = box.scrollWidth > box.clientWidth + 100;
r.labelPx = Math.min.apply(null, Array.from(document.querySelectorAll("text.value"),
  function (t) { return t.getBoundingClientRect().height; }));
r.namePx = document.querySelector("text.lane-label").getBoundingClientRect().height;
var mark = document.querySelector('a.mark[data-change="contradicted"]');
mark.dispatchEvent(new MouseEvent("click", {bubbles: true, cancelable: true}));
var sheet = document.getElementById("detail");
r.sheetShown = !sheet.hidden;
r.sheetText = sheet.textContent.replace(/\\s+/g, " ");
var box2 = sheet.getBoundingClientRect();
r.sheetInside = box2.left >= 0 && box2.right <= window.innerWidth + 1;
r.stillAtTop = location.hash === "";
parent.postMessage(JSON.stringify(r), "*");
"""


def test_the_timeline_reads_on_a_phone(page, tmp_path):
    """At 390 px the chart keeps readable text and scrolls inside its box; a tap on a mark
    shows the version's full value, quote and source in a sheet that fits the screen."""
    r = probe(page, PHONE, tmp_path, width=390)
    assert r["viewport"] == 390
    assert r["pageOverflow"] <= 0, "the page itself scrolls sideways"
    assert r["chartScrolls"]
    assert r["labelPx"] >= 10 and r["namePx"] >= 10, r  # was 3-4 px when the chart shrank
    assert r["sheetShown"] and r["sheetInside"] and r["stillAtTop"]
    assert "summit-date" in r["sheetText"]
    assert "2025-09-18 (2025-08 -> 2025-09-18) asserted" in r["sheetText"]
    assert "on September 18, 2025" in r["sheetText"] and "Summit in Anchorage" in r["sheetText"]


def test_the_phone_screenshot_is_not_blank(page, tmp_path):
    shot = tmp_path / "phone.png"
    assert chromium.screenshot_framed(page, shot, 390, 900).console == []
    image = chromium.read_png(shot.read_bytes())
    assert image.width == 390
    assert near(image.colours(), CONTRADICTION) > 100, "the contradictions box is not drawn"


FILTER = """
function visible() {
  return {
    lanes: Array.from(document.querySelectorAll(".lane-band"))
      .filter(function (b) { return b.getBoundingClientRect().height > 0; })
      .map(function (b) { return b.getAttribute("data-claim"); }),
    articles: Array.from(document.querySelectorAll("article.claim"))
      .filter(function (a) { return a.getBoundingClientRect().height > 0; })
      .map(function (a) { return a.getAttribute("data-claim"); }),
    count: document.getElementById("filter-count").textContent,
  };
}
function choose(name, value) {
  var select = document.querySelector('#filters select[name="' + name + '"]');
  select.value = value;
  select.dispatchEvent(new Event("change", {bubbles: true}));
}
var r = {formShown: !document.getElementById("filters").hidden, all: visible()};
choose("standing", "contradicted");
r.contradicted = visible();
choose("standing", "");
choose("claim", "summit-location");
r.location = visible();
choose("claim", "");
choose("event", "no-such-event-selected");
r.options = Array.from(document.querySelectorAll('#filters select[name="event"] option'),
  function (o) { return o.value; });
parent.postMessage(JSON.stringify(r), "*");
"""


def test_the_filter_narrows_chart_and_list(page, tmp_path):
    r = probe(page, FILTER, tmp_path)
    assert r["formShown"]
    both = ["summit-date", "summit-location"]
    assert r["all"] == {"lanes": both, "articles": both, "count": "all 2 claims"}
    assert r["contradicted"] == {
        "lanes": ["summit-date"],
        "articles": ["summit-date"],
        "count": "1 of 2 claims",
    }
    assert r["location"] == {
        "lanes": ["summit-location"],
        "articles": ["summit-location"],
        "count": "1 of 2 claims",
    }
    assert r["options"] == ["", "alaska-summit-2025"]
