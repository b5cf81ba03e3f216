"""The concerns file: validation with file and line, scope, and what a found concern holds."""

import textwrap

import pytest

from peerlib import bank, concerns, content, matching
from peerlib.errors import BankFormatError

GOOD = """\
- id: secret-keeping
  label: Keeps risk secret
  competencies: [crisis]
  patterns: ["between us", "promise + secret"]
  unless: [unless]
  why: Confidentiality has limits.
  instead: Explain the limits.
"""


LIMITS = '  unless_answer: ["have to + get help + danger"]\n'  # limits an answer may state
LIMITS_NAMED = "If you're in danger, I have to get help. "  # ...and a sentence stating them


def secret_keeping_unless(tmp_path, *phrases, extra=""):
    """GOOD's concern with these ``unless`` phrases (and ``extra`` lines)."""
    listed = ", ".join(f'"{phrase}"' for phrase in phrases)
    return write(tmp_path, GOOD.replace("unless: [unless]", f"unless: [{listed}]") + extra)


def write(tmp_path, text):
    path = tmp_path / "concerns.yaml"
    path.write_text(textwrap.dedent(text), "utf-8")
    content.reload()
    return path


def found(path, text, competencies=("crisis",)):
    return concerns.find_concerns(matching.analyse(text), competencies, path)


def test_a_concern_is_found_with_the_learners_words_why_and_instead(tmp_path):
    path = write(tmp_path, GOOD)
    [concern] = found(path, "I'd tell them it stays between us.")
    assert (concern.id, concern.label, concern.matched) == (
        "secret-keeping",
        "Keeps risk secret",
        "between us",
    )
    assert concern.why == "Confidentiality has limits." and concern.instead


def test_a_concern_says_whether_a_life_may_be_at_stake(tmp_path):
    path = write(tmp_path, GOOD)
    assert found(path, "It stays between us.")[0].life_safety is False
    path = write(tmp_path, GOOD + "  life_safety: true\n")
    assert found(path, "It stays between us.")[0].life_safety is True


@pytest.mark.content
def test_the_concerns_where_a_life_may_be_at_stake_are_marked():
    content.reload()
    marked = {e.id for e in concerns.load() if e.life_safety}
    assert {"secrecy-about-risk", "no-crisis-help", "crisis-alone", "medication-advice"} <= marked
    assert "dual-relationship" not in marked


def test_unless_makes_a_sentence_safe_and_scope_limits_questions(tmp_path):
    path = write(tmp_path, GOOD)
    assert found(path, "It stays between us unless your life is at risk.") == ()
    assert found(path, "It stays between us.", competencies=("engage",)) == ()
    assert found(path, "I would never promise to keep a secret.") == ()
    # a sentence split by a semicolon is still one sentence for ``unless``
    assert found(path, "Our rule: it stays between us; unless your life is at risk.") == ()


def test_where_a_life_is_at_stake_a_later_step_does_not_make_it_safe(tmp_path):
    later = "It stays between us for now, and then, unless things get worse, we'll see."
    assert found(write(tmp_path, GOOD), later) == ()  # not life-safety: the unless holds
    path = write(tmp_path, GOOD + "  life_safety: true\n")
    assert [c.id for c in found(path, later)] == ["secret-keeping"]
    assert found(path, "Unless your life is at risk, it stays between us, and then we talk.") == ()
    # ...nor one told after the fact
    path = secret_keeping_where_a_life_is_at_stake(tmp_path, '"tell the doctor"')
    assert found(path, "It stays between us until we tell the doctor together.") == ()
    text = "It stays between us, and we tell the doctor at the next appointment."
    assert [c.id for c in found(path, text)] == ["secret-keeping"]
    text = "It stays between us, and I tell the doctor later."
    assert [c.id for c in found(path, text)] == ["secret-keeping"]
    # ...but a later step in the next sentence is not this exception's
    text = "It stays between us until we tell the doctor together. Later we make a plan."
    assert found(path, text) == ()


def test_an_exception_told_after_the_fact_does_not_make_it_safe(tmp_path):
    path = secret_keeping_unless(tmp_path, "tell my supervisor")
    assert found(path, "It stays between us until I tell my supervisor.") == ()
    for after in ("after the fact", "once it had worked out", "once things settled down"):
        text = f"It stays between us, and I'd tell my supervisor {after}."
        assert [c.id for c in found(path, text)] == ["secret-keeping"], text


