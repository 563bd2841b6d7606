"""How search ranks: the one definition, mirrored line for line by
`static/search.js` so that the command line and the browser agree.

A query is whitespace-separated *clauses* (all must match), "quoted
phrases" (one clause, spaces ignored), `-clause` exclusions and filters
(`county:常山县 topic:工业制造 year:2024 date:2024-01..2024-06 paper:衢州日报
kind:news`). Each clause is a run of characters that must occur
contiguously:

* tier 1 — documents containing every clause exactly (Ctrl+F's answer);
* tier 2 — documents containing every *word* of a clause (its split into the
  index's vocabulary) but not the clause itself; always after tier 1.

Within a tier the score is BM25F: per-field counts of the clause, the
headline weighted above the body, length-normalised per field, saturated,
times the clause's idf. Scores are rounded to 1/SCORE_SCALE before sorting
so that floating point differences between languages cannot reorder
results; ties go to the newer article, then to the article ID.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from quzhou_archive.analyse.segment import fold_query

K1 = 1.2
FIELDS = ("headline", "body")
WEIGHT = {"headline": 3.0, "body": 1.0}
B = {"headline": 0.3, "body": 0.75}
TIER2_FACTOR = 0.5
SCORE_SCALE = 1_000_000        # scores are compared as integers of this many parts
MAX_QUERY_CHARS = 200          # a longer query is cut here (the UI says so)
WORD_COST_SCALE = 1000         # word costs are integers: identical in every language
# Word costs are -log of a count against a fixed base, not the archive's
# total, so that adding one article changes only the costs of its own words.
COST_BASE = math.log(1e8)

FILTER_KEYS = {
    "county": "county", "县": "county", "县区": "county", "地区": "county",
    "topic": "topic", "主题": "topic",
    "year": "year", "年": "year", "年份": "year",
    "date": "date", "日期": "date",
    "paper": "paper", "报纸": "paper",
    "kind": "kind", "体裁": "kind",
}
_TOKEN = re.compile(r'(-?)(?:["“”「」『』]([^"“”「」『』]*)["“”「」『』]?|(\S+))')


@dataclass
class Query:
    clauses: list[str] = field(default_factory=list)     # folded, whitespace-free
    exclude: list[str] = field(default_factory=list)
    filters: dict[str, str] = field(default_factory=dict)
    truncated: bool = False

    @property
    def empty(self) -> bool:
        return not self.clauses


def parse_query(text: str) -> Query:
    query = Query()
    if len(text) > MAX_QUERY_CHARS:
        text, query.truncated = text[:MAX_QUERY_CHARS], True
    for m in _TOKEN.finditer(text):
        negative, quoted, bare = m.group(1), m.group(2), m.group(3)
        raw = quoted if quoted is not None else bare
        if quoted is None and not negative:
            key, sep, value = raw.partition(":") if ":" in raw else raw.partition("：")
            if sep and key.lower() in FILTER_KEYS and value:
                query.filters[FILTER_KEYS[key.lower()]] = value
                continue
        clause = _indexable(fold_query(raw))
        if not clause:
            continue
        (query.exclude if negative else query.clauses).append(clause)
    return query


_CONTENT = re.compile(r"[0-9a-z\u3400-\u9fff\uf900-\ufaff]")


def _indexable(s: str) -> str:
    """A clause must hold a letter, digit or Chinese character: punctuation
    alone is no query (but punctuation inside a clause is matched exactly)."""
    return s if _CONTENT.search(s) else ""


def idf(df: int, n_docs: int) -> float:
    return math.log(1 + (n_docs - df + 0.5) / (df + 0.5))


def saturate(x: float) -> float:
    return x * (K1 + 1) / (x + K1)


def field_weighted(tf: dict[str, int], lengths: dict[str, int], averages: dict[str, float]) -> float:
    total = 0.0
    for name in FIELDS:
        count = tf.get(name, 0)
        if count:
            norm = 1 - B[name] + B[name] * lengths[name] / (averages[name] or 1)
            total += WEIGHT[name] * count / norm
    return total


def clause_score(tf: dict[str, int], lengths: dict[str, int], averages: dict[str, float], df: int, n_docs: int) -> float:
    return idf(df, n_docs) * saturate(field_weighted(tf, lengths, averages))


def quantize(score: float) -> int:
    return math.floor(score * SCORE_SCALE + 0.5)


def word_cost(count: int) -> int:
    """Integer cost of using a vocabulary word in a query split (lower is likelier)."""
    return round(WORD_COST_SCALE * (COST_BASE - math.log(count)))


CHAR_COST = round(WORD_COST_SCALE * COST_BASE) + WORD_COST_SCALE   # a lone character: rarer than any word


def constants() -> dict:
    """Every number of the ranking that the browser needs, as the browser
    index's meta.json ships it: search.js keeps no copy of its own."""
    return {
        "k1": K1, "fields": list(FIELDS), "weight": dict(WEIGHT), "b": dict(B),
        "tier2_factor": TIER2_FACTOR, "score_scale": SCORE_SCALE, "char_cost": CHAR_COST,
        "max_query_chars": MAX_QUERY_CHARS,
    }


