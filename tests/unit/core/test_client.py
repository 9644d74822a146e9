"""The client against scripted HTTP answers (httpx.MockTransport): retries and reconciliation."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from app.core.client import RealtimeKitClient, resolve_api_base_url
from app.core.errors import (
    AuthError,
    AuthProblem,
    CreateUnconfirmedError,
    InvalidInputError,
    NetworkError,
    NetworkProblem,
    RateLimitedError,
    ServerError,
)
from app.core.retry import RetryPolicy

ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353"
APP = "0b4b1f3e-5a4c-4d7e-9a55-0e6f3c1d2b7a"
TOKEN = "unit-test-token-0123456789abcdef0123456789"
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def stream(name="show", created=NOW, **extra):
    return {
        "id": f"id-{name}-{created.timestamp():.0f}",
        "name": name,
        "ingest_server": "rtmps://live.cloudflare.com:443/live/",
        "stream_key": f"key-{name}-{created.timestamp():.0f}-0123456789",
        "playback_url": "https://customer-x.cloudflarestream.com/a/manifest/video.m3u8",
        "status": "INVOKED",
        "created_at": created.isoformat(),
        **extra,
    }


def ok(data, status=200, **extra):
    return httpx.Response(status, json={"success": True, "data": data, **extra})


class Script:
    """Answers requests in order; each step is a Response or an exception to raise."""

    def __init__(self, *steps: httpx.Response | Exception | Callable) -> None:
        self.steps = list(steps)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = self.steps.pop(0)
        if callable(step) and not isinstance(step, httpx.Response):
            step = step(request)
        if isinstance(step, Exception):
            raise step
        return step

    def methods(self):
        return [r.method for r in self.requests]


@pytest.fixture
def slept():
    return []


@pytest.fixture
def make_client(slept):
    clients = []

    def make(script: Script, policy: RetryPolicy | None = None) -> RealtimeKitClient:
        async def fake_sleep(seconds: float) -> None:
            slept.append(seconds)

        http = httpx.AsyncClient(transport=httpx.MockTransport(script))
        clients.append(http)
        return RealtimeKitClient(
            http,
            TOKEN,
            base_url="https://api.example.test/client/v4",
            retry_policy=policy or RetryPolicy(),
            sleep=fake_sleep,
            now=lambda: NOW,
        )

    return make


async def test_create_sends_name_token_and_encoded_path(make_client):
    script = Script(ok([]), ok(stream(), 201))
    created = await make_client(script).create_livestream(f" {ACCOUNT} ", APP, "show")
    assert created.name == "show"
    assert script.methods() == ["GET", "POST"]  # the newest ids first, then the create
    request = script.requests[1]
    assert request.url.path == f"/client/v4/accounts/{ACCOUNT}/realtime/kit/{APP}/livestreams"
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert json.loads(request.content) == {"name": "show"}


async def test_create_without_name_sends_empty_object(make_client):
    script = Script(ok([]), ok(stream(name=None), 201))
    await make_client(script).create_livestream(ACCOUNT, APP)
    assert json.loads(script.requests[1].content) == {}


async def test_invalid_input_sends_nothing(make_client):
    script = Script()
    client = make_client(script)
    with pytest.raises(InvalidInputError):
        await client.create_livestream("nope", APP)
    with pytest.raises(InvalidInputError):
        await client.create_livestream(ACCOUNT, "bad/app")
    with pytest.raises(InvalidInputError):
        await client.create_livestream(ACCOUNT, APP, "has space")
    assert script.requests == []


async def test_get_retries_5xx_and_429_then_succeeds(make_client, slept):
    script = Script(
        httpx.Response(502, text="<html>bad gateway</html>"),
        httpx.Response(429, headers={"Retry-After": "3"}, json={"success": False}),
        ok([stream()], paging={"total_count": 1}),
    )
    page = await make_client(script).list_livestreams(ACCOUNT, APP)
    assert len(page.livestreams) == 1
    assert len(script.requests) == 3
    assert slept[1] == 3  # Retry-After honoured
    assert 0 <= slept[0] <= RetryPolicy().max_delay


async def test_get_gives_up_after_max_attempts(make_client):
    script = Script(*[httpx.Response(503, text="down")] * 3)
    with pytest.raises(ServerError):
        await make_client(script, RetryPolicy(max_attempts=3)).list_apps(ACCOUNT)
    assert len(script.requests) == 3


async def test_long_retry_after_is_surfaced_not_waited(make_client, slept):
    script = Script(httpx.Response(429, headers={"Retry-After": "300"}, json={}))
    with pytest.raises(RateLimitedError) as caught:
        await make_client(script).list_apps(ACCOUNT)
    assert caught.value.retry_after == 300
    assert slept == []


async def test_get_retries_connect_errors(make_client):
    script = Script(httpx.ConnectError("[Errno 111] Connection refused"), ok([]))
    assert await make_client(script).list_apps(ACCOUNT) == []


async def test_create_retried_only_when_never_sent(make_client):
    script = Script(ok([]), httpx.ConnectError("[Errno 111] Connection refused"), ok(stream(), 201))
    created = await make_client(script).create_livestream(ACCOUNT, APP, "show")
    assert created.name == "show"
    assert script.methods() == ["GET", "POST", "POST"]


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ReadTimeout("timed out"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        httpx.Response(502, text="<html>Bad gateway</html>"),
        httpx.Response(201, content=b'{"success": true, "data": {"id"'),
    ],
    ids=["read-timeout", "dropped", "5xx", "unreadable"],
)
async def test_ambiguous_create_failure_reconciles_to_the_one_created(make_client, failure):
    older = stream(created=NOW - timedelta(hours=1))
    made = stream(created=NOW + timedelta(seconds=1))
    script = Script(ok([older]), failure, ok([made, older, stream("other", NOW)]))
    created = await make_client(script).create_livestream(ACCOUNT, APP, "show")
    assert created.id == made["id"]
    # Never a second POST: the list found the livestream the first one made.
    assert script.methods() == ["GET", "POST", "GET"]


async def test_ambiguous_create_with_nothing_found_fails_clearly(make_client):
    older = stream(created=NOW - timedelta(hours=1))
    script = Script(ok([older]), httpx.ReadError("reset"), ok([older]), ok([older]), ok([older]))
    with pytest.raises(CreateUnconfirmedError, match="Recent livestreams"):
        await make_client(script).create_livestream(ACCOUNT, APP, "show")
    assert script.methods().count("POST") == 1


async def test_reconcile_waits_for_a_slow_create_to_appear(make_client):
    made = stream(created=NOW)
    script = Script(ok([]), httpx.ReadTimeout("slow"), ok([]), ok([made]))
    assert (await make_client(script).create_livestream(ACCOUNT, APP, "show")).id == made["id"]


async def test_create_4xx_is_not_reconciled(make_client):
    script = Script(
        ok([]),
        httpx.Response(404, json={"success": False, "error": {"code": 404, "message": "nope"}}),
    )
    with pytest.raises(Exception, match="app ID"):
        await make_client(script).create_livestream(ACCOUNT, APP, "show")
    assert script.methods() == ["GET", "POST"]


def gateway_10000():
    return httpx.Response(
        403,
        json={
            "success": False,
            "errors": [{"code": 10000, "message": "Authentication error"}],
            "messages": [],
            "result": None,
        },
    )


async def test_10000_with_active_token_means_missing_permission(make_client):
    script = Script(
        gateway_10000(),
        httpx.Response(
            200, json={"success": True, "result": {"id": "t", "status": "active"}, "errors": []}
        ),
    )
    with pytest.raises(AuthError) as caught:
        await make_client(script).list_livestreams(ACCOUNT, APP)
    assert caught.value.problem is AuthProblem.MISSING_PERMISSION
    assert script.requests[1].url.path.endswith(f"/accounts/{ACCOUNT}/tokens/verify")


async def test_10000_with_rejected_token_means_invalid_token(make_client):
    script = Script(
        gateway_10000(),
        httpx.Response(
            401, json={"success": False, "errors": [{"code": 1000, "message": "Invalid API Token"}]}
        ),
    )
    with pytest.raises(AuthError) as caught:
        await make_client(script).list_livestreams(ACCOUNT, APP)
    assert caught.value.problem is AuthProblem.INVALID_TOKEN
    assert caught.value.code == 1000  # the verify endpoint's verdict, not the ambiguous 10000


async def test_auth_errors_are_not_retried(make_client):
    script = Script(
        httpx.Response(
            401,
            json={"success": False, "errors": [{"code": 9109, "message": "Invalid access token"}]},
        )
    )
    with pytest.raises(AuthError):
        await make_client(script).list_apps(ACCOUNT)
    assert len(script.requests) == 1


async def test_network_errors_are_classified(make_client):
    import socket
    import ssl

    def raising(cause):
        def step(request):
            try:
                raise cause
            except Exception as error:
                raise httpx.ConnectError(str(error)) from error

        return step

    cases = {
        NetworkProblem.DNS: socket.gaierror(-2, "Name or service not known"),
        NetworkProblem.TLS: ssl.SSLCertVerificationError("certificate verify failed"),
        NetworkProblem.REFUSED: ConnectionRefusedError(111, "Connection refused"),
    }
    for problem, cause in cases.items():
        script = Script(*[raising(cause)] * 4)
        with pytest.raises(NetworkError) as caught:
            await make_client(script).verify_token(ACCOUNT)
        assert caught.value.problem is problem
        assert TOKEN not in str(caught.value)


async def test_token_never_in_repr_or_errors(make_client):
    client = make_client(Script(*[httpx.Response(500, text=f"echo {TOKEN}")] * 4))
    assert TOKEN not in repr(client)
    with pytest.raises(ServerError) as caught:
        await client.verify_token(ACCOUNT)
    assert TOKEN not in str(caught.value)


async def test_empty_token_is_rejected_before_anything():
    async with httpx.AsyncClient() as http:
        with pytest.raises(AuthError) as caught:
            RealtimeKitClient(http, "   ")
    assert caught.value.problem is AuthProblem.MISSING_TOKEN


def test_api_base_url_resolution():
    assert resolve_api_base_url(None, {}) == "https://api.cloudflare.com/client/v4"
    env = {"CLOUDFLARE_API_BASE_URL": "http://127.0.0.1:9/client/v4"}
    assert resolve_api_base_url(None, env) == "http://127.0.0.1:9/client/v4"
    assert resolve_api_base_url("https://x.test/v4", env) == "https://x.test/v4"
    with pytest.raises(InvalidInputError):
        resolve_api_base_url("http://remote.example/v4", {})


async def test_create_refused_for_missing_permission_says_so(make_client):
    script = Script(
        gateway_10000(),
        httpx.Response(200, json={"success": True, "result": {"id": "t", "status": "active"}}),
    )
    with pytest.raises(AuthError) as caught:
        await make_client(script).create_livestream(ACCOUNT, APP, "show")
    assert caught.value.problem is AuthProblem.MISSING_PERMISSION
    # The listing before the create met the refusal: nothing was sent to create.
    assert script.methods() == ["GET", "GET"]


async def test_create_refused_when_the_post_itself_is_refused(make_client):
    script = Script(
        ok([]),
        gateway_10000(),
        httpx.Response(200, json={"success": True, "result": {"id": "t", "status": "active"}}),
    )
    with pytest.raises(AuthError) as caught:
        await make_client(script).create_livestream(ACCOUNT, APP, "show")
    assert caught.value.problem is AuthProblem.MISSING_PERMISSION
    assert script.methods() == ["GET", "POST", "GET"]


# --- the reconcile claims only what this request provably made ------------------------

SERVER_DOWN = httpx.Response(502, text="<html>Bad gateway</html>")
# The allowance for Cloudflare's clock being behind ours is 30 s (written out, not imported,
# so a change to it has to change these tests too).


async def reconcile(make_client, before, after, name="show"):
    """A create whose answer is lost, with `before` listed ahead of it and `after` behind."""
    script = Script(ok(before), SERVER_DOWN, ok(after), ok(after), ok(after))
    return await make_client(script).create_livestream(ACCOUNT, APP, name)


async def unconfirmed(make_client, before, after, name="show") -> CreateUnconfirmedError:
    with pytest.raises(CreateUnconfirmedError) as caught:
        await reconcile(make_client, before, after, name)
    return caught.value


async def test_a_livestream_listed_before_sending_is_never_claimed(make_client):
    first = stream(created=NOW - timedelta(seconds=5))  # same name, well inside the window
    error = await unconfirmed(make_client, [first], [first])
    assert error.candidate_ids == ()
    assert first["stream_key"] not in error.message


async def test_same_name_just_inside_the_clock_skew_allowance_is_ours(make_client):
    made = stream(created=NOW - timedelta(seconds=29))
    assert (await reconcile(make_client, [], [made])).id == made["id"]


async def test_same_name_just_outside_the_clock_skew_allowance_is_not_ours(make_client):
    old = stream(created=NOW - timedelta(seconds=31))
    error = await unconfirmed(make_client, [], [old])
    assert error.candidate_ids == ()


async def test_a_newer_livestream_with_another_name_is_not_ours(make_client):
    error = await unconfirmed(make_client, [], [stream("other", NOW + timedelta(seconds=1))])
    assert error.candidate_ids == ()


async def test_unnamed_matches_only_unnamed(make_client):
    named = stream("show", NOW + timedelta(seconds=1))
    unnamed = stream(None, NOW + timedelta(seconds=1))
    assert (await unconfirmed(make_client, [], [named], name=None)).candidate_ids == ()
    assert (await unconfirmed(make_client, [], [unnamed], name="show")).candidate_ids == ()
    assert (await reconcile(make_client, [], [unnamed, named], name=None)).id == unnamed["id"]


async def test_two_new_candidates_are_named_and_neither_is_claimed(make_client):
    one = stream(created=NOW + timedelta(seconds=1))
    two = {**stream(created=NOW + timedelta(seconds=2)), "id": "id-two", "stream_key": "k" * 20}
    error = await unconfirmed(make_client, [], [two, one])
    assert error.candidate_ids == ("id-two", one["id"])
    assert "id-two (show)" in error.message and one["id"] in error.message
    assert one["stream_key"] not in error.message and two["stream_key"] not in error.message


async def test_without_the_list_before_sending_nothing_is_sent(make_client):
    policy = RetryPolicy(max_attempts=1)
    script = Script(SERVER_DOWN)
    with pytest.raises(ServerError):
        await make_client(script, policy).create_livestream(ACCOUNT, APP, "show")
    assert script.methods() == ["GET"]
