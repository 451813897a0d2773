"""``SandboxOrg``: run the sandbox org on a local port, in a background thread or foreground.

HTTPS by default with a CA minted in the state directory (``info.ca_bundle``); ``http=True``
serves plain HTTP. Port 0 picks a free port. State lives in the SQLite file given as
``data`` (kept across restarts) or in a temporary directory removed on ``stop()``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import signal
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import uvicorn

from ._app import AppState, build_app
from ._auth import Sessions
from ._events import EARLIEST, events_after
from ._faults import FaultInjector, FaultPlan
from ._limits import ApiUsage
from ._org import Clock, Org
from ._rest import RestApi
from ._schema_defs import FieldDef, ObjectDef
from ._store import Store
from ._tls import ensure_tls_files

__all__ = ["SandboxInfo", "SandboxOrg"]

_STARTUP_TIMEOUT_S = 20.0


@dataclass(frozen=True, slots=True)
class SandboxInfo:
    """How to reach and log in to a running sandbox org."""

    instance_url: str
    login_url: str
    api_version: str
    access_token: str
    username: str
    password: str
    client_id: str
    client_secret: str
    ca_bundle: str | None
    org_id: str
    user_id: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class _Server(uvicorn.Server):
    """uvicorn, adjusted for a server that tests start and stop many times.

    Shutdown aborts open connections instead of waiting for them: TLS clients that already
    went away never send close_notify, and a request held by the ``hang`` fault only ends
    when its connection does. SIGTERM and SIGINT stop the server and let ``serve_forever``
    return normally (uvicorn would re-raise the signal and skip closing the store).
    """

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        for connection in list(self.server_state.connections):
            transport = getattr(connection, "transport", None)
            if transport is not None:
                transport.abort()
        await super().shutdown(sockets=sockets)

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        stops = (signal.SIGINT, signal.SIGTERM)
        original = {sig: signal.signal(sig, self.handle_exit) for sig in stops}
        try:
            yield
        finally:
            for sig, handler in original.items():
                signal.signal(sig, handler)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class SandboxOrg:
    """A local Salesforce-compatible org.

    Use as a context manager (``with SandboxOrg() as org: org.info.instance_url``) or call
    ``start()``/``stop()``; ``serve_forever()`` runs it in the calling thread (the CLI).
    """

    def __init__(
        self,
        data: str | Path | None = None,
        *,
        state_dir: str | Path | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        http: bool = False,
        api_version: str = "62.0",
        username: str | None = None,
        password: str | None = None,
        daily_api_limit: int = 15000,
        session_timeout: dt.timedelta = dt.timedelta(hours=2),
        faults: FaultPlan | str | None = None,
        latency_ms: int = 0,
        jitter_ms: int = 0,
        jwt_certificates: Sequence[str] = (),
        clock: Clock | None = None,
    ) -> None:
        self._data = Path(data) if data is not None else None
        self._state_dir = Path(state_dir) if state_dir is not None else None
        self._host = host
        self._port = port
        self._http = http
        self._api_version = f"{float(api_version):.1f}"
        self._username = username
        self._password = password
        self._daily_api_limit = daily_api_limit
        self._session_timeout = session_timeout
        if isinstance(faults, str):
            faults = FaultPlan.parse(faults, latency_ms=latency_ms, jitter_ms=jitter_ms)
        elif faults is None:
            faults = FaultPlan(latency_ms=latency_ms, jitter_ms=jitter_ms)
        self._plan = faults
        self._jwt_certificates = list(jwt_certificates)
        self._clock = clock or _utc_now
        self._temp_dir: Path | None = None
        self._socket: socket.socket | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._state: AppState | None = None
        self._store: Store | None = None
        self._info: SandboxInfo | None = None

    # -- lifecycle -------------------------------------------------------------------------
    def __enter__(self) -> SandboxOrg:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def info(self) -> SandboxInfo:
        if self._info is None:
            raise RuntimeError("the sandbox org is not running; call start() first")
        return self._info

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> SandboxOrg:
        """Serve in a background thread; returns once the port accepts connections."""
        if self._info is not None:
            raise RuntimeError("the sandbox org is already running")
        server, sock = self._prepare()
        self._thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name="sandbox-org", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + _STARTUP_TIMEOUT_S
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the sandbox org's server did not start")
            time.sleep(0.01)
        return self

    Announce = Callable[["SandboxOrg"], None]

    def serve_forever(self) -> None:
        """Serve in the calling thread until interrupted (Ctrl-C / SIGTERM)."""
        self.serve_forever_with(lambda _org: None)

    def serve_forever_with(self, announce: Announce) -> None:
        """Like ``serve_forever``, calling ``announce(self)`` once ``info`` is known."""
        server, sock = self._prepare()
        try:
            announce(self)
            server.run(sockets=[sock])
        finally:
            self._release()

    def stop(self) -> None:
        """Stop serving and close the database; a temporary state directory is removed."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=_STARTUP_TIMEOUT_S)
            self._thread = None
        self._release()

    def _release(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        if self._store is not None:
            self._store.close()
            self._store = None
        if self._temp_dir is not None:
            shutil.rmtree(self._temp_dir, ignore_errors=True)
            self._temp_dir = None
        self._server = None
        self._state = None
        self._info = None

    def _prepare(self) -> tuple[uvicorn.Server, socket.socket]:
        state_dir = self._state_dir
        if state_dir is None:
            if self._data is not None:
                state_dir = self._data.parent / f"{self._data.name}.d"
            else:
                self._temp_dir = Path(tempfile.mkdtemp(prefix="contractsync-sandbox-"))
                state_dir = self._temp_dir
        state_dir.mkdir(parents=True, exist_ok=True)
        family = socket.AF_INET6 if ":" in self._host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Responses go out as several small TLS records; without TCP_NODELAY each call
        # waits ~40 ms for the client's delayed ACK.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((self._host, self._port))
        # Listen now: clients told the URL (the CLI's --json line) may connect before the
        # server loop starts accepting; they queue instead of being refused.
        sock.listen(128)
        self._socket = sock
        port = sock.getsockname()[1]
        url_host = "127.0.0.1" if self._host in ("0.0.0.0", "") else self._host  # noqa: S104
        if ":" in url_host:
            url_host = f"[{url_host}]"
        scheme = "http" if self._http else "https"
        instance_url = f"{scheme}://{url_host}:{port}"
        store = Store(self._data)
        self._store = store
        org = Org(store, clock=self._clock, username=self._username, password=self._password)
        for pem in self._jwt_certificates:
            org.add_jwt_certificate(pem)
        sessions = Sessions(org, self._session_timeout)
        usage = ApiUsage(store, self._daily_api_limit)
        faults = FaultInjector(self._plan)
        state = AppState(
            org=org,
            sessions=sessions,
            usage=usage,
            faults=faults,
            rest=RestApi(org, usage, faults, instance_url=instance_url),
            instance_url=instance_url,
            api_version=self._api_version,
        )
        self._state = state
        ssl: dict[str, Any] = {}
        ca_bundle = None
        if not self._http:
            hostnames = tuple(dict.fromkeys([self._host, "127.0.0.1", "localhost", "::1"]))
            tls = ensure_tls_files(state_dir, hostnames)
            ssl = {"ssl_certfile": str(tls.server_cert), "ssl_keyfile": str(tls.server_key)}
            ca_bundle = str(tls.ca_bundle)
        config = uvicorn.Config(
            build_app(state),
            log_level="warning",
            lifespan="off",
            http="h11",
            ws="none",
            access_log=False,
            # Parse requests whose URI and headers exceed Salesforce's 16 KB, so that the
            # app answers 414/431 as an org does instead of h11's bare 400 (_payload).
            h11_max_incomplete_event_size=1024 * 1024,
            **ssl,
        )
        self._server = _Server(config)
        identity = org.identity
        self._info = SandboxInfo(
            instance_url=instance_url,
            login_url=instance_url,
            api_version=self._api_version,
            access_token=self._standing_token(store, sessions),
            username=identity.username,
            password=identity.password,
            client_id=identity.client_id,
            client_secret=identity.client_secret,
            ca_bundle=ca_bundle,
            org_id=identity.org_id,
            user_id=identity.user_id,
        )
        return self._server, sock

    def _standing_token(self, store: Store, sessions: Sessions) -> str:
        """The token ``info`` hands out, reused across restarts while it stays live."""
        saved = store.get_meta("standing_token")
        if isinstance(saved, str) and sessions.is_live(saved):
            return saved
        assert self._state is not None  # noqa: S101 - called from _prepare
        token = sessions.issue(self._state.org.identity.user_id)
        store.set_meta("standing_token", token)
        return token

    # -- controls --------------------------------------------------------------------------
    def _running_state(self) -> AppState:
        if self._state is None:
            raise RuntimeError("the sandbox org is not running; call start() first")
        return self._state

    def new_access_token(self) -> str:
        """A fresh session for the org's admin user."""
        state = self._running_state()
        return state.sessions.issue(state.org.identity.user_id)

    def field_names(self, sobject: str) -> set[str] | None:
        """The API names of an object's fields, or None when the org has no such object."""
        found = self._running_state().org.schema.object(sobject)
        return None if found is None else {field.name for field in found.fields}

    def add_custom_field(self, sobject: str, spec: Mapping[str, Any]) -> FieldDef:
        """Add a custom field, e.g. ``{"name": "Ext_Id__c", "type": "string", "length": 40,
        "externalId": True, "unique": True}``; persisted with the org."""
        return self._running_state().org.add_custom_field(sobject, spec)

    def remove_custom_field(self, sobject: str, name: str) -> None:
        """Delete a custom field, as an admin would in Setup; persisted with the org."""
        org = self._running_state().org
        with org.store.atomic():
            org.schema.remove_custom_field(sobject, name)
            org.store.set_meta("custom_schema", org.schema.custom_log())

    def add_custom_object(self, spec: Mapping[str, Any]) -> ObjectDef:
        """Add a custom object, e.g. ``{"name": "Invoice__c", "label": "Invoice"}``."""
        return self._running_state().org.add_custom_object(spec)

    def add_jwt_certificate(self, pem: str) -> None:
        """Trust a certificate (or public key) for JWT bearer logins."""
        self._running_state().org.add_jwt_certificate(pem)

    def set_faults(self, plan: FaultPlan | str) -> None:
        """Replace the fault plan (restarting its random sequence from the seed)."""
        if isinstance(plan, str):
            plan = FaultPlan.parse(plan)
        self._running_state().faults.configure(plan)

    def api_usage(self) -> int:
        """API calls counted against the daily allocation in the last 24 hours."""
        state = self._running_state()
        return state.usage.used(state.org.now())

    def set_daily_api_limit(self, limit: int) -> None:
        self._running_state().usage.daily_limit = limit

    def reset_api_usage(self) -> None:
        """Forget the API calls (and Bulk allocations) spent in the last 24 hours."""
        self._running_state().usage.reset()

    def published_events(
        self, sobject: str | None = None, *, after: int = EARLIEST, limit: int = 1000
    ) -> list[dict[str, Any]]:
        """Platform events published so far, oldest first: ``{"replayId", "sobject",
        "payload"}`` after replay id ``after`` (-2 from the earliest, -1 only newer ones)."""
        store = self._running_state().org.store
        return list(events_after(store, sobject, after, limit)["events"])
