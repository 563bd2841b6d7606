"""What the pipeline's tests share."""
from __future__ import annotations

import shutil

import pytest

from quzhou_archive.pipeline import build
from tests.conftest import ROOT


@pytest.fixture
def built(tmp_path, capsys):
    """The bundled archive copied and built once: (articles, site, index)."""
    articles = tmp_path / "articles"
    shutil.copytree(ROOT / "articles", articles)
    assert build(articles, tmp_path / "site", tmp_path / "index", jobs=1) == 0
    capsys.readouterr()
    return articles, tmp_path / "site", tmp_path / "index"
