"""The MPEG-TS rewriter: bit-exact fields, and a loop that continues instead of wrapping."""

from __future__ import annotations

import itertools
import math

import pytest

from app.emulator.assets import demo_hls_dir
from app.emulator.hls import TestPattern
from app.emulator.ts_timeline import (
    PACKET_SIZE,
    TIMESTAMP_MODULO,
    TsFormatError,
    TsLoop,
    TsSegment,
    read_pcr_base,
    read_timestamp,
    write_pcr_base,
    write_timestamp,
)


@pytest.fixture(scope="module")
def pattern() -> TestPattern:
    return TestPattern(demo_hls_dir())


@pytest.mark.parametrize("value", [0, 1, 126_000, 2**30 + 12345, TIMESTAMP_MODULO - 1])
@pytest.mark.parametrize("prefix", [0x20, 0x30, 0x10])
def test_timestamp_round_trip_keeps_prefix_and_markers(value: int, prefix: int) -> None:
    field = bytearray([prefix | 0x01, 0, 0x01, 0, 0x01])
    write_timestamp(field, 0, value)
    assert read_timestamp(field, 0) == value
    assert field[0] & 0xF0 == prefix
    assert field[0] & 1 and field[2] & 1 and field[4] & 1


def test_timestamp_wraps_at_33_bits() -> None:
    field = bytearray(5)
    write_timestamp(field, 0, TIMESTAMP_MODULO + 5)
    assert read_timestamp(field, 0) == 5


def test_known_timestamp_encoding() -> None:
    # PTS 126000 (1.4 s) as ffmpeg writes it with the '0010' prefix.
    field = bytearray(5)
    field[0] = 0x20
    write_timestamp(field, 0, 126_000)
    assert bytes(field) == bytes([0x21, 0x00, 0x07, 0xD8, 0x61])


def test_pcr_round_trip_keeps_reserved_bits_and_extension() -> None:
    field = bytearray([0, 0, 0, 0, 0x7E | 0x01, 0x2A])  # reserved bits set, extension 0x12A
    write_pcr_base(field, 0, 2**32 + 3)
    assert read_pcr_base(field, 0) == 2**32 + 3
    assert field[4] & 0x7F == 0x7F
    assert field[5] == 0x2A


@pytest.mark.parametrize(
    "data", [b"", b"\x47" * 100, b"\x00" * PACKET_SIZE], ids=["empty", "partial", "no-sync"]
)
def test_not_transport_stream_is_refused(data: bytes) -> None:
    with pytest.raises(TsFormatError):
        TsSegment(data)


def test_the_demo_loop_is_indexed(pattern: TestPattern) -> None:
    loop = pattern.loop
    assert len(loop.segments) == 8
    assert loop.loop_ticks == 16 * 90_000
    for segment in loop.segments:
        assert len(segment.pcr_offsets) >= 1
        # One PES per video frame (50) and a PES per few audio frames.
        assert len(segment.timestamp_offsets) >= 50


def test_first_pass_is_served_unchanged(pattern: TestPattern) -> None:
    folder = demo_hls_dir()
    for index in range(8):
        assert pattern.loop.segment(index) == (folder / f"segment-{index}.ts").read_bytes()


def _packets(data: bytes):
    for start in range(0, len(data), PACKET_SIZE):
        yield data[start : start + PACKET_SIZE]


def _pes_pts_by_pid(data: bytes) -> dict[int, list[int]]:
    """PTS of every PES start, per PID, parsed without the module's own index."""
    result: dict[int, list[int]] = {}
    for packet in _packets(data):
        pid = (packet[1] & 0x1F) << 8 | packet[2]
        control = (packet[3] >> 4) & 3
        payload = 4 + (1 + packet[4] if control & 2 else 0)
        body = packet[payload:]
        if packet[1] & 0x40 and control & 1 and body[:3] == b"\x00\x00\x01" and body[7] & 0x80:
            result.setdefault(pid, []).append(read_timestamp(body, 9))
    return result


def test_later_passes_move_every_timestamp_by_whole_loops(pattern: TestPattern) -> None:
    loop = pattern.loop
    for index in (3, 8 + 3, 5 * 8 + 3):
        passes = index // 8
        original = _pes_pts_by_pid(loop.segment(3))
        shifted = _pes_pts_by_pid(loop.segment(index))
        assert shifted.keys() == original.keys()
        for pid, values in original.items():
            assert shifted[pid] == [v + passes * loop.loop_ticks for v in values]


def test_timestamps_never_go_back_across_wraps(pattern: TestPattern) -> None:
    one_pass = _pes_pts_by_pid(b"".join(pattern.loop.segment(index) for index in range(8)))
    stream = _pes_pts_by_pid(b"".join(pattern.loop.segment(index) for index in range(20)))
    for pid, values in stream.items():
        steps = {b - a for a, b in itertools.pairwise(values)}
        assert min(steps) > 0, f"PID {pid:#x} goes back"
        # Whole frames apart, and no wider a step than the loop has: no gap at a wrap.
        # (Frame-exact continuity of the decoded stream is checked with ffprobe.)
        loop_steps = {b - a for a, b in itertools.pairwise(one_pass[pid])}
        frame = math.gcd(*loop_steps)
        assert all(step % frame == 0 for step in steps), hex(pid)
        assert max(steps) == max(loop_steps), hex(pid)


def test_continuity_counters_run_on_across_wraps(pattern: TestPattern) -> None:
    stream = b"".join(pattern.loop.segment(index) for index in range(20))
    last: dict[int, int] = {}
    for packet in _packets(stream):
        pid = (packet[1] & 0x1F) << 8 | packet[2]
        if not packet[3] & 0x10:  # no payload: the counter does not advance
            continue
        counter = packet[3] & 0x0F
        if pid in last:
            assert counter == (last[pid] + 1) % 16, f"PID {pid:#x} skips"
        last[pid] = counter


def test_a_naive_loop_would_fail_these_checks(pattern: TestPattern) -> None:
    naive = b"".join(pattern.loop.segment(index % 8) for index in range(16))
    video = min(_pes_pts_by_pid(naive).items(), key=lambda item: item[0])[1]
    assert any(b < a for a, b in itertools.pairwise(video))


def test_a_short_loop_of_one_segment_repeats_with_shifts() -> None:
    segment = (demo_hls_dir() / "segment-0.ts").read_bytes()
    loop = TsLoop([segment], loop_ticks=180_000)
    first, third = _pes_pts_by_pid(loop.segment(0)), _pes_pts_by_pid(loop.segment(2))
    for pid, values in first.items():
        assert third[pid] == [v + 360_000 for v in values]
    with pytest.raises(IndexError):
        loop.segment(-1)
