"""Figures' sentences marked in an article's HTML, their quotes carrying the ids links go to."""
from quzhou_archive.analyse.content import body_html
from quzhou_archive.analyse.figures import Figure
from quzhou_archive.site.marks import mark_figures


def figure(quote, sentence, **kw):
    values = dict(quote=quote, sentence=sentence, paragraph=0, start=0, subject=None, county=None, indicator="产值",
                  canonical=None, measure="amount", value=1.0, unit="亿元", qualifier=None, period=None, target=False)
    values.update(kw)
    return Figure(**values)


def test_the_sentence_is_marked_and_each_quote_gets_its_id():
    html = body_html("全年产值110.2亿元,同比增长4.16%。另一句话。")
    figures = [figure("产值110.2亿元", "全年产值110.2亿元,同比增长4.16%。"),
               figure("同比增长4.16%", "全年产值110.2亿元,同比增长4.16%。", measure="growth")]
    marked, placed = mark_figures(html, figures)
    assert placed == {1, 2}
    assert ('<mark class="figure">全年<span class="figure-quote" id="figure-1">产值110.2亿元</span>,'
            '同比增长') not in marked      # the comma is set full-width, as the page shows it
    assert '<span class="figure-quote" id="figure-1">产值110.2亿元</span>，' in marked
    assert '<span class="figure-quote" id="figure-2">同比增长4.16%</span>。</mark>另一句话。' in marked


def test_text_with_markup_characters_is_found_as_the_page_escapes_it():
    sentence = "全社会研发(R&D)经费投入20.21亿元。"
    marked, placed = mark_figures(body_html(sentence), [figure("研发(R&D)经费投入20.21亿元", sentence)])
    assert placed == {1}
    assert 'id="figure-1">研发（R&amp;D）经费投入20.21亿元</span>' in marked


def test_the_same_quote_twice_in_a_sentence_marks_each_in_turn():
    sentence = "出口增长5%,进口增长5%。"
    figures = [figure("增长5%", sentence, measure="growth"), figure("增长5%", sentence, measure="growth")]
    marked, placed = mark_figures(body_html(sentence), figures)
    assert placed == {1, 2}
    assert marked.index('id="figure-1"') < marked.index("进口") < marked.index('id="figure-2"')


def test_a_quote_inside_another_gets_an_anchor_and_one_that_runs_on_its_own_part():
    sentence = "年产百万只锂电超级电容。"
    figures = [figure("年产百万只锂电超级电容", sentence), figure("百万只锂电", sentence)]
    marked, placed = mark_figures(body_html(sentence), figures)
    assert placed == {1, 2} and '<span id="figure-2"></span>' in marked
    sentence = "园区30家规上工业企业累计实现产值40.47亿元。"
    figures = [figure("园区30家规上工业企业", sentence), figure("规上工业企业累计实现产值40.47亿元", sentence)]
    marked, _ = mark_figures(body_html(sentence), figures)
    assert 'id="figure-1">园区30家规上工业企业</span><span class="figure-quote" id="figure-2">累计实现产值40.47亿元</span>' in marked


def test_a_sentence_that_is_not_in_the_html_as_such_is_left_and_said():
    html = body_html("产值*10*亿元。")      # emphasis inside: the sentence is not one run of text
    marked, placed = mark_figures(html, [figure("10亿元", "产值10亿元。")])
    assert placed == set() and marked == html
