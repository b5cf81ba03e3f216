"""Word families, negation scope and patterns: what the answer checker counts as said."""

from pathlib import Path

import pytest
import yaml

from peerlib import concerns, matching
from peerlib.matching import (
    PatternError,
    analyse,
    check_alternatives,
    check_matchable,
    compile_pattern,
    family,
    find,
)

DATA = Path(__file__).parent / "data"


def said(pattern: str, text: str) -> str | None:
    return find(compile_pattern(pattern), analyse(text))


@pytest.mark.parametrize(
    ("word", "other"),
    [
        ("listened", "listening"),
        ("judgement", "judgment"),
        ("summarise", "summarize"),
        ("behaviour", "behavior"),
        ("counselling", "counseling"),
        ("safety", "safe"),
        ("told", "tell"),
        ("strategies", "strategy"),
    ],
)
def test_word_forms_share_a_family(word, other):
    assert family(word) == family(other)


@pytest.mark.parametrize(
    ("phrase", "text"),
    [
        ("tell supervisor", "I'd tell the person I report to."),
        ("tell supervisor", "I'd tell my boss."),
        ("call 988", "I'd call the suicide hotline with them."),
        ("ask about suicide", "I'd ask them about killing themselves."),
        ("give naloxone", "I'd give Narcan."),
        ("give naloxone", "I'd give the overdose-reversal spray."),
        ("call 988", "We'd call the three-digit line together."),
        ("call 911", "I'd call emergency medical services."),
        ("ask strength", "I'd ask what she's good at."),
        ("talk about goal", "We'd talk about what he wants out of life."),
        ("in front of everyone", "I called him out in front of everybody."),
        ("ask anyone", "I'd ask anybody in the room."),
        ("lifeline-phone-program", "She can get a free phone through the Lifeline program."),
        # the person talked about, whoever it is
        ("asked if she had a few minutes", "I asked if he had a few minutes after group."),
        ("when he's ready", "We'd pick it up again when she's ready."),
        ("he's having a hard time", "She's having a hard time lately."),
        ("she'd decided herself", "They'd decided themselves."),
    ],
)
def test_words_of_the_same_meaning_read_as_one(phrase, text):
    assert said(phrase, text)


def test_the_lifeline_phone_program_is_not_988():
    assert said("call 988", "I'd help her apply for a Lifeline phone and call the clinic.") is None


def test_same_meaning_is_by_word_not_by_stem():
    assert said("tell supervisor", "I'd tell my case manager.") is None
    assert family("managing") != family("manager")
    assert family("political") != family("polite")
    assert family("information") != family("inform")  # "stop at information" informs no one
    assert family("informed") == family("inform")
    assert family("accountable") != family("accounts")  # "my personal accounts" holds no one


@pytest.mark.parametrize(
    ("word", "other"),
    [("well", "wellness"), ("listen", "list"), ("medical", "medication"), ("friend", "friendly")],
)
def test_different_words_keep_apart(word, other):
    assert family(word) != family(other)


def test_medical_care_is_not_medication():
    assert (
        said("stop + medication", "If she plans to stop drinking, I'd urge medical care.") is None
    )
    assert said("stop + medication", "She wanted to stop her medication.") is not None


def test_a_phrase_matches_word_forms_in_order_and_skips_small_words():
    assert said("ask about suicide", "I asked them about suicide.") == "asked them about suicide"
    assert said("ask about suicide", "About suicide, I asked.") is None


def test_a_talking_point_phrase_that_starts_with_whose_it_is_keeps_it():
    points = compile_pattern("his to give", loose=True)
    assert find(points, analyse("He was close to giving up.")) is None
    assert find(points, analyse("The consent was his to give.")) == "his to give"


def test_a_concern_phrase_of_small_words_keeps_them_but_a_talking_point_skips_them():
    # skipping "them" would leave "up to", which "up to speed" has
    assert said("up to them", "I brought her up to speed.") is None
    assert said("up to them", "It's up to them.") == "up to them"
    # one that ends in a skipped word is matched as written: "between us and the team"
    assert said("between us and the", "It stays between us and I won't tell.") is None
    assert said("between us and the", "It stays between us and the team.")
    points = compile_pattern("with them there", loose=True)
    assert find(points, analyse("I sat with him there while he called.")) == "with him there"


def test_a_phrase_never_spans_a_comma_or_a_sentence():
    assert said("call 988", "I'd call, 988 is there.") is None
    assert said("call 988", "I'd call. 988 is there.") is None


def test_a_pattern_needs_every_group_in_one_sentence_in_any_order():
    pattern = "private|confidential + unless|except"
    assert said(pattern, "Unless someone is at risk, it stays private.")
    assert said(pattern, "It stays private. Unless I'm told otherwise.") is None


@pytest.mark.parametrize(
    "text",
    [
        "I would not call 988.",
        "I wouldn't call 988.",
        "I would never call 988 or the police.",
        "Without calling 988, I'd carry on.",
        "Instead of calling 988 I'd wait.",
        "I'd avoid calling 988.",
        "Calling 988 isn't really necessary.",
        "Calling 988 isn't my job.",
        "Calling 988 for someone I work with isn't okay.",  # the act judged not okay
        "Calling 988 that night isn't my job.",  # "that" as a word of the act, not a report
        "I'd never tell them I'll call 988.",
        "It saves the hassle of calling 988.",
        "Listening doesn't mean I'd call 988.",
        "I don't have to, and shouldn't, call 988.",
        "I don't diagnose, give advice, or call 988.",  # a list of acts joined by ", or"
        "Being heard mattered more than calling 988.",  # set aside for what mattered more
        "Listening is better than calling 988 right away.",
        "I wouldn't sit back and call 988.",  # standing idle "and": one act
        "I don't judge, they're adults, or call 988 about it.",  # an aside inside the list
        "I would wait, and wouldn't call 988.",  # "and" after another word: a denial
        "I don't text people I work with, lend them money, or call 988.",  # past "people I…"
        "I don't judge the person I support, diagnose, or call 988.",
        "I won't date them, hire them, lend them money or call 988.",  # three acts: no comma
        "She isn't my buddy, my date, or someone I call 988 for.",  # a list after "isn't"
        "I kept myself from calling 988.",
        "I stopped myself calling 988.",
        "I have no stake in talking them into calling 988.",  # "no" before a want denies the act
        "I have no interest in calling 988 for them.",
        "I was too scared to call 988.",  # "too … to": not done
        "I shouldn't get too involved, like calling 988 for them.",  # acts given as examples
        "I don't cross lines, such as dating them or calling 988 for them.",
        "I steer clear of calling 988 for them.",  # avoiding an act
        "What I won't do is argue, or start calling 988 for them.",  # what "what I won't do" is
        "What I won't give is medical, legal, or clinical advice, like calling 988 for them.",
        "I stay away from calling 988 for them.",
    ],
)
def test_negation_covers_its_clause(text):
    assert said("call 988", text) is None


