"""The question bank and its two frameworks, loaded into pandas and validated.

The bank has three built-in sources (in ``peerlib/data/``, found by ``peerlib.content``): the
two source articles in ``sources/`` (parsed, never retyped) with their curation in
``curation.yaml`` (competencies, IC&RC domains, kind, talking points, the learner-facing "why
it is asked" and "what this example misses", keyed by ``question_id``), and the workbook's own
questions in ``workbook_questions.yaml``. A trainer's question files
(``content.trainer_files()``, ``extra=``) are added to them; one that cannot be used is left
out. The frameworks are SAMHSA's twelve competency categories (``competencies.yaml``) and the
four IC&RC Peer Recovery domains (``icrc_domains.yaml``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from . import content, importers, matching
from .errors import BankFormatError, UnknownIdError

KINDS = ("behavioural", "situational", "knowledge", "motivation")
# ``why_asked`` is written to the learner; ``why_asked_source`` keeps a source article's own
# text (addressed to the interviewer), ``example_misses`` says what its example answer misses.
BANK_COLUMNS = [*importers.TRAINER_COLUMNS, "example_misses", "why_asked_source"]
COMPETENCY_COLUMNS = ["competency_id", "number", "title", "short", "summary", "objectives"]
ICRC_COLUMNS = ["domain_id", "title", "summary"]
CURATION_KEYS = frozenset(
    {
        "competencies",
        "icrc_domains",
        "kind",
        "talking_points",
        "follow_ups",
        "why_asked",
        "example_misses",
    }
)
WORKBOOK_PREFIX = "wb"
WORKBOOK_SOURCE = "Peer Support Trainer Workbook"
# The practice questions of the workbook's own modules (foundations, ethics: wb80-wb87), read
# like a trainer question file.
POINT_KEYS = frozenset({"label", "cues", "paraphrases", "patterns", "required", "concepts"})
SHARED_POINTS_FILE = "shared_points.yaml"
CONCEPTS_FILE = "concepts.yaml"
CONCEPT_KEYS = frozenset({"meaning", "phrases", "patterns"})


@dataclass(frozen=True)
class TalkingPoint:
    """A point a strong answer makes, and the ways of saying it that the checker recognizes.

    ``cues`` are shown to the learner as examples; ``paraphrases`` are other phrasings;
    ``patterns`` are "these words in one sentence" (see ``peerlib.matching``). A ``required``
    point is essential to a safe answer (e.g. asking directly about suicide). ``concepts`` name
    ideas of ``concepts.yaml`` the point includes, whose everyday phrasings it takes on.
    """

    label: str
    cues: tuple[str, ...]
    paraphrases: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    required: bool = False
    concepts: tuple[str, ...] = ()

    @property
    def ways(self) -> tuple[str, ...]:
        """Every cue, paraphrase and pattern, then those of its concepts."""
        shared = concepts()
        return (
            self.cues
            + self.paraphrases
            + self.patterns
            + tuple(way for name in self.concepts for way in shared[name].ways)
        )


@dataclass(frozen=True)
class Concept:
    """An idea many talking points share ("things can get better"), in everyday words."""

    meaning: str
    phrases: tuple[str, ...]
    patterns: tuple[str, ...] = ()

    @property
    def ways(self) -> tuple[str, ...]:
        return self.phrases + self.patterns


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


@content.cached
def _competencies() -> pd.DataFrame:
    source = content.path("competencies.yaml")
    path = content.shown(source)
    data, node = content.read_yaml(source)
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
        raise UnknownIdError(
            f"Unknown competency id {competency_id!r}; choose one of: {', '.join(competency_ids())}."
        )
    return match.iloc[0]


# --- IC&RC Peer Recovery domains -------------------------------------------------------------


@content.cached
def _icrc_domains() -> pd.DataFrame:
    source = content.path("icrc_domains.yaml")
    path = content.shown(source)
    data, node = content.read_yaml(source)
    lines = key_lines(node)
    if not isinstance(data, list) or not data:
        raise_problems([f"{path}, line 1: expected a list of IC&RC domains."], str(path))
    problems = []
    for i, entry in enumerate(data):
        where = f"{path}, line {lines.get(i, '?')}"
        if not isinstance(entry, dict):
            problems.append(
                f"{where}: each domain must be a mapping with {', '.join(ICRC_COLUMNS)}."
            )
            continue
        for key in ICRC_COLUMNS:
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                problems.append(f"{where}: missing `{key}`.")
    raise_problems(problems, str(path))
    frame = pd.DataFrame(data)[ICRC_COLUMNS]
    frame = frame.apply(lambda column: column.str.strip())
    if frame["domain_id"].duplicated().any() or frame["title"].str.lower().duplicated().any():
        raise_problems([f"{path}: every domain needs its own id and title."], str(path))
    return frame


def load_icrc_domains() -> pd.DataFrame:
    """The IC&RC Peer Recovery domains: id, title and a short summary of each."""
    return _icrc_domains().copy()


def icrc_domain_ids() -> list[str]:
    """The IC&RC domain ids, in the file's order."""
    return list(_icrc_domains()["domain_id"])


