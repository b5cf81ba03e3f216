"""peerlib.cohort: loading many learners' exports or a hub database, and the aggregates."""

import hashlib
import hmac
import math
import re
import secrets

import pandas as pd
import pytest
from export_files import export

from peerlib import bank, cohort, curriculum, store


def load(source, **options):
    return cohort.load(source, progress=False, **options)


def every_text(c: cohort.Cohort) -> str:
    """All values and column names of every frame of a cohort, as one string."""
    frames = [c.learners, c.ratings, c.choices, c.answers, c.reflections, c.completions]
    return " ".join(f.to_csv() for f in frames)


# --- loading -------------------------------------------------------------------------------


def test_names_are_hidden_by_default(tmp_path):
    export(tmp_path, "a.json", "zora-private", [("crisis", "before", 2, 20)], display_name="Zora Q")
    export(tmp_path, "b.json", "yusuf-private", [("crisis", "after", 4, 21)], display_name="Yusuf")
    loaded = load(tmp_path)
    assert loaded.summary() == "Loaded 2 learners from 2 files."
    assert list(loaded.learners.columns) == ["learner_key"]
    assert sorted(loaded.learners["learner_key"]) == sorted(
        [cohort.pseudonym("zora-private"), cohort.pseudonym("yusuf-private")]
    )
    assert cohort.pseudonym("zora-private") == cohort.pseudonym(
        "zora-private", cohort.course_secret()
    )
    text = every_text(loaded)
    for secret in ("zora", "Zora", "yusuf", "Yusuf", "learner_id", "display_name"):
        assert secret not in text
    assert list(loaded.ratings.columns) == [
        "learner_key", "competency_id", "phase", "value", "recorded_at"
    ]  # fmt: skip
    assert "text" not in loaded.answers.columns and "text" not in loaded.reflections.columns


def test_keys_are_keyed_with_the_trainers_secret(_isolated_progress):
    """A roster of names does not reverse a key without the course secret."""
    secret_file = _isolated_progress / cohort.SECRET_FILE
    assert not secret_file.exists()
    key = cohort.pseudonym("learner-0417")
    assert re.fullmatch(r"L-[0-9a-f]{10}", key)
    assert secret_file.stat().st_mode & 0o777 == 0o600  # the trainer's eyes only
    secret = secret_file.read_text(encoding="ascii").strip().encode()
    assert len(secret) == 64
    expected = hmac.new(secret, b"learner-0417", hashlib.sha256).hexdigest()[:10]
    assert key == "L-" + expected
    assert cohort.pseudonym("learner-0417") == key  # stable: the secret is kept

    roster = [f"learner-{n:04d}" for n in range(1004)]
    for guess in ("peerlib:{}", "{}"):  # unkeyed hashes (as before) no longer match
        hashed = {"L-" + hashlib.sha256(guess.format(n).encode()).hexdigest()[:10] for n in roster}
        assert key not in hashed
    other_course = {cohort.pseudonym(n, secrets.token_hex(32).encode()) for n in roster}
    assert key not in other_course  # nor does a wrong secret


def test_a_secret_readable_by_others_is_made_private(_isolated_progress):
    path = _isolated_progress / cohort.SECRET_FILE
    path.write_text("a" * 64 + "\n", encoding="ascii")
    path.chmod(0o644)
    key = cohort.pseudonym("ana")
    assert path.stat().st_mode & 0o777 == 0o600
    assert key == "L-" + hmac.new(b"a" * 64, b"ana", hashlib.sha256).hexdigest()[:10]


def test_a_too_short_secret_is_an_error(_isolated_progress):
    (_isolated_progress / cohort.SECRET_FILE).write_text("short\n", encoding="ascii")
    with pytest.raises(ValueError, match="too short"):
        cohort.pseudonym("ana")


def test_names_shown_when_asked(tmp_path):
    export(tmp_path, "a.json", "zora", [("crisis", "before", 2, 20)], display_name="Zora Q")
    export(tmp_path, "b.json", "yusuf", [("crisis", "after", 4, 21)])
    loaded = load(tmp_path, names=True)
    assert loaded.learners.to_dict("records") == [
        {"learner_key": "yusuf", "display_name": None},
        {"learner_key": "zora", "display_name": "Zora Q"},
    ]
    assert set(loaded.ratings["learner_key"]) == {"zora", "yusuf"}


