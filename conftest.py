"""Test session setup: every test, and every notebook nbval runs, uses a temporary home.

The notebooks run as a learner who has already chosen a name in the start notebook, so nbval
executes the real widgets and charts rather than the "choose your name first" message. Their
kernels read the shipped content, so their cells are marked `content`.
"""

import os
import tempfile
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parent / "notebooks"


def pytest_configure(config):
    home = tempfile.mkdtemp(prefix="peerlib-test-home-")
    os.environ["PEERLIB_HOME"] = home
    os.environ.pop("PEERLIB_DB_URL", None)
    os.environ.pop("JUPYTERHUB_USER", None)

    from peerlib.learner import set_learner

    set_learner("Notebook tester")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.suffix == ".ipynb" and item.path.is_relative_to(NOTEBOOKS):
            item.add_marker(pytest.mark.content)
