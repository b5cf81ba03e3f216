"""A timed mock interview, also usable by an instructor as a question picker.

The question bank and the feedback are imported when a view first needs them (see practice.py).
"""

from __future__ import annotations

import math
import random
import re
import threading
import time

import ipywidgets as widgets
import pandas as pd

from ..errors import BankFormatError
from ..exportfile import MAX_SUMMARY
from ._common import FIT as FIT_TIMER
from ._common import View, button, esc, friendly, hbox, html, once, show, text_area, when

QUESTION_COLUMNS = ["question_id", "question", "why_asked", "kind", "competencies"]

# A mock interview's answers are saved with a feedback summary that starts with this marker and
# the interview's start time ("Mock interview 2026-12-01T22:43:05Z: 3 of 5 points…"): progress
# counts keep them apart from a module's practice answers, and a reopened interview finds the
# answers of the last one.
MOCK_MARKER = "Mock interview "
_MOCK = re.compile(r"^Mock interview (\S+): ")


def is_mock(summary) -> bool:
    """Whether an answer's feedback summary marks it as a mock interview answer."""
    return isinstance(summary, str) and bool(_MOCK.match(summary))


# The timer choices (WCAG 2.2.1: a time limit the learner can turn off or lengthen).
TIMER_OFF = 0


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


def _draw(pool: pd.DataFrame, n: int, rng: random.Random) -> pd.DataFrame:
    return pool.iloc[rng.sample(range(len(pool)), n)].reset_index(drop=True)


def _pool(competencies) -> pd.DataFrame:
    """The bank's questions tagged with any of ``competencies`` (all, if none are given)."""
    if isinstance(competencies, str):
        competencies = [competencies]
    competencies = list(competencies or [])
    from .. import bank

    questions = bank.load_bank()
    for competency_id in competencies:
        bank.competency(competency_id)  # an unknown id: a clear error
    if competencies:
        tagged = questions["competencies"].map(lambda tags: any(c in tags for c in competencies))
        questions = questions[tagged]
    if questions.empty:
        raise BankFormatError(f"No questions in the bank are tagged with {competencies}.")
    return questions.reset_index(drop=True)


class QuestionPicker(widgets.VBox):
    """For instructors: ``n`` bank questions drawn from ``competencies``, each with the talking
    points an observer listens for. The same ``seed`` always draws the same questions."""

    def __init__(self, competencies=None, n: int = 3, seed=None):
        super().__init__(layout=widgets.Layout(width="100%", max_width="52rem"))
        self.add_class("peerlib-view")
        self.pool = _pool(competencies)
        self.n = min(n, len(self.pool))
        self._rng = random.Random(seed)
        self.question_list = html()
        self.draw_again = button("Draw again", "Draw a new set of questions", self._draw_again)
        self.children = (self.question_list, self.draw_again)
        self._draw_again()

    def _draw_again(self, _button=None) -> None:
        self._drawn = _draw(self.pool, self.n, self._rng)
        items = []
        for row in self._drawn.itertuples():
            points = "".join(
                f"<li>{esc(p.label)}{' <strong>(essential)</strong>' if p.required else ''}</li>"
                for p in row.talking_points
            )
            items.append(
                f"<li><p><strong>{esc(row.question)}</strong> <em>({esc(row.question_id)}, "
                f"{esc(row.kind)})</em></p><p>Talking points to listen for:</p><ul>{points}</ul></li>"
            )
        self.question_list.value = f"<ol>{''.join(items)}</ol>"

    @property
    def questions(self) -> pd.DataFrame:
        """The drawn questions."""
        return self._drawn[QUESTION_COLUMNS].copy()


