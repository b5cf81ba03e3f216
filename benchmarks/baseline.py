"""Plain pandas/matplotlib doing the same work as peerlib's cohort steps, without checks.

What an analyst would write by hand: no validation of ids, values or timestamps, no
pseudonyms, no skipped-file bookkeeping, no merging of learners found in several files.
"""

from __future__ import annotations

import base64
import io
import json
import sqlite3

import matplotlib

matplotlib.use("Agg")  # benchmarks only; never in a notebook

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

KINDS = ("ratings", "choices", "answers", "reflections", "completions")
KEYS = ["learner_id", "competency_id"]


def load_files(files) -> dict[str, pd.DataFrame]:
    """json.load every file; one DataFrame per kind of record, times parsed."""
    learners, records = [], {kind: [] for kind in KINDS}
    for path in files:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        learner_id = data["learner"]["learner_id"]
        learners.append(data["learner"])
        for kind in KINDS:
            for item in data[kind]:
                item["learner_id"] = learner_id
            records[kind].extend(data[kind])
    frames = {kind: pd.DataFrame(rows) for kind, rows in records.items()}
    for frame in frames.values():
        if "recorded_at" in frame:
            frame["recorded_at"] = pd.to_datetime(frame["recorded_at"], utc=True)
    frames["learners"] = pd.DataFrame(learners)
    return frames


def load_sqlite(path) -> dict[str, pd.DataFrame]:
    """pd.read_sql of each table of a progress database (sqlite3, times parsed)."""
    with sqlite3.connect(path) as connection:
        frames = {
            kind: pd.read_sql_query(
                f"SELECT * FROM {kind}", connection, parse_dates={"recorded_at": {"utc": True}}
            )
            for kind in KINDS
        }
        frames["learners"] = pd.read_sql_query(
            "SELECT learner_id, display_name FROM learners", connection
        )
    return frames


def aggregate(frames) -> dict[str, pd.DataFrame]:
    """Per competency before/after stats, change with a 95% CI, share at 1-2, completion,
    and the follow-up rows (latest crisis rating 1-2, after below before, latest below the
    previous)."""
    ratings = frames["ratings"].sort_values("recorded_at", kind="stable")
    last_two = ratings.groupby(KEYS).tail(2).groupby(KEYS)["value"]
    now = pd.DataFrame({"latest": last_two.last(), "previous": last_two.first()})
    wide = ratings.groupby([*KEYS, "phase"])["value"].last().unstack("phase")
    stats = (
        wide[["before", "after"]].groupby(level="competency_id").agg(["count", "mean", "median"])
    )
    stats.columns = [f"{stat}_{phase}" for phase, stat in stats.columns]
    change = (wide["after"] - wide["before"]).groupby(level="competency_id")
    change = change.agg(["count", "mean", "std"]).set_axis(
        ["n_paired", "mean_change", "sd"], axis=1
    )
    half = 1.96 * change["sd"] / np.sqrt(change["n_paired"])
    change["ci_low"] = change["mean_change"] - half
    change["ci_high"] = change["mean_change"] + half
    low = (now["latest"] <= 2).groupby(level="competency_id").mean()
    done = frames["completions"].drop_duplicates(KEYS).groupby("competency_id").size()
    flags = now.join(wide)
    crisis = (flags.index.get_level_values("competency_id") == "crisis") & (flags["latest"] <= 2)
    dropped = (flags["after"] < flags["before"]) | (flags["latest"] < flags["previous"])
    return {
        "aggregate": stats.join(change).join(low.rename("share_not_confident")),
        "completion": done.rename("learners_completed").to_frame(),
        "follow_up": flags[crisis | dropped].reset_index(),
        "latest": now["latest"].unstack(),
    }


def _png(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    plt.close(figure)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _figure(height: float):
    """A figure of the same size and layout as peerlib's cohort charts, and its axes."""
    return plt.subplots(figsize=(9.5, height), layout="constrained")


def figures(frames, tables) -> list[str]:
    """The same four cohort charts in plain matplotlib, as base64 PNG."""
    latest, summary = tables["latest"], tables["aggregate"]
    figure, axes = _figure(min(2.6 + 0.24 * len(latest), 8.5))
    image = axes.imshow(latest.to_numpy(dtype=float), aspect="auto", vmin=1, vmax=5)
    figure.colorbar(image, ax=axes)
    axes.set_xticks(range(len(latest.columns)), latest.columns, rotation=35, ha="right")
    step = -(-len(latest) // 40)
    axes.set_yticks(range(0, len(latest), step), latest.index[::step], fontsize=8)
    images = [_png(figure)]
    figure, (means, change) = plt.subplots(1, 2, figsize=(9.5, 6.4), layout="constrained")
    y = np.arange(len(summary))
    means.scatter(summary["mean_before"], y, label="before")
    means.scatter(summary["mean_after"], y, label="after")
    means.set_yticks(y, summary.index)
    means.legend()
    mean = summary["mean_change"]
    change.errorbar(mean, y, xerr=[mean - summary["ci_low"], summary["ci_high"] - mean], fmt="D")
    images.append(_png(figure))
    figure, axes = _figure(6.2)
    counts = frames["ratings"].groupby(["competency_id", "value"]).size().unstack(fill_value=0)
    counts.div(counts.sum(axis=1), axis=0).plot.barh(stacked=True, ax=axes)
    images.append(_png(figure))
    figure, axes = _figure(5.8)
    tables["completion"]["learners_completed"].plot.barh(ax=axes)
    images.append(_png(figure))
    return images


def report(frames, tables) -> str:
    """DataFrame.to_html of the tables and the four figures as <img> tags, in one string."""
    images = "".join(f"<img src='data:image/png;base64,{i}'>" for i in figures(frames, tables))
    html_tables = "".join(
        tables[name].to_html() for name in ("aggregate", "completion", "follow_up")
    )
    return f"<html><body>{html_tables}{images}</body></html>"
