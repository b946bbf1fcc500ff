"""Scrapy settings for mxwatch crawls: polite, bounded, identified."""

from __future__ import annotations

from mxwatch import settings

SCRAPY_SETTINGS: dict[str, object] = {
    "BOT_NAME": "mxwatch",
    "USER_AGENT": settings.USER_AGENT,
    "ROBOTSTXT_OBEY": True,
    "ROBOTSTXT_USER_AGENT": "mxwatch",
    # Polite by default on the real web; AutoThrottle adapts the delay to each server's latency.
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 4,
    "AUTOTHROTTLE_ENABLED": True,
    "AUTOTHROTTLE_START_DELAY": 0.5,
    "AUTOTHROTTLE_MAX_DELAY": 20.0,
    "AUTOTHROTTLE_TARGET_CONCURRENCY": 2.0,
    "DOWNLOAD_TIMEOUT": settings.DOWNLOAD_TIMEOUT_SECONDS,
    "DOWNLOAD_MAXSIZE": settings.MAX_PAGE_BYTES,
    "DOWNLOAD_WARNSIZE": 0,
    "RETRY_ENABLED": True,
    "RETRY_TIMES": settings.RETRY_TIMES,
    "RETRY_HTTP_CODES": [429, 500, 502, 503, 504, 522, 524, 408],
    "MXWATCH_RETRY_BACKOFF_BASE": settings.RETRY_BACKOFF_BASE_SECONDS,
    "MXWATCH_RETRY_BACKOFF_MAX": settings.RETRY_BACKOFF_MAX_SECONDS,
    "MXWATCH_RETRY_AFTER_MAX": settings.RETRY_AFTER_MAX_SECONDS,
    "REDIRECT_MAX_TIMES": settings.REDIRECT_MAX_TIMES,
    "DOWNLOADER_MIDDLEWARES": {
        # Scrapy's retries ignore Retry-After and retry at once: ours wait (same place in the chain).
        "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
        "mxwatch.spiders.middlewares.PoliteRetryMiddleware": 550,
        # After robots.txt (100) and close to the download, so that the spacing is between calls on the wire.
        "mxwatch.spiders.middlewares.MinIntervalMiddleware": 580,
    },
    "COOKIES_ENABLED": False,
    "TELNETCONSOLE_ENABLED": False,
    "LOG_LEVEL": "WARNING",
    "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
    # Extraction in N worker processes beside the reactor (pipelines.extraction_pool). Opt-in: it pays only with a
    # free core (1.35x pages/s in one A/B on the shared 2-core machine, 0.8x in another; see BENCHMARKS.md), and
    # pages then reach storage out of fetch order, so of two near-copies found in one crawl the first stored is
    # taken as the original.
    "MXWATCH_EXTRACTION_PROCESSES": 0,
    "ITEM_PIPELINES": {
        "mxwatch.pipelines.items.ExtractionPipeline": 100,
        "mxwatch.pipelines.items.CanonicalUrlPipeline": 200,
        "mxwatch.pipelines.items.StoragePipeline": 300,
    },
}
