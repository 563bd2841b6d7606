"""Mark, in an article page's HTML, the sentences its figures come from.

Each sentence that holds a figure becomes `<mark class="figure">`, and each
figure's quote in it a `<span id="figure-N">` that the 数据 pages and the
downloads link to. The article's HTML is its text escaped and set in
full-width punctuation (`typography.typeset`, one character for one), so a
sentence is found as its own text set the same way. A sentence that
cannot be found so (a link or emphasis inside it) is left unmarked, and
its figures' ids go on the list of the page's figures instead.
"""
from __future__ import annotations

from html import escape

from quzhou_archive.typography import typeset


def as_html(text: str) -> str:
    return escape(typeset(text), quote=False)


def mark_figures(fragment: str, figures: list) -> tuple[str, set[int]]:
    """The article's HTML with its figures' sentences marked, and the
    numbers (from 1) of the figures whose quote carries its id there."""
    placed: set[int] = set()
    by_sentence: dict[str, list[tuple[int, object]]] = {}
    for n, figure in enumerate(figures, 1):
        by_sentence.setdefault(figure.sentence, []).append((n, figure))
    searched_from = 0
    for sentence, members in by_sentence.items():
        needle = as_html(sentence)
        at = fragment.find(needle, searched_from)
        if at < 0:
            at = fragment.find(needle)
        if at < 0 or not needle:
            continue
        marked, numbers = marked_sentence(sentence, members)
        fragment = fragment[:at] + marked + fragment[at + len(needle):]
        searched_from = at + len(marked)
        placed |= numbers
    return fragment, placed


def marked_sentence(sentence: str, members: list[tuple[int, object]]) -> tuple[str, set[int]]:
    """One sentence as HTML, its figures' quotes wrapped in their ids (a
    quote that overlaps one before it has its id on the part that is its
    own, or on an empty anchor where it lies wholly inside the other)."""
    spans: list[tuple[int, int, int]] = []      # (start, end, number)
    looked_from: dict[str, int] = {}
    for n, figure in members:
        start = sentence.find(figure.quote, looked_from.get(figure.quote, 0))
        if start < 0:
            start = sentence.find(figure.quote)
        if start < 0:
            continue
        looked_from[figure.quote] = start + 1
        spans.append((start, start + len(figure.quote), n))
    spans.sort()
    shown = typeset(sentence)       # one character for one: the quotes' places hold
    out, at, numbers = ['<mark class="figure">'], 0, set()
    for start, end, n in spans:
        if start < at:      # overlaps the quote before: its id where it begins, its own part marked
            out.append(f'<span id="figure-{n}"></span>' if end <= at else
                       f'<span class="figure-quote" id="figure-{n}">{escape(shown[at:end], quote=False)}</span>')
            numbers.add(n)
            at = max(at, end)
            continue
        out.append(escape(shown[at:start], quote=False))
        out.append(f'<span class="figure-quote" id="figure-{n}">{escape(shown[start:end], quote=False)}</span>')
        numbers.add(n)
        at = end
    out.append(escape(shown[at:], quote=False))
    out.append("</mark>")
    return "".join(out), numbers
