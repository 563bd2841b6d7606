"""The whole archive as data: every record read back as a researcher
would read it, and held against the article files."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json

from quzhou_archive.exports import articles as export


META = {"title": "标题", "subtitle": None, "kicker": None, "date": "2024-11-30", "paper": "衢州日报", "page": 1,
        "counties": ["柯城区", "衢江区"], "topics": [], "authors": ["张三"], "photographers": [], "kind": "news",
        "photos": [{"caption": "说明,有逗号", "credit": "李四 摄"}], "source": {"file": "001.txt", "lines": [3, 9]},
        "ingest_digest": "sha256:00", "reviewed": dt.date(2025, 1, 2)}


def test_a_record_has_every_frontmatter_field_but_the_digest_and_the_text():
    rec = export.record("2024/11/30/a-01", dict(META), "第一段。\n\n## 小标题\n\n第二段。\n", "/arc/")
    assert rec["id"] == "2024/11/30/a-01" and rec["url"] == "/arc/articles/2024/11/30/a-01.html"
    assert "ingest_digest" not in rec and rec["reviewed"] == "2025-01-02"     # as JSON has it
    assert rec["text"] == "第一段。\n\n## 小标题\n\n第二段。"
    [line] = export.as_jsonl([rec]).splitlines()
    back = json.loads(line)
    assert back["reviewed"] == "2025-01-02" and back["source"] == {"file": "001.txt", "lines": [3, 9]}
    assert list(back)[:4] == ["id", "url", "title", "subtitle"] and list(back)[-1] == "text"


def test_the_csv_reads_back_with_lists_joined_and_the_rest_as_json():
    rec = export.record("a", dict(META), "一段,有逗号\n\n“两段”")
    text = export.as_csv([rec])
    assert text.startswith("\ufeff")
    [row] = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert tuple(row) == export.CSV_FIELDS
    assert row["counties"].split(export.LIST_SEPARATOR) == ["柯城区", "衢江区"]
    assert json.loads(row["photos"]) == META["photos"]
    assert row["source_file"] == "001.txt" and row["source_lines"] == "3-9"
    assert json.loads(row["extra"]) == {"reviewed": "2025-01-02"}
    assert row["subtitle"] == "" and row["page"] == "1" and row["text"] == "一段,有逗号\n\n“两段”"


def joined(items: list[tuple[str, dict, str]], base_url: str = "/") -> tuple[str, str]:
    """Both downloads as a build joins them from each file's parts."""
    both = [export.lines(aid, export.record_parts(meta, body), base_url) for aid, meta, body in items]
    return "".join(j for j, _ in both), export.CSV_HEADER + "".join(c for _, c in both)


def test_the_lines_joined_from_parts_are_the_bytes_of_the_whole_downloads():
    odd = [("2024/11/30/a-01", dict(META), "第一段。\n\n## 小标题\n\n第二段。\n"),
           ("b", {**META, "title": '引号"与,逗号', "page": None, "note": "行\r\n断开"}, "“两段”,\r\n有回车\n"),
           ("c", {"title": "一", "id": "own-id", "url": "http://x/"}, "自带 id 与 url 的文件"),
           ("d", {"title": "二", "counties": [], "extra_list": [1, 2.5, None]}, ""),
           ("e", {"title": "三", "text": "自带 text 的文件", "tail": 1}, "正文"), ("f", {}, "只有正文\n")]
    records = [export.record(aid, dict(meta), body, "/arc/") for aid, meta, body in odd]
    jsonl, table = joined(odd, "/arc/")
    assert jsonl == export.as_jsonl(records)
    assert table == export.as_csv(records)


def test_the_bundled_archive_joins_to_the_same_bytes():
    from quzhou_archive.pipeline.sources import load_articles
    from tests.conftest import ROOT

    items = [(a.id, a.meta, a.body) for a in sorted(load_articles(ROOT / "articles"), key=lambda a: a.id)]
    records = [export.record(aid, dict(meta), body) for aid, meta, body in items]
    assert len(records) >= 15
    assert joined(items) == (export.as_jsonl(records), export.as_csv(records))


def test_a_single_cell_is_quoted_as_in_a_whole_row():
    from quzhou_archive.exports import csv_cell, csv_cells

    for text in ("a/b-1", "", "有,逗号", 'a"b', "行\r\n尾", "x\ny", " 空格 "):
        assert csv_cell(text) + ",z" == csv_cells([text, "z"])


def test_a_text_cell_is_quoted_as_the_csv_module_quotes_it():
    import random

    from quzhou_archive.exports import csv_cells

    rnd = random.Random(4)
    pieces = ["正文", "a", ",", '"', "\r", "\n", "\r\n", " ", "\x00", "\t", "\u2028", "\x1c", "'", ";", "\\", "“"]
    texts = ["", "一段,有逗号\n\n“两段”"] + ["".join(rnd.choice(pieces) for _ in range(rnd.randrange(0, 12)))
                                        for _ in range(3000)]
    for text in texts:
        assert export.text_cell(text) == csv_cells(["x", text])[2:], repr(text)
