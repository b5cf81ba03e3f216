"""peerlib.demo: a synthetic demo cohort of valid, realistic, reproducible export files."""

import json
from datetime import timedelta

import pandas as pd
import pytest

from peerlib import curriculum, demo
from peerlib.errors import PeerlibError
from peerlib.store import ProgressStore


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    return folder, demo.write_demo_cohort(folder, learners=60, seed=7)


def _records(paths, kind):
    rows = []
    for path in paths:
        data = json.loads(path.read_text("utf-8"))
        rows += [dict(item, learner=data["learner"]["learner_id"]) for item in data[kind]]
    return pd.DataFrame(rows)


def test_writes_n_obviously_synthetic_files(written):
    folder, paths = written
    assert [p.name for p in paths] == [f"demo-{n:03d}.json" for n in range(1, 61)]
    assert sorted(folder.glob("*.json")) == paths
    first = json.loads(paths[0].read_text("utf-8"))
    assert first["learner"] == {"learner_id": "demo-001", "display_name": "Demo learner 001"}
    assert first["format"] == "peerlib-progress" and first["include_text"] is False
    assert demo.is_synthetic(folder)
    assert "SYNTHETIC" in (folder / demo.MARKER).read_text("utf-8")


def test_every_file_imports_cleanly_into_a_store(written, tmp_path):
    _, paths = written
    with ProgressStore(f"sqlite:///{tmp_path / 'check.sqlite'}") as store:
        for path in paths[:20]:
            added = store.import_learner(path)
            assert added["learner_id"] == path.stem
            assert added["ratings"] >= 1
        assert len(store.learners()) == 20


def test_confidence_rises_on_average_with_some_drops(written):
    _, paths = written
    ratings = _records(paths, "ratings")
    assert ratings.loc[ratings["phase"] == "before", "value"].between(1, 3).mean() > 0.7
    wide = ratings.pivot_table(
        index=["learner", "competency_id"], columns="phase", values="value", aggfunc="last"
    ).dropna(subset=["before", "after"])
    change = wide["after"] - wide["before"]
    assert 0.6 < change.mean() < 1.4
    assert (change < 0).any() and (change == 0).any()


def test_completion_varies_between_learners(written):
    _, paths = written
    completions = _records(paths, "completions").groupby("learner").size()
    completions = completions.reindex([p.stem for p in paths], fill_value=0)
    assert completions.max() == 14  # every module: SAMHSA's twelve and the workbook's two
    assert completions.min() <= 3
    assert completions.nunique() >= 5


def test_timestamps_span_a_few_weeks_of_daytime(written):
    _, paths = written
    times = pd.to_datetime(_records(paths, "ratings")["recorded_at"], utc=True)
    start = pd.Timestamp(demo.COURSE_START)
    assert times.min() >= start and times.max() <= start + timedelta(days=60)
    assert times.max() - times.min() > timedelta(days=14)


def test_other_records_have_no_text(written):
    _, paths = written
    for kind in ("answers", "choices", "reflections"):
        frame = _records(paths, kind)
        assert len(frame) > 0
        assert "text" not in frame


def test_the_same_seed_gives_the_same_files(tmp_path):
    one = demo.write_demo_cohort(tmp_path / "a", learners=5, seed=3)
    two = demo.write_demo_cohort(tmp_path / "b", learners=5, seed=3)
    other = demo.write_demo_cohort(tmp_path / "c", learners=5, seed=4)
    assert [p.read_bytes() for p in one] == [p.read_bytes() for p in two]
    assert [p.read_bytes() for p in one] != [p.read_bytes() for p in other]


@pytest.mark.parametrize("learners", [0, -3, True, 2.5])
def test_refuses_fewer_than_one_learner(tmp_path, learners):
    with pytest.raises(PeerlibError, match="must be 1 or more"):
        demo.write_demo_cohort(tmp_path / "none", learners=learners)
    assert not (tmp_path / "none").exists()


def test_never_mixes_with_other_export_files(tmp_path):
    (tmp_path / "peer-progress-ana.json").write_text("{}", "utf-8")
    with pytest.raises(PeerlibError, match="peer-progress-ana.json"):
        demo.write_demo_cohort(tmp_path, learners=3)


def test_writing_the_same_demo_again_is_fine(tmp_path):
    demo.write_demo_cohort(tmp_path, learners=3)
    assert len(demo.write_demo_cohort(tmp_path, learners=3)) == 3


def test_demo_cohort_dir_is_a_new_synthetic_folder():
    folder = demo.demo_cohort_dir(learners=4)
    assert len(list(folder.glob("demo-*.json"))) == 4
    assert demo.is_synthetic(folder)
    assert not demo.is_synthetic(folder / "demo-001.json")
    assert not demo.is_synthetic("sqlite:///hub.sqlite")


def test_demo_learners_work_through_the_workbook_modules(written):
    _, paths = written
    rated = set(_records(paths, "ratings")["competency_id"])
    assert rated == set(curriculum.module_ids())
    assert {"foundations", "ethics"} <= set(_records(paths, "completions")["competency_id"])
