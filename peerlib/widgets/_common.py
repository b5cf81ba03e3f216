"""Pieces every view shares: escaping, the status line, buttons, learner and store resolution."""

from __future__ import annotations

import functools
import time
import weakref
from datetime import datetime, timezone
from html import escape
from typing import TYPE_CHECKING

import ipywidgets as widgets
import pandas as pd

from ..errors import NoLearnerError, PeerlibError
from ..learner import current_learner

if TYPE_CHECKING:  # the store (and SQLAlchemy) is loaded when a view first uses it
    from ..store import ProgressStore

FIT = "max-content"  # a control's width: its own content, never stretched by a VBox
UPLOAD_LABEL = "Restore from file"

# The views' small stylesheet, in one hidden HTML widget per view (<style> applies wherever it
# sits in the page). Every rule is scoped to peerlib's own classes, except one for the workbook
# app's pages (Voila's body has data-voila): links in the text are underlined, so they are told
# apart from the text without colour (WCAG 1.4.1).
STYLE = f"""<style>
body[data-voila] .jp-RenderedHTMLCommon a {{
  text-decoration: underline;
}}
.jupyter-widgets.peerlib-html > .widget-html-content {{
  line-height: 1.5;
}}
.jupyter-widgets.peerlib-html p {{
  margin: 0.35em 0;
}}
.jupyter-widgets.peerlib-text textarea {{
  font-family: var(--jp-ui-font-family);
  font-size: var(--jp-content-font-size1);
  line-height: 1.5;
}}
.jupyter-widgets.peerlib-html a.peerlib-download {{
  display: inline-block;
  padding: 0 0.6em;
  border: 1px solid var(--jp-content-link-color);
  border-radius: 3px;
  color: var(--jp-content-link-color);
  text-decoration: underline;
  line-height: 1.8;
}}
.jupyter-widgets.peerlib-html a.peerlib-download:hover,
.jupyter-widgets.peerlib-html a.peerlib-download:focus {{
  background: var(--jp-layout-color2);
}}
.jupyter-widgets.peerlib-upload {{
  font-size: 0;  /* hides FileUpload's own "label (count)"; the label comes back just below */
}}
.jupyter-widgets.peerlib-upload > i {{
  font-size: var(--jp-widgets-font-size);
  margin-right: 0.4em;
}}
.jupyter-widgets.peerlib-upload::after {{
  content: "{UPLOAD_LABEL}";
  font-size: var(--jp-widgets-font-size);
}}
</style>"""

NO_LEARNER = (
    "Choose your name on the start page (00_start_here) first, then come back here. "
    "Nothing you typed here is lost."
)


def esc(text) -> str:
    """Text made safe to put inside HTML (quotes too)."""
    return escape(str(text), quote=True)


def paragraphs(text: str) -> str:
    """Plain text as escaped HTML paragraphs (blank lines separate them)."""
    parts = [p.strip() for p in str(text).split("\n\n") if p.strip()]
    return "".join(f"<p>{esc(p)}</p>" for p in parts)


