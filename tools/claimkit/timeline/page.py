"""The timeline page: the chart, a filter, the tapped version's detail, and every version listed.

One self-contained HTML file: its CSS, SVG and one small script are inline, and its
Content-Security-Policy allows nothing else, the script and the style only by their sha256. The
template, style and script are package data beside this module.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from importlib import resources
from string import Template

from ..compare import CONTRADICTED
from ..dates import DateRange
from ..quotes import quote_list, quote_text
from ..story import Version
from ..values import value_text, value_text_with_bounds
from .layout import CONTRADICTION, KINDS, Mark, Page, e
from .svg import glyph, write_chart


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
        detail = f' <span class="detail">({e(v.detail)})</span>' if v.detail else ""
        parts.append(
            f'<p class="entry-value"><strong>{e(value_text_with_bounds(claim.value, kind))}</strong>'
            f"{detail} "
            f'<span class="modality">{e(claim.modality)}</span></p>'
        )
        parts.extend(f"<blockquote>{e(quote)}</blockquote>" for quote in quote_list(claim.quote))
        for said in claim.also or []:  # the article contradicts itself: its other statement
            if isinstance(said, dict):
                parts.append(
                    f'<p class="meta">the article also says: <strong>'
                    f"{e(value_text(said.get('value'), kind))}</strong> "
                    f"“{e(quote_text(said.get('quote')))}”</p>"
                )
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
    if v.uncertain:
        late += f"; order uncertain against {', '.join(v.uncertain)}"
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


@cache
def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def csp_hash(text: str) -> str:
    """A Content-Security-Policy source for exactly this inline text."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def _select(name: str, label: str, options: list[tuple[str, str]]) -> str:
    choices = "".join(f'<option value="{e(value)}">{e(text)}</option>' for value, text in options)
    return (
        f'<label>{e(label)}<select name="{name}"><option value="">all</option>{choices}'
        "</select></label>"
    )


def _filters(page: Page) -> str:
    from .svg import standing

    standings = sorted({standing(lane) for lane in page.lanes})
    return "\n".join(
        [
            _select("claim", "Claim", [(lane.claim_id, lane.claim_id) for lane in page.lanes]),
            _select("event", "Event", [(event, event) for event in page.events]),
            _select("standing", "Standing", [(s, s) for s in standings]),
        ]
    )


def render(page: Page) -> str:
    """The whole page as HTML text."""
    parts: list[str] = []
    write_page(page, parts.append)
    return "".join(parts)


# Stand-ins for the two big parts, which write_page writes on their own: escaped text never
# holds a NUL.
_CHART, _ENTRIES = "\0chart\0", "\0entries\0"


def write_page(page: Page, write) -> None:
    """The whole page as HTML text, passed to `write` in parts (the versions one claim at a
    time), so that it is never whole in memory."""
    from .svg import standing

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

    def entry(lane) -> str:
        head = f"{lane.event} · {lane.prop} · {lane.kind}"
        flag = ' <span class="chip k-contradicted">≠ contradicted</span>' if lane.contested else ""
        if lane.standing is not None and lane.standing.state:
            from ..render.listing import standing_text

            flag += f' <small class="standing">{e(standing_text(lane.standing))}</small>'
        data = (
            f'data-claim="{e(lane.claim_id)}" data-event="{e(lane.event)}" '
            f'data-standing="{standing(lane)}"'
        )
        return (
            f'<article class="claim" id="claim-{e(lane.claim_id)}" {data}><h3><code>{e(lane.claim_id)}</code> '
            f"<small>{e(head)}</small>{flag}</h3><ol>"
            + "".join(_entry(mark, lane.kind) for mark in lane.marks)
            + "</ol></article>"
        )

    style = _asset("page.css").replace("@RED@", CONTRADICTION)
    script = _asset("page.js")
    text = Template(_asset("page.html")).substitute(
        title=e(title),
        style=style,
        style_hash=csp_hash(style),
        script=script,
        script_hash=csp_hash(script),
        filters=_filters(page),
        summary=text,
        contradictions=_contradictions(page),
        legend="".join(legend_item(kind) for kind in KINDS),
        chart=_CHART,
        entries=_ENTRIES,
    )
    head, _, rest = text.partition(_CHART)
    middle, _, tail = rest.partition(_ENTRIES)
    write(head)
    write_chart(page, write)
    write(middle)
    for number, lane in enumerate(page.lanes):
        write(("\n" if number else "") + entry(lane))
    write(tail)
