"""Doctests of the packages build mobjects: manim's INFO logs (a TeX file written the first
time a formula is built) must not reach the output a doctest compares."""

from __future__ import annotations

import pytest
from _pytest.doctest import DoctestItem


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    if isinstance(item, DoctestItem):
        from manim import config

        config.verbosity = "WARNING"
