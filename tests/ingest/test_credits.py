import pytest

from quzhou_archive.ingest.credits import (
    bracket_credit, is_editor_label, names_in_credit, parse_lead, parse_photo_credit, parse_signature, read_credit,
    trailing_credit, web_meta_credit,
)


@pytest.mark.parametrize(
    "line, byline, authors, rest",
    [
        ("本报讯(记者 徐颖之)11月26日至29日,市委书记", "本报讯(记者 徐颖之)", ["徐颖之"], "11月26日至29日,市委书记"),
        ("本报讯(衢报传媒集团记者 毛慧娟 通讯员 雷浩宇)“我以为", "本报讯(衢报传媒集团记者 毛慧娟 通讯员 雷浩宇)",
         ["毛慧娟", "雷浩宇"], "“我以为"),
        ("本报讯(报道组 郑晨 吴怡婧 通讯员 袁天宏)近日", None, ["郑晨", "吴怡婧", "袁天宏"], "近日"),
        ("本报讯(记者 童子遇 俞国文 见习记者 张墨)永续山海情", None, ["童子遇", "俞国文", "张墨"], "永续山海情"),
        ("本報訊(記者 童子遇 俞國文 見習記者 張墨)永續", None, ["童子遇", "俞國文", "張墨"], "永續"),
        ("本报讯 记者 徐颖之 通讯员 张三 11月26日,今天", "本报讯 记者 徐颖之 通讯员 张三", ["徐颖之", "张三"], "11月26日,今天"),
        ("新华社杭州3月4日电(记者 王 伟)浙江省统计局4日发布数据", None, ["王伟"], "浙江省统计局4日发布数据"),
        ("本报江山3月4日电 江山市经信局数据显示", "本报江山3月4日电", [], "江山市经信局数据显示"),
        ("衢州新闻网讯 记者 张三 6月14日,衢州召开大会", "衢州新闻网讯 记者 张三", ["张三"], "6月14日,衢州召开大会"),
        ("开化新闻网6月14日讯 记者 张三 今天,开化召开大会", "开化新闻网6月14日讯 记者 张三", ["张三"], "今天,开化召开大会"),
    ],
)
def test_lead_bylines_become_names(line, byline, authors, rest):
    lead = parse_lead(line)
    assert lead is not None
    assert lead.authors == authors
    assert lead.rest == rest
    if byline:
        assert lead.byline == byline


def test_ordinary_paragraph_is_not_a_lead():
    assert parse_lead("11月28日,开化县音坑乡对门村46岁的村民徐春田完成了器官捐献。") is None


@pytest.mark.parametrize(
    "line, need_role, names",
    [
        ("郑晨 周云奇", False, ["郑晨", "周云奇"]),
        ("徐露婷", False, ["徐露婷"]),
        ("郑晨 周云奇", True, None),               # bare names need the layout to vouch for them
        ("记者 童子遇 李欣宁", True, ["童子遇", "李欣宁"]),
        ("■本报记者 张 磊 通讯员 吴晓东", True, ["张磊", "吴晓东"]),
        ("大美衢州", False, None),
        ("古城韵味", False, None),
        ("城市经济欣欣向荣", False, None),
    ],
)
def test_credit_lines(line, need_role, names):
    assert names_in_credit(line, need_role=need_role) == names


@pytest.mark.parametrize(
    "line, caption, photographers",
    [
        ("记者 周志亮 摄", "", ["周志亮"]),
        ("水亭门春节舞龙活动吸引八方游客 许军 摄", "水亭门春节舞龙活动吸引八方游客", ["许军"]),
        ("让游客沉浸于衢州秋冬之交的静美与深邃。 记者 刘芸 摄", "让游客沉浸于衢州秋冬之交的静美与深邃。", ["刘芸"]),
        ("记者 张 磊 摄", "", ["张磊"]),
        ("游客打卡(记者 张三 摄)", "游客打卡", ["张三"]),
    ],
)
def test_photo_credits(line, caption, photographers):
    credit = parse_photo_credit(line)
    assert credit.caption == caption
    assert credit.photographers == photographers
    assert "摄" in credit.credit


@pytest.mark.parametrize("line", ["我们去拍摄", "八方游客许军摄", "摄"])
def test_not_photo_credits(line):
    assert parse_photo_credit(line) is None


@pytest.mark.parametrize(
    "line, name",
    [
        ("市生态环境局常山分局党组书记、局长 何小建", "何小建"),
        ("乡贤代表、俄罗斯工程院外籍院士、浙江大学求是特聘教授、博导 刘雪松", "刘雪松"),
        ("浙江珏芯微电子有限公司董事长兼总经理 毛剑宏", "毛剑宏"),
    ],
)
def test_signatures(line, name):
    assert parse_signature(line).name == name


