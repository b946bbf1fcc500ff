"""Errors that map to the CLI's exit codes: 2 for bad input or usage, 1 for runtime failures."""


class MxwatchError(Exception):
    """A failure with a one-line message for the user (exit code 1)."""

    exit_code = 1


class UsageError(MxwatchError):
    """Bad input or usage: a malformed argument, file, feed or sources entry (exit code 2)."""

    exit_code = 2
