"""Golden output: ingesting the bundled raw pages gives exactly the committed
archive under articles/ (articles edited by hand excepted).

Refresh after a deliberate change to ingest:  python build_site.py ingest raw
"""
from quzhou_archive import articles as store
from quzhou_archive.ingest import ingest
from tests.conftest import BUNDLED_RAW, ROOT

ARCHIVE = ROOT / "articles"


def files(root):
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}


def test_bundled_archive_is_what_ingest_writes(tmp_path):
    assert ingest([str(BUNDLED_RAW)], tmp_path).ok
    fresh, committed = files(tmp_path), files(ARCHIVE)
    missing = sorted(set(fresh) - set(committed))
    assert not missing, f"not in articles/ — run `python build_site.py ingest raw`: {missing}"
    for name, path in fresh.items():
        mine = committed[name].read_text(encoding="utf-8")
        if name.endswith(".md") and store.is_hand_edited(mine):
            continue  # an archivist's correction wins over ingest
        assert mine == path.read_text(encoding="utf-8"), f"articles/{name} differs — run `python build_site.py ingest raw`"
