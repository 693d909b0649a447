"""The timeline page: each claim a lane across publication time, in one self-contained HTML file.

Each version is a mark at its source's published date (an uncertain date is a bar over its
interval), shaped and coloured by its change kind, with the value written at each change. The
quote and source show on hover (SVG <title>, no script) and in a list below the chart, which is
also what a screen reader or a printout reads. The page loads nothing: its CSS and SVG are
inline and its Content-Security-Policy forbids any fetch and any script.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from html import escape
from string import Template

from .compare import CONTRADICTED, CORROBORATED, EDITED, FIRST_REPORT
from .dates import DateRange, parse_date
from .history import UNREADABLE, Version, chronological
from .quotes import quote_list
from .values import value_text

# Change kinds: colour (Okabe-Ito, told apart by most colour-blind readers), and what it means.
# The shape tells them apart in grey print too.
KINDS = {
    "first-report": ("#0072B2", "first report of the claim"),
    "corroborated": ("#56B4E9", "same value, from a new source"),
    "refined": ("#009E73", "a narrower value inside the previous one"),
    "broadened": ("#E69F00", "a wider value around the previous one"),
    "contradicted": ("#D40000", "a value incompatible with the previous one"),
    "changed": ("#CC79A7", "a different value (text, people)"),
    "edited": ("#767676", "a correction of the record, same source"),
    "unreadable": ("#000000", "the file at that commit does not parse"),
}
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


def time_sense(version: Version) -> str | None:
    """The time-sense finding of `claims check` for this version, if any."""
    from .rules.time_sense import finding

    claim, published = version.claim, version.published
    if claim is None or claim.type != "date" or published is None:
        return None
    try:
        value = parse_date(claim.value)
    except ValueError:
        return None
    return finding(claim.modality, value, published, claim.source)


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
    histories: dict[str, list[Version]],
    *,
    sources: int,
    head: str | None = None,
    truncated: bool = False,
) -> Page:
    """Lay out every claim in `histories` (versions in commit order) as lanes."""
    stories = {claim_id: chronological(versions) for claim_id, versions in histories.items()}
    start, end, first, last = _domain(list(stories.values()))
    undated = any(v.published is None for story in stories.values() for v in story)
    page = Page([], [], start, end, first, last, sources, head, truncated, undated)
    for claim_id in sorted(stories):
        story = stories[claim_id]
        latest = next((v.claim for v in sorted(story, key=lambda v: -v.order) if v.claim), None)
        kind = latest.type if latest else ""
        marks = [
            Mark(
                v,
                n,
                len(story),
                f"v-{claim_id}-{n}",
                label=label_for(v, kind),
                warning=time_sense(v),
            )
            for n, v in enumerate(story, 1)
        ]
        page.lanes.append(
            Lane(
                claim_id,
                latest.event if latest else "(unknown event)",
                latest.property if latest else "",
                kind,
                marks,
                contested=any(v.change == CONTRADICTED for v in story),
            )
        )
    events = sorted({lane.event for lane in page.lanes})
    page.events = events
    page.groups = [
        (event, [lane for lane in page.lanes if lane.event == event]) for event in events
    ]
    _place(page)
    return page


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
            lane.rows = _place_labels(lane.marks, page.plot_right)
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


def _place_labels(marks: list[Mark], right: float) -> int:
    """Put each label in the first row where it overlaps no other; return the rows used.

    Rows alternate above and below the lane's line: 0 above, 1 below, 2 above row 0...
    A label that fits in none of MAX_ROWS rows is left out of the chart.
    """
    rows_end: list[float] = []
    labelled = [mark for mark in marks if mark.label]
    for mark, following in zip(labelled, [*labelled[1:], None], strict=True):
        room = (following.x if following else right + 8) - mark.x - 10
        fit = max(MIN_LABEL, min(MAX_LABEL, int(room / CHAR_WIDTH)))
        mark.shown = short(mark.label, fit) + (" ⚠" if mark.warning else "")
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


# Drawing -----------------------------------------------------------------------------------------


def f(number: float) -> str:
    return f"{number:.1f}"


def glyph(kind: str, x: float, y: float) -> str:
    """The mark of one change kind, centred on (x, y)."""
    colour = KINDS.get(kind, KINDS[UNREADABLE])[0]
    if kind == FIRST_REPORT:
        return f'<circle cx="{f(x)}" cy="{f(y)}" r="6.5" fill="{colour}" stroke="#fff" stroke-width="1.5"/>'
    if kind == CORROBORATED:
        return f'<circle cx="{f(x)}" cy="{f(y)}" r="5" fill="{colour}" stroke="#fff" stroke-width="1.5"/>'
    if kind == "refined":
        points = f"{f(x - 7)},{f(y - 5)} {f(x + 7)},{f(y - 5)} {f(x)},{f(y + 7)}"
        return f'<polygon points="{points}" fill="{colour}" stroke="#fff" stroke-width="1.2"/>'
    if kind == "broadened":
        points = f"{f(x - 7)},{f(y + 5)} {f(x + 7)},{f(y + 5)} {f(x)},{f(y - 7)}"
        return f'<polygon points="{points}" fill="{colour}" stroke="#fff" stroke-width="1.2"/>'
    if kind == CONTRADICTED:
        d = 3.6
        return (
            f'<circle cx="{f(x)}" cy="{f(y)}" r="11" fill="#fff" stroke="{colour}" stroke-width="2"/>'
            f'<circle cx="{f(x)}" cy="{f(y)}" r="7.5" fill="{colour}"/>'
            f'<path d="M{f(x - d)},{f(y - d)}L{f(x + d)},{f(y + d)}M{f(x + d)},{f(y - d)}'
            f'L{f(x - d)},{f(y + d)}" stroke="#fff" stroke-width="2.2" stroke-linecap="round"/>'
        )
    if kind == "changed":
        return f'<rect x="{f(x - 5.5)}" y="{f(y - 5.5)}" width="11" height="11" fill="{colour}" stroke="#fff" stroke-width="1.2"/>'
    if kind == EDITED:
        return f'<circle cx="{f(x)}" cy="{f(y)}" r="5" fill="#fff" stroke="{colour}" stroke-width="2.2"/>'
    return (
        f'<rect x="{f(x - 5.5)}" y="{f(y - 5.5)}" width="11" height="11" fill="#fff" '
        f'stroke="{colour}" stroke-width="1.5" stroke-dasharray="2 1.5"/>'
    )


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


def _axis(page: Page, y: float, top: bool) -> list[str]:
    ticks, months = _ticks(page)
    parts = []
    label_y = y - 8 if top else y + 16
    if (page.end - page.start).days <= 92:  # a small tick for every day
        for n in range((page.end - page.start).days + 1):
            x = page.x(page.start + dt.timedelta(days=n))
            y1, y2 = (y - 2, y) if top else (y, y + 2)
            parts.append(f'<line class="minor" x1="{f(x)}" y1="{f(y1)}" x2="{f(x)}" y2="{f(y2)}"/>')
    for day, text in ticks:
        x = page.x(day)
        parts.append(
            f'<line class="tick" x1="{f(x)}" y1="{f(y - 4 if top else y)}" x2="{f(x)}" y2="{f(y if top else y + 4)}"/>'
            f'<text class="tick-label" x="{f(x)}" y="{f(label_y)}" text-anchor="middle">{e(text)}</text>'
        )
    if top:
        for x, text in _month_labels(page, months):
            overflow = x + 4 + text_width(text) > WIDTH
            parts.append(
                f'<line class="month" x1="{f(x)}" y1="{f(6)}" x2="{f(x)}" y2="{f(y)}"/>'
                f'<text class="month-label" x="{f(x - 4 if overflow else x + 4)}" y="16" '
                f'text-anchor="{"end" if overflow else "start"}">{e(text)}</text>'
            )
    parts.append(
        f'<line class="axis" x1="{LEFT}" y1="{f(y)}" x2="{f(page.plot_right)}" y2="{f(y)}"/>'
    )
    if page.undated:
        centre = page.plot_right + UNDATED_GUTTER / 2
        parts.append(
            f'<text class="tick-label" x="{f(centre)}" y="{f(label_y)}" text-anchor="middle">date unknown</text>'
        )
    return parts


def _month_labels(page: Page, months: list[tuple[dt.date, str]]) -> list[tuple[float, str]]:
    """Month names that do not overlap; a month's first day wins over the axis's first day."""
    placed: list[tuple[float, str, bool]] = []
    for day, text in months:
        x = page.x(day)
        if placed and x - placed[-1][0] < text_width(placed[-1][1]) + 12:
            if not placed[-1][2]:
                continue
            placed.pop()  # the axis's first day gives way to a month's first day
        placed.append((x, text, day.day != 1))
    return [(x, text) for x, text, _ in placed]


def _grid(page: Page, top: float, bottom: float) -> list[str]:
    ticks, months = _ticks(page)
    lines = [
        f'<line class="grid" x1="{f(page.x(d))}" y1="{f(top)}" x2="{f(page.x(d))}" y2="{f(bottom)}"/>'
        for d, _ in ticks
    ]
    for day, _ in months:
        x = page.x(day)
        if day != page.start:
            lines.append(
                f'<line class="grid month" x1="{f(x)}" y1="{f(top)}" x2="{f(x)}" y2="{f(bottom)}"/>'
            )
    if page.undated:
        x = page.plot_right + 8
        lines.append(
            f'<line class="grid month" x1="{f(x)}" y1="{f(top)}" x2="{f(x)}" y2="{f(bottom)}"/>'
        )
    return lines


def tooltip(mark: Mark, kind: str) -> str:
    """A mark's hover text: the version in full, one fact a line."""
    v = mark.version
    lines = [f"{v.claim_id} · version {mark.position} of {mark.total} · {v.change}"]
    published = v.published
    lines.append(f"published {published.describe()}" if published else "publication date unknown")
    if v.claim is None:
        lines.append(v.error or "unreadable")
        return "\n".join(lines)
    claim = v.claim
    lines.append(f"{value_text(claim.value, kind)} [{claim.modality}]")
    if v.detail and v.change != FIRST_REPORT:
        lines.append(f"change: {v.detail}")
    lines.extend(f"“{quote}”" for quote in quote_list(claim.quote))
    title = v.source.display_title if v.source else "source metadata missing"
    lines.append(f"source {claim.source}: {title}")
    if mark.warning:
        lines.append(f"⚠ {mark.warning}")
    return "\n".join(lines)


