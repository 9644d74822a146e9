"""Fetching for the player's side: only URLs that pass the rule, bounded in size and time.

The rule (https, or http on this computer) is checked on the first URL and on every
redirect target *before* anything connects to it; the body is capped while it downloads
and the whole exchange has one deadline (see `bounded_read`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx

from app.core.bounded_read import BoundedResponse, bounded_request
from app.core.hls_playlist import UnsafeAddressError, checked_url
from app.core.validation import is_safe_http_url


def _check_hop(target: httpx.URL) -> None:
    url = str(target)
    if not is_safe_http_url(url):
        raise UnsafeAddressError(url)


async def checked_get(
    http: httpx.AsyncClient, url: str, *, max_bytes: int, deadline: float
) -> BoundedResponse:
    """GET `url`, following redirects hop by hop; UnsafeAddressError for any address refused."""
    return await bounded_request(
        http,
        "GET",
        checked_url(url, url),
        max_bytes=max_bytes,
        deadline=deadline,
        check_redirect=_check_hop,
    )


def checked_fetcher(
    http: httpx.AsyncClient,
) -> Callable[[str, int, float], Awaitable[BoundedResponse]]:
    """`checked_get` in the shape the HLS proxy takes: (url, max_bytes, deadline)."""

    async def fetch(url: str, max_bytes: int, deadline: float) -> BoundedResponse:
        return await checked_get(http, url, max_bytes=max_bytes, deadline=deadline)

    return fetch
