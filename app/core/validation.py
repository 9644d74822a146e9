"""Checks on what the user types and on what Cloudflare returns, before either is used."""

from __future__ import annotations

import ipaddress
import math
import re
import string
import unicodedata
from urllib.parse import SplitResult, urlsplit

from app.core.errors import InvalidInputError, InvalidResponseError
from app.core.known_status import KnownStatus

ACCOUNT_ID_RE = re.compile(r"[0-9a-f]{32}")
APP_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
NAME_RE = re.compile(r"[A-Za-z0-9_-]*")
NAME_MAX_LENGTH = 64
INGEST_SCHEMES = frozenset({"rtmp", "rtmps", "srt"})
# Cloudflare's tokens are 40 characters; anything this long is a paste gone wrong.
TOKEN_MAX_LENGTH = 256
# Copy-paste leaves these around a token; they are invisible, so they are dropped.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
# Cloudflare's list endpoints take at most 100 per page; page numbers beyond this are typos.
MAX_PER_PAGE = 100
MAX_PAGE_NO = 100_000
MAX_HOST_LENGTH = 253
ASCII_HIDDEN = re.compile(r"[\x00-\x20\x7f]")


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
    """A token is printable ASCII with no spaces; invisible padding around it is dropped."""
    padding = {c for c in value if c.isspace() and (c in string.whitespace or c > "\x7f")}
    token = value.strip(ZERO_WIDTH + "".join(padding))
    if not token:
        raise InvalidInputError(
            "token",
            "The token is empty: paste an API token with the Realtime Admin permission "
            "from the Cloudflare dashboard.",
        )
    if len(token) > TOKEN_MAX_LENGTH:
        raise InvalidInputError(
            "token",
            f"The token is too long ({len(token)} characters; Cloudflare's have about 40): "
            "paste the token alone.",
        )
    for position, char in enumerate(token, start=1):
        if "!" <= char <= "~":
            continue
        if char.isspace():
            problem = "The token is one word: no spaces or line breaks."
        elif unicodedata.category(char) in ("Cc", "Cf"):
            problem = f"The token contains an invisible control character (at position {position})."
        else:
            problem = (
                f"The token contains a character that is not plain ASCII (at position {position}); "
                "copy it again from the Cloudflare dashboard."
            )
        raise InvalidInputError("token", problem)
    return token


def validate_page(page_no: int, per_page: int) -> tuple[int, int]:
    if not 1 <= page_no <= MAX_PAGE_NO:
        raise InvalidInputError(
            "page_no", f"The page number is between 1 and {MAX_PAGE_NO:,}, not {page_no}."
        )
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidInputError(
            "per_page", f"Per page is between 1 and {MAX_PER_PAGE}, not {per_page}."
        )
    return page_no, per_page


def validate_status(value: str | None) -> str | None:
    """One of Cloudflare's four livestream statuses, in any case; None for all."""
    if value is None or not value.strip():
        return None
    status = value.strip().upper()
    if status not in KnownStatus.__members__:
        raise InvalidInputError(
            "status", "The status is one of " + ", ".join(KnownStatus) + " (any case)."
        )
    return status


def validate_seconds(value: float, what: str) -> float:
    """A finite, positive number of seconds."""
    if not math.isfinite(value) or value <= 0:
        raise InvalidInputError(what, f"{what} needs a positive number of seconds.")
    return value


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


def check_delivered_value(value: str, field: str) -> str:
    """A key or URL to be copied, sent to OBS or played: no control, space or bidi character."""
    if has_hidden_characters(value):
        raise InvalidResponseError(
            f"Cloudflare returned a {field} with invisible or control characters; it was not used."
        )
    return value


def has_hidden_characters(value: str) -> bool:
    """Any whitespace, control or format (bidi, zero-width) character."""
    if value.isascii():  # the usual case, checked at C speed
        return ASCII_HIDDEN.search(value) is not None
    return any(c.isspace() or unicodedata.category(c) in ("Cc", "Cf") for c in value)


def check_playback_url(url: str) -> str:
    check_delivered_value(url, "playback URL")
    if not is_safe_http_url(url):
        raise InvalidResponseError(
            "Cloudflare returned a playback URL that is not an https:// address; it was not used."
        )
    return url


def check_ingest_server(url: str) -> str:
    check_delivered_value(url, "ingest server")
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
    """The API base must be https, or http on loopback (the local emulator).

    No userinfo (httpx would replace the token's header with Basic auth), no query or
    fragment (they would swallow the path the client appends), a real host and port.
    """
    url = value.strip().rstrip("/")
    parts = checked_server_url(url, "api_base_url", "The API base URL")
    if not is_safe_http_url(url) or parts.scheme not in ("http", "https"):
        raise InvalidInputError(
            "api_base_url",
            "The API base URL must start with https:// (plain http:// only for 127.0.0.1 "
            "or localhost).",
        )
    return url


def checked_server_url(url: str, field: str, label: str) -> SplitResult:
    """Splits a server address typed by the user, refusing what would change its meaning."""

    def refuse(problem: str) -> InvalidInputError:
        return InvalidInputError(field, f"{label} {problem}.")

    if has_hidden_characters(url):
        raise refuse("must not contain spaces or control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise refuse("has a port that is not a number from 1 to 65535") from None
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise refuse("must not contain a user name or password (user@)")
    if parts.query or url.endswith("?"):
        raise refuse("must not contain a query (?…)")
    if parts.fragment or "#" in url:
        raise refuse("must not contain a fragment (#…)")
    host = parts.hostname
    if not host or len(host) > MAX_HOST_LENGTH:
        raise refuse("needs a host name of at most 253 characters")
    if port == 0:
        raise refuse("has a port that is not a number from 1 to 65535")
    if not _is_ip_address(host):
        import idna  # here: the window's start-up path never needs its tables

        try:
            idna.encode(host, uts46=True)
        except (idna.IDNAError, UnicodeError, ValueError):
            raise refuse("has a host name that is not valid") from None
    return parts


def _is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