def test_loaded_frames_are_typed(tmp_path):
    export(tmp_path, "a.json", "ana", [("crisis", "before", 2, 20)], [("crisis", 20)])
    loaded = load(tmp_path)
    ratings = loaded.ratings
    assert ratings["value"].dtype == "int64"
    assert str(ratings["recorded_at"].dtype) == "datetime64[us, UTC]"
    # SAMHSA's twelve and the workbook's own modules, in the learner's order
    assert list(ratings["competency_id"].cat.categories) == curriculum.module_ids()
    assert set(bank.competency_ids()) < set(ratings["competency_id"].cat.categories)
    assert ratings["recorded_at"].iloc[0] == pd.Timestamp("2026-11-20T10:00", tz="UTC")
    choice = loaded.choices.iloc[0]
    assert (choice["exercise_id"], choice["choice"], choice["is_best"]) == ("crisis-1", 2, True)
    assert loaded.choices["recorded_at"].iloc[0] == pd.Timestamp("2026-11-20T10:05", tz="UTC")
    assert math.isnan(loaded.answers["seconds"].iloc[0])
    assert len(loaded.reflections) == 1 and len(loaded.completions) == 1


def test_bad_files_are_skipped_with_name_and_reason(tmp_path):
    export(tmp_path, "good1.json", "ana", [("crisis", "before", 2, 20)])
    export(tmp_path, "good2.json", "ben", [("crisis", "before", 3, 20)])
    (tmp_path / "corrupt.json").write_text('{"format": "peerlib-progress", "ver', "utf-8")
    export(tmp_path, "newer.json", "cy", version=2)
    export(tmp_path, "other.json", "dee", format="something-else")
    export(tmp_path, "unknown.json", "eve", [("juggling", "before", 2, 20)])
    export(tmp_path, "range.json", "fay", [("crisis", "before", 2, 20), ("crisis", "after", 7, 21)])
    export(tmp_path, "boolean.json", "gus", [("crisis", "before", True, 20)])
    export(tmp_path, "phase.json", "hal", [("crisis", "during", 3, 20)])
    naive = [{"competency_id": "crisis", "recorded_at": "2026-11-20T10:00:00"}]
    export(tmp_path, "naive.json", "ida", completions=naive)
    (tmp_path / "notes.txt").write_text("not an export", "utf-8")
    (tmp_path / "._good1.json").write_bytes(b"\x00\x05mac resource fork")

    loaded = load(tmp_path)
    assert loaded.sources == 10
    assert len(loaded.learners) == 2
    assert sorted(loaded.ratings["value"]) == [2, 3]
    reasons = dict(loaded.skipped)
    assert sorted(reasons) == sorted(
        ["corrupt.json", "newer.json", "other.json", "unknown.json", "range.json",
         "boolean.json", "phase.json", "naive.json"]
    )  # fmt: skip
    assert reasons["corrupt.json"].startswith("is not valid JSON (truncated or corrupt? ")
    assert "newer peerlib (format version 2" in reasons["newer.json"]
    assert reasons["other.json"].startswith(
        "is not a peerlib progress file (format 'something-else'"
    )
    assert reasons["unknown.json"].startswith("ratings[0]: unknown competency id 'juggling'")
    assert reasons["range.json"] == "ratings[1]: rating value 7 is not an integer from 1 to 5"
    assert reasons["boolean.json"] == "ratings[0]: rating value True is not an integer from 1 to 5"
    assert reasons["phase.json"].startswith("ratings[0]: unknown phase 'during'")
    assert reasons["naive.json"].startswith("completions[0]: recorded_at '2026-11-20T10:00:00'")
    summary = loaded.summary()
    assert summary.startswith(
        "Loaded 2 learners from 10 files; skipped 8: boolean.json (ratings[0]"
    )
    assert "corrupt.json (is not valid JSON " in summary and summary.endswith("and 3 more.")


def test_structural_problems_are_reasons_not_exceptions(tmp_path):
    export(tmp_path, "list.json", "ana", ratings="not a list")
    export(tmp_path, "item.json", "ben", choices=[3])
    export(tmp_path, "missing.json", "cy", answers=[{"question_id": "ps20"}])
    export(tmp_path, "blank.json", "   ")
    (tmp_path / "array.json").write_text("[1, 2]", "utf-8")
    (tmp_path / "nan.json").write_text('{"format": NaN}', "utf-8")
    (tmp_path / "latin1.json").write_bytes('{"name": "Jos\xe9"}'.encode("latin-1"))
    reasons = dict(load(tmp_path).skipped)
    assert reasons == {
        "array.json": "is not a peerlib progress file (a JSON object, not a list)",
        "blank.json": "learner id '   ' is empty; allowed: a non-blank name (up to 100 characters)",
        "item.json": "choices[0] must be an object, not a number",
        "latin1.json": reasons["latin1.json"],
        "list.json": "ratings must be a list, not a string",
        "missing.json": "answers[0]: is missing the field(s) feedback_summary, seconds, recorded_at",
        "nan.json": "is not valid JSON (truncated or corrupt? NaN is not allowed in JSON)",
    }
    assert reasons["latin1.json"].startswith("is not UTF-8 text")


