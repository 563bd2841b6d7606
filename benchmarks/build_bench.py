#!/usr/bin/env python3
"""Build speed at scale: this archive beside Pelican + Pagefind, on the same
Markdown, in the same run.

Generates an archive of N articles from the bundled articles' paragraphs
(varied dates, papers, pages, counties, topics and numbers), then times,
each as its own command, from nothing:

* the full build (Whoosh index + static search index + every page);
* the build after one article changed (a sentence inserted mid-paragraph);
* the build after a day's new articles (20, dated after all the others);
* the build after one article was removed;
* the build after one article was inserted in the middle of the date order
  (a story of an old issue found later);
* the build with nothing changed;
* the build after a template was edited (every page is rendered again;
  the indexes stay);

and the peak memory of each (the whole process tree, by PSS, sampled, and
the largest single process's RSS). Then, on the same articles converted to
Pelican's Markdown (Title/Date/Category/Tags/Slug), Pelican with its default
theme followed by Pagefind over Pelican's output; and prints the ratios.

usage: python benchmarks/build_bench.py [--articles 10000] [--keep DIR] [--no-peers] [--record FILE]

`--record` writes the measurements as JSON, from which `benchmarks/projection.py`
projects a larger archive.
needs: pip install '.[bench]'  (pelican, pagefind[extended])
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quzhou_archive import articles as store  # noqa: E402
from quzhou_archive.pipeline import GITHUB_PAGES_LIMIT  # noqa: E402
from quzhou_archive.synthetic import generate  # noqa: E402

INSERTED = "另据统计，衢州市新增省级示范项目三个。"
PELICAN_CONF = """\
SITENAME = "衢州区域经济新闻档案"
SITEURL = ""
PATH = "content"
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh"
DEFAULT_PAGINATION = 50
"""


@dataclass
class Run:
    seconds: float
    tree_pss: int      # bytes: the process tree's peak proportional set size
    largest_rss: int   # bytes: the largest single process's peak RSS
    output: str
    cpu: float = 0.0   # CPU seconds of the process and the workers it waited for
    peak_stage: str = ""    # the stage the tree's peak was sampled in (the first to finish after it)


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo += [int(c) for c in fh.read().split()]
        except OSError:
            pass
    return pids


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def run(cmd: list[str], cwd: Path | None = None, env: dict | None = None) -> Run:
    """Run a command to the end; its wall time and peak memory (of it and every
    process it starts, sampled every 200 ms)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = [0, 0.0]     # bytes, and when
    done = threading.Event()

    def sample():
        while not done.is_set():
            now = sum(_pss(p) for p in _tree(proc.pid))
            if now > peak[0]:
                peak[:] = [now, time.perf_counter()]
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    lines = [(line, time.perf_counter()) for line in proc.stdout]     # each stage's line as it finished
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    output = "".join(line for line, _ in lines)
    if proc.returncode:
        raise SystemExit(f"{' '.join(map(str, cmd))} failed ({proc.returncode}):\n{output[-3000:]}")
    stage = next((m.group(1) for line, at in lines if at >= peak[1] and (m := STAGE_LINE.match(line))), "end")
    return Run(seconds, peak[0], usage.ru_maxrss * 1024, output, usage.ru_utime + usage.ru_stime, stage)


def site_parts(site: Path) -> dict[str, tuple[int, int]]:
    """Bytes and files per top-level folder of the site."""
    parts: dict[str, tuple[int, int]] = {}
    for p in site.rglob("*"):
        if p.is_file():
            key = p.relative_to(site).parts[0] if len(p.relative_to(site).parts) > 1 else "(top)"
            size, files = parts.get(key, (0, 0))
            parts[key] = (size + p.stat().st_size, files + 1)
    return parts


def pages_artifact(site: Path) -> tuple[int, int] | None:
    """Bytes of the tar that upload-pages-artifact makes of the site, and of
    that tar compressed (the upload, which deploy-pages checks against its
    1 GB limit); None without a `tar` command."""
    if not shutil.which("tar"):
        return None
    proc = subprocess.Popen(["tar", "--hard-dereference", "-cf", "-", "-C", str(site), "."],
                            stdout=subprocess.PIPE)
    packer = zlib.compressobj(6)
    raw = packed = 0
    while chunk := proc.stdout.read(1 << 20):
        raw += len(chunk)
        packed += len(packer.compress(chunk))
    packed += len(packer.flush())
    proc.wait()
    return raw, packed


