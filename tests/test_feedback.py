"""Feedback on practice answers: talking points, structure, length, language, words, HTML."""

import dataclasses
import textwrap

import pytest

from peerlib import bank, feedback
from peerlib.errors import BankFormatError
from peerlib.feedback import Structure, analyze_answer, stem

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
PS20_POINTS = (
    "Safety comes first",
    "Connects to crisis help such as 988",
    "Listens without judgement",
    "Follows up afterwards",
)

PS05_STAR = (
    "Last year I was working with a man who had just lost his job and was struggling with "
    "depression. I listened to him without judgement, and we worked out a few coping "
    "strategies together. In the end he joined a peer group and was able to start looking "
    "for work again."
)


def covered(question_id: str, text: str) -> tuple[str, ...]:
    return analyze_answer(question_id, text).covered


# --- talking points on the bank's own example answers -----------------------------------------


@pytest.mark.parametrize("question_id", ALL_IDS)
def test_example_answer_covers_at_least_two_thirds_of_its_points(question_id):
    row = bank.question(question_id)
    result = analyze_answer(question_id, row["example_answer"])
    assert 3 * len(result.covered) >= 2 * len(row["talking_points"]), result.missing


@pytest.mark.parametrize("question_id", ALL_IDS)
def test_example_answer_beats_a_weak_answer(question_id):
    strong = analyze_answer(question_id, bank.question(question_id)["example_answer"])
    weak = analyze_answer(question_id, WEAK)
    assert len(strong.covered) > len(weak.covered)
    assert weak.covered == ()


def test_covered_and_missing_partition_the_points_in_bank_order():
    labels = tuple(p.label for p in bank.question("ps18")["talking_points"])
    result = analyze_answer("ps18", bank.question("ps18")["example_answer"])
    assert result.missing == ("Puts safety first where there is risk",)
    assert result.covered == tuple(label for label in labels if label not in result.missing)
    assert result.score == pytest.approx(4 / 5)


# --- the check: suicidal thoughts disclosed in a group --------------------------------


def test_strong_ps20_answer_gets_every_point_ticked():
    result = analyze_answer("ps20", PS20_STRONG)
    assert result.covered == PS20_POINTS
    assert result.missing == ()
    assert dict(result.evidence)["Connects to crisis help such as 988"] == "988"


def test_weak_ps20_answer_gets_the_points_suggested():
    result = analyze_answer("ps20", PS20_WEAK)
    assert result.covered == ()
    assert result.missing == PS20_POINTS
    html = result.to_html()
    for label in PS20_POINTS:
        assert f"<strong>Consider:</strong> {label}" in html


# --- stemming, phrases, hyphens, apostrophes, numbers -----------------------------------------


@pytest.mark.parametrize(
    ("word", "base"),
    [
        ("listened", "listen"),
        ("listening", "listen"),
        ("listens", "listen"),
        ("validating", "validate"),
        ("validated", "validate"),
        ("judgement", "judgment"),
        ("judged", "judge"),
        ("strategies", "strategy"),
        ("followed", "follow"),
        ("stopped", "stop"),
        ("empowerment", "empower"),
        ("communication", "communicate"),
    ],
)
def test_stem_joins_word_forms(word, base):
    assert stem(word) == stem(base)


@pytest.mark.parametrize(("word", "other"), [("safe", "safety"), ("well", "wellness")])
def test_stem_keeps_different_words_apart(word, other):
    assert stem(word) != stem(other)


@pytest.mark.parametrize(
    "text", ["I listened closely.", "I keep listening.", "She said I really listen."]
)
def test_inflected_cue_counts(text):
    assert "Listens without judgement" in covered("ps20", text)


@pytest.mark.parametrize(
    "text",
    [
        "I followed up the next day.",
        "I am following up with her.",
        "A follow-up call helps.",
        "I checked in on him.",
    ],
)
def test_phrase_cue_matches_consecutive_inflected_words(text):
    assert "Follows up afterwards" in covered("ps20", text)


def test_phrase_cue_needs_the_words_together():
    assert "Follows up afterwards" not in covered(
        "ps20", "I follow their lead and look up numbers."
    )


@pytest.mark.parametrize(
    "text",
    [
        "I talk without judgment.",
        "I talk without judgement.",
        "I stay nonjudgmental.",
        "I stay non-judgmental.",
        "I stay non-judgemental.",
        "I stay non judgmental.",
    ],
)
def test_judgement_spellings_and_hyphens_match(text):
    assert "Creates open, non-judgemental conversations" in covered("ps22", text)


def test_judgmental_alone_is_not_non_judgmental():
    assert "Creates open, non-judgemental conversations" not in covered("ps22", "I was judgmental.")


@pytest.mark.parametrize("text", ["I’d ask what’s going on.", "I'd ask what's going on."])
def test_curly_and_straight_apostrophes_match(text):
    assert covered("ps07", text) == ("Explores the reason before judging",)


@pytest.mark.parametrize("text", ["Call 988 with them.", "Call 9-8-8 with them."])
def test_crisis_line_number_matches(text):
    assert covered("ps20", text) == ("Connects to crisis help such as 988",)


def test_other_numbers_do_not_match_988():
    assert covered("ps20", "I have 98 or 8 ideas.") == ()


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


def test_each_entry_reported_once_in_order_of_appearance():
    found = notes("That's crazy. An addict, another addict, junkies. Insane.")
    assert [t for t, _ in found] == ["crazy", "addict"]


def test_every_language_entry_has_terms_alternative_and_reason():
    terms = feedback.load_language_terms()
    assert len(terms) >= 10
    for row in terms.itertuples():
        assert row.terms and all(t == t.lower().strip() for t in row.terms)
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
        == "0/4 points; 16 words (7 s); no language notes"
    )
    strong = analyze_answer("ps20", PS20_STRONG + " He is an addict.")
    assert strong.summary() == "4/4 points; 155 words (1 min 11 s); 1 language note"


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_empty_answer_is_valid_with_everything_missing(text):
    result = analyze_answer("ps05", text)
    assert result.covered == ()
    assert len(result.missing) == 5
    assert result.structure == Structure(False, False, False)
    assert (result.word_count, result.score, result.length_verdict) == (0, 0.0, "too short")
    assert result.note == feedback.EMPTY_NOTE
    assert feedback.EMPTY_NOTE in result.to_html()


@pytest.mark.parametrize("text", [None, b"I listened", 42, ["I listened"]])
def test_non_text_answer_is_a_type_error(text):
    with pytest.raises(TypeError, match="must be text"):
        analyze_answer("ps20", text)


def test_unknown_question_is_a_bank_error():
    with pytest.raises(BankFormatError, match="Unknown question id 'nope'"):
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
    html = analyze_answer("ps09", "They'd say they'd been there. I respect it.").to_html()
    assert "they&#x27;d (2)" in html  # a most-used word, as the learner wrote it
    assert "Honours the person&#x27;s strength" in html  # a bank label


def test_html_shows_points_structure_length_language_and_words():
    html = analyze_answer("ps05", PS05_STAR + " He was an addict, um.").to_html()
    assert "Talking points: 3 of 5 covered" in html
    assert "✓</span> <strong>Covered:</strong> Listens and validates first" in html
    assert "✗</span> <strong>Consider:</strong> Links to professional help if needed" in html
    assert "<strong>Result:</strong> present" in html
    assert "56 words, about 25 s spoken at 130 words a minute (target 1 min to 2 min)" in html
    assert "Too short" in html
    assert "try “person who uses drugs" in html
    assert "Filler words: um (1)" in html
    assert "<h4>" in html and 'aria-hidden="true"' in html
