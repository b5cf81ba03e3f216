"""The article parser on both seed articles, on hand-made variants, and on arbitrary text."""

import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerlib import BankFormatError, content, parse_article
from peerlib.importers import ARTICLE_COLUMNS, decode_article, read_article, read_trainer_file

# The shipped seed articles, kept exactly as received: two real layouts (the tests that read
# them are marked `content`; the fixture content has cut-down copies)
ARTICLE_A = content.SHIPPED / "sources" / "peer_support_25.txt"
ARTICLE_B = content.SHIPPED / "sources" / "certified_peer_specialist_100.txt"


def parse(text):
    return parse_article(textwrap.dedent(text))


def questions(text):
    return list(parse(text)["question"])


# --- the two seed articles -------------------------------------------------------------------


@pytest.mark.content
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


@pytest.mark.content
def test_layout_a_answer_spanning_paragraphs_is_kept_whole():
    answer = read_article(ARTICLE_A).set_index("number").loc[12, "example_answer"]
    paragraphs = answer.split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("I believe that taking notes during a meeting")
    assert paragraphs[-1].endswith("provide meaningful support to those involved.")
    assert not answer.startswith("“") and not answer.endswith("”")


@pytest.mark.content
def test_layout_a_page_footer_is_not_glued_to_the_last_answer():
    frame = read_article(ARTICLE_A)
    last = frame["example_answer"].iloc[-1]
    assert last.endswith("without any expectations or conditions.")
    for furniture in ("Previous", "Campaign Analyst", "Back to Interview", "Compliance"):
        assert furniture not in last
    assert not frame["question"].str.contains("Campaign Analyst").any()


@pytest.mark.content
def test_layout_a_intro_is_not_a_question():
    frame = read_article(ARTICLE_A)
    assert not frame["question"].str.contains("considering a career").any()
    assert "Common Peer Support" not in frame["why_asked"].iloc[0]
    assert frame["why_asked"].iloc[0].startswith("Peer support specialists often work")


@pytest.mark.content
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


@pytest.mark.content
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


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
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
                    "1.1. Tell us about a time",
                    "1. 1",
                    "Question | Why it matters | Sample answer",
                    "| What is hope? | x |",
                    "|---|---|",
                    "Possible follow-up questions:",
                    "Tips for answering",
                    "Table of Contents",
                    "## FAQ",
                    "Comments",
                    "“Why now?”",
                    "Page 2 of 3",
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


# --- the layouts trainers save (hand-made articles in tests/articles/) -----------------------

ARTICLES = Path(__file__).parent / "articles"


def rows(name):
    return read_article(ARTICLES / name).to_dict(orient="records")


def test_contents_list_and_quoted_headings_count_each_question_once():
    found = rows("contents_and_quoted_headings.txt")
    assert [r["question"] for r in found] == [
        "What drew you to recovery coaching?",
        "How do you explain the difference between a recovery coach and a sponsor?",
        "What would you do if someone you coach returned to use?",
        "Tell me how you take care of your own recovery while supporting others.",
    ]
    assert [r["line"] for r in found] == [14, 23, 30, 37]
    assert found[0]["example_answer"] == (
        "After eight years in recovery I kept noticing how much a single conversation with "
        "someone who had been there changed things for me.\n\n"
        "I want to be that person for others, and coaching lets me do it with training and "
        "support behind me."
    )
    assert found[2]["why_asked"] == (
        "Relapse happens, and the interviewer wants to know you will respond without shame "
        "and with a plan."
    )
    assert all(r["follow_ups"] == () for r in found)
    assert "Looking for More" not in " ".join(r["why_asked"] + r["example_answer"] for r in found)


