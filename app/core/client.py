"""The RealtimeKit API client: plain asyncio and httpx, no Qt.

The token and the shared httpx client are handed in; this module never reads
the keyring. Every method validates its input before any request and returns
typed models whose URLs have been checked.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import httpx

from app.core.api_base import DEFAULT_API_BASE_URL, resolve_api_base_url
from app.core.bounded_read import bounded_request
from app.core.envelope import AMBIGUOUS_AUTH_CODE, Payload, parse_response
from app.core.errors import (
    AuthError,
    AuthProblem,
    CompanionError,
    CreateUnconfirmedError,
    InvalidInputError,
    InvalidResponseError,
    NetworkError,
    NetworkProblem,
    NotFoundError,
    ServerError,
)
from app.core.http import make_http_client
from app.core.models import (
    ActiveSession,
    Livestream,
    LivestreamPage,
    RealtimeApp,
    TokenVerification,
)
from app.core.parsing import (
    parse_active_session,
    parse_apps,
    parse_livestream,
    parse_livestream_ids,
    parse_livestream_page,
    parse_single_livestream,
    parse_token_verification,
)
from app.core.redaction import register_secret
from app.core.retry import RetryPolicy, is_transient, never_sent, retrying
from app.core.validation import (
    validate_account_id,
    validate_api_base_url,
    validate_app_id,
    validate_livestream_id,
    validate_page,
    validate_status,
    validate_stream_name,
    validate_token,
)

__all__ = [
    "DEFAULT_API_BASE_URL",
    "RealtimeKitClient",
    "make_http_client",
    "resolve_api_base_url",
]

log = logging.getLogger(__name__)

SORT_ORDERS = frozenset({"ASC", "DSC"})
# How far Cloudflare's clock may be behind ours when matching a livestream to a create.
CLOCK_SKEW = timedelta(seconds=30)
# A create that timed out may still be processed: look a few times before giving up.
RECONCILE_ATTEMPTS = 3
RECONCILE_PAUSE = 1.5
RECONCILE_PAGE_SIZE = 50
# Candidates named in the message when a create cannot be confirmed.
MAX_NAMED = 5
# Far above any real answer (a page of 100 livestreams is about 60 kB), far below harm.
MAX_ANSWER_BYTES = 4 * 1024 * 1024

APP_NOT_FOUND = (
    "Cloudflare found no RealtimeKit app with this ID in this account: check the account ID "
    "and the app ID (Load apps lists yours)."
)
ACCOUNT_NOT_FOUND = "Cloudflare does not know this account ID: check it in the dashboard."
LIVESTREAM_NOT_FOUND = "This app has no livestream with that ID."
NOTHING_LIVE = "Nothing is live on this livestream right now."
MISSING_PERMISSION = (
    "The API token works but lacks the Realtime Admin permission for this account: edit it at "
    "dash.cloudflare.com → My Profile → API Tokens and add Realtime Admin."
)


class RealtimeKitClient:
    def __init__(
        self,
        http: httpx.AsyncClient,
        token: str,
        *,
        base_url: str = DEFAULT_API_BASE_URL,
        retry_policy: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        if not token.strip():
            raise AuthError(AuthProblem.MISSING_TOKEN, "Enter your Cloudflare API token.")
        token = validate_token(token)
        register_secret(token)
        self._http = http
        self._token = token
        self._base_url = validate_api_base_url(base_url)
        self._policy = retry_policy or RetryPolicy()
        self._sleep = sleep
        self._now = now

    def __repr__(self) -> str:
        return f"RealtimeKitClient(base_url={self._base_url!r})"

    # --- the API -----------------------------------------------------------------

    async def create_livestream(
        self, account_id: str, app_id: str, name: str | None = None
    ) -> Livestream:
        """Creates exactly one livestream, or fails saying whether one may exist.

        A create is resent only when it provably never left this machine. After an
        ambiguous failure (timeout or dropped connection after sending, a 5xx, an
        unreadable answer) the app's livestreams are listed to find the one this
        request made, so one click never makes two livestreams. To tell that one from
        livestreams made before, the newest ids are read before sending (one extra
        request per create): only a livestream new since then can be this request's.
        When they cannot be read, nothing is sent and that error is the answer.
        """
        account_id = validate_account_id(account_id)
        app_id = validate_app_id(app_id)
        name = validate_stream_name(name)
        path = _kit_path(account_id, app_id, "livestreams")
        body = {"name": name} if name else {}
        known = await self._newest_ids(account_id, app_id)
        started = self._now()
        try:
            async with asyncio.timeout(self._policy.total_time):
                payload = await self._with_retries(
                    never_sent,
                    lambda: self._request("POST", path, json=body, not_found_message=APP_NOT_FOUND),
                )
            return parse_livestream(payload.data)
        except AuthError as error:
            raise await self._refined(account_id, error) from None
        except TimeoutError:
            log.info("Create timed out; looking for the livestream it may have made")
        except (NetworkError, ServerError) as error:
            if not error_may_have_applied(error):
                raise
            log.info("Create failed ambiguously (%s); reconciling", type(error).__name__)
        except InvalidResponseError as error:
            if not error.unreadable:
                raise
            log.info("Create answer unreadable; reconciling")
        return await self._find_created(account_id, app_id, name, started, known)

    async def list_livestreams(
        self,
        account_id: str,
        app_id: str,
        *,
        page_no: int = 1,
        per_page: int = 25,
        status: str | None = None,
        sort_order: str = "DSC",
    ) -> LivestreamPage:
        account_id = validate_account_id(account_id)
        app_id = validate_app_id(app_id)
        if sort_order not in SORT_ORDERS:
            raise InvalidInputError("sort_order", "Sort order is ASC or DSC.")
        page_no, per_page = validate_page(page_no, per_page)
        params: dict[str, Any] = {"page_no": page_no, "per_page": per_page}
        params["sort_order"] = sort_order
        if status := validate_status(status):
            params["status"] = status
        payload = await self._get(
            _kit_path(account_id, app_id, "livestreams"),
            params,
            APP_NOT_FOUND,
            account_id=account_id,
        )
        return parse_livestream_page(payload.data, payload.paging)

    async def get_livestream(self, account_id: str, app_id: str, livestream_id: str) -> Livestream:
        account_id = validate_account_id(account_id)
        path = _livestream_path(account_id, app_id, livestream_id)
        payload = await self._get(path, None, LIVESTREAM_NOT_FOUND, account_id=account_id)
        return parse_single_livestream(payload.data)

    async def get_active_session(
        self, account_id: str, app_id: str, livestream_id: str
    ) -> ActiveSession:
        """The session is None when nothing is live (Cloudflare answers that with a 404)."""
        account_id = validate_account_id(account_id)
        path = _livestream_path(account_id, app_id, livestream_id, "active-livestream-session")
        try:
            payload = await self._get(path, None, NOTHING_LIVE, account_id=account_id)
        except NotFoundError:
            return ActiveSession(livestream=None, session=None)
        return parse_active_session(payload.data)

    async def list_apps(
        self, account_id: str, *, page_no: int = 1, per_page: int = 50
    ) -> list[RealtimeApp]:
        account_id = validate_account_id(account_id)
        path = f"/accounts/{_segment(account_id)}/realtime/kit/apps"
        page_no, per_page = validate_page(page_no, per_page)
        payload = await self._get(
            path,
            {"page_no": page_no, "per_page": per_page},
            ACCOUNT_NOT_FOUND,
            account_id=account_id,
        )
        return parse_apps(payload.data)

    async def verify_token(self, account_id: str) -> TokenVerification:
        account_id = validate_account_id(account_id)
        path = f"/accounts/{_segment(account_id)}/tokens/verify"
        # No account_id: the verify endpoint's own refusal needs no second opinion.
        payload = await self._get(path, None, ACCOUNT_NOT_FOUND)
        return parse_token_verification(payload.data)

    # --- plumbing ----------------------------------------------------------------

    async def _get(
        self,
        path: str,
        params: Mapping[str, Any] | None,
        not_found_message: str,
        *,
        account_id: str | None = None,
    ) -> Payload:
        """A read with retries; an ambiguous refusal is told apart using account_id's verify."""
        try:
            async with asyncio.timeout(self._policy.total_time):
                return await self._with_retries(
                    lambda error: is_transient(error, self._policy),
                    lambda: self._request(
                        "GET", path, params=params, not_found_message=not_found_message
                    ),
                )
        except TimeoutError:
            raise NetworkError(
                NetworkProblem.TIMEOUT,
                "Cloudflare did not answer in time: check your connection and try again.",
            ) from None
        except AuthError as error:
            if account_id is None:
                raise
            raise await self._refined(account_id, error) from None

    async def _with_retries(
        self,
        should_retry: Callable[[BaseException], bool],
        attempt: Callable[[], Awaitable[Payload]],
    ) -> Payload:
        async for retry_state in retrying(self._policy, should_retry, self._sleep):
            with retry_state:
                return await attempt()
        raise AssertionError("unreachable: tenacity re-raises the last error")

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        not_found_message: str,
    ) -> Payload:
        url = self._base_url + path
        started = time.perf_counter()
        response = await bounded_request(
            self._http,
            method,
            url,
            params=params,
            json=json,
            headers={"Authorization": f"Bearer {self._token}"},
            max_bytes=MAX_ANSWER_BYTES,
            deadline=self._policy.request_deadline,
        )
        log.debug(
            "%s %s answered %s in %.0f ms",
            method,
            path,
            response.status,
            (time.perf_counter() - started) * 1000,
        )
        return parse_response(
            response.status,
            response.headers,
            response.content,
            not_found_message=not_found_message,
        )

    async def _refined(self, account_id: str, error: AuthError) -> AuthError:
        """Code 10000 means a bad token or a missing permission: ask the verify endpoint."""
        if error.code != AMBIGUOUS_AUTH_CODE:
            return error
        try:
            verification = await self.verify_token(account_id)
        except AuthError as verdict:
            return verdict  # the verify endpoint rejected the token itself: that is the answer
        except CompanionError:
            return error
        if verification.is_active:
            return AuthError(AuthProblem.MISSING_PERMISSION, MISSING_PERMISSION, code=error.code)
        return AuthError(
            AuthProblem.INVALID_TOKEN,
            f"The API token is {verification.status}: create a new one at dash.cloudflare.com "
            "→ My Profile → API Tokens with the Realtime Admin permission.",
            code=error.code,
        )

    async def _newest_ids(self, account_id: str, app_id: str) -> frozenset[str]:
        """The ids of the app's newest livestreams (the same endpoint and token as the create)."""
        payload = await self._get(
            _kit_path(account_id, app_id, "livestreams"),
            {"page_no": 1, "per_page": RECONCILE_PAGE_SIZE, "sort_order": "DSC"},
            APP_NOT_FOUND,
            account_id=account_id,
        )
        return parse_livestream_ids(payload.data)

    async def _newest_livestreams(self, account_id: str, app_id: str) -> LivestreamPage:
        return await self.list_livestreams(
            account_id, app_id, per_page=RECONCILE_PAGE_SIZE, sort_order="DSC"
        )

    async def _find_created(
        self,
        account_id: str,
        app_id: str,
        name: str | None,
        started: datetime,
        known: frozenset[str],
    ) -> Livestream:
        """Claims a livestream only when exactly one can be this request's."""
        candidates: list[Livestream] = []
        for attempt in range(RECONCILE_ATTEMPTS):
            if attempt:
                await self._sleep(RECONCILE_PAUSE)
            try:
                page = await self._newest_livestreams(account_id, app_id)
            except CompanionError as error:
                log.info("Could not list livestreams to reconcile: %s", error)
                break
            candidates = [
                stream
                for stream in page.livestreams
                if may_be_from_this_create(stream, name, started, known)
            ]
            if len(candidates) == 1:
                log.info("Found the livestream the interrupted create made")
                return candidates[0]
            if candidates:
                break  # more than one: waiting will not tell them apart
        raise CreateUnconfirmedError(unconfirmed_message(candidates), candidates)


