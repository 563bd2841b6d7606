"""A larger archive for benchmarks and tests, made from the bundled articles'
paragraphs: varied dates, papers, pages, counties, topics and numbers; and
the queries search is measured with (random substrings, with Ctrl+F's answer).

    python -m quzhou_archive.synthetic 10000 /tmp/big/articles
"""
from __future__ import annotations

import random
import re
import sys
from pathlib import Path

from . import articles as store
from .content import html_blocks, body_html
from .fsutil import atomic_write
from .gazetteer import load as load_gazetteer
from .topics import load as load_topics

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


def generate(n: int, out: Path, source: Path, seed: int = 7, chars_per_article: int = 900) -> list[Path]:
    """Write `n` articles under `out`; returns their paths."""
    rng = random.Random(seed)
    paragraphs, titles = _pool(source)
    gazetteer = load_gazetteer()
    places = [gazetteer.city.name] + [c.name for c in gazetteer.counties]
    topic_names = [t.name for t in load_topics().topics]
    written = []
    for i in range(n):
        year, month, day = rng.randint(2015, 2025), rng.randint(1, 12), rng.randint(1, 28)
        paper, slug = rng.choice(PAPERS)
        page = rng.randint(1, 8)
        precision = rng.random()
        date = f"{year}-{month:02d}-{day:02d}" if precision > 0.1 else (f"{year}-{month:02d}" if precision > 0.03 else None)
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
        article_id = f"{store.date_path(date)}/{slug}-p{page:02d}-{i:06d}"
        path = out / f"{article_id}.md"
        atomic_write(path, store.article_file_text(meta, "\n\n".join(body) + "\n"))
        written.append(path)
    return written


def searchable_parts(entries) -> dict[str, list[str]]:
    """Article ID -> the texts a reader sees and Ctrl+F searches: headline
    parts, body blocks, captions, bylines (`build.segment` entries)."""
    from .content import headline_parts

    return {e.article.id: headline_parts(e.article) + e.rendered.blocks + e.rendered.captions + e.rendered.people
            for e in entries}


def plain_query(text: str) -> bool:
    """Is `text` read by the query syntax as itself (no leading -, quotes or field:value)?"""
    from . import rank
    from .textnorm import fold

    parsed = rank.parse_query(text)
    return parsed.clauses == ["".join(fold(text).split())] and not parsed.exclude and not parsed.filters


def sample_queries(corpus: dict[str, list[str]], count: int, seed: int, traditional: bool = True) -> dict[str, set[str]]:
    """A seeded sample of random 2-4 character substrings of the articles that
    read as plain queries, each with the articles Ctrl+F finds it in; then the
    Traditional form of each, expecting what its Simplified form finds."""
    import opencc

    from .textnorm import fold

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