def when(moment, date: bool = True) -> str:
    """A timestamp as people read it: '2026-11-22 10:42 UTC' (or '10:42 UTC')."""
    moment = pd.Timestamp(moment).tz_convert(timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M UTC" if date else "%H:%M UTC")


def now() -> datetime:
    return datetime.now(timezone.utc)


def last_saved(frame: pd.DataFrame, column: str | None = None) -> pd.Series | None:
    """The newest record of a store query (with ``column`` filled in), or None."""
    if column is not None:
        frame = frame[frame[column].notna()]
    return None if frame.empty else frame.iloc[-1]


def button(label: str, tooltip: str, on_click, icon: str = "") -> widgets.Button:
    """A button sized to its label (not stretched across the view), with a tooltip."""
    control = widgets.Button(
        description=label, tooltip=tooltip, icon=icon, layout=widgets.Layout(width=FIT)
    )
    control.on_click(on_click)
    return control


def text_area(label: str, placeholder: str, rows: int = 6) -> widgets.Textarea:
    """A text box for a learner's own words: as wide as the view, in the notebook's text font."""
    box = widgets.Textarea(
        description=label,
        placeholder=placeholder,
        rows=rows,
        layout=widgets.Layout(width="auto"),  # fills the view, margins included (not 100%)
        style={"description_width": "initial"},
    )
    box.add_class("peerlib-text")
    return box


def html(value: str = "") -> widgets.HTML:
    """An HTML block of a view (STYLE gives it a readable line height and link styles)."""
    block = widgets.HTML(value)
    block.add_class("peerlib-html")
    return block


def hbox(*children: widgets.Widget) -> widgets.HBox:
    """Controls side by side, wrapping onto the next line when the notebook is narrow."""
    return widgets.HBox(children, layout=widgets.Layout(flex_flow="row wrap"))


def show(widget: widgets.Widget, visible: bool = True) -> None:
    widget.layout.display = None if visible else "none"


class Status(widgets.HTML):
    """The one-line message under a view; words and a symbol, never colour alone."""

    def ok(self, text: str) -> None:
        self.value = f'<p role="status">✓ {esc(text)}</p>'

    def info(self, text: str) -> None:
        self.value = f'<p role="status">{esc(text)}</p>'

    def warn(self, text: str) -> None:
        self.value = f'<p role="alert">⚠ {esc(text)}</p>'

    def clear(self) -> None:
        self.value = ""


def _database_error(exc: Exception) -> bool:
    """An error of the store's database (SQLAlchemy's), without importing SQLAlchemy."""
    return any(cls.__module__.startswith("sqlalchemy.") for cls in type(exc).__mro__)


def friendly(method):
    """Show learner and store problems in the view's status line instead of a traceback."""

    @functools.wraps(method)
    def wrapper(self, *args):
        try:
            return method(self, *args)
        except NoLearnerError:
            self.status.warn(NO_LEARNER)
        except (PeerlibError, OSError) as exc:
            self.status.warn(str(exc))
        except Exception as exc:
            if not _database_error(exc):
                raise
            self.status.warn(str(exc))
        return None

    return wrapper


DOUBLE_CLICK_S = 1.0  # a second click on the same button within this time is the same click


def once(name: str, state=None):
    """Guard a button's handler against double clicks.

    A second click on the button ``view.<name>`` within ``view.double_click_seconds`` of the
    end of the previous one is ignored when ``state(view)`` (e.g. the value being saved) has not
    changed in between: it is the same click twice. Without ``state``, any click that soon is.
    The button is also disabled while the handler runs. Put it under ``@friendly``, so a
    click that failed (no name chosen yet, say) does not count.
    """

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args):
            clicked = self.__dict__.setdefault("_clicked", {})
            key = state(self) if state is not None else None
            previous = clicked.get(name)
            control = getattr(self, name, None)
            if previous is not None:
                at, before = previous
                if time.monotonic() - at < self.double_click_seconds and before == key:
                    return None
            if control is not None and control.disabled:
                return None
            if control is not None:
                control.disabled = True
            try:
                result = method(self, *args)
            finally:
                if control is not None:
                    control.disabled = False
            # only a click that went through counts (after an error, clicking again is a retry)
            clicked[name] = (time.monotonic(), key)
            return result

        return wrapper

    return decorate


# Views that show who the learner is (the name box, the download link): told when it changes.
_WATCHING_LEARNER: weakref.WeakSet = weakref.WeakSet()


def learner_changed() -> None:
    """Tell every open view that shows the learner that the learner was chosen or changed."""
    for view in list(_WATCHING_LEARNER):
        view.on_learner_changed()


_shared_style: list[widgets.HTML] = []


def style_widget() -> widgets.HTML:
    """The hidden HTML widget that holds STYLE, one for every view in the kernel: a widget can
    be shown in many places, so a page of fifteen views sends and draws it once, not fifteen
    times (a new one is made if it was closed)."""
    if not _shared_style or _shared_style[0].comm is None:
        _shared_style[:] = [widgets.HTML(STYLE, layout=widgets.Layout(display="none"))]
    return _shared_style[0]


class View(widgets.VBox):
    """A view over the progress store: resolves the store and the learner when it acts."""

    def __init__(self, *, store: ProgressStore | None = None, learner_id: str | None = None):
        super().__init__(layout=widgets.Layout(width="100%", max_width="52rem"))
        self.add_class("peerlib-view")
        self._store, self._learner_id = store, learner_id
        self._style = style_widget()
        self.status = Status()
        self.status.add_class("peerlib-html")

    double_click_seconds = DOUBLE_CLICK_S

    def watch_learner(self) -> None:
        """Call ``on_learner_changed`` whenever a view chooses or changes the learner."""
        _WATCHING_LEARNER.add(self)

    def on_learner_changed(self) -> None:
        """Show the new learner (views that ``watch_learner`` override this)."""

    @property
    def store(self) -> ProgressStore:
        from .. import content
        from ..store import default_store

        return self._store or default_store(ids=content.known_ids)

    def learner(self) -> str:
        """The learner's id; NoLearnerError (shown by ``friendly``) if none is chosen yet."""
        return self._learner_id or current_learner(self.store)

    def _unavailable(self, problem: Exception) -> None:
        """Show, instead of the exercise, why it cannot be shown (a content file has a problem)."""
        self._show(
            html(
                f"<p><strong>This exercise is not available right now.</strong> "
                f"{escape(str(problem))}</p><p>Everything else on this page works; please let "
                "your trainer know.</p>"
            )
        )

    def _show(self, *parts: widgets.Widget) -> None:
        """Lay out the view; the status line goes last unless placed among ``parts``."""
        parts = parts if self.status in parts else (*parts, self.status)
        self.children = (self._style, *parts)
