"""The official alert record's rows as alerts and events: every rule on real rows.

The rows are copied from the shipped files (seeds/data/air_raid_sirens_*.csv, line numbers
given) and from the dataset's Ukrainian twin (official_data_uk.csv, same alerts).
"""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

import pytest

from backend.domain.alert_history import (
    PART_OF_OBLAST,
    AlertFileError,
    HistoryAlert,
    convert,
    parse_alert,
    read_rows,
)
from backend.domain.schemas import EventIn

HEADER = "oblast,raion,hromada,level,started_at,finished_at,source\n"
# official file, line 2: a whole-oblast alert
VINNYTSIA = "Vinnytska oblast,,,oblast,2022-03-15 16:10:34+00:00,2022-03-15 16:50:07+00:00,official"
# line 4: a hromada
UMAN = (
    "Cherkaska oblast,Umanskyi raion,Umanska terytorialna hromada,hromada,"
    "2022-03-15 16:11:50+00:00,2022-03-15 16:54:47+00:00,official"
)
# line 18: oblast and raion swapped
SWAPPED = (
    "Lubenskyi raion,Poltavska oblast,Hrebinkivska terytorialna hromada,hromada,"
    "2022-03-15 16:46:43+00:00,2022-03-15 16:58:17+00:00,official"
)
# line 21: a raion
NIZHYN = (
    "Chernihivska oblast,Nizhynskyi raion,,raion,"
    "2022-03-15 16:54:51+00:00,2022-03-15 17:02:45+00:00,official"
)
# merged file, line 1107: 604 days merged, and line 19954: Kyiv City on the demo night
KHARKIV_LONG = (
    "Kharkivska oblast,,,oblast,2024-05-12 05:26:03+00:00,2026-01-06 09:53:57+00:00,"
    '"official, merged per oblast"'
)
KYIV_NIGHT = (
    "Kyiv City,,,oblast,2025-07-03 17:00:32+00:00,2025-07-04 01:50:12+00:00,"
    '"official, merged per oblast"'
)
# the Ukrainian twin: Kyiv City's line 13 and the swapped line 18
KYIV_UK = "м. Київ,,,oblast,2022-03-15 16:19:20+00:00,2022-03-15 18:52:28+00:00,official"
KYIV_EN = "Kyiv City,,,oblast,2022-03-15 16:19:20+00:00,2022-03-15 18:52:28+00:00,official"
SWAPPED_UK = (
    "Лубенський район,Полтавська область,Гребінківська територіальна громада,hromada,"
    "2022-03-15 16:46:43+00:00,2022-03-15 16:58:17+00:00,official"
)


def alert_of(line: str) -> HistoryAlert:
    """One row of the file format, parsed."""
    [(number, record)] = list(read_rows(io.StringIO(HEADER + line + "\n")))
    assert isinstance(record, dict)
    return parse_alert(number, record)


def test_an_oblast_level_row_is_a_whole_oblast_alert() -> None:
    alert = alert_of(VINNYTSIA)
    assert (alert.region, alert.area) == ("UA-05", None)
    assert alert.started_at == datetime(2022, 3, 15, 16, 10, 34, tzinfo=UTC)
    assert alert.finished_at == datetime(2022, 3, 15, 16, 50, 7, tzinfo=UTC)
    start, end = alert.events()
    assert start == {
        "id": f"{alert.id_stem}-s",
        "kind": "alert_start",
        "occurred_at": "2022-03-15T16:10:34Z",
        "region": "UA-05",
        "source": "air raid sirens dataset, official",
    }
    assert end["kind"] == "alert_end"
    assert end["occurred_at"] == "2022-03-15T16:50:07Z"
    assert end["id"] == f"{alert.id_stem}-e"
    for event in (start, end):
        EventIn.model_validate(event)


def test_raion_and_hromada_rows_are_local_alerts_named_by_their_area() -> None:
    assert (alert_of(NIZHYN).region, alert_of(NIZHYN).area) == ("UA-74", "Nizhynskyi raion")
    uman = alert_of(UMAN)
    assert (uman.region, uman.area) == ("UA-71", "Umanska terytorialna hromada")
    assert all(event["area"] == uman.area for event in uman.events())


def test_swapped_oblast_and_raion_are_understood_in_both_languages() -> None:
    english, ukrainian = alert_of(SWAPPED), alert_of(SWAPPED_UK)
    assert (english.region, english.area) == ("UA-53", "Hrebinkivska terytorialna hromada")
    assert (ukrainian.region, ukrainian.area) == ("UA-53", "Гребінківська територіальна громада")


def test_a_merged_interval_over_24_hours_is_part_of_the_oblast() -> None:
    long = alert_of(KHARKIV_LONG)
    assert (long.region, long.area) == ("UA-63", PART_OF_OBLAST)
    night = alert_of(KYIV_NIGHT)
    assert (night.region, night.area) == ("UA-30", None)  # 8 h 50 min: the whole city
    # The raw file's long oblast-level alerts stay whole-oblast (Luhansk, line 926, 4 days).
    luhansk = alert_of(
        "Luhanska oblast,,,oblast,2022-03-24 11:28:27+00:00,2022-03-28 03:22:00+00:00,official"
    )
    assert (luhansk.region, luhansk.area) == ("UA-09", None)


