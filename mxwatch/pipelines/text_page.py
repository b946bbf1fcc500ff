"""Plain-text article pages: headline, body paragraphs, trailing clutter and credit lines.

A page saved as text (copy-paste, a text dump of a republished story) has the headline on its first line, the
story in blank-line separated paragraphs, and often the site's furniture after it: a teaser that repeats the
lede, "Follow us" prompts, "Trending"/"Most read" blocks. The rules here are generic; nothing is keyed on a
publisher.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mxwatch.pipelines.page_metadata import clean_authors

# A line that opens the site's furniture: everything from it onward is not the story.
BOILERPLATE_HEADING_RE = re.compile(
    r"^\W*(?:"
    r"trending(?: news| now| stories)?(?: on .*)?|most (?:read|popular|viewed|shared)(?: .*)?|popular(?: now| stories)?"
    r"|related(?: articles| stories| news| content| coverage| posts)?|more (?:from|on|stories|news)\b.*"
    r"|read (?:more|next|also)\b.*|recommended(?: for you| stories)?|you (?:may|might) (?:also )?like.*"
    r"|(?:follow|join) us(?: on\b.*)?|follow .{0,40} on (?:google news|twitter|x|facebook|instagram).*"
    r"|sign up\b.*|subscribe\b.*|get our newsletter.*|newsletters?\b.{0,40}|share (?:this|on)\b.*"
    r"|(?:your|tu) (?:subscription|suscripci[oó]n)\b.*|scroll to top|back to top"
    r"|comments?(?: \(\d+\))?|join (?:our|the) (?:commenting|conversation).*"
    r"|lo m[aá]s (?:le[ií]do|visto|popular)|te puede interesar.*|tambi[eé]n te puede interesar.*"
    r"|noticias relacionadas|art[ií]culos relacionados|m[aá]s noticias.*|s[ií]guenos\b.*|lee (?:tambi[eé]n|m[aá]s)\b.*"
    r"|suscr[ií]bete\b.*|comparte(?: esta noticia)?\b.*|comentarios"
    r")\W*$",
    re.IGNORECASE,
)
# "Reporting by A in X and B in Y; Editing by C" / "Con información de A y B" / "Por A y B".
_CREDIT_RE = re.compile(
    r"^\s*(?:additional |writing and )?(?:reporting|reported|written|with reporting) by\s+(?P<en>.+)$"
    r"|^\s*(?:con información de|información de|reportaje de|por)\s+(?P<es>.+)$"
    r"|^\s*by\s+(?P<by>.+)$",
    re.IGNORECASE,
)
# The editing/other-credit part of a credit line is not the reporters.
_CREDIT_TAIL_RE = re.compile(
    r"[;.]\s*(?:additional reporting|editing|edited|writing|graphics|compiled|fact-?checked|"
    r"edición|editado|redacción)\b.*$",
    re.IGNORECASE,
)
_PLACE_RE = re.compile(r"\s+(?:in|from|en|desde)\s+[A-ZÁÉÍÓÚÑ][\w.\- ]*?(?=\s+(?:and|y)\s+|\s*[,;&]|$)")
_TEASER_END_RE = re.compile(r"(?:\.\s?\.\s?\.|…)\s*$")
_WORD_RE = re.compile(r"\w+")
_HEADLINE_MAX_WORDS = 25


@dataclass
class TextArticle:
    """A plain-text page split into its parts."""

    title: str | None
    paragraphs: list[str]
    authors: list[str] = field(default_factory=list)


def looks_like_headline(line: str) -> bool:
    """A first line is a headline when it is short and does not end like a sentence."""
    words = line.split()
    return 0 < len(words) <= _HEADLINE_MAX_WORDS and not line.rstrip().endswith((".", "…", ";", ","))


def split_paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs, each with its internal whitespace collapsed."""
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    return [" ".join(block.split()) for block in blocks if block.strip()]


def is_boilerplate_heading(line: str) -> bool:
    """True for a short line that announces site furniture ("Trending News on ...", "Lo más leído")."""
    return len(line) <= 80 and bool(BOILERPLATE_HEADING_RE.match(line.strip()))


def cut_trailing_clutter(paragraphs: list[str], min_keep: int = 1) -> list[str]:
    """Drop everything from the first boilerplate heading that follows at least ``min_keep`` paragraphs."""
    for i, para in enumerate(paragraphs):
        if i >= min_keep and is_boilerplate_heading(para):
            return paragraphs[:i]
        # Compound furniture lines such as "Follow Us On Google News | Get Our Newsletter".
        if i >= min_keep and "|" in para and all(is_boilerplate_heading(p) for p in para.split("|") if p.strip()):
            return paragraphs[:i]
    return paragraphs


def _tokens(text: str) -> list[str]:
    return _WORD_RE.findall(text.lower())


def is_teaser_of(line: str, paragraph: str) -> bool:
    """A truncated teaser ("... . . ." / "…") that repeats the start of ``paragraph``."""
    if not _TEASER_END_RE.search(line):
        return False
    head = _tokens(_TEASER_END_RE.sub("", line))
    return len(head) >= 5 and _tokens(paragraph)[: len(head)] == head


def credit_authors(line: str) -> list[str] | None:
    """Reporter names from a credit line, or None when the line is not a credit line.

    Editors and places are dropped: "Reporting by A in X and B in Y; Editing by C" gives [A, B].
    """
    if len(line) > 300:
        return None
    match = _CREDIT_RE.match(line)
    if not match:
        return None
    names = next(g for g in match.groups() if g is not None)
    names = _CREDIT_TAIL_RE.sub("", names)
    names = _PLACE_RE.sub("", names)
    authors = clean_authors([names])
    # A credit line names people: every part short and capitalised, else it was an ordinary sentence.
    if not authors or any(len(a.split()) > 4 or not a[:1].isupper() for a in authors):
        return None
    return authors


def parse_text_page(text: str, title: str | None = None) -> TextArticle:
    """Split a plain-text page into title, story paragraphs and authors (see the module docstring)."""
    paragraphs = split_paragraphs(text)
    if title is None and paragraphs and looks_like_headline(paragraphs[0]):
        title = paragraphs.pop(0)
    elif title is not None and paragraphs and " ".join(title.split()) == paragraphs[0]:
        paragraphs.pop(0)  # the hint repeats the first line: it is the headline, not the story
    paragraphs = cut_trailing_clutter(paragraphs)
    authors: list[str] = []
    kept: list[str] = []
    for i, para in enumerate(paragraphs):
        if kept and is_teaser_of(para, kept[0]):
            continue
        # Credit lines sit at the very start or in the story's last lines.
        if i <= 1 or i >= len(paragraphs) - 3:
            found = credit_authors(para)
            if found:
                authors.extend(a for a in found if a not in authors)
                continue
        kept.append(para)
    return TextArticle(title=title, paragraphs=kept, authors=authors)
