"""The learner's progress: ratings, answers, scenario choices, reflections and completions.

One ``ProgressStore`` wraps one database (an SQLite file under ``PEERLIB_HOME`` by default, or
any SQLAlchemy URL from ``PEERLIB_DB_URL``). Every record refers to ids, never to text, and
carries a UTC timestamp. A learner's records move between stores as one JSON export file.
"""

from __future__ import annotations

import hashlib
import json
import math
import numbers
import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    create_engine,
    event,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError

from .errors import (
    NotOwnerError,
    ProgressError,
    ProgressFileError,
    SchemaVersionError,
    StoreBusyError,
)
from .limits import (  # noqa: F401  (part of the store's interface)
    MAX_IMPORT_BYTES,
    MAX_LEARNER_ID,
    MAX_SUMMARY,
    RATING_LABELS,
    check_learner_id,
)
from .paths import peerlib_home

SCHEMA_VERSION = 1
EXPORT_FORMAT = "peerlib-progress"
EXPORT_VERSION = 1
PHASES = ("before", "after", "checkin")
MAX_DISPLAY_NAME = 200
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
_PG_SCHEMA_LOCK = 0x5EE21B  # pg_advisory_xact_lock key of schema and settings changes
LOCK_TIMEOUT_SECONDS = 10  # PostgreSQL: how long a write waits for its learner's lock
OWNER = "owner"  # the meta key naming the learner a store belongs to
_RESERVED = ("schema_version", OWNER)
SERVICE_HINT = (
    "Each learner keeps their own progress store; to share progress with a trainer, use "
    "“Send to my trainer” (the course service on a hub) or a progress file."
)
_TEXT = pd.Series(["x"]).dtype  # this pandas' default string dtype (object or str)


class _UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in Python, naive UTC in the database (same on every backend)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class _Kind:
    """One kind of record: its table, export section and query filters."""

    name: str  # table name and export section
    fields: tuple[str, ...]  # recorded fields besides learner_id and recorded_at
    key: tuple[str, ...]  # natural key within a learner, for de-duplicating imports
    filters: tuple[str, ...]  # what its query method filters by, besides learner_id
    unique: bool = False  # at most one row per key (a second record is a no-op)

    @property
    def table(self) -> Table:
        return _metadata.tables[self.name]

    @property
    def columns(self) -> list[str]:
        return ["learner_id", *self.fields, "recorded_at"]


RATINGS = _Kind(
    "ratings",
    ("competency_id", "phase", "value"),
    ("competency_id", "phase", "value", "recorded_at"),
    ("competency_id", "phase"),
)
ANSWERS = _Kind(
    "answers",
    ("question_id", "text", "feedback_summary", "seconds"),
    ("question_id", "feedback_summary", "seconds", "recorded_at"),
    ("question_id",),
)
CHOICES = _Kind(
    "choices",
    ("exercise_id", "choice", "is_best"),
    ("exercise_id", "choice", "is_best", "recorded_at"),
    ("exercise_id",),
)
REFLECTIONS = _Kind(
    "reflections",
    ("competency_id", "prompt_id", "text"),
    ("competency_id", "prompt_id", "recorded_at"),
    ("competency_id", "prompt_id"),
)
COMPLETIONS = _Kind("completions", ("competency_id",), ("competency_id",), ("competency_id",), True)
KINDS = (RATINGS, ANSWERS, CHOICES, REFLECTIONS, COMPLETIONS)

_TYPES = {
    "competency_id": String(64),
    "phase": String(16),
    "value": Integer,
    "question_id": String(64),
    "text": Text,
    "feedback_summary": String(MAX_SUMMARY),
    "seconds": Float,
    "exercise_id": String(64),
    "choice": Integer,
    "is_best": Boolean,
    "prompt_id": String(64),
}
_NULLABLE = {"text", "seconds"}  # text is absent after importing an export without texts
COLUMN_DTYPES = {
    "value": "int64",
    "choice": "int64",
    "is_best": "bool",
    "seconds": "float64",
    "recorded_at": "datetime64[us, UTC]",
    "created_at": "datetime64[us, UTC]",
}

