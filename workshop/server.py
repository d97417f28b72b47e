"""Voila for a workshop room: kernels that end, a Host check, a polite kernel limit.

Voila 0.5 on its own leaves every learner's kernel running until the server stops (the page's
shutdown request is refused for want of an ``_xsrf`` cookie), answers any ``Host`` header (so a
DNS-rebinding page can start kernels), starts a kernel for every plain GET with no upper bound, and
restarts a killed kernel empty, so its page looks alive but does nothing. :class:`WorkshopVoila`
closes each of these, and ``workshop/voila.json`` holds every setting:

- idle culling (``MappingKernelManager.cull_idle_timeout``, never culling a kernel whose page is
  still connected or still being sent) reaps the kernels of pages closed without a goodbye, and
  ``unconnected_grace`` those of requests that never became a page;
- the render handler sets the ``_xsrf`` cookie, so the page's ``beforeunload`` shutdown is accepted;
- requests whose ``Host`` is not an address of this server get 403 (the routing table only answers
  the allowed host names);
- at most ``max_kernels`` kernels: one more page gets a plain 503 page asking to retry;
- a kernel that dies is removed instead of restarted empty, so the page's watcher (template
  ``course``) finds it gone and says so, with a reload button;
- a room's first lesson can be executed ahead of time: ``room_size`` kernels are started and run
  ``room_notebook`` when the server starts (Voila's preheated kernel pool), so a room opening that
  lesson in the same minute is not queued behind 30 notebook executions. Pooled kernels are not
  counted against ``max_kernels`` and are not culled; a pooled kernel handed to a page is treated like
  any page's kernel from then on (the browser's grace starts when the page has been sent).

Run ``python -m workshop notebooks --port=8866`` from the repository root (``make workshop``).
docs/WORKSHOP.md explains each setting; tests/browser/test_workshop.py measures them.
"""
from __future__ import annotations

import asyncio
import html
import os
import time
from pathlib import Path

import tornado.web
from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado.ioloop import PeriodicCallback
from traitlets import Float, Int, List, Unicode, default
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

from workshop.hosts import allowed_host_pattern, is_loopback

__all__ = ["WORKSHOP_DIR", "KernelLimitReached", "WorkshopKernelManager", "WorkshopVoila", "main"]

WORKSHOP_DIR = Path(__file__).resolve().parent
TEMPLATE_ROOT = WORKSHOP_DIR / "jupyter"  # holds voila/templates/course


def _polite_page(title: str, lines: list[str], retry_url: str | None = None) -> str:
    """A small self-contained HTML page (no script, nothing fetched) with a plain message."""
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    link = (f'<p><a class="retry" href="{html.escape(retry_url, quote=True)}">Try again</a></p>'
            if retry_url else "")
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title>"
        "<style>body{font:18px/1.5 system-ui,sans-serif;max-width:40em;margin:3em auto;padding:0 1em;"
        "color:#1f1f1f;background:#fff}h1{font-size:1.5em}a.retry{display:inline-block;padding:.5em 1em;"
        "background:#0b57d0;color:#fff;border-radius:4px;text-decoration:none}</style></head>"
        f'<body><main><h1>{html.escape(title)}</h1>{body}{link}</main></body></html>'
    )


class KernelLimitReached(tornado.web.HTTPError):
    """Raised instead of starting a kernel when the server already runs ``max_kernels``."""

    def __init__(self, running: int, limit: int):
        super().__init__(503, reason="Service Unavailable",
                         log_message=f"kernel limit reached: {running} running, limit {limit}")
        self.running, self.limit = running, limit


class _ConnectionCounts(dict):
    """jupyter_server's per-kernel count of open websockets, remembering which kernels ever had one."""

    def __init__(self, connected_once: set):
        super().__init__()
        self.connected_once = connected_once

    def __setitem__(self, kernel_id, count):
        if count > 0:
            self.connected_once.add(kernel_id)
        super().__setitem__(kernel_id, count)


