"""The catalogue: reading it, finding a page's entry, filling in what the page does not say."""
from pathlib import Path

import pytest

from quzhou_archive.errors import ArchiveError
from quzhou_archive.ingest import read_page
from quzhou_archive.ingest.catalog import Catalogues, canonical_paper, fill_in, load
from tests.conftest import RAW_SAMPLES

FILLS = RAW_SAMPLES / "catalog_fills_missing_paper"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "catalog.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_catalogue_facts_are_read_with_their_lines():
    catalogue = load(FILLS / "catalog.yaml")
    facts = catalogue.facts_for(FILLS / "p02.txt")
    assert {k: v.value for k, v in facts.items()} == {"paper": "今日开化", "date": "2024-03-05", "page": 2}
    assert facts["date"].where == f"{FILLS / 'catalog.yaml'}:5"
    assert facts["date"].cited == "catalog.yaml:5"


@pytest.mark.parametrize("text, line, says", [
    ("p01.txt:\n  paper: 今日开化\n  pages: 2\n", 3, "unknown fact `pages`"),
    ("p01.txt:\n  page: 2\np01.txt:\n  page: 3\n", 3, "catalogued twice (first on line 1)"),
    ("p01.txt:\n  page: 2\n  page: 3\n", 3, "`page` is given twice"),
    ("p01.txt:\n  date: 2024-13-01\n", 2, "date '2024-13-01' must be"),
    ("p01.txt:\n  date: 3月5日\n", 2, "must be YYYY-MM-DD"),
    ("p01.txt:\n  page: A3\n", 2, "page 'A3' must be a whole number"),
    ("p01.txt: 今日开化\n", 1, "give its facts as indented"),
    ("- p01.txt\n", 1, "must map raw file names"),
    ("p01.txt:\n  paper: [今日开化\n", 3, "not valid YAML"),
])
def test_a_malformed_catalogue_names_its_file_and_line(tmp_path, text, line, says):
    path = write(tmp_path, text)
    with pytest.raises(ArchiveError) as caught:
        load(path)
    assert (caught.value.path, caught.value.line) == (str(path), line)
    assert says in caught.value.message
    assert "\n" not in str(caught.value)


def test_dates_as_precise_as_stated_and_blank_cells_unknown(tmp_path):
    catalogue = load(write(tmp_path, "a.txt:\n  date: 2024\nb.txt:\n  date: 2024-3\nc.txt:\n  date: 2024/3/5\n"
                                     "d.txt:\n  paper:\n  page: ~\n  date: 2024-03-05\n"))
    dates = {e.key: e.facts["date"].value for e in catalogue.entries}
    assert dates == {"a.txt": "2024", "b.txt": "2024-03", "c.txt": "2024-03-05", "d.txt": "2024-03-05"}
    assert set(catalogue.entries[3].facts) == {"date"}


def test_an_empty_catalogue_is_no_error(tmp_path):
    assert load(write(tmp_path, "# nothing known yet\n")).entries == []


@pytest.mark.parametrize("written, canonical", [
    ("衢州日報", "衢州日报"), ("《衢州日报》", "衢州日报"), (" 今日開化 ", "今日开化"), ("遂昌报", "遂昌报"),
])
def test_paper_names_resolve_to_the_papers_list(written, canonical):
    assert canonical_paper(written) == canonical


def test_an_entry_naming_the_file_beats_patterns_and_patterns_go_in_order(tmp_path):
    catalogue = load(write(tmp_path, '"*.txt":\n  paper: 今日常山\n  date: 2024-03\n'
                                     '"a-*.txt":\n  paper: 今日开化\n  section: 综合\n'
                                     "a-02.txt:\n  date: 2024-03-07\n"))
    facts = {k: v.value for k, v in catalogue.facts_for(tmp_path / "a-02.txt").items()}
    assert facts == {"date": "2024-03-07", "paper": "今日常山", "section": "综合"}
    assert {k: v.value for k, v in catalogue.facts_for(tmp_path / "b.txt").items()} == {
        "paper": "今日常山", "date": "2024-03"}


