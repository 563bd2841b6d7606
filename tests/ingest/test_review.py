"""The review report's parts: display widths and the furniture tally."""
from quzhou_archive.ingest.page import ParsedPage
from quzhou_archive.ingest.review import clip, dropped_by_reason, pad, width


def test_chinese_takes_two_columns_ascii_one():
    assert width("衢州日报 2版") == 12
    assert width("ＡＢ") == 4              # full-width forms
    assert width("e\u0301") == 1           # a combining accent takes none


def test_clip_and_pad_keep_the_display_width():
    assert clip("王晓东、刘佳、李红、张三", 9) == "王晓东、…"
    assert width(clip("王晓东、刘佳、李红、张三", 9)) <= 9
    assert clip("王晓东", 9) == "王晓东"
    assert width(pad("开化县", 10)) == 10


def test_dropped_lines_are_counted_by_why_most_first():
    page = ParsedPage("p.txt", "utf_8", "0", None, None, None, None, None, None, [], dropped=[
        {"lines": [1, 1], "text": "衢州日报", "why": "masthead"},
        {"lines": [30, 32], "text": "分享到 …", "why": "footer"},
        {"lines": [2, 2], "text": "2024年11月30日 星期六", "why": "masthead"},
    ])
    assert list(dropped_by_reason(page).items()) == [("footer", 3), ("masthead", 2)]
