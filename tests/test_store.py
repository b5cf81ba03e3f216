"""The progress store: recording, queries, bad values, schema version, export, import.

Every test taking ``store`` runs twice: on SQLite and on a throwaway PostgreSQL server.
"""

import json
import multiprocessing
import os
import re
import threading
import time

import pandas as pd
import pytest
import sqlalchemy
import store_writers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from peerlib import content, exportfile
from peerlib import store as store_module
from peerlib.errors import (
    NotOwnerError,
    ProgressError,
    ProgressFileError,
    SchemaVersionError,
    StoreBusyError,
)
from peerlib.store import ProgressStore, default_store

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
FRAMES = ("learners", "ratings", "answers", "choices", "reflections", "completions")


def populate(progress, learner="ana"):
    """One of every kind of record (two of some) for one learner."""
    progress.ensure_learner(learner, "Ana")
    progress.record_rating(learner, "crisis", "before", 2)
    progress.record_rating(learner, "crisis", "after", 4)
    progress.record_rating(learner, "engage", "checkin", 3)
    progress.record_answer(learner, "ps20", "I would listen first. «Ça va?»", "4/4 points", 42.5)
    progress.record_answer(learner, "cps05", "Ask directly.", "2/3 points")
    progress.record_choice(learner, "crisis-1", 1, True)
    progress.record_choice(learner, "crisis-1", 0, False)
    progress.record_reflection(learner, "crisis", "r1", "What I learned about myself.")
    progress.mark_complete(learner, "crisis")


def snapshot(progress):
    """Every table of the store as DataFrames."""
    return {name: getattr(progress, name)() for name in FRAMES}


def assert_same(before, after, skip=()):
    for name in FRAMES:
        if name not in skip:
            assert_frame_equal(before[name], after[name], obj=name)


@pytest.fixture(scope="module")
def populated_store(module_store):
    """A store (one per backend, kept for this file) with every kind of record of a learner
    the refused writes and files do not name, and its tables: each refusal must leave them as
    they are (no learner, record or text added)."""
    populate(module_store, "kim")
    return module_store, snapshot(module_store)


def assert_empty(progress):
    for name, frame in snapshot(progress).items():
        assert frame.empty, f"{name} should be empty:\n{frame}"


@pytest.fixture
def sqlite_store(tmp_path):
    """A second store, on SQLite (as the other end of an export)."""
    progress = ProgressStore(f"sqlite:///{tmp_path / 'other.sqlite'}", ids=content.known_ids)
    yield progress
    progress.close()


# --- opening: where, schema, version ------------------------------------------------------


def test_default_is_an_sqlite_file_under_peerlib_home(monkeypatch, tmp_path):
    monkeypatch.delenv("PEERLIB_DB_URL")
    monkeypatch.setenv("PEERLIB_HOME", str(tmp_path / "home"))
    progress = ProgressStore()
    progress.record_rating("ana", "crisis", "before", 2)
    assert progress.url.get_backend_name() == "sqlite"
    assert (tmp_path / "home" / "progress.sqlite").is_file()
    progress.close()


def test_url_argument_and_env_var_select_the_database(monkeypatch, tmp_path):
    monkeypatch.setenv("PEERLIB_DB_URL", f"sqlite:///{tmp_path / 'env' / 'a.sqlite'}")
    with ProgressStore() as from_env:
        assert from_env.url.database == str(tmp_path / "env" / "a.sqlite")
    with ProgressStore(f"sqlite:///{tmp_path / 'b.sqlite'}") as from_arg:
        assert from_arg.url.database == str(tmp_path / "b.sqlite")
    assert (tmp_path / "env" / "a.sqlite").exists() and (tmp_path / "b.sqlite").exists()


def test_schema_is_created_with_its_version(store):
    tables = set(sqlalchemy.inspect(store.engine).get_table_names())
    assert {"meta", "learners", *FRAMES} <= tables
    assert store.setting("schema_version") == str(store_module.SCHEMA_VERSION)
    assert_empty(store)
    store.close()
    again = ProgressStore(store.url)  # reopening an existing database is fine
    assert again.setting("schema_version") == str(store_module.SCHEMA_VERSION)
    again.close()


def _table_state(engine):
    with engine.connect() as conn:
        tables = sorted(sqlalchemy.inspect(conn).get_table_names())
        counts = {t: conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar() for t in tables}
        meta = conn.exec_driver_sql("SELECT key, value FROM meta ORDER BY key").all()
    return tables, counts, meta


