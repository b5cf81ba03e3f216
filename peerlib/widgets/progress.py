"""The learner's own progress: who is learning, a progress table, save/restore by file, and
sending it to the trainer on a course hub.

The content, the feedback and the course-hub client are imported when a view first needs them
(see practice.py).
"""

from __future__ import annotations

import base64
import json
import os
import re

import ipywidgets as widgets
import pandas as pd

from ..errors import NoLearnerError
from ..learner import set_learner
from ._common import (
    FIT,
    UPLOAD_LABEL,
    View,
    button,
    esc,
    friendly,
    hbox,
    html,
    learner_changed,
    now,
    once,
    when,
)
from .interview import is_mock

PROGRESS_COLUMNS = [
    "Module",
    "Before",
    "After",
    "Practice questions answered",
    "Scenarios done",
    "Reflections",
    "Complete",
]
NUMBERS = tuple(PROGRESS_COLUMNS[1:6])
REVISIT_COLUMNS = ["Question", "Check this"]


class ProgressPanel(View):
    """A compact table of what the learner has done in each module (SAMHSA's twelve and the
    workbook's own)."""

    def __init__(self, *, store=None, learner_id=None):
        super().__init__(store=store, learner_id=learner_id)
        self.table_html = html()
        self.refresh = button("Refresh", "Show your latest progress", self._refresh, icon="refresh")
        self._show(self.table_html, self.refresh)
        self._refresh()

    def table(self) -> pd.DataFrame:
        """One row per module: latest ratings before/after, what was done, whether complete."""
        from .. import curriculum, exercises

        learner, store = self.learner(), self.store
        ratings = {
            (r.competency_id, r.phase): r.value for r in store.latest_ratings(learner).itertuples()
        }
        answers = store.answers(learner)
        # a mock interview's answers are not a module's practice
        practice = answers[~answers["feedback_summary"].map(is_mock).astype(bool)]
        answered = set(practice["question_id"])
        tried = store.choices(learner)["exercise_id"].unique()
        reflections = store.reflections(learner).drop_duplicates(["competency_id", "prompt_id"])
        done = set(store.completions(learner)["competency_id"])
        # a module whose exercise file is missing or left out has no practice questions yet
        practiced = {cid: m.practice_questions for cid, m in exercises.load_modules().items()}
        rows = []
        for module in curriculum.load_modules().itertuples():
            cid = module.competency_id
            rows.append(
                [
                    f"{module.tag}. {module.short}",
                    ratings.get((cid, "before"), "—"),
                    ratings.get((cid, "after"), "—"),
                    # only the module's own practice questions (a question can be tagged with
                    # several competencies but is practiced in one module)
                    len(answered.intersection(practiced.get(cid, ()))),
                    # exercise ids are '<competency_id>-<n>' (checked by the exercise validator)
                    sum(eid.rsplit("-", 1)[0] == cid for eid in tried),
                    int((reflections["competency_id"] == cid).sum()),
                    "✓ yes" if cid in done else "not yet",
                ]
            )
        return pd.DataFrame(rows, columns=PROGRESS_COLUMNS)

    def to_revisit(self) -> pd.DataFrame:
        """Your latest practice answers whose feedback raised a concern or a second look."""
        answers = self.store.answers(self.learner())
        latest = answers.drop_duplicates("question_id", keep="last")
        from .. import bank
        from ..feedback import analyze_answer

        known = bank.question_ids()
        rows = [
            {"Question": row.question_id, "Check this": label}
            for row in latest.itertuples()
            if row.question_id in known and isinstance(row.text, str) and row.text.strip()
            for label in analyze_answer(row.question_id, row.text).to_check
        ]
        return pd.DataFrame(rows, columns=REVISIT_COLUMNS)

    @friendly
    def _refresh(self, _button=None):
        from ..pages import html_table

        table = self.table()
        caption = "Your progress in each module (ratings: your latest, from 1 to 5)"
        self.table_html.value = html_table(table, caption, numeric=NUMBERS, nowrap=("Module",))
        revisit = self.to_revisit()
        if not revisit.empty:
            self.table_html.value += html_table(
                revisit, "Practice answers to look at again: the feedback raised a concern"
            )
        complete = (table["Complete"] != "not yet").sum()
        self.status.info(
            f"{complete} of {len(table)} modules complete (updated {when(now(), date=False)})."
        )


