"""peerlib.charts: every chart has a title, the fixed 1-5 scale, and a summary with numbers."""

import base64
import os
import random
import re

os.environ.setdefault("MPLBACKEND", "Agg")  # before matplotlib is imported (tests only)

import matplotlib.pyplot as plt  # noqa: E402  (only to check that charts leave no figures)
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from export_files import export  # noqa: E402
from IPython.core.formatters import IPythonDisplayFormatter, PNGFormatter  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from peerlib import bank, charts, cohort, curriculum  # noqa: E402
from peerlib.store import RATING_LABELS  # noqa: E402


def short() -> list[str]:
    """Every module's short name in the learner's order: Foundations, SAMHSA's twelve, Ethics
    and boundaries (of the content the test reads)."""
    return list(curriculum.load_modules()["short"])


def samhsa_short() -> list[str]:
    return list(bank.load_competencies()["short"])


DAY = pd.Timestamp("2026-11-01T10:00", tz="UTC")


def learner_ratings(rows) -> pd.DataFrame:
    """Store-shaped ratings of one learner from (competency, phase, value, day) tuples."""
    return pd.DataFrame(
        [
            dict(learner_id="ana", competency_id=c, phase=p, value=v,
                 recorded_at=DAY + pd.Timedelta(days=d))
            for c, p, v, d in rows
        ],
        columns=["learner_id", "competency_id", "phase", "value", "recorded_at"],
    )  # fmt: skip


ANA = learner_ratings(
    [
        ("engage", "before", 2, 1), ("engage", "after", 4, 1.1),
        ("support", "before", 3, 2), ("support", "after", 4, 2.1),
        ("lived_experience", "before", 2, 3), ("lived_experience", "after", 3, 3.1),
        ("lived_experience", "checkin", 4, 18),
        ("personalize", "before", 3, 5), ("personalize", "after", 3, 5.1),
        ("recovery_planning", "before", 4, 7), ("recovery_planning", "after", 3, 7.1),
        ("resources", "before", 1, 9),
        ("crisis", "before", 2, 12), ("crisis", "after", 4, 12.1),
        ("communication", "before", 4, 14), ("communication", "after", 5, 14.1),
    ]
)  # fmt: skip
DONE = pd.DataFrame(
    {
        "learner_id": "ana",
        "competency_id": ["engage", "support", "lived_experience", "crisis"],
        "recorded_at": DAY,
    }
)


def check(chart, title: str) -> None:
    """A Chart with a Figure, the given title and a one-line summary; it renders to PNG."""
    assert isinstance(chart, charts.Chart)
    assert isinstance(chart.figure, Figure)
    assert chart.figure.get_suptitle() == title
    assert chart.summary and "\n" not in chart.summary and chart.summary.endswith(".")
    assert chart.png(dpi=40).startswith(b"\x89PNG")


def assert_rating_scale(axis, words=True) -> None:
    """Limits 0.5-5.5 and ticks 1..5 (labelled with the scale's words where there is room)."""
    assert axis.get_view_interval().tolist() == [0.5, 5.5]
    assert axis.get_ticklocs().tolist() == [1, 2, 3, 4, 5]
    labels = [t.get_text() for t in axis.get_ticklabels()]
    sep = "\n" if axis.axis_name == "x" else " "
    assert labels[0] == (f"1{sep}not yet" if words else "1")
    assert labels[-1] == (f"5{sep}could teach it" if words else "5")


@pytest.fixture(autouse=True)
def no_pyplot_figures():
    yield
    assert plt.get_fignums() == []


# --- the Chart object -----------------------------------------------------------------------


