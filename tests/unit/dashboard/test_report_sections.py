"""The report's places table, alert minutes table and sources."""

from __future__ import annotations

from dashboard.i18n import texts
from dashboard.report_sections import (
    ReportSources,
    alert_minutes_table,
    places_table,
    sources_section,
)
from dashboard.state import fold_records
from tests.helpers.dashboard_records import NIGHT, RECORDS, record
from tests.helpers.report_records import report_record

EN, UK = texts("en"), texts("uk")


def test_places_of_one_city_are_one_row_named_in_the_language() -> None:
    state = fold_records(
        NIGHT,
        [
            record(1, "impact", count=2, city="Kyiv", region="UA-30", lat=50.45, lon=30.52),
            record(2, "debris", city="Kyiv", region="UA-30", lat=50.40, lon=30.60),
            record(3, "debris", city="Kharkov", region="UA-63", lat=49.99, lon=36.23),
            record(4, "shot_down", city="Odesa", region="UA-51", lat=46.48, lon=30.72),
        ],
    )
    table = places_table(state, UK)
    rows = table.split("<tbody>")[1]
    # Kyiv first (3 in all), then Kharkiv under its gazetteer name; a shoot-down is no row.
    assert rows.index("Київ") < rows.index("Харків")
    assert "Kharkov" not in table
    assert "Одеса" not in rows
    assert "<td>2</td><td>1</td>" in rows
    assert 'id="impact-places"' in table


def test_an_empty_night_says_so() -> None:
    assert "No impact or debris" in places_table(fold_records(NIGHT, []), EN)
    assert "No air-raid alert in the night&#x27;s window" in alert_minutes_table({}, EN)


def test_alert_minutes_longest_first_in_minutes_and_hours() -> None:
    table = alert_minutes_table({"UA-51": 30.0, "UA-63": 1440.0}, EN)
    assert table.index("Kharkiv oblast") < table.index("Odesa oblast")
    assert "<td>1,440.0</td><td>24.0</td>" in table
    assert "<td>1 440,0</td>".replace(" ", "\u00a0") in alert_minutes_table({"UA-63": 1440.0}, UK)


def test_sources_name_the_reports_with_issuer_time_and_link_and_the_event_sources() -> None:
    reports = [
        report_record(url="https://t.me/kpszsu/1"),
        report_record(id="af-2", issuer="air_command_south", issued_at="2025-01-10T07:00:00Z"),
    ]
    records = [*RECORDS, record(20, "launch", source="monitor channel")]
    sources = ReportSources.of(reports, records)
    # The retracted launch is no event of the night's.
    assert sources.events == {None: 8, "monitor channel": 1}
    html = sources_section(sources, EN)
    assert "Air Force, issued 4 July 2025, 09:00 (UTC+03:00)" in html
    assert '<a href="https://t.me/kpszsu/1" rel="noopener noreferrer">link</a>' in html
    # In winter Kyiv is UTC+2.
    assert "Air Command South, issued 10 January 2025, 09:00 (UTC+02:00)" in html
    assert html.index("no source given: 8 events") < html.index("monitor channel: 1 events")
    assert "Офіційного звіту немає" in sources_section(ReportSources(), UK)


def test_regions_outside_the_alert_record_are_named_as_unknown() -> None:
    table = alert_minutes_table({"UA-09": 600.0, "UA-63": 60.0}, EN)
    assert 'id="alert-minutes-unknown"' in table
    note = table.split('id="alert-minutes-unknown">')[1]
    assert "Crimea" in note
    assert "Sevastopol" in note
    assert "Luhansk" not in note  # its permanent alert was imported: its minutes are known
