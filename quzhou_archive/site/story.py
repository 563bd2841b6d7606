"""What an article's page adds to its text for the kinds of story that are
more than text: a speech collection's table of contents with each
speaker's role as printed, and a teaser's way to the page it points to.
"""
from __future__ import annotations

import html
import re

# A speech collection prints each speech as its headline (## in the
# article), then one line naming the speaker: role, a space, the name.
_SPEECH_HEAD = re.compile(r"<h2>(?P<heading>.*?)</h2>\s*<p>(?P<speaker>[^<]*)</p>", re.S)


def page_anchor(page: int | None) -> str:
    """The id of a printed page's section on its issue's page."""
    return f"page-{page}" if page else "page-unknown"


def speech_anchor(n: int) -> str:
    return f"speech-{n}"


def speech_sections(fragment: str, speakers: list[str]) -> tuple[str, list[dict]]:
    """The article's HTML with each speech's headline given an anchor and its
    speaker line marked, and the contents: for each speech its anchor,
    headline, speaker's name and role. A headline counts as a speech's only
    when the line after it ends with one of the `speakers` (the article's
    authors); without them, every headline followed by a short line does."""
    contents: list[dict] = []

    def mark(match: re.Match) -> str:
        line = html.unescape(match["speaker"]).strip()
        name = next((s for s in speakers if line.endswith(s)), None)
        if name is None and (speakers or len(line) > 60):
            return match[0]
        name = name or line.rsplit(" ", 1)[-1]
        role = line[: -len(name)].strip()
        anchor = speech_anchor(len(contents) + 1)
        contents.append({"anchor": anchor, "heading": html.unescape(re.sub(r"<[^>]+>", "", match["heading"])),
                         "name": name, "role": role})
        return f'<h2 id="{anchor}">{match["heading"]}</h2>\n<p class="speaker">{match["speaker"]}</p>'

    return _SPEECH_HEAD.sub(mark, fragment), contents


def teaser_target(see_page, issue_url: str | None, issue_pages: list[int]) -> dict | None:
    """Where a teaser (导读) sends the reader: the page it names, linked on
    its issue's page when the archive holds that page; None when it names
    none."""
    if not isinstance(see_page, int) or isinstance(see_page, bool) or see_page < 1:
        return None
    held = bool(issue_url) and see_page in issue_pages
    return {"page": see_page, "url": f"{issue_url}#{page_anchor(see_page)}" if held else None}
