"""A larger archive for benchmarks and tests, made from the bundled articles'
paragraphs: varied dates, papers, pages, counties, topics and numbers; and
the queries search is measured with (random substrings, with Ctrl+F's answer).

    python -m quzhou_archive.synthetic 10000 /tmp/big/articles
"""
from __future__ import annotations

import datetime as _dt
import random
import re
import sys
from pathlib import Path

from quzhou_archive import articles as store
from quzhou_archive.analyse.content import html_blocks, body_html
from quzhou_archive.fsutil import atomic_write
from quzhou_archive.gazetteer import load as load_gazetteer
from quzhou_archive.analyse.topics import load as load_topics

PAPERS = [("衢州日报", "quzhou-ribao"), ("衢州晚报", "quzhou-wanbao"), ("浙江日报", "zhejiang-ribao"),
          ("今日常山", "jinri-changshan"), ("今日龙游", "jinri-longyou"), ("今日开化", "jinri-kaihua")]
KINDS = ["news"] * 6 + ["feature", "brief", "photo", "speech"]


def _pool(source: Path) -> tuple[list[str], list[str]]:
    paragraphs, titles = [], []
    for path in store.article_paths(source):
        article = store.read_article(source, path)
        titles.append(article.title)
        paragraphs += [b for b in html_blocks(body_html(article.body)) if len(b) > 30]
    return paragraphs, titles


def _vary_numbers(text: str, rng: random.Random) -> str:
    return re.sub(r"\d+(?:\.\d+)?", lambda m: str(round(float(m.group()) * rng.uniform(0.5, 1.8), 1 if "." in m.group() else None)), text)


def generate(n: int, out: Path, source: Path, seed: int = 7, chars_per_article: int = 800) -> list[Path]:
    """Write `n` articles under `out`, as papers print them: issue after issue
    (a paper and a day), a few stories on each of its pages. Returns the paths.
    Paragraphs are added until an article has `chars_per_article` characters:
    with the default, about 900 on average (ten thousand articles hold about
    nine million characters, as a county paper's stories do)."""
    rng = random.Random(seed)
    paragraphs, titles = _pool(source)
    gazetteer = load_gazetteer()
    places = [gazetteer.city.name] + [c.name for c in gazetteer.counties]
    topic_names = [t.name for t in load_topics().topics]
    written = []
    day = _dt.date(2015, 1, 1)
    i = 0
    while i < n:
        paper, slug = rng.choice(PAPERS)
        day += _dt.timedelta(days=rng.choice([0, 0, 1]))
        precision = rng.random()     # a few pages only say the month, fewer nothing at all
        date = day.isoformat() if precision > 0.1 else (day.isoformat()[:7] if precision > 0.03 else None)
        for page in range(1, rng.randint(2, 8) + 1):
            for story in range(1, rng.randint(1, 4) + 1):
                if i >= n:
                    break
                body, size = [], 0
                while size < chars_per_article:
                    para = _vary_numbers(rng.choice(paragraphs), rng)
                    body.append(store.escape_markdown(para))
                    size += len(para)
                title = _vary_numbers(rng.choice(titles), rng) + f" {rng.choice(places)[:2]}第{i % 97 + 1}期"
                meta = {
                    "title": title, "subtitle": None, "kicker": None, "date": date, "paper": paper, "page": page,
                    "counties": rng.sample(places, rng.choice([1, 1, 1, 2])),
                    "topics": rng.sample(topic_names, rng.choice([1, 2, 2, 3])),
                    "authors": [], "photographers": [], "kind": rng.choice(KINDS),
                    "source": {"file": f"synthetic-{i:06d}.txt", "lines": [1, len(body)]},
                }
                article_id = f"{store.date_path(date)}/{slug}-p{page:02d}-{story:02d}-{i:06d}"
                path = out / f"{article_id}.md"
                atomic_write(path, store.article_file_text(meta, "\n\n".join(body) + "\n"))
                written.append(path)
                i += 1
    return written


def searchable_parts(root: Path) -> dict[str, list[str]]:
    """Article ID -> the texts a reader sees and Ctrl+F searches: headline
    parts, body blocks, captions, bylines."""
    from quzhou_archive.pipeline import load_articles
    from quzhou_archive.analyse.content import headline_parts, render_content

    out = {}
    for article in load_articles(root):
        content = render_content(article)
        out[article.id] = headline_parts(article) + content.blocks + content.captions + content.people
    return out


def plain_query(text: str) -> bool:
    """Is `text` read by the query syntax as itself (no leading -, quotes or field:value)?"""
    from quzhou_archive.search import rank
    from quzhou_archive.analyse.segment import fold_query

    parsed = rank.parse_query(text)
    return parsed.clauses == [fold_query(text)] and not parsed.exclude and not parsed.filters


def sample_queries(corpus: dict[str, list[str]], count: int, seed: int, traditional: bool = True) -> dict[str, set[str]]:
    """A seeded sample of random 2-4 character substrings of the articles that
    read as plain queries, each with the articles Ctrl+F finds it in; then the
    Traditional form of each, expecting what its Simplified form finds."""
    import opencc

    from quzhou_archive.textnorm import fold

    rng = random.Random(seed)
    ids = sorted(corpus)
    folded = {aid: [fold(p) for p in parts] for aid, parts in corpus.items()}
    chosen: dict[str, set[str]] = {}
    while len(chosen) < count:
        part = rng.choice(corpus[rng.choice(ids)])
        k = rng.randint(2, 4)
        if len(part) < k:
            continue
        start = rng.randrange(len(part) - k + 1)
        needle = part[start:start + k]
        if any(ch.isspace() for ch in needle) or not plain_query(needle) or needle in chosen:
            continue
        target = fold(needle)
        chosen[needle] = {aid for aid, texts in folded.items() if any(target in t for t in texts)}
    if traditional:
        to_traditional = opencc.OpenCC("s2t")
        for needle, truth in list(chosen.items()):
            form = to_traditional.convert(needle)
            if form != needle and plain_query(form):
                chosen[form] = truth
    return chosen


def main(argv: list[str]) -> int:
    n, out = int(argv[0]), Path(argv[1])
    source = Path(argv[2]) if len(argv) > 2 else Path(__file__).resolve().parent.parent / "articles"
    generate(n, out, source)
    print(f"{n} articles written under {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
