"""The trainer's view of a cohort: readable tables, one self-contained HTML report, a summary
CSV for a spreadsheet or LMS, and an upload widget that adds learners' export files.

Everything here works on a loaded ``peerlib.cohort.Cohort``. Learner-derived text (keys,
names, reasons, file names) is always escaped; names appear only in a cohort loaded with
``names=True``.
"""

from __future__ import annotations

import html
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import ipywidgets as widgets
import pandas as pd

from . import bank, charts, curriculum, demo
from . import cohort as cohort_module
from .errors import PeerlibError
from .store import RATING_LABELS

DEFAULT_TITLE = "Cohort review"
FOLLOW_UP_NOTE = (
    "Confidential: for the trainer only. Do not share, forward or print this list for anyone "
    "else. Each row is an invitation to a supportive, private check-in, not a judgment: "
    "self-ratings describe how confident someone feels, not how well they do the work."
)
CRISIS_NOTE = (
    "If someone is in crisis, follow your organization's safety plan; in the US, call or "
    "text 988 (Suicide & Crisis Lifeline)."
)
UPLOADS_OFF = (
    "Uploads are off: they go into a folder of your cohort's exports. Set COHORT_SOURCE to "
    "such a folder (a new one is created), then run the notebook again."
)
RATING_NOTE = (
    f"Ratings are learners' own confidence, from 1 ({RATING_LABELS[1].lower()}) to 5 "
    f"({RATING_LABELS[5].lower()}). "
    "'Before' is each learner's latest rating at the start of a module, 'after' the latest at "
    "its end; the change is averaged over learners with both, with a 95% confidence interval."
)