def _lane(page: Page, lane: Lane, stripe: bool) -> list[str]:
    parts = []
    cls = "lane contested" if lane.contested else ("lane stripe" if stripe else "lane")
    parts.append(f'<g class="{cls}" id="lane-{e(lane.claim_id)}" data-claim="{e(lane.claim_id)}">')
    parts.append(
        f'<rect class="lane-bg" x="0" y="{f(lane.top)}" width="{WIDTH}" height="{f(lane.height)}"/>'
    )
    if lane.contested:
        parts.append(
            f'<rect x="0" y="{f(lane.top)}" width="4" height="{f(lane.height)}" fill="{CONTRADICTION}"/>'
        )
    y = lane.glyph_y
    lines, height = _name_block(lane)
    baseline = y - height / 2 + 11
    parts.append(f'<g class="lane-name"><title>{e(lane.claim_id)}: {e(lane.prop)}</title>')
    for number, (cls, text) in enumerate(lines):
        parts.append(f'<text class="{cls}" x="12" y="{f(baseline + 14 * number)}">{e(text)}</text>')
    parts.append("</g>")
    marks = lane.marks
    if marks:
        parts.append(
            f'<line class="lane-line" x1="{f(marks[0].x)}" y1="{f(y)}" x2="{f(marks[-1].x)}" y2="{f(y)}"/>'
        )
    before = None
    for mark in marks:
        if mark.kind == CONTRADICTED and before is not None:
            parts.append(
                f'<line class="conflict" x1="{f(before.x)}" y1="{f(y)}" x2="{f(mark.x)}" y2="{f(y)}"/>'
            )
        if mark.version.claim is not None:
            before = mark
    for mark in marks:
        if mark.bar:
            x0, x1, open_start, open_end = mark.bar
            colour = KINDS.get(mark.kind, KINDS[UNREADABLE])[0]
            if open_start or open_end:  # fades towards the end that is not known
                fade = f"fade-{'left' if open_start and not open_end else 'right'}-{mark.kind}"
                parts.append(
                    f'<rect class="bar open-bar" x="{f(x0)}" y="{f(y - 4)}" '
                    f'width="{f(max(x1 - x0, 2))}" height="8" rx="4" fill="url(#{e(fade)})"/>'
                )
            else:
                parts.append(
                    f'<rect class="bar" x="{f(x0)}" y="{f(y - 4)}" width="{f(max(x1 - x0, 2))}" '
                    f'height="8" rx="4" fill="{colour}" stroke="{colour}"/>'
                )
            if open_end:
                parts.append(
                    f'<path class="open" d="M{f(x1)},{f(y - 6)}L{f(x1 + 7)},{f(y)}L{f(x1)},{f(y + 6)}Z" fill="{colour}"/>'
                )
            if open_start:
                parts.append(
                    f'<path class="open" d="M{f(x0)},{f(y - 6)}L{f(x0 - 7)},{f(y)}L{f(x0)},{f(y + 6)}Z" fill="{colour}"/>'
                )
    for mark in marks:
        parts.append(_mark(lane, mark))
    parts.append("</g>")
    return parts


