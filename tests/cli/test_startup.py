"""The command line answers list, config and --help without loading manim."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("command", [["list"], ["config"], ["--help"], ["list", "--beats"]])
def test_quick_commands_load_no_manim(command):
    probe = (
        "import sys\n"
        "from softmax_video.cli.main import main\n"
        f"try:\n    main({command!r})\nexcept SystemExit:\n    pass\n"
        "loaded = sorted(m for m in sys.modules if m == 'manim' or m.startswith('manim.'))\n"
        "print('MANIM', loaded[:3])\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("MANIM []"), result.stdout[-300:]
