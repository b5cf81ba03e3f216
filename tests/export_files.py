"""Hand-made learner export files for the cohort and report tests (written by exportfile)."""

from peerlib import exportfile

EXPORTED_AT = "2026-11-30T07:00:00.000000Z"  # after every record below


def export(folder, name, learner_id, rated=(), done=(), display_name=None, **changes):
    """Write a learner export file: ``rated`` (competency, phase, value, day of November),
    ``done`` (competency, day); ``changes`` replace top-level fields."""
    records = {
        "ratings": [
            {
                "competency_id": c,
                "phase": p,
                "value": v,
                "recorded_at": f"2026-11-{d:02d}T10:00:00Z",
            }
            for c, p, v, d in rated
        ],
        "answers": [
            {
                "question_id": "ps20",
                "feedback_summary": "4/4 points",
                "seconds": None,
                "recorded_at": "2026-11-20T10:00:00.000000Z",
            }
        ],
        "choices": [
            {
                "exercise_id": "crisis-1",
                "choice": 2,
                "is_best": True,
                "recorded_at": "2026-11-20T10:05:00.000000+00:00",
            }
        ],
        "reflections": [
            {"competency_id": "crisis", "prompt_id": "r1", "recorded_at": "2026-11-20T10:10:00Z"}
        ],
        "completions": [
            {"competency_id": c, "recorded_at": f"2026-11-{d:02d}T12:00:00Z"} for c, d in done
        ],
    }
    data = exportfile.new(learner_id, display_name, records, exported_at=EXPORTED_AT)
    data.update(changes)
    return exportfile.write(data, folder / name, indent=None, durable=False)
