"""Blocks for the notebooks, built from the content files (no teaching text here): Markdown for a
module's objectives and facilitator notes, and small accessible HTML tables."""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd
from IPython.display import Markdown

from . import bank, exercises

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


def _esc(value) -> str:
    return html.escape(str(value), quote=True)


def html_table(frame: pd.DataFrame, caption: str, numeric=(), nowrap=()) -> str:
    """``frame`` as a small HTML table: a caption, column headers (``th scope="col"``), every
    cell escaped, text left-aligned and the ``numeric`` columns right-aligned, light borders;
    the cells of ``nowrap`` columns stay on one line."""

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
            f'<td style="{_CELL}; {_BODY}; text-align: {align(c)}">{_esc(v)}</td>'
            for c, v in zip(frame.columns, row, strict=True)
        )
        stripe = f' style="{_STRIPE}"' if number % 2 else ""
        rows.append(f"<tr{stripe}>{cells}</tr>")
    return (
        f'<table class="peerlib-table" style="{_TABLE}">'
        f'<caption style="{_CAPTION}">{_esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


@dataclass(frozen=True, eq=False)
class Table:
    """A table for a notebook: shows itself as ``html_table`` (text as a fallback).

    ``frame`` holds the shown values, one column per shown column.
    """

    frame: pd.DataFrame
    caption: str
    numeric: tuple[str, ...] = ()
    nowrap: tuple[str, ...] = ()

    def _repr_html_(self) -> str:
        return html_table(self.frame, self.caption, self.numeric, self.nowrap)

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(f"{self.caption}\n{self.frame.to_string(index=False)}")


def objectives(competency_id: str) -> Markdown:
    """The module's title, SAMHSA category number and learning objectives."""
    row = bank.competency(competency_id)
    items = "\n".join(f"- {objective}" for objective in row["objectives"])
    return Markdown(
        f"**SAMHSA category {row['number']}: {row['title']}**\n\n"
        f"By the end of this module you will be able to:\n\n{items}"
    )


def facilitator_notes(competency_id: str) -> Markdown:
    """The module's facilitator notes, clearly marked as being for instructors."""
    notes = exercises.load_module(competency_id).facilitator_notes
    return Markdown(f"> **For facilitators (learners can skip this)**\n\n{notes}")


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
    return Table(frame, caption, numeric=(COMPETENCY_COLUMNS[2],), nowrap=(COMPETENCY_COLUMNS[0],))


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
