"""Start-up of a learner's notebook: ``python -m benchmarks.startup [--repeats N]``.

Each step runs in a fresh Python (as a kernel starting a notebook does), N times; the median is
printed beside a plain baseline and the ratio:

| step | peerlib | plain baseline |
| --- | --- | --- |
| import | ``import peerlib.widgets`` | ``import ipywidgets, sqlite3`` |
| first widget | the import, then ``SelfRating("crisis")`` on a one-learner SQLite store | the import, then one ``sqlite3`` query for the learner's ratings |

It also says which heavy libraries ``import peerlib.widgets`` loads (SQLAlchemy, pandas,
matplotlib): SQLAlchemy is imported lazily, when a view first uses the store.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

STEPS = {
    "import": (
        "import peerlib.widgets",
        "import ipywidgets, sqlite3",
    ),
    "first widget": (
        "import peerlib.widgets as w\n"
        "from peerlib.learner import set_learner\n"
        "from peerlib.store import default_store\n"
        "set_learner('bench', default_store())\n"
        "w.SelfRating('crisis', phase='before')",
        "import ipywidgets, sqlite3, os\n"
        "db = sqlite3.connect(os.path.join(os.environ['PEERLIB_HOME'], 'plain.sqlite'))\n"
        "db.execute('CREATE TABLE IF NOT EXISTS ratings (learner TEXT, competency TEXT, value INT)')\n"
        "db.execute('SELECT value FROM ratings WHERE learner = ?', ('bench',)).fetchall()\n"
        "ipywidgets.ToggleButtons(options=[1, 2, 3, 4, 5])",
    ),
}
HEAVY = ("sqlalchemy", "pandas", "matplotlib")


def _time(code: str, home: str) -> float:
    env = dict(os.environ, PEERLIB_HOME=home, MPLBACKEND="Agg")
    env.pop("PEERLIB_DB_URL", None)
    env.pop("JUPYTERHUB_USER", None)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    return time.perf_counter() - start


def loaded_by_import() -> dict[str, bool]:
    """Which of HEAVY ``import peerlib.widgets`` loads (in a fresh Python)."""
    code = f"import sys, peerlib.widgets; print(*[m in sys.modules for m in {HEAVY!r}])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return dict(zip(HEAVY, (word == "True" for word in out.stdout.split()), strict=True))


def run(repeats: int = 5) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as home:
        _time(STEPS["first widget"][0], home)  # warm the disk cache and the store's schema
        for step, (peerlib_code, baseline_code) in STEPS.items():
            ours = statistics.median(_time(peerlib_code, home) for _ in range(repeats))
            base = statistics.median(_time(baseline_code, home) for _ in range(repeats))
            rows.append({"step": step, "peerlib": ours, "baseline": base, "ratio": ours / base})
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{os.cpu_count()} CPUs, load average {load:.2f}; median of {args.repeats} runs")
    print(f"{'step':<14}{'peerlib s':>11}{'baseline s':>12}{'ratio':>8}")
    for row in run(args.repeats):
        print(
            f"{row['step']:<14}{row['peerlib']:>11.2f}{row['baseline']:>12.2f}{row['ratio']:>7.1f}×"
        )
    loaded = loaded_by_import()
    print(
        "import peerlib.widgets loads: "
        + ", ".join(f"{m} {'yes' if v else 'no'}" for m, v in loaded.items())
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