RATING = {
    "competency_id": "crisis",
    "phase": "before",
    "value": 2,
    "recorded_at": "2026-11-20T10:00:00Z",
}


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"competency_id": {"a": 1}}, "ratings[0]: unknown competency id {'a': 1}"),
        ({"value": 10**30}, "ratings[0]: rating value 1000000000000000000000000000000 is not"),
        ({"value": 2.0}, "ratings[0]: rating value 2.0 is not an integer from 1 to 5"),
        ({"value": [2]}, "ratings[0]: rating value [2] is not"),
        ({"recorded_at": 1700000000}, "ratings[0]: recorded_at 1700000000 is not an ISO 8601"),
        ({"recorded_at": "yesterday"}, "ratings[0]: recorded_at 'yesterday' is not"),
        ({"competency_id": "x" * 100}, "ratings[0]: unknown competency id 'xxxxxxxxxxxxxxx"),
    ],
)
def test_record_values_are_checked_exactly(tmp_path, change, reason):
    export(tmp_path, "bad.json", "ana", ratings=[RATING, {**RATING, **change}][1:])
    (skipped,) = load(tmp_path).skipped
    assert skipped[0] == "bad.json" and skipped[1].startswith(reason)
    assert len(skipped[1]) < 200  # long values are cut


def test_times_with_other_offsets_load_and_merge(tmp_path):
    export(tmp_path, "a.json", "ana", ratings=[RATING])
    export(tmp_path, "b.json", "ana", ratings=[{**RATING, "recorded_at": "2026-11-20T12:00+02:00"}])
    loaded = load(tmp_path)
    assert loaded.skipped == [] and len(loaded.ratings) == 1


def test_same_learner_in_two_files_is_merged(tmp_path):
    shared = ("crisis", "before", 2, 20)
    export(tmp_path, "ana-monday.json", "ana", [shared], [("crisis", 20)], display_name="Ana")
    export(
        tmp_path, "ana-friday.json", "ana", [shared, ("crisis", "after", 4, 24)],
        [("crisis", 24), ("engage", 24)],
    )  # fmt: skip
    export(tmp_path, "ben.json", "ben", [shared])
    loaded = load(tmp_path, names=True)
    assert loaded.summary() == "Loaded 2 learners from 3 files."
    assert loaded.learners.to_dict("records") == [
        {"learner_key": "ana", "display_name": "Ana"},
        {"learner_key": "ben", "display_name": None},
    ]
    ana = loaded.ratings[loaded.ratings["learner_key"] == "ana"]
    assert sorted(zip(ana["phase"], ana["value"], strict=True)) == [("after", 4), ("before", 2)]
    done = loaded.completions[loaded.completions["learner_key"] == "ana"]
    assert sorted(done["competency_id"]) == ["crisis", "engage"]
    first = done.loc[done["competency_id"] == "crisis", "recorded_at"].iloc[0]
    assert first == pd.Timestamp("2026-11-20T12:00", tz="UTC")  # the first completion counts
    assert len(loaded.answers) == 2 and len(loaded.choices) == 2  # one per learner


def test_sources_list_file_and_missing_folder(tmp_path):
    a = export(tmp_path, "a.json", "ana", [("crisis", "before", 2, 20)])
    b = export(tmp_path, "b.json", "ben", [("crisis", "before", 3, 20)])
    assert len(load([a, str(b)]).learners) == 2
    assert len(load(a).learners) == 1
    with pytest.raises(FileNotFoundError, match="No folder or file"):
        load(tmp_path / "nowhere")
    empty = load([])
    assert empty.summary() == "Loaded 0 learners from 0 files."
    assert empty.ratings.empty and list(empty.ratings.columns)[0] == "learner_key"


def test_progress_bar_for_many_files(tmp_path, capsys):
    export(tmp_path, "a.json", "ana", [("crisis", "before", 2, 20)])
    cohort.load(tmp_path)  # one file: no bar by default
    assert "Loading exports" not in capsys.readouterr().err
    cohort.load(tmp_path, progress=True)
    assert "Loading exports" in capsys.readouterr().err


