"""The figure extractor, rule by rule: numbers, qualifiers, measures, the
indicator, place, period and target of a figure, and what is not a figure."""
from __future__ import annotations

import pytest

from quzhou_archive.analyse.figures import FigureContext, extract
from quzhou_archive.analyse.numbers import parse_number


def figures(text: str, date: str | None = "2024-02-20", counties=("柯城区",)):
    paragraphs = text.split("\n")
    return extract(paragraphs, FigureContext(date, tuple(counties)))


def only(text: str, **kw):
    found = figures(text, **kw)
    assert len(found) == 1, found
    return found[0]


def values(text: str, **kw):
    return [(f.measure, f.value, f.unit) for f in figures(text, **kw)]


# numbers

@pytest.mark.parametrize("written, value", [
    ("48251", 48251), ("20.235", 20.235), ("1,200", 1200), ("三", 3), ("十二", 12), ("二十五点五", 25.5),
    ("百", 100), ("二百零五", 205), ("二〇二四", 2024),
])
def test_numbers_arabic_and_chinese(written, value):
    assert parse_number(written) == value


def test_chinese_numerals_in_text():
    assert values("全县三家企业入选省级标杆项目。") == [("count", 3, "家")]
    assert values("工业增加值增长百分之十二点五。") == [("growth", 12.5, "%")]


def test_hundred_ten_thousand_stays_in_its_unit():
    f = only("公司规划实施年产百万只锂电超级电容项目。")
    assert (f.measure, f.value, f.unit, f.indicator) == ("output", 100, "万只", "年产锂电超级电容")


def test_units_are_never_converted():
    assert values("2023年,共补助415万元。") == [("amount", 415, "万元")]


# qualifiers

@pytest.mark.parametrize("text, value, qualifier", [
    ("目前在衢州规划投资近75亿元。", 75, "近"),
    ("元森股份年产值近亿元。", 1, "近"),
    ("完成首年产值超亿元以上。", 1, "超"),
    ("建成达产可实现年产值10亿元以上。", 10, "以上"),
    ("旅游总收入约40亿元。", 40, "约"),
    ("厂房共投资50余万元。", 50, "余"),
])
def test_qualifiers_as_written(text, value, qualifier):
    f = only(text)
    assert (f.value, f.qualifier) == (value, qualifier)


def test_plain_figure_has_no_qualifier():
    assert only("2023年村播基地实现营收20.235亿元。").qualifier is None


# measures

def test_growth_and_percentage_points():
    assert values("规上工业产值110.2亿元,同比增长4.16%,较上年度提高0.29个百分点。") == [
        ("amount", 110.2, "亿元"), ("growth", 4.16, "%"), ("growth", 0.29, "个百分点")]


def test_doubling_is_a_hundred_percent_growth():
    assert values("全县工业产值翻一番。") == [("growth", 100, "%")]


def test_share():
    found = figures("服务业增加值实现383.74亿元,占全区生产总值比重达57.2%。")
    assert [(f.measure, f.value) for f in found] == [("amount", 383.74), ("share", 57.2)]
    assert found[1].indicator.startswith("服务业增加值占")


def test_output_needs_a_production_cue():
    assert values("项目年产17万吨光电专用环氧树脂。") == [("output", 17, "万吨")]
    assert values("首期到位设备220台已投入试生产。") == []


def test_counts_of_firms_and_projects_only():
    assert values("17个重点项目签约;招引落地产业链项目7个;新增省级农业龙头企业2家。") == [
        ("count", 17, "个"), ("count", 7, "个"), ("count", 2, "家")]
    assert values("农业农村局成立7个挂联帮扶组;8家省级商会与衢州市签订协议;打造了100个共享直播间。") == []


def test_a_firm_written_一家_is_not_a_count():
    assert values("作为一家从事生猪养殖的大型企业,公司发展很快。") == []


# out of scope

@pytest.mark.parametrize("text", [
    "2023年共接待游客280万人次。", "已有茶园12.5万亩。", "47岁的村支书董永清。", "2023年位列全省第8位。",
    "联系电话0570-8012345。", "完成率达98.4%。", "森林覆盖率超过60%。", "每名干部联系1至3家重点企业。",
    "刚开始一斤30元。", "高屹考察两家公司。", "给予最高100万元的研发费用补助。", "年底将完成总进度的80%。",
    "项目占地面积48178平方米。",
])
def test_not_figures(text):
    assert figures(text) == []


