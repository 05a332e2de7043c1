"""``softmax-video batch``: manifests, units on real Dask clusters, the store and its index.

Every render is tiny (64x36 at 2 fps) and runs on a real ``distributed.LocalCluster``:
the embedded one of the command, or one started here and reached with ``--scheduler``.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np
import pytest
from click.testing import CliRunner, Result

from softmax_video.cli import batch as batch_module
from softmax_video.cli.batch import batch

pytestmark = pytest.mark.render

TINY = 'sizes = ["64x36"]\nfps = 2\nvoice = false\n'

MANIFEST = f"""
[defaults]
chapters = ["SigmoidRecap", "SoftmaxBars"]
{TINY}

[variants.a]
lecture = true

[variants.b]
set = ['lecture.class_names=["spam", "ham"]']
[variants.b.settings.SoftmaxBars]
logits = [1.0, 2.0, 3.0]

[variants.c]
chapters = ["SoftmaxBars"]
set = ["SoftmaxBars.pace=1.5"]
"""


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(batch, [str(a) for a in args], catch_exceptions=False)


def frames(video: Path) -> list[np.ndarray]:
    with av.open(str(video)) as container:
        return [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]


@pytest.fixture(scope="module", autouse=True)
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Workers' scratch folder (set before any cluster starts: workers inherit it)."""
    folder = tmp_path_factory.mktemp("scratch")
    previous = os.environ.get(batch_module.CACHE_ENV)
    os.environ[batch_module.CACHE_ENV] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop(batch_module.CACHE_ENV, None)
    else:
        os.environ[batch_module.CACHE_ENV] = previous


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path, Path]:
    """Variants a and b (two chapters each) and c, whose one unit cannot be stored:
    a folder stands where its video goes."""
    folder = tmp_path_factory.mktemp("batch")
    manifest = folder / "course.toml"
    manifest.write_text(MANIFEST, encoding="utf-8")
    store = folder / "store"
    (store / "c" / "36p2" / "02-SoftmaxBars.mp4").mkdir(parents=True)
    return run(manifest, "--output", store, "--workers", "2"), manifest, store


def index_of(store: Path) -> dict:
    return json.loads((store / batch_module.INDEX_NAME).read_text(encoding="utf-8"))


def test_units_render_decode_and_are_indexed(first_run: tuple[Result, Path, Path]) -> None:
    result, _, store = first_run
    assert result.exit_code == 1, result.output
    index = index_of(store)
    done = [u for u in index["units"] if u["variant"] in ("a", "b")]
    assert len(done) == 4
    for unit in done:
        assert unit["status"] == "rendered"
        video = store / unit["files"][0]
        assert video.name == f"{unit['chapter_number']:02d}-{unit['chapter']}.mp4"
        assert (store / unit["files"][1]).suffix == ".srt"
        decoded = frames(video)
        assert len(decoded) > 2
        assert decoded[0].shape == (36, 64, 3)
        assert video.with_name(video.name + ".key").read_text() == unit["key"]
        assert all((store / name).is_file() for name in unit["files"])
    # b's own logits and names give other keys than a's.
    keys = {(u["variant"], u["chapter"]): u["key"] for u in done}
    assert keys["a", "SoftmaxBars"] != keys["b", "SoftmaxBars"]
    (lecture,) = [j for j in index["joins"] if j["what"] == "lecture"]
    assert lecture["variant"] == "a" and lecture["status"] == "rendered"
    video = store / lecture["files"][0]
    assert video.name == "softmax-lecture.mp4"
    assert len(frames(video)) == sum(len(frames(store / u["files"][0])) for u in done[:2])
    assert "Batch: 5 unit(s)" in result.stderr
    assert "5/5 units" in result.stderr


def test_failed_unit_is_reported_and_others_finish(first_run: tuple[Result, Path, Path]) -> None:
    result, _, store = first_run
    (failed,) = [u for u in index_of(store)["units"] if u["status"] == "failed"]
    assert (failed["variant"], failed["chapter"]) == ("c", "SoftmaxBars")
    log = store / failed["log"]
    assert log.is_file() and "IsADirectoryError" in log.read_text()
    line = "softmax-video: c/36p2 SoftmaxBars failed: cannot store it: "
    assert line in result.stderr
    assert f"log: {log}" in result.stderr
    # Nothing half-written is left beside the targets.
    assert not list(store.rglob(".*.tmp*"))


