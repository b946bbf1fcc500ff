"""Writing to the trend database: articles (once each), their analysis, and crawl runs.

Every write that belongs together happens in one transaction, so a crash leaves either the whole article
(or analysis) or nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from mxwatch.models.db import as_utc
from mxwatch.models.tables import (
    Article,
    Company,
    CompanyMention,
    CrawlRun,
    FeedState,
    JobCount,
    Place,
    PlaceMention,
    SeenUrl,
    Source,
    WriteLock,
    utcnow,
)
from mxwatch.pipelines import near_duplicates

if TYPE_CHECKING:
    from mxwatch.models.run_leases import RunLeases


# URLs (or content hashes) looked up per statement: well below every database's parameter limit.
URL_CHUNK = 500


@dataclass
class NewArticle:
    """An extracted article ready to be stored."""

    url: str
    text: str
    title: str | None = None
    published: datetime | None = None
    authors: list[str] | None = None
    lang: str | None = None
    fetched_url: str | None = None
    source_id: int | None = None
    is_baseline: bool = False
    aliases: tuple[str, ...] = ()  # other URLs of this article: the feed's link before redirects, ...
    # ``published`` was guessed from the page's text (no structured date, no listing date): not evidence enough
    # to make this copy the original of a story already stored (see ``_published_before``).
    published_guessed: bool = False


@dataclass
class StoreResult:
    """What happened to one article: ``new``, ``duplicate`` (stored, linked to its original) or ``known``."""

    status: str
    article_id: int | None
    duplicate_of_id: int | None = None
    replaced_id: int | None = None  # a new original published before the one stored: that one is now its copy


def serialise_writes(session: Session) -> None:
    """Start this transaction by taking the write lock, so that check-then-write steps of concurrent processes
    (two crawls, a crawl and the DAG) happen one after the other.

    On PostgreSQL the row lock is held to the end of the transaction; on SQLite the update takes the database
    write lock, and being the transaction's first statement it also reads the newest snapshot.
    """
    session.execute(update(WriteLock).where(WriteLock.id == 1).values(counter=WriteLock.counter + 1))


def known_urls(session: Session) -> set[str]:
    """Every canonical, fetched and alias URL already stored, so crawls do not fetch them again."""
    urls: set[str] = set()
    for url, fetched in session.execute(select(Article.url, Article.fetched_url)):
        urls.add(url)
        if fetched:
            urls.add(fetched)
    urls.update(session.execute(select(SeenUrl.url)).scalars())
    return urls


def refresh_duplicate_index(session: Session, index: near_duplicates.DuplicateIndex) -> near_duplicates.DuplicateIndex:
    """Add to ``index`` the MinHash of every original stored since it was last refreshed (by any process)."""
    rows = session.execute(
        select(Article.id, Article.minhash)
        .where(Article.id > index.max_id, Article.duplicate_of_id.is_(None), Article.minhash.is_not(None))
        .order_by(Article.id)
    )
    for article_id, data in rows:
        index.add(article_id, near_duplicates.from_bytes(data))
    return index


def load_duplicate_index(session: Session) -> near_duplicates.DuplicateIndex:
    """Index the MinHash of every stored original (articles that are not themselves duplicates)."""
    return refresh_duplicate_index(session, near_duplicates.DuplicateIndex())


def _stored_id(session: Session, url: str) -> int | None:
    row = session.execute(
        select(Article.id).where((Article.url == url) | (Article.fetched_url == url))
    ).first()
    if row is not None:
        return row[0]
    alias = session.execute(select(SeenUrl.article_id).where(SeenUrl.url == url)).first()
    return alias[0] if alias else None


def remember_urls(session: Session, article_id: int, urls: Iterable[str]) -> None:
    """Record other URLs of a stored article (caller commits; call inside serialise_writes)."""
    for url in set(urls):
        if url and _stored_id(session, url) is None:
            session.add(SeenUrl(url=url, article_id=article_id))


def _sort_key(published: datetime | None) -> tuple[bool, datetime]:
    # Dated before undated, then by date: the order in which copies of one story were first published.
    moment = as_utc(published)
    return (moment is None, moment or datetime.max.replace(tzinfo=UTC))


def _published_before(new: NewArticle, original: Any) -> bool:
    """True when ``new`` was published before the stored ``original`` (an undated article comes after a dated
    one; on equal dates the stored one stays the original). The baseline always stays the original.

    A guessed date (htmldate's earliest-looking date in the text) never counts as earlier: it is often an old
    date the text mentions, and the pages without a declared date are mostly the copies (aggregators)."""
    if original.is_baseline:
        return False
    if new.is_baseline:
        return True
    return not new.published_guessed and _sort_key(new.published) < _sort_key(original.published)


def _original(session: Session, article_id: int) -> Any:
    """The original (id, published, is_baseline) of a stored article: itself, or the article it copies."""
    row = session.execute(select(Article.id, Article.duplicate_of_id).where(Article.id == article_id)).one()
    return session.execute(select(Article.id, Article.published, Article.is_baseline)
                           .where(Article.id == (row.duplicate_of_id or row.id))).one()


def _stored_ids(session: Session, urls: set[str]) -> tuple[dict[str, int], dict[str, int]]:
    """The stored article of each of ``urls`` that is known: as an article's canonical or fetched URL (the
    first such article), and as an alias. An article's own URL takes precedence over an alias."""
    rows: dict[str, int] = {}
    aliases: dict[str, int] = {}
    ordered = sorted(urls)
    for start in range(0, len(ordered), URL_CHUNK):
        chunk = ordered[start : start + URL_CHUNK]
        found = session.execute(select(Article.id, Article.url, Article.fetched_url)
                                .where(Article.url.in_(chunk) | Article.fetched_url.in_(chunk)).order_by(Article.id))
        for article_id, url, fetched in found:
            for u in (url, fetched):
                if u in urls:
                    rows.setdefault(u, article_id)
        for url, article_id in session.execute(select(SeenUrl.url, SeenUrl.article_id).where(SeenUrl.url.in_(chunk))):
            aliases[url] = article_id
    return rows, aliases


