"""The durable engine for the API's lifetime, launched and stopped off the event loop.

DBOS refuses its synchronous calls (launch-time recovery among them) inside a running event
loop, and the engine's liveness lock must be released by the thread that took it; so one
thread enters ``durable_engine`` at startup, holds it while the API serves, and leaves it
at shutdown.
"""

from __future__ import annotations

import threading

from contractsync.context import App
from contractsync.durable import durable_engine


class EngineThread:
    """``durable_engine(app)`` held open by a thread of its own."""

    def __init__(self, app: App) -> None:
        self.app = app
        self._ready = threading.Event()
        self._stop = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="contractsync-engine", daemon=True)

    def start(self) -> None:
        """Launch the engine; returns once it runs, or raises why it could not start."""
        self._thread.start()
        self._ready.wait()
        if self._error is not None:
            self._thread.join()
            raise self._error

    def stop(self) -> None:
        """Stop the engine after the workflows this process took have finished."""
        self._stop.set()
        self._thread.join()
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        try:
            with durable_engine(self.app):
                self._ready.set()
                self._stop.wait()
        except BaseException as error:  # noqa: BLE001 - handed to the thread that waits
            self._error = error
        finally:
            self._ready.set()
