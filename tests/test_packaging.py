"""Binder's environment.yml stays in step with pyproject.toml; postBuild installs peerlib."""

import re

import tomllib
import yaml

from peerlib.paths import PROJECT_DIR


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ]", requirement, maxsplit=1)[0].strip().lower()


def test_environment_yml_lists_the_runtime_dependencies():
    project = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text("utf-8"))["project"]
    env = yaml.safe_load((PROJECT_DIR / "environment.yml").read_text("utf-8"))
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    assert conda == {_name(d) for d in project["dependencies"]}
    pins = {_name(d): d.replace(" ", "") for d in env["dependencies"] if isinstance(d, str)}
    for requirement in project["dependencies"]:
        assert pins[_name(requirement)] == requirement.replace(" ", ""), requirement
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python"))
    minimum = project["requires-python"].removeprefix(">=")
    assert tuple(map(int, python.split("=")[1].split("."))) >= tuple(map(int, minimum.split(".")))


def test_postbuild_installs_peerlib():
    postbuild = PROJECT_DIR / "postBuild"
    assert postbuild.stat().st_mode & 0o111, "postBuild must be executable"
    assert re.search(r"pip install .*-e \.", postbuild.read_text("utf-8"))


def test_ci_runs_the_readme_test_command():
    assert "make test" in (PROJECT_DIR / ".ci" / "run").read_text("utf-8")
    readme = (PROJECT_DIR / "README.md").read_text("utf-8")
    first_section = readme.split("\n## ")[1]
    assert first_section.startswith("Quick start")
    assert "make lab" in first_section and "make test" in first_section
