"""`build_site.py ingest` as a user runs it: real files, exit codes, messages."""
import json
import re
import shutil

from quzhou_archive import articles as store
from tests.conftest import RAW_SAMPLES, raw_sample, run_cli


def test_bad_files_fail_one_line_each_and_the_rest_is_ingested(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (bad / "undecodable.txt").write_bytes("第一行\n".encode() + b"\xff\xfe\xfd\xfc" * 4)
    (bad / "huge.txt").write_bytes(("衢州" * 1_000_000).encode())
    (bad / "nostory.txt").write_text(raw_sample("page_with_no_story").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "articles"
    result = run_cli("ingest", str(bad), str(raw_sample("county_home_pronoun")), "--articles", str(out))
    assert result.returncode == 1
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 5
    for name in ("empty.txt", "binary.txt:1", "undecodable.txt:2", "huge.txt", "nostory.txt:1"):
        assert any(line.startswith(str(bad / name)) for line in errors), name
    assert len(list(out.rglob("*.md"))) == 1
    assert "1 page(s) ingested" in result.stdout


def test_failed_run_leaves_existing_articles_untouched(tmp_path):
    out = tmp_path / "articles"
    run_cli("ingest", str(raw_sample("county_home_pronoun")), "--articles", str(out))
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run_cli("ingest", str(empty), "--articles", str(out))
    assert result.returncode == 1
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_missing_path_is_reported(tmp_path):
    result = run_cli("ingest", str(tmp_path / "nope.txt"), "--articles", str(tmp_path / "out"))
    assert result.returncode == 1
    assert result.stderr.strip() == f"{tmp_path / 'nope.txt'}: no such file or folder"


# -- the catalogue -------------------------------------------------------------

def articles_in(out):
    """ID -> frontmatter of every article under `out`, each checked as the build reads it."""
    return {store.read_article(out, p).id: store.read_article(out, p).meta for p in sorted(out.rglob("*.md"))}


def test_catalogue_fills_in_what_the_page_does_not_say(tmp_path):
    folder = RAW_SAMPLES / "catalog_fills_missing_paper"
    result = run_cli("ingest", str(folder), "--articles", str(tmp_path / "a"))
    assert (result.returncode, result.stderr) == (0, "")
    [(aid, meta)] = articles_in(tmp_path / "a").items()
    assert aid == "2024/03/05/jinri-kaihua-p02-01"              # an ID as a masthead would give
    assert (meta["paper"], meta["date"], meta["page"]) == ("今日开化", "2024-03-05", 2)
    assert meta["catalogued"] == ["paper", "date", "page"]
    assert meta["counties"] == ["开化县"]                        # 我县 resolved by the catalogued paper
    record = store.yaml_load(next((tmp_path / "a").rglob("*.page.yaml")).read_text(encoding="utf-8"))
    assert record["catalogued"] == {"paper": "catalog.yaml:4", "date": "catalog.yaml:5", "page": "catalog.yaml:6"}
    # a file named on its own finds the catalogue beside it: the same article, byte for byte
    run_cli("ingest", str(folder / "p02.txt"), "--articles", str(tmp_path / "b"))
    assert ((tmp_path / "b" / f"{aid}.md").read_bytes() == (tmp_path / "a" / f"{aid}.md").read_bytes())


def test_catalogue_never_overrides_the_page_and_says_where_they_disagree(tmp_path):
    folder = RAW_SAMPLES / "catalog_disagrees_with_page"
    result = run_cli("ingest", str(folder), "--articles", str(tmp_path / "a"))
    assert result.returncode == 0
    page, catalogue = folder / "p01.txt", folder / "catalog.yaml"
    assert result.stderr.splitlines() == [
        f"{page}: the page says paper 衢州日报, {catalogue}:2 says 衢州晚报; kept the page's 衢州日报",
        f"{page}: the page says date 2024-11-30, {catalogue}:3 says 2024-12-01; kept the page's 2024-11-30",
    ]
    [meta] = articles_in(tmp_path / "a").values()
    assert (meta["paper"], meta["date"], meta["page"], meta["section"]) == ("衢州日报", "2024-11-30", 1, "要闻")
    assert meta["catalogued"] == ["section"]                     # page 1 agreed: the page's own


def test_catalogue_patterns_and_partial_dates(tmp_path):
    result = run_cli("ingest", str(RAW_SAMPLES / "catalog_pattern_and_partial_date"), "--articles", str(tmp_path))
    assert result.returncode == 0
    found = {meta["source"]["file"]: (aid, meta["date"], meta["page"], meta["catalogued"])
             for aid, meta in articles_in(tmp_path).items()}
    a_id, *a_rest = found["a-01.txt"]
    assert a_rest == ["2024-03", None, ["paper", "date"]]       # only as precise as stated
    assert a_id.startswith("2024/03/jinri-changshan-")          # no full date: the page's hash keeps it apart
    assert found["a-02.txt"] == ("2024/03/07/jinri-changshan-p02-01", "2024-03-07", 2, ["paper", "date", "page"])


def test_catalogued_edition_keeps_one_paper_s_editions_apart(tmp_path):
    run_cli("ingest", str(RAW_SAMPLES / "catalog_edition_in_id"), "--articles", str(tmp_path))
    [(aid, meta)] = articles_in(tmp_path).items()
    assert aid == "2024/03/05/quzhou-ribao-kaihuaban-p05-01"
    assert meta["edition"] == "开化版" and "edition" in meta["catalogued"]


def test_malformed_catalogue_is_one_line_and_its_pages_are_not_ingested(tmp_path):
    folder = RAW_SAMPLES / "catalog_malformed"
    result = run_cli("ingest", str(folder), str(raw_sample("county_home_pronoun")), "--articles", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"{folder / 'catalog.yaml'}:3: unknown fact `pages` "
                                          f"(a catalogue states paper, date, edition, page, section)"]
    assert [m["source"]["file"] for m in articles_in(tmp_path).values()] == ["county_home_pronoun.txt"]


def test_catalogue_given_on_the_command_line(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW_SAMPLES / "catalog_fills_missing_paper", raw / "0305")
    (raw / "0305" / "catalog.yaml").unlink()
    catalogue = tmp_path / "batch.yaml"
    catalogue.write_text("0305/p02.txt:\n  paper: 今日龙游\n  date: 2024-03-05\n  page: 2\n", encoding="utf-8")
    result = run_cli("ingest", str(raw), "--catalog", str(catalogue), "--articles", str(tmp_path / "a"))
    assert (result.returncode, result.stderr) == (0, "")
    [(aid, meta)] = articles_in(tmp_path / "a").items()
    assert (aid, meta["counties"]) == ("2024/03/05/jinri-longyou-p02-01", ["龙游县"])


def test_malformed_catalogue_on_the_command_line_stops_before_anything_is_written(tmp_path):
    catalogue = tmp_path / "batch.yaml"
    catalogue.write_text("p02.txt:\n  paper: 今日龙游\n  date: 2024-02-30\n", encoding="utf-8")
    result = run_cli("ingest", str(RAW_SAMPLES / "catalog_fills_missing_paper"), "--catalog", str(catalogue),
                     "--articles", str(tmp_path / "a"))
    assert result.returncode == 1
    assert result.stderr.strip() == f"{catalogue}:3: date '2024-02-30' must be YYYY-MM-DD, YYYY-MM or YYYY"
    assert not (tmp_path / "a").exists()


def test_catalogue_entry_for_a_missing_file_is_reported(tmp_path):
    folder = RAW_SAMPLES / "catalog_names_a_missing_file"
    result = run_cli("ingest", str(folder), "--articles", str(tmp_path))
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        f"{folder / 'catalog.yaml'}:3: p10.txt names no raw page in this folder; its facts were not used"]


def test_adding_a_catalogue_entry_later_moves_the_page(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW_SAMPLES / "catalog_fills_missing_paper" / "p02.txt", raw)
    out = tmp_path / "articles"
    run_cli("ingest", str(raw), "--articles", str(out))
    [before] = articles_in(out)
    assert before.startswith("2019/page-")                      # dated by a year in its text, no paper
    shutil.copy(RAW_SAMPLES / "catalog_fills_missing_paper" / "catalog.yaml", raw)
    result = run_cli("ingest", str(raw), "--articles", str(out))
    assert result.returncode == 0
    assert list(articles_in(out)) == ["2024/03/05/jinri-kaihua-p02-01"]
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.page.yaml")) == [
        "2024/03/05/jinri-kaihua-p02.page.yaml"]
    assert "1 no longer on their page, removed" in result.stdout
    assert result.stderr == f"{raw / 'p02.txt'}: now archived as 2024/03/05/jinri-kaihua-p02, no longer as {before[:-3]}\n"


