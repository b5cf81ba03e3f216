"""Turn interview-question articles and trainers' CSV/YAML files into question-bank rows.

``parse_article`` reads the layouts trainers save from web pages and PDFs. When it is unsure
it leaves a question out rather than invent one: intro text, tips, FAQs about interviewing,
comments and rhetorical questions never become questions.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path

import pandas as pd
import yaml

from . import content
from .errors import BankFormatError

ARTICLE_COLUMNS = ["number", "question", "why_asked", "example_answer", "follow_ups", "line"]

# Every pattern below runs on one line whose whitespace is collapsed to single spaces and
# matches a short prefix or the whole line without nested repeats, so it runs in linear time.
_BOLD = r"(?:\*\*|__|\*|_)?"  # bold or italic around a label
_HEADING_MARK = re.compile(r"(?:#{1,6}|>)(?: |$)")
_BULLET = re.compile(r"[•*+\-–·▪●◦‣■□✓✔➢►] ")
_NUMBER = re.compile(r"(?:(?:question|q) ?)?(\d{1,3}(?:\.\d{1,3})*)([.):]?)(?: |$)", re.I)
_Q_PREFIX = re.compile(rf"{_BOLD}(?:question|q){_BOLD} ?[:.]{_BOLD} ?", re.I)
_MARKER_LABELS = {
    "answer": r"(?:(?:an? )?(?:example|sample|model|possible|suggested|good|strong)"
    r" (?:answer|response)s?|example|answer|a|how you (?:might|could) answer)",
    "why": r"(?:why (?:interviewers|employers|they|we|you|it|this|the interviewer)"
    r"(?: (?:ask|asks|are asking|is asked|matters|is important))?(?: this(?: question)?)?|"
    r"how to answer(?: this question)?|what to (?:listen|look) for|(?:the )?purpose|"
    r"what (?:they|the interviewer|interviewers|employers|we)(?: are| is|'re|’re)?"
    r" (?:want|wants|looking|listening)(?: to (?:know|hear|see)| for)?)",
    "followups": r"(?:(?:possible|likely|common|sample|suggested) )?"
    r"(?:follow[- ]?ups?(?: questions?)?|probing questions|probes)",
    "tips": r"(?:(?:pro|top|quick|general|interview|our|\d{1,2}) )?tips?"
    r"(?: for (?:answering|the interview|your interview)| to answer)?",
}
_MARKERS = [
    (name, re.compile(rf"{_BOLD}{label}(?:{_BOLD} ?:{_BOLD} ?|{_BOLD}$)", re.I))
    for name, label in _MARKER_LABELS.items()
]
_FURNITURE = re.compile(
    r"(?:previous|next|previous post|next post|back to .*|related(?: posts| articles)?:?.*|"
    r"explore more.*|see also.*|share(?: this)?:?|you may also like.*|"
    r"thank you for reading.*|thanks for reading.*|stay tuned.*|subscribe.*|read more.*|"
    r"advertisement|reply|(?:image|photo|picture|figure|credit)s?(?: \d+)?:.*|!\[.*|"
    r"https?://\S*|"
    r"\d+ [^.?!]*interview questions(?: and answers)?)",
    re.I,
)
_PAGE = re.compile(r"(?:page )?\d{1,4}(?: (?:of|/) \d{1,4})?|page \d{1,4}", re.I)
_CONTENTS = re.compile(
    r"(?:table of contents|contents|in this article|on this page|jump to(?: section)?)"
    r"(?: ?:)?",
    re.I,
)
_COMMENTS = re.compile(
    r"\d+ (?:comments?|responses?|replies)|comments?|leave a (?:reply|comment)|post a comment|"
    r"add a comment|join the (?:conversation|discussion)",
    re.I,
)
_FAQ = re.compile(r".{0,60}\b(?:faqs?|frequently asked questions)\b.{0,60}", re.I)
_TABLE_RULE = re.compile(r"[ :\-=+]*")
_WORD = re.compile(r"[a-z0-9’']+")
_QUOTED = re.compile(r"[“\"][^”\"]*[”\"]")
_INTERVIEW = re.compile(r"\binterview\b", re.I)
_QUESTION_WORDS = frozenset(
    "what why how when where who whom whose which would could can do does did are is was "
    "were have has had should will shall may might".split()
)
_IMPERATIVE = re.compile(  # asks the candidate for something; “Tell the panel …” is a tip
    r"\W*(?:please )?(?:describe|explain|discuss|outline|summari[sz]e|define|identify|recall|"
    r"name|list|imagine|tell (?:me|us)|(?:walk|talk) (?:me|us) through|talk about|"
    r"(?:give|provide)(?: me| us)? (?:an?|one|two|three|some|specific)|"
    r"share (?:a|an|one|some|with|how|what|why|when|about|your experience))\b",
    re.I,
)
_YOU = frozenset("you your yours yourself".split())
_ASKER = frozenset("i i’m i'm i’ve i've my".split())
_OPEN_QUOTES = {"“": "”", '"': '"', "‘": "’", "'": "'"}
_MAX_QUESTION_CHARS = 300
_POOL = 12  # how far back a marker looks for its unnumbered question


@dataclass
class _Line:
    """One non-blank line of the article, whitespace collapsed."""

    text: str
    line: int
    indent: int
    after_blank: bool
    before_blank: bool
    cells: list[str]


@dataclass
class _Item:
    question: str
    line: int
    number: tuple[int, ...] | None = None
    strong: bool = False  # numbered, Q:-prefixed, repeated or in a table
    marked: bool = False  # followed by an answer, why or follow-up marker
    why: list[_Line] = field(default_factory=list)
    answer: list[_Line] = field(default_factory=list)
    follow_ups: list[str] = field(default_factory=list)


def decode_article(data: bytes, source: str = "<article>") -> str:
    """Decode an article file's bytes, refusing binary and non-UTF-8 content clearly."""
    return content.decode(data, source)


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

    Questions are numbered (``1.``, ``1.1.``, ``Q1:``), ``Q:``-prefixed, bulleted, headings
    (Markdown, bold or quoted), table rows under a ``Question | …`` header, or unnumbered
    paragraphs confirmed by a marker after them (``Example:``, ``Sample answer``, ``Why they
    ask``, ``How to answer``, ``Follow-up questions``). Wrapped questions are joined; contents
    lists, repeated headings and captions count once; tips, FAQs and comments are skipped.

    Returns columns ``number``, ``question``, ``why_asked``, ``example_answer`` (empty
    strings where the article has none), ``follow_ups`` (a tuple of str) and ``line`` (where
    the question starts, 1-based). Raises ``BankFormatError`` when no question is found.
    """
    if not isinstance(text, str):
        raise BankFormatError(f"{source}: expected article text, got {type(text).__name__}.")
    items = _Parser(_lines(text)).run()
    items = [item for item in _dedupe(items) if _keep(item, items)]
    if not items:
        raise BankFormatError(
            f"{source}: no recognisable questions. Expected numbered question lines "
            "(“1. …?”), question headings, or questions followed by “Example: …”, "
            "“Answer: …” or a “Question | …” table."
        )
    numbers = [item.number for item in items]
    flat = [n[0] for n in numbers if n and len(n) == 1]
    if len(flat) < len(items) or any(a >= b for a, b in pairwise(flat)):
        flat = list(range(1, len(items) + 1))
    rows = [
        {
            "number": number,
            "question": item.question,
            "why_asked": _paragraphs(item.why),
            "example_answer": _answer_text(item.answer),
            "follow_ups": tuple(item.follow_ups),
            "line": item.line,
        }
        for number, item in zip(flat, items, strict=True)
    ]
    return pd.DataFrame(rows, columns=ARTICLE_COLUMNS).astype({"number": "int64", "line": "int64"})


# --- reading lines ---------------------------------------------------------------------------


def _lines(text: str) -> list[_Line]:
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines: list[_Line] = []
    blank = True
    for number, raw in enumerate(raw_lines, start=1):
        words = raw.split()
        if not words:
            blank = True
            if lines:
                lines[-1].before_blank = True
            continue
        indent = len(raw) - len(raw.lstrip())
        lines.append(_Line(" ".join(words), number, indent, blank, False, _cells(raw)))
        blank = False
    if lines:
        lines[-1].before_blank = True
    return lines


def _cells(raw: str) -> list[str]:
    """Table cells of a ``a | b | c`` or tab-separated line, else []."""
    separator = "|" if "|" in raw else "\t" if "\t" in raw.strip() else None
    if separator is None:
        return []
    cells = [" ".join(c.split()) for c in raw.strip().split(separator)]
    if separator == "|" and cells and not cells[0]:
        cells = cells[1:]
    if separator == "|" and cells and not cells[-1]:
        cells = cells[:-1]
    return cells if len(cells) >= 2 else []


def _strip_pair(text: str, opening: str, closing: str) -> tuple[str, bool]:
    if len(text) > len(opening) + len(closing) and text.startswith(opening):
        inner = text[len(opening) :]
        if inner.endswith(closing) and closing not in inner[: -len(closing)]:
            return inner[: -len(closing)].strip(), True
    return text, False


def _unwrap(text: str) -> tuple[str, bool]:
    """Strip bold, then quotes, around a whole line; say whether there were any."""
    wrapped = False
    for pairs in ((("**", "**"), ("__", "__")), (("“", "”"), ('"', '"'))):
        for opening, closing in pairs:
            text, found = _strip_pair(text, opening, closing)
            wrapped = wrapped or found
    return text, wrapped


def _marker(text: str) -> tuple[str, str] | None:
    for name, pattern in _MARKERS:
        match = pattern.match(text)
        if match:
            return name, text[match.end() :].strip()
    return None


def _shape(text: str) -> tuple[str, str, tuple[int, ...] | None, bool]:
    """(kind, body, number, marked) of one line.

    kind is numbered, number-only, q, bullet, text or marker:<name>; marked says the whole
    line was a Markdown heading, bold or quoted.
    """
    heading = _HEADING_MARK.match(text)
    if heading:
        text = text[heading.end() :]
    text, marked = _unwrap(text)
    marked = marked or bool(heading)
    bullet = _BULLET.match(text)
    if bullet:
        text = _unwrap(text[bullet.end() :])[0]
    found = _marker(text)
    if found:
        return f"marker:{found[0]}", found[1], None, marked
    if not bullet:
        number = _NUMBER.match(text)
        if number and (number.group(2) or "." in number.group(1) or number.group(0)[0].isalpha()):
            value = tuple(int(n) for n in number.group(1).split("."))
            body = text[number.end() :]
            # “1. 1 Keep it short”: a styled list (tips), not the article's own numbering
            repeat = re.match(rf"{value[-1]}[.)]?(?: |$)", body)
            body = body[repeat.end() :] if repeat else body
            kind = "listitem" if repeat else "numbered"
            if not body:
                return kind, "", value, marked
            body, quoted = _unwrap(body)
            return kind, body, value, marked or quoted
        prefix = _Q_PREFIX.match(text)
        if prefix and text[prefix.end() :]:
            return "q", _unwrap(text[prefix.end() :])[0], None, marked
    text, quoted = _unwrap(text)
    return ("bullet" if bullet else "text"), text, None, marked or quoted


# --- what counts as a question ---------------------------------------------------------------


def _key(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _question_like(text: str) -> bool:
    """A whole interview question: asks (“…?”) or instructs (“Tell me about …”)."""
    text = text.rstrip("*_ ")
    if not 6 <= len(text) <= _MAX_QUESTION_CHARS or _INTERVIEW.search(text):
        return False
    words = _WORD.findall(text.lower())
    if len(words) < 3 or _FURNITURE.fullmatch(text):
        return False
    outside = set(_WORD.findall(_QUOTED.sub(" ", text.lower())))
    if outside & {"questions", "answers"} and not outside & _YOU:
        return False  # “Looking for more questions / answers?”: the page talking about itself
    if _IMPERATIVE.match(text):
        return not text.endswith((":", ",", ";"))
    if not text.endswith("?"):
        return False
    asks_for_themselves = bool(outside & _ASKER) and not outside & _YOU
    return bool(set(words) & _QUESTION_WORDS) and not asks_for_themselves


def _addresses_you(text: str) -> bool:
    return bool(_IMPERATIVE.match(text)) or bool(set(_WORD.findall(text.lower())) & _YOU)


def _cut_off(item: _Item, items: list[_Item]) -> bool:
    """The article's last numbered item, cut off mid-question (“2. How would you …”)."""
    words = _WORD.findall(item.question.lower())
    asks = len(words) >= 3 and (words[0] in _QUESTION_WORDS or _IMPERATIVE.match(item.question))
    return (
        item is items[-1]
        and item.strong
        and bool(asks)
        and not (item.why or item.answer or item.follow_ups)
        and not _ends_sentence(item.question)
    )


