"""Concerns by example: the shipped model is current, reads harm in other words, stays in scope."""

from __future__ import annotations

from pathlib import Path

import pytest

from peerlib import concern_model, concerns, content, matching
from peerlib.feedback import analyze_answer

DATA = Path(__file__).parent / "data"
FIXTURE_CONTENT = Path(__file__).parent / "fixtures" / "content"
# Diagnosing, in words no pattern of concerns.yaml has
DIAGNOSES = "Within a couple of conversations I usually know whether someone is really bipolar or just depressed."


def shipped() -> dict:
    return concern_model._model(content.path(concern_model.MODEL_FILE))


@pytest.mark.content
def test_the_shipped_model_is_fitted_on_the_current_examples():
    rows = concern_model.training_rows(DATA)
    assert concern_model.fingerprint(rows) == shipped()["fingerprint"], (
        "tests/data or peerlib.matching changed since the concern model was fitted: run "
        "`python -m peerlib.concern_model` (needs scikit-learn) and commit the model."
    )
    ids = {entry.id for entry in concerns.load()}
    assert set(shipped()["classes"]) == ids | {concern_model.GOOD}


@pytest.mark.content
def test_harm_in_words_no_pattern_knows_is_read_by_example_and_shown_as_such():
    fb = analyze_answer("ps01", f"I'm comfortable with it. {DIAGNOSES} Then I tell them so.")
    (concern,) = fb.concerns
    assert (concern.id, concern.by_example, concern.matched) == ("diagnosing", True, DIAGNOSES[:-1])
    assert fb.score == 0
    shown = fb.to_html()
    assert "reads like the checker's examples of it: “Within a couple" in shown
    assert "Check this: 1 possible concern" in shown


@pytest.mark.content
def test_the_same_subject_in_good_practice_is_not_read_as_harm():
    good = (
        "I never try to work out whether someone is bipolar or depressed; if they want to "
        "understand their diagnosis, I help them write down questions for their psychiatrist."
    )
    assert analyze_answer("ps01", good).concerns == ()


@pytest.mark.content
def test_a_pattern_concern_is_shown_instead_of_a_reading_by_example():
    text = f"{DIAGNOSES} I'd tell him to stop taking his meds."
    found = analyze_answer("ps01", text).concerns
    assert found and not any(c.by_example for c in found)


@pytest.mark.content
def test_only_the_concerns_of_the_question_are_weighed():
    sentence = matching.analyse(DIAGNOSES).sentences[0]
    model = concern_model._model(content.path(concern_model.MODEL_FILE))
    probs = concern_model.probabilities(sentence, {"oversharing"}, model)
    assert set(probs) == {"oversharing", concern_model.GOOD}
    assert sum(probs.values()) == pytest.approx(1)
    assert concern_model.readings(matching.analyse(DIAGNOSES), {"oversharing"}) == []


@pytest.mark.content
def test_short_sentences_are_not_judged_by_example():
    text = matching.analyse("I know what's wrong. Bipolar, surely.")
    assert concern_model.readings(text, {"diagnosing"}) == []
    assert concern_model.readings(matching.analyse(DIAGNOSES), {"diagnosing"})


def test_content_without_a_model_finds_concerns_by_pattern_only():
    with content.using(FIXTURE_CONTENT):
        assert not content.path(concern_model.MODEL_FILE).exists()
        assert concern_model.readings(matching.analyse(DIAGNOSES), {"diagnosing"}) == []
        assert concerns.find_concerns(matching.analyse(DIAGNOSES), ("crisis",)) == ()
        # with nothing to read a pattern's match as good practice, the match stands, and with
        # nothing to doubt an exception, the exception stands
        sentence = matching.analyse(DIAGNOSES).sentences[0]
        assert not concern_model.reads_as_good(sentence, set())
        assert not concern_model.reads_as_concern(sentence, {"diagnosing"})


@pytest.mark.content
def test_a_sentence_reads_as_a_concern_or_as_good_practice():
    sentence = matching.analyse(DIAGNOSES).sentences[0]
    assert concern_model.reads_as_concern(sentence, {"diagnosing"})
    assert not concern_model.reads_as_good(sentence, {"diagnosing"})
    good = matching.analyse("I listen and ask what they want to do next, then I follow their lead.")
    assert not concern_model.reads_as_concern(good.sentences[0], {"diagnosing"})


@pytest.mark.content
def test_a_pattern_match_says_whether_the_model_reads_its_sentence_as_good_practice():
    def read(text):
        [concern] = analyze_answer("wb84", text).concerns
        return concern.id, concern.read_as_good

    side_room = "I asked him to step into the side room with me, where the door stays open."
    assert read(side_room) == ("dual-relationship", True)
    assert read("Sometimes I'd lend him twenty dollars for groceries.") == (
        "dual-relationship",
        False,
    )


def test_a_fitted_model_reads_its_examples_back():
    flag = [
        "I tell people which pills to stop taking.",
        "I advise everyone to quit their medication and use vitamins.",
    ] * 3
    good = [
        "I encourage people to talk about their medication with their prescriber.",
        "I listen and ask what they want to do next, then I follow their lead.",
    ] * 3
    rows = [
        (label, concern_model.features(s), "")
        for label, texts in (("medication-advice", flag), (concern_model.GOOD, good))
        for t in texts
        for s in matching.analyse(t).sentences
    ]
    model = concern_model.fit(rows)
    assert model["classes"] == sorted(["medication-advice", concern_model.GOOD])
    assert model["fingerprint"] == concern_model.fingerprint(rows)
    allowed, model = {"medication-advice"}, concern_model.for_reading(model)
    (reading,) = concern_model.readings(matching.analyse(flag[0]), allowed, model)
    assert reading.concern_id == "medication-advice"
    assert concern_model.readings(matching.analyse(good[0]), allowed, model) == []


@pytest.mark.content
def test_a_concern_the_answers_limits_let_pass_is_read_against_its_own_examples():
    # the answer names a limit (abuse), so the secrecy concern passes only because the sentence
    # names a risk to life; the model still weighs the sentence against that concern's examples
    text = (
        "I tell people at the start that if I learn a child is being abused, I have to report it. "
        "And if you ever have thoughts of suicide, you can tell me and it stays just between us, "
        "because nobody opens up if they think you'll call someone on them."
    )
    concerns_found = {c.id: c for c in analyze_answer("wb87", text).concerns}
    assert not concerns_found["secrecy-about-risk"].read_as_good
