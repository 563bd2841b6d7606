"""Whole-archive downloads joined from the last build's bytes: after an
edit, a removal or an insertion in the middle of the ID order the files
are those a build from nothing writes, the cache is asked only for the
changed articles' parts, and a layout that does not describe the
published file is never trusted."""
from __future__ import annotations

import hashlib
import shutil
from array import array

import pytest

from quzhou_archive import articles as store
from quzhou_archive.pipeline import build, joined
from quzhou_archive.pipeline.state import AnalysisCache, state_dir

DOWNLOADS = ("data/articles.jsonl", "data/articles.csv", "data/figures.json", "data/figures.csv")


@pytest.fixture
def asked(monkeypatch):
    """The digests each `values_of` call asked the cache for."""
    calls: list[tuple[str, set]] = []
    values_of = AnalysisCache.values_of
    monkeypatch.setattr(AnalysisCache, "values_of",
                        lambda cache, name, digests: calls.append((name, set(digests))) or values_of(cache, name, digests))
    return calls


def downloads(site):
    return {p: (site / p).read_bytes() for p in DOWNLOADS}


def from_nothing(articles, tmp_path):
    fresh = tmp_path / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    assert build(articles, fresh / "site", fresh / "index", jobs=1) == 0
    return downloads(fresh / "site")


def record_digests(calls):
    return [d for name, digests in calls if name == "record" for d in digests]


def test_an_edit_asks_the_cache_for_one_article_and_gives_the_bytes_of_a_build_from_nothing(built, asked, tmp_path):
    articles, site, index = built
    path = sorted(store.article_paths(articles))[3]
    path.write_text(path.read_text(encoding="utf-8") + "\n补记一句。\n", encoding="utf-8")
    assert build(articles, site, index, jobs=1) == 0
    assert len(record_digests(asked)) == 1          # the edited article's record: the rest from the published file
    assert "补记一句" in (site / "data/articles.jsonl").read_text(encoding="utf-8")
    assert downloads(site) == from_nothing(articles, tmp_path)


