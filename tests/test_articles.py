"""Article files: IDs, byte-stable re-ingest, hand edits, clashes, reading back."""
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quzhou_archive import articles as store
from quzhou_archive.errors import ArchiveError
from quzhou_archive.ingest import ingest
from tests.conftest import BUNDLED_RAW, raw_sample


def snapshot(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_ids_are_ascii_url_safe_and_stable(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    ingest([str(BUNDLED_RAW)], first)
    ingest([str(BUNDLED_RAW)], second)
    assert snapshot(first) == snapshot(second)
    ids = [store.id_for_path(first, p) for p in store.article_paths(first)]
    assert ids and all(re.fullmatch(r"[a-z0-9/_-]+", i) for i in ids)
    assert "2024/11/30/quzhou-ribao-p01-02" in ids


def test_ingesting_again_rewrites_nothing(tmp_path):
    ingest([str(BUNDLED_RAW)], tmp_path)
    before = snapshot(tmp_path)
    report = ingest([str(BUNDLED_RAW)], tmp_path)
    assert report.unchanged == len([k for k in before if k.endswith(".md")]) and report.written == 0
    assert snapshot(tmp_path) == before


def test_hand_edited_article_is_never_overwritten(tmp_path, capsys):
    page = raw_sample("county_home_pronoun")
    ingest([str(page)], tmp_path)
    (path,) = store.article_paths(tmp_path)
    edited = path.read_text(encoding="utf-8").replace("小快递服务大民生。", "小快递,大民生。")
    path.write_text(edited, encoding="utf-8")
    report = ingest([str(page)], tmp_path)
    assert path.read_text(encoding="utf-8") == edited
    assert report.kept == [str(path)]
    assert "edited by hand" in capsys.readouterr().err


def test_unedited_article_is_updated_when_ingest_improves(tmp_path):
    page = raw_sample("county_home_pronoun")
    ingest([str(page)], tmp_path)
    (path,) = store.article_paths(tmp_path)
    text = path.read_text(encoding="utf-8")
    stale = store.article_file_text({"title": "旧标题", "source": {"file": page.name, "lines": [1, 3]}}, "旧正文\n")
    path.write_text(stale, encoding="utf-8")
    assert not store.is_hand_edited(stale)
    report = ingest([str(page)], tmp_path)
    assert report.updated == 1 and path.read_text(encoding="utf-8") == text


def test_same_page_under_two_names_is_read_once_with_a_notice(tmp_path, capsys):
    copy = tmp_path / "pages"
    copy.mkdir()
    shutil.copy(raw_sample("county_home_pronoun"), copy / "a_first.txt")
    shutil.copy(raw_sample("county_home_pronoun"), copy / "b_again.txt")
    report = ingest([str(copy)], tmp_path / "out")
    err = capsys.readouterr().err
    assert report.ok and (report.pages, report.skipped) == (1, 1)
    assert err == f"{copy / 'b_again.txt'}: the same page as {copy / 'a_first.txt'} (the same text once decoded); skipped\n"


def test_frontmatter_has_every_contract_key(tmp_path):
    ingest([str(raw_sample("masthead_teasers_and_banner"))], tmp_path)
    for path in store.article_paths(tmp_path):
        article = store.read_article(tmp_path, path)
        for key in ("title", "subtitle", "kicker", "date", "paper", "page", "counties", "topics", "authors",
                    "photographers", "kind", "source"):
            assert key in article.meta
        assert article.meta["source"]["file"] == "masthead_teasers_and_banner.txt"
        first, last = article.meta["source"]["lines"]
        assert 1 <= first <= last


@pytest.mark.parametrize(
    "text, message, line",
    [
        ("no frontmatter\n", "no YAML frontmatter", 1),
        ("---\ntitle: [unclosed\n---\n", "not valid YAML", None),
        ("---\ntitle: x\ndate: 2024-13\n---\n", "date", 3),
        ("---\nsubtitle: x\n---\n", "non-empty `title`", 2),
        ("---\ntitle: x\nkind: essay\n---\n", "kind 'essay'", 3),
        ("---\ntitle: x\ncounties: 常山县\n---\n", "`counties` must be a list", 3),
    ],
)
def test_bad_article_files_name_file_and_line(tmp_path, text, message, line):
    path = tmp_path / "bad.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ArchiveError) as caught:
        store.read_article(tmp_path, path)
    assert message in caught.value.message
    if line is not None:
        assert caught.value.line == line
    assert str(caught.value).startswith(str(path))


@pytest.mark.parametrize(
    "text, line",
    [
        ("---\ntitle: [unclosed\ndate: null\nkind: news\n---\nbody\n", 2),
        ("---\ntitle: x\ndate: \"2024\nkind: news\n---\nbody\n", 3),
        ("---\ntitle: x\n  kind: news\n---\nbody\n", 3),
        ("---\ntitle: x\nkind: news\n\tdate: null\n---\nbody\n", 4),
        ("---\ntitle: x\nkind news\ndate: null\n---\nbody\n", 3),
    ],
)
def test_yaml_error_in_frontmatter_names_the_line_of_the_fault(tmp_path, text, line):
    path = tmp_path / "bad.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ArchiveError) as caught:
        store.read_article(tmp_path, path)
    assert "not valid YAML" in caught.value.message
    assert caught.value.line == line


def test_missing_key_is_not_looked_for_in_the_body(tmp_path):
    path = tmp_path / "bad.md"
    path.write_text("---\nsubtitle: x\n---\n\ntitle: a line of the body\n", encoding="utf-8")
    with pytest.raises(ArchiveError) as caught:
        store.read_article(tmp_path, path)
    assert caught.value.line == 2


def test_slugify():
    assert store.slugify("衢州日报") == "quzhouribao"
    assert store.slugify("衢州日報") == "quzhouribao"
    assert store.slugify("Hello World!") == "hello-world"


# -- fuzzing: random and mutated frontmatter ---------------------------------

_ARTICLE_SEEDS = [p.read_text(encoding="utf-8") for p in sorted(Path(__file__).parent.parent.joinpath("articles")
                                                                    .rglob("*.md"))[:12]]
_YAML_BITS = st.sampled_from([":", ": ", "[", "]", "{", "}", '"', "'", "\t", "&a", "*a", "!!python/object ", "|",
                              ">", "- ", "#", "%", "@", "`", "---", "\n", "  ", "? ", "2024-13-40", "null", "~",
                              "\ufeff", "\x85", "\u2028", "\x00", "1e999", "!!binary x"])


@st.composite
def mutated_articles(draw) -> str:
    text = draw(st.sampled_from(_ARTICLE_SEEDS)) if _ARTICLE_SEEDS else "---\ntitle: x\n---\nbody\n"
    end = text.find("\n---", 3) + 1 or len(text)
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, end))
        piece = draw(_YAML_BITS | st.text(max_size=12))
        cut = draw(st.integers(0, 3))
        text = text[:at] + piece + text[at + cut:]
        end = max(0, min(len(text), end + len(piece) - cut))
    return text


