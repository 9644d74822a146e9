import pytest

from app.core.errors import InvalidInputError, InvalidResponseError
from app.core.validation import (
    check_ingest_server,
    check_playback_url,
    validate_account_id,
    validate_api_base_url,
    validate_app_id,
    validate_stream_name,
)

ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (ACCOUNT, ACCOUNT),
        (f"  {ACCOUNT}\n", ACCOUNT),
        (ACCOUNT.upper(), ACCOUNT),
    ],
)
def test_account_id_accepted_and_normalised(raw, expected):
    assert validate_account_id(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "   ", ACCOUNT[:-1], ACCOUNT + "0", "g" * 32, ACCOUNT[:16] + " " + ACCOUNT[17:]]
)
def test_account_id_rejected_naming_the_field(raw):
    with pytest.raises(InvalidInputError) as caught:
        validate_account_id(raw)
    assert caught.value.field == "account_id"
    assert "account ID" in str(caught.value)


@pytest.mark.parametrize(
    "raw",
    [
        "0b4b1f3e-5a4c-4d7e-9a55-0e6f3c1d2b7a",  # 36-character UUID, over the schema's 32
        "a",
        "x" * 64,
        "my_app-1",
    ],
)
def test_app_id_accepted(raw):
    assert validate_app_id(f" {raw} ") == raw


@pytest.mark.parametrize("raw", ["", "x" * 65, "has space", "slash/inside", "../up", "é"])
def test_app_id_rejected(raw):
    with pytest.raises(InvalidInputError) as caught:
        validate_app_id(raw)
    assert caught.value.field == "app_id"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(None, None), ("", None), ("  ", None), ("Friday_Stream-2", "Friday_Stream-2")],
)
def test_stream_name_accepted(raw, expected):
    assert validate_stream_name(raw) == expected


@pytest.mark.parametrize("raw", ["with space", "emoji🎮", "semi;colon", "x" * 65])
def test_stream_name_rejected(raw):
    with pytest.raises(InvalidInputError) as caught:
        validate_stream_name(raw)
    assert caught.value.field == "name"


@pytest.mark.parametrize(
    "url",
    [
        "rtmps://live.cloudflare.com:443/live/",
        "rtmp://127.0.0.1:1935/live/",
        "srt://live.example:778",
    ],
)
def test_ingest_server_accepted(url):
    assert check_ingest_server(url) == url


@pytest.mark.parametrize(
    "url",
    ["https://live.cloudflare.com/live/", "javascript:alert(1)", "rtmps://", "", "rtmp://a b/"],
)
def test_ingest_server_rejected(url):
    with pytest.raises(InvalidResponseError):
        check_ingest_server(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://customer-x.cloudflarestream.com/id/manifest/video.m3u8",
        "http://127.0.0.1:8080/hls/key.m3u8",
        "http://localhost/x.m3u8",
        "http://[::1]:9000/x.m3u8",
    ],
)
def test_playback_url_accepted(url):
    assert check_playback_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "http://customer-x.cloudflarestream.com/video.m3u8",
        "http://10.0.0.5/x.m3u8",
        "file:///etc/passwd",
        "rtmp://127.0.0.1/live",
        "https://",
    ],
)
def test_playback_url_rejected(url):
    with pytest.raises(InvalidResponseError):
        check_playback_url(url)


def test_api_base_url_only_https_or_loopback_http():
    assert validate_api_base_url("https://api.cloudflare.com/client/v4/") == (
        "https://api.cloudflare.com/client/v4"
    )
    assert validate_api_base_url("http://127.0.0.1:5000/client/v4")
    with pytest.raises(InvalidInputError):
        validate_api_base_url("http://api.cloudflare.com/client/v4")
