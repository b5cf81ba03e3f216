"""Feedback on practice answers: talking points, structure, length, language, words, HTML."""

import dataclasses
import textwrap
from pathlib import Path

import pytest
import yaml

from peerlib import bank, concerns, feedback, matching
from peerlib.errors import BankFormatError, UnknownIdError
from peerlib.feedback import Structure, analyze_answer

DATA = Path(__file__).parent / "data"
WEAK = "I would tell them it will be okay and do my best."
ALL_IDS = sorted(bank.load_bank()["question_id"])

PS20_STRONG = """\
If someone in my group said they were having suicidal thoughts, their safety would come first.
I would stay calm, thank them for telling us, and, if it was not safe to carry on in the group,
ask a co-facilitator to continue while I spoke with the person privately. I would ask directly
whether they are thinking about killing themselves and whether they have a plan, because asking
does not put the idea in someone's head. I would listen without judgement, let them know their
feelings make sense, and stay with them. If the risk was immediate I would call 988, the Suicide
& Crisis Lifeline, with them, or emergency services if they were in danger right now. Afterwards
I would tell my supervisor, follow up with the person the next day, and keep checking in on them
in the weeks after, so they know the group is still there for them.
"""
PS20_WEAK = "I would tell them it will be okay.\nThen I would carry on with the group."

PS05_STAR = (
    "Last year I was working with a man who had just lost his job and was struggling with "
    "depression. I listened to him without judgement, and we worked out a few coping "
    "strategies together. In the end he joined a peer group and was able to start looking "
    "for work again."
)


def covered(question_id: str, text: str) -> tuple[str, ...]:
    return analyze_answer(question_id, text).covered


ASKS = "Asks directly about suicide"
STAYS = "Stays with the person and keeps them safe now"
HELP = "Brings in crisis help and a supervisor (call, text or chat 988; 911 if a life is in immediate danger)"
LISTENS = "Listens with care and without judgment"
FOLLOWS = "Follows up afterwards"
PS20_POINTS = (ASKS, STAYS, HELP, LISTENS, FOLLOWS)


# --- the check: suicidal thoughts disclosed in a group --------------------------------


def test_strong_ps20_answer_gets_every_point_recognized_with_the_learners_words():
    result = analyze_answer("ps20", PS20_STRONG)
    assert result.covered == PS20_POINTS
    assert result.missing == () and result.concerns == ()
    assert "988" in dict(result.evidence)[HELP]


@pytest.mark.parametrize(
    "text",
    [
        "safety 988 listen follow up",
        "Safety, 988, listening, follow-up, empathy",
        "- safety\n- 988\n- active listening\n- follow up",
        "safety\nsupervisor\nstay with them\n988",
        "Safety, 988, listen, follow up.",
        "take it seriously, ask directly about suicide and a plan, remove access to means, stay with"
        " the person, 911 if in danger now, 988 by call text or chat, tell the supervisor the same"
        " day, warm handoff to a counselor, check on the group, follow up the next day",
    ],
)
def test_a_keyword_list_earns_no_points_and_is_asked_for_sentences(text):
    result = analyze_answer("ps20", text)
    assert result.word_list and result.covered == () and result.score == 0
    assert "full sentences" in result.to_html()
    assert "word list" in result.summary()


@pytest.mark.parametrize(
    "text",
    [
        "I would listen and call 988 with them.",
        "Asking directly about suicide, calmly and kindly, comes first.",
        "Stay with them and call 988.",
        "I'd ask them directly about suicide.",
        "Listen first. Then I would follow up.",
        "I'd take it seriously, ask about suicide, stay with them, call 988 with them, bring in my"
        " supervisor, offer the group a break, check on the others and follow up the next day.",
        "Stay calm, ask directly about suicide, stay with them, and call 988 together.",
    ],
)
def test_normal_short_answers_are_not_word_lists(text):
    result = analyze_answer("ps20", text)
    assert not result.word_list and result.covered


