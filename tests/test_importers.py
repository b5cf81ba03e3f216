"""The article parser on both seed articles, on hand-made variants, and on arbitrary text."""

import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerlib import BankFormatError, parse_article
from peerlib.importers import ARTICLE_COLUMNS, decode_article, read_article, read_trainer_file
from peerlib.paths import SOURCES_DIR

ARTICLE_A = SOURCES_DIR / "peer_support_25.txt"
ARTICLE_B = SOURCES_DIR / "certified_peer_specialist_100.txt"


def parse(text):
    return parse_article(textwrap.dedent(text))


def questions(text):
    return list(parse(text)["question"])


# --- the two seed articles -------------------------------------------------------------------


def test_layout_a_finds_all_25_questions_in_order():
    frame = read_article(ARTICLE_A)
    assert list(frame.columns) == [
        "number",
        "question",
        "why_asked",
        "example_answer",
        "follow_ups",
        "line",
    ]
    assert list(frame["number"]) == list(range(1, 26))
    assert frame["line"].iloc[0] == 13
    assert frame["question"].iloc[0] == (
        "Are you comfortable working with people who have mental health issues?"
    )
    assert frame["question"].iloc[19] == (
        "How would you respond if someone in your group expressed suicidal thoughts?"
    )
    assert frame["question"].iloc[4] == (
        "Provide an example of a time when you successfully helped someone overcome a "
        "mental health issue."
    )
    assert (frame["example_answer"].str.len() > 100).all()
    assert (frame["why_asked"].str.len() > 50).all()


def test_layout_a_answer_spanning_paragraphs_is_kept_whole():
    answer = read_article(ARTICLE_A).set_index("number").loc[12, "example_answer"]
    paragraphs = answer.split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("I believe that taking notes during a meeting")
    assert paragraphs[-1].endswith("provide meaningful support to those involved.")
    assert not answer.startswith("“") and not answer.endswith("”")


def test_layout_a_page_footer_is_not_glued_to_the_last_answer():
    frame = read_article(ARTICLE_A)
    last = frame["example_answer"].iloc[-1]
    assert last.endswith("without any expectations or conditions.")
    for furniture in ("Previous", "Campaign Analyst", "Back to Interview", "Compliance"):
        assert furniture not in last
    assert not frame["question"].str.contains("Campaign Analyst").any()


def test_layout_a_intro_is_not_a_question():
    frame = read_article(ARTICLE_A)
    assert not frame["question"].str.contains("considering a career").any()
    assert "Common Peer Support" not in frame["why_asked"].iloc[0]
    assert frame["why_asked"].iloc[0].startswith("Peer support specialists often work")


def test_layout_b_finds_all_9_questions_with_answers():
    frame = read_article(ARTICLE_B)
    assert list(frame["number"]) == list(range(1, 10))
    assert frame["question"].iloc[0] == "What is a Certified Peer Specialist?"
    assert frame["question"].iloc[8] == (
        "What are some common barriers to accessing mental health services, and how can you "
        "help overcome them?"
    )
    assert (frame["example_answer"] != "").all()
    assert (frame["why_asked"] == "").all()
    assert frame["example_answer"].iloc[0].startswith("A Certified Peer Specialist (CPS) is")


def test_layout_b_closing_line_without_newline_is_not_an_answer():
    text = ARTICLE_B.read_text("utf-8")
    assert not text.endswith("\n")
    last = read_article(ARTICLE_B)["example_answer"].iloc[-1]
    assert last.endswith("through education and peer support.")
    assert "Thank you for reading" not in last


# --- hand-made variants ----------------------------------------------------------------------


def test_unnumbered_questions_with_why_and_example():
    frame = parse(
        """\
        Interview Prep

        Peer Support Interview Questions

        Interviews can feel daunting. Here is what you might be asked.

        Tell me about yourself.

        Interviewers use this to get to know you and your path into peer work.

        Example: "I have been in recovery for six years."

        Why do you want to be a peer worker?

        They want to hear what motivates you.

        Example: "My own recovery showed me the power of connection."
        """
    )
    assert list(frame["question"]) == [
        "Tell me about yourself.",
        "Why do you want to be a peer worker?",
    ]
    assert list(frame["number"]) == [1, 2]
    assert frame["example_answer"].iloc[1] == "My own recovery showed me the power of connection."
    assert frame["why_asked"].iloc[0].startswith("Interviewers use this")


