"""Test session setup: every test, and every notebook nbval runs, uses a temporary home.

The notebooks run as a learner who has already chosen a name in the start notebook, so nbval
executes the real widgets and charts rather than the "choose your name first" message. Their
kernels read the shipped content, so their cells are marked `content`. A kernel that dies
while it starts is started again.
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


KERNEL_START_ATTEMPTS = 3


def pytest_sessionstart(session):
    """nbval starts one kernel per notebook. A kernel can die before it runs any code, when
    another process (the other worker, a test's Jupyter server) takes a port it was given, and
    then every cell of the notebook errors. Such a start is tried again, up to three times; a
    notebook whose cells fail still fails."""
    import functools

    from nbval import kernel

    start = kernel.start_new_kernel

    @functools.wraps(start)
    def start_new_kernel(*args, **kwargs):
        for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
            try:
                return start(*args, **kwargs)
            except RuntimeError:
                if attempt == KERNEL_START_ATTEMPTS:
                    raise

    kernel.start_new_kernel = start_new_kernel
