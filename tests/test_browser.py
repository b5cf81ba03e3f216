"""The workbook in a real browser: JupyterLab in the system Chromium, used as a learner would.

Start notebook: choose a name. Crisis module: rate yourself, answer a practice question, get
feedback. Restart the kernel and run again: the rating and the answer are restored. My progress:
the charts and their one-line summaries. No notebook shows a traceback, and none is changed on
disk.

Run:  .venv/bin/python -m pytest tests/test_browser.py -q -p no:cacheprovider -x -s
Screenshots of every step: test-artifacts/browser/NN_step.png (git-ignored).
Skipped locally when Chromium is missing; under CI=true that is a failure.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from browser_helpers import (
    CHROMIUM_ARGS,
    UI_TIMEOUT_MS,
    JupyterLabServer,
    Lab,
    digest,
    playwright_or_skip,
    reporting_failure,
)

PROJECT_DIR = Path(__file__).resolve().parent.parent
ARTIFACTS = PROJECT_DIR / "test-artifacts" / "browser"
START, CRISIS, PROGRESS = (
    "notebooks/00_start_here.ipynb",
    "notebooks/08_crisis.ipynb",
    "notebooks/14_my_progress.ipynb",
)


sync_api, CHROMIUM, expect = playwright_or_skip("browser test")

pytestmark = [pytest.mark.browser, pytest.mark.content]  # the kernels read peerlib/data

LEARNER = "Alex Rivera"
ANSWER = (
    "First I would make sure the person is safe right now, because safety comes first, and I "
    "would ask them directly whether they are thinking about suicide. I would stay calm, sit "
    "with them, listen without judgement and validate how they feel. If there is any risk, I "
    "would call or text 988 together with them, or call emergency services if a life is in "
    "immediate danger, and I would follow my organisation's crisis procedure and bring in my "
    "supervisor. Afterwards I would follow up the next day to check in, help them build a "
    "safety plan, and connect them with ongoing support."
)


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory):
    """JupyterLab serving this checkout, with a temporary PEERLIB_HOME and Jupyter folders."""
    with JupyterLabServer(PROJECT_DIR, tmp_path_factory.mktemp("lab-home")) as server:
        yield server


@pytest.fixture(scope="module")
def lab(lab_server):
    """Chromium on a JupyterLab page; screenshots go to a fresh test-artifacts/browser/."""
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            page.set_default_timeout(UI_TIMEOUT_MS)
            yield Lab(page, lab_server, ARTIFACTS)
        finally:
            browser.close()


def choose_learner(lab: Lab) -> None:
    lab.open_notebook(START)
    lab.shot("start_here_opened")
    lab.run_all()
    lab.shot("competency_table", lab.notebook.locator(".jp-OutputArea-output table").first)

    chooser = lab.output(has=".widget-text input")
    chooser.locator(".widget-text input").fill(LEARNER)
    lab.click_button(chooser, "Save")
    expect(chooser).to_contain_text(f"Saved. You are working as “{LEARNER}”")
    lab.shot("learner_chosen", chooser)

    backup = lab.output(has_text="Save your progress to a file")
    lab.click_button(backup, "Update link")
    expect(backup.locator("a[download]")).to_contain_text("Download peer-progress-")
    lab.shot("download_link", backup)
    lab.assert_no_errors()
    lab.close_notebook()


def before_rating(lab: Lab):
    return lab.output(has_text="before the module", has=".widget-toggle-buttons")


def first_practice_question(lab: Lab):
    return lab.output(has_text="Get feedback", has=".widget-textarea textarea")


def practise_crisis(lab: Lab) -> None:
    lab.open_notebook(CRISIS)
    lab.run_all()
    rating = before_rating(lab)
    lab.shot("crisis_ran", rating)
    lab.click_button(rating, "4 Confident")
    lab.click_button(rating, "Save")
    expect(rating).to_contain_text("Saved: 4 — Confident, before the module")
    lab.shot("rating_saved", rating)

    practice = first_practice_question(lab)
    practice.locator(".widget-textarea textarea").fill(ANSWER)
    lab.click_button(practice, "Get feedback")
    feedback = practice.locator('section[aria-label="Feedback on your answer"]')
    expect(
        feedback.get_by_text(re.compile(r"Talking points: the checker recognized \d+ of \d+"))
    ).to_be_visible()
    expect(feedback).to_contain_text(re.compile(r"Recognized:[^\n]*988"))
    expect(practice).to_contain_text("Saved your answer and its feedback")
    lab.shot("feedback", feedback)
    lab.assert_no_errors()


def restart_and_find_it_remembered(lab: Lab) -> None:
    lab.restart_and_run_all()
    rating = before_rating(lab)
    expect(rating).to_contain_text("Your last saved rating: 4 — Confident, before the module")
    expect(rating.locator(".widget-toggle-buttons button.mod-active")).to_have_text("4 Confident")
    lab.shot("restored_rating", rating)

    practice = first_practice_question(lab)
    expect(practice.locator(".widget-textarea textarea")).to_have_value(ANSWER)
    expect(practice).to_contain_text("Restored your answer")
    lab.shot("restored_answer", practice)
    lab.assert_no_errors()
    lab.close_notebook()


def see_my_progress(lab: Lab) -> None:
    lab.open_notebook(PROGRESS)
    lab.run_all()
    chart_cells = lab.notebook.locator(".jp-CodeCell").filter(has=lab.page.locator("img"))
    expect(chart_cells.first).to_be_visible()
    for index in range(chart_cells.count()):
        cell = chart_cells.nth(index)
        chart = cell.locator(".jp-OutputArea-output img").first
        size = chart.evaluate("(img) => [img.naturalWidth, img.clientWidth, img.clientHeight]")
        assert min(size) > 50, f"chart {index + 1} is empty or not loaded: {size}"
        summary = cell.locator('.jp-OutputArea-output[data-mime-type="text/html"]').last
        text = summary.inner_text().strip()
        assert text and "\n" not in text, f"chart {index + 1}: no one-line summary ({text!r})"
        lab.shot(f"progress_chart_{index + 1}", chart)

    profile = chart_cells.filter(has_text="Latest ratings in")
    expect(profile).to_contain_text(re.compile(r"Managing crises\D*4|4\D*Managing crises"))
    lab.shot(
        "progress_next_steps", lab.notebook.get_by_role("heading", name="What to work on next")
    )

    panel = lab.output(has_text="modules complete", has=".widget-html table")
    crisis_row = panel.locator("tr").filter(has_text="8. Managing crises")
    expect(crisis_row.locator("td").nth(1)).to_have_text("4")  # the "Before" column
    lab.shot("progress_panel", panel)
    lab.assert_no_errors()
    lab.close_notebook()


def test_learner_journey(lab):
    untouched = digest(PROJECT_DIR / path for path in (START, CRISIS, PROGRESS))
    with reporting_failure(lab, lab.server):
        lab.load()
        lab.shot("lab_started")
        choose_learner(lab)
        practise_crisis(lab)
        restart_and_find_it_remembered(lab)
        see_my_progress(lab)

    assert digest(untouched) == untouched, "running the notebooks changed them on disk"