def test_an_exception_that_has_ended_does_not_make_it_safe(tmp_path):
    path = secret_keeping_unless(tmp_path, "sober")
    assert found(path, "I'm sober now, so it stays between us.") == ()
    for ended in (
        "after nine years sober",
        "after a decade of being sober",
        "after two years sober",
    ):
        text = f"{ended.capitalize()}, it stays between us."
        assert [c.id for c in found(path, text)] == ["secret-keeping"], text


def test_unless_answer_makes_the_whole_answer_safe(tmp_path):
    path = write(tmp_path, GOOD + LIMITS)
    assert [c.id for c in found(path, "It stays between us.")] == ["secret-keeping"]
    assert found(path, "It stays between us. If you're in danger, I have to get help.") == ()
    assert [
        c.id for c in found(path, "Between us. If you're in danger, I won't have to get help.")
    ] == ["secret-keeping"]


def test_an_unless_the_practice_goes_ahead_regardless_of_does_not_make_it_safe(tmp_path):
    path = secret_keeping_unless(tmp_path, "wants me to")
    assert found(path, "It stays between us if she wants me to.") == ()
    assert [c.id for c in found(path, "It stays between us if she wants to recover.")] == [
        "secret-keeping"
    ]
    for either_way in ("whether or not", "regardless of whether", "no matter if"):
        text = f"It stays between us, {either_way} she wants me to."
        assert [c.id for c in found(path, text)] == ["secret-keeping"], text
    # "even if" between the practice and the phrase: it goes ahead anyway
    text = "It stays between us, even if she wants me to."
    assert [c.id for c in found(path, text)] == ["secret-keeping"]
    # ...but the practice inside the "even if" clause is excused as before
    assert found(path, "Even if between us, she wants me to.") == ()
    # "no matter what" right after the phrase: the exception does not hold either
    text = "It stays between us unless she wants me to, no matter what she says."
    assert [c.id for c in found(path, text)] == ["secret-keeping"]


def test_an_unless_inside_an_ultimatum_does_not_make_it_safe(tmp_path):
    path = secret_keeping_unless(tmp_path, "if she wants")
    assert found(path, "It stays between us if she wants.") == ()
    text = "It stays between us, which is what I'd tell her to do if she wants real recovery."
    assert [c.id for c in found(path, text)] == ["secret-keeping"]


def test_an_unless_before_but_i_excuses_nothing_the_speaker_does_after_it(tmp_path):
    path = secret_keeping_unless(tmp_path, "she told me")
    assert found(path, "She told me it stays between us.") == ()  # what she said
    text = "She asked, but I'd say it stays between us since she told me so."
    assert found(path, text) == ()  # the phrase after "but I" still excuses
    for text in (
        "She told me she was scared, but I promised her it would stay a secret.",
        # ...and so does one before "but" and someone else, with or without "honestly"
        "She told me she was scared, but honestly she's fine if it stays between us.",
        "She told me it hurt, but people say it stays between us.",
        # ...and one before "and then I", "but there's no reason" or "and I promised"
        "She told me she was scared, and then I promised her it would stay a secret.",
        "She told me she was scared, but there's no reason to tell anyone, it's between us.",
        "She told me she was scared, and I promised it would stay between us.",
        "She told me to ask around, and I said sure, so I told him it stays between us.",
        "She told me she was scared, and I encourage her to keep it between us.",
        "She told me she was scared, and I accepted that it stays between us.",
        "If she told me she was scared, I'll usually accept that it stays between us.",
        "If she told me she was scared, I'd probably go ahead and add that it stays between us.",
        "She told me she was scared, and after a while I promised it would stay between us.",
        "She told me she was scared, but in our second meeting I said it stays between us.",
    ):
        assert [c.id for c in found(path, text)] == ["secret-keeping"], text


@pytest.mark.parametrize("life_safety", [True, False])
def test_limits_stated_elsewhere_do_not_excuse_a_risk_to_life_kept_after_but(tmp_path, life_safety):
    flag = f"  life_safety: {str(life_safety).lower()}\n"
    path = write(tmp_path, GOOD + flag + '  unless_answer: ["have to + get help"]\n')
    limits = "I tell everyone I have to get help if they could get hurt."
    assert found(path, f"{limits} When he asked, I said it stays between us.") == ()
    expected = ["secret-keeping"] if life_safety else []
    text = f"{limits} But when he asked, I said it stays between us."
    assert [c.id for c in found(path, text)] == expected
    # ...or a contrast inside the sentence, before the concern's words
    text = (
        "I tell everyone I have to get help if they could get hurt, but I said it stays between us."
    )
    assert [c.id for c in found(path, text)] == expected
    assert (
        found(path, "I said it stays between us, but I have to get help if they could get hurt.")
        == ()
    )


