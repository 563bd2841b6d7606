import os

from quzhou_archive.articlefiles import article_file_stats, article_files, article_paths


def make(root, rel, text="x"):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_every_markdown_file_sorted_hidden_ones_and_other_files_left_out(tmp_path):
    for rel in ("2024/03/b.md", "2024/03/a.md", "2023/z.md", "undated/u.md", "2024/notes.txt",
                ".git/x.md", "2024/.draft.md", "2024/.hidden/y.md"):
        make(tmp_path, rel)
    found = [os.path.relpath(p, tmp_path) for p in article_files(str(tmp_path))]
    assert found == ["2023/z.md", "2024/03/a.md", "2024/03/b.md", "undated/u.md"]
    assert [str(p) for p in article_paths(tmp_path)] == article_files(str(tmp_path))


def test_each_file_comes_with_its_size_and_time(tmp_path):
    path = make(tmp_path, "2024/a.md", "衢州")
    os.utime(path, ns=(1_700_000_000_123_456_789, 1_700_000_000_123_456_789))
    assert article_file_stats(str(tmp_path)) == [(str(path), 6, 1_700_000_000_123_456_789)]


def test_a_linked_folder_is_not_entered_as_walking_the_tree_would_not(tmp_path):
    make(tmp_path / "elsewhere", "x.md")
    (tmp_path / "articles").mkdir()
    make(tmp_path / "articles", "a.md")
    (tmp_path / "articles" / "linked").symlink_to(tmp_path / "elsewhere")
    assert article_files(str(tmp_path / "articles")) == [str(tmp_path / "articles" / "a.md")]