def test_imperative_questions_and_straight_quotes():
    frame = parse(
        """\
        1. Describe a time you supported someone through a setback.

        This shows how you act under pressure.

        Example: "A peer I worked with relapsed after a family loss.

        I listened first, then we revisited her plan together."

        2. Explain what recovery means to you.

        Example: "Recovery is a personal journey."
        """
    )
    assert list(frame["question"]) == [
        "Describe a time you supported someone through a setback.",
        "Explain what recovery means to you.",
    ]
    assert frame["example_answer"].iloc[0] == (
        "A peer I worked with relapsed after a family loss.\n\n"
        "I listened first, then we revisited her plan together."
    )


def test_how_to_answer_block_goes_to_why_asked():
    frame = parse(
        """\
        1. How do you keep boundaries with peers?

        How to Answer: Show that you know where the peer role ends.

        Mention supervision.

        Sample Answer: “I am open about my role from the first meeting.”
        """
    )
    row = frame.iloc[0]
    assert row["why_asked"] == (
        "Show that you know where the peer role ends.\n\nMention supervision."
    )
    assert row["example_answer"] == "I am open about my role from the first meeting."


def test_items_without_answers_keep_empty_strings():
    frame = parse(
        """\
        Questions to expect

          1. What is peer support?

          2. How do you look after yourself?

            • Answer: Supervision, exercise and my own support network.

          3. What would you do if a peer asked to meet outside work?
        """
    )
    assert list(frame["number"]) == [1, 2, 3]
    assert list(frame["example_answer"]) == [
        "",
        "Supervision, exercise and my own support network.",
        "",
    ]


def test_article_cut_off_mid_answer():
    frame = parse(
        """\
        1. What is a peer specialist?

        Example: “Someone who uses their lived experience to support others.”

        2. How would you respond to a peer in crisis?

        Example: “First I would make sure they are safe. Then I would"""
    )
    assert len(frame) == 2
    assert frame["example_answer"].iloc[1] == (
        "First I would make sure they are safe. Then I would"
    )


def test_article_cut_off_mid_question():
    frame = parse(
        """\
          1. What is recovery?

            • Answer: A personal journey.

          2. How would you support someone who"""
    )
    assert list(frame["question"]) == ["What is recovery?", "How would you support someone who"]
    assert frame["example_answer"].iloc[1] == ""


def test_title_containing_section_heading_words_is_ignored():
    frame = parse(
        """\
        Common Peer Support Interview Questions and How to Answer Them

        Common Peer Support Interview Questions

        1. Why peer support?

        Example: “Because it works.”
        """
    )
    assert list(frame["question"]) == ["Why peer support?"]


def test_numbered_list_inside_an_answer_is_not_a_question():
    frame = parse(
        """\
        1. What steps do you take when a peer is upset?

        Example: “I follow three steps:

        1. I listen.

        2. I reflect back what I heard.

        3. I ask what would help.”

        2. What is WRAP?

        Example: “A Wellness Recovery Action Plan.”
        """
    )
    assert list(frame["question"]) == [
        "What steps do you take when a peer is upset?",
        "What is WRAP?",
    ]
    assert "2. I reflect back what I heard." in frame["example_answer"].iloc[0]


def test_intro_tips_list_and_closing_text_are_never_questions():
    frame = parse(
        """\
        How to prepare

        1. Research the organisation.
        2. Practise out loud.

        Are you ready? Let's begin.

        1. What does person-centred mean to you?

        Example: “The person leads.”

        Next

        Thanks for reading! Share this article.
        """
    )
    assert list(frame["question"]) == ["What does person-centred mean to you?"]