def test_ids_are_stable_and_the_same_in_both_languages_for_a_whole_oblast() -> None:
    assert alert_of(KYIV_EN).events() != []
    assert alert_of(KYIV_UK).region == "UA-30"
    assert alert_of(KYIV_EN).id_stem == alert_of(KYIV_UK).id_stem
    assert alert_of(VINNYTSIA).id_stem == alert_of(VINNYTSIA).id_stem
    assert alert_of(VINNYTSIA).id_stem != alert_of(KYIV_EN).id_stem
    # A local alert's id names its area too: the same start elsewhere in the oblast differs.
    other = NIZHYN.replace("Nizhynskyi", "Prylutskyi")
    assert alert_of(NIZHYN).id_stem != alert_of(other).id_stem


def test_a_blank_end_is_an_alert_still_on() -> None:
    alert = alert_of(VINNYTSIA.replace("2022-03-15 16:50:07+00:00", ""))
    assert alert.finished_at is None
    assert [event["kind"] for event in alert.events()] == ["alert_start"]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (VINNYTSIA.replace("Vinnytska oblast", "Atlantis oblast"), "oblast: 'Atlantis oblast'"),
        (VINNYTSIA.replace(",oblast,", ",city,"), "level: 'city' is not one of"),
        (VINNYTSIA.replace("2022-03-15 16:10:34+00:00", "yesterday"), "started_at: 'yesterday'"),
        (VINNYTSIA.replace("16:50:07", "16:10:34"), "finished_at: 2022-03-15 16:10:34+00:00 is"),
        (NIZHYN.replace("Nizhynskyi raion", ""), "raion: a raion-level alert needs its raion"),
        (UMAN.replace("Umanska terytorialna hromada", ""), "hromada: a hromada-level alert"),
        (UMAN.replace("Umanska", "U" * 120), "hromada: 'UUUU"),
    ],
)
def test_a_bad_row_is_refused_naming_the_column(line: str, reason: str) -> None:
    with pytest.raises(ValueError, match=re.escape(reason)):
        alert_of(line)


def test_convert_reports_bad_rows_by_line_and_keeps_the_rest() -> None:
    text = (
        HEADER
        + "\n".join(
            [VINNYTSIA, "Kyiv City,,,oblast", UMAN, SWAPPED.replace("Poltavska oblast", "")]
        )
        + "\n"
    )
    result = convert(io.StringIO(text))
    assert result.rows == 4
    assert [alert.line for alert in result.alerts] == [2, 4]
    assert [(problem.line, problem.message[:9]) for problem in result.problems] == [
        (3, "4 fields,"),
        (5, "oblast: '"),
    ]
    assert result.events == 4


def test_convert_keeps_the_alerts_on_during_the_nights_asked_for() -> None:
    text = HEADER + "\n".join([VINNYTSIA, KHARKIV_LONG, KYIV_NIGHT]) + "\n"
    night = date(2025, 7, 4)
    result = convert(io.StringIO(text), first=night, last=night)
    assert [alert.region for alert in result.alerts] == ["UA-63", "UA-30"]
    assert result.outside == 1
    # The night of 2022-03-16 (12:00 15 March to 12:00 16 March Kyiv) holds Vinnytsia's.
    early = convert(io.StringIO(text), first=date(2022, 3, 16), last=date(2022, 3, 16))
    assert [alert.region for alert in early.alerts] == ["UA-05"]


def test_permanent_alerts_only_when_asked_for() -> None:
    text = HEADER + VINNYTSIA + "\n"
    assert [alert.region for alert in convert(io.StringIO(text)).alerts] == ["UA-05"]
    with_permanent = convert(io.StringIO(text), permanent=True)
    luhansk, crimea = with_permanent.alerts[1:]
    assert (luhansk.region, luhansk.area, luhansk.finished_at) == ("UA-09", None, None)
    assert luhansk.started_at == datetime(2022, 4, 4, 16, 45, tzinfo=UTC)
    assert crimea.region == "UA-43"
    assert crimea.started_at == datetime(2022, 12, 10, 22, 22, tzinfo=UTC)
    assert [event["kind"] for event in crimea.events()] == ["alert_start"]
    # A span ending before Crimea's began has Luhansk's only.
    span = convert(io.StringIO(text), permanent=True, last=date(2022, 6, 1))
    assert [alert.region for alert in span.alerts] == ["UA-05", "UA-09"]


def test_a_file_without_the_columns_is_refused() -> None:
    with pytest.raises(AlertFileError, match="missing columns level"):
        convert(io.StringIO("oblast,raion,hromada,started_at,finished_at,source\n"))
    with pytest.raises(AlertFileError, match="empty"):
        convert(io.StringIO(""))


def test_a_byte_order_mark_and_reordered_columns_are_read() -> None:
    text = "\ufeffsource,level,oblast,raion,hromada,started_at,finished_at\n"
    text += "official,oblast,Kyiv City,,,2022-03-15 16:19:20+00:00,2022-03-15 18:52:28+00:00\n"
    [alert] = convert(io.StringIO(text)).alerts
    assert alert.id_stem == alert_of(KYIV_EN).id_stem
