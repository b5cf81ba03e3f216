"""The progress file: one table of bad files, refused the same way by every reader."""

import html
import json
import os
import stat
import time
import unicodedata

import pytest
import sqlalchemy

from peerlib import cli, cohort, exportfile
from peerlib import store as store_module
from peerlib.content import known_ids
from peerlib.errors import ProgressFileError
from peerlib.store import ProgressStore

RATING = {"competency_id": "crisis", "phase": "before", "value": 2}
T = "2026-11-20T10:00:00.000000Z"


def good(learner_id="ana", **records):
    base = {
        "ratings": [{**RATING, "recorded_at": T}],
        "answers": [
            {"question_id": "ps20", "feedback_summary": "3/4", "seconds": 12.5, "recorded_at": T}
        ],
        "choices": [{"exercise_id": "crisis-1", "choice": 1, "is_best": True, "recorded_at": T}],
        "reflections": [{"competency_id": "crisis", "prompt_id": "r1", "recorded_at": T}],
        "completions": [{"competency_id": "crisis", "recorded_at": T}],
    }
    base.update(records)
    return exportfile.new(learner_id, "Ana", base, exported_at="2026-11-22T07:00:00.000000Z")


def edit(path, value):
    def apply():
        data = good()
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
        return json.dumps(data).encode()

    return apply


def raw(text):
    return lambda: text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text


def _flip():
    content = bytearray(json.dumps(good()).encode())
    content[20] ^= 0x40  # a bit flip in the header
    return bytes(content)


BIG = exportfile.MAX_BYTES
BAD = {
    "unknown-question": (edit(["answers", 0, "question_id"], "ps999"), "unknown question id"),
    "unknown-exercise": (edit(["choices", 0, "exercise_id"], "x-1"), "unknown exercise id"),
    "unknown-prompt": (edit(["reflections", 0, "prompt_id"], "r999"), "reflection prompt id"),
    "5MB-summary": (edit(["answers", 0, "feedback_summary"], "x" * 5 * 2**20), "too long"),
    "exported-yesterday": (edit(["exported_at"], "yesterday"), "exported_at 'yesterday'"),
    "include-text-yes": (edit(["include_text"], "yes"), "include_text 'yes'"),
    "version-1.0": (edit(["version"], 1.0), "invalid format version 1.0"),
    "newer-version": (edit(["version"], 3), "newer peerlib"),
    "choice-2**63": (edit(["choices", 0, "choice"], 2**63), "choice index 9223372036854775808"),
    "choice-2**31": (edit(["choices", 0, "choice"], 2**31), "choice index 2147483648"),
    "year-1": (edit(["ratings", 0, "recorded_at"], "0001-01-01T00:00:00+01:00"), "before 2000"),
    "surrogate-name": (raw('{"format": "peerlib-progress", "version": 1, "exported_at": '
                           '"2026-11-22T07:00:00Z", "include_text": false, "learner": '
                           '{"learner_id": "ana\\ud800"}, "ratings": [], "answers": [], '
                           '"choices": [], "reflections": [], "completions": []}'),
                       "U+D800"),
    "surrogate-text": (edit(["answers", 0, "text"], "hi \ud800"), "U+D800"),
    "nul-name": (edit(["learner", "display_name"], "A\x00na"), "U+0000"),
    "nul-text": (edit(["answers", 0, "text"], "a\x00b"), "U+0000"),
    "rating-9999": (edit(["ratings", 0, "recorded_at"], "9999-12-31T00:00:00Z"),
                    "after the file's exported_at"),
    "21MB-answer": (edit(["answers", 0, "text"], "x" * 21 * 2**20), "larger than 20 MB"),
    "15MB-id": (edit(["ratings", 0, "competency_id"], "x" * 15 * 2**20), "(15,728,640 characters)"),
    "duplicate-keys": (raw('{"format": "peerlib-progress", "format": "x"}'), "appears twice"),
    "rtl-override": (edit(["learner", "learner_id"], "ana\u202egnp.exe"), "U+202E"),
    "control-in-name": (edit(["learner", "display_name"], "An\x1ba"), "U+001B"),
    "truncated": (lambda: json.dumps(good()).encode()[:-40], "is not valid JSON"),
    "bit-flip": (_flip, "is not"),
    "nan": (raw('{"format": "peerlib-progress", "version": NaN}'), "NaN is not allowed"),
    "wrong-type-value": (edit(["ratings", 0, "value"], "2"), "rating value '2'"),
    "wrong-type-list": (edit(["ratings"], {"a": 1}), "ratings must be a list"),
    "not-utf8": (raw(b"\xff\xfe{}"), "is not UTF-8 text"),
}  # fmt: skip


