"""Replies cut to a platform's limits: long texts in pieces, short titles.

A piece ends at a paragraph, else a line, else a sentence, else a word; a
word longer than the limit is cut. Danish letters are single characters in
every measure used here (``utf16_length`` counts what Telegram counts).
"""

from __future__ import annotations

from collections.abc import Callable

SEPARATORS = ("\n\n", "\n", ". ", " ")


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units (an emoji outside the BMP counts two)."""
    return len(text.encode("utf-16-le")) // 2


def _fitting(text: str, limit: int, length: Callable[[str], int]) -> int:
    """How many characters of ``text`` fit in ``limit``."""
    if length(text) <= limit:
        return len(text)
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits
        middle = (low + high + 1) // 2
        if length(text[:middle]) <= limit:
            low = middle
        else:
            high = middle - 1
    return low


def split_text(text: str, limit: int, length: Callable[[str], int] = len) -> list[str]:
    """``text`` in pieces of at most ``limit`` (by ``length``), none empty."""
    pieces: list[str] = []
    rest = text.strip()
    while length(rest) > limit:
        end = _fitting(rest, limit, length)
        cut = end
        for separator in SEPARATORS:
            at = rest.rfind(separator, 0, end)
            if at > 0:
                cut = at + len(separator)
                break
        piece = rest[:cut].rstrip()
        if length(piece) > limit or not piece:
            piece, cut = rest[: max(end, 1)], max(end, 1)
        pieces.append(piece)
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def fit_title(title: str, limit: int) -> str:
    """``title``, or its start and "…" when it is longer than ``limit``."""
    if len(title) <= limit:
        return title
    return title[: limit - 1].rstrip() + "…"
