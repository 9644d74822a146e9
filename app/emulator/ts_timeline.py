"""Shifts an MPEG-TS segment along the timeline, so a short loop plays as one endless stream.

Players (Qt's FFmpeg backend among them) freeze when timestamps jump backwards, which a naive loop
does at every wrap. Each time the loop repeats, every PTS, DTS and PCR moves forward by one loop
length and every continuity counter by the loop's packet count, so the stream never wraps or skips.

Only 33-bit 90 kHz timestamps and the 4-bit counters change; the bytes keep their length.
"""

from __future__ import annotations

from collections import Counter

PACKET_SIZE = 188
SYNC_BYTE = 0x47
TIMESTAMP_MODULO = 1 << 33  # PTS, DTS and PCR base wrap at 33 bits
NULL_PID = 0x1FFF
# Stream ids whose PES packets carry no optional header (hence no PTS/DTS).
_NO_PES_HEADER = frozenset({0xBC, 0xBE, 0xBF, 0xF0, 0xF1, 0xF2, 0xF8, 0xFF})


class TsFormatError(ValueError):
    """The bytes are not the MPEG-TS this module handles."""


def read_timestamp(data: bytes | bytearray, offset: int) -> int:
    """A 5-byte PES PTS/DTS field."""
    b = data[offset : offset + 5]
    return ((b[0] >> 1) & 0x07) << 30 | b[1] << 22 | (b[2] >> 1) << 15 | b[3] << 7 | b[4] >> 1


def write_timestamp(data: bytearray, offset: int, value: int) -> None:
    """Keeps the 4-bit prefix ('0010', '0011' or '0001') and sets the marker bits."""
    value %= TIMESTAMP_MODULO
    data[offset] = (data[offset] & 0xF0) | ((value >> 29) & 0x0E) | 0x01
    data[offset + 1] = (value >> 22) & 0xFF
    data[offset + 2] = ((value >> 14) & 0xFE) | 0x01
    data[offset + 3] = (value >> 7) & 0xFF
    data[offset + 4] = ((value << 1) & 0xFE) | 0x01


def read_pcr_base(data: bytes | bytearray, offset: int) -> int:
    """The 33-bit 90 kHz base of a 6-byte PCR field (the 27 MHz extension is left alone)."""
    b = data[offset : offset + 5]
    return b[0] << 25 | b[1] << 17 | b[2] << 9 | b[3] << 1 | b[4] >> 7


def write_pcr_base(data: bytearray, offset: int, base: int) -> None:
    base %= TIMESTAMP_MODULO
    data[offset] = (base >> 25) & 0xFF
    data[offset + 1] = (base >> 17) & 0xFF
    data[offset + 2] = (base >> 9) & 0xFF
    data[offset + 3] = (base >> 1) & 0xFF
    data[offset + 4] = ((base & 0x01) << 7) | (data[offset + 4] & 0x7F)


class TsSegment:
    """One segment's bytes and, found once, where its timestamps and counters sit."""

    def __init__(self, data: bytes) -> None:
        if not data or len(data) % PACKET_SIZE:
            raise TsFormatError(f"{len(data)} bytes is not a whole number of TS packets")
        self.data = bytes(data)
        self.timestamp_offsets: list[int] = []  # PTS and DTS fields
        self.pcr_offsets: list[int] = []
        self.counter_offsets: list[tuple[int, int]] = []  # (header byte 3 offset, pid)
        # Packets carrying payload per PID: each advances that PID's continuity counter.
        self.payload_packets: Counter[int] = Counter()
        for start in range(0, len(data), PACKET_SIZE):
            self._index_packet(start)

    def _index_packet(self, start: int) -> None:
        data = self.data
        if data[start] != SYNC_BYTE:
            raise TsFormatError(f"no sync byte at offset {start}")
        pid = (data[start + 1] & 0x1F) << 8 | data[start + 2]
        if pid == NULL_PID:
            return
        unit_start = bool(data[start + 1] & 0x40)
        control = (data[start + 3] >> 4) & 0x03
        has_adaptation, has_payload = bool(control & 0x02), bool(control & 0x01)
        self.counter_offsets.append((start + 3, pid))
        payload = start + 4
        if has_adaptation:
            length = data[start + 4]
            payload = start + 5 + length
            if length > 0 and data[start + 5] & 0x10:  # PCR flag
                self.pcr_offsets.append(start + 6)
        if not has_payload:
            return
        self.payload_packets[pid] += 1
        end = start + PACKET_SIZE
        if unit_start and data[payload : payload + 3] == b"\x00\x00\x01":
            self._index_pes_header(payload, end)

    def _index_pes_header(self, pes: int, end: int) -> None:
        data = self.data
        if data[pes + 3] in _NO_PES_HEADER:
            return
        if pes + 9 > end:
            raise TsFormatError("PES header split across packets")
        flags = data[pes + 7] >> 6
        fields = {0b10: 1, 0b11: 2}.get(flags, 0)
        if pes + 9 + 5 * fields > end:
            raise TsFormatError("PES timestamps split across packets")
        self.timestamp_offsets.extend(pes + 9 + 5 * i for i in range(fields))

    def shifted(self, ticks: int, counter_shift: dict[int, int]) -> bytes:
        """The segment moved `ticks` (90 kHz) later, each PID's counter advanced by its shift."""
        if ticks == 0 and not any(shift % 16 for shift in counter_shift.values()):
            return self.data
        out = bytearray(self.data)
        for offset in self.timestamp_offsets:
            write_timestamp(out, offset, read_timestamp(out, offset) + ticks)
        for offset in self.pcr_offsets:
            write_pcr_base(out, offset, read_pcr_base(out, offset) + ticks)
        for offset, pid in self.counter_offsets:
            shift = counter_shift.get(pid, 0)
            out[offset] = (out[offset] & 0xF0) | ((out[offset] + shift) & 0x0F)
        return bytes(out)


class TsLoop:
    """Segments that play seamlessly one after another, repeated forever along the timeline."""

    def __init__(self, segments: list[bytes], loop_ticks: int) -> None:
        if not segments:
            raise TsFormatError("a loop needs at least one segment")
        self.segments = [TsSegment(data) for data in segments]
        self.loop_ticks = loop_ticks
        self._packets_per_loop: Counter[int] = Counter()
        for segment in self.segments:
            self._packets_per_loop.update(segment.payload_packets)

    def segment(self, index: int) -> bytes:
        """Segment `index` of the endless stream (index 0 is the loop's first segment, pass 0)."""
        if index < 0:
            raise IndexError(index)
        repeat, position = divmod(index, len(self.segments))
        counter_shift = {pid: repeat * count for pid, count in self._packets_per_loop.items()}
        return self.segments[position].shifted(repeat * self.loop_ticks, counter_shift)
