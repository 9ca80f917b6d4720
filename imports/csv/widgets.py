"""django-import-export widgets for the cell formats of §9: text kept as
written (`001` stays `001`), whole numbers, hours stored as seconds, and
YYYY-MM-DD dates. A bad cell raises ValueError with a message for the person
who wrote the sheet; the Resource files it under the cell's column."""

import datetime
import functools
from decimal import Decimal, InvalidOperation

from import_export import widgets
from import_export.fields import Field

from imports.csv.sheets import restore_formula

SECONDS_PER_HOUR = 3600


class TextWidget(widgets.Widget):
    """Never a number: names and codes travel as the sheet wrote them (less
    the `'` an export puts before what would read as a formula)."""

    # An export writes the cell as text (imports.csv.sheets.text_cell): blank
    # for None, str() otherwise, a formula neutralised.
    is_text = True

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        text = value.strip() if value.__class__ is str else str(value).strip()
        # Only a cell starting with `'` may be a neutralised formula.
        return restore_formula(text) if text[:1] == "'" else text

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


def text(attribute, column):
    """A text column: `attribute` of the row, written under `column`."""
    return Field(attribute=attribute, column_name=column, widget=TextWidget())


def _number(text):
    """A decimal number, `,` accepted as the decimal mark (`;` sheets use it)."""
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"'{text}' is not a number.")


class WholeNumberWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        text = super().clean(value)
        if not text:
            return None
        number = _number(text)
        if number != number.to_integral_value():
            raise ValueError(f"'{text}' is not a whole number.")
        return int(number)


class HoursWidget(TextWidget):
    """Hours in the sheet, seconds in the database (Task.duration, estimation)."""

    is_text = False  # render() writes a number

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value)
        if not text:
            return 0
        hours = _number(text)
        if hours < 0:
            raise ValueError(f"'{text}' is negative: give a number of hours.")
        return round(hours * SECONDS_PER_HOUR)

    def render(self, value, obj=None, **kwargs):
        # Six decimals bring any whole number of seconds back exactly: 1000 s
        # is 0.277778 h, and 0.277778 × 3600 rounds to 1000 again.
        text = f"{(value or 0) / SECONDS_PER_HOUR:.6f}".rstrip("0").rstrip(".")
        return text or "0"


@functools.lru_cache(maxsize=4096)
def _day(text):
    """A YYYY-MM-DD cell as a date: the days of a sheet repeat, each is read once."""
    try:
        return datetime.datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise ValueError(f"'{text}' is not a date: write it YYYY-MM-DD.")


class DateWidget(TextWidget):
    is_text = False  # render() writes YYYY-MM-DD

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value)
        if not text:
            return None
        return _day(text)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, str):
            return value  # a day as SQLite gives it to a raw query: YYYY-MM-DD
        if isinstance(value, datetime.datetime):
            value = value.astimezone(datetime.UTC).date()
        return value.isoformat()
