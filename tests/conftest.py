"""Shared fixtures: every test builds its own small data; the sample article is read from the package."""

from __future__ import annotations

import pytest

from flashpoint.samples import sample_text


@pytest.fixture(scope="session")
def sample() -> str:
    return sample_text()