def test_chart_shows_saves_and_embeds(tmp_path, monkeypatch):
    chart = charts.confidence_before_after(ANA)
    png = PNGFormatter()(chart)  # as IPython shows it where it takes PNG
    assert png.startswith(b"\x89PNG")
    assert base64.b64decode(chart.png_base64()).startswith(b"\x89PNG")
    path = chart.save(tmp_path / "before_after.png")
    assert path.read_bytes().startswith(b"\x89PNG")
    assert str(chart) == chart.summary

    shown = []
    monkeypatch.setattr("IPython.display.display", lambda data, **options: shown.append(data))
    assert IPythonDisplayFormatter()(chart)  # as a notebook shows it
    image, text = shown
    assert base64.b64decode(image["image/png"]).startswith(b"\x89PNG")
    assert image["text/plain"] == "<Chart: Confidence before and after each module>"
    assert (
        'alt="Chart: Confidence before and after each module (summary below)"'
        in (image["text/html"])
    )
    # that the image shrinks to a narrow page is checked in the browser (tests/test_app.py)
    # the summary as text in the notebook's font (HTML), plain text as the fallback
    assert text == {
        "text/html": f'<p class="peerlib-chart-summary">{chart.summary}</p>',
        "text/plain": chart.summary,
    }


def test_chart_summary_html_is_escaped(monkeypatch):
    chart = charts.Chart(Figure(figsize=(4, 1)), "a < b & <script>x</script>.")
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda data, **options: shown.append(data))
    assert IPythonDisplayFormatter()(chart)
    assert "<script>" not in shown[1]["text/html"]
    assert "a &lt; b &amp; &lt;script&gt;" in shown[1]["text/html"]


# --- one learner ----------------------------------------------------------------------------


