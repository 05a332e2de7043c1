"""``softmax-video interactive``: offline pages checked in a real headless Chromium.

One Chromium for the module (a fixture), driven through the DevTools protocol over a
websocket (tornado's client; see ``CDP``). The network is blocked (a dead proxy and a
resolver that finds no host) and every request a page makes is recorded; only
``file:`` requests are allowed. The math the pages run in the browser is compared with
:mod:`softmax_math`, every control of every page is moved, and screenshots are written
to ``/tmp/interactive-shots/`` (look at them after a visual change).
"""

from __future__ import annotations

import asyncio
import base64
import json
import math
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import softmax_math as sm
from softmax_video.cli.interactive import PAGE_SIZE_LIMIT, interactive, write_pages
from softmax_video.core.chapters import CHAPTERS
from softmax_video.core.params import load_config

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)
SHOTS = Path("/tmp/interactive-shots")
RTOL = 1e-12
#: Requests that cannot leave the machine: files, and in-memory objects (plotly makes
#: ``blob:file:///...`` URLs of its own drawings).
LOCAL_SCHEMES = ("file:", "blob:file:", "data:")

try:  # the websocket client that drives Chromium (tornado comes with dask's distributed)
    from tornado import websocket as tornado_websocket
except ImportError:  # pragma: no cover - the browser tests skip
    tornado_websocket = None


