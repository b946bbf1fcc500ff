"""Errors that map to the CLI's exit codes: 2 for bad input or usage, 1 for runtime failures."""


class MxwatchError(Exception):
    """A failure with a one-line message for the user (exit code 1)."""

    exit_code = 1


class UsageError(MxwatchError):
    """Bad input or usage: a malformed argument, file, feed or sources entry (exit code 2)."""

    exit_code = 2


class SourceFailed(MxwatchError):
    """A source's crawl failed; its crawl run is already recorded as failed."""


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (a database driver's error can run to many lines)."""
    orig = getattr(exc, "orig", None)  # SQLAlchemy wraps the driver's exception
    text = str(orig if orig is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