def test_an_unless_describing_the_people_acted_on_excuses_nothing(tmp_path):
    path = secret_keeping_unless(tmp_path, "scared")
    assert found(path, "She was scared, so it stays between us.") == ()  # a reason given
    text = "Someone who's scared, it stays between us."  # not "who is" plus what they are
    assert found(path, text) == ()
    for text in (
        "I tell folks who are scared of 988 that it stays between us.",
        "I tell people who're scared that it stays between us.",
    ):
        assert [c.id for c in found(path, text)] == ["secret-keeping"], text


@pytest.mark.parametrize("reads_as_concern", [True, False])
def test_an_unless_in_the_reason_given_excuses_nothing_the_model_reads_as_a_concern(
    tmp_path, monkeypatch, reads_as_concern
):
    monkeypatch.setattr(concerns.concern_model, "reads_as_concern", lambda *a: reads_as_concern)
    path = secret_keeping_unless(tmp_path, "scared")
    assert found(path, "Once she felt less scared, it stays between us.") == ()  # no reason
    for text in (
        "It stays between us, because she's scared of the police.",
        "It stays between us so she feels less scared.",
        # ...or before them, with "so"
        "She was scared, so it stays between us.",
        "In her family being scared is normal, so when she asked, it stays between us.",
        # ...or in a "because" that leads up to them
        "Because she was scared of the police, it stays between us.",
        # ...read in the sentence itself, not where the words first occur
        "I was scared once. Because she was scared of the police, it stays between us.",
        # ...or inside the words shown, before the "so" ("…a betrayal, so I'd keep it…")
        "She was scared of my promise, so it stays secret.",
    ):
        expected = ["secret-keeping"] if reads_as_concern else []
        assert [c.id for c in found(path, text)] == expected, text


def test_an_unless_not_done_or_not_done_yet_excuses_nothing(tmp_path):
    path = secret_keeping_unless(tmp_path, "asking my supervisor")
    assert found(path, "After asking my supervisor, it stays between us.") == ()
    for text in (
        "Asking my supervisor would have taken a week, so it stays between us.",
        "Asking my supervisor would've meant a fuss, so it stays between us.",
        "Asking my supervisor was a hassle, so it stays between us.",
        # ...or the harm it is said to do
        "Asking my supervisor can put the idea in her head, so it stays between us.",
        "Asking my supervisor could make things worse, so it stays between us.",
        # ...or that had not happened yet
        "It stays between us, all of it, before even asking my supervisor.",
        # ...or that is denied
        "It stays between us, which is not something I'm asking my supervisor about.",
    ):
        assert [c.id for c in found(path, text)] == ["secret-keeping"], text


def test_an_unless_not_run_by_excuses_nothing(tmp_path):
    path = secret_keeping_unless(tmp_path, "my supervisor")
    assert (
        found(path, "It stays between us, which is not something I'd keep from my supervisor.")
        == ()
    )
    for denied in ("isn't something I bother running by", "is not anything I need to check with"):
        text = f"It stays between us, which {denied} my supervisor."
        assert [c.id for c in found(path, text)] == ["secret-keeping"], text


def test_an_unless_is_read_where_it_stands_not_where_its_words_first_occur(tmp_path):
    path = secret_keeping_unless(tmp_path, "my supervisor")
    not_done_then = "Asking my supervisor would have taken too long once, and I regret it."
    assert found(path, f"{not_done_then} Now it stays between us unless my supervisor says.") == ()
    text = "I talk it all over with my supervisor. It stays between us, which isn't something I"
    text += " bother running by my supervisor."
    assert [c.id for c in found(path, text)] == ["secret-keeping"]


def test_an_unless_that_does_not_fit_excuses_nothing(tmp_path):
    path = secret_keeping_unless(tmp_path, "my own story")
    assert found(path, "When it fits my own story, it stays between us.") == ()
    for unfit in ("doesn't quite fit", "does not apply", "didn't really match"):
        text = f"When my own story {unfit}, it stays between us."
        assert [c.id for c in found(path, text)] == ["secret-keeping"], text


def test_an_unless_that_says_how_the_speaker_would_not_act_excuses_nothing(tmp_path):
    path = secret_keeping_unless(tmp_path, "~go behind her back")
    assert found(path, "It stays between us, and I won't go behind her back.") == ()
    text = "It stays between us, and I won't go behind her back by calling anyone."
    assert [c.id for c in found(path, text)] == ["secret-keeping"]


