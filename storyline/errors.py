"""One exception hierarchy for Storyline.

Every error a user can cause or meet derives from :class:`StorylineError` and carries a
message written for that user (what went wrong, and what to do).  The CLI prints
``error: <message>`` on stderr and exits non-zero; it never shows a traceback for these.
"""

from __future__ import annotations


class StorylineError(Exception):
    """Base class of every error Storyline raises on purpose."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class ConfigError(StorylineError):
    """A setting, option or user file is invalid."""

    exit_code = 2


# --- input -----------------------------------------------------------------------------


class InputError(StorylineError):
    """One input (file, URL, record) cannot be read; the batch records a skip and goes on."""


class UnsupportedInput(InputError):
    """The input is of a kind Storyline does not read (binary, empty, unknown format)."""


class InputTooLarge(InputError):
    """The input, or what it decompresses to, exceeds the configured size limit."""


class ExtractionTimeout(InputError):
    """Extracting text from one input took longer than the configured limit."""


class FetchError(InputError):
    """A URL could not be fetched (network error, bad status, too slow, too big)."""


class UnsafeURL(FetchError):
    """A URL points to a private, loopback or otherwise forbidden address (SSRF guard)."""


# --- store -----------------------------------------------------------------------------


class StoreError(StorylineError):
    """The database cannot be used."""


class StoreLocked(StoreError):
    """Another process holds the write lock on the store (e.g. a second ingest)."""


class CorruptStore(StoreError):
    """The database file is damaged or not a Storyline store."""


class SchemaTooNew(StoreError):
    """The store was written by a newer Storyline than this one."""


class NotFound(StorylineError):
    """A requested document, actor, event or other item does not exist."""


# --- stages and evaluation ----------------------------------------------------------------


class StageError(StorylineError):
    """A pipeline stage failed on one document or could not be planned."""


class ModelUnavailable(StorylineError):
    """A model or packaged data set that a stage needs is not installed."""


class EvalDataError(StorylineError):
    """An evaluation data set is missing or not in the expected format."""
