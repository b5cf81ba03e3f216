"""The workbook's content: where it is, how it is read, one cache and ``reload()``.

The shipped content (question bank, frameworks, word lists, concerns, exercise files) is
package data in ``peerlib/data/``, so an installed package has it. A trainer's own question
files (CSV or YAML) are read from ``trainer_folders()``: the checkout's
``data/trainer_questions/`` when peerlib runs from a checkout, and every folder listed in
``$PEERLIB_QUESTIONS``.

Content files are read with a size limit, as UTF-8, and YAML without aliases. Everything
loaded from them is kept in one cache (``cached``) until ``reload()``. A trainer or exercise
file that cannot be used is skipped: the loaders call ``skip``, which warns once and keeps
the problems for ``problems()`` (``peerlib bank validate`` lists them).
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import warnings
from pathlib import Path

import yaml

from . import paths
from .errors import ContentError

SHIPPED = Path(__file__).resolve().parent / "data"
QUESTIONS_ENV = "PEERLIB_QUESTIONS"  # folders of a trainer's question files (os.pathsep)
CHECKOUT_QUESTIONS = paths.PROJECT_DIR / "data" / "trainer_questions"
QUESTION_SUFFIXES = (".csv", ".yaml", ".yml")
MAX_BYTES = 2 * 2**20  # one content file; the largest shipped file is under 200 KB

_settings = {"root": SHIPPED, "folders": None}  # None: the default trainer folders
_cache: dict = {}
_skipped: dict[str, list[str]] = {}  # file shown -> its problems
_warned: set[str] = set()


class ContentWarning(UserWarning):
    """A content file was skipped; the rest of the content works."""


# --- where ----------------------------------------------------------------------------------


def root() -> Path:
    """The folder of the shipped content (``peerlib/data``)."""
    return _settings["root"]


def path(*parts: str) -> Path:
    """A file or folder of the shipped content, e.g. ``path("curation.yaml")``."""
    return root().joinpath(*parts)


def trainer_folders() -> list[Path]:
    """Where a trainer's question files are picked up: ``$PEERLIB_QUESTIONS`` (one or more
    folders) and, when running from a checkout, its ``data/trainer_questions/``."""
    if _settings["folders"] is not None:
        return list(_settings["folders"])
    listed = os.environ.get(QUESTIONS_ENV, "")
    folders = [Path(p).expanduser() for p in listed.split(os.pathsep) if p.strip()]
    if (paths.PROJECT_DIR / "pyproject.toml").is_file():
        folders.append(CHECKOUT_QUESTIONS)
    return folders


def trainer_files() -> list[Path]:
    """Every CSV or YAML file in the trainer folders, in name order per folder."""
    found = []
    for folder in trainer_folders():
        if folder.is_dir():
            found += sorted(p for p in folder.iterdir() if p.suffix.lower() in QUESTION_SUFFIXES)
    return found


def shown(file: Path | str) -> str:
    """A content file's name as messages show it (relative to the checkout or the package)."""
    file = Path(file)
    try:
        return f"peerlib/data/{file.resolve().relative_to(SHIPPED).as_posix()}"
    except ValueError:
        return paths.display(file)


@contextlib.contextmanager
def using(content_root: Path | str | None = None, folders=None):
    """Use other content for a while (tests, a trainer trying a copy): ``content_root`` in
    place of ``peerlib/data``, ``folders`` in place of the trainer folders."""
    before = dict(_settings)
    _settings["root"] = Path(content_root) if content_root else SHIPPED
    _settings["folders"] = None if folders is None else [Path(f) for f in folders]
    reload()
    try:
        yield
    finally:
        _settings.update(before)
        reload()


# --- one cache ------------------------------------------------------------------------------


def cached(function):
    """Keep ``function``'s result per arguments until ``reload()`` (errors are not kept)."""

    @functools.wraps(function)
    def wrapper(*args):
        key = (function, args)
        if key not in _cache:
            _cache[key] = function(*args)
        return _cache[key]

    return wrapper


def reload() -> None:
    """Read the content again (after editing a content or trainer file in a running kernel)."""
    _cache.clear()
    _skipped.clear()
    _warned.clear()


# --- the ids progress records may refer to ---------------------------------------------------


def known_ids():
    """The content's ids, for the progress store and readers (``exportfile.KnownIds``): every
    module, question, scenario and reflection prompt. Ids from a file that was left out
    cannot be known, and are accepted if well formed."""
    return _known_ids()


@cached
def _known_ids():
    from . import bank, curriculum, exercises  # they read content through this module
    from .exportfile import KnownIds

    modules = tuple(curriculum.module_ids())
    questions = bank.question_ids()
    return KnownIds(
        modules=modules,
        questions=None if bank.skipped_question_files() else frozenset(questions),
        exercises=frozenset(exercises.exercise_ids()),
        prompts={m: frozenset(exercises.prompt_ids(m)) for m in modules},
        unread=frozenset(exercises.unread_modules()),
    )


