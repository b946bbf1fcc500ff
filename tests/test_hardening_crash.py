"""Crash safety: a crawl and an analysis killed with SIGKILL half-way, then run again.

Every article ends up stored exactly once, none is lost, no row is half-written (an article without its text,
mentions without their analysis), the killed crawl's runs are marked 'interrupted' rather than left 'running',
and analysis resumes where it stopped without redoing what was saved.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mxwatch.models import db, store
from mxwatch.models.run_leases import reap_interrupted_runs
from mxwatch.models.tables import Article, CompanyMention, CrawlRun, JobCount, PlaceMention, SeenUrl
from mxwatch.sources import source_from_url
from mxwatch.stages import article_input, crawl, get_analyzer, init_database
from tests.conftest import MXWATCH
from tests.fixture_web import XML, FixtureWeb, Route, article_page, rss

_VOCABULARY = ("market plant office engineers software region investment port energy bank logistics design team "
               "platform cloud data service customer export supplier factory campus talent university contract "
               "budget quarter network hardware product research shipping retail payment security mobile sensor "
               "battery vehicle aerospace medical device chip testing support training partner capital fund")
WORDS = _VOCABULARY.split(" ")
COMPANIES = ("Arlo Dynamics", "Benthic Labs", "Cirrane Software", "Dovetail Analytics", "Eskra Systems",
             "Fennick Cloud", "Galdor Robotics", "Hollis Devices", "Ivory Circuit", "Jaspen Data")
CITIES = ("Guadalajara", "Monterrey", "Querétaro", "Mérida", "Puebla", "Tijuana", "León", "Saltillo")
ARTICLES = 20
EXTRA = 6


def story(number: int) -> tuple[str, list[str]]:
    """A distinct article: a lead that names a company, a city and a job count, then its own filler text."""
    rng = random.Random(number)
    company, city = COMPANIES[number % len(COMPANIES)], CITIES[number % len(CITIES)]
    lead = (f"{company} will open an engineering center in {city} and hire {100 + 10 * number} engineers over "
            f"the next two years, the company said on Monday.")
    filler = [" ".join(rng.choice(WORDS) for _ in range(45)).capitalize() + "." for _ in range(3)]
    return f"{company} expands in {city} ({number})", [lead, *filler]


def _env(database_url: str, home: Path) -> dict[str, str]:
    return {**os.environ, "MXWATCH_DATABASE_URL": database_url, "MXWATCH_HOME": str(home)}


def _count(database_url: str, query) -> int:  # noqa: ANN001
    with db.session_scope(database_url) as session:
        return session.execute(query).scalar() or 0


def _wait_until(condition, proc: subprocess.Popen, timeout: float = 120) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not condition():
        assert proc.poll() is None, f"finished before it could be killed: {proc.communicate()}"
        assert time.monotonic() < deadline, "timed out waiting for progress"
        time.sleep(0.05)


def _crawl_child(parent: int) -> int:
    """The pid of the crawl process started by the ``mxwatch`` process ``parent``."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == parent and b"mxwatch.spiders.crawl_process" in cmdline:
                return int(entry.name)
    raise AssertionError("no crawl process found")