def test_a_negated_answer_gets_no_points():
    text = (
        "I would never listen to them, would not worry about their safety, would not call 988 "
        "or follow up."
    )
    assert covered("ps20", text) == ()


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("I wouldn't call 988.", HELP),
        ("I'd never listen to them.", LISTENS),
        ("I would deal with it without involving my supervisor.", HELP),
        ("There is no need to follow up afterwards.", FOLLOWS),
        ("Rather than call 988 I'd change the subject.", HELP),
        ("I'd avoid asking directly about suicide.", ASKS),
        ("Following up the next day isn't really necessary.", FOLLOWS),
    ],
)
def test_a_cue_in_a_negated_clause_does_not_count(text, label):
    assert label not in covered("ps20", text)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Not only would I listen, but I'd also call 988.", LISTENS),
        ("Whether or not they agree, I would call 988 with them.", HELP),
        ("I'd be non-judgmental and calm.", LISTENS),
        ("I wouldn't hesitate to call 988.", HELP),
        ("I would not judge them, and I would call 988 with them.", HELP),
        ("I wouldn't leave them alone.", STAYS),
    ],
)
def test_not_only_whether_or_not_and_prefixes_are_not_negations(text, label):
    assert label in covered("ps20", text)


def test_a_good_answer_in_plain_words_covers_its_points():
    text = (
        "I would make sure they are OK right now, stay with them, ring the suicide lifeline "
        "with them, and contact them the next day."
    )
    assert set(covered("ps20", text)) >= {STAYS, HELP, FOLLOWS}


def test_a_point_made_in_other_words_is_not_suggested_again():
    result = analyze_answer("ps08", "I would take it slowly, letting the person set the pace.")
    assert "Lets the person set the pace" in result.covered
    assert "Lets the person set the pace" not in result.to_html().split("Recognized")[0]


# --- every talking point: paraphrases that must match, near misses that must not --------------

EXAMPLES = yaml.safe_load((DATA / "talking_point_examples.yaml").read_text("utf-8"))
# Measured on the examples; raise these as the curation improves (the goal is every example).
# The near misses met (29 of 862) are mostly one cue out of context ("privacy", "interpreter",
# "keep it off the safety plan"): the limit of matching words.
MIN_PARAPHRASES_MET = 0.99
MAX_NEAR_MISSES_MET = 0.035
MAX_GOOD_PRACTICE_WITH_CONCERN = 0.005  # of the example sentences that make a talking point


def _examples_met(kind: str) -> float:
    """Share of the example sentences of ``kind`` ('matches' or 'near_misses') meeting their point."""
    met = total = 0
    for qid, points in EXAMPLES.items():
        for label, entry in points.items():
            for text in entry[kind]:
                total += 1
                met += label in covered(qid, text)
    return met / total


@pytest.mark.content
def test_every_talking_point_has_three_paraphrases_and_a_near_miss():
    for qid in ALL_IDS:
        labels = [p.label for p in bank.question(qid)["talking_points"]]
        assert qid in EXAMPLES and sorted(EXAMPLES[qid]) == sorted(labels), qid
        for label in labels:
            entry = EXAMPLES[qid][label]
            assert len(entry["matches"]) >= 3, (qid, label)
            assert entry["near_misses"] and all(t.strip() for t in entry["near_misses"]), (
                qid,
                label,
            )


@pytest.mark.content
def test_paraphrases_meet_their_points():
    assert _examples_met("matches") >= MIN_PARAPHRASES_MET


@pytest.mark.content
def test_near_misses_rarely_meet_their_points():
    assert _examples_met("near_misses") <= MAX_NEAR_MISSES_MET


VAGUE = yaml.safe_load((DATA / "vague_sentences.yaml").read_text("utf-8"))
MAX_VAGUE_CREDITED = 0.05  # measured: 4 of 92, each through an older, broader line


@pytest.mark.content
def test_weak_or_wrong_sentences_rarely_earn_a_point():
    texts = [(qid, text) for qid, sentences in VAGUE.items() for text in sentences]
    credited = [(qid, text) for qid, text in texts if covered(qid, text)]
    assert len(credited) / len(texts) <= MAX_VAGUE_CREDITED, credited


@pytest.mark.content
def test_good_practice_sentences_rarely_raise_a_concern():
    texts = [
        (qid, text)
        for qid, points in EXAMPLES.items()
        for entry in points.values()
        for text in entry["matches"]
    ]
    raised = [(qid, text) for qid, text in texts if analyze_answer(qid, text).concerns]
    assert len(raised) / len(texts) <= MAX_GOOD_PRACTICE_WITH_CONCERN, raised


@pytest.mark.content
def test_every_talking_point_has_paraphrases():
    for qid in ALL_IDS:
        for point in bank.question(qid)["talking_points"]:
            assert len(point.paraphrases) + len(point.patterns) >= 3, (qid, point.label)


