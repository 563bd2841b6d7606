"""The 数据 section as plain data: periods, series, charts, and what is never mixed."""
import pytest

from quzhou_archive.site.figures import Series, Value, figure_pages, period_label, period_order, series_of, value_text


def row(article="a1", value=1.0, unit="亿元", measure="amount", period="2023", target=False, county="常山县",
        subject="辉埠镇", indicator="规上工业产值", canonical=None, qualifier=None, n=1, date="2024-02"):
    return {"article": article, "quote": "q", "subject": subject, "county": county, "indicator": indicator,
            "measure": measure, "value": value, "unit": unit, "period": period, "target": target,
            "url": f"/articles/{article}.html#figure-{n}", "indicator_canonical": canonical, "qualifier": qualifier,
            "unclear": [] if period else ["period"], "sentence": "s", "article_date": date, "paper": "衢州日报",
            "page": 1, "headline": "标题"}


@pytest.mark.parametrize("period, label", [
    ("2023", "2023年"), ("2023-Q1", "2023年一季度"), ("2023-H2", "2023年下半年"), ("2024-11", "2024年11月"),
    ("2024-01/2024-04", "2024年1—4月"), (None, "时期不详"),
])
def test_period_labels(period, label):
    assert period_label(period) == label


def test_periods_in_time_order_a_year_before_its_parts_unclear_last():
    periods = [None, "2024-01/2024-04", "2023-Q2", "2023", "2024-11", "2023-H1", "2022"]
    assert sorted(periods, key=period_order) == ["2022", "2023", "2023-H1", "2023-Q2", "2024-01/2024-04", "2024-11", None]


@pytest.mark.parametrize("qualifier, text", [(None, "75亿元"), ("近", "近75亿元"), ("超", "超75亿元"),
                                              ("以上", "75亿元以上"), ("余", "75余亿元")])
def test_values_keep_their_qualifier(qualifier, text):
    assert value_text({"value": 75.0, "unit": "亿元", "qualifier": qualifier}) == text


def values(*rows):
    return [Value.of(r, f"articles/{r['article']}.html") for r in rows]


def test_a_series_is_one_subject_one_indicator_one_measure_one_unit():
    series = series_of(values(row(value=110.2), row(value=4.16, unit="%", measure="growth"),
                              row(value=26.15, subject="常山县"), row(value=9000, unit="万元", n=2)))
    assert len(series) == 4
    assert all(len({v.row["unit"] for v in s.outcomes}) == 1 for s in series)


def test_targets_are_kept_apart_and_never_drawn():
    s = series_of(values(row(period="2023", value=10), row(period="2024", value=12, target=True)))[0]
    assert [v.row["value"] for v in s.outcomes] == [10] and [v.row["value"] for v in s.targets] == [12]
    assert s.chart() is None        # one outcome: nothing to draw; the target is not a point


def test_a_chart_needs_two_periods_of_one_kind_and_leaves_out_unclear_ones():
    two_years = series_of(values(row(period="2022", value=90), row(period="2023", value=110.2, n=2)))[0]
    assert two_years.chart() and two_years.chart().count("<circle") == 2
    mixed = series_of(values(row(period="2023", value=110.2), row(period="2023-Q1", value=25, n=2),
                             row(period=None, value=1, n=3)))[0]
    assert mixed.chart() is None      # a year and a quarter are not put on one line; nor an unclear period


def test_pages_per_county_and_per_indicator_and_every_value_links_to_its_sentence():
    rows = [row(), row(article="a2", county="开化县", subject="开化县", value=188.22, canonical="地区生产总值",
                       indicator="地区生产总值"), row(article="a3", county=None, subject=None)]
    pages = {p.path: p for p in figure_pages(rows, {"常山县": "changshan", "开化县": "kaihua"}, ["衢州市", "常山县", "开化县"],
                                              lambda aid: f"articles/{aid}.html")}
    assert {"figures/index.html", "figures/counties/changshan.html", "figures/counties/kaihua.html",
            "figures/counties/unknown.html"} <= set(pages)
    assert any(p.startswith("figures/indicators/") for p in pages)
    county = pages["figures/counties/changshan.html"].context
    link = county["sections"][0]["series"][0]["outcomes"][0]["link"]
    assert link == "articles/a1.html#figure-1"
    index = pages["figures/index.html"].context
    assert [c["name"] for c in index["counties"]] == ["常山县", "开化县", "地区不详"]


def test_indicator_pages_put_counties_side_by_side_by_period():
    rows = [row(county="常山县", subject="常山县", value=5, period="2022", indicator="GDP", canonical="地区生产总值"),
            row(article="a2", county="开化县", subject="开化县", value=188.22, period="2023", indicator="地区生产总值",
                canonical="地区生产总值"),
            row(article="a3", county="开化县", subject="开化县", value=200, period="2025", indicator="地区生产总值",
                canonical="地区生产总值", target=True)]
    pages = figure_pages(rows, {}, ["常山县", "开化县"], lambda aid: f"articles/{aid}.html")
    page = next(p for p in pages if p.path.startswith("figures/indicators/"))
    assert page.context["periods"] == ["2022年", "2023年"]         # the target's year is no column of outcomes
    first, second = page.context["rows"]
    assert first["county"] == "常山县" and [len(c) for c in first["cells"]] == [1, 0]
    assert [len(c) for c in second["cells"]] == [0, 1] and second["targets"][0]["text"] == "200亿元"
    assert page.context["names"] == ["GDP"]
