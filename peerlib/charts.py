"""Charts of one learner's progress and of a whole cohort, each with a one-line text summary.

Matplotlib only, and never pyplot: every chart is a new ``matplotlib.figure.Figure`` (so no
backend is chosen and no global figure state is left behind), wrapped in a ``Chart`` that
shows itself in a notebook, saves itself, and embeds itself in an HTML report. Every chart
has a title, the competencies' short names, the colour-blind-safe Okabe-Ito palette (with
markers, hatching or labels so colour is never the only cue) and the 1-5 scale fixed.
"""

from __future__ import annotations

import base64
import functools
import html
import io
import math
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib import dates as mdates
from matplotlib.colors import BoundaryNorm
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import PercentFormatter

from . import cohort as cohorts
from . import curriculum
from .cohort import plural
from .store import RATING_LABELS

BLUE, ORANGE, GREEN, GREY = "#0072B2", "#E69F00", "#009E73", "#777777"
PHASE_STYLE = {  # hollow and bigger behind filled and smaller: equal ratings stay visible
    "before": dict(marker="o", s=140, facecolors="white", edgecolors=ORANGE, linewidths=2.5),
    "after": dict(marker="s", s=55, color=BLUE, zorder=4),
    "checkin": dict(marker="^", s=70, color=GREEN, zorder=4),
}
PHASE_NAMES = {"before": "Before", "after": "After", "checkin": "Check-in"}
RATING_LIMITS = (0.5, 5.5)
RATING_COLOURS = matplotlib.colormaps["cividis"].resampled(5)  # sequential, colour-blind safe
NO_RATINGS = "No ratings yet"
_DATES = ["%Y", "%b", "%d %b", "%H:%M", "%H:%M", "%S.%f"]  # date ticks: "08 Nov", "14:30"
_ZERO_DATES = ["", "%Y", "%d %b", "%d %b", "%H:%M", "%H:%M"]  # at a new year, month, day…
WIDTH = 9.5  # inches


def _plain_text(function):
    """Run ``function`` with text never parsed as math: a name like ``$x$`` stays as typed."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with matplotlib.rc_context({"text.parse_math": False}):
            return function(*args, **kwargs)

    return wrapper


@dataclass(frozen=True, eq=False)
class Chart:
    """A figure and a one-line summary of what it shows (for screen readers and text).

    In a notebook, a ``Chart`` as the last line of a cell shows the figure, then the summary.
    """

    figure: Figure
    summary: str

    @_plain_text
    def png(self, dpi: int = 100) -> bytes:
        """The figure as PNG bytes."""
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=dpi)
        return buffer.getvalue()

    def png_base64(self, dpi: int = 100) -> str:
        """The PNG as base64 text, e.g. for ``<img src="data:image/png;base64,…">``."""
        return base64.b64encode(self.png(dpi)).decode("ascii")

    @_plain_text
    def save(self, path, dpi: int = 150) -> Path:
        """Write the figure to ``path`` (the format follows the suffix: .png, .svg, .pdf)."""
        path = Path(path).expanduser()
        self.figure.savefig(path, dpi=dpi)
        return path

    def _repr_png_(self) -> bytes:
        return self.png()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        encoded = self.png_base64(dpi=150)
        title = self.figure.get_suptitle()
        width = round(self.figure.get_figwidth() * 100)
        # HTML first (JupyterLab and the app prefer it): the image with a text alternative, and
        # never wider than the page; PNG for everything else
        alt = html.escape(f"Chart: {title} (summary below)", quote=True)
        image = {
            "text/html": (
                f'<img class="peerlib-chart" src="data:image/png;base64,{encoded}" alt="{alt}" '
                f'width="{width}" style="max-width: 100%; height: auto">'
            ),
            "image/png": encoded,
            "text/plain": f"<Chart: {title}>",
        }
        width = {"image/png": {"width": round(self.figure.get_figwidth() * 100)}}  # crisp on HiDPI
        display(image, raw=True, metadata=width)
        summary = f'<p class="peerlib-chart-summary">{html.escape(self.summary)}</p>'
        display({"text/html": summary, "text/plain": self.summary}, raw=True)

    def __str__(self) -> str:
        return self.summary


# --- shared pieces --------------------------------------------------------------------------


def _competencies() -> pd.DataFrame:
    """Every module in the learner's order: SAMHSA's twelve categories and the workbook's own."""
    return curriculum.load_modules()[["competency_id", "short"]]


