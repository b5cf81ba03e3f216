"""The writer processes of the store's concurrency test.

A module of its own, importing only the store: the test's forkserver loads it once and each
writer process starts from there, without importing the test module and its plugins again.
"""

from peerlib.store import ProgressStore


def write_ratings(url: str, worker: int, count: int) -> None:
    progress = ProgressStore(url)
    for i in range(count):
        progress.record_rating(f"learner{worker}", "crisis", "checkin", i % 5 + 1)
    progress.close()
