"""Where a learner's data is kept (``peerlib.paths``): private to its owner, shown as typed."""

import os
import stat

import pytest

from peerlib.paths import display, make_private, peerlib_home, private_file
from peerlib.store import ProgressStore

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


@posix_only
def test_peerlib_home_and_store_are_private(_isolated_progress):
    os.chmod(_isolated_progress, 0o755)
    assert peerlib_home() == _isolated_progress
    with ProgressStore() as progress:
        progress.record_rating("ana", "crisis", "before", 2)
    assert stat.S_IMODE(_isolated_progress.stat().st_mode) == 0o700
    for name in ("progress.sqlite", "progress.sqlite-wal"):
        path = _isolated_progress / name
        if path.exists():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, name


@posix_only
def test_peerlib_home_follows_the_variable_and_is_made_private(monkeypatch, tmp_path):
    monkeypatch.setenv("PEERLIB_HOME", str(tmp_path / "new" / "home"))
    home = peerlib_home()
    assert home == tmp_path / "new" / "home" and home.is_dir() and _mode(home) == 0o700


@posix_only
def test_private_file_creates_an_owner_only_file_and_tightens_an_existing_one(tmp_path):
    new = private_file(tmp_path / "new.sqlite")
    assert new.read_bytes() == b"" and _mode(new) == 0o600
    old = tmp_path / "old.sqlite"
    old.write_text("kept")
    old.chmod(0o644)
    assert private_file(old) == old and _mode(old) == 0o600 and old.read_text() == "kept"
    make_private(tmp_path, 0o700)
    assert _mode(tmp_path) == 0o700


def test_display_is_relative_inside_the_working_folder_and_whole_outside(monkeypatch, tmp_path):
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    assert display(tmp_path / "work" / "mine.yaml") == "mine.yaml"
    assert display(tmp_path / "elsewhere.yaml") == str(tmp_path / "elsewhere.yaml")