def _short(competency_id: str) -> str:
    return curriculum.module(competency_id)["short"]


def _figure(title: str, height: float, width: float = WIDTH) -> Figure:
    figure = Figure(figsize=(width, height), layout="constrained")
    figure.suptitle(title, x=0.02, ha="left", fontsize=14, fontweight="bold")
    return figure


def _empty(title: str, message: str = NO_RATINGS) -> Chart:
    """A readable chart that says there is nothing to show yet."""
    figure = _figure(title, 2.5)
    ax = figure.add_subplot()
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=16, color=GREY)
    return Chart(figure, f"{message}.")


def _ratings(ratings) -> pd.DataFrame:
    """Store- or cohort-shaped ratings of known competencies, times as UTC."""
    columns = ["competency_id", "phase", "value", "recorded_at"]
    if ratings is None or len(ratings) == 0:
        return pd.DataFrame(columns=columns)
    frame = ratings[columns].astype({"competency_id": str, "phase": str, "value": "int64"})
    frame["recorded_at"] = pd.to_datetime(frame["recorded_at"], utc=True)
    return frame[frame["competency_id"].isin(curriculum.module_ids())]


def _latest(ratings: pd.DataFrame, *by: str) -> pd.DataFrame:
    return cohorts.latest(ratings, by or ("competency_id",))


def _word(value: int) -> str:
    """The rating scale's word for ``value`` (store.RATING_LABELS), as charts write it."""
    return RATING_LABELS[value].lower()


def _rating_axis(ax, axis: str = "x", words: bool = True) -> None:
    """Fix the 1-5 scale on an axis, ticks labelled with the scale's words where space allows."""
    sep = "\n" if axis == "x" else " "
    labels = [f"{v}{sep}{_word(v)}" if words else str(v) for v in RATING_LABELS]
    getattr(ax, f"set_{axis}lim")(*RATING_LIMITS)
    getattr(ax, f"set_{axis}ticks")(list(RATING_LABELS), labels)
    ax.grid(axis=axis, color="#dddddd", zorder=0)
    ax.set_axisbelow(True)


def _competency_axis(ax, muted=()) -> None:
    """Every module down the y axis in the learner's order; ``muted`` ones in grey."""
    frame = _competencies()
    ax.set_yticks(range(len(frame)), frame["short"])
    ax.set_ylim(len(frame) - 0.5, -0.5)
    for label, competency_id in zip(ax.get_yticklabels(), frame["competency_id"], strict=True):
        label.set_color(GREY if competency_id in muted else "black")
    ax.tick_params(axis="y", length=0)


def _right_labels(ax, labels, colour=GREY) -> None:
    """Text beside each row, on the right of the axes (laid out with the figure)."""
    right = ax.secondary_yaxis("right")
    right.set_yticks(range(len(labels)), labels)
    right.tick_params(length=0, labelcolor=colour)
    right.spines["right"].set_visible(False)


def _points(ax, x, y, phase: str) -> None:
    ax.scatter(x, y, label=PHASE_NAMES[phase], **{"zorder": 3, **PHASE_STYLE[phase]})


def _phase_handle(phase: str) -> Line2D:
    style = PHASE_STYLE[phase]
    colour = style.get("edgecolors", style.get("color"))
    return Line2D(
        [],
        [],
        ls="",
        marker=style["marker"],
        markersize=math.sqrt(style["s"]) * 0.8,
        markerfacecolor=style.get("facecolors", colour),
        markeredgecolor=colour,
        markeredgewidth=style.get("linewidths", 1),
        label=PHASE_NAMES[phase],
    )


def _dumbbell(ax, before: pd.Series, after: pd.Series) -> None:
    """Before and after per row (see PHASE_STYLE), an arrow where they differ."""
    rows = np.arange(len(before))
    for y, b, a in zip(rows, before, after, strict=True):
        if pd.notna(b) and pd.notna(a) and abs(a - b) > 0.05:
            arrow = dict(arrowstyle="-|>", color=GREY, lw=1.5, shrinkA=8, shrinkB=7)
            ax.annotate("", xy=(a, y), xytext=(b, y), arrowprops=arrow)
    _points(ax, before, rows, "before")
    _points(ax, after, rows, "after")
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=2, frameon=False)


