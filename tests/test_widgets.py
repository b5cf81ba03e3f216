"""Drive every widget in the kernel: set values, click buttons, check the store and what is shown.

The autouse fixture in conftest.py points PEERLIB_HOME and PEERLIB_DB_URL at a temporary folder
and removes JUPYTERHUB_USER; each test also gets its own store, passed in with ``store=``.
"""

import base64
import html
import json
import re
import threading
import time
from datetime import datetime, timezone

import ipywidgets
import pytest

from peerlib import bank, concern_model, content, exercises, widgets
from peerlib.learner import current_learner, set_learner
from peerlib.store import ProgressStore

CRISIS_QUESTION = "ps20"  # "How would you respond if someone in your group expressed suicidal…"
STRONG_ANSWER = (
    "I would stay calm, listen without judgement and ask them directly whether they are "
    "thinking about suicide. I would stay with them, call 988 together, tell my supervisor "
    "and follow up the next day to check in."
)
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def progress(tmp_path):
    store = ProgressStore(f"sqlite:///{tmp_path}/p.sqlite")
    yield store
    store.close()


@pytest.fixture
def tester(progress):
    """Keyword arguments that make a widget record for learner 'tester' in the test store."""
    return {"store": progress, "learner_id": "tester"}


def html_values(widget):
    """Every HTML value shown anywhere in a widget tree."""
    if isinstance(widget, (ipywidgets.HTML, ipywidgets.HTMLMath)):
        yield widget.value
    for child in getattr(widget, "children", ()):
        yield from html_values(child)


def shown(widget) -> str:
    return "\n".join(html_values(widget))


def countdown_threads():
    return [t for t in threading.enumerate() if t.name == "peerlib-countdown" and t.is_alive()]


def upload_value(name: str, content: bytes) -> tuple:
    """What ipywidgets 8's FileUpload.value holds after the learner chooses one file."""
    moment = datetime.now(timezone.utc)
    item = {"name": name, "type": "application/json", "size": len(content)}
    return ({**item, "content": memoryview(content), "last_modified": moment},)


# --- SelfRating ------------------------------------------------------------------------------


def test_self_rating_saves_confirms_and_is_restored(progress, tester):
    rating = widgets.SelfRating("crisis", phase="before", **tester)
    assert rating.rating.value is None
    rating.rating.value = 4
    rating.save.click()

    saved = progress.ratings("tester", "crisis", "before")
    assert saved["value"].tolist() == [4]
    assert re.search(r"Saved: 4 — Confident, before the module \(\d\d:\d\d UTC\)", shown(rating))

    again = widgets.SelfRating("crisis", phase="before", **tester)
    assert again.rating.value == 4
    assert "Your last saved rating: 4 — Confident" in again.status.value
    assert widgets.SelfRating("crisis", phase="after", **tester).rating.value is None


def test_self_rating_anchors_are_labelled_and_keyboard_buttons(tester):
    rating = widgets.SelfRating("crisis", **tester)
    assert isinstance(rating.rating, ipywidgets.ToggleButtons)
    assert [label for label, _ in rating.rating.options] == [
        "1 Not yet",
        "2 Getting started",
        "3 Fairly confident",
        "4 Confident",
        "5 Could teach it",
    ]
    assert len(rating.rating.tooltips) == 5
    assert rating.rating.description and rating.save.tooltip
    assert "Choose from 1 (Not yet) to 5 (Could teach it)." in shown(rating)


def test_the_rating_scale_reads_the_same_in_the_widget_and_the_charts(progress, tester):
    """The words a learner picks from are the words the charts of their ratings show."""
    charts = pytest.importorskip("peerlib.charts")
    rating = widgets.SelfRating("crisis", **tester)
    rating.rating.value = 4
    rating.save.click()
    buttons = [label for label, _ in rating.rating.options]
    chart = charts.confidence_before_after(progress.ratings("tester"))
    ticks = [t.get_text() for t in chart.figure.axes[0].get_xticklabels()]
    assert [t.replace("\n", " ") for t in ticks] == [b.lower() for b in buttons]


def test_self_rating_without_a_choice_records_nothing(progress, tester):
    rating = widgets.SelfRating("crisis", **tester)
    rating.save.click()
    assert "Choose a rating from 1 (Not yet) to 5 (Could teach it) first" in rating.status.value
    assert progress.ratings().empty


def test_self_rating_rejects_an_unknown_phase_or_competency(tester):
    with pytest.raises(ValueError, match="unknown phase 'during'"):
        widgets.SelfRating("crisis", phase="during", **tester)
    with pytest.raises(ValueError, match="Unknown module id 'crises'"):
        widgets.SelfRating("crises", **tester)


