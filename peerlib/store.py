"""The learner's progress: ratings, answers, scenario choices, reflections and completions.

One ``ProgressStore`` wraps one database (an SQLite file under ``PEERLIB_HOME`` by default, or
any SQLAlchemy URL from ``PEERLIB_DB_URL``). Every record refers to ids, never to text, and
carries a UTC timestamp. A learner's records move between stores as one JSON export file.
"""

from __future__ import annotations

import hashlib
import os
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
    Index,
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

from . import exportfile
from .errors import (
    NotOwnerError,
    ProgressError,
    SchemaVersionError,
    StoreBusyError,
)
from .exportfile import (  # the limits are known by these names here too
    MAX_DISPLAY_NAME,
    MAX_LEARNER_ID,
    MAX_SUMMARY,  # noqa: F401
    PHASES,
    RATING_LABELS,  # noqa: F401
    check_learner_id,
)
from .paths import peerlib_home, private_file

SCHEMA_VERSION = 2  # see _MIGRATIONS
EXPORT_FORMAT = exportfile.FORMAT
EXPORT_VERSION = exportfile.VERSION
MAX_IMPORT_BYTES = exportfile.MAX_BYTES
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
    """One kind of record (``exportfile.RECORDS``): its table, fields and query filters."""

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


KINDS = tuple(_Kind(r.name, r.fields, r.key, r.filters, r.unique) for r in exportfile.RECORDS)
RATINGS, ANSWERS, CHOICES, REFLECTIONS, COMPLETIONS = KINDS


def _sql_type(spec: tuple):
    kind = spec[0]
    if kind == "string":
        return String(spec[1])
    return {"text": Text, "integer": Integer, "float": Float, "boolean": Boolean}[kind]


_TYPES = {field: _sql_type(spec) for field, spec in exportfile.FIELD_TYPES.items()}
_NULLABLE = exportfile.NULLABLE  # text is absent after importing an export without texts
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
        Index(f"ix_{_kind.name}_learner_time", "learner_id", "recorded_at"),  # schema 2
    )


# --- validation: exportfile's checks (one set of rules and messages) -----------------------


def _listing(values) -> str:
    values = list(values) if isinstance(values, (list, tuple)) else sorted(values)
    shown = ", ".join(values[:40])
    return shown + (f", … ({len(values)} in all)" if len(values) > 40 else "")


_display_name = exportfile.check_display_name
_clean = exportfile.check_fields


def _now() -> datetime:
    return datetime.now(timezone.utc)


_iso = exportfile.format_time


# --- schema migrations: an ordered list, each step upgrading to its version -----------------


def _add_time_indexes(conn) -> None:
    for kind in KINDS:
        for index in kind.table.indexes:
            if index.name == f"ix_{kind.name}_learner_time":
                index.create(conn, checkfirst=True)


# (schema version, what changed, the step from the version before). A database of an older
# version runs every later step, in order, in the transaction that opens it (under the
# schema lock on PostgreSQL), then records SCHEMA_VERSION. Version 1 is the first schema.
_MIGRATIONS = ((2, "each learner's records indexed by time", _add_time_indexes),)
assert [m[0] for m in _MIGRATIONS] == list(range(2, SCHEMA_VERSION + 1))


# --- the store -----------------------------------------------------------------------------