def _names(items: list[str], most: int = 3) -> str:
    shown = ", ".join(items[:most])
    return shown + (f" and {len(items) - most} more" if len(items) > most else "")


def _extremes(values: pd.Series, fmt: str) -> str:
    """'highest in A (5), lowest in B (1)' for values indexed by competency id (NaN ignored)."""
    values = values.dropna()

    def where(target) -> str:
        ids = values.index[values == target]
        return f"{_names([_short(c) for c in ids])} ({fmt.format(target)})"

    if len(values) == 1:
        only = fmt.format(values.iloc[0])
        return f"{only} in {_short(values.index[0])} (the only module rated)"
    if values.nunique() == 1:
        return f"the same in all {len(values)} modules ({fmt.format(values.iloc[0])})"
    return f"highest in {where(values.max())}, lowest in {where(values.min())}"


# --- one learner ----------------------------------------------------------------------------


@_plain_text
def confidence_before_after(ratings: pd.DataFrame) -> Chart:
    """One learner's latest ``before`` and latest ``after`` rating for each competency."""
    title = "Confidence before and after each module"
    ratings = _ratings(ratings)
    if ratings.empty:
        return _empty(title)
    latest = _latest(ratings, "competency_id", "phase")
    wide = latest.pivot(index="competency_id", columns="phase", values="value")
    wide = wide.reindex(index=curriculum.module_ids(), columns=["before", "after"])
    figure = _figure(title, 6.0)
    ax = figure.add_subplot()
    _dumbbell(ax, wide["before"], wide["after"])
    _rating_axis(ax)
    _competency_axis(ax, muted=set(wide.index[wide.isna().all(axis=1)]))
    _right_labels(
        ax, [_pair_text(b, a) for b, a in zip(wide["before"], wide["after"], strict=True)]
    )
    ax.set_xlabel("Self-rated confidence")
    return Chart(figure, _change_summary(wide.dropna()))


def _pair_text(before, after) -> str:
    if pd.isna(before) and pd.isna(after):
        return "not rated yet"
    if pd.isna(after):
        return f"{before:.0f} before"
    if pd.isna(before):
        return f"{after:.0f} after"
    return f"{before:.0f} → {after:.0f}"


def _change_summary(pairs: pd.DataFrame) -> str:
    if pairs.empty:
        return "No module is rated both before and after yet."
    change = pairs["after"] - pairs["before"]
    rose, fell = int((change > 0).sum()), int((change < 0).sum())
    rated = plural(len(pairs), "module", "modules")
    text = f"Confidence rose in {rose} of {rated} rated before and after"
    text += f" and fell in {fell}" if fell else ""
    if rose:
        best = change.idxmax()
        text += (
            f"; largest rise: {_short(best)} "
            f"({pairs.at[best, 'before']:.0f} → {pairs.at[best, 'after']:.0f})"
        )
    return text + "."