def test_without_a_chosen_learner_widgets_ask_for_a_name_and_keep_the_text(progress):
    rating = widgets.SelfRating("crisis", store=progress)
    question = widgets.PracticeQuestion(CRISIS_QUESTION, store=progress)
    scenario = widgets.Scenario("crisis-1", store=progress)
    reflection = widgets.Reflection("crisis", "r1", store=progress)
    done = widgets.ModuleComplete("crisis", store=progress)
    rating.rating.value = 3
    question.answer.value = STRONG_ANSWER
    scenario.choice.value = 1
    reflection.text.value = "My own words."
    for view, control in [
        (rating, rating.save),
        (question, question.get_feedback),
        (scenario, scenario.check),
        (reflection, reflection.save),
        (done, done.done),
    ]:
        control.click()
        assert "Choose your name on the start page (00_start_here) first" in view.status.value
        assert "Traceback" not in view.status.value
    assert question.answer.value == STRONG_ANSWER and reflection.text.value == "My own words."
    assert progress.ratings().empty and progress.answers().empty and progress.choices().empty
    assert progress.reflections().empty and progress.completions().empty

    set_learner("Robin", progress)  # chosen in the start notebook meanwhile: clicking again works
    rating.save.click()
    assert progress.ratings()["learner_id"].tolist() == ["Robin"]


def test_a_store_error_is_shown_in_the_widget(progress):
    rating = widgets.SelfRating("crisis", store=progress, learner_id="x" * 101)
    rating.rating.value = 2
    rating.save.click()
    assert "too long" in rating.status.value
    assert progress.ratings().empty


# --- PracticeQuestion ------------------------------------------------------------------------


def test_practice_question_shows_feedback_and_saves_the_answer(progress, tester):
    question = widgets.PracticeQuestion(CRISIS_QUESTION, **tester)
    row = bank.question(CRISIS_QUESTION)
    assert row["question"] in shown(question)
    assert "Why it is asked" in shown(question)
    assert question.feedback.value == ""  # nothing answered yet: no feedback

    question.answer.value = STRONG_ANSWER
    question.get_feedback.click()

    assert "✓" in question.feedback.value
    assert "Brings in crisis help and a supervisor" in question.feedback.value
    answers = progress.answers("tester", CRISIS_QUESTION)
    assert answers["text"].tolist() == [STRONG_ANSWER]
    assert answers["feedback_summary"].iloc[0].startswith("5/5 points")
    assert "Saved your answer" in question.status.value


def test_practice_question_empty_answer_saves_nothing(progress, tester):
    question = widgets.PracticeQuestion(CRISIS_QUESTION, **tester)
    question.answer.value = "   \n "
    question.get_feedback.click()
    assert "Write your answer in the box first" in question.status.value
    assert question.feedback.value == ""
    assert progress.answers().empty


def test_practice_question_restores_the_last_answer(tester):
    first = widgets.PracticeQuestion(CRISIS_QUESTION, **tester)
    first.answer.value = "A first try."
    first.get_feedback.click()
    first.answer.value = STRONG_ANSWER
    first.get_feedback.click()

    again = widgets.PracticeQuestion(CRISIS_QUESTION, **tester)
    assert again.answer.value == STRONG_ANSWER
    assert re.search(r"Restored your answer from \d{4}-\d\d-\d\d \d\d:\d\d UTC", again.status.value)
    assert "and its feedback" in again.status.value
    # the restored answer's feedback is shown again, without saving the answer a second time
    assert "Brings in crisis help and a supervisor" in again.feedback.value
    assert len(again.store.answers("tester", CRISIS_QUESTION)) == 2


def test_an_exercise_whose_file_is_broken_says_so_in_the_page(content_dir, tester):
    from peerlib import content, exercises

    prompt = next(iter(exercises.load_module("crisis").reflections))
    crisis = content_dir / "data" / "exercises" / "08_crisis.yaml"
    crisis.write_text(crisis.read_text("utf-8").replace("\n  ", "\n\t"), "utf-8")
    content.reload()
    with pytest.warns(content.ContentWarning, match="08_crisis.yaml"):
        scenario = widgets.Scenario("crisis-1", **tester)
    reflection = widgets.Reflection("crisis", prompt, **tester)
    for view in (scenario, reflection):
        assert "This exercise is not available right now" in shown(view)
        assert "08_crisis.yaml has a problem" in shown(view)
    assert widgets.Scenario("engage-1", **tester).choice.options  # other modules still work


def test_why_it_is_asked_is_written_to_the_learner(tester):
    question = widgets.PracticeQuestion("ps11", **tester)
    row = bank.question("ps11")
    assert "Why it is asked" in shown(question)
    assert row["why_asked"] in shown(question)
    assert "the candidate" in row["why_asked_source"]  # the article's text, to the interviewer
    assert "candidate" not in shown(question)


