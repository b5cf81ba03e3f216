"""Concerns: curated patterns of unsafe or off-role practice, found in a practice answer.

Each entry of ``peerlib/data/concerns.yaml`` has an ``id``, a ``label``, where it applies
(``competencies: all`` or a list of competency ids), ``patterns`` (written as in
``peerlib.matching``: phrases, ``a|b + c`` in one sentence, ``~`` for a negated group),
optional ``unless`` phrases that make a sentence safe ("…confidential *unless* someone is at
risk"), optional ``unless_answer`` patterns that make the whole answer safe ("It stays between
us." then "If you might hurt yourself, I'd have to get help."), ``life_safety: true`` where a
life may be at stake (always shown as a concern), and the ``why`` and ``instead`` text the
learner reads. Where no pattern matches, a sentence the model of ``peerlib.concern_model`` reads
as one of these concerns is shown as it (``by_example``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from . import bank, concern_model, content, matching
from .errors import BankFormatError

CONCERNS_FILE = "concerns.yaml"  # in peerlib/data/
KEYS = frozenset(
    {
        "id",
        "label",
        "competencies",
        "patterns",
        "unless",
        "unless_answer",
        "life_safety",
        "why",
        "instead",
    }
)
_BUT_THEN = frozenset(map(matching.family, "but however still yet".split()))
_BUT = _BUT_THEN - {matching.family("still")}  # ...inside a sentence ("I still…" is no contrast)
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Where a life may be at stake, an ``unless`` phrase after one of these is a later step, not
# what makes the practice safe.
_LATER_STEP = re.compile(
    r"\b(?:then|afterwards?|after that|later on|right away|straight away|immediately|for now|"
    r"in the meantime|meanwhile)\b",
    re.I,
)
# An ``unless`` phrase before one of these and then the concern's words is a first try, and the
# concern what the speaker does when it fails: "I'd tell her to ask her doctor, and if she
# couldn't get an appointment soon, I'd bring her the half box I still have".
_FALLBACK = re.compile(
    r"\b(?:otherwise|if not|or else|if (?:she|he|they|it|that) (?:can't|couldn't|cannot|doesn't|"
    r"didn't|won't|wouldn't|isn't|wasn't|does not|did not))\b",
    re.I,
)


def _after(words: int) -> str:
    """A regex for up to ``words`` words right after a phrase, in its own sentence: "…to his
    cousin's. Afterwards…" is no "afterwards" of the phrase."""
    return rf"[^\w.!?]*(?:\w+[^\w.!?]+){{0,{words}}}?"


