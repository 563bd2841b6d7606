"""What websites and e-paper readers print around a story, line by line."""
import pytest

from quzhou_archive.ingest import webfurniture as web
from quzhou_archive.textnorm import fold


@pytest.mark.parametrize("line", ["分享至", "【大 中 小】 【打印】 【关闭窗口】", "上一篇    下一篇", "返回顶部", "· ·设为首页 ·收藏本站"])
def test_site_controls(line):
    assert web.is_site_controls(fold(line))


@pytest.mark.parametrize("line", ["返回家乡创业的年轻人", "分享经济赋能乡村振兴", "大美衢州"])
def test_words_of_a_button_inside_a_headline_are_not_controls(line):
    assert not web.is_site_controls(fold(line))


@pytest.mark.parametrize("line", ["回答数 1 浏览数 761", "阅读 1.2万", "浏览761 评论3"])
def test_counters(line):
    assert web.is_counter(fold(line))


def test_a_number_in_a_headline_is_not_a_counter():
    assert not web.is_counter(fold("阅读点亮生活 全民阅读3年"))


@pytest.mark.parametrize("line", [
    "当前位置:前瞻网>区域经济>产业集群>全国主要地区产业集群",
    "网易首页 > 网易号 > 正文 申请入驻",
    "您当前的位置 :浙江在线 > 城市频道 > 专题页面 > 衢州画卷 正文",
    "首页 > 新闻",
])
def test_breadcrumbs(line):
    assert web.is_breadcrumb(fold(line))


def test_one_arrow_in_a_headline_is_no_breadcrumb():
    assert not web.is_breadcrumb(fold("从卖茶叶到卖风景 > 一个村的转型"))


@pytest.mark.parametrize("line", [
    "首 页   时政要闻   图片新闻   天下新闻   公告公示   天南地北开化人   平安开化",
    "浙江在线--开化支站    总站·浙江在线 | 浙江新闻 | 图片 | 数字报纸 | 浙江网视 | 民生帮帮帮",
    "杭州 | 宁波 | 温州 | 湖州 | 嘉兴",
])
def test_navigation_bars(line):
    assert web.is_nav_bar(line)


@pytest.mark.parametrize("line", ["组团挂联 一帮到底 全程保姆式服务解企忧", "决战百日 冲刺百亿", "稳进 提质 增效 惠民"])
def test_headlines_with_spaces_are_no_navigation_bar(line):
    assert not web.is_nav_bar(line)


def test_e_paper_masthead_names_its_paper():
    assert web.epaper_masthead(fold("浙江日报 数字报纸")) == "浙江日报"
    assert web.epaper_masthead(fold("今日开化数字报")) == "今日开化"
    assert web.epaper_masthead(fold("电子报阅读机")) == ""     # the reader, no paper
    assert web.epaper_masthead(fold("衢州日报")) is None


def test_field_lines_and_paper_field():
    assert web.is_field_line(fold("日期:01-08"))
    assert web.is_field_line(fold("关键词: 衢江 招商 项目"))
    assert not web.is_field_line(fold("时间:就是效率,就是生命。"))
    assert web.paper_field(fold("当前报纸名称:衢州日报")) == "衢州日报"


def test_summary_promotion_copyright_related():
    assert web.is_summary(fold("导读:今年以来,柯城区新增国家高新技术企业28家。"))
    assert web.is_promotion(fold("更多精彩内容,尽在掌上衢州APP"))
    assert web.is_promotion(fold("扫一扫在手机打开当前页"))
    assert web.is_copyright(fold("Copyright © 1999-2022 Zjol. All Rights Reserved 浙江在线版权所有"))
    assert web.is_copyright(fold("浙ICP备12345678号"))
    assert web.is_related_header(fold("相關新聞"))
    assert web.is_related_header(fold("【推荐阅读】"))
    assert not web.is_related_header(fold("相关部门现场答复企业诉求"))


def test_site_names():
    assert web.looks_like_site_name(fold("开化新闻网"))
    assert web.looks_like_site_name(fold("浙江在线"))
    assert not web.looks_like_site_name(fold("龙游县上半年招商引资考核获全市第一"))


@pytest.mark.parametrize("line", ["- 李灵卉:预见2025:《2025年中国仿制药行业全景图谱》", "龙游举办竹产业博览会 2024-11-20",
                                  "在植发业务领域,从门店数量看...[详细]"])
def test_list_items(line):
    assert web.is_list_item(fold(line))


def test_a_finished_sentence_is_no_list_item():
    assert not web.is_list_item(fold("今年以来,龙游县竹产业全链条发展,全年产值突破60亿元。"))


def test_vocabulary_is_data():
    vocab = web.vocabulary()
    assert "返回顶部" in vocab.site_controls
    assert "相关新闻" in vocab.related_headers


@pytest.mark.parametrize("line", ["首页/新闻中心/县域经济", "您现在的位置是:首页 > 新闻"])
def test_more_breadcrumb_forms(line):
    assert web.is_breadcrumb(fold(line))


def test_a_slash_in_a_credit_is_no_breadcrumb():
    assert not web.is_breadcrumb(fold("文/记者 张三 图/李四"))


def test_single_spaced_navigation_bar():
    assert web.is_nav_bar("首页 新闻 政务 经济 文化 旅游 视频 专题")
    assert not web.is_nav_bar("稳进 提质 增效 惠民")


def test_footer_fields_are_the_sites():
    assert web.is_field_line(fold("主办单位:衢州日报社 技术支持:某某科技"))
    assert web.is_site_controls(fold("回到顶部↑"))


def test_a_line_of_reporters_is_no_navigation_bar():
    assert not web.is_nav_bar("记者 张磊 吴晓东 李想 王强 赵文斌")
