"""Text made storable where it enters the pipeline (decoded documents, feed fields, page
text, archive lines).

PostgreSQL refuses NUL in text and jsonb, and a lone surrogate (from "&#xD800;" or a
"\\ud800" JSON escape) cannot be encoded to UTF-8 at all: either one in a title made the
whole feed's transaction fail. Other C0 controls are invisible junk that breaks matching.
"""
from __future__ import annotations

import re

# Tab, line feed and carriage return are text; the rest of C0 and DEL are not.
_DROPPED = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
# Vertical tab and form feed separate words in old CMS exports: a space keeps them apart.
_SPACED = re.compile("[\x0b\x0c]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def sanitize(text: str | None) -> str | None:
    """`text` without NUL and C0 controls, lone surrogates replaced by U+FFFD."""
    if not text:
        return text
    text = _DROPPED.sub("", text)
    text = _SPACED.sub(" ", text)
    return _SURROGATE.sub("\ufffd", text)