def test_class_of_projects_is_not_an_amount():
    assert values("其中亿元以上项目7个,10亿元以上项目2个。") == [("count", 7, "个"), ("count", 2, "个")]


# 分别 lists

def test_urban_and_rural_values_of_a_list():
    found = figures("2023年,城乡居民人均可支配收入分别达到48251元、26496元,增长5.2%和7.1%。")
    assert [(f.indicator, f.value) for f in found] == [
        ("城镇居民人均可支配收入", 48251), ("农村居民人均可支配收入", 26496),
        ("城镇居民人均可支配收入", 5.2), ("农村居民人均可支配收入", 7.1)]


def test_list_of_indicators_shares_its_head():
    found = figures("遂昌高新技术产业和高端装备制造业增加值分别同比增长15.1%、29%。", counties=("遂昌县",))
    assert [(f.indicator, f.value, f.measure) for f in found] == [
        ("高新技术产业增加值", 15.1, "growth"), ("高端装备制造业增加值", 29, "growth")]


# periods

def test_explicit_year_in_the_sentence():
    found = figures("2023年,园区30家规上工业企业累计实现产值40.47亿元。", date="2024-02")
    assert [(f.measure, f.period) for f in found] == [("count", "2023"), ("amount", "2023")]
    assert (found[1].indicator, found[1].canonical) == ("规上工业企业产值", "规模以上工业总产值")


def test_year_carries_to_later_sentences_and_paragraphs():
    found = figures("2023年,开化县经济稳中有进。\n全年实现地区生产总值188.22亿元。\n新增省级农业龙头企业2家。")
    assert [f.period for f in found] == ["2023", "2023"]


def test_last_year_and_whole_year_in_an_early_year_article():
    assert only("去年村播基地实现营收20亿元。", date="2024-02").period == "2023"
    assert only("全年实现地区生产总值188.22亿元。", date="2024-02").period == "2023"


def test_this_year_in_an_undated_article_is_unclear():
    f = only("今年一季度,又新招引入驻10家企业。", date=None)
    assert f.period is None and "period" in f.unclear


@pytest.mark.parametrize("text, date, period", [
    ("今年一季度,又新招引入驻10家企业。", "2024-05-10", "2024-Q1"),
    ("今年1月至4月,高新技术产业增加值同比增长15.1%。", "2024-06", "2024-01/2024-04"),
    ("2023年上半年,协议总投资170.66亿元。", "2024-06", "2023-H1"),
    ("1-4月份,全市完成固定资产投资49.1亿元。", "2024-05-12", "2024-01/2024-04"),
])
def test_quarters_halves_and_month_ranges(text, date, period):
    assert only(text, date=date).period == period


def test_event_of_the_articles_days_is_the_articles_month():
    found = figures("11月29日上午,衢州专题活动在杭州举行。\n活动现场,17个重点项目签约,总投资52亿元。", date="2024-11-30")
    assert [f.period for f in found] == ["2024-11", "2024-11"]


def test_cumulative_figures_have_no_period():
    found = figures("2023年,柯城全力招引项目。目前,柯城累计招引光电项目10个。")
    assert found[0].period is None


def test_comparison_base_is_not_the_period():
    found = figures("《2023年度报告》显示,研发经费投入占地区生产总值比重3.01%,较上年度提高0.29个百分点。",
                    date="2024-11-30")
    assert [f.period for f in found] == ["2023", "2023"]


# targets

@pytest.mark.parametrize("text", [
    "企业本次在常山计划投资10亿元。", "建成投产后,年产值可达30亿元。", "今年10月投产后预计年产值可达30亿元。",
    "力争到2026年实现产值50亿元。",
])
def test_plans_and_expectations_are_targets(text):
    f = only(text)
    assert f.target


def test_plan_without_its_own_period_has_none():
    assert only("2024年,企业本次在常山计划投资10亿元。\n企业本次计划投资10亿元。".split("\n")[1]).period is None


def test_outcomes_are_not_targets():
    found = figures("元立集团投资3.8亿元“上马”棒材技改项目,今年10月投产后预计年产值可达30亿元。", date=None)
    assert [f.target for f in found] == [False, True]


def test_a_past_deadline_is_not_a_plan():
    assert not only("至2007年底全区特种纸业实现工业总产值90506万元。", date="2012-01-10").target


