"""`peerlib export`, `peerlib import` and `peerlib progress`, run as a learner would.

The command runs in this process (``cli.main``) with the learner's environment: a temporary
PEERLIB_HOME, no PEERLIB_DB_URL and no hub user.
"""

import json

import pytest

from peerlib.store import ProgressStore


@pytest.fixture
def env(tmp_path, monkeypatch):
    """The environment of a learner whose data lives in a temporary PEERLIB_HOME."""
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.delenv("PEERLIB_DB_URL", raising=False)
    monkeypatch.setenv("PEERLIB_HOME", str(tmp_path / "home"))
    return {"PEERLIB_HOME": str(tmp_path / "home")}


@pytest.fixture
def peerlib(peerlib_command, monkeypatch):
    """``peerlib(env, *args)``: the command with ``env``'s variables set on top."""

    def run(env, *args):
        with monkeypatch.context() as patch:
            for name, value in env.items():
                patch.setenv(name, value)
            return peerlib_command(*args)

    return run


def home_store(env):
    return ProgressStore(f"sqlite:///{env['PEERLIB_HOME']}/progress.sqlite")


def populate(progress, learner="ana"):
    progress.ensure_learner(learner, "Ana")
    progress.record_rating(learner, "crisis", "before", 2)
    progress.record_rating(learner, "crisis", "after", 4)
    progress.record_answer(learner, "ps20", "My answer.", "4/4 points", 30)
    progress.record_choice(learner, "crisis-1", 1, True)
    progress.record_reflection(learner, "crisis", "r1", "My reflection.")
    progress.mark_complete(learner, "crisis")


def test_export_the_current_learner(peerlib, env, tmp_path):
    with home_store(env) as progress:
        populate(progress)
        progress.set_setting("current_learner", "ana")
    done = peerlib(env, "export", "--out", tmp_path / "ana.json")
    assert done.returncode == 0, done.stderr
    assert "ana" in done.stdout and "without answer and reflection texts" in done.stdout
    data = json.loads((tmp_path / "ana.json").read_text(encoding="utf-8"))
    assert data["learner"]["learner_id"] == "ana" and data["include_text"] is False
    assert "text" not in data["answers"][0]


def test_export_a_named_learner_with_texts(peerlib, env, tmp_path):
    with home_store(env) as progress:
        populate(progress, "ben")
    done = peerlib(
        env, "export", "--learner", "ben", "--out", tmp_path / "b.json", "--include-text"
    )
    assert done.returncode == 0, done.stderr
    data = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert data["answers"][0]["text"] == "My answer."


def test_export_without_a_learner_explains_what_to_do(peerlib, env, tmp_path):
    done = peerlib(env, "export", "--out", tmp_path / "x.json")
    assert done.returncode == 1
    assert "00_start_here.ipynb" in done.stderr
    assert not (tmp_path / "x.json").exists()


def test_export_of_an_unknown_learner_fails_cleanly(peerlib, env, tmp_path):
    done = peerlib(env, "export", "--learner", "zoe", "--out", tmp_path / "z.json")
    assert done.returncode == 1
    assert "no learner 'zoe'" in done.stderr


def test_import_reports_each_file_and_fails_if_any_failed(peerlib, env, tmp_path):
    with ProgressStore(f"sqlite:///{tmp_path / 'laptop.sqlite'}") as laptop:
        populate(laptop, "ana")
        populate(laptop, "ben")
        good = laptop.export_learner("ana", tmp_path / "ana.json", include_text=True)
        other = laptop.export_learner("ben", tmp_path / "ben.json")
    bad = tmp_path / "broken.json"
    bad.write_text(good.read_text(encoding="utf-8")[:200], encoding="utf-8")
    done = peerlib(env, "import", good, bad, other)
    assert done.returncode == 1
    assert "ana.json: imported for ana: 2 ratings, 1 answers" in done.stdout
    assert "ben.json: imported for ben" in done.stdout
    assert "broken.json: is not valid JSON" in done.stderr
    with home_store(env) as progress:
        assert sorted(progress.learners()["learner_id"]) == ["ana", "ben"]
        assert len(progress.ratings()) == 4
    again = peerlib(env, "import", good)
    assert again.returncode == 0, again.stderr
    assert "0 ratings, 0 answers, 0 choices, 0 reflections, 0 completions added" in again.stdout


def test_import_of_a_missing_file_fails_cleanly(peerlib, env, tmp_path):
    done = peerlib(env, "import", tmp_path / "nope.json")
    assert done.returncode == 1
    assert "nope.json: cannot be read" in done.stderr


def test_progress_summary(peerlib, env):
    with home_store(env) as progress:
        populate(progress)
        progress.set_setting("current_learner", "ana")
    done = peerlib(env, "progress")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Progress of Ana (ana)"
    crisis = next(line for line in lines if line.strip().startswith("crisis"))
    assert crisis.split()[:4] == ["crisis", "2", "4", "-"] and "complete" in crisis
    assert "Practice answers: 1" in done.stdout
    assert "Scenario choices: 1, best: 1" in done.stdout
    assert "Reflections: 1" in done.stdout
    assert "Modules complete: 1 of 14 (crisis)" in done.stdout
    other = peerlib(env, "progress", "--learner", "zoe")
    assert other.returncode == 1 and "no learner 'zoe'" in other.stderr


def test_a_broken_database_url_is_an_error_not_a_traceback(peerlib, env):
    done = peerlib(env | {"PEERLIB_DB_URL": "nosuchdb://x"}, "progress", "--learner", "ana")
    assert done.returncode == 1
    assert done.stderr.startswith("peerlib: ")


def test_another_learners_progress_cannot_be_exported_from_a_shared_database(
    peerlib, env, tmp_path
):
    shared = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    with ProgressStore(shared) as progress:
        populate(progress, "bob")
        progress.claim("bob")
    alice = env | {"PEERLIB_DB_URL": shared, "PEERLIB_HOME": str(tmp_path / "alice")}
    for args in (
        ["export", "--learner", "bob", "--include-text", "--out", tmp_path / "b.json"],
        ["progress", "--learner", "bob"],
        ["import", tmp_path / "any.json"],
    ):
        done = peerlib(alice, *args)
        assert done.returncode == 1, args
        assert "belongs to a" in done.stderr and "Send to my trainer" in done.stderr
    assert not (tmp_path / "b.json").exists()
