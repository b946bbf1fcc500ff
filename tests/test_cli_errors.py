"""Bad input everywhere a user types: exit 2 and one clear line, never a traceback."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from mxwatch.cli import build_parser, main


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


# ---- every subcommand, every typed option ------------------------------------------------------------------
# The parser is read, not listed by hand: a subcommand or option added later is covered by the same cases.

def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices


def _typed_options(kind: str) -> list[tuple[str, str]]:
    """(subcommand, option) for every option parsed as a date, a count or a choice."""
    found = []
    for name, sub in _subcommands().items():
        for action in sub._actions:
            typed = {"date": getattr(action.type, "__name__", "") in ("_date", "_datetime"),
                     "count": getattr(action.type, "__name__", "") == "_positive",
                     "choice": bool(action.choices)}[kind]
            if action.option_strings and typed:
                found.append((name, action.option_strings[-1]))
    return found


def _in_process(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str]:
    """Run the CLI's main() as the console script does; the exit code and the stderr lines."""
    try:
        code = main(list(args))
    except SystemExit as exit_:  # argparse exits on bad usage
        code = int(exit_.code or 0)
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("mxwatch: error: ") and "Traceback" not in err, err
    return code, lines[0]


def test_every_subcommand_refuses_an_unknown_option(capsys: pytest.CaptureFixture) -> None:
    assert len(_subcommands()) >= 13
    for name in [*_subcommands(), None]:
        args = [name, "--no-such-option"] if name else ["--no-such-option"]
        code, line = _in_process(capsys, *args)
        assert code == 2 and "unrecognized arguments: --no-such-option" in line, (name, line)
    code, line = _in_process(capsys)
    assert code == 2 and "COMMAND is required" in line


@pytest.mark.parametrize(("kind", "values", "needle"), [
    ("date", ["2024-02-30", "yesterday", "20240101x", "'; DROP TABLE article; --"], "invalid date"),
    ("count", ["0", "-3", "ten", "1.5", "99999999999999999999"], "invalid count"),
    ("choice", ["nope", "", "COMPANY"], "invalid choice"),
])
def test_every_typed_option_refuses_bad_values(capsys: pytest.CaptureFixture, kind: str, values: list[str],
                                               needle: str) -> None:
    options = _typed_options(kind)
    assert options, kind
    for name, option in options:
        for value in values:
            code, line = _in_process(capsys, name, f"{option}={value}")
            assert code == 2 and needle in line and option in line, (name, option, value, line)


@pytest.mark.parametrize(("args", "needle"), [
    (["crawl", "--feed", "notaurl"], "not an absolute http(s) URL"),
    (["crawl", "--feed", ""], "non-empty"),
    (["crawl", "--feed", "ftp://example.com/feed.xml"], "not an absolute http(s) URL"),
    (["crawl", "--feed", "javascript:alert(1)"], "not an absolute http(s) URL"),
    (["crawl", "--feed", "http://"], "not an absolute http(s) URL"),
    (["crawl", "--sitemap", "https://example.com/news sitemap.xml"], "contains spaces"),
    (["crawl", "--sitemap", "https://exa mple.com/sitemap.xml"], "contains spaces"),
    (["crawl", "--feed", "https://example.com/feed\n.xml"], "control characters"),
    (["crawl", "--feed", "http://example.com:http/feed"], "invalid port"),
    (["crawl", "--feed", "http://example.com:99999999/feed"], "invalid port"),
    (["crawl", "--sources", "/nonexistent/sources.yaml"], "sources file not found"),
    (["crawl", "--sources", "/"], "cannot read sources file"),
    (["sources", "--sources", "/nonexistent/sources.yaml"], "sources file not found"),
    (["analyze", "--jsonl", ""], "no such file"),
    (["analyze", "--text", "/nonexistent/page.txt"], "no such file"),
    (["report", "--out", "/nonexistent/dir/report.html"], "no such directory"),
    (["report", "--out", "/"], "is a directory"),
    (["companies", "--company", "X", "--new-since", "2020-01-01"], "not both"),
    (["jobs", "--since", "2025-01-01", "--until", "2024-01-01"], "--since"),
    (["trends", "--at", "2024-01-01"], "--movers"),
    (["articles", "--json", "--csv"], "not allowed with"),
])
def test_bad_values_of_every_kind(capsys: pytest.CaptureFixture, home: Path, args: list[str], needle: str) -> None:
    code, line = _in_process(capsys, *args)
    assert code == 2 and needle in line, line


def test_a_sources_file_with_a_bad_url_or_binary_content(capsys: pytest.CaptureFixture, home: Path,
                                                          tmp_path: Path) -> None:
    spaced = tmp_path / "spaced.yaml"
    spaced.write_text("sources:\n  - {name: x, kind: sitemap, url: 'https://a.example/news map.xml'}\n")
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00garbage\x00")
    for path, needle in ((spaced, "contains spaces"), (binary, "cannot read sources file")):
        code, line = _in_process(capsys, "crawl", "--sources", str(path))
        assert code == 2 and needle in line, line


UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/nothing"


def test_every_database_command_fails_in_one_line_when_the_database_is_unreachable(
    capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch, home: Path,
) -> None:
    """Exit 1 (a runtime failure, not bad input) and one line naming the database, for every subcommand that
    reads or writes it."""
    monkeypatch.setenv("MXWATCH_DATABASE_URL", UNREACHABLE)
    commands = [[name] for name in _subcommands() if name not in ("analyze", "sources", "crawl")]
    commands += [["crawl", "--feed", "http://127.0.0.1:1/feed.xml"], ["sources"]]
    for args in commands:
        code, line = _in_process(capsys, *args)
        assert code == 1 and "database" in line, (args, line)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """MXWATCH_HOME and an SQLite database of this test's own, for CLI runs in this process."""
    monkeypatch.setenv("MXWATCH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("MXWATCH_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    return tmp_path / "home"