def _statuses_follow_keys(before: dict, after: dict) -> None:
    """Each unit is skipped exactly when its key is the one stored before (others work in
    this checkout: an edit of the code between runs changes keys, and those units render)."""
    keys = {(u["variant"], u["chapter"]): u["key"] for u in before["units"]}
    for unit in after["units"]:
        same = keys.get((unit["variant"], unit["chapter"])) == unit["key"]
        assert unit["status"] == ("skipped" if same else "rendered"), unit


def test_rerun_redoes_the_failed_unit_then_skips_everything(
    first_run: tuple[Result, Path, Path],
) -> None:
    _, manifest, store = first_run
    first = index_of(store)
    video = store / "a" / "36p2" / "02-SoftmaxBars.mp4"
    before = video.stat().st_mtime_ns
    (store / "c" / "36p2" / "02-SoftmaxBars.mp4").rmdir()
    again = run(manifest, "--output", store, "--workers", "1")
    assert again.exit_code == 0, again.output
    second = index_of(store)
    statuses = {(u["variant"], u["chapter"]): u["status"] for u in second["units"]}
    assert statuses[("c", "SoftmaxBars")] == "rendered"
    _statuses_follow_keys(first, {"units": [u for u in second["units"] if u["variant"] != "c"]})
    if second["code"] == first["code"]:
        assert "4 already in" in again.stderr and "1 to render" in again.stderr
        assert video.stat().st_mtime_ns == before

    started = time.monotonic()
    third = run(manifest, "--output", store)
    assert third.exit_code == 0, third.output
    _statuses_follow_keys(second, index_of(store))
    if index_of(store)["code"] == second["code"]:
        assert time.monotonic() - started < 30
        assert "5 already in" in third.stderr and "0 to render" in third.stderr
        assert "Sending" not in third.stderr  # no cluster was started
        assert {j["status"] for j in index_of(store)["joins"]} == {"skipped"}
    assert third.stdout.strip() == str(store / batch_module.INDEX_NAME)


def test_same_frames_as_render(first_run: tuple[Result, Path, Path], tmp_path: Path) -> None:
    """A unit of the batch and ``render`` with the same settings: same key, same frames."""
    from softmax_video.cli.render import code_fingerprint, key_file, render_chapters
    from softmax_video.core.chapters import find_chapter

    _, manifest, store = first_run
    (group,) = [g for g in batch_module.load_manifest(manifest).groups if g.variant == "b"]
    (result,) = render_chapters(
        [find_chapter("SoftmaxBars")], group.config, group.settings, tmp_path
    )
    assert result.ok, result.log
    ours = store / "b" / "36p2" / "02-SoftmaxBars.mp4"
    if key_file(result.output).read_text() != key_file(ours).read_text():
        stored = {u["key"] for u in index_of(store)["units"]}
        assert index_of(store)["code"] != code_fingerprint(), "same code, another key"
        assert key_file(ours).read_text() in stored
        pytest.skip("the project's code changed since the batch ran (others edit this tree)")
    theirs, mine = frames(result.output), frames(ours)
    assert len(theirs) == len(mine)
    assert all(np.array_equal(x, y) for x, y in zip(theirs, mine, strict=True))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


BAD_MANIFESTS = [
    ("colour = 1\n[variants.a]\n", "colour: unknown key"),
    (
        '[variants.a]\nqualitys = ["high"]\n',
        "variants.a.qualitys: unknown key; did you mean 'qualities'?",
    ),
    ('[variants.a]\nqualities = ["ultra"]\n', 'variants.a.qualities[0] = "ultra"'),
    ('[variants.a]\nchapters = ["SoftmaxBarz"]\n', 'variants.a.chapters[0] = "SoftmaxBarz"'),
    (
        '[variants.a]\nset = ["Temperature.low_temperature=-1"]\n',
        "variants.a.Temperature.low_temperature = -1.0: must be >= 0",
    ),
    ('[variants.a.settings.SoftmaxBars]\nlogits = "x"\n', "variants.a.SoftmaxBars.logits"),
    ('[variants.a]\nconfig = "missing.toml"\n', "variants.a.config"),
    ('[variants.a]\nsizes = ["65x36"]\n', "variants.a.sizes"),
    ('[variants.a]\nformats = ["png"]\nlecture = true\n', "needs video formats"),
    ('[variants.a]\nvoice = "loud"\n', "variants.a.voice"),
    ("[defaults]\nfps = 500\n[variants.a]\n", "defaults.fps = 500"),
    ("[defaults]\n", "variants: expected at least one table"),
    ("[variants.a\n", "MANIFEST"),
]


