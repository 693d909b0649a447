"""The core's exceptions. Each carries the exit code the command line maps it to."""

from __future__ import annotations

# Exit codes, documented in docs/cli.md.
EXIT_OK = 0
EXIT_FINDINGS = 1  # check found errors, diff found differences, an edit would fail check
EXIT_USAGE = 2  # bad argument, unknown id or revision
EXIT_DATA = 3  # a file the command needs is unreadable or malformed
EXIT_REPO = 4  # not a claims repository, git failed, or the file system refused a write
EXIT_CONFLICT = 5  # refused to overwrite work: an existing file, uncommitted changes, a lock
EXIT_INTERNAL = 70  # a bug: one line, the trace behind CLAIMS_DEBUG=1 (sysexits' EX_SOFTWARE)
EXIT_INTERRUPTED = 130  # interrupted or aborted (128 + SIGINT, as shells report it)


class ClaimsError(Exception):
    """Base of every error the core raises on purpose."""

    exit_code = EXIT_USAGE


class UsageError(ClaimsError):
    """A bad argument: an invalid id, an unknown option value."""

    exit_code = EXIT_USAGE


class NotFound(ClaimsError):
    """An id, source or revision that does not exist."""

    exit_code = EXIT_USAGE


class RepoError(ClaimsError):
    """Not a claims repository, or git could not answer."""

    exit_code = EXIT_REPO


class WriteFailed(ClaimsError):
    """The file system refused a write: read-only, full, no permission."""

    exit_code = EXIT_REPO


class ConflictError(ClaimsError):
    """The command would overwrite something: refused."""

    exit_code = EXIT_CONFLICT


class CheckFailed(ClaimsError):
    """A tool edit would leave a file that `claims check` rejects: refused, nothing written."""

    exit_code = EXIT_FINDINGS


class NoMatch(ClaimsError):
    """Words looked for in an article are not there (`claims quote`)."""

    exit_code = EXIT_FINDINGS


class DataError(ClaimsError):
    """A file is malformed. Carries where, so the message can name path:line:col."""

    exit_code = EXIT_DATA

    def __init__(self, path: str, line: int, column: int, message: str, rule: str):
        from .render.text import problem_line

        super().__init__(problem_line(path, line, column, message, rule))
        self.path = path
        self.line = line
        self.column = column
        self.message = message
        self.rule = rule
