"""Find what an answer *says*: phrases and patterns matched on word families, outside negation.

Text is split into sentences and words. Each word is normalised (lower case, straight
apostrophes, British spellings and irregular past tenses mapped to one form) and stemmed with
the Snowball English stemmer, so "listened", "listening" and "listens" are one family. Words
and phrases of the same meaning in peer work (``SAME_MEANING``) read as one: "my boss" and
"the person I report to" are "supervisor".

Negation: a negator ("not", "never", "-n't", "without", "avoid", "instead of"…) covers the rest of
its clause; a clause ends at punctuation, at a conjunction such as "and", "but", "so", "when", or
where the speaker starts a new clause ("…, I would…"), though not where the speaker describes
people just named ("I don't lend money to people I support, or date them" denies both acts).
"without" and "no" cover only the next few words; "isn't the point", "isn't relevant" and the
like deny what came before them, back to a "that" after "tell", "say" or "think" ("I'd tell the
doctor that it isn't my role to…" still tells the doctor).
A quotation that opens where a negation reaches is denied whole ('No "I was only kidding"').
"not only", "not just", "whether or not", "don't hesitate" and the like are not
negations. A match counts only where its first word is not covered by a negator.

Patterns of the speaker's own practice (``own``: concerns) also read the frames around words
(``_frames``): a temptation turned down, a request made of the speaker, a question someone
put, what others do, what the speaker calls wrong, the speaker's own past in recovery ("when I
was using, …"), a slip the next sentence owns ("…I apologized") or a guess it corrects ("…It
turned out"), a past act told after "I learned this the hard way", how the speaker would come
across ("I was afraid I'd sound like I was trying to…"), what someone said that stays in their
memory, a question put to be answered ("Should they cut back on their pills?") and another
person's story are not the speaker's practice; a pattern with a negated phrase matches within
one clause (``_clause_numbers``). In a concern's patterns and exceptions, a
phrase written with "my" or "our" is the speaker's own ("in my phone" is not "in his phone"),
and one written with "him" or "them", or ending in a word phrases skip, is matched as written
("bought from him" is not "bought from a friend").

Patterns are written in the curation and concern files as text:

- a phrase, e.g. ``follow up``: these words, in this order, in one sentence;
- groups joined by ``+``, e.g. ``private|confidential + unless|except``: one phrase of each
  group in the same sentence, in any order (``|`` separates alternatives);
- a phrase that starts with ``~``, e.g. ``~tell|~involve + supervisor``, must be *negated*
  ("I wouldn't tell my supervisor"), for patterns of unsafe practice; in such a pattern, the
  words of groups without a ``~`` may be negated too ("…tell my supervisor").
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from dataclasses import dataclass
from typing import NamedTuple

import numpy
import snowballstemmer

# Words that read as one: "non-judgmental", "non judgmental" and "nonjudgmental".
JOINING_PREFIXES = frozenset({"anti", "co", "multi", "non", "pre", "re", "semi"})

# Words that make sentences: a list of content words has few of them.
FUNCTION_WORDS = frozenset(
    """a an the this that these those my your his her its our their i me we us you he she it
    they them him myself to of in on at by for with from into about as and or but so if then
    because when while than is are was were be been being am do does did have has had will
    would can could should may might must shall not no never don't won't can't i'd i'll i'm
    i've we'd we'll they'd it's that's what how who which there here""".split()
)
# ...and with the particles of phrasal verbs, words that say nothing alone ("up to", "with on").
SMALL_WORDS = FUNCTION_WORDS | frozenset(
    "up down out off over back around through along away".split()
)
# Words skipped inside phrases, so "ask about suicide" matches "ask them about suicide".
SKIPPED = frozenset("a an the my their his her your our its them him this that some any".split())
# ...but a concern phrase written with one of these is the speaker's own ("in my phone").
MINE = frozenset({"my", "our"})

# peerlib's own word families on top of the stemmer: one spelling for each word.
SPELLINGS = {
    "judgement": "judgment", "judgements": "judgments", "judgemental": "judgmental",
    "counsellor": "counselor", "counsellors": "counselors", "counselling": "counseling",
    "labelled": "labeled", "labelling": "labeling", "modelling": "modeling",
    "travelled": "traveled", "cancelled": "canceled", "wellbeing": "well-being",
    "safety": "safe", "privacy": "private", "secrecy": "secret", "okay": "ok",
    "spoke": "speak", "spoken": "speak", "told": "tell", "took": "take", "taken": "take",
    "sat": "sit", "rang": "ring", "rung": "ring", "gave": "give", "given": "give",
    "went": "go", "gone": "go", "made": "make", "kept": "keep", "felt": "feel",
    "thought": "think", "brought": "bring", "found": "find", "left": "leave", "met": "meet",
    "heard": "hear", "said": "say", "stood": "stand", "sought": "seek", "taught": "teach",
    "wrote": "write", "written": "write", "began": "begin", "begun": "begin", "chose": "choose",
    "chosen": "choose", "got": "get", "ran": "run", "held": "hold", "knew": "know",
    "known": "know", "saw": "see", "seen": "see", "understood": "understand", "led": "lead",
    "built": "build", "sent": "send", "spent": "spend", "lost": "lose", "drove": "drive",
    "driven": "drive", "did": "do", "done": "do", "was": "be", "were": "be", "been": "be",
    "is": "be", "are": "be", "am": "be", "has": "have", "had": "have",
}  # fmt: skip
_BRITISH_ENDINGS = re.compile(r"(?<=[a-z]{2})is(e|ed|es|ing|ation|ations)$")
_OUR = re.compile(r"(?<=[vlbmi])our(s|ed|ing|ite|ites)?$")
# Words and phrases that mean the same in peer work, read as the first one: "my boss" and "the
# person I report to" are "supervisor", "Narcan" is "naloxone". Longer phrases win.
SAME_MEANING = {
    "supervisor": ["boss", "manager", "person i report to", "person i answer to", "team lead",
                   "team leader", "person who oversees my work", "person who oversees me",
                   "person who supervises me", "person i check in with", "person we report to",
                   "person we both report to", "woman i report to", "man i report to",
                   "lady i report to", "guy i report to"],
    "case-manager": ["case manager"],  # not a supervisor
    "988": ["lifeline", "hotline", "crisis line", "crisis hotline", "suicide hotline",
            "suicide line", "suicide prevention line", "suicide and crisis lifeline",
            "suicide & crisis lifeline", "crisis lifeline", "three digit line",
            "three digit crisis line", "three digit suicide line", "suicide and crisis line",
            "national crisis line", "crisis and suicide line", "suicide crisis line"],
    "911": ["ambulance", "paramedics", "emergency services", "emergency medical services", "ems",
            "emergency responders"],
    "suicide": ["kill themselves", "kill himself", "kill herself", "kill myself",
                "kill yourself", "end their life", "end his life", "end her life", "end my life",
                "end your life", "end their own life", "take their own life", "take their life",
                "take his own life", "take her own life", "end it all"],
    "naloxone": ["narcan", "overdose reversal spray", "overdose reversal medicine",
                 "overdose reversal medication", "overdose reversal drug", "opioid reversal spray",
                 "opioid reversal medicine"],
    "strength": ["what they're good at", "what she's good at", "what he's good at",
                 "what they are good at", "what you're good at", "things they're good at",
                 "things she's good at", "things he's good at", "what they do well",
                 "what she does well", "what he does well"],
    "goal": ["what they want out of life", "what she wants out of life",
             "what he wants out of life", "what you want out of life",
             "what they're working toward", "what she's working toward",
             "what he's working toward", "what they're reaching for", "what she's reaching for",
             "what he's reaching for"],
    # the federal Lifeline program for phone service, not the 988 Lifeline
    "lifeline-phone-program": ["lifeline program", "lifeline phone", "lifeline phones",
                               "lifeline phone program", "lifeline assistance"],
    "alone": ["by myself", "on my own", "by ourselves", "on our own"],
    # someone else alone: "so next time they can handle it on their own" is not the speaker
    "on-their-own": ["by themselves", "by himself", "by herself", "by yourself", "on their own",
                     "on his own", "on her own", "on your own"],
    "medication": ["medicine", "meds"],
    "doctor": ["psychiatrist", "prescriber", "physician", "nurse practitioner"],
    "talk": ["speak", "spoke", "spoken"],
    "choice": ["decision"],
    "choose": ["decide"],
    "private": ["confidential", "confidentiality"],
    # "his body wasn't used to it anymore": accustomed, not using
    "accustomed": ["used to it", "used to that", "used to this", "used to them", "used to being"],
    "honest": ["upfront", "truthful"],
    "colleague": ["coworker"],
    "afraid": ["scared", "frightened", "fearful"],
    "child": ["kid"],
    "respectful": ["polite", "courteous"],
    "respectfully": ["politely", "courteously"],
    "everyone": ["everybody"],
    "anyone": ["anybody"],
    "someone": ["somebody"],
}  # fmt: skip
# Words the stemmer would merge with another word: kept whole ("wellness" is not "well",
# "medical care" is not "medication").
KEEP_WHOLE = {
    "wellness": "wellness", "wellnesses": "wellness", "personal": "personal",
    "personally": "personal", "careful": "careful", "carefully": "careful", "useful": "useful",
    "dating": "dating", "medical": "medical", "medically": "medical", "friendly": "friendly",
    "information": "information", "informational": "information", "accountable": "accountable",
    "accountability": "accountable",
}  # fmt: skip

# Negators that are verbs: in a denied list they deny a denial ("…, or refuse the cash").
DENYING_VERBS = frozenset(
    "avoid avoids avoiding refuse refuses refusing resist resisted resisting refrain refrained "
    "refraining".split()
)
NEGATORS = DENYING_VERBS | frozenset(
    "not never no nor neither without cannot dont doesnt didnt wont wouldnt shouldnt couldnt "
    "cant isnt arent wasnt werent havent hasnt hadnt mustnt nothing nothing's".split()
)
TWO_WORD_NEGATORS = frozenset(
    {("instead", "of"), ("rather", "than"), ("hold", "off"), ("hold", "back"), ("held", "back"),
     ("stop", "myself"), ("stopped", "myself"), ("keep", "myself"), ("kept", "myself"),
     ("hassle", "of")}  # "saves the hassle of scheduling an interpreter": none is scheduled
)  # fmt: skip
# A negator followed by one of these is no negation ("not only", "not sure", "nothing wrong
# with asking for help")...
NOT_NEGATED_BEFORE = frozenset(  # ("never just leave them" still negates)
    "only just simply merely doubt mistake alone sure certain wrong".split()
)
# ...and one followed by these negates only that word ("don't hesitate to call 988", "I'd never
# skip asking", "I've never regretted bringing it to my manager": the call is made, the question
# asked, the manager told; "I wouldn't wait for him to bring it up": the waiting is denied).
NEGATED_ALONE = frozenset(
    "hesitate hesitated wait waited waiting delay delayed forget forgot fail failed skip skipped "
    "skipping regret regrets regretted regretting".split()
)
# A negator after one of these is no negation ("whether or not", "if not", "I almost didn't
# mention it": it was mentioned; "why don't you tell everyone?": a suggestion).
NOT_NEGATED_AFTER = frozenset({"whether", "or", "if", "almost", "nearly", "why"})
# What "more than" follows to set aside what comes after it ("safety mattered more than keeping
# it between us")...
_OUTWEIGHS = frozenset("matter matters mattered counts counted".split())
# ...and negators that negate nothing before one of these: "no matter what", "nothing matters
# more than…".
NOT_NEGATIONS = frozenset({("no", "matter"), *(("nothing", w) for w in _OUTWEIGHS)})
# Negators whose reach is short: "without judging them and I would..." covers "judging them".
SHORT_REACH = {"without": 3, "no": 1}
LONG_AFTER_NO = frozenset(  # "no stake in talking them into anything": no talking into
    {"need", "reason", "point", "way", "one", "longer", "stake", "interest", "intention",
     "intent", "desire", "wish", "business"}
)  # fmt: skip
# ..."no" before a list covers the list ("no friendship, dating or money"), up to these words.
_LIST_STOPS = frozenset("just only simply :".split())  # ...and a colon
# After a negator, these deny what came before it: "shared experience isn't the point",
# "taking something worth real money from someone I work with isn't okay".
DISMISSIVE = frozenset(
    "point relevant important necessary needed helpful useful matter matters priority suit okay "
    "ok alright acceptable appropriate".split()
)
# ...and these after "my" or "our": "calling 988 isn't my job" (not "wasn't ready for the job").
DISMISSIVE_AFTER_MY = frozenset("job role place business call decision".split())
# The speaker starting a new clause ("…, I would…"), unless after a verb of saying.
PRONOUNS = frozenset("i i'd i'll i'm we we'd we'll".split())
# Words that end a negator's clause (punctuation ends it too).
CLAUSE_ENDS = PRONOUNS | frozenset(
    "and but so then because although though while however instead unless until except when "
    "whenever".split()
)
# People a clause may go on to describe: "people I support", "anyone we serve".
PEOPLE = frozenset(
    "people folks peers participants clients members anyone someone everyone".split()
)
_BE = frozenset("is are was were".split())
_MAIN_VERB_MODALS = frozenset("will would can could should might may must".split())
_BE_GOING = _BE | frozenset("am almost".split())  # "…going to" (and "I'm", "nobody's"…)
# The positive forms of negators that are not the negator without "n't" (see ``_paired``).
_POSITIVE = {"can't": "can", "cannot": "can", "won't": "will"}
# Standing idle, then "and" what is done instead: one act under one negator.
_IDLE = frozenset(
    (a, b) for a in ("sit", "sat", "stand", "stood") for b in ("back", "around", "there", "by")
)
# Words that start a new clause for a pattern that must match within one clause.
CLAUSE_STARTS = frozenset("but however yet whereas".split())
# A clause that opens with one of these runs on into the next: "When she's in crisis, I…".
SUBORDINATORS = frozenset(
    "if when whenever once though although because since until unless after before while".split()
)
# Words that open a case the speaker names rather than an act: "if what they need is outside my
# role, …" says nothing is wrong with what they need.
CASE_OPENERS = frozenset({"if", "when", "whenever"})
# A negated verb of saying covers what is said: "I'd never promise we'll keep it between us".
REPORTING_VERBS = "say tell promise swear pretend claim assure guarantee".split()
# After these a negation carries on into what is thought: "I don't think I need supervision"
# says the supervision is not needed.
THINKING_VERBS = "think believe suppose expect reckon mean".split()


def _phrases(texts: list[str]) -> frozenset[tuple[str, ...]]:
    """Each phrase as a tuple of its words."""
    return frozenset(tuple(text.split()) for text in texts)


# Frames read by ``_frames``. Concern patterns skip words that are not the speaker's own
# practice: a temptation, up to the "but" or "instead" that turns it down ("I was tempted to
# give her my number, but I didn't")...
TEMPTATIONS = _phrases(
    ["tempted", "tempting", "temptation", "urge", "instinct", "impulse", "inclined",
     "first thought", "wanted to", "want to", "part of me", "could have", "could've",
     "would have", "would've", "felt like", "pull to", "going to", "easy to", "used to",
     "caught myself", "catch myself", "old me"]
)  # fmt: skip
# ...how the speaker would come across, from there to the end of its clause ("I was afraid I'd
# sound like I was trying to take their guns away, so I…")...
APPEARANCES = _phrases(
    [f"{seem} like {i}" for seem in ("sound", "seem", "look", "come across", "came across")
     for i in ("i was", "i'm", "i am", "i were")]
    + ["could it come across as", "would it come across as", "does it come across as"]
)  # fmt: skip
# ...and what someone said that stays in the speaker's memory ("What stays with me is what he
# said afterward").
MEMORIES = _phrases(
    [f"what {stays} with me {was} what" for stays in ("stays", "stayed", "stuck", "sticks")
     for was in ("is", "was")]
)  # fmt: skip
# ...the speaker's own past as a person in recovery, up to a contrast or "now" ("When I was
# using, I stopped returning my therapist's calls, and now I…"): lived experience, not practice.
LIVED = _phrases(
    [f"{when} {state}" for when in ("when i was", "back when i was", "while i was")
     for state in ("using", "drinking", "in treatment", "in rehab", "in detox",
                   "in active addiction", "in my addiction", "in early recovery",
                   "new to recovery", "on probation", "in the hospital", "homeless",
                   "getting sober", "still using", "still drinking", "trying to get clean",
                   "trying to get sober", "trying to get off pills")]
    + ["in my early recovery", "in my active addiction", "during my addiction",
       "in my own recovery", "i grew up", "growing up"]
    + [f"{span} i {used}" for span in ("for a while", "for years", "back then", "in my teens",
                                       "in my twenties")
       for used in ("drank", "used", "was drinking", "was using")]
)  # fmt: skip
# ...a question the speaker weighs ("I ask myself whether I'm pushing this because they need
# it, or because I want them to do it my way"), up to a new clause of their own...
SELF_CHECKS = _phrases(
    [f"{ask} myself {what}" for ask in ("ask", "asking", "asked")
     for what in ("whether", "if", "who", "why", "what", "how")]
    + [f"{ask} {what} {me}" for ask in ("ask", "asking", "asked") for what in ("whether", "if")
       for me in ("i'm", "i was", "i am")]  # "I ask whether I'm about to…"
)  # fmt: skip
# A slip the speaker owns reads like their past: "my own mistake: I hadn't gone over the
# limits of confidentiality", "I caught myself texting him late at night", "I catch myself
# steering people that way"; not a case ("if I slipped up, I'd fix it quietly").
OWNED = _phrases(
    ["my mistake", "my own mistake", "i made a mistake", "i messed up", "i slipped up",
     "i caught myself", "i catch myself", "i found myself", "i got it wrong", "noted that i'd",
     "noted i'd", "pointed out that i'd", "pointed out i'd", "told me that i'd been",
     "told me i'd been"]
)  # fmt: skip
# ...and a past act the next sentence owns as one: "Another time I assumed she wouldn't want a
# mixed group. When she asked why, I apologized and invited her."
OWNING = OWNED | _phrases(
    ["i apologized", "i apologised", "i was wrong", "was a mistake", "i owned it",
     "i brought it to my supervisor", "i brought it to supervision", "i took it to my supervisor",
     "i took it to supervision", "i told myself i was", "i laid it all out", "i came clean",
     "the wrong thing to say", "the wrong thing to do", "she was right", "he was right",
     "they were right"]
)  # fmt: skip
CONTRASTS = frozenset(
    "but instead however yet though although learned realized remind reminded".split()
)
_LIVED_ENDS = CONTRASTS | frozenset("now today nowadays".split())  # where a past ends
# ...what someone asks of the speaker, unless the speaker goes along with it ("she asked me not
# to tell anyone, and I explained why I couldn't")...
REQUESTS = (
    frozenset(
        (verb, who, to)
        for verb in "asked asks asking begged begs begging pleaded pleads urged urges wanted "
        "wants told tells made makes".split()
        for who in ("me", "us")
        for to in ("to", "not", "promise", "swear", "whether", "if")
    )
    | frozenset(  # "he asked if I could lend him…"
        (verb, whether, i)
        for verb in "asked asks asking".split()
        for whether in ("if", "whether")
        for i in ("i", "we")
    )
    # "he offered to fix my car", "she asked to borrow money": theirs, unless the speaker took
    # it up
    | frozenset((verb, "to") for verb in "offered offers offering asked asks".split())
    | frozenset(  # "she phoned, pleading with me to keep it quiet"
        (verb, "with", who, "to")
        for verb in "pleaded pleads pleading".split()
        for who in ("me", "us")
    )
)
# ...a question someone put, when the speaker does not answer it in the same sentence ("a woman
# asked whether she should stop her antidepressant")...
QUESTIONS = frozenset(
    (verb, to) for verb in "asked asks wondered wonders".split() for to in ("whether", "if")
)
COMPLIANCE = frozenset(
    "agreed agree promised respected respect honored honor yes okay ok fine along complied "
    "obliged".split()
)
# ...what others do, as the subject of a clause ("some staff use tough love")...
OTHERS = _phrases(
    ["some people", "some staff", "some peers", "some workers", "some providers",
     "some programs", "some colleagues", "some coworkers", "some folks", "other people",
     "someone else", "somebody else",
     "other staff", "other workers", "others", "many people", "a lot of people",
     "my colleague", "a colleague", "my coworker", "a coworker", "people often",
     "a volunteer", "another volunteer", "a co-facilitator", "my co-facilitator",
     "a cofacilitator", "my cofacilitator", "a new peer", "another peer", "a staff member",
     "a teammate", "my teammate", "one of my coworkers", "one of my colleagues",
     "a peer on my team", "a peer in our program", "a fellow peer", "a nurse", "the nurse",
     "a doctor", "a psychiatrist", "a therapist", "a counselor", "a case manager",
     "a social worker", "one person", "another person", "one member", "another member",
     "one of them", "the other one", "one says", "another says", "one said", "another said",
     "one thinks", "another thinks", "someone said", "somebody said", "a member said",
     "a new case manager", "a new nurse", "a new staff member", "a new coworker",
     "a new colleague",
     "a woman said", "a man said", "a guy said"]
)  # fmt: skip
_CASES = frozenset("anything something things everything whatever stuff".split())
_COORDINATING = frozenset("and but while whereas".split())
_WRONG_WITH_SOMEONE = frozenset(("with", w) for w in "me him her them you us".split())
# ...not someone who was wrong: "the person at the meeting was wrong" is a disagreement
_WHO_WAS_WRONG = frozenset("person man woman guy he she they member".split())


def _since_clause(words: list[str], i: int) -> list[str]:
    """The words of ``i``'s clause before it: back to punctuation or "that"."""
    start = i
    while start > 0 and words[start - 1] not in _PUNCTUATION and words[start - 1] != "that":
        start -= 1
    return words[start:i]