# --- skipped files --------------------------------------------------------------------------


def skip(file: str, problems: list[str]) -> None:
    """Leave out a file that cannot be used: warn once, and keep its problems."""
    _skipped[file] = list(problems)
    if file not in _warned:
        _warned.add(file)
        warnings.warn(
            f"peerlib left out {file}, which has {len(problems)} problem(s); the rest of the "
            f"workbook works. First: {problems[0]} Fix the file, then run "
            "`peerlib bank validate` (or peerlib.content.reload() in a notebook).",
            ContentWarning,
            stacklevel=3,
        )


def problems() -> list[str]:
    """The problems of every file left out since the last ``reload()``."""
    return [p for found in _skipped.values() for p in found]


def skipped() -> list[str]:
    """The files left out since the last ``reload()`` (as ``shown``)."""
    return list(_skipped)


# --- reading --------------------------------------------------------------------------------


def read_text(file: Path | str, name: str | None = None) -> str:
    """A content file's text: at most ``MAX_BYTES``, UTF-8 (a byte-order mark is fine)."""
    file, name = Path(file), name or shown(file)
    try:
        size = file.stat().st_size
        if size > MAX_BYTES:
            raise ContentError(
                f"{name}: the file is {size / 2**20:.1f} MB; a content file may be at most "
                f"{MAX_BYTES // 2**20} MB. Split it into smaller files."
            )
        data = file.read_bytes()
    except OSError as exc:
        raise ContentError(f"{name}: cannot read the file ({exc.strerror}).") from None
    return decode(data, name)


def decode(data: bytes, name: str) -> str:
    """A text file's bytes as text: UTF-8 (a byte-order mark is fine), never binary."""
    if b"\x00" in data[:8192]:
        raise ContentError(f"{name}: this is a binary file, not text; save it as UTF-8 text.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ContentError(
            f"{name}, line {line}: the file is not UTF-8 text (byte {exc.start}). Save it as "
            "UTF-8 (in Excel: Save As, 'CSV UTF-8'; in a text editor: encoding UTF-8)."
        ) from None


# libyaml's parser where PyYAML has it (every wheel and conda-forge build): about ten times
# faster than the pure-Python one, and the same data from the same safe constructor.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_ANCHOR = re.compile(r"(?:^|[\s\[{,])&\S", re.M)


def _refuse_aliases(text: str) -> None:
    """Raise at the first alias (``*name``): a few aliased lines can expand to gigabytes, so
    content files write their text out. Reads the events only, which never expand, and only
    when the text has an anchor (``&name``) for an alias to name: an alias without one is
    already an error."""
    if not _ANCHOR.search(text):
        return
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None,
                None,
                "aliases (*name) are not allowed in content files; write the text out",
                event.start_mark,
            )


def _refuse_repeated_keys(root, name: str) -> None:
    """Raise at a key given twice in one mapping: YAML would keep the last and silently lose
    the first (a second ``patterns:`` under one entry)."""
    nodes = [root] if root is not None else []
    while nodes:
        node = nodes.pop()
        if isinstance(node, yaml.MappingNode):
            seen: set = set()
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value in seen:
                    raise ContentError(
                        f"{name}, line {key.start_mark.line + 1}: `{key.value}` is given twice "
                        "in one entry, and YAML would keep only the last; merge the two."
                    )
                seen.add(key.value)
                nodes.append(value)
        elif isinstance(node, yaml.SequenceNode):
            nodes.extend(node.value)


def parse_yaml(text: str, name: str):
    """YAML text as (data, root node), with errors that say where and what to do."""
    loader = _Loader(text)
    try:
        _refuse_aliases(text)
        node = loader.get_single_node()
        _refuse_repeated_keys(node, name)
        return (loader.construct_document(node) if node is not None else None), node
    except yaml.YAMLError as exc:
        if "nesting depth" in str(exc):  # libyaml's own limit
            raise ContentError(f"{name}: nested too deeply to read; flatten the file.") from None
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        line = text.splitlines()[mark.line] if mark and mark.line < len(text.splitlines()) else ""
        tabs = "\t" in line[: len(line) - len(line.lstrip())] or "'\\t'" in str(exc)
        hint = " Indent with spaces, not tabs." if tabs else ""
        raise ContentError(f"{name}{where}: not valid YAML ({problem}).{hint}") from None
    except RecursionError:
        raise ContentError(f"{name}: nested too deeply to read; flatten the file.") from None
    finally:
        loader.dispose()


def read_yaml(file: Path | str, name: str | None = None):
    """A content YAML file as (data, root node); ``ContentError`` naming file and line."""
    name = name or shown(file)
    return parse_yaml(read_text(file, name), name)