@_plain_text
def competency_profile(ratings: pd.DataFrame) -> Chart:
    """Radar chart of one learner's latest rating (any phase) across every module."""
    title = "Confidence profile across the modules"
    ratings = _ratings(ratings)
    if ratings.empty:
        return _empty(title)
    frame = _competencies()
    values = _latest(ratings).set_index("competency_id")["value"].reindex(frame["competency_id"])
    angles = np.linspace(0, 2 * np.pi, len(frame), endpoint=False)
    figure = _figure(title, 7.5, width=WIDTH)
    figure.set_layout_engine("none")  # a fixed square in the middle leaves room for the labels
    ax = figure.add_axes((0.22, 0.07, 0.56, 0.8), projection="polar")
    ax.set_theta_offset(np.pi / 2)
    ax.set_theta_direction(-1)
    rated = values.notna().to_numpy()
    ring = np.append(angles, 2 * np.pi)  # closed; an unrated spoke breaks the outline
    radii = np.append(values.to_numpy(float), values.iloc[0])
    ax.plot(ring, radii, color=BLUE, lw=2, marker="o", markersize=7, zorder=3)
    for i in np.flatnonzero(~np.isnan(radii[:-1]) & ~np.isnan(radii[1:])):
        ax.fill(
            [0, ring[i], ring[i + 1]], [0, radii[i], radii[i + 1]], color=BLUE, alpha=0.15, lw=0
        )
    for angle, value in zip(angles[rated], values[rated], strict=True):
        ax.annotate(
            f"{value:.0f}",
            (angle, value),
            xytext=(0, 9),
            textcoords="offset points",
            ha="center",
            fontsize=10,
            fontweight="bold",
            color=BLUE,
        )
    labels = [s if r else f"{s}\n(not rated)" for s, r in zip(frame["short"], rated, strict=True)]
    ax.set_xticks(angles, labels, fontsize=10)
    for label, r, angle in zip(ax.get_xticklabels(), rated, angles, strict=True):
        label.set_color("black" if r else GREY)
        side = np.sin(angle)  # clockwise from the top: labels on the right start at the circle
        label.set_horizontalalignment(
            "left" if side > 0.1 else "right" if side < -0.1 else "center"
        )
    ax.set_ylim(0, RATING_LIMITS[1])
    ax.set_yticks(list(RATING_LABELS), [str(v) for v in RATING_LABELS], color=GREY)
    ax.set_rlabel_position(15)
    ax.tick_params(axis="x", pad=10)
    extremes = _extremes(values, "{:.0f}")
    return Chart(figure, f"Latest ratings in {rated.sum()} of {len(frame)} modules: {extremes}.")


@_plain_text
def ratings_over_time(ratings: pd.DataFrame) -> Chart:
    """One small panel per rated competency: its ratings over time, marked by phase."""
    title = "Self-ratings over time"
    ratings = _ratings(ratings)
    if ratings.empty:
        return _empty(title)
    ratings = ratings.sort_values("recorded_at", kind="stable")
    rated = [c for c in curriculum.module_ids() if c in set(ratings["competency_id"])]
    columns = min(len(rated), 4)
    rows = math.ceil(len(rated) / columns)
    figure = _figure(title, 1.4 + 2.1 * rows)
    axes = figure.subplots(rows, columns, sharex=True, sharey=True, squeeze=False).ravel()
    for ax, competency_id in zip(axes, rated, strict=False):
        own = ratings[ratings["competency_id"] == competency_id]
        ax.plot(own["recorded_at"], own["value"], color="#bbbbbb", lw=1.5, zorder=2)
        for phase in PHASE_STYLE:
            points = own[own["phase"] == phase]
            _points(ax, points["recorded_at"], points["value"], phase)
        ax.set_title(_short(competency_id), fontsize=10, loc="left")
        _rating_axis(ax, "y")  # shared: the scale's words show on the first column only
        ax.margins(x=0.1)
    for i in range(len(rated), len(axes)):
        axes[i].set_visible(False)
        if i >= columns:  # the panel above has none below it to show the dates: it shows them
            axes[i - columns].xaxis.set_tick_params(labelbottom=True)
    _time_axis(axes[0], ratings["recorded_at"], figure)  # shared by every panel
    handles = [_phase_handle(phase) for phase in PHASE_STYLE]
    figure.legend(handles=handles, loc="outside upper right", ncols=3, frameon=False)
    figure.supylabel("Self-rated confidence", fontsize=10)
    return Chart(figure, _time_summary(ratings, len(rated)))


def _time_axis(ax, times: pd.Series, figure: Figure) -> None:
    """Dates on the x axis, each said once: all on one day (UTC), the ticks are times and the
    date is in the axis label; otherwise concise dates ("08 Nov", "14:30") and the year in the
    label when there is only one."""
    first, last = times.min(), times.max()
    day = first.normalize()
    if last.normalize() == day:
        pad = max((last - first) * 0.1, pd.Timedelta(minutes=30))
        start, end = max(first - pad, day), min(last + pad, day + pd.Timedelta(days=1))
        ax.set_xlim(start, end)  # within the day, so no tick needs a date
        locator = mdates.AutoDateLocator(minticks=2, maxticks=4, tz="UTC")
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%H:%M", tz="UTC"))
        figure.supxlabel(f"Time (UTC) on {_day(first)}", fontsize=10)
        return
    locator = mdates.AutoDateLocator(maxticks=4, tz="UTC")
    ax.xaxis.set_major_locator(locator)
    formatter = mdates.ConciseDateFormatter(
        locator, tz="UTC", formats=_DATES, zero_formats=_ZERO_DATES, show_offset=False
    )
    ax.xaxis.set_major_formatter(formatter)
    year = f" ({first.year})" if first.year == last.year else ""
    figure.supxlabel(f"Date{year}", fontsize=10)


