"""The content layer: where content is found, one cache, safe reading, bad files left out."""

import warnings
from pathlib import Path

import pytest

import peerlib
from peerlib import bank, cli, content, exercises, feedback
from peerlib.errors import ContentError
from peerlib.store import ProgressStore
from peerlib.validate import validate

GOOD_CSV = (
    "question_id,question,competencies,kind,talking_points\n"
    "my01,How would you welcome a new member?,engage,situational,"
    '"Warm welcome: welcome, greet | Explains the group: explain"\n'
)


def _warnings(action):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = action()
    return result, [str(w.message) for w in caught if w.category is content.ContentWarning]


@pytest.mark.content
def test_the_shipped_content_is_package_data():
    assert content.root() == content.SHIPPED and content.SHIPPED.parent.name == "peerlib"
    assert content.trainer_folders() == []  # tests marked `content` read peerlib/data only
    assert content.path("curation.yaml").is_file()
    assert content.path("exercises", "08_crisis.yaml").is_file()


def test_code_tests_read_the_fixture_content():
    fixture = Path(__file__).resolve().parent / "fixtures" / "content"
    assert content.root() == fixture and content.trainer_folders() == []
    assert content.path("curation.yaml").is_file() and content.SHIPPED != fixture
    assert content.shown(content.path("curation.yaml")) == "tests/fixtures/content/curation.yaml"


def test_trainer_folders_come_from_the_setting_and_the_checkout(tmp_path, monkeypatch):
    monkeypatch.setenv(content.QUESTIONS_ENV, str(tmp_path))
    with content.using(content.root()):  # the default trainer folders
        assert content.trainer_folders() == [tmp_path, content.CHECKOUT_QUESTIONS]
        (tmp_path / "mine.csv").write_text(GOOD_CSV, "utf-8")
        (tmp_path / "notes.txt").write_text("not questions", "utf-8")
        assert content.trainer_files() == [tmp_path / "mine.csv"]
        content.reload()
        assert "my01" in set(peerlib.load_bank()["question_id"])
    assert "my01" not in set(peerlib.load_bank()["question_id"])


def test_reload_reads_every_cached_content_again(content_dir):
    assert bank.clear_cache is content.reload  # one cache, one way to clear it
    before = feedback.analyze_answer("ps20", "I would stay with them.")
    curation = content_dir / "data" / "curation.yaml"
    curation.write_text(curation.read_text("utf-8").replace("label:", "label: Edited"), "utf-8")
    assert feedback.analyze_answer("ps20", "I would stay with them.") == before  # cached
    content.reload()
    after = feedback.analyze_answer("ps20", "I would stay with them.")
    assert all(p.startswith("Edited") for p in after.covered + after.missing)


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("win.csv", GOOD_CSV.replace("welcome a", "welcome a caf\xe9").encode("cp1252"), "UTF-8"),
        ("alias.yaml", b"- &q {question_id: my01}\n- *q\n", "aliases"),
        ("deep.yaml", b"[" * 20_000, "nested too deeply"),
        ("big.yaml", b"# " + b"x" * (content.MAX_BYTES + 1), "at most 2 MB"),
        ("tabs.yaml", b"- question_id: my01\n\tquestion: Why?\n", "spaces, not tabs"),
        ("twice.yaml", b"- question_id: my01\n  question: Why?\n  question: How?\n", "twice"),
    ],
)
def test_a_bad_trainer_file_is_left_out_once_and_named_by_validate(
    content_dir, name, data, message
):
    (content_dir / "trainer" / name).write_bytes(data)
    (content_dir / "trainer" / "good.csv").write_text(GOOD_CSV.replace("my01", "my02"), "utf-8")
    frame, warned = _warnings(peerlib.load_bank)
    assert "my02" in set(frame["question_id"]) and "ps20" in set(frame["question_id"])
    assert len(warned) == 1 and name in warned[0] and message in warned[0]
    assert _warnings(peerlib.load_bank)[1] == []  # once
    problems, summary = validate()
    assert summary == "" and any(name in p and message in p for p in problems)
    assert cli.main(["bank", "validate"]) == 1


def test_reading_refuses_aliases_size_and_depth_with_file_and_line(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("a: &x [1, 2]\nb: *x\n", "utf-8")
    with pytest.raises(ContentError, match=r"a\.yaml, line 2: .*aliases"):
        content.read_yaml(path)


def test_a_key_given_twice_is_refused_with_its_line_not_half_read(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("x:\n  patterns: [one]\n  phrases: [two]\n  patterns: [three]\n", "utf-8")
    with pytest.raises(ContentError, match=r"a\.yaml, line 4: `patterns` is given twice"):
        content.read_yaml(path)
    path.write_text("- patterns: [one]\n- patterns: [two]\n", "utf-8")
    assert content.read_yaml(path)[0] == [{"patterns": ["one"]}, {"patterns": ["two"]}]


def _export(tmp_path):
    """A learner's export with a practice answer and a crisis scenario choice."""
    with ProgressStore(f"sqlite:///{tmp_path / 'first.sqlite'}", ids=content.known_ids) as one:
        one.record_answer("ana", "ps20", "I would ask directly.")
        one.record_choice("ana", "crisis-1", 0, False)
        one.record_reflection("ana", "crisis", "r1", "A reflection.")
        return one.export_learner("ana", tmp_path / "ana.json", include_text=True)


def test_a_broken_exercise_file_leaves_the_other_modules_and_imports_working(content_dir, tmp_path):
    exported = _export(tmp_path)
    crisis = content_dir / "data" / "exercises" / "08_crisis.yaml"
    crisis.write_text(crisis.read_text("utf-8").replace("\n  ", "\n\t"), "utf-8")
    content.reload()
    modules, warned = _warnings(exercises.load_modules)
    assert "crisis" not in modules and "engage" in modules
    assert len(warned) == 1 and "08_crisis.yaml, line" in warned[0] and "tabs" in warned[0]
    with pytest.raises(ContentError, match="not available"):
        exercises.load_module("crisis")
    with ProgressStore(f"sqlite:///{tmp_path / 'second.sqlite'}", ids=content.known_ids) as two:
        added = two.import_learner(exported)  # its crisis ids cannot be checked: accepted
        assert added["choices"] == 1 and added["reflections"] == 1
        with pytest.raises(peerlib.ProgressError, match="unknown exercise id"):
            two.record_choice("ana", "engage-99", 0, False)


def test_a_broken_trainer_file_leaves_imports_working(content_dir, tmp_path):
    exported = _export(tmp_path)
    (content_dir / "trainer" / "win.csv").write_bytes(GOOD_CSV.encode("utf-16"))
    content.reload()
    with ProgressStore(f"sqlite:///{tmp_path / 'second.sqlite'}", ids=content.known_ids) as two:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", content.ContentWarning)
            assert two.import_learner(exported)["answers"] == 1


def test_the_store_checks_only_the_ids_it_is_given(tmp_path):
    with ProgressStore(f"sqlite:///{tmp_path / 's.sqlite'}") as plain:
        plain.record_choice("ana", "any-exercise", 0, True)  # no content: ids checked for form
        with pytest.raises(peerlib.ProgressError, match="too long"):
            plain.record_choice("ana", "x" * 100, 0, True)