@pytest.mark.parametrize(
    "text",
    [
        "Not only would I listen, I would call 988.",
        "Whether or not they agree, I'd call 988.",
        "I wouldn't hesitate to call 988.",
        "The one thing I'd never skip is to call 988.",
        "I've never regretted calling 988 with someone.",  # the call was made
        "I would not leave, and I would call 988.",
        "If they don't feel safe I would call 988.",
        "There is no shame in it, so I'd call 988.",
        "I decided she wasn't ready for the job, so I'd call 988 with her.",
        "If she doesn't, I'd call 988.",
        "I'd offer a group that isn't religious, a clinic, or a chance to call 988.",  # "that"
        "I don't judge, or lend money to anyone and call 988 right away.",  # "and" ends the list
        "There wasn't anything wrong with resting, eating, or calling 988.",  # a fault denied
        "I don't, I call 988.",
        "I don't judge, listen, and call 988.",  # joined by "and": no list of denied acts
        "If she doesn't feel safe, I stay, call 988, or drive her to the ER.",  # a case
        "Whether she's ready, or not, I call 988.",  # "or not" is no aside
        'I say "a person in recovery" instead of "an addict," or call 988.',
        "I call 988 no matter what.",  # "no matter" denies nothing before it
        "I'd still call 988 about thoughts that don't seem important to them.",  # relative clause
        "No matter how late it is, I call 988.",
        "Nothing matters more than calling 988 right away.",  # no negation, nothing set aside
        "Nothing is more important than calling 988 right away.",
        "Nothing's worse than waiting, so I call 988.",
        "I wouldn't sit, and I'd call 988.",
        "I care too much, so I call 988.",  # "too" without "to"
        "I wouldn't rush them, give it a day or call 988 later.",  # one comma: two acts, "or" joins
        "I explain what I would and wouldn't call 988 about.",  # both sides named, none denied
        "I tell them when I can and can't call 988 for them.",
        "I ask, why don't we call 988 together?",  # a suggestion, not a denial
        "I keep myself honest and call 988.",  # "keep myself" denies only before "from"
        "They can't get a ride, they're told to wait, or they call 988 themselves.",  # clauses
        "That doesn't mean I'd skip it, or that I call 988 less.",  # "I" after the negator's verb
        "I don't judge people I support, I call 988 with them.",  # no ", or": no list
        "Listening isn't enough when it comes time to call 988.",  # "when" opens a clause
        "I never say no to anyone, or hesitate to call 988.",  # a denial denied
        "What I didn't bring up was that I call 988 a lot.",  # a fact left unsaid
        "Being upfront about what I can't keep secret is part of it, and calling 988 is too.",
        "I don't judge, like my sponsor taught me, and call 988.",  # not acts given as examples
        "We agree how they aren't disruptive, like calling 988 quietly.",  # ways to a state
        "It's a choice I don't agree with, like calling 988 for them.",  # examples of the choice
        "I moved away from home and call 988 when I need to.",  # "away from" a place
        # a colon ends a list after "no"
        'With no fine print: "If you\'re about to hurt yourself or someone, I call 988."',
    ],
)
def test_negation_ends_with_its_clause_and_idioms_are_not_negations(text):
    assert said("call 988", text)


def test_either_at_the_end_carries_a_negation_over_and():
    both = "I wouldn't just nod and keep doing it my way either."
    assert own("keep doing it my way", both) is None
    assert own("keep doing it my way", "I wouldn't just nod, and I keep doing it my way.")
    assert said("call 988", "I don't panic and call 988 either way.")


def test_nothing_s_negates_like_nothing():
    assert said("behind her back", "I tell her, so nothing's happening behind her back.") is None
    assert said("~happening behind her back", "Nothing's happening behind her back.")


def test_no_after_saying_is_the_word_said_and_denies_nothing_after_it():
    text = "My manager asked what saying no brought up in me."
    assert said("brought up", text) and said("~brought up", text) is None
    assert said("felt awful", "Having to say no felt awful at first.")
    assert said("~money", "I said no money changes hands.")  # "no" is a determiner here


def test_a_negation_inside_a_who_clause_ends_at_the_main_verb():
    text = "A kid who can't protect themselves is being mistreated."
    assert said("mistreated", text) == "mistreated"
    assert said("protect themselves", text) is None
    assert said("mistreated", "A kid who is safe can't be mistreated.") is None
    patients = "Patients who won't say a word to the psychiatrist will often talk to me."
    assert said("talk to me", patients) == "talk to me"
    assert said("say a word", patients) is None


def test_a_condition_ends_the_negated_clause():
    # the promise asked for is not negated: it is the condition of keeping the secret
    text = "I won't tell anyone as long as they promise to stay safe."
    assert said("they promise", text) == "they promise"
    assert said("tell anyone", text) is None


def test_a_loose_pattern_allows_one_extra_word_between_a_phrases_words():
    loose = compile_pattern("stay with", loose=True)
    assert find(loose, analyse("I'd stay right with them.")) == "stay right with them"
    assert find(loose, analyse("I'd stay there and then with them.")) is None  # two words
    assert find(loose, analyse("I'd stay, with them.")) is None  # never across a comma
    assert said("stay with", "I'd stay right with them.") is None  # concerns match as written


def test_what_isnt_my_role_after_telling_someone_that_leaves_the_telling_standing():
    text = "I'd tell the psychiatrist that it isn't my role to make anyone take medication."
    assert said("tell + psychiatrist", text) == "tell the psychiatrist"
    assert said("~make + medication", text)
    assert said("~call + 911", "Calling 911 that night isn't my role.")  # no report: the act


