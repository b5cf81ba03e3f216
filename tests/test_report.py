"""peerlib.report: the self-contained HTML report, the readable tables, the summary CSV and
the upload widget, including hostile exports and corrupt files."""

import re
from datetime import datetime, timezone
from html import escape as html_escape

import pandas as pd
import pytest
from export_files import export as write_export
from IPython.core.formatters import HTMLFormatter

from peerlib import cohort, curriculum, demo, report
from peerlib.errors import PeerlibError

SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(1)>"
BAD_NAME = "<img src=x onerror=alert(2)>.json"


def export(folder, learner_id, ratings=(), done=(), display_name=None, name=None):
    """Write an export file: ``ratings`` are (competency, phase, value, day of November)."""
    name = name or f"{len(list(folder.glob('*.json')))}.json"
    done = [(c, 20) for c in done]
    empty = {"answers": [], "choices": [], "reflections": []}
    return write_export(folder, name, learner_id, ratings, done, display_name, **empty)


@pytest.fixture(scope="module")
def demo_cohort(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    demo.write_demo_cohort(folder, learners=30, seed=2)
    return cohort.load(folder, progress=False)


@pytest.fixture(scope="module")
def html(demo_cohort):
    return report.render_report(demo_cohort)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """Two demo learners, one hostile learner who needs a follow-up, one corrupt file."""
    tmp_path = tmp_path_factory.mktemp("hostile")
    demo.write_demo_cohort(tmp_path, learners=2, seed=1)
    (tmp_path / demo.MARKER).unlink()
    export(
        tmp_path,
        SCRIPT,
        [("crisis", "before", 3, 2), ("crisis", "after", 1, 9)],
        display_name=IMAGE,
        name="hostile.json",
    )
    (tmp_path / BAD_NAME).write_text('{"format": "peerlib-progress", "version": 1,', "utf-8")
    return tmp_path


def _section(html, start):
    return html[html.index(start) :]


def test_one_self_contained_html_file(html):
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert html.count("<img src='data:image/png;base64,") == 4
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    assert "<link" not in html and "<script" not in html and "@import" not in html
    assert "<style>" in html  # printing is checked in the browser (tests/test_app.py)


def test_every_chart_has_its_summary_as_alt_text_and_caption(html):
    alts = re.findall(r"<img src='data:image/png;base64,[^']+' alt='([^']+)'>", html)
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", html)
    assert len(alts) == 4 and alts == captions
    assert all(len(text) > 20 for text in alts)


def test_header_says_how_many_learners_and_when(html):
    assert "<h1>Cohort review</h1>" in html
    assert re.search(
        r"Generated \d\d? \w+ 20\d\d, \d\d:\d\d UTC · 30 learners from 30 export", html
    )


def test_aggregate_table_has_every_competency_with_numbers(html, demo_cohort):
    table = report.aggregate_table(demo_cohort)
    assert list(table["Module"]) == list(curriculum.load_modules()["short"])
    assert table["Module"].iloc[0] == "Foundations" and table["Module"].iloc[-1] == (
        "Ethics and boundaries"
    )
    for header in ("Rated before", "Mean before", "Mean after", "Change (95% CI)"):
        assert f"<th scope='col'>{header}</th>" in html
    engage = table.iloc[1]
    assert f"<td>Engaging peers</td><td>{engage['Rated before']}</td>" in html
    assert re.fullmatch(r"[+−]\d\.\d\d \([−]?\d\.\d\d to [−]?\d\.\d\d\)", engage["Change (95% CI)"])


def test_follow_up_list_is_confidential_and_complete(html, demo_cohort):
    rows = cohort.follow_up(demo_cohort)
    assert len(rows) > 0
    follow_up = _section(html, "<section class='follow-up'>")
    assert "Confidential" in follow_up and "trainer only" in follow_up and "988" in follow_up
    assert follow_up.count("<tr>") == rows["learner_key"].nunique() + 1  # one row per learner
    assert rows["learner_key"].iloc[0] in follow_up
    assert f"{rows['learner_key'].nunique():,} learner(s) may welcome a check-in" in html
    table = report.follow_up_table(demo_cohort)
    for why in table["Why (most urgent first)"]:  # never cut off
        assert html_escape(why, quote=True) in follow_up or why in follow_up


def test_follow_up_table_one_row_per_learner_most_urgent_first(tmp_path):
    export(tmp_path, "drop", [("engage", "before", 4, 1), ("engage", "after", 2, 9)])
    export(tmp_path, "crisis2", [("crisis", "before", 2, 1)])
    export(
        tmp_path,
        "crisis1",
        [("crisis", "before", 1, 1), ("support", "before", 4, 1), ("support", "after", 3, 9)],
    )
    export(tmp_path, "fine", [("crisis", "before", 4, 1)])
    group = cohort.load(tmp_path, names=True)
    table = report.follow_up_table(group)
    assert list(table.columns) == ["Learner", "Why (most urgent first)", "Suggested next step"]
    assert [name.split(" (")[0] for name in table["Learner"]] == ["crisis1", "crisis2", "drop"]
    first = table.iloc[0]
    assert first["Why (most urgent first)"].startswith("Managing crises: rated 1 of 5; ")
    assert "Providing support" in first["Why (most urgent first)"]
    assert first["Suggested next step"].startswith("Check in soon")
    assert table.iloc[2]["Why (most urgent first)"] == (
        "Engaging peers: dropped from 4 before to 2 after"
    )
    shown = HTMLFormatter()(report.follow_up_list(group))  # the notebook's view: nothing cut off
    assert "..." not in shown and table.iloc[0]["Suggested next step"] in shown


def test_change_and_interval_are_formatted_from_the_aggregate(tmp_path):
    for n, after in enumerate((3, 4, 5)):
        export(tmp_path, f"p{n}", [("crisis", "before", 2, 1), ("crisis", "after", after, 9)])
    table = report.aggregate_table(cohort.load(tmp_path)).set_index("Module")
    # mean change 2, sd 1, n 3: 2 ± 4.3027 / sqrt(3)
    assert table.loc["Managing crises", "Change (95% CI)"] == "+2.00 (−0.48 to 4.48)"
    assert table.loc["Managing crises", "Not yet confident (1–2)"] == "0% of 3"
    assert table.loc["Engaging peers", "Change (95% CI)"] == "–"


@pytest.fixture(scope="module")
def hostile_report(hostile, tmp_path_factory):
    """The report of the hostile folder, with names, as `peerlib cohort report` writes it."""
    group = cohort.load(hostile, names=True)
    assert len(group.learners) == 3 and len(group.skipped) == 1
    path = report.write_report(group, tmp_path_factory.mktemp("out") / "r.html")
    return path.read_text("utf-8")


def test_hostile_export_is_escaped_with_names(hostile_report):
    html = hostile_report
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;.json" in html
    shown = "&lt;img src=x onerror=alert(1)&gt; (&lt;script&gt;alert(1)&lt;/script&gt;)"
    assert f"<td>{shown}</td><td>Managing crises: rated" in html


def test_without_names_no_name_or_id_appears(hostile):
    group = cohort.load(hostile)
    html = report.render_report(group)
    for text in ("alert(", "demo-00", "Demo learner", "hostile"):
        assert text not in html
    assert "not valid JSON" in html
    assert "File names are left out" in html
    assert cohort.pseudonym(SCRIPT) in html


def test_a_corrupt_file_among_good_ones_is_listed_and_the_report_written(hostile_report):
    html = hostile_report
    skipped = _section(html, "file(s) could not be read")
    assert "1 file(s) could not be read and were skipped" in html
    assert "not valid JSON" in skipped
    assert "3 learners from 4 export file(s) (1 skipped)" in html
    assert html.count("<img src='data:image/png") == 4


def test_empty_cohort_is_reported_plainly(tmp_path):
    (tmp_path / "broken.json").write_text("not json", "utf-8")
    html = report.render_report(cohort.load(tmp_path, names=True), title="Spring <cohort>")
    assert "No learner progress could be loaded" in html
    assert "<h1>Spring &lt;cohort&gt;</h1>" in html
    assert "broken.json" in html and "<img" not in html and "<table" not in html


def test_summary_csv_has_one_row_per_learner_and_competency(demo_cohort, tmp_path):
    path = report.write_summary_csv(demo_cohort, tmp_path / "summary.csv")
    frame = pd.read_csv(path)
    assert len(frame) == 30 * 14  # every module: SAMHSA's twelve and the workbook's two
    assert set(frame["competency_id"]) == set(curriculum.module_ids())
    assert list(frame.columns[:9]) == [
        "learner_key",
        "competency_id",
        "competency",
        "before",
        "after",
        "change",
        "latest",
        "completed",
        "cohort_n_paired",
    ]
    ratings = demo_cohort.ratings
    one = ratings[ratings["phase"] == "after"].iloc[-1]
    row = frame[
        (frame["learner_key"] == one["learner_key"])
        & (frame["competency_id"] == one["competency_id"])
    ].iloc[0]
    assert row["after"] == one["value"]
    assert row["change"] == row["after"] - row["before"]
    stats = cohort.aggregate(demo_cohort).set_index("competency_id")
    expected = stats.loc[one["competency_id"], "mean_after"]
    assert row["cohort_mean_after"] == pytest.approx(expected, abs=6e-4)  # rounded to 3 places
    done = demo_cohort.completions.groupby("competency_id").size()
    assert frame.groupby("competency_id")["completed"].sum().to_dict() == done.to_dict()


def test_summary_csv_defuses_spreadsheet_formulas(tmp_path):
    export(tmp_path / "", "=HYPERLINK(1)", [("engage", "before", 2, 1)], display_name="@sum")
    path = report.write_summary_csv(cohort.load(tmp_path, names=True), tmp_path / "s.csv")
    frame = pd.read_csv(path)
    assert set(frame["learner_key"]) == {"'=HYPERLINK(1)"}
    assert set(frame["display_name"]) == {"'@sum"}


def test_uploader_keeps_good_files_and_reports_bad_ones(tmp_path):
    folder = tmp_path / "cohort"
    demo.write_demo_cohort(folder, learners=3)
    (folder / demo.MARKER).unlink()
    uploader = report.ExportUploader(folder)
    assert len(uploader.cohort.learners) == 3
    assert not uploader.upload.disabled
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    good = export(scratch, "new-learner", [("engage", "before", 2, 1)]).read_bytes()
    refused = uploader.add_files([("peer-progress-new.json", good), (BAD_NAME, b"{oops")])
    assert [name for name, _ in refused] == [BAD_NAME]
    assert "not valid JSON" in refused[0][1]
    assert (folder / "peer-progress-new.json").read_bytes() == good
    assert not (folder / BAD_NAME).exists()
    assert len(uploader.cohort.learners) == 4
    assert "Added 1 file(s)" in uploader.status.value
    assert "&lt;img src=x" in uploader.status.value and "<img src=x" not in uploader.status.value


def test_uploader_never_mixes_real_exports_into_the_synthetic_demo(tmp_path):
    folder = demo.demo_cohort_dir(learners=3)
    uploader = report.ExportUploader(folder)
    assert "Synthetic demo data" in uploader.status.value and uploader.upload.disabled
    assert "Set COHORT_SOURCE" in uploader.status.value
    good = export(tmp_path, "real-learner", [("engage", "before", 2, 1)]).read_bytes()
    with pytest.raises(PeerlibError, match="Uploads are off"):
        uploader.add_files([("real.json", good)])
    assert not (folder / "real.json").exists()


def test_uploader_takes_files_through_the_widget(tmp_path):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    good = export(scratch, "ana", [("engage", "before", 2, 1)]).read_bytes()
    uploader = report.ExportUploader(tmp_path / "exports")
    assert len(uploader.cohort.learners) == 0
    upload = {"name": "ana.json", "type": "application/json", "size": len(good)}
    upload.update(content=memoryview(good), last_modified=datetime.now(timezone.utc))
    uploader.upload.value = (upload,)
    assert len(uploader.cohort.learners) == 1
    assert uploader.upload.value == ()
    assert (tmp_path / "exports" / "ana.json").read_bytes() == good


def test_uploader_does_not_overwrite_a_different_file_of_the_same_name(tmp_path):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    one = export(scratch, "one", [("engage", "before", 2, 1)]).read_bytes()
    two = export(scratch, "two", [("engage", "before", 3, 1)]).read_bytes()
    uploader = report.ExportUploader(tmp_path / "cohort")
    uploader.add_files([("../../export.json", one)])
    uploader.add_files([("export.json", two), ("export.json", two)])
    assert sorted(p.name for p in (tmp_path / "cohort").iterdir()) == [
        "export-2.json",
        "export.json",
    ]
    assert len(uploader.cohort.learners) == 2


def test_uploader_takes_no_uploads_from_a_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'hub.sqlite'}"
    from peerlib.store import ProgressStore

    with ProgressStore(url) as store:
        store.record_rating("ana", "crisis", "before", 2)
    uploader = report.ExportUploader(url)
    assert uploader.upload.disabled
    assert len(uploader.cohort.learners) == 1
    assert "Uploads are off" in uploader.status.value


def test_no_one_flagged_says_so(tmp_path):
    export(tmp_path, "ana", [("engage", "before", 2, 1), ("engage", "after", 4, 9)], ["engage"])
    html = report.render_report(cohort.load(tmp_path))
    assert "No one is flagged: no latest Managing crises rating of 1–2 and no drops." in html
    assert "0 learner(s) may welcome a check-in" in html
    assert "<td>Engaging peers</td><td>1</td><td>100%</td>" in html


def test_report_shows_the_workbook_modules(html, demo_cohort, tmp_path):
    assert "<h2>Confidence per module</h2>" in html
    assert "<td>Foundations</td>" in html and "<td>Ethics and boundaries</td>" in html
    done = report.completion_table(demo_cohort)
    assert list(done["Module"]) == list(curriculum.load_modules()["short"])
    export(tmp_path, "ana", [("ethics", "before", 4, 1), ("ethics", "after", 2, 9)])
    flagged = report.follow_up_table(cohort.load(tmp_path))
    assert flagged["Why (most urgent first)"].iloc[0] == (
        "Ethics and boundaries: dropped from 4 before to 2 after"
    )