def test_pdf_text_joins_wrapped_questions_and_keeps_answers_across_blank_lines():
    found = rows("pdf_wrapped.txt")
    assert [r["question"] for r in found] == [
        "How would you respond if a caller told you they were thinking about ending their "
        "life tonight?",
        "What would you do if a caller became angry with you?",
        "Describe a time you listened to someone without trying to fix their problem.",
        "How do you look after yourself after a difficult shift?",
    ]
    assert found[0]["why_asked"] == (
        "This question checks that you can stay calm, ask about suicide directly and follow "
        "the safety steps of the line."
    )
    assert found[0]["example_answer"].split("\n\n") == [
        "I would thank them for telling me and ask directly whether they have a plan and the "
        "means to carry it out. I would stay with them on the line and keep my voice steady.",
        "Together we would work on a safety plan, and if they were in immediate danger I "
        "would follow our protocol to connect them with emergency help.",
    ]
    assert found[3]["example_answer"].endswith("friends who know nothing about the work.")
    assert "Page" not in " ".join(r["example_answer"] for r in found)


def test_questions_in_table_rows():
    found = rows("table_rows.txt")
    assert [r["question"] for r in found] == [
        "What does it mean to you to be a trusted member of the community you serve?",
        "How would you help a client who cannot afford their medicine?",
        "Tell us about a time you explained health information to someone with limited "
        "reading skills",
        "How do you keep track of your visits and referrals?",
    ]
    assert found[1]["why_asked"] == (
        "Shows resourcefulness and knowledge of local help.\n\n"
        "What to listen for: Assistance programmes, clinic pharmacy, follow-up call."
    )
    assert all(r["example_answer"] == "" for r in found)
    assert [r["line"] for r in found] == [7, 8, 9, 10]


def test_markdown_table_with_number_and_answer_columns():
    frame = parse(
        """\
        | No. | Question | Sample answer |
        |-----|----------|---------------|
        | 3 | What is a warmline? | A peer-run phone line for support before a crisis. |
        | 4 | Name two signs of burnout. | Dreading work and feeling numb. |
        """
    )
    assert list(frame["number"]) == [3, 4]
    assert list(frame["question"]) == ["What is a warmline?", "Name two signs of burnout."]
    assert frame["example_answer"].iloc[1] == "Dreading work and feeling numb."


def test_hierarchical_numbering_keeps_section_headings_out():
    found = rows("section_numbering.txt")
    assert [r["question"] for r in found] == [
        "What does recovery mean to you?",
        "Tell us about a time you shared your story to help someone",
        "A peer asks to borrow money. What do you do?",
        "Describe how you would handle a peer you know from your own recovery community.",
    ]
    assert [r["number"] for r in found] == [1, 2, 3, 4]
    assert found[1]["why_asked"] == (
        "sharing is a skill; the panel wants to see you share with purpose."
    )
    assert found[2]["example_answer"] == (
        "I would say no warmly, explain that it is outside my role, and help them look for "
        "emergency funds."
    )
    assert "Good luck" not in found[3]["example_answer"]


def test_numbered_list_then_the_same_questions_as_headings_with_captions():
    found = rows("list_then_headings.txt")
    assert [r["question"] for r in found] == [
        "Why do you want to work as a peer specialist?",
        "Tell us about your experience working with people at risk of suicide",
        "How would you support someone who does not want to attend treatment?",
        "What would you do if you disagreed with a clinician about a peer's care?",
    ]
    assert [r["line"] for r in found] == [10, 18, 26, 32]
    assert [r["number"] for r in found] == [1, 2, 3, 4]
    assert found[1]["why_asked"] == (
        "suicide risk comes up in peer work, and the panel needs to know you will act safely."
    )
    assert found[3]["example_answer"] == (
        "I would raise it privately with the clinician first, bring the peer's own words, and "
        "take it to supervision if we still disagreed."
    )


def test_follow_up_lists_stay_with_their_unnumbered_question():
    found = rows("follow_up_lists.txt")
    assert [(r["question"], r["follow_ups"]) for r in found] == [
        (
            "Tell me about a time you supported someone who did not want your help.",
            (
                "What did you say first?",
                "How did you know when to step back?",
                "What would you do differently now?",
            ),
        ),
        (
            "Tell me about a time you made a mistake at work.",
            ("Who did you tell?", "What did you learn?"),
        ),
        (
            "Describe a situation where you had to keep a boundary with someone you liked.",
            (
                "How did the person react?",
                "Did the relationship change afterwards?",
                "Who helped you think it through?",
            ),
        ),
    ]
    assert all(r["why_asked"] == r["example_answer"] == "" for r in found)


