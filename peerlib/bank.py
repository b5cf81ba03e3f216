"""The question bank and the competency framework, loaded into pandas and validated.

The bank is built from the source articles in ``data/sources/`` (parsed, never retyped), the
curation in ``data/curation.yaml`` (competencies, kind, talking points, keyed by
``question_id``), and any trainer question files (``data/trainer_questions/``, ``extra=``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from . import importers, matching, paths
from .errors import BankFormatError

KINDS = ("behavioural", "situational", "knowledge", "motivation")
BANK_COLUMNS = importers.TRAINER_COLUMNS
COMPETENCY_COLUMNS = ["competency_id", "number", "title", "short", "summary", "objectives"]
TRAINER_SUFFIXES = (".csv", ".yaml", ".yml")
# The practice questions of the workbook's own modules (foundations, ethics: wb80-wb87), read
# like a trainer question file.
WORKBOOK_MODULE_QUESTIONS = "workbook_module_questions.yaml"  # in data/
POINT_KEYS = frozenset({"label", "cues", "paraphrases", "patterns", "required"})


@dataclass(frozen=True)
class TalkingPoint:
    """A point a strong answer makes, and the ways of saying it that the checker recognises.

    ``cues`` are shown to the learner as examples; ``paraphrases`` are other phrasings;
    ``patterns`` are "these words in one sentence" (see ``peerlib.matching``). A ``required``
    point is essential to a safe answer (e.g. asking directly about suicide).
    """

    label: str
    cues: tuple[str, ...]
    paraphrases: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    required: bool = False

    @property
    def ways(self) -> tuple[str, ...]:
        """Every cue, paraphrase and pattern, in that order."""
        return self.cues + self.paraphrases + self.patterns


def read_yaml(path: Path):
    """Load a YAML file, returning (data, root node) with clear errors."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BankFormatError(f"{path}: cannot read the file as UTF-8 text ({exc}).") from None
    try:
        return yaml.safe_load(text), yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark else ""
        raise BankFormatError(f"{path}{where}: not valid YAML ({exc}).") from None


def key_lines(node) -> dict:
    """Line number (1-based) of each key of a YAML mapping node, or of each list item."""
    if isinstance(node, yaml.MappingNode):
        return {k.value: k.start_mark.line + 1 for k, _ in node.value}
    if isinstance(node, yaml.SequenceNode):
        return {i: item.start_mark.line + 1 for i, item in enumerate(node.value)}
    return {}


def raise_problems(problems: list[str], what: str) -> None:
    if problems:
        summary = f"{len(problems)} problem(s) in {what}:\n" + "\n".join(
            f"  - {p}" for p in problems
        )
        raise BankFormatError(summary, problems)


# --- competencies ----------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _competencies() -> pd.DataFrame:
    path = Path(paths.display(paths.DATA_DIR / "competencies.yaml"))
    data, node = read_yaml(paths.DATA_DIR / "competencies.yaml")
    lines = key_lines(node)
    problems = []
    if not isinstance(data, list):
        raise_problems([f"{path}, line 1: expected a list of 12 competencies."], str(path))
    for i, entry in enumerate(data):
        where = f"{path}, line {lines.get(i, '?')}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: each competency must be a mapping.")
            continue
        for key in COMPETENCY_COLUMNS:
            if not entry.get(key):
                problems.append(f"{where}: missing `{key}`.")
        objectives = entry.get("objectives") or []
        if not 3 <= len(objectives) <= 5:
            problems.append(f"{where}: give 3 to 5 objectives (found {len(objectives)}).")
    raise_problems(problems, str(path))
    frame = pd.DataFrame(data)[COMPETENCY_COLUMNS]
    frame["objectives"] = frame["objectives"].map(tuple)
    if sorted(frame["number"]) != list(range(1, 13)) or frame["competency_id"].duplicated().any():
        raise_problems(
            [f"{path}: expected 12 competencies numbered 1-12 with unique ids."], str(path)
        )
    return frame.sort_values("number").reset_index(drop=True)


def load_competencies() -> pd.DataFrame:
    """The 12 SAMHSA competency categories: id, number, title, short name, summary, objectives."""
    return _competencies().copy()


def competency_ids() -> list[str]:
    """The 12 competency ids in SAMHSA's order."""
    return list(_competencies()["competency_id"])


