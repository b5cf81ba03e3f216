"""THE progress file: its format, version and limits, its records, one validator, and I/O.

A progress file is one learner's records as UTF-8 JSON::

    {"format": "peerlib-progress", "version": 1, "exported_at": "2026-11-22T07:00:00.000000Z",
     "include_text": false, "learner": {"learner_id": "ana", "display_name": "Ana"},
     "ratings": [...], "answers": [...], "choices": [...], "reflections": [...],
     "completions": [...]}

Every reader goes through this module: the learner store's import, the course service and
the cohort loader. ``check_many`` checks many parsed files at once (vectorised with pandas,
so 10,000 files load in seconds); ``check`` is the same validator on a batch of one. A bad
file gets one one-line reason (the same from every reader); values in reasons are cut short.
Files are read with a size limit and written atomically (``write``), readable by their owner
only. Files of an older version are upgraded (``UPGRADES``) before they are checked.
"""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import ProgressError, ProgressFileError

FORMAT = "peerlib-progress"
VERSION = 1
# Upgrades of older files: UPGRADES[n] turns a version-n file (a dict) into version n + 1.
UPGRADES: dict[int, Callable[[dict], dict]] = {}

# --- limits (the store's columns are sized from these) --------------------------------------
MAX_BYTES = 20 * 1024 * 1024  # one file, read or written
MAX_LEARNER_ID = 100
MAX_DISPLAY_NAME = 200
# The 1-5 self-rating scale: the one source of its words (widgets and charts use these).
RATING_LABELS = {
    1: "Not yet",
    2: "Getting started",
    3: "Fairly confident",
    4: "Confident",
    5: "Could teach it",
}
MAX_ID = 64  # competency, question, exercise and prompt ids
MAX_PHASE = 16
MAX_SUMMARY = 200
MAX_TEXT = 50_000  # characters of one answer or reflection
MAX_INT = 2**31 - 1  # the largest integer every database keeps (PostgreSQL INTEGER)
MAX_SECONDS = 7 * 24 * 3600.0  # time taken on one answer
EARLIEST = datetime(2000, 1, 1, tzinfo=timezone.utc)  # no record is older than this
CLOCK_SKEW = timedelta(minutes=10)  # how far a record may be after the file's exported_at
PHASES = ("before", "after", "checkin")
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"  # what files are written with (any ISO 8601 form with
# a time zone and up to 6 decimals of seconds is read)
_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,6})?)?(Z|[+-]\d\d:\d\d)")
# Characters a name, id or summary must not hold: control characters (NUL included), bidi
# overrides and isolates (they reorder what a trainer sees), line separators, lone surrogates.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"
)
# ... and a text must not hold: NUL and lone surrogates (they cannot be stored as UTF-8).
_UNSAFE_TEXT = re.compile("[\x00\ud800-\udfff]")


@dataclass(frozen=True)
class Record:
    """One kind of record: its list in the file, its fields and its natural key."""

    name: str  # the file's list and the store's table
    fields: tuple[str, ...]  # besides recorded_at
    key: tuple[str, ...]  # identifies a record within a learner (for merging imports)
    filters: tuple[str, ...]  # what the store's query method filters by
    unique: bool = False  # at most one per key (e.g. a module completed)

    @property
    def texts(self) -> bool:
        return "text" in self.fields