class MockInterview(View):
    """A timed mock interview: ``n`` random bank questions, then feedback and a summary.

    ``competencies`` (an id or a list) limits the draw to questions tagged with them; ``seed``
    makes the draw reproducible. The time limit is soft, and the learner can lengthen the timer
    or turn it off before starting. ``questions`` is the drawn questions' DataFrame. Reopened,
    it shows the summary of the learner's last interview (from the store). For an instructor's
    question picker, see ``QuestionPicker``.
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
        if not isinstance(n, int) or n < 1 or not isinstance(seconds, int) or seconds < 1:
            raise ValueError(f"n and seconds must be whole numbers ≥ 1 (got n={n}, {seconds=})")
        self.pool = _pool(competencies)
        self.n, self.seconds = min(n, len(self.pool)), seconds
        self._rng = random.Random(seed)
        self._answers: list[dict] = []
        self._session = ""
        self.intro = html()
        self.timer = widgets.Dropdown(
            options=[
                (f"{_mmss(seconds)} per question", seconds),
                (f"{_mmss(seconds * 2)} per question", seconds * 2),
                (f"{_mmss(seconds * 4)} per question", seconds * 4),
                ("No timer", TIMER_OFF),
            ],
            value=seconds,
            description="Timer",
            tooltip="Take more time, or turn the timer off: the clock is only a guide",
            style={"description_width": "initial"},
            layout=widgets.Layout(width=FIT_TIMER),
        )
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
        buttons = hbox(self.start, self.next, self.finish, self.draw_again)
        self.clock_box = widgets.VBox([self.clock, self.clock_text])
        self.running_box = widgets.VBox([self.stage, self.clock_box, self.answer])
        self.results_box = widgets.VBox([self.summary, self.details])
        parts = (self.intro, self.timer, self.running_box, buttons)
        self._show(*parts, self.status, self.results_box)
        self._draw()
        self._restore()

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
                    "Check this": "; ".join(result.to_check) if result else "",
                    "Words": result.word_count if result else 0,
                    "Time": _mmss(item["seconds"]),
                }
            )
        return pd.DataFrame(rows, columns=RESULT_COLUMNS)

    def _draw(self) -> None:
        self._drawn = _draw(self.pool, self.n, self._rng)
        self._state, self._index, self._answers = "ready", 0, []
        self.intro.value = (
            f"<p><strong>Mock interview:</strong> {self.n} questions, about "
            f"{_mmss(self.seconds)} each. Answer as you would out loud; the clock is a guide, "
            "not a cut-off (choose a longer time, or no timer, below). Each answer is saved "
            "when you move on.</p>"
        )
        self.status.clear()
        self._render()

    @friendly
    def _restore(self):
        """Show the summary of the learner's last mock interview, from the store."""
        answers = self.store.answers(self.learner())
        if answers.empty:
            return
        sessions = answers["feedback_summary"].map(
            lambda s: _MOCK.match(s).group(1) if is_mock(s) else None
        )
        if sessions.isna().all():
            return
        last = sessions.dropna().iloc[-1]
        from .. import bank
        from ..feedback import analyze_answer

        known = bank.question_ids()
        self._answers = []
        for row in answers[sessions == last].itertuples():
            if row.question_id not in known:
                continue
            text = row.text if isinstance(row.text, str) else ""
            self._answers.append(
                {
                    "question": bank.question(row.question_id)["question"],
                    "feedback": analyze_answer(row.question_id, text) if text.strip() else None,
                    "seconds": row.seconds if row.seconds == row.seconds else 0,
                }
            )
        if not self._answers:
            return
        self._show_results()
        started = pd.Timestamp(last)
        self.status.info(
            f"Your last mock interview ({when(started)}): {len(self._answers)} answers. "
            "Click Start for a new one with the questions above, or Draw again."
        )
        self._state = "ready"
        show(self.results_box, True)

    def _render(self, _change=None) -> None:
        running = self._state == "running"
        timed = self.timer.value != TIMER_OFF
        visible = {
            self.timer: not running,
            self.start: self._state == "ready",
            self.draw_again: not running,
            self.running_box: running,
            self.clock_box: running and timed,
            self.next: running and self._index < len(self._drawn) - 1,
            self.finish: running,
            self.results_box: self._state == "done",
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
        if self.timer.value != TIMER_OFF:
            self.clock.max = self.timer.value
            self._countdown = Countdown(self.timer.value, self._tick)

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
        from ..feedback import analyze_answer

        result = analyze_answer(row["question_id"], text) if text.strip() else None
        if result is not None:
            summary = f"{MOCK_MARKER}{self._session}: {result.summary()}"[:MAX_SUMMARY]
            self.store.record_answer(self.learner(), row["question_id"], text, summary, seconds)
        self._answers.append({"question": row["question"], "feedback": result, "seconds": seconds})

    @friendly
    def _start(self, _button=None):
        self.learner()  # answers are saved as you go: a name is needed before starting
        self._session = pd.Timestamp.now(tz="UTC").strftime("%Y-%m-%dT%H:%M:%SZ")
        self._state, self._index, self._answers = "running", 0, []
        self._ask()

    @friendly
    @once("next")
    def _next(self, _button=None):
        if self._state != "running" or self._index >= len(self._drawn) - 1:
            return  # a late second click: the question it was meant for has moved on
        self._save_answer()
        self._index += 1
        self._ask()

    @friendly
    @once("finish")
    def _finish(self, _button=None):
        if self._state != "running":
            return
        self._save_answer()
        self.stop()
        self._state = "done"
        self._show_results()
        answered = sum(item["feedback"] is not None for item in self._answers)
        self.status.ok(
            f"Finished: {answered} of {len(self._answers)} answers saved. Open a question "
            "below for its feedback."
        )
        self._render()

    def _show_results(self) -> None:
        from ..pages import html_table

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
