"""The workbook's modules (``peerlib.curriculum``): SAMHSA's twelve categories and the
workbook's own, in the learner's order, with their files and practice questions."""

import pytest

import peerlib
from peerlib import bank, content, curriculum, exercises
from peerlib.errors import UnknownIdError


def test_competencies_stay_samhsas_twelve_beside_the_workbook_modules():
    assert len(peerlib.load_competencies()) == 12
    assert "foundations" not in bank.competency_ids() and "ethics" not in bank.competency_ids()
    with pytest.raises(UnknownIdError, match="Unknown competency id 'ethics'"):
        bank.competency("ethics")
    modules = curriculum.load_modules()
    assert list(modules["competency_id"]) == ["foundations", *bank.competency_ids(), "ethics"]
    assert list(modules["position"]) == list(range(1, 15))
    own = modules.set_index("competency_id").loc[["foundations", "ethics"]]
    assert (own["framework"] == "workbook").all() and own["number"].isna().all()
    assert list(own["tag"]) == ["F", "E"] and list(own["stem"]) == ["00a_foundations", "12a_ethics"]
    samhsa = modules[modules["framework"] == "SAMHSA"]
    # SAMHSA's titles, exactly (test_bank checks them word for word)
    assert list(samhsa["title"]) == list(peerlib.load_competencies()["title"])
    assert list(samhsa["label"]) == [f"Module {n}" for n in range(1, 13)]
    assert own["objectives"].map(len).between(3, 6).all()
    with pytest.raises(UnknownIdError, match="Unknown module id 'ethic'"):
        curriculum.module("ethic")


def test_workbook_module_exercises_practise_their_questions():
    assert exercises.load_module("foundations").practice_questions == (
        "wb80",
        "wb81",
        "wb82",
        "wb83",
    )
    assert exercises.load_module("ethics").practice_questions == ("wb84", "wb85", "wb86", "wb87")
    assert [s.exercise_id for s in exercises.load_module("ethics").scenarios] == [
        "ethics-1",
        "ethics-2",
        "ethics-3",
    ]


@pytest.mark.content
def test_the_shipped_workbook_modules_practise_workbook_questions():
    for cid in curriculum.workbook_module_ids():
        questions = exercises.load_module(cid).practice_questions
        assert len(questions) >= exercises.min_practice_questions(cid), cid
        assert all(bank.question(q)["source"] == bank.WORKBOOK_SOURCE for q in questions), cid
    assert len(exercises.load_module("ethics").scenarios) >= 4


def test_a_workbook_module_file_must_be_named_by_its_stem(tmp_path):
    source = content.path("exercises", "12a_ethics.yaml")
    wrong = tmp_path / "13_ethics.yaml"
    wrong.write_text(source.read_text("utf-8"), "utf-8")
    _, problems = exercises.parse_module_file(wrong)
    assert any("name the file '12a_ethics.yaml'" in p for p in problems)


@pytest.mark.content
def test_every_module_lists_enough_practice_questions_that_belong_to_it():
    seen: dict[str, list[str]] = {}
    for cid, module in exercises.load_modules().items():
        assert len(module.practice_questions) >= exercises.min_practice_questions(cid), cid
        assert len(set(module.practice_questions)) == len(module.practice_questions), cid
        own_module = cid in curriculum.workbook_module_ids()  # its questions are the workbook's
        for qid in module.practice_questions:
            question = bank.question(qid)
            if own_module:
                assert question["source"] == bank.WORKBOOK_SOURCE, (cid, qid)
            else:
                assert cid in question["competencies"], (cid, qid)
            seen.setdefault(qid, []).append(cid)
    assert exercises.min_practice_questions("crisis") == 6
    for qid, modules in seen.items():  # in one list only
        assert len(modules) == 1, (qid, modules)