def _sqlite_setup(engine) -> None:
    """WAL, a busy timeout and foreign keys; writes start with BEGIN IMMEDIATE (they queue).

    In WAL mode ``synchronous=NORMAL`` keeps every commit through a crash of the program (a
    killed kernel) and the file always consistent; only a power cut or a system crash can drop
    the last saves.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, connection_record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (below)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
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

    ``ids`` are the ids records may refer to (``exportfile.KnownIds``, or a function giving
    them, such as ``peerlib.content.known_ids``); without them ids are checked for their form
    only, and modules are listed in id order.
    """

    def __init__(self, url: str | URL | None = None, ids=None):
        self._ids = ids
        url = url or os.environ.get("PEERLIB_DB_URL")
        if not url:
            url = f"sqlite:///{peerlib_home() / 'progress.sqlite'}"
        self.url = make_url(url)
        database = self.url.database
        if self.url.get_backend_name() == "sqlite" and database not in (None, "", ":memory:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            private_file(Path(database).expanduser())  # SQLite's -wal and -shm files follow
        self.engine = create_engine(self.url)
        if self.engine.dialect.name == "sqlite":
            _sqlite_setup(self.engine)
        try:
            self._open_schema()
        except BaseException:
            self.engine.dispose()
            raise

    @property
    def ids(self) -> exportfile.KnownIds | None:
        """The ids records may refer to (see the class), or None."""
        return self._ids() if callable(self._ids) else self._ids

    @ids.setter
    def ids(self, ids) -> None:
        self._ids = ids

    def _module_ids(self, seen) -> list[str]:
        return list(self.ids.modules) if self.ids else sorted(set(seen))

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
            if found is not None:
                for version, _what, step in _MIGRATIONS:
                    if version > int(found):
                        step(conn)
            _metadata.create_all(conn)
            if found is None:
                conn.execute(insert(_meta).values(key="schema_version", value=str(SCHEMA_VERSION)))
            elif int(found) < SCHEMA_VERSION:
                conn.execute(
                    update(_meta)
                    .where(_meta.c.key == "schema_version")
                    .values(value=str(SCHEMA_VERSION))
                )

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
        row = _clean(kind, values, self.ids)
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
        """The latest rating per learner, module and phase, in the learner's module order."""
        frame = self.ratings(learner_id)
        frame = frame.drop_duplicates(["learner_id", "competency_id", "phase"], keep="last")
        order = {c: i for i, c in enumerate(self._module_ids(frame["competency_id"]))}
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
        """The export file's content as a JSON string (e.g. for a download link); a
        ``ProgressError`` if it would be larger than a progress file may be."""
        return exportfile.dumps(self.export_dict(learner_id, include_text), indent=2).decode()

    def export_learner(self, learner_id: str, path, include_text: bool = False) -> Path:
        """Write one learner's progress to a JSON file, atomically and readable by its owner
        only (``exportfile.write``); returns the path.

        Answer and reflection texts are personal: they are written only with
        ``include_text=True``. If anything fails, a previous file at ``path`` is left intact.
        """
        return exportfile.write(self.export_dict(learner_id, include_text), path)

    # --- import --------------------------------------------------------------------------

    def import_learner(self, source, name: str | None = None) -> dict:
        """Merge one export file (a path, or its bytes) into the store, in one transaction.

        Importing the same file twice adds nothing, and a file without texts never removes
        texts already here. A bad file raises ``ProgressFileError`` naming the file and the
        reason, and nothing is written. Returns the learner id and the counts added.
        """
        learner, rows = check_export(source, name, self.ids)
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
        learner_id = check_learner_id(learner_id)
        with self.engine.connect() as conn:
            learner = self._learner_row(conn, learner_id)
        name = learner.display_name or learner_id
        latest = self.latest_ratings(learner_id).set_index(["competency_id", "phase"])["value"]
        lines = [f"Progress of {name} ({learner_id})", "", "Self-ratings (1-5, latest)"]
        lines.append(f"  {'module':<20}{'before':>8}{'after':>8}{'check-in':>10}")
        done = set(self.completions(learner_id)["competency_id"])
        competencies = self._module_ids({*latest.index.get_level_values(0), *done})
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
        raise ProgressError(f"text must be a string, not {exportfile.json_type(value)}")
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


def check_export(
    source, name: str | None = None, ids: exportfile.KnownIds | None = None
) -> tuple[dict, dict[str, list[dict]]]:
    """Read and check one export file (a path, or its bytes) with ``exportfile.read``, ids
    against ``ids`` (see ``ProgressStore``).

    Returns its learner (learner_id, display_name, include_text) and its clean rows per kind
    of record; raises ``ProgressFileError`` naming the file and the reason.
    """
    header, rows = exportfile.read(source, name, ids)
    learner = {
        "learner_id": header.learner_id,
        "display_name": header.display_name,
        "include_text": header.include_text,
    }
    return learner, rows


def _lock_key(learner_id: str) -> int:
    """A learner's PostgreSQL advisory lock key (a signed 64-bit number)."""
    digest = hashlib.sha256(f"peerlib-learner:{learner_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


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


def default_store(check_owner: bool = True, ids=None) -> ProgressStore:
    """The learner's store for this process (new when PEERLIB_DB_URL or PEERLIB_HOME changed);
    ``ids`` (see ``ProgressStore``), if given, are what it checks from now on.

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
    if ids is not None:
        store.ids = ids
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
