"""Parsing: structuring a 100-item video list page, per item and as a ratio to json.loads.

The page is what ``GET /v2/videos?limit=100`` returns: realistic video objects with every
documented field, the three timestamp formats, and a field this version does not know.
Both sides are timed in the same run, interleaved, best of several repeats: json.loads
alone, and json.loads plus the SDK's converter (``Page[Video]``).

    python benchmarks/parse.py            # full
    python benchmarks/parse.py --smoke    # a fraction of a second
"""

from __future__ import annotations

import argparse
import json
import sys
import timeit

from tavus_async import Page, Video
from tavus_async._core.convert import structure

STAMPS = ("2024-01-24T07:14:03.327Z", "Mon, 14 Jul 2025 09:14:24 GMT", "2024-08-28 15:27:40.824457")


def video(n: int) -> dict[str, object]:
    return {
        "video_id": f"v{n:010x}",
        "video_name": f"Welcome video {n}",
        "status": ("queued", "generating", "ready", "error")[n % 4],
        "replica_id": "r783537ef5",
        "data": {"script": f"Hi number {n}, welcome aboard! " * 3},
        "download_url": f"https://cdn.tavus.io/videos/v{n}.mp4?X-Amz-Signature=abc",
        "stream_url": f"https://stream.tavus.io/v{n}.m3u8",
        "hosted_url": f"https://tavus.video/v{n}",
        "status_details": "Your video is ready.",
        "generation_progress": f"{n % 101}/100",
        "background_url": None,
        "background_source_url": None,
        "error_details": None,
        "created_at": STAMPS[n % 3],
        "updated_at": STAMPS[(n + 1) % 3],
        "still_image_thumbnail_url": f"https://cdn.tavus.io/thumbs/v{n}.jpg",
        "gif_thumbnail_url": f"https://cdn.tavus.io/thumbs/v{n}.gif",
        "face_id": f"f{n}",  # a field this version does not know
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args(argv)
    body = json.dumps({"data": [video(n) for n in range(100)], "total_count": 1000}).encode()
    page_type = Page[Video]
    number, repeat = (20, 3) if args.smoke else (300, 7)

    def decode() -> object:
        return json.loads(body)

    def decode_and_structure() -> object:
        return structure(json.loads(body), page_type)

    assert len(structure(json.loads(body), page_type).data) == 100  # and warm the converter
    loads_s = min(timeit.repeat(decode, number=number, repeat=repeat)) / number
    sdk_s = min(timeit.repeat(decode_and_structure, number=number, repeat=repeat)) / number
    print("| step | µs per page | µs per item |")
    print("|---|---|---|")
    print(f"| json.loads | {loads_s * 1e6:.0f} | {loads_s * 1e4:.1f} |")
    print(f"| json.loads + structure(Page[Video]) | {sdk_s * 1e6:.0f} | {sdk_s * 1e4:.1f} |")
    print(f"\nratio to json.loads alone: {sdk_s / loads_s:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