def competency(competency_id: str) -> pd.Series:
    """One competency's row; a clear error for an unknown id."""
    frame = _competencies()
    match = frame[frame["competency_id"] == competency_id]
    if match.empty:
        raise BankFormatError(
            f"Unknown competency id {competency_id!r}; choose one of: {', '.join(competency_ids())}."
        )
    return match.iloc[0]


# --- the bank --------------------------------------------------------------------------------


def _source_rows() -> list[dict]:
    path = paths.SOURCES_DIR / "sources.yaml"
    sources, _ = read_yaml(path)
    rows = []
    for source in sources:
        article = importers.read_article(paths.SOURCES_DIR / source["file"])
        for record in article.to_dict(orient="records"):
            record["question_id"] = f"{source['prefix']}{record.pop('number'):02d}"
            record["source"] = source["title"]
            rows.append(record)
    return rows


def _curation() -> tuple[dict, dict, Path]:
    path = Path(paths.display(paths.DATA_DIR / "curation.yaml"))
    data, node = read_yaml(paths.DATA_DIR / "curation.yaml")
    if not isinstance(data, dict):
        raise_problems([f"{path}, line 1: expected a mapping keyed by question_id."], str(path))
    return data, key_lines(node), path


def _texts(point: dict, key: str, where: str, problems: list[str]) -> tuple[str, ...]:
    """The phrases or patterns listed under ``key``, each checked to compile."""
    value = point.get(key) or []
    if not isinstance(value, list):
        problems.append(f"{where}: `{key}` must be a list of phrases.")
        return ()
    texts = tuple(" ".join(str(v).split()).lower() for v in value if str(v).strip())
    for text in texts:
        try:
            matching.compile_pattern(text)
        except matching.PatternError as exc:
            problems.append(f"{where}: {exc}")
    return texts


def _talking_points(raw, where: str, problems: list[str]) -> tuple[TalkingPoint, ...]:
    if not isinstance(raw, list) or not 2 <= len(raw) <= 6:
        count = len(raw) if isinstance(raw, list) else 0
        problems.append(f"{where}: give 2 to 6 talking points (found {count}).")
        return ()
    points = []
    for point in raw:
        if not isinstance(point, dict):
            problems.append(f"{where}: each talking point needs a `label` and `cues`.")
            continue
        label = str(point.get("label") or "").strip()
        unknown = sorted(set(point) - POINT_KEYS)
        if unknown:
            problems.append(
                f"{where}: talking point {label!r} has unknown key(s) {', '.join(unknown)}; "
                f"use {', '.join(sorted(POINT_KEYS))}."
            )
        cues = _texts(point, "cues", where, problems)
        if not label:
            problems.append(f"{where}: a talking point has no `label`.")
        elif not cues:
            problems.append(
                f"{where}: talking point {label!r} has no cues; add `cues:` with words or "
                "phrases a strong answer would use."
            )
        required = point.get("required", False)
        if not isinstance(required, bool):
            problems.append(f"{where}: `required` of {label!r} must be true or false.")
        points.append(
            TalkingPoint(
                label,
                cues,
                _texts(point, "paraphrases", where, problems),
                _texts(point, "patterns", where, problems),
                required is True,
            )
        )
    return tuple(points)


def _follow_ups(raw, where: str, problems: list[str]) -> tuple[str, ...]:
    """A question's optional follow-up questions, as a tuple of str."""
    if raw is None or (isinstance(raw, float) and pd.isna(raw)):
        return ()
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, (list, tuple)) or not all(isinstance(f, str) for f in items):
        problems.append(f"{where}: `follow_ups` must be a list of questions (text).")
        return ()
    return tuple(" ".join(f.split()) for f in items if f.strip())


def _check_row(row: dict, where: str, known: list[str], problems: list[str]) -> dict:
    """Normalise one bank row, appending any problem (with ``where``) to ``problems``."""
    for key in ("question_id", "question"):
        row[key] = " ".join(str(row.get(key) or "").split())
        if not row[key]:
            problems.append(f"{where}: `{key}` is empty; every question needs one.")
    for key in ("why_asked", "example_answer", "source"):
        value = row.get(key)
        row[key] = (
            "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
        )
    row["follow_ups"] = _follow_ups(row.get("follow_ups"), where, problems)
    comps = row.get("competencies") or []
    comps = [comps] if isinstance(comps, str) else list(comps)
    unknown = [c for c in comps if c not in known]
    if unknown:
        problems.append(
            f"{where}: unknown competency id(s) {', '.join(map(repr, unknown))}; "
            f"use one of: {', '.join(known)}."
        )
    if not comps:
        problems.append(f"{where}: no competencies; tag at least one of: {', '.join(known)}.")
    row["competencies"] = tuple(comps)
    if row.get("kind") not in KINDS:
        problems.append(f"{where}: kind {row.get('kind')!r} is not one of {', '.join(KINDS)}.")
    row["talking_points"] = _talking_points(row.get("talking_points"), where, problems)
    return {key: row.get(key) for key in BANK_COLUMNS}