def _keep(item: _Item, items: list[_Item]) -> bool:
    """Keep a found item only when it reads as a question and the page backs it up."""
    if not _question_like(item.question):
        return _cut_off(item, items)
    return item.strong or item.marked or _addresses_you(item.question)


def _dedupe(items: list[_Item]) -> list[_Item]:
    """One item per question text: the occurrence with the most content (contents lists,
    a list repeated as headings, captions), numbered as the first numbered occurrence."""
    groups: dict[str, list[_Item]] = {}
    for item in items:
        groups.setdefault(_key(item.question), []).append(item)
    kept = []
    for group in groups.values():
        best = max(group, key=lambda i: (bool(i.answer), bool(i.why or i.follow_ups)))
        best.number = next((i.number for i in group if i.number), None)
        best.strong = any(i.strong for i in group) or len(group) > 1
        kept.append(best)
    return sorted(kept, key=lambda i: i.line)


def _ends_sentence(text: str) -> bool:
    return text.rstrip("*”\"' ").endswith(("?", ".", "!", ":"))


def _is_heading(line: _Line) -> bool:
    """A short title-like line standing alone: closes an answer, never joins one."""
    text = line.text.strip("#*_ ")
    if line.text.startswith("#"):
        return True
    return (
        line.after_blank
        and line.before_blank
        and len(text) <= 80
        and text[:1].isupper()
        and not _ends_sentence(text)
        and not text.endswith((",", ";", "”", '"'))
        and len(text.split()) >= 2
    )


