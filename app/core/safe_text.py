"""Server text as data: any string from the network made safe to show on a terminal or a label.

A name, key or error message may carry terminal control (ESC sequences that clear the
screen or set the title, BEL, CR, backspace) or bidi overrides that reorder what the
reader sees. Those characters are shown as visible escapes (``\\x1b``, ``\\u202e``);
everything else, accents included, is kept as it is.
"""

from __future__ import annotations

import re

# C0 controls, DEL, C1 controls; bidi embeddings, overrides, isolates and marks;
# line and paragraph separators (they break a one-line message in two).
UNSAFE_CHARACTERS = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def safe_text(value: object) -> str:
    """The value as text with every unsafe character replaced by a visible escape."""
    return UNSAFE_CHARACTERS.sub(_escape, str(value))


def has_unsafe_characters(value: str) -> bool:
    return UNSAFE_CHARACTERS.search(value) is not None


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
