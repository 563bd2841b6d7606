"""An article body as HTML: no markup of its own, no link a browser would run."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from quzhou_archive.analyse.content import body_html, html_blocks, markdown_html, plain_blocks, rendered_body
from quzhou_archive.articles import article_paths, read_article
from tests.conftest import ROOT

HOSTILE_TARGETS = [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    " javascript:alert(1)",
    "jav&#x61;script:alert(1)",
    "&#106;avascript:alert(1)",
    "javascript&colon;alert(1)",
    "java\tscript:alert(1)",
    "java&#9;script:alert(1)",
    "java&#x0A;script:alert(1)",
    "\x01javascript:alert(1)",
    "<javascript:alert(1)>",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://example.org/x",
]

SAFE_TARGETS = ["http://example.org/a", "HTTPS://EXAMPLE.ORG/", "mailto:desk@example.org", "/articles/a.html",
                "../b.html#c", "?q=1", "#top", "./a:b"]


class _Urls(HTMLParser):
    """Every tag and every URL-bearing attribute of a fragment, as a browser reads them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.urls, self.attributes = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            self.attributes.append(name)
            if name in ("href", "src"):
                self.urls.append(value)


def parsed(fragment: str) -> _Urls:
    parser = _Urls()
    parser.feed(fragment)
    parser.close()
    return parser


def markdown_forms(target: str) -> list[str]:
    return [f"[x]({target})", f"[x](<{target}>)", f"![x]({target})", f"[r]\n\n[r]: {target}",
            f"[x][r]\n\n[r]: <{target}>", f"<{target}>"]


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_no_clickable_script_in_an_article(target):
    for source in markdown_forms(target):
        found = parsed(body_html(f"胡柚丰收。{source}"))
        assert not found.urls, (source, found.urls)
        assert set(found.tags) <= {"p", "a", "img"}
        assert "胡柚丰收" in body_html(f"胡柚丰收。{source}")


@pytest.mark.parametrize("target", SAFE_TARGETS)
def test_http_mailto_and_relative_links_stay_links(target):
    found = parsed(body_html(f"[x]({target})"))
    assert found.urls == [target]


@pytest.mark.parametrize("raw", [
    '<a href="javascript:alert(1)">a</a>', "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>",
    "<script>alert(1)</script>", '<p onclick="alert(1)">p</p>', "<iframe src=javascript:alert(1)>",
    "<!-- x --><style>*{}</style>", "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
])
def test_no_clickable_script_in_an_article_from_raw_html(raw):
    """Raw HTML in the Markdown is text, in a block and inline."""
    for source in (raw, f"正文 {raw} 正文", f"> {raw}", f"- {raw}", f"# {raw}"):
        found = parsed(body_html(source))
        assert not found.urls and not [a for a in found.attributes if a.startswith("on")], (source, found.tags)
        assert set(found.tags) <= {"p", "blockquote", "ul", "li", "h1"}, (source, found.tags)


def test_refused_link_keeps_its_words():
    assert body_html("见[胡柚网](javascript:alert(1))报道") == "<p>见<a>胡柚网</a>报道</p>"
    assert body_html("![衢州夜景](data:image/png;base64,AAAA)") == '<p><img alt="衢州夜景"></p>'


def test_an_image_from_another_host_is_not_loaded():
    html = body_html("![图](https://example.com/a.jpg) ![本站](../img/a.jpg) ![x](//example.com/b.png)")
    assert "example.com" not in html
    assert 'src="../img/a.jpg"' in html


# -- the plainest bodies, rendered without Python-Markdown: the same HTML and text ---

def rendered_both_ways(body: str) -> tuple[tuple, tuple]:
    fragment = markdown_html(body)
    return rendered_body(body), (fragment, html_blocks(fragment))