# An ``unless`` phrase right before one of these is told once it is done, and excuses nothing:
# "I let him stay in my spare room, and I'd tell my supervisor once it had worked out".
_ONCE_DONE = re.compile(
    _after(2) + r"(?:after the fact|once (?:it|things|everything) (?:had |has )?"
    r"(?:worked out|settled down|blown over|blew over|was over|was done))\b",
    re.I,
)
# ...and where a life may be at stake, so is one right before these: "drop the dose and let the
# doctor know at their next appointment".
_AFTER_THE_FACT = re.compile(
    _after(2) + r"(?:later|afterwards?|at (?:their|the|your|his|her) next "
    r"(?:appointment|visit))\b",
    re.I,
)
_WITHIN_THREE_WORDS = r"(?:\W+\w+){0,3}\W*$"  # ...of the end of the text before a phrase
# An ``unless`` phrase right after one of these says the practice goes ahead either way: "I call
# their mom, whether or not the person wants me to"...
_WHATEVER = re.compile(
    r"\b(?:whether or not|regardless of whether|regardless of if|no matter whether|no matter if)"
    + _WITHIN_THREE_WORDS,
    re.I,
)
# ...and so does one of these right before the phrase, unless the concern's words are in the
# same clause: "I fill them in on everything, even if the person asked me to keep it private",
# "Even if her story belongs to her, I tell her family".
_EVEN_IF = re.compile(r"\beven (?:if|though|when)" + _WITHIN_THREE_WORDS, re.I)
_CLAUSE_STOP = re.compile(r"[,;.!?]")
# ...and so does one of these right after the concern's words: "what you say stays with me no
# matter what", "it stays between us, period, even if…", or an ultimatum: "she needed to stop
# going to that church if she wanted to actually recover", "if he wanted my support he needed to
# prove it".
_ULTIMATUM = (
    r"if (?:she|he|they|you) (?:wants?|wanted) (?:real recovery|my (?:support|help)|to (?:actually "
    r"|really )?(?:recover|get better|get well|heal|stay sober|stay clean))"
)
_NO_MATTER_WHAT = r"no matter what|no exceptions"
_ANYWAY = re.compile(
    _after(3) + r"(?:" + _NO_MATTER_WHAT + r"|no matter how|regardless|period|either way"
    r"|whatever happens|" + _ULTIMATUM + r")\b",
    re.I,
)
# ...and so do the first of these inside the concern's words: "whatever gets shared in the circle
# stays in the circle, no matter what, even if somebody talks about ending their life".
_ANYWAY_INSIDE = re.compile(r"\b(?:" + _NO_MATTER_WHAT + r")\b", re.I)
# Where a life may be at stake, "even if" a life is at risk later in the sentence says the same:
# "I never tell anyone who doesn't need to know, even if you're thinking about killing yourself"
# (or "including anything about hurting themselves", "and that includes the pills she's been
# saving up"), but not the suicide hotline.
_RISK_TO_LIFE = (
    r"(?:suicid\w*\b(?!\s+(?:hot ?line|lifeline|prevention|crisis|help ?line|line)\b)|kill(?:ing)? (?:your|them|him|her|my)sel"
    r"(?:f|ves)|(?:want|wants|wanted|wanting) to die|end(?:ing)? (?:your|their|his|her|my) (?:own )?"
    r"life|tak(?:e|ing) (?:your|their|his|her|my) (?:own )?life|hurt(?:ing)? (?:your|them|him|her|my)"
    r"sel(?:f|ves)|overdos\w*|better off dead"
    r"|(?:saving|saved|stockpiling|stockpiled|hoarding|stashing) (?:up )?(?:\w+ ){0,2}"
    r"(?:pills|meds|medications?)\b|(?:pills|meds|medications?)\b(?:\W+\w+){0,6}?\W+(?:been )?"
    r"(?:saving|stockpiling|hoarding|stashing)\b)"
)
_EVEN_AT_RISK = re.compile(
    r"[^.!?]*?\b(?:even (?:if|when|though)|including|(?:that |this |it )?includes|that goes for)\b"
    r"[^.!?]*?\b" + _RISK_TO_LIFE,
    re.I,
)
# ...and so does a risk to life that is what the concern's words keep, when the ``unless``
# phrase comes before them: "Otherwise it stayed between us that he'd be better off dead" (not
# "…between us, but if someone wants to die I get help").
_RISK_TOLD = re.compile(
    r"\s+that\b(?:(?!\b(?:but|unless|except|if)\b)[^.!?,;])*?\b" + _RISK_TO_LIFE, re.I
)
_RISK_NAMED = re.compile(r"\b(?:" + _RISK_TO_LIFE + r"|self[- ]harm\w*)", re.I)
# An ``unless`` phrase inside an ultimatum excuses nothing: "…let it go if they want real
# recovery".
_ULTIMATUMS = re.compile(_ULTIMATUM + r"\b", re.I)
# An ``unless`` phrase before one of these excuses nothing after it: "She told me praying
# calmed her, but I told her to drop it" (or "though I…", "and then I…", "and after a while
# I…"), "I shouldn't have said it, but honestly she's too sensitive", "…, but there's no reason to
# risk it, so…", ""Please don't tell anybody," she said, and I promised I wouldn't", "they realize
# they don't need their meds, and I encourage them to start cutting back", "she sent me a friend
# request, and I accepted", "if someone sends me a request, I'll usually accept it" (or "…, I'd
# probably go ahead and add them").
_BUT_SOMEONE = re.compile(
    r"\b(?:but|though|although|yet|and then|and (?:after a while|before long|soon|eventually|over "
    r"time)),? (?:(?:honestly|really|frankly|still|let's face it),? )?"
    r"(?:(?:in|at|on|during|after|by|when|once) (?:\w+ ){0,3}?)?"  # "but in our second meeting I…"
    r"(?:I|she|he|they|you|people)(?:'d|'m|'ll|'ve|'s|'re| would| will| still| just| is| are)?\b"
    r"|\bbut (?:there's|there is) no (?:reason|need)\b"
    r"|\band,? I (?:promised|swore|agreed|said (?:sure|okay)|said I wouldn't|told (?:her|him|them) I wouldn't|encourage"
    r"[ds]?|urge[ds]?|push(?:ed)?|suggest(?:ed)?|accepted)\b"
    r"|, I(?:'ll| will|'d| would)? (?:usually |always |often |just |probably )?(?:go ahead and )?"
    r"(?:accept|add)(?:ed)?\b"
)
# An ``unless`` phrase that describes the people the concern's words then act on excuses
# nothing: "I tell folks who are scared of 988 not to bother with it".
_DESCRIBES = re.compile(
    r"\b(?:who're|(?:who|that) (?:are|is|were|was|feel|felt|get|got|seem|seemed))"
    r"(?: (?:so|too|really|very|a little|kind of))? $",
    re.I,
)