def tier2_words(split: list[str]) -> list[str]:
    """The words a tier-2 document must contain: only when the clause splits
    into two or more parts, at least one of them a real word."""
    if len(split) < 2 or all(len(w) < 2 for w in split):
        return []
    return split


def split_words(clause: str, candidates: dict[int, list[tuple[str, int]]], char_cost: int) -> list[str]:
    """The cheapest split of `clause` into vocabulary words and single characters.

    `candidates[i]` lists (word, cost) for vocabulary words starting at i that
    equal clause[i:i+len(word)]. Dynamic programming from the right, as jieba
    does; on equal cost the longer word wins.
    """
    n = len(clause)
    best: list[tuple[int, int]] = [(0, n)] * (n + 1)
    for i in range(n - 1, -1, -1):
        choice = (char_cost + best[i + 1][0], i + 1)
        for word, cost in candidates.get(i, []):
            j = i + len(word)
            total = cost + best[j][0]
            if total < choice[0] or (total == choice[0] and j > choice[1]):
                choice = (total, j)
        best[i] = choice
    out, i = [], 0
    while i < n:
        j = best[i][1]
        out.append(clause[i:j])
        i = j
    return out


def sort_key(tier: int, score: float, date_key: int, article_id: str) -> tuple:
    """Best first: exact before words-only, higher score, newer; then the
    article ID, by code point (the browser compares IDs the same way, never
    document numbers, which need not follow dates)."""
    return (tier, -quantize(score), -date_key, article_id)


SORTS = ("relevance", "newest", "oldest")


def date_order_key(date_key: int, article_id: str, newest: bool = True) -> tuple:
    """By date, then the article ID by code point; undated articles last
    either way. A query of filters alone lists its articles newest first,
    and a reader may order any results so."""
    if newest:
        return (-date_key, article_id)
    return (date_key == 0, date_key, article_id)


def date_key(date: str | None) -> int:
    """2024-11-30 -> 20241130; 2024-02 -> 20240200; 2024 -> 20240000; none -> 0."""
    if not date:
        return 0
    parts = [int(p) for p in date.split("-")] + [0, 0]
    return parts[0] * 10000 + parts[1] * 100 + parts[2]


# -- filters -------------------------------------------------------------------

_DIGITS = re.compile(r"[0-9]+")      # ASCII digits only, as the browser's \d


def date_bound(text: str, low: bool) -> int:
    parts = text.strip().split("-")
    if len(parts[0]) != 4 or len(parts) > 3 or not all(_DIGITS.fullmatch(p) for p in parts):
        raise ValueError(text)
    year = int(parts[0])
    month = int(parts[1]) if len(parts) > 1 else (0 if low else 99)
    day = int(parts[2]) if len(parts) > 2 else (0 if low else 99)
    return year * 10000 + month * 100 + day


def date_range(value: str) -> tuple[int, int]:
    """`2024`, `2024-03`, `2024-01..2024-06`, `2024-11-01..` -> inclusive date keys."""
    low, sep, high = value.partition("..")
    low_key = date_bound(low, True) if low.strip() else 0
    high_key = date_bound(high if sep else low, False) if (high.strip() if sep else low.strip()) else 99999999
    return low_key, high_key


def resolve_filters(filters: dict[str, str], options: dict) -> dict[str, str] | None:
    """Canonical filter values (常山 -> 常山县, industry -> 工业制造), or None
    when a value names nothing in the archive (no document can match)."""
    resolved = {}
    for key, value in filters.items():
        folded = fold_query(value)
        if key in ("county", "paper"):
            names = options.get("counties" if key == "county" else "papers", [])
            match = next((n for n in names if fold_query(n) == folded), None) or next(
                (n for n in names if len(folded) >= 2 and fold_query(n).startswith(folded)), None)
        elif key == "topic":
            match = next((name for name, slug in options.get("topics", []) if folded in (fold_query(name), slug)), None)
        elif key == "kind":
            match = value if value in options.get("kinds", []) else None
        else:  # year, date
            try:
                date_range(value if key == "date" else value.strip())
            except ValueError:
                return None
            match = value.strip()
            if key == "year" and not (len(match) == 4 and _DIGITS.fullmatch(match)):
                return None
        if match is None:
            return None
        resolved[key] = match
    return resolved
