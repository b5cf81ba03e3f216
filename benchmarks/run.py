"""Time peerlib's cohort steps beside plain-pandas baselines and print a ratio table.

Each size gets a fresh synthetic demo cohort in a temporary folder and an SQLite progress
store holding the same learners. Steps that take under a second are run three times (median).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from sqlalchemy import MetaData

from peerlib import cohort, demo, exportfile, report
from peerlib.store import ProgressStore

from . import baseline

SIZES = (100, 1_000, 10_000)
QUICK = (100, 1_000)
TARGET_SIZE = 10_000
TARGET_SECONDS = 10.0
TARGET_RATIO = 2.0
TARGET_WRITE_MS = 10.0


def timed(step, repeats: int = 3):
    """The median seconds of ``step()`` (run once more only while runs stay under 1 s)."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - start)
        if times[-1] > 1.0:
            break
    return statistics.median(times), result


def _naive_utc(moment: datetime) -> datetime:
    """An aware time as a naive UTC datetime (how the store's tables keep times)."""
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def bulk_import(files, url: str) -> None:
    """Fill a fresh progress store with the export files in one transaction (setup only:
    ``ProgressStore.import_learner`` takes ~50 ms per learner). The files are read and checked
    by ``exportfile``, all at once, as the cohort loader reads them."""
    batch = exportfile.check_many([exportfile.load(path) for path in files])
    if batch.reasons:
        raise RuntimeError(f"the demo files do not pass exportfile's checks: {batch.reasons}")
    learners = [
        dict(
            learner_id=header.learner_id,
            display_name=header.display_name,
            created_at=_naive_utc(header.exported_at),
        )
        for header in batch.headers.values()
    ]
    ids = {index: header.learner_id for index, header in batch.headers.items()}
    rows = {}
    for kind, (frame, owner) in batch.records.items():
        frame = frame.assign(
            learner_id=[ids[index] for index in owner.tolist()],
            recorded_at=frame["recorded_at"].dt.tz_convert(None).dt.to_pydatetime(),
        )
        rows[kind] = frame.astype(object).where(frame.notna(), None).to_dict("records")
    with ProgressStore(url) as store, store.engine.begin() as connection:
        tables = MetaData()
        tables.reflect(connection)  # the tables the store created
        connection.execute(tables.tables["learners"].insert(), learners)
        for kind, items in rows.items():
            if items:
                connection.execute(tables.tables[kind].insert(), items)


def _row(size, step, ours, theirs=None) -> dict:
    ratio = ours / theirs if theirs else None
    return dict(learners=size, step=step, peerlib=ours, baseline=theirs, ratio=ratio)


def measure(size: int, folder: Path) -> list[dict]:
    """Rows of the table for one cohort size."""
    repeats = 3 if size <= 1_000 else 1
    start = time.perf_counter()
    files = demo.write_demo_cohort(folder / "exports", learners=size)
    rows = [_row(size, "setup: write demo files", time.perf_counter() - start)]
    database = folder / "hub.sqlite"
    start = time.perf_counter()
    bulk_import(files, f"sqlite:///{database}")
    rows.append(_row(size, "setup: fill SQLite store", time.perf_counter() - start))

    load, group = timed(lambda: cohort.load(folder / "exports", progress=False), repeats)
    base_load, frames = timed(lambda: baseline.load_files(files), repeats)
    rows.append(_row(size, "load from folder", load, base_load))
    db_load, from_db = timed(lambda: cohort.load(f"sqlite:///{database}"), repeats)
    base_db, _ = timed(lambda: baseline.load_sqlite(database), repeats)
    rows.append(_row(size, "load from SQLite", db_load, base_db))
    if len(from_db.ratings) != len(group.ratings) or group.skipped:
        raise RuntimeError("the folder and the SQLite store do not hold the same cohort")

    def ours_aggregate():
        return cohort.aggregate(group), cohort.completion(group), cohort.follow_up(group)

    aggregate, _ = timed(ours_aggregate, repeats)
    base_aggregate, tables = timed(lambda: baseline.aggregate(frames), repeats)
    rows.append(_row(size, "aggregate + completion + follow-up", aggregate, base_aggregate))
    render, _ = timed(lambda: report.render_report(group), repeats)
    base_render, _ = timed(lambda: baseline.report(frames, tables), repeats)
    rows.append(_row(size, "HTML report", render, base_render))
    ours = load + aggregate + render
    rows.append(
        _row(size, "total: folder → report", ours, base_load + base_aggregate + base_render)
    )
    return rows