def _reasons_by_reader(tmp_path, content):
    """What each reader says about one bad file, next to a good one."""
    folder = tmp_path / "folder"
    folder.mkdir()
    exportfile.write(good("ben"), folder / "ben.json")
    bad = folder / "bad.json"
    bad.write_bytes(content)
    found = {}
    with ProgressStore(f"sqlite:///{tmp_path / 's.sqlite'}", ids=known_ids) as progress:
        with pytest.raises(ProgressFileError) as caught:
            progress.import_learner(bad)
        found["store"] = str(caught.value)
        assert progress.learners().empty  # a refused file leaves the store unchanged
    group = cohort.load(folder, names=True)
    assert list(group.learners["learner_key"]) == ["ben"]  # everyone else still loads
    found["cohort"] = dict(group.skipped)["bad.json"]
    found["summary"] = group.summary()  # what `peerlib cohort report` prints first
    return found


@pytest.mark.parametrize("case", list(BAD))
def test_every_reader_refuses_a_bad_file_with_the_same_reason(tmp_path, capsys, case):
    make, fragment = BAD[case]
    content = make()
    found = _reasons_by_reader(tmp_path, content)
    reason = found["cohort"]
    assert fragment in reason
    assert "\n" not in reason and len(reason) < 300
    assert found["store"] == f"bad.json: {reason}; nothing was imported"
    capsys.readouterr()
    folder = tmp_path / "folder"
    assert cli.main(["import", str(folder / "bad.json"), str(folder / "ben.json")]) == 1
    out, err = capsys.readouterr()
    assert f"bad.json: {reason}; nothing was imported" in err
    assert "imported for ben" in out  # the rest of the batch goes on
    assert found["summary"] == f"Loaded 1 learner from 2 files; skipped 1: bad.json ({reason})."


def test_one_report_lists_every_bad_file_and_reports_everyone_else(tmp_path, capsys):
    """`peerlib cohort report` on a folder holding every bad file above and one good one."""
    folder = tmp_path / "folder"
    folder.mkdir()
    exportfile.write(good("ben"), folder / "ben.json")
    for case, (make, _fragment) in BAD.items():
        (folder / f"bad-{case}.json").write_bytes(make())
    reasons = dict(cohort.load(folder).skipped)
    assert set(reasons) == {f"bad-{case}.json" for case in BAD}
    for case, (_make, fragment) in BAD.items():
        assert fragment in reasons[f"bad-{case}.json"], case
    capsys.readouterr()
    assert cli.main(["cohort", "report", str(folder), "--out", str(tmp_path / "r.html")]) == 0
    out, _ = capsys.readouterr()
    assert f"Loaded 1 learner from {len(BAD) + 1} files; skipped {len(BAD)}: " in out
    page = (tmp_path / "r.html").read_text("utf-8")
    assert f"{len(BAD)} file(s) could not be read" in page
    for reason in reasons.values():
        assert html.escape(reason, quote=True) in page


def test_nfc_and_nfd_names_are_one_learner(tmp_path):
    nfc = "Jos\u00e9"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfc != nfd
    exportfile.write(good(nfc), tmp_path / "a.json")
    exportfile.write(good(nfd, ratings=[{**RATING, "recorded_at": "2026-11-21T10:00:00Z"}]),
                     tmp_path / "b.json")  # fmt: skip
    group = cohort.load(tmp_path, names=True)
    assert list(group.learners["learner_key"]) == [nfc] and len(group.ratings) == 2
    with ProgressStore(f"sqlite:///{tmp_path / 's.sqlite'}") as progress:
        progress.import_learner(tmp_path / "a.json")
        progress.import_learner(tmp_path / "b.json")
        progress.record_rating(nfd, "crisis", "after", 4)
        assert list(progress.learners()["learner_id"]) == [nfc]


def test_the_store_enforces_the_text_limit():
    with ProgressStore() as progress, pytest.raises(Exception, match="too long"):
        progress.record_answer("ana", "ps20", "x" * (exportfile.MAX_TEXT + 1))