def _icrc(raw, where: str, problems: list[str], required: bool) -> tuple[str, ...]:
    """A question's IC&RC domains, given as ids or titles, as a tuple of ids."""
    if raw is None or (isinstance(raw, float) and pd.isna(raw)):
        raw = []
    items = [raw] if isinstance(raw, str) else raw
    domains = _icrc_domains()
    choices = ", ".join(
        f"{i} ({t})" for i, t in zip(domains["domain_id"], domains["title"], strict=True)
    )
    if not isinstance(items, (list, tuple)) or not all(isinstance(i, str) for i in items):
        problems.append(f"{where}: `icrc_domains` must be a list of IC&RC domain ids or titles.")
        return ()
    by_name = {i.lower(): i for i in domains["domain_id"]}
    by_name.update(
        {t.lower(): i for i, t in zip(domains["domain_id"], domains["title"], strict=True)}
    )
    found, unknown = [], []
    for item in items:
        key = " ".join(item.split()).lower().replace("&", "and")
        if key in by_name:
            if by_name[key] not in found:
                found.append(by_name[key])
        elif key:
            unknown.append(item)
    if unknown:
        problems.append(
            f"{where}: unknown IC&RC domain(s) {', '.join(map(repr, unknown))}; "
            f"use an id or title: {choices}."
        )
    elif required and not found:
        problems.append(f"{where}: no `icrc_domains`; tag at least one of: {choices}.")
    return tuple(found)


# --- the bank --------------------------------------------------------------------------------


def _source_rows() -> list[dict]:
    sources, _ = content.read_yaml(content.path("sources", "sources.yaml"))
    rows = []
    for source in sources:
        article = importers.read_article(content.path("sources", source["file"]))
        for record in article.to_dict(orient="records"):
            record["question_id"] = f"{source['prefix']}{record.pop('number'):02d}"
            record["source"] = source["title"]
            rows.append(record)
    return rows


def article_sources() -> list[str]:
    """The titles of the source articles (``peerlib/data/sources/sources.yaml``)."""
    sources, _ = content.read_yaml(content.path("sources", "sources.yaml"))
    return [source["title"] for source in sources]


def _curation() -> tuple[dict, dict, str]:
    source = content.path("curation.yaml")
    path = content.shown(source)
    data, node = content.read_yaml(source)
    if not isinstance(data, dict):
        raise_problems([f"{path}, line 1: expected a mapping keyed by question_id."], str(path))
    return data, key_lines(node), path


def _texts(point: dict, key: str, where: str, problems: list[str]) -> tuple[str, ...]:
    """The phrases or patterns listed under ``key``, each checked (compiled on first use)."""
    value = point.get(key) or []
    if not isinstance(value, list):
        problems.append(f"{where}: `{key}` must be a list of phrases.")
        return ()
    texts = tuple(" ".join(str(v).split()) for v in value if str(v).strip())
    for text in texts:
        try:
            matching.check_pattern(text)
            if key != "cues":  # cues are shown to learners too, as written
                matching.check_matchable(text)
                matching.check_alternatives(text, loose=True)
        except matching.PatternError as exc:
            problems.append(f"{where}: {exc}")
    return texts