# An ``unless`` phrase in the reason given for the concern's words excuses nothing when the
# example model reads the sentence as a concern: "Once he's awake, I wouldn't call 911, because a
# lot of the folks I work with are scared of the police"; nor in one given before them, with
# "so": "In his culture turning down a gift is an insult, so when he pressed two hundred
# dollars into my hand, I took it".
_BECAUSE_WORDS = r"because|'?cause|since"
_REASON = re.compile(rf"\b(?:{_BECAUSE_WORDS}|so that|so (?:she|he|they|you|it|I)\b)", re.I)
_SO = re.compile(r",? so\b", re.I)
_BECAUSE = re.compile(rf"\b(?:{_BECAUSE_WORDS})\b", re.I)  # the reason given for a practice
_LEADING_BECAUSE = re.compile(rf"(?:^|[.!?;]\s*)(?:{_BECAUSE_WORDS})\b[^.!?;]*$", re.I)

# ...nor does one that had not happened yet: "…her diagnosis, all of it, before she'd even
# signed a release".
_BEFORE = re.compile(
    r"\bbefore (?:(?:she|he|they|you|I|we)(?:'d| had| has| have)? )?(?:even |ever )?$", re.I
)
# ...nor does one right after a span of time it ended: "after nine years sober I've started having
# a few drinks", "after a decade of sobriety".
_TIME_BEFORE = re.compile(
    r"\bafter (?:\w+[ -]){0,3}(?:days?|weeks?|months?|years?|decades?)(?: of(?: being)?)? $", re.I
)
# ...nor does one that is denied: "…that's my personal business and not something I bring up
# with my supervisor".
_DENIED = re.compile(
    r"\b(?:not|never|isn't|wasn't) (?:something|anything|a thing) (?:that )?"
    r"(?:(?:I|we|she|he|they)(?:'m|'d|'ll)? )?"
    # ...or one not run by: "…isn't something I bother running by my supervisor"
    r"(?:(?:bother |need to |have to )?(?:run|running|check|checking|clear|clearing)(?: it| that)? "
    r"(?:by|with) (?:my |our |the )?)?$",
    re.I,
)
# ...nor limits left out: "I leave out the exceptions at first" (not "I leave out judgments").
_LIMITS = re.compile(r"exception|limit", re.I)
_LEFT_OUT = re.compile(
    r"\b(?:(?:leave|leaves|leaving|left) out|skip|skips|skipping|skipped|hold off on|"
    r"holding off on|gloss over|glossing over) (?:the |any |those )?$",
    re.I,
)
# ...nor, where a life may be at stake, an "unless" that leaves it to the person's say or the last
# moment: "keep it between us unless they ask me to tell someone", "…unless they're literally
# standing on the bridge".
_UNLESS = re.compile(r"\b(?:unless|except)$", re.I)
_THEIR_SAY = re.compile(
    r"\W*(?:(?:they|she|he|you) (?:ask|asks|want|wants|say|says|tell|tells|give|gives)\b|(?:\w+\W+)"
    r"{0,2}?(?:literally|already)\b)",
    re.I,
)
# ...nor does one followed by what it would have cost, or the harm it is said to do, as it was
# not done: "scheduling an interpreter would have pushed the meeting back two weeks, so her son
# interpreted", "asking that directly can put the idea in someone's head", or that it does not fit:
# "when my own story doesn't quite fit, I'll tell them about someone else…, using their name".
_NOT_DONE = re.compile(
    _after(1) + r"(?:(?:doesn't|does not|didn't|did not|won't) (?:quite |really )?"
    r"(?:fit|apply|match)|would have|would've|would take|would mean|would delay|was going to "
    r"take|takes too long|took too long|would be too|was a hassle|is a hassle|takes forever|"
    r"took forever|(?:can|could|might|may|will) (?:put|plant|give them) (?:the |an |that )?idea|"
    r"(?:puts|plants) (?:the |an |that )?idea|(?:can|could|might) make (?:it|things) worse)\b",
    re.I,
)

