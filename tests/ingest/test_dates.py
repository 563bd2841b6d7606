import datetime

from quzhou_archive.ingest.dates import full_dates, infer_date, stated_years


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
