"""Where peerlib keeps a learner's data (content is found by ``peerlib.content``)."""

import os
from pathlib import Path

import platformdirs

PROJECT_DIR = Path(__file__).resolve().parent.parent  # the checkout (when running from one)


def peerlib_home() -> Path:
    """The folder for the learner's progress: ``$PEERLIB_HOME`` or the user data directory."""
    home = os.environ.get("PEERLIB_HOME")
    path = Path(home).expanduser() if home else Path(platformdirs.user_data_dir("peerlib"))
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    make_private(path, 0o700)
    return path


def make_private(path: Path, mode: int = 0o600) -> None:
    """Make a file (0600) or folder (0700) readable by its owner only (POSIX; a file of
    another user's is left as it is)."""
    if os.name != "posix":
        return
    try:
        if path.stat().st_mode & 0o777 != mode:
            path.chmod(mode)
    except OSError:
        pass


def private_file(path: Path) -> Path:
    """Create an empty file readable by its owner only (0600), or make an existing one so."""
    path = Path(path)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        make_private(path)
    return path


def display(path: Path) -> str:
    """A path as a person would type it: relative to the project or working folder if inside."""
    path = Path(path)
    for base in (Path.cwd(), PROJECT_DIR):
        try:
            return str(path.resolve().relative_to(base.resolve()))
        except ValueError:
            continue
    return str(path)
