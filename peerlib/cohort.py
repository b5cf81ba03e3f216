"""A whole cohort's progress: load many learners, pseudonymise them, aggregate per competency.

``load`` reads a folder (or list) of learner export files, the course service of a hub
(``"hub"``), or a database, into tidy DataFrames keyed by a pseudonymous ``learner_key``.
Export files are read and checked by ``exportfile`` (not through a database) so that 10,000
files load in seconds: every record of every file is checked at once, and a file with any
problem is skipped with the same one-line reason a single import would give.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import bank, content, curriculum, exportfile
from .exportfile import PHASES
from .store import COLUMN_DTYPES

HUB = "hub"  # the source naming the course service (JupyterHub), read with the trainer's token
PROGRESS_OVER = 50  # progress=None shows a progress bar for more files than this

# Recorded fields of each kind of record (besides learner and recorded_at); texts never load.
FIELDS = {
    name: tuple(f for f in exportfile.RECORD[name].fields if f != "text")
    for name in ("ratings", "choices", "answers", "reflections", "completions")
}
_TEXT = pd.Series(["x"]).dtype  # this pandas' default string dtype

# Two-sided 95% critical values of Student's t for 1-30 degrees of freedom (standard tables).
_T95 = np.array(
    [12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281]
    + [2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860]
    + [2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423]
)


def _dtype(column: str):
    """The dtype of a column of a cohort's frames (ids and phases are categoricals)."""
    if column == "competency_id":
        return pd.CategoricalDtype(curriculum.module_ids())  # SAMHSA's and the workbook's own
    if column == "phase":
        return pd.CategoricalDtype(PHASES)
    return COLUMN_DTYPES.get(column, _TEXT)


SECRET_FILE = "course-secret"  # in the trainer's PEERLIB_HOME


def course_secret() -> bytes:
    """The trainer's per-course secret that keys the pseudonyms (``$PEERLIB_HOME/course-secret``).

    Made on first use, readable by the trainer only (mode 0600). Keep it for the whole
    course: a new secret gives every learner a new key.
    """
    from .paths import peerlib_home

    path = peerlib_home() / SECRET_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if path.stat().st_mode & 0o077:  # readable by others: make it the trainer's only
            path.chmod(0o600)
    else:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32) + "\n")
    secret = path.read_text(encoding="ascii").strip()
    if len(secret) < 32:
        raise ValueError(f"the course secret in {path} is too short: delete the file to make one")
    return secret.encode("ascii")


def pseudonym(learner_id: str, secret: bytes | None = None) -> str:
    """The stable pseudonymous key of a learner: ``L-`` and 10 hex digits of an HMAC-SHA256
    of the learner id keyed with the course secret (``course_secret()`` by default).

    Without the secret, a key cannot be matched to a learner by hashing a list of names.
    """
    key = course_secret() if secret is None else secret
    return "L-" + hmac.new(key, learner_id.encode("utf-8"), hashlib.sha256).hexdigest()[:10]


def _keys(learner_ids, names: bool) -> dict[str, str]:
    """Each learner id's key in a cohort: the id itself with names, else its pseudonym."""
    secret = None if names else course_secret()
    return {i: i if names else pseudonym(i, secret) for i in learner_ids}


@dataclass(frozen=True, eq=False)
class Cohort:
    """Many learners' progress as tidy DataFrames, one row per record, keyed by learner_key.

    ``learners`` has ``learner_key`` (and ``display_name`` when loaded with ``names=True``);
    ``ratings``, ``choices``, ``answers`` (no text), ``reflections`` (no text) and
    ``completions`` have ``learner_key``, the record's fields and ``recorded_at`` (UTC).
    ``skipped`` lists (file name, reason) for every file that was not loaded.
    """

    learners: pd.DataFrame
    ratings: pd.DataFrame
    choices: pd.DataFrame
    answers: pd.DataFrame
    reflections: pd.DataFrame
    completions: pd.DataFrame
    skipped: list[tuple[str, str]] = field(default_factory=list)
    sources: int = 0
    names: bool = False
    origin: str = "files"  # "files", "database" or "hub"

    def summary(self, show: int = 5) -> str:
        """One line: how many learners from how many sources, and which files were skipped."""
        learners = plural(len(self.learners), "learner")
        if self.origin == "database":
            return f"Loaded {learners} from the database."
        text = f"Loaded {learners} from {plural(self.sources, 'file')}"
        if self.origin == "hub":
            text = f"Loaded {learners} from the course service"
        if not self.skipped:
            return text + "."
        listed = ", ".join(f"{name} ({reason})" for name, reason in self.skipped[:show])
        more = f", and {len(self.skipped) - show} more" if len(self.skipped) > show else ""
        return f"{text}; skipped {len(self.skipped)}: {listed}{more}."