def test_a_newer_schema_version_is_refused_and_nothing_changes(store):
    populate(store)
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    before = _table_state(store.engine)
    store.close()
    with pytest.raises(SchemaVersionError, match=r"newer version of peerlib.*schema version 99"):
        ProgressStore(store.url)
    assert _table_state(store.engine) == before


def test_a_newer_database_missing_our_tables_is_not_completed(db_url):
    engine = sqlalchemy.create_engine(db_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE meta (key VARCHAR(64) PRIMARY KEY, value TEXT)")
        conn.exec_driver_sql("INSERT INTO meta VALUES ('schema_version', '7')")
    with pytest.raises(SchemaVersionError, match="Update peerlib"):
        ProgressStore(db_url)
    assert _table_state(engine) == (["meta"], {"meta": 1}, [("schema_version", "7")])
    engine.dispose()


# --- recording and queries ----------------------------------------------------------------

COLUMNS = {
    "learners": ["learner_id", "display_name", "created_at"],
    "ratings": ["learner_id", "competency_id", "phase", "value", "recorded_at"],
    "answers": ["learner_id", "question_id", "text", "feedback_summary", "seconds", "recorded_at"],
    "choices": ["learner_id", "exercise_id", "choice", "is_best", "recorded_at"],
    "reflections": ["learner_id", "competency_id", "prompt_id", "text", "recorded_at"],
    "completions": ["learner_id", "competency_id", "recorded_at"],
}


def check_dtypes(frame):
    for column in frame.columns:
        dtype = frame[column].dtype
        if column.endswith("_at"):
            assert str(dtype) == "datetime64[us, UTC]", column
        elif column in ("value", "choice"):
            assert dtype == "int64", column
        elif column == "seconds":
            assert dtype == "float64", column
        elif column == "is_best":
            assert dtype == "bool", column
        else:
            assert pd.api.types.is_string_dtype(dtype), column


def test_frames_have_stable_columns_and_dtypes_even_when_empty(store):
    empty = snapshot(store)
    populate(store)
    full = snapshot(store)
    for name, columns in COLUMNS.items():
        assert list(empty[name].columns) == columns == list(full[name].columns)
        assert empty[name].empty and not full[name].empty
        check_dtypes(empty[name])
        check_dtypes(full[name])
        assert (empty[name].dtypes == full[name].dtypes).all(), name


def test_records_are_read_back(store):
    populate(store)
    ratings = store.ratings()
    assert ratings[["competency_id", "phase", "value"]].values.tolist() == [
        ["crisis", "before", 2],
        ["crisis", "after", 4],
        ["engage", "checkin", 3],
    ]
    assert ratings["recorded_at"].is_monotonic_increasing
    now = pd.Timestamp.now(tz="UTC")
    assert ((now - ratings["recorded_at"]) < pd.Timedelta(minutes=5)).all()
    answers = store.answers()
    assert answers["question_id"].tolist() == ["ps20", "cps05"]
    assert answers["text"][0] == "I would listen first. «Ça va?»"
    assert answers["feedback_summary"].tolist() == ["4/4 points", "2/3 points"]
    assert answers["seconds"][0] == 42.5 and pd.isna(answers["seconds"][1])
    choices = store.choices()
    assert choices[["exercise_id", "choice", "is_best"]].values.tolist() == [
        ["crisis-1", 1, True],
        ["crisis-1", 0, False],
    ]
    reflections = store.reflections()
    assert reflections[["competency_id", "prompt_id"]].values.tolist() == [["crisis", "r1"]]
    assert store.completions()["competency_id"].tolist() == ["crisis"]
    learners = store.learners()
    assert learners[["learner_id", "display_name"]].values.tolist() == [["ana", "Ana"]]


def test_queries_filter_by_learner_and_competency(store):
    populate(store, "ana")
    populate(store, "ben")
    store.record_rating("ben", "growth", "before", 5)
    assert len(store.ratings()) == 7
    assert set(store.ratings(learner_id="ben")["competency_id"]) == {"crisis", "engage", "growth"}
    assert len(store.ratings(learner_id="ana", competency_id="crisis")) == 2
    assert len(store.ratings(competency_id="crisis", phase="before")) == 2
    assert store.answers(learner_id="ana", question_id="ps20")["question_id"].tolist() == ["ps20"]
    assert len(store.choices(exercise_id="crisis-1")) == 4
    assert len(store.reflections(learner_id="ben", competency_id="crisis")) == 1
    assert store.reflections(competency_id="engage").empty
    assert store.completions(learner_id="ana", competency_id="crisis")["learner_id"].tolist() == [
        "ana"
    ]
    assert store.ratings(learner_id="nobody").empty


def test_latest_ratings_gives_one_row_per_competency_and_phase(store):
    store.record_rating("ana", "crisis", "before", 1)
    store.record_rating("ana", "engage", "before", 2)
    store.record_rating("ana", "crisis", "before", 3)
    store.record_rating("ana", "crisis", "after", 4)
    store.record_rating("ana", "crisis", "after", 5)
    store.record_rating("ben", "crisis", "before", 2)
    latest = store.latest_ratings("ana")
    assert latest[["competency_id", "phase", "value"]].values.tolist() == [
        ["engage", "before", 2],  # the framework's order: engage is competency 1, crisis 8
        ["crisis", "before", 3],
        ["crisis", "after", 5],
    ]
    assert list(latest.columns) == COLUMNS["ratings"]
    assert len(store.latest_ratings()) == 4
    assert store.latest_ratings("nobody").empty


def test_recording_for_a_new_learner_creates_the_learner(store):
    store.record_rating("  ana ", "crisis", "before", 2)
    learners = store.learners()
    assert learners["learner_id"].tolist() == ["ana"]
    assert pd.isna(learners["display_name"][0])
    assert store.ratings()["learner_id"].tolist() == ["ana"]
    store.ensure_learner("ana", "Ana María")
    store.ensure_learner("ana")  # no name: keeps the name
    assert store.learners()["display_name"].tolist() == ["Ana María"]


def test_marking_complete_twice_keeps_one_row(store):
    store.mark_complete("ana", "crisis")
    first = store.completions()
    store.mark_complete("ana", "crisis")
    assert_frame_equal(store.completions(), first)


def test_numpy_integers_are_accepted(store):
    store.record_rating("ana", "crisis", "before", pd.Series([3])[0])
    store.record_choice("ana", "crisis-1", pd.Series([2])[0], True)
    assert store.ratings()["value"].tolist() == [3]
    assert store.choices()["choice"].tolist() == [2]


BAD_RECORDS = [
    ("record_rating", ("ana", "crisiss", "before", 2), ["'crisiss'", "engage", "crisis"]),
    ("record_rating", ("ana", "crisis", "during", 2), ["'during'", "before, after, checkin"]),
    ("record_rating", ("ana", "crisis", "before", 0), ["rating value 0", "from 1 to 5"]),
    ("record_rating", ("ana", "crisis", "before", 6), ["rating value 6", "from 1 to 5"]),
    ("record_rating", ("ana", "crisis", "before", 2.5), ["2.5", "from 1 to 5"]),
    ("record_rating", ("ana", "crisis", "before", "3"), ["'3'", "from 1 to 5"]),
    ("record_rating", ("ana", "crisis", "before", True), ["True", "from 1 to 5"]),
    ("record_rating", ("", "crisis", "before", 2), ["learner id ''", "non-blank"]),
    ("record_rating", ("   ", "crisis", "before", 2), ["learner id '   '", "non-blank"]),
    ("record_rating", (None, "crisis", "before", 2), ["learner id None", "non-blank"]),
    ("record_rating", ("a" * 101, "crisis", "before", 2), ["too long", "100 characters"]),
    ("record_answer", ("ana", "ps99", "text"), ["unknown question id 'ps99'", "in all"]),
    ("record_answer", ("ana", "ps20", None), ["text must be a string"]),
    ("record_answer", ("ana", "ps20", "t", "x" * 201), ["feedback summary", "200 characters"]),
    ("record_answer", ("ana", "ps20", "t", "", -1), ["seconds taken -1", "a number from 0"]),
    ("record_answer", ("ana", "ps20", "t", "", float("nan")), ["nan", "a number from 0"]),
    ("record_answer", ("ana", "ps20", "t", "", "10"), ["'10'", "or null/None"]),
    ("record_choice", ("ana", "crisis-99", 1, True), ["unknown exercise id 'crisis-99'"]),
    ("record_choice", ("ana", "crisis-1", -1, True), ["choice index -1", "integer from 0"]),
    ("record_choice", ("ana", "crisis-1", False, True), ["choice index False", "integer from 0"]),
    ("record_choice", ("ana", "crisis-1", 1, "yes"), ["is_best 'yes'", "true or false"]),
    ("record_reflection", ("ana", "crisis", "r99", "t"), ["'r99'", "r1", "'crisis'"]),
    ("record_reflection", ("ana", "nope", "r1", "t"), ["'nope'", "engage"]),
    ("record_reflection", ("ana", "crisis", "r1", 5), ["text must be a string"]),
    ("mark_complete", ("ana", "Crisis"), ["'Crisis'", "engage"]),
]


@pytest.mark.parametrize(
    "method, args, fragments",
    BAD_RECORDS,
    ids=[f"{m}-{i}" for i, (m, *_) in enumerate(BAD_RECORDS)],
)
def test_bad_values_are_refused_and_nothing_is_written(populated_store, method, args, fragments):
    store, before = populated_store
    with pytest.raises(ProgressError) as caught:
        getattr(store, method)(*args)
    assert isinstance(caught.value, ValueError)
    for fragment in fragments:
        assert fragment in str(caught.value)
    assert_same(before, snapshot(store))


def test_ensure_learner_refuses_a_blank_id(store):
    with pytest.raises(ProgressError, match="learner id ' '"):
        store.ensure_learner(" ", "Ana")
    assert_empty(store)


def test_sqlite_uses_wal_busy_timeout_and_foreign_keys(tmp_path):
    progress = ProgressStore(f"sqlite:///{tmp_path / 'wal.sqlite'}")
    with progress.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    progress.close()


def test_concurrent_writers_lose_nothing(db_url):
    ProgressStore(db_url).close()  # the schema exists before the writers start
    # separate processes, forked from a server that has loaded only the store
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["store_writers"])
    workers = [
        context.Process(target=store_writers.write_ratings, args=(db_url, n, 250)) for n in range(4)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    assert [w.exitcode for w in workers] == [0, 0, 0, 0]
    with ProgressStore(db_url) as progress:
        ratings = progress.ratings()
        assert len(ratings) == 1000
        assert ratings.groupby("learner_id").size().tolist() == [250] * 4
        assert len(progress.learners()) == 4


def test_default_store_is_shared_and_follows_the_environment(monkeypatch, tmp_path):
    first = default_store()
    assert default_store() is first
    monkeypatch.setenv("PEERLIB_DB_URL", f"sqlite:///{tmp_path / 'other.sqlite'}")
    second = default_store()
    assert second is not first
    assert second.url.database == str(tmp_path / "other.sqlite")


# --- export -------------------------------------------------------------------------------


def test_export_has_the_documented_shape_without_texts(store, tmp_path):
    populate(store)
    path = store.export_learner("ana", tmp_path / "out" / "ana.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert list(data) == [
        "format", "version", "exported_at", "include_text", "learner",
        "ratings", "answers", "choices", "reflections", "completions",
    ]  # fmt: skip
    assert (data["format"], data["version"], data["include_text"]) == ("peerlib-progress", 1, False)
    assert TIMESTAMP.match(data["exported_at"])
    assert data["learner"] == {"learner_id": "ana", "display_name": "Ana"}
    assert data["ratings"][0] == {
        "competency_id": "crisis",
        "phase": "before",
        "value": 2,
        "recorded_at": data["ratings"][0]["recorded_at"],
    }
    answer = data["answers"][0]
    assert list(answer) == ["question_id", "feedback_summary", "seconds", "recorded_at"]
    assert (answer["question_id"], answer["feedback_summary"], answer["seconds"]) == (
        "ps20",
        "4/4 points",
        42.5,
    )
    assert data["answers"][1]["seconds"] is None
    assert data["choices"][0] == {
        "exercise_id": "crisis-1",
        "choice": 1,
        "is_best": True,
        "recorded_at": data["choices"][0]["recorded_at"],
    }
    assert list(data["reflections"][0]) == ["competency_id", "prompt_id", "recorded_at"]
    assert list(data["completions"][0]) == ["competency_id", "recorded_at"]
    for section in ("ratings", "answers", "choices", "reflections", "completions"):
        assert all(TIMESTAMP.match(item["recorded_at"]) for item in data[section])
    assert "listen" not in path.read_text(encoding="utf-8")  # personal texts stay at home


def test_export_with_texts(store, tmp_path):
    populate(store)
    store.record_rating("ben", "crisis", "before", 5)
    data = json.loads(
        store.export_learner("ana", tmp_path / "ana.json", include_text=True).read_text()
    )
    assert data["include_text"] is True
    assert list(data["answers"][0])[-1] == "text"
    assert data["answers"][0]["text"] == "I would listen first. «Ça va?»"
    assert data["reflections"][0]["text"] == "What I learned about myself."
    assert len(data["ratings"]) == 3  # only Ana's
    assert json.loads(store.export_json("ana", include_text=True))["answers"] == data["answers"]


def test_exporting_an_unknown_learner_is_an_error(store, tmp_path):
    populate(store)
    with pytest.raises(ProgressError, match=r"no learner 'zoe'.*known learners: ana"):
        store.export_learner("zoe", tmp_path / "zoe.json")
    assert not (tmp_path / "zoe.json").exists()


@pytest.fixture
def out(tmp_path):
    """An empty folder for export files."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.mark.parametrize("broken", ["json.dumps", "os.replace", "os.fsync"])
def test_a_failed_export_leaves_the_previous_file_intact(store, out, monkeypatch, broken):
    populate(store)
    target = out / "ana.json"
    target.write_text('{"previous": "export"}', encoding="utf-8")

    def crash(*args, **kwargs):
        raise OSError("disk full (injected)")

    module_name, function = broken.split(".")
    with monkeypatch.context() as patch:
        patch.setattr(getattr(exportfile, module_name), function, crash)
        with pytest.raises(OSError, match="injected"):
            store.export_learner("ana", target)
    assert target.read_text(encoding="utf-8") == '{"previous": "export"}'
    assert os.listdir(out) == ["ana.json"]  # no temporary file left behind


def test_export_replaces_an_older_file_and_leaves_no_temporary_file(store, out):
    populate(store)
    target = out / "ana.json"
    target.write_text("old", encoding="utf-8")
    for _ in range(2):
        store.export_learner("ana", target)
        assert json.loads(target.read_text(encoding="utf-8"))["learner"]["learner_id"] == "ana"
    assert os.listdir(out) == ["ana.json"]


# --- import -------------------------------------------------------------------------------


def test_export_then_import_round_trips_exactly(store, sqlite_store, tmp_path):
    populate(sqlite_store)
    sqlite_store.record_rating("ben", "growth", "after", 5)  # another learner, not exported
    first = sqlite_store.export_learner("ana", tmp_path / "ana.json", include_text=True)
    summary = store.import_learner(first)
    assert summary == {
        "learner_id": "ana",
        "ratings": 3,
        "answers": 2,
        "choices": 2,
        "reflections": 1,
        "completions": 1,
    }
    expected = {name: getattr(sqlite_store, name)(learner_id="ana") for name in FRAMES[1:]}
    assert_same(expected, snapshot(store), skip=["learners"])
    learners = store.learners().drop(columns="created_at")
    assert_frame_equal(learners, sqlite_store.learners().drop(columns="created_at").iloc[:1])
    second = json.loads(store.export_json("ana", include_text=True))
    original = json.loads(first.read_text(encoding="utf-8"))
    assert {**second, "exported_at": None} == {**original, "exported_at": None}


def test_importing_the_same_file_twice_adds_nothing(store, sqlite_store, tmp_path):
    populate(sqlite_store)
    path = sqlite_store.export_learner("ana", tmp_path / "ana.json", include_text=True)
    store.import_learner(path)
    before = snapshot(store)
    summary = store.import_learner(path)
    assert summary == dict.fromkeys(
        ["ratings", "answers", "choices", "reflections", "completions"], 0
    ) | {"learner_id": "ana"}
    assert_same(before, snapshot(store))


def test_importing_into_the_same_store_adds_nothing(store, tmp_path):
    populate(store)
    before = snapshot(store)
    store.import_learner(store.export_learner("ana", tmp_path / "ana.json", include_text=True))
    assert_same(before, snapshot(store))


def test_an_import_without_texts_keeps_the_texts_already_here(store, tmp_path):
    populate(store)
    before = snapshot(store)
    summary = store.import_learner(store.export_learner("ana", tmp_path / "bare.json"))
    assert summary["answers"] == summary["reflections"] == 0
    assert_same(before, snapshot(store))


def test_texts_arrive_later_with_a_full_export(store, sqlite_store, tmp_path):
    populate(sqlite_store)
    store.import_learner(sqlite_store.export_learner("ana", tmp_path / "bare.json"))
    assert store.answers()["text"].isna().all() and store.reflections()["text"].isna().all()
    store.import_learner(
        sqlite_store.export_learner("ana", tmp_path / "full.json", include_text=True)
    )
    assert store.answers()["text"].tolist() == sqlite_store.answers()["text"].tolist()
    assert store.reflections()["text"].tolist() == sqlite_store.reflections()["text"].tolist()
    assert len(store.answers()) == 2


def test_import_merges_with_other_records_and_keeps_the_display_name(store, sqlite_store, tmp_path):
    populate(sqlite_store)
    store.ensure_learner("ana", "Ana L.")
    store.record_rating("ana", "growth", "before", 1)
    store.import_learner(sqlite_store.export_learner("ana", tmp_path / "ana.json"))
    assert len(store.ratings("ana")) == 4
    assert store.learners()["display_name"].tolist() == ["Ana L."]


def test_import_accepts_bytes_from_an_upload(store, sqlite_store):
    populate(sqlite_store)
    content = sqlite_store.export_json("ana", include_text=True).encode("utf-8")
    assert store.import_learner(content, name="ana.json")["ratings"] == 3
    assert len(store.answers()) == 2


@pytest.fixture(scope="module")
def zoe_export(tmp_path_factory) -> str:
    """A valid export with every kind of record and its texts, made once for the bad files."""
    folder = tmp_path_factory.mktemp("zoe")
    with ProgressStore(f"sqlite:///{folder / 'zoe.sqlite'}", ids=content.known_ids) as progress:
        populate(progress, "zoe")
        return progress.export_json("zoe", include_text=True)


def _edit(path, value):
    """Set (or with value DELETE, remove) the item at a path of keys and indexes."""

    def apply(data):
        node = data
        for key in path[:-1]:
            node = node[key]
        if value is DELETE:
            del node[path[-1]]
        else:
            node[path[-1]] = value
        return data

    return apply


DELETE = object()
BAD_FILES = {
    "another-format": (_edit(["format"], "anki-deck"), ["not a peerlib progress file", "anki"]),
    "newer-version": (_edit(["version"], 2), ["newer peerlib", "format version 2"]),
    "version-as-text": (_edit(["version"], "1"), ["invalid format version '1'"]),
    "no-version": (_edit(["version"], DELETE), ["invalid format version None"]),
    "not-an-object": (lambda data: [data], ["a JSON object, not a list"]),
    "missing-section": (_edit(["ratings"], DELETE), ["missing the field(s) ratings"]),
    "section-not-a-list": (_edit(["answers"], {}), ["answers must be a list"]),
    "row-not-an-object": (_edit(["ratings", 1], 3), ["ratings[1] must be an object"]),
    "missing-field": (_edit(["ratings", 0, "value"], DELETE), ["ratings[0]", "value"]),
    "value-too-high": (_edit(["ratings", 2, "value"], 7), ["ratings[2]", "rating value 7"]),
    "value-bool": (_edit(["ratings", 0, "value"], True), ["ratings[0]", "rating value True"]),
    "unknown-phase": (_edit(["ratings", 0, "phase"], "later"), ["'later'", "before"]),
    "unknown-competency": (_edit(["completions", 0, "competency_id"], "x"), ["completions[0]"]),
    "unknown-question": (_edit(["answers", 1, "question_id"], "ps999"), ["'ps999'"]),
    "unknown-exercise": (_edit(["choices", 0, "exercise_id"], "crisis-0"), ["'crisis-0'"]),
    "unknown-prompt": (_edit(["reflections", 0, "prompt_id"], "r0"), ["reflections[0]", "'r0'"]),
    "negative-seconds": (_edit(["answers", 0, "seconds"], -3), ["answers[0]", "seconds taken -3"]),
    "text-not-a-string": (_edit(["answers", 0, "text"], ["a"]), ["text must be a string"]),
    "bad-timestamp": (_edit(["ratings", 0, "recorded_at"], "yesterday"), ["'yesterday'"]),
    "naive-timestamp": (
        _edit(["choices", 1, "recorded_at"], "2026-11-22T07:00:00"),
        ["choices[1]", "'2026-11-22T07:00:00'", "time zone"],
    ),
    "bad-exported-at": (_edit(["exported_at"], 5), ["exported_at 5"]),
    "blank-learner": (_edit(["learner", "learner_id"], " "), ["learner id ' '"]),
    "learner-not-object": (_edit(["learner"], "ana"), ["learner must be an object"]),
    "include-text-not-bool": (_edit(["include_text"], "yes"), ["include_text 'yes'"]),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_is_refused_and_the_store_is_unchanged(
    populated_store, zoe_export, tmp_path, case
):
    store, before = populated_store
    change, fragments = BAD_FILES[case]
    bad = tmp_path / f"{case}.json"
    bad.write_text(json.dumps(change(json.loads(zoe_export))), encoding="utf-8")
    with pytest.raises(ProgressFileError) as caught:
        store.import_learner(bad)
    message = str(caught.value)
    assert message.startswith(f"{case}.json: ")
    for fragment in fragments:
        assert fragment in message
    assert_same(before, snapshot(store))


@pytest.mark.parametrize(
    "content, reason",
    [
        (None, "not valid JSON"),  # None: a truncated valid export
        (b"", "not valid JSON"),
        (b'{"format": "peerlib-progress", "version": 1, ', "not valid JSON"),
        (b'{"seconds": NaN}', "not valid JSON"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
    ],
    ids=["truncated", "empty", "cut-short", "nan", "binary", "deep"],
)
def test_corrupt_or_truncated_json_is_refused(store, sqlite_store, tmp_path, content, reason):
    if content is None:
        populate(sqlite_store)
        full = sqlite_store.export_learner("ana", tmp_path / "full.json").read_bytes()
        content = full[: len(full) * 2 // 3]
    bad = tmp_path / "ana-progress.json"
    bad.write_bytes(content)
    before = snapshot(store)
    with pytest.raises(ProgressFileError, match=rf"^ana-progress\.json: .*{reason}"):
        store.import_learner(bad)
    with pytest.raises(ProgressFileError, match=rf"^upload\.json: .*{reason}"):
        store.import_learner(content, name="upload.json")
    assert_same(before, snapshot(store))


def test_one_bad_row_after_many_good_ones_imports_nothing(store, zoe_export, tmp_path):
    data = json.loads(zoe_export)
    data["completions"].append({"competency_id": "crisis", "recorded_at": "not a time"})
    bad = tmp_path / "late.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ProgressFileError, match=r"completions\[1\]"):
        store.import_learner(bad)
    assert_empty(store)


def test_a_file_over_the_size_limit_is_refused(store, tmp_path):
    big = tmp_path / "huge.json"
    with open(big, "wb") as handle:
        handle.truncate(store_module.MAX_IMPORT_BYTES + 1)
    with pytest.raises(ProgressFileError, match=r"^huge\.json: is larger than 20 MB"):
        store.import_learner(big)
    with pytest.raises(ProgressFileError, match="larger than 20 MB"):
        store.import_learner(b" " * (store_module.MAX_IMPORT_BYTES + 1))
    assert_empty(store)


def test_a_missing_file_is_a_clear_error(store, tmp_path):
    with pytest.raises(ProgressFileError, match=r"^gone\.json: cannot be read"):
        store.import_learner(tmp_path / "gone.json")


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=10,
)


EXPORT_LIKE = st.fixed_dictionaries(
    {"format": st.just("peerlib-progress"), "version": st.just(1)},
    optional={
        key: JSON
        for key in ("exported_at", "include_text", "learner", "ratings", "answers", "choices",
                    "reflections", "completions")
    },
)  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(EXPORT_LIKE | JSON)
def test_arbitrary_json_never_crashes_an_import(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("fuzz")
    with ProgressStore(f"sqlite:///{folder / 'fuzz.sqlite'}") as progress:
        try:
            progress.import_learner(json.dumps(data).encode())
        except ProgressFileError:
            assert_empty(progress)


# --- one learner's store, per-learner locks, and what the course service needs -------------


def test_a_store_records_its_owner_on_first_claim(store):
    assert store.owner() is None
    assert store.claim(" ana ") == "ana"
    assert store.owner() == "ana" and store.claim("ana") == "ana"
    with pytest.raises(NotOwnerError, match="belongs to another learner.*Send to my trainer"):
        store.claim("ben")
    with pytest.raises(ProgressError, match="owner is not a setting"):
        store.set_setting("owner", "ben")
    assert store.owner() == "ana"


@pytest.mark.postgres
def test_postgres_writes_lock_per_learner_with_a_timeout(postgres_server, monkeypatch):
    """A frozen write of one learner blocks neither other learners nor forever."""
    url = postgres_server.create_database()
    monkeypatch.setattr(store_module, "LOCK_TIMEOUT_SECONDS", 1)
    held, release = threading.Event(), threading.Event()

    def hang(connection):  # runs inside ana's write transaction, holding her lock
        held.set()
        release.wait(30)

    try:
        with ProgressStore(url) as progress:
            # ana's write hangs: an erase of ana (public API) that has not finished yet
            writer = threading.Thread(
                target=progress.erase_learner, args=("ana",), kwargs={"also": hang}
            )
            writer.start()
            try:
                assert held.wait(30), "ana's write did not start"
                start = time.perf_counter()
                progress.record_rating("ben", "crisis", "before", 3)  # ben is not held up
                assert time.perf_counter() - start < 1
                with pytest.raises(StoreBusyError, match="another save of 'ana'.*try again"):
                    progress.record_rating("ana", "crisis", "before", 3)
                waited = time.perf_counter() - start
                assert 1 <= waited < 5  # ana's save waited for the lock, then gave up
                assert writer.is_alive()  # while ana's first write still held it
            finally:
                release.set()
                writer.join(30)
            progress.record_rating("ana", "crisis", "after", 4)  # released: ana saves again
        with ProgressStore(url) as progress:
            assert progress.ratings()["learner_id"].tolist() == ["ben", "ana"]
            assert progress.ratings("ana")["phase"].tolist() == ["after"]  # not the refused one
    finally:
        postgres_server.drop_database(url)


def test_check_export_is_the_one_validator(store, tmp_path):
    populate(store)
    path = store.export_learner("ana", tmp_path / "ana.json", include_text=True)
    learner, rows = store_module.check_export(path.read_bytes(), name="sent file")
    assert learner == {"learner_id": "ana", "display_name": "Ana", "include_text": True}
    assert [r["value"] for r in rows["ratings"]] == [2, 4, 3]
    with pytest.raises(ProgressFileError, match="^sent file: .*rating value 7"):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["ratings"][0]["value"] = 7
        store_module.check_export(json.dumps(data).encode(), name="sent file")


def test_replace_erase_and_export_all(store, sqlite_store, tmp_path):
    populate(sqlite_store)
    populate(sqlite_store, "ben")
    learner, rows = store_module.check_export(sqlite_store.export_json("ana").encode())
    store.replace_learner(learner, rows)
    store.replace_learner(learner, rows)  # the same push again adds nothing
    assert len(store.ratings("ana")) == 3
    rows["ratings"] = rows["ratings"][:1]
    kept = store.replace_learner(learner, rows)
    assert kept["ratings"] == 1 and len(store.ratings("ana")) == 1
    learner, rows = store_module.check_export(sqlite_store.export_json("ben").encode())
    store.replace_learner(learner, rows)
    everyone = store.export_all()
    assert [e["learner"]["learner_id"] for e in everyone] == ["ana", "ben"]
    assert everyone[1] == dict(store.export_dict("ben"), exported_at=everyone[1]["exported_at"])
    assert store.erase_learner("ana") is True and store.erase_learner("ana") is False
    assert store.learners()["learner_id"].tolist() == ["ben"]
    assert store.ratings("ana").empty and store.reflections("ana").empty


# --- the workbook's own modules (foundations, ethics) ----------------------------------------


def test_a_store_and_an_export_with_todays_data_still_load(tmp_path, sqlite_store):
    """A store and an export with only SAMHSA's twelve modules (all that earlier versions knew)
    load unchanged; the workbook's own modules are recorded, exported and imported beside."""
    path = tmp_path / "today.sqlite"
    old = ProgressStore(f"sqlite:///{path}", ids=content.known_ids)
    populate(old)
    before = snapshot(old)
    exported = old.export_json("ana", include_text=True)
    old.close()

    again = ProgressStore(f"sqlite:///{path}", ids=content.known_ids)
    assert_same(before, snapshot(again))
    text = again.progress_text("ana")
    assert "Modules complete: 1 of 14 (crisis)" in text
    assert text.index("foundations") < text.index("engage") < text.index("ethics")
    again.record_rating("ana", "foundations", "before", 3)
    again.record_rating("ana", "ethics", "after", 4)
    again.record_choice("ana", "ethics-1", 2, True)
    again.record_reflection("ana", "ethics", "r2", "A question I will ask myself.")
    again.mark_complete("ana", "foundations")
    order = again.latest_ratings("ana")["competency_id"].tolist()
    assert order == ["foundations", "engage", "crisis", "crisis", "ethics"]
    assert "Modules complete: 2 of 14 (foundations, crisis)" in again.progress_text("ana")

    assert sqlite_store.import_learner(exported.encode("utf-8"))["ratings"] == 3
    assert_same(before, snapshot(sqlite_store), skip=("learners",))
    newer = again.export_json("ana", include_text=True)
    summary = sqlite_store.import_learner(newer.encode("utf-8"))
    assert (summary["ratings"], summary["completions"], summary["reflections"]) == (2, 1, 1)
    assert set(sqlite_store.completions("ana")["competency_id"]) == {"crisis", "foundations"}
    with pytest.raises(ProgressError, match="unknown competency id 'ethic'"):
        again.record_rating("ana", "ethic", "before", 3)
    again.close()
