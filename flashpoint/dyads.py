"""Dyad time series and escalation / de-escalation turning points.

`SeriesPoint` is the shape every producer of a series returns: the store (aggregating in SQL) and
`series_from_events` (in Python, for library users without a store).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SeriesPoint:
    """One period (a day "2024-01-16" or an ISO week's Monday "2024-01-15") of a dyad's activity."""

    period: str
    events: int = 0
    quad: dict[int, int] = field(default_factory=lambda: {1: 0, 2: 0, 3: 0, 4: 0})
    intensity: float = 0.0
    goldstein: float = 0.0
    sources: int = 0
    clusters: list[str] = field(default_factory=list)
