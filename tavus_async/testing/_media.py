"""Small, well-formed media files for FakeTavus to serve."""

from __future__ import annotations

import hashlib
import struct

__all__ = ["sample_mp4"]


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def sample_mp4(video_id: str, *, size: int = 256 * 1024) -> bytes:
    """An ISO base media file (``ftyp``, ``moov``/``mvhd``, ``mdat``) of about ``size`` bytes.

    Players and probes see a valid box structure with a 1-second movie header; the media
    data is filler derived from ``video_id``, so each video's file differs.
    """
    ftyp = _box(b"ftyp", b"isom" + struct.pack(">I", 512) + b"isomiso2mp41")
    mvhd = _box(
        b"mvhd",
        struct.pack(">B3xIIII", 0, 0, 0, 1000, 1000)  # version, times, timescale, duration
        + struct.pack(">IH10x", 0x00010000, 0x0100)  # rate 1.0, volume 1.0
        + struct.pack(">9I", 0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000)
        + bytes(24)
        + struct.pack(">I", 2),  # next track id
    )
    moov = _box(b"moov", mvhd)
    seed = hashlib.sha256(video_id.encode()).digest()
    filler_size = max(0, size - len(ftyp) - len(moov) - 8)
    filler = (seed * (filler_size // len(seed) + 1))[:filler_size]
    return ftyp + moov + _box(b"mdat", filler)
