"""The sheet reader and the cell widgets: pure functions, table tests."""

import csv
import datetime
import io

import pytest
from tqdm import tqdm

from imports.csv.sheets import SheetError, csv_cell, csv_cells, csv_lines, read_sheet, sheet_chunks, written_lines
from imports.csv.widgets import DateWidget, HoursWidget, WholeNumberWidget


def rows_of(content):
    header, rows = read_sheet(content)
    return header, list(rows)


@pytest.mark.parametrize(
    ("content", "header", "rows"),
    [
        ("A,B\n1,2\n", ["A", "B"], [(2, ["1", "2"])]),
        ("A;B\n1,5;2\n", ["A", "B"], [(2, ["1,5", "2"])]),
        (b"\xef\xbb\xbfA,B\r\n1,2\r\n", ["A", "B"], [(2, ["1", "2"])]),
        ("\ufeffA,B\n1,2\n", ["A", "B"], [(2, ["1", "2"])]),
        # Blank rows are skipped but counted; a quoted cell may span lines.
        ('A,B\n\n,\n"x\ny",2\n 3 , 4 \n', ["A", "B"], [(4, ["x\ny", "2"]), (6, ["3", "4"])]),
    ],
    ids=["comma", "semicolon", "bom-bytes", "bom-text", "lines"],
)
def test_read_sheet(content, header, rows):
    assert rows_of(content) == (header, rows)


@pytest.mark.parametrize(
    ("content", "message"),
    [("", "The file is empty"), ("\n\n", "The file is empty"), (b"A\n\xff\n", "not UTF-8")],
)
def test_unreadable_sheets(content, message):
    with pytest.raises(SheetError, match=message):
        rows_of(content)


def test_chunks_pad_and_cut_rows_and_keep_lines():
    header, rows = read_sheet("A,B\n1\n2,3,4\n5,6\n")
    chunks = list(sheet_chunks(header, rows, size=2))
    assert [chunk.dict for chunk in chunks] == [[{"A": "1", "B": ""}, {"A": "2", "B": "3"}], [{"A": "5", "B": "6"}]]
    assert [chunk.lines for chunk in chunks] == [[2, 3], [4]]
    assert chunks[1].line_of(1) == 4


def test_csv_lines_quote_what_needs_it():
    text = "".join(csv_lines(["Name", "Description"], iter([["001", 'say "hi", then\nleave'], ["a;b", ""]])))
    assert text == 'Name,Description\r\n001,"say ""hi"", then\nleave"\r\na;b,\r\n'
    assert rows_of(text)[1] == [(2, ["001", 'say "hi", then\nleave']), (4, ["a;b", ""])]


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("40", 144000), ("1.5", 5400), ("1,5", 5400), ("0.277778", 1000), ("", 0), (" 2 ", 7200)],
)
def test_hours(text, seconds):
    assert HoursWidget().clean(text) == seconds


@pytest.mark.parametrize("seconds", [0, 1, 1000, 5400, 144000, 86399, 3601])
def test_hours_render_back_exactly(seconds):
    widget = HoursWidget()
    assert widget.clean(widget.render(seconds)) == seconds


@pytest.mark.parametrize(
    ("widget", "text", "message"),
    [
        (HoursWidget(), "-1", "'-1' is negative"),
        (HoursWidget(), "ten", "'ten' is not a number."),
        (WholeNumberWidget(), "1.5", "'1.5' is not a whole number."),
        (DateWidget(), "2017-02-30", "'2017-02-30' is not a date: write it YYYY-MM-DD."),
        (DateWidget(), "19/03/2017", "'19/03/2017' is not a date"),
    ],
)
def test_bad_cells(widget, text, message):
    with pytest.raises(ValueError, match=message):
        widget.clean(text)


def test_dates_and_numbers():
    assert WholeNumberWidget().clean("0100") == 100
    assert WholeNumberWidget().clean("") is None
    assert DateWidget().clean("2017-03-19") == datetime.date(2017, 3, 19)
    start = datetime.datetime(2017, 3, 20, 23, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=-2)))
    assert DateWidget().render(start) == "2017-03-21"  # the day in UTC, as stored


def test_csv_lines_write_every_row_of_a_progress_bar():
    """manage.py export_csv -o wraps the rows in a tqdm bar, an iterable that
    islice() would restart at every chunk: the file ended after two chunks."""
    rows = tqdm(([str(n)] for n in range(5)), file=io.StringIO())
    assert "".join(csv_lines(["N"], rows, rows_per_chunk=2)) == "N\r\n0\r\n1\r\n2\r\n3\r\n4\r\n"


def test_csv_lines_write_text_cells_as_text_and_neutralise_formulas():
    rows = iter([("=1+1", -5, None, "2026-01-02"), ("'@x", 2.5, "", "=kept: not a text column")])
    text = "".join(csv_lines(["A", "B", "C", "D"], rows, text_columns=[0, 1, 2]))
    assert text == "A,B,C,D\r\n'=1+1,-5,,2026-01-02\r\n''@x,2.5,,=kept: not a text column\r\n"


@pytest.mark.parametrize(
    "cells",
    [
        ("plain", "", "two words"),
        ("a,b", 'say "hi"', "line\nbreak", "cr\rhere", "crlf\r\nend"),
        ("", "", ""),
        (" lead and trail ", "é ✨", "'=quoted", "tab\tinside", ";semi"),
    ],
)
def test_written_cells_are_what_csv_writer_writes(cells):
    """The tasks export writes its lines from parts (csv_cells) instead of
    csv.writer: the same bytes, quotes and line breaks included."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(cells)
    assert csv_cells(cells) + "\r\n" == buffer.getvalue()
    assert ",".join(csv_cell(cell) for cell in cells) == csv_cells(cells)


def test_written_lines_give_csv_lines_bytes():
    header = ["Name", "Note"]
    rows = [("a", 'b "c"'), ("x,y", ""), ("", "line\nbreak")]
    lines = [csv_cells(row) + "\r\n" for row in rows]
    assert "".join(written_lines(header, lines, rows_per_chunk=2)) == "".join(csv_lines(header, rows))
    assert list(written_lines(header, [])) == ["Name,Note\r\n"]