def test_markdown_and_q_prefixed_layouts():
    frame = parse(
        """\
        ### 1. **What is trauma-informed care?**

        **Answer:** Care that asks what happened, not what is wrong.

        Q: How do you handle disagreement?
        A: I listen to both sides.
        """
    )
    assert list(frame["question"]) == [
        "What is trauma-informed care?",
        "How do you handle disagreement?",
    ]
    assert list(frame["example_answer"]) == [
        "Care that asks what happened, not what is wrong.",
        "I listen to both sides.",
    ]


def test_windows_line_endings_and_nbsp():
    frame = parse_article("1.\u00a0What is hope?\r\n\r\nExample: “Hope is possible.”\r\n")
    assert frame.iloc[0]["question"] == "What is hope?"
    assert frame.iloc[0]["example_answer"] == "Hope is possible."


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\n", "Just an intro paragraph about peer work."])
def test_no_questions_is_a_clear_error(text):
    with pytest.raises(BankFormatError, match="no recognisable questions"):
        parse_article(text)


def test_binary_and_non_utf8_files_are_refused():
    with pytest.raises(BankFormatError, match="binary"):
        decode_article(b"\x89PNG\r\n\x00\x00", "photo.png")
    with pytest.raises(BankFormatError, match=r"line 2: the file is not UTF-8"):
        decode_article(b"1. What?\n\xff\xfe bad", "latin.txt")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.text(max_size=60),
            st.sampled_from(
                [
                    "1. What is peer support?",
                    "2. Describe a time.",
                    "Example: “",
                    'Example: "x"',
                    "• Answer:",
                    "How to Answer:",
                    "Q: why?",
                    "A: ok",
                    "Previous",
                    "”",
                    "- Is this a question?",
                    "",
                ]
            ),
        ),
        max_size=30,
    )
)
def test_parse_article_raises_nothing_but_bank_format_error(lines):
    try:
        frame = parse_article("\n".join(lines))
    except BankFormatError:
        return
    assert list(frame.columns) == list(ARTICLE_COLUMNS)
    assert (frame["question"].str.len() > 0).all()


# --- trainer files ---------------------------------------------------------------------------


def test_trainer_csv_rows_carry_their_line(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(
        "question_id,question,competencies,kind,talking_points\n"
        "my01,What is hope?,support;growth,knowledge,Hope: hope | Change: change\n",
        "utf-8",
    )
    (row,) = read_trainer_file(path)
    assert row["_where"].endswith("mine.csv, line 2")
    assert row["competencies"] == ["support", "growth"]
    assert row["talking_points"] == [
        {"label": "Hope", "cues": ["hope"]},
        {"label": "Change", "cues": ["change"]},
    ]


def test_trainer_file_of_unknown_type_is_refused(tmp_path):
    path = tmp_path / "mine.docx"
    path.write_bytes(b"PK")
    with pytest.raises(BankFormatError, match=r"use \.csv, \.yaml or \.yml"):
        read_trainer_file(path)


def test_sectioned_article_with_bullet_lists_and_related_links():
    frame = read_article(Path(__file__).parent / "articles" / "sectioned_with_bullets.txt")
    assert list(frame["question"]) == [
        "Tell me about yourself.",
        "What do you know about our organization?",
        "Why do you want this job?",
        "What training do you have in peer support?",
        "Describe your work history.",
        "How do you maintain boundaries with peers?",
        "What would you do if a peer told you they had relapsed?",
    ]
    assert list(frame["example_answer"].str.len() > 0) == [False] * 5 + [True] * 2
    assert "Related" not in " ".join(frame["why_asked"])
    assert frame["example_answer"].iloc[-1].startswith("I would thank them")


def test_answer_missing_its_closing_quote_does_not_swallow_the_next_question():
    frame = parse(
        """\
        1. What is peer support?

        Example: “Support from someone who has been there.

        2. How do you keep boundaries?

        Example: “I explain my role early.”
        """
    )
    assert list(frame["question"]) == ["What is peer support?", "How do you keep boundaries?"]
    assert frame["example_answer"].iloc[0] == "Support from someone who has been there."
