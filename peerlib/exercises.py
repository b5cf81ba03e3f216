"""A module's exercises: scenarios, reflection prompts, facilitator notes, practice questions.

One YAML file per module in ``peerlib/data/exercises/``: ``NN_<competency_id>.yaml`` for SAMHSA's
categories and ``<stem>.yaml`` for the workbook's own modules (``modules.yaml``; format in
``exercises/README.md``). Content only, so an instructor can edit it without touching Python.
A file with a problem is left out (``content.skip``); the other modules work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from . import bank, content, curriculum
from .errors import BankFormatError, UnknownIdError

_FILE_NAME = re.compile(r"^(\d\d[a-z]?_[a-z_]+)\.ya?ml$")


# Practice questions a module lists: at least 4, and 6 for crisis (more ground to cover safely).
MIN_PRACTICE_QUESTIONS = 4
MIN_PRACTICE_QUESTIONS_FOR = {"crisis": 6}


def min_practice_questions(competency_id: str) -> int:
    """How many practice questions a module must list."""
    return MIN_PRACTICE_QUESTIONS_FOR.get(competency_id, MIN_PRACTICE_QUESTIONS)


@dataclass(frozen=True)
class Choice:
    text: str
    best: bool
    feedback: str


@dataclass(frozen=True)
class Scenario:
    exercise_id: str
    competency_id: str
    title: str
    situation: str
    prompt: str
    choices: tuple[Choice, ...]

    @property
    def best_index(self) -> int:
        return next(i for i, c in enumerate(self.choices) if c.best)


@dataclass(frozen=True)
class Module:
    competency_id: str
    number: int
    practice_questions: tuple[str, ...]
    scenarios: tuple[Scenario, ...]
    reflections: dict  # prompt_id -> prompt
    facilitator_notes: str
    path: Path


def _lines(node) -> dict:
    """Map YAML paths (tuples of keys/indexes) to 1-based line numbers."""
    found = {}

    def walk(n, where):
        found[where] = n.start_mark.line + 1
        if isinstance(n, yaml.MappingNode):
            for key, value in n.value:
                found[where + (key.value,)] = key.start_mark.line + 1
                walk(value, where + (key.value,))
        elif isinstance(n, yaml.SequenceNode):
            for i, value in enumerate(n.value):
                walk(value, where + (i,))

    if node is not None:
        walk(node, ())
    return found


class _Checker:
    """Collects problems, each with its file and line."""

    def __init__(self, path: Path, lines: dict):
        self.path, self.lines, self.problems = path, lines, []

    def add(self, where: tuple, message: str) -> None:
        while where and where not in self.lines:
            where = where[:-1]
        self.problems.append(f"{self.path}, line {self.lines.get(where, 1)}: {message}")

    def text(self, data: dict, key: str, where: tuple) -> str:
        value = data.get(key) if isinstance(data, dict) else None
        if not isinstance(value, str) or not value.strip():
            self.add(where + (key,), f"`{key}` is missing or empty; write it as text.")
            return ""
        return value.strip()


def _parse_scenario(raw, where, competency_id, check: _Checker) -> Scenario | None:
    if not isinstance(raw, dict):
        check.add(where, "each scenario must be a mapping with exercise_id, situation, choices.")
        return None
    exercise_id = check.text(raw, "exercise_id", where)
    if exercise_id and not exercise_id.startswith(f"{competency_id}-"):
        check.add(
            where + ("exercise_id",),
            f"exercise_id {exercise_id!r} must start with '{competency_id}-' (e.g. "
            f"'{competency_id}-1').",
        )
    choices_raw = raw.get("choices")
    choices = []
    if not isinstance(choices_raw, list) or not 3 <= len(choices_raw) <= 4:
        check.add(where + ("choices",), "give 3 or 4 choices.")
        choices_raw = choices_raw if isinstance(choices_raw, list) else []
    for i, choice in enumerate(choices_raw):
        at = where + ("choices", i)
        if not isinstance(choice, dict):
            check.add(at, "each choice needs `text`, `best` and `feedback`.")
            continue
        if not isinstance(choice.get("best", False), bool):
            check.add(at + ("best",), "`best` must be true or false.")
        choices.append(
            Choice(
                check.text(choice, "text", at),
                choice.get("best") is True,
                check.text(choice, "feedback", at),
            )
        )
    if choices and sum(c.best for c in choices) != 1:
        check.add(
            where + ("choices",),
            f"exactly one choice must have `best: true` (found {sum(c.best for c in choices)}).",
        )
    return Scenario(
        exercise_id,
        competency_id,
        check.text(raw, "title", where),
        check.text(raw, "situation", where),
        str(raw.get("prompt") or "What is the best next step?").strip(),
        tuple(choices),
    )


def parse_module_file(path: str | Path) -> tuple[Module | None, list[str]]:
    """Read one exercise file; returns the module (or None) and every problem found."""
    path = Path(path)
    shown = content.shown(path)
    try:
        data, node = content.read_yaml(path, shown)
    except BankFormatError as exc:
        return None, exc.problems
    check = _Checker(shown, _lines(node))
    if not isinstance(data, dict):
        check.add((), "expected a mapping with competency_id, scenarios, reflections, …")
        return None, check.problems
    competency_id = check.text(data, "competency_id", ())
    known = curriculum.module_ids()
    if competency_id and competency_id not in known:
        check.add(
            ("competency_id",),
            f"unknown module id {competency_id!r}; use one of: {', '.join(known)}.",
        )
        return None, check.problems
    name = _FILE_NAME.match(path.name)
    entry = curriculum.module(competency_id) if competency_id else None
    stem = entry["stem"] if entry is not None else "NN_<competency_id>"
    number = 0 if entry is None or pd.isna(entry["number"]) else int(entry["number"])
    # the workbook's own modules practice questions tagged with the closest SAMHSA categories
    samhsa = entry is not None and entry["framework"] == curriculum.SAMHSA
    if not name or name.group(1) != stem:
        check.add((), f"name the file '{stem}.yaml' to match its module.")
    questions = data.get("practice_questions") or []
    needed = min_practice_questions(competency_id)
    if not isinstance(questions, list) or len(questions) < needed:
        found = len(questions) if isinstance(questions, list) else 0
        check.add(
            ("practice_questions",),
            f"list at least {needed} question ids from the bank (found {found}).",
        )
        questions = questions if isinstance(questions, list) else []
    for dup in sorted({q for q in questions if questions.count(q) > 1}, key=str):
        check.add(("practice_questions",), f"question {dup!r} is listed twice.")
    bank_ids = bank.question_ids()
    for i, qid in enumerate(questions):
        if qid not in bank_ids:
            check.add(
                ("practice_questions", i), f"unknown question id {qid!r}; see `peerlib bank list`."
            )
        elif samhsa and competency_id not in bank.question(qid)["competencies"]:
            check.add(
                ("practice_questions", i),
                f"question {qid} is not tagged with {competency_id!r} in the bank; "
                "choose a tagged one or tag it in peerlib/data/curation.yaml.",
            )
    raw_scenarios = data.get("scenarios")
    if not isinstance(raw_scenarios, list) or len(raw_scenarios) < 3:
        check.add(("scenarios",), "give at least 3 scenarios.")
        raw_scenarios = raw_scenarios if isinstance(raw_scenarios, list) else []
    scenarios = [
        s
        for i, raw in enumerate(raw_scenarios)
        if (s := _parse_scenario(raw, ("scenarios", i), competency_id, check))
    ]
    ids = [s.exercise_id for s in scenarios]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        check.add(("scenarios",), f"exercise_id {dup!r} is used twice; ids must be unique.")
    reflections = {}
    raw_reflections = data.get("reflections")
    if not isinstance(raw_reflections, list) or not raw_reflections:
        check.add(("reflections",), "give at least 1 reflection with prompt_id and prompt.")
        raw_reflections = []
    for i, raw in enumerate(raw_reflections):
        prompt_id = check.text(raw, "prompt_id", ("reflections", i))
        if prompt_id in reflections:
            check.add(("reflections", i), f"prompt_id {prompt_id!r} is used twice.")
        reflections[prompt_id] = check.text(raw, "prompt", ("reflections", i))
    notes = check.text(data, "facilitator_notes", ())
    module = Module(
        competency_id, number, tuple(questions), tuple(scenarios), reflections, notes, path
    )
    return module, check.problems


def module_files() -> list[Path]:
    """The exercise files, in module order."""
    return sorted(content.path("exercises").glob("[0-9][0-9]*_*.yaml"))


@content.cached
def _read() -> tuple[dict[str, Module], frozenset[str]]:
    """Every usable exercise file's module, and the modules whose file was left out."""
    stems = dict(zip(curriculum.load_modules()["stem"], curriculum.module_ids(), strict=True))
    modules, unread = {}, set()
    for path in module_files():
        module, found = parse_module_file(path)
        if module and module.competency_id in modules:
            found.append(f"{content.shown(path)}: a second file for {module.competency_id!r}.")
        if found:
            content.skip(content.shown(path), found)
            unread.add(stems.get(path.stem, ""))
        elif module:
            modules[module.competency_id] = module
    return modules, frozenset(unread - {""})