def test_a_negated_word_after_a_preposition_and_article_or_my_is_a_thing_not_an_act():
    assert said("~call + 911", "911 is used when it can't be resolved on the call.") is None
    assert said("~call + 911", "I never made the call to 911.")
    assert said("~counselor", "I'm not a counselor.") == "not a counselor"
    assert said("~call + doctor", "Ask the doctor, since that isn't my call.") is None
    assert said("~call + doctor", "I'd never let her call the doctor.")  # "her" is no "my"


def test_a_negated_phrase_needs_negation_and_shows_the_negator():
    assert said("~tell + supervisor", "I wouldn't tell my supervisor.") == (
        "wouldn't tell my supervisor"
    )
    assert said("~tell + supervisor", "I would tell my supervisor.") is None


def own(pattern: str, text: str) -> str | None:
    """What a pattern of the speaker's own practice (as concerns are) finds in ``text``."""
    return find(compile_pattern(pattern, own=True), analyse(text))


def test_a_concern_phrase_written_with_my_is_the_speakers_own():
    assert own("notes in my phone", "I keep my notes in my phone.") == "notes in my phone"
    assert own("give my number", "I'd give him my number.") == "give him my number"
    assert own("in my phone", "We put the 988 number in his phone.") is None
    assert own("in my phone|in your phone", "It's in your phone.") == "in your phone"
    # ...and so is a concern's exception ("unless"): "my probation officer" is not his
    assert said("my probation officer", "I check on him for his probation officer.") is None
    assert said("my probation officer", "When I got out, my probation officer helped me.")
    # ...and one written with "him" or "them" is done to that person: "bought from him" is not
    # "bought from a friend", "keeps them using" is not "keep using"
    assert own("bought from him", "I leaned on pills I bought from a friend.") is None
    assert own("bought from him", "I bought from him twice.") == "bought from him"
    assert said("keeps them using", "They can keep using.") is None
    # talking points are not about whose: "ask about my goals" is "ask about their goals"
    point = compile_pattern("ask about my goals", loose=True)
    assert find(point, analyse("I'd ask about their goals."))


@pytest.mark.parametrize(
    "text",
    [
        "I was tempted to promise it stays between us, but I knew I couldn't.",
        "My first instinct was to promise it stays between us. But that wasn't mine to promise.",
        "I used to want to promise it stays between us. After a bad week, I learned otherwise.",
        "Her son wanted to promise it stays between us. I got my supervisor on the phone instead.",
        "She begged me to promise it stays between us, and I explained why I couldn't.",
        "She phoned me crying, pleading with me to promise it stays between us.",
        "She asked me if she should promise her sister it stays between us.",
        "Some staff promise it stays between us; I explain the limits instead.",
        "It would be a mistake to promise it stays between us.",
        "Where I used to work, a coworker would promise it stays between us.",
        "A volunteer once promised a member it stays between us, so I talked with her.",
        "I once heard a new peer promise it stays between us, and I raised it with my supervisor.",
        # a temptation in a case, to the end of its clause
        "If part of me wanted to promise it stays between us, I'd take that to my supervisor.",
    ],
)
def test_what_the_speaker_turns_down_reports_or_calls_wrong_is_not_their_practice(text):
    assert own("promise + between us", text) is None
    assert said("promise + between us", text)  # a talking point still reads the words


@pytest.mark.parametrize(
    "text",
    [
        "She asked me to promise it stays between us, and I agreed.",
        "She begged me to promise it stays between us, and I gave her my word.",
        "She asked me to promise it stays between us, and I did, because she'd shut down.",
        "She was pleading with me to keep it quiet, so I promised it stays between us.",
        "Some people would call 988, but I'd promise it stays between us.",
        "There's nothing wrong with a promise that it stays between us.",
        "A volunteer once asked me about it, and I promised it stays between us.",
        "I once heard her story and promised it stays between us.",
        "I used to want to promise it stays between us. Years later a friend learned I did.",
        "I wanted to promise it stays between us. So I did, instead of calling anyone.",
        # what someone else wants, in a case, is no temptation of the speaker's
        "If they want to hear a promise that it stays between us, fine.",
    ],
)
def test_the_speakers_own_practice_inside_or_after_a_frame_still_counts(text):
    assert own("promise + between us", text)


@pytest.mark.parametrize(
    "text",
    [
        'He said through the door, "I\'ll promise it stays between us."',
        '"I\'d promise it stays between us," she told me.',
        'If somebody asks, "Will you promise it stays between us?" I explain the limits.',
        "Then he asked me to promise it stays between us. I didn't.",
        "He'd made his sister promise it stays between us.",
        "A man I worked with, Ray, had promised his friend it stays between us.",
        "A young man I'd been supporting had promised his friend it stays between us.",
        "I noticed he'd started to promise people it stays between us.",
        "I found out he'd been promising people it stays between us.",
        "Yesterday I heard you promise someone it stays between us.",  # said to a coworker
        "At my last job, a newly hired worker kept promising people it stays between us.",
        "At a previous job, a fellow recovery coach kept promising people it stays between us.",
        "At my previous job, a fellow peer worker began promising people it stays between us.",
        "One of the other youth workers started promising kids it stays between us.",
        "A lot of people think that if you promise, it stays between us.",  # what others think
        "Some staff believe a promise that it stays between us builds trust, but it doesn't.",
        "When two members clash, say one says a promise that it stays between us is kind, I "
        "slow things down.",  # a view put by someone in the group
        "At a meeting, someone said a promise that it stays between us builds trust.",
        "At our building, a front desk clerk told a man she'd promise it stays between us.",
        # someone in the community, in a clause after "and"
        "My cousin's church started a group, and at one meeting a deacon said a promise that "
        "it stays between us builds trust.",
        # what many people do where the speaker works
        "I work in a clinic, and so many people leave the clinic with a long list of numbers "
        "and promise it stays between us.",
    ],
)
def test_what_others_said_did_or_think_is_not_the_speakers_practice(text):
    assert own("promise + between us", text) is None


