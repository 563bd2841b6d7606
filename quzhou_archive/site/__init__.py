"""The static site: its model of the archive, its pages and feeds."""
