"""Binder's environment.yml stays in step with pyproject.toml; postBuild installs peerlib."""

import importlib.metadata
import os
import re

import pytest
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


def test_the_app_is_served_by_make_app_and_linked_for_learners_on_binder():
    makefile = (PROJECT_DIR / "Makefile").read_text("utf-8")
    assert re.search(r"^app: ", makefile, re.M)
    assert "voila/render/notebooks/00_start_here.ipynb" in makefile
    readme = (PROJECT_DIR / "README.md").read_text("utf-8")
    first_section = readme.split("\n## ")[1]
    assert "make app" in first_section
    binder = re.findall(r"https://mybinder\.org/v2/gh/\S+?urlpath=([^)\s]+)\)", readme)
    assert "voila/render/notebooks/00_start_here.ipynb" in binder, "learners: the app"
    assert any(link.startswith("lab/") for link in binder), "instructors: JupyterLab"
    project = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text("utf-8"))["project"]
    assert any(_name(d) == "voila" for d in project["dependencies"])


@pytest.mark.content  # the wheel is built from peerlib/data
def test_an_installed_wheel_has_the_content(tmp_path):
    """A wheel (not the checkout) loads the bank and the exercises, from another folder."""
    import subprocess
    import sys

    wheels, target, elsewhere = tmp_path / "wheels", tmp_path / "site", tmp_path / "elsewhere"
    elsewhere.mkdir()
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    build = [*pip, "wheel", "--no-deps", "-w", wheels, PROJECT_DIR]
    if int(importlib.metadata.version("setuptools").split(".")[0]) >= 77:  # as pyproject needs
        build.insert(-4, "--no-build-isolation")  # else pip fetches a new enough setuptools
    subprocess.run(build, check=True, cwd=tmp_path)
    (wheel,) = wheels.glob("peerlib-*.whl")
    subprocess.run([*pip, "install", "--no-deps", "--target", target, wheel], check=True)
    code = (
        "import peerlib; from peerlib import exercises; "
        "print(peerlib.__file__, len(peerlib.load_bank()), len(exercises.load_modules()))"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, cwd=elsewhere, env=env, capture_output=True
    ).stdout.decode()
    where, questions, modules = out.split()
    assert where.startswith(str(target)) and int(questions) > 0 and int(modules) > 0
