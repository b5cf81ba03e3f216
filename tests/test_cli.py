"""The `peerlib` command's bank and article commands, run as a user would (a subprocess)."""

import json
import subprocess
import sys

import pytest
import yaml

from peerlib import bank, content
from peerlib.paths import PROJECT_DIR


def run(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "peerlib", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd or PROJECT_DIR,
        timeout=120,
    )


def test_bank_validate_passes_on_the_shipped_content():
    result = run("bank", "validate")
    assert result.returncode == 0, result.stderr
    total = len(bank.load_bank())
    assert result.stdout.startswith(f"Valid: {total} questions (34 from the source articles, ")
    assert "12 competencies, 4 IC&RC domains, 14 exercise modules" in result.stdout
    assert len(result.stdout.strip().splitlines()) == 1


def test_bank_validate_lists_every_problem_with_file_and_row(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "question_id,question,competencies,kind,talking_points\n"
        "my01,,engage,knowledge,A: a | B: b\n"
        "my02,Why?,hope,knowledge,A: a | B:\n",
        "utf-8",
    )
    result = run("bank", "validate", path)
    assert result.returncode == 1
    assert "bad.csv, line 2: `question` is empty" in result.stderr
    assert "bad.csv, line 3: unknown competency id(s) 'hope'" in result.stderr
    assert "bad.csv, line 3: talking point 'B' has no cues" in result.stderr
    assert "Traceback" not in result.stderr


def test_bank_list_filters_by_competency():
    result = run("bank", "list", "--competency", "crisis")
    assert result.returncode == 0
    assert "ps20" in result.stdout and "cps05" in result.stdout
    assert "ps12" not in result.stdout


def test_bank_list_unknown_competency_is_exit_1():
    result = run("bank", "list", "--competency", "nope")
    assert result.returncode == 1
    assert "Unknown competency id 'nope'" in result.stderr


def test_import_article_json_prints_the_questions():
    result = run(
        "import-article", content.path("sources") / "certified_peer_specialist_100.txt", "--json"
    )
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    assert len(items) == 9
    assert set(items[0]) == {
        "number",
        "question",
        "why_asked",
        "example_answer",
        "follow_ups",
        "line",
    }
    assert items[4]["question"] == "How would you support a peer experiencing a crisis?"
    assert [item["line"] for item in items[:2]] == [4, 7]
    assert items[0]["follow_ups"] == []


def test_import_article_keeps_follow_ups_in_json_and_the_bank_file(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(
        "Tell me about a time you supported a peer who did not want help.\n\n"
        "Possible follow-up questions:\n- What did you say first?\n- What changed?\n",
        "utf-8",
    )
    (item,) = json.loads(run("import-article", article, "--json").stdout)
    assert item["follow_ups"] == ["What did you say first?", "What changed?"]
    assert item["line"] == 1
    for suffix in (".yaml", ".csv"):
        out = tmp_path / f"mine{suffix}"
        assert run("import-article", article, "--out", out).returncode == 0
        text = out.read_text("utf-8")
        if suffix == ".yaml":
            assert yaml.safe_load(text)[0]["follow_ups"] == [
                "What did you say first?",
                "What changed?",
            ]
        else:
            assert "What did you say first? | What changed?" in text


@pytest.mark.parametrize("suffix", [".csv", ".yaml"])
def test_import_article_out_writes_a_template_to_curate(tmp_path, suffix):
    out = tmp_path / f"new{suffix}"
    result = run("import-article", content.path("sources") / "peer_support_25.txt", "--out", out)
    assert result.returncode == 0, result.stderr
    text = out.read_text("utf-8")
    assert "Are you comfortable working with people" in text
    if suffix == ".yaml":
        assert len(yaml.safe_load(text)) == 25


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "no recognisable questions"),
        (b"A blog post about gardening.\n", "no recognisable questions"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    ],
)
def test_import_article_refuses_files_without_questions(tmp_path, content, message):
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    result = run("import-article", path)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_console_script_is_installed():
    result = subprocess.run(
        [str(PROJECT_DIR / ".venv" / "bin" / "peerlib"), "--help"]
        if (PROJECT_DIR / ".venv" / "bin" / "peerlib").exists()
        else ["peerlib", "--help"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0
    assert "import-article" in result.stdout


def test_bank_validate_checks_the_new_fields(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "- question_id: my01\n"
        "  question: How would you welcome a new member?\n"
        "  competencies: [engage]\n"
        "  icrc_domains: [Mentoring, Ethics and Boundaries]\n"
        "  example_misses: It misses the welcome.\n"
        "  kind: situational\n"
        "  talking_points:\n"
        "    - {label: Warm welcome, cues: [welcome]}\n"
        "    - {label: Explains the group, cues: [explain]}\n",
        "utf-8",
    )
    result = run("bank", "validate", path)
    assert result.returncode == 1
    assert "bad.yaml, line 1: unknown IC&RC domain(s) 'Ethics and Boundaries'" in result.stderr
    assert "bad.yaml, line 1: `example_misses` is given but there is no example answer" in (
        result.stderr
    )


def test_bank_validate_checks_the_workbook_file_itself():
    result = run("bank", "validate", "peerlib/data/workbook_questions.yaml")
    if not content.path("workbook_questions.yaml").exists():
        assert result.returncode == 1 and "no such file" in result.stderr
        return
    assert result.returncode == 0, result.stderr
    assert "workbook question(s), no problems" in result.stdout
