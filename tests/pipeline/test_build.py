"""Builds over time: an incremental build gives the same pages and the same
search answers as a build from nothing (the same bytes once its document
numbers are dense); a removed article leaves no trace; one build at a time;
a killed build leaves the old site and is recovered from."""
from __future__ import annotations

import contextlib
import functools
import gzip
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from quzhou_archive import articles as store
from quzhou_archive import pipeline as build_module
from quzhou_archive.pipeline import export as export_stage
from quzhou_archive.pipeline import joined as joined_module
from quzhou_archive.pipeline import outputs as outputs_module
from quzhou_archive.pipeline import workers as workers_module
from quzhou_archive.pipeline.publish import SITE_RECORD, STAMP_FILE
from quzhou_archive.search.whoosh_index import STATS_FILE
from quzhou_archive.site import layout
from quzhou_archive.site import model as site_model
from quzhou_archive.pipeline import PARALLEL_FROM, build
from quzhou_archive.search.whoosh_index import Searcher
from quzhou_archive.search import browser_index
from quzhou_archive.search.browser_index import read_varint
from quzhou_archive.pipeline.state import SCRATCH_PREFIX, BuildLock, state_dir
from quzhou_archive.synthetic import generate
from tests.conftest import ROOT

QUERIES = ["衢州", "常山县", "工业增加值", "规上工业", "胡柚", "示范项目", "稳中有进 -开化", "county:常山县 项目"]
INSERTED = "另据统计，全市新增省级示范项目三个。"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def index_contents(index_dir: Path) -> dict:
    """What the Whoosh index holds and answers (its files differ by segment history)."""
    with Searcher(index_dir) as s:
        stored = sorted((dict(f) for f in s.searcher.all_stored_fields()), key=lambda f: f["id"])
        answers = {q: [(h.id, round(h.score, 6), h.tier) for h in s.search(q, limit=None)[1]] for q in QUERIES}
        return {"stored": stored, "answers": answers, "stats": s.stats}


def write_article(articles: Path, article_id: str, title: str, body: str, date: str | None, **meta) -> Path:
    fields = {"title": title, "subtitle": None, "kicker": None, "date": date, "paper": "衢州日报", "page": 1,
              "counties": ["常山县"], "topics": ["工业制造"], "authors": [], "photographers": [], "kind": "news",
              "source": {"file": "test.txt", "lines": [1, 2]}, **meta}
    path = articles / f"{article_id}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(store.article_file_text(fields, body + "\n"), encoding="utf-8")
    return path


