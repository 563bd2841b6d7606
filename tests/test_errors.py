import pickle

from quzhou_archive.errors import ArchiveError


def test_an_error_crosses_from_a_worker_process_as_it_was_made():
    error = pickle.loads(pickle.dumps(ArchiveError("articles/2024/a.md", "日期不对", 3)))
    assert (type(error), error.path, error.message, error.line) == (ArchiveError, "articles/2024/a.md", "日期不对", 3)
    assert str(error) == "articles/2024/a.md:3: 日期不对"
