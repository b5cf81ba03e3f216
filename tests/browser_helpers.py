"""Helpers for the real-browser test: a throwaway JupyterLab server and a driver for its page.

`JupyterLabServer` starts JupyterLab on loopback with a temporary home (progress store, Jupyter
config, settings, runtime and data folders), and `Lab` drives it in Chromium through
`window.jupyterapp` (exposed with `--LabApp.expose_app_in_browser`) and the widgets' DOM.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import warnings
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# JupyterLab user settings: every cell in the page (no virtual scrolling), no news or update
# popups, and no autosave, so running the notebooks never writes outputs into the checkout.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}

KERNEL_TIMEOUT_S = 120  # a kernel start plus a run-all on a loaded two-core machine
UI_TIMEOUT_MS = 60_000


def find_chromium() -> str | None:
    """The system Chromium (Debian's package), or None."""
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


def playwright_or_skip(what: str, also_needed=()):
    """Playwright's sync API, Chromium's path and ``expect``, or skip the calling test module.

    ``also_needed`` holds (path, reason) pairs of files the module needs. Locally a missing
    piece skips with a reason; under CI=true the test must run, so it fails instead.
    """

    def unavailable(reason: str) -> None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; under CI=true the {what} must run", pytrace=False)
        pytest.skip(reason, allow_module_level=True)

    chromium = find_chromium()
    if chromium is None:
        unavailable(f"Chromium not found (apt-get install chromium): the {what} needs it")
    for path, reason in also_needed:
        if not Path(path).exists():
            unavailable(reason)
    try:
        from playwright import sync_api
    except ImportError:
        unavailable("the playwright package is not installed (pip install -e '.[test]')")
    sync_api.expect.set_options(timeout=UI_TIMEOUT_MS)
    return sync_api, chromium, sync_api.expect


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def digest(paths) -> dict[str, str]:
    """Content hashes of files (None if missing), to show that a run left them untouched."""
    paths = [Path(p) for p in paths]
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest() if p.exists() else None for p in paths
    }


def first_matching(locator, has_text: str | None = None, has: str | None = None):
    """The first element of ``locator`` with this text and/or containing this element."""
    if has is not None:
        locator = locator.filter(has=locator.page.locator(has))
    if has_text is not None:
        locator = locator.filter(has_text=has_text)
    return locator.first


@contextlib.contextmanager
def reporting_failure(page_or_lab, server, shot: str = "failure"):
    """On any failure inside, take the screenshot ``shot`` and print the server's log."""
    try:
        yield
    except BaseException:
        page_or_lab.shot(shot)
        print(f"The server's log (end):\n{server.log()}")
        raise


class JupyterLabServer:
    """JupyterLab on 127.0.0.1 with a random token and everything personal in ``home``."""

    def __init__(self, root_dir: Path, home: Path):
        self.root_dir, self.home = Path(root_dir), Path(home)
        self.port, self.token = free_port(), secrets.token_hex(16)
        self.log_path = self.home / "jupyterlab.log"
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "lab") -> str:
        return f"{self.base_url}/{path}?token={self.token}"

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        for name in ("PEERLIB_DB_URL", "JUPYTERHUB_USER", "JUPYTER_PATH", "JUPYTER_CONFIG_PATH"):
            env.pop(name, None)
        folders = {
            "PEERLIB_HOME": "peerlib-home",
            "JUPYTER_CONFIG_DIR": "jupyter-config",
            "JUPYTERLAB_SETTINGS_DIR": "lab-settings",
            "JUPYTERLAB_WORKSPACES_DIR": "lab-workspaces",
            "JUPYTER_RUNTIME_DIR": "jupyter-runtime",
            # The kernelspec and the widgets extension are in sys.prefix/share/jupyter, which
            # Jupyter searches whatever this says.
            "JUPYTER_DATA_DIR": "jupyter-data",
            "IPYTHONDIR": "ipython",
            "MPLCONFIGDIR": "matplotlib",
        }
        for name, folder in folders.items():
            path = self.home / folder
            path.mkdir(parents=True, exist_ok=True)
            env[name] = str(path)
        env["JUPYTER_PLATFORM_DIRS"] = "1"
        return env

    def _write_settings(self, settings_dir: Path) -> None:
        for name, values in LAB_SETTINGS.items():
            path = settings_dir / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values, indent=2))

    def _serve(self, app: str) -> list[str]:
        """``jupyter <app>`` on this server's port and token, serving ``root_dir``."""
        return [
            sys.executable,
            "-m",
            "jupyter",
            app,
            "--no-browser",
            "--allow-root",
            "--ip=127.0.0.1",
            f"--port={self.port}",
            "--port-retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root_dir}",
        ]

    def _command(self) -> list[str]:
        return [
            *self._serve("lab"),
            # Checkpoints go to the temporary home, not .ipynb_checkpoints in the checkout.
            f"--FileCheckpoints.checkpoint_dir={self.home / 'checkpoints'}",
            "--LabApp.expose_app_in_browser=True",
            "--LabServerApp.open_browser=False",
        ]

    def start(self, timeout: float = 60) -> None:
        env = self._env()
        self._write_settings(Path(env["JUPYTERLAB_SETTINGS_DIR"]))
        command = self._command()
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                command,
                env=env,
                cwd=self.root_dir,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"JupyterLab exited with code {self.process.returncode}:\n{self.log()}"
                )
            try:
                with urllib.request.urlopen(self.url("api/status"), timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"JupyterLab did not answer within {timeout:.0f} s:\n{self.log()}")

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.stop()  # a server that started but never answered
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-6000:]
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        """Terminate the server (it shuts its kernels down), then kill whatever is left."""
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        # Kernels run in the server's process group: make sure none outlives it.
        try:
            os.killpg(process.pid, 9)
        except ProcessLookupError:
            pass