def _mark(lane: Lane, mark: Mark) -> str:
    y = lane.glyph_y
    label = ""
    if mark.shown:
        ly = label_y(lane, mark.label_row)
        anchor = "end" if mark.label_end else "start"
        leader = ""
        if mark.label_row >= 2:  # a label far from its mark gets a line to it
            y1 = ly + 3 if mark.label_row % 2 == 0 else ly - 11
            y2 = y - 8 if mark.label_row % 2 == 0 else y + 8
            leader = f'<line class="leader" x1="{f(mark.x)}" y1="{f(y1)}" x2="{f(mark.x)}" y2="{f(y2)}"/>'
        text = mark.shown
        label = (
            f'{leader}<text class="value k-{e(mark.kind)}" x="{f(mark.label_x)}" y="{f(ly)}" '
            f'text-anchor="{anchor}">{e(text)}</text>'
        )
    return (
        f'<a class="mark k-{e(mark.kind)}" href="#{e(mark.anchor)}" tabindex="-1" '
        f'data-change="{e(mark.kind)}">'
        f"<title>{e(tooltip(mark, lane.kind))}</title>"
        f'<g class="glyph">{glyph(mark.kind, mark.x, y)}</g>{label}</a>'
    )


def _gradients() -> str:
    stops = '<stop offset="0" stop-color="{c}" stop-opacity=".5"/><stop offset="1" stop-color="{c}" stop-opacity=".04"/>'
    defs = []
    for kind, (colour, _) in KINDS.items():
        for side, (x1, x2) in (("right", (0, 1)), ("left", (1, 0))):
            defs.append(
                f'<linearGradient id="fade-{side}-{kind}" x1="{x1}" x2="{x2}" y1="0" y2="0">'
                + stops.format(c=colour)
                + "</linearGradient>"
            )
    return "<defs>" + "".join(defs) + "</defs>"