def _modules() -> dict[str, Module]:
    return _read()[0]


def unread_modules() -> frozenset[str]:
    """The modules whose exercise file was left out (so their ids cannot be known)."""
    return _read()[1]


def load_modules() -> dict[str, Module]:
    """Every usable module's exercises, keyed by module id (a file with a problem is left
    out with a warning; ``peerlib bank validate`` lists its problems)."""
    return dict(_modules())


def load_module(competency_id: str) -> Module:
    """The exercises of one competency's module."""
    modules = _modules()
    if competency_id not in modules:
        stem = curriculum.module(competency_id)["stem"]  # unknown id: a clear error
        if competency_id in unread_modules():
            raise BankFormatError(
                f"The exercises of {competency_id!r} are not available: "
                f"peerlib/data/exercises/{stem}.yaml has a problem; see `peerlib bank validate`."
            )
        raise BankFormatError(
            f"No exercise file for {competency_id!r} yet; add peerlib/data/exercises/"
            f"{curriculum.module(competency_id)['stem']}.yaml (see peerlib/data/exercises/README.md)."
        )
    return modules[competency_id]


def scenario(exercise_id: str) -> Scenario:
    """One scenario by its exercise id (e.g. 'crisis-1')."""
    for module in _modules().values():
        for item in module.scenarios:
            if item.exercise_id == exercise_id:
                return item
    competency_id = exercise_id.rpartition("-")[0]
    if competency_id in unread_modules():
        load_module(competency_id)  # raises: the module's file has a problem
    raise UnknownIdError(
        f"Unknown exercise id {exercise_id!r}; ids look like 'crisis-1' (see peerlib/data/exercises/)."
    )


def exercise_ids() -> set[str]:
    """Every scenario's exercise id."""
    return {s.exercise_id for m in _modules().values() for s in m.scenarios}


def prompt_ids(competency_id: str) -> set[str]:
    """The reflection prompt ids of a competency's module (empty if it has no file)."""
    module = _modules().get(competency_id)
    return set(module.reflections) if module else set()
