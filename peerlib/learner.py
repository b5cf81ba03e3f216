"""Who is learning: the hub user, or the name chosen in the start notebook."""

from __future__ import annotations

import os

from .errors import NoLearnerError
from .store import ProgressStore, check_learner_id, default_store

SETTING = "current_learner"
START_NOTEBOOK = "notebooks/00_start_here.ipynb"


def current_learner(store: ProgressStore | None = None) -> str:
    """The learner id: ``$JUPYTERHUB_USER`` on a hub, else the one chosen with ``set_learner``.

    Raises ``NoLearnerError`` when neither is known yet.
    """
    hub_user = os.environ.get("JUPYTERHUB_USER", "").strip()
    if hub_user:
        return hub_user
    chosen = (store or default_store()).setting(SETTING)
    if not chosen:
        raise NoLearnerError(
            f"No learner chosen yet. Open {START_NOTEBOOK} first and enter your name there; "
            "your progress is saved under that name."
        )
    return chosen


def set_learner(name: str, store: ProgressStore | None = None) -> str:
    """Choose the learner (remembered in the store, across kernel restarts); returns the id."""
    store = store or default_store()
    learner_id = store.ensure_learner(check_learner_id(name), display_name=name.strip())
    store.set_setting(SETTING, learner_id)
    return learner_id