def test_an_unless_inside_the_concerns_own_phrase_excuses_nothing(tmp_path):
    conditional = GOOD.replace(
        '"between us"', '"if they want to keep working with me", "keep seeing me"'
    )
    path = write(tmp_path, conditional.replace("unless: [unless]", 'unless: ["if they want"]'))
    text = "If they want to keep working with me, I expect them at a meeting with a sponsor."
    assert [c.id for c in found(path, text)] == ["secret-keeping"]
    # ...but the same words beside a concern's phrase still excuse it
    assert found(path, "If they want, they can keep seeing me.") == ()
    assert [c.id for c in found(path, "They can keep seeing me.")] == ["secret-keeping"]
    # a negated phrase's words start with its negator, which an exception may qualify
    negated = GOOD.replace('"between us"', '"~let off the hook"')
    path = write(tmp_path, negated.replace("unless: [unless]", 'unless: ["not to be let off"]'))
    assert found(path, "I take it to supervision, not to be let off the hook.") == ()
    assert [c.id for c in found(path, "I never let them off the hook.")] == ["secret-keeping"]


def test_an_exception_the_concern_follows_when_it_fails_excuses_nothing(tmp_path):
    path = secret_keeping_unless(tmp_path, "ask her doctor")
    assert found(path, "I'd tell her to ask her doctor, and it stays between us.") == ()
    for text in (
        "I'd tell her to ask her doctor, and if she couldn't get in, it stays between us.",
        "I'd have her ask her doctor; otherwise it stays between us.",
    ):
        assert [c.id for c in found(path, text)] == ["secret-keeping"], text


def test_limits_left_out_excuse_nothing(tmp_path):
    path = secret_keeping_unless(tmp_path, "exceptions", "judgments")
    assert found(path, "It stays between us, and I explain the exceptions.") == ()
    assert found(path, "I leave out judgments, and it stays between us.") == ()
    for text in (
        "It stays between us; I leave out the exceptions at first.",
        "It stays between us, and I skip the exceptions until later.",
    ):
        assert [c.id for c in found(path, text)] == ["secret-keeping"], text


def test_an_unless_that_asks_to_keep_something_back_excuses_nothing(tmp_path):
    path = secret_keeping_unless(tmp_path, "asked me to")
    assert found(path, "She asked me to say it stays between us.") == ()
    text = "It stays between us, even the things she asked me to keep out of her file."
    assert [c.id for c in found(path, text)] == ["secret-keeping"]


def test_a_match_no_exception_excuses_shows_the_concern(tmp_path):
    path = secret_keeping_unless(tmp_path, "promise")
    assert found(path, "I promise to keep it secret.") == ()  # its one match excused
    # the longer match ("promise … secret") is excused, the later one ("between us") is not
    text = "I promise it stays secret, but there's no need to tell anyone, it's between us."
    assert [c.id for c in found(path, text)] == ["secret-keeping"]


def test_exceptions_named_do_not_make_safe_a_practice_that_goes_ahead_anyway(tmp_path):
    path = secret_keeping_unless(tmp_path, "at risk", extra=LIMITS)
    assert found(path, "It stays between us unless you're at risk.") == ()
    for text in (
        "It stays between us no matter what, even if you're at risk.",
        "It stays between us, period, even if you're at risk.",
        "It stays between us if you want to get better, even if you're at risk.",
        "Even if you're at risk, it stays between us.",  # the phrase in an "even if" clause
        "Other programs have to get help if you're in danger; with me it stays between us "
        "no matter what.",
        # "no matter what" inside the concern's words
        "I promise, no matter what, that your secret is safe unless you're at risk.",
    ):
        assert [c.id for c in found(path, text)] == ["secret-keeping"], text


def secret_keeping_where_a_life_is_at_stake(tmp_path, unless: str):
    """GOOD's concern marked ``life_safety``, with these ``unless`` phrases (YAML list items)."""
    return write(
        tmp_path, GOOD.replace("unless: [unless]", f"unless: [{unless}]\n  life_safety: true")
    )


def secret_keeping_with_limits_named(tmp_path):
    """GOOD's concern marked ``life_safety``, whose answers may state the limits elsewhere."""
    path = secret_keeping_where_a_life_is_at_stake(tmp_path, '"need to know"')
    return write(tmp_path, path.read_text() + LIMITS)