# --- the text of why_asked and example_answer ------------------------------------------------


def _paragraphs(lines: list[_Line]) -> str:
    """Join lines into paragraphs (a blank line starts a new one)."""
    paragraphs: list[list[str]] = []
    for line in lines:
        if paragraphs and not line.after_blank:
            paragraphs[-1].append(line.text)
        else:
            paragraphs.append([line.text])
    return "\n\n".join(" ".join(p) for p in paragraphs)


def _quote_state(lines: list[_Line]) -> str:
    """'none' (no opening quote), 'open' or 'closed' for an answer's lines."""
    if not lines:
        return "none"
    closing = _OPEN_QUOTES.get(lines[0].text[0])
    if closing is None:
        return "none"
    last = lines[-1].text
    if len(lines) == 1 and len(last) == 1:
        return "open"
    return "closed" if last.endswith(closing) else "open"


def _answer_text(lines: list[_Line]) -> str:
    text = _paragraphs(lines)
    closing = _OPEN_QUOTES.get(text[:1])
    if closing:
        text = text[1:]
        if text.endswith(closing):
            text = text[: -len(closing)]
    return text.strip()


# --- the parser ------------------------------------------------------------------------------


class _Parser:
    """A small state machine over the article's lines.

    Modes: before (no question yet), why, answer, followups, tips (skipped), after (between
    questions), contents (a contents list), table, skip (an FAQ) and end (comments).
    """

    def __init__(self, lines: list[_Line]):
        self.lines = lines
        self.items: list[_Item] = []
        self.current: _Item | None = None
        self.mode = "before"
        self.loose: list[_Line] = []  # text since the last question's content
        self.seen: set[str] = set()  # question texts met so far (items, lists, contents)
        self.last_flat: int | None = None
        self.pending: tuple[str, tuple[int, ...]] | None = None  # a number alone on a line
        self.wrapping = False
        self.answer_indent = 0
        self.follow_number: int | None = None
        self.table: list[tuple[str, str]] | None = None  # (role, header) per column
        self.table_cells: list[list[str]] = []  # the current row's text per column

    def run(self) -> list[_Item]:
        for line in self.lines:
            self.step(line)
        self.close()
        return self.items

    def close(self) -> None:
        if self.current is not None:
            self.items.append(self.current)
            self.current = None

    def start(self, question: str, line: _Line, number=None, strong=False) -> None:
        self.close()
        self.current = _Item(question, line.line, number, strong)
        self.seen.add(_key(question))
        if number and len(number) == 1:
            self.last_flat = number[0]
        self.mode = "why"
        self.loose = []

    def in_open_answer(self) -> bool:
        return self.mode == "answer" and _quote_state(self.current.answer) == "open"

    def step(self, line: _Line) -> None:
        text = line.text
        if self.mode == "end" or self.skipping(line):
            return
        if self.table is not None:
            if line.cells:
                self.table_row(line)
                return
            self.table, self.mode = None, "after"
        if line.cells and self.table_header(line):
            return
        if self.mode == "contents" and self.contents_entry(line):
            return
        if self.page_furniture(line):
            return
        kind, body, number, marked = _shape(text)
        if self.pending and kind in ("text", "bullet"):
            kind, number = self.pending
        self.pending = None
        wrapping, self.wrapping = self.wrapping, False
        if not body and not kind.startswith("marker:"):
            if kind in ("numbered", "listitem"):
                self.pending = kind, number
            return
        if kind.startswith("marker:"):
            self.on_marker(line, kind.partition(":")[2], body)
        elif self.mode == "followups" and self.follow_up(line, kind, body, number, marked):
            pass
        elif wrapping and kind == "text" and self.wrap(line, body):
            self.wrapping = True
        elif self.starts_question(line, kind, body, number, marked):
            self.wrapping = not marked and kind != "text"
        else:
            self.on_text(line, kind, body)

    def skipping(self, line: _Line) -> bool:
        """FAQs about interviewing and comment threads are skipped."""
        text = line.text
        stands_alone = line.after_blank and line.before_blank or text.startswith("#")
        if self.mode != "contents" and stands_alone:
            title = text.lstrip("#* ").rstrip(":* ")
            if _COMMENTS.fullmatch(title):
                self.close()
                self.mode = "end"
                return True
            if _FAQ.fullmatch(title) and not title.endswith((".", "?")):
                self.close()
                self.mode = "skip"
                return True
        if self.mode != "skip":
            return False
        if stands_alone and "question" in text.lower() and not text.endswith((".", "?")):
            self.mode = "after"
            self.loose = []
        return True

    def page_furniture(self, line: _Line) -> bool:
        text = line.text.lstrip("#* ").rstrip("* ")
        if _CONTENTS.fullmatch(text):
            self.close()
            self.mode, self.loose = "contents", []
            return True
        if _PAGE.fullmatch(text):  # page numbers of a PDF: an answer runs on past them
            return True
        if _FURNITURE.fullmatch(text):
            if self.mode == "answer":
                self.mode = "after"
            self.loose = []
            return True
        return False

    def contents_entry(self, line: _Line) -> bool:
        """A contents list runs until its first blank line; its entries are remembered."""
        if line.after_blank and self.loose:
            self.mode, self.loose = "after", []
            return False
        self.loose = [line]
        self.seen.add(_key(_shape(line.text)[1]))
        return True

    def starts_question(self, line: _Line, kind: str, body: str, number, marked: bool) -> bool:
        if kind == "numbered" and self.accepts(number, body):
            self.start(body, line, number, strong=True)
        elif kind == "q" and not self.in_open_answer():
            self.start(body, line, strong=True)
        elif kind == "bullet" and self.mode not in ("answer", "tips") and _question_like(body):
            self.start(body, line)
        elif kind == "listitem" and self.mode != "tips" and _question_like(body):
            if not body.endswith("?"):
                return False
            self.start(body, line)
        elif kind in ("text", "bullet") and (marked or _key(body) in self.seen):
            if self.is_caption(body):
                return True
            if self.in_open_answer() or not _question_like(body):
                return False
            self.start(body, line, strong=not marked)
        else:
            return False
        return True

    def is_caption(self, body: str) -> bool:
        """The question repeated right under itself (an image caption or a heading)."""
        item = self.current
        return (
            item is not None
            and not (item.why or item.answer or item.follow_ups)
            and _key(body) == _key(item.question)
        )

    def accepts(self, number: tuple[int, ...], text: str) -> bool:
        """Whether a numbered line starts a question rather than a list inside one."""
        if len(number) > 1:
            return _question_like(text) and not self.in_open_answer()
        value, previous = number[0], self.last_flat
        if self.in_open_answer():
            # A list inside a quoted answer is not a question, but an answer whose closing
            # quote is missing must not swallow the next numbered question either.
            return previous is not None and value == previous + 1 and text.endswith("?")
        if self.mode == "tips":
            return previous is not None and value == previous + 1 and _question_like(text)
        if previous is None or value == previous + 1:
            return True
        if value == 1 and _question_like(text):
            return True
        return value > previous and _question_like(text) and self.mode != "answer"

    def wrap(self, line: _Line, body: str) -> bool:
        """Join a question wrapped onto the next line (text from PDFs)."""
        item = self.current
        question = item.question if item else ""
        if (
            item is None
            or line.after_blank
            or item.why
            or _ends_sentence(question)
            or len(question) + len(body) > _MAX_QUESTION_CHARS
        ):
            return False
        if body[:1].islower() or (len(question) >= 40 and body.endswith("?")):
            item.question = f"{question} {body}"
            self.seen.add(_key(item.question))
            return True
        return False

    def on_marker(self, line: _Line, name: str, rest: str) -> None:
        if self.current is None or self.mode in ("before", "after", "answer"):
            pool = self.current.answer[1:] if self.mode == "answer" else self.loose
            if not self.start_from_pool(pool) and (
                self.current is None or self.mode != "answer" and self.loose
            ):
                self.mode, self.loose = "after", []
                return
        item = self.current
        item.marked = True
        if name == "answer":
            if self.mode != "answer":
                item.answer = []
            self.mode, self.answer_indent = "answer", line.indent
            if rest:
                item.answer.append(replace(line, text=rest, after_blank=True))
        elif name == "why":
            self.mode = "why"
            if rest:
                item.why.append(replace(line, text=rest, after_blank=True))
        elif name == "followups":
            self.mode, self.follow_number = "followups", None
            if rest:
                item.follow_ups.append(rest)
        else:
            self.mode = "tips"

    def start_from_pool(self, pool: list[_Line]) -> bool:
        """Start the unnumbered question that a marker confirms, from the text before it."""
        first = max(0, len(pool) - _POOL)
        for index in range(len(pool) - 1, first - 1, -1):
            candidate = pool[index]
            question = _shape(candidate.text)[1]
            if candidate.after_blank and _question_like(question):
                if self.mode == "answer" and pool is not self.loose:
                    self.current.answer = self.current.answer[: index + 1]
                self.start(question, candidate)
                self.current.why = pool[index + 1 :]
                return True
        return False

    def follow_up(self, line: _Line, kind: str, body: str, number, marked: bool) -> bool:
        """Take a line into the current follow-up list; False once the list is over."""
        item = self.current
        if marked:
            pass
        elif kind == "numbered" and len(number) == 1:
            expected = 1 if self.follow_number is None else self.follow_number + 1
            next_main = line.after_blank and number[0] == (self.last_flat or 0) + 1
            if number[0] == expected and (item.follow_ups or expected == 1) and not next_main:
                self.follow_number = number[0]
                item.follow_ups.append(body)
                return True
        elif kind in ("bullet", "listitem") or (
            kind == "text" and body.endswith("?") and not (line.after_blank and item.follow_ups)
        ):
            item.follow_ups.append(body)
            return True
        elif kind == "text" and not line.after_blank and item.follow_ups:
            if not _ends_sentence(item.follow_ups[-1]):
                item.follow_ups[-1] += " " + body
                return True
        self.mode, self.loose = "after", []
        return False

    def on_text(self, line: _Line, kind: str, body: str) -> None:
        item, mode = self.current, self.mode
        if item is not None and mode in ("why", "answer", "tips") and _is_heading(line):
            if mode != "why" or item.why or _ends_sentence(item.question):
                self.mode, self.loose = "after", [line]
                return
        if mode == "why":
            if not item.why and kind == "text" and line.text[0] in '“"' and not line.cells:
                self.mode, self.answer_indent = "answer", line.indent
                item.answer = [line]
            else:
                item.why.append(line)
        elif mode == "answer":
            if _quote_state(item.answer) == "closed" or (
                item.answer and line.indent < self.answer_indent
            ):
                self.mode, self.loose = "after", [line]
            else:
                item.answer.append(line)
        elif mode == "tips":
            if kind == "text" and line.after_blank:
                self.mode, self.loose = "after", [line]
        else:
            self.loose.append(line)
            if _question_like(body):
                self.seen.add(_key(body))

    def table_header(self, line: _Line) -> bool:
        """A ``Question | Why it matters | …`` header starts a table of questions."""
        roles = [_column_role(cell) for cell in line.cells]
        if "question" not in roles or any(len(cell) > 60 for cell in line.cells):
            return False
        self.close()
        self.table = list(zip(roles, line.cells, strict=True))
        self.mode = "table"
        return True

    def table_row(self, line: _Line) -> None:
        """One row of a question table; a row without a question continues the last one."""
        cells = line.cells
        if all(_TABLE_RULE.fullmatch(cell) for cell in cells):
            return
        roles = [role for role, _ in self.table]
        question = cells[roles.index("question")] if len(cells) > roles.index("question") else ""
        if question:
            kind, body, number, _ = _shape(question)
            if "number" in roles and kind != "numbered":
                number = _shape(f"{cells[roles.index('number')]}. x")[2]
            self.start(body, line, number, strong=True)
            self.mode, self.table_cells = "table", [[] for _ in self.table]
        if self.current is None:
            return
        for column, cell in zip(self.table_cells, cells, strict=False):
            if cell:
                column.append(cell)
        item, why, answer = self.current, [], []
        for (role, header), column in zip(self.table, self.table_cells, strict=True):
            if column and role not in ("question", "number"):
                text = " ".join(column)
                if role == "answer":
                    answer.append(replace(line, text=text, after_blank=True))
                else:
                    text = text if role == "why" else f"{header}: {text}"
                    why.append(replace(line, text=text, after_blank=True))
        item.why, item.answer = why, answer


