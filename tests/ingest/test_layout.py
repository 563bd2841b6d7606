"""Story boundaries, headline blocks, photos, teasers and paragraph repair."""
import pytest

from quzhou_archive.ingest.layout import split_headline
from tests.conftest import article_by_title


def test_headline_parts_split_into_kicker_title_subtitle(parse):
    page = parse("headline_parts_with_spaces")
    first = article_by_title(page, "抓住发展")
    assert (first.kicker, first.title, first.subtitle) == (
        "高屹来常调研工业强市工作时强调", "抓住发展强化产业突出工业", "交出全年经济社会发展高分报表")
    second = article_by_title(page, "浙商大会")
    assert (second.title, second.subtitle) == ("第七届世界浙商大会衢州专题活动举行", "徐张艳蔡晓春致辞 杜兴林主持")


def test_split_headline_rules():
    assert split_headline("柯城: 加快打造高品质现代化城区") == (None, "柯城:加快打造高品质现代化城区", None)
    assert split_headline("组团挂联 一帮到底 全程保姆式服务解企忧") == (None, "组团挂联 一帮到底 全程保姆式服务解企忧", None)
    assert split_headline("解“近忧”化“远虑” 智造新城多跨协同为企保供水") == ("解“近忧”化“远虑”", "智造新城多跨协同为企保供水", None)
    assert split_headline("市八届人大常委会第二十二次会议召开 吴国升出席并讲话")[2] == "吴国升出席并讲话"
    assert split_headline("研发经费投入总量强度双提升 柯城赋能创新发展 “动力源”")[2] == "柯城赋能创新发展“动力源”"


def test_column_banner_above_headline_is_the_kicker(parse):
    story = article_by_title(parse("photo_item_with_credit_line"), "组团挂联")
    assert story.kicker == "决战百日 冲刺百亿"
    assert "决战百日" not in story.body


def test_bylines_of_every_form_end_in_metadata(parse):
    assert article_by_title(parse("byline_with_org_prefix"), "组团挂联").authors == ["毛慧娟", "雷浩宇"]
    page = parse("byline_trainee_and_team")
    assert article_by_title(page, "拱墅区").authors == ["童子遇", "俞国文", "张墨"]
    assert article_by_title(page, "研发经费").authors == ["郑晨", "吴怡婧", "袁天宏"]
    page = parse("byline_bare_names_under_headline")
    assert article_by_title(page, "柯城").authors == ["郑晨", "周云奇"]
    assert article_by_title(page, "开化").authors == ["徐露婷"]
    page = parse("byline_bullet_and_spaced_names")
    assert article_by_title(page, "小竹子").authors == ["张磊", "吴晓东"]
    assert article_by_title(page, "专精特新").authors == ["李想"]
    for article in page.articles:
        assert "记者" not in article.body and "通讯员" not in article.body


def test_kicker_line_above_headline(parse):
    story = article_by_title(parse("byline_bullet_and_spaced_names"), "小竹子")
    assert story.kicker == "山区26县跨越式发展观察"
    assert story.title == "衢州龙游:小竹子撬动百亿产业"


def test_umbrella_feature_keeps_signed_speeches_as_sections(parse):
    page = parse("signed_speeches_under_umbrella")
    assert len(page.articles) == 1
    feature = page.articles[0]
    assert feature.kind == "speech"
    assert feature.subtitle == "——深化“八大行动”推进大会发言摘要"
    assert feature.authors == ["何小建", "宋斌"]
    assert "## 以实干展现新作为 靠担当交出新答卷" in feature.body
    assert "## 勇挑重担 感恩奋进 实干争先 奋力书写推动“八大行动”走深走实辉煌新篇" in feature.body
    assert "### 一、主要成效" in feature.body
    assert feature.body.startswith("> 编者按:")
    assert "在全市生态环境监测大比武中" in feature.body


def test_sections_inside_a_story(parse):
    story = parse("web_copy_footer_and_sections").articles[0]
    assert "## 生态工业平台 ——绿色发展“主引擎”" in story.body
    assert "## 数字科创平台 ——融合发展“加速器”" in story.body


def test_caption_in_mid_sentence_moves_to_the_photo_credit(parse):
    story = parse("caption_inside_sentence").articles[0]
    assert "开化始终坚持“生态立县、产业兴县、创新强县”" in story.body
    assert "余志明" not in story.body and "摄" not in story.body
    assert story.photos == [{"caption": "生态功能区建设稳步推进", "credit": "余志明 摄"}]
    assert story.photographers == ["余志明"]
    assert story.notes == ["(图片除署名外,由开化传媒集团提供)"]


def test_paragraphs_cut_by_columns_are_joined(parse):
    body = parse("column_cut_paragraphs").articles[0].body
    for joined in ("《衢州市残疾人社会服务条例》", "做好知识产权司法保障工作", "加快经济高质量发展若干政策意见"):
        assert joined in body
    assert body.count("\n\n") == 1  # two paragraphs, as printed


