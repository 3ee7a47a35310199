# The Air Force writes in Ukrainian: Cyrillic letters that look like Latin ones are expected.
# ruff: noqa: RUF002
"""The report's lines: each count put on the line of its weapon (and model), or a new one.

A launch count opens a line (or fills the line a post named without a number: "балістичними
ракетами Іскандер-М"); a shot-down or suppressed count joins the line of its weapon whose
model it shares, or the one line of that weapon. When several lines could take it, it is a
line of its own with its class and no model: the weapon's totals stay right, and no model
is guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from backend.domain.kpszsu.figures import LAUNCHED, NEUTRALIZED, SHOT_DOWN, SUPPRESSED, Count
from backend.domain.kpszsu.weapons import Named, model_of

FIGURES = (LAUNCHED, SHOT_DOWN, SUPPRESSED, NEUTRALIZED)


@dataclass
class Line:
    """One weapon's figures as they are gathered."""

    weapon: str
    models: list[str]
    figures: dict[str, int | None] = field(default_factory=lambda: dict.fromkeys(FIGURES))

    def neutralized(self) -> int | None:
        """The combined figure, stated or derived from shot down and suppressed."""
        stated = self.figures[NEUTRALIZED]
        shot, suppressed = self.figures[SHOT_DOWN], self.figures[SUPPRESSED]
        if stated is None and shot is not None and suppressed is not None:
            return shot + suppressed
        return stated if stated is not None else shot

    def record(self, warnings: list[str]) -> dict[str, Any]:
        """The line as ReportLine takes it."""
        figures = dict(self.figures)
        shot, suppressed = figures[SHOT_DOWN], figures[SUPPRESSED]
        stated = figures[NEUTRALIZED]
        if shot is not None and suppressed is not None and stated is not None:
            if stated != shot + suppressed:
                warnings.append(
                    f"{self.weapon}: neutralized {stated} is not shot_down {shot} + "
                    f"suppressed {suppressed}: kept the split"
                )
            figures[NEUTRALIZED] = None
        model = model_of(Named(frozenset({self.weapon}), tuple(self.models)))
        return {"weapon": self.weapon, "model": model, **figures}


class Lines:
    """The lines of one post, in the order their weapons first appear."""

    def __init__(self) -> None:
        self.lines: list[Line] = []

    def named(self, weapon: str, models: tuple[str, ...]) -> None:
        """A weapon the post names without a number: a line whose figures are not stated."""
        if not any(line.weapon == weapon and _shares(line, models) for line in self.lines):
            self.lines.append(Line(weapon, list(models)))

    def add(self, count: Count, warnings: list[str]) -> None:
        """Put a counted weapon's figure on its line."""
        weapon = count.weapon
        if weapon is None:
            raise ValueError("a total or an unresolved count is not a line")
        models = count.names.models
        same = [line for line in self.lines if line.weapon == weapon]
        if models:
            sharing = [line for line in same if _shares(line, models) and line.models]
            same = sharing or [line for line in same if not line.models]
        if count.figure == LAUNCHED or not models:
            # A new count of a figure already stated is another line, not more of the same.
            same = [line for line in same if line.figures[count.figure] is None]
        if len(same) > 1 and count.figure != LAUNCHED:
            warnings.append(
                f"{count.number} {weapon} ({count.figure}) could be on any of {len(same)} "
                f"{weapon} lines: kept as a line of its own"
            )
        if len(same) != 1:
            line = Line(weapon, list(models))
            self.lines.append(line)
        else:
            line = same[0]
            # A launch count says what was launched; a shot-down one does not rename it.
            for model in models if count.figure == LAUNCHED else ():
                if model not in line.models:
                    line.models.append(model)
        earlier = line.figures[count.figure]
        if earlier is not None:
            warnings.append(f"{weapon}: {count.figure} stated twice ({earlier}, {count.number})")
        line.figures[count.figure] = count.number + (earlier or 0)

    def total_of(self, figure: str, weapons: frozenset[str] | None) -> int | None:
        """The sum of a figure over the lines (of some weapons) that state it."""
        values = [
            line.neutralized() if figure == NEUTRALIZED else line.figures[figure]
            for line in self.lines
            if weapons is None or line.weapon in weapons
        ]
        stated = [value for value in values if value is not None]
        return sum(stated) if stated else None


def _shares(line: Line, models: tuple[str, ...]) -> bool:
    return not models or not line.models or bool(set(line.models) & set(models))
