"""The workbook app (Voila, as `make app` and Binder's learner link serve it) in Chromium.

A learner's journey: the start page (no code anywhere in the app's HTML), choose a name, follow
the link to module 8; rate, answer, pick a scenario option, reflect, complete the module;
My progress (a new kernel) shows it; download the progress file and restore it into a fresh
home (a second app server), where the name comes back and module 8 finds everything restored.

The accessibility gate: axe-core (tests/browser-deps, installed by make test) is injected into
the start page, the module page and My progress after interacting with their widgets, and into
the trainer's HTML report. It audits the workbook's own markup (AUDITED below: the rendered
Markdown, the notebook outputs and the workbook's widget views) against WCAG 2.x A and AA and
fails on serious or critical violations.

Run:  .venv/bin/python -m pytest tests/test_app.py -q -p no:cacheprovider -x -s
Screenshots at 1400 and 800 px: test-artifacts/app/NN_step.png (git-ignored).
Skipped locally when Chromium or axe-core is missing; under CI=true that is a failure.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from browser_helpers import (
    CHROMIUM_ARGS,
    UI_TIMEOUT_MS,
    App,
    AppServer,
    digest,
    playwright_or_skip,
    reporting_failure,
)

PROJECT_DIR = Path(__file__).resolve().parent.parent
ARTIFACTS = PROJECT_DIR / "test-artifacts" / "app"
AXE = PROJECT_DIR / "tests" / "browser-deps" / "node_modules" / "axe-core" / "axe.min.js"
NOTEBOOKS = ("00_start_here", "08_crisis", "14_my_progress")

# What the accessibility gate audits: the workbook's own markup in the app's page (its Markdown
# text, the outputs of its cells, and its widget views), not Voila's or JupyterLab's chrome.
AUDITED = ["#rendered_cells .jp-RenderedMarkdown", "#rendered_cells .jp-OutputArea-output"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


sync_api, CHROMIUM, expect = playwright_or_skip(
    "app test",
    [(AXE, "axe-core not found (npm install --prefix tests/browser-deps)")],
)
pytestmark = [pytest.mark.browser, pytest.mark.content]  # the app's kernels read peerlib/data

LEARNER = "Alex Rivera"
ANSWER = (
    "First I would make sure the person is safe right now, and I would ask them directly "
    "whether they are thinking about suicide. I would stay with them, listen without judgement, "
    "call or text 988 together with them, follow the crisis procedure and bring in my "
    "supervisor. Afterwards I would follow up the next day to check in."
)
REFLECTION = "What helped me most was someone who stayed calm and did not rush me."


@pytest.fixture(scope="module")
def app_server(tmp_path_factory):
    with AppServer(PROJECT_DIR, tmp_path_factory.mktemp("app-home")) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _app(browser, server, width=1400) -> App:
    page = browser.new_page(viewport={"width": width, "height": 1000}, accept_downloads=True)
    page.set_default_timeout(UI_TIMEOUT_MS)
    return App(page, server, ARTIFACTS)


def audit(page, name: str, include=None) -> None:
    """Run axe-core on ``include`` (default AUDITED); fail on serious or critical violations."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async ([include, tags]) => {
            const present = include.filter((s) => document.querySelector(s));
            const result = await axe.run(
                {include: present.map((s) => [s])},
                {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return {present, violations: result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ': '
                                                       + n.failureSummary.slice(0, 200)),
            }))};
        }""",
        [include or AUDITED, AXE_TAGS],
    )
    assert found["present"], f"{name}: none of {include or AUDITED} is in the page"
    (ARTIFACTS / f"axe_{name}.json").write_text(json.dumps(found, indent=2))
    bad = [v for v in found["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, f"{name}: accessibility violations:\n" + json.dumps(bad, indent=2)


def no_code(app: App) -> None:
    """The app shows text and widgets only: no code cell, no editor, no source in the HTML."""
    html = app.page.content()
    assert "import peerlib" not in html and "w.SelfRating" not in html
    assert app.page.locator(".jp-CodeMirrorEditor, .jp-InputArea-editor, .cm-editor").count() == 0
    assert not app.errors(), app.errors()


OVERFLOW = """(e) => [...e.querySelectorAll('table, img')]
    .map((t) => [t.tagName, t.getBoundingClientRect().right])
    .filter(([, right]) => right > document.documentElement.clientWidth + 1)"""


def fits(app: App, view) -> None:
    """No table or image in ``view`` is wider than the page (the progress table reflows, the
    charts shrink), once the page has laid itself out again for its new width."""
    try:  # the notebook's widget areas take their new width a moment after the window's
        app.page.wait_for_function(
            f"(e) => ({OVERFLOW})(e).length === 0", arg=view.element_handle(), timeout=5000
        )
    except sync_api.TimeoutError:
        pass  # reported below, with what runs off the page
    overflow = view.evaluate(OVERFLOW)
    assert not overflow, f"runs off the {app.page.viewport_size['width']} px page: {overflow}"


def reads_like_text(app: App, view) -> None:
    """A text box in ``view`` is written in the page's text font, not code's, with spaced
    lines, and stays inside the view; its buttons keep their own width."""
    box = view.locator("textarea")
    found = box.evaluate(
        """(box) => {
            const style = getComputedStyle(box);
            const code = getComputedStyle(document.body).getPropertyValue('--jp-code-font-family');
            const view = box.closest('.peerlib-view').getBoundingClientRect();
            const buttons = [...box.closest('.peerlib-view').querySelectorAll('button')];
            return {
                font: style.fontFamily, code: code.trim(),
                spacing: parseFloat(style.lineHeight) / parseFloat(style.fontSize),
                inside: box.getBoundingClientRect().right <= view.right + 1,
                widest: Math.max(...buttons.map((b) => b.getBoundingClientRect().width)),
                view: view.width,
            };
        }"""
    )
    assert found["font"] and found["font"] != found["code"], found
    assert "mono" not in found["font"].lower(), found
    assert found["spacing"] >= 1.4, found
    assert found["inside"], found
    assert found["widest"] < found["view"] / 2, found


def test_app_journey_restore_and_accessibility(app_server, browser, tmp_path_factory):
    untouched = digest(PROJECT_DIR / "notebooks" / f"{name}.ipynb" for name in NOTEBOOKS)
    app = _app(browser, app_server)
    try:
        with reporting_failure(app, app_server):
            # start page: text and widgets, no code; choose a name; the download link follows
            app.open("00_start_here", widgets=2)
            no_code(app)
            app.shot("start_1400")
            chooser = app.view(has=".widget-text input")
            saver = app.view(has_text="Save your progress to a file")
            expect(saver).to_contain_text("choose your name first")
            chooser.locator(".widget-text input").fill(LEARNER)
            chooser.get_by_role("button", name="Save").click()
            expect(chooser).to_contain_text(f"Saved. You are working as “{LEARNER}”")
            expect(saver.locator("a[download]")).to_contain_text(
                "Download peer-progress-Alex-Rivera"
            )
            app.shot("name_chosen", chooser)
            audit(app.page, "start_page")
            app.page.set_viewport_size({"width": 800, "height": 1000})
            app.shot("start_800")
            app.page.set_viewport_size({"width": 1400, "height": 1000})

            # a link between pages: the modules table links each module's page
            app.page.get_by_role("link", name="08_crisis.ipynb").click()
            app.page.wait_for_url(re.compile(r"/voila/render/notebooks/08_crisis\.ipynb"))
            app.wait_ready(widgets=5)
            no_code(app)
            do_the_crisis_module(app)
            audit(app.page, "module_page")
            app.shot("crisis_done_1400")

            # (a new kernel finds it all again: My progress below in this home, the module itself
            # after a restore into a fresh home, and tests/test_browser.py after a restart)

            # My progress: the table shows it, reflows at 800 px, and the file downloads
            app.page.goto(app_server.page("14_my_progress"))
            app.wait_ready(widgets=2)
            no_code(app)
            panel = app.view(has_text="modules complete")
            row = panel.locator("tr").filter(has_text="8. Managing crises")
            expect(row.locator("td").nth(1)).to_have_text("4")
            expect(row.locator("td").last).to_have_text("✓ yes")
            aligns = [
                c.evaluate("(c) => getComputedStyle(c).textAlign")
                for c in row.locator("td").all()[:2]
            ]
            assert aligns == [
                "left",
                "right",
            ]  # the module's name reads left, its count lines up right
            panel.get_by_role("button", name="Refresh").click()
            expect(panel).to_contain_text("1 of 14 modules complete")
            audit(app.page, "my_progress")
            app.shot("progress_1400", panel)
            app.page.set_viewport_size({"width": 800, "height": 1000})
            fits(app, panel)
            charts = app.page.locator("#rendered_cells .jp-OutputArea-output img")
            expect(charts.first).to_be_visible()
            assert charts.first.evaluate("(img) => img.naturalWidth") > 800  # wider than the page
            fits(app, app.page.locator("#rendered_cells"))
            app.shot("progress_800", panel)
            app.page.set_viewport_size({"width": 1400, "height": 1000})
            saver = app.view(has_text="Save your progress to a file")
            saver.get_by_role("checkbox", name="Include my answer and reflection text").check()
            expect(saver).to_contain_text("with your answer and reflection text")  # link updated
            with app.page.expect_download() as download:
                saver.locator("a[download]").click()
            saved = tmp_path_factory.mktemp("download") / download.value.suggested_filename
            download.value.save_as(saved)
            content = json.loads(saved.read_text("utf-8"))
            assert content["learner"]["learner_id"] == LEARNER
    finally:
        app.page.close()

    restore_into_a_fresh_home(browser, tmp_path_factory, saved)
    assert digest(untouched) == untouched, "running the app changed the notebooks on disk"


def do_the_crisis_module(app: App) -> None:
    rating = app.view(has_text="before the module")
    rating.get_by_role("button", name="4 Confident").click()
    expect(rating).to_contain_text("click Save to keep it")
    rating.get_by_role("button", name="Save").dblclick()  # a double click saves once
    expect(rating).to_contain_text("Saved: 4 — Confident, before the module")

    practice = app.view(has_text="Get feedback")
    practice.locator("textarea").fill(ANSWER)
    reads_like_text(app, practice)
    practice.get_by_role("button", name="Get feedback").click()
    expect(practice).to_contain_text("Saved your answer and its feedback")
    expect(practice.locator('section[aria-label="Feedback on your answer"]')).to_be_visible()

    scenario = app.view(has_text="Check my choice")
    scenario.locator(".widget-radio-box label").first.click()
    scenario.get_by_role("button", name="Check my choice").click()
    expect(scenario).to_contain_text("Saved your choice")

    reflection = app.view(has_text="Reflection (private)")
    reflection.locator("textarea").fill(REFLECTION)
    reads_like_text(app, reflection)
    reflection.get_by_role("button", name="Save").click()
    expect(reflection).to_contain_text("Saved privately")

    done = app.view(has_text="Mark module 8 complete")
    done.get_by_role("button", name="Mark module 8 complete").click()
    expect(done).to_contain_text("marked complete")
    assert not app.errors(), app.errors()


def find_the_crisis_module_restored(app: App) -> None:
    rating = app.view(has_text="before the module")
    expect(rating).to_contain_text("Your last saved rating: 4 — Confident")
    expect(rating.locator("button.mod-active")).to_have_text("4 Confident")
    practice = app.view(has_text="Get feedback")
    expect(practice.locator("textarea")).to_have_value(ANSWER)
    expect(app.view(has_text="Check my choice")).to_contain_text("Restored your last choice")
    expect(app.view(has_text="Reflection (private)").locator("textarea")).to_have_value(REFLECTION)
    expect(app.view(has_text="Mark module 8 complete")).to_contain_text("marked complete on")


def restore_into_a_fresh_home(browser, tmp_path_factory, saved: Path) -> None:
    with AppServer(PROJECT_DIR, tmp_path_factory.mktemp("fresh-home")) as fresh:
        app = _app(browser, fresh)
        try:
            with reporting_failure(app, fresh, "failure_fresh_home"):
                app.open("00_start_here", widgets=2)
                chooser = app.view(has=".widget-text input")
                expect(chooser).to_contain_text("Type your name")
                saver = app.view(has_text="Save your progress to a file")
                with app.page.expect_file_chooser() as chooser_dialog:
                    saver.locator(
                        ".peerlib-upload"
                    ).click()  # ipywidgets' FileUpload: a file dialog
                chooser_dialog.value.set_files(str(saved))
                expect(saver).to_contain_text(f"You are now working as “{LEARNER}”")
                expect(chooser.locator(".widget-text input")).to_have_value(LEARNER)
                app.shot("fresh_home_restored", saver)
                app.page.goto(fresh.page("08_crisis"))
                app.wait_ready(widgets=5)
                find_the_crisis_module_restored(app)
                app.page.set_viewport_size({"width": 800, "height": 1000})
                app.shot("crisis_restored_800", app.view(has_text="before the module"))
        finally:
            app.page.close()


def test_report_accessibility(browser, tmp_path):
    from peerlib import cohort, report
    from peerlib.demo import write_demo_cohort

    write_demo_cohort(tmp_path / "exports", learners=12, seed=3)
    path = report.write_report(cohort.load(tmp_path / "exports"), tmp_path / "report.html")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(path.as_uri())
        audit(page, "report", include=["body"])
        page.screenshot(path=str(ARTIFACTS / "report_1400.png"))
        # numbers line up on the right in the report's tables, text on the left
        aligns = page.evaluate(
            """() => [...document.querySelectorAll('table')].map(t => [...t.rows[1].cells]
                .map(c => [c.textContent.trim(), getComputedStyle(c).textAlign]))"""
        )
        cells = [cell for row in aligns for cell in row]
        assert any(a == "right" and t.replace(".", "").replace("%", "").isdigit() for t, a in cells)
        assert all(a == "left" for t, a in cells if t and not any(ch.isdigit() for ch in t))
        # printed, the follow-up list starts on a new page and rows are not split
        page.emulate_media(media="print")
        follow_up = page.eval_on_selector(
            "section.follow-up", "e => getComputedStyle(e).breakBefore"
        )
        row = page.eval_on_selector("tr", "e => getComputedStyle(e).breakInside")
        assert (follow_up, row) == ("page", "avoid")
    finally:
        page.close()