# ...nor does one that says how the speaker would not do it: "I wouldn't go behind their back by
# calling anyone" denies the calling.
_BY_DOING = re.compile(r"\W+by (?:calling|telling|reporting|contacting|bringing|getting)\b", re.I)

# ...nor does a request to keep something back: "my own notebook with everything people tell
# me, including the things they asked me to keep out of their file".
_KEEP_BACK = re.compile(r"\W+(?:keep|not|never)\b", re.I)


@dataclass(frozen=True)
class Concern:
    """A concern found in an answer: what, the learner's words, why it matters, what instead."""

    label: str
    matched: str
    why: str
    instead: str
    id: str = ""
    life_safety: bool = False
    sentences: int = 1  # how many sentences of the answer show it, counted up to two
    by_example: bool = False  # found by ``peerlib.concern_model``, not by a pattern
    # the model reads the sentence as good practice: the pattern may have misread it
    read_as_good: bool = False
    sure: bool = False  # found by example, the model at least ``concern_model.SURE`` sure


@dataclass(frozen=True)
class _Entry:
    id: str
    label: str
    competencies: frozenset[str] | None  # None: every question
    patterns: tuple[matching.Pattern, ...]
    unless: tuple[matching.Pattern, ...]
    unless_answer: tuple[matching.Pattern, ...]
    why: str
    instead: str
    life_safety: bool


def _text(entry: dict, key: str, where: str, problems: list[str]) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: missing `{key}`; every concern needs one (as text).")
        return ""
    return " ".join(value.split())


def _patterns(entry: dict, key: str, where: str, problems: list[str]) -> tuple:
    value = entry.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"{where}: `{key}` must be a list of patterns (text).")
        return ()
    compiled = []
    for text in value:
        try:
            matching.check_matchable(text)
            matching.check_alternatives(text)
            compiled.append(matching.compile_pattern(text, own=key == "patterns"))
        except matching.PatternError as exc:
            problems.append(f"{where}: {exc}")
    return tuple(compiled)


def _entry(entry, where: str, known: list[str], seen: dict, problems: list[str]):
    if not isinstance(entry, dict):
        problems.append(f"{where}: each concern is a mapping with {', '.join(sorted(KEYS))}.")
        return None
    for key in sorted(set(entry) - KEYS):
        problems.append(f"{where}: unknown key `{key}`; use {', '.join(sorted(KEYS))}.")
    concern_id = str(entry.get("id") or "")
    if not _ID.match(concern_id):
        problems.append(f"{where}: `id` {concern_id!r} must be lower-case words joined by '-'.")
    elif concern_id in seen:
        problems.append(f"{where}: id {concern_id!r} is already used at {seen[concern_id]}.")
    seen[concern_id] = where
    scope = entry.get("competencies", "all")
    if scope == "all":
        competencies = None
    elif isinstance(scope, list) and scope and all(c in known for c in scope):
        competencies = frozenset(scope)
    else:
        problems.append(
            f"{where}: `competencies` must be `all` or a list of ids from: {', '.join(known)}."
        )
        competencies = frozenset()
    patterns = _patterns(entry, "patterns", where, problems)
    if not patterns:
        problems.append(f"{where}: no `patterns`; list what an answer would say.")
    life_safety = entry.get("life_safety", False)
    if not isinstance(life_safety, bool):
        problems.append(f"{where}: `life_safety` must be true or false, not {life_safety!r}.")
    return _Entry(
        concern_id,
        _text(entry, "label", where, problems),
        competencies,
        patterns,
        _patterns(entry, "unless", where, problems),
        _patterns(entry, "unless_answer", where, problems),
        _text(entry, "why", where, problems),
        _text(entry, "instead", where, problems),
        life_safety is True,
    )


