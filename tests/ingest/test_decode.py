from pathlib import Path

import pytest

from quzhou_archive.errors import ArchiveError
from quzhou_archive.ingest.decode import decode_page
from tests.conftest import RAW_SAMPLES, raw_sample

UTF8_PAGE = raw_sample("headline_parts_with_spaces").read_text(encoding="utf-8")


@pytest.mark.parametrize("case", ["gb18030_encoded", "crlf_with_bom"])
def test_other_encodings_decode_to_the_same_text(case):
    text, _ = decode_page(Path(case), raw_sample(case).read_bytes())
    assert text == UTF8_PAGE


def test_gb18030_is_named_as_such():
    _, encoding = decode_page(Path("x"), raw_sample("gb18030_encoded").read_bytes())
    assert encoding == "gb18030"


def test_big5_traditional_page_decodes():
    text, encoding = decode_page(Path("x"), raw_sample("big5_traditional").read_bytes())
    assert encoding.startswith("big5")
    assert "本報訊" in text


def test_crlf_and_bom_are_gone():
    text, _ = decode_page(Path("x"), raw_sample("crlf_with_bom").read_bytes())
    assert "\r" not in text and not text.startswith("\ufeff")


@pytest.mark.parametrize(
    "data, message, line",
    [
        (b"", "empty file", None),
        (b"  \n\n \r\n", "empty file", None),
        (b"abc\n\x00\x01\x02binary", "binary file", 2),
        ("第一行\n第二行\n".encode("utf-8") + b"\xff\xfe\xfd\xfc" * 3 + "正文".encode("utf-8"), "undecodable", 3),
        (b"x" * (5 * 1024 * 1024), "too large", None),
    ],
)
def test_bad_input_names_the_problem_and_line(data, message, line):
    with pytest.raises(ArchiveError) as caught:
        decode_page(Path("page.txt"), data)
    error = caught.value
    assert message in error.message
    assert error.line == line
    assert str(error).startswith("page.txt")
    assert "\n" not in str(error)


SAME_PAGE = Path(__file__).resolve().parent.parent / "data" / "raw" / "same_page_twice"


def _fingerprint(path: Path) -> str:
    from quzhou_archive.ingest.decode import text_fingerprint

    return text_fingerprint(decode_page(path, path.read_bytes())[0])


def test_the_same_page_in_another_encoding_or_download_has_one_fingerprint():
    copies = sorted(SAME_PAGE.glob("*.txt"))
    assert len({p.read_bytes() for p in copies}) == 3          # three different files …
    assert len({_fingerprint(p) for p in copies}) == 1         # … one page


def test_a_changed_character_is_another_page():
    from quzhou_archive.ingest.decode import text_fingerprint

    text, _ = decode_page(SAME_PAGE / "a-utf8.txt", (SAME_PAGE / "a-utf8.txt").read_bytes())
    assert text_fingerprint(text) != text_fingerprint(text.replace("高屹", "高屹同志", 1))


def test_gb18030_with_emoji_and_private_use_is_accepted():
    data = raw_sample("gb18030_with_emoji_and_private_use").read_bytes()
    text, encoding = decode_page(Path("x"), data)
    assert encoding == "gb18030"
    assert text == data.decode("gb18030")
    assert "\ue000" in text and "🚄" in text and "ქართული" in text


@pytest.mark.parametrize(
    "case, line, message",
    [
        ("gb18030_cut_mid_character", 7, "cut short"),
        ("gb18030_byte_lost_mid_page", 5, "reads as GB18030 up to here"),
    ],
)
def test_damaged_gb18030_names_the_line_of_the_damage(case, line, message):
    with pytest.raises(ArchiveError) as caught:
        decode_page(Path("page.txt"), (RAW_SAMPLES / "damaged" / f"{case}.txt").read_bytes())
    assert caught.value.line == line
    assert message in caught.value.message


def test_utf8_cut_mid_character_names_the_last_line():
    data = raw_sample("headline_parts_with_spaces").read_bytes().rstrip()
    with pytest.raises(ArchiveError) as caught:
        decode_page(Path("page.txt"), data[:-1])
    assert caught.value.line == data.count(b"\n") + 1
    assert "cut short" in caught.value.message


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-32"])
def test_byte_order_marks_are_honoured(encoding):
    text = UTF8_PAGE.replace("\n", "\n🚄\ue000", 1)
    decoded, _ = decode_page(Path("x"), text.encode(encoding))
    assert decoded == text
