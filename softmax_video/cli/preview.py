"""``softmax-video preview``: a local page that shows one beat's still and follows edits.

Customising is a loop of change, look, change again. The page shows the chosen
beat's last frame (a still drawn in seconds: the frames before it are skipped, their
state computed, :func:`softmax_video.cli.render.render_chapters` with ``--beat``), renders it
again whenever the configuration file or the code that shapes frames changes, and
shows an error from validation or from manim on the page, in place of a dead
terminal. It refreshes itself: it asks ``/state`` a few times a second and loads
the new still when there is one.

The server listens on 127.0.0.1 only; Ctrl-C (SIGINT) or SIGTERM stops it, the
render under way with it, and exits with status 0.

Nothing here imports manim at import time (``softmax-video --help`` stays fast):
the render layer is imported when the command runs.
"""

from __future__ import annotations

import html
import json
import os
import signal
import sys
import threading
import time
import webbrowser
from collections.abc import Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import click

if TYPE_CHECKING:
    from softmax_video.core.chapters import Chapter

__all__ = ["PreviewState", "Previewer", "make_server", "preview"]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
#: Folders whose Python files shape frames (as :func:`softmax_video.cli.render.code_fingerprint`).
CODE_FOLDERS = ("scenes", "softmax_math", "softmax_video")
#: Seconds of quiet after a change before rendering: editors save in several steps.
SETTLE_SECONDS = 0.2
#: Lines of a failed render's log shown on the page.
LOG_TAIL_LINES = 25


@dataclass
class PreviewState:
    """What the page shows; every field is read and written under ``lock``."""

    chapter: str
    beat: str
    beats: list[str] = field(default_factory=list)
    #: Counts finished stills; the page loads ``/still.png`` when it changes.
    version: int = 0
    #: ``starting``, ``rendering``, ``ready`` or ``error``.
    status: str = "starting"
    error: str = ""
    image: bytes = b""
    path: str = ""
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def as_json(self) -> dict[str, Any]:
        with self.lock:
            return {
                "chapter": self.chapter,
                "beat": self.beat,
                "beats": list(self.beats),
                "version": self.version,
                "status": self.status,
                "error": self.error,
                "has_image": bool(self.image),
                "path": self.path,
                "seconds": round(self.seconds, 2),
            }


class Previewer(threading.Thread):
    """Renders the still whenever woken (:meth:`wake`), one render at a time.

    A change during a render wakes it again, so the still always ends up showing
    the files as they are.
    """

    def __init__(
        self,
        state: PreviewState,
        chapter: Chapter,
        config_file: str | None,
        overrides: Sequence[str],
        output: Path,
        size_options: dict[str, Any],
    ) -> None:
        super().__init__(name="preview-render", daemon=True)
        self.state = state
        self.chapter = chapter
        self.config_file = config_file
        self.overrides = tuple(overrides)
        self.output = output
        self.size_options = size_options
        self._woken = threading.Event()
        self.stopping = threading.Event()

    def wake(self) -> None:
        self._woken.set()

    def stop(self) -> None:
        """Stop rendering: no new render starts, the one under way is cancelled."""
        from softmax_video.cli.render import cancel_renders

        self.stopping.set()
        self._woken.set()
        deadline = time.monotonic() + 20
        # A render may start just as the stop comes: cancel until the thread has ended.
        while self.is_alive() and time.monotonic() < deadline:
            cancel_renders()
            self.join(timeout=0.2)

    def run(self) -> None:
        while not self.stopping.is_set():
            self._woken.wait()
            if self.stopping.is_set():
                return
            time.sleep(SETTLE_SECONDS)
            self._woken.clear()
            try:
                self.render_once()
            except BaseException as error:  # the page shows it; the server goes on
                if self.stopping.is_set():
                    return
                self._fail(f"{type(error).__name__}: {error}")

    def _fail(self, message: str) -> None:
        with self.state.lock:
            self.state.status = "error"
            self.state.error = message

    def render_once(self) -> None:
        """Load the configuration, check the beat, render the still (or reuse it)."""
        from softmax_video.cli.render import RenderSettings, check_still, render_chapters
        from softmax_video.core.errors import SoftmaxVideoError
        from softmax_video.core.params import load_config

        with self.state.lock:
            self.state.status = "rendering"
            beat = self.state.beat
        started = time.monotonic()
        try:
            config = load_config(self.config_file, self.overrides)
            beats = list(config.chapter(self.chapter.name).beat_names(config.lecture))
            with self.state.lock:
                self.state.beats = beats
            check_still([self.chapter], config, beat or None)
            settings = RenderSettings.from_options(
                **self.size_options, format="png", theme=config.lecture.theme, beat=beat or None
            )
            [result] = render_chapters([self.chapter], config, settings, self.output, jobs=1)
        except SoftmaxVideoError as error:
            self._fail(str(error))
            return
        if not result.ok or result.output is None:
            self._fail(f"{self.chapter.name} failed: {result.error}\n{_log_tail(result.log)}")
            return
        image = result.output.read_bytes()
        with self.state.lock:
            self.state.image = image
            self.state.path = str(result.output)
            self.state.version += 1
            self.state.status = "ready"
            self.state.error = ""
            self.state.seconds = time.monotonic() - started


