"""Keeps tokens and stream keys out of logs and error texts.

Every secret the app learns (the API token, each stream key it receives) is
registered here; the logging filter then masks them in every record, whatever
the level or the handler.
"""

from __future__ import annotations

import logging
import threading

MASK = "[redacted]"
# Shorter strings would mask ordinary words; real tokens and keys are far longer.
MIN_SECRET_LENGTH = 8


class SecretRegistry:
    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._lock = threading.Lock()

    def register(self, secret: str | None) -> None:
        if secret and len(secret) >= MIN_SECRET_LENGTH:
            with self._lock:
                self._secrets.add(secret)

    def redact(self, text: str) -> str:
        with self._lock:
            secrets = sorted(self._secrets, key=len, reverse=True)
        for secret in secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return text


SECRETS = SecretRegistry()


def register_secret(secret: str | None) -> None:
    SECRETS.register(secret)


def redact(text: str) -> str:
    return SECRETS.redact(text)


class RedactingFilter(logging.Filter):
    """Renders the record's message and traceback now, masked, so no handler sees the raw text."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info:
            message = f"{message}\n{logging.Formatter().formatException(record.exc_info)}"
        if record.stack_info:
            message = f"{message}\n{record.stack_info}"
        record.msg = redact(message)
        record.args = None
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True


def install_log_redaction(logger: logging.Logger | None = None) -> None:
    """Adds the filter to every handler of the logger (root by default)."""
    target = logger or logging.getLogger()
    for handler in target.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
