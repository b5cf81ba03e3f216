"""Markdown blocks for a module notebook, built from the content files (no teaching text here)."""

from __future__ import annotations

from IPython.display import Markdown

from . import bank, exercises


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


def competency_table():
    """The twelve competencies with how many bank questions practise each (a DataFrame)."""
    counts = bank.load_bank()["competencies"].explode().value_counts()
    table = bank.load_competencies()
    table["questions"] = table["competency_id"].map(counts).fillna(0).astype(int)
    table["module"] = [
        f"{n:02d}_{cid}.ipynb"
        for n, cid in zip(table["number"], table["competency_id"], strict=True)
    ]
    return table[["number", "title", "questions", "module"]].set_index("number")
