"""`build_site.py ingest` as a user runs it: real files, exit codes, messages."""
from tests.conftest import raw_sample, run_cli


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
