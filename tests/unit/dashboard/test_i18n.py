# ruff: noqa: RUF001
"""The language mechanism: choosing a language, the catalogs, formats and place names."""

from __future__ import annotations

from datetime import UTC, date, datetime
from importlib.resources import files

import pytest
from babel.messages.pofile import read_po

from dashboard.i18n import LANGUAGES, language_of, supported, texts


@pytest.mark.parametrize(
    ("query", "header", "expected"),
    [
        ("uk", "en-US,en;q=0.9", "uk"),
        ("en", "uk-UA", "en"),
        ("EN", None, "en"),
        (None, "uk-UA,uk;q=0.9,en;q=0.8", "uk"),
        (None, "de-DE,en;q=0.5,uk;q=0.8", "uk"),
        (None, "de-DE,uk;q=0", "en"),
        ("fr", "ru,uk;q=0.7", "uk"),
        (None, "not a header;;q=x", "en"),
        (None, None, "en"),
        ("", "", "en"),
    ],
)
def test_language_of_prefers_the_query_then_the_browser(
    query: str | None, header: str | None, expected: str
) -> None:
    assert language_of(query, header) == expected


def test_supported_reads_only_the_primary_subtag() -> None:
    assert supported("uk_UA") == "uk"
    assert supported("en-GB") == "en"
    assert supported("ru") is None
    assert supported("%%") is None


def _fields(text: str) -> set[str]:
    return {part.split("}")[0] for part in text.split("{")[1:]}


def test_every_ukrainian_message_is_translated_and_keeps_its_fields() -> None:
    path = files("dashboard").joinpath("locale/uk/LC_MESSAGES/messages.po")
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="uk")
    messages = [message for message in catalog if message.id]
    assert len(messages) > 80
    for message in messages:
        ids = [str(part) for part in (message.id if message.pluralizable else [message.id])]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), message.id
        for string in strings:
            assert _fields(str(string)) == _fields(ids[0]), message.id


def test_messages_and_plurals_per_language() -> None:
    uk, en = texts("uk"), texts("en")
    assert uk("Drones launched") == "Запущено дронів"
    assert en("Drones launched") == "Drones launched"
    assert uk("a message no catalog has") == "a message no catalog has"
    forms = [uk.plural("{n} region under alert", "{n} regions under alert", n) for n in (1, 3, 5)]
    assert forms == ["1 регіон під тривогою", "3 регіони під тривогою", "5 регіонів під тривогою"]
    assert en.plural("{n} region under alert", "{n} regions under alert", 1) == (
        "1 region under alert"
    )


def test_dates_times_and_numbers_follow_the_language_in_kyiv_time() -> None:
    uk, en = texts("uk"), texts("en")
    summer = datetime(2025, 7, 4, 0, 41, tzinfo=UTC)
    assert uk.time(summer) == en.time(summer) == "03:41"
    assert uk.date(date(2025, 7, 4)) == "4 липня 2025\u202fр."
    assert en.date(date(2025, 7, 4)) == "July 4, 2025"
    assert uk.offset(summer) == "UTC+03:00"
    assert en.offset(datetime(2025, 1, 4, tzinfo=UTC)) == "UTC+02:00"
    assert en.number(12345) == "12,345"
    assert uk.number(12345) == "12\u00a0345"
    assert en.percent(0.8765) == "87.6%"
    assert uk.percent(0.8765) == "87,6%"
    assert uk.number(None) == en.percent(None) == "—"


def test_place_names_come_from_the_gazetteer_in_the_language() -> None:
    uk, en = texts("uk"), texts("en")
    assert en.place("Kharkov") == "Kharkiv"
    assert uk.place("Kharkov") == "Харків"
    assert en.place("Odessa") == "Odesa"
    assert en.place("Київ") == "Kyiv"
    assert en.place("Somewhere unlisted") == "Somewhere unlisted"
    assert uk.place(None) is None
    assert uk.region("UA-63") == "Харківська область"
    assert uk.region("UA-63", short=True) == "Харківська"
    assert en.region("UA-63", short=True) == "Kharkiv"
    assert en.region("UA-43", short=True) == "Crimea"
    assert en.region("UA-99") == "UA-99"


def test_both_languages_load() -> None:
    assert {texts(lang).lang for lang in LANGUAGES} == {"uk", "en"}