RECORDS = (
    Record(
        "ratings",
        ("competency_id", "phase", "value"),
        ("competency_id", "phase", "value", "recorded_at"),
        ("competency_id", "phase"),
    ),
    Record(
        "answers",
        ("question_id", "text", "feedback_summary", "seconds"),
        ("question_id", "feedback_summary", "seconds", "recorded_at"),
        ("question_id",),
    ),
    Record(
        "choices",
        ("exercise_id", "choice", "is_best"),
        ("exercise_id", "choice", "is_best", "recorded_at"),
        ("exercise_id",),
    ),
    Record(
        "reflections",
        ("competency_id", "prompt_id", "text"),
        ("competency_id", "prompt_id", "recorded_at"),
        ("competency_id", "prompt_id"),
    ),
    Record("completions", ("competency_id",), ("competency_id",), ("competency_id",), True),
)
RECORD = {record.name: record for record in RECORDS}
# Each field's type and size: ("string", n), ("text", n), ("integer",), ("float",), ("boolean",)
FIELD_TYPES = {
    "competency_id": ("string", MAX_ID),
    "phase": ("string", MAX_PHASE),
    "value": ("integer",),
    "question_id": ("string", MAX_ID),
    "text": ("text", MAX_TEXT),
    "feedback_summary": ("string", MAX_SUMMARY),
    "seconds": ("float",),
    "exercise_id": ("string", MAX_ID),
    "choice": ("integer",),
    "is_best": ("boolean",),
    "prompt_id": ("string", MAX_ID),
}
NULLABLE = {"text", "seconds"}  # text is null (or absent) in a file without texts
OPTIONAL = {"text"}  # may be absent from a record
SECTIONS = ("exported_at", "include_text", "learner", *(r.name for r in RECORDS))


# --- the ids a file may refer to ------------------------------------------------------------

ID_FIELDS = ("competency_id", "question_id", "exercise_id", "prompt_id")


@dataclass(frozen=True)
class KnownIds:
    """The ids a progress file may refer to, from the content (``content.known_ids()``).

    Readers given none check ids for their form only. ``questions=None``: any question id
    (a question file could not be read). A module in ``unread`` (its exercise file could not
    be read) accepts any exercise id ``<module>-…`` and any reflection prompt id.
    """

    modules: tuple[str, ...]
    questions: frozenset[str] | None
    exercises: frozenset[str]
    prompts: dict[str, frozenset[str]]  # module id -> its reflection prompt ids
    unread: frozenset[str] = frozenset()

    def allowed(self, field: str, row: dict):
        """The ids allowed in ``field`` (for a prompt id: those of ``row``'s module)."""
        if field == "competency_id":
            return self.modules
        if field == "question_id":
            return self.questions or frozenset()
        if field == "exercise_id":
            return self.exercises
        return self.prompts.get(row.get("competency_id"), frozenset())

    def unknowable(self, field: str, value: str, row: dict) -> bool:
        """Whether ``value`` may be right but cannot be checked (its content was not read)."""
        if field == "question_id":
            return self.questions is None
        if field == "exercise_id":
            return value.split("-", 1)[0] in self.unread
        return field == "prompt_id" and row.get("competency_id") in self.unread


# --- values: each check returns the clean value or raises ProgressError ----------------------


def shown(value, limit: int = 40) -> str:
    """A value for a message: its repr, cut after ``limit`` characters."""
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:limit]!r}… ({len(value):,} characters)"
    text = repr(value)
    return text if len(text) <= limit + 2 else text[:limit] + f"… ({len(text):,} characters)"


def _listing(values) -> str:
    values = list(values) if isinstance(values, (list, tuple)) else sorted(values)
    text = ", ".join(values[:4])
    return text + (f", … ({len(values)} in all)" if len(values) > 4 else "")


def check_string(value, what: str, limit: int, unsafe=_UNSAFE, blank: bool = True) -> str:
    """A string of at most ``limit`` characters without unsafe characters (NFC-normalised)."""
    if not isinstance(value, str):
        raise ProgressError(f"{what} must be a string, not {json_type(value)}")
    if len(value) > limit:
        raise ProgressError(
            f"{what} {shown(value)} is too long; allowed: up to {limit:,} characters"
        )
    bad = unsafe.search(value)
    if bad:
        raise ProgressError(
            f"{what} {shown(value)} holds the character U+{ord(bad.group()):04X}; allowed: "
            "printable text (no control, direction-override or unpaired surrogate characters)"
        )
    value = unicodedata.normalize("NFC", value)
    if not blank and not value.strip():
        raise ProgressError(f"{what} {shown(value)} is empty")
    return value


