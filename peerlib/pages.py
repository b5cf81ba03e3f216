"""Blocks for the notebooks, built from the content files (no teaching text here): Markdown for a
module's objectives and facilitator notes, and small accessible HTML tables."""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd
from IPython.display import Markdown

from . import bank, curriculum, exercises
from .errors import NoLearnerError

# Inline styles, so a table looks the same in a notebook output and inside a widget (where
# JupyterLab's table styling does not reach) and needs no stylesheet.
_TABLE = (
    "border-collapse: collapse; table-layout: auto; margin: 0.5em 0; "
    "font-size: var(--jp-ui-font-size1); line-height: 1.4; color: var(--jp-ui-font-color1)"
)
_CAPTION = "caption-side: top; text-align: left; font-weight: bold; padding: 0 0 0.4em"
_CELL = "padding: 0.3em 0.8em; vertical-align: top; white-space: normal; max-width: none"
_HEAD = (
    "border-bottom: 2px solid var(--jp-border-color1); font-weight: bold; vertical-align: bottom"
)
_BODY = "border-bottom: 1px solid var(--jp-border-color2)"
_STRIPE = "background: var(--jp-layout-color2)"
# at least 24 px high: a target easy to hit, apart from the next row's (WCAG 2.5.8)
_LINK = "display: inline-block; min-height: 24px; line-height: 24px"


def _esc(value) -> str:
    return html.escape(str(value), quote=True)


def _md(text) -> str:
    """Content text for Markdown: its Markdown works, any HTML in it shows as text."""
    return html.escape(str(text), quote=False)


