"""A synthetic demo cohort: realistic progress export files for learners who do not exist.

For trying the trainer's tools (``cohort_review.ipynb``, ``peerlib cohort report``) and for
benchmarks. Names ("Demo learner 017") and ids ("demo-017") are obviously synthetic, and the
folder holds a ``SYNTHETIC_DEMO_DATA.txt`` note. The files are built directly (not through a
database) and written with ``exportfile``, so 10,000 learners take seconds. The same seed gives the same files.
"""

from __future__ import annotations

import functools
import random
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from . import bank, curriculum, exercises, exportfile
from .errors import PeerlibError

MARKER = "SYNTHETIC_DEMO_DATA.txt"
COURSE_START = datetime(2026, 9, 7, tzinfo=timezone.utc)  # a Monday
COURSE_DAYS = 28
# How confident learners usually feel about a competency at the start (added to the mean).
_EASE = {"engage": 0.5, "support": 0.4, "communication": 0.3, "wellness": 0.2}
_EASE.update({"crisis": -0.4, "advocacy": -0.3, "lived_experience": -0.2, "collaboration": -0.1})


@dataclass(frozen=True)
class _Module:
    competency_id: str
    scenarios: tuple[tuple[str, int, int], ...]  # exercise id, number of choices, best choice
    questions: tuple[tuple[str, int], ...]  # question id, number of talking points
    prompts: tuple[str, ...]  # reflection prompt ids


def _content() -> list[_Module]:
    """What a demo learner can do in each module, from the bank and the valid exercise files."""
    questions = bank.load_bank().set_index("question_id")["talking_points"].map(len)
    modules = exercises.load_modules()  # the usable ones
    content = []
    for cid in curriculum.module_ids():  # SAMHSA's twelve and the workbook's own modules
        module = modules.get(cid)
        asked = module.practice_questions if module else bank.questions_for(cid)["question_id"]
        content.append(
            _Module(
                cid,
                tuple(
                    (s.exercise_id, len(s.choices), s.best_index)
                    for s in (module.scenarios if module else ())
                ),
                tuple((q, int(questions[q])) for q in asked if q in questions.index),
                tuple(sorted(module.reflections)) if module else (),
            )
        )
    return content


@functools.cache
def _date(day: int) -> str:
    return (COURSE_START + timedelta(days=day)).date().isoformat()


@functools.cache
def _clock(second: int) -> str:
    return f"{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}"


def _stamp(seconds: float) -> str:
    """The export timestamp of ``seconds`` after the course start (fast: cached parts)."""
    whole = int(seconds)
    micros = int((seconds - whole) * 1_000_000)
    return f"{_date(whole // 86400)}T{_clock(whole % 86400)}.{micros:06d}Z"