def test_confidence_before_after():
    chart = charts.confidence_before_after(ANA)
    check(chart, "Confidence before and after each module")
    assert chart.summary == (
        "Confidence rose in 5 of 7 modules rated before and after and fell in 1; "
        "largest rise: Engaging peers (2 → 4)."
    )
    ax = chart.figure.axes[0]
    assert_rating_scale(ax.xaxis)
    assert [t.get_text() for t in ax.get_yticklabels()] == short()
    right = [t.get_text() for t in ax.child_axes[0].get_yticklabels()]
    assert right[0] == "not rated yet"  # Foundations
    assert right[1:4] == ["2 → 4", "3 → 4", "2 → 3"]
    assert right[6:8] == ["1 before", "not rated yet"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Before", "After"]


def test_confidence_before_after_without_after_ratings():
    chart = charts.confidence_before_after(ANA[ANA["phase"] == "before"])
    assert chart.summary == "No module is rated both before and after yet."


def test_competency_profile():
    chart = charts.competency_profile(ANA)
    check(chart, "Confidence profile across the modules")
    assert chart.summary == (
        "Latest ratings in 8 of 14 modules: highest in Communication (5), "
        "lowest in Linking to resources (1)."
    )
    ax = chart.figure.axes[0]
    assert ax.get_ylim() == (0, 5.5)
    assert list(ax.get_yticks()) == [1, 2, 3, 4, 5]
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert (
        labels[0] == "Foundations\n(not rated)"
        and labels[-1] == "Ethics and boundaries\n(not rated)"
    )
    assert labels[1] == "Engaging peers" and labels[7] == "Wellness skills\n(not rated)"


def test_ratings_over_time():
    chart = charts.ratings_over_time(ANA)
    check(chart, "Self-ratings over time")
    assert chart.summary == (
        "16 ratings of 8 modules, 2 Nov 2026 to 19 Nov 2026; latest rating above the first "
        "in 5 of 7 rated more than once, below in 1, the same in 1."
    )
    panels = [ax for ax in chart.figure.axes if ax.get_visible()]
    assert [ax.get_title(loc="left") for ax in panels] == samhsa_short()[:6] + samhsa_short()[7:9]
    for ax in panels:  # shared y: only the first column shows the tick labels
        assert ax.get_ylim() == (0.5, 5.5) and list(ax.get_yticks()) == [1, 2, 3, 4, 5]
    assert_rating_scale(panels[0].yaxis)


def tick_texts(chart) -> list[str]:
    """The x tick labels of the last panel (on the bottom row), as drawn."""
    chart.figure.draw_without_rendering()
    last = [ax for ax in chart.figure.axes if ax.get_visible()][-1]
    return [t.get_text() for t in last.get_xticklabels() if t.get_visible() and t.get_text()]


def test_every_panel_over_time_shows_dates_or_has_a_panel_below_that_does():
    six = ANA[ANA["competency_id"].isin(ANA["competency_id"].unique()[:6])]
    chart = charts.ratings_over_time(six)  # 4 + 2 panels: the top row's last two end a column
    chart.figure.draw_without_rendering()
    panels = [ax for ax in chart.figure.axes if ax.get_visible()]
    assert len(panels) == 6
    shown = [any(t.get_visible() and t.get_text() for t in ax.get_xticklabels()) for ax in panels]
    assert shown == [False, False, True, True, True, True]


def test_ratings_over_time_with_one_rating():
    chart = charts.ratings_over_time(ANA.iloc[:1])
    check(chart, "Self-ratings over time")
    assert chart.summary == (
        "1 rating of 1 module, 2 Nov 2026; rate a module again after you finish it to see change."
    )


@pytest.mark.parametrize("rows", [1, 3])
def test_ratings_on_one_day_show_times_and_the_date_once(rows):
    ratings = ANA.iloc[:rows].assign(  # 10:00, 10:30, 11:00 on 2 Nov
        recorded_at=[DAY + pd.Timedelta(days=1, minutes=30 * i) for i in range(rows)]
    )
    chart = charts.ratings_over_time(ratings)
    ticks = tick_texts(chart)
    assert len(ticks) >= 2 and all(re.fullmatch(r"\d\d:\d\d", t) for t in ticks), ticks
    assert chart.figure.get_supxlabel() == "Time (UTC) on 2 Nov 2026"
    low, high = chart.figure.axes[0].get_xlim()  # the axis stays within the day
    assert charts.mdates.num2date(low).day == charts.mdates.num2date(high - 1e-9).day == 2


def test_ratings_over_days_show_each_date_once():
    chart = charts.ratings_over_time(ANA)
    ticks = tick_texts(chart)
    assert ticks and all(re.fullmatch(r"\d\d [A-Z][a-z]{2}", t) for t in ticks), ticks
    assert len(set(ticks)) == len(ticks)
    assert chart.figure.get_supxlabel() == "Date (2026)"
    assert all(not ax.xaxis.get_offset_text().get_text() for ax in chart.figure.axes)


def test_modules_done():
    chart = charts.modules_done(DONE)
    check(chart, "Modules done: 4 of 14")
    assert chart.summary == "4 of 14 modules done; next in order: Foundations."
    ax = chart.figure.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert texts.count("✓ done") == 4 and texts.count("not yet") == 10
    filled = [bar for bar in ax.patches if bar.get_fill()]
    empty = [bar for bar in ax.patches if not bar.get_fill()]  # "not yet": an outline only
    assert len(filled) == 4 and len(empty) == 10
    assert {bar.get_linestyle() for bar in empty} == {":"}
    assert [t.get_text() for t in ax.get_yticklabels()] == short()
    assert charts.modules_done(DONE.iloc[:0]).summary == (
        "No modules done yet (0 of 14); start with Foundations."
    )
    every = pd.DataFrame({"competency_id": curriculum.module_ids()})
    assert charts.modules_done(every).summary == "All 14 modules done."
    samhsa = pd.DataFrame({"competency_id": bank.competency_ids()})  # not "all": 2 more to go
    assert charts.modules_done(samhsa).summary == (
        "12 of 14 modules done; next in order: Foundations."
    )


def test_focus_areas_rule():
    # latest: engage 4, support 4, lived 4 (check-in), personalize 3, recovery 3, resources 1,
    # crisis 4, communication 5; unrated count as 3.5: after the 1-3s, before the 4-5s; ties
    # keep the learner's order (Foundations first, Ethics and boundaries last)
    assert charts.focus_areas(ANA) == ["resources", "personalize", "recovery_planning"]
    assert charts.focus_areas(ANA, n=5) == [
        "resources", "personalize", "recovery_planning", "foundations", "wellness"
    ]  # fmt: skip
    assert charts.focus_areas(ANA.iloc[:0]) == ["foundations", "engage", "support"]
    assert charts.focus_areas(None, n=1) == ["foundations"]


@pytest.mark.parametrize(
    "make", [charts.confidence_before_after, charts.competency_profile, charts.ratings_over_time]
)
def test_learner_charts_without_ratings(make):
    for empty in (ANA.iloc[:0], None):
        chart = make(empty)
        assert chart.summary == "No ratings yet."
        assert [t.get_text() for t in chart.figure.axes[0].texts] == ["No ratings yet"]
        assert chart.figure.get_suptitle()
        chart.png(dpi=40)


def test_learner_charts_accept_cohort_ratings(tmp_path):
    path = tmp_path / "ana.json"
    write_export(path, "ana", [("crisis", "before", 2, 1), ("crisis", "after", 4, 2)])
    loaded = cohort.load([path], progress=False)
    summary = charts.confidence_before_after(loaded.ratings).summary
    assert summary.endswith("largest rise: Managing crises (2 → 4).")


# --- a cohort -------------------------------------------------------------------------------


def write_export(path, learner_id, rated, done=(), display_name=None):
    """A learner export file (written by exportfile); rated: (competency, phase, value, day
    of November); done: competency ids, completed on 20 November."""
    export(path.parent, path.name, learner_id, rated, [(c, 20) for c in done], display_name)


@pytest.fixture
def trio(tmp_path):
    """Three named learners: crisis 1→3, 2→3, 2→5; engage before 4, 3, 2 (no after)."""
    for name, crisis, engage, done in [
        ("ana", (1, 3), 4, ["crisis", "engage"]),
        ("ben", (2, 3), 3, ["crisis"]),
        ("cy", (2, 5), 2, []),
    ]:
        rated = [("crisis", "before", crisis[0], 2), ("crisis", "after", crisis[1], 3)]
        rated.append(("engage", "before", engage, 1))
        write_export(tmp_path / f"{name}.json", name, rated, done, display_name=name.title())
    return cohort.load(tmp_path, names=True, progress=False)


@pytest.fixture(scope="module")
def crowd(tmp_path_factory):
    """120 synthetic learners (seeded), names hidden."""
    folder = tmp_path_factory.mktemp("crowd")
    rng = random.Random(5)
    for i in range(120):
        rated = []
        for c in bank.competency_ids():
            if rng.random() < 0.8:
                before = rng.randint(1, 4)
                rated.append((c, "before", before, 2))
                after = before + rng.choice([-1, 0, 1, 1, 2])
                rated.append((c, "after", min(5, max(1, after)), 3))
        done = [c for c in bank.competency_ids() if rng.random() < 0.5]
        write_export(folder / f"l{i:03d}.json", f"learner-{i}", rated, done)
    return cohort.load(folder, progress=False)


def test_cohort_heatmap(trio):
    chart = charts.cohort_heatmap(trio)
    check(chart, "Latest self-rating of every learner")
    assert chart.summary == (
        "3 learners; average latest rating is highest in Managing crises (3.7), lowest in "
        "Engaging peers (3.0); 14% of learner-module cells rated."
    )
    ax, bar = chart.figure.axes
    # rows by average latest rating (ties by key): ana (3, 4) and cy (5, 2) 3.5, ben (3, 3) 3
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Ana", "Cy", "Ben"]
    assert [t.get_text() for t in ax.get_xticklabels()] == short()
    assert bar.get_yticks().tolist() == [1, 2, 3, 4, 5]
    assert [t.get_text() for t in bar.get_yticklabels()] == [
        f"{value} {label.lower()}" for value, label in RATING_LABELS.items()
    ]
    image = ax.images[0]
    assert (image.norm.vmin, image.norm.vmax) == (0.5, 5.5)


def test_cohort_heatmap_labels_at_most_40_rows(crowd):
    chart = charts.cohort_heatmap(crowd)
    ax = chart.figure.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert 30 <= len(labels) <= 40
    assert all(label.startswith("L-") for label in labels)
    assert ax.get_ylabel() == "120 learners, highest average first, 1 in 3 labelled"
    assert chart.summary.startswith("120 learners; average latest rating is highest in ")
    chart.png(dpi=40)


def test_cohort_before_after_names_a_clear_rise_before_a_larger_unclear_one(tmp_path):
    for i in range(12):  # ethics: every learner 2 -> 3, a clear rise
        rated = [("ethics", "before", 2, 1), ("ethics", "after", 3, 2)]
        if i < 2:  # crisis: two learners, +3 and +1, a larger rise no one can be sure of
            rated += [("crisis", "before", 1 + i, 1), ("crisis", "after", 4, 2)]
        write_export(tmp_path / f"l{i:02d}.json", f"learner-{i}", rated, [])
    summary = charts.cohort_before_after(cohort.load(tmp_path, progress=False)).summary
    assert summary.startswith("Mean confidence rose in 2 of 2 modules")
    assert "(95% CI above zero in 1); largest clear rise: Ethics and boundaries (+1.00" in summary


def test_cohort_before_after(trio):
    chart = charts.cohort_before_after(trio)
    check(chart, "Cohort confidence before and after each module")
    assert chart.summary == (
        "Mean confidence rose in 1 of 1 module among learners who rated before and after "
        "(95% CI above zero in 0); the largest, Managing crises (+2.00, 95% CI -0.48 to +4.48, "
        "n = 3), is not yet clear."
    )
    means, changes = chart.figure.axes[:2]
    assert_rating_scale(means.xaxis, words=False)
    assert [t.get_text() for t in means.get_yticklabels()] == short()
    low, high = changes.get_xlim()
    assert low <= -4.48 and high >= 4.48  # the whole interval is visible


def test_cohort_distribution(trio):
    chart = charts.cohort_distribution(trio)
    check(chart, "How confident the cohort feels now (latest rating)")
    # latest crisis: 3, 3, 5 -> 0% at 1-2; engage: 4, 3, 2 -> 33%
    assert chart.summary == (
        "Share not yet confident (latest rating 1-2) is highest in Engaging peers (33%), "
        "lowest in Managing crises (0%)."
    )
    ax = chart.figure.axes[0]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [
        "1 not yet",
        "2 getting started",
        "3 fairly confident",
        "4 confident",
        "5 could teach it",
    ]
    assert ax.get_xlim() == (0, 1)
    right = [t.get_text() for t in ax.child_axes[0].get_yticklabels()]
    assert right[0] == "no ratings" and right[1] == "n = 3" and right[2] == "no ratings"


def test_cohort_distribution_finds_the_least_confident(crowd):
    summary = charts.cohort_distribution(crowd).summary
    stats = cohort.aggregate(crowd).set_index("short")["share_not_confident"]
    assert f"highest in {stats.idxmax()} ({stats.max():.0%})" in summary
    assert f"lowest in {stats.idxmin()} ({stats.min():.0%})." in summary


def test_cohort_completion(trio):
    chart = charts.cohort_completion(trio)
    check(chart, "Modules completed by the cohort")
    assert chart.summary == (
        "Completion is highest in Managing crises (67%), lowest in Foundations, Providing "
        "support, Sharing lived experience and 9 more (0%), of 3 learners."
    )
    ax = chart.figure.axes[0]
    right = [t.get_text() for t in ax.child_axes[0].get_yticklabels()]
    assert right[1] == "1 of 3 (33%)" and right[8] == "2 of 3 (67%)"


@pytest.mark.parametrize(
    "make, message",
    [
        (charts.cohort_heatmap, "No ratings yet."),
        (charts.cohort_before_after, "No ratings yet."),
        (charts.cohort_distribution, "No ratings yet."),
        (charts.cohort_completion, "No learners yet."),
    ],
)
def test_cohort_charts_of_an_empty_cohort(make, message):
    chart = make(cohort.load([], progress=False))
    assert chart.summary == message
    assert chart.figure.get_suptitle()
    chart.png(dpi=40)


def test_cohort_charts_render(crowd):
    for make in (charts.cohort_before_after, charts.cohort_completion):
        chart = make(crowd)
        assert chart.png(dpi=40).startswith(b"\x89PNG")
        assert any(ch.isdigit() for ch in chart.summary)


# --- the workbook's own modules (foundations, ethics) -------------------------------------------


def test_learner_charts_show_the_workbook_modules():
    ratings = learner_ratings(
        [
            ("foundations", "before", 2, 1), ("foundations", "after", 4, 1.1),
            ("crisis", "before", 3, 2),
            ("ethics", "before", 1, 3), ("ethics", "after", 3, 3.1),
        ]
    )  # fmt: skip
    chart = charts.confidence_before_after(ratings)
    ax = chart.figure.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "Foundations" and labels[-1] == "Ethics and boundaries"
    right = [t.get_text() for t in ax.child_axes[0].get_yticklabels()]
    assert right[0] == "2 → 4" and right[-1] == "1 → 3" and right[8] == "3 before"
    assert chart.summary == (
        "Confidence rose in 2 of 2 modules rated before and after; "
        "largest rise: Foundations (2 → 4)."
    )
    profile = charts.competency_profile(ratings)
    assert profile.summary.startswith("Latest ratings in 3 of 14 modules: ")
    over_time = charts.ratings_over_time(ratings)
    panels = [ax for ax in over_time.figure.axes if ax.get_visible()]
    titles = [ax.get_title(loc="left") for ax in panels]
    assert titles == ["Foundations", "Managing crises", "Ethics and boundaries"]
    done = pd.DataFrame({"competency_id": ["foundations", "ethics"], "recorded_at": DAY})
    assert charts.modules_done(done).summary == (
        "2 of 14 modules done; next in order: Engaging peers."
    )
    assert charts.focus_areas(ratings, n=2) == ["crisis", "ethics"]


def test_cohort_charts_and_aggregates_show_the_workbook_modules(tmp_path):
    for name, (before, after), done in [
        ("ana", (1, 4), ["foundations", "ethics"]),
        ("ben", (2, 3), ["foundations"]),
    ]:
        rated = [("ethics", "before", before, 2), ("ethics", "after", after, 3)]
        rated.append(("foundations", "before", 3, 1))
        write_export(tmp_path / f"{name}.json", name, rated, done, display_name=name.title())
    group = cohort.load(tmp_path, names=True, progress=False)
    stats = cohort.aggregate(group).set_index("competency_id")
    assert list(stats.index) == curriculum.module_ids()
    assert stats.loc["ethics", "n_paired"] == 2 and stats.loc["ethics", "mean_change"] == 2.0
    assert stats.loc["foundations", "n_before"] == 2
    completion = cohort.completion(group).set_index("competency_id")["learners_completed"]
    assert completion["foundations"] == 2 and completion["ethics"] == 1
    before_after = charts.cohort_before_after(group)
    assert "the largest, Ethics and boundaries (+2.00" in before_after.summary
    heatmap = charts.cohort_heatmap(group)
    ticks = [t.get_text() for t in heatmap.figure.axes[0].get_xticklabels()]
    assert ticks[0] == "Foundations" and ticks[-1] == "Ethics and boundaries"
    completed = charts.cohort_completion(group)
    assert completed.summary.startswith("Completion is highest in Foundations (100%)")
    distribution = charts.cohort_distribution(group)
    right = [t.get_text() for t in distribution.figure.axes[0].child_axes[0].get_yticklabels()]
    assert right[0] == "n = 2" and right[-1] == "n = 2"


def test_names_are_never_parsed_as_math(tmp_path):
    """A learner named like a formula ($…$ with an unknown command) is drawn as typed."""
    name = r"$\undefinedcmd$"
    write_export(tmp_path / "odd.json", "odd", [("crisis", "before", 2, 1)], [], display_name=name)
    group = cohort.load(tmp_path, names=True, progress=False)
    chart = charts.cohort_heatmap(group)
    assert chart.png().startswith(b"\x89PNG")
    labels = [t.get_text() for t in chart.figure.axes[0].get_yticklabels()]
    assert any(name in label for label in labels)