def test_export_and_import_share_one_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(exportfile, "MAX_BYTES", 2000)
    with ProgressStore() as progress:
        progress.record_answer("ana", "ps20", "x" * 3000)
        with pytest.raises(Exception, match="larger than the 0 MB"):
            progress.export_learner("ana", tmp_path / "a.json", include_text=True)
        progress.export_learner("ana", tmp_path / "a.json")  # without texts it fits
        assert progress.import_learner(tmp_path / "a.json")["answers"] == 0


def test_an_older_version_is_upgraded_by_every_reader(tmp_path, monkeypatch):
    def from_0(data):
        data["learner"] = {"learner_id": data.pop("learner_name"), "display_name": None}
        return data

    monkeypatch.setattr(exportfile, "UPGRADES", {0: from_0})
    data = good()
    del data["learner"]
    data.update(version=0, learner_name="ana")
    exportfile.write(data, tmp_path / "old.json")
    assert exportfile.read(tmp_path / "old.json")[0].learner_id == "ana"
    assert list(cohort.load(tmp_path, names=True).learners["learner_key"]) == ["ana"]


def test_writes_are_atomic_private_and_clear_stale_temporary_files(tmp_path):
    stale = tmp_path / ".a.json.old.tmp"
    stale.write_text("left by a crash")
    os.utime(stale, (time.time() - 3600,) * 2)
    path = exportfile.write(good(), tmp_path / "a.json")
    assert sorted(os.listdir(tmp_path)) == ["a.json"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert exportfile.read(path)[0].learner_id == "ana"


def _schema_v1(url):
    """A store as schema version 1 made it (frozen here: the schema of that version)."""
    meta = sqlalchemy.MetaData()
    S, Int, DT = sqlalchemy.String, sqlalchemy.Integer, sqlalchemy.DateTime  # noqa: N806
    C = sqlalchemy.Column  # noqa: N806
    sqlalchemy.Table("meta", meta, C("key", S(64), primary_key=True), C("value", sqlalchemy.Text))
    sqlalchemy.Table(
        "learners",
        meta,
        C("learner_id", S(100), primary_key=True),
        C("display_name", S(200)),
        C("created_at", DT, nullable=False),
    )
    fields = {
        "ratings": [C("competency_id", S(64), nullable=False), C("phase", S(16), nullable=False),
                    C("value", Int, nullable=False)],
        "answers": [C("question_id", S(64), nullable=False), C("text", sqlalchemy.Text),
                    C("feedback_summary", S(200), nullable=False), C("seconds", sqlalchemy.Float)],
        "choices": [C("exercise_id", S(64), nullable=False), C("choice", Int, nullable=False),
                    C("is_best", sqlalchemy.Boolean, nullable=False)],
        "reflections": [C("competency_id", S(64), nullable=False),
                        C("prompt_id", S(64), nullable=False), C("text", sqlalchemy.Text)],
        "completions": [C("competency_id", S(64), nullable=False)],
    }  # fmt: skip
    for name, columns in fields.items():
        extra = [sqlalchemy.UniqueConstraint("learner_id", "competency_id")]
        sqlalchemy.Table(
            name, meta, C("id", Int, primary_key=True, autoincrement=True),
            C("learner_id", sqlalchemy.ForeignKey("learners.learner_id"), nullable=False,
              index=True),
            *columns, C("recorded_at", DT, nullable=False),
            *(extra if name == "completions" else []),
        )  # fmt: skip
    engine = sqlalchemy.create_engine(url)
    meta.create_all(engine)
    with engine.begin() as conn:
        conn.execute(meta.tables["meta"].insert().values(key="schema_version", value="1"))
        conn.exec_driver_sql("INSERT INTO learners VALUES ('ana', 'Ana', '2026-11-20 10:00:00')")
        conn.exec_driver_sql(
            "INSERT INTO ratings (learner_id, competency_id, phase, value, recorded_at) "
            "VALUES ('ana', 'crisis', 'before', 2, '2026-11-20 10:00:00')"
        )
    engine.dispose()


def test_a_version_1_store_is_upgraded(db_url):
    _schema_v1(db_url)
    with ProgressStore(db_url) as progress:
        assert progress.setting("schema_version") == str(store_module.SCHEMA_VERSION)
        assert progress.ratings()["value"].tolist() == [2]
        progress.record_rating("ana", "crisis", "after", 4)
        indexes = {i["name"] for i in sqlalchemy.inspect(progress.engine).get_indexes("ratings")}
        assert "ix_ratings_learner_time" in indexes
    with ProgressStore(db_url) as again:  # and opens again without changes
        assert again.ratings()["value"].tolist() == [2, 4]
