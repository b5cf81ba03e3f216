"""Start-up of a learner's module: ``python -m benchmarks.startup [--quick] [--repeats N]``.

Three comparisons, side by side in one run, each the median of a few repeats:

| step | peerlib | plain baseline | target |
| --- | --- | --- | --- |
| app | open ``notebooks/01_engage`` in the workbook app (Voila) until every widget shows | a Voila page of ten sliders | ≤ 1.3× |
| JupyterLab | open the module in JupyterLab, Run All, until every widget shows | the ten-slider notebook | ≤ 1.3× |
| import | ``import peerlib.widgets`` in a fresh Python | ``import pandas, ipywidgets`` | ≤ 1.2× |

The two pages are timed in Chromium (Playwright, the system's ``/usr/bin/chromium``) against
one throwaway JupyterLab server (with Voila) on loopback, serving a temporary folder that holds
a copy of the module and the generated ten-slider notebook, with a learner already chosen in a
temporary ``PEERLIB_HOME``. Each page load is a fresh browser context and a fresh kernel; runs
of the module and of its baseline alternate, after one untimed warm-up of each. The kernel
imports the peerlib of this checkout (``PYTHONPATH``).

Ratios are reported as PASS or MISS, never asserted. ``--quick`` times the import only (what
``tests/test_benchmarks.py`` runs).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
TESTS = PROJECT_DIR / "tests"
MODULE = "01_engage"
BARE = "ten_sliders"
TARGETS = {"app": 1.3, "JupyterLab": 1.3, "import": 1.2}
IMPORTS = ("import peerlib.widgets", "import pandas, ipywidgets")
HEAVY = ("sqlalchemy", "matplotlib", "yaml", "snowballstemmer", "peerlib.store", "peerlib.hub")
PAGE_TIMEOUT_S = 180

# Drawn widgets in the page: output areas that are (Voila) or hold (JupyterLab) a drawn widget.
_DRAWN = """
() => [...document.querySelectorAll('.jp-OutputArea-output')]
      .filter((o) => o.matches('.jupyter-widgets') || o.querySelector(':scope > .jupyter-widgets'))
      .length
"""


def _env(**extra: str) -> dict[str, str]:
    """This checkout's peerlib first on the path; no database or hub from the caller."""
    env = dict(os.environ, **extra)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(PROJECT_DIR), os.environ.get("PYTHONPATH", "")) if p
    )
    for name in ("PEERLIB_DB_URL", "JUPYTERHUB_USER"):
        env.pop(name, None)
    return env


# --- import ---------------------------------------------------------------------------------


