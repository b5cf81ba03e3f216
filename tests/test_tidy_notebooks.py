"""Every learner notebook is tidy (see tests/tidy_notebooks.py): code collapsed, each cell runs
on its own, no emoji-font glyphs. After merging notebook edits, `python tests/tidy_notebooks.py`
fixes what it can."""

from __future__ import annotations

import copy

import pytest

from tests import tidy_notebooks as tidy

LEARNER = tidy.learner_notebooks()
FIX = "run `python tests/tidy_notebooks.py` to fix"


def _id(path):
    return path.name


def test_there_are_learner_notebooks():
    names = {p.name for p in LEARNER}
    assert {"00_start_here.ipynb", "13_mock_interview.ipynb", "14_my_progress.ipynb"} <= names


@pytest.mark.parametrize("path", LEARNER, ids=_id)
def test_learner_notebook_is_tidy(path):
    nb = tidy.read(path)
    changes = tidy.tidy(copy.deepcopy(nb))
    assert not changes, f"{path.name} is not tidy ({FIX}): " + "; ".join(changes)
    assert not tidy.problems(nb), f"{path.name}: " + "; ".join(tidy.problems(nb))
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.metadata["jupyter"]["source_hidden"] is True, f"cell {index}"
            # runs on its own, in any order: it reads no name another cell defines
            assert not tidy.free_names(cell.source), f"cell {index}: {cell.source!r}"


def test_tidying_is_idempotent_and_fixes_an_untidy_notebook():
    nb = tidy.read(LEARNER[1])
    untidy = copy.deepcopy(nb)
    first = untidy.cells[0]
    untidy.cells.insert(
        1,
        type(first)(
            cell_type="code",
            source="import peerlib.widgets as w",
            metadata={},
            outputs=[],
            execution_count=None,
            id="x1",
        ),
    )
    call = type(first)(
        cell_type="code",
        source='w.SelfRating("engage")',
        metadata={},
        outputs=[],
        execution_count=None,
        id="x2",
    )
    untidy.cells.insert(2, call)
    untidy.cells.append(
        type(first)(
            cell_type="markdown",
            id="x3",
            metadata={},
            source="## \U0001f9d1\u200d\U0001f3eb For facilitators",
        )
    )
    changes = tidy.tidy(untidy)
    assert len(changes) == 4, changes
    assert call.source == 'import peerlib.widgets as w; w.SelfRating("engage")'
    assert call.metadata == {"jupyter": {"source_hidden": True}}
    assert untidy.cells[-1].source == "## For facilitators"
    assert tidy.tidy(untidy) == []  # a second run changes nothing


def test_a_cell_that_needs_another_cell_is_reported():
    nb = tidy.read(LEARNER[0])
    nb.cells[0] = type(nb.cells[0])(
        cell_type="code",
        source="store.ratings()",
        metadata={},
        outputs=[],
        execution_count=None,
        id="y1",
    )
    assert any("['store']" in problem for problem in tidy.problems(nb))


def test_check_mode_changes_nothing(capsys):
    assert tidy.main(["--check"]) == 0
