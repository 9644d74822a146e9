"""Bounded reads against a hostile server on loopback: caps, deadline, redirects hop by hop."""

from __future__ import annotations

import gzip
import json
import zlib

import httpx
import pytest

from app.core.bounded_read import bounded_request
from app.core.envelope import parse_response
from app.core.errors import InvalidResponseError, NetworkError, NetworkProblem
from tests.fixtures.hostile import (
    MIB,
    HostileServer,
    answer,
    chunked,
    endless,
    gzip_bomb,
    serving,
    silent,
    trickle,
)

CAP = 1 * MIB


@pytest.fixture
async def http():
    async with httpx.AsyncClient() as client:
        yield client


async def read(http, url, **options):
    options = {"max_bytes": CAP, "deadline": 10.0, **options}
    return await bounded_request(http, "GET", url, **options)


async def test_small_gzip_answer_is_decoded(http, hostile_server):
    body = json.dumps({"success": True, "data": [1, 2]}).encode()
    hostile_server.scenario = answer("200 OK", gzip.compress(body), Content_Encoding="gzip")
    response = await read(http, hostile_server.base_url + "/x?y=1")
    assert (response.status, response.content) == (200, body)
    assert response.headers["content-encoding"] == "gzip"
    assert response.url == hostile_server.base_url + "/x?y=1"
    assert hostile_server.requests[0].headers["accept-encoding"] == "gzip, deflate"


async def test_body_exactly_at_the_cap_is_read(http, hostile_server):
    hostile_server.scenario = answer("200 OK", b"a" * CAP)
    assert len((await read(http, hostile_server.base_url)).content) == CAP


@pytest.mark.parametrize(
    "scenario",
    [
        answer("200 OK", b"a" * (CAP + 1)),
        chunked("200 OK", endless(total=50 * MIB)),
        chunked("200 OK", gzip_bomb(total=200 * MIB), Content_Encoding="gzip"),
        answer("200 OK", b"", Content_Length=str(500 * MIB)),
    ],
    ids=["one byte over", "endless chunks", "gzip bomb", "declared 500 MB"],
)
async def test_too_large_answers_are_refused(http, hostile_server, scenario):
    hostile_server.scenario = scenario
    with pytest.raises(InvalidResponseError, match="far too large") as caught:
        await read(http, hostile_server.base_url)
    assert caught.value.unreadable


async def test_decoded_cap_applies_after_decompression(http, hostile_server):
    small_bomb = gzip.compress(bytes(4 * MIB))
    hostile_server.scenario = answer("200 OK", small_bomb, Content_Encoding="gzip")
    with pytest.raises(InvalidResponseError, match="far too large"):
        await read(http, hostile_server.base_url, max_decoded_bytes=2 * MIB)
    response = await read(http, hostile_server.base_url, max_decoded_bytes=4 * MIB)
    assert response.content == bytes(4 * MIB)


async def test_unknown_encoding_and_damaged_gzip_are_refused(http, hostile_server):
    hostile_server.scenario = answer("200 OK", b"x", Content_Encoding="br")
    with pytest.raises(InvalidResponseError, match="encoding"):
        await read(http, hostile_server.base_url)
    hostile_server.scenario = answer("200 OK", b"not gzip", Content_Encoding="gzip")
    with pytest.raises(InvalidResponseError, match="damaged"):
        await read(http, hostile_server.base_url)


@pytest.mark.parametrize("scenario", [trickle, silent], ids=["trickle", "silent"])
async def test_deadline_covers_the_whole_exchange(http, hostile_server, scenario):
    hostile_server.scenario = scenario
    with pytest.raises(NetworkError) as caught:
        await read(http, hostile_server.base_url, deadline=1.0)
    assert caught.value.problem is NetworkProblem.TIMEOUT


async def test_redirects_are_returned_as_they_are_without_a_hook(http, hostile_server):
    hostile_server.scenario = answer("302 Found", b"", Location="http://10.99.0.1/")
    response = await read(http, hostile_server.base_url)
    assert response.status == 302
    assert len(hostile_server.requests) == 1


async def test_each_hop_is_checked_before_connecting(http, hostile_server):
    refused = []

    def check(url: httpx.URL) -> None:
        refused.append(str(url))
        raise InvalidResponseError("not a checked address")

    hostile_server.scenario = answer("302 Found", b"", Location="http://10.99.0.1/seg.ts")
    with pytest.raises(InvalidResponseError, match="not a checked address"):
        await read(http, hostile_server.base_url, check_redirect=check)
    assert refused == ["http://10.99.0.1/seg.ts"]


async def test_allowed_hops_are_followed_and_credentials_stay_with_their_origin(http):
    with serving(HostileServer()) as first, serving(HostileServer()) as second:
        second.scenario = answer("200 OK", b"done")
        hops = []
        # The first server moves within itself, then to the second (another origin).
        first_hops = iter([answer("302 Found", b"", Location=second.base_url + "/end")])

        def first_scenario(request, out):
            scenario = next(first_hops, None) if request.target == "/moved" else None
            (scenario or answer("302 Found", b"", Location="/moved"))(request, out)

        first.scenario = first_scenario
        response = await read(
            http,
            first.base_url + "/start",
            headers={"Authorization": "Bearer secret-token-value"},
            check_redirect=lambda url: hops.append(str(url)),
        )
    assert response.content == b"done"
    assert response.url == second.base_url + "/end"
    assert hops == [first.base_url + "/moved", second.base_url + "/end"]
    assert [r.headers.get("authorization") for r in first.requests] == [
        "Bearer secret-token-value",
        "Bearer secret-token-value",
    ]
    assert "authorization" not in second.requests[0].headers


async def test_endless_redirects_end(http, hostile_server):
    hostile_server.scenario = answer("302 Found", b"", Location="/again")
    with pytest.raises(InvalidResponseError, match="redirected too many times"):
        await read(http, hostile_server.base_url, check_redirect=lambda url: None)


def test_json_nested_far_too_deep_is_an_unreadable_answer():
    with pytest.raises(InvalidResponseError) as caught:
        parse_response(200, {}, b"[" * 200_000, not_found_message="")
    assert caught.value.exit_code == 9
    assert caught.value.unreadable


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS], ids=["zlib", "raw"])
async def test_deflate_with_or_without_its_header(http, hostile_server, wbits):
    compressor = zlib.compressobj(6, zlib.DEFLATED, wbits)
    body = compressor.compress(b"x" * 5000) + compressor.flush()
    hostile_server.scenario = answer("200 OK", body, Content_Encoding="deflate")
    assert (await read(http, hostile_server.base_url)).content == b"x" * 5000
