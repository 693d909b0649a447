"""The timeline's layout: lanes, marks, bars and value labels placed in the chart's coordinates.

Each claim is a lane; each version a mark at its source's published date (an uncertain date is
a bar over its interval). Nothing here draws: svg.py draws what this places, page.py wraps it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape

from ..compare import CONTRADICTED, CORROBORATED, EDITED
from ..kinds import TABLE as KIND_TABLE
from ..rules.time_sense import version_finding
from ..story import Standing, Story, Version, build_story
from ..values import value_text

# Change kinds: colour and what it means, from the one table in kinds.py.
KINDS = {kind.name: (kind.page, kind.meaning) for kind in KIND_TABLE}
CONTRADICTION = KINDS[CONTRADICTED][0]

WIDTH = 1200
LEFT = 236  # the lane labels' column
RIGHT = 28
UNDATED_GUTTER = 80
AXIS = 44
ROW = 15  # one row of value labels
GLYPH_ZONE = 30
LANE_GAP = 6
EVENT_HEADER = 30
DODGE = 14  # marks on the same day in one lane sit side by side, this far apart
MAX_ROWS = 4  # rows of value labels in one lane, two above its line and two below
MIN_LABEL = 26  # a value label is cut to fit before the next mark, but never shorter than this
MAX_LABEL = 48
CHAR_WIDTH = 6.9  # an estimate for 12px sans-serif, digits included
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTHS_LONG = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")  # fmt: skip


def e(value) -> str:
    """Escape anything for HTML text and attribute values alike."""
    return escape("" if value is None else str(value), quote=True)


def short(text: str, limit: int = MAX_LABEL) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def fit_label(text: str, limit: int, kind: str = "") -> str:
    """A value label cut to `limit` characters where it says least: a place keeps its most
    precise parts (the base, not the state), a list of people whole names and a count."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    flag = "≠ " if text.startswith("≠ ") else ""
    body = text[len(flag) :]
    if kind == "place" and " > " in body:
        parts = body.split(" > ")
        kept = [parts.pop()]
        while parts and len(flag) + len(" > ".join(["…", parts[-1], *kept])) <= limit:
            kept.insert(0, parts.pop())
        return flag + short(" > ".join(["…", *kept]), limit - len(flag))
    if kind == "people" and ", " in body:
        names = body.split(", ")
        for shown in range(len(names) - 1, 0, -1):
            words = f"{', '.join(names[:shown])} +{len(names) - shown}"
            if len(flag) + len(words) <= limit:
                return flag + words
    return short(text, limit)


def text_width(text: str, bold: bool = False) -> float:
    return len(text) * CHAR_WIDTH * (1.08 if bold else 1.0)


def month_day(day: dt.date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}"


# The model of the page ------------------------------------------------------------------------


@dataclass
class Mark:
    version: Version
    position: int  # 1-based place in the claim's story order
    total: int
    anchor: str  # the id of its entry in the list below
    x: float = 0.0
    bar: tuple[float, float, bool, bool] | None = None  # x0, x1, open start, open end
    label: str = ""  # the value in full
    shown: str = ""  # the label as drawn: cut to fit, with a warning sign
    label_row: int = 0
    label_x: float = 0.0
    label_end: bool = False  # text-anchor end: the label runs left of the mark
    warning: str | None = None

    @property
    def kind(self) -> str:
        return self.version.change


@dataclass
class Lane:
    claim_id: str
    event: str
    prop: str
    kind: str
    marks: list[Mark]
    contested: bool
    standing: Standing | None = None
    rows: int = 1
    top: float = 0.0
    height: float = 0.0
    glyph_y: float = 0.0


@dataclass
class Page:
    lanes: list[Lane]
    events: list[str]
    start: dt.date
    end: dt.date
    first: dt.date
    last: dt.date
    sources: int
    head: str | None
    truncated: bool
    undated: bool
    groups: list[tuple[str, list[Lane]]] = field(default_factory=list)
    height: float = 0.0
    ticks: tuple | None = None

    @property
    def plot_right(self) -> float:
        return WIDTH - RIGHT - (UNDATED_GUTTER if self.undated else 0)

    def x(self, day: dt.date) -> float:
        span = (self.end - self.start).days + 1
        return LEFT + ((day - self.start).days + 0.5) * (self.plot_right - LEFT) / span


def label_for(version: Version, kind: str) -> str:
    """The words written at a mark: the value where it changed, nothing where it held."""
    if version.claim is None:
        return "unreadable"
    if version.change == CORROBORATED:
        return ""
    if version.change == EDITED and not version.detail:
        return "edited"
    text = " ".join(value_text(version.claim.value, kind).split())
    return f"≠ {text}" if version.change == CONTRADICTED else text