def _entries_by_id(name: str, what: str) -> tuple[dict, str, dict]:
    """A content file of ``id: entry`` (``what``): its data, shown name and key lines; empty
    when there is no such file."""
    source = content.path(name)
    if not source.is_file():
        return {}, name, {}
    shown = content.shown(source)
    data, node = content.read_yaml(source)
    if not isinstance(data, dict):
        raise_problems([f"{shown}, line 1: expected a mapping of id: {what}."], shown)
    return data, shown, key_lines(node)


@content.cached
def shared_points() -> dict[str, TalkingPoint]:
    """The talking points several questions make (``shared_points.yaml``), by id: a question
    lists one as ``- shared: <id>``, so it is written and improved in one place."""
    data, shown, lines = _entries_by_id(SHARED_POINTS_FILE, "talking point")
    problems: list[str] = []
    points = {
        name: _talking_point(point, f"{shown}, line {lines.get(name, '?')}", problems)
        for name, point in data.items()
    }
    raise_problems(problems, shown)
    return points


@content.cached
def concepts() -> dict[str, Concept]:
    """The ideas of ``concepts.yaml`` by id: a talking point lists the ones it includes as
    ``concepts: [id, ...]``, so a phrasing found for one question serves every question."""
    data, shown, lines = _entries_by_id(CONCEPTS_FILE, "concept")
    problems, found = [], {}
    for name, entry in data.items():
        where = f"{shown}, line {lines.get(name, '?')}"
        if not isinstance(entry, dict) or set(entry) - CONCEPT_KEYS or not entry.get("meaning"):
            problems.append(
                f"{where}: concept {name!r} needs a `meaning` and `phrases` (and may have "
                "`patterns`), nothing else."
            )
            continue
        phrases = _texts(entry, "phrases", where, problems)
        if not phrases:
            problems.append(f"{where}: concept {name!r} has no `phrases`.")
        patterns = _texts(entry, "patterns", where, problems)
        _read_alike(f"concept {name!r}", phrases, where, problems)
        found[name] = Concept(str(entry["meaning"]), phrases, patterns)
    raise_problems(problems, shown)
    return found


def _read_alike(what: str, phrases, where: str, problems: list[str], given=()) -> None:
    """Note any phrase of a concept or a talking point (``what``) that the checker reads as the
    same words as one before it or as one of the ``given`` ones (a point's cues, shown to the
    learner, may name one thing two ways: "naloxone", "Narcan"): "it's her call" and "it's his
    call", "built trust" and "build trust". One of them is enough."""
    first: dict[tuple, str] = {}
    for phrase in given:
        first.setdefault(matching.reading(phrase, loose=True), phrase)
    for phrase in phrases:
        reading = matching.reading(phrase, loose=True)
        if reading in first:
            problems.append(
                f"{where}: {what} lists {first[reading]!r} and {phrase!r}, which read as the "
                "same words; keep one."
            )
        first.setdefault(reading, phrase)


def _concepts(point: dict, label: str, where: str, problems: list[str]) -> tuple[str, ...]:
    """The concept ids a talking point lists, each checked against ``concepts.yaml``."""
    names = point.get("concepts") or []
    known = concepts()
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        problems.append(f"{where}: `concepts` of {label!r} must be a list of concept ids.")
        return ()
    unknown = [n for n in names if n not in known]
    if unknown:
        problems.append(
            f"{where}: talking point {label!r} names unknown concept(s) "
            f"{', '.join(map(repr, unknown))}; use one of {CONCEPTS_FILE}: {', '.join(known)}."
        )
    return tuple(n for n in names if n in known)


def _talking_points(raw, where: str, problems: list[str]) -> tuple[TalkingPoint, ...]:
    if not isinstance(raw, list) or not 2 <= len(raw) <= 6:
        count = len(raw) if isinstance(raw, list) else 0
        problems.append(f"{where}: give 2 to 6 talking points (found {count}).")
        return ()
    points = []
    for point in raw:
        if isinstance(point, dict) and "shared" in point:
            points.append(_shared(point, where, problems))
        else:
            points.append(_talking_point(point, where, problems))
    return tuple(p for p in points if p is not None)