def _band(top: float, height: float, body: list[str], cls: str = "band") -> str:
    """One horizontal slice of the chart as its own SVG, in the chart's coordinates.

    A slice per lane lets a printout break the chart between lanes, never through one.
    """
    return (
        f'<svg class="{cls}" xmlns="http://www.w3.org/2000/svg" viewBox="0 {f(top)} {WIDTH} {f(height)}" '
        f'width="{WIDTH}" height="{f(height)}">' + "".join(body) + "</svg>"
    )


def chart(page: Page) -> str:
    """The chart: an axis, a slice per event heading and per lane, and the axis again."""
    description = (
        f"{len(page.lanes)} claims, one lane each, across publication dates from {page.start} "
        f"to {page.end}; every version is listed below the chart."
    )
    slices = [_band(0, AXIS + 8, [_gradients(), *_axis(page, AXIS, top=True),
                                  *_grid(page, AXIS, AXIS + 8)], "band axis-band")]  # fmt: skip
    stripe = False
    for event, lanes in page.groups:
        if len(page.groups) > 1:
            top = lanes[0].top - EVENT_HEADER
            label = f'<text class="event-label" x="12" y="{f(lanes[0].top - 10)}">{e(event)}</text>'
            slices.append(_band(top, EVENT_HEADER, [*_grid(page, top, lanes[0].top), label]))
        for lane in lanes:
            bottom = lane.top + lane.height + LANE_GAP
            body = [*_grid(page, lane.top, bottom), *_lane(page, lane, stripe)]
            slices.append(_band(lane.top, lane.height + LANE_GAP, body, "band lane-band"))
            stripe = not stripe
    bottom = page.height - AXIS
    slices.append(_band(bottom, AXIS, _axis(page, bottom, top=False), "band axis-band"))
    return (
        f'<div class="chart" role="img" aria-label="Timeline of the claims by publication date. '
        f'{e(description)}">\n' + "\n".join(slices) + "\n</div>"
    )


