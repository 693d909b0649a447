"""`claims timeline`: each claim a lane across publication time, in one self-contained page."""

from .layout import CHAR_WIDTH, KINDS, Mark, Page, build_page
from .page import render, write_page

__all__ = ["CHAR_WIDTH", "KINDS", "Mark", "Page", "build_page", "render", "write_page"]