def _shared(point: dict, where: str, problems: list[str]) -> TalkingPoint | None:
    """The shared talking point a ``- shared: <id>`` entry names."""
    name, shared = point["shared"], shared_points()
    if len(point) > 1 or not isinstance(name, str) or name not in shared:
        problems.append(
            f"{where}: `shared: {name}` must stand alone and name a talking point of "
            f"{SHARED_POINTS_FILE}: {', '.join(shared)}."
        )
        return None
    return shared[name]


def _talking_point(point, where: str, problems: list[str]) -> TalkingPoint | None:
    """One talking point written out (label, cues, paraphrases, patterns, required)."""
    if not isinstance(point, dict):
        problems.append(f"{where}: each talking point needs a `label` and `cues`.")
        return None
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
    paraphrases = _texts(point, "paraphrases", where, problems)
    patterns = _texts(point, "patterns", where, problems)
    _read_alike(f"talking point {label!r}", paraphrases, where, problems, given=cues)
    _repeated(label, cues, "cues", where, problems)
    _repeated(label, patterns, "patterns", where, problems)
    return TalkingPoint(
        label,
        cues,
        paraphrases,
        patterns,
        required is True,
        _concepts(point, label, where, problems),
    )


def _repeated(label: str, texts, listed: str, where: str, problems: list[str]) -> None:
    """Note any cue or pattern a talking point lists twice (ignoring case and spacing)."""
    seen: set[str] = set()
    for text in texts:
        if text.lower() in seen:
            problems.append(
                f"{where}: talking point {label!r} lists {text!r} twice in its {listed}; "
                "remove one."
            )
        seen.add(text.lower())


def _follow_ups(raw, where: str, problems: list[str]) -> tuple[str, ...]:
    """A question's optional follow-up questions, as a tuple of str."""
    if raw is None or (isinstance(raw, float) and pd.isna(raw)):
        return ()
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, (list, tuple)) or not all(isinstance(f, str) for f in items):
        problems.append(f"{where}: `follow_ups` must be a list of questions (text).")
        return ()
    return tuple(" ".join(f.split()) for f in items if f.strip())


def _check_row(
    row: dict, where: str, known: list[str], problems: list[str], builtin: bool = False
) -> dict:
    """Normalize one bank row, appending any problem (with ``where``) to ``problems``.

    A ``builtin`` question (the articles' and the workbook's own) must also be tagged with
    IC&RC domains and have a "why it is asked" written to the learner.
    """
    for key in ("question_id", "question"):
        row[key] = " ".join(str(row.get(key) or "").split())
        if not row[key]:
            problems.append(f"{where}: `{key}` is empty; every question needs one.")
    for key in ("why_asked", "example_answer", "source", "example_misses", "why_asked_source"):
        value = row.get(key)
        if value is None or (isinstance(value, float) and pd.isna(value)):
            value = ""
        elif not isinstance(value, str):
            problems.append(f"{where}: `{key}` must be text.")
        row[key] = " ".join(str(value).split()) if key == "example_misses" else str(value)
    if builtin and not row["why_asked"].strip():
        problems.append(
            f"{where}: no `why_asked`; say in a sentence or two, to the learner, why an "
            "interviewer asks this question."
        )
    if row["example_misses"] and not row["example_answer"].strip():
        problems.append(f"{where}: `example_misses` is given but there is no example answer.")
    row["icrc_domains"] = _icrc(row.get("icrc_domains"), where, problems, required=builtin)
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


