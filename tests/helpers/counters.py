"""What the six big numbers must read for a GET .../stats body: the page's test oracle."""

from __future__ import annotations

from typing import Any


def shown(value: int) -> str:
    """A count as the page writes it (thin space between thousands)."""
    return f"{value:,}".replace(",", "\u2009")


def counters_from_stats(stats: dict[str, Any]) -> dict[str, str]:
    """Each counter's expected text, element id to text."""
    launched = stats["launched"]
    rate = stats["neutralized_rate"]
    return {
        "count-drones-launched": shown(launched["drone"] + launched["decoy"]),
        "count-missiles-launched": shown(
            launched["cruise_missile"] + launched["ballistic_missile"]
        ),
        "count-shot-down": shown(sum(stats["shot_down"].values())),
        "count-suppressed": shown(sum(stats["suppressed"].values())),
        "count-neutralized-rate": "—" if rate is None else f"{rate * 100:.1f}%",
        "count-impacts": shown(sum(stats["impacts"].values())),
    }