@content.cached
def _load(path: Path) -> tuple[_Entry, ...]:
    shown = content.shown(path)
    if not path.is_file():
        raise BankFormatError(f"{shown}: the concerns file is missing; see peerlib/concerns.py.")
    data, node = content.read_yaml(path)
    if not isinstance(data, list):
        bank.raise_problems([f"{shown}, line 1: expected a list of concerns."], shown)
    lines = bank.key_lines(node)
    known = bank.competency_ids()
    problems: list[str] = []
    seen: dict[str, str] = {}
    entries = [
        _entry(item, f"{shown}, line {lines.get(i, '?')}", known, seen, problems)
        for i, item in enumerate(data)
    ]
    bank.raise_problems(problems, shown)
    return tuple(e for e in entries if e is not None)


def load(path: str | Path | None = None) -> tuple[_Entry, ...]:
    """The validated concern entries; ``BankFormatError`` names the file and line of problems."""
    return _load(_path(path))


def _path(path: str | Path | None) -> Path:
    return Path(path) if path else content.path(CONCERNS_FILE)


@content.cached
def _index(path: Path) -> tuple[matching.PatternIndex, dict[matching.Pattern, str]]:
    """Every concern's patterns, looked up by an answer's words, and the concern of each."""
    entries = _load(path)
    index = matching.PatternIndex(tuple(p for entry in entries for p in entry.patterns))
    return index, {p: entry.id for entry in entries for p in entry.patterns}


def find_concerns(
    text: matching.Analysed, competencies=(), path: str | Path | None = None
) -> tuple[Concern, ...]:
    """Concerns found in an analysed answer to a question with these ``competencies``: by the
    patterns, or failing those by example."""
    competencies = set(competencies)
    entries = [
        entry
        for entry in load(path)
        if entry.competencies is None or entry.competencies & competencies
    ]
    safe_answer = {  # concerns the answer's ``unless_answer`` words make safe...
        entry.id for entry in entries if any(matching.find(p, text) for p in entry.unless_answer)
    }
    allowed = {entry.id for entry in entries} - safe_answer
    index, concern_of = _index(_path(path))
    may_match: dict[str, list[matching.Pattern]] = {}
    for pattern in index.candidates(text):
        may_match.setdefault(concern_of[pattern], []).append(pattern)
    found = []
    for entry in entries:
        candidates = may_match.get(entry.id)
        if not candidates:
            continue
        shown, first = [], None  # the learner's words in each sentence that shows the concern
        for sentence, patterns in matching.by_sentence(candidates, text):
            found_by = [(p, w) for p in patterns if (w := matching.find_in(p, text, sentence))]
            matches = [w for _, w in found_by]
            phrases = {w for p, w in found_by if _one_phrase(p)}
            words = max(matches, key=len, default=None)  # the fullest evidence
            # the practice goes ahead either way: no excuse
            anyway = any(
                _anyway(text, match, sentence.span.start, entry.life_safety) for match in matches
            )
            if (
                entry.id in safe_answer
                and not anyway
                and not _but_then(text, sentence, matches, entry)
                # where a life may be at stake, limits named elsewhere do not excuse what the
                # speaker did: "…the only exception is risk. When she told me he'd been choking
                # her, I didn't tell anyone."
                and not (entry.life_safety and matching.tells_what_was_done(text, sentence))
                # ...nor a sentence that names the risk it keeps: "anything about suicide or
                # self-harm stays strictly between the two of us"
                and not (entry.life_safety and _RISK_NAMED.search(_words_of(text, sentence)))
            ):
                continue
            # a match no exception excuses shows the concern: "…only in a few emergencies, but
            # there's no reason to risk it, so he doesn't need to call anyone"
            if words and (anyway or not _excused(text, matches, sentence, entry, allowed, phrases)):
                shown.append(words)
                first = first or sentence
                if len(shown) == 2:  # one sentence or more than one is all a second look asks
                    break
        if shown:
            # the concern is read against good practice even where the answer's limits let it pass
            good = concern_model.reads_as_good(first, allowed | {entry.id})
            found.append(_concern(entry, shown[0], len(shown), read_as_good=good))
    return tuple(found) or _by_example(text, [e for e in entries if e.id in allowed])


def _words_of(text: matching.Analysed, sentence: matching.Sentence) -> str:
    """The learner's words of ``sentence``."""
    return text.text[sentence.span.start : sentence.span.stop]