@pytest.fixture
def trainer_question(tmp_path, monkeypatch):
    """A trainer's question with no why, and one whose texts hold markup; the bank reloaded."""
    folder = tmp_path / "trainer_questions"
    folder.mkdir()
    (folder / "mine.yaml").write_text(
        """\
- question_id: my01
  question: How would you welcome a new member?
  competencies: [engage]
  kind: situational
  talking_points:
    - {label: Warm welcome, cues: [welcome]}
    - {label: Explains the group, cues: [explain]}
- question_id: my02
  question: "Is <b>this</b> escaped?"
  why_asked: "<script>alert(1)</script> why"
  example_answer: "An answer <img src=x onerror=alert(2)>"
  example_misses: "It misses <script>alert(3)</script> this."
  source: "Course <i>one</i>"
  competencies: [engage]
  kind: situational
  talking_points:
    - {label: Warm welcome, cues: [welcome]}
    - {label: Explains the group, cues: [explain]}
""",
        "utf-8",
    )
    with content.using(content.root(), folders=[folder]):
        yield


def test_why_it_is_asked_is_left_out_when_the_bank_has_no_reason(tester, trainer_question):
    assert not bank.question("my01")["why_asked"].strip()
    question = widgets.PracticeQuestion("my01", **tester)
    assert "Why it is asked" not in shown(question)
    assert question.toggle_example.disabled  # no example answer to show
    assert "What this example misses" not in shown(question)


def test_example_answer_says_what_it_misses(tester):
    question = widgets.PracticeQuestion("cps05", **tester)
    misses = bank.question("cps05")["example_misses"]
    assert "clinical task" in misses
    assert question.example.layout.display == "none"
    question.toggle_example.click()
    assert question.example.layout.display != "none"
    value = question.example.value
    assert "What this example misses" in value
    assert value.index("assessing the level of risk") < value.index("What this example misses")
    assert "clinical task" in value


def test_an_example_without_a_note_shows_none(tester):
    assert not bank.question("ps04")["example_misses"]
    question = widgets.PracticeQuestion("ps04", **tester)
    assert "What this example misses" not in question.example.value


def test_content_text_is_escaped(tester, trainer_question):
    question = widgets.PracticeQuestion("my02", **tester)
    question.toggle_example.click()
    text = shown(question)
    for raw in ("<script", "<img", "<b>this", "<i>one"):
        assert raw not in text
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in question.example.value
    assert "&lt;b&gt;this&lt;/b&gt;" in text


def test_example_answer_toggles(tester):
    question = widgets.PracticeQuestion(CRISIS_QUESTION, **tester)
    assert question.example.layout.display == "none"
    assert "take it very seriously" in question.example.value
    question.toggle_example.click()
    assert question.example.layout.display != "none"
    assert question.toggle_example.description == "Hide example answer"
    question.toggle_example.click()
    assert question.example.layout.display == "none"
    assert question.toggle_example.description == "Show example answer"


def test_learner_text_is_always_shown_escaped(progress, tester):
    answer = f"I would listen. {SCRIPT} And follow up. <img src=x onerror=alert(2)>"
    question = widgets.PracticeQuestion(CRISIS_QUESTION, **tester)
    question.answer.value = answer
    question.get_feedback.click()
    restored = widgets.PracticeQuestion(CRISIS_QUESTION, **tester)
    assert restored.answer.value == answer  # text widgets get the raw text

    interview = widgets.MockInterview(n=1, seed=3, **tester)
    interview.start.click()
    interview.answer.value = answer
    interview.finish.click()

    chooser = widgets.ChooseLearner(store=progress)
    chooser.name.value = SCRIPT
    chooser.save.click()
    panel = widgets.ProgressPanel(store=progress)

    for view in (question, restored, interview, chooser, panel):
        for value in html_values(view):
            assert "<script" not in value.lower() and "<img" not in value.lower()
    assert "&lt;script&gt;" in chooser.status.value


# --- Scenario --------------------------------------------------------------------------------


def test_scenario_feedback_on_the_best_and_another_choice(progress, tester):
    item = exercises.scenario("crisis-1")
    view = widgets.Scenario("crisis-1", **tester)
    assert item.title in shown(view)
    assert len(view.choice.options) == len(item.choices)
    assert view.show_all.layout.display == "none"

    other = next(i for i in range(len(item.choices)) if i != item.best_index)
    view.choice.value = other
    view.check.click()
    assert "Not the best next step" in view.feedback.value
    assert "The best next step" not in view.feedback.value
    view.choice.value = item.best_index
    view.check.click()
    assert "✓ The best next step" in view.feedback.value

    choices = progress.choices("tester", "crisis-1")
    assert choices["choice"].tolist() == [other, item.best_index]
    assert choices["is_best"].tolist() == [False, True]

    assert view.show_all.layout.display != "none"
    view.show_all.click()
    for choice in item.choices:
        assert choice.feedback.replace('"', "&quot;").replace("'", "&#x27;") in (
            view.all_feedback.value
        )
    assert view.all_feedback.value.count("Not the best next step") == len(item.choices) - 1


