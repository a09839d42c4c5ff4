"""The public API is what the README documents."""

from __future__ import annotations

from pathlib import Path

import flashpoint


def test_exported_members_are_importable_and_documented() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
    for name in flashpoint.__all__:
        assert hasattr(flashpoint, name), name
        assert f"`{name}`" in readme, f"{name} is exported but not in the README"
