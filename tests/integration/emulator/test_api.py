"""The emulator's RealtimeKit endpoints over real HTTP: shapes, envelopes, paging, auth."""

from __future__ import annotations

import re
import time
import uuid

import httpx
import pytest

from app.emulator import Emulator
from app.emulator.demo import (
    DEMO_ACCOUNT_ID,
    DEMO_APP_ID,
    DEMO_APP_NAME,
    DEMO_TOKEN,
    NO_PERMISSION_TOKEN,
)
from tests.fixtures.emulator import livestreams_path

pytestmark = pytest.mark.integration

ISO_MS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
GATEWAY_AUTH_ERROR = {
    "success": False,
    "errors": [{"code": 10000, "message": "Authentication error"}],
    "messages": [],
    "result": None,
}
OTHER_ACCOUNT = "0123456789abcdef0123456789abcdef"


def create(client: httpx.Client, body: object | None = None, **kwargs) -> httpx.Response:
    return client.post(livestreams_path(**kwargs), json={} if body is None else body)


def test_demo_constants_look_real() -> None:
    assert re.fullmatch(r"[0-9a-f]{32}", DEMO_ACCOUNT_ID)
    assert str(uuid.UUID(DEMO_APP_ID)) == DEMO_APP_ID
    assert DEMO_APP_NAME
    for token in (DEMO_TOKEN, NO_PERMISSION_TOKEN):
        assert len(token) >= 40
        assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
    assert DEMO_TOKEN != NO_PERMISSION_TOKEN


def test_base_url_is_loopback_v4(emulator: Emulator) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/client/v4", emulator.base_url)
    assert emulator.port > 0


def test_create_answers_201_with_a_new_livestream(
    emulator: Emulator, emulator_http: httpx.Client
) -> None:
    response = create(emulator_http, {"name": "evening-show"})

    assert response.status_code == 201
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["success"] is True
    data = body["data"]
    assert set(data) == {
        "id",
        "name",
        "ingest_server",
        "stream_key",
        "playback_url",
        "status",
        "disabled",
        "meeting_id",
        "created_at",
        "updated_at",
    }
    assert str(uuid.UUID(data["id"])) == data["id"]
    assert data["name"] == "evening-show"
    assert data["status"] == "INVOKED"
    assert data["disabled"] is False
    assert data["meeting_id"] is None
    assert data["ingest_server"].startswith("rtmp://127.0.0.1:")
    assert data["playback_url"] == (f"{emulator.origin}/hls/{data['id']}/manifest/video.m3u8")
    assert ISO_MS.fullmatch(data["created_at"])
    held = emulator.livestreams(DEMO_ACCOUNT_ID, DEMO_APP_ID)
    assert [(s.id, s.name, s.stream_key) for s in held] == [
        (data["id"], "evening-show", data["stream_key"])
    ]


@pytest.mark.parametrize("body", [{}, {"name": None}, {"name": ""}])
def test_create_accepts_no_name_and_answers_none(
    emulator: Emulator, emulator_http: httpx.Client, body: dict
) -> None:
    response = create(emulator_http, body)
    assert response.status_code == 201
    assert "name" not in response.json()["data"]
    assert "name" not in emulator_http.get(livestreams_path()).json()["data"][0]
    assert emulator.livestreams(DEMO_ACCOUNT_ID, DEMO_APP_ID)[0].name is None


def test_stream_keys_are_long_random_and_unique(emulator_http: httpx.Client) -> None:
    keys = [create(emulator_http).json()["data"]["stream_key"] for _ in range(20)]
    assert len(set(keys)) == 20
    assert all(len(key) >= 32 and re.fullmatch(r"[0-9a-f]+", key) for key in keys)


