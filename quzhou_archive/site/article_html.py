"""An article's page written in Python: the text `templates/article.html`
(on `base.html`, with the `cards` of `_macros.html`) renders, some five
times faster than Jinja2 renders it. Ten thousand articles' pages were a
third of the render stage's time.

The templates stay what the page is made from. This is used only while
they are the ones it was written from (`WRITTEN_FROM`, their digest), and
it gives way to Jinja2 for anything it is not sure of (a value of a type
the archive never gives, a missing key): the renderer then renders the
page as always (`Renderer.render`). Tests render the pages of the bundled
archive, of a generated one and pages made to be awkward both ways and
compare them; one fails when the templates change, so that this changes
with them.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

TEMPLATES = ("article.html", "base.html", "_macros.html")
WRITTEN_FROM = "a2d2a0764866ab7568eb7d0308c8990ac42ce1c5afb90c109e9b6b09bb01fe3d"


def templates_digest(folder: Path) -> str:
    """The digest of the templates an article's page is rendered from."""
    digest = hashlib.sha256()
    for name in TEMPLATES:
        digest.update((Path(folder) / name).read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


class NotSure(Exception):
    """A page this does not write as Jinja2 would for certain: Jinja2 renders it."""


def plain_texts(values) -> list[str]:
    """Values Jinja2's `join` would join as they are (no Markup among them)."""
    values = list(values)
    if not all(type(value) is str for value in values):
        raise NotSure
    return values


def article_html(c: dict, escaped, typeset, card_meta) -> str:
    """The page of the article whose context (the renderer's, with the
    page's own) is `c`; `escaped`, `typeset` and `card_meta` are the
    templates' escaping and filters."""
    if type(c.get("body_html")) is not str:
        raise NotSure
    url, site_name, a = c["url"], c["site"]["name"], c["a"]
    out: list[str] = []
    w = out.append
    # base.html, to its head block
    w('<!doctype html>\n<html lang="zh-Hans">\n<head>\n<meta charset="utf-8">\n'
      '<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>')
    if c["page_title"] != site_name:
        w(escaped(c["page_title"]))
        w(" · ")
    w(f'{escaped(site_name)}</title>\n<meta name="description" content="{escaped(c["description"])}">\n'
      f'<link rel="canonical" href="{escaped(c["canonical"])}">\n'
      f'<meta property="og:site_name" content="{escaped(site_name)}">\n'
      f'<meta property="og:title" content="{escaped(c["page_title"])}">\n'
      f'<meta property="og:type" content="{escaped(c["og_type"])}">\n'
      f'<meta property="og:url" content="{escaped(c["canonical"])}">\n<meta property="og:locale" content="zh_CN">\n')
    head(w, c, url, escaped)
    w(f'<link rel="icon" href="{escaped(url("static/favicon.svg"))}" type="image/svg+xml">\n'
      f'<link rel="stylesheet" href="{escaped(url("static/style.css"))}">\n')
    # (the article's feed_link block: none)
    section = c["section"]
    w(f'</head>\n<body>\n<a class="skip" href="#main">跳到正文</a>\n<header class="site">\n'
      f'  <a class="brand" href="{escaped(url(""))}">{escaped(site_name)}</a>\n  <nav aria-label="栏目">\n')
    for target, name, label in NAV:
        current = ' aria-current="page"' if section == name else ""
        w(f'    <a href="{escaped(url(target))}"{current}>{label}</a>\n')
    w('  </nav>\n</header>\n<main id="main">\n')
    # the article's crumbs block
    w('<nav class="crumbs" aria-label="位置">')
    for label, target in c["trail"]:
        w(f'<a href="{escaped(url(target))}">{escaped(label)}</a> › ')
    w('<span aria-current="page">本篇</span></nav>\n')
    main(w, c, a, url, escaped, typeset, card_meta)
    w(f'</main>\n<footer class="site">\n  <p>{escaped(site_name)} · <a href="{escaped(url("feed.xml"))}">Atom 订阅</a>'
      f' · <a href="{escaped(url("search.html"))}">全文搜索</a></p>\n</footer>\n')
    # the article's scripts block
    w(f'<script defer src="{escaped(url("static/highlight.js"))}"></script>\n'
      f'<script src="{escaped(url("static/cite.js"))}" defer></script>\n</body>\n</html>')
    return "".join(out)


NAV = (("counties/index.html", "counties", "地区"), ("topics/index.html", "topics", "主题"),
       ("dates/index.html", "dates", "日期"), ("papers/index.html", "papers", "报纸"),
       ("figures/index.html", "figures", "数据"), ("search.html", "search", "搜索"))

DOWNLOADS = ((".ris", "RIS", "application/x-research-info-systems"), (".bib", "BibTeX", "application/x-bibtex"),
             (".csl.json", "CSL-JSON", "application/vnd.citationstyles.csl+json"))


def head(w, c: dict, url, escaped) -> None:
    cite = c["cite"]
    if c["published"]:
        w(f'<meta property="article:published_time" content="{escaped(c["published"])}">\n')
    for name, content in cite["meta"]:
        w(f'<meta name="{escaped(name)}" content="{escaped(content)}">\n')
    json_ld = cite["json_ld"]
    if type(json_ld) is not str:
        raise NotSure
    w(f'<script type="application/ld+json">{json_ld}</script>\n')
    downloads = cite["downloads"]
    for suffix, label, kind in DOWNLOADS:
        w(f'<link rel="alternate" type="{kind}" title="引用（{label}）" href="{escaped(url(downloads[suffix]))}">\n')


def main(w, c: dict, a: dict, url, escaped, typeset, card_meta) -> None:
    w(f'<article data-id="{escaped(a["id"])}" class="story">\n  <header>\n')
    if a["kicker"]:
        w(f'<p class="kicker">{escaped(typeset(a["kicker"]))}</p>')
    w(f'    <h1>{escaped(typeset(a["title"]))}</h1>\n')
    if a["subtitle"]:
        w(f'<p class="subtitle">{escaped(typeset(a["subtitle"]))}</p>')
    w(f'    <p class="meta"><a href="{escaped(url(c["date_url"]))}"><time')
    if a["date"]:
        w(f' datetime="{escaped(a["date"])}"')
    w(f'>{escaped(a["date_label"])}</time></a>')
    if a["paper"]:
        w(" · ")
        printed = escaped(a["paper"]) + (f' 第{escaped(a["page"])}版' if a["page"] else "")
        w(f'<a href="{escaped(url(c["issue_url"]))}">{printed}</a>' if c["issue_url"] else printed)
    w(f' · {escaped(a["kind"])}</p>\n')
    speeches = c["speeches"]
    if (a["authors"] or a["byline"]) and not speeches:
        names = a["authors"] if a["authors"] else a["byline"]
        w(f'<p class="byline">{escaped(" ".join(plain_texts(names)))}</p>')
    w("  </header>\n")
    if speeches:
        w('  <nav class="speeches" aria-labelledby="speeches-heading">\n    <h2 id="speeches-heading">本组发言</h2>\n'
          '    <ol>\n')
        for s in speeches:
            w(f'<li><a href="#{escaped(s["anchor"])}">{escaped(typeset(s["heading"]))}</a><span class="speaker">'
              f'{escaped(typeset(s["role"]))}{" " if s["role"] else ""}<strong>{escaped(s["name"])}</strong></span></li>')
        w("    </ol>\n  </nav>\n")
    if a["kind_code"] == "photo":
        photo_figures(w, a, escaped, typeset)
    w(f'  <div class="body" data-text>\n  {c["body_html"]}\n  </div>\n')
    teaser = c["teaser"]
    if teaser:
        w('  <p class="see-page">')
        if not c["body_html"].strip():
            w("这则导读只印了标题。")
        if teaser["url"]:
            w(f'<a href="{escaped(url(teaser["url"]))}">详见本期第{escaped(teaser["page"])}版 ›</a>')
        else:
            w(f'详见本期第{escaped(teaser["page"])}版，这一版没有收入档案。')
            if c["issue_url"]:
                w(f'<a href="{escaped(url(c["issue_url"]))}">看本期已收入的版面 ›</a>')
        w("</p>\n")
    if c["figures"]:
        figures(w, c["figures"], url, escaped)
    if a["kind_code"] != "photo" and (a["photos"] or a["photographers"] or a["notes"]):
        w('  <section class="photos" aria-labelledby="photos-heading">\n    <h2 id="photos-heading">图片</h2>\n    ')
        photo_figures(w, a, escaped, typeset)
        w("\n  </section>\n")
    facts(w, c, a, url, escaped)
    prev, next_ = c["prev"], c["next"]
    if prev or next_:
        w('<nav class="issue-nav" aria-label="同一期的前后报道">\n')
        for story, rel, word in ((prev, "prev", "上一篇"), (next_, "next", "下一篇")):
            if story:
                printed = f'第{escaped(story["page"])}版' if story["page"] else ""
                w(f'<a rel="{rel}" href="{escaped(url(story["url"]))}"><span>{word} · {printed}</span>'
                  f'{escaped(typeset(story["title"]))}</a>')
        w("</nav>\n")
    if c["related"]:
        w('<section class="related">\n  <h2>相关报道</h2>\n  ')
        cards(w, c["related"], url, escaped, typeset, card_meta)
        w("\n</section>\n")


def photo_figures(w, a: dict, escaped, typeset) -> None:
    """The template's `photo_figures` macro."""
    w('<div class="photo-figures" data-text>\n')
    for p in a["photos"]:
        w('<figure class="photo-missing"><div class="photo-box">图片未收入档案</div>\n  <figcaption>')
        if p["caption"]:
            w(f'<span class="caption">{escaped(typeset(p["caption"]))}</span> ')
        w(f'<span class="credit">{escaped(p["credit"])}</span></figcaption></figure>\n')
    if not a["photos"] and (a["photographers"] or a["kind_code"] == "photo"):
        w('<figure class="photo-missing"><div class="photo-box">图片未收入档案</div>\n')
        if a["photographers"] and not a["byline"]:
            w(f'<figcaption><span class="credit">摄影：{escaped(" ".join(plain_texts(a["photographers"])))}'
              f'</span></figcaption>')
        w("</figure>\n")
    for note in a["notes"]:
        w(f'<p class="note">{escaped(typeset(note))}</p>')
    w("</div>\n")


def figures(w, rows: list, url, escaped) -> None:
    w('  <section class="article-figures" aria-labelledby="figures-heading">\n'
      '    <h2 id="figures-heading">本篇数据</h2>\n    <div class="table-scroll">\n    <table class="figures">\n'
      '      <thead><tr><th scope="col">指标</th><th scope="col">数值</th><th scope="col">时期</th>'
      '<th scope="col">地区、主体</th></tr></thead>\n      <tbody>\n')
    for f in rows:
        anchor = escaped(f["anchor"])
        row_id = "" if f["in_text"] else f' id="{anchor}"'
        w(f'      <tr{row_id}>\n'
          f'        <td>{escaped(f["indicator"])}<span class="measure">（{escaped(f["measure"])}）</span></td>\n'
          f'        <td class="value">')
        w(f'<a href="#{anchor}">{escaped(f["value"])}</a>' if f["in_text"] else escaped(f["value"]))
        if f["target"]:
            w(' <span class="badge target">目标</span>')
        w(f'</td>\n        <td>{escaped(f["period"])}</td>\n        <td>{escaped(f["where"] or "地区不详")}')
        if "county" in f["unclear"]:
            w(' <span class="badge">地区存疑</span>')
        w("</td>\n      </tr>\n")
    w('      </tbody>\n    </table>\n    </div>\n    <p class="hint">数字由程序从正文中摘出，以原文为准；点数值可跳到原句。'
      f'<a href="{escaped(url("figures/index.html"))}">全部数据</a></p>\n  </section>\n')


def facts(w, c: dict, a: dict, url, escaped) -> None:
    w('  <footer>\n    <dl class="facts">\n')
    counties = c["counties"]
    if counties:
        w("<dt>地区</dt><dd>")
        w("、".join(f'<a href="{escaped(url(target))}">{escaped(name)}</a>' for name, target in counties))
        w("</dd>")
    topics = c["topics"]
    if topics:
        w("<dt>主题</dt><dd>")
        w("、".join(f'<a href="{escaped(url(target))}">{escaped(name)}</a>' if target else escaped(name)
                   for name, target in topics))
        w("</dd>")
    if a["source_file"]:
        w("<dt>来源</dt><dd>")
        lines = a["source_lines"]
        source = f'原始版面 <code>{escaped(a["source_file"])}</code>' + (
            f" 第 {escaped(lines[0])}–{escaped(lines[1])} 行" if lines else "")
        w(f'<a href="{escaped(url(a["source_url"]))}">{source}</a>' if a["source_url"] else source)
        w("</dd>")
    cite = c["cite"]
    downloads = cite["downloads"]
    w(f'      <dt>引用</dt><dd><p class="citation" id="citation">{escaped(cite["online"])}'
      f'[<span class="cited" data-cited>引用日期</span>]. {escaped(c["canonical"])}.</p>\n'
      '        <p class="cite-tools"><button type="button" class="copy" data-copy="citation" hidden>复制引文</button>'
      '<span class="copied" role="status"></span>\n'
      f'        下载引文：<a href="{escaped(url(downloads[".ris"]))}" download>RIS</a> · '
      f'<a href="{escaped(url(downloads[".bib"]))}" download>BibTeX</a> · '
      f'<a href="{escaped(url(downloads[".csl.json"]))}" download>CSL-JSON</a>'
      "（Zotero、EndNote、JabRef 等文献管理软件可直接导入）</p></dd>\n    </dl>\n  </footer>\n</article>\n")


def cards(w, items: list, url, escaped, typeset, card_meta) -> None:
    """The `cards` macro as the article calls it: `cards(related, counties=false, paper=false)`."""
    w('<ol class="cards">\n')
    for it in items:
        meta = card_meta(it, True, False)
        w("<li>")
        if it["kicker"]:
            w(f'<span class="card-kicker">{escaped(typeset(it["kicker"]))}</span>')
        w(f'<a class="title" href="{escaped(url(it["url"]))}">{escaped(typeset(it["title"]))}</a>')
        if it["subtitle"]:
            w(f'<span class="card-subtitle">{escaped(typeset(it["subtitle"]))}</span>')
        w(f' <span class="card-meta">{escaped(meta)}</span>')
        if it["terms"]:
            w(' <span class="card-terms">归入本主题的词：')
            for term in it["terms"]:
                w(f"“{escaped(term)}”")
            w("</span>")
        w("</li>\n")
    w("</ol>\n")
