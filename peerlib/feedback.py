"""Instant, private feedback on a practice answer: pure functions, no widgets.

``analyze_answer(question_id, text)`` returns a :class:`Feedback`: the question's talking
points covered and missing, structure (situation, action, result) for behavioural questions,
length and speaking time, recovery-oriented language notes, filler and most-used words.

Matching is explainable and offline. Text and cues are normalised the same way: lower case,
curly apostrophes made straight, hyphens read as spaces ("follow-up" = "follow up") except
after a joining prefix ("non-judgmental" = "nonjudgmental"), "9-8-8" read as "988"; each word
then goes through a small suffix-stripping stemmer, and a cue phrase matches consecutive
stemmed words ("follow up" matches "followed up").
"""

from __future__ import annotations

import functools
import html
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import bank, paths
from .errors import BankFormatError

WORDS_PER_MINUTE = 130
TARGET_SECONDS = (60, 120)  # one to two minutes spoken is "good"
LANGUAGE_FILE = paths.DATA_DIR / "language.yaml"
EMPTY_NOTE = "Write or paste your answer above, then ask for feedback again."

# Prefixes that join the next word, so "non-judgmental", "non judgmental" and "nonjudgmental"
# read alike; every other hyphen reads as a space.
JOINING_PREFIXES = frozenset({"anti", "co", "multi", "non", "pre", "re", "semi"})

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

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_HYPHENS = re.compile(r"[\u2010\u2011\u2012\u2013\u2014\u2212-]")
_DIGIT_HYPHEN = re.compile(r"(?<=\b\d)-(?=\d\b)")  # 9-8-8 -> 988
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)*")
_WRITTEN_WORD = re.compile(r"[A-Za-z0-9]+(?:['\u2019\u2010\u2011-][A-Za-z0-9]+)*")

# Suffix rules tried in order after plural "s" is removed: (suffix, replacement, min stem).
_SUFFIXES = (
    ("ment", "", 3),
    ("ation", "ate", 3),
    ("ing", "", 3),
    ("ied", "y", 2),
    ("ed", "", 3),
    ("ly", "", 3),
)


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
    """The analysis of one practice answer (see ``analyze_answer``)."""

    question_id: str
    covered: tuple[str, ...]
    missing: tuple[str, ...]
    evidence: tuple[tuple[str, str], ...]  # (covered label, the cue that matched)
    hints: tuple[tuple[str, tuple[str, ...]], ...]  # (missing label, cues that would count)
    structure: Structure | None
    word_count: int
    speaking_seconds: float
    length_verdict: str
    language_notes: tuple[LanguageNote, ...]
    filler_words: tuple[tuple[str, int], ...]
    top_words: tuple[tuple[str, int], ...]
    note: str = ""

    @property
    def score(self) -> float:
        """Share of the question's talking points covered, 0 to 1."""
        total = len(self.covered) + len(self.missing)
        return len(self.covered) / total if total else 0.0

    def summary(self) -> str:
        """One short line for the progress store, e.g. '3/4 points; 180 words (1 min 23 s)'."""
        notes = len(self.language_notes)
        language = f"{notes or 'no'} language note{'' if notes == 1 else 's'}"
        return (
            f"{len(self.covered)}/{len(self.covered) + len(self.missing)} points; "
            f"{self.word_count} words ({format_duration(self.speaking_seconds)}); {language}"
        )

    def to_html(self) -> str:
        """The learner-facing feedback as HTML; all learner and bank text is escaped."""
        return _render(self)

    def _repr_html_(self) -> str:
        return self.to_html()


# --- text normalisation and stemming ---------------------------------------------------------


@functools.lru_cache(maxsize=20_000)
def stem(word: str) -> str:
    """A light stem: 'listened', 'listening', 'listens' -> 'listen'; 'judgement' -> 'judg'."""
    word = word.removesuffix("'s").rstrip("'").replace("dgement", "dgment")
    if len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        word = word[:-1]
    for suffix, replacement, min_stem in _SUFFIXES:
        base = word[: -len(suffix)]
        if word.endswith(suffix) and len(base) >= min_stem:
            word = base + replacement
            if suffix in ("ing", "ed") and len(base) > 3 and base[-1] == base[-2]:
                word = base if base[-1] in "lsfz" else base[:-1]
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


def words(text: str) -> list[str]:
    """Lower-case words of ``text``, normalised as described in the module docstring."""
    text = _DIGIT_HYPHEN.sub("", text.lower().translate(_APOSTROPHES))
    tokens = _WORD.findall(_HYPHENS.sub(" ", text))
    joined: list[str] = []
    for token in tokens:
        if joined and joined[-1] in JOINING_PREFIXES:
            joined[-1] += token
        else:
            joined.append(token)
    return joined


def _padded(tokens) -> str:
    """Words joined for phrase search: ' a b c ' contains ' b c ' iff b, c are consecutive."""
    return f" {' '.join(tokens)} "


