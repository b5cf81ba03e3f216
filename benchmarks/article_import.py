"""Time ``peerlib import-article``'s parser on 1 MB inputs: ``python -m benchmarks.article_import``.

Prints seconds per input beside a plain baseline (splitting the text into stripped lines);
the parser must stay linear, so the 1 MB line of spaces takes no longer than real articles.
"""

from __future__ import annotations

import time
from pathlib import Path

from peerlib import content
from peerlib.errors import BankFormatError
from peerlib.importers import parse_article

MEGABYTE = 1_000_000
ARTICLES = Path(__file__).resolve().parent.parent / "tests" / "articles"


def _megabyte_of(text: str) -> str:
    return (text + "\n\n") * (MEGABYTE // (len(text.encode("utf-8")) + 2) + 1)


def inputs() -> dict[str, str]:
    """Name → about 1 MB of text: the seed articles, the hand-made layouts, and worst cases."""
    texts = {
        path.name: _megabyte_of(path.read_text("utf-8"))
        for path in [
            *sorted(content.path("sources").glob("*.txt")),
            *sorted(ARTICLES.glob("*.txt")),
        ]
    }
    texts["one line of spaces and nbsp"] = "- " + " \u00a0" * (MEGABYTE // 3) + "x"
    texts["one line of words"] = "1. " + "word " * (MEGABYTE // 5)
    return texts


def _best(function, text: str, repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        try:
            function(text)
        except BankFormatError:
            pass
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    print(f"{'input (about 1 MB)':<40} {'parse_article':>14} {'split lines':>12} {'ratio':>7}")
    for name, text in inputs().items():
        ours = _best(parse_article, text)
        theirs = _best(lambda t: [line.strip() for line in t.splitlines()], text)
        print(f"{name:<40} {ours:>13.2f}s {theirs:>11.3f}s {ours / theirs:>6.0f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