# --- concerns: unsafe or off-role practice ------------------------------------------------------

CONCERN_EXAMPLES = yaml.safe_load((DATA / "concern_examples.yaml").read_text("utf-8"))


@pytest.mark.content
@pytest.mark.parametrize(
    ("concern_id", "text"),
    [(cid, text) for cid, entry in CONCERN_EXAMPLES.items() for text in entry["flag"]],
)
def test_unsafe_practice_raises_its_concern(concern_id, text):
    found = analyze_answer("ps20", text).concerns
    assert found, text
    assert all(c.matched and c.why and c.instead for c in found)


@pytest.mark.content
@pytest.mark.parametrize(
    ("concern_id", "text"),
    [(cid, text) for cid, entry in CONCERN_EXAMPLES.items() for text in entry["safe"]],
)
def test_good_practice_in_similar_words_raises_no_concern(concern_id, text):
    assert analyze_answer("ps20", text).concerns == ()


CONCERN_FRAMES = yaml.safe_load((DATA / "concern_frames.yaml").read_text("utf-8"))


@pytest.mark.content
@pytest.mark.parametrize("text", CONCERN_FRAMES["safe"])
def test_unsafe_practice_the_speaker_turns_down_or_reports_raises_no_concern(text):
    assert analyze_answer("ps20", text).concerns == ()


@pytest.mark.content
@pytest.mark.parametrize("text", CONCERN_FRAMES["flag"])
def test_unsafe_practice_the_speaker_goes_along_with_raises_a_concern(text):
    assert analyze_answer("wb44" if "landlord" in text else "ps20", text).concerns


def test_a_concern_is_shown_first_and_the_points_it_makes_do_not_count():
    text = PS20_STRONG + " And I would promise them that it stays between us."
    result = analyze_answer("ps20", text)
    assert [c.id for c in result.concerns] == ["secrecy-about-risk"]
    assert result.concerns[0].matched == "stays between us"  # the learner's closest words
    assert len(result.covered) == 5 and result.score == 0  # 5 of 5 points, none counted
    html = result.to_html()
    assert html.index("Check this") < html.index("Talking points")
    assert (
        "do not count in this answer's score until it is revised" in html and "recognized" in html
    )
    assert "1 concern" in result.summary()


LEND = " Sometimes I'd lend him twenty dollars for groceries, too."
# good practice that a dual-relationship pattern reads as being alone with the person
SIDE_ROOM = " I asked him to step into the side room with me, where the door stays open."


@pytest.mark.content
def test_a_match_in_good_practice_words_in_an_otherwise_strong_answer_is_a_second_look():
    strong = bank.question("wb84")["example_answer"]
    assert len(analyze_answer("wb84", strong).covered) == 4  # every point, no concern
    result = analyze_answer("wb84", strong + SIDE_ROOM)
    assert result.concerns == () and result.score == feedback.SECOND_LOOK_WEIGHT == 0.75
    [look] = result.second_looks
    assert look.id == "dual-relationship" and look.matched and look.why and look.instead
    assert result.to_check == (f"Second look: {look.label}",)
    assert "1 phrase to look at again" in result.summary()
    html = result.to_html()
    assert "Check this" not in html
    assert html.index("Talking points") < html.index("Worth a second look")
    assert "may have misread this sentence" in html and "Safer practice" in html
    assert "counts three quarters" in html


@pytest.mark.content
def test_a_real_boundary_slip_in_an_otherwise_strong_answer_is_a_concern():
    strong = bank.question("wb84")["example_answer"]
    result = analyze_answer("wb84", strong + LEND)  # the model reads it as a concern too
    assert [c.id for c in result.concerns] == ["dual-relationship"]
    assert result.second_looks == () and result.score == feedback.CONCERN_WEIGHT == 0


@pytest.mark.content
@pytest.mark.parametrize("sure", [False, True])
def test_a_reading_by_example_is_a_second_look_unless_the_model_is_sure(monkeypatch, sure):
    strong = bank.question("wb84")["example_answer"]
    first = matching.analyse(strong).sentences[0].span
    reading = concerns.Concern(
        "Blurs the relationship", strong[first.start : first.stop], "Why.", "Instead.",
        "dual-relationship", by_example=True, sure=sure,
    )  # fmt: skip
    monkeypatch.setattr(feedback.concerns, "find_concerns", lambda *args: (reading,))
    result = analyze_answer("wb84", strong)
    assert (result.concerns, result.second_looks) == (
        ((reading,), ()) if sure else ((), (reading,))
    )