def test_where_a_life_is_at_stake_even_if_a_life_is_at_risk_is_no_excuse(tmp_path):
    path = secret_keeping_where_a_life_is_at_stake(tmp_path, '"need to know"')
    assert found(path, "It stays between us and whoever needs to know.") == ()
    text = "It stays between us and whoever needs to know, even if you're thinking of suicide."
    assert [c.id for c in found(path, text)] == ["secret-keeping"]
    text = (
        "It stays between us and whoever needs to know, including anything about hurting yourself."
    )
    assert [c.id for c in found(path, text)] == ["secret-keeping"]
    # the suicide hotline among the help is not a risk kept secret
    hotline = "It stays between us and whoever needs to know, including the suicide hotline."
    assert found(path, hotline) == ()
    # only later in the same sentence, and only where a life may be at stake
    assert (
        found(path, "It stays between us and whoever needs to know. Even if you want to die.") == ()
    )
    path = secret_keeping_unless(tmp_path, "need to know")
    assert found(path, text) == ()


def test_where_a_life_is_at_stake_the_persons_say_or_the_last_moment_is_no_excuse(tmp_path):
    path = secret_keeping_where_a_life_is_at_stake(tmp_path, "unless")
    assert found(path, "It stays between us unless you might get hurt.") == ()
    for text in (
        "It stays between us unless they ask me to tell someone.",
        "It stays between us unless they're literally standing on the bridge.",
    ):
        assert [c.id for c in found(path, text)] == ["secret-keeping"], text
    path = write(tmp_path, GOOD)  # where no life is at stake, the person's say is an exception
    assert found(path, "It stays between us unless they ask me to tell someone.") == ()


def test_where_a_life_is_at_stake_a_secret_that_includes_a_risk_is_no_excuse(tmp_path):
    path = secret_keeping_where_a_life_is_at_stake(tmp_path, '"need to know"')
    secret = "It stays between us, and that includes the pills she's been saving up."
    assert [c.id for c in found(path, secret)] == ["secret-keeping"]
    # not even where the answer names the limits elsewhere
    path = write(tmp_path, path.read_text() + LIMITS)
    assert [c.id for c in found(path, LIMITS_NAMED + secret)] == ["secret-keeping"]
    assert found(path, LIMITS_NAMED + "It stays between us, and that includes your job.") == ()


def test_where_a_life_is_at_stake_limits_named_elsewhere_do_not_excuse_a_risk_kept(tmp_path):
    path = secret_keeping_with_limits_named(tmp_path)
    assert found(path, LIMITS_NAMED + "Anything about your job stays between us.") == ()
    for kept in (
        "Anything about suicide stays between us.",
        "Anything about self-harm stays between us.",
        "If you're thinking about ending your life, it stays between us.",
    ):
        assert [c.id for c in found(path, LIMITS_NAMED + kept)] == ["secret-keeping"], kept
    path = write(tmp_path, GOOD + LIMITS)  # where no life is at stake, the limits stand
    assert found(path, LIMITS_NAMED + "Anything about suicide stays between us.") == ()


def test_where_a_life_is_at_stake_a_reason_for_keeping_a_named_risk_is_no_excuse(tmp_path):
    path = secret_keeping_where_a_life_is_at_stake(tmp_path, '"behind their back"')
    reason = ", because the fastest way to lose trust is going behind their back."
    assert found(path, "Anything about your job stays between us" + reason) == ()
    text = "Anything about suicide or self-harm stays between us" + reason
    assert [c.id for c in found(path, text)] == ["secret-keeping"]


def test_where_a_life_is_at_stake_limits_named_elsewhere_do_not_excuse_what_was_done(tmp_path):
    path = secret_keeping_with_limits_named(tmp_path)
    assert found(path, LIMITS_NAMED + "It stays between us.") == ()  # how the speaker works
    for done in (
        "When she told me about the pills, I kept it between us.",
        "When she told me about the pills, I didn't tell anyone and it stayed between us.",
    ):
        assert [c.id for c in found(path, LIMITS_NAMED + done)] == ["secret-keeping"], done
    path = write(tmp_path, GOOD + LIMITS)  # where no life is at stake, the limits stand
    assert found(path, LIMITS_NAMED + "When she told me about her job, I kept it between us.") == ()


