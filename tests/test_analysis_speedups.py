"""The analysis's shortcuts give exactly what the plain computation gives: each is compared here with the plain
version it replaced, on sentences written for these tests and on adversarial characters."""

from __future__ import annotations

import re
import sys

import pytest

from mxwatch.pipelines import companies
from mxwatch.pipelines.companies import CompanyMention, get_lexicon


def _every_char() -> str:
    return "".join(map(chr, range(sys.maxunicode + 1)))


def test_ignorecase_to_ascii_is_complete() -> None:
    """Every character that re.IGNORECASE matches to an ASCII letter lower-cases to it, is mapped to it by
    IGNORECASE_TO_ASCII, or lower-cases to more than one character (the caller then falls back)."""
    every = _every_char()
    for letter in "abcdefghijklmnopqrstuvwxyz":
        for m in re.finditer(f"(?i:{letter})", every):
            low = m.group().lower()
            assert low == letter or companies.IGNORECASE_TO_ASCII.get(low) == letter or len(low) != 1, m.group()


def _plain_affiliations(text: str, mentions: list[CompanyMention]) -> dict[str, str]:
    """person_affiliations before the title pre-check: the pattern on every mention's window."""
    titles = "|".join(re.escape(t) for t in get_lexicon().person_titles)
    out: dict[str, str] = {}
    for m in mentions:
        window = text[max(0, m.start_char - 160):m.start_char]
        hit = re.search(
            r"([A-ZÁÉÍÓÚÑ][\w'’-]+(?:\s+[A-ZÁÉÍÓÚÑ][\w'’-]+){0,3}),\s+(?:the\s+|el\s+|la\s+|a\s+)?"
            rf"(?:[\w-]+\s+)?(?:{titles})\b[^.;“”\"]{{0,80}}?\b(?:of|at|for|de|en)\s+"
            r"(?:[\w-]+\s+){0,4}$",
            window, flags=re.IGNORECASE)
        if hit:
            surname = hit.group(1).split()[-1]
            if surname[:1].isupper():
                out.setdefault(surname, m.name)
    return out


@pytest.mark.parametrize("text", [
    "Ana Ruiz, chief executive of Telvora, said the plant would open. Ruiz added that Telvora was hiring.",
    "Luis Pérez, the DIRECTOR general de Quantix, habló. Quantix contratará a 200 personas.",
    "Marta Gil, dırector of Telvora, spoke; Telvora is hiring.",  # dotless i: IGNORECASE matches it to "i"
    "Iñaki Sáez, ſecretary of Telvora, spoke. Telvora grew.",  # long s
    "Kim Lee, CEO of Telvora and Quantix, said Telvora and Quantix merge.",
    "İlker Demir, President of Telvora, spoke about Telvora.",  # "İ" lower-cases to two characters
    "Telvora said nothing. " * 12 + "Carlos Soto, head of sales at Telvora, smiled.",
])
def test_person_affiliations_as_before(text: str) -> None:
    names = ("Telvora", "Quantix")
    mentions = [CompanyMention(n, n, m.start(), m.end(), True) for n in names for m in re.finditer(n, text)]
    mentions.sort(key=lambda m: m.start_char)
    assert companies.person_affiliations(text, mentions) == _plain_affiliations(text, mentions)
    assert companies.person_affiliations(text, []) == {}