def _concern_on(text: str, sentence: int, **flags) -> concerns.Concern:
    span = matching.analyse(text).sentences[sentence].span
    words = text[span.start : span.stop]
    return concerns.Concern("A concern", words, "Why.", "Instead.", "some-concern", **flags)


@pytest.mark.content
@pytest.mark.parametrize(
    ("flags", "second_look"),
    [
        ({"read_as_good": True}, True),
        ({"read_as_good": True, "life_safety": True}, True),
        ({"read_as_good": False, "life_safety": True}, False),
        ({"by_example": True, "life_safety": True}, False),
    ],
)
def test_a_risk_to_life_is_a_second_look_only_where_the_model_reads_the_words_as_good(
    monkeypatch, flags, second_look
):
    strong = bank.question("wb84")["example_answer"]
    reading = _concern_on(strong, 0, **flags)
    monkeypatch.setattr(feedback.concerns, "find_concerns", lambda *args: (reading,))
    result = analyze_answer("wb84", strong)
    assert (result.concerns, result.second_looks) == (
        ((), (reading,)) if second_look else ((reading,), ())
    )


@pytest.mark.content
@pytest.mark.parametrize("sentences", [(0, 0), (0, 1)])
def test_concerns_in_one_sentence_are_a_second_look_together(monkeypatch, sentences):
    strong = bank.question("wb84")["example_answer"]
    found = tuple(_concern_on(strong, i, read_as_good=True) for i in sentences)
    monkeypatch.setattr(feedback.concerns, "find_concerns", lambda *args: found)
    result = analyze_answer("wb84", strong)
    one_sentence = len(set(sentences)) == 1
    assert result.second_looks == (found if one_sentence else ())
    assert result.concerns == (() if one_sentence else found)
    html = result.to_html()
    if one_sentence:  # the misreading is explained once, each concern has its why and instead
        assert html.count("may have misread this sentence") == 1
        assert html.count("Safer practice") == 2


@pytest.mark.parametrize(
    ("met", "life_safety", "second_look"),
    [(0.6, False, True), (0.5, False, False), (0.75, True, True), (0.67, True, False)],
)
def test_a_second_look_needs_most_points_met_and_more_where_a_life_is_at_stake(
    met, life_safety, second_look
):
    reading = concerns.Concern("A concern", "words", "Why.", "Instead.", "some-concern",
                               life_safety=life_safety, read_as_good=True)  # fmt: skip
    assert feedback._misread((reading,), {range(0, 5)}, met) is second_look


@pytest.mark.content
def test_the_same_slip_in_two_sentences_is_a_concern():
    strong = bank.question("wb84")["example_answer"]
    result = analyze_answer("wb84", strong + LEND + " I lent her forty dollars last month.")
    assert [(c.id, c.sentences) for c in result.concerns] == [("dual-relationship", 2)]
    assert result.second_looks == ()


@pytest.mark.content
def test_the_same_slip_in_a_thin_answer_is_a_concern():
    result = analyze_answer("wb84", "I'd thank them." + LEND)
    assert [c.id for c in result.concerns] == ["dual-relationship"]
    assert result.second_looks == () and "Check this" in result.to_html()


@pytest.mark.content
def test_a_risk_to_life_the_model_reads_as_unsafe_is_a_concern_even_in_a_strong_answer():
    # test_a_concern_is_shown_first_and_the_points_it_makes_do_not_count: all five points and a secrecy promise
    result = analyze_answer("ps20", PS20_STRONG + " I'd also promise it stays between us.")
    assert result.concerns and result.concerns[0].life_safety and result.second_looks == ()


def test_a_harmful_answer_scores_below_a_safe_one_that_makes_the_same_points():
    safe = "I would ask them directly about suicide and stay with them."
    harmful = safe + " I'd promise it stays between us."
    safe_result, harmful_result = analyze_answer("ps20", safe), analyze_answer("ps20", harmful)
    assert harmful_result.covered == safe_result.covered and len(safe_result.covered) == 2
    assert harmful_result.score == 0 < safe_result.score
    assert "do not count in this answer's score until it is revised" in harmful_result.to_html()
    alone = analyze_answer("ps20", "I'd promise it stays between us.")  # no point recognized
    assert alone.covered == () and "this answer scores 0 until it is revised" in alone.to_html()


