"""Split an article body into its paragraphs."""
from __future__ import annotations

import re

from akhbar.transform.normalize import clean_display_text

# A paragraph break is a blank line: a newline, optional horizontal space, a newline.
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
_INNER_NEWLINES = re.compile(r"\s*\n\s*")


def split_paragraphs(body: str | None) -> list[str]:
    """Paragraphs of `body` (separated by one or more blank lines), cleaned, empty ones dropped.

    Single line breaks inside a paragraph are kept as spaces: the contract only treats blank
    lines as separators.
    """
    if not body:
        return []
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for chunk in _BLANK_LINE.split(body):
        text = clean_display_text(chunk)
        text = _INNER_NEWLINES.sub(" ", text)
        if text:
            out.append(text)
    return out