# The page ----------------------------------------------------------------------------------------


def legend_item(kind: str) -> str:
    colour, meaning = KINDS[kind]
    return (
        f'<li class="k-{kind}"><svg width="26" height="26" viewBox="-13 -13 26 26" aria-hidden="true">'
        f"{glyph(kind, 0, 0)}</svg><span><b>{e(kind)}</b> {e(meaning)}</span></li>"
    )


def _chip(kind: str) -> str:
    return (
        f'<span class="chip k-{e(kind)}"><svg width="18" height="18" viewBox="-11 -11 22 22" '
        f'aria-hidden="true">{glyph(kind, 0, 0)}</svg>{e(kind)}</span>'
    )


def _source_link(url) -> str:
    """A link to the article, only for web addresses (never javascript: or data:)."""
    if isinstance(url, str) and url.lower().startswith(("https://", "http://")):
        return f' <a class="ext" href="{e(url)}" rel="noreferrer noopener">link</a>'
    return ""


def _entry(mark: Mark, kind: str) -> str:
    v = mark.version
    published: DateRange | None = v.published
    when = (
        f"<time>{e(published.text)}</time>"
        + (f' <span class="bounds">({e(published.lower or "…")} to {e(published.upper or "…")})</span>'
           if published and not (published.exact and not published.uncertain) else "")
        if published
        else "<time>publication date unknown</time>"
    )  # fmt: skip
    parts = [f'<li id="{e(mark.anchor)}" class="entry k-{e(v.change)}">']
    parts.append(f'<p class="entry-head">{_chip(v.change)} {when}</p>')
    if v.claim is None:
        parts.append(f'<p class="error">{e(v.error or "unreadable")}</p>')
    else:
        claim = v.claim
        detail = (
            f' <span class="detail">({e(v.detail)})</span>'
            if v.detail and v.change != FIRST_REPORT
            else ""
        )
        parts.append(
            f'<p class="entry-value"><strong>{e(value_text(claim.value, kind))}</strong>{detail} '
            f'<span class="modality">{e(claim.modality)}</span></p>'
        )
        parts.extend(f"<blockquote>{e(quote)}</blockquote>" for quote in quote_list(claim.quote))
        if claim.time_expression:
            parts.append(f'<p class="meta">time expression: “{e(claim.time_expression)}”</p>')
        if claim.note:
            parts.append(f'<p class="meta">note: {e(claim.note)}</p>')
        source = v.source
        if source:
            outlet = f", {e(source.outlet)}" if source.outlet else ""
            parts.append(
                f'<p class="source">Source <code>{e(claim.source)}</code>: '
                f"<cite>{e(source.display_title)}</cite>{outlet}{_source_link(source.url)}</p>"
            )
        else:
            parts.append(
                f'<p class="source">Source <code>{e(claim.source)}</code> (metadata missing)</p>'
            )
    if mark.warning:
        parts.append(f'<p class="warning">⚠ time sense: {e(mark.warning)}</p>')
    late = "; recorded out of chronological order" if v.out_of_order else ""
    parts.append(
        f'<p class="meta">commit <code>{e(v.commit[:12])}</code>, recorded {e(v.recorded)}{late}</p>'
    )
    parts.append("</li>")
    return "".join(parts)