def change_one(articles: Path) -> Path:
    """Insert a sentence in the middle of the middle article's first long paragraph."""
    paths = sorted(store.article_paths(articles))
    path = paths[len(paths) // 2]
    text = path.read_text(encoding="utf-8")
    head, body = text.split("\n---\n", 1)
    paragraphs = body.split("\n\n")
    k = max(range(len(paragraphs)), key=lambda i: len(paragraphs[i]))
    para = paragraphs[k]
    cut = para.find("。", len(para) // 2) + 1 or len(para) // 2
    paragraphs[k] = para[:cut] + INSERTED + para[cut:]
    path.write_text(head + "\n---\n" + "\n\n".join(paragraphs), encoding="utf-8")
    return path


def add_a_day(articles: Path, count: int) -> int:
    """`count` articles of the day after the latest: copies of earlier ones,
    as a day's pages add them."""
    import datetime as dt

    paths = sorted(store.article_paths(articles))
    latest = max(d for p in paths if len(d := store.read_article(articles, p).meta.get("date") or "") == 10)
    day = (dt.date.fromisoformat(latest) + dt.timedelta(days=1)).isoformat()
    for n, path in enumerate(paths[:: max(1, len(paths) // count)][:count], start=1):
        article = store.read_article(articles, path)
        meta = {k: v for k, v in article.meta.items() if k != store.DIGEST_KEY}
        target = articles / store.date_path(day) / f"quzhou-ribao-p{n // 5 + 1:02d}-{n:02d}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(store.article_file_text({**meta, "date": day, "paper": "衢州日报", "page": n // 5 + 1},
                                                  article.body), encoding="utf-8")
    return count


def insert_mid_order(articles: Path) -> Path:
    """One article dated in the middle of the archive's date order: a copy of
    an article of that day, as a story of an old issue found later."""
    paths = sorted(store.article_paths(articles))
    source = store.read_article(articles, paths[len(paths) // 2])
    meta = {k: v for k, v in source.meta.items() if k != store.DIGEST_KEY}
    day = meta.get("date") or "2016-01-01"
    target = articles / store.date_path(day) / "quzhou-wanbao-p99-01.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(store.article_file_text({**meta, "paper": "衢州晚报", "page": 99,
                                               "title": meta["title"] + "（补录）"}, source.body), encoding="utf-8")
    return target


def project_copy(work: Path) -> Path:
    """The templates and assets the build reads, copied, so that a template
    can be edited without touching the repository's."""
    project = work / "project"
    for name in ("templates", "static"):
        shutil.copytree(ROOT / name, project / name)
    return project


def edit_template(project: Path) -> None:
    path = project / "templates" / "base.html"
    path.write_text(path.read_text(encoding="utf-8").replace("</body>", "<!-- edited -->\n</body>", 1),
                    encoding="utf-8")


def to_pelican(articles: Path, content: Path) -> int:
    """The same articles as Pelican reads them. Pelican needs a full date: a
    month-only article takes the 1st, an undated one 1970-01-01."""
    content.mkdir(parents=True, exist_ok=True)
    count = 0
    for path in store.article_paths(articles):
        article = store.read_article(articles, path)
        meta = article.meta
        date = meta.get("date") or "1970-01-01"
        date = date + "-01" if len(date) == 7 else date
        slug = article.id.replace("/", "-")
        tags = ", ".join(list(meta.get("counties") or []) + list(meta.get("topics") or []))
        title = re.sub(r"\s+", " ", article.title)
        header = (f"Title: {title}\nDate: {date}\nCategory: {(meta.get('topics') or ['未分类'])[0]}\n"
                  f"Tags: {tags}\nSlug: {slug}\n\n")
        (content / f"{slug}.md").write_text(header + article.body, encoding="utf-8")
        count += 1
    return count


def figures_cost(full: Run) -> str:
    """What the economic figures took of the full build, in the same run: the
    figures analyser's CPU time in the workers against the build's CPU time,
    and the 数据 stage's time against the build's."""
    analyser = re.search(r"^  analyse: figures \(CPU\): ([\d.]+) s", full.output, re.M)
    stage = re.findall(r"^  figures: ([\d.]+) s", full.output, re.M)
    extraction = float(analyser.group(1)) if analyser else 0.0
    pages = float(stage[-1]) if stage else 0.0
    return (f"figures: extraction {extraction:.1f} s of CPU = {100 * extraction / full.cpu:.1f}% of the build's "
            f"{full.cpu:.1f} s of CPU (<= 10%); the 数据 pages and downloads {pages:.1f} s = "
            f"{100 * pages / full.seconds:.1f}% of its {full.seconds:.1f} s")


STAGE_LINE = re.compile(r"^  ([\w ]+): ([\d.]+) s", re.M)    # a stage's time, as the build printed it (QZ_TIMINGS)


def stages_of(r: Run) -> dict[str, float]:
    """The stages' wall-clock seconds, as the build printed them (a stage's
    parts, "export: shards", are left out)."""
    return {m.group(1): float(m.group(2)) for m in STAGE_LINE.finditer(r.output)}


def said_stages(r: Run) -> str:
    return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in stages_of(r).items() if seconds >= 0.05)


def mib(n: int) -> str:
    return f"{n / 1024 ** 2:.0f} MiB"


def build_cmd(work: Path) -> list[str]:
    """(Run with cwd = the project copy, whose templates/ the build reads.)"""
    return [sys.executable, str(ROOT / "build_site.py"), "build", "--articles", str(work / "articles"),
            "--out", str(work / "_site"), "--index", str(work / "search_index")]


def installed_python_env() -> dict:
    """The environment the builds run in: Python as an installation runs it,
    keeping its compiled modules (`__pycache__`), whatever this shell says
    (PYTHONDONTWRITEBYTECODE would have every build compile the archive's
    code again, which no installed copy does); the archive's code compiled
    once beforehand, as installing it does."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "quzhou_archive")], env=env, check=True)
    return {**env, "QZ_TIMINGS": "1"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10000, help="how many articles (default 10000)")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it")
    ap.add_argument("--no-peers", action="store_true", help="skip Pelican + Pagefind (for N = 100000)")
    ap.add_argument("--record", type=Path, help="write the measurements as JSON to this file")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="build-bench-"))
    if args.keep and work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    env = installed_python_env()
    try:
        print(f"generating {args.articles} articles …", flush=True)
        generate(args.articles, work / "articles", ROOT / "articles")
        chars = sum(len(store.read_article(work / "articles", p).body) for p in store.article_paths(work / "articles"))
        print(f"{args.articles} articles, {chars / 1e6:.1f} million characters of body text\n", flush=True)

        project = project_copy(work)
        rows = []
        full = run(build_cmd(work), cwd=project, env=env)
        print(f"full build: {full.seconds:.1f} s ({said_stages(full)})", flush=True)
        figures_share = figures_cost(full)
        print(figures_share, flush=True)
        rows.append(("full build, from nothing", full))
        parts = site_parts(work / "_site")
        artifact = pages_artifact(work / "_site")
        site_bytes, site_files = (sum(x) for x in zip(*parts.values()))
        index_bytes = sum(p.stat().st_size for p in (work / "search_index").iterdir())

        changed = change_one(work / "articles")
        one = run(build_cmd(work), cwd=project, env=env)
        print(f"one article changed ({changed.name}): {one.seconds:.2f} s ({said_stages(one)})", flush=True)
        rows.append(("one article changed", one))

        added = add_a_day(work / "articles", 20)
        day = run(build_cmd(work), cwd=project, env=env)
        print(f"{added} new articles, dated after the rest: {day.seconds:.2f} s ({said_stages(day)})", flush=True)
        rows.append((f"{added} new articles (a day's issue)", day))

        removed = sorted(store.article_paths(work / "articles"))[len(rows) * 97]
        removed.unlink()
        gone = run(build_cmd(work), cwd=project, env=env)
        print(f"one article removed ({removed.name}): {gone.seconds:.2f} s ({said_stages(gone)})", flush=True)
        rows.append(("one article removed", gone))

        inserted = insert_mid_order(work / "articles")
        middle = run(build_cmd(work), cwd=project, env=env)
        print(f"one article inserted in the middle of the date order ({inserted.relative_to(work)}): "
              f"{middle.seconds:.2f} s ({said_stages(middle)})", flush=True)
        rows.append(("one article inserted mid-order", middle))

        same = run(build_cmd(work), cwd=project, env=env)
        print(f"nothing changed: {same.seconds:.2f} s ({said_stages(same)})", flush=True)
        rows.append(("nothing changed", same))

        edit_template(project)
        restyled = run(build_cmd(work), cwd=project, env=env)
        print(f"a template edited: {restyled.seconds:.2f} s ({said_stages(restyled)})", flush=True)
        rows.append(("a template edited", restyled))

        peers = None
        if not args.no_peers:
            pel = work / "pelican"
            to_pelican(work / "articles", pel / "content")
            (pel / "pelicanconf.py").write_text(PELICAN_CONF, encoding="utf-8")
            pelican = run([sys.executable, "-m", "pelican", "content", "-o", "output", "-s", "pelicanconf.py", "-q"],
                          cwd=pel)
            print(f"Pelican: {pelican.seconds:.1f} s", flush=True)
            pagefind = run([sys.executable, "-m", "pagefind", "--site", "output", "--silent"], cwd=pel)
            print(f"Pagefind: {pagefind.seconds:.1f} s", flush=True)
            peers = (pelican, pagefind)

        print(f"\n{args.articles} articles ({chars / 1e6:.1f} million characters), {os.cpu_count()} cores\n")
        print("| build | time | peak memory (process tree, PSS) | peak during | largest process (RSS) "
              "| share of full build |")
        print("|---|---|---|---|---|---|")
        for name, r in rows:
            print(f"| {name} | {r.seconds:.2f} s | {mib(r.tree_pss)} | {r.peak_stage} | {mib(r.largest_rss)} | "
                  f"{100 * r.seconds / full.seconds:.1f}% |")
        if peers:
            pelican, pagefind = peers
            both = pelican.seconds + pagefind.seconds
            print(f"| Pelican {_version('pelican')} (default theme) | {pelican.seconds:.2f} s | {mib(pelican.tree_pss)} "
                  f"| | {mib(pelican.largest_rss)} | |")
            print(f"| Pagefind {_version('pagefind')} over Pelican's output | {pagefind.seconds:.2f} s | "
                  f"{mib(pagefind.tree_pss)} | | {mib(pagefind.largest_rss)} | |")
            print(f"\nPelican + Pagefind / this archive's full build: {both:.1f} s / {full.seconds:.1f} s "
                  f"= {both / full.seconds:.2f} (>= 1.0 means this archive is faster)")
        print(f"\nsite: {site_bytes / 1e6:.0f} MB in {site_files} files "
              f"({100 * site_bytes / GITHUB_PAGES_LIMIT:.0f}% of GitHub Pages' 1 GB); Whoosh index {index_bytes / 1e6:.0f} MB")
        if artifact:
            print(f"as GitHub Pages receives it: a {artifact[0] / 1e6:.0f} MB tar, uploaded compressed as "
                  f"{artifact[1] / 1e6:.0f} MB ({100 * artifact[1] / GITHUB_PAGES_LIMIT:.0f}% of the 1 GB limit)")
        for part, (size, files) in sorted(parts.items(), key=lambda kv: -kv[1][0]):
            print(f"  {part:<12} {size / 1e6:8.1f} MB {files:8d} files")
        share = {name: 100 * r.seconds / full.seconds for name, r in rows}
        print("targets: " + ", ".join([
            f"one changed {share['one article changed']:.1f}% (<= 3%)",
            f"one removed {share['one article removed']:.1f}% (<= 3%)",
            f"one inserted mid-order {share['one article inserted mid-order']:.1f}% (<= 3%)",
            f"{added} new {share[f'{added} new articles (a day' + chr(39) + 's issue)']:.1f}% (<= 5%)",
            f"nothing changed {share['nothing changed']:.1f}% (<= 1%)",
            f"template edited {share['a template edited']:.1f}% (<= 35%)",
            f"peak memory {mib(max(r.tree_pss for _, r in rows))} (<= 1536 MiB at 100000)"]
            + ([f"Pelican + Pagefind / full build {(peers[0].seconds + peers[1].seconds) / full.seconds:.2f} (>= 4)"]
               if peers else [])))
        print(figures_share)
        if args.record:
            record = {"articles": args.articles, "characters": chars, "cores": os.cpu_count(), "figures": figures_share,
                      "builds": {name: {"seconds": r.seconds, "tree_pss": r.tree_pss, "largest_rss": r.largest_rss,
                                        "peak_stage": r.peak_stage, "stages": stages_of(r)} for name, r in rows},
                      "site_bytes": site_bytes, "site_files": site_files, "index_bytes": index_bytes,
                      "artifact": list(artifact) if artifact else None,
                      "peers": {"pelican": peers[0].seconds, "pagefind": peers[1].seconds} if peers else None}
            args.record.write_text(json.dumps(record, indent=1, ensure_ascii=False), encoding="utf-8")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def _version(module: str) -> str:
    from importlib.metadata import version
    return version(module)


if __name__ == "__main__":
    raise SystemExit(main())
