from quzhou_archive.ingest.places import counties_for, home_of, mentions
from quzhou_archive.textnorm import fold


def test_towns_map_to_their_county():
    found = mentions("辉埠镇 球川镇 华埠镇 黄坛口乡")
    assert found["常山县"] == 2 and found["开化县"] == 1 and found["衢江区"] == 1


def test_home_pronouns_follow_the_paper():
    body = fold("我县邮政公司与县交通运输局紧密合作。下一步,我县将实现村村有快递。")
    assert counties_for("", body, home="常山县") == ["常山县"]
    assert counties_for("", body, home="开化县") == ["开化县"]


def test_city_wide_news_is_quzhou_city():
    body = fold("市八届人大常委会第二十二次会议召开。全市人大系统要为我市发展服务。衢州市本级债务限额。")
    assert counties_for("", body, home="衢州市") == ["衢州市"]


def test_outside_places_get_official_full_names():
    assert counties_for(fold("遂昌建设三大平台"), fold("遂昌,一座生态之城。遂昌县委主要负责人说。"), None) == ["遂昌县"]
    got = counties_for(fold("县党政代表团赴拱墅区学习考察"), fold("拱墅与常山。拱墅区与常山县签订协议。"), "常山县")
    assert set(got) == {"常山县", "拱墅区"}


def test_traditional_text_is_folded_before_matching():
    assert counties_for(fold("開化:聚焦產業發展"), fold("開化縣華埠鎮,龍頂茶。"), None) == ["开化县"]


def test_passing_mentions_do_not_count():
    body = fold("开化" * 10 + "。与衢州市常山县等地开展协作。")
    assert counties_for("", body, None) == ["开化县"]


def test_ambiguous_short_forms_are_masked():
    assert "江山市" not in mentions(fold("江山如画,人民就是江山。"))


def test_home_of_paper_and_page():
    assert home_of("常山报", mentions("")) == "常山县"
    assert home_of(None, mentions("常山县 常山 辉埠镇 开化")) == "常山县"
    assert home_of("浙江日报", mentions("常山 常山")) is None


def test_city_named_before_its_county_only_locates_it():
    assert mentions(fold("浙江省衢州市柯城区九华乡")) == {"柯城区": 2}
    assert mentions(fold("衢州柯城")) == {"柯城区": 1}
    assert mentions(fold("衢州、柯城")) == {"衢州市": 1, "柯城区": 1}


def test_one_county_story_is_not_filed_under_the_city(parse):
    assert parse("city_named_before_county").articles[0].counties == ["柯城区"]


def test_story_naming_several_counties_is_city_wide():
    body = fold("龙游县湖镇镇张家埠村;龙游县溪口镇。柯城区万田乡。江山市峡口镇。衢州未来乡村建设。")
    got = counties_for(fold("衢州探索未来乡村发展路径"), body, None)
    assert "衢州市" in got and "龙游县" in got


def test_mentions_of_joined_texts_are_the_sum_of_each_texts():
    # (so that ingest searches each story once for the page's mentions and its own)
    from collections import Counter

    from quzhou_archive.ingest.places import separates

    assert separates(" ") and separates("\n")
    parts = [fold(t) for t in ("衢州市柯城区", "常山县 辉埠镇", "开化", "江山如画", "衢州", "常山")]
    total: Counter = Counter()
    for part in parts:
        total.update(mentions(part))
    assert list(total.items()) == list(mentions(" ".join(parts)).items())


def test_every_division_has_its_slug_written_as_pinyin_spells_it():
    """Pages of places are named by the gazetteer's slugs, so that a build
    spells no name in pinyin (which loads pypinyin's dictionaries); a
    place outside 衢州 keeps the name pinyin gave it."""
    from quzhou_archive.articles import slugify
    from quzhou_archive.gazetteer import load as load_gazetteer

    gazetteer = load_gazetteer()
    outside = [d for d in gazetteer.divisions if d not in [gazetteer.city, *gazetteer.counties]]
    assert len(outside) > 100
    assert all(d.slug == slugify(d.name) for d in outside)
    assert len({d.slug for d in gazetteer.divisions}) == len(gazetteer.divisions)