def test_scenario_without_a_choice_and_restore(progress, tester):
    view = widgets.Scenario("crisis-2", **tester)
    view.check.click()
    assert "Choose one of A, B, C" in view.status.value
    assert progress.choices().empty

    view.choice.value = 2
    view.check.click()
    again = widgets.Scenario("crisis-2", **tester)
    assert again.choice.value == 2
    assert "Restored your last choice (C)" in again.status.value
    assert again.feedback.value and again.show_all.layout.display != "none"


# --- Reflection ------------------------------------------------------------------------------


def test_reflection_is_saved_privately_and_restored(progress, tester):
    module = exercises.load_module("crisis")
    view = widgets.Reflection("crisis", "r1", **tester)
    assert module.reflections["r1"][:40].replace('"', "&quot;") in shown(view)
    view.save.click()
    assert "Write your reflection in the box first" in view.status.value
    assert progress.reflections().empty

    view.text.value = "Someone sat with me and did not rush me."
    view.save.click()
    assert "Saved privately — only exported if you choose to include text" in view.status.value
    assert progress.reflections("tester", "crisis", "r1")["text"].tolist() == [view.text.value]

    again = widgets.Reflection("crisis", "r1", **tester)
    assert again.text.value == "Someone sat with me and did not rush me."
    assert "Restored your reflection" in again.status.value
    assert widgets.Reflection("crisis", "r2", **tester).text.value == ""
    with pytest.raises(ValueError, match="Unknown reflection prompt 'r9'"):
        widgets.Reflection("crisis", "r9", **tester)


# --- MockInterview ---------------------------------------------------------------------------


def test_mock_interview_draws_reproducibly_from_the_chosen_competencies(tester):
    first = widgets.MockInterview(n=4, seed=7, **tester)
    second = widgets.MockInterview(n=4, seed=7, **tester)
    assert first.questions["question_id"].tolist() == second.questions["question_id"].tolist()
    assert len(first.questions) == 4

    crisis = widgets.MockInterview(competencies="crisis", n=100, seed=1, **tester)
    tagged = set(bank.questions_for("crisis")["question_id"])
    assert set(crisis.questions["question_id"]) == tagged  # n is capped at what there is
    with pytest.raises(ValueError, match="Unknown competency id"):
        widgets.MockInterview(competencies=["nope"], **tester)


def test_mock_interview_records_answers_with_time_and_shows_a_summary(progress, tester):
    interview = widgets.MockInterview(n=3, seconds=60, seed=11, **tester)
    interview.double_click_seconds = 0  # the clicks below are meant one by one
    asked = interview.questions["question_id"].tolist()
    assert interview.running_box.layout.display == "none"

    interview.start.click()
    assert countdown_threads()
    assert interview.questions["question"][0] in interview.stage.value
    interview.answer.value = "I listened and stayed calm, then we made a plan together."
    time.sleep(0.2)
    interview.next.click()
    assert "Question 2 of 3" in interview.stage.value
    interview.next.click()  # skipped: nothing saved for an empty answer
    assert interview.next.layout.display == "none"
    interview.answer.value = STRONG_ANSWER
    interview.finish.click()

    answers = progress.answers("tester")
    assert answers["question_id"].tolist() == [asked[0], asked[2]]
    assert answers["seconds"].iloc[0] >= 0.2 and answers["seconds"].notna().all()
    assert answers["feedback_summary"].str.contains("points").all()

    results = interview.results
    assert results["Points recognized"].tolist()[1] == "skipped"
    assert list(results.columns) == [
        "#",
        "Question",
        "Points recognized",
        "Check this",
        "Words",
        "Time",
    ]
    assert "Summary" in interview.summary.value and "<table" in interview.summary.value
    assert len(interview.details.children) == 3 and interview.details.selected_index is None
    assert "Finished: 2 of 3 answers saved" in interview.status.value
    assert interview.results_box.layout.display != "none"
    assert not countdown_threads()


def test_mock_interview_time_limit_is_soft(progress, tester):
    interview = widgets.MockInterview(n=1, seconds=1, seed=2, **tester)
    interview.start.click()
    deadline = time.monotonic() + 5
    while "Time is up" not in interview.clock_text.value and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "Time is up" in interview.clock_text.value
    assert interview.clock.value == 0
    interview.answer.value = STRONG_ANSWER
    interview.finish.click()
    assert len(progress.answers("tester")) == 1
    assert not countdown_threads()


def test_mock_interview_close_stops_the_timer(tester):
    interview = widgets.MockInterview(n=2, seed=5, **tester)
    interview.start.click()
    assert countdown_threads()
    interview.close()
    assert not countdown_threads()


def test_question_picker_shows_questions_with_their_talking_points():
    picker = widgets.QuestionPicker(competencies=["crisis"], n=3, seed=4)  # no learner needed
    again = widgets.QuestionPicker(competencies=["crisis"], n=3, seed=4)
    assert picker.questions["question_id"].tolist() == again.questions["question_id"].tolist()
    for row in picker.questions.itertuples():
        assert html.escape(row.question) in picker.question_list.value
        for point in bank.question(row.question_id)["talking_points"]:
            assert html.escape(point.label) in picker.question_list.value
    assert "(essential)" in picker.question_list.value  # crisis questions have required points
    before = picker.questions["question_id"].tolist()
    for _ in range(5):
        picker.draw_again.click()
        if picker.questions["question_id"].tolist() != before:
            break
    assert picker.questions["question_id"].tolist() != before