def test_a_removal_and_an_insertion_mid_order_give_the_bytes_of_a_build_from_nothing(built, asked, tmp_path):
    articles, site, index = built
    paths = sorted(store.article_paths(articles))
    paths[5].unlink()
    middle = paths[len(paths) // 2]
    shutil.copy(middle, middle.with_name(middle.stem + "-a.md"))       # an ID that sorts just after it
    assert build(articles, site, index, jobs=1) == 0
    assert len(record_digests(asked)) == 1          # only the new article's
    assert downloads(site) == from_nothing(articles, tmp_path)


def test_a_layout_that_does_not_describe_the_published_file_is_not_used(built, asked, tmp_path):
    articles, site, index = built
    for layout in (state_dir(index) / joined.LAYOUTS).iterdir():
        layout.write_bytes(b"not a layout")
    path = sorted(store.article_paths(articles))[0]
    path.write_text(path.read_text(encoding="utf-8") + "\n补记一句。\n", encoding="utf-8")
    assert build(articles, site, index, jobs=1) == 0
    assert len(record_digests(asked)) == len(list(store.article_paths(articles)))     # every part made anew
    assert downloads(site) == from_nothing(articles, tmp_path)


def test_figures_changed_removed_and_inserted_give_the_figures_downloads_of_a_build_from_nothing(built, asked,
                                                                                                tmp_path):
    articles, site, index = built
    paths = sorted(store.article_paths(articles))
    with_figures = [p for p in paths if "亿元" in p.read_text(encoding="utf-8")]
    first = with_figures[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n全年完成投资12.5亿元。\n", encoding="utf-8")
    with_figures[-1].unlink()
    middle = with_figures[len(with_figures) // 2]
    shutil.copy(middle, middle.with_name(middle.stem + "-a.md"))
    before = (site / "data/figures.json").read_bytes()
    assert build(articles, site, index, jobs=1) == 0
    assert (site / "data/figures.json").read_bytes() != before
    assert len([d for name, ds in asked if name == "figure_rows" for d in ds]) > 0
    assert downloads(site) == from_nothing(articles, tmp_path)


def test_a_damaged_download_is_made_again_from_the_cache(built, tmp_path):
    articles, site, index = built
    target = site / "data/articles.jsonl"
    damaged = bytearray(target.read_bytes())
    damaged[200:210] = b"x" * 10
    target.write_bytes(bytes(damaged))
    path = sorted(store.article_paths(articles))[0]
    path.write_text(path.read_text(encoding="utf-8") + "\n补记一句。\n", encoding="utf-8")
    assert build(articles, site, index, jobs=1) == 0
    assert downloads(site) == from_nothing(articles, tmp_path)


def test_nothing_is_left_beside_the_downloads_and_only_the_published_layouts_are_kept(built):
    articles, site, index = built
    for n in range(3):
        path = sorted(store.article_paths(articles))[n]
        path.write_text(path.read_text(encoding="utf-8") + "\n补记。\n", encoding="utf-8")
        assert build(articles, site, index, jobs=1) == 0
    assert sorted(p.name for p in (site / "data").iterdir() if p.name.startswith(".")) == []
    layouts = sorted(p.name for p in (state_dir(index) / joined.LAYOUTS).iterdir())
    for name in DOWNLOADS:
        # the published file's and at most the one before it (kept while a build might fail)
        assert 1 <= len([n for n in layouts if n.startswith(name.replace("/", "_") + ".")]) <= 2
        digest = hashlib.sha256((site / name).read_bytes()).hexdigest()
        assert joined.layout_path(state_dir(index), name, digest).name in layouts


class Stream:
    def __init__(self):
        self.data = bytearray()

    def write(self, piece):
        self.data += piece

    @property
    def size(self):
        return len(self.data)


ARRAY = joined.Download("a.json", b"[\n", b",\n", b"\n]\n", b"[]\n")


def written(parts, download=ARRAY):
    stream = Stream()
    body = joined.Body(stream, download)
    ends = []
    for part in parts:
        body.write(part)
        ends.append(body.end)
    length = body.close()
    return bytes(stream.data), joined.Layout("v", [str(n) for n in range(len(parts))], array("q", ends),
                                             len(download.head), length)


@pytest.mark.parametrize("parts", [[b"1,\n", b"", b"2,\n3,\n"], [b"", b""], [b"1,\n"], [b"", b"1,\n", b""],
                                   [b"1,\n", b"22,\n", b"333,\n"]])
@pytest.mark.parametrize("chunk", [1, 3, 4 << 20])
def test_a_json_array_of_parts_is_valid_json_and_any_of_its_parts_can_be_copied_back(parts, chunk, tmp_path,
                                                                                      monkeypatch):
    import json

    monkeypatch.setattr(joined.Body, "CHUNK", chunk)
    data, layout = written(parts)
    items = [int(x) for p in parts for x in p.decode().split(",\n") if x]
    assert json.loads(data) == items
    assert data == (b"[]\n" if not items else b"[\n" + b",\n".join(str(i).encode() for i in items) + b"\n]\n")
    (tmp_path / "old.json").write_bytes(data)
    spans = list(layout.spans().values())
    for keep in range(1 << len(parts)):     # every choice of parts copied, the others written anew
        with open(tmp_path / "old.json", "rb") as old:
            again = Stream()
            body = joined.Body(again, ARRAY, old, layout)
            for n, (start, end) in enumerate(spans):
                if keep >> n & 1:
                    body.copy(start, end)
                else:
                    body.write(parts[n])
            body.close()
        assert bytes(again.data) == data


@pytest.mark.parametrize("ids, unchanged, published, expected", [
    # an edit: the parts before and after it copied as two runs, its own made anew
    (list("abcde"), set("abde"), list("abcde"), [(0, 2, 0), (2, 3, None), (3, 5, 3)]),
    # a removal: the run breaks where the removed article's part lay
    (list("abde"), set("abde"), list("abcde"), [(0, 2, 0), (2, 4, 3)]),
    # an insertion, and a new article at the end
    (list("abxcdy"), set("abcd"), list("abcd"), [(0, 2, 0), (2, 3, None), (3, 5, 2), (5, 6, None)]),
    # nothing to copy from: one run made anew
    (list("abc"), set("abc"), [], [(0, 3, None)]),
    ([], set(), list("ab"), []),
])
def test_runs_of_parts_copied_and_made(ids, unchanged, published, expected):
    assert joined.runs(ids, unchanged, published) == expected
