"""Test session setup: every test, and every notebook nbval runs, uses a temporary home."""

import os
import tempfile


def pytest_configure(config):
    home = tempfile.mkdtemp(prefix="peerlib-test-home-")
    os.environ["PEERLIB_HOME"] = home
    os.environ.pop("PEERLIB_DB_URL", None)
    os.environ.pop("JUPYTERHUB_USER", None)