def test_learners_mock_interview_has_no_picker_and_needs_a_name(progress):
    interview = widgets.MockInterview(n=3, seed=4, store=progress)
    assert not hasattr(interview, "picker")
    assert "question picker" not in shown(interview).lower()
    interview.start.click()  # a learner must be chosen before answers are recorded
    assert "Choose your name on the start page (00_start_here) first" in interview.status.value
    assert not countdown_threads()


def test_mock_interview_next_and_finish_ignore_a_double_click(progress, tester):
    interview = widgets.MockInterview(n=3, seconds=60, seed=11, **tester)
    interview.start.click()
    interview.answer.value = STRONG_ANSWER
    interview.next.click()
    interview.next.click()  # the same click again: must not skip question 2
    assert "Question 2 of 3" in interview.stage.value
    assert len(progress.answers("tester")) == 1
    interview.close()


def test_mock_interview_timer_can_be_lengthened_or_turned_off(progress, tester):
    interview = widgets.MockInterview(n=2, seconds=60, seed=3, **tester)
    assert [value for _, value in interview.timer.options] == [60, 120, 240, 0]
    interview.timer.value = 0  # no timer (WCAG 2.2.1)
    interview.start.click()
    assert not countdown_threads()
    assert interview.clock_box.layout.display == "none"
    interview.close()
    longer = widgets.MockInterview(n=2, seconds=60, seed=3, **tester)
    longer.timer.value = 240
    longer.start.click()
    assert longer.clock.max == 240 and countdown_threads()
    longer.close()
    assert not countdown_threads()


def test_mock_interview_summary_is_restored_and_kept_apart_from_practice(progress, tester):
    interview = widgets.MockInterview(n=2, seconds=60, seed=5, **tester)
    interview.double_click_seconds = 0
    asked = interview.questions["question_id"].tolist()
    interview.start.click()
    interview.answer.value = STRONG_ANSWER
    interview.next.click()
    interview.answer.value = "I would listen, and ask my supervisor for help with next steps."
    interview.finish.click()
    summary = interview.summary.value

    reopened = widgets.MockInterview(n=2, seconds=60, seed=9, **tester)
    assert reopened.results_box.layout.display != "none"
    assert "Summary" in reopened.summary.value and summary.count(
        "<tr"
    ) == reopened.summary.value.count("<tr")
    assert reopened.results["Question"].tolist() == [bank.question(q)["question"] for q in asked]
    assert "Your last mock interview" in reopened.status.value
    assert len(reopened.details.children) == 2

    panel = widgets.ProgressPanel(**tester)  # mock answers are not a module's practice
    assert panel.table()["Practice questions answered"].sum() == 0


# --- ProgressPanel and ModuleComplete --------------------------------------------------------


def test_progress_panel_reflects_what_was_recorded(progress, tester):
    progress.record_rating("tester", "crisis", "before", 2)
    progress.record_rating("tester", "crisis", "after", 4)
    progress.record_answer("tester", CRISIS_QUESTION, "text")
    progress.record_answer("tester", CRISIS_QUESTION, "again")
    progress.record_choice("tester", "crisis-1", 1, True)
    progress.record_reflection("tester", "crisis", "r1", "mine")
    progress.record_rating("someone-else", "engage", "before", 5)

    panel = widgets.ProgressPanel(**tester)
    table = panel.table().set_index("Module")
    crisis = table.loc["8. Managing crises"]
    assert (crisis["Before"], crisis["After"]) == (2, 4)
    counts = ["Practice questions answered", "Scenarios done", "Reflections"]
    assert crisis[counts].tolist() == [1, 1, 1]
    assert crisis["Complete"] == "not yet"
    assert table.loc["1. Engaging peers", "Before"] == "—"
    assert len(table) == 14  # SAMHSA's twelve and the workbook's foundations and ethics
    assert list(table.index[[0, -1]]) == ["F. Foundations", "E. Ethics and boundaries"]
    assert "0 of 14 modules complete" in panel.status.value

    shown_table = panel.table_html.value  # a captioned table with column headers
    assert "<caption" in shown_table and shown_table.count('<th scope="col"') == 7
    assert "<td" in shown_table and "8. Managing crises" in shown_table

    widgets.ModuleComplete("crisis", **tester).done.click()
    panel.refresh.click()
    assert panel.table().set_index("Module").loc["8. Managing crises", "Complete"] == "✓ yes"
    assert "1 of 14 modules complete" in panel.status.value


