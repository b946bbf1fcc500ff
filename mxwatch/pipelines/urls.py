"""URL normalisation: one spelling per article, so that stored URLs are recognised and never fetched twice."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# Parameters that only track how a reader arrived; they never select a different article.
_TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|igshid|yclid|_ga|_gl|ref|ref_src|"
    r"cmpid|ocid|smid|sr_share|taid|ito|at_medium|at_campaign|outputType|amp)$",
    re.IGNORECASE,
)


def normalize_url(url: str) -> str:
    """Canonical spelling of ``url``: tracking parameters and fragment dropped, host lowercased, query sorted."""
    parts = urlsplit(url.strip())
    keep = [p for p in parts.query.split("&") if p and not _TRACKING.match(p.split("=", 1)[0])]
    cleaned = urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", "&".join(keep), ""))
    return canonicalize_url(cleaned)