# A clause the speaker calls wrong reads as negated ("it would be a mistake to promise
# secrecy"), unless that is denied ("nothing wrong with…").
WRONG = _phrases(
    ["wrong to", "would be wrong", "is wrong", "it's wrong", "was wrong", "mistake to",
     "be a mistake", "is a mistake", "was a mistake", "common mistake", "biggest mistake",
     "inappropriate", "unethical", "unprofessional", "worst thing", "worst mistake",
     "worst idea", "backfire", "backfires", "bad idea", "red flag", "outside my role",
     "outside our role", "outside the role", "off limits", "crosses a line", "cross a line",
     "crossing a line", "crosses the line", "boundary violation", "made him defensive",
     "made her defensive", "made them defensive", "make him defensive", "make her defensive",
     "make them defensive", "put his back up", "put her back up", "put their backs up",
     "get their back up", "gets their back up", "get his back up", "get her back up",
     "would have shamed", "would just have shamed", "would only have shamed", "would shame",
     "would just shame", "would only shame", "would have embarrassed", "would embarrass",
     "made him dig in", "make him dig in", "made her dig in", "make her dig in",
     "made them dig in", "make them dig in", "make people dig in", "a betrayal of",
     "would be a betrayal", "pretending i can", "pretend i can", "pretending i could",
     "would just embarrass", "would have backfired", "have put him on the defensive",
     "have put her on the defensive", "have put them on the defensive"]
)  # fmt: skip
# What others *do* or *think* ("some staff use tough love", "a lot of people think that…"), not
# what they are ("some people are too…").
_PRACTICE = frozenset(
    "think thinks believe believes assume assumes figure figures "
    "would will might may could should tell told tells say said says use used uses do did does "
    "try tried tries give gave gives call called calls promise promised text texted had have has "
    "started keep kept recommend recommended suggest suggested push pushed make made referred refer "
    "refers joked jokes described describes posted posts shared shares canceled cancelled "
    "canceling cancelling began begins set sets decide decides decided picks picked leave leaves "
    "left never".split()
)
_AGREEING = frozenset("agree agreed right".split())  # "…, and I agree", "I think they're right"


def _agrees(words: list[str]) -> bool:
    """Whether the speaker agrees with what others think: "…, and I agree", "from what I've
    seen they're not wrong", "I think there's some truth to that"."""
    wrong = any(w == "wrong" and k and _is_negator(words[k - 1]) for k, w in enumerate(words))
    truth = any(w == "truth" and words[k - 1 : k] == ["some"] for k, w in enumerate(words))
    return bool(_FIRST_PERSON & set(words)) and (bool(_AGREEING & set(words)) or wrong or truth)


# Words before someone else's act that keep it theirs: "I once heard a volunteer tell…"
_WITNESS = frozenset("i i've once heard saw watched noticed overheard".split())
# What another person was seen doing is theirs: "I noticed he'd started lending people cash".
_SEEN = frozenset("noticed saw heard watched overheard learned found realized".split())
_SOMEONE = frozenset("a an another one our the".split())  # opening someone the speaker saw
# Someone else at work or in the community, after "a" and up to two words: "a newly hired
# worker", "a new coworker", "a deacon".
_ROLES = frozenset(
    "worker workers coworker colleague peer staffer volunteer nurse doctor therapist counselor "
    "supervisor manager specialist facilitator cofacilitator mentor intern employee hire coach "
    "caseworker clinician pastor priest minister deacon chaplain rabbi imam pharmacist landlord "
    "officer judge teacher neighbor relative guard clerk janitor custodian receptionist "
    "cashier".split()
)
_DEFINITE = frozenset("the our".split())  # open a subject only where one starts
_ROLE_OPENERS = frozenset("a an another".split()) | _DEFINITE
_ACTING = _PRACTICE | frozenset("always often once constantly never".split())
_THEY = frozenset("he she they he'd she'd they'd he's she's they're they've".split())
# ...and another person's backstory: "He'd never told his psychiatrist", "Mike had been…".
_PAST_PERFECT = frozenset("had he'd she'd they'd".split())
_HE_SHE = frozenset("he she".split())
_CASE_OR_RULE = frozenset(  # ...and no judgment of the speaker's: "she was clearly bipolar"
    "if unless long would will should can could must need there'd it'd clearly obviously "
    "definitely probably actually".split()
)
_PARTICIPLE_AFTER_HAD = frozenset(
    "been gone got gotten told taken kept quit stopped started used run stolen lost left done "
    "made given bought hidden".split()
)
_ADVERBS_AFTER_HAD = frozenset("never already just recently".split())
YOU = frozenset("you you'd you'll you're you've your".split())
_INTRODUCING = frozenset(  # the speaker introducing the person: "a man I worked with"
    [("i", w) for w in "worked work supported support met was".split()] + [("i'll", "call")]
)
# ...and after a noun: "a young man I'd been supporting" (not "I'd been working doubles").
_INTRODUCING_AFTER_NOUN = frozenset(
    (i, "been", w) for i in ("i'd", "i've") for w in "supporting working seeing".split()
)
# "told" that is not the speaker telling: "someone tells me…", "to be told what to do".
_TOLD_TO_ME = frozenset({"me", "us"})
_DONE_TO = frozenset("been being was were got gotten".split())  # "been pushed", not "be pushed"
_PASSIVE = frozenset("be been being was were is are get got gets getting".split())
_FIRST_PERSON = frozenset("i i'd i'll i'm i've me my we we'd we'll we're our us".split())
_FIRST_PERSON_OR_YOU = _FIRST_PERSON | YOU

APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
# "a.m.", "e.g." and the like are one word: their periods end no sentence (titles: ``_TITLES``)
_ABBREVIATION = r"\b(?:[ap]\.m\.|e\.g\.|i\.e\.|u\.s\.)"
_TOKEN = re.compile(
    _ABBREVIATION + r"|[a-z0-9]+(?:'[a-z]+)*|[.!?;:,\n]|[\u2022*\u25aa\u2013\u2014]"
)
_SENTENCE_END = frozenset(".!?;\n\u2022*\u25aa")
_PUNCTUATION = _SENTENCE_END | {",", ":", "\u2013", "\u2014"}
_QUOTED_ENDS = frozenset(".!?")  # may end a quotation inside a sentence
# Titles whose period ends no sentence: "I called Dr. Lee", "St. John's wort".
_TITLES = frozenset("dr mr mrs ms st jr sr prof".split())
_STEMMER = snowballstemmer.stemmer("english")


def _stem(word: str) -> str:
    """The stem of one lower-case word, with peerlib's spellings: 'judgement' -> 'judgment'."""
    word = word.removesuffix("'s").rstrip("'")
    if word.endswith("n't"):
        return "not"
    if word in KEEP_WHOLE:
        return KEEP_WHOLE[word]
    word = SPELLINGS.get(word, word)
    word = _OUR.sub(r"or\1", _BRITISH_ENDINGS.sub(r"iz\1", word))
    return _STEMMER.stemWord(word)


def _forms(word: str) -> set[str]:
    """A word and its regular endings: 'decide' -> decides, decided, deciding (not stems: the
    stem of 'manager' is that of 'manage')."""
    base = word.removesuffix("e")
    return {word, word + "s", word + "es", word + "d", word + "ed", base + "ing", base + "ed"}


# The person talked about, whoever it is: "asked if she had a few minutes" is "…if he had…".
# (Not with SAME_MEANING: "she" has no endings, and "shed" is another word.)
SAME_PERSON = {
    "he": "they", "she": "they", "he'd": "they'd", "she'd": "they'd", "he'll": "they'll",
    "she'll": "they'll", "himself": "themselves", "herself": "themselves", "him": "them",
}  # fmt: skip
_ONE_WORD_SYNONYMS = {
    form: _stem(canonical)
    for canonical, others in SAME_MEANING.items()
    for other in others
    if " " not in other
    for form in _forms(other)
} | {word: _stem(person) for word, person in SAME_PERSON.items()}


@functools.lru_cache(maxsize=50_000)
def family(word: str) -> str:
    """The word family of one lower-case word: 'listened' -> 'listen', 'boss' -> 'supervisor'."""
    synonym = _ONE_WORD_SYNONYMS.get(word.removesuffix("'s").rstrip("'"))
    return synonym or _stem(word)


_PHRASE_SYNONYMS = {
    tuple(map(family, other.split())): canonical
    for canonical, others in SAME_MEANING.items()
    for other in others
    if " " in other
}
# The lengths of the phrases starting with each word family, longest first.
_SYNONYM_SIZES = {
    first: tuple(sorted({len(k) for k in _PHRASE_SYNONYMS if k[0] == first}, reverse=True))
    for first in {k[0] for k in _PHRASE_SYNONYMS}
}
REPORTING = frozenset(map(family, REPORTING_VERBS + THINKING_VERBS))
_NEGATOR_FAMILIES = frozenset({"not", *map(family, NEGATORS)})
# A negator of acts: after one, a list of acts joined by ", or" is negated as a whole.
_LIST_NEGATORS = frozenset(
    "not never cannot don't doesn't didn't won't wouldn't shouldn't couldn't can't".split()
)
# ...and so do these, but not after "that" or "which": "isn't my buddy, my date, or someone I
# borrow cash from" (not "a meeting that isn't twelve-step, a clinic, or a drop-in center")...
_BE_NOT = frozenset("isn't aren't wasn't weren't".split())
# ...unless what they deny is a fault: "There wasn't anything wrong with X, Y, or Z" does X.
_APPROVING = frozenset("wrong problem harm issue deal".split())
# Words a loose phrase may not step over: "give them the one option" is not "give them options".
_NO_GAP = frozenset({",", *_NEGATOR_FAMILIES, *map(family, "one only single just".split())})


class Token(NamedTuple):  # a tuple: an answer has hundreds, made quickly
    """One word of an answer: its family, where it is, and whether a negator covers it."""

    family: str
    start: int
    end: int
    negated: bool
    aside: bool = False  # not the speaker's own practice (see ``_frames``)
    rejected: bool = False  # in a clause the speaker calls wrong (see ``_frames``)
    clause: int = 0  # which clause of its sentence (see ``_clause_numbers``)


@dataclass(frozen=True)
class Sentence:
    """One sentence's tokens, with small words skipped and in ``full``, and where each occurs."""

    tokens: tuple[Token, ...]
    positions: dict[str, tuple[int, ...]]
    full: tuple[Token, ...]
    full_positions: dict[str, tuple[int, ...]]

    @property
    def span(self) -> range:
        """Where the sentence stands in the answer's text (without its final punctuation)."""
        return range(self.full[0].start, self.full[-1].end) if self.full else range(0)


@dataclass(frozen=True)
class Analysed:
    """An answer split into sentences of tokens (commas kept as ',' tokens)."""

    text: str
    sentences: tuple[Sentence, ...]
    families: frozenset[str] = frozenset()  # every word family in the answer

    @functools.cached_property
    def masks(self) -> dict[str, int]:
        """The sentences each word family occurs in, as bits (sentence i is bit i)."""
        masks: dict[str, int] = {}
        for i, sentence in enumerate(self.sentences):
            for family in sentence.full_positions:
                masks[family] = masks.get(family, 0) | 1 << i
        return masks


def _raw_tokens(text: str) -> list[tuple[str, int, int]]:
    """(word or punctuation, start, end), joining '9-8-8' and 'non-judgmental' into one word."""
    lowered = re.sub(r"[\u2010\u2011\u2012\u2212-]", " ", text.lower().translate(APOSTROPHES))
    out: list[tuple[str, int, int]] = []
    for match in _TOKEN.finditer(lowered):
        word, start, end = match.group(), match.start(), match.end()
        previous, _, previous_end = out[-1] if out else ("", 0, -2)
        hyphen = text[previous_end:start] in ("-", "\u2010", "\u2011")
        if word == "done" and previous.endswith(("'re", "'m")):  # "we're done": not "doing"
            word = "finished"
        if start == previous_end + 1 and (
            previous in JOINING_PREFIXES or (hyphen and previous.isdigit() and word.isdigit())
        ):
            out[-1] = (previous + word, out[-1][1], end)
        else:
            out.append((word, start, end))
    return _join_synonyms(out)


