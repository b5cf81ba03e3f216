"""The benchmark runs end to end on a tiny cohort and prints its table (timings not checked)."""

import importlib
import os
import re

import pytest

from benchmarks import feedback_quality, main, run

STEPS = [
    "setup: write demo files",
    "setup: fill SQLite store",
    "load from folder",
    "load from SQLite",
    "aggregate + completion + follow-up",
    "HTML report",
    "total: folder → report",
]


@pytest.fixture(scope="module")
def tiny():
    """One run of the cohort benchmark on 10 learners (rows, write timings)."""
    return run(sizes=[10], writes=2)


def test_tiny_run_prints_the_table_and_the_targets(tiny, capsys, monkeypatch):
    asked = []

    def measured(sizes, writes):  # the run above, as main asks for it
        asked.append((list(sizes), writes))
        return tiny

    monkeypatch.setattr(importlib.import_module("benchmarks.run"), "run", measured)
    assert main(["--sizes", "10", "--writes", "2"]) == 0
    assert asked == [([10], 2)]
    out = capsys.readouterr().out
    header = next(line for line in out.splitlines() if "step" in line)
    assert header.split() == ["learners", "step", "peerlib", "s", "baseline", "s", "ratio"]
    rows = [line for line in out.splitlines() if line.strip().startswith("10 ")]
    assert [re.match(r"\s*10  (.+?)  ", row).group(1).strip() for row in rows] == STEPS
    for row in rows[2:]:
        assert row.rstrip().endswith("×")
    assert "n/a   10,000-learner targets: not measured" in out
    assert "record_rating median" in out and "plain sqlite3 INSERT+commit" in out


def test_run_returns_one_row_per_step_with_a_ratio(tiny):
    rows, writes = tiny
    assert [row["step"] for row in rows] == STEPS
    assert all(row["learners"] == 10 for row in rows)
    assert all(row["ratio"] > 0 for row in rows[2:])
    assert rows[0]["baseline"] is None and rows[0]["ratio"] is None
    assert set(writes) == {"median", "p95", "base_median", "base_p95"}


@pytest.mark.content  # the graded sets answer the shipped questions
def test_feedback_quality_reports_every_figure_on_a_small_graded_set(tmp_path, capsys):
    graded = feedback_quality.load_graded()[:2]
    small = tmp_path / "graded.yaml"
    small.write_text(feedback_quality.yaml.safe_dump(graded), "utf-8")
    assert feedback_quality.main([str(small)]) == 0
    out = capsys.readouterr().out
    assert "on 12 graded answers to 2 questions" in out
    for figure in (
        "ranking agreement with grades",
        "word count alone",
        "keyword list ≥ medium answer",
        "harmful answers with a concern",
        "strong/paraphrased with concern",
        "paraphrased / strong score",
        "time per answer",
    ):
        assert figure in out
    assert out.count("PASS") + out.count("MISS") == 6


@pytest.mark.content
def test_a_set_without_some_kinds_says_which_figures_it_cannot_give(tmp_path, capsys):
    paraphrased_and_harmful = [
        {
            "question_id": entry["question_id"],
            "answers": [a for a in entry["answers"] if a["kind"] in ("paraphrased", "harmful")],
        }
        for entry in feedback_quality.load_graded()[:2]
    ]
    small = tmp_path / "graded.yaml"
    small.write_text(feedback_quality.yaml.safe_dump(paraphrased_and_harmful), "utf-8")
    assert feedback_quality.main([str(small)]) == 0
    out = capsys.readouterr().out
    assert "on 4 graded answers to 2 questions" in out
    for figure in ("keyword list ≥ medium answer", "paraphrased / strong score"):
        assert re.search(rf"{figure} +n/a \(no answers of its kinds in this set\)", out)
    assert re.search(r"harmful answers with a concern  \d+% of 2 ", out)
    assert re.search(r"strong/paraphrased with concern \d of 2 ", out)


def test_agreement_counts_pairs_ordered_like_the_grades_and_ties_as_half():
    assert feedback_quality.agreement([(0.9, 5), (0.5, 3), (0.0, 1)]) == 1.0
    assert feedback_quality.agreement([(0.0, 5), (0.5, 3), (0.9, 1)]) == 0.0
    assert feedback_quality.agreement([(0.5, 5), (0.5, 1)]) == 0.5
    assert feedback_quality.agreement([(0.2, 3), (0.9, 3)]) == 1.0  # equal grades: no pairs


@pytest.mark.hub
@pytest.mark.content  # the course service, in its own process, reads peerlib/data
def test_hub_load_runs_small_and_loses_nothing(request):
    from benchmarks import hub_load

    # One hub: on PostgreSQL when it is here (test_hub runs the service's hub on SQLite), in a
    # database of the session's PostgreSQL server.
    backend = "postgresql" if hub_load.unavailable("postgresql") is None else "sqlite"
    problem = hub_load.unavailable(backend)
    if problem:
        if os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.fail(f"{problem}; under CI=true the hub tests must run")
        pytest.skip(problem)
    server = request.getfixturevalue("postgres_server") if backend == "postgresql" else None
    db_url = server.create_database() if server else None
    try:
        row = hub_load.measure(backend, learners=6, concurrency=3, db_url=db_url)
    finally:
        if server:
            server.drop_database(db_url)
    assert row["stored"] == 6
    out = hub_load.report([row], concurrency=3)
    assert re.search(rf"(PASS|MISS)  {backend}: 6/6 stored, push p95 \d+ ms", out)


def test_startup_benchmark_quick_times_the_import_and_reports_the_pages_not_measured(capsys):
    from benchmarks import startup

    assert startup.main(["--quick", "--import-repeats", "1"]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("import peerlib.widgets "))
    assert re.search(r"\d+\.\d\d×  (PASS|MISS) ≤ 1\.2× import pandas, ipywidgets$", row)
    assert "the app and JupyterLab: not measured (--quick)" in out
    loaded = startup.loaded_by_import()
    assert set(loaded) == set(startup.HEAVY)
    # a widget's page loads these when it needs them, not on import
    assert not loaded["sqlalchemy"] and not loaded["matplotlib"] and not loaded["peerlib.store"]


@pytest.mark.content  # a shipped module notebook
def test_startup_bare_notebook_has_ten_slider_cells_and_the_module_counts_its_widgets():
    import json

    from benchmarks import startup

    assert startup.widget_cells(startup.bare_notebook()) == 10
    module = json.loads((startup.PROJECT_DIR / "notebooks" / f"{startup.MODULE}.ipynb").read_text())
    assert startup.widget_cells(module) >= 10
