"""The `peerlib` command's bank and article commands.

They run in this process (``cli.main``), from the project folder as a user would; two smoke
tests start the real command (`python -m peerlib` and the console script).
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from peerlib import bank, content, curriculum
from peerlib.importers import read_article
from peerlib.paths import PROJECT_DIR
from peerlib.validate import validate


@pytest.fixture
def run(peerlib_command, monkeypatch):
    monkeypatch.chdir(PROJECT_DIR)
    return peerlib_command


@pytest.mark.content
def test_bank_validate_passes_on_the_shipped_content(run):
    result = run("bank", "validate")
    assert result.returncode == 0, result.stderr
    found = re.match(
        r"Valid: (\d+) questions \((\d+) from the source articles, (\d+) from the workbook, "
        r"(\d+) from trainer files\), 12 competencies, 4 IC&RC domains, (\d+) exercise modules",
        result.stdout,
    )
    assert found, result.stdout
    total, articles, workbook, trainer, modules = map(int, found.groups())
    assert total == len(bank.load_bank()) == articles + workbook + trainer
    sources = yaml.safe_load(content.path("sources", "sources.yaml").read_text("utf-8"))
    assert articles == sum(len(read_article(content.path("sources", s["file"]))) for s in sources)
    assert modules == len(curriculum.module_ids())
    assert len(result.stdout.strip().splitlines()) == 1


def test_bank_validate_summarises_the_fixture_content(run):
    result = run("bank", "validate")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Valid: 21 questions (9 from the source articles, ")
    assert result.stdout == f"{validate()[1]}\n"  # the one summary line (tests/test_validate.py)


def test_bank_validate_lists_every_problem_with_file_and_row(run, tmp_path):
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


def listed(result) -> list[str]:
    """The question ids `peerlib bank list` printed, in order."""
    lines = result.stdout.strip().splitlines()
    assert lines[-1] == f"{len(lines) - 3} question(s)" and not lines[-2]
    return [line.split()[0] for line in lines[1:-2]]


def test_bank_list_filters_by_competency(run):
    result = run("bank", "list", "--competency", "crisis")
    assert result.returncode == 0
    assert listed(result) == ["ps20", "cps05", "wb29", "wb30", "wb31", "wb32", "wb87"]
    assert len(listed(run("bank", "list"))) == 21


def test_bank_list_unknown_competency_is_exit_1(run):
    result = run("bank", "list", "--competency", "nope")
    assert result.returncode == 1
    assert "Unknown competency id 'nope'" in result.stderr


def test_import_article_json_prints_the_questions(run):
    result = run(
        "import-article", content.path("sources", "certified_peer_specialist_100.txt"), "--json"
    )
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    assert [item["number"] for item in items] == [1, 5]  # the fixture's copy: cps01 and cps05
    assert set(items[0]) == {
        "number",
        "question",
        "why_asked",
        "example_answer",
        "follow_ups",
        "line",
    }
    assert items[1]["question"] == "How would you support a peer experiencing a crisis?"
    assert [item["line"] for item in items] == [4, 10]
    assert items[0]["follow_ups"] == []


def test_import_article_keeps_follow_ups_in_json_and_the_bank_file(run, tmp_path):
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
def test_import_article_out_writes_a_template_to_curate(run, tmp_path, suffix):
    out = tmp_path / f"new{suffix}"
    article = content.path("sources", "peer_support_25.txt")
    result = run("import-article", article, "--out", out)
    assert result.returncode == 0, result.stderr
    text = out.read_text("utf-8")
    assert "How would you respond if someone in your group expressed suicidal thoughts?" in text
    if suffix == ".yaml":
        questions = [row["question"] for row in yaml.safe_load(text)]
        assert questions == list(read_article(article)["question"]) and len(questions) == 7


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "no recognisable questions"),
        (b"A blog post about gardening.\n", "no recognisable questions"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    ],
)
def test_import_article_refuses_files_without_questions(run, tmp_path, content, message):
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    result = run("import-article", path)
    assert result.returncode == 1
    assert message in result.stderr


# --- the real command, started as a user starts it (two smoke tests) ----------------------------


def test_console_script_is_installed():
    script = Path(sys.executable).with_name("peerlib")
    result = subprocess.run(
        [str(script) if script.exists() else "peerlib", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "import-article" in result.stdout


@pytest.mark.content  # the command, in its own process, reads peerlib/data
def test_python_m_peerlib_gives_the_exit_code_and_a_clean_error():
    result = subprocess.run(
        [sys.executable, "-m", "peerlib", "bank", "list", "--competency", "nope"],
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("peerlib: ") and "Unknown competency id 'nope'" in result.stderr
    assert "Traceback" not in result.stderr


def test_bank_validate_checks_the_new_fields(run, tmp_path):
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


def test_bank_validate_checks_the_workbook_file_itself(run):
    result = run("bank", "validate", content.path("workbook_questions.yaml"))
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        f"{content.path('workbook_questions.yaml')}: valid: 12 workbook question(s), no problems.\n"
    )