def plural(n: int, word: str, words: str | None = None) -> str:
    """'1 file', '2 files', '1,000 files' (``words``: an irregular plural)."""
    return f"{n:,} {word if n == 1 else words or word + 's'}"


# --- loading -------------------------------------------------------------------------------


def load(source, names: bool = False, progress: bool | None = None) -> Cohort:
    """Load a cohort from a folder of export files, a list of files, or a database URL.

    Learners are keyed by ``pseudonym(learner_id)`` unless ``names=True`` (then the key is
    the learner id and ``learners`` has ``display_name``). A bad file is skipped and listed
    in ``Cohort.skipped`` with the reason; a learner found in several files is merged.
    ``progress`` shows a progress bar (None: when there are more than 50 files).
    """
    if source == HUB:
        return _from_hub(names, progress)
    if isinstance(source, str) and "://" in source:
        return _from_database(source, names)
    files = _export_files(source)
    show = len(files) > PROGRESS_OVER if progress is None else bool(progress)
    return _from_files(files, names, show)


def _export_files(source) -> list[str]:
    """The export files to read, as path strings (a folder's *.json files, by name)."""
    if not isinstance(source, (str, os.PathLike)):
        return [os.path.expanduser(p) for p in source]
    path = os.path.expanduser(source)
    if os.path.isdir(path):  # hidden files (e.g. macOS "._name.json") are not exports
        names = (e.name for e in os.scandir(path) if e.name.endswith(".json") and e.is_file())
        return [os.path.join(path, name) for name in sorted(names) if not name.startswith(".")]
    if not os.path.exists(path):
        raise FileNotFoundError(
            f"No folder or file {str(path)!r}: give a folder of learner export files "
            "(*.json), a list of files, or a database URL such as sqlite:///hub.sqlite."
        )
    return [path]


def _from_hub(names: bool, progress: bool | None) -> Cohort:
    """The cohort the course service holds, read with the trainer's hub token."""
    from .hub import CourseClient

    exports = CourseClient().cohort()
    labels = [f"learner {n}" for n in range(1, len(exports) + 1)]
    show = len(exports) > PROGRESS_OVER if progress is None else bool(progress)
    cohort = _from_files(
        labels, names, show, read=dict(zip(labels, exports, strict=True)).__getitem__
    )
    return dataclasses.replace(cohort, origin="hub")


def _from_files(files: list[str], names: bool, show: bool, read=None) -> Cohort:
    from tqdm.auto import tqdm

    def parsed(path):
        try:
            return (read or exportfile.load)(path)
        except exportfile.Refused as exc:
            return exc

    bar = tqdm(files, desc="Loading exports", unit="file", disable=not show)
    files_read = [parsed(path) for path in bar]
    batch = exportfile.check_many(files_read, texts=False, ids=content.known_ids())
    good = sorted(batch.headers)
    ids = [batch.headers[i].learner_id for i in good]
    keys = _keys(ids, names)
    key_of_file = np.empty(len(files), dtype=object)
    key_of_file[good] = [keys[learner_id] for learner_id in ids]
    people = pd.DataFrame(
        {
            "learner_key": key_of_file[good],
            "display_name": [batch.headers[i].display_name for i in good],
        },
        dtype=object,
    )
    frames = {}
    for kind in FIELDS:
        frame, owner = batch.records[kind]
        frame = frame[list(FIELDS[kind]) + ["recorded_at"]].copy()
        frame.insert(0, "learner_key", key_of_file[owner])
        frames[kind] = frame
    skipped = [(os.path.basename(str(files[i])), batch.reasons[i]) for i in sorted(batch.reasons)]
    merge = len(keys) < len(ids)
    return _cohort(people, frames, names, merge, skipped=skipped, sources=len(files))


