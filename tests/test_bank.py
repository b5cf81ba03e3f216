"""The question bank and the competency framework: content, validation and trainer files.

Tests marked `content` check the shipped content (peerlib/data); the others run on the fixture
content in tests/fixtures/content/ (see tests/conftest.py).
"""

import re
from pathlib import Path

import pytest
import yaml

import peerlib
from peerlib import BankFormatError, bank, content, curriculum, exercises, feedback, matching
from peerlib.errors import UnknownIdError
from peerlib.importers import read_article

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


# The fixture content's seed questions: its cut-down copies of the two articles
FIXTURE_SEED_IDS = ["ps04", "ps05", "ps07", "ps08", "ps11", "ps18", "ps20", "cps01", "cps05"]
SAMPLE_WORKBOOK = Path(__file__).parent / "data" / "workbook_questions_sample.yaml"


@pytest.fixture
def frame():
    return peerlib.load_bank()


def article_ids() -> list[str]:
    """The seed questions' ids as the source files give them: each article of
    ``sources/sources.yaml``, in order, its prefix and each question's number."""
    sources = yaml.safe_load(content.path("sources", "sources.yaml").read_text("utf-8"))
    return [
        f"{source['prefix']}{number:02d}"
        for source in sources
        for number in read_article(content.path("sources", source["file"]))["number"]
    ]


@pytest.fixture
def sample_workbook(content_dir):
    """The bank with the tests' two-question stand-in for the workbook's own questions."""
    (content_dir / "data" / "workbook_questions.yaml").write_bytes(SAMPLE_WORKBOOK.read_bytes())
    content.reload()
    yield SAMPLE_WORKBOOK


def _workbook_entries() -> list[dict]:
    path = bank.workbook_questions_file()
    return (yaml.safe_load(path.read_text("utf-8")) or []) if path.exists() else []


def test_bank_is_the_articles_questions_then_the_workbooks_own(frame):
    assert list(frame["question_id"]) == FIXTURE_SEED_IDS + [
        *(f"wb{n}" for n in (29, 30, 31, 32)),
        *(f"wb{n}" for n in range(80, 88)),
    ]
    assert article_ids() == FIXTURE_SEED_IDS  # the numbers the articles give, not 1, 2, 3 …
    assert set(bank.BANK_COLUMNS) <= set(frame.columns)


@pytest.mark.content
def test_shipped_bank_is_each_articles_questions_then_the_workbooks_own(frame):
    seeds = article_ids()
    workbook = [entry["question_id"] for entry in _workbook_entries()]
    assert seeds and workbook  # both built-in sources have questions
    assert list(frame["question_id"]) == seeds + workbook
    sources = yaml.safe_load(content.path("sources", "sources.yaml").read_text("utf-8"))
    for source in sources:  # each article contributes its questions exactly, under its title
        found = frame.loc[frame["source"] == source["title"], "question_id"]
        assert list(found) == [q for q in seeds if re.fullmatch(rf"{source['prefix']}\d+", q)]


def test_question_texts_are_the_articles_own(frame):
    articles = [
        read_article(content.path("sources") / name)
        for name in ("peer_support_25.txt", "certified_peer_specialist_100.txt")
    ]
    texts = [" ".join(q.split()) for a in articles for q in a["question"]]
    assert list(frame["question"][: len(texts)]) == texts
    ps20 = frame.set_index("question_id").loc["ps20"]
    assert ps20["question"] == (
        "How would you respond if someone in your group expressed suicidal thoughts?"
    )
    assert ps20["source"] == "25 Peer Support Interview Questions and Answers"


@pytest.mark.content
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


@pytest.mark.content
def test_competencies_are_samhsas_twelve_in_order():
    comps = peerlib.load_competencies()
    assert list(comps["number"]) == list(range(1, 13))
    assert list(comps["title"]) == SAMHSA_TITLES
    assert comps["competency_id"].is_unique
    assert comps["objectives"].map(len).between(3, 5).all()
    assert (comps["summary"].str.len() > 80).all()
    assert bank.competency_ids()[7] == "crisis"


@pytest.mark.content
def test_every_competency_has_at_least_two_questions(frame):
    counts = frame["competencies"].explode().value_counts()
    for cid in bank.competency_ids():
        assert counts.get(cid, 0) >= 2, cid


