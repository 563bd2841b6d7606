import pytest

from quzhou_archive.ingest.lines import (
    BODY, BYLINE, CAPTION, CREDIT, DASH, EDNOTE, FURNITURE, HEAD, LEAD, SIGNED, classify, ends_sentence, logical_lines,
)
from tests.conftest import raw_sample


def kinds(text):
    return [(ln.kind, ln.text[:8]) for ln in classify(logical_lines(text))]


def test_each_kind_of_line_is_recognised():
    text = raw_sample("signed_speeches_under_umbrella").read_text(encoding="utf-8")
    got = [k for k, _ in kinds(text)]
    assert got[:6] == [EDNOTE, HEAD, DASH, HEAD, SIGNED, BODY]
    assert got.count(SIGNED) == 2


def test_masthead_lead_caption_and_credit():
    got = dict((t, k) for k, t in kinds(raw_sample("masthead_teasers_and_banner").read_text(encoding="utf-8")))
    assert got["衢州日报"] == FURNITURE
    assert got["本报讯(记者 徐"] == LEAD
    assert got["秋冬时节,孔氏南"] == CAPTION
    text = raw_sample("photo_item_with_credit_line").read_text(encoding="utf-8")
    assert (CREDIT, "记者 周志亮 摄") in kinds(text)


def test_bare_names_are_a_byline_only_under_a_headline():
    got = kinds("柯城: 加快打造高品质现代化城区\n\n郑晨 周云奇\n\n正文第一段,说了一些事情。\n\n郑晨 周云奇\n")
    assert got[1] == (BYLINE, "郑晨 周云奇")
    assert got[3] != (BYLINE, "郑晨 周云奇")


def test_short_comma_line_above_headline_is_a_kicker():
    text = raw_sample("kicker_with_comma_above_headline").read_text(encoding="utf-8")
    assert [k for k, _ in kinds(text)][:3] == [HEAD, HEAD, LEAD]


def test_cut_fragment_is_body_not_heading():
    assert kinds("吴国升强调,做好知识产权司法\n")[0][0] == BODY


def test_wrapped_web_copy_lines_are_joined():
    lines = logical_lines(raw_sample("web_copy_wrapped_lines").read_text(encoding="utf-8"))
    assert [ln.text for ln in lines][:2] == ["遂昌建设三大平台加快绿色发展", "本文转自:浙江日报"]
    assert "SOD和溶解酶" in lines[4].text
    assert lines[2].text.endswith("自然画卷。")


def test_indented_wrapped_copy_starts_paragraphs_at_the_indent():
    lines = logical_lines(raw_sample("web_copy_wrapped_indented").read_text(encoding="utf-8"))
    assert len(lines) == 6
    assert lines[3].text.endswith("绿色发展。")


def test_page_dump_lines_are_not_joined():
    lines = logical_lines(raw_sample("epaper_label_and_trailers").read_text(encoding="utf-8"))
    assert len(lines) == 9


def test_sentence_end():
    assert ends_sentence("完成率达98.4%。")
    assert ends_sentence("“……他说。”")
    assert not ends_sentence("近年来,开化聚焦“全域旅游”")
    assert not ends_sentence("实现生产自动化")


def test_line_kinds_are_members_of_one_enumeration():
    from quzhou_archive.ingest.furniture import Furniture
    from quzhou_archive.ingest.lines import LineKind
    lines = classify(logical_lines(raw_sample("epaper_label_and_trailers").read_text(encoding="utf-8")))
    assert all(isinstance(ln.kind, LineKind) for ln in lines)
    assert all(isinstance(ln.info, Furniture) for ln in lines if ln.kind == FURNITURE)
    assert FURNITURE != "furniture"  # a bare string never passes for a kind


# -- lines that hold two things ---------------------------------------------

def classified(case):
    return classify(logical_lines(raw_sample(case).read_text(encoding="utf-8")))


def test_bracketed_credit_ending_the_last_paragraph_is_a_byline():
    lines = classified("byline_at_end_of_story")
    byline = next(ln for ln in lines if ln.kind == BYLINE)
    assert byline.text == "(通讯员 章佳恬 徐丽婷 记者 邱丹晨)"
    assert byline.info.authors == ["章佳恬", "徐丽婷", "邱丹晨"]
    assert any(ln.kind == BODY and ln.text.endswith("具有重大意义。") for ln in lines)


def test_bulleted_credit_inside_a_wrapped_line():
    lines = classified("byline_bullet_inside_wrapped_line")
    assert [(ln.kind, ln.text[:6]) for ln in lines] == [(HEAD, "山海协作结出"), (BYLINE, "■ 张晓燕 "), (BODY, "近日,在衢州")]
    assert lines[1].info.authors == ["张晓燕", "刘伟"]


def test_bullet_list_item_is_not_a_credit():
    lines = classify(logical_lines("分区域情况看:\n\n◆柯城区组织项目31个,总投资18亿元;\n\n★ 张三 获评省级劳动模范\n"))
    assert BYLINE not in [ln.kind for ln in lines]


def test_long_paragraph_ending_in_a_credit_is_text():
    lines = classified("caption_not_a_long_last_paragraph")
    assert [ln.kind for ln in lines][-3:] == [BODY, BODY, CREDIT]
    assert lines[-2].text.startswith("也是浙西南") and lines[-2].text.endswith("重大意义。")
    assert lines[-1].text == "新华社记者 张三 摄" and lines[-1].info.photographers == ["张三"]
    long_line = "乡村要振兴,产业是根本。" * 14 + " 新华社记者 张三 摄"
    assert [ln.kind for ln in classify(logical_lines(long_line))] == [BODY, CREDIT]


def test_caption_that_a_paragraph_runs_past_stays_a_caption():
    text = raw_sample("caption_inside_sentence").read_text(encoding="utf-8")
    assert (CAPTION, "生态功能区建设稳") in kinds(text)


@pytest.mark.parametrize(
    "line, authors, photographers",
    [
        ("文/图 张三", ["张三"], ["张三"]),
        ("图/李四 文/张三", ["张三"], ["李四"]),
        ("撰文:张三 摄影:李四", ["张三"], ["李四"]),
        ("记者|张三", ["张三"], []),
        ("【记者 张三】", ["张三"], []),
        ("记者 张三/文 李四/摄", ["张三"], ["李四"]),
        ("记者 张三 摄影报道", ["张三"], ["张三"]),
        ("(原标题:江山12个项目签约 通讯员:毛丽君 记者:郑剑波)", ["毛丽君", "郑剑波"], []),
    ],
)
def test_byline_forms_under_a_headline(line, authors, photographers):
    byline = classify(logical_lines(f"江山一批项目集中签约\n\n{line}\n\n4月2日,江山市举行重大项目集中签约仪式。\n"))[1]
    assert byline.kind == BYLINE
    assert (byline.info.authors, byline.info.photographers) == (authors, photographers)


def test_photo_credit_of_several_photographers_stays_a_credit():
    line = classify(logical_lines("(记者 王五 通讯员 赵六 摄)\n"))[0]
    assert line.kind == CREDIT and line.info.photographers == ["王五", "赵六"]
