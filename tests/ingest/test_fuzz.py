"""Random and mutated pages through ingest: never a traceback; either articles
or one line per problem naming the file; and what is accepted is not lost.

The pages start from the real samples (tests/data/raw and the bundled raw/)
and are damaged the ways files are: bytes inserted, lost or replaced, lines
doubled or dropped, encodings mixed, files cut short, NULs, huge lines.
Hypothesis runs derandomized, so every run tries the same pages."""
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quzhou_archive.ingest import ingest
from quzhou_archive.ingest.decode import decode_page
from tests.conftest import BUNDLED_RAW, RAW_SAMPLES
from tests.ingest.test_nothing_lost import accounted_for, characters

SEEDS = [p.read_bytes() for p in sorted(RAW_SAMPLES.glob("*.txt")) + sorted(BUNDLED_RAW.glob("*.txt"))]
FUZZ = settings(derandomize=True, max_examples=70, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

_ENCODINGS = ["gb18030", "big5hkscs", "utf-16", "utf-8-sig", "latin-1"]
_CHARS = st.characters(codec="utf-8", exclude_categories=["Cs"])


@st.composite
def mutation(draw, data: bytes) -> bytes:
    at = draw(st.integers(0, len(data)))
    kind = draw(st.sampled_from(["insert", "delete", "replace", "line twice", "line lost", "reencode",
                                 "truncate", "nul", "huge line", "text"]))
    if kind == "insert":
        return data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
    if kind == "delete":
        return data[:at] + data[at + draw(st.integers(1, 4)):]
    if kind == "replace":
        return data[:at] + draw(st.binary(min_size=1, max_size=1)) + data[at + 1:]
    lines = data.split(b"\n")
    k = draw(st.integers(0, len(lines) - 1))
    if kind == "line twice":
        return b"\n".join(lines[:k + 1] + lines[k:])
    if kind == "line lost":
        return b"\n".join(lines[:k] + lines[k + 1:])
    if kind == "reencode":   # one line, or the whole page, in another encoding
        text = lines[k].decode("utf-8", errors="replace")
        lines[k] = text.encode(draw(st.sampled_from(_ENCODINGS)), errors="replace")
        return b"\n".join(lines) if draw(st.booleans()) else data.decode("utf-8", "replace").encode(
            draw(st.sampled_from(_ENCODINGS)), errors="replace")
    if kind == "truncate":
        return data[:at]
    if kind == "nul":
        return data[:at] + b"\x00" + data[at:]
    if kind == "huge line":
        unit = draw(st.sampled_from(["衢州", "x", "，", "、常山", " "])).encode("utf-8")
        return data[:at] + unit * draw(st.integers(1000, 60000)) + data[at:]
    return data[:at] + draw(st.text(_CHARS, max_size=80)).encode("utf-8") + data[at:]


@st.composite
def damaged_pages(draw) -> bytes:
    data = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 4))):
        data = draw(mutation(data))
    return data


def _ingest(data: bytes):
    with tempfile.TemporaryDirectory() as folder:
        page, out, err = Path(folder) / "page.txt", Path(folder) / "out", io.StringIO()
        page.write_bytes(data)
        report = ingest([str(page)], out, err)
        return page, report, err.getvalue(), (accounted_for(out) if report.ok else None)


def _check(data: bytes) -> None:
    page, report, messages, found = _ingest(data)
    for line in messages.splitlines():
        assert line.startswith(f"{page}"), f"a message that does not name the file: {line!r}"
    if not report.ok:
        assert report.failed == 1 and len(messages.splitlines()) == 1
        return
    text, _ = decode_page(page, data)
    raw = characters(text)
    lost = sum((raw - found).values())
    assert lost <= 0.01 * sum(raw.values()), f"{lost} of {sum(raw.values())} characters lost"


@FUZZ
@given(damaged_pages())
def test_damaged_pages_give_articles_or_one_line_naming_the_file(data):
    _check(data)


@settings(FUZZ, max_examples=25)
@given(st.binary(max_size=3000) | st.text(_CHARS, max_size=1500).map(lambda t: t.encode("utf-8")))
def test_random_bytes_and_text_give_articles_or_one_line_naming_the_file(data):
    _check(data)
