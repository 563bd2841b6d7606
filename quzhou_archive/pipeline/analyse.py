"""The segment stage: each new article's content -> HTML, text and tokens,
in worker processes, cached by content digest."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from quzhou_archive import articles as store
from quzhou_archive.analyse.content import headline_parts, render_content
from quzhou_archive.analyse.segment import DocTokens, field_length, tokenize
from quzhou_archive.pipeline.sources import Plan
from quzhou_archive.pipeline.state import ContentCache, Manifest
from quzhou_archive.pipeline.workers import Workers


def segment_article(article: store.Article, digest: str) -> tuple[str, tuple]:
    """(digest, plain result) for one checked article; runs in a worker."""
    content = render_content(article)
    body_parts = content.blocks + content.captions + content.people
    tokens = tokenize(headline_parts(article), body_parts)
    summary = "".join(content.blocks)[:100]
    chars = dict(Counter("".join(tokens.headline + tokens.body)))
    return digest, (content.html, "\n".join(body_parts), summary, tokens.to_plain(), chars)


@dataclass
class Segmented:
    html: str
    body_text: str
    summary: str
    tokens: DocTokens
    chars: dict[str, int]

    @classmethod
    def from_plain(cls, plain) -> "Segmented":
        html, body_text, summary, tokens, chars = plain
        return cls(html, body_text, summary, DocTokens.from_plain(tokens), chars)


def _segment_one(args):
    return segment_article(*args)


@dataclass
class Facts:
    """What the later stages need to know about an article's content."""

    summary: str
    lengths: tuple[int, int]
    words: dict[str, int]
    chars: dict[str, int]

    @classmethod
    def of(cls, plain) -> "Facts":
        seg = Segmented.from_plain(plain)
        return cls(seg.summary, (field_length(seg.tokens.headline), field_length(seg.tokens.body)),
                   seg.tokens.words, seg.chars)


@dataclass
class Segmentation:
    """What segmenting a set of articles told: per content digest its summary
    and lengths; and the words and characters of them all, counted."""

    done: int = 0
    summaries: dict[str, tuple[str, tuple[int, int]]] = field(default_factory=dict)
    words: Counter = field(default_factory=Counter)
    chars: Counter = field(default_factory=Counter)

    def add(self, digest: str, facts: Facts) -> None:
        self.summaries[digest] = (facts.summary, facts.lengths)
        self.words.update(facts.words)
        self.chars.update(facts.chars)


def segment(plan: "Plan", cache: ContentCache, pool: Workers) -> Segmentation:
    """Segment every new or changed article whose content is not cached yet."""
    result = Segmentation()
    todo = []
    for aid in sorted(plan.changed):
        digest = plan.infos[aid].digest
        if cache.has(digest):
            result.add(digest, Facts.of(cache.get(digest)))
        else:
            todo.append((plan.articles[aid], digest))
    batch = []
    # the workers loaded jieba while the articles were being read: always use them
    for digest, plain in pool.map(_segment_one, todo, "segment", "article", always=True):
        batch.append((digest, plain))
        result.add(digest, Facts.of(plain))
        if len(batch) >= 500:
            cache.put_many(batch)
            batch = []
    cache.put_many(batch)
    result.done = len(todo)
    return result


def fill_facts(plan: Plan, segmentation: Segmentation) -> None:
    for aid in plan.changed:
        info = plan.infos[aid]
        info.summary, info.lengths = segmentation.summaries[info.digest]


def vocabulary(plan: Plan, manifest: Manifest, cache: ContentCache, segmentation: Segmentation) -> tuple[Counter, Counter]:
    """Word and character counts of the archive: when everything was read,
    what segmenting counted; else the last build's counts, minus what changed
    or went, plus what came."""
    if plan.fresh or "vocabulary" not in manifest.data:
        return segmentation.words, segmentation.chars
    words, chars = Counter(manifest.data["vocabulary"]), Counter(manifest.data["chars"])
    for aid in plan.changed | plan.removed:
        old = manifest.articles.get(aid)
        if old:
            f = Facts.of(cache.get(old["digest"]))
            words.subtract(f.words)
            chars.subtract(f.chars)
    words.update(segmentation.words)
    chars.update(segmentation.chars)
    return +words, +chars