@content.cached
def _builtin_bank() -> pd.DataFrame:
    """The source articles' questions with their curation (the seed questions)."""
    curation, lines, path = _curation()
    known = competency_ids()
    problems, rows = [], []
    sources = _source_rows()
    source_ids = {r["question_id"] for r in sources}
    for row in sources:
        qid = row["question_id"]
        curated = curation.get(qid)
        where = f"{path}, line {lines.get(qid, '?')} ({qid})"
        if not isinstance(curated, dict):
            problems.append(
                f"{path}: no curation for {qid} ({row['question'][:60]}…); add an entry with "
                "competencies, icrc_domains, kind, why_asked and talking_points."
            )
            continue
        unknown = sorted(set(curated) - CURATION_KEYS)
        if unknown:
            problems.append(
                f"{where}: unknown key(s) {', '.join(unknown)}; "
                f"use {', '.join(sorted(CURATION_KEYS))}."
            )
        row["why_asked_source"] = row.get("why_asked") or ""
        row.update({k: v for k, v in curated.items() if k in CURATION_KEYS})
        rows.append(_check_row(row, where, known, problems, builtin=True))
    for qid in sorted(set(curation) - source_ids):
        problems.append(
            f"{path}, line {lines.get(qid, '?')}: {qid} is curated but no source article has it."
        )
    raise_problems(problems, "the built-in question bank")
    return pd.DataFrame(rows, columns=BANK_COLUMNS)


def workbook_questions_file() -> Path:
    """The workbook's own questions (``peerlib/data/workbook_questions.yaml``)."""
    return content.path("workbook_questions.yaml")


@content.cached
def _workbook_bank() -> pd.DataFrame:
    """The workbook's own questions (empty if the file is absent)."""
    path = workbook_questions_file()
    if not path.exists():
        return pd.DataFrame([], columns=BANK_COLUMNS)
    shown = content.shown(path)
    known = competency_ids()
    problems, rows = [], []
    try:
        raws = importers.read_trainer_file(path)
    except BankFormatError as exc:
        raise BankFormatError(str(exc).replace(str(path), shown), exc.problems) from None
    id_pattern = re.compile(rf"{WORKBOOK_PREFIX}\d{{2,}}")
    for raw in raws:
        where = raw.pop("_where").replace(str(path), shown)
        qid = str(raw.get("question_id") or "")
        if qid and not id_pattern.fullmatch(qid):
            problems.append(
                f"{where}: question_id {qid!r}: the workbook's ids are '{WORKBOOK_PREFIX}' and "
                f"a number ({WORKBOOK_PREFIX}01, {WORKBOOK_PREFIX}02, …)."
            )
        if raw.get("why_asked_source"):
            problems.append(f"{where}: `why_asked_source` is only for the source articles.")
        raw["why_asked_source"] = ""
        raw["source"] = raw.get("source") or WORKBOOK_SOURCE
        row = _check_row(raw, f"{where} ({qid})" if qid else where, known, problems, True)
        if not row["example_answer"].strip():
            problems.append(f"{where}: no `example_answer`; write a model answer.")
        rows.append(row)
    raise_problems(problems, shown)
    return pd.DataFrame(rows, columns=BANK_COLUMNS)


def read_trainer_questions(path: str | Path) -> pd.DataFrame:
    """Read and validate one trainer question file (CSV or YAML) into bank rows."""
    known = competency_ids()
    problems, rows = [], []
    for raw in importers.read_trainer_file(path):
        where = raw.pop("_where")
        rows.append(_check_row(raw, where, known, problems))
    raise_problems(problems, content.shown(path))
    return pd.DataFrame(rows, columns=BANK_COLUMNS)


def _duplicates(frame: pd.DataFrame, origin: str, seen: dict[str, str]) -> list[str]:
    """Problems for ids of ``frame`` already in ``seen`` (id -> origin), which gets the rest."""
    problems = []
    for qid in frame["question_id"]:
        if qid in seen:
            problems.append(
                f"{origin}: duplicate question_id {qid!r} (already in {seen[qid]}); "
                "give each question its own id."
            )
        else:
            seen[qid] = origin
    return problems


