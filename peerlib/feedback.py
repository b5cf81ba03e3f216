"""Instant, private feedback on a practice answer: pure functions, no widgets.

``analyze_answer(question_id, text)`` returns a :class:`Feedback`: the question's talking
points the checker recognized and those it did not find, concerns (unsafe or off-role
practice, see ``peerlib.concerns``), structure (situation, action, result) for behavioural
questions, length and speaking time, recovery-oriented language notes, filler and most-used
words.

A talking point is met when the answer *says* it: one of its cues, paraphrases or patterns,
matched on word families and outside negation (``peerlib.matching``). A list of words is
not an answer and meets no point. Matching is explainable and offline; it cannot judge
everything, and the learner-facing text says so.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import bank, concerns, content, matching
from .concerns import Concern
from .errors import BankFormatError

WORDS_PER_MINUTE = 130
TARGET_SECONDS = (60, 120)  # one to two minutes spoken is "good"
LANGUAGE_FILE = "language.yaml"  # in peerlib/data/
EMPTY_NOTE = "Write or paste your answer above, then ask for feedback again."
# With a concern the points recognized do not count: an answer that describes unsafe practice
# scores 0, as a grader ranks it, with a keyword list and below a vague but safe answer.
CONCERN_WEIGHT = 0.0
# Concerns all found in one sentence, in an answer that outside that sentence meets every
# required point and at least this share of the points, are shown as "worth a second look" when
# the concern model reads the sentence as good practice (or found the concern by example and is
# not sure): on the graded sets such answers are nearly always strong ones whose words the
# patterns misread. Each point then counts three quarters. Where a life may be at stake, only a
# pattern the model reads as good practice, in an answer that meets the higher share.
SECOND_LOOK_COVERAGE = 0.6
LIFE_SAFETY_SECOND_LOOK_COVERAGE = 0.75
SECOND_LOOK_WEIGHT = 0.75
LONG_ANSWER_WORDS = 80
# Many phrases with no one doing anything ("ask directly about suicide, stay with the person,
# 988 call text or chat, follow up next day") are a list however many small words they have.
LIST_ITEMS = 8
SPEAKERS = matching.SPEAKER_SELF | matching.YOU  # someone doing something: not a list
_SENTENCE_BREAK = re.compile(r"[.!?]\s+\S")
_ITEM_BREAK = re.compile(r"[,;\n\u2022\u00b7|/]+|\s-\s|^\s*[-*]\s", re.M)

# Structure of a behavioural answer, matched on unstemmed words (tense matters here).
SITUATION_CUES = (
    "a time", "one time", "once", "there was", "there were", "i was", "we were", "i had",
    "i worked", "i met", "last year", "last month", "last week", "years ago", "months ago",
    "recently", "i remember", "at the time", "in my previous", "in my last", "was when",
    "when i was", "when he was", "when she was", "when they were",
)  # fmt: skip
RESULT_CUES = (
    "as a result", "in the end", "eventually", "outcome", "learned", "learnt", "now",
    "began to", "started to", "was able to", "were able to", "ended up", "by the end",
    "since then", "afterwards", "looking back", "resulted", "made a difference",
)  # fmt: skip
# An action is "I" or "we", up to two of these words, then a verb in the past tense.
ACTION_SUBJECTS = frozenset({"i", "we"})
ACTION_GAP_WORDS = frozenset(
    "first then also just immediately gently calmly really actively quickly finally slowly "
    "carefully together both all have had personally".split()
)
IRREGULAR_PAST = frozenset(
    "took made sat spoke gave told went met brought found kept led got sent set wrote drove "
    "came began ran built held sought stood chose taught".split()
)
NOT_ACTIONS = frozenset(
    "believed needed wanted liked loved hoped seemed wished learned realized realised "
    "experienced struggled worried".split()
)

FILLERS = (
    "um", "umm", "uh", "uhh", "er", "erm", "you know", "i mean", "basically", "literally",
    "actually", "sort of", "kind of", "stuff", "things like that",
)  # fmt: skip
_FILLERS_BY_FIRST_WORD = {
    first: tuple(f for f in FILLERS if f.split()[0] == first)
    for first in {f.split()[0] for f in FILLERS}
}
# A filler is literal, not filler, after these words ("what kind of help", "let you know").
_DETERMINERS = frozenset("what this that these those any some the a every which one same".split())
LITERAL_AFTER = {
    "kind of": _DETERMINERS,
    "sort of": _DETERMINERS,
    "you know": frozenset({"let", "lets", "do", "did", "if", "would", "will", "to"}),
}

STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each even
    every few for from further get gets got had has have having he her here hers herself him
    himself his how however i if in into is it its itself just let like made make makes many
    may me might more most much must my myself no nor not now of off on once one only or other
    others our ours ourselves out over own really same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until
    up upon us very want was way we well were what when where whether which while who whom
    whose why will with within without would you your yours yourself yourselves able always
    another around come ensure etc going help helps know lot lots new often per put
    said say see sure take takes thing things think try use used using whatever yes yet
    i'm i've i'd i'll it's that's there's they're they've we're we've you're you've don't
    doesn't didn't can't won't isn't wasn't aren't let's""".split()
)
MIN_TOP_WORD_LENGTH = 3
TOP_WORDS = 5