def _domain(stories: list[list[Version]]) -> tuple[dt.date, dt.date, dt.date, dt.date]:
    """The axis's first and last day, and the first and last day of publication it covers."""
    days = []
    for story in stories:
        for version in story:
            published = version.published
            if published:
                days.extend(d for d in (published.lower, published.upper) if d)
    if not days:  # nothing dated: the commit dates keep the axis meaningful
        days = [dt.date.fromisoformat(v.recorded[:10]) for story in stories for v in story] or [
            dt.date.today()
        ]
    first, last = min(days), max(days)
    pad = max(1, math.ceil((last - first).days * 0.04))
    # Clamped to the calendar's ends: a source may be dated 0001-01-01 or 9999-12-31.
    start = dt.date.fromordinal(max(1, first.toordinal() - pad))
    end = dt.date.fromordinal(min(dt.date.max.toordinal(), last.toordinal() + pad))
    return start, end, first, last


def build_page(
    histories: dict[str, list[Version]] | Iterable[tuple[str, list[Version] | Story]],
    *,
    sources: int,
    head: str | None = None,
    truncated: bool = False,
) -> Page:
    """Lay out every claim in `histories` (versions in commit order, or the claim's story
    already told; a mapping, or pairs of claim id and versions in claim id order, taken one
    at a time) as lanes."""
    pairs = sorted(histories.items()) if isinstance(histories, dict) else histories
    lanes = [
        _lane(claim_id, told if isinstance(told, Story) else build_story(claim_id, told))
        for claim_id, told in pairs
    ]
    stories = [[mark.version for mark in lane.marks] for lane in lanes]
    start, end, first, last = _domain(stories)
    undated = any(v.published is None for story in stories for v in story)
    page = Page(lanes, [], start, end, first, last, sources, head, truncated, undated)
    events = sorted({lane.event for lane in page.lanes})
    page.events = events
    by_event: dict[str, list] = {}  # in one pass: an event's lanes in the page's order
    for lane in page.lanes:
        by_event.setdefault(lane.event, []).append(lane)
    page.groups = [(event, by_event[event]) for event in events]
    _place(page)
    return page


def _lane(claim_id: str, told: Story) -> Lane:
    """A claim's lane: its story's versions as marks, not yet placed."""
    story = told.versions
    current = told.current  # the story's end: the latest-published reading
    latest = current.claim if current else None
    kind = latest.type if latest else ""
    marks = [
        Mark(v, n, len(story), f"v-{claim_id}-{n}", label=label_for(v, kind),
             warning=version_finding(v))
        for n, v in enumerate(story, 1)
    ]  # fmt: skip
    return Lane(
        claim_id,
        latest.event if latest else "(unknown event)",
        latest.property if latest else "",
        kind,
        marks,
        contested=told.standing.contested,
        standing=told.standing,
    )


def _place(page: Page) -> None:
    """Positions of marks, bars and labels, and the height of every lane."""
    y = AXIS + 8
    for _event, lanes in page.groups:
        if len(page.groups) > 1:
            y += EVENT_HEADER
        for lane in lanes:
            previous_x = -math.inf
            for mark in lane.marks:
                published = mark.version.published
                if published is None:
                    x = page.plot_right + UNDATED_GUTTER / 2
                else:
                    lower = published.lower or page.start
                    upper = published.upper or page.end
                    x = page.x(lower)
                    if lower != upper or published.uncertain:
                        mark.bar = (
                            x,
                            page.x(upper),
                            published.lower is None,
                            published.upper is None,
                        )
                x = max(x, previous_x + DODGE)
                mark.x = previous_x = x
            lane.rows = _place_labels(lane.marks, page.plot_right, lane.kind)
            above = (lane.rows + 1) // 2
            below = lane.rows // 2
            marks_height = 6 + above * ROW + GLYPH_ZONE + below * ROW + 4
            lane.top = y
            lane.height = max(marks_height, _name_block(lane)[1] + 12)
            lane.glyph_y = y + (lane.height - marks_height) / 2 + 6 + above * ROW + GLYPH_ZONE / 2
            y += lane.height + LANE_GAP
    page.height = y + AXIS


NAME_CHARS = 27  # of a claim id on one line of the lane's name


def _name_lines(claim_id: str) -> list[str]:
    """A claim id on one line, or two broken after a hyphen when it is long."""
    if len(claim_id) <= NAME_CHARS:
        return [claim_id]
    cut = claim_id.rfind("-", 0, NAME_CHARS) + 1 or NAME_CHARS
    return [claim_id[:cut], short(claim_id[cut:], NAME_CHARS)]


