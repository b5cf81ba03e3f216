"""The exercises of a module: self-rating, practice question, scenario, reflection, completion.

Each view imports the content it shows (the bank, the exercise files, the feedback) when it is
first built, so ``import peerlib.widgets`` stays light and a page loads only what it shows.
"""

from __future__ import annotations

import ipywidgets as widgets

from ..errors import ContentError, ProgressError, UnknownIdError
from ..exportfile import MAX_SUMMARY, RATING_LABELS
from ._common import (
    View,
    button,
    esc,
    friendly,
    hbox,
    html,
    last_saved,
    now,
    once,
    paragraphs,
    show,
    text_area,
    when,
)

LOWEST, HIGHEST = min(RATING_LABELS), max(RATING_LABELS)
# "1 (Not yet) to 5 (Could teach it)"
SCALE = f"{LOWEST} ({RATING_LABELS[LOWEST]}) to {HIGHEST} ({RATING_LABELS[HIGHEST]})"
PHASE_TEXT = {
    "before": "before the module",
    "after": "after the module",
    "checkin": "at a check-in",
}
LETTERS = "ABCD"


class SelfRating(View):
    """Confidence in one module (a SAMHSA competency or a workbook module), 1–5 with labelled
    anchors; saved with a confirmation."""

    def __init__(self, competency_id: str, phase: str = "before", *, store=None, learner_id=None):
        super().__init__(store=store, learner_id=learner_id)
        if phase not in PHASE_TEXT:
            raise ProgressError(f"unknown phase {phase!r}; allowed: {', '.join(PHASE_TEXT)}")
        from .. import curriculum

        competency = curriculum.module(competency_id)
        self.competency_id, self.phase = competency_id, phase
        self.rating = widgets.ToggleButtons(
            options=[(f"{value} {label}", value) for value, label in RATING_LABELS.items()],
            value=None,
            description="Confidence",
            tooltips=[f"{value} of {HIGHEST}: {label}" for value, label in RATING_LABELS.items()],
            style={"button_width": "auto", "description_width": "initial"},
        )
        self.save = button("Save", "Save your confidence rating", self._save, icon="check")
        question = html(
            f"<p><strong>How confident do you feel about “{esc(competency['title'])}”, "
            f"{PHASE_TEXT[phase]}?</strong> Choose from {esc(SCALE)}.</p>"
        )
        self._show(question, self.rating, self.save)
        self._saved, self._saved_text = None, ""
        self._restore()
        self.rating.observe(self._changed, "value")

    def _said(self, value: int, moment, date: bool = True) -> str:
        label = RATING_LABELS[value]
        return f"{value} — {label}, {PHASE_TEXT[self.phase]} ({when(moment, date)})"

    @friendly
    def _restore(self):
        ratings = self.store.ratings(self.learner(), self.competency_id, self.phase)
        last = last_saved(ratings)
        if last is not None:
            self.rating.value = self._saved = int(last["value"])
            self.status.info(
                f"Your last saved rating: {self._said(int(last['value']), last['recorded_at'])}. "
                "Choose again and click Save to update it."
            )
            self._saved_text = self.status.value

    def _changed(self, change) -> None:
        """Say that a new choice is not saved yet (the status must not claim it is)."""
        if change["new"] is not None and change["new"] != self._saved:
            self.status.info(
                f"You chose {change['new']} — {RATING_LABELS[change['new']]}: click Save to keep it."
            )
        elif change["new"] is not None and self._saved_text:
            self.status.value = self._saved_text

    @friendly
    @once("save", lambda view: view.rating.value)
    def _save(self, _button=None):
        value = self.rating.value
        if value not in RATING_LABELS:
            self.status.warn(f"Choose a rating from {SCALE} first.")
            return
        self.store.record_rating(self.learner(), self.competency_id, self.phase, value)
        self.status.ok(f"Saved: {self._said(value, now(), date=False)}")
        self._saved, self._saved_text = value, self.status.value


