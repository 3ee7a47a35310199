# ruff: noqa: RUF001
"""parse_post (backend/domain/kpszsu/post.py): one test per rule of the issue, on variants
written from the formats the Air Force uses (the shipped posts are in test_shipped_posts.py)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from backend.domain.kpszsu import PostError, parse_post, report_id
from backend.domain.reports import ReportIn

MORNING = datetime(2026, 9, 26, 5, tzinfo=UTC)


def lines(text: str, issued_at: datetime = MORNING) -> list[dict[str, Any]]:
    """The report's lines with only their stated fields."""
    report = parse_post(text, issued_at=issued_at).report
    ReportIn.model_validate(report)
    return [
        {key: value for key, value in line.items() if value is not None} for line in report["lines"]
    ]


def test_single_sentence_2026_post_with_hits_and_debris() -> None:
    text = (
        "⚡️ ЗБИТО/ПОДАВЛЕНО 134 ВОРОЖІ БПЛА\n➖➖➖➖➖\n"
        "У ніч на 26 вересня (з 18:00 25 вересня) противник атакував 173 ударними БпЛА типу "
        "Shahed (понад 50 із них - реактивні), Гербера, дронами-імітаторами типу “Пародія” із "
        "напрямків: Орел,  Курськ, Міллерово - рф; ТОТ Донецьк та ТОТ АР Крим – Гвардійське.\n\n"
        "💥 За попередніми даними, станом на 07:30, протиповітряною обороною збито/подавлено 134 "
        "ворожі БпЛА типу Shahed, Гербера та дронів інших типів.\n\n"
        "Зафіксовано влучання засобів повітряного нападу противника на 19 локаціях а також "
        "падіння збитих (уламки) на 8 локаціях."
    )
    post = parse_post(text, issued_at=MORNING)
    report = post.report
    assert lines(text) == [
        {
            "weapon": "drone",
            "model": "Shahed, реактивні Shahed, Гербера, дрони-імітатори, Пародія",
            "launched": 173,
            "neutralized": 134,
        }
    ]
    assert (report["hit_locations"], report["debris_locations"]) == (19, 8)
    assert report["launch_areas"] == ["Орел", "Курськ", "Міллерово", "Донецьк", "Гвардійське"]
    assert report["window_end"] == "2026-09-26T04:30:00Z"
    assert any("понад 50 із них" in warning for warning in post.warnings)


def test_combined_strike_with_its_bullets() -> None:
    text = (
        "У ніч на 27 грудня (з 18:00 26 грудня) противник завдав комбінованого удару із "
        "застосуванням ударних БпЛА та ракет.\n\n"
        "Загалом виявлено та здійснено супровід 559-ти засобів повітряного нападу – 40 ракет та "
        "519 БпЛА різних типів:\n\n- 40 крилатих ракет Х-101;\n"
        "- 519 ударних БпЛА типу Shahed, Гербера (понад 300 із них – «шахеди») із напрямків "
        "Курськ, Орел – рф.\n\nСтаном на 11:00 збито/подавлено 474 цілі:\n"
        "- 30 крилатих ракет Х-101;\n- 444 ворожі БпЛА."
    )
    post = parse_post(text, issued_at=datetime(2025, 12, 27, 9, tzinfo=UTC))
    assert lines(text, datetime(2025, 12, 27, 9, tzinfo=UTC)) == [
        {"weapon": "cruise_missile", "model": "Х-101", "launched": 40, "neutralized": 30},
        {"weapon": "drone", "model": "Shahed, Гербера", "launched": 519, "neutralized": 444},
    ]
    # The header's 559 / 40 / 519 total the bullets: checked, not added again.
    assert post.warnings == ["sub-count not made a line: 'понад 300 із них - \"шахеди\"'"]
    assert post.unparsed == []


def test_a_count_not_tied_to_a_weapon_goes_to_unparsed() -> None:
    text = (
        "У ніч на 27 грудня противник атакував 40 крилатими ракетами Х-101 та 519 ударними "
        "БпЛА.\nСтаном на 11:00 збито/подавлено 474 цілі:\n- 30 ракет;\n- 444 ворожі БпЛА."
    )
    post = parse_post(text, issued_at=datetime(2025, 12, 27, 9, tzinfo=UTC))
    assert post.unparsed == ["30 ракет;"]
    assert [line["neutralized"] for line in post.report["lines"]] == [None, 444]


