import datetime

import pytest

from quzhou_archive.ingest.dates import (
    DateClaim, event_months, full_dates, infer_date, is_stamp_line, page_date, read_stamp, stated_years,
)
from quzhou_archive.textnorm import fold


def test_year_in_text_plus_month_day_gives_month():
    assert infer_date("2月18日下午,辉埠镇召开大会。2024年,辉埠镇将全面深化。") == "2024-02"


def test_target_years_are_not_the_present():
    text = "2023年实现产值。争取在2025年春节前投产,到2030年建成,2026年底前完成。9月25日下午调研。"
    assert stated_years(text, 2026) == [2023]
    assert infer_date(text) == "2023-09"


def test_year_inside_a_document_title_is_not_the_present():
    assert infer_date("近日下发的《2023年度浙江省科技进步统计监测报告》显示,11月5日……") is None


def test_no_year_no_date():
    assert infer_date("今年4月,4月18日召开城市更新动员会。") is None


def test_year_alone_gives_the_year():
    assert infer_date("2021年度山海协作共建协议签订。") == "2021"


def test_future_years_are_ignored():
    assert infer_date("2099年将建成。", today=datetime.date(2026, 1, 1)) is None


def test_full_dates_in_several_forms():
    assert full_dates("2024年11月30日 星期六") == ["2024-11-30"]
    assert full_dates("2024-11-30") == ["2024-11-30"]
    assert full_dates("二〇二四年十一月三十日") == ["2024-11-30"]
    assert full_dates("2024年2月30日") == []


# -- the date a page states about itself -----------------------------------


@pytest.mark.parametrize(
    "line, iso, labelled, clock",
    [
        ("2024-06-16 18:32:45", "2024-06-16", False, True),
        ("- 2018/3/16 9:32:07", "2018-03-16", False, True),
        ("头条2018/3/16 19:32:07", "2018-03-16", False, True),
        ("21.06.2017 03:12", "2017-06-21", False, True),
        ("06/21/2017 10:00", "2017-06-21", False, True),
        ("2019年10月21日 22:15", "2019-10-21", False, True),
        ("2024-06-16T18:32:45+08:00", "2024-06-16", False, True),
        ("發布:2022-04-07 14:04:19", "2022-04-07", True, True),
        ("发布时间:2021-08-06", "2021-08-06", True, False),
        ("日期:01-08", None, True, False),
    ],
)
def test_web_stamps_in_every_form(line, iso, labelled, clock):
    stamp = read_stamp(fold(line))
    assert (stamp.iso, stamp.labelled, stamp.clock) == (iso, labelled, clock)
    assert is_stamp_line(fold(line))


@pytest.mark.parametrize("line", ["星期日", "8:30开会", "2023年,园区30家规上工业企业累计实现产值40.47亿元"])
def test_text_is_not_a_stamp_line(line):
    assert not is_stamp_line(fold(line))


def claim(line, basis="web", order=1):
    return DateClaim(read_stamp(fold(line)), basis, order)


def test_labelled_date_beats_a_stamp_and_a_stamp_beats_a_bare_date():
    assert page_date([claim("2024-01-02", order=1), claim("2024-01-03 08:00", order=2)]) == ("2024-01-03", "web")
    assert page_date([claim("2024-01-03 08:00", order=1), claim("发布时间:2024-01-04", order=5)])[0] == "2024-01-04"
    assert page_date([claim("2024-01-03 08:00", order=9), claim("2024-01-05 08:00", order=2)])[0] == "2024-01-05"


def test_a_labelled_day_without_year_rules_out_another_day():
    assert page_date([claim("2026-03-22"), claim("日期:01-08", order=8)]) == (None, None)
    assert page_date([claim("2026-01-08"), claim("日期:01-08", order=8)]) == ("2026-01-08", "web")


def test_web_timestamp_beats_year_in_text(parse):
    page = parse("date_web_timestamp_beats_year_in_text")
    assert (page.date, page.date_basis) == ("2023-12-18", "web")
    assert page.articles[0].date == "2023-12-18"


