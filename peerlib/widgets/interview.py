"""A timed mock interview, also usable by an instructor as a question picker."""

from __future__ import annotations

import math
import random
import threading
import time

import ipywidgets as widgets
import pandas as pd

from .. import bank
from ..errors import BankFormatError
from ..feedback import analyze_answer
from ..pages import html_table
from ..store import MAX_SUMMARY
from ._common import View, button, esc, friendly, hbox, html, show, text_area

QUESTION_COLUMNS = ["question_id", "question", "why_asked", "kind", "competencies"]


def _mmss(seconds: float) -> str:
    seconds = round(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"


class Countdown:
    """Calls ``tick(seconds_left)`` about once a second on a daemon thread, until 0 or stopped."""

    def __init__(self, seconds: int, tick):
        self._stopped = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(seconds, tick), name="peerlib-countdown", daemon=True
        )
        self._thread.start()

    def _run(self, seconds: int, tick) -> None:
        end = time.monotonic() + seconds
        while True:
            left = max(0, math.ceil(end - time.monotonic()))
            tick(left)
            if left == 0 or self._stopped.wait(1):
                return

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def stop(self) -> None:
        self._stopped.set()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=5)


RESULT_COLUMNS = ["#", "Question", "Points recognized", "Check this", "Words", "Time"]


def _points(result) -> str:
    """'3 of 5', 'word list: 0 of 5' or 'skipped' for one answer's feedback."""
    if result is None:
        return "skipped"
    points = f"{len(result.covered)} of {result.points}"
    return f"word list: {points}" if result.word_list else points


