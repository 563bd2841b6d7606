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
from tests.conftest import BUNDLED_RAW, ROOT, raw_sample


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


# -- the frontmatter ingest writes, read without the YAML parser: what YAML reads --

def frontmatter_of(text: str) -> str:
    end = re.search(r"^---\s*$", text[3:], re.M)
    return text[3:3 + end.start()] if end else text


def same_as_yaml(text: str) -> bool:
    """`plain_frontmatter` leaves `text` to YAML, or reads it as YAML does
    (the same types, in the same order: compared as marshal writes them)."""
    import marshal

    found = store.plain_frontmatter(text)
    if found is None:
        return True
    try:
        expected = store.yaml_load(text)
    except Exception:       # noqa: BLE001 — a fault the shortcut did not leave to YAML
        return False
    return marshal.dumps(found, 0) == marshal.dumps(expected, 0)


def test_the_frontmatter_of_the_bundled_and_a_synthetic_archive_is_read_as_yaml_reads_it(tmp_path):
    from quzhou_archive.synthetic import generate

    generate(300, tmp_path, ROOT / "articles", seed=5)
    texts = [frontmatter_of(path.read_text(encoding="utf-8"))
             for root in (ROOT / "articles", tmp_path) for path in store.article_paths(root)]
    assert all(same_as_yaml(text) for text in texts)
    assert sum(store.plain_frontmatter(text) is not None for text in texts) > 0.9 * len(texts)


def test_what_ingest_writes_of_random_metadata_is_read_as_yaml_reads_it():
    import random

    rnd = random.Random(3)
    words = ["", "x", "衢州日报", "null", "Null", "~", "true", "True", "yes", "No", "on", "OFF", "y", "n", "0", "1", "-1",
             "+1", "007", "1_000", "0x1f", "0o17", "0b1", "1.5", ".5", "1e3", ".inf", ".NaN", "12:30", "2024-11-30",
             "2024-11", "-", "- a", "-a", "? x", ": x", "a: b", "a:b", "a #b", "a#b", "#c", "'q'", "it's", '"d"',
             'say "x"', " lead", "trail ", "two  spaces", "x\ny", "a,b", "a, b", "[1]", "{a}", "a]", "&a", "*a",
             "!t", "|", ">", "%", "@", "`", "<<", "=", "１２", "\u3000", "a\u3000", "\xa0", "\u2028", "\x85", "\t",
             "\ufeff", "\x7f", "\x01", "é", "x" * 40]

    ordinary = ["x", "衢州日报", "记者 周志亮 摄", "(图片除署名外,由开化传媒集团提供)", "2024-11-30", "news", "a.txt",
                "常山县", "sha256:0f", None, True, False, 0, 1, 42, -3]

    def scalar():
        return rnd.choice(words + [None, True, False, 0, 1, 42, -3] if rnd.random() < 0.05 else ordinary)

    def value(depth=0):
        kind = rnd.random()
        if kind < 0.5 or depth > 1:
            return scalar()
        if kind < 0.8:
            return [scalar() for _ in range(rnd.randrange(0, 4))]
        if kind < 0.9:
            return {str(scalar()) or "k": value(depth + 1) for _ in range(rnd.randrange(0, 3))}
        return [value(depth + 1) for _ in range(rnd.randrange(0, 3))]

    shortcut = 0
    for _ in range(3000):
        meta = {(rnd.choice(words) if rnd.random() < 0.05 else rnd.choice(["title", "page", "lines", "中文"])) or "title":
                value() for _ in range(rnd.randrange(1, 8))}
        text = "\n" + store.yaml_dump(meta)
        assert same_as_yaml(text), text
        shortcut += store.plain_frontmatter(text) is not None
    assert shortcut > 300