def _one_phrase(pattern: matching.Pattern) -> bool:
    """Whether ``pattern`` is one phrase, not negated: the words it finds are all the concern's
    own (a negated phrase's words start with the negator, which an ``unless`` phrase may
    qualify: "not to be let off the hook")."""
    return len(pattern.groups) == 1 and not any(neg for _, neg, _ in pattern.groups[0].phrases)


def _but_then(
    text: matching.Analysed, sentence: matching.Sentence, matches: list[str], entry: _Entry
) -> bool:
    """Whether, where a life may be at stake, ``sentence`` opens with a contrast, or has one
    before the concern's words, so the limits the answer states elsewhere do not make it safe:
    "I tell him I have to get help if he could get hurt. But if he'd been saving up his pills,
    I'd keep it to myself", "I tell people the exception is risk, but when he said…, I told him
    this one stays with me"."""
    if not entry.life_safety:
        return False
    starts = (text.text.find(m, sentence.span.start) for m in matches)
    first = min((at for at in starts if at >= 0), default=-1)
    return sentence.full[0].family in _BUT_THEN or any(
        token.family in _BUT and token.start < first for token in sentence.full[1:]
    )


def _excused(
    text: matching.Analysed,
    matches: list[str],
    sentence: matching.Sentence,
    entry: _Entry,
    allowed: set[str],
    phrases: set[str],
) -> bool:
    """Whether each of the ``matches`` in ``sentence`` is excused by one of the entry's
    ``unless`` phrases there (or in a sentence joined to it by a semicolon). Words of an
    ``unless`` phrase inside a match of a one-phrase pattern (``phrases``, see ``_one_phrase``)
    are the concern's own and excuse nothing: "if they want to keep working with me" is no
    "if they want"."""
    parts = matching.joined(text, sentence)
    excuses = [
        safe for part in parts for p in entry.unless if (safe := matching.find_in(p, text, part))
    ]
    # whether the example model reads the sentence as a concern: asked once, and only if needed
    doubted = functools.cache(lambda: concern_model.reads_as_concern(sentence, allowed))
    # the answer from these sentences on, where the words of each match are sought
    origin = min(part.span.start for part in parts)
    here = text.text[origin:]
    names_risk = entry.life_safety and bool(_RISK_NAMED.search(_words_of(text, sentence)))

    def excused(words: str) -> bool:
        holding = [
            safe
            for safe in excuses
            if not (words in phrases and safe in words)
            and _excuses(text, words, safe, origin, entry.life_safety)
        ]
        if any(not _in_reason(here, words, safe) for safe in holding):
            return True
        # where a life may be at stake, the reason given for keeping a named risk excuses nothing:
        # "thoughts of suicide…, I'll keep it between us, because… a crisis team behind their back"
        if names_risk and all(_justifies(here, words, safe) for safe in holding):
            return False
        return bool(holding) and not doubted()

    return all(excused(words) for words in matches)


def _justifies(text: str, words: str, safe: str) -> bool:
    """Whether the ``unless`` words (``safe``) stand in a "because" or "since" after the
    concern's ``words``: the reason the speaker gives for the practice."""
    start, at = text.find(words), text.find(safe)
    end = start + len(words)
    return 0 <= start and end <= at and bool(_BECAUSE.search(text, end, at))


def _in_reason(text: str, words: str, safe: str) -> bool:
    """Whether the ``unless`` words (``safe``) stand in a reason given after the concern's
    ``words`` ("…, because…", "…so he doesn't…") or before them or a "so" inside them ("…is an
    insult, so…", "…can feel like a betrayal, so I'd keep it within the group"), or in a
    "because" that leads up to them ("Because my faith keeps me honest about my biases, I…")."""
    start, at = text.find(words), text.find(safe)
    end = start + len(words)
    if 0 <= start and end <= at:
        return bool(_REASON.search(text, end, at))
    if 0 <= at < start and end < at + len(safe):  # around them, ending in a reason: "I ask…,
        return bool(_REASON.search(text, end, at + len(safe)))  # …, since doctors are…"
    if 0 <= at < start and _LEADING_BECAUSE.search(text, 0, at):
        return True
    return 0 <= at < start and bool(_SO.search(text, at + len(safe), end))


