"""Database errors as one line a user can act on, never with the password."""

from __future__ import annotations


class StoreError(RuntimeError):
    """A database problem a user can act on (locked, full, unreachable, bad URL)."""


def explain(exc: Exception, url: str) -> StoreError:
    """Turn a driver error into one line that says what to do."""
    msg = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
    low = msg.lower()
    if "locked" in low:
        hint = (
            "another process holds a write lock; wait for it or use PostgreSQL for parallel writers"
        )
    elif "disk" in low and ("full" in low or "space" in low):
        hint = "the disk is full; free space and run the same command again"
    elif "connect" in low or "could not translate" in low or "unable to open" in low:
        hint = "check the --db URL and that the server is running"
    else:
        hint = "see the database message"
    return StoreError(f"database {redact(url)}: {msg} ({hint})")


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        return f"{scheme}://{creds.split(':', 1)[0]}:***@{host}"
    return url