def _time_import(code: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    return time.perf_counter() - start


def time_imports(repeats: int = 7) -> tuple[float, float]:
    """Median seconds of a fresh Python running each of IMPORTS (alternating, after a warm-up)."""
    env = _env(MPLBACKEND="Agg")
    for code in IMPORTS:
        _time_import(code, env)  # compiled bytecode and the disk cache, for both
    ours, base = [], []
    for _ in range(repeats):
        ours.append(_time_import(IMPORTS[0], env))
        base.append(_time_import(IMPORTS[1], env))
    return statistics.median(ours), statistics.median(base)


def loaded_by_import() -> dict[str, bool]:
    """Which of HEAVY ``import peerlib.widgets`` loads (in a fresh Python)."""
    code = f"import sys, peerlib.widgets; print(*[m in sys.modules for m in {HEAVY!r}])"
    out = subprocess.run(
        [sys.executable, "-c", code], env=_env(), capture_output=True, text=True, check=True
    )
    return dict(zip(HEAVY, (word == "True" for word in out.stdout.split()), strict=True))


# --- pages ----------------------------------------------------------------------------------


def bare_notebook() -> dict:
    """A notebook of ten sliders, one per cell, as the module has one widget per cell."""
    cells = [
        {
            "cell_type": "markdown",
            "id": "intro",
            "metadata": {},
            "source": "# Ten sliders\n\nA plain page to compare the workbook with.",
        }
    ]
    for i in range(10):
        cells.append(
            {
                "cell_type": "code",
                "execution_count": None,
                "id": f"slider-{i}",
                "metadata": {},
                "outputs": [],
                "source": f'import ipywidgets as w; w.IntSlider(value={i}, description="Slider {i}")',
            }
        )
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def widget_cells(notebook: dict) -> int:
    """How many code cells of a notebook show a widget (a peerlib.widgets or ipywidgets call)."""
    return sum(
        1
        for cell in notebook["cells"]
        if cell["cell_type"] == "code"
        and any(name in "".join(cell["source"]) for name in ("peerlib.widgets", "ipywidgets"))
    )


def _prepare(root: Path) -> dict[str, int]:
    """The module and the bare notebook in ``root/notebooks``; widgets each page should show."""
    folder = root / "notebooks"
    folder.mkdir(parents=True)
    shutil.copy(PROJECT_DIR / "notebooks" / f"{MODULE}.ipynb", folder)
    (folder / f"{BARE}.ipynb").write_text(json.dumps(bare_notebook(), indent=1), "utf-8")
    return {
        name: widget_cells(json.loads((folder / f"{name}.ipynb").read_text("utf-8")))
        for name in (MODULE, BARE)
    }


class _Timer:
    """Open pages of one server in a fresh browser context each, and time them."""

    def __init__(self, browser, server, widgets: dict[str, int]):
        self.browser, self.server, self.widgets = browser, server, widgets

    def _shutdown_kernels(self) -> None:
        with urllib.request.urlopen(self.server.url("api/kernels"), timeout=10) as response:
            kernels = json.load(response)
        for kernel in kernels:
            request = urllib.request.Request(
                self.server.url(f"api/kernels/{kernel['id']}"), method="DELETE"
            )
            try:
                urllib.request.urlopen(request, timeout=30).close()
            except OSError:
                pass  # already gone

    def _wait_drawn(self, page, name: str) -> None:
        page.wait_for_function(
            f"(n) => ({_DRAWN})() >= n",
            arg=self.widgets[name],
            timeout=PAGE_TIMEOUT_S * 1000,
            polling=100,
        )

    @contextlib.contextmanager
    def _opened(self, path: str):
        """A fresh browser page asking for the server's ``path``, with the time it was asked
        for; the page is closed and the kernels shut down afterwards."""
        context = self.browser.new_context(viewport={"width": 1400, "height": 900})
        try:
            page = context.new_page()
            start = time.perf_counter()
            page.goto(self.server.url(path), wait_until="commit", timeout=PAGE_TIMEOUT_S * 1000)
            yield page, start
        finally:
            context.close()
            self._shutdown_kernels()

    def app(self, name: str) -> float:
        """Seconds from asking for the app's page until every widget in it is drawn."""
        with self._opened(f"voila/render/notebooks/{name}.ipynb") as (page, start):
            self._wait_drawn(page, name)
            return time.perf_counter() - start

    def lab(self, name: str, run: int) -> float:
        """Seconds from asking for JupyterLab with the notebook (a fresh workspace) until its
        kernel is ready, Run All has run and every widget is drawn."""
        path = f"lab/workspaces/bench-{run}/tree/notebooks/{name}.ipynb"
        with self._opened(path) as (page, start):
            page.wait_for_function(
                """() => {
                    const panel = window.jupyterapp?.shell.currentWidget;
                    const kernel = panel?.sessionContext?.session?.kernel;
                    return panel?.context?.isReady && kernel?.status === 'idle';
                }""",
                timeout=PAGE_TIMEOUT_S * 1000,
                polling=100,
            )
            page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
            self._wait_drawn(page, name)
            return time.perf_counter() - start


def _browser_helpers():
    if str(TESTS) not in sys.path:
        sys.path.insert(0, str(TESTS))
    import browser_helpers

    return browser_helpers


def browser_unavailable() -> str | None:
    """Why the page timings cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    try:
        helpers = _browser_helpers()
    except ImportError as exc:  # pytest, which the helpers use, is a test dependency
        return f"tests/browser_helpers.py cannot be imported ({exc})"
    if helpers.find_chromium() is None:
        return "Chromium not found (apt-get install chromium)"
    return None


def time_pages(repeats: int = 3) -> dict[str, tuple[float, float]]:
    """Median seconds of the module and of the bare page, in the app and in JupyterLab."""
    from playwright.sync_api import sync_playwright

    helpers = _browser_helpers()

    class BenchServer(helpers.JupyterLabServer):
        def _env(self) -> dict[str, str]:
            return _env(**{k: v for k, v in super()._env().items() if k != "PYTHONPATH"})

    with tempfile.TemporaryDirectory(prefix="peerlib-startup-") as tmp:
        root, home = Path(tmp) / "root", Path(tmp) / "home"
        widgets = _prepare(root)
        home.mkdir()
        with BenchServer(root, home) as server:
            subprocess.run(  # a learner has chosen a name, as in the app after the start page
                [
                    sys.executable,
                    "-c",
                    "from peerlib.learner import set_learner\n"
                    "from peerlib.store import default_store\n"
                    "set_learner('Bench Learner', default_store())",
                ],
                env=dict(server._env()),
                check=True,
            )
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=helpers.find_chromium(), args=helpers.CHROMIUM_ARGS
                )
                try:
                    timer = _Timer(browser, server, widgets)
                    runs = iter(range(10_000))
                    for name in (MODULE, BARE):  # warm-up: bytecode, disk cache, templates
                        timer.app(name)
                        timer.lab(name, next(runs))
                    times = {key: [] for key in ("app", "JupyterLab")}
                    for _ in range(repeats):
                        times["app"].append((timer.app(MODULE), timer.app(BARE)))
                    for _ in range(repeats):
                        run = next(runs), next(runs)
                        times["JupyterLab"].append(
                            (timer.lab(MODULE, run[0]), timer.lab(BARE, run[1]))
                        )
                finally:
                    browser.close()
    return {
        key: (statistics.median(t[0] for t in pairs), statistics.median(t[1] for t in pairs))
        for key, pairs in times.items()
    }


# --- the table ------------------------------------------------------------------------------


def row(step: str, ours: float, base: float) -> dict:
    ratio = ours / base
    return {
        "step": step,
        "peerlib": ours,
        "baseline": base,
        "ratio": ratio,
        "target": TARGETS[step],
        "verdict": "PASS" if ratio <= TARGETS[step] else "MISS",
    }


def run(repeats: int = 3, import_repeats: int = 7, quick: bool = False) -> list[dict]:
    """One row per step measured: the app, JupyterLab (unless ``quick``), the import."""
    rows = []
    if not quick:
        for step, (ours, base) in time_pages(repeats).items():
            rows.append(row(step, ours, base))
    rows.append(row("import", *time_imports(import_repeats)))
    return rows


LABELS = {
    "app": (f"app: {MODULE}", "Voila page of 10 sliders"),
    "JupyterLab": (f"JupyterLab: {MODULE} + Run All", "notebook of 10 sliders"),
    "import": ("import peerlib.widgets", "import pandas, ipywidgets"),
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="page loads of each (median)")
    parser.add_argument("--import-repeats", type=int, default=7, help="fresh Pythons of each")
    parser.add_argument("--quick", action="store_true", help="time the import only")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"{os.cpu_count()} CPUs, load average {load:.2f}; median of {args.repeats} page loads "
        f"and {args.import_repeats} imports"
    )
    skipped = "--quick" if args.quick else browser_unavailable()
    rows = run(args.repeats, args.import_repeats, quick=skipped is not None)
    print(f"{'step':<34}{'peerlib s':>10}{'baseline s':>12}{'ratio':>8}  target")
    for r in rows:
        ours, base = LABELS[r["step"]]
        print(
            f"{ours:<34}{r['peerlib']:>10.2f}{r['baseline']:>12.2f}{r['ratio']:>7.2f}×"
            f"  {r['verdict']} ≤ {r['target']}× {base}"
        )
    if skipped:
        print(f"n/a   the app and JupyterLab: not measured ({skipped})")
    loaded = loaded_by_import()
    print(
        "import peerlib.widgets loads: "
        + ", ".join(f"{m} {'yes' if v else 'no'}" for m, v in loaded.items())
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