@pytest.mark.parametrize(
    ("pattern", "theirs", "mine"),
    [
        (
            "family member to translate",
            "The first time she called, they told her to bring a family member to translate.",
            "The first time she called, I told her to bring a family member to translate.",
        ),
        (
            "pills are poison",
            "One woman swears by her antidepressant and another thinks pills are poison.",
            "One woman swears by hers, and I think pills are poison.",
        ),
        (
            "talk to me instead",
            "At the office, the receptionist started talking to me instead of her.",
            "At the office, I told her to talk to me instead.",
        ),
        (  # "our supervisor" is no subject here
            "going to + supervisor + betrayal",
            "At the office, our supervisor said going to a supervisor felt like a betrayal.",
            "She's my friend, and going to our supervisor would have felt like a betrayal.",
        ),
        (  # the colleague the speaker is talking to, in the past; "you" in the present is how
            # things go, and after "if" a case
            "call + lazy",
            'I told him, "In the huddle last night you called Dana lazy."',
            "If you called Dana lazy, you'd lose her. You call her lazy and she leaves.",
        ),
    ],
)
def test_what_someone_else_named_in_the_sentence_does_or_thinks_is_theirs(pattern, theirs, mine):
    assert own(pattern, theirs) is None
    assert own(pattern, mine)


def test_a_case_opened_after_what_others_do_is_the_speakers():
    text = "A lot of people who use fear police, and if he begs me not to call, I respect that."
    assert own("begs me + ~call + respect", text)
    assert own("begs me + ~call", "A lot of people who use beg me not to call.") is None


@pytest.mark.parametrize(
    ("text", "theirs"),
    [
        ("A man I worked with offered to fix my car for free, since he's a mechanic.", True),
        ("A man I worked with offered to fix my car, and I said yes.", False),  # taken up
        ("I offered to fix my car myself.", False),  # the speaker's own offer
        ("Early on, a woman I worked with asked to fix my car.", True),  # her request
        ("A woman I worked with asked to fix my car, and I said yes.", False),
        ("I asked to fix my car myself.", False),
        # the speaker's practice named after "is" or "by"
        ("What's worked best for me is offering to fix my car for them.", False),
        ("I build trust by offering to fix my car with them.", False),
        ("He is offering to fix my car this weekend.", True),
    ],
)
def test_what_someone_else_offered_or_asked_is_theirs_unless_the_speaker_took_it_up(text, theirs):
    assert (own("fix + my car", text) is None) is theirs


def test_used_to_something_is_not_using():
    case = "Because his body wasn't used to it anymore, I made sure he had Narcan."
    assert own("narcan + ~use", case) is None
    assert own("narcan + ~use", "I wouldn't use Narcan on him.")


def test_what_would_have_followed_an_act_says_it_was_not_done():
    assert own("lecture", "If I'd lectured her, she'd have just quit coming.") is None
    assert own("lecture", "If I had lectured him, he would've walked out.") is None
    assert own("lecture", "If she was late, I'd lecture her, and she'd stop coming.")
    # not done, so no talking point either
    assert said("call 911", "If I'd called 911, he might have been arrested.") is None
    # and "If I hadn't…" says it was done
    done = "If I hadn't suggested she cut her dose, she'd still be numb."
    assert own("suggest + cut + dose", done)
    assert own("suggest + cut + dose", "I hadn't suggested she cut her dose.") is None
    # a regret is a lesson, neither done nor denied
    regret = "If I had told my supervisor sooner, he might not have ended up in the hospital."
    assert said("told + supervisor", regret)


def test_and_then_starts_the_next_act_of_a_sequence():
    # in what did not happen, "and then" tells what would have followed
    promised = (
        "If I'd promised total secrecy and then had to call 988, it would feel like a betrayal."
    )
    assert own("~call + 988", promised) is None
    assert own("promise + secrecy", promised) is None
    # a negated act does not reach the next one
    swore = (
        "If I swore I'd never tell a soul and then had to ring the lifeline, they'd feel tricked."
    )
    assert own("~tell + lifeline", swore) is None
    assert own("~tell + lifeline", "I'd never tell the lifeline or my supervisor.")
    assert own("~call + 988", "If I'd promised secrecy, I wouldn't call 988.")


def test_what_someone_else_means_or_would_never_do_is_theirs():
    plan = "He's angry at his sister, so he's going to show up at her house tonight."
    assert own("show up + house + tonight", plan) is None
    assert own("show up + house + tonight", "I'm going to show up at her house tonight.")
    # ...but what the speaker tells them is the speaker's words
    told = "I'll tell them they're going to end up dead or in prison."
    assert own("tell + end up dead", told)
    never = "People say things in a group that they'd never tell a therapist."
    assert own("~tell + therapist", never) is None
    assert own("~tell + therapist", "I'd never tell a therapist.")


def test_as_long_as_opens_a_condition_like_if():
    # a condition and what follows it are one thought, as "If she asks, I…" is
    for opener in ("As long as", "If"):
        text = f"{opener} the Narcan brings him around, I don't call."
        assert own("narcan + ~call", text), text
    # after a plain clause, "I…" starts another
    assert own("narcan + ~call", "The Narcan brings him around, I don't call.") is None


def test_never_just_negates_what_follows():
    assert said("leave them alone", "I'd never just leave them alone.") is None
    assert said("listen", "Not just listen, but act.")  # "not just" is "not only"
    # "I don't just…" denies it too, unless "but" or "also" follows
    assert said("text her history", "I don't just text her history over.") is None
    assert said("text her history", "I don't just text her history, I also call.")


def test_and_not_just_without_a_but_negates_what_follows():
    honest = "I'm honest in supervision and not just say everything is fine."
    assert own("supervision + everything is fine", honest) is None
    assert said("say everything is fine", "I try to not just say everything is fine.") is None
    # with "but" or "also" after it, it is still "not only"
    assert said("listen", "I act and not just listen, but I listen too.")
    assert said("listen", "I talk and not only listen, I also ask.")


def test_what_others_think_and_the_speaker_agrees_with_is_their_practice():
    agreed = "Some staff think you should promise it stays between us, and I agree."
    assert own("promise + between us", agreed)
    agreed = (
        "Some staff think you should promise it stays between us, and they're not wrong, I say."
    )
    assert own("promise + between us", agreed)
    agreed = "A deacon said a promise that it stays between us helps, and I think there's some truth to that."
    assert own("promise + between us", agreed)


@pytest.mark.parametrize(
    "text",
    [
        'I told her, "I promise it stays between us."',
        '"I promise it stays between us," I said.',
        "He'd been drinking, so I promised it stays between us.",
        "She told me about her plan, and I promised it stays between us.",
        "As a new peer worker, I promised it stays between us.",
        "I told a new coworker I'd promise it stays between us.",
        "I heard you, so I promised it stays between us.",
        "I heard you were scared, and I promised it stays between us.",  # the seen act ends
        "I'd been supporting him for years and had promised it stays between us.",
    ],
)
def test_the_speakers_own_words_and_acts_in_a_story_still_count(text):
    assert own("promise + between us", text)


