"""Alternations of many literal terms that Python's regex engine tries quickly.

``(?:term1|term2|...)`` with hundreds of terms costs, at every position the engine tries, one attempt per term.
The engine skips an alternative at once when it starts with a case-sensitive character or character set that
the text does not hold there, so :func:`term_alternation` groups the terms by their first character, written as
the exact set of characters it matches (case-insensitively when the term is), with the rest of each term after
it. Terms keep their order within a group, and two groups never share a first character, so the same
alternative wins as in the plain alternation: the matches are the same.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left
from collections.abc import Iterable
from functools import cache

# Characters outside ASCII that ``(?i:x)`` matches for an ASCII letter x (Python's simple case mapping and re's
# case fixes); tests check this against every code point.
_ASCII_EXTRA = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}


@cache
def _cased_chars() -> str:
    """Every code point that has a case mapping. Any other character ``(?i:x)`` matches is x itself or x's own
    lower or upper case, so scanning these ~2,900 instead of all 1.1 million code points is enough (built once
    per process: about 0.1 s, where one scan of every code point for each Spanish term's accented first letter
    cost about 0.15 s each)."""
    return "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.lower() != c or c.upper() != c)


@cache
def ignorecase_chars(char: str) -> frozenset[str]:
    """Every character that ``(?i:char)`` matches."""
    if char.isascii():
        low = char.lower()
        return frozenset({char, low, char.upper(), *_ASCII_EXTRA.get(low, "")})
    pattern = re.compile(f"(?i:{re.escape(char)})")
    found = {m.group() for m in pattern.finditer(_cased_chars())}
    found.update(c for c in (char, char.lower(), char.upper()) if len(c) == 1 and pattern.fullmatch(c))
    return frozenset(found)


def _char_set(chars: Iterable[str]) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"


def term_alternation(terms: Iterable[tuple[str, str, bool]]) -> str:
    """A non-capturing group that matches what ``(?:t1|t2|...)`` matches, where each term is given as
    ``(first character, regex of the rest, ignore case)`` and stands for ``re.escape(first) + rest``, wrapped in
    ``(?i:...)`` when it ignores case, in the order given (the first alternative that matches wins). The result
    does not depend on the flags it is compiled with, except for the rest of each term (compile it without
    re.IGNORECASE and let each term say)."""
    groups: list[tuple[set[str], list[tuple[frozenset[str], str]]]] = []
    for first, rest, ignore_case in terms:
        chars = ignorecase_chars(first) if ignore_case else frozenset(first)
        body = f"(?i:{rest})" if ignore_case and rest else rest
        sharing = [g for g in groups if g[0] & chars]
        for other in sharing[1:]:
            # This term's first characters join two groups: they become one. Their terms never match at the same
            # position, so their order between them does not matter; this term comes after both, as given.
            sharing[0][0].update(other[0])
            sharing[0][1].extend(other[1])
            groups.remove(other)
        if sharing:
            sharing[0][0].update(chars)
            sharing[0][1].append((chars, body))
        else:
            groups.append((set(chars), [(chars, body)]))
    parts = []
    for chars, items in groups:
        # A term whose own first characters are fewer than the group's checks the one it consumed.
        alternatives = [body if own == chars else f"(?<={_char_set(own)}){body}" for own, body in items]
        parts.append(f"(?-i:{_char_set(chars)})(?:{'|'.join(alternatives)})")
    return f"(?:{'|'.join(parts)})" if parts else "(?!)"


def finditer_at(pattern: re.Pattern, text: str, starts: list[int], start: int = 0, end: int | None = None
                ) -> list[re.Match]:
    """``list(pattern.finditer(text, start, end))`` for a pattern that can only match at one of ``starts``
    (sorted) and never matches the empty string: the same matches, trying those positions only."""
    end = len(text) if end is None else end
    found = []
    last = start
    for pos in starts[bisect_left(starts, start):bisect_left(starts, end)]:
        if pos >= last and (m := pattern.match(text, pos, end)):
            found.append(m)
            last = m.end()
    return found
