"""Every pipeline stage, registered by name in this one place (no import side effects)."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from .errors import Errors, FlashpointError

# name -> "module:factory"; imported only when a pipeline asks for the stage.
STAGES: dict[str, str] = {
    "clean": "flashpoint.clean:Cleaner",
    "parse": "flashpoint.nlp:Parser",
    "actors": "flashpoint.actors:ActorFinder",
    "events": "flashpoint.events:EventCoder",
    "time": "flashpoint.when:TimeResolver",
    "places": "flashpoint.where:Locator",
}

DEFAULT_STAGES: tuple[str, ...] = ("clean", "parse", "actors", "events", "time", "places")


def stage_factory(name: str) -> Callable[..., Any]:
    if name not in STAGES:
        raise FlashpointError(Errors.E202, name=name, known=", ".join(STAGES))
    module_name, _, attribute = STAGES[name].partition(":")
    factory: Callable[..., Any] = getattr(import_module(module_name), attribute)
    return factory


def make_stage(name: str, **config: Any) -> Any:
    return stage_factory(name)(**config)
