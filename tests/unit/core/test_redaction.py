"""The log filter itself: a registered secret never leaves a record, however it was logged."""

from __future__ import annotations

import io
import logging

import pytest

from app.core.redaction import MASK, install_log_redaction, register_secret

SECRET = "tok-0123456789abcdef-REDACTION-TEST"


@pytest.fixture
def logged():
    """A private logger with one handler writing to a buffer, with redaction installed."""
    buffer = io.StringIO()
    logger = logging.getLogger("tests.redaction")
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger.addHandler(handler)
    install_log_redaction(logger)
    register_secret(SECRET)
    yield logger, buffer
    logger.removeHandler(handler)


def test_secret_in_percent_args_is_masked(logged):
    logger, buffer = logged
    logger.info("token is %s and again %r", SECRET, {"key": SECRET})
    text = buffer.getvalue()
    assert SECRET not in text
    assert text.count(MASK) == 2


def test_secret_inside_a_traceback_is_masked(logged):
    logger, buffer = logged
    try:
        raise ValueError(f"bad header Bearer {SECRET}")
    except ValueError:
        logger.exception("request failed")
    text = buffer.getvalue()
    assert "Traceback" in text and "ValueError: bad header Bearer" in text
    assert SECRET not in text
    assert MASK in text


def test_secret_in_stack_info_is_masked(logged):
    logger, buffer = logged
    logger.warning("about to send %s", SECRET, stack_info=True)
    text = buffer.getvalue()
    assert "Stack (most recent call last)" in text
    assert SECRET not in text


def test_short_strings_are_not_treated_as_secrets(logged):
    logger, buffer = logged
    register_secret("short")
    logger.info("a short word stays")
    assert "short word stays" in buffer.getvalue()