# --------------------------------------------------------------------------- #
# Command line
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["SoftmaxBars", "--set", "Temperature.low_temperature=-1"], "must be >= 0"),
        (["SoftmaxBarz"], "unknown chapter"),
        (["--all", "--set", "lecture.class_colors=[1]"], "lecture.class_colors"),
        ([], "name one or more chapters, or pass --all"),
        (["--all", "--theme", "sepia"], "lecture.theme"),
    ],
)
def test_bad_configuration_is_one_line_and_exit_2(args, expected, tmp_path):
    process = subprocess.run(
        [
            sys.executable,
            "-c",
            "from softmax_video.cli.interactive import interactive; interactive()",
            *args,
            "--output",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert process.returncode == 2, process.stderr
    lines = process.stderr.strip().splitlines()
    assert len(lines) == 1, process.stderr
    assert lines[0].startswith("softmax-video: error: ") and expected in lines[0]
    assert not (tmp_path / "interactive").exists()


def test_configuration_reaches_the_pages(tmp_path):
    result = CliRunner().invoke(
        interactive,
        [
            "softmax_bars",
            "--set",
            'lecture.class_names=["ant", "</script><b>bee", "cow & co", "doe", "elk"]',
            "--set",
            "SoftmaxBars.logits=[3, -1]",
            "--theme",
            "light",
            "--output",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    page = tmp_path / "interactive" / "02-SoftmaxBars.html"
    data = page_json(page)
    assert data["params"]["logits"] == [3.0, -1.0]
    names = ["ant", "</script><b>bee", "cow & co", "doe", "elk"]
    assert [c["name"] for c in data["classes"]] == names
    assert page.read_text().count("</script>") == 5  # data, plotly, KaTeX, math, widgets
    assert data["theme"]["background"] == "#FBFAF7"
    assert "Video chapter 2: <strong>Logits to probabilities</strong>" in page.read_text()
    assert (tmp_path / "interactive" / "index.html").is_file()


def page_json(page: Path) -> dict:
    text = page.read_text(encoding="utf-8")
    marker = '<script id="page-data" type="application/json">'
    start = text.index(marker) + len(marker)
    return json.loads(text[start : text.index("</script>", start)])


# --------------------------------------------------------------------------- #
# Chromium through the DevTools protocol
# --------------------------------------------------------------------------- #


class CDP:
    """A blocking DevTools-protocol client over one browser websocket (flat sessions)."""

    def __init__(self, url: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.ws = self._run(tornado_websocket.websocket_connect, url, max_message_size=1 << 28)
        self.next_id = 0
        self.events: list[dict] = []

    def _run(self, function, *args, timeout: float | None = None, **kwargs):
        """Run ``function`` (which returns an awaitable) on this client's event loop."""

        async def main():
            return await asyncio.wait_for(function(*args, **kwargs), timeout)

        return self.loop.run_until_complete(main())

    def _read(self, timeout: float) -> dict:
        raw = self._run(self.ws.read_message, timeout=timeout)
        if raw is None:
            raise ConnectionError("the DevTools websocket closed")
        return json.loads(raw)

    def call(self, method: str, session: str | None = None, timeout: float = 60, **params):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        self._run(self.ws.write_message, json.dumps(message))
        while True:
            data = self._read(timeout)
            if data.get("id") == self.next_id:
                if "error" in data:
                    raise RuntimeError(f"{method}: {data['error']}")
                return data.get("result", {})
            self.events.append(data)

    def wait_for(self, method: str, session: str, timeout: float = 60) -> dict:
        for index, event in enumerate(self.events):
            if event.get("method") == method and event.get("sessionId") == session:
                return self.events.pop(index)
        deadline = time.monotonic() + timeout
        while True:
            data = self._read(max(0.1, deadline - time.monotonic()))
            if data.get("method") == method and data.get("sessionId") == session:
                return data
            self.events.append(data)

    def close(self) -> None:
        self.ws.close()
        self.loop.close()


class Tab:
    """One page target; records its requests and its console errors."""

    def __init__(self, cdp: CDP, width: int = 1400, height: int = 1000) -> None:
        self.cdp = cdp
        target = cdp.call("Target.createTarget", url="about:blank")["targetId"]
        self.target = target
        self.session = cdp.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.call(f"{domain}.enable")
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def call(self, method: str, **params):
        return self.cdp.call(method, session=self.session, **params)

    def evaluate(self, expression: str, timeout: float = 60):
        result = self.cdp.call(
            "Runtime.evaluate",
            session=self.session,
            timeout=timeout,
            expression=expression,
            returnByValue=True,
            awaitPromise=True,
        )
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression[:80]}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def own_events(self) -> list[dict]:
        mine = [e for e in self.cdp.events if e.get("sessionId") == self.session]
        self.cdp.events = [e for e in self.cdp.events if e.get("sessionId") != self.session]
        return mine

    def load(self, url: str, timeout: float = 60) -> float:
        started = time.monotonic()
        self.call("Page.navigate", url=url)
        self.cdp.wait_for("Page.loadEventFired", self.session, timeout)
        deadline = time.monotonic() + timeout
        while not self.evaluate(
            "window.pageReady === true || !document.getElementById('page-data')"
        ):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} never became ready")
            time.sleep(0.05)
        return time.monotonic() - started

    def screenshot(self, path: Path) -> None:
        time.sleep(0.3)  # let plotly's WebGL frames settle
        data = self.call("Page.captureScreenshot", format="png", optimizeForSpeed=True)["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        self.cdp.call("Target.closeTarget", targetId=self.target)


def problems(events: list[dict]) -> tuple[list[str], list[str]]:
    """(requests that are not file:, console errors and exceptions) among the events."""
    requests, errors = [], []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Network.requestWillBeSent":
            url = params["request"]["url"]
            if not url.startswith(LOCAL_SCHEMES):
                requests.append(url)
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            errors.append(
                " ".join(str(a.get("value", a.get("description"))) for a in params["args"])
            )
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            errors.append(details.get("exception", {}).get("description") or details["text"])
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            errors.append(f"{params['entry'].get('url', '')}: {params['entry']['text']}")
    return requests, errors


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> list[Path]:
    output = tmp_path_factory.mktemp("interactive")
    return write_pages(load_config(), CHAPTERS, output)


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (Debian package chromium; make test installs it)")
    if tornado_websocket is None:
        pytest.skip("tornado is not installed (its websocket client drives Chromium)")
    profile = Path(tempfile.mkdtemp(prefix="interactive-chromium-"))
    process = subprocess.Popen(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--remote-debugging-port=0",
            # the network is blocked: a proxy nobody listens on, no host resolves
            "--proxy-server=127.0.0.1:9",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            # plotly's 3D plots need WebGL: software rendering, as --disable-gpu leaves none
            "--enable-unsafe-swiftshader",
            "--use-angle=swiftshader",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.is_file() and len(port_file.read_text().splitlines()) >= 2):
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail("chromium did not start its DevTools endpoint")
            time.sleep(0.1)
        port, path = port_file.read_text().splitlines()[:2]
        cdp = CDP(f"ws://127.0.0.1:{port}{path}")
        yield cdp
        cdp.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(profile, ignore_errors=True)


MOVE_EVERY_CONTROL = """
(async () => {
  const settled = () => window.drawsSettled();
  const started = performance.now();
  let moved = 0;
  const set = async (input, fraction) => {
    const min = Number(input.min), max = Number(input.max), step = Number(input.step) || 1;
    input.value = min + Math.round(fraction * (max - min) / step) * step;
    input.dispatchEvent(new Event('input', {bubbles: true}));
    moved++;
    await settled();
  };
  const ranges = [...document.querySelectorAll('input[type=range]')];
  for (const input of ranges) { await set(input, 1.0); await set(input, 0.0); }
  for (const box of document.querySelectorAll('input[type=checkbox]')) {
    box.click(); await settled(); box.click(); await settled(); moved += 2;
  }
  for (const node of document.querySelectorAll('select')) {
    for (let i = node.options.length - 1; i >= 0; i--) {
      node.selectedIndex = i;
      node.dispatchEvent(new Event('change', {bubbles: true}));
      moved++;
      await settled();
    }
  }
  // every slider once more: a select may have built new ones (e.g. more classes)
  for (const input of document.querySelectorAll('input[type=range]')) await set(input, 0.6);
  for (const b of document.querySelectorAll('.controls button')) {
    b.click(); await settled(); b.click(); await settled(); moved += 2;
  }
  if (window.page && window.page.placePoint) { window.page.placePoint(0.5, 1.0); moved++; }
  await settled();
  const share = [...document.querySelectorAll('.modebar-btn')]
    .filter((b) => /share|cloud/i.test(b.getAttribute('data-title') || '')).length;
  return {moved, ranges: ranges.length, share, ms: performance.now() - started};
})()
"""


def test_pages_offline_errors_sizes_and_screenshots(pages, browser, record_property):
    """(a) no request but file:, (c) no console error on load and after every control
    moved, (d) every page under 10 MB; screenshots after load and after a control."""
    tab = Tab(browser)
    report = []
    try:
        for page in pages:
            seconds = tab.load(page.as_uri())
            requests, errors = problems(tab.own_events())
            assert requests == [], f"{page.name} asked the network for {requests}"
            assert errors == [], f"{page.name} on load: {errors}"
            tab.screenshot(SHOTS / f"{page.stem}-load.png")
            if page.name != "index.html":
                moved = tab.evaluate(MOVE_EVERY_CONTROL)
                assert moved["moved"] > 0 and moved["ranges"] > 0, page.name
                assert moved["share"] == 0, f"{page.name} offers to upload its plot"
                requests, errors = problems(tab.own_events())
                assert requests == [], f"{page.name} asked the network for {requests}"
                assert errors == [], f"{page.name} after moving its controls: {errors}"
                tab.screenshot(SHOTS / f"{page.stem}-moved.png")
            size = page.stat().st_size
            assert size < PAGE_SIZE_LIMIT, f"{page.name} is {size} bytes"
            line = f"{page.name}: {size / 1024:.0f} KB, loaded in {seconds:.2f} s"
            if page.name != "index.html":
                line += f"; {moved['moved']} control moves in {moved['ms'] / 1000:.1f} s"
            report.append(line)
    finally:
        tab.close()
    shared = pages[0].parent / "assets"
    total = sum(p.stat().st_size for p in shared.rglob("*") if p.is_file())
    report.append(f"shared assets: {total / 2**20:.1f} MB")
    record_property("pages", report)
    print("\n".join(report))
    assert total < PAGE_SIZE_LIMIT


# --------------------------------------------------------------------------- #
# The browser's numbers against softmax_math
# --------------------------------------------------------------------------- #

LOGIT_SAMPLES = [
    [0.0, 1.0, 3.0],
    [1000.0, 1001.0, 1003.0],
    [1.0, 2.5, -0.5, 0.5],
    [-3.2, 0.7],
    [2.0, 3.0, 5.0, -1.25, 0.125],
    [-1e4, 0.0, 1e4],
    [12.5, -7.0, 3.3, 3.3],
]
TEMPERATURES = [1.0, 0.01, 0.3, 3.0, 100.0]


def js(value) -> str:
    """A JS literal for numbers and nested lists (with infinities)."""
    return json.dumps(value).replace("Infinity", "Infinity")


def close(actual, expected) -> None:
    np.testing.assert_allclose(
        np.asarray(actual, dtype=float), np.asarray(expected, dtype=float), rtol=RTOL, atol=0
    )


@pytest.fixture(scope="module")
def math_tab(pages, browser):
    tab = Tab(browser)
    tab.load(next(p for p in pages if p.name == "02-SoftmaxBars.html").as_uri())
    yield tab
    tab.close()


def test_browser_math_equals_softmax_math(math_tab):
    """(b) SoftmaxMath (the pages' shared module) equals softmax_math to 1e-12."""
    ev = math_tab.evaluate
    for z in LOGIT_SAMPLES:
        for t in TEMPERATURES:
            close(ev(f"SoftmaxMath.softmax({js(z)}, {t})"), sm.softmax(z, temperature=t))
            close(ev(f"SoftmaxMath.logSoftmax({js(z)}, {t})"), sm.log_softmax(z, temperature=t))
        p = sm.softmax(z)
        close(ev(f"SoftmaxMath.logsumexp({js(z)})"), sm.logsumexp(z))
        close(ev(f"SoftmaxMath.entropy(SoftmaxMath.softmax({js(z)}))"), sm.entropy(p))
        close(ev(f"SoftmaxMath.softmaxJacobian({js(z)}, 0.5)"), sm.softmax_jacobian(z, 0.5))
        for target in range(len(z)):
            close(ev(f"SoftmaxMath.nllLoss({js(z)}, {target})"), sm.nll_loss(z, target))
            gradient = ev(f"SoftmaxMath.nllGradient({js(z)}, {target})")
            expected = sm.nll_gradient(z, target)
            # p - 1 for p near 1 cancels: compare relative to the p it came from
            np.testing.assert_allclose(gradient, expected, rtol=RTOL, atol=RTOL * abs(p).max())
        assert ev(f"SoftmaxMath.softmax({js(z)}, 0)") == sm.softmax(z, temperature=0).tolist()
    # -inf logits and +inf: the same conventions
    assert ev("SoftmaxMath.softmax([0, -Infinity, 0])") == [0.5, 0.0, 0.5]
    assert ev("SoftmaxMath.softmax([Infinity, 1, Infinity])") == [0.5, 0.0, 0.5]
    for x in [-800.0, -30.0, -2.0, -1e-9, 0.0, 0.7, 5.0, 40.0, 710.0]:
        close(ev(f"SoftmaxMath.sigmoid({x})"), sm.sigmoid(x))
        close(ev(f"SoftmaxMath.sigmoidDerivative({x})"), sm.sigmoid_derivative(x))
    for k in range(2, 6):
        close(ev(f"SoftmaxMath.sumZeroBasis({k})"), sm.sum_zero_basis(k))
        z = LOGIT_SAMPLES[4][:k]
        close(ev(f"SoftmaxMath.toPlane({js(z)})"), sm.to_plane(z))
        x = list(sm.to_plane(z))
        np.testing.assert_allclose(
            ev(f"SoftmaxMath.fromPlane({js(x)})"), sm.from_plane(x), rtol=RTOL, atol=1e-15
        )
    means = [[1.2, -0.4], [-0.9, 0.3], [0.1, 1.7]]
    for point in ([0.3, -0.2], [4.0, 2.5], [-12.0, 9.0]):
        for priors in (None, [0.2, 0.5, 0.3]):
            args = f"{js(point)}, {js(means)}, 0.8, {js(priors) if priors else 'undefined'}"
            close(ev(f"SoftmaxMath.gaussianPosterior({args})"),
                  sm.gaussian_posterior(point, means, 0.8, priors))  # fmt: skip
        close(ev(f"SoftmaxMath.gaussianDensity({js(point)}, {js(means[0])}, 0.8)"),
              sm.gaussian_density(point, means[0], 0.8))  # fmt: skip
    w, b = sm.gaussian_logits(means, 0.8, [0.2, 0.5, 0.3])
    logits = ev(f"SoftmaxMath.gaussianLogits({js(means)}, 0.8, [0.2, 0.5, 0.3])")
    close(logits["W"], w)
    close(logits["b"], b)


def test_page_state_equals_softmax_math(math_tab):
    """The bars page's own numbers after its sliders moved (temperature down to 0.01)."""
    tab = math_tab
    tab.evaluate(MOVE_EVERY_CONTROL)
    for temperature in (0.01, 0.5, 7.0):
        tab.evaluate(
            "(() => { const t = document.querySelector('[data-control=temperature]');"
            f" t.value = {math.log10(temperature)}; t.dispatchEvent(new Event('input')); }})()"
        )
        state = tab.evaluate("window.page.state()")
        assert state["T"] == pytest.approx(temperature, rel=0.03)  # the slider has steps
        close(state["probs"], sm.softmax(state["shifted"], temperature=state["T"]))
        close(state["probsUnshifted"], sm.softmax(state["logits"], temperature=state["T"]))
        close(state["entropy"], sm.entropy(sm.softmax(state["shifted"], temperature=state["T"])))
        assert state["maxChange"] < 1e-12


# --------------------------------------------------------------------------- #
# Precomputed data, and the links from the gallery and the slide deck
# --------------------------------------------------------------------------- #


def test_precomputed_data_is_softmax_math(pages):
    """LogitPaths replays softmax_math.training; InputSpaceShapes' bodies lie on their
    iso-probability level (or on the ball that caps them)."""
    by_name = {p.name: p for p in pages}
    config = load_config()
    paths = page_json(by_name["10-LogitPaths.html"])
    params = config.chapter("LogitPaths")
    inputs, labels = sm.make_dataset(params.points_per_class, seed=params.seed)
    assert paths["data"]["labels"] == labels.tolist()
    for run in paths["data"]["runs"]:
        rate = params.sgd_learning_rate if run["name"] == "sgd" else params.adam_learning_rate
        result = sm.train_logit_paths(
            run["name"], params.steps, rate, params.hidden, params.seed, inputs, labels
        )
        frames = result.subsample(params.frames)
        assert run["steps"] == frames.tolist()
        np.testing.assert_allclose(run["logits"], result.logits[frames], atol=5e-6)
        np.testing.assert_allclose(run["loss"], result.losses[frames], atol=5e-7)

    shapes = page_json(by_name["13-InputSpaceShapes.html"])["data"]
    radius = shapes["radius"]
    for four in shapes["four"]:
        for k, body in enumerate(four["bodies"]):
            x = np.asarray(body, dtype=float).reshape(-1, 3)
            p = sm.softmax(sm.from_plane(x))[:, k]
            inside = np.linalg.norm(x, axis=1) < radius - 1e-3
            assert inside.any()
            np.testing.assert_allclose(p[inside], four["level"], atol=2e-3)
    level = config.chapter("InputSpaceShapes").slice_level
    for piece in shapes["five"]:
        for k, body in enumerate(piece["bodies"]):
            if body is None:
                continue
            x = np.asarray(body, dtype=float).reshape(-1, 3)
            full = np.column_stack([x, np.full(len(x), piece["value"])])
            p = sm.softmax(sm.from_plane(full))[:, k]
            inside = np.linalg.norm(x, axis=1) < radius - 1e-3
            np.testing.assert_allclose(p[inside], level, atol=2e-3)


def test_slide_deck_links_the_pages(tmp_path):
    from softmax_video.cli.slides import _link_interactive

    deck = tmp_path / "slides" / "480p15" / "softmax-slides.html"
    deck.parent.mkdir(parents=True)
    deck.write_text("<html><body><script>'</body>'</script></body></html>", encoding="utf-8")
    index = tmp_path / "interactive" / "index.html"
    _link_interactive(deck, index, deck.parent)  # no pages yet: unchanged
    assert "Interactive pages" not in deck.read_text()
    index.parent.mkdir()
    index.write_text("<html></html>")
    _link_interactive(deck, index, deck.parent)
    text = deck.read_text()
    assert text.endswith("Interactive pages</a></body></html>")
    assert 'href="../../interactive/index.html"' in text


def test_gallery_links_the_pages(pages, monkeypatch):
    import softmax_video.cli.gallery

    output = pages[0].parent.parent
    monkeypatch.setattr(
        softmax_video.cli.gallery, "find_renders", lambda *args: []
    )  # no videos needed
    page = softmax_video.cli.gallery.build_gallery(output)
    assert '<a href="../interactive/index.html">Interactive pages</a>' in page.read_text()
    (output / "interactive" / "index.html").rename(output / "index.moved")
    try:
        assert (
            "Interactive pages" not in softmax_video.cli.gallery.build_gallery(output).read_text()
        )
    finally:
        (output / "index.moved").rename(output / "interactive" / "index.html")


def test_without_npm_formulas_fall_back_to_tex_source(tmp_path, monkeypatch):
    import softmax_video.cli.interactive as module

    monkeypatch.setattr(module.shutil, "which", lambda name: None)
    warnings = []
    pages = write_pages(load_config(), ["sigmoid_recap"], tmp_path, warn=warnings.append)
    assert [p.name for p in pages] == ["01-SigmoidRecap.html", "index.html"]
    assert warnings == ["KaTeX could not be fetched with npm; formulas are shown as TeX source"]
    assert "katex" not in pages[0].read_text()
    assert (tmp_path / "interactive" / "assets" / "plotly.min.js").is_file()


def test_descent_path_and_gaussian_logits_equal_softmax_math(pages, math_tab):
    """ThreeClassGradients' descent path and GaussiansThreeClass' logits, as computed by
    the pages, against softmax_math."""
    tab = math_tab
    by_name = {p.name: p for p in pages}
    tab.load(by_name["09-ThreeClassGradients.html"].as_uri())
    tab.evaluate("window.page.placePoint(-2.25, 0.75)")
    state = tab.evaluate("window.page.state()")
    basis = sm.sum_zero_basis(3)
    point = np.array([-2.25, 0.75])
    expected = [point]
    for _ in range(state["steps"]):
        descent = -sm.nll_gradient(sm.from_plane(point), state["target"]) @ basis.T
        point = point + state["lr"] * descent
        expected.append(point)
    np.testing.assert_allclose(state["path"], expected, rtol=RTOL, atol=1e-14)
    close(state["lossEnd"], sm.nll_loss(sm.from_plane(expected[-1]), state["target"]))

    tab.load(by_name["12-GaussiansThreeClass.html"].as_uri())
    state = tab.evaluate("window.page.state()")
    vertices = sm.class_vertices(3)
    means = state["spread"] * vertices / np.linalg.norm(vertices, axis=1, keepdims=True)
    np.testing.assert_allclose(state["means"], means, rtol=RTOL, atol=1e-15)
    w, b = sm.gaussian_logits(means, state["sigma"])
    np.testing.assert_allclose(state["W"], w, rtol=RTOL, atol=1e-15)
    close(state["b"], b)
    assert state["maxDiff"] < 1e-12
    problems_found = problems(tab.own_events())
    assert problems_found == ([], [])


def test_temperature_presets_are_the_configured_ones(pages, math_tab):
    tab = math_tab
    tab.load(next(p for p in pages if p.name == "04-Temperature.html").as_uri())
    params = load_config().chapter("Temperature")
    labels = tab.evaluate(
        "[...document.querySelectorAll('.presets button')].map(b => b.textContent)"
    )
    shown = [float(label.removeprefix("T = ")) for label in labels]
    assert shown == [params.low_temperature, 1.0, params.high_temperature]
    for index, temperature in enumerate([params.low_temperature, 1.0, params.high_temperature]):
        tab.evaluate(f"document.querySelectorAll('.presets button')[{index}].click()")
        state = tab.evaluate("window.page.state()")
        assert state["T"] == temperature
        assert state["logits"] == list(params.logits)
        close(state["probs"], sm.softmax(params.logits, temperature=temperature))
        close(state["entropy"], sm.entropy(sm.softmax(params.logits, temperature=temperature)))
    assert problems(tab.own_events()) == ([], [])


REGISTERED = """
import sys
from softmax_video.cli.main import cli, main
from softmax_video.cli.interactive import interactive
cli.add_command(interactive)
main(sys.argv[1:])
"""


def test_registered_under_softmax_video(tmp_path):
    """The command as `softmax-video interactive` (softmax_video.cli.main's group and its main)."""
    run = [sys.executable, "-c", REGISTERED, "interactive", "--output", str(tmp_path)]
    bad = subprocess.run(
        [*run, "--all", "--set", "GaussiansTwoClass.means=[1, 1]"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines() == [
        "softmax-video: error: GaussiansTwoClass.means = [1.0, 1.0]: the two means must differ"
    ]
    good = subprocess.run(
        [*run, "temperature", "--quiet"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert good.returncode == 0, good.stderr
    assert good.stdout.split() == [
        str(tmp_path / "interactive" / "04-Temperature.html"),
        str(tmp_path / "interactive" / "index.html"),
    ]


def test_unwritable_output_is_one_line_and_exit_1(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = CliRunner().invoke(interactive, ["--all", "--output", str(blocker / "media")])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("softmax-video: error: cannot write the pages")