_HYPHENS = re.compile(r"[\u2010\u2011\u2012\u2013\u2014\u2212-]")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)*")
_WRITTEN_WORD = re.compile(r"[A-Za-z0-9]+(?:['\u2019\u2010\u2011-][A-Za-z0-9]+)*")

# --- the values returned ---------------------------------------------------------------------


@dataclass(frozen=True)
class Structure:
    """Which parts of a situation-action-result story an answer has."""

    situation: bool
    action: bool
    result: bool


@dataclass(frozen=True)
class LanguageNote:
    """A term to reconsider, as the learner wrote it, with a better one and why."""

    term: str
    alternative: str
    reason: str


@dataclass(frozen=True)
class Feedback:
    """The analysis of one practice answer (see ``analyze_answer``).

    ``covered`` and ``missing`` are talking point labels (missing required points first);
    ``evidence`` pairs each covered label with the learner's words that showed it; ``hints``
    pairs each missing label with cues that would count. ``concerns`` lists unsafe or
    off-role practice found; ``second_looks`` holds concerns found in one sentence that the
    rest of the answer argues against (``SECOND_LOOK_COVERAGE``): shown, but not counted as a
    concern.
    ``word_list`` is true when the text is a list of words rather than sentences (it then
    meets no point).
    """

    question_id: str
    covered: tuple[str, ...]
    missing: tuple[str, ...]
    evidence: tuple[tuple[str, str], ...]
    hints: tuple[tuple[str, tuple[str, ...]], ...]
    structure: Structure | None
    word_count: int
    speaking_seconds: float
    length_verdict: str
    language_notes: tuple[LanguageNote, ...]
    filler_words: tuple[tuple[str, int], ...]
    top_words: tuple[tuple[str, int], ...]
    note: str = ""
    concerns: tuple[Concern, ...] = ()
    required_missing: tuple[str, ...] = ()
    word_list: bool = False
    sentences: int = 0
    second_looks: tuple[Concern, ...] = ()

    @property
    def points(self) -> int:
        """How many talking points the question has."""
        return len(self.covered) + len(self.missing)

    @property
    def score(self) -> float:
        """Share of talking points met, 0 to 1. With a concern the points do not count
        (``CONCERN_WEIGHT``): the score is 0; with a second look each counts three quarters."""
        share = len(self.covered) / self.points if self.points else 0.0
        if self.concerns:
            return share * CONCERN_WEIGHT
        return share * SECOND_LOOK_WEIGHT if self.second_looks else share

    @property
    def to_check(self) -> tuple[str, ...]:
        """What the learner should look at again: each concern, then any second look."""
        looks = tuple(f"Second look: {c.label}" for c in self.second_looks)
        return tuple(c.label for c in self.concerns) + looks

    @property
    def may_have_missed(self) -> bool:
        """A long answer in full sentences that the checker matched poorly: say so honestly."""
        return (
            not self.word_list
            and self.word_count >= LONG_ANSWER_WORDS
            and self.sentences >= 4
            and self.points > 0
            and len(self.covered) / self.points < 0.5
        )

    def summary(self) -> str:
        """One short line for the progress store, e.g. '3/4 points; 1 concern; 180 words (…)'."""
        notes, concerns = len(self.language_notes), len(self.concerns)
        language = f"{notes or 'no'} language note{'' if notes == 1 else 's'}"
        flags = f"{concerns} concern{'' if concerns == 1 else 's'}; " if concerns else ""
        if self.second_looks:
            flags += "1 phrase to look at again; "
        if self.word_list:
            flags += "word list; "
        return (
            f"{len(self.covered)}/{self.points} points; {flags}"
            f"{self.word_count} words ({format_duration(self.speaking_seconds)}); {language}"
        )

    def to_html(self) -> str:
        """The learner-facing feedback as HTML; all learner and bank text is escaped."""
        return _render(self)

    def _repr_html_(self) -> str:
        return self.to_html()