class ChooseLearner(View):
    """Choose the name progress is saved under; on a JupyterHub the hub user is used."""

    def __init__(self, *, store=None):
        super().__init__(store=store)
        hub_user = os.environ.get("JUPYTERHUB_USER", "").strip()
        self.name = widgets.Text(
            description="Your name",
            placeholder="Your name or a nickname",
            tooltip="Your progress is saved under this name on this computer",
            style={"description_width": "initial"},
        )
        self.save = button("Save", "Save your progress under this name", self._save, icon="user")
        if hub_user:
            signed_in = html(
                f"<p>You are signed in as <strong>{esc(hub_user)}</strong>. Your progress is "
                "saved under this name automatically.</p>"
            )
            self._show(signed_in)
            return
        self._show(hbox(self.name, self.save))
        self._restore()
        self.watch_learner()

    def on_learner_changed(self) -> None:
        self._restore()  # e.g. a progress file restored below chose the learner

    @friendly
    def _restore(self):
        try:
            current = self.learner()
        except NoLearnerError:
            self.status.info("Type your name (or a nickname) and click Save.")
            return
        self.name.value = current
        self.status.info(f"You are working as “{current}”. To switch, type another name and Save.")

    @friendly
    @once("save", lambda view: view.name.value)
    def _save(self, _button=None):
        if not self.name.value.strip():
            self.status.warn("Type your name (or a nickname) first, then click Save.")
            return
        learner_id = set_learner(self.name.value, self.store)
        learner_changed()  # the download link (and any other name box) show the new name
        self.name.value = learner_id
        self.status.ok(
            f"Saved. You are working as “{learner_id}”: your progress on every page is "
            "saved under this name."
        )