def test_photo_item_with_title_caption_and_credit(parse):
    page = parse("photo_item_with_credit_line")
    assert [a.kind for a in page.articles][:2] == ["brief", "photo"]
    photo = article_by_title(page, "项目建设正酣")
    assert photo.photographers == ["周志亮"]
    assert photo.body.startswith("慢城文化旅游博览中心")
    assert "周志亮" not in article_by_title(page, "组团挂联").body


def test_teasers_and_banners_on_a_front_page(parse):
    page = parse("masthead_teasers_and_banner")
    teasers = [a for a in page.articles if a.kind == "teaser"]
    assert [t.see_page for t in teasers] == [4, 2]
    assert teasers[1].title == "他成为村里第三个器官捐献者"
    assert "音坑乡对门村" in teasers[1].body
    photo = article_by_title(page, "古城韵味")
    assert photo.kind == "photo" and photo.photographers == ["刘芸"]
    news = article_by_title(page, "高屹率团")
    assert "今日导读" not in news.body and "刘芸" not in news.body
    assert {d["why"] for d in page.dropped} >= {"masthead", "teaser-box", "teaser-ref", "banner", "editor"}
    assert any(d["text"] == "工业强市 产业兴市" for d in page.dropped)


def test_story_without_byline_at_the_top_of_a_page(parse):
    story = parse("story_without_byline_at_page_start").articles[0]
    assert story.title == "衢江区举办招商推介会"
    assert story.body.startswith("12月1日")


def test_epaper_trailers_end_stories(parse):
    page = parse("epaper_label_and_trailers")
    assert [a.title for a in page.articles] == ["他成为村里第三个器官捐献者", "龙游:“智”造升级跑出加速度"]
    assert page.articles[0].kicker == "大爱,在对门延续"
    assert all("衢州日报" not in a.body for a in page.articles)


def test_spaces_from_wrapping_are_removed_in_body_not_in_headlines(parse):
    story = parse("web_copy_wrap_spaces").articles[0]
    assert "一个文化底蕴深厚的千年古县。多年前" in story.body
    assert "SOD和溶解酶" in story.body
    assert article_by_title(parse("headline_parts_with_spaces"), "浙商").subtitle == "徐张艳蔡晓春致辞 杜兴林主持"


def test_traditional_page_keeps_its_characters(parse):
    page = parse("traditional_characters")
    news = article_by_title(page, "高屹率團")
    assert news.authors == ["徐穎之"]
    assert "經貿代表團" in news.body
    assert news.counties == ["衢州市"]
    # the paper is one paper whatever script its masthead is printed in
    assert page.paper == "衢州日报" and page.date == "2024-11-30"


def test_teaser_box_with_several_teasers(parse):
    page = parse("teaser_box_with_several_teasers")
    teasers = [a for a in page.articles if a.kind == "teaser"]
    assert [(t.title, t.see_page) for t in teasers] == [
        ("他成为村里第三个器官捐献者", 2), ("龙游竹产业产值突破60亿元", 3), ("江山干部走进企业解难题", 5)]
    assert teasers[2].body.startswith("11月29日,江山市")
    assert "导读" not in article_by_title(page, "高屹率团").body


def test_epaper_title_list_is_navigation(parse):
    page = parse("epaper_title_list")
    assert [a.title for a in page.articles] == ["高屹率团赴韩国开展经贸考察访问", "市八届人大常委会第二十二次会议召开"]
    assert [d["why"] for d in page.dropped].count("navigation") == 2
    assert page.articles[1].authors == ["郑菁菁"]  # 本报讯【记者 …】


def test_web_copy_meta_line_gives_date_paper_and_author(parse):
    page = parse("web_copy_meta_line")
    assert (page.paper, page.date, page.date_basis) == ("浙江日报", "2024-11-30", "web")
    story = page.articles[0]
    assert story.authors == ["王强"]
    assert "上一篇" not in story.body and "来源" not in story.body


def test_photo_item_with_a_short_caption(parse):
    page = parse("photo_item_short_caption")
    photo = article_by_title(page, "春到茶园")
    assert photo.kind == "photo" and photo.photographers == ["余志明"]
    assert photo.body.strip() == "开化县马金镇的茶农正在采摘明前茶"


def test_a_trailer_closes_the_story_above_it(parse):
    page = parse("trailer_ends_story_without_headline")
    assert len(page.articles) == 2
    assert "江山市" not in page.articles[0].body
    assert page.articles[1].body.startswith("11月29日,江山市")


def test_an_editor_line_closes_the_story_above_it(parse):
    page = parse("editor_line_ends_story")
    first = article_by_title(page, "龙游竹产业")
    assert "江山市" not in first.body  # an unfinished paragraph does not run on past 责任编辑
    assert any(a.body.startswith("11月29日,江山市") for a in page.articles if a is not first)
    assert "editor" in {d["why"] for d in page.dropped}


def test_every_kind_of_line_has_a_handler():
    from quzhou_archive.ingest.layout import _Assembler
    from quzhou_archive.ingest.lines import DASH, HEAD, LineKind
    assert set(_Assembler._HANDLERS) | {HEAD, DASH} == set(LineKind)


