"""`peerlib bank validate`: one summary line when all is well, every problem with its place."""

import pytest

from peerlib import content
from peerlib.validate import validate


def test_the_fixture_content_is_valid_with_a_summary():
    assert validate() == (
        [],
        "Valid: 21 questions (9 from the source articles, 12 from the workbook, 0 from trainer "
        "files), 12 competencies, 4 IC&RC domains, 4 exercise modules (12 scenarios), "
        "4 concerns, 0 trainer file(s).",
    )


@pytest.mark.content
def test_the_shipped_content_is_valid_with_a_summary():
    problems, summary = validate()
    assert problems == []
    assert summary.startswith("Valid: ") and "concerns" in summary and "IC&RC domains" in summary


def test_a_missing_file_is_one_clear_problem(tmp_path):
    problems, summary = validate(tmp_path / "nope.yaml")
    assert problems == [f"{tmp_path / 'nope.yaml'}: no such file."] and summary == ""


def test_an_exercise_file_is_checked_on_its_own(tmp_path):
    source = content.path("exercises", "08_crisis.yaml")
    problems, summary = validate(source)
    assert problems == [] and "scenarios" in summary and "reflections" in summary
    broken = tmp_path / "08_crisis.yaml"
    broken.write_text(source.read_text("utf-8").replace("best: true", "best: maybe"), "utf-8")
    problems, summary = validate(broken)
    assert problems and summary == ""
    assert all("08_crisis.yaml" in problem for problem in problems)


def _validate_welcome_question(tmp_path, first_point: str) -> list[str]:
    """The problems ``validate`` names in a trainer file whose first talking point is
    ``first_point`` (YAML lines of its own, after the label)."""
    path = tmp_path / "mine.yaml"
    path.write_text(
        """\
- question_id: my01
  question: How would you welcome a new member?
  competencies: [engage]
  kind: situational
  talking_points:
    - label: Warm welcome
"""
        + first_point
        + """\
    - label: Explains the group
      cues: [explain]
""",
        "utf-8",
    )
    return validate(path)[0]


def test_a_trainer_file_with_a_bad_talking_point_pattern_names_its_line(tmp_path):
    problems = _validate_welcome_question(
        tmp_path, '      cues: [welcome]\n      patterns: ["the + my"]\n'
    )
    assert any("line 1" in p and "every group needs words" in p for p in problems), problems


def test_a_paraphrase_across_a_comma_is_named_but_a_cue_may_have_one(tmp_path):
    problems = _validate_welcome_question(
        tmp_path,
        '      cues: ["welcome, by name"]\n      paraphrases: ["in their words, not mine"]\n',
    )
    assert [p for p in problems if "across a comma" in p] == [
        next(p for p in problems if "'in their words, not mine'" in p)
    ], problems


def test_a_pattern_listing_one_reading_twice_is_named_with_its_line(tmp_path):
    problems = _validate_welcome_question(
        tmp_path, '      cues: [welcome]\n      patterns: ["greet|greeted + by name"]\n'
    )
    assert any(
        "line 1" in p and "'greeted' (as 'greet') read as the same words" in p for p in problems
    ), problems


def test_a_problem_in_the_curation_is_listed_once(content_dir):
    curation = content_dir / "data" / "curation.yaml"
    text = curation.read_text("utf-8")
    curation.write_text(text.replace("    - gave them hope\n", "    - gave them hope\n" * 2, 1))
    problems, summary = validate()
    assert summary == ""
    assert problems == [
        f"{curation}, line 25 (ps05): talking point 'Shares own experience to offer hope' "
        "lists 'gave them hope' twice in its cues; remove one."
    ]