@functools.lru_cache(maxsize=1)
def _builtin_bank() -> pd.DataFrame:
    curation, lines, path = _curation()
    known = competency_ids()
    problems, rows = [], []
    sources = _source_rows()
    source_ids = {r["question_id"] for r in sources}
    for row in sources:
        qid = row["question_id"]
        curated = curation.get(qid)
        if not isinstance(curated, dict):
            problems.append(
                f"{path}: no curation for {qid} ({row['question'][:60]}…); add an entry with "
                "competencies, kind and talking_points."
            )
            continue
        row.update(curated)
        rows.append(_check_row(row, f"{path}, line {lines.get(qid, '?')} ({qid})", known, problems))
    for qid in sorted(set(curation) - source_ids):
        problems.append(
            f"{path}, line {lines.get(qid, '?')}: {qid} is curated but no source article has it."
        )
    raise_problems(problems, "the built-in question bank")
    return pd.DataFrame(rows, columns=BANK_COLUMNS)


def read_trainer_questions(path: str | Path) -> pd.DataFrame:
    """Read and validate one trainer question file (CSV or YAML) into bank rows."""
    known = competency_ids()
    problems, rows = [], []
    for raw in importers.read_trainer_file(path):
        where = raw.pop("_where")
        rows.append(_check_row(raw, where, known, problems))
    raise_problems(problems, str(path))
    return pd.DataFrame(rows, columns=BANK_COLUMNS)


def trainer_files() -> list[Path]:
    """Trainer question files picked up automatically from ``data/trainer_questions/``."""
    folder = paths.TRAINER_QUESTIONS_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in TRAINER_SUFFIXES)


def _combine(frames: list[tuple[str, pd.DataFrame]]) -> pd.DataFrame:
    seen: dict[str, str] = {}
    problems = []
    for origin, frame in frames:
        for qid in frame["question_id"]:
            if qid in seen:
                problems.append(
                    f"{origin}: duplicate question_id {qid!r} (already in {seen[qid]}); "
                    "give each question its own id."
                )
            else:
                seen[qid] = origin
    raise_problems(problems, "the question bank")
    return pd.concat([f for _, f in frames], ignore_index=True)


def load_bank(extra: str | Path | None = None) -> pd.DataFrame:
    """The question bank: one row per question, curated and validated.

    Includes every question of the source articles, the workbook modules' questions
    (``data/workbook_module_questions.yaml``), every trainer file in
    ``data/trainer_questions/`` and, if given, the CSV or YAML file ``extra``.
    Raises ``BankFormatError`` naming the file and line of every problem.
    """
    frames = [("data/curation.yaml", _builtin_bank())]
    module_questions = paths.DATA_DIR / WORKBOOK_MODULE_QUESTIONS
    extras = [module_questions] if module_questions.exists() else []
    extras += trainer_files() + ([Path(extra)] if extra else [])
    frames += [(str(p), read_trainer_questions(p)) for p in extras]
    return _combine(frames).copy()


@functools.lru_cache(maxsize=1)
def _bank_index() -> pd.DataFrame:
    return load_bank().set_index("question_id", drop=False)


def question_ids() -> set[str]:
    """Ids of every question in the bank (built-in and trainer questions)."""
    return set(_bank_index().index)


def question(question_id: str) -> pd.Series:
    """One question's row; a clear error for an unknown id."""
    index = _bank_index()
    if question_id not in index.index:
        raise BankFormatError(
            f"Unknown question id {question_id!r}. See `peerlib bank list` for the ids."
        )
    return index.loc[question_id]


def questions_for(competency_id: str) -> pd.DataFrame:
    """The bank's questions tagged with a competency."""
    bank = _bank_index()
    return bank[bank["competencies"].map(lambda c: competency_id in c)].reset_index(drop=True)


def clear_cache() -> None:
    """Forget cached content (after editing data files in a running kernel)."""
    from . import curriculum

    for cached in (_competencies, _builtin_bank, _bank_index):
        cached.cache_clear()
    curriculum.clear_cache()