def _name_block(lane: Lane) -> tuple[list[tuple[str, str]], float]:
    """The lines (css class, text) of a lane's name, and their height."""
    lines = [("lane-flag", "≠ contradicted")] if lane.contested else []
    lines += [("lane-label", line) for line in _name_lines(lane.claim_id)]
    count = len(lane.marks)
    lines.append(("lane-sub", f"{lane.kind} · {count} version{'s' * (count != 1)}"))
    return lines, 14.0 * len(lines)


def _place_labels(marks: list[Mark], right: float, kind: str = "") -> int:
    """Put each label in the first row where it overlaps no other; return the rows used.

    Rows alternate above and below the lane's line: 0 above, 1 below, 2 above row 0...
    A label that fits in none of MAX_ROWS rows is left out of the chart.
    """
    rows_end: list[float] = []
    labelled = [mark for mark in marks if mark.label]
    for mark, following in zip(labelled, [*labelled[1:], None], strict=True):
        room = (following.x if following else right + 8) - mark.x - 10
        fit = max(MIN_LABEL, min(MAX_LABEL, int(room / CHAR_WIDTH)))
        mark.shown = fit_label(mark.label, fit, kind) + (" ⚠" if mark.warning else "")
        width = text_width(mark.shown, bold=mark.kind == CONTRADICTED)
        if mark.x - 4 + width <= right:
            start, end, mark.label_end = mark.x - 4, mark.x - 4 + width, False
        else:
            start, end, mark.label_end = mark.x + 4 - width, mark.x + 4, True
        row = next((r for r, used in enumerate(rows_end) if start >= used + 10), len(rows_end))
        if row == MAX_ROWS:  # a crowded lane: this value shows on hover and in the list only
            mark.shown = ""
            continue
        if row == len(rows_end):
            rows_end.append(end)
        rows_end[row] = end
        mark.label_row = row
        mark.label_x = end if mark.label_end else start
    return max(1, len(rows_end))


def label_y(lane: Lane, row: int) -> float:
    level = row // 2
    if row % 2 == 0:
        return lane.glyph_y - 15 - level * ROW
    return lane.glyph_y + 24 + level * ROW


def _ticks(page: Page) -> tuple[list[tuple[dt.date, str]], list[tuple[dt.date, str]]]:
    """Day ticks with short labels, and month starts with long ones (worked out once a page)."""
    if page.ticks is None:
        page.ticks = _work_out_ticks(page)
    return page.ticks


# Beyond this many days the axis counts years, so that its cost follows the page's width and not
# the span (sources dated 0001-01-01 and 9999-12-31 span 3.65 million days).
LONG_SPAN_DAYS = 50 * 366
YEAR_STEPS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000)


def _year_ticks(
    page: Page, room: float
) -> tuple[list[tuple[dt.date, str]], list[tuple[dt.date, str]]]:
    years = page.end.year - page.start.year + 1
    step = next((n for n in YEAR_STEPS if years / n <= room), YEAR_STEPS[-1])
    first = max(step, -(-page.start.year // step) * step)
    ticks = [dt.date(year, 1, 1) for year in range(first, page.end.year + 1, step)]
    labels = [(day, str(day.year)) for day in ticks if day >= page.start]
    return labels, labels


def _work_out_ticks(page: Page) -> tuple[list[tuple[dt.date, str]], list[tuple[dt.date, str]]]:
    span = (page.end - page.start).days + 1
    room = (page.plot_right - LEFT) / 70  # at most this many tick labels fit
    if span > LONG_SPAN_DAYS:
        return _year_ticks(page, room)
    days = [page.start + dt.timedelta(days=n) for n in range(span)]
    if span <= room:
        ticks = days
    elif span / 7 <= room:
        ticks = [d for d in days if d.weekday() == 0]
    elif span / 14 <= room:
        ticks = [d for d in days if d.weekday() == 0 and d.isocalendar()[1] % 2 == 0]
    elif span / 30 <= room:
        ticks = [d for d in days if d.day == 1]
    else:
        ticks = [d for d in days if d.day == 1 and d.month in (1, 4, 7, 10)]
    if span / 30 <= room and (len(days) <= 62 or span / 14 <= room):
        tick_labels = [(d, month_day(d)) for d in ticks]
    else:
        tick_labels = [(d, f"{MONTHS[d.month - 1]} {d.year}") for d in ticks]
    months = [(d, f"{MONTHS_LONG[d.month - 1]} {d.year}") for d in days if d.day == 1]
    if page.start.day != 1:
        months.insert(0, (page.start, f"{MONTHS_LONG[page.start.month - 1]} {page.start.year}"))
    return tick_labels, months
