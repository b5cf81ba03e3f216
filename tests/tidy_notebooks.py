"""Tidy the learner notebooks (``notebooks/*.ipynb``) so they read well as an app and in JupyterLab.

Run it from anywhere, as often as you like (it changes only what is not tidy yet), e.g. after
merging someone else's notebook edits::

    python tests/tidy_notebooks.py          # rewrite what is not tidy, list the files changed
    python tests/tidy_notebooks.py --check  # change nothing; exit 1 if a notebook is not tidy

What "tidy" means, for every learner notebook (the trainer notebooks in notebooks/trainer/ are
for instructors and keep their code in view):

- every code cell is collapsed in JupyterLab (``metadata.jupyter.source_hidden``); the app
  (Voila) never shows code anyway;
- every code cell runs on its own, in any order: the imports a cell needs are on its own line
  (``import peerlib.widgets as w; w.SelfRating("crisis", phase="before")``), so a cell that only
  imports is not needed and is removed;
- no glyph needs an emoji font: the few emoji the text used are taken out (the words stay).

``tests/test_tidy_notebooks.py`` fails when a notebook is not tidy, with this command as the fix.
"""

from __future__ import annotations

import argparse
import ast
import builtins
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"

# The names notebooks use, and the one import that defines each.
IMPORTS = {
    "w": "import peerlib.widgets as w",
    "pages": "from peerlib import pages",
    "charts": "from peerlib import charts",
    "bank": "from peerlib import bank",
    "peerlib": "import peerlib",
    "Markdown": "from IPython.display import Markdown",
    "display": "from IPython.display import display",
    "peerlib_home": "from peerlib.paths import peerlib_home",
}
KNOWN = set(dir(builtins))

# Emoji (and their joiners and presentation selectors) that need an emoji font, and the text
# that replaces them; anything else in the emoji planes is reported, not guessed at.
EMOJI_TEXT = {
    "\U0001f9d1\u200d\U0001f3eb ": "",  # 🧑‍🏫 teacher
    "\U0001f512 ": "",  # 🔒 lock
    "\u26a0\ufe0f ": "",  # ⚠️ warning sign as emoji
}
EMOJI = re.compile("[\U0001f000-\U0001faff\u200d\ufe0f]")


def learner_notebooks() -> list[Path]:
    return sorted(NOTEBOOKS.glob("*.ipynb"))


def free_names(source: str) -> set[str]:
    """Names a cell reads but neither defines nor gets from Python's builtins."""
    tree = ast.parse(source)
    bound, loaded = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                bound.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return loaded - bound - KNOWN


def only_imports(source: str) -> bool:
    body = ast.parse(source).body
    return bool(body) and all(isinstance(s, ast.Import | ast.ImportFrom) for s in body)


def self_contained(source: str) -> str:
    """``source`` with the imports it needs put in front (on its line, for a one-line cell)."""
    needed = [IMPORTS[name] for name in sorted(free_names(source)) if name in IMPORTS]
    if not needed:
        return source
    # one import line per module, in a stable order
    joiner = "; " if "\n" not in source.strip() else "\n"
    return joiner.join(sorted(set(needed))) + joiner + source.strip()


def plain_text(source: str) -> str:
    for emoji, text in EMOJI_TEXT.items():
        source = source.replace(emoji, text)
    return source


def tidy(nb) -> list[str]:
    """Tidy ``nb`` in place; what was changed, in words (empty when it was tidy)."""
    changes, cells = [], []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            text = plain_text(cell.source)
            if text != cell.source:
                cell.source = text
                changes.append(f"cell {index}: emoji taken out of the text")
        if cell.cell_type == "code":
            if only_imports(cell.source):
                changes.append(f"cell {index}: an imports-only cell removed")
                continue
            source = self_contained(cell.source)
            if source != cell.source:
                cell.source = source
                changes.append(f"cell {index}: imports put on the cell's own line")
            jupyter = cell.metadata.setdefault("jupyter", {})
            if jupyter.get("source_hidden") is not True:
                jupyter["source_hidden"] = True
                changes.append(f"cell {index}: code collapsed")
        cells.append(cell)
    nb.cells = cells
    return changes


def problems(nb) -> list[str]:
    """What tidying cannot fix: names no cell import provides, emoji it does not know."""
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            missing = free_names(cell.source) - set(IMPORTS)
            if missing:
                found.append(f"cell {index} uses {sorted(missing)}, defined in another cell")
        for char in sorted(set(EMOJI.findall(cell.source))):
            found.append(f"cell {index}: {char!r} (U+{ord(char):04X}) needs an emoji font")
    return found


def read(path: Path):
    return nbformat.read(path, as_version=nbformat.NO_CONVERT)


def write(nb, path: Path) -> None:
    Path(path).write_text(nbformat.writes(nb) + "\n", encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if untidy")
    args = parser.parse_args(argv)
    status = 0
    for path in learner_notebooks():
        nb = read(path)
        changes = tidy(nb)
        name = path.relative_to(ROOT)
        for problem in problems(nb):
            print(f"{name}: {problem}", file=sys.stderr)
            status = 1
        if changes:
            if args.check:
                print(f"{name}: not tidy ({len(changes)} changes, e.g. {changes[0]})")
                status = 1
            else:
                nbformat.validate(nb)
                write(nb, path)
                print(f"{name}: {len(changes)} changes")
    return status


if __name__ == "__main__":
    sys.exit(main())
