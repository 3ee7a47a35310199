# Ukrainian examples are Cyrillic on purpose, so confusable letters are expected.
# ruff: noqa: RUF002
"""The page's languages: which one a request wants, its messages, its dates and its place names.

How to use it (the live page, the report and any other page, e.g. /trends):

    from dashboard.i18n import texts, language_of

    lang = language_of(request.query_params.get("lang"), request.headers.get("accept-language"))
    t = texts(lang)                     # "uk" or "en"
    t("Drones launched")                # the message in that language ("Запущено дронів")
    t("last event {time}", time=...)    # placeholders are str.format fields, filled after lookup
    t.plural("{n} region", "{n} regions", 3)   # Ukrainian has three plural forms
    t.time(moment)                      # "03:41" in Kyiv time; t.date(night) "4 липня 2025 р."
    t.number(1234), t.percent(0.87)     # locale digits and separators
    t.region("UA-63"), t.region("UA-63", short=True)   # "Харківська область", "Харківська"
    t.place("Kharkov", "UA-63")         # the gazetteer's name: "Харків" / "Kharkiv"

Messages live in gettext catalogs, `dashboard/locale/<lang>/LC_MESSAGES/messages.po`, keyed by
the English text; translators edit those files (any PO editor works) and a message missing
from a catalog shows in English. The catalogs are read with Babel when first needed, so a
change shows after a restart without a compile step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from importlib.resources import files
from io import BytesIO
from typing import Any, Literal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import Translations

from backend.domain.gazetteer import find_city
from backend.domain.nights import KYIV
from backend.domain.regions import REGIONS, resolve_region

Lang = Literal["uk", "en"]
LANGUAGES: tuple[Lang, ...] = ("uk", "en")
# A browser that asks for neither gets English, the language most readers abroad share.
FALLBACK: Lang = "en"
# The name of each language in itself, for the toggle.
LANGUAGE_NAMES: dict[Lang, str] = {"uk": "Українська", "en": "English"}


def supported(value: str | None) -> Lang | None:
    """`value` as a supported language ("uk-UA" is "uk"), else None."""
    if not value:
        return None
    try:
        primary = Locale.parse(value.strip().replace("-", "_")).language
    except (ValueError, UnknownLocaleError):
        return None
    return primary if primary in LANGUAGES else None


def _accepted(header: str) -> list[str]:
    """The language tags of an Accept-Language header, most wanted first (q=0 left out)."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        name, _, weight = params.strip().partition("=")
        try:
            quality = float(weight) if name.strip() == "q" else 1.0
        except ValueError:
            quality = 0.0
        if tag.strip() and quality > 0:
            # Equal weights keep the browser's order.
            ranked.append((-quality, position, tag.strip()))
    return [tag for _, _, tag in sorted(ranked)]


def language_of(query: str | None, accept_language: str | None) -> Lang:
    """The language a request wants: `?lang=uk|en` first, else its Accept-Language, else English."""
    chosen = supported(query)
    if chosen is not None:
        return chosen
    wanted = (supported(tag) for tag in _accepted(accept_language or ""))
    return next((lang for lang in wanted if lang is not None), FALLBACK)


def _catalog(lang: Lang) -> Translations:
    source = files("dashboard").joinpath(f"locale/{lang}/LC_MESSAGES/messages.po")
    with source.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    # Babel's Translations reads compiled catalogs: compile in memory, no .mo file to go stale.
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


@dataclass(frozen=True)
class Texts:
    """Everything language-dependent the pages show, for one language."""

    lang: Lang
    _messages: Translations = field(repr=False, compare=False)

    def __call__(self, message: str, /, **values: Any) -> str:
        """The message in this language; `values` fill its `{name}` fields."""
        # gettext("") is the catalog's header: an empty text stays empty.
        translated = self._messages.gettext(message) if message else message
        return translated.format(**values) if values else translated

    def plural(self, singular: str, plural: str, n: int, /, **values: Any) -> str:
        """The form for `n` (`{n}` is filled in, with the other `values`)."""
        return self._messages.ngettext(singular, plural, n).format(n=self.number(n), **values)

    def number(self, value: float | None, *, digits: int = 0) -> str:
        """A number with this language's separators; "—" for None (not reported)."""
        if value is None:
            return "—"
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, format=pattern, locale=self.lang)

    def percent(self, rate: float | None) -> str:
        """A rate as a percentage with one decimal; "—" for None (no rate yet)."""
        if rate is None:
            return "—"
        return format_percent(rate, format="#,##0.0%", locale=self.lang)

    def time(self, moment: datetime, *, seconds: bool = False) -> str:
        """A moment as the Kyiv clock shows it: "03:41"."""
        pattern = "HH:mm:ss" if seconds else "HH:mm"
        return format_time(moment, pattern, tzinfo=KYIV, locale=self.lang)

    def date(self, day: date, *, form: str = "long") -> str:
        """A date in this language ("4 July 2025", "4 липня 2025 р."); `form` is Babel's."""
        return format_date(day, form, locale=self.lang)

    def moment(self, moment: datetime, *, form: str = "d MMM, HH:mm") -> str:
        """A date and time in Kyiv time; `form` is a CLDR pattern."""
        return format_datetime(moment, form, tzinfo=KYIV, locale=self.lang)

    def offset(self, moment: datetime) -> str:
        """Kyiv's UTC offset at `moment`, as "UTC+03:00"."""
        return format_datetime(moment, "'UTC'xxx", tzinfo=KYIV, locale=self.lang)

    def region(self, code: str, *, short: bool = False) -> str:
        """A region's name by ISO code ("UA-63"); `short` drops "oblast" (map labels)."""
        region = REGIONS.get(code)
        if region is None:
            return code
        if self.lang == "uk":
            name = region.name_uk
            return name.removesuffix(" область") if short else name
        if short:
            return region.name_en.removesuffix(" oblast").replace("Autonomous Republic of ", "")
        return region.name_en

    def place(self, name: str | None, region: str | None = None) -> str | None:
        """A posted place name as the gazetteer spells it in this language, else as posted."""
        if not name:
            return name
        city = find_city(name, region)
        if city is not None:
            return city.name_uk if self.lang == "uk" and city.name_uk else city.name
        code = resolve_region(name)
        return self.region(code) if code is not None else name


@cache
def texts(lang: Lang) -> Texts:
    """The texts of one language (read once per process)."""
    return Texts(lang, _catalog(lang))
