"""A page (HTML or plain text) plus what the caller knows about it, turned into the analyzer's input."""

from __future__ import annotations

from datetime import datetime

from mxwatch.pipelines.analysis import ArticleInput
from mxwatch.pipelines.extraction import extract_html, extract_text


def page_to_input(content: bytes | str, is_text: bool = False, url: str | None = None, title: str | None = None,
                  published: datetime | None = None) -> ArticleInput:
    """Extract the article from ``content``; the hints fill what the page does not say.

    Raises ExtractionError (a ValueError) for input with no article in it.
    """
    if is_text:
        text = content if isinstance(content, str) else content.decode("utf-8", errors="replace")
        page = extract_text(text, url=url, title=title, published=published)
    else:
        page = extract_html(content, url=url)
    if published is not None and page.published_guessed:
        page.published = published  # the caller's date beats a date guessed from the page's text
    return ArticleInput(
        text=page.text, title=page.title or title, url=page.url or url, published=page.published or published,
        authors=page.authors, lang=page.lang,
    )