def _log_tail(log: Path | None) -> str:
    if log is None:
        return ""
    try:
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return f"log: {log}"
    return "\n".join([f"log: {log}", *lines[-LOG_TAIL_LINES:]])


# --------------------------------------------------------------------------- #
# The page and its server
# --------------------------------------------------------------------------- #

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>preview: {chapter}</title>
<style>
body {{ background: #111; color: #ddd; font: 15px system-ui, sans-serif; margin: 1em; }}
header {{ display: flex; gap: 1em; align-items: baseline; flex-wrap: wrap; }}
h1 {{ font-size: 1.2em; margin: 0; }}
#status {{ color: #9c9; }}
#error {{ color: #f88; white-space: pre-wrap; font-family: monospace; }}
img {{ max-width: 100%; margin-top: .8em; border: 1px solid #333; }}
img.stale {{ opacity: .35; }}
</style></head>
<body>
<header><h1>{chapter}</h1>
<label>beat <select id="beat">{options}</select></label>
<span id="status">{status}</span></header>
<pre id="error">{error}</pre>
<img id="still" alt="still of {chapter}" {image}>
<script>
let version = {version};
const still = document.getElementById("still");
const status = document.getElementById("status");
const error = document.getElementById("error");
const beat = document.getElementById("beat");
function options(state) {{
  const wanted = ["", ...state.beats];
  const have = Array.from(beat.options).map(o => o.value);
  if (JSON.stringify(wanted) !== JSON.stringify(have)) {{
    beat.innerHTML = "";
    for (const name of wanted) beat.add(new Option(name || "(last frame)", name));
  }}
  if (document.activeElement !== beat) beat.value = state.beat;
}}
function show(state) {{
  options(state);
  if (state.has_image && state.version !== version) {{
    version = state.version;
    still.src = "/still.png?v=" + version;
  }}
  const words = {{rendering: "rendering\\u2026", starting: "starting\\u2026",
                  ready: "ready (" + state.seconds + " s) " + state.path, error: "error"}};
  status.textContent = words[state.status] || state.status;
  error.textContent = state.error;
  still.className = state.status === "error" ? "stale" : "";
}}
async function poll() {{
  try {{
    show(await (await fetch("/state", {{cache: "no-store"}})).json());
  }} catch (e) {{
    status.textContent = "the preview server has stopped";
  }}
  setTimeout(poll, 400);
}}
beat.addEventListener("change", async () => {{
  show(await (await fetch("/select?beat=" + encodeURIComponent(beat.value))).json());
}});
poll();
</script>
</body></html>
"""


def render_page(state: PreviewState) -> str:
    """The page as it stands (the script keeps it current from ``/state``)."""
    now = state.as_json()
    names = ["", *now["beats"]]
    options = "".join(
        f'<option value="{html.escape(n)}"{" selected" if n == now["beat"] else ""}>'
        f"{html.escape(n or '(last frame)')}</option>"
        for n in names
    )
    return PAGE.format(
        chapter=html.escape(now["chapter"]),
        options=options,
        status=html.escape(now["status"]),
        error=html.escape(now["error"]),
        version=now["version"],
        image=f'src="/still.png?v={now["version"]}"' if now["has_image"] else "",
    )


def make_server(state: PreviewState, previewer: Previewer, port: int) -> ThreadingHTTPServer:
    """An HTTP server on 127.0.0.1:``port`` (0: a free port) for the page of ``state``."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass  # the terminal shows the URL, not every poll

        def _send(self, status: int, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            if url.path == "/":
                self._send(200, "text/html; charset=utf-8", render_page(state).encode())
            elif url.path == "/state":
                self._send(200, "application/json", json.dumps(state.as_json()).encode())
            elif url.path == "/still.png":
                with state.lock:
                    image = state.image
                if image:
                    self._send(200, "image/png", image)
                else:
                    self._send(404, "text/plain", b"no still yet")
            elif url.path == "/select":
                beat = parse_qs(url.query).get("beat", [""])[0]
                with state.lock:
                    state.beat = beat
                    state.status = "rendering"
                previewer.wake()
                self._send(200, "application/json", json.dumps(state.as_json()).encode())
            else:
                self._send(404, "text/plain", b"not found")

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    return server


# --------------------------------------------------------------------------- #
# Watching files
# --------------------------------------------------------------------------- #


def watch(previewer: Previewer, config_file: str | None) -> Any:
    """Start a watchdog observer that wakes ``previewer`` when the configuration file or
    a Python file of :data:`CODE_FOLDERS` changes (written, created, moved into place)."""
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    config_path = Path(config_file).resolve() if config_file else None

    class Changes(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if event.event_type in ("opened", "closed_no_write") or event.is_directory:
                return
            for raw in (event.src_path, getattr(event, "dest_path", "")):
                if not raw:
                    continue
                path = Path(os.fsdecode(raw)).resolve()
                if path == config_path or (path.suffix == ".py" and _is_code(path)):
                    previewer.wake()
                    return

    observer = Observer()
    handler = Changes()
    for folder in CODE_FOLDERS:
        if (PROJECT_ROOT / folder).is_dir():
            observer.schedule(handler, str(PROJECT_ROOT / folder), recursive=True)
    if config_path is not None:
        observer.schedule(handler, str(config_path.parent), recursive=False)
    observer.start()
    return observer


def _is_code(path: Path) -> bool:
    try:
        inside = path.relative_to(PROJECT_ROOT).parts
    except ValueError:
        return False
    return inside[0] in CODE_FOLDERS and "cli" not in inside[1:2]


def _can_open_browser() -> bool:
    """A graphical browser may be there (a text browser would take over the terminal)."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


class _Stop(Exception):
    """SIGTERM, turned into the same clean stop as Ctrl-C."""


def _on_sigterm(signum: int, frame: Any) -> None:
    raise _Stop


@click.command("preview")
@click.argument("name")
@click.option(
    "--config",
    "config_file",
    metavar="FILE.toml",
    default=None,
    help="TOML file of settings, watched: saving it renders again",
)
@click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="TABLE.KEY=VALUE",
    help="override one setting (as in render); repeatable",
)
@click.option(
    "--beat",
    default="",
    metavar="NAME",
    help="show the end of this beat (default: the chapter's last frame); the page can switch beats",
)
@click.option(
    "--quality",
    type=click.Choice(("preview", "medium", "high", "4k")),
    default="preview",
    show_default=True,
    help="size of the still",
)
@click.option(
    "--resolution",
    metavar="WxH",
    default=None,
    help="exact pixel size, e.g. 640x360 (overrides --quality's size)",
)
@click.option(
    "--aspect",
    type=click.Choice(("16:9", "9:16", "1:1")),
    default="16:9",
    show_default=True,
    help="frame shape",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="port on 127.0.0.1; 0 = any free port",
)
@click.option(
    "--open/--no-open",
    "open_browser",
    default=True,
    help="open the page in a browser if there is one",
)
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("media"),
    show_default=True,
    help="output folder (stills land beside other renders and are reused)",
)
def preview(
    name: str,
    config_file: str | None,
    overrides: Sequence[str],
    beat: str,
    quality: str,
    resolution: str | None,
    aspect: str,
    port: int,
    open_browser: bool,
    output: Path,
) -> None:
    """Serve a page on 127.0.0.1 that shows chapter NAME's still of --beat and renders it
    again when the --config file or the code changes; errors show on the page.
    Ctrl-C stops it."""
    from softmax_video.cli.render import RenderSettings, check_still, preflight
    from softmax_video.core.chapters import find_chapter
    from softmax_video.core.params import ConfigError, load_config

    chapter = find_chapter(name)
    size_options = {"quality": quality, "resolution": resolution, "aspect": aspect}
    RenderSettings.from_options(**size_options)  # a bad --resolution stops here
    try:
        # A --beat that names nothing is a usage error; a broken file is shown on the page.
        config = load_config(config_file, overrides)
    except ConfigError:
        pass
    else:
        check_still([chapter], config, beat or None)
    preflight(output)

    state = PreviewState(chapter.name, beat)
    previewer = Previewer(state, chapter, config_file, overrides, output, size_options)
    try:
        server = make_server(state, previewer, port)
    except OSError as error:
        raise click.UsageError(
            f"--port {port}: cannot listen on 127.0.0.1 ({error.strerror})"
        ) from error
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    observer = watch(previewer, config_file)
    previewer.start()
    previewer.wake()
    click.echo(f"Preview of {chapter.name}: {url}  (Ctrl-C stops)")
    sys.stdout.flush()
    if open_browser and _can_open_browser():
        threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    # Started in the background by a shell, a program inherits SIGINT ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        server.serve_forever(poll_interval=0.2)
    except (KeyboardInterrupt, _Stop):
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        # Ctrl-C again while stopping must not leave a traceback or a manim process.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        previewer.stop()
        observer.stop()
        observer.join(timeout=5)
        server.server_close()
        signal.signal(signal.SIGINT, signal.default_int_handler)
    click.echo("preview stopped", err=True)
