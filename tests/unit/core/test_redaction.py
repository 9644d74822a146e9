"""The logging filter and the registry: a registered secret never reaches a handler's output,
whether it is in the message, its arguments, a traceback or a stack."""

from __future__ import annotations

import io
import logging
import secrets
from collections.abc import Iterator

import pytest

from app.core.redaction import (
    MASK,
    MIN_SECRET_LENGTH,
    RedactingFilter,
    SecretRegistry,
    install_log_redaction,
    redact,
    register_secret,
)


@pytest.fixture
def secret() -> str:
    value = "sk-" + secrets.token_hex(12)
    register_secret(value)
    return value


@pytest.fixture
def captured() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A private logger whose one handler writes to a string, with the redaction installed."""
    logger = logging.getLogger(f"test.redaction.{secrets.token_hex(4)}")
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    logger.addHandler(handler)
    install_log_redaction(logger)
    yield logger, out
    logger.removeHandler(handler)


def test_message_and_arguments_are_masked(captured, secret) -> None:
    logger, out = captured
    logger.info("token %s in %r", secret, {"key": secret})
    assert secret not in out.getvalue()
    assert out.getvalue().count(MASK) == 2


def test_a_traceback_is_rendered_masked(captured, secret) -> None:
    logger, out = captured
    try:
        raise ValueError(f"rejected {secret}")
    except ValueError:
        logger.exception("failed")
    text = out.getvalue()
    assert "Traceback" in text and "ValueError: rejected " + MASK in text
    assert secret not in text


def test_a_stack_is_rendered_masked(captured, secret) -> None:
    logger, out = captured
    logger.info("where %s", secret, stack_info=True)
    text = out.getvalue()
    assert "Stack (most recent call last)" in text
    assert secret not in text


def test_installing_twice_adds_one_filter(captured) -> None:
    logger, out = captured
    install_log_redaction(logger)
    handler = next(h for h in logger.handlers if getattr(h, "stream", None) is out)
    assert [type(f) for f in handler.filters] == [RedactingFilter]


def test_the_root_logger_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    root = logging.getLogger()
    handler = logging.StreamHandler(io.StringIO())
    monkeypatch.setattr(root, "handlers", [handler])
    install_log_redaction()
    assert any(isinstance(f, RedactingFilter) for f in handler.filters)


def test_short_strings_are_not_secrets() -> None:
    registry = SecretRegistry()
    registry.register("a" * (MIN_SECRET_LENGTH - 1))
    registry.register(None)
    registry.register("b" * MIN_SECRET_LENGTH)
    assert registry.redact("aaaaaaa bbbbbbbb") == f"aaaaaaa {MASK}"


def test_the_longest_secret_is_masked_first() -> None:
    registry = SecretRegistry()
    registry.register("abcdefgh")
    registry.register("abcdefgh-longer")
    assert registry.redact("x abcdefgh-longer y") == f"x {MASK} y"


def test_a_new_registry_knows_nothing() -> None:
    assert SecretRegistry().redact("sk-anything-at-all") == "sk-anything-at-all"


def test_the_client_registers_its_token_at_once() -> None:
    import httpx

    from app.core.client import RealtimeKitClient

    token = "tok-" + secrets.token_hex(16)
    RealtimeKitClient(httpx.AsyncClient(), f"  {token} ", base_url="https://api.example.test")
    assert redact(f"Bearer {token}") == f"Bearer {MASK}"
