"""A saved web page read as an article: its main text, title, site name and canonical url
(trafilatura), and its publication date (htmldate) with where on the page that date was found.

Nothing here touches the network: the page is the bytes given.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError
from .files import decode_utf8

MIN_WORDS = 5  # fewer is a menu or a link left over, not an article
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_HTML_START = re.compile(rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head)\b", re.I | re.S)
_URL_DATE = re.compile(r"/(\d{4})/(\d{2})/(\d{2})(?:/|$)|/(\d{4})-(\d{2})-(\d{2})")
# Meta tags that hold a publication (or modification) date, by their property/name/itemprop.
_META_DATES = {
    "article:published_time", "og:published_time", "datepublished", "date", "dc.date",
    "dc.date.issued", "dcterms.created", "pubdate", "publishdate", "sailthru.date",
    "parsely-pub-date", "article.published", "published-date", "citation_publication_date",
}  # fmt: skip
_META_MODIFIED = {"article:modified_time", "og:updated_time", "datemodified", "last-modified"}


def looks_like_html(name: str, data: bytes) -> bool:
    """A saved page by its name (.html, .htm) or, whatever its name, by how it starts."""
    return name.lower().endswith(HTML_SUFFIXES) or bool(_HTML_START.match(data[:4096]))


@dataclass(frozen=True)
class Page:
    """What a saved page says about itself. Any field may be None: not found on the page."""

    text: str
    title: str | None
    outlet: str | None
    url: str | None
    published: str | None  # EDTF
    basis: str | None  # how the published date was found


class NoArticle(ValueError):
    """The page holds no text that reads as an article."""


def read_page(html: str) -> Page:
    """Extract the article from a page's HTML."""
    import trafilatura
    from htmldate import find_date

    document = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=True, deduplicate=False
    )
    text = (getattr(document, "text", None) or "").strip() if document is not None else ""
    if len(text.split()) < MIN_WORDS:
        raise NoArticle("no article text found in the page")
    meta = _page_facts(html)
    url = _clean(getattr(document, "url", None))
    first = find_date(html, original_date=True, extensive_search=True, url=url)
    last = find_date(html, original_date=False, extensive_search=True, url=url)
    published, basis = None, None
    if first:
        basis = f"published {first}, from {_where(first, meta, url, published=True)}"
        published = first
        if last and last > first:
            published = f"{first}/{last}"
            basis += (
                f"; updated until {last}, from {_where(last, meta, url, published=False)}: the "
                "text is the page as last updated, so its date is the interval"
            )
    return Page(
        text=text + "\n",
        title=_clean(getattr(document, "title", None)),
        outlet=_clean(getattr(document, "sitename", None)),
        url=url,
        published=published,
        basis=basis,
    )


def _clean(value) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


@dataclass
class _Facts:
    jsonld: list[tuple[str, str]]  # (key, value) of every datePublished / dateModified
    metas: list[tuple[str, str, str]]  # (attribute, name, content) of date-bearing meta tags
    times: list[str]  # every <time datetime>


def _page_facts(html: str) -> _Facts:
    """The page's date-bearing markup, read with lxml (as trafilatura and htmldate do)."""
    from lxml import html as lxml_html

    facts = _Facts([], [], [])
    try:
        tree = lxml_html.fromstring(html.encode("utf-8"))
    except (ValueError, TypeError, SyntaxError):
        return facts
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() == "application/ld+json" and script.text:
            try:
                facts.jsonld.extend(_jsonld_dates(json.loads(script.text)))
            except ValueError:
                continue
    for meta in tree.iter("meta"):
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            name = (meta.get(attribute) or "").strip()
            content = (meta.get("content") or "").strip()
            if name.lower() in _META_DATES | _META_MODIFIED and content:
                facts.metas.append((attribute, name, content))
    facts.times = [t.get("datetime").strip() for t in tree.iter("time") if t.get("datetime")]
    return facts


def _jsonld_dates(data) -> list[tuple[str, str]]:
    found = []
    if isinstance(data, list):
        for item in data:
            found.extend(_jsonld_dates(item))
    elif isinstance(data, dict):
        for key, value in data.items():
            if key in ("datePublished", "dateCreated", "dateModified") and isinstance(value, str):
                found.append((key, value.strip()))
            elif isinstance(value, (dict, list)):
                found.extend(_jsonld_dates(value))
    return found


def _where(day: str, facts: _Facts, url: str | None, *, published: bool) -> str:
    """Where on the page `day` (YYYY-MM-DD) is stated, in words."""
    keys = ("datePublished", "dateCreated") if published else ("dateModified",)
    for key, value in facts.jsonld:
        if key in keys and value.startswith(day):
            return f'the JSON-LD "{key}" ({value})'
    names = _META_DATES if published else _META_MODIFIED
    for attribute, name, content in facts.metas:
        if name.lower() in names and content.startswith(day):
            return f'<meta {attribute}="{name}"> ({content})'
    times = [t for t in facts.times if t.startswith(day)]
    if times:
        which = "earliest" if published else "latest"
        return f'the {which} <time datetime="{times[0]}"> of {len(facts.times)} on the page'
    if url:
        match = _URL_DATE.search(url)
        if match:
            parts = [g for g in match.groups() if g]
            if "-".join(parts) == day:
                return f"the URL path ({url})"
    return "the page's text (htmldate's heuristics; check it against the article)"


def article_from_file(file: Path, data: bytes, fields: dict) -> tuple[bytes, bytes | None, dict]:
    """The text to store, the page it came from (None for a plain-text article), and the
    metadata: what was given, else what the page says."""
    if not looks_like_html(file.name, data):
        decode_utf8(data, str(file))
        for name in ("published", "title"):
            if fields[name] is None:
                raise UsageError(f"--{name} is required for a plain-text article ({file})")
        return data, None, fields
    try:
        html = data.decode("utf-8")
    except UnicodeDecodeError:
        from trafilatura.utils import decode_file  # the page's declared or detected encoding

        html = decode_file(data)
    try:
        page = read_page(html)
    except NoArticle as err:
        raise UsageError(f"{file}: {err}; save the article's text and add that instead") from None
    found = {"title": page.title, "outlet": page.outlet, "url": page.url}
    merged = {name: found.get(name) if fields[name] is None else fields[name] for name in fields}
    if fields["published"] is None:
        if not page.published:
            raise UsageError(
                f"{file}: no publication date found in the page; give it with --published "
                "(EDTF, e.g. 2025-08-08) and say how it was established with --basis"
            )
        merged["published"] = page.published
        merged["basis"] = page.basis if fields["basis"] is None else fields["basis"]
    return page.text.encode("utf-8"), data, merged
