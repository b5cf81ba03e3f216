"""The workbook's modules, in the learner's order: SAMHSA's twelve competency categories plus
the workbook's own modules (``peerlib/data/modules.yaml``: foundations, ethics and boundaries).

A module id is what progress records call ``competency_id``: a SAMHSA category's id, or a
workbook module's id. ``bank.load_competencies()`` stays SAMHSA's twelve; everything that
tracks a learner's modules (ratings, reflections, completions, the progress table, charts,
cohort aggregates, the report) uses ``module_ids()``.
"""

from __future__ import annotations

import re

import pandas as pd

from . import bank, content
from .errors import UnknownIdError

WORKBOOK_MODULES_FILE = "modules.yaml"  # in peerlib/data/
SAMHSA = "SAMHSA"
WORKBOOK = "workbook"
PLACES = ("start", "end")  # before SAMHSA's module 1, or after module 12
MODULE_COLUMNS = [
    "competency_id",  # the module id (the name progress records use)
    "position",  # 1, 2, … in the learner's path
    "tag",  # "8" for SAMHSA's category 8, a letter for a workbook module
    "label",  # "Module 8", "Module F"
    "number",  # SAMHSA's category number; <NA> for a workbook module
    "framework",  # SAMHSA or workbook
    "title",
    "short",
    "summary",
    "objectives",
    "stem",  # the notebook and exercise file name without suffix, e.g. "08_crisis"
]
_WORKBOOK_KEYS = ("module_id", "framework", "place", "tag", "stem", "title", "short", "summary")
_ID = re.compile(r"^[a-z][a-z_]*$")
_STEM = re.compile(r"^\d\d[a-z]?_[a-z_]+$")


def _workbook_rows() -> tuple[list[dict], list[dict]]:
    """The workbook's own modules from peerlib/data/modules.yaml: (at the start, at the end)."""
    source = content.path(WORKBOOK_MODULES_FILE)
    if not source.exists():
        return [], []
    shown = content.shown(source)
    data, node = content.read_yaml(source)
    lines = bank.key_lines(node)
    if not isinstance(data, list):
        bank.raise_problems([f"{shown}, line 1: expected a list of modules."], str(shown))
    samhsa = set(bank.competency_ids())
    problems, placed, seen = [], {"start": [], "end": []}, set()
    for i, entry in enumerate(data):
        where = f"{shown}, line {lines.get(i, '?')}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: each module must be a mapping.")
            continue
        missing = [k for k in (*_WORKBOOK_KEYS, "objectives") if not entry.get(k)]
        if missing:
            problems.append(f"{where}: missing {', '.join(f'`{k}`' for k in missing)}.")
            continue
        mid = str(entry["module_id"])
        if not _ID.match(mid) or mid in samhsa or mid in seen:
            problems.append(
                f"{where}: module_id {mid!r} must be new, lower case and not a SAMHSA id."
            )
        seen.add(mid)
        if entry["framework"] != WORKBOOK:
            problems.append(
                f"{where}: framework must be `{WORKBOOK}` (SAMHSA's are in peerlib/data/competencies.yaml)."
            )
        if entry["place"] not in PLACES:
            problems.append(f"{where}: place must be one of {', '.join(PLACES)}.")
            continue
        if not _STEM.match(str(entry["stem"])) or not str(entry["stem"]).endswith(f"_{mid}"):
            problems.append(f"{where}: stem must look like '00a_{mid}'.")
        objectives = entry["objectives"]
        if not isinstance(objectives, list) or not 3 <= len(objectives) <= 6:
            problems.append(f"{where}: give 3 to 6 objectives.")
            continue
        placed[entry["place"]].append(
            {
                "competency_id": mid,
                "tag": str(entry["tag"]),
                "number": pd.NA,
                "framework": WORKBOOK,
                "title": " ".join(str(entry["title"]).split()),
                "short": str(entry["short"]),
                "summary": " ".join(str(entry["summary"]).split()),
                "objectives": tuple(str(o) for o in objectives),
                "stem": str(entry["stem"]),
            }
        )
    bank.raise_problems(problems, shown)
    return placed["start"], placed["end"]


@content.cached
def _modules() -> pd.DataFrame:
    start, end = _workbook_rows()
    samhsa = [
        {
            "competency_id": row.competency_id,
            "tag": str(row.number),
            "number": row.number,
            "framework": SAMHSA,
            "title": row.title,
            "short": row.short,
            "summary": row.summary,
            "objectives": row.objectives,
            "stem": f"{row.number:02d}_{row.competency_id}",
        }
        for row in bank.load_competencies().itertuples()
    ]
    frame = pd.DataFrame(start + samhsa + end)
    frame["number"] = frame["number"].astype("Int64")
    frame["position"] = range(1, len(frame) + 1)
    frame["label"] = "Module " + frame["tag"]
    return frame[MODULE_COLUMNS]


def load_modules() -> pd.DataFrame:
    """Every module in the learner's order: the workbook's own and SAMHSA's twelve."""
    return _modules().copy()


def module_ids() -> list[str]:
    """Every module id in the learner's order (SAMHSA's twelve and the workbook's own)."""
    return list(_modules()["competency_id"])


def workbook_module_ids() -> list[str]:
    """The ids of the workbook's own modules (not SAMHSA categories)."""
    frame = _modules()
    return list(frame.loc[frame["framework"] == WORKBOOK, "competency_id"])


def module(module_id: str) -> pd.Series:
    """One module's row; a clear error for an unknown id."""
    frame = _modules()
    match = frame[frame["competency_id"] == module_id]
    if match.empty:
        raise UnknownIdError(
            f"Unknown module id {module_id!r}; choose one of: {', '.join(module_ids())}."
        )
    return match.iloc[0]
