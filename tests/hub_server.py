"""A throwaway JupyterHub for tests: docs/jupyterhub_config.py plus test-only overrides.

The hub, its configurable-http-proxy and the peerlib course service run on 127.0.0.1 on free
ports, with everything in a temporary folder. Users log in with the DummyAuthenticator only
to get API tokens (``token()``); no single-user server is spawned.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
DOCS_CONFIG = PROJECT / "docs" / "jupyterhub_config.py"
USERS = ("alice", "bob", "carol")
INSTRUCTORS = ("alice",)

OVERRIDES = """
c = get_config()  # noqa
load_subconfig({docs!r})
# test-only: ports, paths, authenticator, users
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.pid_file = {pid_file!r}
c.JupyterHub.db_url = "sqlite:///{folder}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{folder}/cookie_secret"
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allowed_users = set({users!r})
c.JupyterHub.load_groups["instructors"]["users"] = list({instructors!r})
service = c.JupyterHub.services[0]
service["url"] = "http://127.0.0.1:{service_port}"
service["environment"]["PEERLIB_HUB_DB_URL"] = {db_url!r}
service["cwd"] = {folder!r}
c.Spawner.environment["PEERLIB_SERVICE_URL"] = "http://127.0.0.1:{port}/services/peerlib/"
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def missing() -> str | None:
    """Why a hub cannot run here, or None."""
    try:
        import jupyterhub  # noqa: F401
    except ImportError:
        return "JupyterHub is not installed (pip install -e '.[hub]')"
    if not shutil.which("configurable-http-proxy"):
        return "configurable-http-proxy is not installed (npm install -g configurable-http-proxy)"
    return None


def answering(urls) -> bool:
    """Whether every one of ``urls`` answers 200."""
    for url in urls:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status != 200:
                    return False
        except (urllib.error.URLError, OSError):
            return False
    return True


def wait_until_answering(process, urls, timeout: float, what: str, log=lambda: "") -> None:
    """Wait until ``urls`` answer; RuntimeError (with ``log()``) if ``process`` exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited early:\n{log()}")
        if answering(urls):
            return
        time.sleep(0.3)
    raise RuntimeError(f"{what} did not start within {timeout} s:\n{log()}")


class Hub:
    """``start()`` a hub with the course service; ``token(user)`` makes API tokens."""

    def __init__(self, db_url: str | None = None, users=USERS):
        self.folder = Path(tempfile.mkdtemp(prefix="peerlib-hub-"))
        self.db_url = db_url or f"sqlite:///{self.folder}/course.sqlite"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.service_url = f"{self.url}/services/peerlib/"
        self.process = None
        self.config = self.folder / "jupyterhub_config.py"
        self.config.write_text(
            OVERRIDES.format(
                docs=str(DOCS_CONFIG),
                port=self.port,
                hub_port=free_port(),
                proxy_api_port=free_port(),
                service_port=free_port(),
                pid_file=str(self.folder / "proxy.pid"),
                folder=str(self.folder),
                users=tuple(users),
                instructors=INSTRUCTORS,
                db_url=self.db_url,
            ),
            encoding="utf-8",
        )

    def start(self, timeout: float = 90) -> Hub:
        env = dict(os.environ, PYTHONPATH=str(PROJECT))
        env.pop("JUPYTERHUB_API_TOKEN", None)
        self.log = open(self.folder / "hub.log", "ab")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(self.config)],
            cwd=self.folder,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        urls = (f"{self.url}/hub/api/", self.service_url)
        wait_until_answering(self.process, urls, timeout, "JupyterHub", self.log_tail)
        return self

    def log_tail(self, size: int = 4000) -> str:
        return (self.folder / "hub.log").read_bytes()[-size:].decode("utf-8", "replace")

    def token(self, user: str, scopes: list[str] | None = None) -> str:
        """A new API token of ``user`` (logging in with the DummyAuthenticator)."""
        body = {"auth": {"username": user, "password": "test"}, "note": "peerlib tests"}
        if scopes is not None:
            body["scopes"] = scopes
        request = urllib.request.Request(
            f"{self.url}/hub/api/users/{user}/tokens",
            data=json.dumps(body).encode(),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())["token"]

    def stop(self, remove: bool = True) -> None:
        """Stop the hub (it stops the service and the proxy); ``remove`` its folder too."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        if self.process is not None:
            try:  # the proxy and the service run in the hub's session: leave none behind
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.log.close()
        self.process = None
        if remove:
            shutil.rmtree(self.folder, ignore_errors=True)
