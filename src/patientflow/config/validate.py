"""The one way a configuration value is checked: `Problems` collects every problem of a
configuration in one pass (so a user sees them all at once) and `Problems.number` is the
single rule for numbers — finite first, then inside its range — so NaN and infinity cannot
slip past a comparison written as `x < 0`."""

from __future__ import annotations

import math
from dataclasses import fields, is_dataclass
from enum import Enum

from patientflow.errors import ConfigError, ConfigErrors


class Problems:
    """Configuration problems found so far, each a ConfigError naming its key."""

    def __init__(self) -> None:
        self.items: list[ConfigError] = []
        self._not_finite: set[str] = set()

    def add(self, key: str, value: object, reason: str) -> None:
        self.items.append(ConfigError(key, value, reason))

    def extend(self, errors: list[ConfigError]) -> None:
        self.items.extend(errors)

    def number(
        self,
        key: str,
        value: float,
        *,
        low: float | None = None,
        high: float | None = None,
        low_open: bool = False,
        high_open: bool = False,
        integer: bool = False,
    ) -> bool:
        """Check one number: finite, whole where `integer`, within [low, high] (or open at
        either end); add one problem naming the key when it is not. True when it is fine."""
        if key in self._not_finite:
            return False
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(key, value, "must be a number")
            return False
        if not math.isfinite(value):
            self._not_finite.add(key)
            self.add(key, value, "must be a finite number")
            return False
        if integer and value != int(value):
            self.add(key, value, "must be a whole number")
            return False
        below = low is not None and (value <= low if low_open else value < low)
        above = high is not None and (value >= high if high_open else value > high)
        if below or above:
            self.add(key, value, _range_text(low, high, low_open, high_open))
            return False
        return True

    def share(self, key: str, value: float) -> bool:
        """A share: a number from 0 to 1."""
        return self.number(key, value, low=0.0, high=1.0)

    def positive(self, key: str, value: float) -> bool:
        return self.number(key, value, low=0.0, low_open=True)

    def non_negative(self, key: str, value: float) -> bool:
        return self.number(key, value, low=0.0)

    def finite_everywhere(self, node: object, prefix: str = "") -> None:
        """Every float anywhere in a config tree (dataclasses, lists, dicts) must be finite;
        the checks of each key then see only finite values."""
        if is_dataclass(node):
            for f in fields(node):
                self.finite_everywhere(getattr(node, f.name), _join(prefix, f.name))
        elif isinstance(node, dict):
            for k, v in node.items():
                self.finite_everywhere(v, _join(prefix, str(k)))
        elif isinstance(node, list | tuple):
            for i, v in enumerate(node):
                self.finite_everywhere(v, f"{prefix}[{i}]")
        elif isinstance(node, float) and not math.isfinite(node):
            self._not_finite.add(prefix)
            self.add(prefix, node, "must be a finite number")
        elif isinstance(node, Enum | str | int | bool) or node is None:
            return

    def raise_if_any(self) -> None:
        """Raise every problem found, together (ConfigErrors), when there is any."""
        if len(self.items) == 1:
            raise self.items[0]
        if self.items:
            raise ConfigErrors(self.items)


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _range_text(low: float | None, high: float | None, low_open: bool, high_open: bool) -> str:
    if low is not None and high is not None:
        lb, hb = ("(" if low_open else "["), (")" if high_open else "]")
        if low == 0 and high == 1 and not low_open and not high_open:
            return "must be a share between 0 and 1"
        return f"must be in {lb}{low:g}, {high:g}{hb}"
    if low is not None:
        if low == 0:
            return "must be greater than 0" if low_open else "must not be negative"
        return f"must be greater than {low:g}" if low_open else f"must be at least {low:g}"
    return f"must be below {high:g}" if high_open else f"must be at most {high:g}"
