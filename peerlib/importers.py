"""Turn interview-question articles and trainers' CSV/YAML files into question-bank rows.

Two article layouts are read (see ``parse_article``); anything that is not a question is
page furniture or explanation and is never turned into a question.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from .errors import BankFormatError

ARTICLE_COLUMNS = ["number", "question", "why_asked", "example_answer"]

_NUMBERED = re.compile(
    r"^(?:#+\s*)?(?:\*\*)?(?:question\s*|q\s*)?(\d{1,3})\s*[.):]\s+(?:\*\*)?(.+?)(?:\*\*)?$",
    re.IGNORECASE,
)
_Q_PREFIX = re.compile(r"^(?:\*\*)?q(?:uestion)?\s*:\s*(.+?)(?:\*\*)?$", re.IGNORECASE)
_ANSWER = re.compile(
    r"^(?:[•\-*–·▪●]\s*)?(?:\*\*)?"
    r"(?:(?:example|sample|model|possible|suggested)\s+(?:answer|response)|example|answer|a(?=\s*:))"
    r"\s*(?::(?:\*\*)?\s*(.*)|(?:\*\*)?$)",
    re.IGNORECASE,
)
_GUIDANCE = re.compile(
    r"^(?:[•\-*–·▪●]\s*)?(?:\*\*)?"
    r"(?:how to answer(?: this question)?|tips?|"
    r"what (?:they|the interviewer|interviewers|employers) wants? to (?:know|hear|see)|"
    r"why (?:interviewers|employers|they|you|it)"
    r"(?: (?:ask|asks|are asking|is asked))?(?: this(?: question)?)?|"
    r"what (?:the interviewer|they)(?: is|'s|’s|'re|’re| are)? looking for)"
    r"\s*(?::(?:\*\*)?\s*(.*)|(?:\*\*)?$)",
    re.IGNORECASE,
)
_FURNITURE = re.compile(
    r"^(?:previous|next|previous post|next post|back to .*|related(?: posts| articles)?:?.*|"
    r"explore more.*|see also.*|jump to.*|"
    r"share(?: this)?:?|you may also like.*|thank you for reading.*|thanks for reading.*|"
    r"stay tuned.*|subscribe.*|read more.*|advertisement|table of contents|"
    r"\d+\s+[^.?!]*interview questions(?: and answers)?)\s*$",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^[•\-*–·▪●]\s+(?:\*\*)?(.+?[?.])(?:\*\*)?$")
_IMPERATIVES = {
    "describe",
    "tell",
    "explain",
    "provide",
    "give",
    "share",
    "walk",
    "name",
    "list",
    "discuss",
    "define",
    "talk",
    "outline",
    "summarize",
    "summarise",
    "identify",
    "recall",
}
_OPEN_QUOTES = {"“": "”", '"': '"', "‘": "’", "'": "'"}
_MAX_QUESTION_CHARS = 300


@dataclass
class _Block:
    """One non-blank line of the article."""

    text: str
    indent: int
    line: int
    after_blank: bool


@dataclass
class _Item:
    number: int | None
    question: str
    line: int
    why: list[str] = field(default_factory=list)
    answer: list[_Block] = field(default_factory=list)


def decode_article(data: bytes, source: str = "<article>") -> str:
    """Decode an article file's bytes, refusing binary and non-UTF-8 content clearly."""
    if b"\x00" in data[:8192]:
        raise BankFormatError(
            f"{source}: this looks like a binary file, not a text article. "
            "Save the article as plain UTF-8 text (.txt) and try again."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BankFormatError(
            f"{source}, line {line}: the file is not UTF-8 text (byte {exc.start}). "
            "Re-save it as UTF-8 and try again."
        ) from None


def read_article(path: str | Path) -> pd.DataFrame:
    """Read and parse an article file (see ``parse_article``)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BankFormatError(f"{path}: cannot read the file ({exc.strerror}).") from None
    return parse_article(decode_article(data, str(path)), source=str(path))


def parse_article(text: str, source: str = "<article>") -> pd.DataFrame:
    """Parse an interview-questions article into a DataFrame of its questions.

    Layout A: a numbered question line, a paragraph on why it is asked, then
    ``Example: “…”`` (the answer may run over several paragraphs). Layout B: numbered items
    with an indented ``Answer:`` bullet. Unnumbered questions, ``How to Answer:`` blocks,
    items without answers and articles cut off mid-way are handled; page furniture is ignored.

    Returns columns ``number``, ``question``, ``why_asked``, ``example_answer`` (empty
    strings where the article has none). Raises ``BankFormatError`` when no question is found.
    """
    if not isinstance(text, str):
        raise BankFormatError(f"{source}: expected article text, got {type(text).__name__}.")
    items = _keep_questions(_Parser(_blocks(text)).run())
    if not items:
        raise BankFormatError(
            f"{source}: no recognisable questions. Expected numbered question lines "
            "(“1. …?”) each followed by a paragraph and “Example: …” or an “Answer: …” bullet."
        )
    rows = []
    previous = 0
    for item in items:
        number = item.number if item.number is not None else previous + 1
        previous = number
        rows.append(
            {
                "number": number,
                "question": _squash(item.question),
                "why_asked": "\n\n".join(_squash(w) for w in item.why if _squash(w)),
                "example_answer": _answer_text(item.answer),
            }
        )
    return pd.DataFrame(rows, columns=ARTICLE_COLUMNS).astype({"number": "int64"})


def _keep_questions(items: list[_Item]) -> list[_Item]:
    """Drop numbered lines that were tips or list items rather than questions.

    An item without an answer must read as a question, except a last item cut off
    mid-question (no closing punctuation).
    """
    kept = []
    for index, item in enumerate(items):
        cut_off = index == len(items) - 1 and not _ends_sentence(item.question)
        if item.answer or _looks_like_question(item.question) or cut_off:
            kept.append(item)
    return kept


def _squash(text: str) -> str:
    return " ".join(text.split())


def _blocks(text: str) -> list[_Block]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    blocks, blank = [], True
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        if not stripped:
            blank = True
            continue
        indent = len(raw) - len(raw.lstrip())
        blocks.append(_Block(stripped, indent, number, blank))
        blank = False
    return blocks


def _looks_like_question(text: str) -> bool:
    if len(text) > _MAX_QUESTION_CHARS or _FURNITURE.match(text):
        return False
    if text.rstrip("*").endswith("?"):
        return True
    words = text.split()
    return (
        text.endswith(".")
        and len(text) <= 160
        and bool(words)
        and words[0].lower().strip("*") in _IMPERATIVES
    )


def _quote_state(blocks: list[_Block]) -> str:
    """'none' (no opening quote), 'open' or 'closed' for an answer's paragraphs."""
    if not blocks or not blocks[0].text:
        return "none"
    opening = blocks[0].text[0]
    closing = _OPEN_QUOTES.get(opening)
    if closing is None:
        return "none"
    last = blocks[-1].text
    if len(blocks) == 1 and len(last) == 1:
        return "open"
    return "closed" if last.endswith(closing) else "open"


def _answer_text(blocks: list[_Block]) -> str:
    if not blocks:
        return ""
    paragraphs: list[str] = []
    for block in blocks:
        if paragraphs and not block.after_blank:
            paragraphs[-1] += " " + block.text
        else:
            paragraphs.append(block.text)
    text = "\n\n".join(_squash(p) for p in paragraphs)
    closing = _OPEN_QUOTES.get(text[:1])
    if closing:
        text = text[1:]
        if text.endswith(closing):
            text = text[: -len(closing)]
    return text.strip()


class _Parser:
    """A small state machine over the article's lines."""

    def __init__(self, blocks: list[_Block]):
        self.blocks = blocks
        self.items: list[_Item] = []
        self.current: _Item | None = None
        self.mode = "before"  # before | why | answer | after
        self.loose: list[_Block] = []
        self.answer_indent = 0

    def run(self) -> list[_Item]:
        for block in self.blocks:
            self.step(block)
        self.close()
        return self.items

    def last_number(self) -> int | None:
        for item in reversed(self.items + ([self.current] if self.current else [])):
            if item.number is not None:
                return item.number
        return len(self.items) + (1 if self.current else 0) or None

    def close(self) -> None:
        if self.current is not None:
            self.items.append(self.current)
            self.current = None

    def start(self, number: int | None, question: str, line: int) -> None:
        self.close()
        self.current = _Item(number, question, line)
        self.mode = "why"
        self.loose = []

    def step(self, block: _Block) -> None:
        text = block.text
        if _FURNITURE.match(text):
            if self.mode == "answer":
                self.mode = "after"
            self.loose = []
            return
        numbered = _NUMBERED.match(text)
        if numbered and self.accepts_number(int(numbered.group(1)), numbered.group(2)):
            self.start(int(numbered.group(1)), numbered.group(2), block.line)
            return
        q_prefix = _Q_PREFIX.match(text)
        if q_prefix:
            self.start(None, q_prefix.group(1), block.line)
            return
        answer = _ANSWER.match(text)
        bullet = None if answer else _BULLET.match(text)
        if bullet and _looks_like_question(bullet.group(1)) and not self.in_open_answer():
            self.start(None, bullet.group(1), block.line)
            return
        if answer:
            self.on_marker(block, answer.group(1) or "", is_answer=True)
            return
        guidance = _GUIDANCE.match(text)
        if guidance:
            self.on_marker(block, guidance.group(1) or "", is_answer=False)
            return
        self.on_text(block)

    def in_open_answer(self) -> bool:
        return self.mode == "answer" and _quote_state(self.current.answer) == "open"

    def accepts_number(self, number: int, text: str) -> bool:
        previous = self.last_number()
        if self.in_open_answer():
            # A list inside a quoted answer is not a question, but an answer whose closing
            # quote is missing must not swallow the next numbered question either.
            return previous is not None and number == previous + 1 and text.endswith("?")
        if previous is None or self.current is None and not self.items:
            return True
        if number == previous + 1 or (number == 1 and _looks_like_question(text)):
            return True
        return number > previous and _looks_like_question(text) and self.mode != "answer"

    def on_marker(self, block: _Block, rest: str, is_answer: bool) -> None:
        if self.current is None or self.mode in ("answer", "after", "before"):
            pool = self.loose
            if self.current is not None and self.mode == "answer":
                pool = self.current.answer[1:]
            if not self.start_unnumbered(pool):
                if self.current is None or not is_answer:
                    self.loose = []
                    return
                self.continue_answer(block, rest)
                return
        if is_answer:
            self.mode = "answer"
            self.answer_indent = block.indent
            self.current.answer = []
            if rest:
                self.current.answer.append(_Block(rest, block.indent, block.line, True))
        elif rest:
            self.current.why.append(rest)

    def continue_answer(self, block: _Block, rest: str) -> None:
        if rest:
            self.current.answer.append(_Block(rest, block.indent, block.line, True))

    def start_unnumbered(self, pool: list[_Block]) -> bool:
        for index in range(len(pool) - 1, -1, -1):
            if _looks_like_question(pool[index].text):
                question, why = pool[index], pool[index + 1 :]
                if self.current is not None and self.mode == "answer" and pool is not self.loose:
                    cut = self.current.answer.index(question)
                    self.current.answer = self.current.answer[:cut]
                self.start(None, question.text, question.line)
                self.current.why = [b.text for b in why]
                return True
        return False

    def on_text(self, block: _Block) -> None:
        item = self.current
        if item is not None and self.mode in ("why", "answer") and _is_heading(block):
            if self.mode == "answer" or item.why or item.question.endswith(("?", ".")):
                self.mode = "after"
                self.loose = [block]
                return
        if self.mode == "why":
            if not item.why and not block.after_blank and not _ends_sentence(item.question):
                item.question += " " + block.text
            else:
                item.why.append(block.text)
        elif self.mode == "answer":
            state = _quote_state(item.answer)
            if state == "closed" or (item.answer and block.indent < self.answer_indent):
                self.mode = "after"
                self.loose = [block]
            else:
                item.answer.append(block)
        else:
            self.loose.append(block)


def _is_heading(block: _Block) -> bool:
    """A short title-like line on its own: closes an answer, never joins one."""
    text = block.text
    return (
        block.after_blank
        and len(text) <= 80
        and text[:1].isupper()
        and not _ends_sentence(text)
        and not text.endswith((",", ";", "”", '"'))
        and len(text.split()) >= 2
    )


def _ends_sentence(text: str) -> bool:
    return text.rstrip("*”\"' ").endswith(("?", ".", "!", ":"))


# --- trainers' own question files (CSV or YAML) ---------------------------------------------

TRAINER_COLUMNS = [
    "question_id",
    "question",
    "why_asked",
    "example_answer",
    "source",
    "competencies",
    "kind",
    "talking_points",
]


def read_trainer_file(path: str | Path) -> list[dict]:
    """Read a trainer's CSV or YAML question file into raw row dicts, each with ``_where``.

    CSV cells: ``competencies`` separated by ``;``; ``talking_points`` as
    ``Label: cue, cue | Label: cue``. YAML: a list of mappings with lists for both.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".yaml", ".yml"):
        raise BankFormatError(
            f"{path}: unsupported file type {suffix or '(none)'}; use .csv, .yaml or .yml."
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BankFormatError(f"{path}: cannot read the file ({exc.strerror}).") from None
    text = decode_article(data, str(path))
    if suffix == ".csv":
        return _read_trainer_csv(text, path)
    return _read_trainer_yaml(text, path)


def _read_trainer_csv(text: str, path: Path) -> list[dict]:
    reader = csv.DictReader(io.StringIO(text))
    missing = [
        c for c in ("question_id", "question", "competencies") if c not in (reader.fieldnames or [])
    ]
    if missing:
        raise BankFormatError(
            f"{path}, line 1: missing column(s) {', '.join(missing)}. "
            f"The header must include: {', '.join(TRAINER_COLUMNS)}."
        )
    rows = []
    for record in reader:
        row = {k: (v or "").strip() for k, v in record.items() if k}
        row["competencies"] = [
            c.strip() for c in row.get("competencies", "").split(";") if c.strip()
        ]
        row["talking_points"] = _parse_points_cell(row.get("talking_points", ""))
        row["_where"] = f"{path}, line {reader.line_num}"
        rows.append(row)
    return rows


def _parse_points_cell(cell: str) -> list[dict]:
    points = []
    for part in cell.split("|"):
        if not part.strip():
            continue
        label, _, cues = part.partition(":")
        points.append(
            {"label": label.strip(), "cues": [c.strip() for c in cues.split(",") if c.strip()]}
        )
    return points


def _read_trainer_yaml(text: str, path: Path) -> list[dict]:
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark else ""
        raise BankFormatError(f"{path}{where}: not valid YAML ({exc}).") from None
    if data is None:
        return []
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise BankFormatError(
            f"{path}, line 1: expected a list of questions (each a mapping with "
            "question_id, question, competencies, …)."
        )
    rows = []
    for record, item_node in zip(data, node.value, strict=True):
        row = dict(record)
        row["_where"] = f"{path}, line {item_node.start_mark.line + 1}"
        rows.append(row)
    return rows


def write_article_rows(frame: pd.DataFrame, out: str | Path) -> None:
    """Write parsed article rows as a trainer-file template (CSV or YAML) to fill in."""
    out = Path(out)
    template = frame.assign(
        question_id=[f"my{i:02d}" for i in range(1, len(frame) + 1)],
        source=out.stem,
        competencies="",
        kind="",
        talking_points="",
    )[TRAINER_COLUMNS]
    if out.suffix.lower() == ".csv":
        template.to_csv(out, index=False)
    elif out.suffix.lower() in (".yaml", ".yml"):
        records = template.to_dict(orient="records")
        for record in records:
            record["competencies"] = []
            record["talking_points"] = []
        out.write_text(yaml.safe_dump(records, sort_keys=False, allow_unicode=True), "utf-8")
    else:
        raise BankFormatError(f"{out}: choose a .csv, .yaml or .yml output file.")
