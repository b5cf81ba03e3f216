"""Load on the course service: many learners send their progress at once, then the cohort is read.

For each database of the service (an SQLite file; PostgreSQL when installed) a throwaway
JupyterHub is started from docs/jupyterhub_config.py (tests/hub_server.py: loopback, free
ports, temporary folder) with configurable-http-proxy and the peerlib service. Every learner
gets a hub token, then all of them push a synthetic progress file through the proxy with
``CourseClient`` from a bounded thread pool, and an instructor reads the cohort. Printed:
how many learners the cohort holds (nothing lost: 200/200) and p50/p95 push latency. The
p95 target (< 500 ms) is reported, never asserted.

    python -m benchmarks.hub_load                      # 200 learners, 20 at a time
    python -m benchmarks.hub_load --learners 20 --concurrency 5 --backends sqlite
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from peerlib import demo
from peerlib.hub import CourseClient

TESTS = Path(__file__).resolve().parent.parent / "tests"
TARGET_P95_MS = 500.0
BACKENDS = ("sqlite", "postgresql")


def _helpers():
    """The tests' throwaway JupyterHub and PostgreSQL servers."""
    if str(TESTS) not in sys.path:
        sys.path.insert(0, str(TESTS))
    import hub_server
    import pg_server

    return hub_server, pg_server


def unavailable(backend: str) -> str | None:
    """Why a backend cannot be measured here, or None."""
    hub_server, pg_server = _helpers()
    problem = hub_server.missing()
    if problem or backend == "sqlite":
        return problem
    if pg_server.find_bin_dir() is None:
        return "PostgreSQL is not installed"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "the psycopg driver is not installed (pip install -e '.[postgres]')"
    return None


def measure(backend: str, learners: int, concurrency: int, db_url: str | None = None) -> dict:
    """Push ``learners`` files at once through a fresh hub; the figures of one backend (on
    ``db_url`` if given, else a new SQLite file or throwaway PostgreSQL server)."""
    hub_server, pg_server = _helpers()
    postgres = None
    if backend == "postgresql" and db_url is None:
        postgres = pg_server.PostgresServer(pg_server.find_bin_dir()).start()
        db_url = postgres.create_database()
    users = [f"learner{n:04d}" for n in range(1, learners + 1)]
    hub = hub_server.Hub(db_url=db_url, users=[*users, "alice"])
    try:
        with tempfile.TemporaryDirectory(prefix="peerlib-hub-load-") as folder:
            files = demo.write_demo_cohort(folder, learners=learners)
            contents = [path.read_bytes() for path in files]
        hub.start()
        with ThreadPoolExecutor(concurrency) as pool:
            tokens = list(pool.map(hub.token, users))

            def push(index: int) -> float:
                client = CourseClient(hub.service_url, tokens[index])
                start = time.perf_counter()
                client.push(contents[index])
                return time.perf_counter() - start

            start = time.perf_counter()
            latencies = list(pool.map(push, range(learners)))
            pushing = time.perf_counter() - start
        start = time.perf_counter()
        cohort = CourseClient(hub.service_url, hub.token("alice")).cohort()
        reading = time.perf_counter() - start
    finally:
        hub.stop()
        if postgres is not None:
            postgres.stop()
    stored = {p["learner"]["learner_id"] for p in cohort} & set(users)
    milliseconds = np.array(latencies) * 1000
    return {
        "backend": backend,
        "learners": learners,
        "stored": len(stored),
        "p50_ms": float(np.percentile(milliseconds, 50)),
        "p95_ms": float(np.percentile(milliseconds, 95)),
        "push_s": pushing,
        "cohort_s": reading,
    }


def report(rows: list[dict], concurrency: int) -> str:
    """The figures as a small table, then the target per backend (PASS or MISS)."""
    lines = [
        f"course service load: learners push at once ({concurrency} at a time) through "
        "JupyterHub + configurable-http-proxy on 127.0.0.1",
        f"{'backend':<12}{'stored':>10}{'p50 ms':>9}{'p95 ms':>9}{'all pushes s':>14}"
        f"{'cohort read s':>15}",
    ]
    for row in rows:
        stored = f"{row['stored']}/{row['learners']}"
        lines.append(
            f"{row['backend']:<12}{stored:>10}{row['p50_ms']:>9.0f}{row['p95_ms']:>9.0f}"
            f"{row['push_s']:>14.2f}{row['cohort_s']:>15.2f}"
        )
    for row in rows:
        ok = row["p95_ms"] < TARGET_P95_MS and row["stored"] == row["learners"]
        lines.append(
            f"{'PASS' if ok else 'MISS'}  {row['backend']}: {row['stored']}/{row['learners']} "
            f"stored, push p95 {row['p95_ms']:.0f} ms (target < {TARGET_P95_MS:.0f} ms, "
            "nothing lost)"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.hub_load", description=__doc__)
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--backends", nargs="+", choices=BACKENDS, default=list(BACKENDS))
    args = parser.parse_args(argv)
    rows = []
    for backend in args.backends:
        problem = unavailable(backend)
        if problem:
            print(f"n/a   {backend}: not measured ({problem})")
            continue
        rows.append(measure(backend, args.learners, args.concurrency))
    if rows:
        print(report(rows, args.concurrency))
    return 0


if __name__ == "__main__":
    sys.exit(main())