def _from_database(url: str, names: bool) -> Cohort:
    from sqlalchemy.engine import make_url

    from .store import ProgressStore

    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() == "sqlite" and database not in (None, "", ":memory:"):
        if not Path(database).expanduser().exists():
            raise FileNotFoundError(f"No SQLite database file {database!r}: check the URL {url!r}.")
    with ProgressStore(url) as store:
        people = store.learners()[["learner_id", "display_name"]]
        frames = {
            kind: getattr(store, kind)()[["learner_id", *FIELDS[kind], "recorded_at"]]
            for kind in FIELDS
        }
    keys = _keys(people["learner_id"], names)
    people = people.rename(columns={"learner_id": "learner_key"})
    people["learner_key"] = people["learner_key"].map(keys)
    for kind, frame in frames.items():
        frame = frame.rename(columns={"learner_id": "learner_key"})
        frame["learner_key"] = frame["learner_key"].map(keys)
        frames[kind] = frame
    return _cohort(people, frames, names, False, sources=1, origin="database")


def _cohort(people: pd.DataFrame, frames: dict, names: bool, merge: bool, **extra) -> Cohort:
    """The Cohort of keyed, checked frames, typed, with one row per learner in ``learners``.

    Records keep their sources' order. ``merge``: some learner appears in several sources, so
    records are de-duplicated by their natural key (every field and the time). A module
    completed twice counts once (the first time).
    """
    people = people.astype(object).where(people.notna(), None)
    people = people.groupby("learner_key", sort=True, as_index=False).first()
    if not names:
        people = people.drop(columns="display_name")
    typed = {}
    for kind, frame in frames.items():
        frame = frame.astype({c: _dtype(c) for c in frame.columns})
        if kind == "completions":
            frame = frame.sort_values("recorded_at", kind="stable")
            frame = frame.drop_duplicates(["learner_key", "competency_id"])
        elif merge:
            frame = frame.drop_duplicates()
        typed[kind] = frame.reset_index(drop=True)
    return Cohort(
        learners=people.astype({"learner_key": _TEXT}).reset_index(drop=True),
        names=names,
        **typed,
        **extra,
    )


# --- aggregates ----------------------------------------------------------------------------


def latest(ratings: pd.DataFrame, by=("learner_key", "competency_id")) -> pd.DataFrame:
    """The latest rating row (by ``recorded_at``) for each combination of the ``by`` columns."""
    ordered = ratings.sort_values("recorded_at", kind="stable")
    return ordered.drop_duplicates(list(by), keep="last")


def t95(df) -> np.ndarray:
    """Two-sided 95% critical value of Student's t for ``df`` degrees of freedom (NaN if < 1).

    Exact table values (4 decimals) up to 30; above, the Cornish-Fisher expansion
    z + (z³ + z)/4df + (5z⁵ + 16z³ + 3z)/96df², within 0.0002 of the exact value.
    """
    df = np.asarray(df, dtype=float)
    z = 1.959964
    with np.errstate(divide="ignore", invalid="ignore"):
        approx = z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
    table = _T95[np.clip(np.nan_to_num(df), 1, 30).astype(int) - 1]
    return np.where(df < 1, np.nan, np.where(df <= 30, table, approx))


def _competency_frame() -> pd.DataFrame:
    """Every module (SAMHSA's twelve categories and the workbook's own), in the learner's order."""
    return curriculum.load_modules()[["competency_id", "short"]]


def _describe(ratings: pd.DataFrame, phase: str) -> pd.DataFrame:
    values = ratings.loc[ratings["phase"] == phase].groupby("competency_id", observed=True)["value"]
    return (
        values.agg(["count", "mean", "median"])
        .add_suffix(f"_{phase}")
        .rename(columns={f"count_{phase}": f"n_{phase}"})
    )