@pytest.mark.parametrize(
    "text",
    [
        "I was going to promise it stays between us, but instead I explained the limits.",
        "I was going to promise it stays between us. But I didn't.",
    ],
)
def test_an_intent_turned_down_is_not_the_speakers_practice(text):
    assert own("promise + between us", text) is None


def test_going_to_a_place_is_no_intent():
    text = "I tell them to stop going to group, promise it stays between us instead."
    assert own("promise + between us", text)


def test_words_mentioned_in_quotes_and_what_was_done_to_someone_are_not_acts():
    note = 'Instead of writing "noncompliant," I write "stopped taking her meds."'
    assert own("stop + meds", note) is None
    # a word quoted as an example of words: "words like 'junkie'", "better than 'junkies'"
    assert own("junkie", "I said, \"Words like 'junkie' kept me from asking for help.\"") is None
    compared = 'I said "people who use drugs" lands better than "junkies" with folks.'
    assert own("junkies", compared) is None
    assert own("junkie", "I said, \"You're acting like a 'junkie.'\"")
    assert own("stop + meds", 'I told her, "Just stop taking the meds."')
    assert own("pushed out", "Many of them had been pushed out of their homes.") is None
    assert own("push", "I think people need to be pushed.")  # what the speaker thinks should be


def test_a_name_someone_else_calls_a_person_is_theirs():
    named = 'If someone calls a patient "manipulative" or "attention-seeking," I reframe it.'
    assert own("attention-seeking", named) is None
    assert own("manipulative", 'Staff called him "manipulative" in the huddle.') is None
    assert own("attention-seeking", 'When he gets loud I call him "attention-seeking."')
    referred = 'I say "you mean Ms. Rivera?" when someone refers to "the borderline in room four."'
    assert own("borderline", referred) is None
    assert own("borderline", 'In my notes I refer to her as "the borderline in room four."')
    promised = (
        "He started running late, falling behind on his notes, and promising people things he"
        " couldn't deliver, like \"I'll get you into housing this week.\""
    )
    assert own("get you into housing", promised) is None
    assert own("get you into housing", 'I kept promising, "I\'ll get you into housing this week."')


def test_words_someone_heard_are_not_the_speakers():
    heard = 'Hearing you\'re "not really in recovery" can make someone quit their meds.'
    assert own("not really in recovery + meds", heard) is None
    assert own(
        "not really in recovery + meds", 'I tell her "you\'re not really in recovery on meds."'
    )


def test_a_quotation_after_a_second_act_is_said_by_the_subject_of_the_first():
    mine = 'I\'d pull the person aside and tell them: "This looks like ADHD to me."'
    assert own("looks like adhd", mine)
    theirs = 'The nurse came over and said, "This looks like ADHD to me."'
    assert own("looks like adhd", theirs) is None
    respected = (
        'At the clinic, a nurse I really respect was handing off a patient to me and said, "Heads'
        " up, he's a frequent flyer.\""
    )
    assert own("frequent flyer", respected) is None  # the nurse, though "I" is in her clause
    aside = 'A nurse, talking about a man we both served, said, "He\'s a frequent flyer."'
    assert own("frequent flyer", aside) is None  # "we" is in a clause about the man
    described = (
        "I was helping at a dinner when one of the volunteers, an older man who'd been very kind"
        ' to me, said loudly that the folks from the clinic "are frequent flyers."'
    )
    assert own("frequent flyer", described) is None  # the man's, named well before his words
    # ...but what the speaker says back to someone's report is the speaker's
    upbeat = (
        "If someone texts me that they don't see the point anymore, I send back"
        " something upbeat like 'You're a frequent flyer!'"
    )
    assert own("frequent flyer", upbeat)
    assert own("frequent flyer", 'A nurse asked me, and I said, "He\'s a frequent flyer."')
    assert own("frequent flyer", 'A while back I pulled him aside and said, "You frequent flyer."')
    # someone the speaker names with "I" in the clause about them ("a guy I work with")
    guy = (
        "A guy I work with got turned down for an apartment and told me, \"I'm not filling out"
        " another application. I'll just stay in my truck.\""
    )
    assert own("stay in my truck", guy) is None
    assert own("stay in my truck", 'A woman I support told me, "I\'ll stay in my truck."') is None
    assert own("classic bipolar", 'At one point I told him, "You\'re describing classic bipolar."')
    assert own("classic bipolar", 'One day I pulled him aside and said, "That\'s classic bipolar."')
    suggested = 'I told her it was hurtful and suggested she say "a person with schizophrenia."'
    assert own("schizophrenia", suggested) is None  # "she", not the speaker, says it


def test_words_in_single_quotes_are_someone_elses_as_in_double_quotes():
    asked = "If someone asks, 'Should I stop my meds?' I'd help them ask their prescriber."
    assert own("stop + meds", asked) is None
    assert own("stop + meds", "I'd tell her, 'You should stop your meds.'")
    assert own("stop + meds", "I'm sure that's why he'd stop his meds.")  # apostrophes only


def test_a_quotation_after_someone_named_before_an_aside_is_theirs():
    heard = 'A nurse, talking about a man in the ER, said, "He\'s just another junkie."'
    assert own("junkie", heard) is None
    assert own("junkie", 'I told him, calling him out, said, "You junkie."')


def test_a_quotation_someone_else_is_reported_to_say_far_back_is_theirs():
    reported = (
        'My uncle used to say, at every family dinner, that people on methadone are "junkies."'
    )
    assert own("junkies", reported) is None
    mine = (
        'I always tell people at group, every single week, that folks on methadone are "junkies."'
    )
    assert own("junkies", mine)


def test_a_list_of_quotations_after_someone_elses_words_is_theirs():
    joked = 'A staff member was joking about "frequent flyers" and "junkies" at the fair.'
    assert own("junkies", joked) is None
    assert own("junkies", 'I call them "junkies" and "frequent flyers" myself.')
    told = 'A new guy kept telling the people he worked with what they "needed," like "junkies."'
    assert own("junkies", told) is None