def _first_with_hash(session: Session, digests: set[str]) -> dict[str, int]:
    """The first stored article with each of these content hashes."""
    found: dict[str, int] = {}
    ordered = sorted(digests)
    for start in range(0, len(ordered), URL_CHUNK):
        chunk = ordered[start : start + URL_CHUNK]
        rows = session.execute(select(Article.id, Article.content_hash)
                               .where(Article.content_hash.in_(chunk)).order_by(Article.id))
        for article_id, digest in rows:
            found.setdefault(digest, article_id)
    return found


def _write_batch(session: Session, batch: Sequence[NewArticle], index: near_duplicates.DuplicateIndex
                 ) -> list[StoreResult]:
    """Store ``batch`` inside the caller's write-locked transaction (the caller commits).

    A few statements per batch rather than per article: the URLs and content hashes of the whole batch are
    looked up at once, the new articles are inserted in one executemany, their other URLs in another; only a
    copy costs statements of its own (its link). The outcome is the same as storing the articles one by one.
    """
    # What each URL resolves to as the batch goes, as it would one article at a time: an article's own URL (the
    # first article's) before an alias. Articles of this batch are ~position (negative); stored ones their id.
    rows, alias_of = _stored_ids(session, {u for new in batch for u in (new.url, new.fetched_url, *new.aliases) if u})

    def resolve(url: str) -> int | None:
        return rows.get(url, alias_of.get(url))

    owner: list[int] = []  # per article: itself (~position) when new, else the article it is
    new_aliases: dict[str, int] = {}
    for position, new in enumerate(batch):
        target = resolve(new.url)
        if target is None:
            target = ~position
            for u in (new.url, new.fetched_url):
                if u:
                    rows.setdefault(u, target)
        owner.append(target)
        for u in (new.fetched_url, *new.aliases):
            if u and resolve(u) is None:
                alias_of[u] = new_aliases[u] = target
    fresh = [p for p in range(len(batch)) if owner[p] == ~p]
    prints = {p: near_duplicates.fingerprints(batch[p].text) for p in fresh}
    earlier = _first_with_hash(session, {digest for digest, _ in prints.values()})
    now = utcnow()
    ids: dict[int, int] = {}
    if fresh:
        table = Article.__table__
        inserted = session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), [
            {"url": batch[p].url, "fetched_url": batch[p].fetched_url, "source_id": batch[p].source_id,
             "title": batch[p].title, "published": batch[p].published, "fetched_at": now,
             "authors": json.dumps(batch[p].authors or [], ensure_ascii=False), "lang": batch[p].lang,
             "text": batch[p].text, "content_hash": prints[p][0], "minhash": near_duplicates.to_bytes(prints[p][1]),
             "is_baseline": batch[p].is_baseline, "duplicate_of_id": None} for p in fresh])
        ids = dict(zip(fresh, inserted.scalars().all(), strict=True))
    results: list[StoreResult] = []

    def article_id(target: int) -> int:
        return ids[~target] if target < 0 else target

    for position, new in enumerate(batch):
        if position not in ids:
            results.append(StoreResult("known", article_id(owner[position])))
            continue
        digest, mh = prints[position]
        results.append(_link(session, new, ids[position], earlier.get(digest), mh, index))
        earlier.setdefault(digest, ids[position])
    aliases = {u: article_id(target) for u, target in new_aliases.items()}
    if aliases:
        session.execute(insert(SeenUrl.__table__), [{"url": u, "article_id": i} for u, i in aliases.items()])
    return results


