"""The question bank and the competency framework: content, validation and trainer files."""

import pytest

import peerlib
from peerlib import BankFormatError, bank
from peerlib.importers import read_article
from peerlib.paths import SOURCES_DIR

SAMHSA_TITLES = [
    "Engages peers in collaborative and caring relationships",
    "Provides support",
    "Shares lived experiences of recovery",
    "Personalizes peer support",
    "Supports recovery planning",
    "Links to resources, services, and supports",
    "Provides information about skills related to health, wellness, and recovery",
    "Helps peers to manage crises",
    "Values communication",
    "Supports collaboration and teamwork",
    "Promotes leadership and advocacy",
    "Promotes growth and development",
]


@pytest.fixture(scope="module")
def frame():
    return peerlib.load_bank()


def test_bank_has_all_34_questions_with_stable_ids(frame):
    assert len(frame) == 34
    expected = [f"ps{i:02d}" for i in range(1, 26)] + [f"cps{i:02d}" for i in range(1, 10)]
    assert list(frame["question_id"]) == expected
    assert set(bank.BANK_COLUMNS) <= set(frame.columns)


def test_question_texts_are_the_articles_own(frame):
    articles = [
        read_article(SOURCES_DIR / name)
        for name in ("peer_support_25.txt", "certified_peer_specialist_100.txt")
    ]
    texts = [" ".join(q.split()) for a in articles for q in a["question"]]
    assert list(frame["question"]) == texts
    ps20 = frame.set_index("question_id").loc["ps20"]
    assert ps20["question"] == (
        "How would you respond if someone in your group expressed suicidal thoughts?"
    )
    assert ps20["source"] == "25 Peer Support Interview Questions and Answers"


def test_every_question_is_curated(frame):
    assert (frame["competencies"].map(len) >= 1).all()
    assert frame["kind"].isin(bank.KINDS).all()
    assert frame["talking_points"].map(len).between(2, 6).all()
    for points in frame["talking_points"]:
        for point in points:
            assert point.label and point.cues
    assert (frame["example_answer"] != "").all()
    assert frame.set_index("question_id").loc["ps05", "kind"] == "behavioural"
    assert "crisis" in frame.set_index("question_id").loc["ps20", "competencies"]


def test_competencies_are_samhsas_twelve_in_order():
    comps = peerlib.load_competencies()
    assert list(comps["number"]) == list(range(1, 13))
    assert list(comps["title"]) == SAMHSA_TITLES
    assert comps["competency_id"].is_unique
    assert comps["objectives"].map(len).between(3, 5).all()
    assert (comps["summary"].str.len() > 80).all()
    assert bank.competency_ids()[7] == "crisis"


def test_every_competency_has_at_least_two_questions(frame):
    counts = frame["competencies"].explode().value_counts()
    for cid in bank.competency_ids():
        assert counts.get(cid, 0) >= 2, cid


def test_unknown_ids_are_clear_errors():
    with pytest.raises(BankFormatError, match="Unknown competency id 'crises'.*crisis"):
        bank.competency("crises")
    with pytest.raises(BankFormatError, match="Unknown question id 'ps99'"):
        bank.question("ps99")


def test_questions_for_a_competency():
    ids = set(bank.questions_for("crisis")["question_id"])
    assert {"ps20", "cps05"} <= ids


# --- trainer questions -----------------------------------------------------------------------

GOOD_YAML = """\
- question_id: my01
  question: How would you welcome a new member to a peer group?
  why_asked: Shows how you engage people.
  example_answer: I would greet them by name and explain how the group works.
  source: Our course
  competencies: [engage]
  kind: situational
  talking_points:
    - label: Warm welcome
      cues: [welcome, greet]
    - label: Explains the group
      cues: [explain, how the group works]
"""


def test_extra_yaml_file_is_added(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(GOOD_YAML, "utf-8")
    frame = peerlib.load_bank(extra=path)
    assert len(frame) == 35
    row = frame.set_index("question_id").loc["my01"]
    assert row["competencies"] == ("engage",)
    assert row["talking_points"][1] == bank.TalkingPoint(
        "Explains the group", ("explain", "how the group works")
    )


def test_extra_csv_file_is_added(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(
        "question_id,question,why_asked,example_answer,source,competencies,kind,talking_points\n"
        'my02,What is WRAP?,,,,recovery_planning;wellness,knowledge,"Names WRAP: wrap, '
        'wellness recovery action plan | Personal plan: personal, own plan"\n',
        "utf-8",
    )
    row = peerlib.load_bank(extra=path).set_index("question_id").loc["my02"]
    assert row["competencies"] == ("recovery_planning", "wellness")
    assert row["example_answer"] == ""


def test_follow_ups_are_optional_and_read_from_yaml_and_csv(tmp_path):
    yaml_path = tmp_path / "mine.yaml"
    yaml_path.write_text(
        GOOD_YAML + '  follow_ups: ["What would you say first?", "How would you follow up?"]\n',
        "utf-8",
    )
    csv_path = tmp_path / "more.csv"
    csv_path.write_text(
        "question_id,question,follow_ups,competencies,kind,talking_points\n"
        'my02,What is WRAP?,Who writes it? | When is it updated?,wellness,knowledge,"'
        'Names WRAP: wrap | Personal plan: personal"\n',
        "utf-8",
    )
    assert bank.read_trainer_questions(yaml_path)["follow_ups"][0] == (
        "What would you say first?",
        "How would you follow up?",
    )
    assert bank.read_trainer_questions(csv_path)["follow_ups"][0] == (
        "Who writes it?",
        "When is it updated?",
    )
    builtin = peerlib.load_bank()
    assert (builtin["follow_ups"] == ()).all()


def test_follow_ups_must_be_text(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(GOOD_YAML + "  follow_ups: {first: 1}\n", "utf-8")
    with pytest.raises(BankFormatError, match=r"mine.yaml, line 1: `follow_ups` must be a list"):
        bank.read_trainer_questions(path)


@pytest.mark.parametrize(
    "change, message",
    [
        (
            ("[engage]", "[engage, healing]"),
            r"mine.yaml, line 1: unknown competency id\(s\) 'healing'",
        ),
        (("question_id: my01", "question_id: ps20"), r"duplicate question_id 'ps20'"),
        (
            ("question: How would you welcome a new member to a peer group?", "question: ''"),
            r"line 1: `question` is empty",
        ),
        (("cues: [welcome, greet]", "cues: []"), r"talking point 'Warm welcome' has no cues"),
        (("kind: situational", "kind: trivia"), r"kind 'trivia' is not one of"),
    ],
)
def test_bad_trainer_file_names_file_row_and_fix(tmp_path, change, message):
    path = tmp_path / "mine.yaml"
    path.write_text(GOOD_YAML.replace(*change), "utf-8")
    with pytest.raises(BankFormatError, match=message) as info:
        peerlib.load_bank(extra=path)
    assert info.value.problems


def test_binary_trainer_file_is_refused(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(BankFormatError, match="binary"):
        peerlib.load_bank(extra=path)


def test_trainer_folder_is_picked_up(tmp_path, monkeypatch):
    folder = tmp_path / "trainer_questions"
    folder.mkdir()
    (folder / "course.yaml").write_text(GOOD_YAML, "utf-8")
    (folder / "README.md").write_text("not a question file", "utf-8")
    monkeypatch.setattr(bank.paths, "TRAINER_QUESTIONS_DIR", folder)
    assert "my01" in set(peerlib.load_bank()["question_id"])