def _column_role(header: str) -> str:
    header = _key(header)
    if re.fullmatch(
        r"(?:an? )?(?:(?:example|sample|model|possible|suggested) )?(?:answer|response)s?|examples?",
        header,
    ):
        return "answer"
    if re.search(r"\bwhy\b|\bpurpose\b", header):
        return "why"
    if re.fullmatch(r"(?:the |interview )?questions?", header):
        return "question"
    return "number" if re.fullmatch(r"|no|number|q", header) else "other"


# --- trainers' own question files (CSV or YAML) ---------------------------------------------

TRAINER_COLUMNS = [
    "question_id",
    "question",
    "why_asked",
    "example_answer",
    "follow_ups",
    "source",
    "competencies",
    "icrc_domains",
    "kind",
    "talking_points",
]


def read_trainer_file(path: str | Path) -> list[dict]:
    """Read a trainer's CSV or YAML question file into raw row dicts, each with ``_where``.

    CSV cells: ``competencies`` and ``icrc_domains`` separated by ``;``; ``follow_ups`` by `` | ``;
    ``talking_points`` as ``Label: cue, cue | Label: cue``. YAML: a list of mappings with
    lists for all three.
    """
    path = Path(path)
    name = content.shown(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".yaml", ".yml"):
        raise BankFormatError(
            f"{name}: unsupported file type {suffix or '(none)'}; use .csv, .yaml or .yml."
        )
    text = content.read_text(path, name)
    if suffix == ".csv":
        return _read_trainer_csv(text, name)
    data, node = content.parse_yaml(text, name)
    return _trainer_yaml_rows(data, node, name)