# -- the same page twice -------------------------------------------------------

SAME = RAW_SAMPLES / "same_page_twice"


def test_the_same_page_twice_is_skipped_with_a_notice(tmp_path):
    result = run_cli("ingest", str(SAME), "--articles", str(tmp_path))
    assert result.returncode == 0
    first = SAME / "a-utf8.txt"
    assert result.stderr.splitlines() == [
        f"{SAME / name}: the same page as {first} (the same text once decoded); skipped"
        for name in ("b-gb18030-crlf.txt", "c-redownload-bom.txt")]
    assert result.stdout.strip() == "1 page(s) ingested, 2 new, 0 updated, 0 unchanged, 2 skipped as the same page twice"
    assert {m["source"]["file"] for m in articles_in(tmp_path).values()} == {"a-utf8.txt"}


def test_the_same_page_in_a_later_run_is_skipped_too(tmp_path):
    run_cli("ingest", str(SAME / "a-utf8.txt"), "--articles", str(tmp_path))
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    result = run_cli("ingest", str(SAME / "c-redownload-bom.txt"), "--articles", str(tmp_path))
    assert result.returncode == 0
    assert result.stderr.strip() == (f"{SAME / 'c-redownload-bom.txt'}: the same page as a-utf8.txt, already in the "
                                     f"archive (the same text once decoded); skipped")
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_a_page_recorded_before_fingerprints_is_still_recognised(tmp_path):
    run_cli("ingest", str(SAME / "a-utf8.txt"), "--articles", str(tmp_path))
    [record] = tmp_path.rglob("*.page.yaml")
    record.write_text(re.sub(r" fingerprint: [0-9a-f]+,", "", record.read_text(encoding="utf-8")), encoding="utf-8")
    result = run_cli("ingest", str(SAME / "b-gb18030-crlf.txt"), "--articles", str(tmp_path))
    assert result.returncode == 0 and "skipped" in result.stderr
    assert len(list(tmp_path.rglob("*.page.yaml"))) == 1