def test_unknown_ids_are_clear_errors():
    with pytest.raises(UnknownIdError, match="Unknown competency id 'crises'.*crisis"):
        bank.competency("crises")
    with pytest.raises(UnknownIdError, match="Unknown question id 'ps99'"):
        bank.question("ps99")


def test_questions_for_a_competency():
    ids = list(bank.questions_for("crisis")["question_id"])
    assert ids == ["ps20", "cps05", "wb29", "wb30", "wb31", "wb32", "wb87"]  # in bank order


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
    assert len(frame) == len(peerlib.load_bank()) + 1
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
    seeds = builtin["source"].isin(bank.article_sources())
    assert seeds.sum() == len(FIXTURE_SEED_IDS) and (builtin.loc[seeds, "follow_ups"] == ()).all()


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
    with content.using(content.root(), folders=[folder]):
        assert list(peerlib.load_bank()["question_id"])[-1] == "my01"


# --- the workbook modules' practice questions (wb80-wb87) ------------------------------------


def workbook_module_questions() -> list[str]:
    """The practice questions of the workbook's own modules (foundations, ethics)."""
    return [
        qid
        for cid in curriculum.workbook_module_ids()
        for qid in exercises.load_module(cid).practice_questions
    ]


@pytest.mark.content
def test_workbook_module_questions_are_in_the_bank(frame):
    ids = workbook_module_questions()
    assert ids and set(ids) <= set(frame["question_id"])
    rows = frame.set_index("question_id").loc[ids]
    assert (rows["source"] == "Peer Support Trainer Workbook").all()
    assert rows["talking_points"].map(len).between(2, 6).all()
    assert (rows["example_answer"] != "").all() and (rows["why_asked"] != "").all()
    for points in rows["talking_points"]:
        for point in points:
            assert 6 <= len(point.paraphrases) <= 15 and 1 <= len(point.patterns) <= 3, point
    known = set(bank.competency_ids())
    assert rows["competencies"].map(lambda tags: set(tags) <= known).all()


@pytest.mark.content
@pytest.mark.parametrize("qid", workbook_module_questions())  # read at collection: peerlib/data
def test_workbook_module_example_answers_meet_every_point_without_concerns(qid):
    from peerlib.feedback import analyze_answer

    found = analyze_answer(qid, bank.question(qid)["example_answer"])
    assert found.score == 1.0 and not found.concerns, (found.missing, found.concerns)


# --- the workbook's own questions ------------------------------------------------------------


def test_workbook_questions_are_a_third_source(sample_workbook):
    frame = peerlib.load_bank()
    assert list(frame["question_id"]) == FIXTURE_SEED_IDS + ["wb01", "wb02"]
    wb = frame.set_index("question_id").loc[["wb01", "wb02"]]
    assert (wb["source"] == bank.WORKBOOK_SOURCE).all()  # given, or the default
    assert wb.loc["wb01", "icrc_domains"] == ("wellness",)  # a title is stored as its id
    assert wb.loc["wb02", "icrc_domains"] == ("ethics", "wellness")
    assert (wb["why_asked_source"] == "").all()
    assert wb.loc["wb02", "talking_points"][0].required


@pytest.mark.parametrize(
    "change, message",
    [
        (
            ("question_id: wb02", "question_id: my02"),
            r"line 23: question_id 'my02': the workbook's",
        ),
        (("icrc_domains: [ethics, wellness]", "icrc_domains: [ethic]"), r"line 23.*'ethic'"),
        (("icrc_domains: [ethics, wellness]", "icrc_domains: []"), r"line 23.*no `icrc_domains`"),
        (("  why_asked: >-\n    Every", "  notes: >-\n    Every"), r"line 23.*no `why_asked`"),
        (("question_id: wb02", "question_id: wb01"), r"duplicate question_id 'wb01'"),
    ],
)
def test_a_bad_workbook_file_names_file_line_and_fix(content_dir, change, message):
    path = content_dir / "data" / "workbook_questions.yaml"
    text = SAMPLE_WORKBOOK.read_text("utf-8")
    assert change[0] in text
    path.write_text(text.replace(*change), "utf-8")
    content.reload()
    with pytest.raises(BankFormatError, match=message) as info:
        peerlib.load_bank()
    assert all("workbook_questions.yaml" in p for p in info.value.problems)