def test_split_shot_down_and_location_lost() -> None:
    text = (
        "У ніч на 9 грудня (з 19:00 8 грудня) противник атакував 50-ма ударними БпЛА типу Shahed "
        "та дронами-імітаторами.\nСтаном на 09:00 підтверджено збиття 23 ударних БпЛА; "
        "22 ворожі БпЛА – локаційно втрачені (без негативних наслідків)."
    )
    assert lines(text, datetime(2024, 12, 9, 7, tzinfo=UTC)) == [
        {
            "weapon": "drone",
            "model": "Shahed, дрони-імітатори",
            "launched": 50,
            "shot_down": 23,
            "suppressed": 22,
        }
    ]


def test_split_shot_down_and_ew_suppressed_in_one_sentence() -> None:
    text = (
        "У ніч на 4 липня (з 18:00 3 липня) противник атакував 539 ударними БпЛА та дронами-"
        "імітаторами і 11 ракетами Х-101.\nСтаном на 09:00 знешкоджено 478 засобів: 270 ворожих "
        "БпЛА збито вогневими засобами, 208 — локаційно втрачені/подавлені РЕБ."
    )
    report = parse_post(text, issued_at=datetime(2025, 7, 4, 6, tzinfo=UTC)).report
    [drone, cruise] = report["lines"]
    assert (drone["launched"], drone["shot_down"], drone["suppressed"]) == (539, 270, 208)
    assert (cruise["weapon"], cruise["launched"], cruise["neutralized"]) == (
        "cruise_missile",
        11,
        None,
    )


def test_missiles_only() -> None:
    text = (
        "У ніч на 5 березня (з 18:00 4 березня) противник атакував 2 ракетами Х-59/69, "
        "6 керованими авіабомбами та 4 ракетами Кинджал.\n"
        "Станом на 08:00 збито 1 ракету Х-59/69 та 4 Кинджали."
    )
    assert lines(text, datetime(2025, 3, 5, 6, tzinfo=UTC)) == [
        {"weapon": "cruise_missile", "model": "Х-59/69", "launched": 2, "shot_down": 1},
        {"weapon": "guided_bomb", "launched": 6},
        {"weapon": "ballistic_missile", "model": "Кинджал", "launched": 4, "shot_down": 4},
    ]


def test_drones_only_with_case_forms_and_a_broken_line() -> None:
    text = (
        "У ніч на 12 жовтня (із 20.00 11 жовтня) противник атакував \n"
        "118-та ударними БпЛА типу Shahed із напрямків: Курськ – рф, близько 50 із них- шахеди.\n"
        "Станом на 09.00 збито/подавлено 103 ворожі БпЛА."
    )
    assert lines(text, datetime(2025, 10, 12, 6, tzinfo=UTC)) == [
        {"weapon": "drone", "model": "Shahed", "launched": 118, "neutralized": 103}
    ]


def test_numerals_in_words_and_a_sentence_that_goes_on() -> None:
    text = (
        "У ніч на 20 серпня (з 18:00 19 серпня) противник атакував Київщину трьома балістичними "
        "ракетами Іскандер-М, двома баражуючими боєприпасами “Бандероль”. А також 168 ударними "
        "БпЛА типу Shahed.\nСтаном на 09:30 збито/подавлено 2 ракети Іскандер-М, два "
        "баражуючі боєприпаси “Бандероль”, а також 145 ворожих БпЛА."
    )
    assert lines(text, datetime(2026, 8, 20, 7, tzinfo=UTC)) == [
        {"weapon": "ballistic_missile", "model": "Іскандер-М", "launched": 3, "neutralized": 2},
        {"weapon": "cruise_missile", "model": "Бандероль/Дань-Т", "launched": 2, "neutralized": 2},
        {"weapon": "drone", "model": "Shahed", "launched": 168, "neutralized": 145},
    ]


