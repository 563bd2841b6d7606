"""An article body as HTML: no markup of its own, no link a browser would run."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from quzhou_archive.analyse.content import body_html

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
