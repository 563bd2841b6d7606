"""衢州区域经济新闻档案: raw newspaper pages -> articles -> search index -> static site."""

__version__ = "0.1.0"
