"""peerlib.pages: the blocks the notebooks show (objectives, facilitator notes, tables)."""

import html
import re
from pathlib import Path

import pandas as pd
import pytest
from IPython.core.formatters import HTMLFormatter

from peerlib import bank, exercises, pages

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def test_competency_table_lists_the_twelve_modules_whole():
    table = pages.competency_table()
    frame = table.frame
    assert list(frame.columns) == [
        "Module",
        "Competency (SAMHSA category)",
        "Questions in the bank",
    ]
    competencies = bank.load_competencies()
    assert len(frame) == 12
    assert frame["Module"].tolist()[0] == "01_engage.ipynb"
    assert frame["Module"].tolist()[-1] == "12_growth.ipynb"
    for shown, (number, title) in zip(
        frame["Competency (SAMHSA category)"],
        zip(competencies["number"], competencies["title"], strict=True),
        strict=True,
    ):
        assert shown == f"{number}. {title}"  # whole: never cut off
    assert (frame["Questions in the bank"] >= 2).all()
    tagged = bank.load_bank()["competencies"].map(lambda tags: "crisis" in tags).sum()
    assert frame.set_index("Module").loc["08_crisis.ipynb", "Questions in the bank"] == tagged


def test_competency_table_renders_as_an_accessible_html_table():
    page = HTMLFormatter()(pages.competency_table())  # as a notebook shows it
    assert page.startswith("<table") and "<caption" in page
    assert page.count('<th scope="col"') == 3 and page.count("<tr") == 13  # header + 12 rows
    assert "…" not in page and "..." not in page
    for title in bank.load_competencies()["title"]:
        assert html.escape(title) in page
    assert "number" not in re.sub(r"<[^>]+>", "", page)  # no index-name header row


def test_html_table_escapes_cells():  # alignment is checked in the browser (test_app.py)
    frame = pd.DataFrame({"Name": ["<script>x</script>"], "Count": [3]})
    page = pages.html_table(frame, "A & B", numeric=("Count",))
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "A &amp; B</caption>" in page


def test_competency_table_plain_text_fallback():
    from IPython.lib.pretty import pretty

    text = pretty(pages.competency_table())
    assert "Questions in the bank" in text and "01_engage.ipynb" in text


def test_objectives_markdown():
    block = pages.objectives("crisis")
    row = bank.competency("crisis")
    assert block.data.startswith(f"**SAMHSA category 8: {row['title']}**")
    assert "By the end of this module you will be able to:" in block.data
    for objective in row["objectives"]:
        assert f"\n- {html.escape(objective, quote=False)}" in block.data


def test_facilitator_notes_markdown():
    block = pages.facilitator_notes("crisis")
    notes = exercises.load_module("crisis").facilitator_notes
    assert block.data.startswith("> **For facilitators (learners can skip this)**\n\n")
    assert block.data.endswith(html.escape(notes, quote=False)) and notes.strip()


def test_competency_table_links_every_module_to_its_notebook():
    table = HTMLFormatter()(pages.competency_table())
    links = re.findall(r'<a href="([^"]+)" target="_self"[^>]*>([^<]+)</a>', table)
    expected = [f"{number:02d}_{cid}.ipynb" for number, cid in enumerate(bank.competency_ids(), 1)]
    assert [href for href, _ in links] == expected  # opens in the same tab, in Lab and the app
    assert [text for _, text in links] == expected
    assert all((NOTEBOOKS / href).exists() for href in expected)


def test_my_charts_show_the_current_learners_progress_or_how_to_choose_a_name(tmp_path):
    from IPython.display import Markdown

    from peerlib import charts
    from peerlib.learner import set_learner
    from peerlib.store import default_store

    for name in pages.MY_CHARTS:
        shown = pages.my_chart(name)
        assert isinstance(shown, Markdown) and "Choose your name" in shown.data
    assert "Choose your name" in pages.my_focus_areas().data
    store = default_store()
    set_learner("Kim", store)
    store.record_rating("Kim", "crisis", "before", 1)
    chart = pages.my_chart("confidence_before_after")
    assert isinstance(chart, charts.Chart)
    assert '<a href="08_crisis.ipynb" target="_self">' in pages.my_focus_areas().data
    with pytest.raises(ValueError, match="unknown chart"):
        pages.my_chart("nope")


def test_coverage_table_counts_questions_per_category_and_domain():
    table = pages.coverage_table()
    frame = table.frame
    assert list(frame.columns) == pages.COVERAGE_COLUMNS
    assert list(frame["Framework"]) == ["SAMHSA category"] * 12 + ["IC&RC domain"] * 4
    assert "Mentoring and Education" in set(frame["Category or domain"])
    total = len(bank.load_bank())
    assert frame[frame["Framework"] == "IC&RC domain"]["Mainly about it"].sum() == total
    assert f"The {total} practice questions" in table.caption
    articles = bank.load_bank()["source"].isin(bank.article_sources()).sum()
    assert articles >= 1 and f"{articles} from two published articles" in table.caption
    shown = HTMLFormatter()(table)
    assert shown.count('<th scope="col"') == 5
    assert "IC&amp;RC domain" in shown and "IC&RC domain" not in shown  # escaped


def test_content_text_in_markdown_shows_html_as_text(content_dir):
    from peerlib import content

    hostile = "<img src=x onerror=alert(1)>"
    path = content_dir / "data" / "competencies.yaml"
    path.write_text(path.read_text("utf-8").replace("title: ", f"title: {hostile} ", 1), "utf-8")
    notes = content_dir / "data" / "exercises" / "08_crisis.yaml"
    notes.write_text(
        notes.read_text("utf-8").replace(
            "facilitator_notes: |\n", f"facilitator_notes: |\n  {hostile}\n"
        ),
        "utf-8",
    )
    content.reload()
    for page in (pages.objectives("engage"), pages.facilitator_notes("crisis")):
        assert "<img" not in page.data and "&lt;img src=x onerror=alert(1)&gt;" in page.data
