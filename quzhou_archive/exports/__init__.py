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
import io
import re


def csv_cells(values: list) -> str:
    """Cells as one CSV line without its end: each quoted as `csv` quotes it
    in a whole row, so that parts joined by commas read as that row."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(values)   # its line end decides what is quoted
    return out.getvalue()[:-2]


_QUOTED = re.compile(r'[,"\r\n]')


def csv_cell(text: str) -> str:
    """One text as `csv_cells` writes it among others (a path or URL seldom
    needs quoting)."""
    return csv_cells([text, ""])[:-1] if _QUOTED.search(text) else text
