import pytest

from app.core.session_text import GENERIC_FIX, NO_MESSAGE, duration_text, explain_error


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(None, "\u2014"), (0, "0 s"), (42.4, "42 s"), (312, "5 min 12 s"), (3900, "1 h 05 min")],
)
def test_duration_text(seconds, text):
    assert duration_text(seconds) == text


@pytest.mark.parametrize(
    ("message", "fix_mentions"),
    [
        ("Unsupported video codec HEVC", "H.264"),
        ("keyframe interval too long", "Keyframe Interval"),
        ("Bitrate exceeds the limit", "CBR"),
        ("Invalid stream key", "stream key"),
        ("Input timed out", "stopped sending"),
    ],
)
def test_known_errors_come_with_their_fix(message, fix_mentions):
    explanation = explain_error(message)
    assert message in explanation.said
    assert fix_mentions in explanation.fix


def test_unknown_and_missing_messages():
    assert explain_error("Something odd").fix == GENERIC_FIX
    assert explain_error(None).said == NO_MESSAGE
    assert explain_error("  ").said == NO_MESSAGE


def test_cloudflare_words_are_escaped_and_never_show_a_registered_key() -> None:
    from app.core.redaction import register_secret
    from app.core.safe_text import has_unsafe_characters

    register_secret("live-key-0123456789abcdef")
    explained = explain_error("Bad codec\x1b[2J for live-key-0123456789abcdef")
    assert "\\x1b[2J" in explained.said and not has_unsafe_characters(explained.said)
    assert "live-key-0123456789abcdef" not in explained.said
