"""Reading a timeline page back: its lanes, marks, value labels, tags and attributes."""

from __future__ import annotations

from html.parser import HTMLParser


class Page(HTMLParser):
    """What a test needs from a timeline page: lanes, marks, labels, links, scripts."""

    def __init__(self, text: str):
        super().__init__()
        self.lanes: list[str] = []
        self.marks: dict[str, list[str]] = {}
        self.labels: list[str] = []
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str]] = []
        self._lane = ""
        self._label = False
        self._raw: list[str] | None = None
        self.scripts: list[str] = []  # the text of each <script>
        self.styles: list[str] = []  # the text of each <style>
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.add(tag)
        self.attributes.extend((k, v or "") for k, v in attrs.items())
        classes = (attrs.get("class") or "").split()
        if tag == "g" and "lane" in classes:
            self._lane = attrs["data-claim"]
            self.lanes.append(self._lane)
        if tag == "a" and "mark" in classes:
            self.marks.setdefault(self._lane, []).append(attrs["data-change"])
        if tag in ("script", "style"):
            self._raw = self.scripts if tag == "script" else self.styles
            self._raw.append("")
        if tag == "text" and "value" in classes:
            self._label = True
            self.labels.append("")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._raw = None
        if tag == "text":
            self._label = False

    def handle_data(self, data):
        if self._raw is not None:
            self._raw[-1] += data
            return
        self.text.append(data)
        if self._label:
            self.labels[-1] += data