def check_learner_id(value) -> str:
    """A learner id: non-blank, printable, NFC-normalised, without surrounding spaces."""
    if value is None or isinstance(value, str) and not value.strip():
        raise ProgressError(
            f"learner id {shown(value)} is empty; allowed: a non-blank name "
            f"(up to {MAX_LEARNER_ID} characters)"
        )
    if isinstance(value, str):
        value = value.strip()
    return check_string(value, "learner id", MAX_LEARNER_ID, blank=False)


def check_display_name(value):
    if value is None:
        return None
    return check_string(value, "display name", MAX_DISPLAY_NAME)


def _one_of(value, allowed, what: str) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise ProgressError(
            f"unknown {what} {shown(value)}; allowed: {_listing(allowed) or 'none'}"
        )
    return value


def _integer(value, what: str, low: int, high: int) -> int:
    ok = isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))
    if not ok or not low <= value <= high:
        raise ProgressError(f"{what} {shown(value)} is not an integer from {low} to {high:,}")
    return int(value)


def _check_id(field: str, value, row: dict, ids: KnownIds | None) -> str:
    if field == "prompt_id":
        what = f"reflection prompt id for competency {shown(row.get('competency_id'))}"
    else:
        what = field.replace("_", " ")
    if ids is None or isinstance(value, str) and ids.unknowable(field, value, row):
        return check_string(value, what, MAX_ID, blank=False)
    return _one_of(value, ids.allowed(field, row), what)


def check_value(field: str, value, row: dict | None = None, ids: KnownIds | None = None):
    """One field of a record, checked (``row``: the fields before it, for a prompt id;
    ``ids``: the ids the content has, or None to check ids for their form only)."""
    row = row or {}
    if field == "phase":
        return _one_of(value, PHASES, "phase")
    if field in ID_FIELDS:
        return _check_id(field, value, row, ids)
    if field == "value":
        return _integer(value, "rating value", 1, 5)
    if field == "choice":
        return _integer(value, "choice index", 0, MAX_INT)
    if field == "is_best":
        if not isinstance(value, (bool, np.bool_)):
            raise ProgressError(f"is_best {shown(value)} is not true or false")
        return bool(value)
    if field == "seconds":
        number = isinstance(value, (int, float, np.number)) and not isinstance(value, bool)
        if value is not None and not (
            number and math.isfinite(value) and 0 <= value <= MAX_SECONDS
        ):
            raise ProgressError(
                f"seconds taken {shown(value)} is not a number from 0 to {MAX_SECONDS:,.0f} "
                "(or null/None if untimed)"
            )
        return None if value is None else float(value)
    if field == "text":
        if value is None:
            return None
        return check_string(value, "text", MAX_TEXT, _UNSAFE_TEXT)
    if field == "feedback_summary":
        return check_string(value, "feedback summary", MAX_SUMMARY)
    raise KeyError(field)


def check_fields(record: Record, values: dict, ids: KnownIds | None = None) -> dict:
    """A record's fields (not recorded_at), checked in order: a prompt id needs its competency."""
    row: dict = {}
    for field in record.fields:
        row[field] = check_value(field, values.get(field), row, ids)
    return row


# --- times ---------------------------------------------------------------------------------


def format_time(moment: datetime) -> str:
    """A time as files hold it: UTC with microseconds, like ``2026-11-22T07:00:00.000000Z``."""
    return moment.astimezone(timezone.utc).strftime(TIME_FORMAT)


def parse_time(value, what: str = "time", latest: datetime | None = None) -> datetime:
    """An ISO 8601 time with a time zone, as aware UTC, from 2000 to ``latest`` + skew."""
    moment = None
    if isinstance(value, str) and _TIME.fullmatch(value):
        try:
            moment = datetime.fromisoformat(value[:-1] + "+00:00" if value[-1] == "Z" else value)
            moment = moment.astimezone(timezone.utc)
        except ValueError:
            moment = None
        except OverflowError:  # e.g. 0001-01-01T00:00:00+01:00 (in the year 0 in UTC)
            moment = EARLIEST - CLOCK_SKEW
    if moment is None:
        raise ProgressError(
            f"{what} {shown(value)} is not an ISO 8601 time with a time zone "
            "(like 2026-11-22T07:00:00Z)"
        )
    if moment < EARLIEST:
        raise ProgressError(f"{what} {shown(value)} is before {EARLIEST.year}")
    if latest is not None and moment > latest + CLOCK_SKEW:
        raise ProgressError(f"{what} {shown(value)} is after the file's exported_at")
    return moment


