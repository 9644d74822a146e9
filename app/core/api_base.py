"""Where the RealtimeKit API is: Cloudflare's, or another base such as the local emulator.

Kept apart from the client so the window can resolve it without loading httpx.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from app.core.validation import validate_api_base_url

DEFAULT_API_BASE_URL = "https://api.cloudflare.com/client/v4"
API_BASE_URL_ENV_VAR = "CLOUDFLARE_API_BASE_URL"


def resolve_api_base_url(
    cli_value: str | None = None, environ: Mapping[str, str] = os.environ
) -> str:
    """--api-base-url, else $CLOUDFLARE_API_BASE_URL, else Cloudflare's."""
    return validate_api_base_url(
        cli_value or environ.get(API_BASE_URL_ENV_VAR) or DEFAULT_API_BASE_URL
    )