def test_progress_panel_lists_latest_answers_that_raised_a_concern(progress, tester):
    panel = widgets.ProgressPanel(**tester)
    assert panel.to_revisit().empty and "look at again" not in panel.table_html.value
    question = widgets.PracticeQuestion(CRISIS_QUESTION, **tester)
    question.answer.value = "I would listen, and I'd promise it stays between us."
    question.get_feedback.click()
    assert "Check this" in question.feedback.value
    panel.refresh.click()
    assert panel.to_revisit().values.tolist() == [
        [CRISIS_QUESTION, "Promises to keep something secret that may put a life at risk"]
    ]
    assert "look at again" in panel.table_html.value
    question.answer.value = STRONG_ANSWER  # a better answer replaces it
    question.get_feedback.click()
    panel.refresh.click()
    assert panel.to_revisit().empty


def test_progress_panel_lists_a_second_look_too(progress, tester, monkeypatch):
    # the fixture content has no concern model: here it reads the loan as good practice
    monkeypatch.setattr(concern_model, "reads_as_good", lambda *args: True)
    panel = widgets.ProgressPanel(**tester)
    question = widgets.PracticeQuestion(CRISIS_QUESTION, **tester)
    question.answer.value = STRONG_ANSWER + " I'd lend him twenty dollars for the bus, too."
    question.get_feedback.click()
    assert "Worth a second look" in question.feedback.value
    assert "Check this" not in question.feedback.value
    saved = progress.answers("tester")["feedback_summary"].iloc[-1]
    assert "1 phrase to look at again" in saved
    panel.refresh.click()
    [[asked, label]] = panel.to_revisit().values.tolist()
    assert asked == CRISIS_QUESTION and label.startswith("Second look: Blurs")


def test_progress_panel_counts_a_question_only_in_its_own_module(progress, tester):
    modules = exercises.load_modules()
    # wb87 is tagged engage and crisis, whose modules do not practise it; ethics does
    assert {"engage", "crisis"} <= set(bank.question("wb87")["competencies"])
    assert "wb87" not in modules["engage"].practice_questions + modules["crisis"].practice_questions
    assert "wb87" in modules["ethics"].practice_questions
    progress.record_answer("tester", "wb87", "text")
    table = widgets.ProgressPanel(**tester).table()
    answered = table.set_index("Module")["Practice questions answered"]
    assert answered.sum() == 1 and answered["E. Ethics and boundaries"] == 1


def test_progress_panel_lists_every_module_when_an_exercise_file_is_missing_or_broken(
    content_dir, progress, tester
):
    assert "support" not in exercises.load_modules()  # the fixture content has no 02_support
    crisis = content_dir / "data" / "exercises" / "08_crisis.yaml"
    crisis.write_text(crisis.read_text("utf-8").replace("\n  ", "\n\t"), "utf-8")
    content.reload()
    progress.record_answer("tester", CRISIS_QUESTION, "text")
    progress.record_answer("tester", "wb80", "text")
    with pytest.warns(content.ContentWarning, match="08_crisis.yaml"):
        table = widgets.ProgressPanel(**tester).table().set_index("Module")
    assert len(table) == 14
    answered = table["Practice questions answered"]
    assert answered["F. Foundations"] == 1 and answered.sum() == 1  # crisis: not readable now


def test_module_complete_marks_and_confirms(progress, tester):
    done = widgets.ModuleComplete("crisis", **tester)
    assert done.done.tooltip and "8" in done.done.description
    done.done.click()
    assert progress.completions("tester")["competency_id"].tolist() == ["crisis"]
    assert "Module 8 — Managing crises: marked complete" in done.status.value
    assert "marked complete on" in widgets.ModuleComplete("crisis", **tester).status.value


# --- the workbook's own modules (foundations, ethics) ------------------------------------------


def test_rating_and_completion_in_a_workbook_module(progress, tester):
    rating = widgets.SelfRating("ethics", phase="before", **tester)
    assert "Ethics and boundaries in peer support" in shown(rating)
    rating.rating.value = 2
    rating.save.click()
    after = widgets.SelfRating("ethics", phase="after", **tester)
    after.rating.value = 4
    after.save.click()
    assert progress.ratings("tester", "ethics")["value"].tolist() == [2, 4]
    assert widgets.SelfRating("ethics", phase="before", **tester).rating.value == 2

    done = widgets.ModuleComplete("ethics", **tester)
    assert done.done.description == "Mark module E complete"
    done.done.click()
    assert progress.completions("tester")["competency_id"].tolist() == ["ethics"]
    assert "Module E — Ethics and boundaries: marked complete" in done.status.value

    widgets.Reflection("foundations", "r1", **tester)  # its prompts are known to the store
    progress.record_reflection("tester", "foundations", "r1", "mine")
    progress.record_choice("tester", "foundations-2", 1, True)
    progress.record_answer("tester", "wb80", "Recovery is a process of change.")
    table = widgets.ProgressPanel(**tester).table().set_index("Module")
    ethics, foundations = table.loc["E. Ethics and boundaries"], table.loc["F. Foundations"]
    assert (ethics["Before"], ethics["After"], ethics["Complete"]) == (2, 4, "✓ yes")
    counts = ["Practice questions answered", "Scenarios done", "Reflections"]
    assert foundations[counts].tolist() == [1, 1, 1] and foundations["Complete"] == "not yet"
    assert "Module F" in widgets.ModuleComplete("foundations", **tester).module


