"""Shared fixtures. Each section is self-contained; add new sections below."""

import os
from contextlib import contextmanager
from pathlib import Path

import pytest

# --- progress store: isolated learner data, and a store on SQLite and on PostgreSQL ----------


@pytest.fixture(autouse=True)
def _isolated_progress(monkeypatch, tmp_path_factory):
    """Never touch the real learner's data: a temporary PEERLIB_HOME and database, no hub user."""
    home = tmp_path_factory.mktemp("peerlib-home")
    monkeypatch.setenv("PEERLIB_HOME", str(home))
    monkeypatch.setenv("PEERLIB_DB_URL", f"sqlite:///{home / 'progress.sqlite'}")
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    return home


@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL server for the session (skipped locally if not installed)."""
    from pg_server import PostgresServer, find_bin_dir

    bin_dir = find_bin_dir()
    problem = None
    if bin_dir is None:
        problem = "PostgreSQL not found (no initdb/pg_ctl under /usr/lib/postgresql/*/bin or PATH)"
    else:
        try:
            import psycopg  # noqa: F401
        except ImportError:
            problem = "the psycopg driver is not installed (pip install -e '.[postgres]')"
    if problem:
        if os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.fail(f"{problem}; under CI=true the PostgreSQL tests must run")
        pytest.skip(problem)
    server = PostgresServer(bin_dir)
    try:
        server.start()
    except Exception:
        server.stop()
        raise
    yield server
    server.stop()


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@contextmanager
def _fresh_database(request, folder: Path):
    """The URL of a fresh, empty progress database: an SQLite file, or a PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{folder / 'store.sqlite'}"
        return
    server = request.getfixturevalue("postgres_server")
    url = server.create_database()
    try:
        yield url
    finally:
        server.drop_database(url)


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """A fresh progress database per test (once on SQLite and once on PostgreSQL)."""
    with _fresh_database(request, tmp_path) as url:
        yield url


def _store(url):
    from peerlib import content
    from peerlib.store import ProgressStore

    return ProgressStore(url, ids=content.known_ids)


@pytest.fixture
def store(db_url):
    """A ProgressStore on a fresh database (run once on SQLite and once on PostgreSQL)."""
    progress = _store(db_url)
    yield progress
    progress.close()


@pytest.fixture(scope="module", params=BACKENDS)
def module_store(request, tmp_path_factory):
    """One ProgressStore per backend for a whole test file: for tables of refused writes,
    each of which must leave it as it was."""
    with _fresh_database(request, tmp_path_factory.mktemp("module-store")) as url:
        progress = _store(url)
        yield progress
        progress.close()


# --- content: code tests read the small fixture content, `content` tests the shipped one ------

FIXTURE_CONTENT = Path(__file__).resolve().parent / "fixtures" / "content"


class _Content:
    """The content the tests in this process read, with no trainer folders.

    Kept from one test to the next, with its cache, and switched (``content.using``, which
    reloads) only when a test needs the other content.
    """

    using = None  # the content.using() in effect, if any

    def use(self, root: Path) -> None:
        from peerlib import content

        if self.using and content.root() == root and content.trainer_folders() == []:
            return
        self.close()
        self.using = content.using(root, folders=[])
        self.using.__enter__()

    def close(self) -> None:
        if self.using is not None:
            self.using.__exit__(None, None, None)
        self.using = None


_content = _Content()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Every test reads the fixture content in tests/fixtures/content/, except tests marked
    `content`, which check the shipped content (peerlib/data). Switched before any fixture is
    set up, so a module-scoped fixture reads the same content as the test that first asks
    for it."""
    from peerlib import content

    _content.use(content.SHIPPED if item.get_closest_marker("content") else FIXTURE_CONTENT)


def pytest_configure(config):
    """Test modules that read content when they are imported (collected) read the shipped
    content, with no trainer folders, as the tests marked `content` do."""
    from peerlib import content

    _content.use(content.SHIPPED)


def pytest_sessionfinish(session):
    _content.close()


@pytest.fixture
def content_dir(tmp_path):
    """A copy of the content the test reads (the fixture content; the shipped content for a
    test marked `content`) in a tmp folder, used by the content layer while the test runs,
    with an empty trainer folder (``content_dir / "trainer"``)."""
    import shutil

    from peerlib import content

    root = tmp_path / "content"
    shutil.copytree(content.root(), root / "data")
    (root / "trainer").mkdir()
    with content.using(root / "data", folders=[root / "trainer"]):
        yield root


# --- the `peerlib` command, run in this process ----------------------------------------------


class CommandResult:
    """What a run of the `peerlib` command gave: its exit code and what it printed."""

    def __init__(self, returncode: int, stdout: str, stderr: str):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr

    def __repr__(self) -> str:
        return f"CommandResult({self.returncode}, stdout={self.stdout!r}, stderr={self.stderr!r})"


@pytest.fixture
def peerlib_command(capsys):
    """Run `peerlib ARGS...` in this process: ``peerlib_command("bank", "list")``.

    The command sees this test's environment (PEERLIB_HOME and the rest, set with
    monkeypatch). An exception that escapes the command fails the test, as a traceback
    would fail a user.
    """
    from peerlib import cli

    def run(*args) -> CommandResult:
        capsys.readouterr()  # only what this command prints
        code = cli.main([str(arg) for arg in args])
        out, err = capsys.readouterr()
        return CommandResult(code, out, err)

    return run


# --- order: files that start servers run first ------------------------------------------------

SERVER_MARKS = ("browser", "hub", "postgres")


def pytest_collection_modifyitems(items):
    """Run the files that start servers (browser and hub first, then PostgreSQL) before the
    rest, keeping each file's own order. With two workers (``make test`` passes
    ``--no-loadscope-reorder`` so pytest-xdist keeps this order), the long files start on both
    workers at once instead of one worker finishing them alone at the end. Within a file the
    tests marked `content` run after the others, in their own order, so the content switches
    once per file."""
    rank, first = {}, {}
    for index, item in enumerate(items):
        marks = {m for m in SERVER_MARKS if item.get_closest_marker(m)}
        here = 0 if marks & {"browser", "hub"} else 1 if marks else 2
        rank[item.path] = min(rank.get(item.path, 2), here)
        first.setdefault(item.path, index)
    items.sort(
        key=lambda item: (
            rank[item.path],
            first[item.path],
            item.get_closest_marker("content") is not None,
        )
    )