def _time_summary(ratings: pd.DataFrame, rated: int) -> str:
    first, last = ratings["recorded_at"].iloc[[0, -1]]
    span = f"{_day(first)}" + (f" to {_day(last)}" if _day(first) != _day(last) else "")
    counted = f"{plural(len(ratings), 'rating')} of {plural(rated, 'module', 'modules')}"
    text = f"{counted}, {span}"
    values = ratings.groupby("competency_id")["value"]
    change = (values.last() - values.first())[values.size() > 1]
    if change.empty:
        return text + "; rate a module again after you finish it to see change."
    counts = [int((change > 0).sum()), int((change < 0).sum()), int((change == 0).sum())]
    return text + (
        f"; latest rating above the first in {counts[0]} of {len(change)} "
        f"rated more than once, below in {counts[1]}, the same in {counts[2]}."
    )


def _day(moment) -> str:
    return f"{moment.day} {moment:%b %Y}"


@_plain_text
def modules_done(completions: pd.DataFrame) -> Chart:
    """Which of the modules (SAMHSA's twelve and the workbook's own) the learner has completed."""
    frame = _competencies()
    empty = completions is None or completions.empty
    done = [] if empty else completions["competency_id"].astype(str).unique()
    finished = frame["competency_id"].isin(done).to_numpy()
    figure = _figure(f"Modules done: {finished.sum()} of {len(frame)}", 5.2, width=8)
    ax = figure.add_subplot()
    rows = np.arange(len(frame))
    # done: a filled bar; not yet: an empty, light dotted outline (never read as progress)
    ax.barh(rows[finished], 1, color=BLUE, edgecolor=BLUE, height=0.72)
    ax.barh(rows[~finished], 1, fill=False, edgecolor="#bbbbbb", linestyle=":", lw=1.2, height=0.72)
    for y, f in zip(rows, finished, strict=True):
        ax.text(
            0.5 if f else 0.03,
            y,
            "✓ done" if f else "not yet",
            ha="center" if f else "left",
            va="center",
            color="white" if f else GREY,
            fontsize=11,
            fontweight="bold" if f else None,
        )
    _competency_axis(ax, muted=set(frame["competency_id"][~finished]))
    ax.set_xlim(-0.01, 1.01)
    ax.set_xticks([])
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    return Chart(figure, _done_summary(frame[~finished]["short"].tolist(), len(frame)))


def _done_summary(remaining: list[str], total: int) -> str:
    if not remaining:
        return f"All {total} modules done."
    if len(remaining) == total:
        return f"No modules done yet (0 of {total}); start with {remaining[0]}."
    return f"{total - len(remaining)} of {total} modules done; next in order: {remaining[0]}."


def focus_areas(ratings: pd.DataFrame, n: int = 3) -> list[str]:
    """The ``n`` competency ids to work on next, lowest latest rating first.

    Rule: competencies are ranked by their latest rating (any phase); a competency not yet
    rated counts as 3.5, so rated 1-3 ("not yet" to "fairly confident") come first, then the unrated
    ones, then those rated 4-5. Ties keep SAMHSA's order.
    """
    ids = curriculum.module_ids()
    latest = _latest(_ratings(ratings)).set_index("competency_id")["value"]
    score = latest.reindex(ids).astype(float).fillna(3.5)
    return list(score.sort_values(kind="stable").index[:n])


# --- a cohort -------------------------------------------------------------------------------


