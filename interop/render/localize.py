"""Everything a notice says in one language: catalog wording and CLDR formatting (Babel).

Fixed wording, labels and code names come from the gettext catalog; country names, language
names, dates, times, durations, numbers and lists come from CLDR through Babel, never from
hand-written tables. Messages are "new style" (Jinja's term): placeholders are named
(``%(name)s``) and filled by the function, so data is escaped and translators may reorder them.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any, Final

from babel import Locale
from babel.dates import format_date, format_time, format_timedelta, get_timezone_gmt
from babel.lists import format_list
from babel.numbers import format_decimal
from markupsafe import Markup, escape

from interop.render.catalogs import Catalog, catalog
from interop.render.labels import FIELD_LABELS
from interop.render.schema_types import UNTRANSLATED_LISTS, local

# The CLDR locale whose names and formats a catalog's language uses, where the bare code
# means another variety: CLDR's "pt" is Brazilian, the EU's Portuguese is that of Portugal.
_CLDR_LOCALES: Final = {"pt": "pt_PT"}
_DURATION: Final = re.compile(
    r"^P(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)


class Localizer:
    """Wording and formatting for one language. Build through :func:`localizer`."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.catalog: Catalog = catalog(language)
        self.locale = Locale.parse(_CLDR_LOCALES.get(language, language))
        self.direction = "rtl" if self.locale.character_order == "right-to-left" else "ltr"
        # Formatted values by (schema type, text as written), filled by the view.
        self.values: dict[tuple[str, str], str] = {}
        self.values_html: dict[tuple[str, str], str] = {}
        self._labels: dict[str, str] = {}

    # --- catalog wording (the names Jinja's i18n extension and pybabel know) -------------

    def gettext(self, message: str, **variables: Any) -> Markup:
        return _fill(self.catalog.gettext(message), variables)

    def ngettext(self, singular: str, plural: str, n: int, **variables: Any) -> Markup:
        variables.setdefault("num", self.number(n))
        return _fill(self.catalog.ngettext(singular, plural, n), variables)

    def pgettext(self, context: str, message: str, **variables: Any) -> Markup:
        return _fill(self.catalog.pgettext(context, message), variables)

    def npgettext(
        self, context: str, singular: str, plural: str, n: int, **variables: Any
    ) -> Markup:
        variables.setdefault("num", self.number(n))
        translated = self.catalog.translations.npgettext(context, singular, plural, n)
        return _fill(translated, variables)

    def label(self, element_name: str) -> str:
        """The label of an element, by its local name."""
        english = FIELD_LABELS.get(element_name)
        return self.catalog.gettext(english) if english else element_name

    def label_html(self, element_name: str) -> str:
        """The label, escaped for HTML (cached: every notice asks for the same labels)."""
        html = self._labels.get(element_name)
        if html is None:
            html = self._labels[element_name] = str(escape(self.label(element_name)))
        return html

    def code(self, type_key: str, english: str) -> str:
        """A code's name: CLDR for countries and languages, else the catalog."""
        list_name = local(type_key)
        if list_name in UNTRANSLATED_LISTS:
            return english
        return self.catalog.pgettext(list_name, english)

    # --- CLDR formatting ----------------------------------------------------------------

    def country(self, code: str) -> str:
        return str(self.locale.territories.get(code.upper(), code))

    def language_name(self, code: str) -> str:
        return str(self.locale.languages.get(code, code))

    def date(self, value: date) -> str:
        return format_date(value, format="long", locale=self.locale)

    def datetime(self, value: datetime) -> str:
        # Shown in the time zone the document gives (the hour on a summons is the local
        # one), with that zone's offset, in the locale's own order of date and time.
        day = format_date(value, format="long", locale=self.locale)
        hour = format_time(value, format="short", tzinfo=value.tzinfo, locale=self.locale)
        zone = get_timezone_gmt(value, width="short", locale=self.locale) if value.tzinfo else ""
        pattern = str(self.locale.datetime_formats["long"]).replace("'", "")
        text = pattern.replace("{1}", day).replace("{0}", hour)
        return f"{text} ({zone})" if zone else text

    def duration(self, value: timedelta) -> str:
        return format_timedelta(value, threshold=2, locale=self.locale)

    def number(self, value: float | int) -> str:
        return format_decimal(value, locale=self.locale)

    def join(self, items: list[str]) -> str:
        return format_list(items, locale=self.locale) if items else ""


@cache
def localizer(language: str) -> Localizer:
    """The localizer of ``language`` (one per process and language)."""
    return Localizer(language)


def _fill(translated: str, variables: dict[str, Any]) -> Markup:
    # Catalog text is plain text, escaped like any other; the variables are document data,
    # which Markup's % operator escapes too.
    message = Markup.escape(translated)
    return message % variables if variables else message


def parse_duration(text: str) -> timedelta | None:
    """An ``xs:duration`` as a timedelta (years and months counted as 365 and 30 days)."""
    match = _DURATION.match(text.strip())
    if match is None or text.strip() in {"P", "PT"}:
        return None
    parts = {key: float(value) for key, value in match.groupdict().items() if value}
    days = parts.get("years", 0) * 365 + parts.get("months", 0) * 30 + parts.get("weeks", 0) * 7
    return timedelta(
        days=days + parts.get("days", 0),
        hours=parts.get("hours", 0),
        minutes=parts.get("minutes", 0),
        seconds=parts.get("seconds", 0),
    )