@settings(derandomize=True, max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(mutated_articles() | st.text(max_size=300))
def test_mutated_frontmatter_gives_an_article_or_one_line_naming_the_file(text):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        path = root / "a.md"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            article = store.read_article(root, path)
        except ArchiveError as error:
            assert str(error).startswith(str(path)) and "\n" not in str(error)
        else:
            assert isinstance(article.title, str) and article.title.strip()


def test_yaml_dump_writes_what_pyyaml_writes():
    # the plain data ingest writes skips PyYAML's representer: the same text
    import yaml

    from quzhou_archive.articles import yaml_dump

    shared = ["a", 1]
    looks_like = ["", "null", "~", "true", "no", "on", "1", "1.5", "0x1f", "2024-11-30", "12:30", "- a", ": x",
                  "#c", "'q'", '"d"', " lead", "trail ", "x\ny", "中文", "&a", "*a", "!t", "[1]", "{a}", "|", "１２",
                  "\u3000", ".inf", "<<", "=", "x" * 40]
    documents = [
        {"title": "衢州日报", "date": "2024-11-30", "page": 1, "counties": ["常山县"], "kicker": None, "x": True},
        {"source": {"file": "a.txt", "lines": [1, 9]}, "dropped": [{"lines": [2, 2], "text": "返回顶部", "why": "controls"}]},
        {"a": shared, "b": shared},          # one list twice: an alias
        {"nested": [[1, [2, {"k": []}]], {}], "tuple": (1, 2), "float": 2.5},
        {word: word for word in looks_like},
        looks_like,
    ]
    for data in documents:
        expected = yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True,
                             sort_keys=False, default_flow_style=None, width=4096)
        assert yaml_dump(data) == expected


def test_text_paragraphs_are_the_text_without_its_markup():
    from quzhou_archive.articles import text_paragraphs

    body = ("# 标题\n\n> 引用的话\n> 第二行\n\n- 一项\n* 二项\n\n1. 第一\n١) 阿拉伯数字\n\n---\n\n"
            "价格\\*上涨\\.\n\n2023年产值\n12亿元\n \n#不是标题")
    assert text_paragraphs(body) == ["标题", "引用的话第二行", "一项二项", "第一阿拉伯数字", "价格*上涨.", "2023年产值12亿元",
                                      "#不是标题"]