@pytest.mark.content
def test_the_shipped_workbook_questions_are_complete(frame):
    """Each of the workbook's own questions: its id, source, a why, a model answer, IC&RC."""
    wb = frame[frame["question_id"].str.startswith(bank.WORKBOOK_PREFIX)]
    if wb.empty:
        pytest.skip("peerlib/data/workbook_questions.yaml is not there yet")
    assert (wb["source"] == bank.WORKBOOK_SOURCE).all()
    assert wb["question_id"].str.fullmatch(r"wb\d\d+").all()
    assert (wb["why_asked"].str.strip() != "").all()
    assert (wb["example_answer"].str.len() > 100).all()
    assert (wb["icrc_domains"].map(len) >= 1).all()
    assert set(wb["kind"]) == set(bank.KINDS), "the kinds are mixed"


# --- the IC&RC domains, and the seed questions' new curation -------------------------------


@pytest.mark.content
def test_icrc_domains():
    domains = peerlib.load_icrc_domains()
    assert list(domains["domain_id"]) == ["advocacy", "mentoring", "wellness", "ethics"]
    assert list(domains["title"]) == [
        "Advocacy",
        "Mentoring and Education",
        "Recovery and Wellness Support",
        "Ethical Responsibility",
    ]
    assert (domains["summary"].str.len() > 60).all()


@pytest.mark.content
def test_every_question_has_icrc_domains_and_a_learner_facing_why(frame):
    known = set(bank.icrc_domain_ids())
    assert frame["icrc_domains"].map(lambda d: bool(d) and set(d) <= known).all()
    assert (frame["why_asked"].str.strip() != "").all()
    for text in frame["why_asked"]:
        assert "the candidate" not in text.lower(), text
        assert "interviewers use" not in text.lower(), text


@pytest.mark.content
def test_seed_questions_keep_their_articles_why_text(frame):
    seeds = frame.set_index("question_id").loc[article_ids()]
    sources = yaml.safe_load(content.path("sources", "sources.yaml").read_text("utf-8"))
    why = [
        w for s in sources for w in read_article(content.path("sources", s["file"]))["why_asked"]
    ]
    assert list(seeds["why_asked_source"]) == why
    assert "candidate’s answer was unclear" in seeds.loc["ps11", "why_asked_source"]
    assert "candidate" not in seeds.loc["ps11", "why_asked"]
    assert "improve their behavior" not in seeds.loc["ps07", "why_asked"]


@pytest.mark.content
@pytest.mark.parametrize(
    "qid, mentions",
    [
        ("ps18", ["988", "supervisor", "resistant"]),
        ("ps20", ["988", "supervisor", "ask directly"]),
        ("cps05", ["clinical", "988", "supervisor"]),
        ("ps14", ["HOPE", "not a recognized"]),
        ("cps01", ['not "a mental health professional"']),
        ("ps01", ["clients", "substance use"]),
    ],
)
def test_weak_seed_examples_say_what_they_miss(frame, qid, mentions):
    misses = frame.set_index("question_id").loc[qid, "example_misses"]
    for words in mentions:
        assert words in misses, (qid, words)


@pytest.mark.content
def test_example_misses_only_with_an_example(frame):
    has = frame["example_misses"] != ""
    assert (frame.loc[has, "example_answer"].str.strip() != "").all()


