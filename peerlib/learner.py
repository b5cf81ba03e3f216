"""Who is learning: the hub user, or the name chosen in the start notebook.

The chosen name is kept in a small file in ``PEERLIB_HOME`` (never in a database others can
write), and the learner's store records them as its owner: a store is one learner's.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import NoLearnerError
from .exportfile import check_learner_id
from .paths import peerlib_home

if TYPE_CHECKING:  # the store (and SQLAlchemy) is loaded only when it is needed
    from .store import ProgressStore

SETTING = "current_learner"  # where peerlib before 0.2 kept the choice (in the store)
LEARNER_FILE = "learner.txt"
START_NOTEBOOK = "notebooks/00_start_here.ipynb"


def _chosen_file() -> Path:
    return peerlib_home() / LEARNER_FILE


def _chosen(store: ProgressStore | None) -> str | None:
    """The name chosen in this PEERLIB_HOME (moving an older choice out of the home's own
    store the first time), or None."""
    path = _chosen_file()
    if path.exists():
        return path.read_text(encoding="utf-8").strip() or None
    from .store import default_store

    store = store or default_store(check_owner=False)
    home_file = (peerlib_home() / "progress.sqlite").resolve()
    database = store.url.database
    if store.url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if Path(database).expanduser().resolve() != home_file:
        return None  # a choice kept in another database is not trusted
    legacy = store.setting(SETTING)
    if legacy:
        _remember(legacy)
    return legacy


def _remember(learner_id: str) -> None:
    path = _chosen_file()
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(learner_id + "\n", encoding="utf-8")
    os.replace(temporary, path)


def current_learner(store: ProgressStore | None = None) -> str:
    """The learner id: ``$JUPYTERHUB_USER`` on a hub, else the one chosen with ``set_learner``.

    Raises ``NoLearnerError`` when neither is known yet.
    """
    hub_user = os.environ.get("JUPYTERHUB_USER", "").strip()
    if hub_user:
        return hub_user
    chosen = _chosen(store)
    if not chosen:
        raise NoLearnerError(
            f"No learner chosen yet. Open {START_NOTEBOOK} first and enter your name there; "
            "your progress is saved under that name."
        )
    return chosen


def set_learner(name: str, store: ProgressStore | None = None) -> str:
    """Choose the learner (remembered in ``PEERLIB_HOME``, across kernel restarts).

    The store must be theirs: a store that belongs to another learner raises
    ``NotOwnerError``. Returns the learner id.
    """
    from .store import default_store

    learner_id = check_learner_id(name)
    store = store or default_store(check_owner=False)
    store.claim(learner_id)
    store.ensure_learner(learner_id, display_name=name.strip())
    _remember(learner_id)
    return learner_id
