"""The events stage: cue words over the dependency parse, checked by a trained sentence classifier."""

from __future__ import annotations

from .stage import EventCoder, code_doc

__all__ = ["EventCoder", "code_doc"]