def aggregate(cohort: Cohort) -> pd.DataFrame:
    """Per module, in the learner's order (SAMHSA's twelve categories and the workbook's own
    modules): how confident the cohort was before and after.

    Columns: competency_id, short; n, mean and median of each learner's latest ``before``
    and latest ``after`` rating; n_paired, mean_change (after - before, for learners with
    both) and its 95% confidence interval ci_low-ci_high (t distribution; NaN for fewer than
    2 pairs); n_rated (learners with any rating) and share_not_confident (the share of them
    whose latest rating, any phase, is 1 or 2).
    """
    by_phase = latest(cohort.ratings, ("learner_key", "competency_id", "phase"))
    keys = ["learner_key", "competency_id"]
    before = by_phase.loc[by_phase["phase"] == "before", [*keys, "value"]]
    after = by_phase.loc[by_phase["phase"] == "after", [*keys, "value"]]
    paired = before.merge(after, on=keys, suffixes=("_before", "_after"))
    change = (paired["value_after"] - paired["value_before"]).groupby(
        paired["competency_id"], observed=True
    )
    now = latest(cohort.ratings)
    low = (now["value"] <= 2).groupby(now["competency_id"], observed=True)
    stats = pd.concat(
        [
            _describe(by_phase, "before"),
            _describe(by_phase, "after"),
            change.agg(["count", "mean", "std"]).set_axis(
                ["n_paired", "mean_change", "sd"], axis=1
            ),
            low.agg(["count", "mean"]).set_axis(["n_rated", "share_not_confident"], axis=1),
        ],
        axis=1,
    )
    frame = _competency_frame().join(stats, on="competency_id")
    counts = ["n_before", "n_after", "n_paired", "n_rated"]
    frame[counts] = frame[counts].fillna(0).astype("int64")
    half = t95(frame["n_paired"] - 1) * frame.pop("sd") / np.sqrt(frame["n_paired"])
    frame.insert(frame.columns.get_loc("mean_change") + 1, "ci_low", frame["mean_change"] - half)
    frame.insert(frame.columns.get_loc("ci_low") + 1, "ci_high", frame["mean_change"] + half)
    return frame


def completion(cohort: Cohort) -> pd.DataFrame:
    """Per module, in the learner's order: competency_id, short, learners_completed, share."""
    done = cohort.completions.drop_duplicates(["learner_key", "competency_id"])
    frame = _competency_frame()
    counts = (
        done.groupby("competency_id", observed=True)
        .size()
        .reindex(frame["competency_id"], fill_value=0)
    )
    frame["learners_completed"] = counts.to_numpy(dtype="int64")
    learners = len(cohort.learners)
    frame["share"] = frame["learners_completed"] / learners if learners else np.nan
    return frame


def follow_up(cohort: Cohort) -> pd.DataFrame:
    """Learners a trainer may want to check in with (for the trainer's view only).

    One row per learner and competency where the latest crisis rating is 1 or 2, the latest
    ``after`` rating is below the latest ``before``, or the latest rating is below the one
    before it. Columns: learner_key, display_name (with names), reason, competency_id.
    """
    keys = ["learner_key", "competency_id"]
    ratings = cohort.ratings.sort_values("recorded_at", kind="stable")
    ratings = ratings.assign(previous=ratings.groupby(keys, observed=True)["value"].shift())
    phases = latest(ratings, (*keys, "phase")).pivot(index=keys, columns="phase", values="value")
    rows = latest(ratings).join(phases.reindex(columns=["before", "after"]), on=keys)
    crisis = (rows["competency_id"] == "crisis") & (rows["value"] <= 2)
    dropped = rows["after"] < rows["before"]
    fell = (rows["value"] < rows["previous"]) & ~dropped
    rows = rows[crisis | dropped | fell]
    crisis, dropped, fell = crisis[rows.index], dropped[rows.index], fell[rows.index]
    number = {
        c: rows[c].astype("Int64").astype(str) for c in ("value", "before", "after", "previous")
    }
    crisis_name = bank.competency("crisis")["short"]
    low = f"latest rating for {crisis_name} is " + number["value"] + " of 5"
    drop = "dropped from " + number["before"] + " before to " + number["after"] + " after"
    lower = "latest rating " + number["value"] + " is lower than the previous " + number["previous"]
    change = drop.where(dropped, lower.where(fell, ""))
    reason = low.where(crisis, "") + np.where(crisis & (dropped | fell), "; ", "") + change
    flagged = rows[keys].assign(reason=reason).sort_values(keys)
    columns = ["learner_key", "reason", "competency_id"]
    if cohort.names:
        flagged = flagged.merge(cohort.learners, on="learner_key", how="left")
        columns.insert(1, "display_name")
    return flagged[columns].reset_index(drop=True)