class WorkshopKernelManager(AsyncMappingKernelManager):
    """Voila's kernel manager with an upper bound on kernels and no silent empty restarts.

    ``max_kernels`` counts running kernels plus kernels being started, so a burst of requests
    cannot overshoot it. With ``KernelManager.autorestart`` off (``workshop/voila.json``) a kernel
    that dies stays dead; every ``dead_check_interval`` seconds dead kernels are removed, so
    ``GET /api/kernels/<id>`` answers 404 and the page's watcher tells the learner.
    """

    max_kernels = Int(0, config=True, help="Most kernels at once (0: no limit). One more page gets a 503 page.")
    dead_check_interval = Float(3.0, config=True,
                                help="Seconds between checks for kernels whose process has died (0: never).")
    unconnected_grace = Float(120.0, config=True,
                              help="Seconds of idleness before culling a kernel whose page has never connected "
                                   "(its browser may still be loading on a busy machine; a plain GET never will).")
    capacity_grace = Float(3.0, config=True,
                           help="Seconds a page request at the limit waits for a place (a reload's old kernel "
                                "may be shut down just after the new request arrives) before it is refused.")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._starting = 0
        self._stopping: set[str] = set()
        self._connected_once: set[str] = set()
        self._kernel_connections = _ConnectionCounts(self._connected_once)
        self.rendering: set[str] = set()  # kernels whose page is still being sent to the browser
        self._dead_watch: PeriodicCallback | None = None

    def pooled_kernels(self) -> set[str]:
        """Kernels started ahead of time for a room and not yet handed to a page (Voila's preheat pool)."""
        pooled = set()
        for pool in getattr(self, "_pools", {}).values():
            for task in pool:
                if task.done() and not task.cancelled() and task.exception() is None:
                    pooled.add(task.result()["kernel_id"])
        return pooled

    def kernels_in_use(self) -> int:
        """Pages' kernels running or being started; a kernel being shut down, or waiting in the room's
        pool for its page, does not count."""
        idle = (self._stopping | self.pooled_kernels()) & set(self._kernels)
        return len(self._kernels) - len(idle) + self._starting

    def at_capacity(self) -> bool:
        return bool(self.max_kernels) and self.kernels_in_use() >= self.max_kernels

    async def _workshop_start_kernel(self, **kwargs):
        if (kwargs.get("env") or {}).get("VOILA_PREHEAT") == "True":
            # A kernel for the room's pool (bounded by room_size), not for a page: never refused.
            return await AsyncMappingKernelManager.start_kernel(self, **kwargs)
        if self.at_capacity():
            self.log.warning("Refusing a new kernel: %d in use, limit %d", self.kernels_in_use(), self.max_kernels)
            raise KernelLimitReached(self.kernels_in_use(), self.max_kernels)
        self._starting += 1
        try:
            return await AsyncMappingKernelManager.start_kernel(self, **kwargs)
        finally:
            self._starting -= 1

    # MappingKernelManager binds start_kernel by assignment; so does this class.
    start_kernel = _workshop_start_kernel

    async def shutdown_kernel(self, kernel_id, now=False, restart=False):
        self._stopping.add(kernel_id)
        try:
            return await super().shutdown_kernel(kernel_id, now=now, restart=restart)
        finally:
            self._stopping.discard(kernel_id)

    def initialize_culler(self):
        if self._dead_watch is None and self.dead_check_interval > 0:
            self._dead_watch = PeriodicCallback(self.remove_dead_kernels, 1000 * self.dead_check_interval)
            self._dead_watch.start()
        super().initialize_culler()

    async def cull_kernel_if_idle(self, kernel_id):
        """Cull as jupyter_server does, but give a kernel whose page never connected ``unconnected_grace``.

        Without it, on a busy machine a page still loading its scripts loses its kernel before it
        connects, and never becomes ready.
        """
        if kernel_id in self.rendering:  # its page is still being executed and sent: never idle
            return None
        kernel = self._kernels.get(kernel_id)
        if (kernel is not None and kernel_id not in self._connected_once
                and getattr(kernel, "execution_state", None) != "dead" and hasattr(kernel, "last_activity")):
            idle_s = (utcnow() - kernel.last_activity).total_seconds()
            if idle_s <= max(self.unconnected_grace, self.cull_idle_timeout):
                return None
            self.log.warning("Culling kernel %s: its page never connected in %d s.", kernel_id, idle_s)
            return await self.shutdown_kernel(kernel_id)
        return await super().cull_kernel_if_idle(kernel_id)

    def remove_kernel(self, kernel_id):
        self._connected_once.discard(kernel_id)
        self.rendering.discard(kernel_id)
        return super().remove_kernel(kernel_id)

    async def remove_dead_kernels(self) -> list[str]:
        """Shut down (and so forget) every kernel whose process has exited; return their ids."""
        removed = []
        for kernel_id in list(self._kernels):
            if kernel_id in self._pending_kernels:  # starting or shutting down: not ours to judge
                continue
            km = self._kernels.get(kernel_id)
            try:
                alive = await km.is_alive()
            except Exception:  # a half-torn-down manager: treat as dead
                alive = False
            if not alive:
                self.log.warning("Kernel %s died; removing it so that its page says so.", kernel_id)
                try:
                    await self.shutdown_kernel(kernel_id, now=True)
                except Exception as exc:  # its manager could not stop it cleanly: forget it anyway
                    self.log.info("Kernel %s could not be shut down cleanly: %s", kernel_id, exc)
                    if kernel_id in self._kernels:
                        self.remove_kernel(kernel_id)
                removed.append(kernel_id)
        return removed


