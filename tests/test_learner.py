"""Who is learning: the hub user, or the name chosen in the start notebook (kept in
PEERLIB_HOME); and a learner's store is theirs alone."""

import pytest

from peerlib.errors import NoLearnerError, NotOwnerError, ProgressError
from peerlib.learner import LEARNER_FILE, current_learner, set_learner
from peerlib.store import ProgressStore, default_store


def test_no_learner_yet_says_to_run_the_start_notebook(store):
    with pytest.raises(NoLearnerError, match=r"notebooks/00_start_here\.ipynb"):
        current_learner(store)


def test_the_hub_user_comes_first(store, monkeypatch):
    set_learner("Ana", store)
    monkeypatch.setenv("JUPYTERHUB_USER", "jdoe")
    assert current_learner(store) == "jdoe"


def test_the_chosen_learner_is_kept_in_peerlib_home_not_in_the_database(store, _isolated_progress):
    assert set_learner("  Ana María ", store) == "Ana María"
    assert current_learner(store) == "Ana María"
    assert (_isolated_progress / LEARNER_FILE).read_text(encoding="utf-8") == "Ana María\n"
    assert store.setting("current_learner") is None
    store.close()
    with ProgressStore(store.url) as restarted:
        assert current_learner(restarted) == "Ana María"
        assert restarted.learners()["display_name"].tolist() == ["Ana María"]
        assert restarted.owner() == "Ana María"


def test_a_store_belongs_to_one_learner(store):
    set_learner("ana", store)
    with pytest.raises(NotOwnerError, match="belongs to another learner.*Send to my trainer"):
        set_learner("ben", store)
    assert current_learner(store) == "ana"
    assert store.learners()["learner_id"].tolist() == ["ana"]


def test_two_kernels_on_one_database_never_swap_learners(db_url, monkeypatch, tmp_path):
    """Ana's kernel and another kernel (its own PEERLIB_HOME) share one database URL."""
    monkeypatch.setenv("PEERLIB_DB_URL", db_url)
    monkeypatch.setenv("PEERLIB_HOME", str(tmp_path / "ana"))
    set_learner("ana")
    default_store().record_reflection("ana", "crisis", "r1", "Private.")

    monkeypatch.setenv("PEERLIB_HOME", str(tmp_path / "ben"))
    with pytest.raises(NoLearnerError):
        current_learner()  # the choice is not read from the shared database
    with pytest.raises(NotOwnerError, match="no learner is chosen"):
        default_store().reflections()
    with pytest.raises(NotOwnerError, match="belongs to another learner"):
        set_learner("ben")
    monkeypatch.setenv("JUPYTERHUB_USER", "ben")
    with pytest.raises(NotOwnerError, match="course service"):
        default_store()

    monkeypatch.delenv("JUPYTERHUB_USER")
    monkeypatch.setenv("PEERLIB_HOME", str(tmp_path / "ana"))
    assert default_store().reflections()["text"].tolist() == ["Private."]


def test_an_older_store_keeps_working_and_gets_its_owner(_isolated_progress):
    home_store = f"sqlite:///{_isolated_progress / 'progress.sqlite'}"
    with ProgressStore(home_store) as older:  # chosen before names moved to PEERLIB_HOME
        older.ensure_learner("ana", "Ana")
        older.set_setting("current_learner", "ana")
    assert current_learner() == "ana"
    assert (_isolated_progress / LEARNER_FILE).exists()
    assert default_store().owner() == "ana"


def test_a_choice_kept_in_another_database_is_not_trusted(monkeypatch, tmp_path):
    shared = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    with ProgressStore(shared) as older:
        older.set_setting("current_learner", "ana")
    monkeypatch.setenv("PEERLIB_DB_URL", shared)
    with pytest.raises(NoLearnerError):
        current_learner()


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


def test_the_name_follows_peerlib_home(monkeypatch, tmp_path):
    set_learner("ana")
    monkeypatch.setenv("PEERLIB_HOME", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("PEERLIB_DB_URL", f"sqlite:///{tmp_path / 'new.sqlite'}")
    with pytest.raises(NoLearnerError):
        current_learner()