def test_every_article_of_the_bundled_and_a_synthetic_archive_renders_as_python_markdown_renders_it(tmp_path):
    from quzhou_archive.synthetic import generate

    generate(400, tmp_path, ROOT / "articles", seed=3)
    bodies = [read_article(root, path).body for root in (ROOT / "articles", tmp_path) for path in article_paths(root)]
    for body in bodies:
        fast, markdown = rendered_both_ways(body)
        assert fast == markdown, body
    assert sum(plain_blocks(body) is not None for body in bodies) > 0.9 * len(bodies)   # the shortcut is taken


# Each tries one thing the shortcut must leave to Python-Markdown, or must
# render as it does: markup at a line's start or inside, entities, escapes,
# whitespace Markdown strips or reads, lines that make one paragraph.
TRICKY_BODIES = [
    "衢州。\n", "## 标题\n\n正文。\n", "# 一\n\n## 二\n\n### 三\n\n#### 四\n\n##### 五\n\n###### 六\n\n####### 七\n",
    "##标题\n", "## 标题 ##\n", "##  标题\n", "## \n", "##\n", "## 标#题\n", "#\n", "# #\n",
    "> 引文\n", ">引文\n", "- 一项\n", "-一项\n", "+ 一项\n", "* 一项\n", "1. 一项\n", "1.5亿元\n", "2024. 年\n", "1) 一项\n",
    "１. 一项\n", "٣. 一项\n", "---\n", "***\n", "___\n", "- - -\n", "===\n", "标题\n===\n", "标题\n---\n",
    "    代码\n", "\t代码\n", " 正文\n", "正文 \n", "正文  \n\n下一段\n", "\u3000\u3000正文\n", "正文\u3000\n", "正文\xa0\n",
    "\xa0正文\n", "一行\n二行\n", "一行\n\n\n\n二行\n", "\n\n正文\n\n", "正文", "", "\n", "   \n",
    "R&D经费\n", "R&中\n", "1+1>2\n", "a>中\n", "&amp;\n", "&copy;\n", "&#169;\n", "&#xA9;\n", "&中;\n", "&\n",
    "a < b\n", "<b>粗</b>\n", "<http://example.org>\n", "<a@b.cn>\n", "`代码`\n", "\\*转义\\*\n", "*强调*\n", "_强调_\n",
    "a_b_c\n", "[链接](http://example.org)\n", "![图](a.png)\n", "[注]\n\n[注]: http://example.org\n", "感叹!\n",
    "(括号)中文\n", "中文(括号)\n", "中文,逗号;分号:冒号?问号!叹号\n", "a,b\n", "\x02正文\x03\n", "正文\r\n", "正文\x0c\n",
    "\u2028正文\n", "正文\u2028续\n", "正文\x85\n", "\ufeff正文\n", "正文\x7f\x80\x9f\n", "\ufffe\uffff\n", "\U0002a6a5𠀀\n",
    "\"引号\" '单引号'\n", "## R&D\n", "## a>中\n", "## (标题)中\n", "=中\n", "#中\n",
]


@pytest.mark.parametrize("body", TRICKY_BODIES)
def test_a_tricky_body_renders_as_python_markdown_renders_it(body):
    fast, markdown = rendered_both_ways(body)
    assert fast == markdown


def test_random_bodies_render_as_python_markdown_renders_them():
    import random

    rnd = random.Random(11)
    plain = ["衢州", "开化", "中文。", "R&D", "1+1>2", "## ", "(", ")", ",", ";", ":", "?", "!", " ", "a", "Z", "0",
             ".", "“", "”", "\xa0", "\u2028", "\n", "\n\n", "\n\n", "\n\n\n"]
    risky = ["&", ">", "<", "#", "-", "+", "*", "_", "`", "\\", "[", "]", "1.", "2)", "  ", "\u3000", "\t", "=", "~",
             "&amp;", "&#1;", "\r", "\n "]
    shortcut = 0
    for _ in range(4000):
        body = "".join(rnd.choice(risky if rnd.random() < 0.04 else plain) for _ in range(rnd.randrange(0, 24)))
        fast, markdown = rendered_both_ways(body)
        assert fast == markdown, repr(body)
        shortcut += plain_blocks(body) is not None
    assert shortcut > 1000