class PracticeQuestion(View):
    """A bank question to practise: write an answer, get instant private feedback, see an example."""

    def __init__(self, question_id: str, *, store=None, learner_id=None):
        super().__init__(store=store, learner_id=learner_id)
        from .. import bank

        entry = bank.question(question_id)
        self.question_id = question_id
        why = str(entry["why_asked"] or "").strip()
        header = html(
            f"<p><strong>{esc(entry['question'])}</strong></p>"
            + (f"<p><em>Why it is asked:</em> {esc(why)}</p>" if why else "")
        )
        self.answer = text_area("Your answer", "Write your answer as you would say it…")
        self.get_feedback = button(
            "Get feedback", "Check your answer against the talking points and save it", self._check
        )
        self.toggle_example = button(
            "Show example answer", "Show or hide the example answer", self._toggle
        )
        self.toggle_example.disabled = not entry["example_answer"].strip()
        self.feedback = html()
        self.example = html(self._example_html(entry))
        show(self.example, False)
        buttons = hbox(self.get_feedback, self.toggle_example)
        self._show(header, self.answer, buttons, self.status, self.feedback, self.example)
        self._restore()

    @staticmethod
    def _example_html(entry) -> str:
        """The example answer, and under it what it misses (when the bank says so)."""
        from ..bank import WORKBOOK_SOURCE

        if entry["source"] == WORKBOOK_SOURCE:
            title = "Model answer, written for this workbook:"
        elif entry["source"]:
            title = f"Example answer from “{esc(entry['source'])}”:"
        else:
            title = "Example answer:"
        misses = str(entry.get("example_misses") or "").strip()
        note = (
            '<p style="border-left: 3px solid var(--jp-warn-color1, #f57c00); '
            'padding-left: 0.6em"><strong>What this example misses:</strong> '
            f"{esc(misses)}</p>"
            if misses
            else ""
        )
        return f"<p><em>{title}</em></p>{paragraphs(entry['example_answer'])}{note}"

    @friendly
    def _restore(self):
        last = last_saved(self.store.answers(self.learner(), self.question_id), "text")
        if last is not None:
            self.answer.value = last["text"]
            if last["text"].strip():  # its feedback again (computed, not saved a second time)
                from ..feedback import analyze_answer

                self.feedback.value = analyze_answer(self.question_id, last["text"]).to_html()
            self.status.info(
                f"Restored your answer from {when(last['recorded_at'])} and its feedback."
            )

    @friendly
    @once("get_feedback", lambda view: view.answer.value)
    def _check(self, _button=None):
        text = self.answer.value
        if not text.strip():
            self.feedback.value = ""  # feedback on an answer that is no longer there
            self.status.info("Write your answer in the box first, then click “Get feedback”.")
            return
        from ..feedback import analyze_answer

        result = analyze_answer(self.question_id, text)
        self.feedback.value = result.to_html()
        summary = result.summary()[:MAX_SUMMARY]
        self.store.record_answer(self.learner(), self.question_id, text, summary)
        self.status.ok(f"Saved your answer and its feedback ({when(now(), date=False)}).")

    def _toggle(self, _button=None):
        visible = self.example.layout.display == "none"
        show(self.example, visible)
        self.toggle_example.description = f"{'Hide' if visible else 'Show'} example answer"