def may_be_from_this_create(
    stream: Livestream, name: str | None, started: datetime, known: frozenset[str]
) -> bool:
    """New since just before sending, the same name (unnamed only for unnamed), and not older
    than the start less the clock-skew allowance."""
    return (
        stream.id not in known
        and stream.name == name
        and stream.created_at is not None
        and stream.created_at >= started - CLOCK_SKEW
    )


def unconfirmed_message(candidates: Sequence[Livestream]) -> str:
    lead = "The connection failed while Cloudflare was creating the livestream"
    if not candidates:
        return (
            f"{lead}, and no new livestream with this name was found. Check Recent livestreams "
            "before trying again."
        )
    shown = ", ".join(
        f"{stream.id} ({stream.name or 'unnamed'})" for stream in candidates[:MAX_NAMED]
    )
    more = f" and {len(candidates) - MAX_NAMED} more" if len(candidates) > MAX_NAMED else ""
    return (
        f"{lead}, and which livestream it made cannot be told for sure. It may be one of: "
        f"{shown}{more}. Use one of these (Recent livestreams, or `list`) rather than creating "
        "another."
    )


def error_may_have_applied(error: NetworkError | ServerError) -> bool:
    return isinstance(error, ServerError) or error.request_sent


def _segment(value: str) -> str:
    return quote(value, safe="")


def _livestream_path(account_id: str, app_id: str, livestream_id: str, *rest: str) -> str:
    return _kit_path(
        account_id,
        validate_app_id(app_id),
        "livestreams",
        validate_livestream_id(livestream_id),
        *rest,
    )


def _kit_path(account_id: str, app_id: str, *rest: str) -> str:
    parts = ["accounts", account_id, "realtime", "kit", app_id, *rest]
    return "/" + "/".join(_segment(p) for p in parts)