# --- reading -------------------------------------------------------------------------------


class Refused(Exception):
    """A file cannot be read; the message is the one-line reason."""


def read_bytes(path) -> bytes:
    """A file's content, refusing files larger than ``MAX_BYTES`` (without reading them)."""
    try:
        with open(path, "rb") as handle:
            content = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise Refused(f"cannot be read ({exc.strerror or exc})") from None
    return content


def _unique_keys(pairs):
    data = dict(pairs)
    if len(data) < len(pairs):
        seen = set()
        twice = next(key for key, _ in pairs if key in seen or seen.add(key))
        raise ValueError(f"the key {shown(twice)} appears twice in one object")
    return data


def _no_constant(name: str):
    raise ValueError(f"{name} is not allowed in JSON")


def parse(content: bytes):
    """A file's bytes as JSON: UTF-8, at most ``MAX_BYTES``, no NaN, no duplicate keys."""
    if len(content) > MAX_BYTES:
        raise Refused(f"is larger than {MAX_BYTES // 2**20} MB, too large for a progress file")
    try:
        text = bytes(content).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Refused(f"is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        return json.loads(text, parse_constant=_no_constant, object_pairs_hook=_unique_keys)
    except (ValueError, RecursionError) as exc:
        raise Refused(f"is not valid JSON (truncated or corrupt? {str(exc)[:120]})") from None


def json_type(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, (bool, np.bool_)):
        return "true/false"
    names = {dict: "an object", list: "a list", str: "a string"}
    return names.get(type(value), "a number")


def _upgrade(data: dict) -> dict:
    version = data.get("version")
    if type(version) is not int or version < 0:
        raise Refused(f"has an invalid format version {shown(version)} (expected {VERSION})")
    if version > VERSION:
        raise Refused(
            f"was written by a newer peerlib (format version {version:,}; this peerlib reads "
            f"up to version {VERSION}): update peerlib (pip install -U peerlib) to read it"
        )
    while version < VERSION:
        if version not in UPGRADES:
            raise Refused(f"has format version {version}, which this peerlib cannot read")
        data = UPGRADES[version](dict(data))
        version += 1
        data["version"] = version
    return data


@dataclass(frozen=True)
class Header:
    """A checked file's learner and settings."""

    learner_id: str
    display_name: str | None
    include_text: bool
    exported_at: datetime


def check_header(data) -> tuple[Header, dict]:
    """Format, version (upgrading older files), learner and sections; raises ``Refused``."""
    if not isinstance(data, dict):
        raise Refused(f"is not a peerlib progress file (a JSON object, not {json_type(data)})")
    if data.get("format") != FORMAT:
        raise Refused(
            f"is not a peerlib progress file (format {shown(data.get('format'))}, expected "
            f"{FORMAT!r})"
        )
    data = _upgrade(data)
    missing = [key for key in SECTIONS if key not in data]
    if missing:
        raise Refused(f"is missing the field(s) {', '.join(missing)}")
    try:
        exported_at = parse_time(data["exported_at"], "exported_at")
        if not isinstance(data["include_text"], bool):
            raise ProgressError(f"include_text {shown(data['include_text'])} is not true or false")
        learner = data["learner"]
        if not isinstance(learner, dict) or "learner_id" not in learner:
            raise ProgressError("learner must be an object with a learner_id")
        learner_id = check_learner_id(learner["learner_id"])
        name = check_display_name(learner.get("display_name"))
    except ProgressError as exc:
        raise Refused(str(exc)) from None
    for record in RECORDS:
        items = data[record.name]
        if not isinstance(items, list):
            raise Refused(f"{record.name} must be a list, not {json_type(items)}")
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                raise Refused(f"{record.name}[{i}] must be an object, not {json_type(item)}")
    return Header(learner_id, name, data["include_text"], exported_at), data


# --- the vectorised validator --------------------------------------------------------------


def _is_missing(value) -> bool:
    return isinstance(value, float) and math.isnan(value)


def _map(values: pd.Series, ok) -> np.ndarray:
    return np.fromiter((ok(v) for v in values.to_numpy()), dtype=bool, count=len(values))


def _passes(field: str, row_of=None, ids: KnownIds | None = None):
    def ok(value) -> bool:
        try:
            check_value(field, value, row_of, ids)
        except ProgressError:
            return False
        return True

    return ok


def _valid_ids(field: str, frame: pd.DataFrame, ids: KnownIds) -> np.ndarray:
    """Which ids are allowed: known ones at pandas speed, then the others one by one."""
    values = frame[field]
    if field == "prompt_id":
        pairs = {(c, p) for c, prompts in ids.prompts.items() for p in prompts}
        zipped = zip(frame["competency_id"].to_numpy(), values.to_numpy(), strict=True)
        ok = np.fromiter(
            ((c, p) in pairs if isinstance(p, str) else False for c, p in zipped),
            dtype=bool,
            count=len(values),
        )
    else:
        ok = values.isin(list(ids.allowed(field, {}))).to_numpy(dtype=bool, copy=True)
    if ids.questions is None or ids.unread:
        for i in np.flatnonzero(~ok):
            row = {"competency_id": frame["competency_id"].iat[i]} if field == "prompt_id" else {}
            ok[i] = _passes(field, row, ids)(values.iat[i])
    return ok


def _valid(field: str, frame: pd.DataFrame, ids: KnownIds | None = None) -> np.ndarray:
    """Which values of a field are allowed: the same answer as ``check_value``, fast."""
    values = frame[field]
    if field == "phase":
        return values.isin(PHASES).to_numpy(dtype=bool)
    if field in ID_FIELDS:
        return _map(values, _passes(field)) if ids is None else _valid_ids(field, frame, ids)
    if field == "is_best":
        return _map(values, lambda v: isinstance(v, bool))
    if field in ("value", "choice"):
        high = 5 if field == "value" else MAX_INT
        low = 1 if field == "value" else 0
        return _map(values, lambda v: type(v) is int and low <= v <= high)
    if field == "text":
        return _map(values, lambda v: _is_missing(v) or _passes(field)(v))
    return _map(values, _passes(field))


def _valid_times(values: pd.Series, latest: np.ndarray) -> tuple[np.ndarray, pd.Series]:
    """Which recorded_at values are allowed (``latest``: each one's exported_at, naive UTC),
    and all of them as UTC times (NaT where not)."""
    raw = values.to_numpy()
    is_text = np.fromiter((isinstance(v, str) for v in raw), dtype=bool, count=len(raw))
    text = values.where(is_text)
    canonical = text.str.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", na=False)
    canonical = canonical.to_numpy(dtype=bool)
    naive = np.full(len(raw), np.datetime64("NaT"), dtype="datetime64[us]")
    if canonical.any():
        parsed = pd.to_datetime(text[canonical], format=TIME_FORMAT, errors="coerce")
        naive[canonical] = parsed.to_numpy(dtype="datetime64[us]")
    other = is_text & ~canonical
    if other.any():

        def one(value):
            try:
                return np.datetime64(parse_time(value).replace(tzinfo=None), "us")
            except ProgressError:
                return np.datetime64("NaT")

        naive[other] = [one(v) for v in raw[other]]
    earliest = np.datetime64(EARLIEST.replace(tzinfo=None), "us")
    limit = latest + np.timedelta64(CLOCK_SKEW)
    with np.errstate(invalid="ignore"):
        ok = ~np.isnat(naive) & (naive >= earliest) & (naive <= limit)
    times = pd.Series(naive, index=values.index).dt.tz_localize("UTC")
    return ok, times


def explain(record: Record, item: dict, latest: datetime, ids: KnownIds | None = None) -> str:
    """Why a record is refused (it is: the vectorised check said so)."""
    missing = [f for f in (*record.fields, "recorded_at") if f not in item and f not in OPTIONAL]
    if missing:
        return f"is missing the field(s) {', '.join(missing)}"
    try:
        check_fields(record, item, ids)
        parse_time(item["recorded_at"], "recorded_at", latest)
    except ProgressError as exc:
        return str(exc)
    return "is not allowed"  # pragma: no cover - the checks agree


@dataclass
class Batch:
    """Many checked files: their headers, their records per kind (one frame with the index of
    each record's file in ``owner``), and the reason of every refused file."""

    headers: dict[int, Header]
    records: dict[str, tuple[pd.DataFrame, np.ndarray]]
    reasons: dict[int, str]

    def rows(self, index: int) -> dict[str, list[dict]]:
        """The clean records of one good file, as dicts (recorded_at: aware UTC datetimes)."""
        out = {}
        for name, (frame, owner) in self.records.items():
            part = frame[owner == index]
            rows = []
            for item in part.to_dict("records"):
                if "text" in item and _is_missing(item["text"]):
                    item["text"] = None
                if "seconds" in item and item["seconds"] is not None:
                    item["seconds"] = float(item["seconds"])
                item["recorded_at"] = item["recorded_at"].to_pydatetime()
                rows.append(item)
            out[name] = rows
        return out


def check_many(files, texts: bool = True, ids: KnownIds | None = None) -> Batch:
    """Check many parsed files (or ``Refused`` for a file that could not be read) at once,
    ids against ``ids`` (the content's; None: ids are checked for their form only).

    A file with any problem is refused with one reason (its first problem, the same as
    ``check`` gives); the others' records are kept. ``texts=False`` drops the texts once
    checked (the cohort never shows them).
    """
    reasons: dict[int, str] = {}
    headers: dict[int, Header] = {}
    items: dict[str, list] = {r.name: [] for r in RECORDS}
    owners: dict[str, list] = {r.name: [] for r in RECORDS}
    for i, data in enumerate(files):
        try:
            if isinstance(data, Refused):
                raise data
            headers[i], data = check_header(data)
        except Refused as exc:
            reasons[i] = str(exc)
            continue
        for record in RECORDS:
            found = data[record.name]
            items[record.name].extend(found)
            owners[record.name].extend([i] * len(found))
    exported = [headers[i].exported_at if i in headers else EARLIEST for i in range(len(files))]
    latest_of = np.array([t.replace(tzinfo=None) for t in exported], dtype="datetime64[us]")
    records = {}
    for record in RECORDS:
        columns = [*record.fields, "recorded_at"]
        frame = pd.DataFrame(items[record.name], columns=columns, dtype=object)
        owner = np.asarray(owners[record.name], dtype=np.int64)
        ok = np.ones(len(frame), dtype=bool)
        for field in record.fields:
            ok &= _valid(field, frame, ids)
        good_times, times = _valid_times(frame["recorded_at"], latest_of[owner])
        ok &= good_times
        bad = np.flatnonzero(~ok)
        if len(bad):
            files_bad, first = np.unique(owner[bad], return_index=True)
            for file, row in zip(files_bad.tolist(), bad[first].tolist(), strict=True):
                if file not in reasons:
                    position = row - int(np.searchsorted(owner, file))
                    item = items[record.name][row]
                    why = explain(record, item, headers[file].exported_at, ids)
                    reasons[file] = f"{record.name}[{position}]: {why}"
        frame["recorded_at"] = times
        if "text" in frame and not texts:
            frame = frame.drop(columns="text")
        records[record.name] = (frame, owner)
    for i in reasons:
        headers.pop(i, None)
    for name, (frame, owner) in records.items():
        keep = ~np.isin(owner, list(reasons))
        frame = frame[keep].reset_index(drop=True)
        for field in ("text", "feedback_summary"):  # NFC-normalised, as check_value gives
            if field in frame and len(frame):
                frame[field] = frame[field].map(
                    lambda v: unicodedata.normalize("NFC", v) if isinstance(v, str) else v
                )
        records[name] = (frame, owner[keep])
    return Batch(headers, records, reasons)


def check(
    data, label: str = "the progress file", ids: KnownIds | None = None
) -> tuple[Header, dict[str, list[dict]]]:
    """Check one parsed file: its header and its clean records per kind, or
    ``ProgressFileError`` ("<label>: <reason>; nothing was imported")."""
    batch = check_many([data], ids=ids)
    if 0 in batch.reasons:
        raise ProgressFileError(f"{label}: {batch.reasons[0]}; nothing was imported")
    return batch.headers[0], batch.rows(0)


def read(
    source, name: str | None = None, ids: KnownIds | None = None
) -> tuple[Header, dict[str, list[dict]]]:
    """Read and check one file (a path, or its bytes): its header and clean records, or
    ``ProgressFileError`` naming the file and the one-line reason."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        label, content = name or "uploaded file", bytes(source)
    else:
        label = name or Path(source).name
        content = None
    try:
        data = parse(read_bytes(source) if content is None else content)
    except Refused as exc:
        raise ProgressFileError(f"{label}: {exc}; nothing was imported") from None
    return check(data, label, ids)


def load(path):
    """A file's parsed JSON (not checked), or ``Refused``: for readers that check many."""
    return parse(read_bytes(path))


# --- writing -------------------------------------------------------------------------------


def new(
    learner_id: str,
    display_name: str | None = None,
    records: dict[str, list[dict]] | None = None,
    include_text: bool = False,
    exported_at: datetime | str | None = None,
) -> dict:
    """A progress file's content (a dict) with the given records (each a list of dicts)."""
    if exported_at is None:
        exported_at = datetime.now(timezone.utc)
    if isinstance(exported_at, datetime):
        exported_at = format_time(exported_at)
    records = records or {}
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": exported_at,
        "include_text": bool(include_text),
        "learner": {"learner_id": learner_id, "display_name": display_name},
        **{r.name: list(records.get(r.name, ())) for r in RECORDS},
    }