class Scenario(View):
    """A situation with 3–4 possible next steps; feedback on the choice (and on every choice)."""

    def __init__(self, exercise_id: str, *, store=None, learner_id=None):
        super().__init__(store=store, learner_id=learner_id)
        from .. import exercises

        try:
            self.scenario = item = exercises.scenario(exercise_id)
        except ContentError as problem:
            self._unavailable(problem)
            return
        options = "".join(
            f"<li><strong>{LETTERS[i]}.</strong> {esc(c.text)}</li>"
            for i, c in enumerate(item.choices)
        )
        header = html(
            f"<p><strong>{esc(item.title)}</strong></p>{paragraphs(item.situation)}"
            f'<p><strong>{esc(item.prompt)}</strong></p><ul style="list-style: none">{options}</ul>'
        )
        self.choice = widgets.RadioButtons(
            options=[(LETTERS[i], i) for i in range(len(item.choices))],
            value=None,
            description="Your choice",
            orientation="horizontal",
            style={"description_width": "initial"},
        )
        self.check = button(
            "Check my choice", "See feedback on your choice and save it", self._check
        )
        self.show_all = button(
            "Show all feedback", "Why each option is or is not the best next step", self._show_all
        )
        show(self.show_all, False)
        self.feedback = html()
        self.all_feedback = html()
        buttons = hbox(self.check, self.show_all)
        self._show(header, self.choice, buttons, self.status, self.feedback, self.all_feedback)
        self._restore()

    def _verdict(self, index: int) -> str:
        choice = self.scenario.choices[index]
        verdict = "✓ The best next step" if choice.best else "✗ Not the best next step"
        return (
            f"<p><strong>{LETTERS[index]}. {verdict}:</strong> {esc(choice.text)}</p>"
            f"<p>{esc(choice.feedback)}</p>"
        )

    def _reveal(self, index: int) -> None:
        self.feedback.value = self._verdict(index)
        show(self.show_all, not self.all_feedback.value)

    @friendly
    def _restore(self):
        last = last_saved(self.store.choices(self.learner(), self.scenario.exercise_id))
        if last is not None and int(last["choice"]) < len(self.scenario.choices):
            self.choice.value = index = int(last["choice"])
            self._reveal(index)
            self.status.info(
                f"Restored your last choice ({LETTERS[index]}) from {when(last['recorded_at'])}."
            )

    @friendly
    @once("check", lambda view: view.choice.value)
    def _check(self, _button=None):
        index = self.choice.value
        if index is None:
            letters = ", ".join(LETTERS[: len(self.scenario.choices)])
            self.status.info(f"Choose one of {letters} first, then click “Check my choice”.")
            return
        self._reveal(index)
        is_best = index == self.scenario.best_index
        self.store.record_choice(self.learner(), self.scenario.exercise_id, index, is_best)
        self.status.ok(f"Saved your choice ({when(now(), date=False)}).")

    def _show_all(self, _button=None):
        count = len(self.scenario.choices)
        self.all_feedback.value = "<hr>" + "".join(self._verdict(i) for i in range(count))
        show(self.show_all, False)


class Reflection(View):
    """A private journal box for one of a module's reflection prompts."""

    def __init__(self, competency_id: str, prompt_id: str, *, store=None, learner_id=None):
        super().__init__(store=store, learner_id=learner_id)
        from .. import exercises

        try:
            prompts = exercises.load_module(competency_id).reflections
        except ContentError as problem:
            self._unavailable(problem)
            return
        if prompt_id not in prompts:
            raise UnknownIdError(
                f"Unknown reflection prompt {prompt_id!r} for {competency_id!r}; "
                f"the module has: {', '.join(prompts)}."
            )
        self.competency_id, self.prompt_id = competency_id, prompt_id
        header = html(
            f"<p><strong>Reflection (private)</strong></p>{paragraphs(prompts[prompt_id])}"
        )
        self.text = text_area("Your reflection", "Write for yourself; this stays private…", rows=8)
        self.save = button("Save", "Save your reflection privately", self._save, icon="lock")
        self._show(header, self.text, self.save)
        self._restore()

    @friendly
    def _restore(self):
        found = self.store.reflections(self.learner(), self.competency_id, self.prompt_id)
        last = last_saved(found, "text")
        if last is not None:
            self.text.value = last["text"]
            self.status.info(f"Restored your reflection from {when(last['recorded_at'])}.")

    @friendly
    @once("save", lambda view: view.text.value)
    def _save(self, _button=None):
        if not self.text.value.strip():
            self.status.info("Write your reflection in the box first, then click Save.")
            return
        learner = self.learner()
        self.store.record_reflection(learner, self.competency_id, self.prompt_id, self.text.value)
        self.status.ok(
            "Saved privately — only exported if you choose to include text "
            f"({when(now(), date=False)})."
        )


class ModuleComplete(View):
    """A button that marks a module complete (SAMHSA's or the workbook's own), and says so."""

    def __init__(self, competency_id: str, *, store=None, learner_id=None):
        super().__init__(store=store, learner_id=learner_id)
        from .. import curriculum

        entry = curriculum.module(competency_id)
        self.competency_id = competency_id
        self.module = f"{entry['label']} — {entry['short']}"
        self.done = button(
            f"Mark module {entry['tag']} complete",
            f"Record that you have finished module {entry['tag']}: {entry['title']}",
            self._mark,
            icon="flag-checkered",
        )
        self._show(self.done)
        self._restore()

    @friendly
    def _restore(self):
        last = last_saved(self.store.completions(self.learner(), self.competency_id))
        if last is not None:
            self.status.ok(f"{self.module}: marked complete on {when(last['recorded_at'])}.")

    @friendly
    @once("done")
    def _mark(self, _button=None):
        self.store.mark_complete(self.learner(), self.competency_id)
        self.status.ok(f"{self.module}: marked complete ({when(now(), date=False)}). Well done!")