def _contradictions(page: Page) -> str:
    items = []
    for lane in page.lanes:
        previous = None
        for mark in lane.marks:
            if mark.kind == CONTRADICTED and previous is not None:
                old, new = previous.version, mark.version
                items.append(
                    f'<li><a href="#{e(mark.anchor)}"><code>{e(lane.claim_id)}</code></a>: '
                    f"{e(value_text(old.claim.value, lane.kind))} "
                    f"<span class=\"from\">({e(old.claim.source)}, {e(_when(old))})</span> "
                    f"<b>≠</b> <strong>{e(value_text(new.claim.value, lane.kind))}</strong> "
                    f"<span class=\"from\">({e(new.claim.source)}, {e(_when(new))})</span>"
                    + (f'<br><span class="warning">⚠ {e(mark.warning)}</span>' if mark.warning else "")
                    + "</li>"
                )  # fmt: skip
            if mark.version.claim is not None:
                previous = mark
    if not items:
        return ""
    count = len(items)
    return (
        f'<section class="contradictions" aria-label="Contradictions"><h2>≠ {count} '
        f"contradiction{'s' * (count != 1)}</h2><ul>{''.join(items)}</ul></section>"
    )


def _when(version: Version) -> str:
    published = version.published
    return f"published {published.text}" if published else "publication date unknown"


STYLE = """
:root { --ink: #1d1d1f; --muted: #5f6368; --line: #d0d4d9; --red: %(red)s; }
* { box-sizing: border-box; }
body { margin: 0 auto; padding: 20px 20px 40px; max-width: 1240px; color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", Arial, sans-serif; }
h1 { font-size: 22px; margin: 0 0 2px; }
h2 { font-size: 17px; margin: 24px 0 8px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
h3 small { color: var(--muted); font-weight: normal; }
h3 code { font-size: 15px; }
.summary, .meta, .bounds, .from, .modality { color: var(--muted); }
.summary { margin: 0 0 12px; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 18px; list-style: none; padding: 0; margin: 8px 0 12px;
  font-size: 12.5px; }
.legend li { display: flex; align-items: center; gap: 4px; }
.legend b { font-weight: 600; }
.legend .k-contradicted b { color: var(--red); }
.contradictions { border: 2px solid var(--red); border-left-width: 8px; border-radius: 6px;
  padding: 4px 14px 6px; margin: 8px 0 14px; background: #fff5f5; }
.contradictions h2 { color: var(--red); margin: 6px 0 4px; }
.contradictions ul { margin: 0 0 4px; padding-left: 18px; }
.warning { color: #8a4b00; }
figure { margin: 0; }
.chart { max-width: 1200px; }
.chart svg { display: block; width: 100%%; height: auto; }
figcaption { color: var(--muted); font-size: 12.5px; margin-top: 4px; }
.chart text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", Arial, sans-serif; }
.lane-bg { fill: #fff; }
.lane.stripe .lane-bg { fill: #f6f7f9; }
.lane.contested .lane-bg { fill: #fff0f0; }
.lane-label { font-size: 13px; font-weight: 700; fill: var(--ink); }
.lane-sub { font-size: 11px; fill: var(--muted); }
.lane-flag { font-size: 11px; font-weight: 700; fill: var(--red); }
.lane-line { stroke: #a9afb5; stroke-width: 1.5; }
.conflict { stroke: var(--red); stroke-width: 2.5; stroke-dasharray: 5 3; }
.bar { fill-opacity: .28; stroke-opacity: .8; stroke-width: 1; }
.bar.open-bar { fill-opacity: 1; }
.open { fill-opacity: .6; }
.grid { stroke: #e6e8eb; stroke-width: 1; }
.grid.month, .month { stroke: #b9bec5; stroke-width: 1; }
.axis, .tick, .minor { stroke: #80868b; stroke-width: 1; }
.tick-label { font-size: 11px; fill: var(--muted); }
.month-label { font-size: 12px; font-weight: 600; fill: var(--ink); }
.event-label { font-size: 13px; font-weight: 700; fill: var(--muted); }
.value { font-size: 12px; fill: var(--ink); paint-order: stroke; stroke: #fff; stroke-width: 3.5px;
  stroke-linejoin: round; }
.value.k-contradicted { fill: var(--red); font-weight: 700; }
.leader { stroke: #9aa0a6; stroke-width: 1; stroke-dasharray: 2 2; }
.mark { cursor: pointer; }
.mark .glyph { transform-box: fill-box; transform-origin: center; transition: transform .1s; }
.mark:hover .glyph, .mark:focus .glyph { transform: scale(1.4); }
.mark:hover .value { text-decoration: underline; }
.versions ol { padding-left: 22px; margin: 0; }
.entry { margin: 0 0 10px; padding: 6px 8px; border-left: 3px solid var(--line); }
.entry.k-contradicted { border-left-color: var(--red); background: #fff5f5; }
.entry:target { outline: 2px solid #0072B2; }
.entry p { margin: 2px 0; }
.entry-head { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
.chip { display: inline-flex; align-items: center; gap: 3px; font-size: 12px; font-weight: 600; }
.chip.k-contradicted { color: var(--red); }
blockquote { margin: 4px 0; padding: 2px 10px; border-left: 3px solid #e0e0e0; font-style: italic; }
blockquote::before { content: "“"; } blockquote::after { content: "”"; }
.error { color: var(--red); }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { max-width: none; padding: 0; font-size: 11px; }
  .chart svg { break-inside: avoid; }
  figcaption { break-before: avoid; }
  .entry, .contradictions li { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  a.ext::after { content: " (" attr(href) ")"; font-size: 10px; }
}
""" % {"red": CONTRADICTION}  # noqa: UP031 - the CSS is full of braces