def test_database_source_and_store_exports_agree(db_url, tmp_path):
    progress = store.ProgressStore(db_url)
    try:
        progress.ensure_learner("zora", "Zora Q")
        progress.record_rating("zora", "crisis", "before", 2)
        progress.record_rating("zora", "crisis", "after", 4)
        progress.record_answer("zora", "ps20", "my very private answer", "3/4 points", 42.0)
        progress.record_reflection("zora", "crisis", "r1", "a private reflection")
        progress.mark_complete("zora", "crisis")
        progress.record_rating("yusuf", "engage", "before", 3)
        progress.export_learner("zora", tmp_path / "exports" / "zora.json", include_text=True)
        progress.export_learner("yusuf", tmp_path / "exports" / "yusuf.json")
    finally:
        progress.close()

    from_db = load(db_url)
    assert from_db.summary() == "Loaded 2 learners from the database."
    assert set(from_db.learners["learner_key"]) == {
        cohort.pseudonym("zora"),
        cohort.pseudonym("yusuf"),
    }
    assert "private" not in every_text(from_db) and "zora" not in every_text(from_db)
    from_files = load(tmp_path / "exports")
    assert from_files.skipped == []
    for kind in ("learners", "ratings", "choices", "answers", "reflections", "completions"):
        db_frame, file_frame = getattr(from_db, kind), getattr(from_files, kind)
        order = list(db_frame.columns)
        pd.testing.assert_frame_equal(
            db_frame.sort_values(order).reset_index(drop=True),
            file_frame.sort_values(order).reset_index(drop=True),
        )
    named = load(db_url, names=True)
    assert dict(
        zip(named.learners["learner_key"], named.learners["display_name"], strict=True)
    ) == {
        "yusuf": None,
        "zora": "Zora Q",
    }


def test_missing_sqlite_database_is_not_created(tmp_path):
    with pytest.raises(FileNotFoundError, match="No SQLite database file"):
        load(f"sqlite:///{tmp_path / 'typo.sqlite'}")
    assert not (tmp_path / "typo.sqlite").exists()


# --- aggregates ----------------------------------------------------------------------------


@pytest.fixture
def trio(tmp_path):
    """Three learners with known crisis ratings, and one with only a check-in."""
    export(tmp_path, "a.json", "a", [("crisis", "before", 4, 1), ("crisis", "before", 1, 2),
                                     ("crisis", "after", 3, 3), ("engage", "before", 3, 3)],
           [("crisis", 3), ("engage", 3)])  # fmt: skip
    export(tmp_path, "b.json", "b", [("crisis", "before", 2, 2), ("crisis", "after", 3, 3),
                                     ("engage", "after", 4, 4)], [("crisis", 3)])  # fmt: skip
    export(tmp_path, "c.json", "c", [("crisis", "before", 2, 2), ("crisis", "after", 5, 3)],
           [("crisis", 3)])  # fmt: skip
    export(tmp_path, "d.json", "d", [("crisis", "checkin", 2, 5)])
    return load(tmp_path, names=True)


def test_aggregate_hand_checked(trio):
    table = cohort.aggregate(trio)
    assert list(table["competency_id"]) == curriculum.module_ids()
    assert list(table.columns) == [
        "competency_id", "short", "n_before", "mean_before", "median_before", "n_after",
        "mean_after", "median_after", "n_paired", "mean_change", "ci_low", "ci_high",
        "n_rated", "share_not_confident",
    ]  # fmt: skip
    crisis = table.set_index("competency_id").loc["crisis"]
    assert crisis["short"] == "Managing crises"
    # latest before: 1 (a's later rating replaces its 4), 2, 2; after: 3, 3, 5
    assert (crisis["n_before"], crisis["n_after"], crisis["n_paired"]) == (3, 3, 3)
    assert crisis["mean_before"] == pytest.approx(5 / 3)
    assert crisis["median_before"] == 2
    assert crisis["mean_after"] == pytest.approx(11 / 3)
    assert crisis["median_after"] == 3
    # changes 2, 1, 3: mean 2, sd 1, t(0.975, 2) = 4.3027 -> 2 ± 4.3027 / sqrt(3)
    assert crisis["mean_change"] == pytest.approx(2)
    assert crisis["ci_low"] == pytest.approx(2 - 4.3027 / math.sqrt(3))
    assert crisis["ci_high"] == pytest.approx(4.48417, abs=1e-4)
    # latest any phase: a 3, b 3, c 5, d 2 (check-in) -> 1 of 4 at 1-2
    assert (crisis["n_rated"], crisis["share_not_confident"]) == (4, 0.25)
    engage = table.set_index("competency_id").loc["engage"]
    assert (engage["n_before"], engage["n_after"], engage["n_paired"]) == (1, 1, 0)
    assert math.isnan(engage["mean_change"]) and math.isnan(engage["ci_low"])
    wellness = table.set_index("competency_id").loc["wellness"]
    assert wellness["n_rated"] == 0 and math.isnan(wellness["mean_before"])