def rating_writes(count: int) -> dict:
    """Seconds per ``record_rating`` on a fresh SQLite store, and per plain INSERT+commit."""
    competencies = ("engage", "support", "crisis", "growth")
    with tempfile.TemporaryDirectory() as scratch:
        ours = []
        with ProgressStore(f"sqlite:///{scratch}/store.sqlite") as store:
            store.ensure_learner("bench")
            for i in range(count):
                start = time.perf_counter()
                store.record_rating("bench", competencies[i % 4], "before", 1 + i % 5)
                ours.append(time.perf_counter() - start)
        theirs = []
        connection = sqlite3.connect(f"{scratch}/plain.sqlite")
        connection.execute(
            "CREATE TABLE ratings (id INTEGER PRIMARY KEY, learner_id TEXT, competency_id TEXT,"
            " phase TEXT, value INTEGER, recorded_at TEXT)"
        )
        for i in range(count):
            start = time.perf_counter()
            connection.execute(
                "INSERT INTO ratings (learner_id, competency_id, phase, value, recorded_at) "
                "VALUES (?, ?, ?, ?, ?)",
                ("bench", competencies[i % 4], "before", 1 + i % 5, datetime.now().isoformat()),
            )
            connection.commit()
            theirs.append(time.perf_counter() - start)
        connection.close()
    return {
        "median": float(np.median(ours)),
        "p95": float(np.percentile(ours, 95)),
        "base_median": float(np.median(theirs)),
        "base_p95": float(np.percentile(theirs, 95)),
    }


def _seconds(value) -> str:
    return "–" if value is None else f"{value:.3f}"


def table(rows: list[dict]) -> str:
    """The rows as a fixed-width text table."""
    lines = [f"{'learners':>8}  {'step':<36}{'peerlib s':>10}{'baseline s':>12}{'ratio':>8}"]
    for row in rows:
        ratio = "–" if row["ratio"] is None else f"{row['ratio']:.2f}×"
        lines.append(
            f"{row['learners']:>8,}  {row['step']:<36}{_seconds(row['peerlib']):>10}"
            f"{_seconds(row['baseline']):>12}{ratio:>8}"
        )
    return "\n".join(lines)


def targets(rows: list[dict], writes: dict) -> list[str]:
    """PASS/MISS lines for the targets (reported, never asserted)."""

    def mark(ok: bool) -> str:
        return "PASS" if ok else "MISS"

    lines = []
    total = [r for r in rows if r["learners"] == TARGET_SIZE and r["step"].startswith("total")]
    if total:
        seconds, ratio = total[0]["peerlib"], total[0]["ratio"]
        lines += [
            f"{mark(seconds < TARGET_SECONDS)}  {TARGET_SIZE:,} learners loaded + aggregated + "
            f"reported in {seconds:.2f} s (target < {TARGET_SECONDS:.0f} s on 2 cores)",
            f"{mark(ratio <= TARGET_RATIO)}  … {ratio:.2f}× the plain-pandas baseline "
            f"(target ≤ {TARGET_RATIO:.0f}×)",
        ]
    else:
        lines.append(f"n/a   {TARGET_SIZE:,}-learner targets: not measured (size not run)")
    median = writes["median"] * 1000
    lines.append(
        f"{mark(median < TARGET_WRITE_MS)}  record_rating median {median:.1f} ms, p95 "
        f"{writes['p95'] * 1000:.1f} ms (target median < {TARGET_WRITE_MS:.0f} ms); plain "
        f"sqlite3 INSERT+commit median {writes['base_median'] * 1000:.1f} ms, p95 "
        f"{writes['base_p95'] * 1000:.1f} ms"
    )
    return lines


def run(sizes=SIZES, writes: int = 200) -> tuple[list[dict], dict]:
    """Measure every size and the rating writes; returns (table rows, write timings)."""
    rows = []
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix=f"peerlib-bench-{size}-") as folder:
            rows += measure(size, Path(folder))
    return rows, rating_writes(writes)


def main(argv: list[str] | None = None) -> int:
    """`python -m benchmarks [--quick | --sizes N ...] [--writes N]`: print table and targets."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", metavar="N", help="cohort sizes to run")
    parser.add_argument("--quick", action="store_true", help="only 100 and 1,000 learners")
    parser.add_argument("--writes", type=int, default=200, metavar="N", help="record_rating runs")
    args = parser.parse_args(argv)
    sizes = args.sizes or (QUICK if args.quick else SIZES)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    print(f"peerlib cohort benchmarks: {os.cpu_count()} CPU(s), load average {load}")
    rows, writes = run(sizes, args.writes)
    print(table(rows))
    print()
    print("Targets (reported, not asserted):")
    print("\n".join(targets(rows, writes)))
    return 0