def html_table(frame: pd.DataFrame, caption: str, numeric=(), nowrap=(), links=None) -> str:
    """``frame`` as a small HTML table: a caption, column headers (``th scope="col"``), every
    cell escaped, text left-aligned and the ``numeric`` columns right-aligned, light borders;
    the cells of ``nowrap`` columns stay on one line. ``links`` maps a column to the (relative)
    address each of its cells links to, one per row."""
    links = links or {}

    def align(column) -> str:
        wrap = "; white-space: nowrap" if column in nowrap else ""
        return ("right" if column in numeric else "left") + wrap

    head = "".join(
        f'<th scope="col" style="{_CELL}; {_HEAD}; text-align: {align(c)}">{_esc(c)}</th>'
        for c in frame.columns
    )
    rows = []
    for number, row in enumerate(frame.itertuples(index=False)):
        cells = "".join(
            f'<td style="{_CELL}; {_BODY}; text-align: {align(c)}">{_link(v, links, c, number)}</td>'
            for c, v in zip(frame.columns, row, strict=True)
        )
        stripe = f' style="{_STRIPE}"' if number % 2 else ""
        rows.append(f"<tr{stripe}>{cells}</tr>")
    return (
        f'<table class="peerlib-table" style="{_TABLE}">'
        f'<caption style="{_CAPTION}">{_esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _link(value, links: dict, column, number: int) -> str:
    if column not in links:
        return _esc(value)
    return page_link(value, links[column][number], style=_LINK)


def page_link(text, href: str, style: str = "") -> str:
    """A link to another notebook of the workbook that opens in the same tab.

    In the app (Voila) a link in a cell's output opens a new tab unless it says otherwise; in
    JupyterLab the notebook opens in the workbench either way.
    """
    style = f' style="{_esc(style)}"' if style else ""
    return f'<a href="{_esc(href)}" target="_self"{style}>{_esc(text)}</a>'


@dataclass(frozen=True, eq=False)
class Table:
    """A table for a notebook: shows itself as ``html_table`` (text as a fallback).

    ``frame`` holds the shown values, one column per shown column.
    """

    frame: pd.DataFrame
    caption: str
    numeric: tuple[str, ...] = ()
    nowrap: tuple[str, ...] = ()
    links: dict | None = None

    def _repr_html_(self) -> str:
        return html_table(self.frame, self.caption, self.numeric, self.nowrap, self.links)

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(f"{self.caption}\n{self.frame.to_string(index=False)}")


def objectives(competency_id: str) -> Markdown:
    """The module's title, SAMHSA category number (or that it is the workbook's own module)
    and learning objectives."""
    row = curriculum.module(competency_id)
    items = "\n".join(f"- {_md(objective)}" for objective in row["objectives"])
    title = _md(row["title"])
    if row["framework"] == curriculum.SAMHSA:
        heading = f"**SAMHSA category {row['number']}: {title}**"
    else:
        heading = (
            f"**Workbook module {_md(row['tag'])}: {title}** (this workbook's own module, "
            "not one of SAMHSA's competency categories)"
        )
    return Markdown(f"{heading}\n\nBy the end of this module you will be able to:\n\n{items}")


def facilitator_notes(competency_id: str) -> Markdown:
    """The module's facilitator notes, clearly marked as being for instructors."""
    notes = exercises.load_module(competency_id).facilitator_notes
    return Markdown(f"> **For facilitators (learners can skip this)**\n\n{_md(notes)}")


COMPETENCY_COLUMNS = ["Module", "Competency (SAMHSA category)", "Questions in the bank"]


def competency_table() -> Table:
    """The twelve modules: notebook, competency (SAMHSA's category title, whole) and how many
    bank questions are tagged with it."""
    counts = bank.load_bank()["competencies"].explode().value_counts()
    competencies = bank.load_competencies()
    frame = pd.DataFrame(
        {
            COMPETENCY_COLUMNS[0]: [
                f"{n:02d}_{cid}.ipynb"
                for n, cid in zip(
                    competencies["number"], competencies["competency_id"], strict=True
                )
            ],
            COMPETENCY_COLUMNS[1]: [
                f"{n}. {title}"
                for n, title in zip(competencies["number"], competencies["title"], strict=True)
            ],
            COMPETENCY_COLUMNS[2]: (
                competencies["competency_id"].map(counts).fillna(0).astype(int).to_list()
            ),
        }
    )
    caption = "The twelve modules: one for each competency category"
    # each module's name links to its notebook (in the app, to its page)
    links = {COMPETENCY_COLUMNS[0]: list(frame[COMPETENCY_COLUMNS[0]])}
    return Table(
        frame,
        caption,
        numeric=(COMPETENCY_COLUMNS[2],),
        nowrap=(COMPETENCY_COLUMNS[0],),
        links=links,
    )


COVERAGE_COLUMNS = [
    "Framework",
    "Category or domain",
    "Questions",
    "Mainly about it",
    "Written for the workbook",
]


def coverage_table() -> Table:
    """Questions per SAMHSA category and per IC&RC Peer Recovery domain: how many are tagged
    with it, how many are mainly about it (tagged with it first) and how many of them were
    written for the workbook."""
    found = bank.coverage()
    frame = pd.DataFrame(
        {
            COVERAGE_COLUMNS[0]: found["framework"].map(
                {"SAMHSA": "SAMHSA category", "IC&RC": "IC&RC domain"}
            ),
            COVERAGE_COLUMNS[1]: found["title"],
            COVERAGE_COLUMNS[2]: found["questions"],
            COVERAGE_COLUMNS[3]: found["first_tag"],
            COVERAGE_COLUMNS[4]: found["workbook"],
        }
    )
    frame_all = bank.load_bank()
    workbook = int((frame_all["source"] == bank.WORKBOOK_SOURCE).sum())
    seeds = int(frame_all["source"].isin(bank.article_sources()).sum())
    others = len(frame_all) - workbook - seeds
    caption = (
        f"The {len(frame_all)} practice questions by SAMHSA category and IC&RC domain "
        f"({seeds} from two published articles, {workbook} written for the workbook"
        + (f", {others} added by your trainer" if others else "")
        + "); a question can have several tags"
    )
    return Table(frame, caption, numeric=tuple(COVERAGE_COLUMNS[2:]))


# --- the learner's own progress, one line each in 14_my_progress ------------------------------

NO_NAME = (
    f"Choose your name on {page_link('the start page', '00_start_here.ipynb')} first, then open this "
    "page again."
)
MY_CHARTS = ("confidence_before_after", "competency_profile", "ratings_over_time", "modules_done")


def _mine():
    """The default store and the current learner (NoLearnerError if no name is chosen yet)."""
    from .learner import current_learner
    from .store import default_store

    store = default_store()
    return store, current_learner(store=store)


def my_chart(name: str):
    """The learner's own ``charts.<name>`` chart, from their latest saved progress.

    ``name`` is one of ``MY_CHARTS``. Without a chosen name, a line saying how to choose one.
    """
    from . import charts

    if name not in MY_CHARTS:
        raise ValueError(f"unknown chart {name!r}: choose one of {', '.join(MY_CHARTS)}")
    try:
        store, me = _mine()
    except NoLearnerError:
        return Markdown(f"**{NO_NAME}**")
    data = store.completions(learner_id=me) if name == "modules_done" else store.ratings(me)
    return getattr(charts, name)(data)


def my_focus_areas(n: int = 3) -> Markdown:
    """The learner's next ``n`` modules to work on (``charts.focus_areas``), with links."""
    from . import charts

    try:
        store, me = _mine()
    except NoLearnerError:
        return Markdown(f"**{NO_NAME}**")
    focus = [curriculum.module(c) for c in charts.focus_areas(store.ratings(me), n)]
    return Markdown(
        "\n".join(
            f"1. **{_esc(c['title'])}**: " + page_link(f"module {c['tag']}", f"{c['stem']}.ipynb")
            for c in focus
        )
    )
