"""`peerlib export`, `peerlib import` and `peerlib progress`, run as a learner would."""

import json
import os
import subprocess
import sys

import pytest

from peerlib.store import ProgressStore


@pytest.fixture
def env(tmp_path):
    """The environment of a learner whose data lives in a temporary PEERLIB_HOME."""
    home = tmp_path / "home"
    variables = {
        k: v for k, v in os.environ.items() if k not in ("JUPYTERHUB_USER", "PEERLIB_DB_URL")
    }
    return variables | {"PEERLIB_HOME": str(home)}


def peerlib(env, *args):
    return subprocess.run(
        [sys.executable, "-m", "peerlib", *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


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


def test_export_the_current_learner(env, tmp_path):
    with home_store(env) as progress:
        populate(progress)
        progress.set_setting("current_learner", "ana")
    done = peerlib(env, "export", "--out", tmp_path / "ana.json")
    assert done.returncode == 0, done.stderr
    assert "ana" in done.stdout and "without answer and reflection texts" in done.stdout
    data = json.loads((tmp_path / "ana.json").read_text(encoding="utf-8"))
    assert data["learner"]["learner_id"] == "ana" and data["include_text"] is False
    assert "text" not in data["answers"][0]


def test_export_a_named_learner_with_texts(env, tmp_path):
    with home_store(env) as progress:
        populate(progress, "ben")
    done = peerlib(
        env, "export", "--learner", "ben", "--out", tmp_path / "b.json", "--include-text"
    )
    assert done.returncode == 0, done.stderr
    data = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert data["answers"][0]["text"] == "My answer."


def test_export_without_a_learner_explains_what_to_do(env, tmp_path):
    done = peerlib(env, "export", "--out", tmp_path / "x.json")
    assert done.returncode == 1
    assert "00_start_here.ipynb" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "x.json").exists()


def test_export_of_an_unknown_learner_fails_cleanly(env, tmp_path):
    done = peerlib(env, "export", "--learner", "zoe", "--out", tmp_path / "z.json")
    assert done.returncode == 1
    assert "no learner 'zoe'" in done.stderr and "Traceback" not in done.stderr


def test_import_reports_each_file_and_fails_if_any_failed(env, tmp_path):
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
    assert "broken.json: is not valid JSON" in done.stderr and "Traceback" not in done.stderr
    with home_store(env) as progress:
        assert sorted(progress.learners()["learner_id"]) == ["ana", "ben"]
        assert len(progress.ratings()) == 4
    again = peerlib(env, "import", good)
    assert again.returncode == 0, again.stderr
    assert "0 ratings, 0 answers, 0 choices, 0 reflections, 0 completions added" in again.stdout


def test_import_of_a_missing_file_fails_cleanly(env, tmp_path):
    done = peerlib(env, "import", tmp_path / "nope.json")
    assert done.returncode == 1
    assert "nope.json: cannot be read" in done.stderr and "Traceback" not in done.stderr


def test_progress_summary(env):
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


def test_a_broken_database_url_is_an_error_not_a_traceback(env):
    done = peerlib(env | {"PEERLIB_DB_URL": "nosuchdb://x"}, "progress", "--learner", "ana")
    assert done.returncode == 1
    assert done.stderr.startswith("peerlib: ") and "Traceback" not in done.stderr


def test_another_learners_progress_cannot_be_exported_from_a_shared_database(env, tmp_path):
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
