"""The manifest as it is kept between builds: a base written once in a
while, and the records changed since, so that a build that changed little
writes little; read back, it is exactly the manifest that was written."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from quzhou_archive.pipeline.state import (BASE_PREFIX, MANIFEST_FILE, REBASE_SHARE, ArticleRecord, Manifest,
                                           OutputRecord)


def article(n: int, title: str = "标题") -> ArticleRecord:
    return ArticleRecord(f"{n:064x}", 100 + n, 10**18 + n, (title, None, None, "2024-01-01", "衢州日报", 1, ("常山县",),
                                                          ("工业制造",), "news", "摘要", ()), (4, 90), {"figure_rows": "d"})


def output(n: int) -> OutputRecord:
    return OutputRecord("articles", f"inputs{n}", f"{n:064x}", 1000 + n, 10**18 + n)


def manifest(articles: int = 40) -> Manifest:
    return Manifest(settings="s", versions={"key": "k"}, stamp="stamp0",
                    articles={f"a/{n}": article(n) for n in range(articles)},
                    outputs={f"articles/{n}.html": output(n) for n in range(articles * 4)},
                    groups={"lists": "g"}, index_files={"x.seg": [1, 2, "h"]}, order=[f"a/{n}" for n in range(articles)],
                    delta_from=articles, words={"衢州": 3, "常山": 2}, chars={"衢": 3}, standby=([1, 2], "stamp0", []))


def same(a: Manifest, b: Manifest) -> bool:
    return dataclasses.astuple(dataclasses.replace(a, stored=None)) == dataclasses.astuple(dataclasses.replace(b, stored=None))


def bases(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.glob(f"{BASE_PREFIX}*")}


def test_a_first_manifest_is_written_as_a_base_and_read_back_whole(tmp_path):
    first = manifest()
    first.save(tmp_path, Manifest())
    assert len(bases(tmp_path)) == 1
    assert same(Manifest.load(tmp_path), first)


def test_a_small_change_writes_the_changed_records_and_leaves_the_base(tmp_path):
    manifest().save(tmp_path, Manifest())
    base_before = bases(tmp_path)
    last = Manifest.load(tmp_path)
    articles = dict(last.articles)
    articles["a/3"] = article(3, "新标题")
    del articles["a/5"]
    articles["a/new"] = article(99)
    outputs = {**last.outputs, "articles/new.html": output(999)}
    del outputs["articles/7.html"]
    changed = dataclasses.replace(last, stamp="stamp1", articles=articles, outputs=outputs,
                                  words={"衢州": 4, "开化": 1}, order=last.order + ["a/new"])
    changed.save(tmp_path, last)
    assert bases(tmp_path) == base_before                   # the base is not written again
    assert (tmp_path / MANIFEST_FILE).stat().st_size < 3000      # a few records, not all of them
    again = Manifest.load(tmp_path)
    assert same(again, changed)
    assert "a/5" not in again.articles and "常山" not in again.words


def test_changes_add_up_over_builds_and_a_new_base_is_written_past_their_share(tmp_path):
    first = manifest()
    first.save(tmp_path, Manifest())
    size = len(first.articles) + len(first.outputs)
    last, names = Manifest.load(tmp_path), set()
    for step in range(12):
        articles = dict(last.articles)
        for n in range(step * 4, step * 4 + 4):
            articles[f"a/{n % 40}"] = article(n % 40, f"第{step}次")
        outputs = {**last.outputs, **{f"new/{step}/{n}.html": output(n) for n in range(8)}}
        following = dataclasses.replace(last, stamp=f"stamp{step + 1}", articles=articles, outputs=outputs)
        following.save(tmp_path, last)
        names.update(bases(tmp_path))
        last = Manifest.load(tmp_path)
        assert same(last, following)
    assert 12 * 8 > size * REBASE_SHARE and len(names) > 1        # a new base once the changes grew
    assert len(bases(tmp_path)) == 1                            # the old one removed when the new is read


def test_a_manifest_whose_base_is_missing_or_damaged_is_no_manifest(tmp_path):
    manifest().save(tmp_path, Manifest())
    (base,) = tmp_path.glob(f"{BASE_PREFIX}*")
    base.write_bytes(b"\x00damaged")
    assert Manifest.load(tmp_path).empty
    base.unlink()
    assert Manifest.load(tmp_path).empty
