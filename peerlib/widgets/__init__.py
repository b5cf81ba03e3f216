"""The ipywidgets exercises: thin views over ``feedback``, ``exercises`` and the progress store.

Each class is a widget that displays itself, e.g. ``SelfRating("crisis", phase="before")``.
Every one records to the default store under the current learner (``store=`` and
``learner_id=`` override both, for tests) and shows the learner's last saved state again when
the notebook is run again. Problems (no name chosen yet, an invalid value) are shown inside the
widget; learner text shown as HTML is always escaped.
"""

from ..exportfile import RATING_LABELS  # the rating scale's words (defined once)
from .interview import MockInterview, QuestionPicker
from .practice import (
    ModuleComplete,
    PracticeQuestion,
    Reflection,
    Scenario,
    SelfRating,
)
from .progress import ChooseLearner, ProgressPanel, SaveAndRestore

__all__ = [
    "RATING_LABELS",
    "ChooseLearner",
    "MockInterview",
    "ModuleComplete",
    "PracticeQuestion",
    "ProgressPanel",
    "QuestionPicker",
    "Reflection",
    "SaveAndRestore",
    "Scenario",
    "SelfRating",
]
