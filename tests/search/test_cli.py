"""The search and serve commands on bad input: one line naming what is wrong
(the file, and the line where there is one), a non-zero exit, no traceback."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from quzhou_archive import articles as store
from quzhou_archive.pipeline import build
from quzhou_archive.errors import ArchiveError
from quzhou_archive.search.whoosh_index import STATS_FILE
from quzhou_archive.search.cli import checked_query, read_queries
from tests.conftest import ROOT, run_cli


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    for aid, title, body in (("2024/01/02/a-01", "常山胡柚丰收", "常山县胡柚今年丰收。"),
                             ("2024/01/03/a-02", "开化龙顶茶", "开化龙顶茶叶开采。")):
        meta = {"title": title, "date": aid[:10].replace("/", "-"), "paper": "衢州日报", "page": 1,
                "counties": ["常山县"], "topics": [], "authors": [], "photographers": [], "kind": "news",
                "source": {"file": "t.txt", "lines": [1, 2]}}
        path = root / "articles" / f"{aid}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(store.article_file_text(meta, body + "\n"), encoding="utf-8")
    assert build(root / "articles", root / "site", root / "index", "/") == 0
    return root / "index"


def run_bytes(*args: bytes, stdin: bytes = b"") -> subprocess.CompletedProcess:
    """The command line with arguments as raw bytes, as a shell passes $'\\xff'."""
    return subprocess.run([sys.executable.encode(), str(ROOT / "build_site.py").encode(), *args], input=stdin,
                          capture_output=True, cwd=ROOT, timeout=120)


def one_line_refusal(result, *fragments: str) -> str:
    stderr = result.stderr.decode("utf-8", "backslashreplace") if isinstance(result.stderr, bytes) else result.stderr
    assert result.returncode != 0, stderr
    assert "Traceback" not in stderr, stderr
    message = stderr.strip()
    assert len(message.splitlines()) == 1, stderr
    for fragment in fragments:
        assert fragment in message, message
    return message


@pytest.mark.parametrize("query", [b"\xed\xa0\x80", b"ab\xffcd", "常山".encode() + b"\xc0\xaf"])
def test_cli_search_tracebacks_query_not_utf8(index_dir, query):
    result = run_bytes(b"search", query, b"--index", bytes(index_dir))
    one_line_refusal(result, "not UTF-8")
    result = run_bytes(b"search", query, b"--json", b"--index", bytes(index_dir))
    one_line_refusal(result, "not UTF-8")


def test_cli_search_tracebacks_query_with_a_lone_surrogate():
    with pytest.raises(ArchiveError, match="lone surrogate"):
        checked_query("常山\ud800")
    assert checked_query("常山 胡柚") == "常山 胡柚"


def test_cli_search_tracebacks_queries_file_not_utf8(index_dir, tmp_path):
    queries = tmp_path / "queries.txt"
    queries.write_bytes("常山\n胡柚\n".encode() + b"ab\xffcd\n")
    message = one_line_refusal(run_cli("search", "--queries", str(queries), "--index", str(index_dir)))
    assert message.startswith(f"{queries}:3: not UTF-8") and "0xFF at byte 3" in message
    message = one_line_refusal(run_bytes(b"search", b"--queries", b"-", b"--index", bytes(index_dir),
                                         stdin=queries.read_bytes()))
    assert message.startswith("<stdin>:3: not UTF-8")


def test_cli_search_tracebacks_queries_file_missing(index_dir, tmp_path):
    missing = tmp_path / "nowhere.txt"
    message = one_line_refusal(run_cli("search", "--queries", str(missing), "--index", str(index_dir)))
    assert message.startswith(f"{missing}: ") and "No such file" in message
    one_line_refusal(run_cli("search", "--queries", str(tmp_path), "--index", str(index_dir)), str(tmp_path))


def test_queries_file_lines_are_lines(tmp_path):
    """UTF-8 with a byte-order mark and CRLF line ends is read as the same queries."""
    queries = tmp_path / "q.txt"
    queries.write_bytes("\ufeff常山\r\n\r\n胡柚 茶\r\n".encode())
    assert read_queries(str(queries)) == ["常山", "", "胡柚 茶"]


def test_cli_search_tracebacks_good_queries_still_answer(index_dir, tmp_path):
    queries = tmp_path / "q.txt"
    queries.write_text("常山\n龙顶\n", encoding="utf-8")
    result = run_cli("search", "--queries", str(queries), "--json", "--index", str(index_dir))
    assert result.returncode == 0, result.stderr
    assert [[h["id"] for h in json.loads(line)] for line in result.stdout.splitlines()] == \
        [["2024/01/02/a-01"], ["2024/01/03/a-02"]]


def damage(index_dir, target, how: str):
    stats = target / STATS_FILE
    if how == "empty folder":
        shutil.rmtree(target)
        target.mkdir()
    elif how == "another version":
        data = json.loads(stats.read_text(encoding="utf-8"))
        stats.write_text(json.dumps({**data, "tokenizer": -1}), encoding="utf-8")
    elif how == "statistics not an object":
        stats.write_text("[1, 2]", encoding="utf-8")
    elif how == "statistics incomplete":
        data = json.loads(stats.read_text(encoding="utf-8"))
        data.pop("vocabulary")
        stats.write_text(json.dumps(data), encoding="utf-8")
    elif how == "segment emptied":
        for segment in target.glob("*.seg"):
            segment.write_bytes(b"")
    elif how == "segment scrambled":
        for segment in target.glob("*.seg"):
            data = bytearray(segment.read_bytes())
            for at in range(64, len(data), max(1, len(data) // 40)):
                data[at] ^= 0x5A
            segment.write_bytes(bytes(data))
    elif how == "table of contents scrambled":
        for toc in target.glob("*.toc"):
            toc.write_bytes(bytes(range(40)))


@pytest.mark.parametrize("how", ["empty folder", "another version", "statistics not an object",
                                 "statistics incomplete", "segment emptied", "segment scrambled",
                                 "table of contents scrambled"])
def test_cli_search_tracebacks_index_unreadable(index_dir, tmp_path, how):
    target = tmp_path / "index"
    shutil.copytree(index_dir, target)
    damage(index_dir, target, how)
    for args in (["常山"], ["常山", "--json"]):
        one_line_refusal(run_cli("search", *args, "--index", str(target)), str(target))


@pytest.mark.parametrize("limit", ["0", "-3", "many"])
def test_cli_search_tracebacks_limit_not_a_count(index_dir, limit):
    result = run_cli("search", "常山", "--limit", limit, "--index", str(index_dir))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "argument --limit" in result.stderr.splitlines()[-1]


@pytest.mark.parametrize("port", ["70000", "-1", "http"])
def test_cli_serve_tracebacks_port_out_of_range(tmp_path, port):
    result = run_cli("serve", "--port", port, "--out", str(tmp_path), timeout=30)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "argument --port" in result.stderr.splitlines()[-1]


def test_cli_serve_tracebacks_no_site(tmp_path):
    one_line_refusal(run_cli("serve", "--port", "0", "--out", str(tmp_path / "none"), timeout=30), "no built site")