@pytest.mark.parametrize(
    "case, date, stamp",
    [
        ("date_stamp_glued_to_category", "2018-03-16", "头条2018/3/16 19:32:07"),
        ("date_day_first_stamp", "2017-06-21", "21.06.2017 03:12"),
        ("date_labelled_field", "2021-08-06", "发布时间:2021-08-06"),
    ],
)
def test_web_stamp_lines_date_the_page_and_leave_the_text(parse, case, date, stamp):
    page = parse(case)
    assert (page.date, page.date_basis) == (date, "web")
    article = page.articles[0]
    assert article.date == date
    assert stamp not in article.body and stamp not in article.title
    assert any(d["text"].startswith(stamp) for d in page.dropped)


def test_reader_apps_today_is_not_the_page_date(parse):
    page = parse("date_reader_today_is_not_the_page_date")
    assert page.date is None
    assert all(a.date is None for a in page.articles)


# -- years mentioned in passing --------------------------------------------

def test_years_in_passing_are_not_the_present():
    text = ("据了解,2019年,全县种植10万亩。从2020年开始深加工,2021、2022年连续两年增长。自2016年以来,2018年的产值为5亿元。"
            "与2017年相比翻了一番。")
    assert stated_years(text, 2026) == [2019]


def test_a_later_year_in_passing_leaves_the_page_undated(parse):
    assert infer_date("1978年,改革开放。从1981年开始改造老街。12月18日起举办展览。") is None
    assert infer_date("当地外贸总额从2020年的358.4亿元增长到新高。4月29日举行大会。") is None
    assert parse("date_year_in_passing_is_no_date").date is None


def test_year_reported_on_still_dates_a_page_with_earlier_years_in_passing():
    assert infer_date("自2021年落户以来发展强劲。2024年,开化将聚焦高质量发展。2月19日召开大会。") == "2024-02"


def test_date_after_the_headline_dates_the_page(parse):
    page = parse("date_after_headline_on_same_line")
    assert page.date == "2023-01-05"
    story = page.articles[0]
    headline = " ".join(p for p in (story.kicker, story.title, story.subtitle) if p)
    assert "2023" not in headline and "2023年01月05日" not in story.body


def test_a_bare_date_in_a_sites_header_yields_to_the_stories_stamp():
    header, stamp = claim("2024年6月16日 星期日", basis="masthead", order=1), claim("2021-08-06 10:21", order=5)
    assert page_date([header, stamp])[0] == "2021-08-06"
    masthead = DateClaim(read_stamp(fold("2024年11月30日 星期六 今日4版 总第13355期")), "masthead", 1, names_paper=True)
    assert page_date([masthead, stamp])[0] == "2024-11-30"


def test_todays_date_greeting_the_reader_is_no_page_fact(parse):
    page = parse("date_site_header_today_is_not_the_page_date")
    assert page.date == "2021-08-06"
    assert any(d["text"].startswith("今天是") for d in page.dropped)


def test_stamp_beside_the_sites_name_is_one_line(parse):
    page = parse("date_stamp_beside_site_name")
    assert page.date == "2024-06-16"
    story = page.articles[0]
    assert story.subtitle is None and "新华网" not in story.title
    assert any(d["text"] == "新华网 | 2024-06-16 10:22:33" for d in page.dropped)


def test_a_date_needs_no_digit_before_it():
    # (the patterns look behind after their first character: the same rule)
    assert full_dates("12024年1月2日") == []
    assert full_dates("第2024年1月2日") == ["2024-01-02"]
    assert full_dates("5.21.06.2017") == []
    assert full_dates("见21.06.2017") == ["2017-06-21"]
    assert event_months("12月5日、112月6日") == [12]
    assert stated_years("1.2024年", 2026) == [] and stated_years("共2024年", 2026) == [2024]


def test_a_date_in_chinese_numerals_starts_at_its_year():
    assert full_dates("二〇二四年十一月三十日") == ["2024-11-30"]
    stamp = read_stamp("出版日期:二〇二四年十一月三十日")
    assert stamp.iso == "2024-11-30" and stamp.labelled