def insert_mid_paragraph(path: Path, sentence: str) -> None:
    text = path.read_text(encoding="utf-8")
    head, body = text.split("\n---\n", 1)
    paragraphs = body.split("\n\n")
    k = max(range(len(paragraphs)), key=lambda i: len(paragraphs[i]))
    cut = paragraphs[k].find("。", len(paragraphs[k]) // 2) + 1
    paragraphs[k] = paragraphs[k][:cut] + sentence + paragraphs[k][cut:]
    path.write_text(head + "\n---\n" + "\n\n".join(paragraphs), encoding="utf-8")


def append_paragraph(path: Path, paragraph: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{paragraph}\n", encoding="utf-8")


def retitle(path: Path, title: str, **changes) -> None:
    article = store.read_article(path.parent, path)
    meta = {k: v for k, v in article.meta.items() if k != store.DIGEST_KEY}
    path.write_text(store.article_file_text({**meta, "title": title, **changes}, article.body), encoding="utf-8")


def decode_ids(site: Path) -> list[str]:
    """ids.bin: the article ID of each document number ('' for a removed article's)."""
    return decode_ids_of({"search/ids.bin": (site / "search" / "ids.bin").read_bytes()})


def decode_docs(site: Path) -> list[tuple | None]:
    """docs.bin's rows as plain tuples (None: the number of a removed article)."""
    data = gzip.decompress((site / "search" / "docs.bin").read_bytes())
    count, i = read_varint(data, 0)
    rows = []
    for _ in range(count):
        fields = []
        for _ in range(6):
            value, i = read_varint(data, i)
            fields.append(value)
        counties, i = read_varint(data, i)
        for _ in range(counties):
            value, i = read_varint(data, i)
            fields.append(value)
        rows.append(tuple(fields) if fields[4] else None)
    return rows


def browser_index_contents(site: Path) -> dict:
    """What the browser index says, by article ID rather than document number,
    as search.js reads it: each article's row; each term's postings (main
    and delta shards together, passing over removed articles' numbers) and
    word list (the delta's, else the main record's); and meta.json but for
    the delta's shard count and the fingerprint of the files' bytes. Two
    indexes that agree here give the same answer to every query (ranking
    never reads the numbers)."""
    ids = decode_ids(site)
    rows = {ids[n]: row for n, row in enumerate(decode_docs(site)) if row is not None}
    meta = json.loads((site / "search" / "meta.json").read_text(encoding="utf-8"))
    shards = [site / "search" / "s" / f"{k}.bin" for k in range(meta["shards"])]
    shards += sorted((site / "search" / "d").glob("*.bin"))
    terms: dict[str, tuple[dict, bytes]] = {}
    for path in shards:
        for term, record in browser_index.decode_shard(path.read_bytes()).items():
            blocks, words = browser_index.split_record(record)
            postings = terms.get(term, ({}, b""))[0]
            postings.update({ids[p.docnum]: (p.headline, p.body, p.positions) for block, body in blocks
                             for p in browser_index.decode_block(body, block, term[0] == "b") if ids[p.docnum]})
            terms[term] = (postings, words)      # the delta's shards come last: their word lists stand
    terms = {t: v for t, v in terms.items() if v[0] or v[1] not in (b"", b"\0")}
    for name in ("build", "delta"):
        del meta[name]
    return {"rows": rows, "terms": terms, "meta": meta, "fold": (site / "search" / "fold.bin").read_bytes()}


# Each round changes the archive in a way that takes another path through an
# incremental build; the same articles are then built from nothing to compare.
def body_edit(articles: Path, paths: list[Path]) -> str:
    insert_mid_paragraph(paths[len(paths) // 2], INSERTED)
    append_paragraph(paths[20], "乒乓球拍")      # one word: 乒乓球拍
    return "2 changed, 0 removed"


def metadata_and_newest(articles: Path, paths: list[Path]) -> str:
    # 乒乓球拍卖完了 is 乒乓球 + 拍卖: the words starting with 乒乓 change while
    # the bigram 乒乓 itself stays where it was
    paths[20].write_text(paths[20].read_text(encoding="utf-8").replace("乒乓球拍", "乒乓球拍卖完了"), encoding="utf-8")
    retitle(paths[3], "开化县数字经济再提速", counties=["开化县"], topics=["数字经济"])
    write_article(articles, "2099/01/01/quzhou-ribao-p01-01", "新的一天", "衢州市规上工业增加值同比增长9%。", "2099-01-01")
    os.utime(paths[5])      # touched, not changed
    return "3 changed, 0 removed"


def backfill_and_removal(articles: Path, paths: list[Path]) -> str:
    # the old article takes the next number and the removed one leaves its number empty
    write_article(articles, "1999/12/31/quzhou-ribao-p02-01", "旧报补录", "常山县胡柚丰收，果农增收。", "1999-12-31")
    paths[10].unlink()
    return "1 changed, 1 removed"


def an_edit_while_numbers_are_not_dense(articles: Path, paths: list[Path]) -> str:
    # only an edit, with a number left empty and a new article in the delta: every number stays as it is
    insert_mid_paragraph(paths[40], INSERTED)
    return "1 changed, 0 removed"


def new_articles_edited_and_removed(articles: Path, paths: list[Path]) -> str:
    # both added since the numbers were dense: the delta is made again, the main shards stay
    newest = articles / "2099/01/01/quzhou-ribao-p01-01.md"
    append_paragraph(newest, "开化县新增国家级专精特新企业两家。")
    (articles / "1999/12/31/quzhou-ribao-p02-01.md").unlink()
    return "1 changed, 1 removed"


def removals_past_the_tombstone_share(articles: Path, paths: list[Path]) -> str:
    # four of about ninety numbers empty: past TOMBSTONE_SHARE, so the numbers are made dense again
    paths[30].unlink()
    paths[31].unlink()
    return "0 changed, 2 removed"


ROUNDS = [body_edit, metadata_and_newest, backfill_and_removal, an_edit_while_numbers_are_not_dense,
          new_articles_edited_and_removed, removals_past_the_tombstone_share]
IN_PLACE = [True, True, True, True, True, False]    # whether the main shards were updated in place (no number moved)
DENSE = [True, False, False, False, False, True]    # whether the numbers and shards are as a build from nothing has them


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """Round after round: (incremental build's output, the same articles built from nothing)."""
    passes = []

    def postings_pass(*args):
        passes.append(args[0].out_dir)
        return real_postings_pass(*args)

    real_postings_pass = export_stage.postings_pass
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(export_stage, "postings_pass", postings_pass)
        return _history(tmp_path_factory.mktemp("history"), passes)


def _history(root: Path, passes: list) -> dict:
    articles = root / "articles"
    generate(PARALLEL_FROM + 26, articles, ROOT / "articles", seed=3)    # enough for the worker processes
    paths = sorted(store.article_paths(articles))
    removed = store.read_article(articles, paths[10])
    assert build(articles, root / "site", root / "index", "/REPO/") == 0
    rounds = []
    for n, change in enumerate(ROUNDS):
        expected = change(articles, paths)
        passes.clear()
        with contextlib.redirect_stdout(io.StringIO()) as said:
            assert build(articles, root / "site", root / "index", "/REPO/") == 0
        in_place = not passes       # no document's postings collected again: the changed shards spliced
        fresh_site, fresh_index = root / f"fresh{n}" / "site", root / f"fresh{n}" / "index"
        assert build(articles, fresh_site, fresh_index, "/REPO/", full=True) == 0
        rounds.append({
            "expected": expected, "said": said.getvalue(), "in_place": in_place,
            "site": snapshot(root / "site"), "fresh_site": snapshot(fresh_site),
            "search": browser_index_contents(root / "site"), "fresh_search": browser_index_contents(fresh_site),
            "index": index_contents(root / "index"), "fresh_index": index_contents(fresh_index),
        })
    return {"root": root, "rounds": rounds, "removed": removed, "articles": articles}


def test_the_rounds_take_the_paths_they_are_meant_to(history):
    assert [r["in_place"] for r in history["rounds"]] == IN_PLACE
    for got in history["rounds"]:
        assert got["expected"] in got["said"]


@pytest.mark.parametrize("n", range(len(ROUNDS)), ids=[r.__name__ for r in ROUNDS])
def test_incremental_build_gives_the_pages_and_answers_of_a_build_from_nothing(history, n):
    got = history["rounds"][n]

    def pages(files):       # the stamp is a digest of all bytes, the search index is compared below
        return {p: data for p, data in files.items() if not p.startswith("search/") and p != STAMP_FILE}

    assert set(pages(got["site"])) == set(pages(got["fresh_site"]))
    assert [p for p, data in pages(got["site"]).items() if data != got["fresh_site"][p]] == []
    assert got["search"] == got["fresh_search"]
    assert got["index"] == got["fresh_index"]


@pytest.mark.parametrize("n", range(len(ROUNDS)), ids=[r.__name__ for r in ROUNDS])
def test_dense_numbers_give_the_bytes_of_a_build_from_nothing(history, n):
    got = history["rounds"][n]
    search = {p for p in got["site"] | got["fresh_site"] if p.startswith("search/") or p == STAMP_FILE}
    assert ([p for p in search if got["site"].get(p) != got["fresh_site"].get(p)] == []) == DENSE[n]


def test_a_removed_article_keeps_its_number_empty_and_a_backfilled_one_takes_the_next(history):
    before, after = history["rounds"][1]["site"], history["rounds"][2]["site"]
    ids_before = decode_ids_of(before)
    ids_after = decode_ids_of(after)
    assert ids_after[:len(ids_before)] == [i if i != history["removed"].id else "" for i in ids_before]
    assert ids_after[len(ids_before):] == ["1999/12/31/quzhou-ribao-p02-01"]


def test_new_and_removed_articles_change_no_postings_of_the_main_shards(history):
    """Only word lists (a new word, a word whose cost moved) change there; the postings go to the delta."""
    rounds = history["rounds"]
    for n in (ROUNDS.index(backfill_and_removal), ROUNDS.index(new_articles_edited_and_removed)):
        before, after = rounds[n - 1], rounds[n]
        for rel in (p for p in after["site"] if p.startswith("search/s/")):
            old, new = (browser_index.decode_shard(r["site"][rel]) for r in (before, after))
            assert {t: browser_index.split_record(r)[0] for t, r in old.items()} == \
                   {t: browser_index.split_record(r)[0] for t, r in new.items()}, rel
        assert any(p.startswith("search/d/") and after["site"][p] != before["site"].get(p) for p in after["site"])


def test_a_delta_past_its_share_is_made_part_of_the_main_shards(tmp_path, monkeypatch):
    articles = tmp_path / "articles"
    shutil.copytree(ROOT / "articles", articles)
    monkeypatch.setattr(export_stage, "DELTA_AT_LEAST", 1)
    site, index = tmp_path / "site", tmp_path / "index"
    assert build(articles, site, index) == 0
    write_article(articles, "2099/01/01/quzhou-ribao-p01-01", "新的一天", "衢州市规上工业增加值同比增长9%。", "2099-01-01")
    assert build(articles, site, index) == 0
    assert (site / "search" / "d").is_dir()
    write_article(articles, "2099/01/02/quzhou-ribao-p01-01", "又一天", "常山县胡柚丰收。", "2099-01-02")
    assert build(articles, site, index) == 0
    assert not (site / "search" / "d").exists()
    assert build(articles, tmp_path / "fresh" / "site", tmp_path / "fresh" / "index", full=True) == 0
    assert snapshot(site) == snapshot(tmp_path / "fresh" / "site")


def test_word_lists_stay_current_while_their_bigrams_are_in_the_delta(tmp_path, monkeypatch):
    """A new article brings a word; an old one is edited to use it too; the
    new one goes: at each step the browser index says what one built from
    nothing says."""
    monkeypatch.setattr(export_stage, "TOMBSTONE_SHARE", 0.5)
    articles = tmp_path / "articles"
    shutil.copytree(ROOT / "articles", articles)
    old = sorted(store.article_paths(articles))[3]
    site, index = tmp_path / "site", tmp_path / "index"
    assert build(articles, site, index) == 0
    steps = [
        lambda: write_article(articles, "2099/01/01/quzhou-ribao-p01-01", "新的一天", "乒乓球拍厂扩产，乒乓球拍畅销。", "2099-01-01"),
        lambda: append_paragraph(old, "乒乓球拍"),
        lambda: (articles / "2099/01/01/quzhou-ribao-p01-01.md").unlink(),
        lambda: append_paragraph(old, "乒乓球拍又到货了"),
    ]
    for n, step in enumerate(steps):
        step()
        assert build(articles, site, index) == 0
        fresh = tmp_path / f"fresh{n}"
        assert build(articles, fresh / "site", fresh / "index", full=True) == 0
        assert browser_index_contents(site) == browser_index_contents(fresh / "site"), n


def test_versions_are_worked_out_anew_only_when_what_they_come_from_changed(tmp_path, monkeypatch):
    from quzhou_archive.pipeline import context

    last = context.Versions.now("/").plain()
    assert context.Versions.now("/", last) == context.Versions.now("/")
    assert context.Versions.now("/REPO/", last).key != last["key"]
    monkeypatch.setattr(context, "installed_libraries", lambda: ["markdown-9.9.dist-info"])
    fake = {**last, "stages": {"pages": "an old one"}}
    assert context.Versions.now("/", fake).stages != fake["stages"]      # another library: worked out anew


def decode_ids_of(files: dict[str, bytes]) -> list[str]:
    data = gzip.decompress(files["search/ids.bin"])
    count, i = read_varint(data, 0)
    ids, previous = [], b""
    for _ in range(count):
        shared, i = read_varint(data, i)
        rest, i = read_varint(data, i)
        previous = previous[:shared] + data[i:i + rest]
        ids.append(previous.decode("utf-8"))
        i += rest
    return ids


def test_incremental_build_says_what_changed(tmp_path, capsys):
    articles = tmp_path / "articles"
    shutil.copytree(ROOT / "articles", articles)
    assert build(articles, tmp_path / "site", tmp_path / "index") == 0
    assert "from nothing" in capsys.readouterr().out
    insert_mid_paragraph(sorted(store.article_paths(articles))[0], INSERTED)
    assert build(articles, tmp_path / "site", tmp_path / "index") == 0
    out = capsys.readouterr().out
    assert "1 changed, 0 removed; 1 segmented" in out
    before = {p: p.stat().st_mtime_ns for p in (tmp_path / "site").rglob("*")}
    assert build(articles, tmp_path / "site", tmp_path / "index") == 0
    assert capsys.readouterr().out.startswith("nothing changed")
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "site").rglob("*")} == before


def test_removed_article_leaves_no_trace(history):
    site, index = history["root"] / "site", history["root"] / "index"
    removed, title = history["removed"].id, history["removed"].title
    assert not (site / "articles" / removed).exists()
    for rel, data in snapshot(site).items():
        if rel.endswith((".html", ".xml", ".json")):
            assert removed not in data.decode("utf-8"), f"{rel} still names {removed}"
    assert removed not in decode_ids(site)
    meta = json.loads((site / "search" / "meta.json").read_text(encoding="utf-8"))
    assert meta["docs"] == len([i for i in decode_ids(site) if i]) == len(store.article_paths(history["articles"]))
    with Searcher(index) as s:
        assert removed not in {f["id"] for f in s.searcher.all_stored_fields()}
        assert removed not in [h.id for h in s.search(title, limit=None)[1]]


# -- one build at a time -----------------------------------------------------------

def small_archive(tmp_path: Path) -> tuple[Path, list[str]]:
    articles = tmp_path / "articles"
    shutil.copytree(ROOT / "articles", articles)
    return articles, ["build", "--articles", str(articles), "--out", str(tmp_path / "site"),
                      "--index", str(tmp_path / "index")]


def start(args: list[str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "build_site.py"), *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def test_second_build_with_no_wait_stops_with_a_clear_message(tmp_path):
    _, args = small_archive(tmp_path)
    with BuildLock(tmp_path / "index"):
        proc = start(args + ["--no-wait"])
        out, err = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert "another build is running" in err and f"process {os.getpid()}" in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "site").exists()


def test_second_build_waits_for_the_first(tmp_path):
    _, args = small_archive(tmp_path)
    lock = BuildLock(tmp_path / "index")
    with lock:
        proc = start(args)
        deadline = time.monotonic() + 30
        waiting = ""
        while "waiting" not in waiting and time.monotonic() < deadline:
            waiting += os.read(proc.stderr.fileno(), 1000).decode("utf-8", "replace")
        assert "another build is running" in waiting and "waiting" in waiting
        time.sleep(0.5)
        assert proc.poll() is None and not (tmp_path / "site").exists()
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert (tmp_path / "site" / "index.html").exists()


def test_killed_build_leaves_the_old_site_and_the_next_build_recovers(tmp_path):
    articles, args = small_archive(tmp_path)
    generate(PARALLEL_FROM * 3, articles / "more", ROOT / "articles", seed=9)
    site, index = tmp_path / "site", tmp_path / "index"
    assert build(articles, site, index) == 0
    before = snapshot(site)
    for path in sorted(store.article_paths(articles))[::7]:
        insert_mid_paragraph(path, INSERTED)
    proc = start(args + ["--full"])
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any(".new-" in p.name for p in tmp_path.iterdir()):
        time.sleep(0.01)
    assert proc.poll() is None, "the build ended before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)     # the build and its workers
    proc.wait()
    assert snapshot(site) == before
    with BuildLock([site, index], wait=False):     # the lock went with the process
        pass
    assert build(articles, site, index) == 0
    assert not [p for p in tmp_path.iterdir() if ".new-" in p.name or ".old-" in p.name]
    assert not list(state_dir(index).glob(f"{SCRATCH_PREFIX}*"))
    assert build(articles, tmp_path / "fresh" / "site", tmp_path / "fresh" / "index", full=True) == 0
    assert snapshot(site) == snapshot(tmp_path / "fresh" / "site")


def test_build_reports_the_site_size_and_warns_past_github_pages_limit(tmp_path, capsys, monkeypatch):
    articles, _ = small_archive(tmp_path)
    assert build(articles, tmp_path / "site", tmp_path / "index") == 0
    said = capsys.readouterr()
    size = sum(p.stat().st_size for p in (tmp_path / "site").rglob("*") if p.is_file())
    assert f"({size / 1e6:.1f} MB)" in said.out and "warning" not in said.err
    monkeypatch.setattr(build_module, "GITHUB_PAGES_LIMIT", size - 1)
    insert_mid_paragraph(sorted(store.article_paths(articles))[0], INSERTED)
    assert build(articles, tmp_path / "site", tmp_path / "index") == 0
    assert "GitHub Pages publishes sites of at most 1 GB" in capsys.readouterr().err


# -- published folders and files have the modes a static host expects ----------------

def walk_modes(*folders: Path) -> set[tuple[str, int]]:
    """('dir' or 'file', mode) of every folder and file under `folders`, the folders included."""
    seen = set()
    for folder in folders:
        for path in [folder, *folder.rglob("*")]:
            seen.add(("dir" if path.is_dir() else "file", path.stat().st_mode & 0o7777))
    return seen


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_published_folders_and_files_have_the_modes_the_umask_gives(tmp_path, umask):
    articles, args = small_archive(tmp_path)
    expected = {("dir", 0o777 & ~umask), ("file", 0o666 & ~umask)}
    for _ in range(2):      # from nothing, then an update (a hard-linked copy of the old folders)
        proc = subprocess.run([sys.executable, str(ROOT / "build_site.py"), *args], cwd=ROOT, text=True,
                              capture_output=True, preexec_fn=lambda: os.umask(umask))
        assert proc.returncode == 0, proc.stderr
        assert walk_modes(tmp_path / "site", tmp_path / "index") == expected
        insert_mid_paragraph(sorted(store.article_paths(articles))[0], INSERTED)


# -- the lock covers everything a build writes ------------------------------------------

def paused_build(args: list[str], folder: Path) -> subprocess.Popen:
    """A build (the real command line) that waits, holding its locks, once it has staged its outputs."""
    proc = subprocess.Popen([sys.executable, "-m", "tests.stopping", "--pause-at", "manifest staged", str(folder),
                             "--", *args], cwd=ROOT, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not (folder / "paused").exists():
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.05)
    return proc


@pytest.mark.parametrize("other", ["--index", "--out"])
def test_two_builds_into_the_same_out_or_index_do_not_both_run(tmp_path, other):
    """Two builds sharing one output folder, the other one different: the second must not run."""
    _, args = small_archive(tmp_path)
    first = paused_build(args, tmp_path)
    try:
        second_args = list(args)
        second_args[second_args.index(other) + 1] = str(tmp_path / "other")
        proc = start(second_args + ["--no-wait"])
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 1 and "Traceback" not in err
        assert len(err.strip().splitlines()) == 1 and "another build is running" in err
        shared = "site" if other == "--index" else "index"
        assert f".{shared}.lock" in err and f"process {first.pid}" in err
        assert not (tmp_path / "other").exists()
    finally:
        (tmp_path / "go").touch()
        first.communicate(timeout=120)
    assert first.returncode == 0
    with Searcher(tmp_path / "index") as s:
        assert s.warning is None


def test_a_build_into_the_same_out_with_another_index_is_noticed_by_the_next_build(tmp_path, capsys):
    """Built with index A, then with index B and other articles, then with A
    again: A's build finds that the site is not the one it made, and makes it."""
    articles = tmp_path / "articles"
    shutil.copytree(ROOT / "articles", articles)
    others = tmp_path / "others"
    shutil.copytree(ROOT / "articles", others)
    insert_mid_paragraph(sorted(store.article_paths(others))[0], INSERTED)
    site = tmp_path / "site"
    assert build(articles, site, tmp_path / "a") == 0
    assert build(others, site, tmp_path / "b") == 0
    with Searcher(tmp_path / "a") as s:
        assert "another build has written it" in s.warning
    capsys.readouterr()
    assert build(articles, site, tmp_path / "a") == 0
    assert "nothing changed" not in capsys.readouterr().out
    assert build(articles, tmp_path / "fresh" / "site", tmp_path / "fresh" / "index", full=True) == 0
    assert snapshot(site) == snapshot(tmp_path / "fresh" / "site")
    with Searcher(tmp_path / "a") as s:
        assert s.warning is None


# -- an incremental build repairs what was damaged ----------------------------------------

@pytest.fixture(scope="module")
def damaged(tmp_path_factory):
    """A site and index, built; and the same articles built from nothing elsewhere, to compare."""
    root = tmp_path_factory.mktemp("damaged")
    articles = root / "articles"
    shutil.copytree(ROOT / "articles", articles)
    assert build(articles, root / "fresh" / "site", root / "fresh" / "index") == 0
    return root, snapshot(root / "fresh" / "site"), index_contents(root / "fresh" / "index")


@pytest.mark.parametrize("forked", [False, True], ids=["looked-at-here", "looked-at-by-forked-processes"])
def test_an_incremental_build_rewrites_site_files_that_are_missing_or_changed(damaged, capsys, tmp_path, monkeypatch,
                                                                              forked):
    root, fresh_site, _ = damaged
    articles, site, index = root / "articles", tmp_path / "site", tmp_path / "index"
    if forked:      # shares of the published files looked at by two forked processes, the rest here
        monkeypatch.setattr(outputs_module, "CHECKED_APART_FROM", 1)
    run = functools.partial(build, jobs=3 if forked else 1)
    assert run(articles, site, index) == 0
    pages = sorted(site.glob("articles/**/*.html"))
    pages[0].unlink()                                       # deleted
    with open(pages[1], "a", encoding="utf-8") as page:     # changed
        page.write("<script>alert(1)</script>")
    data = bytearray(pages[2].read_bytes())                 # changed, same size
    data[-2] ^= 1
    pages[2].write_bytes(bytes(data))
    (site / "search" / "s" / "0.bin").unlink()             # a shard of the browser index
    (site / "static" / "style.css").write_text("")
    (site / "index.html").unlink()
    os.utime(site / "feed.xml")                             # touched, not changed: nothing to do
    capsys.readouterr()
    assert run(articles, site, index) == 0
    assert "6 missing or changed file(s) of the site rewritten" in capsys.readouterr().out
    assert snapshot(site) == fresh_site
    assert run(articles, site, index) == 0
    assert capsys.readouterr().out.startswith("nothing changed")


@pytest.fixture
def made(monkeypatch):
    """The path of every file the build's stages hand over as made (written, or found with those bytes)."""
    paths, real = [], outputs_module.Outputs.made
    monkeypatch.setattr(outputs_module.Outputs, "made", lambda self, file: paths.append(file.path) or real(self, file))
    return paths


def test_a_lost_citation_download_is_made_again_and_its_page_is_left(damaged, capsys, tmp_path, made):
    root, fresh_site, _ = damaged
    articles, site, index = root / "articles", tmp_path / "site", tmp_path / "index"
    assert build(articles, site, index, jobs=1) == 0
    lost = sorted(site.glob("articles/**/*.bib"))[0]
    lost.unlink()
    made.clear()
    capsys.readouterr()
    assert build(articles, site, index, jobs=1) == 0
    assert "1 missing or changed file(s) of the site rewritten" in capsys.readouterr().out
    page = lost.relative_to(site).as_posix().removesuffix(".bib")
    assert sorted(p for p in made if p.startswith(page)) == [page + ".bib", page + ".csl.json", page + ".ris"]
    assert snapshot(site) == fresh_site


def test_an_incremental_build_rebuilds_an_index_whose_files_are_missing_or_changed(damaged, capsys, tmp_path):
    root, _, fresh_index = damaged
    articles, site, index = root / "articles", tmp_path / "site", tmp_path / "index"
    assert build(articles, site, index) == 0
    segment = max((p for p in index.iterdir() if p.suffix == ".seg"), key=lambda p: p.stat().st_size)
    segment.write_bytes(segment.read_bytes()[:-100])
    capsys.readouterr()
    assert build(articles, site, index) == 0
    assert "the index rebuilt" in capsys.readouterr().out
    assert index_contents(index) == fresh_index
    assert build(articles, site, index) == 0
    assert capsys.readouterr().out.startswith("nothing changed")


def test_a_build_after_the_content_cache_was_deleted_segments_anew(damaged, capsys, tmp_path):
    root, _, _ = damaged
    articles = tmp_path / "articles"
    shutil.copytree(root / "articles", articles)
    assert build(articles, tmp_path / "site", tmp_path / "index") == 0
    for path in state_dir(tmp_path / "index").glob("cache.db*"):
        path.unlink()
    insert_mid_paragraph(sorted(store.article_paths(articles))[0], INSERTED)
    assert build(articles, tmp_path / "site", tmp_path / "index") == 0
    assert f"1 changed, 0 removed; {len(store.article_paths(articles))} segmented" in capsys.readouterr().out
    assert build(articles, tmp_path / "fresh" / "site", tmp_path / "fresh" / "index", full=True) == 0
    assert snapshot(tmp_path / "site") == snapshot(tmp_path / "fresh" / "site")


# -- what a build refuses to replace ---------------------------------------------------------

@pytest.mark.parametrize("case", ["out_is_articles", "out_holds_articles", "index_in_out", "someones_folder"])
def test_a_build_never_replaces_a_folder_it_did_not_write(tmp_path, case):
    articles = tmp_path / "articles"
    shutil.copytree(ROOT / "articles", articles)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("my notes")
    out, index = {"out_is_articles": (articles, tmp_path / "index"),
                  "out_holds_articles": (tmp_path, tmp_path / "index"),
                  "index_in_out": (tmp_path / "site", tmp_path / "site" / "index"),
                  "someones_folder": (tmp_path / "mine", tmp_path / "index")}[case]
    before = snapshot(tmp_path)
    proc = subprocess.run([sys.executable, str(ROOT / "build_site.py"), "build", "--articles", str(articles),
                           "--out", str(out), "--index", str(index)], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert snapshot(tmp_path) == before


# -- no work without a reason ------------------------------------------------------------

def inodes(folder: Path) -> dict[str, tuple[int, int]]:
    """Each file's inode and time: a file kept from the last build keeps both (it is a hard link)."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def pools(monkeypatch):
    """The kind of every worker pool started (by its kit), and whether it loaded jieba."""
    started = []
    real = workers_module.Workers._start

    def start(self):
        started.append((type(self.kit).__name__, getattr(self.kit, "jieba", False)))
        return real(self)

    monkeypatch.setattr(workers_module.Workers, "_start", start)
    return started


def test_the_worker_for_a_few_changed_articles_is_forked_while_the_build_runs_no_other_thread(tmp_path, monkeypatch):
    # a fork copies only the thread that makes it: no thread of the build runs then
    articles, site, index = tmp_path / "articles", tmp_path / "site", tmp_path / "index"
    generate(12, articles, ROOT / "articles", seed=8)
    assert build(articles, site, index, jobs=2) == 0
    forks, real = [], workers_module.Workers._start

    def start(self):
        forks.append((type(self.kit).__name__, threading.active_count()))
        return real(self)

    monkeypatch.setattr(workers_module.Workers, "_start", start)
    insert_mid_paragraph(sorted(store.article_paths(articles))[3], INSERTED)
    assert build(articles, site, index, jobs=2) == 0
    assert forks == [("AnalyseKit", threading.active_count())]


def test_a_template_edit_renders_the_pages_again_and_leaves_both_indexes(tmp_path, monkeypatch, capsys, pools, made):
    templates = tmp_path / "templates"
    shutil.copytree(layout.TEMPLATES, templates)
    monkeypatch.setattr(layout, "TEMPLATES", templates)
    articles, site, index = tmp_path / "articles", tmp_path / "site", tmp_path / "index"
    generate(PARALLEL_FROM + 26, articles, ROOT / "articles", seed=5)
    assert build(articles, site, index, jobs=2) == 0
    assert ("AnalyseKit", True) in pools
    search, whoosh = inodes(site / "search"), inodes(index)
    base = templates / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</body>", "<!-- 衢州 -->\n</body>"), encoding="utf-8")
    passes, joined = [], []
    monkeypatch.setattr(export_stage, "postings_pass", lambda *args: passes.append(args))
    made.clear()
    monkeypatch.setattr(joined_module, "Body", lambda *args, body=joined_module.Body: joined.append(args) or body(*args))
    pools.clear()
    capsys.readouterr()
    assert build(articles, site, index, jobs=2) == 0
    assert "0 changed, 0 removed; 0 segmented" in capsys.readouterr().out
    assert not [kit for kit, _ in pools if kit not in ("RenderKit", "FiguresKit")]    # no worker read or segmented an article
    assert passes == [] and inodes(site / "search") == search       # the browser index: not a file touched
    # the citations' downloads are made from the articles alone: not one made again
    assert made and not [path for path in made if path.endswith((".ris", ".bib", ".csl.json"))]
    assert joined == []     # no download made again, nor copied: none is made from the templates
    rewritten = {name for name, seen in inodes(index).items() if whoosh.get(name) != seen}
    assert rewritten <= {SITE_RECORD, STATS_FILE, "README.md"}       # the Whoosh index: its records only
    pages = list(site.glob("articles/**/*.html"))
    assert len(pages) == PARALLEL_FROM + 26 and all("<!-- 衢州 -->" in p.read_text(encoding="utf-8") for p in pages)
    monkeypatch.undo()
    monkeypatch.setattr(layout, "TEMPLATES", templates)
    assert build(articles, tmp_path / "fresh" / "site", tmp_path / "fresh" / "index", full=True) == 0
    assert snapshot(site) == snapshot(tmp_path / "fresh" / "site")


def test_one_changed_article_starts_one_worker_to_segment_it_and_no_pool(tmp_path, pools, capsys):
    # the one worker loads jieba while the build goes on; no stage starts a pool for one article
    articles, site, index = tmp_path / "articles", tmp_path / "site", tmp_path / "index"
    generate(PARALLEL_FROM + 26, articles, ROOT / "articles", seed=6)
    assert build(articles, site, index, jobs=2) == 0
    pools.clear()
    insert_mid_paragraph(sorted(store.article_paths(articles))[7], INSERTED)
    assert build(articles, site, index, jobs=2) == 0
    assert "1 changed, 0 removed; 1 segmented" in capsys.readouterr().out
    assert pools == [("AnalyseKit", True)]
    fresh = tmp_path / "fresh"
    assert build(articles, fresh / "site", fresh / "index", jobs=2, full=True) == 0
    assert snapshot(site) == snapshot(fresh / "site")