def _wait_gone(pid: int, timeout: float = 60) -> None:
    """Wait for process ``pid`` to end (a zombie waiting for its new parent to reap it counts as ended)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                return
        except (FileNotFoundError, ProcessLookupError):
            return
        time.sleep(0.1)
    raise AssertionError(f"process {pid} still running {timeout} s after its parent was killed")


def _no_half_written_rows(database_url: str) -> None:
    with db.session_scope(database_url) as session:
        assert session.execute(select(func.count()).select_from(Article).where(
            (Article.text == "") | Article.content_hash.is_(None))).scalar() == 0
        orphans = select(func.count()).select_from(SeenUrl).where(SeenUrl.article_id.not_in(select(Article.id)))
        assert session.execute(orphans).scalar() == 0
        for table in (CompanyMention, PlaceMention, JobCount):
            pending = select(Article.id).where(Article.analyzed_at.is_(None))
            assert session.execute(select(func.count()).select_from(table)
                                   .where(table.article_id.in_(pending))).scalar() == 0


def test_killed_crawl_resumes_without_loss_or_doubles(db_url: str, tmp_path: Path) -> None:
    init_database(db_url, analyze=False)
    routes = {"/feed.xml": Route(rss([f"{{base}}/news/{n}" for n in range(ARTICLES)]), headers=XML)}
    routes.update({f"/news/{n}": Route(article_page(*story(n)), delay=0.3) for n in range(ARTICLES)})
    # A second feed, for the crawl whose CLI alone is killed.
    routes["/other.xml"] = Route(rss([f"{{base}}/other/{n}" for n in range(EXTRA)]), headers=XML)
    routes.update({f"/other/{n}": Route(article_page(*story(100 + n)), delay=0.3) for n in range(EXTRA)})
    stored = select(func.count()).select_from(Article).where(Article.is_baseline.is_(False))
    env = _env(db_url, tmp_path / "home")
    with FixtureWeb(routes) as web:
        command = [str(MXWATCH), "crawl", "--feed", f"{web.base_url}/feed.xml", "--json"]

        # 1. The whole crawl (the CLI and its crawl process) dies at once, as when its machine or worker does.
        proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
        _wait_until(lambda: _count(db_url, stored) >= 3, proc)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        first = _count(db_url, stored)
        assert 3 <= first < ARTICLES
        killed = _count(db_url, select(func.max(CrawlRun.id)))
        with db.session_scope(db_url) as session:
            assert session.get(CrawlRun, killed).status == "running"
        _no_half_written_rows(db_url)
        runs = subprocess.run([str(MXWATCH), "runs", "--json"], env=env, capture_output=True, text=True, check=True)
        row = next(r for r in json.loads(runs.stdout) if r["id"] == killed)
        assert row["status"] == "interrupted" and "killed" in row["message"] and row["finished_at"]

        # 2. Only the crawl process dies (the OOM killer): the CLI says so in one line, the run is marked at once.
        proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        _wait_until(lambda: _count(db_url, stored) >= first + 2, proc)
        os.kill(_crawl_child(proc.pid), signal.SIGKILL)
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 1 and len(err.strip().splitlines()) == 1 and "crawl process failed" in err, err
        second_run = _count(db_url, select(func.max(CrawlRun.id)))
        with db.session_scope(db_url) as session:
            assert session.get(CrawlRun, second_run).status == "interrupted"
        _no_half_written_rows(db_url)
        second = _count(db_url, stored)
        assert first + 2 <= second < ARTICLES

        # 3. Only the CLI dies (`kill -9` on its pid): its crawl process stops too (finishing what is in flight),
        # recording its run as it ends, rather than crawling on unsupervised.
        other = [str(MXWATCH), "crawl", "--feed", f"{web.base_url}/other.xml", "--json"]
        proc = subprocess.Popen(other, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        _wait_until(lambda: _count(db_url, stored) >= second + 1, proc)
        child = _crawl_child(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate()
        _wait_gone(child)
        # It records its run as it stops (one SIGTERM however many times Linux signals the parent's death).
        reap_interrupted_runs(db_url)
        with db.session_scope(db_url) as session:
            third_run = session.get(CrawlRun, _count(db_url, select(func.max(CrawlRun.id))))
            assert (third_run.status, third_run.message) == ("failed", "closed: shutdown")
        _no_half_written_rows(db_url)

        # 4. The next crawl (the CLI's crawl stage, without its analysis) fetches only what is missing, once.
        web.requested.clear()
        summary = crawl([source_from_url("feed", f"{web.base_url}/feed.xml")], db_url)
        refetched = [p for p in web.requested if p.startswith("/news/")]
    assert len(refetched) == ARTICLES - second  # the stored ones are not fetched again
    assert summary.total("new_articles") == ARTICLES - second and summary.total("errors") == 0
    with db.session_scope(db_url) as session:
        urls = session.execute(select(Article.fetched_url).where(Article.is_baseline.is_(False))).scalars().all()
        statuses = session.execute(select(CrawlRun.status).order_by(CrawlRun.id)).scalars().all()
    assert len(urls) == len(set(urls))  # each exactly once
    assert {u for u in urls if "/news/" in u} == {f"{web.base_url}/news/{n}" for n in range(ARTICLES)}  # none lost
    assert statuses[:2] == ["interrupted", "interrupted"] and statuses[3:] == ["ok"]
    _no_half_written_rows(db_url)


ANALYSIS_SCRIPT = """
import sys, time
from mxwatch.stages import analyze_pending
# A pause after each saved batch of 4 leaves time to kill the process between and within batches.
analyze_pending(sys.argv[1], batch_size=4, on_progress=lambda n: time.sleep(0.3))
"""


def _analysed_at(database_url: str) -> dict[int, object]:
    with db.session_scope(database_url) as session:
        return dict(session.execute(select(Article.id, Article.analyzed_at)
                                    .where(Article.analyzed_at.is_not(None))).all())


def _children(parent: int) -> list[int]:
    """The pids of ``parent``'s child processes."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == parent:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@pytest.mark.parametrize("processes", [1, 2])
def test_killed_analysis_resumes_where_it_stopped(db_url: str, processes: int) -> None:
    init_database(db_url, analyze=False)
    with db.session_scope(db_url) as session:
        index = store.load_duplicate_index(session)
        for n in range(ARTICLES):
            title, paragraphs = story(n)
            store.store_article(session, store.NewArticle(url=f"https://news.example/{n}", title=title,
                                                          text="\n\n".join(paragraphs), lang="en"), index)
    total = ARTICLES + 1  # and the baseline
    # With 2, the backlog is analysed by the process and a worker of its own, whatever its size.
    env = {**os.environ, "MXWATCH_ANALYSIS_PROCESSES": str(processes), "MXWATCH_ANALYSIS_PARALLEL_MIN": "0"}
    proc = subprocess.Popen([sys.executable, "-c", ANALYSIS_SCRIPT, db_url], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    _wait_until(lambda: len(_analysed_at(db_url)) >= 8, proc)
    workers = _children(proc.pid)
    assert len(workers) == processes - 1
    proc.kill()
    proc.communicate()
    for worker in workers:
        _wait_gone(worker, timeout=10)  # workers die with the process that started them
    saved = _analysed_at(db_url)
    assert 8 <= len(saved) < total
    _no_half_written_rows(db_url)

    from mxwatch.stages import analyze_pending

    assert analyze_pending(db_url) == total - len(saved)  # only what was still pending
    after = _analysed_at(db_url)
    assert len(after) == total
    assert all(after[i] == when for i, when in saved.items())  # nothing saved before the kill was redone
    _no_half_written_rows(db_url)

    # Every stored analysis, from before or after the kill, is whole: the same as analysing the article now.
    from mxwatch.models.queries import analysis_object

    with db.session_scope(db_url) as session:
        articles = session.execute(select(Article).order_by(Article.id)).scalars().all()
        stored = [analysis_object(session, a) for a in articles]
        fresh = list(get_analyzer().analyze_many([article_input(a) for a in articles]))
    keys = ("relevant", "companies", "cities", "states", "job_counts")
    for mine, theirs in zip(stored, fresh, strict=True):
        assert {k: mine[k] for k in keys} == {k: theirs[k] for k in keys}, mine["url"]