_metadata = MetaData()
_meta = Table("meta", _metadata, Column("key", String(64), primary_key=True), Column("value", Text))
_learners = Table(
    "learners",
    _metadata,
    Column("learner_id", String(MAX_LEARNER_ID), primary_key=True),
    Column("display_name", String(MAX_DISPLAY_NAME)),
    Column("created_at", _UTCDateTime, nullable=False),
)
for _kind in KINDS:
    Table(
        _kind.name,
        _metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("learner_id", ForeignKey("learners.learner_id"), nullable=False, index=True),
        *(Column(f, _TYPES[f], nullable=f in _NULLABLE) for f in _kind.fields),
        Column("recorded_at", _UTCDateTime, nullable=False),
        *([UniqueConstraint("learner_id", *_kind.key)] if _kind.unique else []),
    )


# --- validation: each check returns the clean value or raises ProgressError ---------------


def _listing(values) -> str:
    values = list(values) if isinstance(values, (list, tuple)) else sorted(values)
    shown = ", ".join(values[:40])
    return shown + (f", … ({len(values)} in all)" if len(values) > 40 else "")


def _one_of(value, allowed, what: str) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise ProgressError(f"unknown {what} {value!r}; allowed: {_listing(allowed) or 'none'}")
    return value


def _integer(value, what: str, low: int, high: int | None = None) -> int:
    ok = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    if not ok or value < low or (high is not None and value > high):
        allowed = f"an integer from {low} to {high}" if high else f"an integer ≥ {low}"
        raise ProgressError(f"{what} {value!r} is not allowed; allowed: {allowed}")
    return int(value)


def _display_name(value):
    if value is not None and (not isinstance(value, str) or len(value) > MAX_DISPLAY_NAME):
        raise ProgressError(
            f"display name {str(value)[:40]!r} is not allowed; allowed: a string of up to "
            f"{MAX_DISPLAY_NAME} characters, or None"
        )
    return value


def _competency_id(value, row):
    from . import bank

    return _one_of(value, bank.competency_ids(), "competency id")


def _question_id(value, row):
    from . import bank

    return _one_of(value, bank.question_ids(), "question id")


def _exercise_id(value, row):
    from . import exercises

    return _one_of(value, exercises.exercise_ids(), "exercise id")


def _prompt_id(value, row):
    from . import exercises

    what = f"reflection prompt id for competency {row['competency_id']!r}"
    return _one_of(value, exercises.prompt_ids(row["competency_id"]), what)


def _phase(value, row):
    return _one_of(value, PHASES, "phase")


def _value(value, row):
    return _integer(value, "rating value", 1, 5)


def _choice(value, row):
    return _integer(value, "choice index", 0)


def _is_best(value, row):
    if not isinstance(value, bool):
        raise ProgressError(f"is_best {value!r} is not allowed; allowed: True or False")
    return value


def _seconds(value, row):
    number = isinstance(value, numbers.Real) and not isinstance(value, bool)
    if value is not None and (not number or not math.isfinite(value) or value < 0):
        raise ProgressError(
            f"seconds taken {value!r} is not allowed; allowed: a number ≥ 0, or None if untimed"
        )
    return None if value is None else float(value)


def _text(value, row):
    if value is not None and not isinstance(value, str):
        raise ProgressError(f"text must be a string, not {type(value).__name__}")
    return value


def _summary(value, row):
    if not isinstance(value, str) or len(value) > MAX_SUMMARY:
        raise ProgressError(
            f"feedback summary {str(value)[:40]!r} is not allowed; allowed: a string of up to "
            f"{MAX_SUMMARY} characters"
        )
    return value


_CHECKS = {
    "competency_id": _competency_id,
    "phase": _phase,
    "value": _value,
    "question_id": _question_id,
    "text": _text,
    "feedback_summary": _summary,
    "seconds": _seconds,
    "exercise_id": _exercise_id,
    "choice": _choice,
    "is_best": _is_best,
    "prompt_id": _prompt_id,
}


def _clean(kind: _Kind, values: dict) -> dict:
    """The kind's fields of ``values``, checked (in order: a prompt id needs its competency)."""
    row: dict = {}
    for field in kind.fields:
        row[field] = _CHECKS[field](values.get(field), row)
    return row


# --- timestamps ----------------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime(_TIME_FORMAT)


def _parse_time(value) -> datetime:
    """An ISO 8601 timestamp with a time zone (``…Z`` or ``…+00:00``), as aware UTC."""
    try:
        if not isinstance(value, str):
            raise ValueError
        moment = datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith("Z") else value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ProgressError(
            f"timestamp {value!r} is not allowed; allowed: ISO 8601 in UTC, like "
            "'2026-11-22T07:00:00.000000Z'"
        )
    return moment.astimezone(timezone.utc)


