"""Clock times as written in configs and tables ("HH:MM", 00:00-23:59): the one parser."""

from __future__ import annotations

import re

CLOCK_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d$"
_CLOCK = re.compile(CLOCK_PATTERN)


def is_clock(text: object) -> bool:
    """True for a valid "HH:MM" clock time."""
    return isinstance(text, str) and _CLOCK.match(text) is not None


def clock_minutes(text: str) -> int:
    """Minutes after midnight of a "HH:MM" clock time; ValueError for anything else."""
    if not is_clock(text):
        raise ValueError(f"not a clock time HH:MM: {text!r}")
    return int(text[:2]) * 60 + int(text[3:])
