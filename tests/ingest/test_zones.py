"""The page model: lines re-labelled by where they stand (head, meta, text, tail)."""
from quzhou_archive.ingest import zones
from quzhou_archive.ingest.furniture import Furniture
from quzhou_archive.ingest.lines import CAPTION, FURNITURE, HEAD, classify, logical_lines
from tests.conftest import article_by_title, raw_sample


def read(case):
    text = raw_sample(case).read_text(encoding="utf-8")
    return zones.read_page(classify(zones.split_glued(logical_lines(text))))


def dropped(page):
    return {d["text"]: d["why"] for d in page.dropped}


def bodies(page):
    return "".join(a.body for a in page.articles)


def test_site_name_above_the_headline_is_furniture(parse):
    page = parse("site_name_above_headline")
    story = page.articles[0]
    assert story.title == "开化县项目投资座谈会召开" and story.kicker == "强化交流合作 实现共同发展"
    assert dropped(page)["开化新闻网"] == "site-name"


def test_site_name_beside_the_date_is_no_subtitle(parse):
    page = parse("site_name_beside_date")
    assert page.articles[0].subtitle is None
    assert dropped(page)["浙江在线"] == "site-name"


def test_a_lone_site_name_is_still_a_headline():
    lines = zones.read_page(classify(logical_lines("开化新闻网\n开化县召开项目投资座谈会,双方签约。\n")))
    assert lines[0].kind == HEAD


def test_breadcrumb_above_the_headline(parse):
    page = parse("breadcrumb_above_headline")
    assert page.articles[0].title == "龙游特种纸产业集群"
    assert dropped(page)["当前位置:首页>区域经济>产业集群"] == "breadcrumb"


def test_web_headline_with_commas_before_its_buttons(parse):
    page = parse("web_headline_with_commas")
    assert page.articles[0].title == "县城面积扩大5倍,多个标志性建筑拔地而起,开化40年巨变展新颜~"
    assert "分享至" not in bodies(page) and "申请入驻" not in bodies(page)


def test_headline_fused_with_its_first_sentence(parse):
    story = parse("headline_fused_with_first_sentence").articles[0]
    assert story.title == "衢州召开全市工业大会" and story.headline_printed
    assert story.body.startswith("11月26日上午,衢州市召开")


def test_a_sentence_opening_with_its_source_is_not_split():
    lines = zones.read_page(classify(logical_lines("记者从市发改委获悉11月26日,全市开工项目32个。\n")))
    assert [ln.kind for ln in lines] != [HEAD, HEAD] and len(lines) == 1


def test_headline_with_column_tag_keeps_the_column_as_kicker(parse):
    story = parse("headline_with_column_tag").articles[0]
    assert (story.kicker, story.title) == ("【聚焦高质量发展】", "衢江区智能装备产业园开工")


def test_source_tag_glued_to_a_headline_names_the_paper(parse):
    page = parse("headline_with_source_tag")
    assert page.paper == "衢州日报"
    assert page.articles[0].title.startswith("梦起钱江源")
    assert dropped(page)["[衢州日报]"] == "source-tag"


def test_timestamp_glued_to_a_headline(parse):
    page = parse("headline_with_timestamp_glued")
    story = page.articles[0]
    assert story.title == "茶铺未来乡村驶入茶产业发展“快车道”" and story.date == "2023-01-05"
    assert "吴红梅" not in story.body  # the credit line under the headline is the story's byline
    assert story.byline == ["记者 吴红梅文/摄 通讯员 刘烨珏"]


def test_jump_lines_glued_to_paragraphs(parse):
    page = parse("jump_line_glued_to_paragraph")
    assert "上接" not in bodies(page) and "下转" not in bodies(page)
    assert page.articles[0].body.startswith("同时,他还聘用")
    assert dropped(page)["(上接一版)"] == "jump" and dropped(page)["(下转第四版)"] == "jump"


def test_related_list_under_a_story(parse):
    page = parse("related_articles_list")
    assert len(page.articles) == 1
    body = page.articles[0].body
    assert "相关新闻" not in body and "博览会" not in body and "[详细]" not in body and "行业观察" not in body


def test_bulleted_titles_without_a_header_are_a_related_list(parse):
    page = parse("related_bullets_without_header")
    assert "李四" not in bodies(page) and len(page.articles) == 1
    assert list(dropped(page).values()).count("related") == 3


