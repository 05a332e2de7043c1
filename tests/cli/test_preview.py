"""``softmax-video preview``: a real server on loopback, real file changes, real requests."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
#: Bound of one wait for the page to change (a tiny still takes a few seconds).
WAIT_SECONDS = 180


def config_text(middle: float, key: str = "logits") -> str:
    return f'[voice]\nengine = "none"\n\n[SoftmaxBars]\n{key} = [1.0, {middle}, 3.0]\n'


def fetch(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


def state(base: str) -> dict:
    return json.loads(fetch(base + "state")[1])


def wait_for(base: str, ready: Callable[[dict], bool]) -> dict:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        now = state(base)
        if ready(now):
            return now
        time.sleep(0.2)
    raise AssertionError(f"the page did not change in {WAIT_SECONDS} s: {now}")


def first_line(stream, timeout: float = 60) -> str:
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(stream.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    assert lines, "the preview printed no URL"
    return lines[0]


@pytest.mark.render
def test_preview_follows_the_config_file_shows_errors_and_stops_on_sigint(tmp_path):
    config = tmp_path / "lecture.toml"
    config.write_text(config_text(2.0), encoding="utf-8")
    process = subprocess.Popen(
        [
            sys.executable, "-m", "softmax_video", "preview", "SoftmaxBars",
            "--config", str(config), "--beat", "logits", "--port", "0", "--no-open",
            "--resolution", "256x144", "--output", str(tmp_path / "media"),
        ],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        line = first_line(process.stdout)
        base = line.split()[3]
        assert base.startswith("http://127.0.0.1:") and base.endswith("/"), line

        status, page = fetch(base)
        assert status == 200 and b"SoftmaxBars" in page
        first = wait_for(base, lambda s: s["status"] == "ready")
        assert first["beat"] == "logits" and "exponentiate" in first["beats"]
        before = fetch(base + "still.png")[1]
        assert before.startswith(b"\x89PNG")

        changed_at = time.monotonic()
        config.write_text(config_text(2.9), encoding="utf-8")
        second = wait_for(
            base, lambda s: s["version"] > first["version"] and s["status"] == "ready"
        )
        print(f"re-rendered {time.monotonic() - changed_at:.1f} s after the change")
        after = fetch(base + "still.png")[1]
        assert after != before, "the still follows the file"
        assert second["error"] == ""

        config.write_text(config_text(2.9, key="logitz"), encoding="utf-8")
        wait_for(base, lambda s: s["status"] == "error")
        page = fetch(base)[1].decode()
        assert "SoftmaxBars.logitz: unknown key" in page
        assert process.poll() is None, "a bad file does not stop the server"

        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode in (0, 130), err
    assert "Traceback" not in err, err
    assert "preview stopped" in err


def test_preview_rejects_an_unknown_beat_before_serving(tmp_path):
    result = subprocess.run(
        [
            sys.executable, "-m", "softmax_video", "preview", "SoftmaxBars", "--beat", "nope",
            "--port", "0", "--no-open", "--output", str(tmp_path),
        ],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and '--beat = "nope"' in lines[0], result.stderr
    assert result.stdout == ""