# --- the store -----------------------------------------------------------------------------


def _sqlite_setup(engine) -> None:
    """WAL, a busy timeout and foreign keys; writes start with BEGIN IMMEDIATE (they queue)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, connection_record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (below)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        write = conn.get_execution_options().get("peerlib_write")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


class ProgressStore:
    """A learner progress database.

    ``url`` is any SQLAlchemy URL; by default ``$PEERLIB_DB_URL``, else the SQLite file
    ``progress.sqlite`` under ``peerlib_home()``. The schema is created on first use; a database
    written by a newer peerlib raises ``SchemaVersionError`` and is left unchanged.
    """

    def __init__(self, url: str | URL | None = None):
        url = url or os.environ.get("PEERLIB_DB_URL")
        if not url:
            url = f"sqlite:///{peerlib_home() / 'progress.sqlite'}"
        self.url = make_url(url)
        database = self.url.database
        if self.url.get_backend_name() == "sqlite" and database not in (None, "", ":memory:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        self.engine = create_engine(self.url)
        if self.engine.dialect.name == "sqlite":
            _sqlite_setup(self.engine)
        try:
            self._open_schema()
        except BaseException:
            self.engine.dispose()
            raise

    def __repr__(self) -> str:
        return f"ProgressStore({self.url.render_as_string(hide_password=True)!r})"

    def close(self) -> None:
        """Close the database connections."""
        self.engine.dispose()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @contextmanager
    def _write(self, learner_id: str | None = None):
        """One write transaction; concurrent writers wait for each other instead of failing.

        On PostgreSQL writes of one learner queue on that learner's lock (other learners'
        writes go ahead), for at most ``LOCK_TIMEOUT_SECONDS``; SQLite queues every write.
        """
        with self.engine.connect() as conn:
            conn.execution_options(peerlib_write=True)
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_SECONDS}s'")
                    key = _PG_SCHEMA_LOCK if learner_id is None else _lock_key(learner_id)
                    try:
                        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
                    except OperationalError as exc:
                        who = f"of {learner_id!r} " if learner_id else ""
                        raise StoreBusyError(
                            f"another save {who}has held the progress database for more than "
                            f"{LOCK_TIMEOUT_SECONDS} s; nothing was written: try again"
                        ) from exc
                yield conn

    def _open_schema(self) -> None:
        with self._write() as conn:
            found = None
            if inspect(conn).has_table("meta"):
                found = conn.scalar(select(_meta.c.value).where(_meta.c.key == "schema_version"))
            if found is not None and not (found.isdigit() and int(found) <= SCHEMA_VERSION):
                where = self.url.render_as_string(hide_password=True)
                raise SchemaVersionError(
                    f"The progress database {where} was written by a newer version of "
                    f"peerlib (schema version {found}; this peerlib reads up to version "
                    f"{SCHEMA_VERSION}). Update peerlib (pip install -U peerlib) or set "
                    "PEERLIB_DB_URL to another database. Nothing was changed."
                )
            _metadata.create_all(conn)
            if found is None:
                conn.execute(insert(_meta).values(key="schema_version", value=str(SCHEMA_VERSION)))

    # --- settings (the meta table) -----------------------------------------------------

    def setting(self, key: str, default: str | None = None) -> str | None:
        """A value remembered in the store (e.g. ``current_learner``), or ``default``."""
        with self.engine.connect() as conn:
            found = conn.scalar(select(_meta.c.value).where(_meta.c.key == key))
        return default if found is None else found

    def set_setting(self, key: str, value: str) -> None:
        """Remember ``value`` under ``key`` in the store."""
        if key in _RESERVED:
            raise ProgressError(f"{key} is not a setting")
        with self._write() as conn:
            done = conn.execute(update(_meta).where(_meta.c.key == key).values(value=value))
            if done.rowcount == 0:
                conn.execute(insert(_meta).values(key=key, value=value))

    def owner(self) -> str | None:
        """The learner this store belongs to (None until its learner first uses it)."""
        return self.setting(OWNER)

    def claim(self, learner_id: str) -> str:
        """Check that the store is ``learner_id``'s (recording them as owner if it has none).

        Raises ``NotOwnerError`` if it belongs to another learner. Returns the clean id.
        """
        learner_id = check_learner_id(learner_id)
        with self._write() as conn:
            found = conn.scalar(select(_meta.c.value).where(_meta.c.key == OWNER))
            if found is None:
                conn.execute(insert(_meta).values(key=OWNER, value=learner_id))
            elif found != learner_id:
                where = self.url.render_as_string(hide_password=True)
                raise NotOwnerError(
                    f"The progress database {where} belongs to another learner, so it is not "
                    f"opened for {learner_id!r}. {SERVICE_HINT}"
                )
        return learner_id

    # --- learners ------------------------------------------------------------------------

    @staticmethod
    def _ensure(conn, learner_id: str, display_name=None, overwrite=True) -> None:
        found = conn.execute(
            select(_learners.c.display_name).where(_learners.c.learner_id == learner_id)
        ).first()
        if found is None:
            row = dict(learner_id=learner_id, display_name=display_name, created_at=_now())
            conn.execute(insert(_learners).values(**row))
        elif display_name is not None and (overwrite or found.display_name is None):
            conn.execute(
                update(_learners)
                .where(_learners.c.learner_id == learner_id)
                .values(display_name=display_name)
            )

    def ensure_learner(self, learner_id: str, display_name: str | None = None) -> str:
        """Create the learner if new (or set their display name); returns the clean id."""
        learner_id = check_learner_id(learner_id)
        display_name = _display_name(display_name)
        with self._write(learner_id) as conn:
            self._ensure(conn, learner_id, display_name)
        return learner_id

    def learners(self) -> pd.DataFrame:
        """One row per learner: learner_id, display_name, created_at."""
        stmt = select(_learners).order_by(_learners.c.learner_id)
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        return _frame(rows, ["learner_id", "display_name", "created_at"])

    # --- recording -----------------------------------------------------------------------

    def _record(self, kind: _Kind, learner_id, **values) -> None:
        learner_id = check_learner_id(learner_id)
        row = _clean(kind, values)
        with self._write(learner_id) as conn:
            self._ensure(conn, learner_id)
            table = kind.table
            if kind.unique:
                matches = [table.c[f] == row[f] for f in kind.key]
                if conn.execute(
                    select(table.c.id).where(table.c.learner_id == learner_id, *matches)
                ).first():
                    return
            conn.execute(insert(table).values(learner_id=learner_id, recorded_at=_now(), **row))

    def record_rating(self, learner_id: str, competency_id: str, phase: str, value: int) -> None:
        """Record a self-rating of confidence (1–5) ``before``, ``after`` or at a ``checkin``."""
        self._record(RATINGS, learner_id, competency_id=competency_id, phase=phase, value=value)

    def record_answer(
        self,
        learner_id: str,
        question_id: str,
        text: str,
        feedback_summary: str = "",
        seconds: float | None = None,
    ) -> None:
        """Record a practice answer, a short summary of its feedback and the time taken."""
        self._record(
            ANSWERS,
            learner_id,
            question_id=question_id,
            text=_require_text(text),
            feedback_summary=feedback_summary,
            seconds=seconds,
        )

    def record_choice(self, learner_id: str, exercise_id: str, choice: int, is_best: bool) -> None:
        """Record the choice (0-based index) made in a scenario and whether it was the best."""
        self._record(CHOICES, learner_id, exercise_id=exercise_id, choice=choice, is_best=is_best)

    def record_reflection(
        self, learner_id: str, competency_id: str, prompt_id: str, text: str
    ) -> None:
        """Record a written reflection on one of a module's prompts."""
        self._record(
            REFLECTIONS,
            learner_id,
            competency_id=competency_id,
            prompt_id=prompt_id,
            text=_require_text(text),
        )

    def mark_complete(self, learner_id: str, competency_id: str) -> None:
        """Mark a competency's module complete (again: no change)."""
        self._record(COMPLETIONS, learner_id, competency_id=competency_id)

    # --- queries -------------------------------------------------------------------------

    def _rows(self, kind: _Kind, conn=None, **filters) -> list:
        table = kind.table
        where = [table.c[name] == value for name, value in filters.items() if value is not None]
        stmt = select(*(table.c[c] for c in kind.columns)).where(*where)
        stmt = stmt.order_by(table.c.recorded_at, table.c.id)
        if conn is not None:
            return conn.execute(stmt).all()
        with self.engine.connect() as conn:
            return conn.execute(stmt).all()

    def _query(self, kind: _Kind, learner_id, filters: dict) -> pd.DataFrame:
        return _frame(self._rows(kind, learner_id=learner_id, **filters), kind.columns)

    def ratings(self, learner_id=None, competency_id=None, phase=None) -> pd.DataFrame:
        """Self-ratings, oldest first: learner_id, competency_id, phase, value, recorded_at."""
        return self._query(RATINGS, learner_id, dict(competency_id=competency_id, phase=phase))

    def answers(self, learner_id=None, question_id=None) -> pd.DataFrame:
        """Practice answers: learner_id, question_id, text, feedback_summary, seconds (NaN if
        untimed), recorded_at."""
        return self._query(ANSWERS, learner_id, dict(question_id=question_id))

    def choices(self, learner_id=None, exercise_id=None) -> pd.DataFrame:
        """Scenario choices: learner_id, exercise_id, choice, is_best, recorded_at."""
        return self._query(CHOICES, learner_id, dict(exercise_id=exercise_id))

    def reflections(self, learner_id=None, competency_id=None, prompt_id=None) -> pd.DataFrame:
        """Reflections: learner_id, competency_id, prompt_id, text, recorded_at."""
        filters = dict(competency_id=competency_id, prompt_id=prompt_id)
        return self._query(REFLECTIONS, learner_id, filters)

    def completions(self, learner_id=None, competency_id=None) -> pd.DataFrame:
        """Completed modules: learner_id, competency_id, recorded_at."""
        return self._query(COMPLETIONS, learner_id, dict(competency_id=competency_id))

    def latest_ratings(self, learner_id=None) -> pd.DataFrame:
        """The latest rating per learner, competency and phase, in the framework's order."""
        from . import bank

        frame = self.ratings(learner_id)
        frame = frame.drop_duplicates(["learner_id", "competency_id", "phase"], keep="last")
        order = {c: i for i, c in enumerate(bank.competency_ids())}
        order.update({p: i for i, p in enumerate(PHASES)})
        return frame.sort_values(
            ["learner_id", "competency_id", "phase"],
            key=lambda s: s if s.name == "learner_id" else s.map(order),
        ).reset_index(drop=True)

    # --- export --------------------------------------------------------------------------

    def _learner_row(self, conn, learner_id: str):
        found = conn.execute(select(_learners).where(_learners.c.learner_id == learner_id)).first()
        if found is None:
            known = _listing(r.learner_id for r in conn.execute(select(_learners.c.learner_id)))
            raise ProgressError(
                f"no learner {learner_id!r} in this store; known learners: {known or 'none'}"
            )
        return found

    def export_dict(self, learner_id: str, include_text: bool = False) -> dict:
        """One learner's records in the portable export format (texts only if asked)."""
        learner_id = check_learner_id(learner_id)
        with self.engine.connect() as conn:
            learner = self._learner_row(conn, learner_id)
            data = {
                "format": EXPORT_FORMAT,
                "version": EXPORT_VERSION,
                "exported_at": _iso(_now()),
                "include_text": bool(include_text),
                "learner": {"learner_id": learner.learner_id, "display_name": learner.display_name},
            }
            for kind in KINDS:
                rows = self._rows(kind, conn, learner_id=learner_id)
                data[kind.name] = [_export_item(kind, row, include_text) for row in rows]
        return data

    def export_json(self, learner_id: str, include_text: bool = False) -> str:
        """The export file's content as a JSON string (e.g. for a download link)."""
        return json.dumps(self.export_dict(learner_id, include_text), ensure_ascii=False, indent=2)

    def export_learner(self, learner_id: str, path, include_text: bool = False) -> Path:
        """Write one learner's progress to a JSON file, atomically; returns the path.

        Answer and reflection texts are personal: they are written only with
        ``include_text=True``. If anything fails, a previous file at ``path`` is left intact.
        """
        data = self.export_dict(learner_id, include_text)
        path = Path(path).expanduser()
        folder = path.parent
        folder.mkdir(parents=True, exist_ok=True)
        handle = tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=folder, prefix=f".{path.name}.", suffix=".tmp", delete=False
        )
        try:
            with handle:
                json.dump(data, handle, ensure_ascii=False, indent=2)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(handle.name, path)
        except BaseException:
            Path(handle.name).unlink(missing_ok=True)
            raise
        _fsync_folder(folder)
        return path

    # --- import --------------------------------------------------------------------------

    def import_learner(self, source, name: str | None = None) -> dict:
        """Merge one export file (a path, or its bytes) into the store, in one transaction.

        Importing the same file twice adds nothing, and a file without texts never removes
        texts already here. A bad file raises ``ProgressFileError`` naming the file and the
        reason, and nothing is written. Returns the learner id and the counts added.
        """
        learner, rows = check_export(source, name)
        learner_id = learner["learner_id"]
        added = {"learner_id": learner_id}
        with self._write(learner_id) as conn:
            self._ensure(conn, learner_id, learner["display_name"], overwrite=False)
            for kind in KINDS:
                added[kind.name] = self._merge(conn, kind, learner_id, rows[kind.name])
        return added

    def _merge(self, conn, kind: _Kind, learner_id: str, rows: list[dict]) -> int:
        """Insert the rows not here yet; fill in texts missing here. Returns the count added."""
        table = kind.table
        has_text = "text" in kind.fields
        columns = [table.c.id, *(table.c[f] for f in kind.key)]
        if has_text:
            columns.append(table.c.text)
        stmt = select(*columns).where(table.c.learner_id == learner_id)
        existing = {tuple(r[f] for f in kind.key): r for r in conn.execute(stmt).mappings()}
        new = []
        for row in rows:
            key = tuple(row[f] for f in kind.key)
            old = existing.get(key)
            if old is None:
                existing[key] = {**row, "learner_id": learner_id}
                new.append(existing[key])
            elif has_text and row.get("text") is not None and old.get("text") is None:
                if "id" in old:
                    stmt = update(table).where(table.c.id == old["id"]).values(text=row["text"])
                    conn.execute(stmt)
                else:  # a duplicate within the file
                    old["text"] = row["text"]
        if new:
            conn.execute(insert(table), new)
        return len(new)

    def replace_learner(self, learner: dict, rows: dict[str, list[dict]], also=None) -> dict:
        """Replace everything of one learner by checked rows (from ``check_export``), in one
        transaction (``also(connection)`` runs in it too); returns the counts now kept."""
        learner_id = check_learner_id(learner["learner_id"])
        kept = {"learner_id": learner_id}
        with self._write(learner_id) as conn:
            for kind in KINDS:
                conn.execute(kind.table.delete().where(kind.table.c.learner_id == learner_id))
            self._ensure(conn, learner_id, learner.get("display_name"))
            for kind in KINDS:
                kept[kind.name] = self._merge(conn, kind, learner_id, rows[kind.name])
            if also is not None:
                also(conn)
        return kept

    def erase_learner(self, learner_id: str, also=None) -> bool:
        """Delete one learner and all their records, in one transaction (with
        ``also(connection)``); False if they were not here."""
        learner_id = check_learner_id(learner_id)
        with self._write(learner_id) as conn:
            for kind in KINDS:
                conn.execute(kind.table.delete().where(kind.table.c.learner_id == learner_id))
            done = conn.execute(_learners.delete().where(_learners.c.learner_id == learner_id))
            if also is not None:
                also(conn)
        return done.rowcount > 0

    def export_all(self, include_text: bool = False) -> list[dict]:
        """Every learner's export (as ``export_dict``), with one query per kind of record."""
        with self.engine.connect() as conn:
            people = conn.execute(select(_learners).order_by(_learners.c.learner_id)).all()
            exports = {}
            for person in people:
                exports[person.learner_id] = {
                    "format": EXPORT_FORMAT,
                    "version": EXPORT_VERSION,
                    "exported_at": _iso(_now()),
                    "include_text": bool(include_text),
                    "learner": {
                        "learner_id": person.learner_id,
                        "display_name": person.display_name,
                    },
                    **{kind.name: [] for kind in KINDS},
                }
            for kind in KINDS:
                for row in self._rows(kind, conn):
                    exports[row.learner_id][kind.name].append(_export_item(kind, row, include_text))
        return list(exports.values())

    # --- summary -------------------------------------------------------------------------

    def progress_text(self, learner_id: str) -> str:
        """A readable summary of one learner's progress (for ``peerlib progress``)."""
        from . import bank

        learner_id = check_learner_id(learner_id)
        with self.engine.connect() as conn:
            learner = self._learner_row(conn, learner_id)
        name = learner.display_name or learner_id
        latest = self.latest_ratings(learner_id).set_index(["competency_id", "phase"])["value"]
        lines = [f"Progress of {name} ({learner_id})", "", "Self-ratings (1-5, latest)"]
        lines.append(f"  {'competency':<20}{'before':>8}{'after':>8}{'check-in':>10}")
        done = set(self.completions(learner_id)["competency_id"])
        competencies = bank.competency_ids()
        for cid in competencies:
            cells = [str(latest.get((cid, phase), "-")) for phase in PHASES]
            mark = "  ✓ complete" if cid in done else ""
            lines.append(f"  {cid:<20}{cells[0]:>8}{cells[1]:>8}{cells[2]:>10}{mark}")
        answers, choices = self.answers(learner_id), self.choices(learner_id)
        reflections = self.reflections(learner_id)
        lines += [
            "",
            f"Practice answers: {len(answers)} "
            f"(questions answered: {answers['question_id'].nunique()})",
            f"Scenario choices: {len(choices)}, best: {int(choices['is_best'].sum())} "
            f"(scenarios tried: {choices['exercise_id'].nunique()})",
            f"Reflections: {len(reflections)}",
            f"Modules complete: {len(done)} of {len(competencies)}"
            + (f" ({', '.join(c for c in competencies if c in done)})" if done else ""),
        ]
        return "\n".join(lines)