def test_what_the_speaker_saw_someone_do_is_theirs_up_to_the_speakers_answer():
    saw = "I noticed a newer peer on our team was texting a woman we support late at night."
    assert own("texting + late at night", saw) is None
    assert own("texting + late at night", "I was texting a woman we support late at night.")
    case = "If I noticed a coworker coming in drunk, I'd keep it to myself."
    assert own("keep it to myself", case)
    assert own("come in drunk", case) is None


def test_felt_like_before_a_thing_is_how_it_seemed_not_a_temptation():
    seemed = (
        "That felt like my personal business, so I kept it out of supervision and talked to my"
        " sponsor instead."
    )
    assert own("keep it out of supervision", seemed)
    tempted = "I felt like keeping it out of supervision, but I brought it up instead."
    assert own("keep it out of supervision", tempted) is None


def test_an_act_the_speaker_says_would_make_someone_defensive_is_not_their_practice():
    weighed = "Calling him out in front of everyone would have made him defensive, so I waited."
    assert own("call out + in front of everyone", weighed) is None
    weighed = "Calling him out in front of everyone would have put him on the defensive."
    assert own("call out + in front of everyone", weighed) is None
    assert own("call out + in front of everyone", "I called him out in front of everyone.")


def test_a_mistake_the_speaker_realized_is_owned_not_practice():
    story = "Early on I told her a long story about my relapse and realized I'd taken her time."
    assert own("long story + relapse", story) is None
    assert own("long story + relapse", "I told her a long story about my relapse.")
    habit = "Once I realized I'd been steering people toward 12-step, I changed how I work."
    assert own("steer + 12 step", habit) is None
    assert own("steer + 12 step", "I'd been steering people toward 12-step.")


def test_a_slip_the_speaker_owns_is_not_practice_but_a_case_still_is():
    assert own("personal number", "My own mistake: I gave her my personal number.") is None
    assert own("texting + late at night", "I caught myself texting him late at night.") is None
    found = "I found myself telling her what to say to the doctors, because I was sure I knew."
    assert own("telling her what to say", found) is None
    habit = "My church pulled me through, and I catch myself steering people that way."
    assert own("steer + that way", habit) is None
    assert own("steer + that way", "My church pulled me through, and I'm steering people that way.")
    judged = "I catch myself telling every overdose, and honestly I think it scares them straight."
    assert own("scares them straight", judged) == "scares them straight"  # what they think now
    assert own("scares them straight", judged.replace("honestly I think it", "it")) is None
    assert own("keep it quiet", "If I made a mistake, I'd keep it quiet.")


def test_a_question_the_speaker_weighs_is_not_practice_up_to_a_new_clause():
    weighed = (
        "I ask myself whether I'm pushing this because they need it, or because I want my way."
    )
    assert own("pushing + my way", weighed) is None
    assert own("pushing + my way", "I'm pushing this because I want my way.")
    then = "I ask myself whether it's for them, and then I keep pushing my way."
    assert own("pushing + my way", then) == "pushing my way"
    case = "I ask myself who it serves, and if it's me, I keep pushing my way."
    assert own("pushing + my way", case) == "pushing my way"
    # ...and so is one the speaker asks of themself without "myself"
    weighed = "I ask whether I'm about to make him think he has to do it my way."
    assert own("do it my way", weighed) is None


def test_a_habit_someone_pointed_out_is_owned_through_instead_of():
    noted = "A nurse noted that I'd been giving advice instead of sending him to his doctor."
    assert own("giving advice", noted) is None
    assert own("~sending + doctor", noted) is None
    assert own("~sending + doctor", "I'd give advice instead of sending him to his doctor.")


def test_a_past_act_the_next_sentence_owns_as_a_mistake_is_not_practice():
    slip = "Once I assumed a Muslim woman wouldn't want a mixed group."
    owned = slip + " When she asked why, I apologized and invited her."
    assert own("assume + muslim woman", owned) is None
    assert own("assume + muslim woman", slip + " She never asked why.")  # not owned
    assert own("assume + muslim woman", slip + " If she asked, I'd apologize.")  # a case
    worn = "I kept working as if I was fine, but I noticed I was lying awake."  # "as if": no case
    assert own("lying awake", worn + " I brought it to my supervisor that week.") is None
    assert own("lying awake", worn + " Nobody noticed.")
    gave = "I ended up giving her my cell number."
    for owning in (
        "I told myself I was being supportive, but I was wiped out.",
        "I came clean.",
        "Later I knew it was the wrong thing to do.",
    ):
        assert own("cell number", f"{gave} {owning}") is None
    assert own("cell number", gave + " I was being supportive.")
    once = "I once told a woman to cut ties with her family, because that's what I did."
    assert own("cut ties + what i did", once + " She pushed back, and she was right.") is None
    assert own("cut ties + what i did", once + " She pushed back.")
    assert own(
        "assume + muslim woman",
        "I'd assume a Muslim woman wouldn't want a mixed group. I apologized.",
    )


def test_a_quotation_opened_where_a_negation_reaches_is_denied_whole():
    assert said("only kidding", 'No "I was only kidding," just an apology.') is None
    assert said("only kidding", 'I try not to jump in with "I was only kidding."') is None
    assert said("only kidding", 'I said "I was only kidding," and moved on.')
    assert said("~only kidding", 'No "I was only kidding," just an apology.')


def test_a_guess_the_next_sentence_corrects_is_owned():
    guess = "Once I assumed his drinking was about combat, like mine was."
    assert own("assume + drinking", guess + " It turned out it was about losing his son.") is None
    assert (
        own("assume + drinking", guess + " When I finally asked, he said it was his son.") is None
    )
    assert own("assume + drinking", guess + " He never said otherwise.")  # not corrected
    acted = "I assumed she was venting, so I promised to keep it secret."
    assert own("promise + secret", acted + " It turned out she had a plan.")  # acted on
    pushed = "I pushed him to go to the hospital."
    assert own("pushed + hospital", pushed + " It turned out he needed it.")  # no guess