def dumps(data: dict, indent: int | None = None) -> bytes:
    """A file's content as bytes; ``ProgressError`` if larger than ``MAX_BYTES``."""
    content = json.dumps(data, ensure_ascii=False, indent=indent, allow_nan=False).encode()
    if len(content) > MAX_BYTES:
        raise ProgressError(
            f"the progress file would be {len(content) / 2**20:.1f} MB, larger than the "
            f"{MAX_BYTES // 2**20} MB a progress file may be: export without texts "
            "(include_text=False)"
        )
    return content


STALE_SECONDS = 60  # a temporary file older than this is left over from a failed write


def write_private(path, content: bytes, durable: bool = True) -> Path:
    """Write a file atomically, readable by its owner only (0600): a temporary file in the
    same folder, fsync, rename. A failure leaves a previous file intact; temporary files
    left by an earlier failure (a crash) are removed. ``durable=False`` skips the fsyncs
    (for many files that can be written again, like a demo cohort)."""
    path = Path(path).expanduser()
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    prefix = f".{path.name}."
    for stale in folder.glob(f"{glob_escape(prefix)}*.tmp"):
        try:
            if time.time() - stale.stat().st_mtime > STALE_SECONDS:
                stale.unlink()
        except OSError:
            pass
    fd, temp = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=".tmp")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    if os.name == "posix":
        os.chmod(path, 0o600)
    if durable:
        _fsync_folder(folder)
    return path


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def write(data: dict, path, indent: int | None = 2, durable: bool = True) -> Path:
    """Write a progress file atomically and privately (see ``write_private``)."""
    return write_private(path, dumps(data, indent), durable)


def _fsync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX); not possible (nor needed) on Windows."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