def test_a_sentence_that_raises_a_concern_shows_no_talking_point():
    # "I'm sorry you feel that way, but it was just a joke" is no apology
    apart = analyze_answer(
        "ps20", "I'd ask them directly about suicide. I'd promise it stays between us."
    )
    together = analyze_answer(
        "ps20", "I'd ask them directly about suicide and promise it stays between us."
    )
    assert apart.concerns and together.concerns
    assert "Asks directly about suicide" in apart.covered
    assert "Asks directly about suicide" not in together.covered
    # ...but the same point made again in a later sentence still counts
    again = analyze_answer(
        "ps20",
        "I'd ask them directly about suicide and promise it stays between us. "
        "I would ask them directly about suicide.",
    )
    assert again.concerns and "Asks directly about suicide" in again.covered


def test_concerns_apply_only_to_their_competencies():
    text = "I would give them space and bring it up next week."
    assert analyze_answer("ps20", text).concerns  # crisis
    assert analyze_answer("ps07", text).concerns == ()  # lateness: not a crisis


def test_a_missing_required_point_is_named_first():
    result = analyze_answer("ps20", "I would listen to them and follow up the next day.")
    assert result.required_missing == (ASKS, STAYS, HELP)
    assert result.missing[:3] == (ASKS, STAYS, HELP)
    html = result.to_html()
    assert html.index(ASKS) < html.index(LISTENS)
    assert "Essential, not found:</strong> Asks directly about suicide" in html


def test_feedback_is_honest_about_what_it_cannot_judge():
    result = analyze_answer("ps20", PS20_STRONG)
    html = result.to_html()
    assert "the checker recognized 5 of 5" in html
    assert "cannot tell whether an answer is good or safe" in html
    long_other_words = " ".join(
        [
            "When I first met Dana she was worn down by months of rejection letters.",
            "We sat in the kitchen of the drop-in center for an hour that afternoon.",
            "She told me about her brother, her dog and the job she lost in the spring.",
            "I told her a little about the year I spent sleeping on friends' couches.",
            "Over the next weeks we walked to the library and wrote letters side by side.",
            "By the summer she had an interview lined up and a plan for the bus route.",
        ]
    )
    result = analyze_answer("ps07", long_other_words)
    assert result.may_have_missed
    assert "may have missed points you made in your own words" in result.to_html()
    # the note does not call an answer long that the length check calls too short
    assert result.length_verdict == "too short"
    assert "answer is long" not in result.to_html()


# --- language notes ---------------------------------------------------------------------------


def notes(text: str) -> list[tuple[str, str]]:
    return [(n.term, n.alternative) for n in analyze_answer("ps20", text).language_notes]


def test_addict_and_committed_suicide_found_with_alternatives():
    found = analyze_answer("ps20", "He is an addict who committed suicide.").language_notes
    assert [n.term for n in found] == ["addict", "committed suicide"]
    assert "person with a substance use disorder" in found[0].alternative
    assert "died by suicide" in found[1].alternative
    assert all(n.reason for n in found)


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("She suffers from anxiety.", "suffers from"),
        ("He was non-compliant with meds.", "non-compliant"),
        ("He was Non compliant.", "Non compliant"),
        ("They had dirty urine twice.", "dirty urine"),
        ("People called me crazy.", "crazy"),
        ("Most ADDICTS want help.", "ADDICTS"),
        ("He stayed clean for a year.", "stayed clean"),
    ],
)
def test_term_found_as_written(text, term):
    assert [t for t, _ in notes(text)] == [term]


@pytest.mark.parametrize(
    "text",
    [
        "I cleaned the room.",
        "The addiction services helped.",
        "I referred him to Alcoholics Anonymous.",
        "We covered the nuts and bolts of peer work.",
    ],
)
def test_no_note_for_ordinary_words(text):
    assert notes(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "The kitchen is clean.",
        "We kept the group room clean and tidy.",
        "I brought nuts and fruit to the group.",
        "She has a nut allergy, so we skipped the mixed nuts.",
        "I rolled out a yoga mat for the grounding exercise.",
        "My mates from the ward came to visit.",
        "We sat on the mat.",
        "She was prescribed a new medicine for treatment-resistant depression.",
    ],
)
def test_no_note_for_clean_places_food_and_mats(text):
    assert notes(text) == []


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("I'm clean now.", "I'm clean"),
        ("I\u2019m clean now.", "I\u2019m clean"),
        ("He has two years clean.", "years clean"),
        ("She is clean these days.", "She is clean"),
        ("My friend went nuts.", "went nuts"),
        ("They are nuts.", "They are nuts"),
    ],
)
def test_clean_and_nuts_found_only_about_people(text, term):
    assert [t for t, _ in notes(text)] == [term]


