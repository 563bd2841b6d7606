"""The raw pages as the site shows them: numbered as ingest numbers them."""
from __future__ import annotations

from pathlib import Path

from quzhou_archive.site import raw


def test_lines_are_numbered_as_ingest_reads_them_whatever_the_encoding(tmp_path):
    text = "衢州日报\r\n第一行\r\n\r\n第三行"
    for encoding, data in (("GB18030", text.encode("gb18030")), ("UTF-8", b"\xef\xbb\xbf" + text.encode("utf-8"))):
        lines, found = raw.decoded(tmp_path / "p.txt", data)
        assert lines == ["衢州日报", "第一行", "", "第三行"]
        page = raw.view_page("p.txt", lines, found)
        assert page.context["encoding"] == encoding
        assert page.context["lines"][1] == ("L2", 2, "第一行")


def test_a_file_ingest_refuses_is_still_shown():
    lines, encoding = raw.decoded(Path("p.txt"), b"")
    assert lines == [""] and encoding == "?"


def test_only_published_files_are_linked_at_their_first_line(tmp_path):
    (tmp_path / "001_ab.txt").write_text("x", encoding="utf-8")
    (tmp_path / "带 空格.txt").write_text("x", encoding="utf-8")
    (tmp_path / ".hidden").write_text("x", encoding="utf-8")
    published = raw.publishable(tmp_path)
    assert list(published) == ["001_ab.txt"]
    assert raw.source_link("001_ab.txt", [5, 17], published) == "raw/001_ab.txt.html?lines=5-17#L5"
    assert raw.source_link("001_ab.txt", None, published) == "raw/001_ab.txt.html"
    assert raw.source_link("002.txt", [1, 2], published) is None
    assert raw.publishable(tmp_path / "none") == {}