def _numbered(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows numbered from 1 (the module number in per-competency tables)."""
    return frame.set_axis(pd.RangeIndex(1, len(frame) + 1, name="#"))


def _number(value, digits: int = 1, sign: bool = False) -> str:
    if pd.isna(value):
        return "–"
    return f"{value:{'+' if sign else ''}.{digits}f}".replace("-", "−")


def _change(row) -> str:
    if row.n_paired == 0:
        return "–"
    if pd.isna(row.ci_low):
        return f"{_number(row.mean_change, 2, True)} (too few to estimate)"
    return (
        f"{_number(row.mean_change, 2, True)} "
        f"({_number(row.ci_low, 2)} to {_number(row.ci_high, 2)})"
    )


def aggregate_table(cohort) -> pd.DataFrame:
    """The per-module aggregates as people read them (text cells, the learner's module order:
    SAMHSA's twelve categories and the workbook's own modules)."""
    stats = cohort_module.aggregate(cohort)
    table = pd.DataFrame(
        {
            "Module": stats["short"],
            "Rated before": stats["n_before"].map("{:,}".format),
            "Mean before": stats["mean_before"].map(_number),
            "Rated after": stats["n_after"].map("{:,}".format),
            "Mean after": stats["mean_after"].map(_number),
            "Change (95% CI)": [_change(row) for row in stats.itertuples()],
            "Not yet confident (1–2)": [
                "–" if n == 0 else f"{share:.0%} of {n:,}"
                for share, n in zip(stats["share_not_confident"], stats["n_rated"], strict=True)
            ],
        }
    )
    return _numbered(table)


def completion_table(cohort) -> pd.DataFrame:
    """Modules completed: module, learners who completed it, and their share of the cohort."""
    done = cohort_module.completion(cohort)
    table = pd.DataFrame(
        {
            "Module": done["short"],
            "Completed": done["learners_completed"].map("{:,}".format),
            "Share of learners": done["share"].map(lambda s: "–" if pd.isna(s) else f"{s:.0%}"),
        }
    )
    return _numbered(table)


FOLLOW_UP_COLUMNS = ["Learner", "Why (most urgent first)", "Suggested next step"]


def _urgency(row) -> tuple[int, int]:
    """(rank, rating) of one flag: a low crisis rating first (1 before 2), then a drop from
    before to after, then a latest rating below the previous one."""
    if row.competency_id == "crisis" and "latest rating for" in row.reason:
        return (0, int(row.value))
    return (1, 0) if "dropped from" in row.reason else (2, 0)


def follow_up_table(cohort) -> pd.DataFrame:
    """Who may welcome a check-in (trainer only): one row per learner, most urgent first, with
    a short reason and what to do. Columns: #, Learner, Why (most urgent first), Suggested
    next step."""
    rows = cohort_module.follow_up(cohort)
    if rows.empty:
        return _numbered(pd.DataFrame(columns=FOLLOW_UP_COLUMNS))
    short = curriculum.load_modules().set_index("competency_id")["short"]
    latest = cohort_module.latest(cohort.ratings).set_index(["learner_key", "competency_id"])
    values = latest["value"]
    learners = []
    for key, flags in rows.groupby("learner_key", sort=False):
        flags = flags.assign(value=[values.get((key, c), 0) for c in flags["competency_id"]])
        ranked = sorted(flags.itertuples(), key=_urgency)
        top = _urgency(ranked[0])
        reasons = []
        for flag in ranked:
            name = short.get(flag.competency_id, flag.competency_id)
            if _urgency(flag)[0] == 0:
                reasons.append(f"{name}: rated {int(flag.value)} of 5")
            else:
                reasons.append(f"{name}: {flag.reason.split('; ')[-1]}")
        if top[0] == 0:
            step = "Check in soon about crisis skills; offer practice and go over the safety plan."
        elif top[0] == 1:
            step = f"Ask how {short.get(ranked[0].competency_id, '')} went; offer to revisit it."
        else:
            step = "A light check-in: ask what has felt harder lately."
        name = key
        if "display_name" in flags and isinstance(flags["display_name"].iloc[0], str):
            if flags["display_name"].iloc[0]:
                name = f"{flags['display_name'].iloc[0]} ({key})"
        learners.append((top, -len(ranked), key, name, "; ".join(reasons), step))
    learners.sort(key=lambda item: item[:3])
    table = pd.DataFrame([item[3:] for item in learners], columns=FOLLOW_UP_COLUMNS)
    return _numbered(table)


def follow_up_list(cohort):
    """``follow_up_table`` for a notebook: every reason in full (never cut off), wrapped."""
    from .pages import Table

    table = follow_up_table(cohort).reset_index()
    caption = f"Follow-up list (confidential, trainer only): {len(table):,} learner(s)"
    return Table(table, caption, numeric=("#",))


# --- the HTML report -----------------------------------------------------------------------

_CSS = """
:root { --ink: #1f2933; --muted: #52606d; --line: #d9e2ec; --accent: #1d6f8a; --warn: #b45309; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       margin: 0; background: #f5f7fa; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 32px 48px; background: #fff; }
header { border-bottom: 3px solid var(--accent); padding-bottom: 12px; margin-bottom: 8px; }
h1 { margin: 0 0 4px; font-size: 28px; color: var(--accent); }
h2 { font-size: 20px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h2.glance { margin: 0 0 4px; border: none; font-size: 17px; }
.meta { color: var(--muted); margin: 0; }
.note { color: var(--muted); font-size: 14px; }
.callout { border-left: 4px solid var(--accent); background: #eef6f9; padding: 10px 14px;
           margin: 12px 0; }
.callout.warn { border-color: var(--warn); background: #fff7ed; }
.badge { display: inline-block; background: var(--warn); color: #fff; font-size: 12px;
         font-weight: 600; letter-spacing: .04em; text-transform: uppercase; padding: 2px 8px;
         border-radius: 3px; vertical-align: middle; margin-left: 8px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 14px; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left;
         vertical-align: top; }
th { background: #f0f4f8; font-weight: 600; }
tbody tr:nth-child(even) { background: #fafbfc; }
td:first-child { white-space: nowrap; }
table.follow-up td { white-space: normal; overflow-wrap: anywhere; }  /* never cut off */
table.follow-up td:first-child { min-width: 8em; }
table.numbers td:not(:first-child), table.numbers th:not(:first-child) { text-align: right; }
table.numbers td:not(:first-child) { white-space: nowrap; font-variant-numeric: tabular-nums; }
figure { margin: 20px 0; page-break-inside: avoid; break-inside: avoid; }
figure img { max-width: 100%; height: auto; border: 1px solid var(--line); }
figcaption { color: var(--muted); font-size: 14px; margin-top: 4px; }
ul.skipped li { margin: 2px 0; }
code { font-size: 13px; background: #f0f4f8; padding: 0 3px; }
footer { margin-top: 40px; color: var(--muted); font-size: 13px; border-top: 1px solid var(--line);
         padding-top: 8px; }
@media print {
  body { background: #fff; font-size: 11pt; }
  main { max-width: none; padding: 0; }
  tr, .callout { break-inside: avoid; }
  section.follow-up { break-before: page; }
}
@page { margin: 1.6cm; }
"""


def _esc(value) -> str:
    return html.escape(str(value), quote=True)


def _html_table(frame: pd.DataFrame, css_class: str = "") -> str:
    """An HTML table, every cell escaped."""
    head = "".join(f"<th scope='col'>{_esc(c)}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_esc(cell)}</td>" for cell in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return f"<table class='{css_class}'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _skipped(cohort) -> str:
    if not cohort.skipped:
        return ""
    count = len(cohort.skipped)
    shown = cohort.skipped[:50]
    if cohort.names:
        items = "".join(f"<li><code>{_esc(n)}</code>: {_esc(r)}</li>" for n, r in shown)
        hidden = ""
    else:
        items = "".join(f"<li>{_esc(r)}</li>" for _, r in shown)
        hidden = (
            " File names are left out because they often contain learners' names: see the "
            "output of <code>peerlib cohort report</code>, or write the report with "
            "<code>--names</code>."
        )
    more = f"<li>… and {count - len(shown):,} more</li>" if count > len(shown) else ""
    return (
        f"<div class='callout warn'><strong>{count:,} file(s) could not be read and were "
        f"skipped.</strong>{hidden} Ask the learners concerned to export their progress again."
        f"<ul class='skipped'>{items}{more}</ul></div>"
    )


def _figure(chart) -> str:
    """A chart as an embedded PNG, its one-line summary as alt text and caption."""
    summary = _esc(chart.summary)
    return (
        f"<figure><img src='data:image/png;base64,{chart.png_base64()}' alt='{summary}'>"
        f"<figcaption>{summary}</figcaption></figure>"
    )


def _follow_up(cohort, table: pd.DataFrame) -> str:
    crisis = bank.competency("crisis")["short"]
    who = "by name" if cohort.names else "by pseudonymous key (write the report with --names)"
    listing = (
        _html_table(table, "follow-up")
        if len(table)
        else f"<p>No one is flagged: no latest {_esc(crisis)} rating of 1–2 and no drops.</p>"
    )
    return (
        "<section class='follow-up'><h2>Follow-up list <span class='badge'>Confidential · "
        "trainer only</span></h2>"
        f"<div class='callout warn'><p>{_esc(FOLLOW_UP_NOTE)}</p><p>{_esc(CRISIS_NOTE)}</p></div>"
        f"<p class='note'>One row per learner, most urgent first: a latest rating for "
        f"{_esc(crisis)} of 1 or 2, then a rating that dropped; {len(table):,} learner(s), "
        f"shown {who}.</p>{listing}</section>"
    )


def _loaded(cohort) -> str:
    learners = f"{len(cohort.learners):,} learner{'' if len(cohort.learners) == 1 else 's'}"
    if cohort.origin == "database":
        return f"{learners} from the database"
    if cohort.origin == "hub":
        skipped = f" ({len(cohort.skipped):,} skipped)" if cohort.skipped else ""
        return f"{learners} from the course service{skipped}"
    skipped = f" ({len(cohort.skipped):,} skipped)" if cohort.skipped else ""
    return f"{learners} from {cohort.sources:,} export file(s){skipped}"


def render_report(cohort, title: str | None = None) -> str:
    """The report as one HTML document: no external assets, charts embedded as PNG."""
    title = title or DEFAULT_TITLE
    generated = datetime.now(timezone.utc).strftime("%d %B %Y, %H:%M UTC")
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>{_esc(title)}</title><style>{_CSS}</style></head><body><main>",
        f"<header><h1>{_esc(title)}</h1><p class='meta'>Generated {generated} · "
        f"{_loaded(cohort)}</p></header>",
        _skipped(cohort),
    ]
    if cohort.learners.empty:
        parts.append(
            "<div class='callout warn'><strong>No learner progress could be loaded.</strong> "
            "Check the folder or database and the skipped files above, then write the report "
            "again.</div>"
        )
    else:
        shown = (
            charts.cohort_before_after(cohort),
            charts.cohort_distribution(cohort),
            charts.cohort_heatmap(cohort),
            charts.cohort_completion(cohort),
        )
        follow_up = follow_up_table(cohort)
        flagged = follow_up["Learner"].nunique()
        glance = [chart.summary for chart in shown]
        glance.append(f"{flagged:,} learner(s) may welcome a check-in: see the follow-up list.")
        parts += [
            "<section class='callout'><h2 class='glance'>At a glance</h2><ul>",
            "".join(f"<li>{_esc(line)}</li>" for line in glance),
            "</ul></section>",
            "<h2>Confidence per module</h2>",
            f"<p class='note'>{_esc(RATING_NOTE)}</p>",
            _html_table(aggregate_table(cohort), "numbers"),
            _figure(shown[0]),
            _figure(shown[1]),
            "<h2>Every learner's latest rating</h2>",
            _figure(shown[2]),
            "<h2>Modules completed</h2>",
            _figure(shown[3]),
            _html_table(completion_table(cohort), "numbers"),
            _follow_up(cohort, follow_up),
        ]
    parts.append(
        "<footer>Written by peerlib for the course's trainers. It holds learners' personal "
        "data: store it securely, share it only as agreed with learners, and delete it when the "
        "course ends.</footer></main></body></html>"
    )
    return "\n".join(p for p in parts if p)


def write_report(cohort, out_path, title: str | None = None) -> Path:
    """Write ``render_report(cohort, title)`` to ``out_path`` (UTF-8, atomically, readable by
    the trainer only); returns the path."""
    from .exportfile import write_private

    return write_private(out_path, render_report(cohort, title).encode("utf-8"))


# --- the summary CSV -----------------------------------------------------------------------


def summary_frame(cohort) -> pd.DataFrame:
    """One row per learner and module (every module, in the learner's order), for a spreadsheet.

    Columns: learner_key (and display_name with names); competency_id (the module id: a SAMHSA
    category or a workbook module), competency (its short name); before, after (the learner's latest rating in each phase, blank if none), change
    (after - before), latest (latest rating in any phase, check-ins included), completed
    (1 if the module is complete, else 0); then the cohort's figures for that competency,
    the same on every row: cohort_n_paired, cohort_mean_before, cohort_mean_after,
    cohort_mean_change, cohort_ci_low, cohort_ci_high (95% CI of the change) and
    cohort_share_not_confident (share of learners whose latest rating is 1 or 2).
    """
    keys = ["learner_key", "competency_id"]
    stats = cohort_module.aggregate(cohort)
    grid = pd.MultiIndex.from_product(
        [cohort.learners["learner_key"], stats["competency_id"]], names=keys
    ).to_frame(index=False)
    ratings = cohort.ratings
    by_phase = cohort_module.latest(ratings, (*keys, "phase"))
    phases = by_phase.pivot(index=keys, columns="phase", values="value")
    phases = phases.reindex(columns=["before", "after"]).astype("Int64")
    latest = cohort_module.latest(ratings).set_index(keys)["value"].rename("latest")
    done = cohort.completions.drop_duplicates(keys).assign(completed=1).set_index(keys)
    frame = grid.join(phases, on=keys).join(latest.astype("Int64"), on=keys)
    frame = frame.join(done["completed"], on=keys)
    frame["completed"] = frame["completed"].fillna(0).astype("int64")
    frame.insert(frame.columns.get_loc("after") + 1, "change", frame["after"] - frame["before"])
    cohort_columns = ["n_paired", "mean_before", "mean_after", "mean_change", "ci_low", "ci_high"]
    cohort_columns.append("share_not_confident")
    figures = stats.set_index("competency_id")[["short", *cohort_columns]].round(3)
    figures = figures.rename(columns={c: f"cohort_{c}" for c in cohort_columns})
    frame = frame.join(figures.rename(columns={"short": "competency"}), on="competency_id")
    frame.insert(2, "competency", frame.pop("competency"))
    if cohort.names:
        frame = frame.merge(cohort.learners, on="learner_key", how="left")
        frame.insert(1, "display_name", frame.pop("display_name"))
    return frame


def _spreadsheet_safe(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_summary_csv(cohort, path) -> Path:
    """Write ``summary_frame(cohort)`` as a UTF-8 CSV (see there for the columns)."""
    frame = summary_frame(cohort)
    for column in ("learner_key", "display_name"):
        if column in frame:
            frame[column] = frame[column].map(_spreadsheet_safe)
    from .exportfile import write_private

    content = frame.to_csv(index=False).encode("utf-8")
    return write_private(path, content)  # atomically, readable by the trainer only


# --- adding export files from the notebook ---------------------------------------------------


class ExportUploader(widgets.VBox):
    """Add learners' export files to a cohort folder through the browser, then reload.

    ``cohort`` always holds the latest load of ``source``: a folder (created if new), or one
    export file or a database URL. Uploads go into a folder that is not a synthetic demo
    cohort (real exports are never mixed with made-up learners); a bad file is reported with
    its reason and not kept.
    """

    def __init__(self, source, names: bool = False):
        self.source, self.names = source, names
        folder = source != cohort_module.HUB and not str(source).endswith(".json")
        folder = folder and "://" not in str(source)
        self.folder = Path(source).expanduser() if folder else None
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
        self.synthetic = demo.is_synthetic(source)
        self.upload = widgets.FileUpload(
            accept=".json",
            multiple=True,
            description="Add exports",
            tooltip="Choose learners' peer-progress-….json export files",
            disabled=self.folder is None or self.synthetic,
        )
        self.upload.observe(self._on_upload, names="value")
        self.status = widgets.HTML()
        super().__init__([self.upload, self.status])
        self.reload()

    def reload(self, added: str = "") -> None:
        """Load the cohort again from the source and show what was loaded."""
        self.cohort = cohort_module.load(self.source, names=self.names)
        lines = [added, _esc(self.cohort.summary())]
        if self.folder is not None:
            lines.insert(0, f"Cohort folder: <code>{_esc(self.folder)}</code>")
        if self.synthetic:
            lines.insert(
                0,
                f"<b>⚠️ Synthetic demo data — replace with your cohort's exports.</b> {UPLOADS_OFF}",
            )
        elif self.folder is None:
            lines.append(UPLOADS_OFF)
        self.status.value = "<br>".join(line for line in lines if line)

    def add_files(self, files) -> list[tuple[str, str]]:
        """Save ``(file name, content bytes)`` pairs that load cleanly into the folder and
        reload the cohort; returns the (file name, reason) of the files not kept."""
        folder = self.folder
        if folder is None or self.synthetic:
            raise PeerlibError(UPLOADS_OFF)
        kept, refused = [], []
        with tempfile.TemporaryDirectory() as scratch:
            for name, content in files:
                name = Path(str(name).replace("\\", "/")).name or "export.json"
                trial = Path(scratch) / (name if name.endswith(".json") else name + ".json")
                trial.write_bytes(bytes(content))
                skipped = cohort_module.load([trial], progress=False).skipped
                if skipped:
                    refused.append((name, skipped[0][1]))
                    continue
                target = folder / trial.name
                for n in range(2, 1000):
                    if not target.exists() or target.read_bytes() == trial.read_bytes():
                        break
                    target = folder / f"{trial.stem}-{n}.json"
                shutil.copyfile(trial, target)
                kept.append(target.name)
        notes = [f"Added {len(kept)} file(s)." if kept else ""]
        notes += [f"Not added: {_esc(n)} ({_esc(r)})" for n, r in refused]
        notes.append("Run the cells below again to refresh the tables and charts." if kept else "")
        self.reload("<br>".join(n for n in notes if n))
        return refused

    def _on_upload(self, change) -> None:
        if change["new"]:
            self.add_files([(f["name"], f["content"]) for f in change["new"]])
            self.upload.value = ()