def test_a_key_with_a_folder_names_the_file_in_that_folder(tmp_path):
    catalogue = load(write(tmp_path, "0305/p01.txt:\n  page: 1\n0306/p01.txt:\n  page: 11\n"))
    assert catalogue.facts_for(tmp_path / "0306" / "p01.txt")["page"].value == 11
    assert catalogue.facts_for(tmp_path / "0305" / "p01.txt")["page"].value == 1
    assert catalogue.facts_for(tmp_path / "0307" / "p01.txt") == {}


def test_each_folder_has_its_own_catalogue_and_a_given_one_replaces_them(tmp_path):
    catalogues = Catalogues()
    assert catalogues.of(FILLS / "p02.txt").path == FILLS / "catalog.yaml"
    assert catalogues.of(RAW_SAMPLES / "county_home_pronoun.txt") is None
    given = write(tmp_path, "county_home_pronoun.txt:\n  paper: 今日常山\n")
    only = Catalogues(given)
    assert only.of(FILLS / "p02.txt").path == only.of(RAW_SAMPLES / "county_home_pronoun.txt").path == given


def _stated(value, line=7):
    from quzhou_archive.ingest.catalog import Stated

    return Stated(value, f"raw/catalog.yaml:{line}", f"catalog.yaml:{line}")


def test_the_page_s_own_fact_is_kept_and_the_disagreement_reported():
    filled = fill_in(Path("raw/p01.txt"), {"paper": _stated("衢州晚报", 3), "date": _stated("2024-12-01", 4)},
                     paper="衢州日報", date="2024-11-30", date_basis="masthead", page=1, section=None)
    assert (filled.paper, filled.date, filled.catalogued) == ("衢州日報", "2024-11-30", [])
    assert filled.notices == [
        "raw/p01.txt: the page says paper 衢州日報, raw/catalog.yaml:3 says 衢州晚报; kept the page's 衢州日報",
        "raw/p01.txt: the page says date 2024-11-30, raw/catalog.yaml:4 says 2024-12-01; kept the page's 2024-11-30",
    ]


def test_agreeing_facts_are_the_page_s_own_and_not_reported():
    filled = fill_in(Path("p.txt"), {"paper": _stated("衢州日报"), "date": _stated("2024-11"), "page": _stated(1)},
                     paper="衢州日報", date="2024-11-30", date_basis="trailer", page=1, section=None)
    assert (filled.catalogued, filled.notices, filled.date) == ([], [], "2024-11-30")


def test_a_year_the_text_mentions_is_no_statement_the_catalogue_must_respect():
    filled = fill_in(Path("p.txt"), {"date": _stated("2024-03")},
                     paper=None, date="2019", date_basis="text", page=None, section=None)
    assert (filled.date, filled.date_basis, filled.catalogued, filled.notices) == ("2024-03", "catalogue", ["date"], [])


def test_a_catalogued_paper_resolves_our_county_like_a_masthead():
    plain = read_page(FILLS / "p02.txt")
    assert (plain.paper, plain.date, plain.articles[0].counties) == (None, "2019", [])
    facts = load(FILLS / "catalog.yaml").facts_for(FILLS / "p02.txt")
    page = read_page(FILLS / "p02.txt", facts)
    assert (page.paper, page.date, page.page, page.home) == ("今日开化", "2024-03-05", 2, "开化县")
    assert page.articles[0].counties == ["开化县"]              # 我县, of the catalogued paper
    assert (page.articles[0].paper, page.articles[0].date) == ("今日开化", "2024-03-05")
    assert page.catalogued == ["paper", "date", "page"]


def test_a_folder_catalogue_says_when_an_entry_names_a_file_it_cannot_cover(tmp_path):
    (tmp_path / "0305").mkdir()
    page = tmp_path / "0305" / "p02.txt"
    page.write_text("x", encoding="utf-8")
    catalogue = write(tmp_path, "0305/p02.txt:\n  page: 2\np09.txt:\n  page: 9\n")
    catalogues = Catalogues()
    catalogues.of(tmp_path / "p01.txt")
    assert catalogues.of(page) is None                          # 0305/ has no catalogue of its own
    assert catalogues.notices() == [
        f"{catalogue}:1: 0305/p02.txt: a folder's catalogue covers only the pages beside it "
        f"(use that folder's catalog.yaml, or --catalog); its facts were not used",
        f"{catalogue}:3: p09.txt names no raw page in this folder; its facts were not used",
    ]