class _PageKernels:
    """The kernel manager as one page request sees it: it notes the kernel started for the page, which
    is then not culled until the page has been sent (on a very busy server the kernel can sit idle
    between cells for minutes while the server renders the page)."""

    def __init__(self, manager):
        self._manager = manager
        self.kernel_id = None

    async def start_kernel(self, **kwargs):
        self.kernel_id = await self._manager.start_kernel(**kwargs)
        if isinstance(self._manager, WorkshopKernelManager):
            self._manager.rendering.add(self.kernel_id)
        return self.kernel_id

    def get_pool_size(self, notebook_name: str) -> int:
        """Ready kernels in the room's pool for ``notebook_name``; a pooled start that failed is dropped
        first, so the page falls back to a kernel of its own instead of an error."""
        pool = getattr(self._manager, "_pools", {}).get(notebook_name)
        if pool:
            pool[:] = [t for t in pool if not (t.done() and (t.cancelled() or t.exception() is not None))]
        return self._manager.get_pool_size(notebook_name)

    async def get_rendered_notebook(self, *args, **kwargs):
        """A pooled kernel and its notebook, executed ahead of time; from now on it is this page's kernel."""
        render_task, rendered_cache, kernel_id = await self._manager.get_rendered_notebook(*args, **kwargs)
        self.kernel_id = kernel_id
        if isinstance(self._manager, WorkshopKernelManager):
            self._manager.rendering.add(kernel_id)
        return render_task, rendered_cache, kernel_id

    def __getattr__(self, name):
        return getattr(self._manager, name)


class WorkshopRenderHandler(TornadoVoilaHandler):
    """Voila's page handler, plus the ``_xsrf`` cookie and a polite refusal at the kernel limit."""

    _page_kernels = None

    @property
    def kernel_manager(self):
        if self._page_kernels is None:
            self._page_kernels = _PageKernels(self.settings["kernel_manager"])
        return self._page_kernels

    async def get(self, path=None):
        try:
            await super().get(path)
        finally:
            manager = self.settings["kernel_manager"]
            kernel_id = self._page_kernels.kernel_id if self._page_kernels is not None else None
            if kernel_id and isinstance(manager, WorkshopKernelManager):
                manager.rendering.discard(kernel_id)
                if kernel_id in manager:  # the page was just sent: its browser's grace starts now
                    manager.get_kernel(kernel_id).last_activity = utcnow()

    async def prepare(self):
        await super().prepare()
        if self._finished:
            return
        # Touching xsrf_token sets the _xsrf cookie; Voila's page sends it with its shutdown request
        # on beforeunload, which the server otherwise refuses with 403.
        _ = self.xsrf_token
        km = self.settings["kernel_manager"]
        if not isinstance(km, WorkshopKernelManager):
            return
        # A reload at the limit: the old page's shutdown request may arrive just after this one.
        # Wait a moment for a place before refusing.
        deadline = time.monotonic() + km.capacity_grace
        while km.at_capacity() and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        if km.at_capacity():
            raise KernelLimitReached(km.kernels_in_use(), km.max_kernels)

    def write_error(self, status_code, **kwargs):
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, KernelLimitReached):
            self.set_header("Content-Type", "text/html; charset=UTF-8")
            self.set_header("Retry-After", "30")
            self.finish(_polite_page("The course server is full right now", [
                f"Every one of its {exc.limit} places is taken by an open course page.",
                "Close a course page you no longer need, then try again in a minute. "
                "Pages left unused are closed by the server after a short while, which frees places.",
            ], retry_url=self.request.uri))
            return
        super().write_error(status_code, **kwargs)