def test_two_different_pages_giving_one_id_are_an_error_naming_both(tmp_path):
    folder = RAW_SAMPLES / "different_pages_one_id"
    result = run_cli("ingest", str(folder), "--articles", str(tmp_path))
    assert result.returncode == 1
    [error] = result.stderr.splitlines()
    assert error.startswith(f"{folder / 'p02-first.txt'}:")
    assert f"also produced by {folder / 'p02-corrected.txt'}, a different page" in error


# -- the review report ---------------------------------------------------------

def test_without_the_flag_the_output_is_one_summary_line(tmp_path):
    result = run_cli("ingest", str(raw_sample("masthead_teasers_and_banner")), "--articles", str(tmp_path))
    written = len(list(tmp_path.rglob("*.md")))
    assert written and result.stdout == f"1 page(s) ingested, {written} new, 0 updated, 0 unchanged\n"


def test_report_shows_each_page_s_stories_and_dropped_furniture(tmp_path):
    from quzhou_archive.ingest.review import width

    banner = raw_sample("masthead_teasers_and_banner")
    result = run_cli("ingest", str(banner), str(RAW_SAMPLES / "catalog_fills_missing_paper"), str(SAME),
                     "--articles", str(tmp_path), "--report")
    assert result.returncode == 0
    out = result.stdout
    written = len(list(tmp_path.rglob("*.md")))
    assert out.splitlines()[-1] == (f"3 page(s) ingested, {written} new, 0 updated, 0 unchanged, "
                                    f"2 skipped as the same page twice")
    assert f"{banner}  (utf_8," in out
    assert "paper 今日开化 (catalogue) · date 2024-03-05 (catalogue) · page 2 (catalogue)" in out
    assert f"{SAME / 'b-gb18030-crlf.txt'}  [skipped] the same page as {SAME / 'a-utf8.txt'}" in out
    # every story: its headline, date, paper/page, counties and authors on one row
    row = next(line for line in out.splitlines() if line.endswith("我县推进茶产业提质增效"))
    for cell in ("brief", "2024-03-05", "今日开化 2版", "开化县", "王晓东、刘佳"):
        assert cell in row
    # the dropped lines, counted by why, as the page record holds them
    record = store.yaml_load(next(tmp_path.rglob("quzhou-ribao-p01.page.yaml")).read_text(encoding="utf-8"))
    whys = {}
    for item in record["dropped"]:
        whys[item["why"]] = whys.get(item["why"], 0) + item["lines"][1] - item["lines"][0] + 1
    assert whys and f"furniture dropped: {sum(whys.values())} line(s) — " in out
    for why, n in whys.items():
        assert f"{why} {n}" in out
    # columns line up by display width, Chinese counting two
    table = [line for line in out.splitlines() if line.startswith("    ")]
    starts = {width(line[:line.rindex(re.split(r" {2,}", line)[-1])]) for line in table}   # where the headline starts
    assert len(table) >= 10 and len(starts) == 1
    to_check = out.splitlines()[-2]
    assert to_check.startswith("to check: ") and "1 page without a date" in to_check   # a-utf8.txt


def test_report_json_is_the_same_report_for_tools(tmp_path):
    result = run_cli("ingest", str(RAW_SAMPLES / "catalog_disagrees_with_page"), str(SAME),
                     "--articles", str(tmp_path), "--report-json")
    assert result.returncode == 0
    pages = json.loads(result.stdout)                            # stdout is the JSON alone
    assert [p["status"] for p in pages] == ["ingested", "ingested", "skipped", "skipped"]
    first = pages[0]
    assert first["catalogued"] == {"section": "catalog.yaml:5"} and len(first["notices"]) == 2
    assert first["dropped"] == {"masthead": 3}
    [story] = first["stories"]
    assert story["id"] == "2024/11/30/quzhou-ribao-p01-01" and story["title"] == "数字经济核心产业增加值增长一成"
    assert "1 page(s) ingested" not in result.stdout and "2 page(s) ingested" in result.stderr


def test_dry_run_reports_and_writes_nothing(tmp_path):
    out = tmp_path / "articles"
    result = run_cli("ingest", str(raw_sample("masthead_teasers_and_banner")), "--articles", str(out),
                     "--report", "--dry-run")
    assert result.returncode == 0
    assert "高屹率团赴韩国开展经贸考察访问" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("dry run, nothing written: 1 page(s) ingested, ")
    assert not out.exists()