def _excuses(
    text: matching.Analysed, words: str, safe: str | None, origin: int, life_safety: bool
) -> bool:
    """Whether the words of an ``unless`` phrase (``safe``) make the concern's words safe: not
    when the practice goes ahead either way (``_WHATEVER``, ``_EVEN_IF``) or the exception was not
    done (``_NOT_DONE``, ``_BEFORE``, ``_DENIED``, ``_BY_DOING``) or has ended
    (``_TIME_BEFORE``), is told once it is done (``_ONCE_DONE``) or is a first try the concern
    follows if it fails (``_FALLBACK``), and where a life may be at stake not when they come
    after them as a later step ("try cutting the pill in half, and then bring it up with the
    doctor", "stop it right away and bring it up with…"), nor when they come before them and the
    risk itself follows (``_RISK_TOLD``). Both are sought from ``origin``, the start of the
    sentences being read, not where their words first occur in the answer."""
    if not safe:
        return False
    at = max(text.text.find(safe, origin), origin)
    after = at + len(safe)  # where the unless phrase ends
    if any(u.start() <= at < u.end() for u in _ULTIMATUMS.finditer(text.text)):
        return False
    before = text.text[:at]
    start = text.text.find(words, origin)
    end = start + len(words)
    if start >= 0 and end > at and _BUT_SOMEONE.search(text.text, after, end):
        return False
    if (
        start >= after
        and _DESCRIBES.search(before)
        and not re.search(r"[,;:]", text.text[after:start])
    ):
        return False
    if safe.endswith(" to") and _KEEP_BACK.match(text.text, after):
        return False
    if _NOT_DONE.match(text.text, after) or _BY_DOING.match(text.text, after):
        return False
    if _BEFORE.search(before) or _TIME_BEFORE.search(before) or _DENIED.search(before):
        return False
    if _ANYWAY.match(text.text, after):  # "…without your okay, no matter what you say"
        return False
    if _LIMITS.match(safe) and _LEFT_OUT.search(before):
        return False
    if _WHATEVER.search(before) or (
        (even := _EVEN_IF.search(before)) and not _inside(text.text, words, even.start(), after)
    ):
        return False
    if _ONCE_DONE.match(text.text, after) or (
        start >= after and _FALLBACK.search(text.text[after:start])
    ):
        return False
    if not life_safety:
        return True
    if _UNLESS.search(safe) and _THEIR_SAY.match(text.text, after):
        return False
    if start >= 0 and at < start and _RISK_TOLD.match(text.text, end):
        return False
    between = text.text[end:at] if start >= 0 and at > start else ""
    return not _LATER_STEP.search(between) and not _AFTER_THE_FACT.match(text.text, after)


def _inside(text: str, words: str, start: int, end: int) -> bool:
    """Whether ``words`` stand in the clause of ``text`` from ``start`` that runs past ``end``."""
    stop = _CLAUSE_STOP.search(text, end)
    clause = text[start : stop.start() if stop else len(text)]
    return words in clause


def _anyway(text: matching.Analysed, words: str, origin: int, life_safety: bool) -> bool:
    """Whether the concern's ``words`` hold or are followed, within three words, by "no matter
    what" or the like, or (where a life may be at stake) later in the sentence by "even if" a life
    is at risk. The words are sought from ``origin``, the start of their sentence."""
    start = text.text.find(words, origin)
    if start < 0:
        return False
    end = start + len(words)
    return bool(_ANYWAY.match(text.text, end) or _ANYWAY_INSIDE.search(words)) or (
        life_safety and bool(_EVEN_AT_RISK.match(text.text, end))
    )


def _concern(
    entry: _Entry,
    matched: str,
    sentences: int,
    by_example: bool = False,
    read_as_good: bool = False,
    sure: bool = False,
) -> Concern:
    return Concern(
        entry.label,
        matched,
        entry.why,
        entry.instead,
        entry.id,
        entry.life_safety,
        sentences,
        by_example,
        read_as_good,
        sure,
    )


def _by_example(text: matching.Analysed, entries: list[_Entry]) -> tuple[Concern, ...]:
    """The concern the model reads most surely in the answer, if any, with its sentence."""
    by_id = {entry.id: entry for entry in entries}
    readings = concern_model.readings(text, by_id)
    if not readings:
        return ()
    first = readings[0]
    matched = _words_of(text, text.sentences[first.sentence])
    same = sum(r.concern_id == first.concern_id for r in readings)
    sure = first.probability >= concern_model.SURE
    entry = by_id[first.concern_id]
    return (_concern(entry, matched, min(same, 2), by_example=True, sure=sure),)