def test_workbook_module_practice_question_and_scenario(progress, tester):
    question = widgets.PracticeQuestion("wb87", **tester)
    question.answer.value = bank.question("wb87")["example_answer"]
    question.get_feedback.click()
    assert progress.answers("tester")["question_id"].tolist() == ["wb87"]
    scenario = widgets.Scenario("ethics-3", **tester)
    assert len(scenario.scenario.choices) == 4
    assert scenario.scenario == exercises.scenario("ethics-3")


# --- ChooseLearner and SaveAndRestore (the start notebook) -----------------------------------


def test_choose_learner_sets_the_learner(progress):
    chooser = widgets.ChooseLearner(store=progress)
    assert chooser.name.description == "Your name"
    chooser.save.click()
    assert "Type your name" in chooser.status.value

    chooser.name.value = "  Alex R.  "
    chooser.save.click()
    assert current_learner(progress) == "Alex R."
    assert "You are working as “Alex R.”" in chooser.status.value

    again = widgets.ChooseLearner(store=progress)
    assert again.name.value == "Alex R."
    assert "You are working as “Alex R.”" in again.status.value


def test_choose_learner_on_a_hub_shows_the_hub_user(progress, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "jo<b>")
    chooser = widgets.ChooseLearner(store=progress)
    assert "You are signed in as <strong>jo&lt;b&gt;</strong>" in shown(chooser)
    assert chooser.name not in chooser.children


def _download(view) -> tuple[str, dict]:
    """The download name and the decoded export of a SaveAndRestore link."""
    link = view.link.value
    name = re.search(r'<a class="peerlib-download" download="([^"]+)"', link).group(1)
    encoded = re.search(r'href="data:application/json;base64,([^"]+)"', link).group(1)
    return name, json.loads(base64.b64decode(encoded))


def test_download_link_holds_the_export_with_text_only_on_request(progress, tester):
    progress.record_rating("tester", "crisis", "before", 3)
    progress.record_answer("tester", CRISIS_QUESTION, "my private answer")
    view = widgets.SaveAndRestore(**tester)

    name, data = _download(view)
    assert name == "peer-progress-tester.json"
    assert data["format"] == "peerlib-progress" and data["learner"]["learner_id"] == "tester"
    assert [r["value"] for r in data["ratings"]] == [3]
    assert data["include_text"] is False and "text" not in data["answers"][0]
    assert "no text you wrote" in view.link.value
    assert f"Download {name}</a>" in view.link.value and "fa-download" in view.link.value

    view.include_text.value = True
    _, data = _download(view)
    assert data["include_text"] is True
    assert data["answers"][0]["text"] == "my private answer"

    progress.record_rating("tester", "crisis", "after", 5)
    view.update_link.click()
    assert len(_download(view)[1]["ratings"]) == 2


def test_download_link_file_name_is_safe(progress):
    set_learner('Sam "S" / O\'Neil', progress)
    name, data = _download(widgets.SaveAndRestore(store=progress))
    assert re.fullmatch(r"peer-progress-[\w.-]+\.json", name)
    assert data["learner"]["learner_id"] == 'Sam "S" / O\'Neil'


def test_restore_from_an_uploaded_file(progress, tmp_path):
    with ProgressStore(f"sqlite:///{tmp_path}/other.sqlite") as other:
        other.record_rating("alex", "crisis", "before", 2)
        other.record_choice("alex", "crisis-1", 1, True)
        content = other.export_json("alex").encode("utf-8")

    view = widgets.SaveAndRestore(store=progress)  # a fresh Binder session: no name chosen yet
    assert "choose your name first" in view.link.value and "<a " not in view.link.value
    view.upload.value = upload_value("peer-progress-alex.json", content)

    assert progress.ratings("alex")["value"].tolist() == [2]
    assert len(progress.choices("alex")) == 1
    assert "Restored peer-progress-alex.json for “alex”: added 1 ratings" in view.status.value
    assert "You are now working as “alex”" in view.status.value
    assert current_learner(progress) == "alex"
    assert view.upload.value == ()  # cleared, so the same file can be chosen again
    assert _download(view)[1]["learner"]["learner_id"] == "alex"

    view.restore(upload_value("peer-progress-alex.json", content))
    assert "added 0 ratings" in view.status.value
    assert len(progress.ratings("alex")) == 1