class SaveAndRestore(View):
    """Download the learner's progress as a file, and restore it from one (e.g. on Binder).

    On a hub with the course service configured it also offers "Send to my trainer", with the
    same text opt-in as the download, and shows when the learner last sent.
    """

    def __init__(self, *, store=None, learner_id=None):
        super().__init__(store=store, learner_id=learner_id)
        self.include_text = widgets.Checkbox(
            False,
            description="Include my answer and reflection text",
            tooltip="Your own words are personal: include them only if you want them in the file",
            indent=False,
        )
        self.link = html()
        self.update_link = button(
            "Update link", "Rebuild the link with everything saved so far", self._make_link
        )
        self.upload = widgets.FileUpload(
            accept=".json",
            multiple=False,
            description=UPLOAD_LABEL,  # shown without FileUpload's "(0)" count (see STYLE)
            icon="upload",
            tooltip="Choose a peer-progress-….json file you downloaded earlier",
            layout=widgets.Layout(width=FIT),
        )
        self.upload.add_class("peerlib-upload")
        self.include_text.observe(self._make_link, "value")
        self.upload.observe(self._uploaded, "value")
        parts = [
            html("<p><strong>Save your progress to a file</strong></p>"),
            self.include_text,
            hbox(self.link, self.update_link),
        ]
        self.send = self.erase = self.sent = None
        self._sent_copy = None  # what was last sent from here (to send nothing twice)
        from .. import hub

        if hub.configured():
            self.send = button(
                "Send to my trainer",
                "Send your progress to your trainer through the course hub",
                self._send_to_trainer,
                icon="paper-plane",
            )
            self.erase = button(
                "Erase what I sent",
                "Remove everything you sent from the course hub (your own copy stays)",
                self._erase_sent,
                icon="trash",
            )
            self.sent = html()
            parts += [
                html(
                    "<p><strong>Send your progress to your trainer</strong> (through the "
                    "course hub; your text goes only if the box above is ticked)</p>"
                ),
                hbox(self.send, self.erase),
                self.sent,
            ]
        parts += [html("<p><strong>Restore your progress from a file</strong></p>"), self.upload]
        self._show(*parts)
        self._make_link()
        if self.sent is not None:
            self._show_sent()
        self.watch_learner()

    def on_learner_changed(self) -> None:
        self._make_link()

    @friendly
    def _show_sent(self):
        from .. import hub

        mine = hub.CourseClient().mine() or {}
        self._show_sent_as(mine.get("received_at"), mine.get("include_text"))

    def _show_sent_as(self, received_at, include_text) -> None:
        if received_at is None:
            self.sent.value = "<p>Not sent to your trainer yet.</p>"
            return
        texts = "with your text" if include_text else "without your text"
        self.sent.value = (
            f"<p>Last sent to your trainer: {esc(when(received_at))} ({esc(texts)}).</p>"
        )

    @friendly
    def _send_to_trainer(self, _button=None):
        if self.send.disabled:  # a send is under way: a second click adds nothing
            return
        learner = self.store.ensure_learner(self.learner())
        content = self.store.export_json(learner, include_text=self.include_text.value)
        copy = json.loads(content)
        copy.pop("exported_at")
        if copy == self._sent_copy:
            self.status.info("Nothing new since you last sent your progress: nothing sent.")
            return
        from .. import hub

        self.send.disabled = True
        try:
            sent = hub.CourseClient().push(content)
        finally:
            self.send.disabled = False
        self._sent_copy = copy
        self._show_sent_as(sent["received_at"], sent["include_text"])
        texts = "with" if sent["include_text"] else "without"
        self.status.ok(f"Sent to your trainer ({texts} your answer and reflection text).")

    @friendly
    def _erase_sent(self, _button=None):
        from .. import hub

        erased = hub.CourseClient().erase()
        self._sent_copy = None
        self._show_sent_as(None, None)
        self.status.ok(
            "Erased everything you had sent to your trainer's course hub."
            if erased
            else "There was nothing to erase: you had not sent anything."
        )

    @friendly
    def _make_link(self, _change=None):
        try:
            learner = self.store.ensure_learner(self.learner())
        except NoLearnerError:
            self.link.value = (
                "<p>No download yet: choose your name first (or restore from a file below), "
                "then click “Update link”.</p>"
            )
            return
        content = self.store.export_json(learner, include_text=self.include_text.value)
        encoded = base64.b64encode(content.encode("utf-8")).decode("ascii")
        name = "peer-progress-{}.json".format(re.sub(r"[^\w.-]+", "-", learner))
        what = (
            "with your answer and reflection text"
            if self.include_text.value
            else "ratings, choices and dates only: no text you wrote"
        )
        self.link.value = (
            f'<p><a class="peerlib-download" download="{esc(name)}" '
            f'href="data:application/json;base64,{encoded}">'
            f'<i class="fa fa-download" aria-hidden="true"></i> Download {esc(name)}</a> '
            f"({what}; as of {when(now(), date=False)})</p>"
        )

    def _uploaded(self, change):
        if change["new"]:
            self.restore(change["new"])
            self.upload.value = ()  # lets the same file be chosen again

    @friendly
    def restore(self, uploaded) -> None:
        """Import an uploaded export (``FileUpload.value``); says what was added."""
        if not uploaded:
            return
        from ..store import KINDS

        item = uploaded[0]
        added = self.store.import_learner(bytes(item["content"]), name=item["name"])
        learner_id = added["learner_id"]
        counts = ", ".join(f"{added[kind.name]} {kind.name}" for kind in KINDS)
        message = f"Restored {item['name']} for “{learner_id}”: added {counts}."
        try:
            current = self.learner()
        except NoLearnerError:
            current = set_learner(learner_id, self.store)
            message += f" You are now working as “{current}”."
            learner_changed()  # the name box shows the restored name
        if current != learner_id:
            message += (
                f" Note: you are working as “{current}”, so this file's records were added "
                f"under “{learner_id}”, not under your name."
            )
        self.status.ok(message)
        self._make_link()
