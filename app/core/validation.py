"""Checks on what the user types and on what Cloudflare returns, before either is used."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from app.core.errors import InvalidInputError, InvalidResponseError

ACCOUNT_ID_RE = re.compile(r"[0-9a-f]{32}")
APP_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
NAME_RE = re.compile(r"[A-Za-z0-9_-]*")
NAME_MAX_LENGTH = 64
INGEST_SCHEMES = frozenset({"rtmp", "rtmps", "srt"})


def validate_account_id(value: str) -> str:
    account_id = value.strip().lower()
    if not account_id:
        raise InvalidInputError("account_id", "Enter your Cloudflare account ID.")
    if not ACCOUNT_ID_RE.fullmatch(account_id):
        raise InvalidInputError(
            "account_id",
            "The account ID is 32 hexadecimal characters (0-9, a-f); find it in the "
            "Cloudflare dashboard's URL or on the account overview page.",
        )
    return account_id


def validate_app_id(value: str) -> str:
    app_id = value.strip()
    if not app_id:
        raise InvalidInputError("app_id", "Enter or load a RealtimeKit app ID.")
    if not APP_ID_RE.fullmatch(app_id):
        raise InvalidInputError(
            "app_id",
            "The app ID has 1 to 64 letters, digits, '-' or '_' (usually a UUID such as "
            "0b4b1f3e-5a4c-4d7e-9a55-0e6f3c1d2b7a).",
        )
    return app_id


def validate_stream_name(value: str | None) -> str | None:
    """Returns the trimmed name, or None when the user left it empty."""
    name = (value or "").strip()
    if not name:
        return None
    if len(name) > NAME_MAX_LENGTH:
        raise InvalidInputError(
            "name", f"The stream name is too long: at most {NAME_MAX_LENGTH} characters."
        )
    if not NAME_RE.fullmatch(name):
        raise InvalidInputError(
            "name", "The stream name may use letters, digits, '-' and '_' only (no spaces)."
        )
    return name


def validate_token(value: str) -> str:
    token = value.strip()
    if not token:
        raise InvalidInputError(
            "token",
            "The token is empty: paste an API token with the Realtime Admin permission "
            "from the Cloudflare dashboard.",
        )
    if any(c.isspace() for c in token):
        raise InvalidInputError("token", "The token is one word: no spaces or line breaks.")
    return token


def validate_livestream_id(value: str) -> str:
    livestream_id = value.strip()
    if not APP_ID_RE.fullmatch(livestream_id):
        raise InvalidInputError(
            "livestream_id", "The livestream ID has letters, digits, '-' or '_' only."
        )
    return livestream_id


def is_loopback_host(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_safe_http_url(url: str) -> bool:
    """https anywhere, plain http only to this machine."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if not parts.hostname or any(c.isspace() for c in url):
        return False
    if parts.scheme == "https":
        return True
    return parts.scheme == "http" and is_loopback_host(parts.hostname)


def check_playback_url(url: str) -> str:
    if not is_safe_http_url(url):
        raise InvalidResponseError(
            "Cloudflare returned a playback URL that is not an https:// address; it was not used."
        )
    return url


def check_ingest_server(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme not in INGEST_SCHEMES
        or not parts.hostname
        or any(c.isspace() for c in url)
    ):
        raise InvalidResponseError(
            "Cloudflare returned an ingest server that is not an rtmp://, rtmps:// or srt:// "
            "address; it was not used."
        )
    return url


def validate_api_base_url(value: str) -> str:
    """The API base must be https, or http on loopback (the local emulator)."""
    url = value.strip().rstrip("/")
    if not is_safe_http_url(url):
        raise InvalidInputError(
            "api_base_url",
            "The API base URL must start with https:// (plain http:// only for 127.0.0.1 "
            "or localhost).",
        )
    return url
