"""The course service: a JupyterHub managed service that collects learners' progress.

The hub starts the server (``python -m peerlib.hub``, see docs/hub.md) and authenticates
every request with JupyterHub's own service auth (``HubAuth``): the owner of a push is always
the hub user the token belongs to. The service keeps what learners send in its own database
(an SQLite file by default, or any SQLAlchemy URL), never in a database learners can reach.

API, under the service's prefix (e.g. ``/services/peerlib/``), JSON in and out:

- ``PUT api/progress``: the learner's progress file; replaces what they sent before. Texts
  are kept only if the file includes them (the learner ticked the box for this push).
- ``GET api/progress/me`` and ``DELETE api/progress/me``: see, and erase, what they sent.
- ``GET api/progress/<user>``: one learner's, for that learner or the cohort scope only.
- ``GET api/cohort`` (``?text=1`` adds texts learners chose to send): every learner's
  progress, for tokens with the cohort scope (the instructors group's role); others get 403.

``CourseClient`` is the other end: the kernel's ``JUPYTERHUB_API_TOKEN`` and the service URL
in ``$PEERLIB_SERVICE_URL`` (set for single-user servers by ``c.Spawner.environment``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, suppress
from datetime import datetime, timezone
from urllib.parse import urlparse

from .errors import HubError, PeerlibError
from .exportfile import MAX_BYTES as MAX_IMPORT_BYTES

SERVICE_NAME = "peerlib"
SERVICE_URL_ENV = "PEERLIB_SERVICE_URL"  # where kernels reach the service (set by the hub)
DB_URL_ENV = "PEERLIB_HUB_DB_URL"  # the service's own database
DEFAULT_DB_URL = "sqlite:///peerlib-course.sqlite"  # in the service's working folder
COHORT_SCOPE = "custom:peerlib:cohort"  # given to the instructors group through a role
LOCK_TIMEOUT = 10.0  # seconds a push waits for another push of the same learner


def configured() -> bool:
    """Whether this kernel runs on a hub with the course service configured."""
    return bool(os.environ.get(SERVICE_URL_ENV, "").strip())


# --- server ----------------------------------------------------------------------------------


def _utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _load_content() -> None:
    from . import content

    content.known_ids()


class CourseService:
    """What the handlers share: the database, the hub auth, per-learner locks, a thread pool."""

    def __init__(self, db_url: str, hub_auth=None):
        from jupyterhub.services.auth import HubAuth
        from sqlalchemy import Boolean, Column, MetaData, String, Table

        from . import content
        from .store import ProgressStore

        self.store = ProgressStore(db_url, ids=content.known_ids)
        self.sent = Table(
            "hub_sent",
            MetaData(),
            Column("learner_id", String(100), primary_key=True),
            Column("received_at", String(32), nullable=False),
            Column("include_text", Boolean, nullable=False),
        )
        self.sent.metadata.create_all(self.store.engine)
        self.hub_auth = hub_auth or HubAuth(cache_max_age=60)
        _load_content()  # the validator's ids, read once now rather than by the first push
        self.pool = ThreadPoolExecutor(4, thread_name_prefix="peerlib-hub")
        self._locks: dict[str, asyncio.Lock] = {}

    async def run(self, function, *args):
        """Run blocking database work off the event loop."""
        return await asyncio.get_running_loop().run_in_executor(self.pool, function, *args)

    @asynccontextmanager
    async def lock(self, learner_id: str):
        """One write at a time per learner; a write waiting over LOCK_TIMEOUT gets 503."""
        from tornado.web import HTTPError

        lock = self._locks.setdefault(learner_id, asyncio.Lock())
        try:
            await asyncio.wait_for(lock.acquire(), LOCK_TIMEOUT)
        except asyncio.TimeoutError:
            message = "another save of your progress is still running; try again"
            raise HTTPError(503, message) from None
        try:
            yield
        finally:
            lock.release()

    # blocking work (runs in the pool)

    def push(self, learner_id: str, body: bytes) -> dict:
        from .store import check_export

        learner, rows = check_export(body, name="the progress file", ids=self.store.ids)
        sent_as = learner["learner_id"]
        if not learner["include_text"]:  # the learner did not opt in: keep no text
            for kind in ("answers", "reflections"):
                rows[kind] = [{**row, "text": None} for row in rows[kind]]
        name = learner["display_name"] if sent_as == learner_id else None
        received = _utc_now()

        def remember(conn):  # when it was sent, in the same transaction
            conn.execute(self.sent.delete().where(self.sent.c.learner_id == learner_id))
            conn.execute(
                self.sent.insert().values(
                    learner_id=learner_id,
                    received_at=received,
                    include_text=learner["include_text"],
                )
            )

        owner = {"learner_id": learner_id, "display_name": name}
        kept = self.store.replace_learner(owner, rows, also=remember)
        counts = {k: v for k, v in kept.items() if k != "learner_id"}
        return {
            "learner": learner_id,
            "received_at": received,
            "include_text": learner["include_text"],
            "file_learner": sent_as,
            "counts": counts,
        }

    def mine(self, learner_id: str) -> dict | None:
        with self.store.engine.connect() as conn:
            found = conn.execute(
                self.sent.select().where(self.sent.c.learner_id == learner_id)
            ).first()
        if found is None:
            return None
        progress = self.store.export_dict(learner_id, include_text=found.include_text)
        return {
            "learner": learner_id,
            "received_at": found.received_at,
            "include_text": found.include_text,
            "progress": progress,
        }

    def erase(self, learner_id: str) -> bool:
        def forget(conn):
            conn.execute(self.sent.delete().where(self.sent.c.learner_id == learner_id))

        return self.store.erase_learner(learner_id, also=forget)

    def cohort(self, include_text: bool) -> list[dict]:
        return self.store.export_all(include_text=include_text)


def make_app(service: CourseService, prefix: str = "/"):
    """The tornado application of the service, its routes under ``prefix``."""
    from jupyterhub.services.auth import HubAuthenticated, UserNotAllowed
    from jupyterhub.utils import url_path_join
    from tornado.web import Application, HTTPError, RequestHandler

    class Api(HubAuthenticated, RequestHandler):
        """A JSON handler: every request needs a hub token with the service's access scope."""

        def initialize(self):
            self.service = service
            self.hub_auth = service.hub_auth

        async def prepare(self):
            model = await self.hub_auth.get_user(self, sync=False)
            if not model:
                raise HTTPError(403, "a valid JupyterHub token is required")
            try:
                self.current_user = self.check_hub_user(model)
            except UserNotAllowed:
                scopes = ", ".join(sorted(self.hub_scopes or ()))
                message = f"this token may not use the course service ({scopes})"
                raise HTTPError(403, message) from None

        def learner(self) -> str:
            if self.current_user.get("kind", "user") != "user":
                raise HTTPError(403, "only hub users send progress")
            return self.current_user["name"]

        def reply(self, data, status: int = 200) -> None:
            self.set_status(status)
            self.set_header("Content-Type", "application/json; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            self.finish(json.dumps(data, ensure_ascii=False))

        def write_error(self, status_code, **kwargs):
            error = kwargs.get("exc_info", (None, None))[1]
            message = getattr(error, "log_message", None) or self._reason
            self.reply({"status": status_code, "message": message}, status_code)

    class Progress(Api):
        async def put(self):
            learner_id = self.learner()
            if len(self.request.body) > MAX_IMPORT_BYTES:
                raise HTTPError(413, f"a progress file may be at most {MAX_IMPORT_BYTES} bytes")
            async with service.lock(learner_id):
                try:
                    result = await service.run(service.push, learner_id, self.request.body)
                except PeerlibError as exc:
                    raise HTTPError(400, str(exc)) from None
            self.reply(result)

    class Mine(Api):
        async def get(self):
            found = await service.run(service.mine, self.learner())
            if found is None:
                raise HTTPError(404, "you have not sent your progress yet")
            self.reply(found)

        async def delete(self):
            learner_id = self.learner()
            async with service.lock(learner_id):
                erased = await service.run(service.erase, learner_id)
            self.reply({"learner": learner_id, "erased": erased})

    class Cohort(Api):
        def require_cohort_scope(self):
            if not self.hub_auth.check_scopes({COHORT_SCOPE}, self.current_user):
                raise HTTPError(403, f"reading others' progress needs the scope {COHORT_SCOPE}")

        async def get(self):
            self.require_cohort_scope()
            include_text = self.get_argument("text", "0") == "1"
            self.reply({"learners": await service.run(service.cohort, include_text)})

    class OneLearner(Cohort):
        async def get(self, learner_id):
            if learner_id != self.current_user["name"]:
                self.require_cohort_scope()
            found = await service.run(service.mine, learner_id)
            if found is None:
                raise HTTPError(404, f"nothing sent by {learner_id!r}")
            self.reply(found)

    class Index(RequestHandler):
        def get(self):
            self.finish({"service": SERVICE_NAME, "api": ["progress", "progress/me", "cohort"]})

    routes = [
        (url_path_join(prefix, "api/progress"), Progress),
        (url_path_join(prefix, "api/progress/me"), Mine),
        (url_path_join(prefix, "api/progress/([^/]+)"), OneLearner),
        (url_path_join(prefix, "api/cohort"), Cohort),
        (prefix, Index),
    ]
    return Application(routes)


async def serve(db_url: str, address: str, port: int, prefix: str) -> None:
    """Run the service until SIGINT or SIGTERM (JupyterHub stops it with either)."""
    service = CourseService(db_url)
    server = make_app(service, prefix).listen(
        port, address, max_body_size=MAX_IMPORT_BYTES + 64 * 1024
    )
    stop = asyncio.Event()
    # Handled here, not left to Python's defaults: a service started from a background shell
    # ignores SIGINT, and SIGTERM would end it without closing the store.
    for signum in (signal.SIGINT, signal.SIGTERM):
        with suppress(NotImplementedError):  # Windows: Ctrl+C still raises KeyboardInterrupt
            asyncio.get_running_loop().add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        server.stop()
        service.store.close()


def main(argv: list[str] | None = None) -> int:
    """``python -m peerlib.hub``: the course service, as JupyterHub starts it."""
    parser = argparse.ArgumentParser(
        prog="python -m peerlib.hub",
        description="The peerlib course service (a JupyterHub managed service; see docs/hub.md).",
    )
    parser.add_argument(
        "--db-url",
        default=os.environ.get(DB_URL_ENV) or DEFAULT_DB_URL,
        help=f"its database (SQLAlchemy URL; default ${DB_URL_ENV} or {DEFAULT_DB_URL})",
    )
    args = parser.parse_args(argv)
    url = urlparse(os.environ.get("JUPYTERHUB_SERVICE_URL") or "http://127.0.0.1:10101")
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX") or f"/services/{SERVICE_NAME}/"
    try:
        asyncio.run(serve(args.db_url, url.hostname, url.port or 80, prefix))
    except KeyboardInterrupt:
        pass
    return 0


# --- client ----------------------------------------------------------------------------------


class CourseClient:
    """Talk to the course service with a hub token (default: this server's own token)."""

    def __init__(self, url: str | None = None, token: str | None = None, timeout: float = 30):
        url = (url or os.environ.get(SERVICE_URL_ENV) or "").strip()
        if not url:
            raise HubError(
                f"The course service is not configured here: ${SERVICE_URL_ENV} is not set. "
                "On a course JupyterHub the administrator sets it (see docs/hub.md); elsewhere, "
                "share progress with a progress file."
            )
        self.url = url.rstrip("/") + "/"
        self.token = token or os.environ.get("JUPYTERHUB_API_TOKEN", "")
        if not self.token:
            raise HubError(
                "No JupyterHub token: $JUPYTERHUB_API_TOKEN is not set. Run this on the "
                "course JupyterHub, where every server has one."
            )
        self.timeout = timeout

    def _request(self, method: str, path: str, body: bytes | None = None):
        request = urllib.request.Request(
            self.url + path,
            data=body,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            try:
                message = json.loads(exc.read())["message"]
            except (ValueError, KeyError, TypeError):
                message = exc.reason
            error = HubError(f"The course service refused: {message} (HTTP {exc.code})")
            error.status = exc.code
            raise error from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise HubError(f"Cannot reach the course service at {self.url}: {reason}") from exc

    def push(self, content: bytes | str) -> dict:
        """Send a progress file (its JSON); returns what the service kept and when."""
        body = content.encode("utf-8") if isinstance(content, str) else bytes(content)
        return self._request("PUT", "api/progress", body)

    def mine(self) -> dict | None:
        """What this learner sent (``received_at``, ``include_text``, ``progress``), or None."""
        try:
            return self._request("GET", "api/progress/me")
        except HubError as exc:
            if getattr(exc, "status", None) == 404:
                return None
            raise

    def erase(self) -> bool:
        """Erase everything this learner sent; False if there was nothing."""
        return self._request("DELETE", "api/progress/me")["erased"]

    def cohort(self, text: bool = False) -> list[dict]:
        """Every learner's progress file (instructors only); texts only if ``text``."""
        return self._request("GET", "api/cohort" + ("?text=1" if text else ""))["learners"]


if __name__ == "__main__":
    raise SystemExit(main())