TRICKY_FRONTMATTER = [
    "title: x\n", "\ntitle: x\n\n", "title: x\nsource:\n  file: a.txt\n  lines: [1, 8]\n", "source:\ntitle: x\n",
    "source:\n", "title: x\nsource:\n    file: a.txt\n", "source:\n  file:\n", "source:\n  a:\n    b: 1\n",
    "title: x\n  kind: news\n", "title:  x\n", "title: x \n", "title: x # c\n", "# c\ntitle: x\n", "title: 'x'\n",
    "title: 'it''s'\n", "title: 'x\n", "title: 'x' y\n", "title: \"x\"\n", "title: [a, b]\n", "title: [a,b]\n",
    "title: [a, ]\n", "title: [, a]\n", "title: ['a, b', c]\n", "title: ['a'', b']\n", "title: [a, [b]]\n",
    "title: [a: b]\n", "title: []\n", "title: [ ]\n", "title: {}\n", "title: {a: b}\n", "title: - a\n", "- a\n",
    "title: x\n- a\n", "photos:\n- caption: a\n  credit: b\n", "title: x\ntitle: y\n", "true: x\n", "1: x\n",
    "null: x\n", "'k': x\n", "k k: x\n", "中文键: 值\n", "a:b: x\n", "title: a:b\n", "title: a: b\n", "title:x\n",
    "title: 1\n", "title: 01\n", "title: 1_0\n", "title: -0\n", "title: 1.0\n", "title: 0x10\n", "title: 1:30\n",
    "title: ~\n", "title: null\n", "title: NULL\n", "title: nUll\n", "title: yes\n", "title: Off\n", "title: y\n",
    "title: 2024-11-30\n", "title: !!str 1\n", "title: &a x\n", "title: *a\n", "title: |\n  x\n", "title: >\n  x\n",
    "title: x\n  y\n", "title: x\n...\n", "title: x\n---\n", "%YAML 1.1\n", "title: x\tz\n", "title: x\r\n",
    "title: a\u2028b\n", "title: a\x85b\n", "title: \ufeffx\n", "title: a\x00\n", "title: \ud7ff\ue000\ufffd\U0010ffff\n",
    "title: \uffff\n", "title: @x\n", "title: `x\n", "title: %x\n", "title: ?x\n", "title: ,x\n", "title: x,\n",
    "", "\n", "title:\n", "title: \n", "  title: x\n",
]


@pytest.mark.parametrize("text", TRICKY_FRONTMATTER)
def test_tricky_frontmatter_is_read_as_yaml_reads_it_or_left_to_yaml(text):
    assert same_as_yaml(text)


@settings(derandomize=True, max_examples=300, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(mutated_articles())
def test_mutated_frontmatter_is_read_as_yaml_reads_it_or_left_to_yaml(text):
    assert same_as_yaml(frontmatter_of(text))


@pytest.mark.parametrize("ending", ["\r\n", "\r"])
def test_an_article_file_with_other_line_ends_reads_as_with_newlines(tmp_path, ending):
    text = "\ufeff---\ntitle: 胡柚\nsource:\n  file: a.txt\n---\n\n第一段。\n\n第二段。\r\n"
    (tmp_path / "a.md").write_bytes(text.encode("utf-8"))
    (tmp_path / "b.md").write_bytes(text.replace("\r\n", "\n").replace("\n", ending).encode("utf-8"))
    a, b = (store.read_article(tmp_path, tmp_path / name) for name in ("a.md", "b.md"))
    assert (a.meta, a.body, a.raw) == (b.meta, b.body, b.raw)
    assert a.body == "第一段。\n\n第二段。\n"


def test_text_paragraphs_are_the_text_without_its_markup():
    from quzhou_archive.articles import text_paragraphs

    body = ("# 标题\n\n> 引用的话\n> 第二行\n\n- 一项\n* 二项\n\n1. 第一\n١) 阿拉伯数字\n\n---\n\n"
            "价格\\*上涨\\.\n\n2023年产值\n12亿元\n \n#不是标题")
    assert text_paragraphs(body) == ["标题", "引用的话第二行", "一项二项", "第一阿拉伯数字", "价格*上涨.", "2023年产值12亿元",
                                      "#不是标题"]