def test_t95_table_and_approximation():
    assert cohort.t95(1) == 12.7062
    assert cohort.t95(30) == 2.0423
    assert cohort.t95(60) == pytest.approx(2.0003, abs=2e-4)
    assert cohort.t95(120) == pytest.approx(1.9799, abs=2e-4)
    assert math.isnan(cohort.t95(0))


def test_completion_shares(trio):
    table = cohort.completion(trio).set_index("competency_id")
    assert list(table.columns) == ["short", "learners_completed", "share"]
    assert table.loc["crisis", "learners_completed"] == 3
    assert table.loc["crisis", "share"] == 0.75
    assert table.loc["engage", "share"] == 0.25
    assert table.loc["growth", "learners_completed"] == 0


def test_follow_up_list(tmp_path):
    export(tmp_path, "low.json", "low", [("crisis", "before", 1, 2), ("crisis", "after", 2, 3)])
    export(tmp_path, "drop.json", "drop", [("support", "before", 4, 2), ("support", "after", 2, 3)])
    export(tmp_path, "fell.json", "fell", [("engage", "before", 3, 2), ("engage", "after", 4, 3),
                                           ("engage", "checkin", 3, 9)])  # fmt: skip
    export(tmp_path, "both.json", "both", [("crisis", "before", 4, 2), ("crisis", "after", 2, 3)],
           display_name="Both B")  # fmt: skip
    export(tmp_path, "fine.json", "fine", [("crisis", "before", 2, 2), ("crisis", "after", 4, 3)])
    named = load(tmp_path, names=True)
    table = cohort.follow_up(named)
    assert list(table.columns) == ["learner_key", "display_name", "reason", "competency_id"]
    rows = table[["learner_key", "competency_id", "reason"]].to_numpy().tolist()
    assert rows == [
        [
            "both",
            "crisis",
            "latest rating for Managing crises is 2 of 5; dropped from 4 before to 2 after",
        ],
        ["drop", "support", "dropped from 4 before to 2 after"],
        ["fell", "engage", "latest rating 3 is lower than the previous 4"],
        ["low", "crisis", "latest rating for Managing crises is 2 of 5"],
    ]
    assert table["display_name"].iloc[0] == "Both B"
    hidden = cohort.follow_up(load(tmp_path))
    assert list(hidden.columns) == ["learner_key", "reason", "competency_id"]
    assert set(hidden["learner_key"]) == {
        cohort.pseudonym(n) for n in ("both", "drop", "fell", "low")
    }


def test_aggregates_of_an_empty_cohort():
    empty = load([])
    table = cohort.aggregate(empty)
    assert len(table) == len(curriculum.module_ids()) == 14 and table["n_before"].sum() == 0
    assert cohort.follow_up(empty).empty
    assert cohort.completion(empty)["learners_completed"].sum() == 0


def test_hub_source_reads_the_course_service(tmp_path, monkeypatch):
    """``load("hub")`` takes the progress files the service returns (no hub needed here)."""
    import json

    from peerlib import hub

    export(tmp_path, "a.json", "ana", [("crisis", "before", 2, 20)], display_name="Ana")
    export(tmp_path, "b.json", "ben", [("crisis", "before", 5, 21)], version=99)
    sent = [json.loads((tmp_path / n).read_text(encoding="utf-8")) for n in ("a.json", "b.json")]
    monkeypatch.setattr(hub.CourseClient, "__init__", lambda self, *a, **k: None)
    monkeypatch.setattr(hub.CourseClient, "cohort", lambda self, text=False: sent)
    loaded = load("hub")
    assert loaded.origin == "hub"
    assert loaded.learners["learner_key"].tolist() == [cohort.pseudonym("ana")]
    assert loaded.skipped[0][0] == "learner 2" and "newer peerlib" in loaded.skipped[0][1]
    assert loaded.summary().startswith("Loaded 1 learner from the course service; skipped 1")
