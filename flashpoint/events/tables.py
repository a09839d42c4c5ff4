"""The CAMEO and PLOVER tables: codes, Goldstein values, PLOVER types, modes, scores and quad classes.

Read once from the package's data files (data/events/cameo.tsv, plover.tsv, plover_modes.tsv; their headers
name the sources). Every lookup validates its key and raises KeyError with a message naming what is known:

    >>> cameo("195").description
    'Employ aerial weapons'
    >>> default_cameo("ASSAULT", "aerial"), goldstein("195"), quad_class("ASSAULT")
    ('195', -10.0, 4)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ..datafiles import read_tsv

__all__ = [
    "CameoEntry",
    "ModeEntry",
    "PloverEntry",
    "cameo",
    "cameo_codes",
    "default_cameo",
    "goldstein",
    "intensity",
    "plover",
    "plover_mode",
    "plover_types",
    "quad_class",
    "read_table",
]



@dataclass(frozen=True)
class CameoEntry:
    """One CAMEO code. `plover_type` is "" (and `quad_class` 0) for the codes PLOVER drops (01*, 02*)."""

    code: str
    description: str
    goldstein: float
    goldstein_from: str
    plover_type: str
    mode: str | None
    context: str | None
    quad_class: int
    note: str = ""

    @property
    def contexts(self) -> tuple[str, ...]:
        return tuple(self.context.split(";")) if self.context else ()


@dataclass(frozen=True)
class PloverEntry:
    """One PLOVER event type with its PLOVER score (`intensity`), default CAMEO code and modes."""

    type: str
    definition: str
    intensity: float
    score_from: str
    default_cameo: str
    quad_class: int
    modes: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class ModeEntry:
    """One mode of a PLOVER type with its PLOVER score and its most fitting CAMEO code."""

    type: str
    mode: str
    intensity: float
    score_from: str
    cameo: str
    definition: str


def read_table(name: str) -> list[dict[str, str]]:
    """A TSV file of data/events (comments skipped) as one dict per row, every value a string."""
    return read_tsv(f"events/{name}")


def _cameo_entry(row: dict[str, str]) -> CameoEntry:
    return CameoEntry(
        code=row["code"],
        description=row["description"],
        goldstein=float(row["goldstein"]),
        goldstein_from=row["goldstein_from"],
        plover_type=row["plover_type"],
        mode=row["mode"] or None,
        context=row["context"] or None,
        quad_class=int(row["quad_class"]),
        note=row["note"],
    )


def _plover_entry(row: dict[str, str]) -> PloverEntry:
    return PloverEntry(
        type=row["type"],
        definition=row["definition"],
        intensity=float(row["intensity"]),
        score_from=row["score_from"],
        default_cameo=row["default_cameo"],
        quad_class=int(row["quad_class"]),
        modes=tuple(mode for mode in row["modes"].split(",") if mode),
        note=row["note"],
    )


def _mode_entry(row: dict[str, str]) -> ModeEntry:
    return ModeEntry(row["type"], row["mode"], float(row["intensity"]), row["score_from"], row["cameo"],
                     row["definition"])


@cache
def _cameo_table() -> dict[str, CameoEntry]:
    return {row["code"]: _cameo_entry(row) for row in read_table("cameo.tsv")}


@cache
def _plover_table() -> dict[str, PloverEntry]:
    return {row["type"]: _plover_entry(row) for row in read_table("plover.tsv")}


@cache
def _mode_table() -> dict[tuple[str, str], ModeEntry]:
    return {(row["type"], row["mode"]): _mode_entry(row) for row in read_table("plover_modes.tsv")}


def cameo_codes() -> tuple[str, ...]:
    """Every CAMEO code, in code order."""
    return tuple(_cameo_table())


def plover_types() -> tuple[str, ...]:
    """The 16 PLOVER event types, in the codebook's order."""
    return tuple(_plover_table())


def cameo(code: str) -> CameoEntry:
    """The table entry of a CAMEO code given as a string ("190", "0311": leading zeros matter)."""
    entry = _cameo_table().get(code) if isinstance(code, str) else None
    if entry is None:
        hint = " CAMEO codes are strings; leading zeros matter." if not isinstance(code, str) else ""
        raise KeyError(f"Unknown CAMEO code {code!r}: not one of the {len(_cameo_table())} codes of "
                       f"data/events/cameo.tsv (such as '190').{hint}")
    return entry


def goldstein(code: str) -> float:
    """The Goldstein value (-10 to +10) of a CAMEO code."""
    return cameo(code).goldstein


def plover(type: str) -> PloverEntry:
    """The entry of a PLOVER event type ("ASSAULT"; case does not matter)."""
    key = type.upper() if isinstance(type, str) else type
    entry = _plover_table().get(key)
    if entry is None:
        known = ", ".join(_plover_table())
        raise KeyError(f"Unknown PLOVER event type {type!r}: expected one of {known}.")
    return entry


def plover_mode(type: str, mode: str) -> ModeEntry:
    """The entry of one mode of a PLOVER type ("ASSAULT", "aerial")."""
    entry = plover(type)
    found = _mode_table().get((entry.type, mode.lower()))
    if found is None:
        known = ", ".join(entry.modes) or "none"
        raise KeyError(f"Unknown mode {mode!r} for PLOVER type {entry.type}: its modes are {known}.")
    return found


def intensity(type: str, mode: str | None = None) -> float:
    """The PLOVER score of a type, or of a type and mode where the manual scores the mode."""
    return plover_mode(type, mode).intensity if mode else plover(type).intensity


def quad_class(plover_type: str, mode: str | None = None) -> int:
    """1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.

    A mode is validated but never changes the class: every mode shares its type's quad class (PLOVER manual
    Table 7.2). CONCEDE is always 1; a concession that takes material effect is coded RETREAT (2) instead.
    """
    if mode:
        return plover(plover_mode(plover_type, mode).type).quad_class
    return plover(plover_type).quad_class


def default_cameo(plover_type: str, mode: str | None = None) -> str:
    """The most fitting CAMEO code for a PLOVER type and, optionally, a mode or else a context.

    ("ASSAULT", "aerial") -> "195"; ("CONSULT", "phone") -> "041"; ("AGREE", "military") -> "0312" (a
    context); ("AGREE") -> "030". An unknown type, or a word that is neither a mode of the type nor a context
    of its CAMEO codes, raises KeyError.
    """
    entry = plover(plover_type)
    if not mode:
        return entry.default_cameo
    word = mode.lower()
    if word in entry.modes:
        return plover_mode(entry.type, word).cameo
    return _cameo_for_context(entry, word)


def _cameo_for_context(entry: PloverEntry, context: str) -> str:
    """The type's default code if it has the context, else the most general code of the type that has it."""
    codes = [code for code, row in _cameo_table().items()
             if row.plover_type == entry.type and context in row.contexts and len(code) > 2]
    if not codes:
        known = ", ".join(entry.modes) or "none"
        raise KeyError(f"{context!r} is neither a mode of {entry.type} (its modes: {known}) "
                       f"nor a context of its CAMEO codes.")
    if entry.default_cameo in codes:
        return entry.default_cameo
    return min(codes, key=lambda code: (len(code), code))
