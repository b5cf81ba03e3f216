"""Check the whole bank (or one file) and report every problem with its file and line."""

from __future__ import annotations

import warnings
from pathlib import Path

from . import bank, concerns, content, exercises
from .errors import BankFormatError


def _collect(check, problems: list[str]):
    try:
        return check()
    except BankFormatError as exc:
        problems.extend(exc.problems)
        return None


def _is_exercise_file(path: Path) -> bool:
    if path.suffix.lower() not in (".yaml", ".yml"):
        return False
    if path.resolve().parent == content.path("exercises").resolve():
        return True
    try:
        data, _ = content.read_yaml(path)
    except BankFormatError:
        return False
    return isinstance(data, dict) and "scenarios" in data


def validate(path: str | Path | None = None) -> tuple[list[str], str]:
    """Validate everything (no path) or one file, as the files are now; returns (problems,
    one-line summary). Files the workbook leaves out are among the problems."""
    content.reload()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", content.ContentWarning)  # listed as problems instead
        problems, summary = _validate(path)
        if path is None and content.problems():
            problems, summary = problems + content.problems(), ""
    return list(dict.fromkeys(problems)), summary  # a file read twice is reported once


def _validate(path: Path | None) -> tuple[list[str], str]:
    problems: list[str] = []
    if path is not None:
        path = Path(path)
        if not path.exists():
            return [f"{path}: no such file."], ""
        if _is_exercise_file(path):
            module, found = exercises.parse_module_file(path)
            problems += found
            return problems, (
                f"{path}: valid: {len(module.scenarios)} scenarios, "
                f"{len(module.reflections)} reflections."
                if module and not problems
                else ""
            )
        if path.resolve() == bank.workbook_questions_file().resolve():
            frame = _collect(bank.load_bank, problems)
            if frame is None:
                return problems, ""
            count = int((frame["source"] == bank.WORKBOOK_SOURCE).sum())
            return problems, f"{path}: valid: {count} workbook question(s), no problems."
        frame = _collect(lambda: bank.load_bank(extra=path), problems)
        added = 0 if frame is None else len(frame) - len(bank.load_bank())
        return problems, f"{path}: valid: {added} question(s), no problems."
    competencies = _collect(bank.load_competencies, problems)
    domains = _collect(bank.load_icrc_domains, problems)
    frame = _collect(bank.load_bank, problems)
    modules = list((_collect(exercises.load_modules, problems) or {}).values())
    found_concerns = _collect(concerns.load, problems) or ()
    tagged = ((competencies, "competencies", "competency_id", "competency"),)
    tagged += ((domains, "icrc_domains", "domain_id", "IC&RC domain"),)
    for table, column, id_column, what in tagged if frame is not None else ():
        counts = frame[column].explode().value_counts()
        for key in () if table is None else table[id_column]:
            if counts.get(key, 0) < 2:
                problems.append(
                    f"{content.shown(content.path('curation.yaml'))}: {what} {key!r} has "
                    f"{counts.get(key, 0)} "
                    "question(s); tag at least 2."
                )
    if problems:
        return problems, ""
    articles = int(frame["source"].isin(bank.article_sources()).sum())
    workbook = int((frame["source"] == bank.WORKBOOK_SOURCE).sum())
    trainer = len(frame) - articles - workbook
    return [], (
        f"Valid: {len(frame)} questions ({articles} from the source articles, {workbook} from "
        f"the workbook, {trainer} from trainer files), {len(competencies)} competencies, "
        f"{len(domains)} IC&RC domains, "
        f"{len(modules)} exercise modules ({sum(len(m.scenarios) for m in modules)} scenarios), "
        f"{len(found_concerns)} concerns, "
        f"{len(content.trainer_files())} trainer file(s)."
    )
