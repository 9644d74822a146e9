"""What each client method asks Cloudflare for, exactly: method, path and query.

Mutation testing found these unchecked (a default page of 2, a lower-cased status filter, a
path missing the app ID all passed): scripted answers do not look at the request.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from app.core.client import (
    CLOCK_SKEW,
    RECONCILE_PAGE_SIZE,
    RECONCILE_PAUSE,
    RealtimeKitClient,
)
from app.core.errors import (
    AuthError,
    AuthProblem,
    CreateUnconfirmedError,
    InvalidInputError,
    NetworkError,
    NetworkProblem,
)
from app.core.models import ActiveSession, Livestream
from app.core.retry import RetryPolicy

ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353"
APP = "0b4b1f3e-5a4c-4d7e-9a55-0e6f3c1d2b7a"
LIVESTREAM = "ls-0123456789"
TOKEN = "unit-test-token-0123456789abcdef0123456789"
BASE = "https://api.example.test/client/v4"
KIT = f"/client/v4/accounts/{ACCOUNT}/realtime/kit/{APP}"
STREAM = {
    "id": LIVESTREAM,
    "name": "show",
    "ingest_server": "rtmps://live.cloudflare.com:443/live/",
    "stream_key": "key-0123456789abcdef",
    "playback_url": "https://customer-x.cloudflarestream.com/a/manifest/video.m3u8",
    "status": "LIVE",
}


class Recorder:
    """Answers every request with one body; keeps the requests."""

    def __init__(self, data: object, status: int = 200, **extra: object) -> None:
        self.answer = {"success": True, "data": data, **extra}
        self.status = status
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(self.status, json=self.answer)

    @property
    def only(self) -> httpx.Request:
        (request,) = self.requests
        return request


@pytest.fixture
async def client_for():
    made: list[httpx.AsyncClient] = []

    def make(recorder: Recorder) -> RealtimeKitClient:
        http = httpx.AsyncClient(transport=httpx.MockTransport(recorder))
        made.append(http)
        return RealtimeKitClient(http, TOKEN, base_url=BASE)

    yield make
    for http in made:
        await http.aclose()


def query(request: httpx.Request) -> dict[str, str]:
    return dict(request.url.params)


async def test_list_asks_for_the_first_page_newest_first(client_for) -> None:
    recorder = Recorder([STREAM], paging={"total_count": 30, "page_no": 1, "per_page": 25})
    page = await client_for(recorder).list_livestreams(ACCOUNT, APP)
    assert recorder.only.method == "GET"
    assert recorder.only.url.path == f"{KIT}/livestreams"
    assert query(recorder.only) == {"page_no": "1", "per_page": "25", "sort_order": "DSC"}
    assert page.paging is not None and page.paging.total_count == 30
    assert page.has_more


async def test_list_sends_the_filter_upper_case(client_for) -> None:
    recorder = Recorder([])
    await client_for(recorder).list_livestreams(
        ACCOUNT, APP, page_no=2, per_page=7, status="live", sort_order="ASC"
    )
    assert query(recorder.only) == {
        "page_no": "2",
        "per_page": "7",
        "sort_order": "ASC",
        "status": "LIVE",
    }


@pytest.mark.parametrize(("page_no", "per_page"), [(0, 25), (1, 0), (-5, 25)])
async def test_list_refuses_pages_below_one_before_sending(client_for, page_no, per_page) -> None:
    recorder = Recorder([])
    with pytest.raises(InvalidInputError):
        await client_for(recorder).list_livestreams(
            ACCOUNT, APP, page_no=page_no, per_page=per_page
        )
    assert recorder.requests == []


async def test_list_refuses_an_unknown_sort_order_before_sending(client_for) -> None:
    recorder = Recorder([])
    with pytest.raises(InvalidInputError) as refused:
        await client_for(recorder).list_livestreams(ACCOUNT, APP, sort_order="up")
    assert refused.value.field == "sort_order"
    assert refused.value.message == "Sort order is ASC or DSC."
    assert recorder.requests == []


async def test_get_livestream_path(client_for) -> None:
    recorder = Recorder(STREAM)
    livestream = await client_for(recorder).get_livestream(ACCOUNT, APP, LIVESTREAM)
    assert (recorder.only.method, recorder.only.url.path) == (
        "GET",
        f"{KIT}/livestreams/{LIVESTREAM}",
    )
    assert livestream.id == LIVESTREAM


async def test_active_session_path_and_nothing_live(client_for) -> None:
    recorder = Recorder(None, status=404)
    session = await client_for(recorder).get_active_session(ACCOUNT, APP, LIVESTREAM)
    assert recorder.only.url.path == (f"{KIT}/livestreams/{LIVESTREAM}/active-livestream-session")
    assert session == ActiveSession(livestream=None, session=None)


async def test_list_apps_path_and_pages(client_for) -> None:
    recorder = Recorder([{"id": APP, "name": "my app"}])
    apps = await client_for(recorder).list_apps(ACCOUNT)
    assert recorder.only.url.path == f"/client/v4/accounts/{ACCOUNT}/realtime/kit/apps"
    assert query(recorder.only) == {"page_no": "1", "per_page": "50"}
    assert [app.id for app in apps] == [APP]


async def test_verify_token_path(client_for) -> None:
    recorder = Recorder({"id": "t", "status": "active"})
    result = await client_for(recorder).verify_token(ACCOUNT)
    assert recorder.only.url.path == f"/client/v4/accounts/{ACCOUNT}/tokens/verify"
    assert result.is_active


async def test_a_read_that_never_answers_ends_at_the_total_time() -> None:
    async def hang(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(30)
        raise AssertionError("the total time bound did not apply")

    async with httpx.AsyncClient(transport=httpx.MockTransport(hang)) as http:
        client = RealtimeKitClient(
            http, TOKEN, base_url=BASE, retry_policy=RetryPolicy(total_time=0.05)
        )
        with pytest.raises(NetworkError) as failed:
            await client.list_livestreams(ACCOUNT, APP)
    assert failed.value.problem is NetworkProblem.TIMEOUT
    assert "did not answer in time" in failed.value.message


async def test_a_network_error_names_the_host() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("timed out", request=request)

    async with httpx.AsyncClient(transport=httpx.MockTransport(refuse)) as http:
        client = RealtimeKitClient(
            http, TOKEN, base_url=BASE, retry_policy=RetryPolicy(max_attempts=1)
        )
        with pytest.raises(NetworkError) as failed:
            await client.get_livestream(ACCOUNT, APP, LIVESTREAM)
    assert "api.example.test" in failed.value.message


# Reconciling an ambiguous create: the one livestream it made, or a clear failure.

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def made_at(created: datetime, name: str = "show") -> dict[str, object]:
    return {
        **STREAM,
        "id": f"ls-{name}-{created.timestamp():.0f}",
        "name": name,
        "created_at": created.isoformat(),
    }


class AmbiguousCreate:
    """The POST times out after sending; each list (the look before sending first) answers
    with the next page (or status)."""

    def __init__(self, *pages: list[dict[str, object]] | int) -> None:
        self.pages = list(pages)
        self.lists: list[httpx.Request] = []
        self.slept: list[float] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            raise httpx.ReadTimeout("sent, no answer", request=request)
        self.lists.append(request)
        page = self.pages.pop(0)
        if isinstance(page, int):
            return httpx.Response(page, json={"success": False, "errors": [{"code": page}]})
        return httpx.Response(200, json={"success": True, "data": page})

    async def create(self) -> Livestream:
        async def fake_sleep(seconds: float) -> None:
            self.slept.append(seconds)

        async with httpx.AsyncClient(transport=httpx.MockTransport(self)) as http:
            client = RealtimeKitClient(
                http, TOKEN, base_url=BASE, sleep=fake_sleep, now=lambda: NOW
            )
            return await client.create_livestream(ACCOUNT, APP, "show")


async def test_reconcile_lists_a_page_newest_first_and_pauses_between_looks() -> None:
    made = made_at(NOW)
    script = AmbiguousCreate([], [], [made])
    assert (await script.create()).id == made["id"]
    assert script.slept == [RECONCILE_PAUSE]
    expected = {"page_no": "1", "per_page": str(RECONCILE_PAGE_SIZE), "sort_order": "DSC"}
    # The look before sending, then two looks after the failure.
    assert [query(request) for request in script.lists] == [expected, expected, expected]


async def test_reconcile_window_includes_its_edge_and_claims_only_a_single_match() -> None:
    at_the_edge = made_at(NOW - CLOCK_SKEW)
    too_old = made_at(NOW - CLOCK_SKEW - timedelta(seconds=1))
    other_name = made_at(NOW, "other")
    script = AmbiguousCreate([], [at_the_edge, too_old, other_name])
    assert (await script.create()).id == at_the_edge["id"]
    newest = made_at(NOW + timedelta(seconds=2))
    with pytest.raises(CreateUnconfirmedError) as unconfirmed:
        await AmbiguousCreate([], [newest, at_the_edge]).create()
    assert str(newest["id"]) in unconfirmed.value.message
    assert str(at_the_edge["id"]) in unconfirmed.value.message


async def test_a_failing_list_ends_the_reconcile_with_a_clear_error() -> None:
    script = AmbiguousCreate([], 404)
    with pytest.raises(CreateUnconfirmedError, match="Recent livestreams"):
        await script.create()
    assert len(script.lists) == 2


# Cloudflare's ambiguous 403 (code 10000): the verify endpoint tells the two causes apart.


def ambiguous_then_verified(status: str):
    answers = [
        httpx.Response(403, json={"success": False, "errors": [{"code": 10000, "message": "x"}]}),
        httpx.Response(200, json={"success": True, "result": {"id": "t", "status": status}}),
    ]
    return lambda request: answers.pop(0)


@pytest.mark.parametrize(
    ("status", "problem", "words"),
    [
        ("active", AuthProblem.MISSING_PERMISSION, "Realtime Admin"),
        ("disabled", AuthProblem.INVALID_TOKEN, "The API token is disabled"),
        ("expired", AuthProblem.INVALID_TOKEN, "The API token is expired"),
    ],
)
async def test_an_ambiguous_refusal_is_named_after_verifying(status, problem, words) -> None:
    transport = httpx.MockTransport(ambiguous_then_verified(status))
    async with httpx.AsyncClient(transport=transport) as http:
        client = RealtimeKitClient(http, TOKEN, base_url=BASE)
        with pytest.raises(AuthError) as refused:
            await client.list_livestreams(ACCOUNT, APP)
    assert refused.value.problem is problem
    assert refused.value.code == 10000
    assert words in refused.value.message
