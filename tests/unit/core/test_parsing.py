import pytest

from app.core.errors import InvalidResponseError
from app.core.models import KnownStatus
from app.core.parsing import (
    parse_apps,
    parse_bool,
    parse_livestream,
    parse_livestream_page,
    parse_single_livestream,
    parse_timestamp,
)
from app.core.redaction import redact
from app.core.session_parsing import parse_active_session

STREAM = {
    "disabled": False,
    "id": "78dd0b50-4147-4bb8-88d3-2ccc2e98bff0",
    "ingest_server": "rtmps://live.cloudflare.com:443/live/",
    "meeting_id": None,
    "name": "Livestreaming-Demo",
    "playback_url": "https://customer-s8oj.cloudflarestream.com/7de6/manifest/video.m3u8",
    "status": "INVOKED",
    "stream_key": "f26566285faca6fbe2e79a73a66rsrrsrrsr3cde23a2bb7dbc6c2c1761b98f4e4",
}


def test_livestream_fields_and_key_out_of_repr():
    stream = parse_livestream(STREAM)
    assert stream.id == STREAM["id"]
    assert stream.status == KnownStatus.INVOKED
    assert stream.meeting_id is None
    assert STREAM["stream_key"] not in repr(stream)
    # Parsing registers the key for log redaction.
    assert STREAM["stream_key"] not in redact(f"key={STREAM['stream_key']}")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (True, True),
        (False, False),
        ("false", False),
        ("true", True),
        ("FALSE", False),
        (None, False),
        (0, False),
        ("junk", False),
    ],
)
def test_disabled_as_bool_or_string(raw, expected):
    assert parse_bool(raw) is expected
    assert parse_livestream({**STREAM, "disabled": raw}).disabled is expected


def test_unknown_status_is_kept_open():
    assert parse_livestream({**STREAM, "status": "offline"}).status == "OFFLINE"
    assert parse_livestream({**STREAM, "status": None}).status == "UNKNOWN"


def test_unknown_fields_ignored_and_timestamps_parsed():
    stream = parse_livestream(
        {**STREAM, "created_at": "2023-07-15T11:48:34.753Z", "weird": {"x": 1}}
    )
    assert stream.created_at is not None and stream.created_at.year == 2023
    assert parse_timestamp("not a date") is None


@pytest.mark.parametrize("missing", ["id", "ingest_server", "stream_key", "playback_url"])
def test_missing_essentials_is_invalid_response(missing):
    with pytest.raises(InvalidResponseError):
        parse_livestream({k: v for k, v in STREAM.items() if k != missing})


@pytest.mark.parametrize(
    ("field", "value"),
    [("ingest_server", "https://evil.example/live"), ("playback_url", "http://evil.example/x")],
)
def test_unsafe_urls_never_reach_the_model(field, value):
    with pytest.raises(InvalidResponseError):
        parse_livestream({**STREAM, field: value})


def test_single_livestream_wrapped_or_bare():
    assert parse_single_livestream({"livestream": STREAM, "session": None}).id == STREAM["id"]
    assert parse_single_livestream(STREAM).id == STREAM["id"]


def test_page_from_array_with_top_level_paging():
    page = parse_livestream_page(
        [STREAM, STREAM], {"total_count": 5, "start_offset": 1, "end_offset": 2}
    )
    assert len(page.livestreams) == 2
    assert page.paging.per_page == 2 and page.paging.page_no == 1
    assert page.has_more


def test_page_from_schema_shaped_object():
    page = parse_livestream_page({**STREAM, "paging": {"total_count": 1}}, {"total_count": 1})
    assert [s.id for s in page.livestreams] == [STREAM["id"]]
    assert not page.has_more


def test_page_leaves_out_malformed_entries():
    page = parse_livestream_page([STREAM, {"id": "x"}, "junk", {**STREAM, "id": "y"}], None)
    assert [s.id for s in page.livestreams] == [STREAM["id"], "y"]


def test_page_of_wrong_type_is_invalid():
    with pytest.raises(InvalidResponseError):
        parse_livestream_page("nope", None)


def test_apps_skip_entries_without_id():
    apps = parse_apps([{"id": "a1", "name": "Main"}, {"name": "ghost"}, {"id": "a2"}])
    assert [(a.id, a.name) for a in apps] == [("a1", "Main"), ("a2", "a2")]


def test_active_session_parsed_and_absent():
    active = parse_active_session(
        {"livestream": STREAM, "session": {"id": "s1", "ingest_seconds": "12", "status": "LIVE"}}
    )
    assert active.session.id == "s1" and active.session.ingest_seconds == 12.0
    assert parse_active_session(None).session is None
