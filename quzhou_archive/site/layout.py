"""Where the site's templates and assets are: `templates/` and `static/` at
the top of the archive's folder (its own layout, which a build can look at
without loading the site's model)."""
from __future__ import annotations

from pathlib import Path


def _project_root() -> Path:
    """The folder holding templates/ and static/: the working folder when the
    archive is run from its repository, else the checkout the package sits in."""
    here = Path.cwd()
    return here if (here / "templates").is_dir() else Path(__file__).resolve().parents[2]


ROOT = _project_root()
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"
