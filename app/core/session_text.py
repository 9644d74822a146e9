"""Sessions in words, for the command line and the window alike: durations, and what a
Cloudflare `err_message` means with the likely fix where one is known."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.core.redaction import redact
from app.core.safe_text import safe_text

# Known causes of an ERRORED livestream, matched in Cloudflare's message; first match wins.
# The fixes follow Cloudflare's ingest requirements (H.264 + AAC, CBR, keyframes every 2-8 s).
_KNOWN_CAUSES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"codec|h\.?264|aac|hevc|av1|vp[89]|opus", re.I),
        "Cloudflare accepts H.264 video with AAC audio: in OBS, Settings \u2192 Output, choose "
        "an H.264 (x264) encoder and AAC audio, then start streaming again.",
    ),
    (
        re.compile(r"key ?frame|gop|i-?frame", re.I),
        "Set the keyframe interval to 4 s (2 to 8 s works): OBS, Settings \u2192 Output "
        "\u2192 Keyframe Interval.",
    ),
    (
        re.compile(r"bit ?rate|bandwidth|too large|exceed", re.I),
        "Lower the video bitrate and use CBR: OBS, Settings \u2192 Output \u2192 Rate Control CBR.",
    ),
    (
        re.compile(r"resolution|frame ?rate|fps", re.I),
        "Send a common size and frame rate (1920\u00d71080 or 1280\u00d7720 at 30 or 60 fps): "
        "OBS, Settings \u2192 Video.",
    ),
    (
        re.compile(r"stream ?key|unauthori[sz]ed|forbidden|auth", re.I),
        "The encoder's stream key was refused: copy the key from this window into OBS again.",
    ),
    (
        re.compile(r"timeout|timed out|disconnect|no (data|input)|idle|connection", re.I),
        "The encoder stopped sending: check its network connection, then start streaming again.",
    ),
)
GENERIC_FIX = (
    "Check the encoder against Cloudflare's requirements (H.264 video, AAC audio, CBR, "
    "keyframes every 4 s), then start streaming again."
)
NO_MESSAGE = "Cloudflare marked the livestream as failed without saying why."


@dataclass(frozen=True, slots=True)
class ErrorExplanation:
    said: str  # what Cloudflare said, in a sentence
    fix: str  # what to do


def explain_error(err_message: str | None) -> ErrorExplanation:
    # Cloudflare's words are shown as data: escaped controls, no echoed stream key.
    message = redact(safe_text((err_message or "").strip()))
    if not message:
        return ErrorExplanation(NO_MESSAGE, GENERIC_FIX)
    said = f"Cloudflare says: \u201c{message}\u201d"
    for pattern, fix in _KNOWN_CAUSES:
        if pattern.search(message):
            return ErrorExplanation(said, fix)
    return ErrorExplanation(said, GENERIC_FIX)


def duration_text(seconds: float | None) -> str:
    """1 h 05 min, 5 min 12 s, 42 s; a dash when unknown."""
    if seconds is None:
        return "\u2014"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s"
    return f"{secs} s"


def minutes(seconds: float | None) -> float | None:
    return None if seconds is None else seconds / 60