def _stemmed_phrase(phrase: str) -> str:
    return _padded(stem(w) for w in words(phrase))


# --- the question's talking points, compiled once per question ------------------------------


@functools.lru_cache(maxsize=512)
def _compiled_question(question_id: str):
    row = bank.question(question_id)
    points = tuple(
        (point.label, point.cues, tuple(_stemmed_phrase(cue) for cue in point.cues))
        for point in row["talking_points"]
    )
    return row["kind"], points


# --- the language list -----------------------------------------------------------------------


def _term_pattern(term: str) -> str:
    """Regex for a term: any spacing or hyphen between words, an optional plural at the end."""
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
    return tuple(" ".join(t.lower().translate(_APOSTROPHES).split()) for t in value)


def _validate_language(path: Path) -> pd.DataFrame:
    shown = paths.display(path)
    if not path.is_file():
        raise BankFormatError(
            f"{shown}: the language list is missing; add it (a list of terms, alternative, reason)."
        )
    data, node = bank.read_yaml(path)
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


@functools.lru_cache(maxsize=4)
def _language(path: Path):
    frame = _validate_language(path)
    compiled = tuple(
        (
            frozenset(max(re.split(r"[\s'-]", t), key=len) for t in row.terms),
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
    return _language(Path(path) if path else LANGUAGE_FILE)[0].copy()


def language_notes(text: str, path: str | Path | None = None) -> tuple[LanguageNote, ...]:
    """Terms to reconsider found in ``text`` (each list entry once), in order of appearance."""
    normalised = text.translate(_APOSTROPHES)  # same length, so spans index ``text``
    lowered = normalised.lower()
    found = []
    _, compiled = _language(Path(path) if path else LANGUAGE_FILE)
    for longest_words, pattern, allowed, alternative, reason in compiled:
        if not any(word in lowered for word in longest_words):
            continue  # a quick test: a term can only match if its longest word is in the text
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


def analyze_answer(question_id: str, text: str) -> Feedback:
    """Analyse a practice answer to a bank question; see :class:`Feedback` for the fields.

    Raises ``TypeError`` if ``text`` is not a string and ``BankFormatError`` for an unknown
    question id. Empty text gives a valid result with every point missing and a gentle note.
    """
    if not isinstance(text, str):
        raise TypeError(f"The answer must be text (a str), not {type(text).__name__}.")
    kind, points = _compiled_question(question_id)
    tokens = words(text)
    stems = _padded(stem(t) for t in tokens)
    covered, missing, evidence, hints = [], [], [], []
    for label, cues, keys in points:
        match = next((cue for cue, key in zip(cues, keys, strict=True) if key in stems), None)
        if match is None:
            missing.append(label)
            hints.append((label, cues))
        else:
            covered.append(label)
            evidence.append((label, match))
    word_count = len(_WRITTEN_WORD.findall(text))
    seconds = round(word_count * 60 / WORDS_PER_MINUTE, 1)
    return Feedback(
        question_id=question_id,
        covered=tuple(covered),
        missing=tuple(missing),
        evidence=tuple(evidence),
        hints=tuple(hints),
        structure=_structure(tokens) if kind == "behavioural" else None,
        word_count=word_count,
        speaking_seconds=seconds,
        length_verdict=length_verdict(seconds),
        language_notes=language_notes(text),
        filler_words=_fillers(tokens),
        top_words=_top_words(tokens),
        note="" if tokens else EMPTY_NOTE,
    )


def clear_cache() -> None:
    """Forget compiled questions and the language list (after editing data files)."""
    _compiled_question.cache_clear()
    _language.cache_clear()


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
_YES = '<span aria-hidden="true">✓</span>'
_NO = '<span aria-hidden="true">✗</span>'


def _quoted(items) -> str:
    return ", ".join(f"“{html.escape(item)}”" for item in items)


def _counts(pairs) -> str:
    return ", ".join(f"{html.escape(word)} ({count})" for word, count in pairs)


def _render(fb: Feedback) -> str:
    esc = html.escape
    total = len(fb.covered) + len(fb.missing)
    out = [
        '<section aria-label="Feedback on your answer" style="line-height:1.5;'
        'border-left:3px solid currentColor;padding-left:0.75em">'
    ]
    if fb.note:
        out.append(f"<p><em>{esc(fb.note)}</em></p>")
    out.append(f"<h4>Talking points: {len(fb.covered)} of {total} covered</h4>{_LIST}")
    out += [
        f"<li>{_YES} <strong>Covered:</strong> {esc(label)} (matched {_quoted([cue])})</li>"
        for label, cue in fb.evidence
    ]
    out += [
        f"<li>{_NO} <strong>Consider:</strong> {esc(label)} (for example {_quoted(cues[:3])})</li>"
        for label, cues in fb.hints
    ]
    out.append("</ul>")
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
    out.append("</section>")
    return "".join(out)
