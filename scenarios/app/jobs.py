"""Long work in a background thread, with progress and cooperative cancel.

The page polls the job (map clicks never re-run it); nothing here imports streamlit.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


class JobCancelled(Exception):  # noqa: N818 - a signal, not an error
    """Raised inside a non-cooperative :class:`BackgroundJob` after the user pressed cancel."""


@dataclass
class BackgroundJob:
    """A function running in a daemon thread, with progress, result and cancellation.

    The function is called as ``fn(*args, on_progress=job.report, **kwargs)``. ``report``
    stores the latest progress event. Cancellation comes in two kinds:

    - cooperative (``start(stop_kw=...)``): the function also gets ``cancel_event.is_set``
      (thread-safe) as its stop callback, polls it, and ends on its own terms, e.g. returning
      the best result found so far; ``report`` never raises.
    - otherwise, once :meth:`cancel` was called ``report`` raises :class:`JobCancelled`,
      which stops the function at its next progress report (CP-SAT passes the exception out
      of its solution callback and stops the search); any partial result is lost.

    Attributes
    ----------
    fn : callable
    args, kwargs : tuple, dict
    progress : object
        The latest progress event (whatever the function reports).
    result : object
        The return value once done.
    error : Exception or None
        The exception the function raised, if any.
    cooperative : bool
        True when the function was given a stop callback (see :meth:`start`).
    """

    fn: Callable[..., Any]
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    progress: Any = None
    result: Any = None
    error: Exception | None = None
    started_at: float = 0.0
    finished_at: float = 0.0
    cancel_event: threading.Event = field(default_factory=threading.Event)
    cooperative: bool = False
    _thread: threading.Thread | None = None
    _done: threading.Event = field(default_factory=threading.Event)

    def start(self, *, progress_kw: str | None = "on_progress", stop_kw: str | None = None) -> BackgroundJob:
        """Start the thread (once) and return self.

        Parameters
        ----------
        progress_kw : str or None, default "on_progress"
            Keyword under which the function gets :meth:`report` (None: not passed).
        stop_kw : str or None, default None
            Keyword under which the function gets a thread-safe stop callback
            (``cancel_event.is_set``); the job is then :attr:`cooperative` and :meth:`report`
            no longer raises :class:`JobCancelled`.
        """
        if self._thread is not None:
            return self
        kwargs = dict(self.kwargs)
        if progress_kw:
            kwargs[progress_kw] = self.report
        if stop_kw:
            kwargs[stop_kw] = self.cancel_event.is_set
            self.cooperative = True

        def target() -> None:
            try:
                self.result = self.fn(*self.args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - handed to the UI thread, shown there
                self.error = exc
            finally:
                self.finished_at = time.monotonic()
                self._done.set()

        self.started_at = time.monotonic()
        self._thread = threading.Thread(target=target, name="sapxep-job", daemon=True)
        self._thread.start()
        return self

    def report(self, event: Any = None) -> None:
        """Store a progress event (a dict is merged into the previous one).

        Raises
        ------
        JobCancelled
            Once :meth:`cancel` was called, unless the job is :attr:`cooperative`.
        """
        if self.cancel_event.is_set() and not self.cooperative:
            raise JobCancelled("cancelled by the user")
        if isinstance(event, Mapping):
            merged = dict(self.progress) if isinstance(self.progress, Mapping) else {}
            merged.update(event)
            self.progress = merged
        else:
            self.progress = event

    def cancel(self) -> None:
        """Ask the job to stop (at its next stop poll, or else its next progress report)."""
        self.cancel_event.set()

    @property
    def done(self) -> bool:
        """True once the function returned or raised."""
        return self._done.is_set()

    @property
    def cancelled(self) -> bool:
        """True once :meth:`cancel` was called."""
        return self.cancel_event.is_set()

    def wait(self, timeout_s: float | None = None) -> bool:
        """Block until done (or ``timeout_s``); return :attr:`done`."""
        return self._done.wait(timeout_s)

    @property
    def elapsed_s(self) -> float:
        """Seconds since start (until the end once done)."""
        if not self.started_at:
            return 0.0
        end = self.finished_at if self.done else time.monotonic()
        return end - self.started_at