def _link(session: Session, new: NewArticle, article_id: int, same_text: int | None,
          mh: near_duplicates.Signature, index: near_duplicates.DuplicateIndex) -> StoreResult:
    """Decide whether the just-inserted article ``article_id`` republishes a stored one, and link it.

    Of a story's copies, the earliest published is the original (see ``_published_before``), whatever order
    they were fetched or stored in: a copy that turns out to be older than the stored original takes its place,
    and the former original and its copies are linked to it.
    """
    match = same_text if same_text is not None else index.original_of(mh)
    original = _original(session, match) if match is not None else None
    if original is not None and original.id != match:
        index.remove(match)  # another process made it a copy of an earlier-published article since we indexed it
    if original is None or _published_before(new, original):
        if original is not None:
            former = (Article.id == original.id) | (Article.duplicate_of_id == original.id)
            session.execute(update(Article).where(former).values(duplicate_of_id=article_id))
            index.remove(original.id)
        index.add(article_id, mh)  # later articles of the same batch are compared with it too
        return StoreResult("new", article_id, replaced_id=original.id if original is not None else None)
    session.execute(update(Article).where(Article.id == article_id).values(duplicate_of_id=original.id))
    index.max_id = max(index.max_id, article_id)
    return StoreResult("duplicate", article_id, original.id)


def _store_batch(session: Session, batch: Sequence[NewArticle], index: near_duplicates.DuplicateIndex
                 ) -> list[StoreResult]:
    """Store ``batch`` in one transaction under the write lock; on failure nothing of it is stored (the index
    forgets what it learnt from it) and the error propagates."""
    session.commit()  # end any read transaction: the lock must be this transaction's first statement
    index.begin()
    try:
        serialise_writes(session)
        refresh_duplicate_index(session, index)
        results = _write_batch(session, batch, index)
        session.commit()
    except BaseException:
        session.rollback()
        index.rollback()
        raise
    index.commit()
    return results


def store_article(session: Session, new: NewArticle, index: near_duplicates.DuplicateIndex) -> StoreResult:
    """Store one article in its own transaction, linking it to the article it republishes, if any.

    A URL that is already stored (canonical, fetched or alias) is ``known`` and only its new aliases are
    recorded. The write lock makes the duplicate check and the insert one step across concurrent crawls.
    """
    return _store_batch(session, [new], index)[0]


def store_articles(session: Session, batch: Sequence[NewArticle], index: near_duplicates.DuplicateIndex
                   ) -> list[StoreResult | Exception]:
    """Store several articles in one transaction (one write lock, one commit): each result as ``store_article``
    gives it, in order.

    All or nothing: a crash mid-batch stores none of it, and a crawl re-fetches those pages as their URLs are not
    known. When the batch fails (one bad article), each article is stored again in its own transaction, so that
    only the bad one fails; its entry is then the exception instead of a result.
    """
    if not batch:
        return []
    try:
        return list(_store_batch(session, batch, index))
    except Exception as exc:  # noqa: BLE001 -- reported per article below
        if len(batch) == 1:
            return [exc]
    results: list[StoreResult | Exception] = []
    for new in batch:
        try:
            results.append(store_article(session, new, index))
        except Exception as exc:  # noqa: BLE001 -- reported for this article; the others are stored
            results.append(exc)
    return results


class EntityCache:
    """Get-or-create for companies and places, remembering ids within a process."""

    def __init__(self) -> None:
        self._companies: dict[str, int] = {}
        self._places: dict[tuple[str, str, str], int] = {}

    def company_id(self, session: Session, name: str) -> int:
        """Id of the company ``name``, created when new."""
        if name not in self._companies:
            self._companies[name] = _get_or_create(session, Company, {"name": name}, {})
        return self._companies[name]

    def place_id(
        self,
        session: Session,
        kind: str,
        name: str,
        state: str = "",
        lat: float | None = None,
        lon: float | None = None,
    ) -> int:
        """Id of the Mexican city or state, created when new."""
        key = (kind, name, state or "")
        if key not in self._places:
            self._places[key] = _get_or_create(
                session, Place, {"kind": kind, "name": name, "state": state or ""}, {"lat": lat, "lon": lon}
            )
        return self._places[key]


def _get_or_create(session: Session, model: type, keys: dict, extra: dict) -> int:
    query = select(model.id)
    for column, value in keys.items():
        query = query.where(getattr(model, column) == value)
    found = session.execute(query).first()
    if found is not None:
        return found[0]
    try:
        with session.begin_nested():
            row = model(**keys, **extra)
            session.add(row)
        return row.id
    except IntegrityError:
        # Created concurrently by another process: read theirs.
        return session.execute(query).one()[0]


def mark_analysis_failed(session: Session, article: Article, error: str) -> None:
    """Record that the article could not be analysed, so that it leaves the queue (caller commits)."""
    article.analyzed_at = utcnow()
    article.analysis_error = error[:1000]
    article.relevant = None
    article.relevance = None
    session.add(article)


