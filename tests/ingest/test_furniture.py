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


@pytest.mark.parametrize(
    "line, expected",
    [
        ("网易首页 > 网易号 > 正文 申请入驻", "breadcrumb"),
        ("杭州 | 宁波 | 温州 | 湖州 | 嘉兴", "site-nav"),
        ("分享至", "controls"),
        ("回答数 1 浏览数 761", "counter"),
        ("浙江日报 数字报纸", "masthead"),
        ("电子报阅读机", "masthead"),
        ("当前报纸名称:衢州日报", "web-meta"),
        ("日期:01-08", "web-meta"),
        ("11月26日", "date-fragment"),
        ("星期日", "date-fragment"),
        ("相关新闻", "related"),
        ("更多精彩内容,尽在掌上衢州APP", "promotion"),
        ("浙ICP备12345678号", "copyright"),
        ("导读:今年以来,柯城区新增国家高新技术企业28家,总数达到156家,比上年增加了不少,创下新高。", "summary"),
        ("[衢州日报]", "source-tag"),
        ("46.jpg", "image"),
        ("新常山 经济 00005 芳村镇胡柚深加工项目投产 2024-11-30 星期六", "trailer"),
    ],
)
def test_web_and_e_paper_furniture(line, expected):
    assert kind(line) == expected


@pytest.mark.parametrize("line", ["返回家乡创业的年轻人越来越多", "点击量破亿的短视频里的衢州", "【中国梦】衢州青年的故事"])
def test_headlines_that_open_with_a_button_word_are_content(line):
    assert kind(line) is None


def test_e_paper_masthead_and_trailer_name_papers_the_archive_does_not_know():
    facts = page_facts("masthead", fold("新常山 数字报纸"), "新常山 数字报纸")
    assert facts.paper == "新常山"
    assert page_facts("masthead", fold("电子报阅读机"), "电子报阅读机").paper is None
    line = "新常山 经济 00005 芳村镇胡柚深加工项目投产 2024-11-30 星期六"
    assert page_facts("trailer", fold(line), line).paper == "新常山"
    assert page_facts("web-meta", fold("当前报纸名称:衢州日报"), "当前报纸名称:衢州日报").paper == "衢州日报"
    assert page_facts("source-tag", fold("[衢州日報]"), "[衢州日報]").paper == "衢州日報"


def test_canonical_paper_names():
    from quzhou_archive.ingest.furniture import canonical_paper
    assert canonical_paper("衢州日報") == "衢州日报"
    assert canonical_paper("杭州日報") == "杭州日报"   # not in papers.yaml: its Simplified form
    assert canonical_paper(None) is None


@pytest.mark.parametrize("line", ["(责任编辑 张三)", "[编辑 李四]", "（责编：王五）"])
def test_editors_in_brackets(line):
    assert kind(line) == "editor"


def test_a_sites_owner_line_is_no_front_page_masthead():
    line = "主办单位:衢州日报社 技术支持:某某科技"
    assert kind(line) == "web-meta"
    assert not page_facts(kind(line), fold(line), line).front_page