# --- words and word lists --------------------------------------------------------------------


def words(text: str) -> list[str]:
    """Lower-case words of ``text``, with straight apostrophes."""
    return _WORD.findall(_HYPHENS.sub(" ", text.lower().translate(matching.APOSTROPHES)))


def _padded(tokens) -> str:
    """Words joined for phrase search: ' a b c ' contains ' b c ' iff b, c are consecutive."""
    return f" {' '.join(tokens)} "


def looks_like_word_list(text: str) -> bool:
    """True for text that is a list of words, not sentences: few function words, short items.

    "safety, 988, listen, follow up" is a list; "I would listen and call 988." is not, and
    neither is a terse sentence ending in a full stop with a part of four words or more
    ("Making people feel safe, physically and emotionally, comes first."). Eight or more
    phrases in one run, none with "I", "we" or "you", are a list whatever their words.
    """
    tokens = words(text)
    if len(tokens) < 3:
        return False
    items = [i for i in _ITEM_BREAK.split(text) if i.strip()]
    if len(items) >= LIST_ITEMS and not _SENTENCE_BREAK.search(text) and not SPEAKERS & set(tokens):
        return True
    function_share = sum(t in matching.FUNCTION_WORDS for t in tokens) / len(tokens)
    short_items = len(items) >= 3 and len(tokens) / len(items) <= 3.5
    if not (function_share < 0.15 or (short_items and function_share < 0.4)):
        return False
    terse_sentence = text.rstrip()[-1:] in ".!?" and any(len(words(i)) >= 4 for i in items)
    return not terse_sentence


# --- the question's talking points, compiled once per question ------------------------------


@content.cached
def _compiled_question(question_id: str):
    row = bank.question(question_id)
    points = tuple(
        (point, tuple(matching.compile_pattern(way, loose=True) for way in point.ways))
        for point in row["talking_points"]
    )
    return row["kind"], tuple(row["competencies"]), points


# --- the language list -----------------------------------------------------------------------


def _term_pattern(term: str) -> str:
    """Regex for a term: any spacing or hyphen between words, an optional plural at the end.

    A term written in capitals ("MAT") is an acronym: matched as written, in capitals.
    """
    if term.isupper():
        return rf"\b(?-i:{re.escape(term)})s?\b"
    parts = [re.escape(w).replace("'", "'?").replace(r"\-", r"[\s-]?") for w in term.split()]
    return r"\b" + r"[\s-]+".join(parts) + r"(?:e?s)?\b"


def _terms_regex(terms) -> re.Pattern | None:
    """One case-insensitive regex for a list of terms, longest first; None for no terms."""
    ordered = sorted(terms, key=len, reverse=True)
    return re.compile("|".join(map(_term_pattern, ordered)), re.I) if ordered else None


def _phrases(entry: dict, key: str, where: str, problems: list[str]) -> tuple[str, ...] | None:
    """The words or phrases listed in ``entry[key]``, lower case; None (and a problem) if bad."""
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(t, str) and t.strip() for t in value):
        problems.append(f"{where}: `{key}` must be a list of words or phrases.")
        return None
    return tuple(
        " ".join((t if t.isupper() else t.lower()).translate(matching.APOSTROPHES).split())
        for t in value
    )