# place

def test_place_named_in_the_sentence_wins():
    f = only("辉埠镇全年实现规上工业产值110.2亿元。", counties=("常山县", "柯城区"))
    assert (f.county, f.unclear) == ("常山县", ())


def test_outside_quzhou_gets_its_official_name():
    assert only("遂昌高新技术产业增加值同比增长15.1%。", counties=()).county == "遂昌县"


def test_article_county_when_the_sentence_names_none():
    assert only("2023年,符合补助要求的企业有26家。", counties=("柯城区",)).county == "柯城区"


def test_guess_between_several_counties_is_unclear():
    f = only("2023年,符合补助要求的企业有26家。", counties=("柯城区", "余杭区"))
    assert f.county == "柯城区" and "county" in f.unclear


def test_city_in_a_firms_name_is_not_the_place():
    f = only("衢州元森光电技术股份有限公司年产值近亿元。", counties=("柯城区",))
    assert f.county == "柯城区"


# quotes, sentences, indicators

def test_quote_and_sentence_are_exact_substrings():
    text = "2023年,柯城区服务业增加值实现383.74亿元,占全区生产总值比重达57.2%。规模以上服务业营业收入同比增长13.3%。"
    for f in figures(text):
        assert text[f.start:f.start + len(f.quote)] == f.quote
        assert f.sentence in text and f.quote in f.sentence


def test_short_name_stands_for_the_full_one_just_used():
    found = figures("规模以上服务业营业收入同比增长13.3%,实现营收126.1亿元。")
    assert found[1].indicator == "规模以上服务业营业收入"
    assert found[1].canonical == "营业收入"


def test_canonical_names():
    assert only("规上工业增加值26.15亿元。").canonical == "规模以上工业增加值"
    assert only("2023年一般公共预算收入22.56亿元。").canonical == "一般公共预算收入"


def test_traditional_characters():
    text = "其中,一期項目總投資為90.86億元。"
    f = only(text, date="2022-04-07")
    assert (f.measure, f.value, f.unit) == ("amount", 90.86, "亿元")
    assert text[f.start:f.start + len(f.quote)] == f.quote and "億元" in f.quote


# names

@pytest.mark.parametrize("written, tidy_name", [
    ("推动2023年销售额", "销售额"), ("至2007年底全区工业总产值", "全区工业总产值"), ("投产后预计年产值", "年产值"), ("规上工业企业累计实现产值", "规上工业企业产值"),
    ("链主型”企业东巨康年产值", "企业东巨康年产值"), ("地区生产总值", "地区生产总值"),
])
def test_an_indicator_is_named_without_what_only_its_sentence_needed(written, tidy_name):
    from quzhou_archive.analyse.reading import tidy

    assert tidy(written) == tidy_name


def test_a_sentence_that_names_no_place_belongs_to_the_place_its_paragraph_named():
    found = figures("2023年,辉埠镇经济发展稳中有进。全年实现规上工业产值110.2亿元。", date="2024-02", counties=("常山县",))
    assert [(f.subject, f.county) for f in found] == [("辉埠镇", "常山县")]


def test_a_county_named_short_is_its_full_name_as_subject():
    found = figures("常山实现地区生产总值200亿元。", date="2024-02", counties=("常山县",))
    assert [(f.subject, f.county) for f in found] == [("常山县", "常山县")]


def test_a_figure_as_plain_data_is_its_fields_in_order_and_back():
    from dataclasses import astuple

    from quzhou_archive.analyse.figures import Figure

    found = figures("2023年,辉埠镇实现规上工业产值110.2亿元,同比增长8.5%。", date="2024-02", counties=("常山县", "开化县"))
    assert found and all(f.to_plain() == astuple(f) for f in found)
    assert [Figure.from_plain(list(f.to_plain())) for f in found] == found
    made = [Figure(*astuple(f)) for f in found]
    assert [vars(Figure.of(*astuple(f))) for f in found] == [vars(f) for f in made] and list(vars(made[0])) == [
        "quote", "sentence", "paragraph", "start", "subject", "county", "indicator", "canonical", "measure", "value",
        "unit", "qualifier", "period", "target", "unclear"]
    assert len({Figure.of(*astuple(f)) for f in found + made}) == len(found)       # hashed as Figure(...) is