@_plain_text
def cohort_heatmap(cohort: cohorts.Cohort) -> Chart:
    """Learners × competencies, each learner's latest rating (at most ~40 rows labelled)."""
    title = "Latest self-rating of every learner"
    if cohort.ratings.empty:
        return _empty(title)
    latest = cohorts.latest(cohort.ratings)
    grid = latest.pivot(index="learner_key", columns="competency_id", values="value")
    grid = grid.reindex(columns=curriculum.module_ids()).astype(float)
    grid = grid.loc[grid.mean(axis=1).sort_values(ascending=False, kind="stable").index]
    count = len(grid)
    figure = _figure(title, min(max(4.5, 2.6 + 0.24 * count), 8.5))
    ax = figure.add_subplot()
    norm = BoundaryNorm(np.arange(0.5, 6), RATING_COLOURS.N)
    image = ax.imshow(
        grid.to_numpy(), aspect="auto", cmap=RATING_COLOURS, norm=norm, interpolation="nearest"
    )
    bar = figure.colorbar(image, ax=ax, ticks=list(RATING_LABELS), shrink=0.9, pad=0.02)
    bar.ax.set_yticklabels([f"{v} {_word(v)}" for v in RATING_LABELS])
    bar.set_label("Latest self-rating")
    ax.set_xlabel("White cells: not rated yet", color=GREY)
    ax.set_xticks(
        range(grid.shape[1]),
        _competencies()["short"],
        rotation=35,
        ha="right",
        rotation_mode="anchor",
    )
    step = math.ceil(count / 40)
    labels = _learner_labels(cohort, grid.index)
    ax.set_yticks(range(0, count, step), labels[::step], fontsize=8 if count > 20 else 9)
    every = f", 1 in {step} labelled" if step > 1 else ""
    ax.set_ylabel(f"{count:,} learners, highest average first{every}")
    if count <= 40:
        ax.set_yticks(np.arange(-0.5, count), minor=True)
        ax.set_xticks(np.arange(-0.5, grid.shape[1]), minor=True)
        ax.grid(which="minor", color="white", lw=1)
        ax.tick_params(which="minor", length=0)
    means = grid.mean()
    share = grid.notna().to_numpy().mean()
    summary = (
        f"{count:,} learners; average latest rating is {_extremes(means, '{:.1f}')}; "
        f"{share:.0%} of learner-module cells rated."
    )
    return Chart(figure, summary)


def _learner_labels(cohort: cohorts.Cohort, keys: pd.Index) -> list[str]:
    if not cohort.names:
        return list(keys)
    names = cohort.learners.set_index("learner_key")["display_name"]
    return [
        name if isinstance(name, str) and name else key
        for key, name in zip(keys, names.reindex(keys), strict=True)
    ]


@_plain_text
def cohort_before_after(cohort: cohorts.Cohort) -> Chart:
    """Mean before and after per competency, and the mean paired change with its 95% CI."""
    title = "Cohort confidence before and after each module"
    stats = cohorts.aggregate(cohort).set_index("competency_id")
    if not (stats["n_before"].sum() or stats["n_after"].sum()):
        return _empty(title)
    figure = _figure(title, 6.4)
    means, changes = figure.subplots(1, 2, sharey=True, width_ratios=[3, 2])
    _dumbbell(means, stats["mean_before"], stats["mean_after"])
    _rating_axis(means, words=False)
    _competency_axis(means, muted=set(stats.index[stats["n_before"] + stats["n_after"] == 0]))
    low, high = min(RATING_LABELS), max(RATING_LABELS)
    means.set_xlabel(
        f"Mean of learners' latest ratings\n({low} = {_word(low)}, {high} = {_word(high)})"
    )
    rows = np.arange(len(stats))
    error = [stats["mean_change"] - stats["ci_low"], stats["ci_high"] - stats["mean_change"]]
    changes.errorbar(
        stats["mean_change"],
        rows,
        xerr=error,
        fmt="D",
        color="black",
        ecolor=GREY,
        elinewidth=2,
        capsize=4,
        markersize=6,
        zorder=3,
    )
    changes.axvline(0, color=GREY, lw=1, ls="--", zorder=1)
    reach = np.nanmax(np.abs(stats[["ci_low", "ci_high", "mean_change"]].to_numpy()), initial=0)
    changes.set_xlim(-max(1.0, reach * 1.15), max(1.0, reach * 1.15))
    changes.set_xlabel("Mean change, after − before\n(with 95% confidence interval)")
    changes.set_title("Learners rated before and after", fontsize=10, loc="left")
    changes.grid(axis="x", color="#dddddd", zorder=0)
    _right_labels(changes, [f"n = {n:,}" for n in stats["n_paired"]])
    return Chart(figure, _cohort_change_summary(stats))