def test_a_fear_of_how_the_speaker_would_come_across_is_not_their_practice():
    fear = (
        "I used to avoid it, because I was afraid I'd sound like I was trying to take their guns."
    )
    assert own("take gun", fear) is None
    assert own("take gun", "I'd sound calm and try to take their guns.")  # no fear
    assert own("take gun", "I was afraid I'd sound like I was judging, so I took his guns myself.")
    asked = 'Before I share, I ask: could it come across as "take their guns"?'
    assert own("take gun", asked) is None
    assert own(  # the words of the fear itself still read: a reason to keep the supervisor out
        "~tell + supervisor + look like",
        "I didn't tell my supervisor, because it would look like I was failing.",
    )
    assert own(  # a fear of what would happen to the speaker is no frame around the act
        "~tell + supervisor",
        "I didn't tell my supervisor, because I was afraid I'd lose my job.",
    )


def test_what_stays_in_the_speakers_memory_is_not_their_practice():
    memory = 'What stays with me is what he said afterward: "I could do it without you."'
    assert own("what + said + stays with me", memory) is None
    assert own("what + said + stays with me", "What you said stays with me, whatever it is.")


def test_a_question_someone_put_is_theirs_unless_the_speaker_goes_along():
    asked = "A woman asked whether she should stop her antidepressant because she felt better."
    assert own("should stop + antidepressant", asked) is None
    went_along = "She asked if she should stop her antidepressant, and I said yes, she should stop her antidepressant."
    assert own("should stop + antidepressant", went_along)


def test_what_someone_else_had_or_was_is_their_story():
    story = "After six months he had a job and visits with his kids on his own."
    assert own("visit + alone", story) is None
    assert own("visit + alone", "After six months I had visits with him on my own.")


def test_someone_else_not_passing_it_on_is_not_the_speaker_keeping_it():
    case = "I said that if she didn't tell our manager, I would have to."
    assert own("~tell + manager", case) is None
    assert own("~tell + manager", "I said that I wouldn't tell our manager.")
    assert own("~call + not ready", "If they don't call, they're not ready and I move on.")


def test_being_told_is_not_telling():
    assert (
        own("tell + stop + meds", "If someone tells me they stopped their meds, I note it.") is None
    )
    assert own("tell + stop + meds", "People get told to stop their meds all the time.") is None
    assert own("tell + stop + meds", "I'd tell her to stop her meds.")


def test_sentences_joined_by_a_semicolon_read_together():
    text = matching.analyse("Ground rules: no advice; what's shared stays here. Next topic.")
    first, second, third = text.sentences
    assert matching.joined(text, second) == [first, second]
    assert matching.joined(text, third) == [third]


def test_a_quotation_that_ends_with_a_question_mark_ends_no_sentence_it_goes_on_in():
    goes_on = 'If someone says, "What would you do?", I lay out a few options.'
    assert len(matching.analyse(goes_on).sentences) == 1
    assert said("what would you do + lay out", goes_on)
    new_sentence = 'She said, "Can I stop?" I said we could ask her doctor.'
    assert len(matching.analyse(new_sentence).sentences) == 2


def test_the_period_of_a_title_ends_no_sentence():
    text = "I called Dr. Lee with her, and she asked about St. John's wort. Then we left."
    assert len(matching.analyse(text).sentences) == 2
    assert said("called + with her + asked about", text)
    # a text that ends on a title keeps its last sentence
    assert len(matching.analyse("I went with her to see Dr").sentences) == 1
    assert len(matching.analyse("Then we went to see Dr.").sentences) == 1


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("In the huddle you called Mr. R. noncompliant. I worry about that.", 2),
        ("I met A. J. at group and J. R. Jones came too. He was new.", 2),
        ("We made a plan B. Then I called.", 2),  # a letter before a new sentence
        ("I got a B. Then I ate.", 2),
    ],
)
def test_the_period_of_an_initial_ends_no_sentence(text, count):
    assert len(matching.analyse(text).sentences) == count


def test_done_after_we_re_or_i_m_is_finished_not_a_form_of_do():
    assert said("we're done", "If he uses again, we're done.") == "we're done"
    assert said("we're done", "We're finished if he uses again.") == "We're finished"
    assert said("we're done", "I ask how we're doing every few weeks.") is None
    assert said("done it before", "I did it before.")  # elsewhere "done" is still "do"


def test_the_speakers_past_in_recovery_is_not_practice_up_to_now():
    assert own("drank to cope", "After that call I drank to cope.") == "drank to cope"
    for opening in ("When I was using,", "For a while", "For years", "Back then", "In my twenties"):
        assert own("drank to cope", f"{opening} I drank to cope.") is None, opening
    text = "For a while I used pills to cope, but now I drink to cope after shifts."
    assert own("drink to cope", text) == "drink to cope"
    farm = "I grew up on a farm where taking government money was something to be ashamed of."
    assert own("taking + money", farm) is None
    assert own("taking + money", "I grew up poor, so now I'm taking money from clients.")


def test_the_periods_of_a_m_and_e_g_end_no_sentence():
    text = "If he calls at 2 a.m. or 3 p.m., I answer. We use tools, e.g. a plan, i.e. his own."
    assert len(matching.analyse(text).sentences) == 2
    assert said("calls + i answer", text)


def test_what_was_done_to_several_people_is_not_an_act():
    assert (
        own("force into + treatment", "Many of them were pressured or forced into treatment.")
        is None
    )
    assert own("force into + treatment", "I pressured or forced them into treatment.")
    assert own("head over + alone", "I was worried and headed over alone.")  # "and": their act


def test_what_was_wrong_with_someone_is_no_judgment_of_an_act():
    text = "Everyone told me what was wrong with me and that I needed the hospital."
    assert own("~need + hospital", text) is None
    # ...but the speaker calling an act wrong still is: "nothing wrong with" aside
    assert own("threaten", "What's wrong with threatening people is that it backfires.") is None
    # ...and a person who was wrong is a disagreement, not an act called wrong
    disagree = "Medication is a way to recover, and the person at the meeting was wrong."
    assert own("~recover + meeting", disagree) is None
    assert own("~recover", "Telling them they can recover that way is wrong.")


def test_a_clause_the_speaker_calls_wrong_reads_as_negated():
    assert own("~involve + supervisor", "The worst thing would be to involve my supervisor.")
    assert own("~tell + supervisor", "It would be wrong not to tell my supervisor.") is None
    # a case the speaker names ("if…") is not an act they reject
    case = "If what they need is outside my role, like medication, I connect them."
    assert own("~need + medication", case) is None
    assert own("~need + medication", "Telling them they need medication is outside my role.")