def _validate_language(path: Path) -> pd.DataFrame:
    shown = content.shown(path)
    if not path.is_file():
        raise BankFormatError(
            f"{shown}: the language list is missing; add it (a list of terms, alternative, reason)."
        )
    data, node = content.read_yaml(path)
    lines = bank.key_lines(node)
    if not isinstance(data, list):
        bank.raise_problems([f"{shown}, line 1: expected a list of entries."], shown)
    problems, rows, seen = [], [], {}
    for i, entry in enumerate(data):
        where = f"{shown}, line {lines.get(i, '?')}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: each entry needs `terms`, `alternative` and `reason`.")
            continue
        terms = _phrases(entry, "terms", where, problems)
        if terms == ():
            problems.append(f"{where}: no `terms`; list the words or phrases to look for.")
        for key in ("alternative", "reason"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                problems.append(f"{where}: missing `{key}`; every entry needs one (as text).")
        for term in terms or ():
            if term in seen:
                problems.append(f"{where}: term {term!r} is already listed at line {seen[term]}.")
            seen[term] = lines.get(i, "?")
        rows.append(
            {
                "terms": terms or (),
                "alternative": str(entry.get("alternative") or "").strip(),
                "reason": str(entry.get("reason") or "").strip(),
                "except_in": _phrases(entry, "except_in", where, problems) or (),
            }
        )
    bank.raise_problems(problems, shown)
    return pd.DataFrame(rows, columns=["terms", "alternative", "reason", "except_in"])


@content.cached
def _language(path: Path):
    frame = _validate_language(path)
    compiled = tuple(
        (
            frozenset(max(re.split(r"[\s'-]", t), key=len).lower() for t in row.terms),
            tuple(frozenset(w for w in re.split(r"[\s'-]", t.lower()) if w) for t in row.terms),
            _terms_regex(row.terms),
            _terms_regex(row.except_in),
            row.alternative,
            row.reason,
        )
        for row in frame.itertuples(index=False)
    )
    return frame, compiled


def load_language_terms(path: str | Path | None = None) -> pd.DataFrame:
    """The recovery-oriented language list, validated: one row per entry.

    Columns: ``terms`` (tuple), ``alternative``, ``reason``, ``except_in`` (tuple of phrases in
    which a term is fine, e.g. "alcoholics anonymous"). Raises ``BankFormatError`` naming the
    file and line of every incomplete entry.
    """
    return _language(Path(path) if path else content.path(LANGUAGE_FILE))[0].copy()


def language_notes(text: str, path: str | Path | None = None) -> tuple[LanguageNote, ...]:
    """Terms to reconsider found in ``text`` (each list entry once), in order of appearance."""
    normalised = text.translate(matching.APOSTROPHES)  # same length, so spans index ``text``
    lowered = normalised.lower()
    found = []
    _, compiled = _language(Path(path) if path else content.path(LANGUAGE_FILE))
    for longest_words, terms_words, pattern, allowed, alternative, reason in compiled:
        if not any(word in lowered for word in longest_words) or not any(
            all(word in lowered for word in term) for term in terms_words
        ):
            continue  # quick tests: a term can only match if its words are all in the text
        fine = [m.span() for m in allowed.finditer(normalised)] if allowed else []
        for match in pattern.finditer(normalised):
            if not any(a <= match.start() and match.end() <= b for a, b in fine):
                term = text[match.start() : match.end()]
                found.append((match.start(), LanguageNote(term, alternative, reason)))
                break
    return tuple(note for _, note in sorted(found, key=lambda pair: pair[0]))


# --- the analysis ----------------------------------------------------------------------------


def _has_action(tokens: list[str]) -> bool:
    for i, token in enumerate(tokens):
        if token not in ACTION_SUBJECTS:
            continue
        for verb in tokens[i + 1 : i + 4]:
            if verb in IRREGULAR_PAST or (verb.endswith("ed") and verb not in NOT_ACTIONS):
                return True
            if verb not in ACTION_GAP_WORDS:
                break
    return False


def _structure(tokens: list[str]) -> Structure:
    raw = _padded(tokens)
    return Structure(
        situation=any(f" {cue} " in raw for cue in SITUATION_CUES),
        action=_has_action(tokens),
        result=any(f" {cue} " in raw for cue in RESULT_CUES),
    )


def _fillers(tokens: list[str]) -> tuple[tuple[str, int], ...]:
    counts = Counter()
    for i, token in enumerate(tokens):
        for filler in _FILLERS_BY_FIRST_WORD.get(token, ()):
            size = filler.count(" ") + 1
            if " ".join(tokens[i : i + size]) == filler and (
                i == 0 or tokens[i - 1] not in LITERAL_AFTER.get(filler, ())
            ):
                counts[filler] += 1
    return tuple(counts.most_common())


def _top_words(tokens: list[str]) -> tuple[tuple[str, int], ...]:
    candidates = (t.removesuffix("'s") for t in tokens if t not in STOP_WORDS)
    counts = Counter(
        w for w in candidates if len(w) >= MIN_TOP_WORD_LENGTH and w.replace("'", "").isalpha()
    )
    return tuple(counts.most_common(TOP_WORDS))


def length_verdict(seconds: float) -> str:
    """'too short', 'good' or 'long' against ``TARGET_SECONDS``."""
    low, high = TARGET_SECONDS
    return "too short" if seconds < low else "long" if seconds > high else "good"


def format_duration(seconds: float) -> str:
    """'1 min 23 s', '2 min', '45 s' (whole seconds, rounded down)."""
    minutes, secs = divmod(int(seconds), 60)
    if not minutes:
        return f"{secs} s"
    return f"{minutes} min {secs} s" if secs else f"{minutes} min"


def _span(text: str, words: str) -> range:
    """Where ``words`` (found in ``text``) first stand in it."""
    start = text.find(words)
    return range(start, start + len(words))


def _sentence_of(text: matching.Analysed, words: str) -> range:
    """The span of the sentence where ``words`` (found in the text) stand."""
    where = _span(text.text, words).start
    for sentence in text.sentences:
        if where in sentence.span:
            return sentence.span
    return _span(text.text, words)


def _talking_points(points, text: matching.Analysed, listed: bool, taken=()):
    """(covered, missing, evidence, hints, required missing): missing required points first.

    A sentence that raised a concern (``taken``: their spans) shows no talking point: "I'm sorry
    you feel that way, but it was just a joke" is no apology. Another sentence still may.
    """

    def shows(sentence: matching.Sentence) -> bool:
        span = sentence.span
        return not any(span.start < t.stop and t.start < span.stop for t in taken)

    covered, evidence, missing = [], [], []
    for point, patterns in points:
        found = (
            None
            if listed
            else next(
                (w for p in patterns for s, w in matching.find_each(p, text) if shows(s)), None
            )
        )
        if found is None:
            missing.append(point)
        else:
            covered.append(point.label)
            evidence.append((point.label, found))
    missing.sort(key=lambda point: not point.required)
    required = tuple(p.label for p in missing if p.required)
    hints = tuple((p.label, p.cues) for p in missing)
    return tuple(covered), tuple(p.label for p in missing), tuple(evidence), hints, required


def _misread(found: tuple[Concern, ...], sentences: set[range], met: float) -> bool:
    """Whether the concerns found (in these sentences) are likely a misreading: a second look.

    See ``SECOND_LOOK_COVERAGE``; ``met`` is the share of points met outside the sentence.
    """
    if not found or len(sentences) != 1 or any(c.sentences != 1 for c in found):
        return False
    if any(c.life_safety for c in found):
        return met >= LIFE_SAFETY_SECOND_LOOK_COVERAGE and all(c.read_as_good for c in found)
    return met >= SECOND_LOOK_COVERAGE and all(
        c.read_as_good or (c.by_example and not c.sure) for c in found
    )


def analyze_answer(question_id: str, text: str) -> Feedback:
    """Analyse a practice answer to a bank question; see :class:`Feedback` for the fields.

    Raises ``TypeError`` if ``text`` is not a string and ``BankFormatError`` for an unknown
    question id. Empty text gives a valid result with every point missing and a gentle note.
    """
    if not isinstance(text, str):
        raise TypeError(f"The answer must be text (a str), not {type(text).__name__}.")
    kind, competencies, points = _compiled_question(question_id)
    tokens = words(text)
    analysed = matching.analyse(text)
    listed = looks_like_word_list(text)
    found = concerns.find_concerns(analysed, competencies) if tokens else ()
    taken = tuple(_sentence_of(analysed, c.matched) for c in found)
    covered, missing, evidence, hints, required = _talking_points(points, analysed, listed, taken)
    met = len(covered) / (len(covered) + len(missing)) if covered else 0.0
    doubtful = not required and _misread(found, set(taken), met)
    word_count = len(_WRITTEN_WORD.findall(text))
    seconds = round(word_count * 60 / WORDS_PER_MINUTE, 1)
    return Feedback(
        question_id=question_id,
        covered=covered,
        missing=missing,
        evidence=evidence,
        hints=hints,
        structure=_structure(tokens) if kind == "behavioural" else None,
        word_count=word_count,
        speaking_seconds=seconds,
        length_verdict=length_verdict(seconds),
        language_notes=language_notes(text),
        filler_words=_fillers(tokens),
        top_words=_top_words(tokens),
        note="" if tokens else EMPTY_NOTE,
        concerns=() if doubtful else found,
        required_missing=required,
        word_list=listed,
        sentences=len(analysed.sentences),
        second_looks=found if doubtful else (),
    )


# --- HTML ------------------------------------------------------------------------------------

_STRUCTURE_HINTS = (
    ("situation", "Situation", "set the scene: when it was and what was going on."),
    ("action", "Action", "say what you did: “I listened…”, “I asked…”, “we worked out…”."),
    ("result", "Result", "say how it turned out, or what you learned."),
)
_VERDICT_ADVICE = {
    "too short": "Too short: add a concrete example or say what you would do next.",
    "good": "Good length for a spoken answer.",
    "long": "Long: keep the strongest points so it fits in two minutes.",
}
_LIST = '<ul style="list-style:none;padding-left:0.25em;margin:0.25em 0">'
_ITEM = '<li style="margin-bottom:0.5em">'  # a concern: its label, the words, why, what instead
_YES = '<span aria-hidden="true">✓</span>'
_NO = '<span aria-hidden="true">✗</span>'


def _quoted(items) -> str:
    return ", ".join(f"“{html.escape(item)}”" for item in items)


def _evidence(concern: Concern) -> str:
    """Where the checker saw a concern: the learner's words, or a sentence read by example."""
    if concern.by_example:
        return (
            f"this sentence reads like the checker's examples of it: {_quoted([concern.matched])}"
        )
    return f"you wrote {_quoted([concern.matched])}"


def _counts(pairs) -> str:
    return ", ".join(f"{html.escape(word)} ({count})" for word, count in pairs)


WORD_LIST_NOTE = (
    "This looks like a list of words rather than an answer, so the checker did not count any "
    "talking points. Try answering in full sentences, as you would say it aloud to an "
    "interviewer or to the person in front of you."
)
MAY_HAVE_MISSED_NOTE = (
    "Your answer is in full sentences, but the checker recognized few of the points "
    "below. It matches words and phrases, so it may have missed points you made in your own "
    "words: compare your answer with each point yourself."
)


def _concern_item(concern: Concern, label: str) -> str:
    """One concern as a list item: the label, the learner's words, why it matters, what instead."""
    esc = html.escape
    return (
        f"{_ITEM}<strong>{esc(label)}</strong> ({_evidence(concern)})."
        f"<br>Why it matters: {esc(concern.why)}<br>Safer practice: {esc(concern.instead)}</li>"
    )


def _concerns_html(fb: Feedback) -> list[str]:
    count = len(fb.concerns)
    out = [f"<h4>Check this: {count} possible concern{'' if count == 1 else 's'}</h4>{_LIST}"]
    out += [_concern_item(concern, concern.label) for concern in fb.concerns]
    counted = (
        "the talking points recognized below do not count in this answer's score"
        if fb.covered
        else "this answer scores 0"
    )
    out.append(
        f"</ul><p><em>Because this may describe unsafe practice, {counted} until it is revised. "
        "If the checker misread you (for example, you were describing what you would not do), "
        "talk it through with your trainer.</em></p>"
    )
    return out


def _second_looks_html(fb: Feedback) -> list[str]:
    out = [
        "<h4>Worth a second look</h4><p>The checker recognized most talking points elsewhere in "
        "your answer, so it may have misread this sentence. Read it again, with your trainer if "
        f"you can. If it is what you meant:</p>{_LIST}"
    ]
    out += [_concern_item(concern, f"{concern.label}?") for concern in fb.second_looks]
    out.append(
        "</ul><p><em>Each talking point recognized counts three quarters in this answer's "
        "score.</em></p>"
    )
    return out


def _points_html(fb: Feedback) -> list[str]:
    esc = html.escape
    out = [f"<h4>Talking points: the checker recognized {len(fb.covered)} of {fb.points}</h4>"]
    if fb.word_list:
        out.append(f"<p><strong>{esc(WORD_LIST_NOTE)}</strong></p>")
    elif fb.may_have_missed:
        out.append(f"<p><em>{esc(MAY_HAVE_MISSED_NOTE)}</em></p>")
    out.append(_LIST)
    required = set(fb.required_missing)
    for label, cues in fb.hints:
        essential = (
            "<strong>Essential, not found:</strong>"
            if label in required
            else ("<strong>It did not find:</strong>")
        )
        out.append(f"<li>{_NO} {essential} {esc(label)} (for example {_quoted(cues[:3])})</li>")
    out += [
        f"<li>{_YES} <strong>Recognized:</strong> {esc(label)} (your words: {_quoted([words])})"
        "</li>"
        for label, words in fb.evidence
    ]
    out.append("</ul>")
    return out


def _render(fb: Feedback) -> str:
    esc = html.escape
    out = [
        '<section aria-label="Feedback on your answer" style="line-height:1.5;'
        'border-left:3px solid currentColor;padding-left:0.75em">'
    ]
    if fb.note:
        out.append(f"<p><em>{esc(fb.note)}</em></p>")
    if fb.concerns:
        out += _concerns_html(fb)
    out += _points_html(fb)
    if fb.second_looks:
        out += _second_looks_html(fb)
    if fb.structure is not None:
        out.append(f"<h4>Structure: situation, action, result</h4>{_LIST}")
        for field, name, hint in _STRUCTURE_HINTS:
            if getattr(fb.structure, field):
                out.append(f"<li>{_YES} <strong>{name}:</strong> present</li>")
            else:
                out.append(f"<li>{_NO} <strong>{name}:</strong> missing; {esc(hint)}</li>")
        out.append("</ul>")
    low, high = TARGET_SECONDS
    out.append(
        f"<h4>Length</h4><p>{fb.word_count} words, about "
        f"{format_duration(fb.speaking_seconds)} spoken at {WORDS_PER_MINUTE} words a minute "
        f"(target {format_duration(low)} to {format_duration(high)}). "
        f"<strong>{esc(_VERDICT_ADVICE[fb.length_verdict])}</strong></p>"
    )
    out.append("<h4>Language</h4>")
    if fb.language_notes:
        out.append(_LIST)
        out += [
            f"<li>{_NO} <strong>{_quoted([n.term])}</strong>: try {_quoted([n.alternative])}. "
            f"{esc(n.reason)}</li>"
            for n in fb.language_notes
        ]
        out.append("</ul>")
    else:
        out.append(f"<p>{_YES} No terms to reconsider were found.</p>")
    out.append("<h4>Words</h4><ul>")
    out.append(f"<li>Most used: {_counts(fb.top_words) or 'none yet'}</li>")
    out.append(f"<li>Filler words: {_counts(fb.filler_words) or 'none found'}</li></ul>")
    out.append(
        "<p><small>The checker looks for what a strong answer says, in many wordings, and for "
        "unsafe practice, by pattern and by example. It cannot tell whether an answer is good "
        "or safe: talk it through with your trainer or supervisor. If practicing these "
        "questions brings something up for you, you can call or text 988 at any time."
        "</small></p></section>"
    )
    return "".join(out)