def _cohort_change_summary(stats: pd.DataFrame) -> str:
    paired = stats[stats["n_paired"] > 0]
    if paired.empty:
        return "No learner has rated a module both before and after yet."
    clear = paired[paired["ci_low"] > 0]  # a rise this cohort shows beyond chance
    rose = int((paired["mean_change"] > 0).sum())
    text = (
        f"Mean confidence rose in {rose} of {plural(len(paired), 'module', 'modules')} "
        "among learners who "
        f"rated before and after (95% CI above zero in {len(clear)})"
    )
    best = (clear if len(clear) else paired)["mean_change"].idxmax()
    row = paired.loc[best]
    interval = (
        f", 95% CI {row['ci_low']:+.2f} to {row['ci_high']:+.2f}" if pd.notna(row["ci_low"]) else ""
    )
    shown = f"{_short(best)} ({row['mean_change']:+.2f}{interval}, n = {row['n_paired']:,})"
    if len(clear):
        return f"{text}; largest clear rise: {shown}."
    return f"{text}; the largest, {shown}, is not yet clear."


@_plain_text
def cohort_distribution(cohort: cohorts.Cohort) -> Chart:
    """Per competency, the share of learners whose latest rating is 1, 2, 3, 4 or 5."""
    title = "How confident the cohort feels now (latest rating)"
    if cohort.ratings.empty:
        return _empty(title)
    latest = cohorts.latest(cohort.ratings)
    counts = pd.crosstab(latest["competency_id"].astype(str), latest["value"])
    counts = counts.reindex(
        index=curriculum.module_ids(), columns=list(RATING_LABELS), fill_value=0
    )
    totals = counts.sum(axis=1)
    shares = counts.div(totals.where(totals > 0), axis=0).fillna(0)
    figure = _figure(title, 6.2)
    ax = figure.add_subplot()
    rows = np.arange(len(shares))
    left = np.zeros(len(shares))
    for value in RATING_LABELS:
        colour = RATING_COLOURS(value - 1)
        part = shares[value].to_numpy()
        ax.barh(
            rows,
            part,
            left=left,
            color=colour,
            edgecolor="white",
            height=0.75,
            label=f"{value} {_word(value)}",
        )
        text = "white" if value <= 2 else "black"
        for y, (x, width) in enumerate(zip(left, part, strict=True)):
            if width >= 0.06:
                ax.text(
                    x + width / 2,
                    y,
                    f"{width:.0%}",
                    ha="center",
                    va="center",
                    color=text,
                    fontsize=8,
                )
        left += part
    _competency_axis(ax, muted=set(totals.index[totals == 0]))
    _right_labels(ax, [f"n = {n:,}" if n else "no ratings" for n in totals])
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(1))
    ax.set_xlabel("Share of learners who rated the module")
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=5, frameon=False, fontsize=9)
    low = (shares[1] + shares[2])[totals > 0]
    summary = f"Share not yet confident (latest rating 1-2) is {_extremes(low, '{:.0%}')}."
    return Chart(figure, summary)


@_plain_text
def cohort_completion(cohort: cohorts.Cohort) -> Chart:
    """Per module, the share of learners who completed it."""
    title = "Modules completed by the cohort"
    learners = len(cohort.learners)
    if not learners:
        return _empty(title, "No learners yet")
    frame = cohorts.completion(cohort).set_index("competency_id")
    figure = _figure(title, 5.8)
    ax = figure.add_subplot()
    rows = np.arange(len(frame))
    ax.barh(rows, 1, color="#eeeeee", height=0.7)
    ax.barh(rows, frame["share"], color=BLUE, height=0.7)
    _competency_axis(ax, muted=set(frame.index[frame["learners_completed"] == 0]))
    labels = [
        f"{n:,} of {learners:,} ({s:.0%})"
        for n, s in zip(frame["learners_completed"], frame["share"], strict=True)
    ]
    _right_labels(ax, labels, colour="black")
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(1))
    ax.set_xlabel("Share of learners who completed the module")
    if not frame["learners_completed"].any():
        summary = f"No module completed yet by any of {plural(learners, 'learner')}."
    else:
        extremes = _extremes(frame["share"], "{:.0%}")
        summary = f"Completion is {extremes}, of {plural(learners, 'learner')}."
    return Chart(figure, summary)