# --- driving JupyterLab in the page -----------------------------------------------------------

# Page-side helpers, installed once per page load: find a notebook panel by id, and bound any
# promise (page.evaluate itself has no timeout).
_JS_HELPERS = """
() => {
  window.__peer = {
    panel(id) {
      for (const widget of window.jupyterapp.shell.widgets('main')) {
        if (widget.id === id) return widget;
      }
      throw new Error(`no open notebook panel with id ${id}`);
    },
    within(promise, ms, what) {
      let timer;
      const late = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: no result after ${ms / 1000} s`)), ms);
      });
      return Promise.race([promise, late]).finally(() => clearTimeout(timer));
    },
  };
}
"""


class Lab:
    """A JupyterLab page: open notebooks, run them, restart kernels, click widgets, screenshot.

    Every step that changes the page is followed by a screenshot named ``NN_step.png`` in
    ``artifacts``.
    """

    def __init__(self, page, server: JupyterLabServer, artifacts: Path):
        self.page, self.server, self.artifacts = page, server, Path(artifacts)
        self.shots: list[Path] = []
        self.started = time.monotonic()
        self.warned: set[str] = set()
        self.panel_id: str | None = None

    # -- the application --

    def load(self) -> None:
        """Open /lab and wait until the application has started and restored its layout."""
        self.page.goto(self.server.url("lab"), timeout=UI_TIMEOUT_MS)
        self.page.wait_for_function(
            "() => window.jupyterapp && window.jupyterapp.commands", timeout=UI_TIMEOUT_MS
        )
        self.page.evaluate("() => window.jupyterapp.restored")
        self.page.evaluate(_JS_HELPERS)
        # More room for the notebook: no file browser in the screenshots.
        self.page.evaluate("() => window.jupyterapp.shell.collapseLeft()")

    def command(self, command_id: str, args: dict | None = None, timeout_s: float = 60) -> None:
        self.page.evaluate(
            """([id, args, ms]) => window.__peer.within(
                   window.jupyterapp.commands.execute(id, args).then(() => null), ms, id)""",
            [command_id, args or {}, timeout_s * 1000],
        )

    # -- notebooks --

    def open_notebook(self, path: str) -> None:
        """Open ``path`` (relative to the server's root), wait for its kernel to be idle."""
        assert (self.server.root_dir / path).is_file(), f"{path} does not exist"
        self.panel_id = self.page.evaluate(
            """async ([path, ms]) => {
                const app = window.jupyterapp;
                const panel = await window.__peer.within(
                    app.commands.execute('docmanager:open', {path, factory: 'Notebook'}),
                    ms, `opening ${path}`);
                await window.__peer.within(panel.context.ready, ms, `loading ${path}`);
                app.shell.activateById(panel.id);
                return panel.id;
            }""",
            [path, KERNEL_TIMEOUT_S * 1000],
        )
        self.notebook.locator(".jp-Cell").first.wait_for(timeout=UI_TIMEOUT_MS)
        self.wait_idle()

    @property
    def notebook(self):
        """The open notebook panel (inactive tabs stay in the page; selectors stay inside it)."""
        assert self.panel_id, "open a notebook first"
        return self.page.locator(f'[id="{self.panel_id}"]')

    def wait_idle(self, timeout_s: float = KERNEL_TIMEOUT_S) -> None:
        """Wait until the notebook's kernel has started and is idle."""
        self.page.wait_for_function(
            """(id) => {
                const kernel = window.__peer.panel(id).sessionContext.session?.kernel;
                return kernel && kernel.status === 'idle';
            }""",
            arg=self.panel_id,
            timeout=timeout_s * 1000,
            polling=250,
        )

    def run_all(self, timeout_s: float = KERNEL_TIMEOUT_S) -> None:
        """Run every cell (Run > Run All Cells), wait until the last one has finished, and
        fail if any cell raised."""
        self._activate()
        self.wait_idle()
        self.command("notebook:run-all-cells", timeout_s=timeout_s)
        self.wait_idle()
        self.assert_no_errors()

    def restart_and_run_all(self, timeout_s: float = KERNEL_TIMEOUT_S) -> None:
        """Kernel > Restart Kernel and Run All Cells…, accepting the confirmation dialog."""
        self._activate()
        self.page.evaluate(
            """() => { window.__peer.pending = window.jupyterapp.commands.execute(
                           'notebook:restart-run-all'); }"""
        )
        dialog = self.page.locator(".jp-Dialog")
        dialog.wait_for(timeout=UI_TIMEOUT_MS)
        self.shot("restart_dialog")
        dialog.locator("button.jp-mod-accept").click()
        dialog.wait_for(state="detached", timeout=UI_TIMEOUT_MS)
        restarted = self.page.evaluate(
            "(ms) => window.__peer.within(window.__peer.pending, ms, 'restart and run all')",
            timeout_s * 1000,
        )
        assert restarted is not False, "the kernel was not restarted"
        self.wait_idle()
        self.assert_no_errors()

    def _activate(self) -> None:
        self.page.evaluate("(id) => window.jupyterapp.shell.activateById(id)", self.panel_id)

    def close_notebook(self) -> None:
        """Shut the notebook's kernel down and close its tab without saving (nothing is written)."""
        self.page.evaluate(
            """async ([id, ms]) => {
                const panel = window.__peer.panel(id);
                await window.__peer.within(panel.sessionContext.shutdown(), ms, 'kernel shutdown');
                panel.context.model.dirty = false;
                panel.dispose();
            }""",
            [self.panel_id, 60_000],
        )
        self.panel_id = None

    def errors(self) -> list[str]:
        """Error outputs in the open notebook, from its model and from the page."""
        found = self.page.evaluate(
            """(id) => {
                const found = [];
                const cells = window.__peer.panel(id).content.model.cells;
                for (let i = 0; i < cells.length; i++) {
                  const cell = cells.get(i);
                  if (cell.type !== 'code') continue;
                  for (const output of cell.outputs.toJSON()) {
                    if (output.output_type === 'error') {
                      found.push(`cell ${i + 1}: ${output.ename}: ${output.evalue}`);
                    }
                  }
                }
                return found;
            }""",
            self.panel_id,
        )
        found += [text[:500] for text in self.stderr() if "Traceback" in text]
        broken = self.notebook.locator(".jp-OutputArea-output").filter(
            has_text="Error displaying widget"
        )
        found += [t[:500] for t in broken.all_inner_texts()]
        return found

    def stderr(self) -> list[str]:
        """The text of every red (stderr or error) output box in the open notebook."""
        boxes = self.notebook.locator(
            '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
        )
        return boxes.all_inner_texts()

    def assert_no_errors(self) -> None:
        """Fail on tracebacks; show other stderr output (warnings) as pytest warnings."""
        problems = self.errors()
        assert not problems, "the notebook shows errors:\n" + "\n".join(problems)
        for text in self.stderr():
            if text not in self.warned:
                self.warned.add(text)
                warnings.warn(f"a notebook shows stderr output: {text[:400]}", stacklevel=2)

    # -- widgets --

    def output(self, *, has_text: str | None = None, has=None):
        """The first output area (in the open notebook) with this text and/or element."""
        return first_matching(self.notebook.locator(".jp-OutputArea-output"), has_text, has)

    @staticmethod
    def button(scope, text: str):
        """A widget button in ``scope`` whose whole visible text is ``text`` (icons aside).

        Push buttons and toggle buttons alike: ipywidgets 8 gives both ``jupyter-button``.
        """
        exact = re.compile(rf"^\s*{re.escape(text)}\s*$")
        return scope.locator("button.jupyter-button, button.widget-button").filter(has_text=exact)

    def click_button(self, scope, text: str) -> None:
        self.button(scope, text).first.click(timeout=UI_TIMEOUT_MS)

    # -- screenshots --

    def shot(self, step: str, target=None) -> Path:
        """Screenshot the page (after scrolling ``target`` into view) as NN_step.png."""
        if target is not None:
            target.evaluate("(e) => e.scrollIntoView({block: 'center'})", timeout=UI_TIMEOUT_MS)
        path = self.artifacts / f"{len(self.shots) + 1:02d}_{step}.png"
        self.page.screenshot(path=str(path))
        self.shots.append(path)
        print(f"[{time.monotonic() - self.started:6.1f} s] {path.name}")
        return path