@pytest.mark.parametrize("apostrophe", ["'", "’", "ʼ"])
@pytest.mark.parametrize("dash", ["-", "–", "—"])
@pytest.mark.parametrize("space", [" ", "\u00a0"])
def test_apostrophe_dash_and_space_variants(apostrophe: str, dash: str, space: str) -> None:
    text = (
        f"У{space}ніч на 3 травня (з 18:00 2 травня) противник атакував п{apostrophe}ятьма "
        f"крилатими ракетами Х{dash}101 та 40{space}ударними БпЛА із напрямків: Курськ {dash} рф.\n"
        f"Станом на 08:00 збито/подавлено 5 крилатих ракет{space}Х-101, 30 БпЛА {dash} збито, "
        f"ще 6 {dash} локаційно втрачені."
    )
    post = parse_post(text, issued_at=datetime(2025, 5, 3, 6, tzinfo=UTC))
    assert [
        {key: value for key, value in line.items() if value is not None}
        for line in post.report["lines"]
    ] == [
        {"weapon": "cruise_missile", "model": "Х-101", "launched": 5, "neutralized": 5},
        {"weapon": "drone", "launched": 40, "shot_down": 30, "suppressed": 6},
    ]
    assert post.report["launch_areas"] == ["Курськ"]


def test_decoys_on_their_own_line() -> None:
    text = (
        "У ніч на 7 травня противник атакував 31 ударним БпЛА типу Shahed та 20 дронами-"
        "імітаторами типу Гербера.\nСтаном на 08:00 збито 25 ударних БпЛА. "
        "18 ворожих безпілотників-імітаторів - локаційно втрачені."
    )
    assert lines(text, datetime(2025, 5, 7, 6, tzinfo=UTC)) == [
        {"weapon": "drone", "model": "Shahed", "launched": 31, "shot_down": 25},
        {"weapon": "decoy", "model": "дрони-імітатори, Гербера", "launched": 20, "suppressed": 18},
    ]


def test_the_change_of_year() -> None:
    text = "У ніч на 1 січня (з 18:00 31 грудня) противник атакував 20 ударними БпЛА типу Shahed."
    report = parse_post(text, issued_at=datetime(2026, 1, 1, 6, tzinfo=UTC)).report
    assert (report["night"], report["window_start"]) == ("2026-01-01", "2025-12-31T16:00:00Z")


def test_a_figure_not_stated_is_null_never_zero() -> None:
    text = "У ніч на 26 вересня противник атакував 80 ударними БпЛА."
    report = parse_post(text, issued_at=MORNING).report
    [line] = report["lines"]
    assert (line["launched"], line["shot_down"], line["suppressed"], line["neutralized"]) == (
        80,
        None,
        None,
        None,
    )
    assert (report["hit_locations"], report["debris_locations"], report["window_start"]) == (
        None,
        None,
        None,
    )


def test_main_directions_give_affected_regions() -> None:
    text = (
        "У ніч на 26 вересня противник атакував 80 ударними БпЛА.\n"
        "Основний напрямок удару – Київщина, Харківщина та Одещина."
    )
    report = parse_post(text, issued_at=MORNING).report
    assert report["main_targets"] == ["Київщина", "Харківщина", "Одещина"]
    assert report["affected_regions"] == ["UA-32", "UA-63", "UA-51"]


def test_issued_at_url_and_id() -> None:
    text = "У ніч на 26 вересня противник атакував 80 ударними БпЛА. Станом на 08:00 збито 70 БпЛА."
    post = parse_post(text, issued_at=None, url="https://t.me/kpszsu/1")
    report = post.report
    assert report["issued_at"] == report["window_end"]  # the "станом на" time when not given
    assert report["url"] == "https://t.me/kpszsu/1"
    assert report["id"] == report_id(report["night"], text)
    assert re.fullmatch(r"kpszsu-2026-09-26-[0-9a-f]{16}", report["id"])
    assert parse_post(text + "\n", issued_at=None).report["id"] == report["id"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   \n", "empty"),
        ("я" * 20_001, "20000"),
        (42, "string"),
        (
            "Сьогодні у Києві сонячно, температура 20 градусів, вітер слабкий.",
            "not an Air Force night report",
        ),
        (
            "Last night Russia launched 100 drones and 5 missiles at Ukraine.",
            "not an Air Force night report",
        ),
        (
            "У ніч на 22 вересня противник атакував Україну ударними БпЛА. Деталі згодом.",
            "no count",
        ),
    ],
)
def test_what_is_not_a_report(text: object, message: str) -> None:
    with pytest.raises(PostError, match=message) as raised:
        parse_post(text)
    assert str(raised.value).startswith("text: ")