def test_victim_of_is_its_own_entry():
    found = notes("She is a victim of abuse and suffers from PTSD.")
    assert [t for t, _ in found] == ["victim of", "suffers from"]
    assert found[0][1] != found[1][1]
    assert "survivor" in found[0][1]


def test_substance_misuse_is_not_offered_as_the_better_term():
    [(term, alternative)] = notes("We talked about substance abuse.")
    assert term == "substance abuse"
    assert "substance use" in alternative
    assert "misuse" not in alternative


@pytest.mark.parametrize(
    ("text", "term", "alternative"),
    [
        ("He is schizo.", "schizo", "mental health condition"),
        ("He has a dual diagnosis.", "dual diagnosis", "co-occurring"),
        ("He lacks insight.", "lacks insight", "sees things differently"),
        ("She decompensated last week.", "decompensated", "describe what changed"),
        ("He is resistant to change.", "resistant", "not ready yet"),
        ("He seems unmotivated.", "unmotivated", "not ready yet"),
        ("She refused her medication.", "refused", "declined"),
        ("It was just a suicide gesture.", "suicide gesture", "suicide attempt"),
        ("He was an inmate for six years.", "inmate", "person returning from incarceration"),
        ("Most offenders want a job.", "offenders", "person with a conviction"),
        ("As a felon he can't vote.", "felon", "person with a conviction"),
        ("He is on MAT.", "MAT", "medication for opioid use disorder (MOUD)"),
        (
            "She asked about medication-assisted treatment.",
            "medication-assisted treatment",
            "medications for addiction treatment",
        ),
        ("A relapse is not a failure.", "relapse", "return to use"),
    ],
)
def test_new_terms_found_with_alternatives(text, term, alternative):
    [(found, offered)] = notes(text)
    assert found == term
    assert alternative in offered


def test_each_entry_reported_once_in_order_of_appearance():
    found = notes("That's crazy. An addict, another addict, junkies. Insane.")
    assert [t for t, _ in found] == ["crazy", "addict"]


@pytest.mark.content
def test_every_language_entry_has_terms_alternative_and_reason():
    terms = feedback.load_language_terms()
    assert len(terms) >= 10
    for row in terms.itertuples():
        assert row.terms and all(t in (t.lower(), t.upper()) and t == t.strip() for t in row.terms)
        assert row.alternative.strip() and row.reason.strip()