def _require_text(value) -> str:
    if not isinstance(value, str):
        raise ProgressError(f"text must be a string, not {type(value).__name__}")
    return value


def _frame(rows, columns: list[str]) -> pd.DataFrame:
    """A DataFrame with the given columns and stable dtypes, even when empty."""
    frame = pd.DataFrame([tuple(r) for r in rows], columns=columns, dtype=object)
    for column in columns:
        dtype = COLUMN_DTYPES.get(column, _TEXT)
        if column.endswith("_at"):
            frame[column] = pd.to_datetime(frame[column], utc=True).astype(dtype)
        else:
            frame[column] = frame[column].astype(dtype)
    return frame


def _export_item(kind: _Kind, row, include_text: bool) -> dict:
    item = {f: getattr(row, f) for f in kind.fields if f != "text"}
    item["recorded_at"] = _iso(row.recorded_at)
    if include_text and "text" in kind.fields:
        item["text"] = row.text
    return item


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


def _read_export(source, name: str | None) -> tuple[str, object]:
    """The file's label (for messages) and its parsed JSON, or ProgressFileError."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        label, content = name or "uploaded file", bytes(source)
    else:
        label = name or Path(source).name
        try:
            with open(source, "rb") as handle:
                content = handle.read(MAX_IMPORT_BYTES + 1)
        except OSError as exc:
            raise ProgressFileError(f"{label}: cannot be read ({exc.strerror or exc})") from exc
    if len(content) > MAX_IMPORT_BYTES:
        raise ProgressFileError(
            f"{label}: is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB, too large for a "
            "peerlib progress export; nothing was imported"
        )
    try:
        return label, decode_export(content)
    except UnicodeDecodeError as exc:
        raise ProgressFileError(f"{label}: is not UTF-8 text ({exc.reason})") from exc
    except (ValueError, RecursionError) as exc:
        raise ProgressFileError(
            f"{label}: is not valid JSON (truncated or corrupt? {exc}); nothing was imported"
        ) from exc


def check_export(source, name: str | None = None) -> tuple[dict, dict[str, list[dict]]]:
    """Read and check one export file (a path, or its bytes): THE progress-file validator.

    Returns its learner (learner_id, display_name, include_text) and its clean rows per kind
    of record; raises ``ProgressFileError`` naming the file and the reason.
    """
    label, data = _read_export(source, name)
    learner, rows = _validate_export(data, label)
    return {**learner, "include_text": data["include_text"]}, rows


def _lock_key(learner_id: str) -> int:
    """A learner's PostgreSQL advisory lock key (a signed 64-bit number)."""
    digest = hashlib.sha256(f"peerlib-learner:{learner_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def decode_export(content: bytes):
    """Parse an export file's bytes: UTF-8 JSON without NaN or Infinity (else ValueError)."""
    return json.loads(content.decode("utf-8-sig"), parse_constant=_no_constant)


def _no_constant(name: str):
    raise ValueError(f"{name} is not allowed in JSON")


def _validate_export(data, label: str) -> tuple[dict, dict[str, list[dict]]]:
    """The learner and the clean rows per kind of an export; ProgressFileError if invalid."""

    def fail(reason: str):
        raise ProgressFileError(f"{label}: {reason}; nothing was imported")

    if not isinstance(data, dict):
        fail(f"is not a peerlib progress file (expected a JSON object, found {_json_type(data)})")
    if data.get("format") != EXPORT_FORMAT:
        fail(
            f"is not a peerlib progress file (format {data.get('format')!r}, expected "
            f"{EXPORT_FORMAT!r})"
        )
    version = data.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > EXPORT_VERSION:
        fail(
            f"was written by a newer peerlib (format version {version}; this peerlib reads "
            f"version {EXPORT_VERSION}); update peerlib (pip install -U peerlib) to import it"
        )
    if version != EXPORT_VERSION or isinstance(version, bool):
        fail(f"has an invalid format version {version!r} (expected {EXPORT_VERSION})")
    sections = ["exported_at", "include_text", "learner", *(kind.name for kind in KINDS)]
    missing = [key for key in sections if key not in data]
    if missing:
        fail(f"is missing the field(s) {', '.join(missing)}")
    try:
        _parse_time(data["exported_at"])
        if not isinstance(data["include_text"], bool):
            raise ProgressError(f"include_text {data['include_text']!r} must be true or false")
        learner = data["learner"]
        if not isinstance(learner, dict) or "learner_id" not in learner:
            raise ProgressError("learner must be an object with a learner_id")
        learner_id = check_learner_id(learner["learner_id"])
        display_name = _display_name(learner.get("display_name"))
    except ProgressError as exc:
        fail(str(exc))
    rows = {}
    for kind in KINDS:
        items = data[kind.name]
        if not isinstance(items, list):
            fail(f"{kind.name} must be a list, not {_json_type(items)}")
        rows[kind.name] = [
            _import_row(kind, item, f"{kind.name}[{i}]", fail) for i, item in enumerate(items)
        ]
    return {"learner_id": learner_id, "display_name": display_name}, rows


def _import_row(kind: _Kind, item, where: str, fail) -> dict:
    if not isinstance(item, dict):
        fail(f"{where} must be an object, not {_json_type(item)}")
    missing = [f for f in (*kind.fields, "recorded_at") if f not in item and f != "text"]
    if missing:
        fail(f"{where} is missing the field(s) {', '.join(missing)}")
    try:
        row = _clean(kind, item)
        row["recorded_at"] = _parse_time(item["recorded_at"])
    except ProgressError as exc:
        fail(f"{where}: {exc}")
    return row


def _json_type(value) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false"}
    if value is None:
        return "null"
    return names.get(type(value), "a number")


def check_owner_of(store: ProgressStore, learner_id: str | None) -> None:
    """The learner store must be ``learner_id``'s (claimed on first use); with no learner
    chosen, it must have no owner yet. Else ``NotOwnerError``."""
    if learner_id is not None:
        store.claim(learner_id)
    elif store.owner() is not None:
        raise NotOwnerError(
            "This progress database belongs to a learner, and no learner is chosen here "
            "yet: choose your name in notebooks/00_start_here.ipynb (only the store's own "
            f"learner can open it). {SERVICE_HINT}"
        )


_default: tuple[tuple, ProgressStore] | None = None
_claimed: tuple | None = None


def default_store(check_owner: bool = True) -> ProgressStore:
    """The learner's store for this process (new when PEERLIB_DB_URL or PEERLIB_HOME changed).

    It must be the current learner's (``ProgressStore.claim``): a store that belongs to
    another learner, or to someone while no learner is chosen here, raises ``NotOwnerError``.
    """
    global _default, _claimed
    key = (os.environ.get("PEERLIB_DB_URL"), os.environ.get("PEERLIB_HOME"))
    if _default is None or _default[0] != key:
        if _default is not None:
            _default[1].close()
        _default, _claimed = (key, ProgressStore()), None
    store = _default[1]
    if check_owner:
        from .errors import NoLearnerError
        from .learner import current_learner

        try:
            learner_id = current_learner(store)
        except NoLearnerError:
            learner_id = None
        if (key, learner_id) != _claimed:
            check_owner_of(store, learner_id)
            _claimed = (key, learner_id)
    return store
