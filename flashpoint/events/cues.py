"""Event cue words and light verbs, loaded once from the package's data files."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from ..datafiles import data_lines


@dataclass(frozen=True)
class Cue:
    """A word that names an event: its lemma, part of speech and CAMEO code, with optional conditions."""

    lemma: str
    pos: str
    cameo: str
    needs: str = ""
    mode_words: dict[str, str] = field(default_factory=dict, hash=False)

    def fits_pos(self, pos: str) -> bool:
        return self.pos == "ANY" or self.pos == pos or (self.pos == "NOUN" and pos == "PROPN")


def _mode_words(cell: str) -> dict[str, str]:
    pairs = (item.split("=", 1) for item in cell.split("|") if "=" in item)
    return {word: code for word, code in pairs}


@cache
def cue_table() -> dict[str, tuple[Cue, ...]]:
    """lemma -> the cues with that lemma (a lemma may have several, told apart by pos or needs)."""
    rows = [line.split("\t") for line in data_lines("events/cues.tsv")][1:]
    table: dict[str, list[Cue]] = {}
    for row in rows:
        lemma, pos, cameo, needs, modes = (row + ["", ""])[:5]
        table.setdefault(lemma, []).append(Cue(lemma, pos, cameo, needs, _mode_words(modes)))
    return {lemma: tuple(cues) for lemma, cues in table.items()}


@cache
def light_verbs() -> frozenset[str]:
    """Verbs whose event is named by their object ("launched a strike", "held talks")."""
    return frozenset(data_lines("events/light_verbs.txt"))