def test_incomplete_language_entry_is_reported_with_file_and_line(tmp_path):
    path = tmp_path / "language.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            - terms: [addict]
              alternative: person with a substance use disorder
              reason: Person-first.
            - terms: [crazy]
              alternative: describe the experience
            - terms: addict
              alternative: x
              reason: y
            """
        ),
        "utf-8",
    )
    with pytest.raises(BankFormatError) as error:
        feedback.load_language_terms(path)
    assert error.value.problems == [
        f"{path}, line 4: missing `reason`; every entry needs one (as text).",
        f"{path}, line 6: `terms` must be a list of words or phrases.",
    ]


def test_duplicate_language_term_is_reported(tmp_path):
    path = tmp_path / "language.yaml"
    path.write_text(
        "- {terms: [addict], alternative: a, reason: b}\n"
        "- {terms: [Addict], alternative: c, reason: d}\n",
        "utf-8",
    )
    with pytest.raises(BankFormatError, match="line 2: term 'addict' is already listed at line 1"):
        feedback.load_language_terms(path)


# --- structure of behavioural answers ---------------------------------------------------------


def test_situation_action_result_all_found():
    assert analyze_answer("ps05", PS05_STAR).structure == Structure(True, True, True)


def test_generic_answer_lacks_structure():
    assert analyze_answer("ps05", WEAK).structure == Structure(False, False, False)
    hypothetical = "When someone struggles I would listen and we would work on coping."
    assert analyze_answer("ps05", hypothetical).structure == Structure(False, False, False)


def test_example_answer_without_outcome_lacks_result():
    example = bank.question("ps18")["example_answer"]
    assert analyze_answer("ps18", example).structure == Structure(True, True, False)


def test_non_behavioural_question_has_no_structure():
    assert analyze_answer("ps20", PS05_STAR).structure is None


# --- length and speaking time -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "seconds", "verdict"),
    [
        (0, 0.0, "too short"),
        (65, 30.0, "too short"),
        (129, 59.5, "too short"),
        (130, 60.0, "good"),
        (195, 90.0, "good"),
        (260, 120.0, "good"),
        (261, 120.5, "long"),
    ],
)
def test_speaking_time_at_130_words_a_minute(words, seconds, verdict):
    result = analyze_answer("ps20", "word " * words)
    assert result.word_count == words
    assert result.speaking_seconds == seconds
    assert result.length_verdict == verdict


def test_word_count_keeps_hyphenated_words_and_contractions_whole():
    assert analyze_answer("ps20", "I’m non-judgmental; call 9-8-8 — don't wait.").word_count == 6


# --- filler and most-used words ---------------------------------------------------------------


def test_filler_words_counted_but_not_literal_uses():
    text = "Um, I basically, you know, kind of listened. Um. What kind of help? I'll let you know."
    assert dict(analyze_answer("ps20", text).filler_words) == {
        "um": 2,
        "basically": 1,
        "you know": 1,
        "kind of": 1,
    }


def test_top_words_skip_stop_words_and_short_words():
    text = "I listen, listen and listen. Peer peer support. The the the is is an ok ok ok."
    assert analyze_answer("ps20", text).top_words == (("listen", 3), ("peer", 2), ("support", 1))


# --- summary, empty and invalid input ---------------------------------------------------------


def test_summary_line():
    assert (
        analyze_answer("ps20", PS20_WEAK).summary()
        == "0/5 points; 16 words (7 s); no language notes"
    )
    strong = analyze_answer("ps20", PS20_STRONG + " He is an addict.")
    assert strong.summary() == "5/5 points; 155 words (1 min 11 s); 1 language note"


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_empty_answer_is_valid_with_everything_missing(text):
    result = analyze_answer("ps05", text)
    assert result.covered == ()
    assert len(result.missing) == len(bank.question("ps05")["talking_points"])
    assert result.structure == Structure(False, False, False)
    assert (result.word_count, result.score, result.length_verdict) == (0, 0.0, "too short")
    assert result.note == feedback.EMPTY_NOTE
    assert feedback.EMPTY_NOTE in result.to_html()


@pytest.mark.parametrize("text", [None, b"I listened", 42, ["I listened"]])
def test_non_text_answer_is_a_type_error(text):
    with pytest.raises(TypeError, match="must be text"):
        analyze_answer("ps20", text)


def test_unknown_question_is_a_bank_error():
    with pytest.raises(UnknownIdError, match="Unknown question id 'nope'"):
        analyze_answer("nope", "I listened")


def test_feedback_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        analyze_answer("ps20", WEAK).covered = ("all",)


# --- HTML -------------------------------------------------------------------------------------


def test_html_escapes_learner_text():
    text = (
        "<script>alert(1)</script> I listened. <b onclick='x'>addict</b> "
        '<img src=x onerror="alert(2)"> um <scriptkiddie>'
    )
    html = analyze_answer("ps20", text).to_html()
    assert "<script" not in html.lower()
    assert "<img" not in html and "<b " not in html
    assert "“addict”" in html


def test_html_escapes_quotes_in_learner_and_bank_text():
    html = analyze_answer("ps18", "They'd say they'd been there. I respect it.").to_html()
    assert "they&#x27;d (2)" in html  # a most-used word, as the learner wrote it
    assert "Respects the person&#x27;s choices throughout" in html  # a bank label


def test_html_shows_points_structure_length_language_and_words():
    result = analyze_answer("ps05", PS05_STAR + " He was an addict, um.")
    html = result.to_html()
    assert f"the checker recognized {len(result.covered)} of {result.points}" in html
    assert "✓</span> <strong>Recognized:</strong> Listens and validates first" in html
    assert f"✗</span> <strong>It did not find:</strong> {result.missing[0]}" in html
    assert "<strong>Result:</strong> present" in html
    assert "56 words, about 25 s spoken at 130 words a minute (target 1 min to 2 min)" in html
    assert "Too short" in html
    assert "try “person who uses drugs" in html
    assert "Filler words: um (1)" in html
    assert "<h4>" in html and 'aria-hidden="true"' in html