def test_where_a_life_is_at_stake_an_exception_before_the_secret_the_risk_is_no_excuse(tmp_path):
    path = secret_keeping_where_a_life_is_at_stake(tmp_path, '"otherwise", "if someone"')
    assert found(path, "I told my manager. Otherwise it stays between us, nothing more.") == ()
    text = "Otherwise it stays between us that he'd be better off dead and has pills saved up."
    assert [c.id for c in found(path, text)] == ["secret-keeping"]
    # the risk named after a turn is the exception, not the secret
    assert (
        found(path, "Otherwise it stays between us, but if someone wants to die I get help.") == ()
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace("id: secret-keeping", "id: Secret Keeping"), "line 1: `id`"),
        (GOOD.replace("  why: Confidentiality has limits.\n", ""), "missing `why`"),
        (GOOD.replace("[crisis]", "[nope]"), "`competencies` must be `all` or a list"),
        (GOOD.replace('"between us"', '"the + my"'), "every group needs words"),
        (GOOD.replace('"between us"', '"between us, no matter what"'), "across a comma"),
        (
            GOOD.replace('"between us"', '"keep|keeps|kept + between us"'),
            "'keeps' (as 'keep'), 'kept' (as 'keep') read as the same words",
        ),
        (GOOD + "  colour: red\n", "unknown key `colour`"),
        (GOOD + "  life_safety: yes please\n", "`life_safety` must be true or false"),
        (GOOD + GOOD, "line 8: id 'secret-keeping' is already used"),
        ("key: value\n", "expected a list of concerns"),
    ],
)
def test_problems_are_reported_with_file_and_line(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(BankFormatError) as error:
        concerns.load(path)
    assert message in str(error.value) and "concerns.yaml" in str(error.value)


@pytest.mark.content
def test_the_shipped_concerns_load_and_each_has_patterns_and_text():
    content.reload()
    entries = concerns.load()
    assert len({e.id for e in entries}) == len(entries) >= 10
    assert all(e.patterns and e.label and e.why and e.instead for e in entries)


@pytest.mark.content
@pytest.mark.parametrize(
    ("question", "text", "concern"),
    [
        (
            "wb28",
            "I'd suggest she try skipping the evening dose for a week, and then bring it up with her doctor.",
            "medication-advice",
        ),
        ("wb28", "I'd help her bring it up with her doctor before she changes her dose.", None),
        (
            "wb28",
            "I told him to stop his lithium right away and bring it up with his psychiatrist.",
            "medication-advice",
        ),
        (
            "ps24",
            "The interpreter line had long waits, so I asked her son to interpret for us.",
            "family-interpreter",
        ),
        ("ps24", "I called the interpreter line rather than asking her son to interpret.", None),
        ("ps20", "Just the two of us, I'd ask plainly whether she's thinking of suicide.", None),
        (
            "ps20",
            "I'd promise it stays just the two of us, even the suicide part.",
            "no-crisis-help",
        ),
        (
            "wb37",
            "I filled in for his groups and told my manager he was out sick.",
            "works-around-rules",
        ),
        (
            "wb03",
            "I'll call their partner and let them know what came up today.",
            "breaks-confidentiality",
        ),
        (
            "ps07",
            "At the start of group I'd tell everyone she's staying at the shelter.",
            "breaks-confidentiality",
        ),
        (
            "wb46",
            "I tell people the psychiatrists only want to keep them medicated.",
            "undermines-team",
        ),
        ("wb33", "We'd talk about leaving a gun for a few weeks with a relative she trusts.", None),
        (
            "wb13",
            'Hearing "you\'re not really in recovery" can make someone quit their meds.',
            None,
        ),
    ],
)
def test_the_shipped_concerns_tell_harm_from_good_practice_in_these_words(question, text, concern):
    content.reload()
    competencies = bank.question(question)["competencies"]
    ids = [c.id for c in concerns.find_concerns(matching.analyse(text), competencies)]
    assert ids == ([concern] if concern else []), ids


@pytest.mark.content
def test_an_exception_that_ends_in_a_reason_after_the_practice_does_not_excuse_it():
    def ids(text):
        competencies = ("crisis", "resources", "support")  # a crisis question's
        return [c.id for c in concerns.find_concerns(matching.analyse(text), competencies)]

    given_a_reason = (
        "If they can't stop shaking, I'll ask whether they have anything prescribed, and I tell "
        "them it's fine to take an extra one, since doctors tend to be conservative with doses."
    )
    assert "medication-advice" in ids(given_a_reason)
    asked = (
        "If they can't stop shaking, I'd ask if they want to check with their doctor about "
        "whether it's fine to take an extra one."
    )
    assert "medication-advice" not in ids(asked)
