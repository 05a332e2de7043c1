"""Shared set-up of the chapter tests: every test starts from the default configuration."""

from __future__ import annotations

import pytest

from softmax_video.core.params import CONFIG_ENV_VAR


@pytest.fixture(autouse=True)
def default_config(monkeypatch: pytest.MonkeyPatch) -> None:
    """No user TOML from the environment leaks into a chapter test."""
    monkeypatch.delenv(CONFIG_ENV_VAR, raising=False)