def test_follow_ups_after_an_answer_and_after_a_numbered_question():
    frame = parse(
        """\
        1. How do you end a session that runs over time?

        Example: "I give a five-minute warning and book the next time together."

        Follow-up: What if the person is upset?

        2. What is a recovery capital?

        Follow-up questions:
        1. Which kinds can you name?
        2. How would you build it with someone?

        3. What does WRAP stand for?
        """
    )
    assert list(frame["question"]) == [
        "How do you end a session that runs over time?",
        "What is a recovery capital?",
        "What does WRAP stand for?",
    ]
    assert frame["follow_ups"].iloc[0] == ("What if the person is upset?",)
    assert frame["follow_ups"].iloc[1] == (
        "Which kinds can you name?",
        "How would you build it with someone?",
    )


def test_tip_lists_numbered_1_1_stay_out_of_the_questions_and_why_text():
    found = rows("tips_numbered.txt")
    assert [r["question"] for r in found] == [
        "How do you handle a peer who keeps missing appointments?",
        "What would you do if a peer shared something that worried you about their safety?",
    ]
    assert [r["number"] for r in found] == [1, 2]
    assert found[0]["why_asked"] == (
        "reliability problems are common, and the interviewer wants to see curiosity instead "
        "of blame."
    )
    assert found[0]["example_answer"] == (
        "I would reach out in the way the peer prefers and ask what is getting in the way. "
        "Often it is transport or childcare, and we can work on that together."
    )
    assert found[1]["example_answer"].startswith("I would tell the peer honestly")


def test_intro_faq_comments_and_rhetorical_questions_are_never_questions():
    frame = parse(
        """\
        # Peer Mentor Interview Questions

        Nervous about your interview? Want to feel ready? Read on.

        ## What does a peer mentor do?

        Peer mentors use their own experience to help others.

        ## How to prepare

        - Share your story only if it helps.
        - Tell the panel what you have learned.

        ## 1. Why does lived experience matter in this work?

        **Example answer:** "It shows people that recovery is possible."

        ## Frequently Asked Questions

        **How long is a peer mentor interview?**
        About 45 minutes.

        **What should I wear?**
        Something comfortable.

        ## 2 Comments

        Sam: Great list! Can you tell me how to become certified?
        """
    )
    assert list(frame["question"]) == ["Why does lived experience matter in this work?"]


def test_questions_from_a_crlf_file_carry_their_line():
    frame = parse_article(
        "Intro line\r\n\r\nQ1. What is the role of a peer on a\r\ntreatment team?\r\n"
        "Model answer:\r\nI bring hope and lived experience.\r\n"
    )
    assert frame.iloc[0]["question"] == "What is the role of a peer on a treatment team?"
    assert frame.iloc[0]["line"] == 3
    assert frame.iloc[0]["example_answer"] == "I bring hope and lived experience."


# --- speed -----------------------------------------------------------------------------------


def test_a_megabyte_line_of_spaces_and_non_breaking_spaces_is_quick():
    line = "- " + " \u00a0" * 500_000 + "x"
    with pytest.raises(BankFormatError, match="no recognisable questions"):
        parse_article(line)
    frame = parse_article("1. What is hope?\n" + "1" + " \u00a0" * 500_000 + "interview\n")
    assert list(frame["question"]) == ["What is hope?"]


def test_parsing_time_grows_linearly():
    with_answers = (ARTICLES / "pdf_wrapped.txt").read_text("utf-8")

    def seconds(copies):
        text = with_answers * copies
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            parse_article(text)
            best = min(best, time.perf_counter() - start)
        return best

    small, large = seconds(50), seconds(400)
    assert large < 8 * 5 * small  # 8 times the input: linear is ~8x, quadratic ~64x