@pytest.mark.parametrize(("text", "expected"), BAD_MANIFESTS)
def test_bad_manifest_is_one_line_and_exit_2(text: str, expected: str, tmp_path: Path) -> None:
    manifest = tmp_path / "bad.toml"
    manifest.write_text(text, encoding="utf-8")
    result = run(manifest, "--output", tmp_path / "store")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("softmax-video: error: ")
    assert expected in lines[0]
    assert not (tmp_path / "store").exists()


def test_unreachable_scheduler_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch_module, "CONNECT_TIMEOUT", 2)
    manifest = tmp_path / "m.toml"
    manifest.write_text(f'[variants.a]\nchapters = ["SoftmaxBars"]\n{TINY}', encoding="utf-8")
    address = f"tcp://127.0.0.1:{_free_port()}"
    result = run(manifest, "--output", tmp_path / "store", "--scheduler", address)
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f'softmax-video: error: --scheduler = "{address}": no scheduler')
    bad = run(manifest, "--output", tmp_path / "store", "--scheduler", "localhost")
    assert bad.exit_code == 2 and "tcp://HOST:8786" in bad.stderr


@pytest.fixture(scope="module")
def cluster(scratch: Path) -> Iterator[object]:
    """A separately started two-process cluster, as `dask scheduler` + `dask worker` give."""
    import logging

    import distributed

    local = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
        silence_logs=logging.ERROR,
    )  # fmt: skip
    yield local
    local.close()


def test_scheduler_address(cluster, tmp_path: Path) -> None:
    manifest = tmp_path / "m.toml"
    manifest.write_text(
        f'[variants.remote]\nchapters = ["SigmoidRecap"]\n{TINY}thumbnails = true\n',
        encoding="utf-8",
    )
    store = tmp_path / "store"
    result = run(manifest, "--output", store, "--scheduler", cluster.scheduler_address)
    assert result.exit_code == 0, result.output
    assert f"Sending them to {cluster.scheduler_address} (2 worker(s))" in result.stderr
    (unit,) = index_of(store)["units"]
    assert unit["status"] == "rendered"
    assert frames(store / unit["files"][0])[0].shape == (36, 64, 3)
    (thumb,) = index_of(store)["joins"]
    assert (store / thumb["files"][0]).name == "01-SigmoidRecap.poster.png"


def test_render_failure_on_a_worker_returns_its_log(cluster) -> None:
    """A size the encoder refuses (odd) fails inside manim; the unit's answer has its log."""
    import distributed

    from softmax_video.cli.render import RenderSettings, code_fingerprint, render_key
    from softmax_video.core.chapters import find_chapter
    from softmax_video.core.params import load_config

    config, settings = load_config(), RenderSettings(65, 37, 2)
    chapter = find_chapter("SigmoidRecap")
    payload = {
        "chapter": chapter.name, "config": config.as_dict(), "settings": settings,
        "kind": "video", "key": render_key(chapter, config, settings, code_fingerprint()),
    }  # fmt: skip
    with distributed.Client(cluster, set_as_default=False) as client:
        answer = client.submit(batch_module.run_unit, payload, pure=False).result()
        wrong = client.submit(batch_module.run_unit, {**payload, "key": "0" * 64}).result()
    assert not answer["ok"]
    assert answer["error"] == "manim exited with status 1"
    assert "libx264" in answer["log"]
    assert not wrong["ok"] and "another render key" in wrong["error"]


@pytest.mark.slow
def test_killed_worker_leaves_no_partial_file(cluster, tmp_path: Path) -> None:
    """A worker killed mid-unit: Dask runs the unit again; the store only gets whole files."""
    import distributed

    manifest = tmp_path / "m.toml"
    manifest.write_text(
        f'[variants.k]\nchapters = ["SoftmaxBars", "SigmoidRecap"]\n{TINY}', encoding="utf-8"
    )
    store = tmp_path / "store"
    outcome: list[Result] = []
    thread = threading.Thread(
        target=lambda: outcome.append(
            run(manifest, "--output", store, "--scheduler", cluster.scheduler_address)
        )
    )
    thread.start()
    with distributed.Client(cluster, set_as_default=False) as client:
        deadline = time.monotonic() + 60
        busy: list[str] = []
        while not busy and time.monotonic() < deadline:
            processing = client.processing()
            busy = [w for w, tasks in processing.items() if tasks]
            time.sleep(0.2)
        assert busy, "no unit started"
        time.sleep(1.0)  # well inside the render
        pids = client.run(os.getpid, workers=busy[:1])
    os.kill(pids[busy[0]], signal.SIGKILL)  # its nanny starts another
    thread.join(timeout=240)
    (result,) = outcome
    assert result.exit_code == 0, result.output
    units = index_of(store)["units"]
    assert {u["status"] for u in units} == {"rendered"}
    for unit in units:
        assert len(frames(store / unit["files"][0])) > 2
    assert not list(store.rglob(".*.tmp*"))


