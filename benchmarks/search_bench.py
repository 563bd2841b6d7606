#!/usr/bin/env python3
"""Browser search at scale: this archive's static index beside Pagefind's,
on the same pages, in the same run, in headless Chromium.

Generates an archive of N articles from the bundled articles' paragraphs,
builds it, runs Pagefind (`pagefind[extended]`) over the same article pages,
then asks both, in Chromium, a seeded sample of random 2-4 character
substrings of the articles (and their Traditional forms). For each it
measures what the browser fetched and how long the query took, and holds
the answers against Ctrl+F (every article whose text contains the string).

Prints: index size on disk; bytes fetched by the first query and (median,
p90) by later ones; query time (median, p90); recall and R-precision.

usage: python benchmarks/search_bench.py [--articles 10000] [--queries 200] [--keep DIR]
needs: pip install '.[bench]'  (pagefind[extended]) and Debian's chromium
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quzhou_archive.pipeline import build, load_articles  # noqa: E402
from quzhou_archive.search.browser_index import doc_order  # noqa: E402
from quzhou_archive.site.serve import make_server  # noqa: E402
from quzhou_archive.synthetic import generate, sample_queries, searchable_parts  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def serve(directory: Path, base: str):
    httpd, _ = make_server(directory, 0, base, quiet=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}{base}"


OURS_JS = """async ([q, root]) => {
  const m = await import(root + 'static/search.js');
  const t0 = performance.now();
  const shown = await m.search(q, {limit: 10});
  return {ms: performance.now() - t0, shown: shown.map(r => r.id)};
}"""
OURS_ALL_JS = """async ([q, root]) => (await (await import(root + 'static/search.js')).matchingDocs(q)).map(([d]) => d)"""

PAGEFIND_JS = """async ([q, root]) => {
  const pf = await import(root + 'pagefind/pagefind.js');
  await pf.init();
  const t0 = performance.now();
  const found = await pf.search(q);
  const shown = await Promise.all(found.results.slice(0, 10).map(r => r.data()));
  return {ms: performance.now() - t0, shown: shown.map(d => d.url)};
}"""
PAGEFIND_ALL_JS = """async ([q, root]) => {
  const pf = await import(root + 'pagefind/pagefind.js');
  const found = await pf.search(q);
  return (await Promise.all(found.results.map(r => r.data()))).map(d => d.url);
}"""


class Traffic:
    """Bytes of every response the page (and its workers) received."""

    def __init__(self, page):
        self.bytes = 0
        page.on("requestfinished", self._add)

    def _add(self, request):
        try:
            self.bytes += request.sizes()["responseBodySize"]
        except Exception:  # noqa: BLE001 - a request without sizes counts nothing
            pass


def measure(browser, url: str, start: str, shown_js: str, all_js: str, texts: list[str]) -> tuple[list[dict], list[list[str]]]:
    """Per query: time and bytes of what a results page shows; then every match (not measured)."""
    page = browser.new_page()
    traffic = Traffic(page)
    page.goto(url + start)
    page.wait_for_load_state("networkidle")
    runs = []
    for q in texts:
        before = traffic.bytes
        result = page.evaluate(shown_js, [q, url])
        page.wait_for_timeout(5)
        runs.append({"ms": result["ms"], "bytes": traffic.bytes - before})
    answers = [page.evaluate(all_js, [q, url]) for q in texts]
    page.close()
    return runs, answers


def quality(answers: list[list[str]], queries: dict[str, set[str]]) -> tuple[float, float, float]:
    """(mean recall, share of queries with full recall, mean R-precision)."""
    recalls, full, rprec = [], 0, []
    for ids, truth in zip(answers, queries.values()):
        got = set(ids)
        recall = len(truth & got) / len(truth)
        recalls.append(recall)
        full += recall == 1.0
        rprec.append(len(truth & set(ids[: len(truth)])) / len(truth))
    n = len(answers)
    return sum(recalls) / n, full / n, sum(rprec) / n


def summary(runs: list[dict]) -> dict:
    later = runs[1:] or runs
    pct = lambda xs, p: sorted(xs)[min(len(xs) - 1, int(p * len(xs)))]  # noqa: E731
    return {
        "first_kib": runs[0]["bytes"] / 1024,
        "median_kib": statistics.median(r["bytes"] for r in later) / 1024,
        "p90_kib": pct([r["bytes"] for r in later], 0.9) / 1024,
        "median_ms": statistics.median(r["ms"] for r in later),
        "p90_ms": pct([r["ms"] for r in later], 0.9),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="search-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    articles, site, index = work / "articles", work / "site", work / "index"

    if not articles.exists():
        print(f"generating {args.articles} articles …", flush=True)
        generate(args.articles, articles, ROOT / "articles")
    t = time.perf_counter()
    build(articles, site, index, "/")
    ours_build = time.perf_counter() - t

    pf_site = work / "pagefind-site"
    if pf_site.exists():
        shutil.rmtree(pf_site)
    shutil.copytree(site / "articles", pf_site / "articles")
    for page in (pf_site / "articles").rglob("*.html"):  # index the article, as ours does, not the menus
        page.write_text(page.read_text(encoding="utf-8").replace("<article ", "<article data-pagefind-body ", 1),
                        encoding="utf-8")
    (pf_site / "blank.html").write_text("<!doctype html><title>Pagefind</title>\n", encoding="utf-8")
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(pf_site)], check=True, capture_output=True)
    pf_build = time.perf_counter() - t

    parts = searchable_parts(articles)
    ids_by_docnum = doc_order([(aid, a.date) for aid, a in ((a.id, a) for a in load_articles(articles))])
    queries = sample_queries(parts, args.queries, args.seed)
    texts = list(queries)

    from playwright.sync_api import sync_playwright

    ours_httpd, ours_url = serve(site, "/")
    pf_httpd, pf_url = serve(pf_site, "/")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        # the search page itself (HTML, CSS, UI script) is not search traffic: start from a blank page
        ours, ours_docs = measure(browser, ours_url, "404.html", OURS_JS, OURS_ALL_JS, texts)
        theirs, theirs_urls = measure(browser, pf_url, "blank.html", PAGEFIND_JS, PAGEFIND_ALL_JS, texts)
        browser.close()
    ours_httpd.shutdown()
    pf_httpd.shutdown()

    ours_ids = [[ids_by_docnum[d] for d in docs] for docs in ours_docs]
    theirs_ids = [[u.split("articles/", 1)[-1].removesuffix(".html") for u in urls] for urls in theirs_urls]
    ours_q, theirs_q = quality(ours_ids, queries), quality(theirs_ids, queries)
    for text, ids in zip(texts, ours_ids):
        if missed := queries[text] - set(ids):
            print(f"this archive misses {len(missed)} of {len(queries[text])} for {text!r}: {sorted(missed)[:5]}")
    ours_s, theirs_s = summary(ours), summary(theirs)
    ours_size = dir_bytes(site / "search")
    theirs_size = dir_bytes(pf_site / "pagefind")
    rows = [
        ("build (s)", f"{ours_build:.1f} (whole site)", f"{pf_build:.1f} (index only)"),
        ("index size (MiB)", f"{ours_size / 2**20:.1f}", f"{theirs_size / 2**20:.1f}"),
        ("first query (KiB)", f"{ours_s['first_kib']:.0f}", f"{theirs_s['first_kib']:.0f}"),
        ("later queries, median / p90 (KiB)", f"{ours_s['median_kib']:.0f} / {ours_s['p90_kib']:.0f}",
         f"{theirs_s['median_kib']:.0f} / {theirs_s['p90_kib']:.0f}"),
        ("query time, median / p90 (ms)", f"{ours_s['median_ms']:.0f} / {ours_s['p90_ms']:.0f}",
         f"{theirs_s['median_ms']:.0f} / {theirs_s['p90_ms']:.0f}"),
        ("recall vs Ctrl+F (mean)", f"{ours_q[0]:.1%}", f"{theirs_q[0]:.1%}"),
        ("queries with every Ctrl+F hit", f"{ours_q[1]:.1%}", f"{theirs_q[1]:.1%}"),
        ("R-precision (mean)", f"{ours_q[2]:.1%}", f"{theirs_q[2]:.1%}"),
    ]
    print(f"\n{args.articles} articles, {len(texts)} queries (random 2-4 character substrings and Traditional forms)\n")
    print(f"| measure | this archive | Pagefind {subprocess.run([sys.executable, '-m', 'pagefind', '--version'], capture_output=True, text=True).stdout.split()[-1]} |")
    print("|---|---|---|")
    for row in rows:
        print(f"| {row[0]} | {row[1]} | {row[2]} |")
    print(f"\nratios (this archive / Pagefind): size {ours_size / theirs_size:.2f}, "
          f"median bytes {ours_s['median_kib'] / max(theirs_s['median_kib'], 1e-9):.2f}, "
          f"median time {ours_s['median_ms'] / max(theirs_s['median_ms'], 1e-9):.2f}")
    (work / "search_bench.json").write_text(json.dumps({"rows": rows}, ensure_ascii=False, indent=1), encoding="utf-8")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