def _read_trainer_csv(text: str, path: str) -> list[dict]:
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
    try:
        for record in reader:
            row = {k: (v or "").strip() for k, v in record.items() if k}
            for key in ("competencies", "icrc_domains"):
                row[key] = [c.strip() for c in row.get(key, "").split(";") if c.strip()]
            follow_ups = row.get("follow_ups", "").split("|")
            row["follow_ups"] = [f.strip() for f in follow_ups if f.strip()]
            row["talking_points"] = _parse_points_cell(row.get("talking_points", ""))
            row["_where"] = f"{path}, line {reader.line_num}"
            rows.append(row)
    except csv.Error as exc:
        raise BankFormatError(f"{path}, line {reader.line_num}: not valid CSV ({exc}).") from None
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


def _trainer_yaml_rows(data, node, path: str) -> list[dict]:
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
        icrc_domains="",
        kind="",
        talking_points="",
    )[TRAINER_COLUMNS]
    if out.suffix.lower() == ".csv":
        template.assign(follow_ups=template["follow_ups"].map(" | ".join)).to_csv(out, index=False)
    elif out.suffix.lower() in (".yaml", ".yml"):
        records = template.to_dict(orient="records")
        for record in records:
            record["follow_ups"] = list(record["follow_ups"])
            record["competencies"] = []
            record["icrc_domains"] = []
            record["talking_points"] = []
        out.write_text(yaml.safe_dump(records, sort_keys=False, allow_unicode=True), "utf-8")
    else:
        raise BankFormatError(f"{out}: choose a .csv, .yaml or .yml output file.")
