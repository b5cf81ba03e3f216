"""The progress store's scale and limits, without the store: widgets, the learner and the
course service use them without loading the database layer (SQLAlchemy)."""

from __future__ import annotations

from .errors import ProgressError

MAX_IMPORT_BYTES = 20 * 1024 * 1024
# The 1-5 self-rating scale: the one source of its words (widgets and charts use these).
RATING_LABELS = {
    1: "Not yet",
    2: "Getting started",
    3: "Fairly confident",
    4: "Confident",
    5: "Could teach it",
}
MAX_LEARNER_ID = 100
MAX_SUMMARY = 200


def check_learner_id(learner_id) -> str:
    """A learner id without surrounding spaces; ProgressError if it is empty or too long."""
    if not isinstance(learner_id, str) or not learner_id.strip():
        raise ProgressError(
            f"learner id {learner_id!r} is empty; allowed: any non-blank name "
            f"(up to {MAX_LEARNER_ID} characters)"
        )
    if len(learner_id.strip()) > MAX_LEARNER_ID:
        raise ProgressError(
            f"learner id {learner_id[:20]!r}… is too long; allowed: up to "
            f"{MAX_LEARNER_ID} characters"
        )
    return learner_id.strip()