class ForeignHostHandler(tornado.web.RequestHandler):
    """Answers every request whose Host header is not one of this server's names."""

    def prepare(self):
        self.set_status(403)
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.finish(f"403: this course server does not answer to the host name {self.request.host_name!r}. "
                    "Open it by its address, as printed when it started.\n")


class WorkshopVoila(Voila):
    """Voila with the settings of ``workshop/voila.json`` and the handlers above."""

    name = "workshop"
    description = Unicode("python -m workshop NOTEBOOK_DIR [Voila options]: serve the course for a room.")
    allowed_hosts = List(Unicode(), config=True,
                         help="Extra host names (DNS names) this server answers to, besides its addresses.")
    room_size = Int(0, config=True,
                    help="Kernels that execute room_notebook when the server starts, ready for a room that "
                         "opens it together (0: none). Each holds about 130 MB.")
    room_notebook = Unicode("", config=True,
                            help="The notebook the room opens first, relative to the served folder "
                                 "(for example patient/01_sle.ipynb); needed when room_size > 0.")
    room_refill_delay = Float(120.0, config=True,
                              help="Seconds after a pooled kernel is handed to a page before a replacement is "
                                   "started, so refills run after the room's rush rather than during it.")

    @default("config_file_paths")
    def _config_file_paths_default(self):
        return [str(WORKSHOP_DIR)]

    def initialize(self, argv=None):
        # The page template `course` is found through JUPYTER_PATH (Voila searches jupyter_path()).
        paths = [str(TEMPLATE_ROOT), *filter(None, os.environ.get("JUPYTER_PATH", "").split(os.pathsep))]
        os.environ["JUPYTER_PATH"] = os.pathsep.join(dict.fromkeys(paths))
        super().initialize(argv)

    def init_settings(self):
        self._configure_room()
        settings = super().init_settings()
        # Voila hard-codes allow_remote_access=True; on loopback, let jupyter_server check Host as well.
        settings["allow_remote_access"] = not is_loopback(self.ip or "127.0.0.1")
        return settings

    def _configure_room(self):
        """Turn ``room_size``/``room_notebook`` into Voila's preheat settings (before its kernel manager exists)."""
        if self.room_size < 0:
            self.log.critical("room_size must be 0 or more kernels; got %d.", self.room_size)
            self.exit(2)
        if not self.room_size:
            return
        root = Path(self.root_dir)
        notebook = self.room_notebook.strip().lstrip("/")
        available = sorted(str(p.relative_to(root)) for p in root.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
        if notebook not in available:
            self.log.critical("room_notebook %r is not a notebook in %s; accepted: %s.", self.room_notebook,
                              root, ", ".join(available))
            self.exit(2)
        self.voila_configuration.preheat_kernel = True
        self.config.VoilaKernelManager.kernel_pools_config = {
            "default": {"pool_size": 0}, notebook: {"pool_size": self.room_size}}
        self.config.VoilaKernelManager.fill_delay = self.room_refill_delay
        self.log.info("Executing %s in %d kernels for the room.", notebook, self.room_size)

    def init_handlers(self):
        handlers = []
        for rule in super().init_handlers():
            if len(rule) >= 2 and rule[1] is TornadoVoilaHandler:
                rule = (rule[0], WorkshopRenderHandler, *rule[2:])
            handlers.append(rule)
        # Voila adds the returned rules for every host (".*$"). Register the real handlers for the
        # allowed host names first; everything else reaches ForeignHostHandler.
        self.app.add_handlers(allowed_host_pattern(self.ip or "127.0.0.1", self.allowed_hosts), handlers)
        return [(r".*", ForeignHostHandler)]


def main(argv=None):
    WorkshopVoila.launch_instance(argv)
