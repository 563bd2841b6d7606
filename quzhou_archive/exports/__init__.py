"""Downloads made from the whole archive: its articles (`articles.py`)
and its economic figures (`figures.py`) as data.

A build makes what each article file gives the downloads once (an
analyser's result, cached by the file's digest) and joins every
article's lines; the ID and URL, which are the file's path's and not its
bytes', are put in as the lines are joined. `csv_cells` is why the parts
join to the bytes a whole-file writer gives.
"""
from __future__ import annotations

import csv
import re


class _Lines(list):
    """Where a `csv.writer` puts its rows: each row's line as an item (the
    writer writes a row in one call), kept for the caller to take."""

    write = list.append


_LINES = _Lines()
_WRITER = csv.writer(_LINES, lineterminator="\r\n")     # its line end decides what is quoted


def csv_lines(rows) -> list[str]:
    """Rows of cells as CSV lines, each without its end: each cell quoted as
    `csv` quotes it in a whole row, so that parts joined by commas read as
    that row. (One writer serves every call: making one costs more than
    writing a row.)"""
    _LINES.clear()
    _WRITER.writerows(rows)
    lines = [line[:-2] for line in _LINES]
    _LINES.clear()
    return lines


def csv_cells(values: list) -> str:
    """Cells as one CSV line without its end (`csv_lines`)."""
    return csv_lines([values])[0]


_QUOTED = re.compile(r'[,"\r\n]')


def csv_cell(text: str) -> str:
    """One text as `csv_cells` writes it among others (a path or URL seldom
    needs quoting)."""
    return csv_cells([text, ""])[:-1] if _QUOTED.search(text) else text
