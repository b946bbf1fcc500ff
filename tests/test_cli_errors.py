"""Bad input everywhere a user types: exit 2 and one clear line, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest


def _one_line_error(result) -> str:  # noqa: ANN001
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert lines[0].startswith("mxwatch: error: ")
    return lines[0]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["trends", "--metric", "money"], "invalid choice"),
        (["articles", "--since", "last tuesday"], "invalid date"),
        (["analyze", "/nonexistent/page.html"], "no such file"),
        (["crawl", "--feed", "not-a-url"], "not an absolute http(s) URL"),
        (["crawl", "--sitemap", "ftp://example.com/sitemap.xml"], "not an absolute http(s) URL"),
        (["frobnicate"], "invalid choice"),
        (["analyze", "--published", "yesterday", "-"], "invalid date"),
        (["articles", "--json", "--csv"], "not allowed with"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(cli, args: list[str], needle: str) -> None:
    result = cli(*args, stdin="")
    assert result.code == 2
    assert needle in _one_line_error(result)


def test_directory_and_unreadable_inputs(cli, tmp_path: Path) -> None:
    result = cli("analyze", str(tmp_path))
    assert result.code == 2 and "is a directory" in _one_line_error(result)
    secret = tmp_path / "secret.html"
    secret.write_text("<html></html>")
    secret.chmod(0)
    result = cli("analyze", "--jsonl", "/nonexistent.jsonl")
    assert result.code == 2 and "no such file" in _one_line_error(result)


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("sources: [", "not valid YAML"),
        ("feeds: []", "top-level 'sources:' list"),
        ("sources:\n  - name: x\n    kind: gopher\n    url: https://a.example/feed\n", "kind must be one of"),
        ("sources:\n  - name: x\n    kind: feed\n    url: /relative\n", "not an absolute http(s) URL"),
        ("sources:\n  - {name: x, kind: feed, url: 'https://a.example/f'}\n"
         "  - {name: x, kind: feed, url: 'https://a.example/g'}\n", "duplicate name"),
        ("sources:\n  - {name: x, kind: feed, url: 'https://a.example/f', color: red}\n", "unknown key"),
    ],
)
def test_malformed_sources_file(cli, tmp_path: Path, content: str, needle: str) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(content)
    result = cli("crawl", "--sources", str(path), database_url=f"sqlite:///{tmp_path / 'x.db'}")
    assert result.code == 2
    assert needle in _one_line_error(result)


def test_unreachable_database_is_a_runtime_failure(cli) -> None:
    result = cli("init", database_url="postgresql+psycopg://postgres@127.0.0.1:1/nothing")
    assert result.code == 1
    assert "database" in _one_line_error(result)


def test_commands_before_init_say_so(cli, tmp_path: Path) -> None:
    result = cli("articles", database_url=f"sqlite:///{tmp_path / 'empty.db'}")
    assert result.code == 1
    assert "mxwatch init" in _one_line_error(result)


def test_invalid_database_url_is_bad_input(cli) -> None:
    result = cli("articles", database_url="not a url at all")
    assert result.code == 2
    assert "invalid database URL" in _one_line_error(result)