@pytest.mark.slow
def test_slides_deck(tmp_path: Path) -> None:
    manifest = tmp_path / "m.toml"
    manifest.write_text(
        f'[variants.s]\nchapters = ["SoftmaxBars"]\n{TINY}slides = true\npptx = true\n',
        encoding="utf-8",
    )
    store = tmp_path / "store"
    result = run(manifest, "--output", store, "--workers", "1")
    assert result.exit_code == 0, result.output
    (deck,) = [j for j in index_of(store)["joins"] if j["what"] == "slides"]
    names = sorted(Path(f).name for f in deck["files"])
    assert names == ["softmax-slides.html", "softmax-slides.pptx"]
    deck_json = next((store / "s").rglob("SoftmaxBarsSlides.json"))
    for slide in json.loads(deck_json.read_text())["slides"]:
        assert Path(slide["file"]).is_file()


def test_module_entry_point_help() -> None:
    import subprocess
    import sys

    shown = subprocess.run(
        [sys.executable, "-m", "softmax_video.cli.batch", "--help"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "--scheduler" in shown.stdout
    assert "MANIFEST" in shown.stdout


def test_code_changed_mid_batch_renders_with_the_new_code(
    cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The client's code fingerprint is stale (the tree was edited after the batch began):
    the worker refuses the old key, the unit is sent again with the new one."""
    import softmax_video.cli.render

    real = softmax_video.cli.render.code_fingerprint
    calls = iter(["0" * 64])
    monkeypatch.setattr(
        softmax_video.cli.render, "code_fingerprint", lambda: next(calls, None) or real()
    )
    manifest = tmp_path / "m.toml"
    manifest.write_text(f'[variants.e]\nchapters = ["SigmoidRecap"]\n{TINY}', encoding="utf-8")
    store = tmp_path / "store"
    result = run(manifest, "--output", store, "--scheduler", cluster.scheduler_address)
    assert result.exit_code == 0, result.output
    assert "the project's code changed during the batch" in result.stderr
    index = index_of(store)
    assert index["code"] == real()
    (unit,) = index["units"]
    assert unit["status"] == "rendered"
    assert (store / unit["files"][0]).with_suffix(".mp4.key").read_text() == unit["key"]


def test_example_course_manifest(tmp_path: Path) -> None:
    """docs/examples/course.toml is valid and expands as docs/batch.md says (182 units)."""
    example = Path(__file__).resolve().parents[2] / "docs" / "examples" / "course.toml"
    result = run(example, "--dry-run", "--output", tmp_path / "store")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 182
    assert all(line.endswith("\tto render") for line in lines)
    assert sum(" slides " in line for line in lines) == 26
    assert not (tmp_path / "store").exists()


@pytest.mark.slow
def test_dask_command_line_scheduler_and_worker(tmp_path: Path) -> None:
    """`dask scheduler` and `dask worker` started as docs/batch.md says, on 127.0.0.1."""
    import subprocess
    import sys

    address_file = tmp_path / "scheduler.json"
    bin_dir = Path(sys.executable).parent
    scheduler = subprocess.Popen(
        [bin_dir / "dask", "scheduler", "--host", "127.0.0.1", "--port", "0",
         "--dashboard-address", ":0", "--scheduler-file", address_file],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    worker = None
    try:
        deadline = time.monotonic() + 60
        while not address_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(address_file.read_text())["address"]
        worker = subprocess.Popen(
            [bin_dir / "dask", "worker", address, "--nworkers", "1", "--nthreads", "1",
             "--host", "127.0.0.1", "--dashboard-address", ":0"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        manifest = tmp_path / "m.toml"
        manifest.write_text(f'[variants.cli]\nchapters = ["SoftmaxBars"]\n{TINY}', encoding="utf-8")
        store = tmp_path / "store"
        result = run(manifest, "--output", store, "--scheduler", address)
        assert result.exit_code == 0, result.output
        (unit,) = index_of(store)["units"]
        assert unit["status"] == "rendered"
        assert frames(store / unit["files"][0])[0].shape == (36, 64, 3)
    finally:
        for process in (worker, scheduler):
            if process is not None:
                process.terminate()
                process.wait(timeout=60)
