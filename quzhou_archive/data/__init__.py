"""The vocabularies and lists archivists tune, kept as data files."""
from __future__ import annotations

from importlib import resources

import yaml

# libyaml's parser when PyYAML was built with it (its wheels are): the same
# data, several times faster, which every run of the archive pays for once
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(name: str):
    """The contents of data file `name`, read as safe YAML."""
    return yaml.load(resources.files(__name__).joinpath(name).read_text(encoding="utf-8"), Loader=_LOADER)
