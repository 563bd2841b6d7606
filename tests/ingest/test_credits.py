import pytest

from quzhou_archive.ingest.credits import names_in_credit, parse_lead, parse_photo_credit, parse_signature


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