def test_restore_into_another_learner_says_so(progress, tester, tmp_path):
    with ProgressStore(f"sqlite:///{tmp_path}/other.sqlite") as other:
        other.record_rating("alex", "crisis", "before", 2)
        content = other.export_json("alex").encode("utf-8")
    view = widgets.SaveAndRestore(**tester)
    view.restore(upload_value("alex.json", content))
    assert "you are working as “tester”" in view.status.value
    assert len(progress.ratings("alex")) == 1


def test_a_truncated_upload_shows_the_error_and_changes_nothing(progress, tester):
    progress.record_rating("tester", "crisis", "before", 3)
    content = progress.export_json("tester", include_text=True).encode("utf-8")
    view = widgets.SaveAndRestore(**tester)
    link = view.link.value

    view.restore(upload_value("peer-progress-tester.json", content[: len(content) // 2]))

    assert "⚠" in view.status.value
    assert "not valid JSON" in view.status.value and "nothing was imported" in view.status.value
    assert "Traceback" not in view.status.value
    assert len(progress.ratings()) == 1
    assert view.link.value == link


# --- accessibility ---------------------------------------------------------------------------


def test_every_control_is_described(progress, tester):
    views = [
        widgets.SelfRating("crisis", **tester),
        widgets.PracticeQuestion(CRISIS_QUESTION, **tester),
        widgets.Scenario("crisis-1", **tester),
        widgets.Reflection("crisis", "r1", **tester),
        widgets.MockInterview(**tester),
        widgets.ProgressPanel(**tester),
        widgets.ModuleComplete("crisis", **tester),
        widgets.ChooseLearner(store=progress),
        widgets.SaveAndRestore(**tester),
    ]

    def controls(widget):
        if isinstance(widget, (ipywidgets.Button, ipywidgets.FileUpload)):
            assert widget.description and widget.tooltip, widget
        elif isinstance(widget, ipywidgets.ValueWidget) and not isinstance(
            widget, (ipywidgets.HTML, ipywidgets.Label)
        ):
            assert widget.description, widget
        for child in getattr(widget, "children", ()):
            controls(child)

    for view in views:
        controls(view)


# --- layout: how the views look is checked in the browser (tests/test_app.py, reads_like_text)


def test_the_restore_button_says_what_it_does(tester):
    backup = widgets.SaveAndRestore(**tester)
    assert backup.upload.description == "Restore from file"
    assert backup.upload.accept == ".json" and not backup.upload.multiple


# --- ordinary clicks: double clicks, statuses that follow the state ---------------------------


def test_self_rating_double_click_saves_once_and_status_follows_the_choice(progress, tester):
    rating = widgets.SelfRating("engage", phase="before", **tester)
    rating.rating.value = 3
    rating.save.click()
    rating.save.click()  # the same click twice
    assert progress.ratings("tester", "engage", "before")["value"].tolist() == [3]
    assert "Saved: 3" in rating.status.value
    rating.rating.value = 5  # not saved yet: the status must not still say "Saved: 3"
    assert "You chose 5" in rating.status.value and "click Save" in rating.status.value
    rating.save.click()  # a new value soon after is a real click
    assert progress.ratings("tester", "engage", "before")["value"].tolist() == [3, 5]
    assert "Saved: 5" in rating.status.value


def test_practice_question_clears_old_feedback_when_the_answer_is_cleared(progress, tester):
    question = widgets.PracticeQuestion(CRISIS_QUESTION, **tester)
    question.answer.value = STRONG_ANSWER
    question.get_feedback.click()
    assert question.feedback.value
    question.answer.value = ""
    question.get_feedback.click()
    assert question.feedback.value == ""
    assert "Write your answer in the box first" in question.status.value
    assert len(progress.answers("tester")) == 1


def test_saving_a_name_updates_the_download_link(progress):
    saver = widgets.SaveAndRestore(store=progress)
    assert "choose your name first" in saver.link.value
    chooser = widgets.ChooseLearner(store=progress)
    chooser.name.value = "Robin"
    chooser.save.click()
    assert "peer-progress-Robin.json" in saver.link.value


def test_a_restore_shows_the_restored_name_in_the_name_box(progress, tmp_path):
    other = ProgressStore(f"sqlite:///{tmp_path}/other.sqlite")
    other.record_rating("Sam", "engage", "before", 2)
    content = other.export_json("Sam").encode("utf-8")
    other.close()
    chooser = widgets.ChooseLearner(store=progress)
    saver = widgets.SaveAndRestore(store=progress)
    assert chooser.name.value == ""
    saver.upload.value = upload_value("peer-progress-Sam.json", content)
    assert "You are now working as “Sam”" in saver.status.value
    assert chooser.name.value == "Sam"
    assert "You are working as “Sam”" in chooser.status.value
    assert "peer-progress-Sam.json" in saver.link.value


def test_importing_the_widgets_does_not_load_the_database_layer():
    """A notebook starts without SQLAlchemy; a store loads it when a view first needs it."""
    import subprocess
    import sys

    code = "import sys, peerlib, peerlib.widgets; print('sqlalchemy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
