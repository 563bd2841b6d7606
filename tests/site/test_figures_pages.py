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
    return [Value.of(r, n, lambda aid: f"articles/{aid}.html") for n, r in enumerate(rows, 1)]


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


def planned(rows, slugs=None, order=("衢州市", "常山县", "开化县")):
    return {p.path: p for p in figure_pages(rows, slugs or {"常山县": "changshan", "开化县": "kaihua"}, list(order),
                                             lambda aid: f"articles/{aid}.html")}


def test_pages_per_county_per_county_indicator_and_every_value_links_to_its_sentence():
    rows = [row(), row(article="a1b", value=2.0, period="2022"),
            row(article="a2", county="开化县", subject="开化县", value=188.22, canonical="地区生产总值",
                indicator="地区生产总值"), row(article="a3", county=None, subject=None)]
    pages = planned(rows)
    assert {"figures/index.html", "figures/counties/changshan.html", "figures/counties/kaihua.html",
            "figures/counties/unknown.html"} <= set(pages)
    county = pages["figures/counties/changshan.html"].make().context
    entry = county["indicators"][0]
    assert entry["indicator"] == "规上工业产值" and entry["count"] == 2 and entry["latest"]["text"] == "1亿元"
    assert entry["compare"] is not None     # 规上工业产值 is also reported where the county is not known
    series_page = pages[entry["url"]].make()
    cell = series_page.context["series"][0]["outcomes"][0]
    assert cell["link"] == "articles/a1b.html#figure-1"     # 2022 before 2023
    assert cell["href"] == "../../../articles/a1b.html#figure-1"     # from figures/counties/changshan/…
    index = pages["figures/index.html"].make().context
    assert [c["name"] for c in index["counties"]] == ["常山县", "开化县", "地区不详"]
    assert [i["name"] for i in index["indicators"]] == ["规上工业产值"] and index["single"] == 1
    # one value of an indicator in a county: shown and linked to its sentence on the county's page
    kaihua = pages["figures/counties/kaihua.html"].make().context["indicators"]
    assert kaihua[0]["url"] is None and kaihua[0]["only"]["href"] == "../../articles/a2.html#figure-1"
    assert not any(p.startswith("figures/counties/kaihua/") for p in pages)


def test_a_page_is_worked_out_only_when_asked_and_its_inputs_change_with_what_it_shows():
    rows = [row(), row(article="a2", value=2.0, period="2022", n=1)]
    before = planned(rows)
    after = planned([row(), row(article="a2", value=2.5, period="2022", n=1)])
    series = next(p for p in before if p.startswith("figures/counties/changshan/"))
    assert before[series].inputs != after[series].inputs
    assert before["figures/index.html"].inputs == after["figures/index.html"].inputs     # counts are the same
    assert before[series].make().context["series"][0]["chart"]


def test_indicator_pages_put_counties_side_by_side_by_period():
    rows = [row(county="常山县", subject="常山县", value=5, period="2022", indicator="GDP", canonical="地区生产总值"),
            row(article="a2", county="开化县", subject="开化县", value=188.22, period="2023", indicator="地区生产总值",
                canonical="地区生产总值"),
            row(article="a3", county="开化县", subject="开化县", value=200, period="2025", indicator="地区生产总值",
                canonical="地区生产总值", target=True),
            row(article="a4", county="开化县", subject="开化县", value=3, indicator="只在开化的指标")]
    pages = planned(rows)
    compared = [p for p in pages if p.startswith("figures/indicators/")]
    assert len(compared) == 1       # an indicator of one county only is on that county's pages
    page = pages[compared[0]].make()
    assert page.context["periods"] == ["2022年", "2023年"]         # the target's year is no column of outcomes
    first, second = page.context["rows"]
    assert first["county"] == "常山县" and [len(c) for c in first["cells"]] == [1, 0]
    assert [len(c) for c in second["cells"]] == [0, 1] and second["targets"][0]["text"] == "200亿元"
    assert page.context["names"] == ["GDP"]


def test_a_page_is_made_again_when_what_it_shows_from_outside_its_values_changes():
    alone = planned([row(), row(article="a1b", value=2.0, period="2022")])
    compared = planned([row(), row(article="a1b", value=2.0, period="2022"),
                        row(article="a2", county="开化县", subject="开化县")])     # now also reported elsewhere
    series = next(p for p in alone if p.startswith("figures/counties/changshan/"))
    assert alone[series].make().context["compare"] is None and compared[series].make().context["compare"]
    assert alone[series].inputs != compared[series].inputs