@pytest.mark.parametrize(
    ("content", "message_part"),
    [
        (b"", "body is required"),
        (b"{not json", "not valid JSON"),
        (b"[]", "JSON object"),
        (b'{"name": "has spaces"}', "name must match"),
        (b'{"name": 5}', "name must match"),
    ],
)
def test_create_refuses_bad_bodies_with_the_realtimekit_envelope(
    emulator: Emulator, emulator_http: httpx.Client, content: bytes, message_part: str
) -> None:
    response = emulator_http.post(
        livestreams_path(), content=content, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["success"] is False
    assert body["error"]["code"] == 400
    assert message_part in body["error"]["message"]
    assert emulator.livestreams(DEMO_ACCOUNT_ID, DEMO_APP_ID) == []


def test_list_answers_an_array_with_top_level_paging_newest_first(
    emulator_http: httpx.Client,
) -> None:
    ids = [create(emulator_http, {"name": f"s{i}"}).json()["data"]["id"] for i in range(3)]

    body = emulator_http.get(livestreams_path()).json()

    assert body["success"] is True
    assert isinstance(body["data"], list)
    assert [item["id"] for item in body["data"]] == ids[::-1]
    assert body["paging"] == {"total_count": 3, "start_offset": 1, "end_offset": 3}
    first = body["data"][0]
    assert first["disabled"] == "false"  # a string here, a bool in create: as Cloudflare does
    assert first["status"] == "IDLE"
    assert "meeting_id" not in first


def test_list_pages_and_sorts(emulator_http: httpx.Client) -> None:
    ids = [create(emulator_http, {"name": f"s{i}"}).json()["data"]["id"] for i in range(5)]

    page2 = emulator_http.get(
        livestreams_path(), params={"page_no": 2, "per_page": 2, "sort_order": "ASC"}
    ).json()
    page3 = emulator_http.get(
        livestreams_path(), params={"page_no": 3, "per_page": 2, "sort_order": "ASC"}
    ).json()
    beyond = emulator_http.get(livestreams_path(), params={"page_no": 9, "per_page": 2}).json()

    assert [item["id"] for item in page2["data"]] == ids[2:4]
    assert page2["paging"] == {"total_count": 5, "start_offset": 3, "end_offset": 4}
    assert [item["id"] for item in page3["data"]] == ids[4:]
    assert page3["paging"] == {"total_count": 5, "start_offset": 5, "end_offset": 5}
    assert beyond["data"] == []
    assert beyond["paging"]["total_count"] == 5


def test_list_filters_by_status(emulator: Emulator, emulator_http: httpx.Client) -> None:
    live_id = create(emulator_http).json()["data"]["id"]
    idle_id = create(emulator_http).json()["data"]["id"]
    emulator.broadcast(live_id).start()

    live = emulator_http.get(livestreams_path(), params={"status": "LIVE"}).json()["data"]
    idle = emulator_http.get(livestreams_path(), params={"status": "IDLE"}).json()["data"]

    assert [item["id"] for item in live] == [live_id]
    assert [item["id"] for item in idle] == [idle_id]


@pytest.mark.parametrize(
    "params",
    [
        {"sort_order": "DESC"},  # livestreams spell it DSC
        {"page_no": "0"},
        {"per_page": "many"},
        {"status": "OFFLINE"},
        {"start_time": "yesterday"},
    ],
)
def test_list_refuses_bad_query_values(emulator_http: httpx.Client, params: dict) -> None:
    response = emulator_http.get(livestreams_path(), params=params)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == 400


def test_apps_are_kept_per_account(emulator: Emulator, emulator_http: httpx.Client) -> None:
    other_app = str(uuid.uuid4())
    emulator.add_app(OTHER_ACCOUNT, other_app, "second")
    time.sleep(0.002)
    emulator.add_app(DEMO_ACCOUNT_ID, "second-app", "another")

    demo = emulator_http.get(f"/accounts/{DEMO_ACCOUNT_ID}/realtime/kit/apps").json()
    other = emulator_http.get(f"/accounts/{OTHER_ACCOUNT}/realtime/kit/apps").json()

    assert [app["id"] for app in demo["data"]] == ["second-app", DEMO_APP_ID]  # newest first
    assert demo["data"][1]["name"] == DEMO_APP_NAME
    assert set(demo["data"][1]) == {"id", "name", "created_at"}
    assert demo["paging"]["total_count"] == 2
    assert [app["id"] for app in other["data"]] == [other_app]


def test_livestreams_are_kept_per_app(emulator: Emulator, emulator_http: httpx.Client) -> None:
    emulator.add_app(DEMO_ACCOUNT_ID, "other-app", "other")
    create(emulator_http, app_id="other-app")

    assert emulator_http.get(livestreams_path()).json()["data"] == []
    assert len(emulator_http.get(livestreams_path(app_id="other-app")).json()["data"]) == 1
    assert len(emulator.livestreams(DEMO_ACCOUNT_ID, "other-app")) == 1


def test_get_one_livestream(emulator: Emulator, emulator_http: httpx.Client) -> None:
    created = create(emulator_http, {"name": "one"}).json()["data"]

    response = emulator_http.get(f"{livestreams_path()}/{created['id']}")

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["livestream"]["id"] == created["id"]
    assert data["livestream"]["stream_key"] == created["stream_key"]
    assert data["livestream"]["status"] == "IDLE"
    assert "session" not in data
    assert data["paging"]["total_count"] == 0

    emulator.broadcast(created["id"]).start()
    data = emulator_http.get(f"{livestreams_path()}/{created['id']}").json()["data"]
    assert data["livestream"]["status"] == "LIVE"
    assert data["session"]["livestream_id"] == created["id"]
    assert isinstance(data["session"]["ingest_seconds"], float | int)


def test_unknown_livestream_is_a_realtimekit_404(emulator_http: httpx.Client) -> None:
    missing = str(uuid.uuid4())
    for path in (
        f"{livestreams_path()}/{missing}",
        f"{livestreams_path()}/{missing}/active-livestream-session",
    ):
        response = emulator_http.get(path)
        assert response.status_code == 404
        assert response.json() == {
            "success": False,
            "error": {"code": 404, "message": "Livestream not found"},
        }


def test_active_session_is_404_until_live_then_describes_the_session(
    emulator: Emulator, emulator_http: httpx.Client
) -> None:
    livestream_id = create(emulator_http).json()["data"]["id"]
    path = f"{livestreams_path()}/{livestream_id}/active-livestream-session"

    before = emulator_http.get(path)
    assert before.status_code == 404
    assert before.json()["success"] is False
    assert before.json()["error"]["code"] == 404

    emulator.broadcast(livestream_id).start()
    during = emulator_http.get(path)
    assert during.status_code == 200
    data = during.json()["data"]
    assert data["livestream"]["id"] == livestream_id
    assert data["livestream"]["status"] == "LIVE"
    assert data["session"]["livestream_id"] == livestream_id
    assert isinstance(data["session"]["ingest_seconds"], str)  # as the spec says for this path
    assert ISO_MS.fullmatch(data["session"]["started_time"])

    emulator.broadcast(livestream_id).end()
    assert emulator_http.get(path).status_code == 404


def test_status_goes_idle_to_live_after_live_after(
    make_emulator, emulator_http: httpx.Client
) -> None:
    emulator = make_emulator(live_after=0.3)
    with httpx.Client(
        base_url=emulator.base_url, headers={"Authorization": f"Bearer {DEMO_TOKEN}"}
    ) as client:
        livestream_id = create(client).json()["data"]["id"]
        path = f"{livestreams_path()}/{livestream_id}"
        assert client.get(path).json()["data"]["livestream"]["status"] == "IDLE"
        time.sleep(0.4)
        assert client.get(path).json()["data"]["livestream"]["status"] == "LIVE"


def test_verify_answers_the_standard_v4_envelope(emulator_http: httpx.Client) -> None:
    response = emulator_http.get(f"/accounts/{DEMO_ACCOUNT_ID}/tokens/verify")
    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True
    assert body["errors"] == []
    assert body["result"]["status"] == "active"
    assert re.fullmatch(r"[0-9a-f]{32}", body["result"]["id"])


def test_verify_with_no_permission_token_is_active(emulator: Emulator) -> None:
    response = httpx.get(
        f"{emulator.base_url}/accounts/{DEMO_ACCOUNT_ID}/tokens/verify",
        headers={"Authorization": f"Bearer {NO_PERMISSION_TOKEN}"},
    )
    assert response.status_code == 200
    assert response.json()["result"]["status"] == "active"


@pytest.mark.parametrize(
    "path",
    [
        f"/accounts/{DEMO_ACCOUNT_ID}/tokens/verify",
        "/user/tokens/verify",  # account-owned tokens fail here, as at Cloudflare
    ],
)
def test_verify_refuses_unknown_tokens_with_code_1000(emulator: Emulator, path: str) -> None:
    token = NO_PERMISSION_TOKEN if path.startswith("/user") else "x" * 40
    response = httpx.get(emulator.base_url + path, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    body = response.json()
    assert body["success"] is False
    assert body["errors"] == [{"code": 1000, "message": "Invalid API Token"}]
    assert body["result"] is None


KIT_CALLS = [
    ("POST", livestreams_path()),
    ("GET", livestreams_path()),
    ("GET", f"{livestreams_path()}/{uuid.uuid4()}"),
    ("GET", f"{livestreams_path()}/{uuid.uuid4()}/active-livestream-session"),
    ("GET", f"/accounts/{DEMO_ACCOUNT_ID}/realtime/kit/apps"),
]


@pytest.mark.parametrize(("method", "path"), KIT_CALLS)
@pytest.mark.parametrize("token", [NO_PERMISSION_TOKEN, "wrong-" + "a" * 40])
def test_kit_endpoints_refuse_tokens_without_permission_like_the_gateway(
    emulator: Emulator, method: str, path: str, token: str
) -> None:
    response = httpx.request(
        method,
        emulator.base_url + path,
        json={} if method == "POST" else None,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 403
    assert response.json() == GATEWAY_AUTH_ERROR
    assert emulator.livestreams(DEMO_ACCOUNT_ID, DEMO_APP_ID) == []


@pytest.mark.parametrize(("method", "path"), KIT_CALLS)
def test_missing_authorization_header_is_9106(emulator: Emulator, method: str, path: str) -> None:
    response = httpx.request(method, emulator.base_url + path, json={})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == 9106


def test_malformed_authorization_header_is_6003(emulator: Emulator) -> None:
    response = httpx.get(
        emulator.base_url + livestreams_path(), headers={"Authorization": DEMO_TOKEN}
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["code"] == 6003
    assert error["error_chain"][0]["code"] == 6111


def test_account_the_token_cannot_reach_is_an_auth_error(emulator_http: httpx.Client) -> None:
    response = emulator_http.get(livestreams_path(account_id=OTHER_ACCOUNT))
    assert response.status_code == 403
    assert response.json() == GATEWAY_AUTH_ERROR


def test_unknown_app_is_a_realtimekit_404(emulator_http: httpx.Client) -> None:
    for response in (
        emulator_http.get(livestreams_path(app_id="no-such-app")),
        emulator_http.post(livestreams_path(app_id="no-such-app"), json={}),
    ):
        assert response.status_code == 404
        assert response.json() == {
            "success": False,
            "error": {"code": 404, "message": "App not found"},
        }


@pytest.mark.parametrize(
    "path",
    ["/client/v4/accounts", "/client/v4/nothing/here", "/elsewhere", "/hls/nothing"],
)
def test_unknown_paths_are_gateway_7003(emulator: Emulator, path: str) -> None:
    response = httpx.get(emulator.origin + path, headers={"Authorization": f"Bearer {DEMO_TOKEN}"})
    assert response.status_code == 404
    if path.startswith("/client/v4"):
        assert response.json()["errors"][0]["code"] == 7003


def test_wrong_method_on_a_known_path_is_refused(emulator_http: httpx.Client) -> None:
    response = emulator_http.delete(livestreams_path())
    assert response.status_code == 405
    assert response.json()["success"] is False


def test_path_parameters_are_url_decoded(emulator: Emulator, emulator_http: httpx.Client) -> None:
    emulator.add_app(DEMO_ACCOUNT_ID, "app_with-odd", "odd")
    response = emulator_http.get(livestreams_path(app_id="app%5Fwith-odd"))
    assert response.status_code == 200


def test_request_log_records_calls_without_the_token(
    emulator: Emulator, emulator_http: httpx.Client
) -> None:
    create(emulator_http, {"name": "logged"})
    emulator_http.get(livestreams_path(), params={"per_page": 5})

    posted, listed = emulator.requests
    assert posted.method == "POST"
    assert posted.endpoint == "create"
    assert posted.api_path == livestreams_path()
    assert posted.json == {"name": "logged"}
    assert posted.fault is None
    assert listed.query == {"per_page": ["5"]}
    for entry in (posted, listed):
        headers = {name.lower(): value for name, value in entry.headers.items()}
        assert headers["authorization"] == "Bearer [redacted]"
        assert DEMO_TOKEN not in repr(entry)
    emulator.clear_requests()
    assert emulator.requests == []


def test_stop_closes_kept_alive_connections(make_emulator) -> None:
    emulator = make_emulator()
    with httpx.Client(headers={"Authorization": f"Bearer {DEMO_TOKEN}"}) as client:
        url = emulator.base_url + livestreams_path()
        assert client.get(url).status_code == 200
        emulator.stop()
        with pytest.raises(httpx.TransportError):
            client.get(url)


def test_two_emulators_are_independent(make_emulator) -> None:
    first, second = make_emulator(), make_emulator()
    assert first.port != second.port
    httpx.post(
        first.base_url + livestreams_path(),
        json={},
        headers={"Authorization": f"Bearer {DEMO_TOKEN}"},
    )
    assert len(first.livestreams(DEMO_ACCOUNT_ID, DEMO_APP_ID)) == 1
    assert second.livestreams(DEMO_ACCOUNT_ID, DEMO_APP_ID) == []


def test_overrides_change_what_is_handed_out(make_emulator) -> None:
    emulator = make_emulator(
        ingest_server="rtmp://127.0.0.1:19350/live/",
        playback_url_template="http://127.0.0.1:18080/hls/{stream_key}.m3u8?id={livestream_id}",
    )
    data = httpx.post(
        emulator.base_url + livestreams_path(),
        json={},
        headers={"Authorization": f"Bearer {DEMO_TOKEN}"},
    ).json()["data"]
    assert data["ingest_server"] == "rtmp://127.0.0.1:19350/live/"
    assert data["playback_url"] == (
        f"http://127.0.0.1:18080/hls/{data['stream_key']}.m3u8?id={data['id']}"
    )


def test_verify_for_an_account_the_emulator_does_not_hold_is_1000(
    emulator_http: httpx.Client,
) -> None:
    response = emulator_http.get(f"/accounts/{OTHER_ACCOUNT}/tokens/verify")
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == 1000


def test_missing_segments_leave_the_api_working_and_hls_says_why(
    monkeypatch: pytest.MonkeyPatch, tmp_path, make_emulator
) -> None:
    monkeypatch.setenv("LIVESTREAM_COMPANION_DEMO_HLS", str(tmp_path))
    monkeypatch.setattr(
        "app.emulator.assets.resource_path", lambda *parts: tmp_path.joinpath("none", *parts)
    )
    emulator = make_emulator(live_after=0)
    headers = {"Authorization": f"Bearer {DEMO_TOKEN}"}
    created = httpx.post(emulator.base_url + livestreams_path(), json={}, headers=headers)
    assert created.status_code == 201

    playlist = httpx.get(created.json()["data"]["playback_url"])

    assert playlist.status_code == 503
    assert "test pattern is unavailable" in playlist.text


def test_an_emulator_bug_reads_as_a_500_not_a_dropped_connection(
    emulator: Emulator, emulator_http: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(emulator._store, "apps", broken)
    response = emulator_http.get(f"/accounts/{DEMO_ACCOUNT_ID}/realtime/kit/apps")
    assert response.status_code == 500
    assert response.json()["success"] is False
    assert emulator_http.get(livestreams_path()).status_code == 200
