# ruff: noqa: RUF001
"""The three shipped posts (tests/fixtures/air-force-posts) parse to the figures they state."""

from __future__ import annotations

from typing import Any

from backend.domain.kpszsu import parse_post
from backend.domain.reports import ReportIn
from tests.helpers.air_force_posts import ISSUED, post_text


def parsed(name: str) -> Any:
    return parse_post(post_text(name), issued_at=ISSUED[name])


def figures(report: dict[str, Any]) -> list[tuple[Any, ...]]:
    keys = ("weapon", "model", "launched", "shot_down", "suppressed", "neutralized")
    return [tuple(line[key] for key in keys) for line in report["lines"]]


def test_bulleted_2026_post_with_a_combined_figure() -> None:
    post = parsed("02_2026-09-22_night_list.txt")
    report = post.report
    assert (report["night"], report["issuer"], report["scope"]) == (
        "2026-09-22",
        "air_force",
        "national",
    )
    assert report["window_start"] == "2026-09-21T15:00:00Z"  # 18:00 Kyiv (UTC+3)
    assert report["window_end"] == "2026-09-22T05:00:00Z"  # станом на 08:00
    assert figures(report) == [
        ("ballistic_missile", "Іскандер-М", None, None, None, None),  # named, no number
        ("cruise_missile", "Калібр", 4, None, None, 1),
        ("cruise_missile", "Бандероль/Дань-Т", 8, None, None, 8),
        ("drone", "Shahed, реактивні Shahed, дрони-імітатори, Пародія", 212, None, None, 177),
    ]
    assert report["launch_areas"] == ["Орел", "Шаталово", "Донецьк", "Гвардійське", "Чауда"]
    assert report["main_targets"] == ["Дніпропетровщина", "Кіровоградщина", "Полтавщина"]
    assert report["affected_regions"] == ["UA-12", "UA-35", "UA-53"]
    assert (report["hit_locations"], report["debris_locations"]) == (None, None)
    assert report["text"] == post_text("02_2026-09-22_night_list.txt")
    assert post.unparsed == []
    assert any("headline" in warning for warning in post.warnings)
    ReportIn.model_validate(report)


def test_mid_2025_post_split_in_bullets() -> None:
    post = parsed("03_2025-06-23_night.txt")
    report = post.report
    assert report["night"] == "2025-06-23"
    assert report["window_start"] == "2025-06-22T17:00:00Z"  # із 20.00
    assert report["window_end"] == "2025-06-23T06:00:00Z"  # станом на 09.00
    assert figures(report) == [
        ("drone", "Shahed", 352, 146, 193, None),
        ("ballistic_missile", None, None, 7, 3, None),
    ]
    assert report["launch_areas"] == ["Курськ", "Орел"]
    # The abridged post's totals (354, 158) do not add up to its bullets: said, not hidden.
    assert "the post states 158 in all shot_down; its lines add up to 153" in post.warnings
    assert any("до 160 із них" in warning for warning in post.warnings)
    assert ReportIn.model_validate(report).lines[0].neutralized == 339


def test_mid_2025_post_with_the_split_stated_for_all_weapons_together() -> None:
    post = parsed("04_2025-06-01_night.txt")
    report = post.report
    assert report["night"] == "2025-06-01"
    assert report["window_start"] == "2025-05-31T16:30:00Z"  # із 19.30
    assert figures(report) == [
        ("drone", "Shahed", 472, None, None, 210),
        ("ballistic_missile", "Іскандер-М", 3, None, None, None),
        ("cruise_missile", None, None, None, None, 3),
    ]
    # "213 - збито ..., 172 - локаційно втрачені" names no weapon: not read into a line.
    assert post.unparsed == [
        "213 - збито вогневими засобами, 172 - локаційно втрачені/подавлені РЕБ."
    ]
    assert "the post states 479 in all launched; its lines add up to 475" in post.warnings
