"""The SVG line charts of the 数据 pages."""
import xml.etree.ElementTree as ET

from quzhou_archive.site.charts import line_chart, nice_ticks

SVG = "{http://www.w3.org/2000/svg}"


def test_a_chart_is_well_formed_svg_with_a_point_and_a_label_per_period():
    svg = ET.fromstring(line_chart([("2022年", 90.5), ("2023年", 110.2)], unit="亿元", title="辉埠镇 规上工业产值"))
    assert svg.get("role") == "img" and "2023年 110.2亿元" in svg.get("aria-label")
    assert svg.find(f"{SVG}title").text == "辉埠镇 规上工业产值"
    assert len(svg.findall(f"{SVG}circle")) == 2
    labels = [t.text for t in svg.findall(f"{SVG}text")]
    assert "2022年" in labels and "2023年" in labels and "亿元" in labels


def test_colours_come_from_the_page_so_dark_mode_and_print_read():
    svg = line_chart([("2022年", 1), ("2023年", 2)], unit="%", title="t")
    assert "#" not in svg.split("<title>")[1]      # no fixed colours: currentColor throughout
    assert 'stroke="currentColor"' in svg and 'fill="currentColor"' in svg


def test_amounts_start_at_zero_and_rates_may_go_below_it():
    amounts = ET.fromstring(line_chart([("a", 100), ("b", 120)], unit="亿元", title="t"))
    assert "0" in [t.text for t in amounts.findall(f"{SVG}text")]
    rates = ET.fromstring(line_chart([("a", -3.5), ("b", 8)], unit="%", title="t", from_zero=False))
    ticks = [float(t.text) for t in rates.findall(f"{SVG}text") if t.text.lstrip("-").replace(".", "").isdigit()]
    assert min(ticks) <= -3.5 and max(ticks) >= 8


def test_ticks_are_round_and_cover_the_values():
    assert nice_ticks(0, 110.2) == [0, 50, 100, 150]
    ticks = nice_ticks(3.7, 80.3)
    assert ticks[0] <= 3.7 and ticks[-1] >= 80.3 and len(ticks) <= 6
    assert nice_ticks(5, 5)[0] < 5 < nice_ticks(5, 5)[-1]


def test_text_is_escaped():
    svg = line_chart([("<b>", 1), ("&", 2)], unit="<", title="a&b")
    ET.fromstring(svg)      # parses: nothing unescaped
    assert "<b>" not in svg