# --- the learners' app (Voila) ----------------------------------------------------------------

APP_START = "voila/render/notebooks/00_start_here.ipynb"


class AppServer(JupyterLabServer):
    """The workbook app as ``make app`` and Binder serve it: Jupyter Server with Voila, pages at
    ``voila/render/notebooks/<name>.ipynb``, everything personal in ``home``."""

    def _command(self) -> list[str]:
        return [*self._serve("server"), f"--ServerApp.default_url=/{APP_START}"]

    def page(self, notebook: str) -> str:
        """The app's address of ``notebook`` (e.g. "00_start_here"), with the token."""
        return self.url(f"voila/render/notebooks/{notebook}.ipynb")


class App:
    """A page of the workbook app in Chromium: open it, wait until its widgets are drawn,
    screenshot it (``NN_step.png`` in ``artifacts``)."""

    def __init__(self, page, server: AppServer, artifacts: Path):
        self.page, self.server, self.artifacts = page, server, Path(artifacts)
        self.shots: list[Path] = []
        self.started = time.monotonic()

    def open(self, notebook: str, widgets: int = 1) -> None:
        """Open a page and wait until the app has run it and drawn ``widgets`` widget views."""
        self.page.goto(self.server.page(notebook), timeout=KERNEL_TIMEOUT_S * 1000)
        self.wait_ready(widgets)

    def wait_ready(self, widgets: int = 1) -> None:
        self.page.wait_for_function(
            """(n) => {
                const cells = document.querySelector('#rendered_cells');
                const loading = document.querySelector('#loading');
                return cells && getComputedStyle(cells).display !== 'none'
                    && (!loading || getComputedStyle(loading).display === 'none')
                    && document.querySelectorAll('.peerlib-view, .widget-html').length >= n;
            }""",
            arg=widgets,
            timeout=KERNEL_TIMEOUT_S * 1000,
            polling=250,
        )

    def view(self, *, has_text: str | None = None, has: str | None = None):
        """The first of the workbook's widget views with this text and/or element."""
        return first_matching(self.page.locator(".peerlib-view"), has_text, has)

    def errors(self) -> list[str]:
        """Error outputs and tracebacks shown in the page."""
        found = self.page.locator(
            '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], '
            ".jp-RenderedText[data-mime-type='application/vnd.jupyter.error']"
        ).all_inner_texts()
        found += (
            self.page.locator(".jp-OutputArea-output")
            .filter(has_text="Error displaying widget")
            .all_inner_texts()
        )
        return [text[:500] for text in found]

    def shot(self, step: str, target=None, full_page: bool = False) -> Path:
        if target is not None:
            target.evaluate("(e) => e.scrollIntoView({block: 'center'})", timeout=UI_TIMEOUT_MS)
        path = self.artifacts / f"{len(self.shots) + 1:02d}_{step}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        self.shots.append(path)
        print(f"[{time.monotonic() - self.started:6.1f} s] {path.name}")
        return path