def test_trainer_files_may_tag_icrc_domains_by_id_or_title(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(GOOD_YAML + "  icrc_domains: [Mentoring and Education, ethics]\n", "utf-8")
    row = bank.read_trainer_questions(path).iloc[0]
    assert row["icrc_domains"] == ("mentoring", "ethics")
    assert (
        bank.read_trainer_questions(tmp_path.joinpath("mine.yaml")).iloc[0]["why_asked_source"]
        == ""
    )
    path.write_text(GOOD_YAML + "  icrc_domains: [Peer Ethics]\n", "utf-8")
    with pytest.raises(BankFormatError, match=r"mine.yaml, line 1: unknown IC&RC domain.*ethics"):
        bank.read_trainer_questions(path)


def test_coverage_counts_both_frameworks(frame):
    found = bank.coverage(frame)
    samhsa = found[found["framework"] == "SAMHSA"]
    icrc = found[found["framework"] == "IC&RC"]
    assert list(samhsa["id"]) == bank.competency_ids()
    assert list(icrc["id"]) == bank.icrc_domain_ids()
    assert samhsa["questions"].sum() == frame["competencies"].map(len).sum()
    assert samhsa["first_tag"].sum() == len(frame) == icrc["first_tag"].sum()
    assert (found["workbook"] <= found["questions"]).all()
    crisis = samhsa.set_index("id").loc["crisis"]  # ps20, cps05, wb29-wb32 and wb87
    assert (crisis["questions"], crisis["first_tag"], crisis["workbook"]) == (7, 6, 5)
    assert icrc.set_index("id").loc["advocacy", "questions"] == 3  # ps04, cps01, wb82


# --- structure: checked, not counted --------------------------------------------------------


@pytest.mark.content
def test_every_talking_point_has_paraphrases_or_patterns(frame):
    bare = [
        f"{row.question_id}: {point.label}"
        for row in frame.itertuples()
        for point in row.talking_points
        if not (point.paraphrases or point.patterns)
    ]
    assert not bare, f"talking points with cues only: {bare}"


@pytest.mark.content
def test_required_points_belong_to_crisis_questions(frame):
    for row in frame.itertuples():
        if any(point.required for point in row.talking_points):
            assert "crisis" in row.competencies, row.question_id


@pytest.mark.content
def test_cues_shown_to_learners_are_written_as_people_write():
    """Cues are shown as examples ("for example 'honest about what I could do'"): "I" in capitals."""
    lower_i = re.compile(r"(?<![\w'.-])i(?=(?:'(?:d|m|ve|ll))?\b)(?![.\w])")
    for row in bank.load_bank().itertuples():
        for point in row.talking_points:
            assert not [c for c in point.cues if lower_i.search(c)], (row.question_id, point.label)


@pytest.mark.parametrize(
    ("extra", "first", "then"),
    [
        ("      paraphrases: [how it works, How  the group works]\n", "how the group works",
         "How the group works"),
        ("      paraphrases: [asked what she wanted, asked what he wanted]\n",
         "asked what she wanted", "asked what he wanted"),
        ("      paraphrases: [explained how groups work, explain how the group works]\n",
         "explained how groups work", "explain how the group works"),
    ],
)  # fmt: skip
def test_a_paraphrase_read_as_a_cue_or_an_earlier_one_is_named(tmp_path, extra, first, then):
    refused(
        tmp_path,
        extra,
        rf"mine.yaml, line 1: talking point 'Explains the group' lists '{first}' and '{then}', "
        "which read as the same words; keep one",
    )


@pytest.mark.parametrize(
    ("cues", "extra"),
    [
        ("[naloxone, Narcan]", ""),  # cues, shown to the learner, may name one thing two ways
        ("[explain]", "      paraphrases: [yardstick, '~yardstick']\n"),  # said, or negated
    ],
)
def test_phrases_that_read_differently_are_kept(tmp_path, cues, extra):
    path = tmp_path / "mine.yaml"
    path.write_text(GOOD_YAML.replace("[explain, how the group works]", cues) + extra)
    assert "my01" in set(peerlib.load_bank(extra=path)["question_id"])


def test_a_pattern_listed_twice_in_a_talking_point_is_named(tmp_path):
    refused(
        tmp_path,
        "      patterns: [group + works, group + works]\n",
        r"mine.yaml, line 1: talking point 'Explains the group' lists 'group \+ works' twice in "
        "its patterns; remove one",
    )


def refused(tmp_path, extra: str, message: str) -> None:
    """A trainer file of GOOD_YAML and ``extra`` is refused with ``message`` (a regex)."""
    path = tmp_path / "mine.yaml"
    path.write_text(GOOD_YAML + extra, "utf-8")
    with pytest.raises(BankFormatError, match=message):
        bank.read_trainer_questions(path)


def test_the_same_phrase_may_serve_two_talking_points(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(GOOD_YAML + "      paraphrases: [greet]\n", "utf-8")
    assert len(bank.read_trainer_questions(path)["talking_points"][0]) == 2


# --- shared talking points -------------------------------------------------------------------


def test_a_trainer_question_may_make_a_shared_talking_point(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(GOOD_YAML + "    - shared: follows-up-afterwards\n", "utf-8")
    points = bank.read_trainer_questions(path)["talking_points"][0]
    assert points[2] == bank.shared_points()["follows-up-afterwards"]
    assert points[2].label == "Follows up afterwards" and "next day" in points[2].cues


@pytest.mark.parametrize(
    "entry",
    [
        "    - shared: follow-up\n",
        "    - shared: follows-up-afterwards\n      label: Mine\n",
        "    - shared: [follows-up-afterwards]\n",
    ],
)
def test_a_shared_talking_point_must_be_named_alone_and_exist(tmp_path, entry):
    refused(
        tmp_path,
        entry,
        r"mine.yaml, line 1: `shared: .*follow.*` must stand alone and name a talking point of "
        r"shared_points.yaml: follows-up-afterwards",
    )


# --- concepts --------------------------------------------------------------------------------


def _follow_up_answer(tmp_path, extra: str) -> tuple:
    """The talking points covered by "I'd circle back with her on Friday" in a trainer question
    of GOOD_YAML and ``extra``."""
    path = tmp_path / "mine.yaml"
    path.write_text(
        GOOD_YAML + "    - label: Checks back\n      cues: [follow up]\n" + extra, "utf-8"
    )
    with content.using(content.root(), folders=[tmp_path]):
        return feedback.analyze_answer("my01", "I'd circle back with her on Friday.").covered


def test_a_talking_point_takes_on_the_phrasings_of_the_concepts_it_names(tmp_path):
    assert _follow_up_answer(tmp_path, "") == ()
    assert _follow_up_answer(tmp_path, "      concepts: [checks-back-later]\n") == ("Checks back",)


def test_an_unknown_concept_is_named_with_the_known_ones(tmp_path):
    refused(
        tmp_path,
        "      concepts: [checks-back]\n",
        r"mine.yaml, line 1: talking point 'Explains the group' names unknown concept\(s\) "
        r"'checks-back'; use one of concepts.yaml: checks-back-later",
    )


@pytest.mark.parametrize(
    "entry",
    [
        "listens:\n  phrases: [hear them out]\n",
        "listens:\n  meaning: Listens\n  phrases: []\n",
        "listens:\n  meaning: Listens\n  phrases: [hear them out, heard her out]\n",
    ],
)
def test_a_bad_concept_names_its_file_and_line(content_dir, entry):
    concepts = content_dir / "data" / "concepts.yaml"
    concepts.write_text(concepts.read_text("utf-8") + entry, "utf-8")
    with pytest.raises(
        BankFormatError,
        match=r"concepts.yaml, line 10: concept 'listens' (needs|has no|lists 'hear them out' and 'heard her out')",
    ):
        bank.concepts()


CONCEPT_EXAMPLES = yaml.safe_load(
    (Path(__file__).parent / "data" / "concept_examples.yaml").read_text("utf-8")
)


def _says(name: str, text: str) -> bool:
    """Whether a phrasing of concept ``name`` is in ``text``, read as a talking point is."""
    analysed = matching.analyse(text)
    return any(
        matching.find(matching.compile_pattern(way, loose=True), analysed) is not None
        for way in bank.concepts()[name].ways
    )


@pytest.mark.content
def test_every_concept_has_examples_and_a_talking_point_that_names_it(frame):
    named = {c for points in frame["talking_points"] for p in points for c in p.concepts}
    assert sorted(CONCEPT_EXAMPLES) == sorted(bank.concepts()) == sorted(named)
    assert all(len(e["matches"]) >= 3 and e["near_misses"] for e in CONCEPT_EXAMPLES.values())


@pytest.mark.content
@pytest.mark.parametrize("name", sorted(CONCEPT_EXAMPLES))
def test_a_concept_recognizes_its_examples_and_not_its_near_misses(name):
    assert [t for t in CONCEPT_EXAMPLES[name]["matches"] if not _says(name, t)] == []
    assert [t for t in CONCEPT_EXAMPLES[name]["near_misses"] if _says(name, t)] == []


def test_a_bad_shared_talking_point_names_its_file_and_line(content_dir):
    shared = content_dir / "data" / "shared_points.yaml"
    shared.write_text(
        shared.read_text("utf-8") + "listens:\n  label: Listens\n  cues: []\n", "utf-8"
    )
    with pytest.raises(
        BankFormatError,
        match=r"shared_points.yaml, line \d+: talking point "
        r"'Listens' has no cues",
    ):
        bank.shared_points()
