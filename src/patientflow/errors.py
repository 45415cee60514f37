"""Errors a user can fix: bad configuration and bad data files, with messages naming the place."""

from __future__ import annotations

from dataclasses import dataclass

# At most this many problems are printed; the rest are counted ("and N more").
SHOWN_PROBLEMS = 50


def shown(lines: list[str], limit: int = SHOWN_PROBLEMS) -> list[str]:
    """The first `limit` lines, and a last line counting the ones left out."""
    if len(lines) <= limit:
        return list(lines)
    return [*lines[:limit], f"and {len(lines) - limit} more"]


class PatientflowError(Exception):
    """An error caused by the user's input; the CLI prints it as lines and exits with code 2."""

    def lines(self) -> list[str]:
        return [str(self)]


class ConfigError(PatientflowError):
    """A configuration value that is well-typed but not meaningful."""

    def __init__(self, key: str, value: object, reason: str) -> None:
        self.key, self.value, self.reason = key, value, reason
        super().__init__(f"{key}={value!r}: {reason}")


class ConfigErrors(ConfigError):
    """Several configuration problems, found in one pass; `key` and `reason` are the first's."""

    def __init__(self, problems: list[ConfigError]) -> None:
        self.problems = problems
        first = problems[0]
        super().__init__(first.key, first.value, first.reason)
        self.args = (f"{len(problems)} problems in the configuration: {first} (and more)",)

    @property
    def keys(self) -> list[str]:
        return [p.key for p in self.problems]

    def lines(self) -> list[str]:
        return shown([str(p) for p in self.problems])


@dataclass(frozen=True)
class Problem:
    """One problem in a data file: where (file, row, column) and what."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


class DataError(PatientflowError):
    """One or more problems found while loading data tables."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        n = len(problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the data: {problems[0]}"
        super().__init__(head + (f" (and {n - 1} more)" if n > 1 else ""))

    def lines(self) -> list[str]:
        return shown([str(p) for p in self.problems])
