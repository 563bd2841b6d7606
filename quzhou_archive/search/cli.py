"""`build_site.py search QUERY`: ranked results from the Whoosh index."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from quzhou_archive.errors import ArchiveError
from quzhou_archive.search.whoosh_index import Hit, Searcher
from quzhou_archive.textnorm import search_fold

WIDTH = 60


def snippet(text: str, terms: list[str], width: int = WIDTH) -> tuple[str, list[tuple[int, int]]]:
    """A window of `text` holding as many of the terms as can be seen
    together, and the spans to highlight (as the browser chooses them)."""
    flat = " ".join(text.split())
    folded = search_fold(flat)
    hits = sorted({(i, i + len(t), n) for n, t in enumerate(terms) for i in _find_all(folded, t)},
                  key=lambda h: (h[0], -h[1]))
    start = window_start([h[:2] for h in hits], [h[2] for h in hits], len(flat), width)
    end = min(len(flat), start + width)
    shift = 1 if start > 0 else 0
    marks: list[list[int]] = []
    for a, b, _ in hits:
        if a < start or a >= end:
            continue
        lo, hi = a - start + shift, min(b, end) - start + shift
        if marks and lo <= marks[-1][1]:
            marks[-1][1] = max(marks[-1][1], hi)
        else:
            marks.append([lo, hi])
    shown = ("…" if start > 0 else "") + flat[start:end] + ("…" if end < len(flat) else "")
    return shown, [(a, b) for a, b in marks]


def window_start(hits: list[tuple[int, int]], kinds: list[int], length: int, width: int) -> int:
    """Where a window of `width` characters starts that holds the most
    different terms (`kinds[k]` is which term hits[k] is), the earliest of
    equals, with a little of the text before its first hit when there is room.
    `hits` are (start, end), sorted by start."""
    best, best_count, best_end = 0, 0, 0
    for i, (first, _) in enumerate(hits):
        seen, last_end = set(), first
        for (a, b), kind in zip(hits[i:], kinds[i:]):
            if b > first + width:
                if a >= first + width:
                    break
                continue
            seen.add(kind)
            last_end = max(last_end, b)
        if len(seen) > best_count:
            best, best_count, best_end = first, len(seen), last_end
    if not best_count:
        return 0
    lead = min(width // 3, width - (best_end - best))
    return max(0, min(best - lead, length - width))


def _find_all(text: str, term: str):
    at = text.find(term)
    while at >= 0:
        yield at
        at = text.find(term, at + 1)


def _highlight(text: str, marks, on: str, off: str) -> str:
    out, at = [], 0
    for a, b in marks:
        out += [text[at:a], on, text[a:b], off]
        at = b
    out.append(text[at:])
    return "".join(out)


def _not_utf8(data: bytes, error: UnicodeDecodeError) -> str:
    """What is wrong and where in its line, counted in bytes from 1."""
    line_start = data.rfind(b"\n", 0, error.start) + 1
    return f"not UTF-8 text (byte 0x{data[error.start]:02X} at byte {error.start - line_start + 1})"


def checked_query(query: str) -> str:
    """The query as text, or a one-line refusal. The shell hands Python a
    query's bytes, and bytes that are not UTF-8 arrive as lone surrogates
    (PEP 383), which no index and no terminal can take."""
    try:
        query.encode("utf-8")
        return query
    except UnicodeEncodeError:
        pass
    try:
        data = query.encode("utf-8", "surrogateescape")   # the bytes as typed
        data.decode("utf-8")
        detail = "not UTF-8 text"
    except UnicodeEncodeError:                          # a surrogate that was never a byte
        detail = "not text (it holds a lone surrogate)"
    except UnicodeDecodeError as error:
        detail = _not_utf8(data, error)
    raise ArchiveError("search", f"the query is {detail}; type it in UTF-8")


def read_queries(source: str) -> list[str]:
    """The lines of a queries file (or of stdin for `-`), read as UTF-8;
    a file that cannot be read or is not UTF-8 is refused, naming the line."""
    name = "<stdin>" if source == "-" else source
    try:
        data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as error:
        raise ArchiveError(name, f"cannot read the queries file: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise ArchiveError(name, _not_utf8(data, error) + "; save the queries as UTF-8", line=line) from None
    # one query per line as a text editor counts lines, so that a line number means what it says
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def run_search(query: str, index_dir: Path, limit: int = 10, as_json: bool = False, sort: str = "relevance") -> int:
    query = checked_query(query)
    with Searcher(index_dir) as searcher:
        parsed, hits, total = searcher.search(query, limit=max(0, limit), sort=sort)
        base = searcher.stats.get("base_url", "/")
        if as_json:
            print(json.dumps([_json(h, base) for h in hits], ensure_ascii=False, indent=1))
            return 0
        if parsed.truncated:
            print(f"(the query was cut to its first {len(query[:200])} characters)")
        if parsed.empty and not parsed.filters:
            print("nothing to search for: type words, names or numbers (punctuation alone finds nothing)",
                  file=sys.stderr)
            return 1
        tty = sys.stdout.isatty()
        on, off = ("\033[1;33m", "\033[0m") if tty else ("【", "】")
        terms = parsed.clauses + [w for ws in (searcher.split(c) for c in parsed.clauses) for w in ws if len(w) > 1]
        print(f"{total} article(s) match «{query}»" + (f"; the best {len(hits)}:" if total > len(hits) else ":"))
        for rank_no, hit in enumerate(hits, start=1):
            text, marks = snippet(hit.fields["body"], terms)
            where = " · ".join(p for p in (hit.date or "日期不详", "、".join(hit.counties)) if p)
            tier = "" if hit.tier == 1 else "  (all its words, not together)"
            print(f"\n{rank_no:>2}. {hit.title}  [{where}]  score {hit.score:.3f}{tier}")
            print(f"    {_highlight(text, marks, on, off)}")
            print(f"    {base}{hit.url}   ({hit.id})")
        return 0


def _json(hit: Hit, base: str) -> dict:
    return {"id": hit.id, "title": hit.title, "url": base + hit.url, "date": hit.date,
            "counties": hit.counties, "score": hit.score}


def run_batch(source: str, index_dir: Path, limit: int = 10, as_json: bool = False, sort: str = "relevance") -> int:
    """Many queries, one index opening: a line of output per line of input."""
    lines = read_queries(source)
    with Searcher(index_dir) as searcher:
        base = searcher.stats.get("base_url", "/")
        for line in lines:
            _, hits, total = searcher.search(line, limit=max(0, limit), sort=sort)
            if as_json:
                print(json.dumps([_json(h, base) for h in hits], ensure_ascii=False))
            else:
                print(f"{line}\t{total}\t" + " ".join(h.id for h in hits))
    return 0
