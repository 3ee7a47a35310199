"""What the six big numbers must read for a GET .../stats body: the page's test oracle.

Written apart from dashboard/counters.py on purpose: the official figures where `official`
is given (never added to the observed ones), "—" for what no source states.
"""

from __future__ import annotations

from typing import Any

DRONES = ("drone", "decoy")
MISSILES = ("cruise_missile", "ballistic_missile")


def shown(value: int | None) -> str:
    """A count as the page writes it (thin space between thousands), "—" when not stated."""
    return "—" if value is None else f"{value:,}".replace(",", "\u2009")


def _rate(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def _stated(by_weapon: dict[str, int | None], weapons: tuple[str, ...] | None = None) -> int | None:
    values = [
        value
        for weapon, value in by_weapon.items()
        if value is not None and (weapons is None or weapon in weapons)
    ]
    return sum(values) if values else None


def counters_from_stats(stats: dict[str, Any]) -> dict[str, str]:
    """Each counter's expected text, element id to text."""
    official = stats.get("official")
    if official is not None:
        return {
            "count-drones-launched": shown(_stated(official["launched"], DRONES)),
            "count-missiles-launched": shown(_stated(official["launched"], MISSILES)),
            "count-shot-down": shown(_stated(official["shot_down"])),
            "count-suppressed": shown(_stated(official["suppressed"])),
            "count-neutralized-rate": _rate(official["neutralized_rate"]),
            "count-impacts": shown(official["hit_locations"]),
        }
    launched = stats["launched"]
    return {
        "count-drones-launched": shown(sum(launched[weapon] for weapon in DRONES)),
        "count-missiles-launched": shown(sum(launched[weapon] for weapon in MISSILES)),
        "count-shot-down": shown(sum(stats["shot_down"].values())),
        "count-suppressed": shown(sum(stats["suppressed"].values())),
        "count-neutralized-rate": _rate(stats["neutralized_rate"]),
        "count-impacts": shown(sum(stats["impacts"].values())),
    }
