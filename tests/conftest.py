"""Shared fixtures: every test builds its own small data; the sample article is read from the package."""

from __future__ import annotations

import pytest

from flashpoint.model import Article
from flashpoint.samples import sample_text


@pytest.fixture(scope="session")
def sample() -> str:
    return sample_text()


@pytest.fixture(scope="session")
def sample_coded(sample: str) -> Article:
    """The sample article through the whole default pipeline (published on Friday 2024-01-19)."""
    from flashpoint import code

    return code(sample, id="sample", published="2024-01-19")