def _learner(number: int, width: int, content: list[_Module], rng: random.Random) -> dict:
    """One synthetic learner's export: a few weeks of a course, as far as they got."""
    data = exportfile.new(
        f"demo-{number:0{width}d}", f"Demo learner {number:0{width}d}", exported_at=""
    )
    clock = 0.0  # seconds since the course started

    def add(kind: str, minutes: float, **item) -> None:
        nonlocal clock
        clock += minutes * 60 + rng.uniform(0, 59)
        item["recorded_at"] = _stamp(clock)
        data[kind].append(item)

    # Some learners finish every module, many most of them, some a few, a few one or two.
    n = len(content)
    bands = ((n, n), (n - 3, n - 1), (4, n - 4), (1, 3))
    reached = rng.randint(*rng.choices(bands, weights=(3, 3, 3, 1))[0])
    confidence = rng.gauss(0, 0.6)  # this learner's usual confidence
    growth = rng.gauss(1.0, 0.35)  # how much their confidence tends to grow in a module
    lag = rng.uniform(0, 3)  # days behind the course schedule
    checkins = []  # (seconds, competency id, value) of check-in ratings a week later
    for index, module in enumerate(content[:reached]):
        day = int(index * COURSE_DAYS / len(content) + lag + rng.uniform(0, 1.5))
        clock = max(clock, (day * 24 + rng.uniform(9, 20)) * 3600)  # daytime, never earlier
        done = index < reached - 1 or rng.random() < 0.5  # the last one may be in progress
        cid = module.competency_id
        before = min(5, max(1, round(2.3 + _EASE.get(cid, 0) + confidence + rng.gauss(0, 0.7))))
        add("ratings", 0, competency_id=cid, phase="before", value=before)
        for exercise_id, choices, best in module.scenarios[: rng.randint(1, 3) if done else 1]:
            pick = best if rng.random() < 0.7 else rng.randrange(choices)
            add(
                "choices",
                rng.uniform(3, 12),
                exercise_id=exercise_id,
                choice=pick,
                is_best=pick == best,
            )
        if not done:
            continue
        for question_id, points in rng.sample(
            module.questions, min(len(module.questions), rng.randint(0, 2))
        ):
            summary = f"{rng.randint(max(0, points - 3), points)}/{points} talking points"
            seconds = round(rng.uniform(40, 180), 1) if rng.random() < 0.6 else None
            add(
                "answers",
                rng.uniform(5, 20),
                question_id=question_id,
                feedback_summary=summary,
                seconds=seconds,
            )
        if module.prompts and rng.random() < 0.6:
            add(
                "reflections",
                rng.uniform(5, 15),
                competency_id=cid,
                prompt_id=rng.choice(module.prompts),
            )
        after = min(5, max(1, before + round(growth + rng.gauss(0, 0.6))))
        add("ratings", rng.uniform(5, 30), competency_id=cid, phase="after", value=after)
        add("completions", 1, competency_id=cid)
        if rng.random() < 0.1:  # a check-in a week or so later
            checkin = min(5, max(1, after + rng.choice((-1, 0, 0, 0, 1))))
            checkins.append((clock + rng.uniform(5, 9) * 86400, cid, checkin))
    for moment, cid, value in checkins:
        item = {"competency_id": cid, "phase": "checkin", "value": value}
        data["ratings"].append({**item, "recorded_at": _stamp(moment)})
    data["ratings"].sort(key=lambda rating: rating["recorded_at"])
    end = max([clock, *(moment for moment, _, _ in checkins)])
    data["exported_at"] = _stamp(end + rng.uniform(0.5, 3) * 86400)
    return data


def write_demo_cohort(out_dir, learners: int = 40, seed: int = 0) -> list[Path]:
    """Write ``learners`` synthetic export files ``demo-NNN.json`` into ``out_dir``.

    Varied completion; confidence mostly 1-3 before and about one point higher after, with
    some flat and some drops. Refuses a folder that holds other export files, so that demo
    data is never mixed with real learners'. Returns the paths written.
    """
    if isinstance(learners, bool) or not isinstance(learners, int) or learners < 1:
        raise PeerlibError(f"The number of demo learners must be 1 or more (got {learners!r}).")
    out = Path(out_dir).expanduser()
    out.mkdir(parents=True, exist_ok=True)
    width = max(3, len(str(learners)))
    names = [f"demo-{n:0{width}d}.json" for n in range(1, learners + 1)]
    others = sorted({p.name for p in out.glob("*.json")} - set(names))
    if others:
        raise PeerlibError(
            f"{out} already holds {len(others)} other export file(s) (e.g. {others[0]}); "
            "choose an empty folder so that synthetic demo data is not mixed with other files."
        )
    (out / MARKER).write_text(
        "The *.json files in this folder are a SYNTHETIC demo cohort written by "
        "`peerlib demo-cohort`:\nthe learners do not exist. Use them to try the trainer's "
        "tools, never as real course results.\n",
        "utf-8",
    )
    content = _content()
    rng = random.Random(seed)
    paths = []
    for number, name in enumerate(names, start=1):
        path = out / name
        exportfile.write(_learner(number, width, content, rng), path, indent=None, durable=False)
        paths.append(path)
    return paths


def is_synthetic(source) -> bool:
    """Whether ``source`` is a folder written by ``write_demo_cohort`` (it has the note)."""
    return isinstance(source, (str, Path)) and (Path(source).expanduser() / MARKER).is_file()


def demo_cohort_dir(learners: int = 40, seed: int = 0) -> Path:
    """A new temporary folder holding a synthetic demo cohort (for the trainer notebook)."""
    folder = Path(tempfile.mkdtemp(prefix="peerlib-demo-cohort-"))
    write_demo_cohort(folder, learners, seed)
    return folder
