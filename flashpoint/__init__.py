"""flashpoint: news in, political event data out."""

from __future__ import annotations

from .api import clean, code, code_file, default_pipeline, pipe
from .errors import Errors, FlashpointError
from .model import Actor, Article, Event, Evidence, Mention, Modality, Place, Statement
from .pipeline import Pipeline

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "Article",
    "Errors",
    "Event",
    "Evidence",
    "FlashpointError",
    "Mention",
    "Modality",
    "Pipeline",
    "Place",
    "Statement",
    "clean",
    "code",
    "code_file",
    "default_pipeline",
    "pipe",
    "__version__",
]
