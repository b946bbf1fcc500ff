"""Language of an article: English or Spanish, the two languages mxwatch analyses."""

from __future__ import annotations

from functools import lru_cache

SUPPORTED = ("en", "es")
DEFAULT = "en"


@lru_cache(maxsize=1)
def _identifier():  # noqa: ANN202  (py3langid has no public type for it)
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(list(SUPPORTED))
    return ident


def detect_language(text: str, hint: str | None = None) -> str:
    """Return "en" or "es". A declared hint ("es", "es-MX", "en_US") wins when it names one of them;
    otherwise py3langid decides between the two (the first 2,000 characters are plenty)."""
    if hint:
        base = hint.strip().lower().replace("_", "-").split("-")[0]
        if base in SUPPORTED:
            return base
    sample = (text or "")[:2000]
    if not sample.strip():
        return DEFAULT
    lang, _prob = _identifier().classify(sample)
    return lang if lang in SUPPORTED else DEFAULT
