"""The timeline's chart as SVG: glyphs, axes, grid and one slice per event heading and lane."""

from __future__ import annotations

import datetime as dt

from ..compare import CONTRADICTED, CORROBORATED, EDITED, FIRST_REPORT
from ..kinds import UNREADABLE
from ..quotes import quote_list, quote_text
from ..values import value_text, value_text_with_bounds
from .layout import (
    AXIS,
    CONTRADICTION,
    EVENT_HEADER,
    KINDS,
    LANE_GAP,
    LEFT,
    UNDATED_GUTTER,
    WIDTH,
    Lane,
    Mark,
    Page,
    _name_block,
    _ticks,
    e,
    label_y,
    text_width,
)  # fmt: skip


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
    lines.append(f"{value_text_with_bounds(claim.value, kind)} [{claim.modality}]")
    if v.detail:
        lines.append(f"change: {v.detail}")
    lines.extend(f"“{quote}”" for quote in quote_list(claim.quote))
    for said in claim.also or []:
        if isinstance(said, dict):
            lines.append(
                f"the article also says: {value_text(said.get('value'), kind)} "
                f"“{quote_text(said.get('quote'))}”"
            )
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


def standing(lane: Lane) -> str:
    """What the filter calls a claim's standing."""
    return "contradicted" if lane.contested else "uncontradicted"


def _band(top: float, height: float, body: list[str], cls: str = "band", data: str = "") -> str:
    """One horizontal slice of the chart as its own SVG, in the chart's coordinates.

    A slice per lane lets a printout break the chart between lanes, never through one, and
    the filter hide a lane whole.
    """
    return (
        f'<svg class="{cls}"{data} xmlns="http://www.w3.org/2000/svg" viewBox="0 {f(top)} {WIDTH} {f(height)}" '
        f'width="{WIDTH}" height="{f(height)}">' + "".join(body) + "</svg>"
    )


def write_chart(page: Page, write) -> None:
    """The chart, passed to `write` a slice at a time (never whole in memory)."""
    description = (
        f"{len(page.lanes)} claims, one lane each, across publication dates from {page.start} "
        f"to {page.end}; every version is listed below the chart."
    )
    write(
        f'<div class="chart" role="img" aria-label="Timeline of the claims by publication date. '
        f'{e(description)}">\n'
    )
    write(_band(0, AXIS + 8, [_gradients(), *_axis(page, AXIS, top=True),
                              *_grid(page, AXIS, AXIS + 8)], "band axis-band"))  # fmt: skip
    stripe = False
    for event, lanes in page.groups:
        if len(page.groups) > 1:
            top = lanes[0].top - EVENT_HEADER
            label = f'<text class="event-label" x="12" y="{f(lanes[0].top - 10)}">{e(event)}</text>'
            write("\n" + _band(top, EVENT_HEADER, [*_grid(page, top, lanes[0].top), label],
                               "band event-band", f' data-event="{e(event)}"'))  # fmt: skip
        for lane in lanes:
            bottom = lane.top + lane.height + LANE_GAP
            body = [*_grid(page, lane.top, bottom), *_lane(page, lane, stripe)]
            data = (
                f' data-claim="{e(lane.claim_id)}" data-event="{e(lane.event)}" '
                f'data-standing="{standing(lane)}"'
            )
            write("\n" + _band(lane.top, lane.height + LANE_GAP, body, "band lane-band", data))
            stripe = not stripe
    bottom = page.height - AXIS
    write("\n" + _band(bottom, AXIS, _axis(page, bottom, top=False), "band axis-band"))
    write("\n</div>")
