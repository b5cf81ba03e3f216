"""Who is learning: the hub user, or the name chosen in the start notebook."""

import pytest

from peerlib.errors import NoLearnerError, ProgressError
from peerlib.learner import current_learner, set_learner
from peerlib.store import ProgressStore, default_store


def test_no_learner_yet_says_to_run_the_start_notebook(store):
    with pytest.raises(NoLearnerError, match=r"notebooks/00_start_here\.ipynb"):
        current_learner(store)


def test_the_hub_user_comes_first(store, monkeypatch):
    set_learner("Ana", store)
    monkeypatch.setenv("JUPYTERHUB_USER", "jdoe")
    assert current_learner(store) == "jdoe"


def test_the_chosen_learner_survives_a_kernel_restart(store):
    assert set_learner("  Ana María ", store) == "Ana María"
    assert current_learner(store) == "Ana María"
    store.close()
    with ProgressStore(store.url) as restarted:
        assert current_learner(restarted) == "Ana María"
        assert restarted.learners()["display_name"].tolist() == ["Ana María"]


def test_choosing_another_learner_replaces_the_first(store):
    set_learner("ana", store)
    set_learner("ben", store)
    assert current_learner(store) == "ben"
    assert store.learners()["learner_id"].tolist() == ["ana", "ben"]


@pytest.mark.parametrize("name", ["", "   ", None])
def test_a_blank_name_is_refused(store, name):
    with pytest.raises(ProgressError, match="non-blank"):
        set_learner(name, store)
    assert store.learners().empty
    with pytest.raises(NoLearnerError):
        current_learner(store)


def test_the_default_store_is_used_without_a_store_argument(_isolated_progress):
    set_learner("ana")
    assert current_learner() == "ana"
    assert current_learner(default_store()) == "ana"
    assert (_isolated_progress / "progress.sqlite").exists()


def test_a_fresh_environment_has_a_fresh_default_store(monkeypatch, tmp_path):
    set_learner("ana")
    monkeypatch.setenv("PEERLIB_DB_URL", f"sqlite:///{tmp_path / 'new.sqlite'}")
    with pytest.raises(NoLearnerError):
        current_learner()
