# ruff: noqa: RUF001
"""Normalizing a post (backend/domain/kpszsu/text.py): spellings, numerals, sentences."""

from __future__ import annotations

import pytest

from backend.domain.kpszsu.text import normalize, units


@pytest.mark.parametrize(
    ("raw", "plain"),
    [
        ("179-ма засобами", "179 засобами"),
        ("559-ти засобів", "559 засобів"),
        ("118-та ударними", "118 ударними"),
        ("31-м ударним", "31 ударним"),
        ("трьома балістичними", "3 балістичними"),
        ("двома баражуючими", "2 баражуючими"),
        ("п’ятьма ракетами", "5 ракетами"),
        ("пʼятьма ракетами", "5 ракетами"),
        ("Х-101", "Х-101"),
        ("KN-23", "KN-23"),
        ("Курськ – рф — Орел", "Курськ - рф - Орел"),
        ("«Калібр» “Пародія”", '"Калібр" "Пародія"'),
        ("173\u00a0ударними\u202fБпЛА", "173 ударними БпЛА"),
    ],
)
def test_normalize(raw: str, plain: str) -> None:
    assert normalize(raw) == plain


def test_bullets_join_their_sentence_across_blank_lines() -> None:
    text = "Станом на 08:00 збито 3 цілі:\n\n– 1 ракету;\n\n• 2 БпЛА.\nЗафіксовано влучання."
    found = units(text)
    assert [(unit.text, unit.bullets) for unit in found] == [
        ("Станом на 08:00 збито 3 цілі:", ["1 ракету;", "2 БпЛА."]),
        ("Зафіксовано влучання.", []),
    ]


def test_sentences_split_and_a_broken_line_joined() -> None:
    text = "⚡️ ЗБИТО 5 БПЛА\nПротивник атакував \n5 ударними БпЛА. Станом на 09.00 збито 5."
    assert [unit.text for unit in units(text)] == [
        "ЗБИТО 5 БПЛА",
        "Противник атакував 5 ударними БпЛА.",
        "Станом на 09.00 збито 5.",
    ]


def test_rules_of_dashes_are_dropped() -> None:
    assert [unit.text for unit in units("А\n➖➖➖➖\nБ")] == ["А", "Б"]
