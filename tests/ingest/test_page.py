"""Page-level facts and per-article metadata."""
import pytest

from quzhou_archive.errors import ArchiveError
from tests.conftest import article_by_title


def test_masthead_gives_paper_date_and_front_page(parse):
    page = parse("masthead_teasers_and_banner")
    assert (page.paper, page.date, page.date_basis, page.page) == ("衢州日报", "2024-11-30", "masthead", 1)
    assert all(a.date == "2024-11-30" and a.paper == "衢州日报" for a in page.articles)


@pytest.mark.parametrize(
    "case, paper, date, page_no, section",
    [
        ("epaper_label_and_trailers", "衢州日报", "2024-11-30", 2, "综合新闻"),
        ("epaper_bracket_trailer", "衢州日报", "2024-12-02", 3, "要闻"),
        ("web_copy_footer_and_sections", "浙江日报", None, None, None),
    ],
)
def test_trailers_labels_and_attributions(parse, case, paper, date, page_no, section):
    page = parse(case)
    assert (page.paper, page.date, page.page, page.section) == (paper, date, page_no, section)


def test_date_only_as_precise_as_the_page(parse):
    assert parse("date_year_and_month_in_text").date == "2024-02"
    assert parse("date_no_year_on_page").date is None


def test_home_county_from_the_page(parse):
    page = parse("county_home_pronoun")
    assert page.home == "常山县"
    assert page.articles[0].counties == ["常山县"]
    assert parse("big5_traditional").articles[0].counties == ["常山县"]


def test_city_wide_story(parse):
    assert parse("county_city_wide").articles[0].counties == ["衢州市"]


def test_topics_come_from_the_taxonomy(parse):
    assert article_by_title(parse("byline_with_org_prefix"), "组团挂联").topics[0] == "营商环境"
    assert parse("county_home_pronoun").articles[0].topics == ["民生社会"]


def test_kinds(parse):
    assert {a.kind for a in parse("masthead_teasers_and_banner").articles} == {"teaser", "photo", "brief"}
    assert parse("web_copy_footer_and_sections").articles[0].kind == "feature"
    assert parse("signed_speeches_under_umbrella").articles[0].kind == "speech"


def test_page_without_a_story_is_an_error(parse):
    with pytest.raises(ArchiveError) as caught:
        parse("page_with_no_story")
    assert "no recognisable story" in str(caught.value)
    assert caught.value.line == 1


def test_dated_page_label_without_paper(parse):
    page = parse("epaper_date_line_with_page")
    assert (page.paper, page.date, page.page, page.section) == (None, "2024-11-30", 2, "综合新闻")


def test_paper_named_only_by_its_e_paper_masthead(parse):
    page = parse("masthead_digital_paper_line")
    assert (page.paper, page.page, page.section, page.home) == ("新常山", 3, "综合新闻", "常山县")
    assert page.articles[0].counties == ["常山县"]   # 我县 resolved through the paper's name
    assert "数字报纸" not in page.articles[0].body


def test_paper_named_only_by_an_e_paper_trailer(parse):
    page = parse("epaper_trailer_of_unknown_paper")
    assert (page.paper, page.date, page.date_basis, page.page) == ("新常山", "2024-11-30", "trailer", 5)


def test_traditional_masthead_gives_the_canonical_paper(parse):
    page = parse("traditional_masthead_canonical_name")
    assert page.paper == "衢州晚报"
    assert page.articles[0].title == "龍游竹產業產值突破六十億元"   # the text keeps its characters


def test_e_paper_reader_fields(parse):
    page = parse("epaper_reader_fields")
    assert page.paper == "衢州日报"
    assert [a.title for a in page.articles] == ["采访手记"]
    body = page.articles[0].body
    for furniture in ("电子报阅读机", "当前报纸名称", "上一篇", "下一篇", "字号", "2026-03-22", "星期日"):
        assert furniture not in body


def test_e_paper_reader_page_buttons(parse):
    page = parse("epaper_reader_page_buttons")
    assert page.paper == "衢州日报" and page.page == 2
    assert "下一版" not in page.articles[0].body and "放大" not in page.articles[0].body


def test_nav_bar_of_other_cities_places_nothing(parse):
    page = parse("nav_bar_of_other_cities")
    assert page.home == "开化县"
    assert page.articles[0].counties == ["开化县"]
    assert page.articles[0].title == "开化龙顶茶春茶开采"


def test_web_buttons_counters_fields_and_promotions_leave_the_text(parse):
    for case, gone in [
        ("web_share_and_back_to_top", ("分享到", "返回顶部", "打印", "扫一扫")),
        ("web_counters_and_fields", ("浏览", "阅读 1.2万", "关键词", "责编")),
        ("web_summary_repeats_lead", ("导读",)),
        ("web_app_promotion_and_copyright", ("APP", "二维码", "版权所有", "ICP")),
    ]:
        page = parse(case)
        assert len(page.articles) == 1, case
        for word in gone:
            assert word not in page.articles[0].body, (case, word)
    assert parse("web_summary_repeats_lead").articles[0].body.count("新增国家高新技术企业28家") == 1


def _page_repeated(tmp_path, source, copies):
    text = source.read_text(encoding="utf-8")
    page = tmp_path / "repeated.txt"
    page.write_text("\n".join([text] * copies), encoding="utf-8")
    return page


def test_page_repeated_word_for_word_is_read_once_and_said(tmp_path):
    from quzhou_archive.ingest import read_page
    from tests.conftest import BUNDLED_RAW

    seed = sorted(BUNDLED_RAW.glob("*.txt"))[0]
    once = read_page(seed)
    page = read_page(_page_repeated(tmp_path, seed, 40))        # ~430 KB: one story printed forty times
    assert [a.body for a in page.articles] == [a.body for a in once.articles]
    repeats = [d for d in page.dropped if d["why"] == "repeat"]
    assert repeats and all(d["repeats"][0] < d["lines"][0] for d in repeats)
    assert page.notices and all(n.startswith(f"{tmp_path / 'repeated.txt'}:") and "repeat lines" in n
                                for n in page.notices)


def test_page_repeated_word_for_word_sample(parse):
    from quzhou_archive.ingest import read_page
    from tests.conftest import raw_sample

    page = read_page(raw_sample("page_repeated_word_for_word"))
    once = read_page(raw_sample("headline_parts_with_spaces"))
    assert [a.title for a in page.articles] == [a.title for a in once.articles]
    assert [d["lines"] for d in page.dropped if d["why"] == "repeat"] == [[9, 15], [17, 23]]