def _join_synonyms(tokens: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Read each phrase of ``SAME_MEANING`` as its one word: "person I report to" -> "supervisor"."""
    families = [family(w) for w, _, _ in tokens]
    out, i = [], 0
    while i < len(tokens):
        for size in _SYNONYM_SIZES.get(families[i], ()):
            canonical = i + size <= len(tokens) and _PHRASE_SYNONYMS.get(
                tuple(families[i : i + size])
            )
            if canonical and not _owns_a_thing(tokens, i + size):
                out.append((canonical, tokens[i][1], tokens[i + size - 1][2]))
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


# "on my own" is "alone" unless a noun follows ("on my own phone", "on their own terms"): it is
# alone when the next word is none, or one of these.
_AFTER_ALONE = frozenset(
    "and or but so to too next with without if when whenever after before at until because for "
    "since then now again either anyway first while as in into instead yet anymore this that "
    "the a an is was were are be every each all most much more yesterday today tonight later "
    "sometimes often once twice like unless though just right even through from about over by "
    "on of up out off back".split()
)


def _owns_a_thing(tokens: list[tuple[str, int, int]], after: int) -> bool:
    """Whether "on my own" (or "on their own"…) ending before ``tokens[after]`` owns the noun
    that follows it, so it is read word by word."""
    if after >= len(tokens) or tokens[after - 1][0] != "own":
        return False
    word = tokens[after][0]  # lower case, as every token
    return word[:1].isalpha() and word not in _AFTER_ALONE


def _is_negator(word: str) -> bool:
    """Whether one word (as written, lower case) is a negator: "never", "without", "don't"."""
    return word in NEGATORS or word.endswith("n't")


_DO_NOT = frozenset("don't won't wouldn't".split())


def _merely_denied(words: list[str], i: int) -> bool:
    """Whether "not just" at ``i`` denies what follows: "never just leave them", "…and not just
    say everything is fine", "I don't just text her history over" (not "not just listening but
    acting")."""
    if (words[i], words[i + 1]) == ("never", "just"):
        return True
    return (
        i > 0
        and (
            (words[i] == "not" and words[i - 1] in ("and", "to"))
            or (words[i] in _DO_NOT and words[i - 1] in ("i", "we"))
        )
        and words[i + 1] in ("just", "only", "simply", "merely")
        and not {"but", "also"}.intersection(words[i + 2 :])
    )


def _negated_flags(words: list[str]) -> list[bool]:
    """Whether each word of one sentence is covered by a negator (see the module docstring)."""
    flags = [False] * len(words)
    for i, word in enumerate(words):
        if end := _not_done(words, i):  # "If I'd lectured her, she'd have quit": not done
            for j in range(i + 1, end):
                flags[j] = True
        is_negator = _is_negator(word)
        two_word = _two_word_negator(words, i)
        if not (is_negator or two_word) or flags[i] or _done_after_all(words, i):
            continue
        following = words[i + 1] if i + 1 < len(words) else ""
        if (
            (following in NOT_NEGATED_BEFORE and not _merely_denied(words, i))
            or (word, following) in NOT_NEGATIONS
            or (i and words[i - 1] in NOT_NEGATED_AFTER)
            or _paired(words, i)
            or _saying_no(words, i)
            or _nothing_more_than(words, i)
        ):
            continue
        if following in NEGATED_ALONE:
            flags[i + 1] = True
            continue
        reach = SHORT_REACH.get(word, len(words))
        if word == "no" and following in LONG_AFTER_NO:
            reach = len(words)
        elif word == "no" and (end := _list_end(words, i + 1)):
            for j in range(i + 1, end):
                flags[j] = words[j] not in _PUNCTUATION
            continue
        start = i + (2 if two_word else 1)
        if _negates_across_comma(words, i):
            start += 1  # an aside: "I don't have to, and shouldn't, handle it alone"
        relative = i > 0 and words[i - 1] == "who"  # "an adult who can't protect themselves"
        after_that = words[i - 1 : i] in (["that"], ["which"])  # "a meeting that isn't…"
        inside = -1  # the end of a clause about the people just named: "people I work with"
        for j in range(start, min(len(words), start + reach)):
            if j < inside:
                continue
            # "…is being mistreated", "…will often talk to me": the main clause again
            if relative and (words[j] in _BE or words[j] in _MAIN_VERB_MODALS):
                break
            if words[j] in PRONOUNS and _names_people(words[start:], j - start):
                inside = next(
                    (k for k in range(j, len(words)) if words[k] in _PUNCTUATION), len(words)
                )
                continue
            if _clause_end(words, j, start) and not _either_ahead(words, j):
                if (
                    words[j] == ","
                    and not two_word
                    and (
                        word in _LIST_NEGATORS
                        or (
                            word in _BE_NOT
                            and not after_that
                            and _APPROVING.isdisjoint(words[start:j])
                        )
                    )
                    and CASE_OPENERS.isdisjoint(words[:i])  # not in "If they don't…, …"
                ):
                    for k in range(j + 1, _or_list_end(words, j + 1, words[i - 1] if i else "")):
                        flags[k] = words[k] not in _PUNCTUATION  # "don't X, Y, or Z"
                        if _denies(words, k):  # "…, or hesitate to lend them money": a denial
                            break  # denied, and what it would deny is done
                about_a_thing = i > 0 and words[i - 1] in PRONOUNS and _relative(words, i - 1)
                if word in _LIST_NEGATORS and not about_a_thing:
                    # "don't mix roles, like lending them money" (not "a decision I don't
                    # agree with, like pushing a medication change": examples of the decision)
                    for k in range(j + 1, _examples_end(words, j)):
                        flags[k] = words[k] not in _PUNCTUATION
                break
            flags[j] = True
        for j in _what_is_denied(words, i):  # "What I won't do is argue, or start telling…"
            flags[j] = words[j] not in _PUNCTUATION
        if after_that:  # its own clause only: "appointments
            continue  # that don't feel useful" denies nothing said before "that"
        window = words[start : start + 4]
        if set(window) & DISMISSIVE or any(  # "X isn't relevant": X is negated
            w in DISMISSIVE_AFTER_MY and k and window[k - 1] in ("my", "our")
            for k, w in enumerate(window)
        ):
            j = i - 1
            while (
                j >= 0
                and words[j] not in _PUNCTUATION
                and (
                    words[j] not in CLAUSE_ENDS
                    or (words[j] in PRONOUNS and _names_people(words, j))  # "someone I work with"
                )
            ):
                if words[j] == "that" and _reports(words[:j]):
                    break  # "I'd tell the doctor that it isn't my role to…": the telling stands
                flags[j] = True
                j -= 1
    return flags


def _what_is_denied(words: list[str], i: int) -> range:
    """What a negator at ``i`` after "what I" denies past "is": "What I won't give is medical or
    legal advice, like telling someone to change their medication" (to a contrast or the end);
    not a fact left unsaid: "What I didn't bring up was that I'd started drinking"."""
    opens = i == 2 or (i > 2 and words[i - 3] in _STARTS_A_SUBJECT)  # not "…about what I…"
    if not opens or words[i - 2] != "what" or words[i - 1] not in ("i", "we"):
        return range(0)
    be = next((j for j in range(i + 1, min(len(words), i + 5)) if words[j] in ("is", "was")), None)
    if be is None or words[be + 1 : be + 2] == ["that"]:
        return range(0)
    ends = CLAUSE_STARTS | PRONOUNS  # to a contrast or the speaker's next clause
    return range(be + 1, next((j for j in range(be, len(words)) if words[j] in ends), len(words)))


def _reports(words: list[str]) -> bool:
    """Whether a reporting or thinking verb ("tell", "think") comes before "that" in its clause."""
    for word in reversed(words):
        if word in _PUNCTUATION or word in CLAUSE_STARTS:
            return False
        if family(word) in REPORTING:
            return True
    return False


def _denies(words: list[str], i: int) -> bool:
    """Whether word ``i`` is a verb that denies what follows it: "refuse", "hesitate",
    "keep myself from"."""
    return words[i] in DENYING_VERBS or words[i] in NEGATED_ALONE or _two_word_negator(words, i)


def _either_ahead(words: list[str], j: int) -> bool:
    """Whether the "and" at ``j`` joins a second denied act that "either" closes: "I wouldn't
    just nod and keep doing it my way either"."""
    if words[j] != "and":
        return False
    end = next((k for k in range(j, len(words)) if words[k] in _PUNCTUATION), len(words))
    return words[end - 1] == "either"  # closing the clause, not "either way"


def _nothing_more_than(words: list[str], i: int) -> bool:
    """Whether the "nothing" at ``i`` sets what follows "than" above all, denying nothing:
    "nothing is more important than calling 988", "nothing's worse than being judged"."""
    return words[i] in ("nothing", "nothing's") and "than" in words[i + 1 : i + 6]


def _saying_no(words: list[str], i: int) -> bool:
    """Whether the "no" at ``i`` is the word said, denying nothing after it: "saying no brought
    up guilt", "having to say no felt awful" (not "saying no to a loan", "I said no money")."""
    following = words[i + 1] if i + 1 < len(words) else ""
    said = words[i - 1 : i] == ["saying"] or words[max(i - 2, 0) : i] == ["to", "say"]
    return words[i] == "no" and said and following != "to"


def _paired(words: list[str], i: int) -> bool:
    """Whether the negator at ``i`` follows its own positive form and "and": "what I would and
    wouldn't share", "what I can and can't do" name both sides and deny nothing."""
    positive = _POSITIVE.get(words[i], words[i].removesuffix("n't"))
    return i >= 2 and words[i - 1] == "and" and words[i - 2] == positive


_AVOIDED = frozenset({("away", "from"), ("clear", "of")})
_AVOIDING = frozenset(map(family, "stay keep steer".split()))


def _two_word_negator(words: list[str], i: int) -> bool:
    """Whether words ``i`` and ``i + 1`` negate what follows: "instead of", "rather than",
    "better than" before an -ing word ("better than shaming them"), "more than" after
    "mattered" ("his safety mattered more than keeping it between us"), "kept myself" before
    "from" or an -ing word ("I kept myself from texting her", not "I keep myself honest"),
    "too" with a word and "to" ("too much to handle alone"), "away from" and "clear of" after
    "stay", "keep" or "steer" ("I steer clear of lending money")."""
    pair = tuple(words[i : i + 2])
    if pair[:1] == ("too",):  # "I care too much to handle this alone": not handled alone
        return words[i + 2 : i + 3] == ["to"] and pair[1] not in _PUNCTUATION
    if pair == ("better", "than"):
        return words[i + 2 : i + 3] != [] and words[i + 2].endswith("ing")
    if pair == ("more", "than"):  # not "nothing matters more than…"
        return i > 0 and words[i - 1] in _OUTWEIGHS and words[i - 2 : i - 1] != ["nothing"]
    if pair in _AVOIDED:  # "I stay away from lending money", not "I moved away from home"
        what_i_avoid_is = words[i + 2 : i + 3] in (["is"], ["was"])  # "what I avoid is…" names it
        return i > 0 and family(words[i - 1]) in _AVOIDING and not what_i_avoid_is
    if pair in TWO_WORD_NEGATORS and pair[1] == "myself":  # "kept myself from", not "honest"
        after = words[i + 2] if i + 2 < len(words) else ""
        return after == "from" or after.endswith("ing")
    return pair in TWO_WORD_NEGATORS


_EXAMPLE_OPENERS = (
    ("like",),
    ("such", "as"),
    ("including",),
    ("for", "example"),
    ("for", "instance"),
)


def _examples_end(words: list[str], j: int) -> int:
    """Where acts given as examples after the comma at ``j`` end, or ``j``: a negation before
    the comma covers them ("you shouldn't get too personal, like dating someone you support or
    lending them money"); only acts ("-ing") are examples, not "…, like my sponsor did"."""
    for opener in _EXAMPLE_OPENERS:
        k = j + 1 + len(opener)
        if tuple(words[j + 1 : k]) == opener and words[k : k + 1] and words[k].endswith("ing"):
            end = next((m for m in range(k, len(words)) if words[m] in _PUNCTUATION), len(words))
            return max(end, _or_list_end(words, k))
    return j


def _negates_across_comma(words: list[str], i: int) -> bool:
    """Whether the negated auxiliary at ``i`` stands in an aside and negates what follows its
    comma: "I don't have to, and shouldn't, handle it alone" (not "ready, or not, I…")."""
    return (
        words[i].endswith("n't")
        and words[i + 1 : i + 2] == [","]
        and words[max(i - 2, 0) : i] in ([",", "and"], [",", "or"])
        and words[i + 2 : i + 3] != []
        and words[i + 2] not in CLAUSE_ENDS
    )


_AS_LONG_AS = ["as", "long", "as"]  # a condition, as "if" is


def _clause_end(words: list[str], j: int, start: int) -> bool:
    """Whether word ``j`` ends the clause that a negator or a frame at ``start`` opened: a
    condition ("as long as", like "unless") ends it too, an "and" after standing idle does not
    ("I wouldn't sit back and wait for them to raise it")."""
    return words[j] in _PUNCTUATION or (
        j > start
        and (
            (
                words[j] in CLAUSE_ENDS
                and not _reported(words, j)
                and not (words[j] == "and" and tuple(words[j - 2 : j]) in _IDLE)
            )
            or words[j : j + 3] == _AS_LONG_AS
        )
    )


def _by_first_word(frames) -> dict[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    """(frame name, phrase) by the phrase's first word: frames in order, longest phrase first."""
    index: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for name, phrases in frames:
        for phrase in sorted(phrases, key=len, reverse=True):
            index.setdefault(phrase[0], []).append((name, phrase))
    return {k: tuple(v) for k, v in index.items()}


_TELL = family("tell")
_PASSING_ON = frozenset(map(family, "tell bring call report mention raise contact reach".split()))
_WILL_DO = frozenset("i'd i'll will would".split())
_NOT_PAST = _WILL_DO | frozenset("i'm if can should".split())  # a case, not something once done
# The speaker's own case, not something once done ("I told her it would…" was done).
_OWN_CASES = frozenset("i'd i'll i'm if".split())
_FRAMES = _by_first_word([("temptation", TEMPTATIONS), ("appearance", APPEARANCES), ("memory", MEMORIES),
                          ("request", REQUESTS), ("question", QUESTIONS), ("others", OTHERS),
                          ("wrong", WRONG), ("lived", LIVED), ("owned", OWNED),
                          ("self-check", SELF_CHECKS)])  # fmt: skip
_OWNING = _by_first_word([("owning", OWNING)])


def _joins(word: str) -> bool:
    """Whether a word ends a clause and opens another, which may be the speaker's practice: ","
    and "so" do, "I" does not ("I was afraid I'd sound like I was…")."""
    return (
        word in _PUNCTUATION or word in CONTRASTS or (word in CLAUSE_ENDS and word not in PRONOUNS)
    )


# A past act told after "I learned this the hard way." is a mistake owned, not practice.
_LESSON = _by_first_word(
    [("lesson", _phrases([f"learned {it} the hard way" for it in ("this", "that", "it")]))]
)


def _tells_a_lesson(words: list[str]) -> bool:
    """Whether a sentence says a lesson was learned the hard way (``_LESSON``)."""
    return any(_frame_at(words, i, _LESSON)[1] for i in range(len(words)))


def _is_past_act(words: list[str]) -> bool:
    """Whether a sentence tells what the speaker once did ("Early on I told a woman it would
    work for her…"), not their case or what they would do (``_OWN_CASES``; "as if" is no case)."""
    said = [w for k, w in enumerate(words) if not (w == "if" and words[k - 1 : k] == ["as"])]
    done = [w for k, w in enumerate(words) if not (w in _ONCE and words[k - 1 : k] == ["i"])]
    return _OWN_CASES.isdisjoint(said) and any(  # "I once told…" as "I told…"
        w == "i" and _is_participle(after) for w, after in itertools.pairwise(done)
    )


_ONCE = frozenset("once first actually even also".split())


def tells_what_was_done(text: Analysed, sentence: Sentence) -> bool:
    """Whether ``sentence`` tells what the speaker once did ("When she told me her partner had
    been choking her, I didn't tell anyone"), not their case or how they work."""
    words = [text.text[t.start : t.end].lower().translate(APOSTROPHES) for t in sentence.full]
    didnt = any(pair in _DID_NOT for pair in itertools.pairwise(words))
    return _is_past_act(words) or (didnt and _OWN_CASES.isdisjoint(words))


_DID_NOT = frozenset({("i", "didn't"), ("we", "didn't")})


_GUESSED = frozenset("assumed figured presumed guessed".split())  # a guess the next sentence
_CORRECTING = frozenset({("turned", "out"), ("found", "out"), ("finally", "asked")})  # corrects


def _frame_at(
    words: list[str], i: int, frames: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = _FRAMES
) -> tuple[str, int]:
    """The frame of ``frames`` that starts at word ``i`` and its length, or ("", 0)."""
    for name, phrase in frames.get(words[i], ()):
        if tuple(words[i : i + len(phrase)]) == phrase:
            return name, len(phrase)
    return "", 0


def _goes_along(words: list[str]) -> bool:
    """Whether ``words`` agree to a request: "I agreed", "I gave her my word", "and I did,
    because…"."""
    did = any(
        words[k : k + 2] == ["i", "did"] and (k + 2 == len(words) or words[k + 2] in _DONE_ENDS)
        for k in range(len(words))
    )
    return did or bool(set(words) & COMPLIANCE) or ("my", "word") in itertools.pairwise(words)


_DONE_ENDS = frozenset({",", "because", "so", "and"})  # "I did" as the whole act


def _frames(
    words: list[str], negated: list[bool], clauses: list[int], following: list[str]
) -> tuple[list[bool], list[bool]]:
    """(aside, rejected) for each word of one sentence, from the frames around it.

    *Aside*: not the speaker's own practice but a temptation turned down, what someone asked of
    them or asked them, how they would come across, a memory, what others do or the speaker's
    past in recovery, or a question they weigh (``TEMPTATIONS``, ``APPEARANCES``, ``MEMORIES``,
    ``REQUESTS``, ``QUESTIONS``, ``OTHERS``, ``LIVED``, ``SELF_CHECKS``). *Rejected*: in a clause
    the speaker calls wrong (``WRONG``); for concerns it reads as negated, and a negation
    inside it as undone: "the worst thing would be to call 988" is "I wouldn't call 988", and
    "it would be wrong not to tell my supervisor" is no concern. ``negated``: the negators'
    reach ("he hasn't asked me to" is no request); ``clauses``: ``_clause_numbers``;
    ``following``: the next sentence's first words ("…tempted to give her my number. But I
    didn't.").
    """
    aside, rejected = [False] * len(words), [False] * len(words)
    contrast_next = _turns_from(following)

    def rest_of_clause(i: int, size: int = 1, relatives: bool = False) -> range:
        end = i + size  # on to where the speaker speaks for themself again, or a new case
        while (
            end < len(words)
            and clauses[end] == clauses[i]
            and not _opens_case(words, end)
            and (
                words[end] not in PRONOUNS
                or _reported(words, end)  # "…to promise I'd…"
                or (relatives and _relative(words, end))  # "a coworker I respected had…"
            )
        ):
            end += 1
        return range(i, end)

    def opens_clause(i: int) -> bool:  # "A few years ago a colleague…", not "I told a colleague"
        if i and words[i - 1] in _COORDINATING:  # "one swears by it and another thinks…"
            return True
        start = clauses.index(clauses[i])
        commas = [j for j in range(start, i) if words[j] in _PUNCTUATION]
        start = commas[-1] + 1 if commas else start  # "Where I worked, a colleague…"
        start += start < i and _joins(words[start])  # "…, and at one meeting a deacon…"
        before = set(words[start:i])
        return i - start <= 5 and (not before & _FIRST_PERSON or before <= _WITNESS)

    def phrase(i: int) -> range:  # the words around ``i`` in its clause, between punctuation
        def inside(j):
            return words[j] not in _PUNCTUATION and clauses[j] == clauses[i]

        start, end = i, i
        while start > 0 and inside(start - 1):
            start -= 1
        while end < len(words) and inside(end):
            end += 1
        return range(start, end)

    for i in range(len(words)):
        frame, size = _frame_at(words, i)
        if not frame and (size := _someone_at_work(words, i)):
            frame = "others"
        if (family(words[i]) == _TELL and _not_telling(words, i)) or _done_to(words, i):
            aside[i] = True
        if _realized(words, i):  # "I told a long story and realized I'd taken…": owned
            for j in range(i):
                aside[j] = True
        if _saw_own_habit(words, i):  # "I realized I'd been steering people to…": owned
            for j in phrase(i):
                aside[j] = aside[j] or j > i
        if (
            frame == "wrong"
            and tuple(words[i + size : i + size + 2]) not in _WRONG_WITH_SOMEONE  # "wrong with me"
            and (i == 0 or words[i - 1] not in _CASES)  # "anything outside my role"
            and not (words[i] in _BE and _WHO_WAS_WRONG.intersection(_since_clause(words, i)))
        ):
            span = phrase(i)
            negated_frame = any(map(_is_negator, words[max(i - 2, 0) : i]))  # "nothing wrong"
            if not negated_frame and CASE_OPENERS.isdisjoint(words[span.start : i]):
                for j in span:
                    rejected[j] = not i <= j < i + size
            continue
        if frame == "temptation":
            if words[i : i + 2] == ["going", "to"] and not _intent(words, i):
                continue  # "stop going to their appointments": a place, no temptation
            if (
                words[i : i + 2] == ["felt", "like"]
                and words[i + 2 : i + 3]
                and (words[i + 2] in _DETERMINERS or words[i + 2] in _POSSESSIVES)
            ):
                continue  # "that felt like my own business": how it seemed, no temptation
            contrast = next((j for j in range(i + size, len(words)) if words[j] in CONTRASTS), None)
            if contrast is None and contrast_next:
                contrast = len(words)
            before = words[clauses.index(clauses[i]) : i + size]
            if contrast is None and CASE_OPENERS.intersection(before) and {"i", "me"} & set(before):
                # "If some part of me still thought X, I'd take it to my manager": a case
                contrast = next((j for j in range(i, len(words)) if words[j] in _PUNCTUATION), None)
            span = range(i, contrast or i)
        elif frame in (
            "appearance",
            "memory",
        ):  # what follows, to its clause's end ("…, so I promised")
            span = range(
                i + size, next((j for j in range(i, len(words)) if _joins(words[j])), len(words))
            )
        elif (
            # not "…in my own recovery again", nor a subject: "What happens in my own recovery
            # is my business"
            (
                frame == "lived"
                and words[i + size : i + size + 1] not in (["again"], ["is"], ["was"])
            )
            or (frame == "owned" and (i == 0 or words[i - 1] not in CASE_OPENERS))
            or _seen_someone(words, i)  # "I noticed a newer peer on our team was texting…"
        ):
            end = next(
                (j for j in range(i + size, len(words)) if _ends_lived(words, j)), len(words)
            )
            if _seen_someone(words, i) and (answer := _answered_at(words, i)):
                end = min(end, answer)
            span = range(i, end)
        elif (
            frame == "request"
            and (i == 0 or words[i - 1] not in _FIRST_PERSON)  # not "I asked if I could…"
            and not _own_gerund(words, i)  # not "what works best is offering to…"
            and not _goes_along(words[i + size :])
            and not _goes_along(following[:2])  # "…not to tell anyone. I honored that."
            and not negated[i]
            and words[i + size : i + size + 1] != ["myself"]  # "what they told me to myself"
        ):
            span = rest_of_clause(i, size)
        elif frame == "self-check":
            span = range(i, _weighed_end(words, i + size))
        elif frame == "question" and _FIRST_PERSON_OR_YOU.isdisjoint(words[i + size :]):
            span = rest_of_clause(i)
        elif words[i] in _THEY and (
            _seen(words, i)
            or _not_passing_on(words, i)
            or _their_plan(words, i)
            or _their_instruction(words, i)
        ):
            span = rest_of_clause(i)
        elif words[i] == "you" and (_seen(words, i) or _you_did(words, i)):
            # "I heard you mention Tanya by name", "last night you called Dana lazy"
            span = range(i, _act_end(words, i))
        elif (
            frame == "others"
            and opens_clause(i)
            # "a lot of people think…", or a phrase that says it: "one says…"
            and set(words[i + size - 1 : i + size + 6]) & _PRACTICE
        ):
            span = rest_of_clause(i, relatives=True)
            if _agrees(words[i + size :]):
                continue  # "…, and I agree": the speaker's practice too
        else:
            continue
        for j in span:
            aside[j] = True
    return aside, rejected


def _turns_from(following: list[str]) -> bool:
    """Whether the next sentence (its words) turns from what this one said: it opens with a
    contrast ("But I didn't."), does something else "instead", or tells a lesson early on ("I
    used to worry that… After a hard case last spring, I learned that…")."""
    early = following[:_LESSON_REACH]
    instead = any(
        w == "instead" and following[k + 1 : k + 2] != ["of"] for k, w in enumerate(early)
    )
    lesson = _LESSONS & set(itertools.pairwise(early))
    return bool(following) and (following[0] in CONTRASTS or instead or bool(lesson))


_LESSON_REACH = 12  # words into the next sentence
_LESSONS = frozenset(("i", lesson) for lesson in ("learned", "realized", "realised"))


def _opens_case(words: list[str], j: int) -> bool:
    """Whether word ``j`` opens a new case after "and" ("…, and if the roommate begs me…")."""
    return words[j] in CASE_OPENERS and words[j - 1] == "and"


def _weighed_end(words: list[str], j: int) -> int:
    """Where a question the speaker asks themself, from word ``j``, ends: at a contrast, a new
    case ("and if") or a new clause after a comma ("…, and then I…", "…, so I…")."""
    while j < len(words) and not (
        words[j] in CONTRASTS
        or _opens_case(words, j)
        or (words[j - 1] in _PUNCTUATION and words[j] in ("and", "so", "then"))
    ):
        j += 1
    return j


def _own_gerund(words: list[str], i: int) -> bool:
    """Whether a request word at ``i`` ("offering", "asking") is the speaker's practice named
    after "is" or "by": "what's worked best for me is offering to take…", "by asking to…" (not
    "he is offering to…")."""
    return (
        words[i].endswith("ing")
        and i > 0
        and words[i - 1] in ("is", "by")
        and (i < 2 or words[i - 2] not in _THEY)
    )


def _you_did(words: list[str], i: int) -> bool:
    """Whether the "you" at ``i`` is someone the speaker tells what they once did ("In the
    huddle you called him noncompliant"): a past tense after it, where the "you" of how things
    go is present ("you call 988"); a case is no act ("if you stopped your meds…"), nor is
    what the speaker does with what was said ("what you said stays with me")."""
    following = words[i + 1] if i + 1 < len(words) else ""
    no_act = i > 0 and words[i - 1] in CASE_OPENERS | _CASES | {"what", "that", "which"}
    return not no_act and (
        following == "said" or (following != "used" and _is_participle(following))
    )


def _act_end(words: list[str], i: int) -> int:
    """Where the act someone was seen doing, from word ``i``, ends: where its clause does
    (``_clause_end``: "I heard you stopped your meds, and you should stay off them" gives the
    advice to the speaker)."""
    return next((j for j in range(i + 1, len(words)) if _clause_end(words, j, i)), len(words))


def _intent(words: list[str], i: int) -> bool:
    """Whether "going to" at ``i`` is an intent: "I was going to give her my number",
    "nobody's going to check" (not "stop going to their appointments")."""
    return i > 0 and (words[i - 1] in _BE_GOING or words[i - 1].endswith(("'s", "'re", "'m")))


def _backstory(words: list[str]) -> bool:
    """Whether a sentence only tells another person's past, without the speaker in it:
    "He'd never told his psychiatrist", "A man I worked with, Curtis, had been skipping doses",
    "after six months he had a job" (not "she was clearly bipolar": a judgment of the speaker's)."""
    speaker = {w for k, w in enumerate(words) if not _introducing(words, k)}
    if not speaker.isdisjoint(_SPEAKER_OR_YOU):
        return False
    if any(w in _PAST_PERFECT and _participle(words[i + 1 : i + 3]) for i, w in enumerate(words)):
        return True
    # ...or, with the speaker nowhere in it and no case or rule, "after six months he had a job"
    return (
        speaker.isdisjoint(_FIRST_PERSON)
        and _CASE_OR_RULE.isdisjoint(words)
        and any(
            w in _HE_SHE and words[i + 1 : i + 2] in (["had"], ["was"]) for i, w in enumerate(words)
        )
    )


def _put_as_question(words: list[str], after: str) -> bool:
    """Whether a sentence only puts a question that someone might ask, "Should they cut back on
    their pills?", not "Why don't you stop your meds?" or "Should I tell him to stop?"."""
    return "?" in after and words[:1] == ["should"] and words[1:2] in (["they"], ["he"], ["she"])


def _introducing(words: list[str], k: int) -> bool:
    """Whether the speaker's word at ``k`` only introduces the person the sentence is about."""
    if tuple(words[k : k + 2]) in _INTRODUCING:
        return True
    return (
        tuple(words[k : k + 3]) in _INTRODUCING_AFTER_NOUN
        and k > 0
        and words[k - 1] not in _NOT_NOUNS
        and words[k - 1] not in _FIRST_PERSON
    )


def _owned_slip(words: list[str], following: list[str]) -> bool:
    """Whether a sentence tells what the speaker once did and the next sentence owns it as a
    mistake (``OWNING``): "Another time I assumed…" before "…I apologized and invited her", or
    corrects a guess: "I assumed his drinking was about combat" before "It turned out…" ("I found
    out", "When I finally asked")."""
    if not (_is_past_act(words) and _NOT_PAST.isdisjoint(following)):
        return False
    pairs = list(itertools.pairwise(words))
    guess = next((k for k, (w, after) in enumerate(pairs) if w == "i" and after in _GUESSED), None)
    if guess is not None and _CORRECTING & set(itertools.pairwise(following)):
        return not any(w in CLAUSE_ENDS and w not in PRONOUNS for w in words[guess:])  # "…so I"
    return any(_frame_at(following, i, _OWNING)[1] for i in range(len(following)))


def _participle(words: list[str]) -> bool:
    """Whether ``words`` after "had" or "he'd" start a past participle: "been", "never told"."""
    if words and words[0] in _ADVERBS_AFTER_HAD:
        words = words[1:]
    return bool(words) and _is_participle(words[0])


_HAVE_DONE = frozenset("would've could've might've should've".split())
_REGRET = frozenset("earlier sooner".split())
_WOULD = frozenset("would could might wouldn't couldn't".split())  # what would have followed


def _not_done(words: list[str], i: int) -> int:
    """Where an "if" at ``i`` about what the speaker did not do ends, or 0: "If I'd lectured her,
    she'd have quit" (a past that did not happen, told by what would have followed)."""
    if words[i] != "if" or not (
        (words[i + 1 : i + 2] == ["i'd"] and _participle(words[i + 2 :]))
        or (words[i + 1 : i + 3] == ["i", "had"] and _participle(words[i + 3 :]))
    ):
        return 0
    # ...up to "and then", which tells what would have followed: "If I'd promised secrecy and
    # then had to call 988, …" does not say 988 went uncalled
    end = next(
        (j for j in range(i + 1, len(words)) if words[j] in _PUNCTUATION or _and_then(words, j)),
        len(words),
    )
    if _REGRET.intersection(words[i:end]):  # "If I had told my supervisor sooner, …": a lesson
        return 0
    return end if _would(words[end:]) else 0


def _and_then(words: list[str], j: int) -> bool:
    """Whether word ``j`` is the "then" of "and then", which starts the next act in a sequence."""
    return words[j] == "then" and j > 0 and words[j - 1] == "and"


def _would(words: list[str]) -> bool:
    """Whether a main clause says what would have followed: "she'd have quit", "he might not
    be alive"."""
    return any(w in _HAVE_DONE or w in _WOULD or w.endswith("'d") for w in words)


def _done_after_all(words: list[str], i: int) -> bool:
    """Whether the negator at ``i`` says what the speaker did: "If I hadn't suggested it, she'd
    still be numb" (it was suggested)."""
    return (
        words[i] == "hadn't"
        and words[max(i - 2, 0) : i] == ["if", "i"]
        and _participle(words[i + 1 :])
        and _would(words[i + 1 :])
    )


def _is_participle(word: str) -> bool:
    """Whether a word reads as a past participle: "told", "stopped", "pushed"."""
    return word in _PARTICIPLE_AFTER_HAD or (len(word) > 4 and word.endswith("ed"))


def _seen(words: list[str], i: int) -> bool:
    """Whether word ``i`` follows what the speaker saw or heard: "I noticed (that) he…", "I
    found out he…"."""
    before = [w for w in words[max(i - 4, 0) : i] if w not in ("that", "out")]
    return before[-2:-1] == ["i"] and before[-1] in _SEEN


_STARTS_A_SUBJECT = _PUNCTUATION | _COORDINATING | SUBORDINATORS


def _someone_at_work(words: list[str], i: int) -> int:
    """How many words from ``i`` name someone else at work ("a newly hired worker", "another
    new peer", "one of the deacons"), or 0; the fixed phrases of ``OTHERS`` are found as frames."""
    if words[i : i + 2] == ["one", "of"] and words[i + 2 : i + 3] in (["the"], ["my"], ["our"]):
        for size in (4, 5, 6):  # "one of the deacons", "one of the other youth workers"
            role, following = (words[i + size - 1 : i + size + 1] + ["", ""])[:2]
            if role[:-1] in _ROLES and role[-1:] == "s":
                return size if following in _ACTING else 0
            if role in _PUNCTUATION:
                break
        return 0
    if words[i] not in _ROLE_OPENERS:
        return 0
    if words[i] in _DEFINITE and i and words[i - 1] not in _STARTS_A_SUBJECT:
        return 0  # "going to our supervisor would…": no subject but an object
    for size, word in enumerate(words[i + 1 : i + 4], start=2):
        following = words[i + size] if i + size < len(words) else ""
        if word in _ROLES and following not in _ROLES:  # "a peer worker kept…": the last role
            # ...doing something: "a new peer kept…", not "call a supervisor"
            return size if following in _ACTING else 0
        if word in _PUNCTUATION or word in _FIRST_PERSON_OR_YOU or word in PRONOUNS:
            return 0
    return 0


def _seen_someone(words: list[str], i: int) -> bool:
    """Whether word ``i`` starts someone the speaker saw doing something: "I noticed a newer
    peer…", "I saw one of my coworkers…" (not "I noticed I was…")."""
    return i > 1 and words[i - 2] == "i" and words[i - 1] in _SEEN and words[i] in _SOMEONE


def _answered_at(words: list[str], i: int) -> int | None:
    """Where the speaker answers a case opened just before word ``i`` ("If I noticed a coworker
    drinking, I'd…"): the first word of the speaker's after a comma; None if no case opens."""
    if i < 3 or words[i - 3] not in CASE_OPENERS:
        return None
    after_comma = range(i + 1, len(words))
    return next((j for j in after_comma if words[j - 1] == "," and words[j] in _FIRST_PERSON), None)


_REALIZED = ("realized", "realised")


def _realized(words: list[str], i: int) -> bool:
    """Whether word ``i`` turns what the speaker did into a mistake they saw: "…and realized
    I'd taken twenty minutes of her session"."""
    return (
        words[i] in _REALIZED
        and i > 1
        and words[i - 1] in ("and", "then", "until", "i")
        and words[i + 1 : i + 2] in (["i'd"], ["i"], ["that"], ["how"])
    )


def _saw_own_habit(words: list[str], i: int) -> bool:
    """Whether word ``i`` opens a habit the speaker came to see in themselves: "realized I'd
    been steering people toward my own path", "realized I was doing the talking"."""
    return words[i] in _REALIZED and words[i + 1 : i + 3] in (
        ["i'd", "been"],
        ["i", "was"],
        ["i", "had"],
    )


_PLANS = frozenset(("going to", "planning to", "plans to", "wants to", "about to", "intends to",
                    "threatening to", "threatens to"))  # fmt: skip


def _their_plan(words: list[str], i: int) -> bool:
    """Whether word ``i`` ("he", "she", "they") opens what that person means or would never do:
    "so he's going to show up at her house tonight", "things they'd never tell a therapist" are
    theirs, not the speaker's practice (but "I'll tell them they're going to end up dead" is the
    speaker's words)."""
    after = words[i + 1 : i + 4]
    if after[:1] in (["is"], ["was"], ["are"], ["were"]):
        after = after[1:]
    never = words[i].endswith("'d") and after[:1] == ["never"]  # "they'd never…"
    return (" ".join(after[:2]) in _PLANS or never) and not _after_reporting(words, i)


def _their_instruction(words: list[str], i: int) -> bool:
    """Whether word ``i`` ("they", "she") opens what that person told or asked someone else to
    do: "they told her to bring a family member to translate" is the clinic's, not the
    speaker's (what they asked of the speaker is a request, ``REQUESTS``)."""
    return (
        family(words[i + 1] if i + 1 < len(words) else "") in _TOLD_TO
        and words[i + 2 : i + 4] in (["her", "to"], ["him", "to"], ["them", "to"])
        and not _after_reporting(words, i)
    )


_TOLD_TO = frozenset(map(family, ("tell", "ask", "advise", "instruct")))


def _not_passing_on(words: list[str], i: int) -> bool:
    """Whether word ``i`` opens a case of someone else not passing something on that the
    speaker then will: "if she didn't bring it up, I would", "if he won't tell them, I'll"."""
    verb = words[i + 2] if i + 2 < len(words) else ""
    return (
        i > 0
        and words[i - 1] in CASE_OPENERS
        and _is_negator(words[i + 1])
        and family(verb) in _PASSING_ON
        and not _WILL_DO.isdisjoint(words[i + 3 :])
    )


def _done_to(words: list[str], i: int) -> bool:
    """Whether word ``i`` is what was done to someone: "they'd been pushed out", "was kicked",
    "were pressured or forced"."""
    if i > 2 and words[i - 1] == "or" and _done_to(words, i - 2):
        return _is_participle(words[i])
    return i > 0 and words[i - 1] in _DONE_TO and _is_participle(words[i])


def _not_telling(words: list[str], i: int) -> bool:
    """Whether "tell" at ``i`` is told to the speaker or passive: "she told me", "be told"."""
    after = words[i + 1] if i + 1 < len(words) else ""
    return after in _TOLD_TO_ME or (i > 0 and words[i - 1] in _PASSIVE)


def _ends_lived(words: list[str], j: int) -> bool:
    """Whether the speaker's past or a slip they own ends at word ``j``: a contrast (not
    "instead of"), "now", "so" before a new clause ("…, so I…", "…, so if…"; not "so bad"), or
    what they think of it now ("…, and honestly I think it helps")."""
    after = words[j + 1] if j + 1 < len(words) else ""
    return (
        (words[j] in _LIVED_ENDS and (words[j], after) != ("instead", "of"))
        or (words[j] == "so" and (after in PRONOUNS or after in SUBORDINATORS))
        or (words[j] == "and" and (after == "honestly" or words[j + 1 : j + 3] in _JUDGING))
    )


_JUDGING = (["i", "think"], ["i", "believe"], ["i", "figure"])  # the speaker's view now


def _clause_numbers(words: list[str]) -> list[int]:
    """The clause each word of one sentence is in, for patterns that must match within one.

    A clause starts at a contrast such as "but" (``CLAUSE_STARTS``), at ", so", at "and then",
    or where the speaker starts one after punctuation, "and" or "and that" ("…, and I would…"),
    unless the clause so far has an "if", "when", "as long as" or the like (``SUBORDINATORS``:
    "If she asks, I…" is one thought).
    "And" alone joins words ("clinicians and supervisors"), a comma alone a list, and "the mom
    I supported" is one clause.
    """
    numbers, clause, subordinate = [], 0, False
    for j, word in enumerate(words):
        before = words[j - 1] if j else ""
        if (
            word in CLAUSE_STARTS
            or (word == "so" and before == ",")
            or _and_then(words, j)  # "…never tell a soul and then had to ring the lifeline"
            or (
                word in PRONOUNS
                and (
                    before in _PUNCTUATION
                    or before in ("and", "then")
                    or words[max(j - 2, 0) : j] == ["and", "that"]  # "…, and that I won't…"
                )
                and not _reported(words, j)
                and not subordinate
            )
        ):
            clause, subordinate = clause + (j > 0), False
        # "as long as" is a condition too: "As long as the Narcan works, I don't call"
        subordinate = (
            subordinate or word in SUBORDINATORS or words[max(j - 2, 0) : j + 1] == _AS_LONG_AS
        )
        numbers.append(clause)
    return numbers


def _list_end(words: list[str], i: int) -> int:
    """Where a list of things that starts at word ``i`` ends ("no friendship, romantic or sexual
    relationship, or money"): two words after its last "or", if it has one (0: no list). A
    colon ends it: "with no fine print: if you… or…"."""
    end = 0
    for j in range(i, min(len(words), i + 20)):
        if words[j] in CLAUSE_ENDS or words[j] in _SENTENCE_END or words[j] in _LIST_STOPS:
            break
        if words[j] in ("or", "nor"):
            end = j + 1
            while end < min(len(words), j + 3) and words[end] not in _PUNCTUATION:
                end += 1
    return end


def _or_list_end(words: list[str], i: int, subject: str = "") -> int:
    """Where acts listed from word ``i`` to one after ", or" end ("give advice, or tell anyone
    to change their medication"; "date them, hire them, lend them money or become their
    sponsor"), or ``i``: a negator before them covers them all. After a
    negator whose subject is "they", "he" or "she", that subject again after a comma starts a
    new clause, not another act ("they can't get a ride, they're told…"); after "I don't
    judge, they're adults, or call anyone" the list goes on, and so it does through a clause
    about the people named ("isn't my buddy, my date, or someone I borrow cash from")."""
    joined = listed = False
    for j in range(i, min(len(words), i + 30)):
        if (
            (words[j] in CLAUSE_ENDS and not (words[j] in PRONOUNS and _names_people(words, j)))
            or words[j] in _SENTENCE_END
            or words[j] in CLAUSE_STARTS
            or (words[j] in _THEY and words[j - 1] == "," and subject in _THEY)
        ):
            return j if joined else i
        if words[j] in ("or", "nor") and (words[j - 1] == "," or listed):
            joined = True
        elif words[j] == "," and not joined:
            listed = True  # three acts or more: the last "or" needs no comma
        elif joined and words[j] in _PUNCTUATION:
            return j
    return min(len(words), i + 30) if joined else i


_DETERMINERS = frozenset("a an the this that every another one some".split())
_NOT_NOUNS = _PUNCTUATION | CLAUSE_ENDS | SUBORDINATORS | _DETERMINERS


def _relative(words: list[str], j: int) -> bool:
    """Whether the speaker at ``j`` is in a clause about a noun just named: "a coworker I
    respected", "a person we both supported"."""
    starts = [d for d in range(max(j - 3, 0), j - 1) if words[d] in _DETERMINERS]
    return bool(starts) and not set(words[starts[-1] + 1 : j]) & _NOT_NOUNS


def _names_people(words: list[str], j: int) -> bool:
    """Whether the speaker at ``j`` opens a clause about the people just named: "I don't lend
    money to people I support, or date them" denies the acts after it too."""
    return j > 0 and (words[j - 1] in PEOPLE or _relative(words, j))


def _reported(words: list[str], j: int) -> bool:
    """Whether the clause at ``j`` is what is said or thought: "I wouldn't tell them I'll keep
    it secret", "I don't think I need supervision"."""
    return words[j] in PRONOUNS and _after_reporting(words, j)


def _after_reporting(words: list[str], j: int) -> bool:
    """Whether a verb of saying or thinking stands in the two words before ``j``."""
    return any(family(w) in REPORTING for w in words[max(j - 2, 0) : j])


# Verbs that say whose words a quotation is: 'she asked, "…"', '"…," he said'.
SPEECH = frozenset(
    map(family, "say said says ask asked asks tell told tells yell yelled shout shouted admit "
        "admitted whisper whispered reply replied answer answered text texted write wrote "
        "scream screamed insist insisted joke joked joking crack cracked mutter muttered remark "
        "remarked comment commented sneer sneered start starts started begin begins began "
        "call calls called promise promises promised promising refer refers referred".split())
)  # fmt: skip
# Words before a quotation that mention words rather than say them: 'instead of writing
# "noncompliant"', 'labels like "manipulative"'.
MENTION = frozenset(
    map(family, "write writing wrote written note noted chart charted document documented label "
        "labeled term word phrase".split())
)  # fmt: skip
# Words just before a quotation that make it words someone heard: 'hearing you're "not really
# in recovery"'.
HEARD = frozenset(map(family, "hear heard hearing hears".split()))
SPEAKER_SELF = PRONOUNS | {"i've", "we've", "we're"}  # the speaker as the subject
_SPEAKER_OR_YOU = SPEAKER_SELF | YOU
_QUOTE = re.compile('["\u201c\u201d]')
# A quotation in single quotes: opened before a word, closed after one ("asks, 'Should I…?'"),
# never an apostrophe inside or at the end of a word ("I'm", "peers'").
_SINGLE_QUOTED = re.compile(
    r"(?<![\w'\u2019])['\u2018](?=\w)(?:[^'\u2019]|\B['\u2019]|\b['\u2019]\b)*?(?<=[^\s])['\u2019](?![\w])"
)


def _speaker_is_other(words: list[str], reach: int = 9) -> bool | None:
    """Whether the last speech verb in the last ``reach`` ``words`` has someone other than the
    speaker as its subject ("who told me", "he said"; not "I'd say"), looking past an aside
    ("a nurse, talking about him, said"); None: no speech verb."""
    for k in range(len(words) - 1, max(len(words) - 1 - reach, -1), -1):
        if family(words[k]) in SPEECH:
            start = k
            while start > max(k - 4, 0) and words[start - 1] not in _PUNCTUATION:
                start -= 1
            subject = set(_subject(words, start, k))
            if k and words[k - 1] in ("and", "then"):  # one subject, two acts: "I'd pull
                while start > max(k - 14, 0) and words[start - 1] not in _PUNCTUATION:  # him
                    start -= 1  # aside and tell him"
                # the first person named is the subject: "a nurse I respect … and said" is
                # hers, "a while back I pulled him aside and said" the speaker's
                named = _subject(words, start, k)
                who = next((w for w in named if w in SPEAKER_SELF or w in _ROLES), None)
                return who is None or who in _ROLES
            if not subject and k and words[k - 1] == ",":  # "a nurse, talking about him, said"
                subject = set(_subject(words, max(k - 12, 0), k)) - _PUNCTUATION
                # "one of the volunteers, an older man who'd been kind to me, said"
                named = {family(w) for w in subject} & _PERSON_FAMILIES or subject & _THEY
                return bool(named) and not subject & SPEAKER_SELF
            return bool(subject) and not subject & SPEAKER_SELF
    return None


# Someone the speaker may name with a clause of their own: "a guy I work with", "a woman I support".
_PERSONS = (
    _ROLES | PEOPLE | frozenset("guy man woman person gentleman lady member client friend".split())
)
_PERSON_FAMILIES = frozenset(map(family, _PERSONS))  # "volunteers" names someone too


def _subject(words: list[str], start: int, end: int) -> list[str]:
    """The words from ``start`` to the verb at ``end``, less the speaker in a clause about
    someone just named: "a guy I work with told me" is his ("one day I told him" mine)."""
    return [
        w
        for j, w in enumerate(words[start:end], start)
        if not (w in SPEAKER_SELF and 0 < j < end - 1 and words[j - 1] in _PERSONS)
    ]


def _quotations(text: str) -> list[tuple[int, int]]:
    """Where each quotation opens and closes, in order."""
    marks = [m.start() for m in _QUOTE.finditer(text)]
    pairs = list(zip(marks[::2], marks[1::2], strict=False))
    return sorted(pairs + [(m.start(), m.end() - 1) for m in _SINGLE_QUOTED.finditer(text)])


def _ends_inside_quotation(text: str, start: int, quotations) -> bool:
    """Whether the mark at ``start`` closes a quotation that a comma goes on after: 'If
    someone says, "What would you do?", I…'."""
    for opening, closing in quotations:
        if opening < start < closing and not text[start + 1 : closing].strip():
            return text[closing + 1 :].lstrip()[:1] == ","
    return False


def _denied_quotations(sentence, negated: list[bool], quotations) -> list[bool]:
    """A quotation that opens where a negation reaches is denied whole: 'No "I was only
    kidding"', 'not jumping in with "I was only kidding" or explaining myself'."""
    out = list(negated)
    for opening, closing in quotations:
        if not sentence or closing < sentence[0][1] or opening > sentence[-1][2]:
            continue  # not in this sentence
        inside = [k for k, (_, s, _) in enumerate(sentence) if opening < s < closing]
        if not inside:
            continue
        first = inside[0]
        before = sentence[first - 1][0] if first else ""
        if negated[first] or (first and (negated[first - 1] or _is_negator(before))):
            for k in inside:
                out[k] = True
    return out


def _mentions(before: list[str]) -> bool:
    """Whether a quotation after the words ``before`` it mentions words: 'writing
    "noncompliant"', 'words like "junkie"'."""
    if before[-2:] == ["better", "than"]:  # '"people who use drugs" lands better than "junkies"'
        return True
    if before[-1:] in (["like"], ["as"]):
        before = before[:-1]
    return bool(before) and family(before[-1]) in MENTION


def _others_quotes(
    text: str, tokens: list[tuple[str, int, int]], quotations: list[tuple[int, int]]
) -> list[range]:
    """Where the answer quotes someone else's words ('He said, "I'm done with you people."',
    'hearing "you're not really in recovery"') or mentions words ('I'd write "stopped taking
    the medication because of side effects"')."""
    words, starts = [w for w, _, _ in tokens], [s for _, s, _ in tokens]
    spans = []
    for opening, closing in quotations:
        # the next of a list of someone else's quotations: '"frequent flyers" and "junkies"'
        between = text[spans[-1].stop + 1 : opening].strip(" ,;").lower() if spans else None
        if between in ("", "and", "or", "like", "such as"):
            spans.append(range(opening, closing))
            continue
        at = bisect.bisect_left(starts, opening)
        before = words[max(at - 20, 0) : at]
        while before and before[0] not in _SENTENCE_END and any(w in _SENTENCE_END for w in before):
            before.pop(0)
        at = bisect.bisect_right(starts, closing)
        after = words[at : at + 3]
        other = _speaker_is_other(before)
        if other is None and "that" in before:  # a report: 'he used to say, at dinner, that …'
            that = len(before) - 1 - before[::-1].index("that")
            if SPEAKER_SELF.isdisjoint(before[that:]):  # not '…that…, I send back "…"'
                other = _speaker_is_other(before[:that], reach=len(before))
        if other is None:
            other = _speaker_is_other(after)
        heard = any(family(w) in HEARD for w in before[-4:])
        if other or heard or _mentions(before):
            spans.append(range(opening, closing))
    return spans


def _initial(text: str, words: list[tuple[str, int, int]], period: int) -> bool:
    """Whether the period at ``period`` closes an initial, not a sentence: one capital letter
    after a title or another initial, or before a lowercase word or another initial ("you
    called Mr. R. noncompliant", "J. R. Jones")."""
    word, start, _ = words[-1]
    if len(word) != 1 or not text[start].isupper():
        return False
    before, _, before_end = words[-2] if len(words) > 1 else ("", 0, 0)
    after = text[period + 1 :].lstrip()[:2]
    return (
        before in _TITLES
        or (len(before) == 1 and text[before_end : before_end + 1] == ".")
        or (word != "i" and (after[:1].islower() or re.fullmatch(r"[A-Z]\.", after) is not None))
    )


def analyse(text: str) -> Analysed:
    """Split ``text`` into sentences of tokens with their families and negation."""
    raw = _raw_tokens(text)
    quotations = _quotations(text)
    quoted = _others_quotes(text, raw, quotations)
    sentences, current = [], []
    for item in [*raw, (".", len(text), len(text))]:
        if item[0] in _QUOTED_ENDS and _ends_inside_quotation(text, item[1], quotations):
            current.append((",", item[1], item[2]))
        elif (
            item[0] == "."
            and item[1] < len(text)
            and current
            and (current[-1][0] in _TITLES or _initial(text, current, item[1]))
        ):
            continue
        elif item[0] in _SENTENCE_END:
            if current:
                sentences.append(current)
            current = []
        else:
            current.append(item)
    all_words = [[w for w, _, _ in sentence] for sentence in sentences]
    out = []
    for n, sentence in enumerate(sentences):
        words, following = all_words[n], all_words[n + 1] if n + 1 < len(sentences) else []
        clauses = _clause_numbers(words)
        negated = _denied_quotations(sentence, _negated_flags(words), quotations)
        aside, rejected = _frames(words, negated, clauses, following)
        whole = (
            _backstory(words)
            or _put_as_question(words, text[sentence[-1][2] : sentence[-1][2] + 2])
            or (bool(following) and _owned_slip(words, following))
            or (n > 0 and _is_past_act(words) and _tells_a_lesson(all_words[n - 1]))
        )
        aside = [
            whole or framed or bool(quoted) and any(s in span for span in quoted)
            for framed, (_, s, _) in zip(aside, sentence, strict=True)
        ]
        full = tuple(
            # punctuation stays as a "," token, so a phrase never spans it
            Token("," if w in _PUNCTUATION else family(w), s, e, neg, theirs, reject, clause)
            for (w, s, e), neg, theirs, reject, clause in zip(
                sentence, negated, aside, rejected, clauses, strict=True
            )
        )
        tokens = tuple(t for t, (w, _, _) in zip(full, sentence, strict=True) if w not in SKIPPED)
        out.append(Sentence(tokens, _positions(tokens), full, _positions(full)))
    families = frozenset(f for sentence in out for f in sentence.full_positions)
    return Analysed(text, tuple(out), families)


def _positions(tokens: tuple[Token, ...]) -> dict[str, tuple[int, ...]]:
    found: dict[str, list[int]] = {}
    for i, token in enumerate(tokens):
        found.setdefault(token.family, []).append(i)
    return {k: tuple(v) for k, v in found.items()}


# --- patterns ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """Alternative phrases, each (word families, negation wanted: True, False or None: either)."""

    phrases: tuple[tuple[tuple[str, ...], bool | None, bool], ...]  # (families, negated, exact)

    @functools.cached_property
    def firsts(self) -> frozenset[str]:
        """The first word family of each phrase: a quick test before searching sentences."""
        return frozenset(phrase[0] for phrase, _, _ in self.phrases)

    @functools.cached_property
    def rest(self) -> dict[str, tuple[tuple[str, ...], ...]]:
        """For each first word family, the other words of the phrases starting with it."""
        found: dict[str, set] = {}
        for phrase, _, _ in self.phrases:
            found.setdefault(phrase[0], set()).add(phrase[1:])
        return {first: tuple(rests) for first, rests in found.items()}


@dataclass(frozen=True, eq=False)  # one compiled pattern is one object: quick to look up
class Pattern:
    """A phrase or a co-occurrence pattern, compiled; ``text`` is how it was written."""

    text: str
    groups: tuple[Group, ...]
    loose: bool = False  # one extra word may stand between a phrase's words
    own: bool = False  # only the speaker's own practice counts, not words "aside"
    one_clause: bool = False  # all groups in one clause (``own`` patterns with a "~" phrase)
    mine: frozenset[tuple[str, ...]] = frozenset()  # concern phrases written with "my" or "our"


class PatternIndex:
    """Patterns with a quick test of which may match a text: each group needs a phrase whose
    words are all in the text. For every phrase it counts how many of its words the text has
    (one ``numpy`` count over the text's words), so a text is tested against all patterns at
    once rather than pattern by pattern."""

    def __init__(self, patterns: tuple[Pattern, ...]):
        self.patterns = patterns
        phrases = sorted({words for p in patterns for g in p.groups for words, _, _ in g.phrases})
        number = {words: n for n, words in enumerate(phrases)}
        by_word: dict[str, list[int]] = {}
        for n, words in enumerate(phrases):
            for word in set(words):
                by_word.setdefault(word, []).append(n)
        self._phrases_of = {word: numpy.array(ns) for word, ns in by_word.items()}
        self._words_in = numpy.array([len(set(words)) for words in phrases])
        pair_phrase, pair_group, group_pattern = [], [], []  # each phrase of each group
        for i, pattern in enumerate(patterns):
            for group in pattern.groups:
                for words, _, _ in group.phrases:
                    pair_phrase.append(number[words])
                    pair_group.append(len(group_pattern))
                group_pattern.append(i)
        self._pair_phrase = numpy.array(pair_phrase, dtype=int)
        self._pair_group = numpy.array(pair_group, dtype=int)
        self._group_pattern = numpy.array(group_pattern, dtype=int)

    def candidates(self, text: Analysed) -> tuple[Pattern, ...]:
        """The patterns that may match ``text``, in their order."""
        found = [self._phrases_of[w] for w in text.families if w in self._phrases_of]
        if not found:
            return ()
        counts = numpy.bincount(numpy.concatenate(found), minlength=len(self._words_in))
        present = counts == self._words_in
        group_met = numpy.zeros(len(self._group_pattern), dtype=bool)
        group_met[self._pair_group[present[self._pair_phrase]]] = True
        unmet = numpy.bincount(self._group_pattern[~group_met], minlength=len(self.patterns))
        return tuple(self.patterns[i] for i in numpy.flatnonzero(unmet == 0))


# Who an act is done to, kept in a concern's phrase ("her" only as its last word, since "her
# meds" is hers): "bought from him" is not "bought from a friend".
_OBJECTS = frozenset({"him", "them"})


class PatternError(ValueError):
    """A pattern is empty or badly written (the message says how to fix it)."""


def phrase_families(phrase: str, loose: bool = False) -> tuple[tuple[str, ...], bool]:
    """The word families of a phrase, skipping the words in ``SKIPPED``, and whether it is exact.

    A phrase that skipping would leave as one word keeps its small words and is matched
    exactly: "their choice" is not "choice", nor is "his to give" "to give". So does a
    concern's phrase (not ``loose``) that would be left with small words only ("up to them" is
    not "up to", as in "up to speed"), one written with "him" or "them" ("bought from him" is
    not "bought from a friend") and one ending in a skipped word ("between us and the team" is
    not "between us and I…").
    """
    words = [w for w, _, _ in _raw_tokens(phrase) if w not in _PUNCTUATION]
    kept = [w for w in words if w not in SKIPPED]
    only_small = not loose and SMALL_WORDS.issuperset(kept)
    someone = not loose and bool(_OBJECTS.intersection(words) or words[-1] in SKIPPED)
    # a talking point's "his to give" is not "to give": whose it is was the first word
    owner = loose and words[0] in ("his", "her", "their")
    owner = owner and sum(w not in SMALL_WORDS for w in kept) < 2
    if len(kept) < len(words) and (len(kept) == 1 or only_small or someone or owner):
        return tuple(family(w) for w in words), True
    return tuple(family(w) for w in kept), False


def check_pattern(text: str) -> None:
    """Raise ``PatternError`` if a phrase of the pattern has no words to match (a quick check,
    without compiling: a phrase is empty when it has no word, or only one small word)."""
    for part in text.split("+"):
        for alternative in part.split("|"):
            words = [w for w in _TOKEN.findall(alternative.lower()) if w not in _PUNCTUATION]
            if not words or (len(words) == 1 and words[0] in SKIPPED):
                raise PatternError(
                    f"pattern {text!r}: every group needs words; write phrases separated by '|' "
                    "and groups joined by '+', e.g. 'private|confidential + unless|except'."
                )


def check_matchable(text: str) -> None:
    """Raise ``PatternError`` if a phrase of the pattern holds a comma: a match never spans one,
    so the phrase could never be found."""
    if "," in text:
        raise PatternError(
            f"pattern {text!r}: a phrase never matches across a comma; write the words on one "
            "side of it, or two phrases joined by '+' (these words in one sentence)."
        )


@functools.lru_cache(maxsize=20_000)
def compile_pattern(text: str, loose: bool = False, own: bool = False) -> Pattern:
    """Compile a phrase or pattern written as described in the module docstring.

    ``loose`` lets one extra word stand between a phrase's words ("stay right with them" for
    "stay with"): talking points are recognized loosely, concerns as written. ``own`` skips
    words that tell of something other than the speaker's practice ("I was tempted to…, but"):
    concerns are about what the speaker does.
    """
    check_pattern(text)
    parts, mine, not_mine = [], set(), set()
    for part in text.split("+"):
        readings = [_alternative(a.strip(), loose) for a in part.split("|")]
        parts.append([(families, exact, wanted) for families, exact, wanted, _ in readings])
        for families, _, _, says_mine in readings:
            (mine if says_mine else not_mine).add(families)
    tilde = any(wanted for phrases in parts for _, _, wanted in phrases)
    # a group of negators ("not|never + judge") negates the others, as a "~" phrase does
    negated = tilde or any(
        all(f[0] in _NEGATOR_FAMILIES for f, _, _ in phrases) for phrases in parts
    )
    groups = tuple(
        # in a pattern with a negated phrase, a group without one may be negated too
        Group(
            tuple(
                (f, None if negated and not any(w for _, _, w in phrases) else w, exact)
                for f, exact, w in phrases
            )
        )
        for phrases in parts
    )
    # "in my phone|in your phone" has the same families twice: only "my" phrases are checked;
    # a concern's pattern or exception written with "my" is the speaker's own
    mine = frozenset(mine - not_mine) if not loose else frozenset()
    return Pattern(text, groups, loose, own, own and tilde, mine)


@functools.lru_cache(maxsize=100_000)  # patterns share many alternatives ("supervisor")
def _alternative(written: str, loose: bool) -> tuple[tuple[str, ...], bool, bool, bool]:
    """How one alternative of a pattern is read: its word families, whether they are matched
    exactly, whether it must be negated ("~"), and whether it says "my" or "our"."""
    families, exact = phrase_families(written.lstrip("~"), loose)
    says_mine = bool(set(_TOKEN.findall(written.lower())) & MINE)
    return families, exact, written.startswith("~"), says_mine


def reading(written: str, loose: bool = False) -> tuple:
    """How the checker reads one phrase, as a key two phrases share only when they match alike
    (``_alternative``; "my" counts only in a concern's pattern, not ``loose``)."""
    return _alternative(written, loose)[: 3 if loose else 4]


def check_alternatives(text: str, loose: bool = False) -> None:
    """Raise ``PatternError`` if a group of the pattern lists alternatives that are read as the
    same words ("keep|keeps|kept", "tell him|tell them"): one of them is enough. Only a
    concern's pattern (not ``loose``) reads "my" as the speaker's own."""
    repeats = []
    for part in text.split("+") if "|" in text else ():
        first: dict[tuple, str] = {}
        for written in (a.strip() for a in part.split("|")):
            read = reading(written, loose)
            if read in first:
                repeats.append(f"{written!r} (as {first[read]!r})")
            first.setdefault(read, written)
    if repeats:
        raise PatternError(
            f"pattern {text!r}: {', '.join(repeats)} read as the same words as an earlier "
            "alternative (word forms and words of the same meaning are matched alike); "
            "list each once."
        )


def _whose(text: str, start: int, end: int) -> bool:
    """Whether the words matched (``text[start:end]``, with the word before and after) for a
    phrase written with "my" or "our" say the speaker's own: "in my phone" is not "in his
    phone". Read as written, since "on my own" is one token ("alone")."""
    before = _TOKEN.findall(text[max(start - 12, 0) : start].lower())[-1:]
    after = _TOKEN.findall(text[end : end + 12].lower())[:1]
    return bool({*before, *_TOKEN.findall(text[start:end].lower()), *after} & MINE)


_ARTICLES = frozenset({"a", "an", "the"})
_PREPOSITIONS = frozenset("on in at from during after before over".split())
_POSSESSIVES = frozenset("my our your their".split())  # not "her" or "his": "let her call"
_ROLE_NOUNS = frozenset(map(family, DISMISSIVE_AFTER_MY))


def _names_a_thing(sentence: Sentence, token: Token) -> bool:
    """Whether ``token`` names a thing: after a preposition and "a", "an" or "the" ("resolved
    on the call"), or a role after "not my" ("changing them isn't my call"); not what someone
    is or does ("I'm not a counselor", "I never made the call")."""
    full = sentence.full
    return any(
        k > 1
        and full[k].start == token.start
        and (
            (full[k - 1].family in _ARTICLES and full[k - 2].family in _PREPOSITIONS)
            or (
                token.family in _ROLE_NOUNS
                and full[k - 1].family in _POSSESSIVES
                and _is_negator(full[k - 2].family)
            )
        )
        for k in sentence.full_positions.get(token.family, ())
    )


def _phrase_spans(
    sentence: Sentence, phrase, negated: bool | None, exact: bool, gap: int = 0, own: bool = False
):
    """(start, end, clause) in the text of each place ``phrase`` occurs as wanted.

    A wanted negation shows its negator too: "wouldn't tell my supervisor".
    """
    tokens = sentence.full if exact else sentence.tokens
    positions = sentence.full_positions if exact else sentence.positions
    for i in positions.get(phrase[0], ()):
        if own and tokens[i].aside:
            continue
        if negated and _names_a_thing(sentence, tokens[i]):
            continue  # a noun, no act: "it can't be resolved on the call"
        end = _phrase_end(tokens, i, phrase, 0 if exact else gap)
        is_negated = tokens[i].negated != (own and tokens[i].rejected)
        if end is not None and (negated is None or is_negated == negated):
            start = i
            if negated:
                while start > 0 and tokens[start - 1].negated:
                    start -= 1
                start = max(start - 1, 0)
            yield tokens[start].start, tokens[end].end, tokens[i].clause


def _phrase_end(tokens, i, phrase, gap: int) -> int | None:
    """Where ``phrase`` ends if it starts at token ``i``, with up to ``gap`` other words between
    each two of its words (never a comma, a negator or a word such as "only" that changes what
    the phrase says); None if it does not occur there."""
    j = i
    for word in phrase[1:]:
        for k in range(j + 1, min(len(tokens), j + 2 + gap)):
            if tokens[k].family == word:
                j = k
                break
            if tokens[k].family in _NO_GAP:
                return None
        else:
            return None
    return j


def sentence_mask(pattern: Pattern, text: Analysed) -> int:
    """The sentences (as bits) that have all the words of a phrase of each group of ``pattern``."""
    masks, families, found = text.masks, text.families, -1
    if any(group.firsts.isdisjoint(families) for group in pattern.groups):
        return 0  # a quick test of every group before the sentence bits
    for group in pattern.groups:
        in_group = 0
        for first in group.firsts & families:
            for rest in group.rest[first]:
                mask = masks[first]
                for family in rest:
                    mask &= masks.get(family, 0)
                in_group |= mask
        found &= in_group
        if not found:
            break
    return found


def find_in(pattern: Pattern, text: Analysed, sentence: Sentence) -> str | None:
    """The words of ``sentence`` that show ``pattern`` (the closest match of its groups), or None.

    A pattern of unsafe practice with a negated phrase (``one_clause``) matches within one
    clause: in "I'd talk to her doctor if it helps, but I wouldn't tell…" no one is kept out of
    the loop.
    """
    present = sentence.full_positions.keys()
    if not all(group.firsts & present for group in pattern.groups):
        return None
    gap, found, each = int(pattern.loose), [], None if pattern.one_clause else 1
    for group in pattern.groups:
        spans = [
            span
            for phrase in group.phrases
            if phrase[0][0] in present  # a quick test before looking for the phrase
            for span in itertools.islice(_phrase_spans(sentence, *phrase, gap, pattern.own), each)
            if phrase[0] not in pattern.mine or _whose(text.text, span[0], span[1])
        ]
        if not spans:
            return None
        found.append(spans)
    combinations = [
        (min(s for s, _, _ in spans), max(e for _, e, _ in spans))
        for spans in itertools.product(*found)
        if not pattern.one_clause or len({c for _, _, c in spans}) == 1
    ]
    if not combinations:
        return None
    start, end = min(combinations, key=lambda span: span[1] - span[0])
    return text.text[start : _with_object(text.text, sentence, end)]


_QUOTED_OBJECTS = frozenset(family(w) for w in "him her them you me us it".split())


def _with_object(text: str, sentence: Sentence, end: int) -> int:
    """Where a quote of the learner's words ending at ``end`` ends, with the person it is about
    when one follows ("what it was like for you", not "…for")."""
    after = next((t for t in sentence.full if t.start >= end), None)
    if after and after.family in _QUOTED_OBJECTS and not text[end : after.start].strip():
        return after.end
    return end


def by_sentence(patterns, text: Analysed):
    """Each sentence of ``text``, in order, with those of ``patterns`` that may match in it
    (``sentence_mask``); sentences where none may are left out."""
    masks = [sentence_mask(pattern, text) for pattern in patterns]
    for i, sentence in enumerate(text.sentences if any(masks) else ()):
        here = [pattern for pattern, mask in zip(patterns, masks, strict=True) if mask >> i & 1]
        if here:
            yield sentence, here


def joined(text: Analysed, sentence: Sentence) -> list[Sentence]:
    """``sentence`` and those joined to it by a semicolon, as one written sentence:
    "ground rules: no advice; what's shared stays here"."""
    at = next(i for i, s in enumerate(text.sentences) if s is sentence)

    def joins(i: int) -> bool:  # between sentence i and i + 1
        gap = text.text[text.sentences[i].span.stop : text.sentences[i + 1].span.start]
        return ";" in gap and not set(gap) & set(".!?\n")

    start, end = at, at
    while start > 0 and joins(start - 1):
        start -= 1
    while end + 1 < len(text.sentences) and joins(end):
        end += 1
    return list(text.sentences[start : end + 1])


def find_each(pattern: Pattern, text: Analysed):
    """Each sentence where ``pattern`` matches, in order, with the words that show it."""
    mask = sentence_mask(pattern, text)  # one pattern: the bits, without by_sentence's lists
    for i, sentence in enumerate(text.sentences if mask else ()):
        if mask >> i & 1 and (words := find_in(pattern, text, sentence)) is not None:
            yield sentence, words


def find(pattern: Pattern, text: Analysed) -> str | None:
    """The answer's words that show ``pattern`` (first sentence where it matches), or None."""
    return next((words for _, words in find_each(pattern, text)), None)
