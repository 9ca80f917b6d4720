"""Reading and writing CSV sheets, independent of any model.

Sheets come from spreadsheets: UTF-8 with or without a BOM, `,` or `;`
between cells (a French Excel writes `;`), stray spaces around cells, blank
lines. Every row keeps the line it started on in the file (the header is line
1) so that errors point at what the person sees in their editor.
"""

import csv
import io
import itertools
import re
import sys

import tablib

DELIMITERS = (",", ";")
# What spreadsheet programs read as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A number is no formula: `-5` stays `-5`, so number columns read as numbers.
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


class SheetError(ValueError):
    """The file cannot be read as a sheet at all (encoding, empty, header)."""


class Sheet(tablib.Dataset):
    """A tablib Dataset that remembers the file line each row started on."""

    def __init__(self, headers, rows=(), lines=()):
        super().__init__(*rows, headers=headers)
        self.lines = list(lines)

    def line_of(self, row_number):
        """The file line of the 1-based row number django-import-export reports."""
        return self.lines[row_number - 1]


def _text_stream(file):
    """A text stream over str, bytes, or a binary file object; `utf-8-sig`
    drops a BOM when there is one and reads plain UTF-8 otherwise."""
    if isinstance(file, str):
        return io.StringIO(file.removeprefix("\ufeff"), newline="")
    if isinstance(file, (bytes, bytearray)):
        file = io.BytesIO(file)
    return io.TextIOWrapper(file, encoding="utf-8-sig", newline="")


def read_sheet(file):
    """The header (a list of names) and an iterator of (line, cells) for the
    data rows, cells stripped, blank rows skipped. Reads lazily: a 100k-row
    sheet is never held in memory whole."""
    text = _text_stream(file)
    try:
        first = text.readline()
    except UnicodeDecodeError:
        raise SheetError("The file is not UTF-8 text.")
    if not first.strip():
        raise SheetError("The file is empty: the first line must name the columns.")
    # The header names the columns, so whichever separator it uses more is the one.
    delimiter = max(DELIMITERS, key=first.count)
    reader = csv.reader(itertools.chain([first], text), delimiter=delimiter)
    header = [cell.strip() for cell in next(reader)]
    return header, _rows(reader)


def sheet_row_count(data):
    """How many data rows a sheet's bytes hold (blank ones left out)."""
    _, rows = read_sheet(data)
    return sum(1 for _ in rows)


def _rows(reader):
    end = 1
    while True:
        start = end + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError:
            raise SheetError(f"The file is not UTF-8 text (near line {start}).")
        except csv.Error as error:
            raise SheetError(f"Line {start} cannot be read: {error}.")
        end = reader.line_num
        if any("\x00" in cell for cell in cells):
            # PostgreSQL text cannot hold NUL: refused here on every database alike.
            raise SheetError(f"Line {start} contains a NUL character; nothing was imported.")
        cells = [cell.strip() for cell in cells]
        if any(cells):
            yield start, cells


def sheet_chunks(header, rows, size):
    """Sheets of at most `size` rows, each row padded or cut to the header."""
    width = len(header)
    while True:
        batch = list(itertools.islice(rows, size))
        if not batch:
            return
        yield Sheet(
            header,
            rows=[(cells + [""] * width)[:width] for _, cells in batch],
            lines=[line for line, _ in batch],
        )


def whole_sheet(file):
    """The whole file as one Sheet (the admin's import screens want one Dataset)."""
    header, rows = read_sheet(file)
    return next(sheet_chunks(header, rows, size=sys.maxsize), Sheet(header))


def neutralise_formula(cell):
    """A cell as exported: one a spreadsheet would run as a formula gets a
    leading `'`, which spreadsheets show as text. So does one that already
    starts with quotes before such a character, so that restore_formula() gives
    back exactly what was written."""
    if isinstance(cell, str) and cell.lstrip("'").startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def restore_formula(text):
    """A cell as imported: the `'` neutralise_formula() added taken off again."""
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return text[1:]
    return text


# The first characters of a cell neutralise_formula() may change: most cells
# start otherwise and are written without a call (100k rows have 2M cells).
_MAYBE_FORMULA = frozenset("'" + "".join(FORMULA_STARTS))


def text_cell(cell):
    """A text column's cell as written: blank for None, str() of a number (a
    shot's frames), a formula neutralised."""
    if cell.__class__ is not str:
        if cell is None:
            return ""
        cell = str(cell)
    return neutralise_formula(cell) if cell[:1] in _MAYBE_FORMULA else cell


# What makes csv.writer (the excel dialect, minimal quoting) quote a cell.
_QUOTED = re.compile(r'[,"\r\n]')


def csv_cell(cell):
    """One text cell as csv.writer (the excel dialect, minimal quoting) writes
    it among others: quoted when it holds a comma, a quote or a line break."""
    return '"' + cell.replace('"', '""') + '"' if _QUOTED.search(cell) else cell


def csv_cells(cells):
    """Text cells as csv.writer writes them in a line of several cells,
    joined by commas, with no line end: the parts of a line written once and
    reused (written_lines)."""
    return ",".join(map(csv_cell, cells))


def written_lines(header, lines, rows_per_chunk=1000):
    """The sheet as text chunks of `rows_per_chunk` lines, for a kind that
    writes its lines itself (each ending with csv.writer's "\r\n"), from
    parts written once through csv_cells(): the bytes csv_lines() gives."""
    lines = iter(lines)
    yield csv_cells(header) + "\r\n"
    while batch := "".join(itertools.islice(lines, rows_per_chunk)):
        yield batch


def csv_lines(header, rows, text_columns=None, rows_per_chunk=1000):
    """The sheet as text chunks of `rows_per_chunk` rows, for a streaming
    answer: csv.writer (the quoting of spreadsheets) on a buffer emptied after
    each chunk. `text_columns`: the indexes of the columns written through
    text_cell() (None: all of them); the others are written already (hours
    and dates by their widget, cells a kind wrote once through text_cell()).
    Most rows need no change, and are handed to the writer as they are."""
    # An iterator, not any iterable: islice() would restart an iterable (a
    # tqdm bar) at every chunk and the sheet would end after the second.
    rows = iter(rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    text = tuple(range(len(header)) if text_columns is None else text_columns)
    maybe = _MAYBE_FORMULA
    while True:
        batch = list(itertools.islice(rows, rows_per_chunk))
        if not batch:
            break
        for index, row in enumerate(batch):
            for column in text:
                cell = row[column]
                if cell.__class__ is str and cell[:1] not in maybe or cell is None:
                    continue
                row = list(row)
                for column in text:
                    row[column] = text_cell(row[column])
                batch[index] = row
                break
        writer.writerows(batch)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()  # the header of a sheet without rows