PAGE = Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="claims timeline">
<title>$title</title>
<style>$style</style>
</head>
<body>
<header>
<h1>$title</h1>
<p class="summary">$summary</p>
</header>
<main>
$contradictions
<ul class="legend" aria-label="Change kinds">$legend</ul>
<figure>
$chart
<figcaption>Each lane is a claim; each mark a version, placed at its source's publication date (a bar
spans an uncertain date, an arrow an open one) and written with the value where it changed. Hover a
mark for its quote and source, or click it to jump to its entry below.</figcaption>
</figure>
<section class="versions" aria-labelledby="versions-title">
<h2 id="versions-title">Every version, claim by claim</h2>
$entries
</section>
</main>
</body>
</html>
""")


def render(page: Page) -> str:
    """The whole page as HTML text."""
    versions = sum(len(lane.marks) for lane in page.lanes)
    title = "Timeline: " + (
        ", ".join(page.events) if len(page.events) <= 3 else f"{len(page.events)} events"
    )
    summary = [
        f"{len(page.lanes)} claim{'s' * (len(page.lanes) != 1)}",
        f"{versions} version{'s' * (versions != 1)}",
        f"{page.sources} source{'s' * (page.sources != 1)}",
        f"published {page.first} to {page.last}",
    ]
    if page.head:
        summary.append(f"recorded up to commit {page.head[:12]}")
    text = " · ".join(e(part) for part in summary)
    if page.truncated:
        text += ' · <span class="warning">history truncated (shallow clone): older versions are missing</span>'
    entries = []
    for lane in page.lanes:
        head = f"{lane.event} · {lane.prop} · {lane.kind}"
        flag = ' <span class="chip k-contradicted">≠ contradicted</span>' if lane.contested else ""
        entries.append(
            f'<article id="claim-{e(lane.claim_id)}"><h3><code>{e(lane.claim_id)}</code> '
            f"<small>{e(head)}</small>{flag}</h3><ol>"
            + "".join(_entry(mark, lane.kind) for mark in lane.marks)
            + "</ol></article>"
        )
    return PAGE.substitute(
        title=e(title),
        style=STYLE,
        summary=text,
        contradictions=_contradictions(page),
        legend="".join(legend_item(kind) for kind in KINDS),
        chart=chart(page),
        entries="\n".join(entries),
    )
