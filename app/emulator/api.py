"""The Cloudflare API paths the emulator answers, each checked the way Cloudflare checks it.

Order of checks, as at Cloudflare: the route (gateway 7003), the Authorization header
(gateway 9106 / 6003), the token and its permission for the account (gateway 10000),
then RealtimeKit itself (its own `error` envelope: 400 bad input, 404 unknown app or livestream).
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from urllib.parse import unquote

from app.emulator import wire
from app.emulator.broadcast import Broadcast
from app.emulator.store import LivestreamRecord, Store
from app.emulator.wire import Response

NAME_RE = re.compile(r"[A-Za-z0-9_-]*")
KNOWN_STATUSES = ("LIVE", "IDLE", "ERRORED", "INVOKED")
LIVESTREAMS_PER_PAGE = 25
APPS_PER_PAGE = 20
MAX_PER_PAGE = 100


@dataclass(frozen=True, slots=True)
class Call:
    method: str
    params: dict[str, str]
    query: dict[str, list[str]]
    headers: Message
    body: bytes


@dataclass(frozen=True, slots=True)
class TokenGrant:
    id: str
    realtime: bool  # holds the Realtime / Realtime Admin permission


class Refusal(Exception):
    """RealtimeKit refuses the request with its own error envelope."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def bad_input(message: str) -> Refusal:
    return Refusal(400, message)


Handler = Callable[[Call], Response]

_SEGMENT = r"(?P<{}>[^/]+)"


def _pattern(template: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"\{(\w+)\}", lambda m: _SEGMENT.format(m.group(1)), template))


class KitApi:
    def __init__(
        self,
        store: Store,
        make_urls: Callable[[str, str], tuple[str, str]],
        make_broadcast: Callable[[], Broadcast],
    ) -> None:
        self._store = store
        self._make_urls = make_urls
        self._make_broadcast = make_broadcast
        self._tokens: dict[str, TokenGrant] = {}
        kit = "/accounts/{account_id}/realtime/kit"
        # (endpoint name for faults, method, path pattern, handler); first match wins.
        self._routes: list[tuple[str, str, re.Pattern[str], Handler]] = [
            ("apps", "GET", _pattern(f"{kit}/apps"), self._apps),
            ("create", "POST", _pattern(f"{kit}/{{app_id}}/livestreams"), self._create),
            ("list", "GET", _pattern(f"{kit}/{{app_id}}/livestreams"), self._list),
            (
                "active_session",
                "GET",
                _pattern(
                    f"{kit}/{{app_id}}/livestreams/{{livestream_id}}/active-livestream-session"
                ),
                self._active_session,
            ),
            ("get", "GET", _pattern(f"{kit}/{{app_id}}/livestreams/{{livestream_id}}"), self._get),
            ("verify", "GET", _pattern("/accounts/{account_id}/tokens/verify"), self._verify),
            ("user_verify", "GET", _pattern("/user/tokens/verify"), self._user_verify),
        ]

    def add_token(self, token: str, *, realtime: bool = True) -> None:
        self._tokens[token] = TokenGrant(secrets.token_hex(16), realtime)

    def route(self, method: str, path: str) -> tuple[str, Callable[[Call], Response], dict]:
        """(endpoint, handler, path params); unknown paths get the gateway's 7003 handler."""
        for endpoint, route_method, pattern, handler in self._routes:
            match = pattern.fullmatch(path)
            if match is not None and route_method == method:
                params = {key: unquote(value) for key, value in match.groupdict().items()}
                return endpoint, self._guarded(endpoint, handler), params
        allowed = self.allowed_methods(path)
        if allowed:
            return "", lambda call: method_not_allowed(allowed), {}
        return "", lambda call: wire.gateway_error(404, 7003, "No route for that URI"), {}

    def allowed_methods(self, path: str) -> list[str]:
        """The methods some route serves at this path (empty: no such path)."""
        return sorted({m for _, m, pattern, _ in self._routes if pattern.fullmatch(path)})

    # -- checks ------------------------------------------------------------------------

    def _guarded(self, endpoint: str, handler: Handler) -> Handler:
        def run(call: Call) -> Response:
            token_or_refusal = self._bearer(call)
            if isinstance(token_or_refusal, Response):
                return token_or_refusal
            if endpoint in ("verify", "user_verify"):
                return handler(call)
            grant = self._tokens.get(token_or_refusal)
            account_id = call.params["account_id"]
            if grant is None or not grant.realtime or not self._store.has_account(account_id):
                return wire.gateway_error(403, 10000, "Authentication error")
            app_id = call.params.get("app_id")
            if app_id is not None and self._store.app(account_id, app_id) is None:
                return wire.kit_error(404, "App not found")
            try:
                return handler(call)
            except Refusal as refusal:
                return wire.kit_error(refusal.status, str(refusal))

        return run

    def _bearer(self, call: Call) -> str | Response:
        header = call.headers.get("Authorization")
        if header is None:
            return wire.gateway_error(
                400, 9106, "Missing X-Auth-Key, X-Auth-Email or Authorization headers"
            )
        match = re.fullmatch(r"Bearer +(\S+)", header.strip())
        if match is None:
            return wire.gateway_error(
                400,
                6003,
                "Invalid request headers",
                error_chain=[{"code": 6111, "message": "Invalid format for Authorization header"}],
            )
        return match.group(1)

    # -- endpoints ---------------------------------------------------------------------

    def _create(self, call: Call) -> Response:
        name = _create_name(call.body)
        record = self._store.create_livestream(
            call.params["account_id"],
            call.params["app_id"],
            name,
            make_urls=self._make_urls,
            make_broadcast=self._make_broadcast,
        )
        return wire.kit_success(201, wire.created_livestream(record))

    def _list(self, call: Call) -> Response:
        page_no, per_page = _page(call.query, LIVESTREAMS_PER_PAGE)
        sort_order = _choice(call.query, "sort_order", ("ASC", "DSC"), "DSC")
        status = _choice(call.query, "status", KNOWN_STATUSES, None)
        _choice(call.query, "exclude_meetings", ("true", "false"), "false")
        start_time = _time(call.query, "start_time")
        end_time = _time(call.query, "end_time")
        records = self._store.livestreams(call.params["account_id"], call.params["app_id"])
        if sort_order == "DSC":
            records.reverse()
        if status is not None:
            records = [record for record in records if record.status == status]
        if start_time is not None:
            records = [record for record in records if record.created_wall >= start_time]
        if end_time is not None:
            records = [record for record in records if record.created_wall <= end_time]
        start = (page_no - 1) * per_page
        page = records[start : start + per_page]
        return wire.kit_success(
            200,
            [wire.listed_livestream(record) for record in page],
            wire.paging(len(records), start, len(page)),
        )

    def _get(self, call: Call) -> Response:
        record = self._livestream(call)
        page_no, per_page = _page(call.query, LIVESTREAMS_PER_PAGE)
        sessions = record.broadcast.sessions()
        sessions.reverse()
        start = (page_no - 1) * per_page
        page = sessions[start : start + per_page]
        data: dict[str, object] = {"livestream": wire.listed_livestream(record)}
        if page:
            data["session"] = wire.session_fields(page[0], record.id, seconds_as_text=False)
        data["paging"] = wire.paging(len(sessions), start, len(page))
        return wire.kit_success(200, data)

    def _active_session(self, call: Call) -> Response:
        record = self._livestream(call)
        session = record.broadcast.active_session()
        if session is None:
            return wire.kit_error(404, "No active livestream session found for this livestream")
        data = {
            "livestream": wire.listed_livestream(record),
            "session": wire.session_fields(session, record.id, seconds_as_text=True),
        }
        return wire.kit_success(200, data)

    def _apps(self, call: Call) -> Response:
        page_no, per_page = _page(call.query, APPS_PER_PAGE)
        sort_order = _choice(call.query, "sort_order", ("ASC", "DESC"), "DESC")
        search = _single(call.query, "search")
        apps = sorted(self._store.apps(call.params["account_id"]), key=lambda app: app.created_wall)
        if sort_order == "DESC":
            apps.reverse()
        if search:
            apps = [app for app in apps if search.lower() in app.name.lower()]
        start = (page_no - 1) * per_page
        page = apps[start : start + per_page]
        return wire.kit_success(
            200, [wire.app_fields(app) for app in page], wire.paging(len(apps), start, len(page))
        )

    def _verify(self, call: Call) -> Response:
        token = self._bearer(call)
        grant = self._tokens.get(token) if isinstance(token, str) else None
        if grant is None or not self._store.has_account(call.params["account_id"]):
            return wire.gateway_error(401, 1000, "Invalid API Token")
        return wire.v4_success(
            {"id": grant.id, "status": "active"},
            [{"code": 10000, "message": "This API Token is valid and active", "type": None}],
        )

    def _user_verify(self, call: Call) -> Response:
        # Every token the emulator knows is account-owned, which this user-level path refuses.
        return wire.gateway_error(401, 1000, "Invalid API Token")

    def _livestream(self, call: Call) -> LivestreamRecord:
        record = self._store.livestream(call.params["livestream_id"])
        if (
            record is None
            or record.account_id != call.params["account_id"]
            or record.app_id != call.params["app_id"]
        ):
            raise Refusal(404, "Livestream not found")
        return record