def test_photo_titles_of_a_web_gallery_are_captions(parse):
    story = parse("photo_titles_of_web_gallery").articles[0]
    assert "##" not in story.body and "▲" not in story.body and "毛水华" not in story.body
    assert {"caption": "▲扬帆起航·新城", "credit": ""} in story.photos
    assert set(story.photographers) == {"余志明", "毛水华"}


def test_image_file_name_and_the_caption_under_it(parse):
    page = parse("image_file_name_and_caption")
    assert len(page.articles) == 1
    story = page.articles[0]
    assert story.photos == [{"caption": "茗富村村貌。", "credit": ""}]
    assert story.authors == ["祝旑波"] and "46.jpg" not in story.body


def test_section_heading_with_a_topic_and_a_comma(parse):
    body = parse("section_heading_with_comma").articles[0].body
    assert "## 共富:茶旅融合新路子,“长出”致富金叶子" in body


def test_short_heading_with_a_comma_in_a_web_copy(parse):
    assert "## 是慢行道,也是绿色道" in parse("web_copy_short_heading_with_comma").articles[0].body


def test_a_cut_fragment_in_a_print_page_stays_text():
    lines = read("column_cut_paragraphs")
    assert not any(ln.kind == HEAD and ln.text.startswith("吴国升强调") for ln in lines)


def test_vertical_label_opens_a_box_of_its_own(parse):
    page = parse("vertical_label_characters")
    assert [a.title for a in page.articles] == ["杭州坐火车到衢州不必绕道", "衢州南投两地基层民众结亲:我们都是一家人"]
    assert [d["why"] for d in page.dropped].count("label") == 2


def test_lone_bullet_and_date_fragments_are_not_headlines(parse):
    page = parse("lone_bullet_and_date_fragment")
    assert [a.title for a in page.articles] == ["柯城区新增国家高新技术企业28家"]
    assert dropped(page)["11月26日"] == "date-fragment" and dropped(page)["星期二"] == "date-fragment"


def test_kinds_after_reading_the_page():
    lines = read("photo_titles_of_web_gallery")
    assert [ln.kind for ln in lines if ln.text.startswith("▲")] == [CAPTION, CAPTION]
    lines = read("nav_bar_of_other_cities")
    assert [ln.info for ln in lines[:3]] == [Furniture.SITE_NAV, Furniture.SITE_NAV, Furniture.BREADCRUMB]
    assert all(ln.kind == FURNITURE for ln in lines[:3])


def test_splits_keep_raw_line_numbers():
    lines = read("jump_line_glued_to_paragraph")
    jump = next(ln for ln in lines if ln.text == "(上接一版)")
    rest = next(ln for ln in lines if ln.text.startswith("同时"))
    assert (jump.first, jump.last) == (rest.first, rest.last) == (5, 5)


def test_article_by_title_helper_sees_the_new_headlines(parse):
    assert article_by_title(parse("headline_above_timestamp_and_counter"), "谋划大产业").kicker == "特别报道《来自春天的报告》(二)"


def test_site_name_above_a_fused_headline(parse):
    page = parse("site_name_above_fused_headline")
    assert [a.title for a in page.articles] == ["龙游县举行招商推介会"]
    assert dropped(page)["衢州新闻网"] == "site-name"


def test_short_row_of_sections_above_a_web_headline(parse):
    page = parse("short_nav_row_above_web_headline")
    story = page.articles[0]
    assert (story.kicker, story.title) == (None, "江山开展助企服务月活动")
    assert dropped(page)["首页 新闻 政务 视频"] == "site-nav"


def test_a_banner_slogan_above_a_printed_headline_stays_the_kicker():
    text = "稳进 提质 增效 惠民\n衢州经济工作会议召开\n本报讯(记者 徐颖之)昨日,全市经济工作会议召开。\n"
    lines = zones.read_page(classify(logical_lines(text)))
    assert lines[0].kind == HEAD


def test_e_paper_list_of_pages_is_navigation(parse):
    page = parse("epaper_list_of_pages")
    assert (page.paper, page.page, page.section) == ("衢州日报", 3, "经济")
    assert [d["why"] for d in page.dropped].count("navigation") == 3
