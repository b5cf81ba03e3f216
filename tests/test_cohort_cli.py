"""`peerlib demo-cohort` and `peerlib cohort report`, run as a trainer would.

The command runs in this process (``cli.main``), from the project folder, with a temporary
PEERLIB_HOME and no PEERLIB_DB_URL.
"""

import pytest

from peerlib.paths import PROJECT_DIR
from peerlib.store import ProgressStore


@pytest.fixture
def run(peerlib_command, tmp_path, monkeypatch):
    monkeypatch.setenv("PEERLIB_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("PEERLIB_DB_URL", raising=False)
    monkeypatch.chdir(PROJECT_DIR)
    return peerlib_command


def test_demo_cohort_then_report_end_to_end(run, tmp_path):
    made = run("demo-cohort", "--learners", 12, "--out", tmp_path / "c", "--seed", 5)
    assert made.returncode == 0, made.stderr
    wrote = (
        f"Wrote 12 synthetic export file(s) (demo-001.json … demo-012.json) to {tmp_path / 'c'}."
    )
    assert wrote in made.stdout
    assert "do not exist" in made.stdout
    assert len(list((tmp_path / "c").glob("demo-*.json"))) == 12

    result = run("cohort", "report", tmp_path / "c", "--out", tmp_path / "report.html")
    assert result.returncode == 0, result.stderr
    assert "Loaded 12 learners from 12 files." in result.stdout
    assert f"Wrote the report to {tmp_path / 'report.html'}" in result.stdout
    html = (tmp_path / "report.html").read_text("utf-8")
    assert "<h1>Cohort review — synthetic demo data</h1>" in html
    assert html.count("data:image/png;base64,") == 4
    assert "Demo learner" not in html and "demo-0" not in html


def test_names_only_with_the_flag(run, tmp_path):
    run("demo-cohort", "--learners", 20, "--out", tmp_path / "c")
    result = run("cohort", "report", tmp_path / "c", "--out", tmp_path / "r.html", "--names")
    assert result.returncode == 0, result.stderr
    assert "with learners' names" in result.stdout
    assert "Demo learner 0" in (tmp_path / "r.html").read_text("utf-8")


@pytest.mark.parametrize("learners", ["0", "-1"])
def test_demo_cohort_refuses_fewer_than_one_learner(run, tmp_path, learners):
    result = run("demo-cohort", "--learners", learners, "--out", tmp_path / "c")
    assert result.returncode == 1
    assert "The number of demo learners must be 1 or more" in result.stderr
    assert not (tmp_path / "c").exists()


def test_demo_cohort_refuses_a_folder_of_real_exports(run, tmp_path):
    (tmp_path / "peer-progress-ana.json").write_text("{}", "utf-8")
    result = run("demo-cohort", "--learners", 3, "--out", tmp_path)
    assert result.returncode == 1
    assert "peer-progress-ana.json" in result.stderr


def test_a_corrupt_file_is_listed_and_the_rest_reported(run, tmp_path):
    run("demo-cohort", "--learners", 4, "--out", tmp_path / "c")
    (tmp_path / "c" / "peer-progress-bo.json").write_text('{"format": "peer', "utf-8")
    result = run("cohort", "report", tmp_path / "c", "--out", tmp_path / "r.html")
    assert result.returncode == 0, result.stderr
    assert "Loaded 4 learners from 5 files; skipped 1: peer-progress-bo.json (" in result.stdout
    assert "not valid JSON" in result.stdout
    assert "1 file(s) could not be read" in (tmp_path / "r.html").read_text("utf-8")


def test_nothing_loaded_is_exit_1_and_no_report(run, tmp_path):
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "broken.json").write_text("[]", "utf-8")
    result = run("cohort", "report", tmp_path / "c", "--out", tmp_path / "r.html")
    assert result.returncode == 1
    assert "skipped 1: broken.json" in result.stdout
    assert "nothing could be loaded from" in result.stderr
    assert not (tmp_path / "r.html").exists()


def test_missing_folder_is_exit_1(run, tmp_path):
    result = run("cohort", "report", tmp_path / "nope", "--out", tmp_path / "r.html")
    assert result.returncode == 1
    assert "No folder or file" in result.stderr


def test_report_from_one_file_and_from_a_database(run, tmp_path):
    run("demo-cohort", "--learners", 3, "--out", tmp_path / "c")
    one = run("cohort", "report", tmp_path / "c" / "demo-002.json", "--out", tmp_path / "1.html")
    assert one.returncode == 0, one.stderr
    assert "Loaded 1 learner from 1 file." in one.stdout

    url = f"sqlite:///{tmp_path / 'hub.sqlite'}"
    with ProgressStore(url) as store:
        for path in sorted((tmp_path / "c").glob("*.json")):
            store.import_learner(path)
    hub = run("cohort", "report", url, "--out", tmp_path / "hub.html")
    assert hub.returncode == 0, hub.stderr
    assert "Loaded 3 learners from the database." in hub.stdout
    assert "3 learners from the database" in (tmp_path / "hub.html").read_text("utf-8")


def test_an_unreachable_database_is_a_clear_error(run, tmp_path):
    url = f"sqlite:///{tmp_path / 'none.sqlite'}"
    result = run("cohort", "report", url, "--out", tmp_path / "r.html")
    assert result.returncode == 1
    assert "No SQLite database file" in result.stderr
