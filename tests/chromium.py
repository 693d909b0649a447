"""Headless Chromium, for the browser tests and the screenshot in docs/: each run bounded in time.

    python tests/chromium.py PAGE.html SHOT.png [HEIGHT [WIDTH]]   # 1280 px wide by default

Also a small PNG reader (the standard library's zlib, no imaging package) to check a
screenshot is not blank and holds the colours a page should draw.
"""

from __future__ import annotations

import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
)
TIMEOUT = 120  # seconds for one run; a first start on a cold disk is the slow case


def binary() -> str | None:
    return shutil.which("chromium")


@dataclass
class Run:
    stdout: str
    stderr: str

    @property
    def console(self) -> list[str]:
        """What the page wrote to its console (errors, blocked loads), from Chromium's log."""
        return [line for line in self.stderr.splitlines() if ":CONSOLE" in line]


def run(page: Path, *args: str, timeout: float = TIMEOUT) -> Run:
    """Chromium on one page with a throwaway profile; killed with its children on timeout."""
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        command = [binary() or "chromium", *FLAGS, f"--user-data-dir={profile}",
                   "--enable-logging=stderr", "--v=0", *args, page.resolve().as_uri()]  # fmt: skip
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its own process group, so a timeout ends all of it
        )
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise
        if process.returncode != 0:
            raise RuntimeError(f"chromium exited with {process.returncode}: {stderr[-2000:]}")
        return Run(stdout, stderr)


def screenshot(page: Path, png: Path, width: int = 1280, height: int = 900) -> Run:
    png.unlink(missing_ok=True)
    result = run(page, f"--screenshot={png.resolve()}", f"--window-size={width},{height}")
    if not png.is_file():
        raise RuntimeError(f"chromium wrote no screenshot: {result.stderr[-2000:]}")
    return result


def dump_dom(page: Path) -> Run:
    """The page's DOM after loading, serialised, in `stdout`."""
    return run(page, "--dump-dom", "--window-size=1280,900")


# Headless Chromium lays a window out at least 500 px wide, whatever --window-size says (a
# screenshot narrower than that is cropped, not laid out anew). A page in an iframe of the
# wanted width gets that viewport: the frame is what narrow-screen tests and shots look at.
FRAME = """<!DOCTYPE html><html><head><style>body {{ margin: 0 }} iframe {{ border: 0;
display: block }}</style></head><body><iframe src="{src}" width="{width}" height="{height}">
</iframe><script>addEventListener("message", function (event) {{
document.body.setAttribute("data-result", event.data); }});</script></body></html>"""


def framed(page: Path, width: int, height: int) -> Path:
    """A page beside `page` showing it in a frame `width` px wide; what the framed page posts
    to its parent lands in the outer body's data-result attribute."""
    outer = page.with_name(f"{page.stem}-frame-{width}.html")
    outer.write_text(FRAME.format(src=page.name, width=width, height=height))
    return outer


def dump_framed(page: Path, width: int, height: int = 900) -> Run:
    """The outer DOM of `page` framed at `width`, after its scripts have run."""
    outer = framed(page, width, height)
    return run(outer, "--dump-dom", "--virtual-time-budget=5000", f"--window-size={width},{height}")


def screenshot_framed(page: Path, png: Path, width: int, height: int = 900) -> Run:
    """A screenshot of `page` laid out `width` px wide (see FRAME)."""
    return screenshot(framed(page, width, height), png, width, height)


# PNG ---------------------------------------------------------------------------------------------


@dataclass
class Image:
    width: int
    height: int
    channels: int
    rows: list[bytes]

    def colours(self) -> Counter:
        """How many pixels of each (r, g, b) colour."""
        count: Counter = Counter()
        step = self.channels
        for row in self.rows:
            count.update(zip(row[0::step], row[1::step], row[2::step]))  # noqa: B905
        return count


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def read_png(data: bytes) -> Image:
    """Decode an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium writes)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    position, idat, header = 8, [], None
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        position += 12 + length
    if header is None:
        raise ValueError("PNG without a header")
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise ValueError(f"unsupported PNG: depth {depth}, colour type {colour}")
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                corner = previous[i - channels] if i >= channels else 0
                line[i] = (line[i] + _paeth(left, up, corner)) & 0xFF
        rows.append(bytes(line))
        previous = line
    return Image(width, height, channels, rows)


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4, 5) or not binary():
        sys.exit(
            "usage: python tests/chromium.py PAGE.html SHOT.png [HEIGHT [WIDTH]] (needs chromium)"
        )
    shot = Path(sys.argv[2])
    tall = int(sys.argv[3]) if len(sys.argv) >= 4 else 900
    wide = int(sys.argv[4]) if len(sys.argv) == 5 else 1280
    if wide < 500:
        screenshot_framed(Path(sys.argv[1]), shot, wide, tall)
    else:
        screenshot(Path(sys.argv[1]), shot, wide, tall)
    print(shot)