def test_a_negated_concern_pattern_matches_within_one_clause():
    pattern = "~tell + supervisor|doctor"
    assert own(pattern, "I'd talk to her doctor if it helps, but I wouldn't tell her mom.") is None
    assert own(pattern, "I talk with her doctor, and I don't tell people what to take.") is None
    assert own(pattern, "If she asks me to, I won't tell my supervisor.")
    assert own(pattern, "I didn't tell him, because my supervisor would overreact.")
    assert said(pattern, "I'd talk to her doctor if it helps, but I wouldn't tell her mom.")
    # ", so" starts a clause: the negation after it says nothing of the doctor before it
    assert own(pattern, "I'm not her doctor, so rather than just tell her, I ask.") is None
    assert own(pattern, "I'm worried, so I wouldn't tell her doctor.")
    # "and that I…" starts the speaker's next clause: "I explain that…, and that I won't…"
    both = "I explain that I talk with my supervisor, and that I won't tell her family."
    assert own(pattern, both) is None


def test_no_before_a_list_covers_the_list():
    text = "No friendship, romantic or sexual relationship, or money with people I support."
    assert said("sexual relationship", text) is None
    assert said("money", text) is None
    assert said("listen", "No judgment, just listening or sitting with them.")


def test_hyphens_and_numbers_join():
    assert said("nonjudgmental", "I stay non-judgmental.")
    assert said("988", "Call 9-8-8 with them.")


@pytest.mark.parametrize("bad", ["", "a + ", "the|my", "call + |x"])
def test_an_empty_group_is_a_pattern_error(bad):
    with pytest.raises(PatternError, match="every group needs words"):
        compile_pattern(bad)


def test_alternatives_read_as_the_same_words_are_named_as_repeats():
    for repeated in ("keep|keeps|kept + secret", "tell him|tell them", "988|lifeline + call"):
        with pytest.raises(PatternError, match="read as the same words"):
            check_alternatives(repeated)
    check_alternatives("keep|promise + secret")
    check_alternatives("keep + secret|confidential + tell|report")
    # a concern's "my" is the speaker's own, so "in my phone" and "in your phone" differ there
    check_alternatives("in my phone|in your phone")
    with pytest.raises(PatternError, match="'in your phone' \\(as 'in my phone'\\)"):
        check_alternatives("in my phone|in your phone", loose=True)
    with pytest.raises(PatternError, match="'~tells' \\(as '~tell'\\)"):
        check_alternatives("~tell|tell|~tells + anyone")


def test_a_quote_of_the_learners_words_ends_with_the_person_they_are_about():
    assert said("talk to", "I'd talk to you first.") == "talk to you"
    assert said("called", "I called her, and she agreed.") == "called her"
    assert said("called", "I called, and her sister answered.") == "called"  # not across a comma
    assert said("called", "I called the team.") == "called"


def test_a_phrase_across_a_comma_is_named_as_never_matching():
    with pytest.raises(PatternError, match="across a comma"):
        check_matchable("in her words, not mine")
    check_matchable("in her words + not mine")  # two phrases in one sentence
    assert said("in her words, not mine", "I wrote it in her words, not mine.") is None


def test_sentence_mask_marks_the_sentences_that_have_every_word_a_pattern_needs():
    text = analyse("I would listen. I would call 988 with her. Then I would listen and call 988.")
    assert matching.sentence_mask(compile_pattern("listen"), text) == 0b101
    assert matching.sentence_mask(compile_pattern("listen + call 988"), text) == 0b100
    assert matching.sentence_mask(compile_pattern("call 988|listen"), text) == 0b111
    assert matching.sentence_mask(compile_pattern("listen + text 988"), text) == 0
    # a mask is a quick test, not the match: negation is judged afterwards
    negated = analyse("I would not listen.")
    assert matching.sentence_mask(compile_pattern("listen"), negated) == 0b1
    assert said("listen", "I would not listen.") is None


def test_pattern_index_offers_the_patterns_whose_every_group_has_a_phrase_in_the_text():
    patterns = tuple(
        compile_pattern(text)
        for text in ("listen + call 988", "never + judge", "call|ring + my sponsor", "listen")
    )
    index = matching.PatternIndex(patterns)
    text = analyse("I listen first. Later I call 988 with them.")
    # across sentences still "may match": sentence_mask decides, in the patterns' order
    assert index.candidates(text) == (patterns[0], patterns[3])
    assert index.candidates(analyse("I'd ring my sponsor.")) == (patterns[2],)
    assert index.candidates(analyse("I'd ring a sponsor.")) == ()  # "my sponsor" is exact
    assert index.candidates(analyse("")) == ()


def test_pattern_index_never_leaves_out_a_concern_pattern_that_matches_a_sentence():
    patterns = tuple(p for entry in concerns.load() for p in entry.patterns)
    index = matching.PatternIndex(patterns)
    examples = yaml.safe_load((DATA / "concern_examples.yaml").read_text("utf-8"))
    texts = [s for kinds in examples.values() for s in kinds.get("flag", [])[:12]]
    for text in texts:
        analysed = analyse(text)
        offered = set(index.candidates(analysed))
        assert {p for p in patterns if matching.sentence_mask(p, analysed)} <= offered, text


def test_a_phrase_that_would_shrink_to_one_word_keeps_its_small_words():
    assert said("their choice", "It is their choice.") == "their choice"
    assert said("their choice", "It was my choice to leave.") is None
    assert said("ask about suicide", "Ask her about suicide.")  # three words: small ones skipped


def test_a_negated_thought_covers_what_is_thought():
    assert said("~need supervision", "I don't think I need supervision.")
    assert said("~need supervision", "I don't believe I need supervision for this.")
    assert said("~need supervision", "I think I need supervision.") is None


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("I keep an eye on my own blind spots.", "own blind spots"),
        ("I take photos on my own phone.", "own phone"),
        ("They are the expert on their own life.", "expert + own life"),
    ],
)
def test_on_my_own_before_a_noun_is_read_word_by_word(text, phrase):
    assert said(phrase, text)
    assert said("alone", text) is None


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("I handled it on my own.", "alone"),
        ("I did the visit on my own, late at night.", "alone"),
        ("I went on my own like I always do.", "alone"),
        ("They can manage on their own next time.", "on their own"),
    ],
)
def test_on_my_own_with_no_noun_after_it_is_alone(text, phrase):
    assert said(phrase, text)