def save_analysis(session: Session, article: Article, analysis: dict, cache: EntityCache) -> None:
    """Replace the article's stored analysis with ``analysis`` (caller commits)."""
    for table in (CompanyMention, PlaceMention, JobCount):
        session.execute(delete(table).where(table.article_id == article.id))
    article.lang = analysis.get("lang") or article.lang
    article.relevance = analysis.get("relevance")
    article.relevant = analysis.get("relevant")
    article.analyzed_at = utcnow()
    article.analysis_error = None
    session.add(article)
    for company in analysis.get("companies", []):
        session.add(
            CompanyMention(
                article_id=article.id,
                company_id=cache.company_id(session, company["name"]),
                mentions=company.get("mentions", 1),
                aliases=json.dumps(company.get("aliases", []), ensure_ascii=False),
            )
        )
    for city in analysis.get("cities", []):
        place = cache.place_id(
            session, "city", city["name"], city.get("state") or "", city.get("lat"), city.get("lon")
        )
        session.add(PlaceMention(article_id=article.id, place_id=place, mentions=city.get("mentions", 1)))
    for state in analysis.get("states", []):
        place = cache.place_id(session, "state", state["name"])
        session.add(PlaceMention(article_id=article.id, place_id=place, mentions=state.get("mentions", 1)))
    for position, job in enumerate(analysis.get("job_counts", [])):
        session.add(
            JobCount(
                article_id=article.id,
                position=position,
                value=job["value"],
                value_max=job.get("value_max"),
                approx=bool(job.get("approx")),
                unit=job.get("unit") or "jobs",
                kind=job.get("kind") or "existing",
                company_id=cache.company_id(session, job["company"]) if job.get("company") else None,
                city_id=cache.place_id(session, "city", job["city"], job.get("state") or "")
                if job.get("city")
                else None,
                state_id=cache.place_id(session, "state", job["state"]) if job.get("state") else None,
                evidence=job.get("evidence") or "",
            )
        )


def upsert_sources(session: Session, sources: Iterable[dict]) -> dict[str, int]:
    """Make sure each configured source has a row; return their ids by name."""
    session.commit()
    serialise_writes(session)  # two crawls of the same new source at once: one insert, not a unique violation
    ids: dict[str, int] = {}
    for source in sources:
        row = session.execute(select(Source).where(Source.name == source["name"])).first()
        if row is None:
            row = Source(name=source["name"], kind=source["kind"], url=source["url"])
        else:
            row = row[0]
            row.kind, row.url = source["kind"], source["url"]
        session.add(row)
        session.flush()
        ids[row.name] = row.id
    session.commit()
    return ids


def start_run(session: Session, source_id: int | None, leases: RunLeases | None = None) -> int:
    """Record the start of a crawl of one source; return the run id. With ``leases``, the run is leased to
    this process before its row is visible, so that a killed crawl's run can be told from a live one."""
    run = CrawlRun(source_id=source_id)
    session.add(run)
    session.flush()
    if leases is not None:
        leases.take(run.id)
    session.commit()
    return run.id


def finish_run(
    session: Session, run_id: int, status: str, counts: dict[str, int], message: str | None
) -> None:
    """Record how a crawl run ended."""
    run = session.get(CrawlRun, run_id)
    if run is None:
        return
    run.status = status
    run.finished_at = utcnow()
    for field in ("requests", "new_articles", "duplicates", "skipped", "errors"):
        setattr(run, field, int(counts.get(field, 0)))
    run.message = message
    session.add(run)
    session.commit()


def conditional_headers(session: Session, url: str, not_before: datetime | None) -> dict[str, str]:
    """If-None-Match / If-Modified-Since for the feed at ``url``, from when it was last read in full; none when
    it never was, or when that read skipped entries this run's window (from ``not_before``) would count."""
    state = session.get(FeedState, url)
    session.commit()  # end the read: the crawl's writes take the write lock first in their own transactions
    if state is None:
        return {}
    previous = as_utc(state.not_before)
    if previous is not None and (not_before is None or as_utc(not_before) < previous):
        return {}
    headers = {}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    return headers


def save_validators(session: Session, url: str, etag: str | None, last_modified: str | None,
                    not_before: datetime | None) -> None:
    """Remember a feed's validators after a complete read of it (none: forget them)."""
    session.commit()
    serialise_writes(session)  # two crawls of one feed: one upsert after the other
    state = session.get(FeedState, url)
    if not etag and not last_modified:
        if state is not None:
            session.delete(state)
    else:
        state = state or FeedState(url=url)
        state.etag, state.last_modified = etag, last_modified
        state.not_before, state.updated_at = not_before, utcnow()
        session.add(state)
    session.commit()