@content.cached
def _frames(leave_out: Path | None = None) -> tuple[tuple[str, pd.DataFrame], ...]:
    """The built-in questions and every usable trainer file (but ``leave_out``), as (origin,
    rows). A trainer file with a problem is left out (``content.skip``)."""
    frames = [
        (content.shown(content.path("curation.yaml")), _builtin_bank()),
        (content.shown(workbook_questions_file()), _workbook_bank()),
    ]
    seen: dict[str, str] = {}
    raise_problems(
        [p for origin, frame in frames for p in _duplicates(frame, origin, seen)],
        "the question bank",
    )
    for path in content.trainer_files():
        if leave_out is not None and path.resolve() == leave_out:
            continue
        origin = content.shown(path)
        try:
            frame = read_trainer_questions(path)
        except BankFormatError as exc:
            content.skip(origin, exc.problems)
            continue
        problems = _duplicates(frame, origin, dict(seen))
        if problems:
            content.skip(origin, problems)
        else:
            _duplicates(frame, origin, seen)
            frames.append((origin, frame))
    return tuple(frames)


def skipped_question_files() -> list[str]:
    """The trainer files left out of the bank (each has a problem)."""
    used = {origin for origin, _ in _frames()}
    return [content.shown(p) for p in content.trainer_files() if content.shown(p) not in used]


def load_bank(extra: str | Path | None = None) -> pd.DataFrame:
    """The question bank: one row per question, curated and validated.

    Includes every question of the source articles, the workbook's own questions, every
    usable trainer file (``content.trainer_files()``; one with a problem is left out with a
    warning) and, if given, the CSV or YAML file ``extra`` (its problems raise
    ``ContentError``, naming the file and line of each).
    """
    if not extra:
        return pd.concat([f for _, f in _frames()], ignore_index=True)
    extra = Path(extra)
    frames = _frames(extra.resolve())
    seen: dict[str, str] = {}
    for origin, frame in frames:
        _duplicates(frame, origin, seen)
    origin = content.shown(extra)
    frame = read_trainer_questions(extra)
    raise_problems(_duplicates(frame, origin, seen), origin)
    return pd.concat([*(f for _, f in frames), frame], ignore_index=True)


@content.cached
def _bank_index() -> pd.DataFrame:
    return load_bank().set_index("question_id", drop=False)


def question_ids() -> set[str]:
    """Ids of every question in the bank (built-in and trainer questions)."""
    return set(_bank_index().index)


def question(question_id: str) -> pd.Series:
    """One question's row; a clear error for an unknown id."""
    index = _bank_index()
    if question_id not in index.index:
        raise UnknownIdError(
            f"Unknown question id {question_id!r}. See `peerlib bank list` for the ids."
        )
    return index.loc[question_id]


def questions_for(competency_id: str) -> pd.DataFrame:
    """The bank's questions tagged with a competency."""
    bank = _bank_index()
    return bank[bank["competencies"].map(lambda c: competency_id in c)].reset_index(drop=True)


clear_cache = content.reload  # its earlier name


COVERAGE_COLUMNS = ["framework", "id", "title", "questions", "first_tag", "workbook"]


def coverage(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """How many questions each SAMHSA category and each IC&RC domain has.

    One row per category or domain: ``framework`` ("SAMHSA" or "IC&RC"), ``id``, ``title``,
    ``questions`` (tagged with it), ``first_tag`` (tagged with it first, i.e. mainly about it)
    and ``workbook`` (of the tagged, those written for the workbook). ``frame`` defaults to
    the whole bank.
    """
    frame = load_bank() if frame is None else frame
    workbook = frame["source"] == WORKBOOK_SOURCE
    rows = []
    frameworks = [
        ("SAMHSA", "competencies", _competencies(), "competency_id"),
        ("IC&RC", "icrc_domains", _icrc_domains(), "domain_id"),
    ]
    for name, column, table, id_column in frameworks:
        tags = frame[column]
        for entry in table.to_dict(orient="records"):
            key = entry[id_column]
            tagged = tags.map(lambda t, key=key: key in t)
            first = tags.map(lambda t, key=key: bool(t) and t[0] == key)
            title = f"{entry['number']}. {entry['title']}" if name == "SAMHSA" else entry["title"]
            counts = [int(tagged.sum()), int(first.sum()), int((tagged & workbook).sum())]
            rows.append([name, key, title, *counts])
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS)