@pytest.mark.parametrize(
    "case, authors",
    [
        ("byline_web_colon_form", ["张晓燕", "刘伟", "陈丽娟"]),
        ("byline_bracketed_team_lead", ["徐丽华", "王小明", "周志亮"]),
        ("byline_original_title_note", ["毛丽君", "郑剑波"]),
        ("byline_after_source_field", ["方利军", "傅云燕"]),
        ("byline_at_end_of_story", ["章佳恬", "徐丽婷", "邱丹晨"]),
        ("byline_bullet_inside_wrapped_line", ["张晓燕", "刘伟"]),
        ("caption_under_image_file_name", ["李灿", "祝旑波"]),
    ],
)
def test_web_bylines_name_the_authors(parse, case, authors):
    page = parse(case)
    assert len(page.articles) == 1
    story = page.articles[0]
    assert story.authors == authors
    for name in authors:
        assert name not in story.body
    assert "记者" not in story.body and "通讯员" not in story.body and "原标题" not in story.body


def test_writer_who_took_the_photos_is_author_and_photographer(parse):
    story = parse("byline_writer_and_photographer").articles[0]
    assert story.authors == ["吴红梅", "郑晨", "刘烨珏", "翁正义"]
    assert story.photographers == ["吴红梅"]
    assert "文/摄" not in story.body


def test_web_editors_are_never_authors(parse):
    page = parse("byline_web_editors_are_not_authors")
    story = page.articles[0]
    assert story.authors == ["王晓东"]
    assert not {"李佳", "陈红", "林俊"} & set(story.authors + story.photographers)
    assert "编辑" not in story.body and "责编" not in story.body


def test_paragraph_is_not_lost_to_a_caption(parse):
    story = parse("caption_not_a_long_last_paragraph").articles[0]
    assert ("衢丽铁路是连通浙江省“大花园”建设核心区衢州、丽水两市的支撑性工程,也是浙西南生态旅游带发展规划中的重要通道,"
            "对促进区域经济社会发展具有重大意义。") in story.body
    assert story.photos == [{"caption": None, "credit": "新华社记者 张三 摄"}]
    assert story.photographers == ["张三"] and story.authors == ["王伟"]


def test_image_caption_stays_with_its_story(parse):
    page = parse("caption_under_image_file_name")
    story = page.articles[0]
    assert story.photos == [{"caption": "茗富村村貌。", "credit": ""}]
    assert story.body.startswith("这里是开化县") and "46.jpg" not in story.body
    assert "开化县" in story.counties


def test_section_heading_with_a_comma(parse):
    story = parse("heading_with_one_comma").articles[0]
    assert "## 是慢行道,也是绿色道" in story.body


def test_byline_field_naming_the_paper_before_the_names(parse):
    story = parse("byline_field_with_paper_before_names").articles[0]
    assert story.authors == ["张三", "李四"]
    assert "作者" not in story.body and "##" not in story.body


def test_bracketed_credit_on_its_own_line_after_the_text(parse):
    story = parse("byline_bracketed_at_end_then_editor").articles[0]
    assert story.authors == ["张三", "李四", "王五"]
    assert "赵六" not in story.authors and "记者" not in story.body


def test_names_under_a_source_line_credit_the_story_above(parse):
    page = parse("byline_names_under_source_line")
    assert len(page.articles) == 1
    assert page.articles[0].authors == ["方利军", "傅云燕"]
    assert "orphan credit" not in {d["why"] for d in page.dropped}


def test_headline_followed_by_its_meta_lines_starts_a_story(parse):
    page = parse("headline_above_timestamp_and_counter")
    story = page.articles[0]
    assert (story.kicker, story.title) == ("特别报道《来自春天的报告》(二)", "衢州:谋划大产业 致力新发展")
    assert story.body.startswith("如何在坚持绿色发展")
    assert {d["why"] for d in page.dropped} == {"web-meta", "noise"}  # a site's time stamp, a counter


def test_split_headline_kickers_of_web_headlines():
    assert split_headline("强化交流合作 实现共同发展 青岛浙江商会 “浙商回归”开化县项目投资座谈会召开") == (
        "强化交流合作 实现共同发展", "青岛浙江商会 “浙商回归”开化县项目投资座谈会召开", None)
    assert split_headline("特别报道《来自春天的报告》(二) 衢州:谋划大产业 致力新发展")[:2] == (
        "特别报道《来自春天的报告》(二)", "衢州:谋划大产业 致力新发展")


def test_source_line_under_a_story_closes_it(parse):
    page = parse("source_line_under_story_closes_it")
    assert len(page.articles) == 2
    assert "一家人" not in page.articles[0].body
    assert page.articles[0].authors == ["殷军领"]


def test_every_furniture_that_states_facts_has_a_rank():
    from quzhou_archive.ingest.layout import _STATES_FACTS
    from quzhou_archive.ingest.page import _FACT_RANK
    assert set(_STATES_FACTS) <= set(_FACT_RANK)