class MockInterview(View):
    """A timed mock interview: ``n`` random bank questions, then feedback and a summary.

    ``competencies`` (an id or a list) limits the draw to questions tagged with them; ``seed``
    makes the draw reproducible. The time limit is soft. Instructors can tick "Just show
    questions" to use it as a question picker; ``questions`` is the drawn questions' DataFrame.
    """

    def __init__(
        self,
        competencies=None,
        n: int = 5,
        seconds: int = 120,
        seed=None,
        *,
        store=None,
        learner_id=None,
    ):
        super().__init__(store=store, learner_id=learner_id)
        self._countdown = None
        if isinstance(competencies, str):
            competencies = [competencies]
        if not isinstance(n, int) or n < 1 or not isinstance(seconds, int) or seconds < 1:
            raise ValueError(f"n and seconds must be whole numbers ≥ 1 (got n={n}, {seconds=})")
        self.pool = self._pool(competencies or [])
        self.n, self.seconds = min(n, len(self.pool)), seconds
        self._rng = random.Random(seed)
        self._answers: list[dict] = []
        self.intro = html()
        self.picker = widgets.Checkbox(
            False,
            description="Just show questions (question picker)",
            tooltip="For instructors: list the drawn questions instead of running the interview",
            indent=False,
        )
        self.question_list = html()
        self.start = button(
            "Start", "Start the interview: one timed question at a time", self._start
        )
        self.next = button("Next question", "Save this answer and go on", self._next)
        self.finish = button("Finish", "Save this answer and see your feedback", self._finish)
        self.draw_again = button("Draw again", "Draw a new set of questions", self._draw_again)
        self.stage = html()
        self.answer = text_area("Your answer", "Answer as you would out loud…")
        self.clock = widgets.IntProgress(
            seconds,
            min=0,
            max=seconds,
            description="Time left",
            style={"description_width": "initial"},
        )
        self.clock_text = widgets.Label()
        self.summary = html()
        self.details = widgets.Accordion()
        self.picker.observe(self._render, "value")
        buttons = hbox(self.start, self.next, self.finish, self.draw_again)
        self.running_box = widgets.VBox([self.stage, self.clock, self.clock_text, self.answer])
        self.results_box = widgets.VBox([self.summary, self.details])
        parts = (self.intro, self.picker, self.question_list, self.running_box, buttons)
        self._show(*parts, self.status, self.results_box)
        self._draw()

    @staticmethod
    def _pool(competencies: list[str]) -> pd.DataFrame:
        questions = bank.load_bank()
        for competency_id in competencies:
            bank.competency(competency_id)  # an unknown id: a clear error
        if competencies:
            tagged = questions["competencies"].map(
                lambda tags: any(c in tags for c in competencies)
            )
            questions = questions[tagged]
        if questions.empty:
            raise BankFormatError(f"No questions in the bank are tagged with {competencies}.")
        return questions.reset_index(drop=True)

    @property
    def questions(self) -> pd.DataFrame:
        """The drawn questions, in the order they are asked."""
        return self._drawn[QUESTION_COLUMNS].copy()

    @property
    def results(self) -> pd.DataFrame:
        """One row per question asked so far: points recognized, concerns, words and time."""
        rows = []
        for number, item in enumerate(self._answers, 1):
            result = item["feedback"]
            rows.append(
                {
                    "#": number,
                    "Question": item["question"],
                    "Points recognized": _points(result),
                    "Check this": "; ".join(c.label for c in result.concerns) if result else "",
                    "Words": result.word_count if result else 0,
                    "Time": _mmss(item["seconds"]),
                }
            )
        return pd.DataFrame(rows, columns=RESULT_COLUMNS)

    def _draw(self) -> None:
        picks = self._rng.sample(range(len(self.pool)), self.n)
        self._drawn = self.pool.iloc[picks].reset_index(drop=True)
        self._state, self._index, self._answers = "ready", 0, []
        items = "".join(
            f"<li>{esc(row.question)} <em>({esc(row.question_id)})</em></li>"
            for row in self._drawn.itertuples()
        )
        self.question_list.value = f"<ol>{items}</ol>"
        self.intro.value = (
            f"<p><strong>Mock interview:</strong> {self.n} questions, about "
            f"{_mmss(self.seconds)} each. Answer as you would out loud; the clock is a guide, "
            "not a cut-off. Each answer is saved when you move on.</p>"
        )
        self.status.clear()
        self._render()

    def _render(self, _change=None) -> None:
        running, picking = self._state == "running", self.picker.value
        visible = {
            self.picker: not running,
            self.question_list: picking and not running,
            self.start: self._state == "ready" and not picking,
            self.draw_again: not running,
            self.running_box: running,
            self.next: running and self._index < len(self._drawn) - 1,
            self.finish: running,
            self.results_box: self._state == "done" and not picking,
        }
        for widget, shown in visible.items():
            show(widget, shown)

    def _ask(self) -> None:
        row = self._drawn.iloc[self._index]
        self.stage.value = (
            f"<p>Question {self._index + 1} of {len(self._drawn)}</p>"
            f"<p><strong>{esc(row['question'])}</strong></p>"
        )
        self.answer.value = ""
        self.status.clear()
        self._render()
        self.stop()
        self._started = time.monotonic()
        self._countdown = Countdown(self.seconds, self._tick)

    def _tick(self, left: int) -> None:
        self.clock.value = left
        self.clock_text.value = (
            f"{_mmss(left)} left"
            if left
            else "Time is up. Finish your thought, then click Next or Finish when ready."
        )

    def _save_answer(self) -> None:
        row = self._drawn.iloc[self._index]
        text, seconds = self.answer.value, round(time.monotonic() - self._started, 1)
        result = analyze_answer(row["question_id"], text) if text.strip() else None
        if result is not None:
            summary = result.summary()[:MAX_SUMMARY]
            self.store.record_answer(self.learner(), row["question_id"], text, summary, seconds)
        self._answers.append({"question": row["question"], "feedback": result, "seconds": seconds})

    @friendly
    def _start(self, _button=None):
        self.learner()  # answers are saved as you go: a name is needed before starting
        self._state, self._index, self._answers = "running", 0, []
        self._ask()

    @friendly
    def _next(self, _button=None):
        self._save_answer()
        self._index += 1
        self._ask()

    @friendly
    def _finish(self, _button=None):
        self._save_answer()
        self.stop()
        self._state = "done"
        results = self.results
        self.summary.value = html_table(results, "Summary", numeric=("#", "Words", "Time"))
        self.details.children = [
            html(item["feedback"].to_html() if item["feedback"] else "<p>Skipped: no answer.</p>")
            for item in self._answers
        ]
        self.details.titles = tuple(
            f"{n}. Feedback: {item['question'][:80]}" for n, item in enumerate(self._answers, 1)
        )
        self.details.selected_index = None
        answered = sum(item["feedback"] is not None for item in self._answers)
        self.status.ok(
            f"Finished: {answered} of {len(self._answers)} answers saved. Open a question "
            "below for its feedback."
        )
        self._render()

    def _draw_again(self, _button=None):
        self.stop()
        self._draw()

    def stop(self) -> None:
        """Stop the countdown (the interview itself can go on, untimed)."""
        countdown, self._countdown = getattr(self, "_countdown", None), None
        if countdown is not None:
            countdown.stop()

    def close(self) -> None:
        """Stop the countdown and close the widget."""
        self.stop()
        super().close()
