"""Every character of a raw page ends up in an article, in the page's facts,
or in the page's record of dropped furniture — on every page we hold."""
import re
from collections import Counter

import pytest
import yaml

from quzhou_archive.articles import split_frontmatter
from quzhou_archive.ingest import ingest
from quzhou_archive.ingest.decode import decode_page
from tests.conftest import BUNDLED_RAW, RAW_SAMPLES

PAGES = sorted(BUNDLED_RAW.glob("*.txt")) + sorted(p for p in RAW_SAMPLES.glob("*.txt") if p.stem != "page_with_no_story")


def characters(text: str) -> Counter:
    return Counter(ch for ch in text if not ch.isspace())


def markdown_text(body: str) -> str:
    body = re.sub(r"^(?:#{2,3} |> )", "", body, flags=re.M)
    return re.sub(r"\\(.)", r"\1", body)


def accounted_for(out_dir) -> Counter:
    found = Counter()
    for path in out_dir.rglob("*.md"):
        meta, body = split_frontmatter(path, path.read_text(encoding="utf-8"))
        found += characters(markdown_text(body))
        if meta.get("headline_printed", True):
            found += characters("".join(meta.get(k) or "" for k in ("kicker", "title", "subtitle")))
        found += characters("".join(meta.get("byline", []) + meta.get("notes", [])))
        for photo in meta.get("photos", []):
            found += characters((photo.get("caption") or "") + photo["credit"])
    for path in out_dir.rglob("*.page.yaml"):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        for dropped in record["dropped"]:
            found += characters(dropped["text"])
    return found


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_every_character_is_accounted_for(page, tmp_path):
    report = ingest([str(page)], tmp_path)
    assert report.ok
    text, _ = decode_page(page, page.read_bytes())
    raw, out = characters(text), accounted_for(tmp_path)
    assert raw - out == Counter(), "characters lost"
    assert out - raw == Counter(), "characters invented"
