import pytest

from quzhou_archive.ingest.furniture import furniture_kind, page_facts
from quzhou_archive.textnorm import fold


def kind(text, at_top=False):
    return furniture_kind(text, fold(text), at_top)


@pytest.mark.parametrize(
    "line, expected",
    [
        ("中共衢州市委机关报", "masthead"),
        ("衢州市新闻传媒中心出版 国内统一连续出版物号:CN 33-0011", "masthead"),
        ("2024年11月30日 星期六 农历甲辰年十月三十 今日4版 总第13355期", "masthead"),
        ("热线96811", "masthead"),
        ("00002版:综合新闻", "page-label"),
        ("第A03版:要闻", "page-label"),
        ("衢州日报 综合新闻 00002 他成为村里第三个器官捐献者 2024-11-30 星期六", "trailer"),
        ("《衢州日报》(2024年12月2日 第3版)", "trailer"),
        ("责任编辑:林俊 电话:8070805", "editor"),
        ("(责任编辑:陈红)", "editor"),
        ("今日导读", "teaser-box"),
        ("详见今日第二版", "teaser-ref"),
        ("(下转第2版)", "jump"),
        ("本文转自:浙江日报", "attribution"),
        ("转载请注明:http://www.abachildren.com/sstx/2857.html", "copyright"),
        ("(图片除署名外,由开化传媒集团提供)", "photo-note"),
        ("責任編輯:林俊 電話:8070805", "editor"),
    ],
)
def test_furniture_lines(line, expected):
    assert kind(line) == expected


def test_paper_name_is_masthead_only_at_the_top():
    assert kind("衢州日报", at_top=True) == "masthead"
    assert kind("QUZHOU DAILY", at_top=True) == "masthead"
    assert kind("衢州日报", at_top=False) is None


@pytest.mark.parametrize(
    "line",
    ["高屹率团赴韩国开展经贸考察访问", "来源于生活的智慧,来自群众的创造。", "2023年,园区30家规上工业企业累计实现产值40.47亿元。"],
)
def test_content_is_not_furniture(line):
    assert kind(line) is None


def test_trailer_states_paper_date_page_and_section():
    line = "衢州日报 综合新闻 00002版:综合新闻 2024-11-30 星期六"
    facts = page_facts("trailer", fold(line), line)
    assert (facts.paper, facts.date, facts.page, facts.section) == ("衢州日报", "2024-11-30", 2, "综合新闻")


def test_attribution_names_the_paper():
    facts = page_facts("attribution", fold("本文转自:浙江日报"), "本文转自:浙江日报")
    assert facts.paper == "浙江日报"


def test_label_gives_page_and_section():
    facts = page_facts("page-label", fold("00002版:综合新闻"), "00002版:综合新闻")
    assert (facts.page, facts.section) == (2, "综合新闻")
