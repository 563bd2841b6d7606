"""`build_site.py figures`: the archive's figures as JSON, CSV or text, filtered by county and indicator."""
import csv
import io
import json
import shutil

import pytest

from quzhou_archive import cli
from quzhou_archive.analyse import figures
from quzhou_archive.analyse.figures import Figure
from quzhou_archive.exports import figures as export
from quzhou_archive.exports.figures import CLI_FIELDS, DOWNLOAD_FIELDS
from tests.conftest import ROOT

KEYS = ["article", "quote", "subject", "county", "indicator", "measure", "value", "unit", "period", "target", "url"]


def fixed(paragraphs, context):
    """Two figures per article, whatever it says: what these tests check is the shape, not the reading."""
    return [Figure("产值110.2亿元", "全年产值110.2亿元。", 0, 0, "辉埠镇", "常山县", "规上工业产值", "规模以上工业总产值",
                   "amount", 110.2, "亿元", None, "2023", False),
            Figure("计划投资10亿元", "计划投资10亿元。", 0, 0, "航泰", "开化县", "投资", "投资额", "amount", 10.0, "亿元",
                   "近", None, True, ("period",))]


@pytest.fixture
def articles(tmp_path, monkeypatch):
    monkeypatch.setattr(figures, "extract", fixed)
    folder = tmp_path / "articles"
    shutil.copytree(ROOT / "articles", folder)
    return folder


def run(capsys, *args):
    code = cli.main(["figures", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def joined(articles: list[tuple[str, list]], base_url: str = "/") -> tuple[str, str]:
    """The figures' downloads as the build joins them: every article's parts, in the order given."""
    both = [export.article_parts(aid, parts, base_url) for aid, parts in articles]
    items = "".join(j for j, _ in both)
    return (export.JSON_HEAD + items[:-len(export.JSON_SEPARATOR)] + export.JSON_TAIL if items
            else export.JSON_EMPTY), export.CSV_HEAD + "".join(c for _, c in both)


def test_json_has_exactly_the_contract_keys(articles, capsys):
    code, out, _ = run(capsys, "--json", "--articles", str(articles))
    records = json.loads(out)
    assert code == 0 and len(records) == 2 * len(list(articles.rglob("*.md")))
    assert all(list(r) == KEYS for r in records) and list(CLI_FIELDS) == KEYS
    first = records[0]
    assert first["value"] == 110.2 and first["target"] is False and first["period"] == "2023"
    assert first["url"] == f"/articles/{first['article']}.html#figure-1"
    assert records[1]["value"] == 10 and isinstance(records[1]["value"], int) and records[1]["target"] is True


def test_csv_parses_and_all_fields_adds_the_downloads_columns(articles, capsys):
    code, out, _ = run(capsys, "--csv", "--all-fields", "--articles", str(articles))
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and list(rows[0]) == list(DOWNLOAD_FIELDS)
    assert rows[1]["qualifier"] == "近" and rows[1]["unclear"] == "period" and rows[1]["period"] == ""
    assert rows[0]["indicator_canonical"] == "规模以上工业总产值" and rows[0]["target"] == "false"


def test_filters_by_county_short_or_full_and_by_indicator_as_written_or_canonical(articles, capsys):
    for args, county in ((["--county", "常山"], "常山县"), (["--county", "开化县"], "开化县")):
        _, out, _ = run(capsys, "--json", "--articles", str(articles), *args)
        assert {r["county"] for r in json.loads(out)} == {county}
    _, out, _ = run(capsys, "--json", "--articles", str(articles), "--indicator", "投资额")
    assert {r["indicator"] for r in json.loads(out)} == {"投资"}
    _, out, _ = run(capsys, "--json", "--articles", str(articles), "--indicator", "规上工业")
    assert {r["indicator"] for r in json.loads(out)} == {"规上工业产值"}
    _, out, _ = run(capsys, "--json", "--articles", str(articles), "--county", "江山市")
    assert json.loads(out) == []


def test_text_lists_figures_under_their_articles_and_says_targets(articles, capsys):
    code, out, _ = run(capsys, "--articles", str(articles))
    assert code == 0 and "（目标）" in out and "时期不详" in out and out.rstrip().endswith("articles")


def test_a_missing_folder_is_one_line_naming_it(tmp_path, capsys):
    code, out, err = run(capsys, "--json", "--articles", str(tmp_path / "nope"))
    assert code == 1 and out == "" and len(err.strip().splitlines()) == 1 and "nope" in err


def test_a_broken_article_is_named_with_its_line(articles, capsys):
    bad = articles / "2024" / "bad.md"
    bad.write_text("---\ntitle: [unclosed\n---\n正文\n", encoding="utf-8")
    code, out, err = run(capsys, "--json", "--articles", str(articles))
    assert code == 1 and out == "" and f"{bad}:2: frontmatter is not valid YAML" in err


def test_the_downloads_joined_from_each_articles_parts_are_the_bytes_of_the_whole_files():
    """A build joins `data/figures.json` and `.csv` from each article's
    cached rows; they must read as the reference writers write them, on
    the bundled archive and on cells a spreadsheet must quote."""
    found = export.archive_figures(ROOT / "articles")
    meta = found[0][1]
    odd = Figure('引号"与,逗号', "一句\r\n断开的话。", 0, 0, None, None, "产值", None, "amount", 1.5, "亿元", None, None,
                 False, ("county", "period"))
    found.append(("zz/odd", meta, [odd, *found[0][2]]))
    assert sum(len(f) for _, _, f in found) > 50
    for base in ("/", "/quzhou/"):
        rows = export.rows(found, base)
        both = joined([(aid, export.article_rows(m, f)[2]) for aid, m, f in found], base)
        assert both == (export.as_json(rows), "\ufeff" + export.as_csv(rows, export.TABLE_FIELDS))
    assert joined([]) == ("[]\n", "\ufeff" + export.as_csv([], export.TABLE_FIELDS))


def test_an_articles_parts_are_cut_from_its_rows_json_where_a_text_could_mislead_the_cut():
    """The parts are cut from one JSON of all the article's rows: texts that
    spell where a row starts or where its URL is must stay inside their row."""
    found = export.archive_figures(ROOT / "articles")
    aid, meta, some = next(f for f in found if f[2])
    tricky = ['}, {"article": "", "quote": ', ', "url": "", ', '\\"', "\"", "\n\r\t\x00\x1f", "", "}]", "\u2028"]
    odd = [Figure(text, text, 0, 0, text or None, None, text, text or None, "amount", 1.5, "亿元", text or None, text or None,
                  True, (text, "period")) for text in tricky]
    figs = [some[0], *odd, some[0]]
    shown, rows, parts = export.article_rows(meta, figs)
    url = DOWNLOAD_FIELDS.index("url")
    reference = [({k: r[k] for k in DOWNLOAD_FIELDS[1:url]}, {k: r[k] for k in DOWNLOAD_FIELDS[url + 1:]})
                 for r in (export.row("", meta, n, f) for n, f in enumerate(figs, 1))]
    assert [(json.loads("{" + head + "}"), json.loads("{" + tail + "}")) for head, tail, _, _ in parts] == reference
    assert export.row_parts(export.rows([(aid, meta, figs)], "/x/")) == parts
    assert joined([(aid, parts)]) == (export.as_json(export.rows([(aid, meta, figs)])),
                                      "\ufeff" + export.as_csv(export.rows([(aid, meta, figs)]), export.TABLE_FIELDS))
    assert export.article_rows(meta, figs[:-1])[0] != shown and export.article_rows(meta, figs)[0] == shown
