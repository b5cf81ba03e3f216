"""The notebooks, read as files (no kernel): committed clean, and each module has its parts.

Executing the notebooks is nbval's job (``pytest --nbval-lax notebooks``); these tests check
what a reviewer would: no saved outputs or widget state, one module per SAMHSA competency in
order, and the required sections and widget calls in every module, with ids that exist.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest
import yaml

from peerlib import bank, content, curriculum, exercises

pytestmark = pytest.mark.content  # the shipped notebooks, with the shipped content they use

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
EXERCISES = content.path("exercises")

ALL_NOTEBOOKS = sorted(NOTEBOOKS.glob("*.ipynb")) + sorted((NOTEBOOKS / "trainer").glob("*.ipynb"))
COMPETENCY_IDS = bank.competency_ids()
MODULES = [(number, cid) for number, cid in enumerate(COMPETENCY_IDS, start=1)]
# The workbook's own modules (foundations, ethics): (tag, id), notebook and exercise file <stem>
WORKBOOK_MODULES = [
    (curriculum.module(cid)["tag"], cid) for cid in curriculum.workbook_module_ids()
]
REQUIRED_HEADINGS = [
    "Key ideas",
    "A worked example",
    "What good practice looks like",
    "Common pitfalls",
    "Next steps",
]


def _name(path: Path) -> str:
    return path.relative_to(NOTEBOOKS).as_posix()


def _stem(number: int | str, cid: str) -> str:
    """A module's notebook and exercise file name (SAMHSA's by number, the workbook's own by
    their stem in peerlib/data/modules.yaml)."""
    return f"{number:02d}_{cid}" if isinstance(number, int) else curriculum.module(cid)["stem"]


def _module_path(number: int | str, cid: str) -> Path:
    return NOTEBOOKS / f"{_stem(number, cid)}.ipynb"


def _read(path: Path):
    assert path.exists(), f"{_name(path)} is missing"
    return nbformat.read(path, as_version=nbformat.NO_CONVERT)


def _code(nb) -> list[tuple[int, str]]:
    return [(i, c.source) for i, c in enumerate(nb.cells) if c.cell_type == "code"]


def _headings(nb) -> list[tuple[int, str]]:
    """Markdown headings (any level) with their cell index."""
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                heading = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
                if heading:
                    found.append((i, heading.group(1)))
    return found


def _literal(node):
    try:
        return ast.literal_eval(node)
    except ValueError:
        return None


def _calls(nb) -> list[dict]:
    """Every call in the code cells: name (last dotted part), dotted name, args, kwargs, cell."""
    calls = []
    for index, source in _code(nb):
        # IPython magics and shell lines are not Python: blank them so ast can parse the rest.
        python = "\n".join(
            "" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()
        )
        for node in ast.walk(ast.parse(python)):
            if isinstance(node, ast.Call):
                dotted = ast.unparse(node.func)
                calls.append(
                    dict(
                        name=dotted.rsplit(".", 1)[-1],
                        dotted=dotted,
                        args=[_literal(a) for a in node.args],
                        kwargs={k.arg: _literal(k.value) for k in node.keywords if k.arg},
                        cell=index,
                    )
                )
    return calls


def _named(calls, name):
    return [c for c in calls if c["name"] == name]


def _exercise_file(number: int | str, cid: str) -> dict:
    path = EXERCISES / f"{_stem(number, cid)}.yaml"
    assert path.exists(), f"peerlib/data/exercises/{path.name} is missing"
    return yaml.safe_load(path.read_text("utf-8")) or {}


# --- every notebook -------------------------------------------------------------------------


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=_name)
def test_committed_clean(path):
    nb = _read(path)
    nbformat.validate(nb)
    assert "widgets" not in nb.metadata, f"{_name(path)}: saved widget state in the metadata"
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3", (
        f"{_name(path)}: the kernelspec should be python3"
    )
    for i, cell in enumerate(nb.cells):
        assert "widgets" not in cell.get("metadata", {}), f"{_name(path)} cell {i}: widget state"
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{_name(path)} cell {i}: committed with outputs"
            assert cell.execution_count is None, f"{_name(path)} cell {i}: execution count saved"


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=_name)
def test_no_forced_matplotlib_backend(path):
    for i, source in _code(_read(path)):
        assert not re.search(r"matplotlib\.use|%matplotlib", source), (
            f"{_name(path)} cell {i}: notebooks must not choose a matplotlib backend"
        )


# Learners meet their notebooks as pages of the workbook app: no code, nothing to run.
CODE_TALK = re.compile(
    r"top to bottom|shift\s*\+?\s*enter|run all|\brun ▸|\bkernel\b|\bcode cells?\b"
    r"|\b(re-?)?run (the |this |each |every )?(cells?|notebooks?|code)\b"
    r"|\b(this|the|next|each|a) cells?\b|\bcells? (below|above)\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=_name)
def test_learner_text_assumes_no_code(path):
    for i, cell in enumerate(_read(path).cells):
        if cell.cell_type != "markdown":
            continue
        found = CODE_TALK.search(cell.source)
        assert not found, (
            f"{_name(path)} cell {i}: {found.group(0)!r} speaks of code, but learners read the "
            "page in the app; say it as a reader of the page would do it"
        )


def test_one_module_per_competency_in_samhsa_order():
    found = sorted(
        p.name for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb") if "01" <= p.name[:2] <= "12"
    )
    expected = [_module_path(number, cid).name for number, cid in MODULES]
    assert found == expected


def test_workbook_modules_have_their_own_notebooks_in_the_path():
    names = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
    stems = [f"{curriculum.module(cid)['stem']}.ipynb" for _, cid in WORKBOOK_MODULES]
    assert stems == ["00a_foundations.ipynb", "12a_ethics.ipynb"]
    assert set(stems) <= set(names)
    # foundations comes first after the start notebook, ethics after module 12
    assert names.index("00a_foundations.ipynb") == names.index("00_start_here.ipynb") + 1
    assert names.index("12a_ethics.ipynb") == names.index("12_growth.ipynb") + 1


@pytest.mark.parametrize(
    "page, target",
    [
        ("01_engage", "00a_foundations"),
        ("03_lived_experience", "12a_ethics"),
        ("05_recovery_planning", "00a_foundations"),
        ("09_communication", "00a_foundations"),
        ("11_advocacy", "00a_foundations"),
        ("12_growth", "12a_ethics"),
        ("00_start_here", "00a_foundations"),
    ],
)
def test_modules_that_use_the_workbook_modules_link_to_them(page, target):
    text = "\n".join(c.source for c in _read(NOTEBOOKS / f"{page}.ipynb").cells)
    assert f"]({target}.ipynb)" in text


# --- the module notebooks: SAMHSA's twelve and the workbook's own -----------------------------

ALL_MODULES = MODULES + WORKBOOK_MODULES
module_params = pytest.mark.parametrize(
    "number, cid", ALL_MODULES, ids=[_module_path(n, c).name for n, c in ALL_MODULES]
)


@module_params
def test_module_title(number, cid):
    nb = _read(_module_path(number, cid))
    title = curriculum.module(cid)["title"]
    first = nb.cells[0]
    assert first.cell_type == "markdown"
    assert first.source.startswith(f"# Module {number} — {title}")
    assert "minutes" in first.source and "How to use this module:" in first.source
    if isinstance(number, str):  # the workbook's own module says it is not SAMHSA's
        assert "workbook's own module, not one of SAMHSA's" in first.source


@module_params
def test_module_objectives_ratings_and_completion(number, cid):
    calls = _calls(_read(_module_path(number, cid)))
    assert any(c["dotted"] == "pages.objectives" and c["args"] == [cid] for c in calls)
    ratings = _named(calls, "SelfRating")
    for phase in ("before", "after"):
        assert any(
            c["args"][:1] == [cid]
            and (c["kwargs"].get("phase") == phase or c["args"][1:2] == [phase])
            for c in ratings
        ), f"no SelfRating({cid!r}, phase={phase!r})"
    assert any(c["args"] == [cid] for c in _named(calls, "ModuleComplete"))


@module_params
def test_module_practice_questions_are_tagged_bank_questions(number, cid):
    calls = _named(_calls(_read(_module_path(number, cid))), "PracticeQuestion")
    ids = [c["args"][0] if c["args"] else None for c in calls]
    needed = exercises.min_practice_questions(cid)
    assert len(ids) >= needed, f"at least {needed} practice questions, found {ids}"
    known = bank.question_ids()
    samhsa = cid in COMPETENCY_IDS  # the workbook's own modules use the closest SAMHSA tags
    for qid in ids:
        assert qid in known, f"unknown question id {qid!r}"
        assert not samhsa or cid in bank.question(qid)["competencies"], f"{qid} not {cid!r}"
    listed = _exercise_file(number, cid).get("practice_questions") or []
    assert set(listed) <= set(ids), (
        f"the exercise file's practice_questions {listed} are not all in the notebook {ids}"
    )


@module_params
def test_module_has_every_scenario(number, cid):
    calls = _named(_calls(_read(_module_path(number, cid))), "Scenario")
    in_notebook = [c["args"][0] if c["args"] else None for c in calls]
    in_file = [s["exercise_id"] for s in _exercise_file(number, cid).get("scenarios") or []]
    assert len(in_file) >= 3, f"exercises file has {len(in_file)} scenarios; at least 3 needed"
    assert in_notebook == in_file


@module_params
def test_module_reflections(number, cid):
    calls = _named(_calls(_read(_module_path(number, cid))), "Reflection")
    prompts = [c["args"][1] if len(c["args"]) > 1 else c["kwargs"].get("prompt_id") for c in calls]
    assert all(c["args"][:1] == [cid] for c in calls), "a Reflection for another competency"
    in_file = [r["prompt_id"] for r in _exercise_file(number, cid).get("reflections") or []]
    assert prompts, "at least 1 Reflection"
    assert set(prompts) <= set(in_file), f"prompt ids {prompts} not all in the exercise file"
    assert set(in_file) <= set(prompts), f"exercise file prompts {in_file} missing"


@module_params
def test_module_headings(number, cid):
    headings = [text for _, text in _headings(_read(_module_path(number, cid)))]
    for required in REQUIRED_HEADINGS:
        assert any(required.lower() in h.lower() for h in headings), f"no {required!r} heading"


@module_params
def test_module_facilitator_section(number, cid):
    nb = _read(_module_path(number, cid))
    marked = [i for i, text in _headings(nb) if "for facilitators" in text.lower()]
    assert marked, "no clearly marked 'For facilitators' heading"
    notes = [
        c for c in _calls(nb) if c["dotted"] == "pages.facilitator_notes" and c["args"] == [cid]
    ]
    assert notes and notes[0]["cell"] > marked[0], "facilitator notes under the heading"


@module_params
def test_module_parts_in_order(number, cid):
    nb = _read(_module_path(number, cid))
    calls, headings = _calls(nb), _headings(nb)

    def first_call(name, **kwargs):
        return min(
            c["cell"]
            for c in _named(calls, name)
            if all(c["kwargs"].get(k) == v for k, v in kwargs.items())
        )

    def heading(text):
        return min(i for i, h in headings if text.lower() in h.lower())

    order = [
        first_call("objectives"),
        first_call("SelfRating", phase="before"),
        heading("Key ideas"),
        heading("A worked example"),
        heading("What good practice looks like"),
        heading("Common pitfalls"),
        first_call("PracticeQuestion"),
        first_call("Scenario"),
        first_call("Reflection"),
        first_call("SelfRating", phase="after"),
        heading("Next steps"),
        first_call("ModuleComplete"),
        heading("For facilitators"),
    ]
    assert order == sorted(order)


@module_params
def test_module_code_is_thin(number, cid):
    """One line per code cell: the imports it needs, then one call (each runs on its own)."""
    cells = _code(_read(_module_path(number, cid)))
    for index, source in cells:
        assert "\n" not in source.strip(), f"cell {index}: more than one line: {source!r}"
        *imports, last = ast.parse(source).body
        assert all(isinstance(s, ast.Import | ast.ImportFrom) for s in imports), source
        assert isinstance(last, ast.Expr), f"cell {index}: {source!r}"
        assert isinstance(last.value, ast.Call), f"cell {index}: {source!r}"


def test_crisis_module_names_real_help():
    nb = _read(_module_path(COMPETENCY_IDS.index("crisis") + 1, "crisis"))
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for needed in ("988", "988lifeline.org", "911", "Content note"):
        assert needed in text
    assert "content note" in nb.cells[0].source.lower(), "the crisis module opens with a note"


# --- the start notebook, and honest framing everywhere --------------------------------------

OVERSTATED = [
    "come from real peer support job interviews",
    "certification boards really ask",
    "practise real interview questions",
    "training for a peer support role or a certification exam",
]


def _markdown(path: Path) -> str:
    return "\n".join(c.source for c in _read(path).cells if c.cell_type == "markdown")


def test_start_notebook_shows_the_coverage_and_says_where_questions_come_from():
    path = NOTEBOOKS / "00_start_here.ipynb"
    calls = _calls(_read(path))
    assert any(c["dotted"] == "pages.coverage_table" for c in calls)
    text = " ".join(_markdown(path).replace("*", "").split()).lower()
    for needed in (
        "two published articles",
        "workbook's own questions",
        "not certification exam questions",
        "multiple choice",
        "does not replace, state-approved peer specialist training",
        "what this example misses",
        "ic&rc",
    ):
        assert needed in text, needed


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=_name)
def test_no_overstated_claims_about_the_questions(path):
    text = " ".join(_markdown(path).split()).lower()
    for claim in OVERSTATED:
        assert claim not in text, f"{_name(path)}: {claim!r}"


def test_readme_frames_the_questions_honestly():
    text = " ".join((ROOT / "README.md").read_text("utf-8").split())
    for claim in OVERSTATED:
        assert claim not in text.lower(), claim
    assert "does not replace, state-approved peer specialist training" in text
    assert "multiple choice" in text


# --- mock interview and my progress -------------------------------------------------------------


def test_mock_interview_notebook_has_no_instructor_picker():
    nb = _read(NOTEBOOKS / "13_mock_interview.ipynb")
    calls = _calls(nb)
    interviews = _named(calls, "MockInterview")
    assert interviews and all("competencies" not in c["kwargs"] for c in interviews)
    assert not _named(calls, "QuestionPicker")
    assert "question picker" not in "\n".join(c.source for c in nb.cells).lower()


def test_facilitator_guide_has_the_question_picker():
    calls = _named(
        _calls(_read(NOTEBOOKS / "trainer" / "facilitator_guide.ipynb")), "QuestionPicker"
    )
    assert calls and set(calls[0]["kwargs"]["competencies"]) <= set(COMPETENCY_IDS)


def test_my_progress_notebook():
    calls = _calls(_read(NOTEBOOKS / "14_my_progress.ipynb"))
    charts = {c["args"][0] for c in _named(calls, "my_chart")}
    assert charts == {
        "confidence_before_after",
        "competency_profile",
        "ratings_over_time",
        "modules_done",
    }, "the charts show the current learner's own data"
    assert _named(calls, "my_focus_areas")
    assert _named(calls, "SaveAndRestore") and _named(calls, "ProgressPanel")