def test_headline_with_spaces_is_not_a_signature():
    assert parse_signature("勇挑重担 感恩奋进 实干争先") is None


@pytest.mark.parametrize(
    "line, authors, photographers",
    [
        ("记者 吴红梅文/摄 报道组 郑晨 通讯员 刘烨珏 翁正义", ["吴红梅", "郑晨", "刘烨珏", "翁正义"], ["吴红梅"]),
        ("文/图 张三", ["张三"], ["张三"]),
        ("文 张三 图 李四", ["张三"], ["李四"]),
        ("记者 张三 李四 摄", [], ["张三", "李四"]),
        ("摄影 李四", [], ["李四"]),
        ("通讯员:张三、李四 记者:王五", ["张三", "李四", "王五"], []),
        ("共享联盟常山站 张三 李四 记者 王五", ["张三", "李四", "王五"], []),
        ("浙江在线见习记者 李灿 记者 祝旑波 县委报道组 程磊", ["李灿", "祝旑波", "程磊"], []),
        ("县融媒体中心 钱晨菲 记者 郑晨", ["钱晨菲", "郑晨"], []),
    ],
)
def test_credits_tell_writers_from_photographers(line, authors, photographers):
    credit = read_credit(line, need_role=False)
    assert (credit.authors, credit.photographers) == (authors, photographers)


@pytest.mark.parametrize(
    "line, authors",
    [
        ("2019-04-10 06:31:27 来源:浙江在线 浙江在线见习记者 李灿 记者 祝旑波", ["李灿", "祝旑波"]),
        ("2017年05月24日 11:21:19 来源: 掌上衢州 方利军 傅云燕", ["方利军", "傅云燕"]),
        ("发布时间: 2015-04-21 14:49:13 来源: 浙江在线 作者: 记者周娜 胡婧妤", ["周娜", "胡婧妤"]),
        ("时间:2024-01-01 来源:开化新闻网 作者:王五 编辑:李四", ["王五"]),
        ("2012-01-10 11:22:23 责任编辑:QZ021 来源:前瞻网", []),
        ("来源:衢州日报 编辑:张三", []),
        ("来源:衢州日报 责编 张三", []),
        ("来源: 人民网 浙江频道", []),
    ],
)
def test_web_meta_names_writers_never_editors(line, authors):
    assert web_meta_credit(line).authors == authors


@pytest.mark.parametrize("label", ["编辑", "责编", "责任编辑:", "責任編輯"])
def test_editors_are_never_roles_of_a_byline(label):
    assert is_editor_label(label)
    assert names_in_credit(f"{label} 张三", need_role=False) is None


@pytest.mark.parametrize(
    "text, credit, authors",
    [
        ("……也具有重大意义。(通訊員 章佳恬 徐麗婷 記者 邱丹晨)", "(通訊員 章佳恬 徐麗婷 記者 邱丹晨)", ["章佳恬", "徐麗婷", "邱丹晨"]),
        ("项目开工。(原标题:衢州这个项目开工了 通讯员:张三 记者:李四)", "(原标题:衢州这个项目开工了 通讯员:张三 记者:李四)",
         ["张三", "李四"]),
    ],
)
def test_credit_in_brackets_at_the_end_of_a_paragraph(text, credit, authors):
    at = trailing_credit(text)
    assert text[at:] == credit
    assert bracket_credit(credit[1:-1]).authors == authors


@pytest.mark.parametrize("text", ["今天开工(记者 张三)", "他说(张三 李四)。", "项目总投资10亿元。(一期)"])
def test_brackets_inside_a_sentence_are_no_credit(text):
    assert trailing_credit(text) is None


def test_bracketed_credit_opens_a_paragraph_without_a_tag():
    lead = parse_lead("(共享联盟常山站 张三 李四 记者 王五)近日,常山县召开胡柚产业发展大会,发布了全产业链发展规划。")
    assert lead.authors == ["张三", "李四", "王五"]
    assert lead.rest.startswith("近日")
    assert parse_lead("(一)加快项目建设。全县共安排重点项目50个,总投资120亿元,年度计划投资60亿元。") is None


def test_photo_credit_glued_after_a_sentence():
    credit = parse_photo_credit("压题图:马金镇石柱村。毛水华摄")
    assert (credit.caption, credit.photographers) == ("压题图:马金镇石柱村。", ["毛水华"])
