"""Downloads made from the whole archive: its economic figures as data."""
