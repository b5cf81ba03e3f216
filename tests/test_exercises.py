"""Exercise files: one per module, scenarios with exactly one best choice, clear errors."""

import pytest

from peerlib import content, curriculum, exercises
from peerlib.errors import UnknownIdError


@pytest.mark.content
def test_every_module_has_an_exercise_file_with_scenarios_and_two_reflections():
    modules = exercises.load_modules()
    assert set(modules) == set(curriculum.module_ids())
    for cid, module in modules.items():
        assert len(module.scenarios) >= 3 and len(module.reflections) == 2, cid
        for item in module.scenarios:
            assert item.exercise_id.rsplit("-", 1)[0] == cid
            assert sum(choice.best for choice in item.choices) == 1, item.exercise_id
            assert all(choice.feedback.strip() for choice in item.choices), item.exercise_id


def test_lookups_by_id_and_clear_errors():
    assert exercises.scenario("crisis-1").exercise_id == "crisis-1"
    assert "crisis-1" in exercises.exercise_ids()
    assert exercises.prompt_ids("crisis") == {"r1", "r2"}
    with pytest.raises(UnknownIdError, match="Unknown exercise id 'crisis-99'"):
        exercises.scenario("crisis-99")
    with pytest.raises(UnknownIdError, match="Unknown"):
        exercises.load_module("nope")


def test_crisis_needs_more_practice_questions_than_other_modules():
    assert exercises.min_practice_questions("crisis") == 6
    assert exercises.min_practice_questions("engage") == 4


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("best: true", "best: maybe"), "`best` must be true or false"),
        (("competency_id: crisis", "competency_id: growth"), "12_growth.yaml"),
    ],
)
def test_a_broken_file_is_reported_with_its_line(tmp_path, change, message):
    source = content.path("exercises", "08_crisis.yaml")
    broken = tmp_path / "08_crisis.yaml"
    broken.write_text(source.read_text("utf-8").replace(*change, 1), "utf-8")
    _, problems = exercises.parse_module_file(broken)
    assert any(message in problem and "line" in problem for problem in problems), problems