def method_not_allowed(allowed: list[str]) -> Response:
    return wire.gateway_error(
        405, 7001, "Method not allowed", headers={"Allow": ", ".join(allowed)}
    )


def _create_name(body: bytes) -> str | None:
    if not body.strip():
        raise bad_input("A JSON request body is required.")
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise bad_input("The request body is not valid JSON.") from error
    if not isinstance(payload, dict):
        raise bad_input("The request body must be a JSON object.")
    name = payload.get("name")
    if name is None:
        return None
    if not isinstance(name, str) or not NAME_RE.fullmatch(name):
        raise bad_input("name must match ^[a-zA-Z0-9-_]*$")
    return name or None


def _single(query: dict[str, list[str]], key: str) -> str | None:
    values = query.get(key)
    return values[-1] if values else None


def _choice(query: dict[str, list[str]], key: str, allowed: tuple[str, ...], default):
    value = _single(query, key)
    if value is None:
        return default
    if value not in allowed:
        raise bad_input(f"{key} must be one of {', '.join(allowed)}")
    return value


def _positive(query: dict[str, list[str]], key: str, default: int) -> int:
    value = _single(query, key)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise bad_input(f"{key} must be an integer") from None
    if number < 1:
        raise bad_input(f"{key} must be at least 1")
    return number


def _page(query: dict[str, list[str]], default_per_page: int) -> tuple[int, int]:
    per_page = _positive(query, "per_page", default_per_page)
    if per_page > MAX_PER_PAGE:
        raise bad_input(f"per_page must be at most {MAX_PER_PAGE}")
    return _positive(query, "page_no", 1), per_page


def _time(query: dict[str, list[str]], key: str) -> float | None:
    value = _single(query, key)
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise bad_input(f"{key} must be an ISO 8601 date-time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()
