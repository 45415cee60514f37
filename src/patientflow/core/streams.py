"""Named random streams. Every draw in every job comes from a stream named by its purpose
(`streams.rng("acute", "arrivals", "call_112")`), all derived from one
`SeedSequence([sim.seed, replication])`. A stream's seed depends only on its name, not on
which other streams exist or in what order they are made, so adding a draw, or changing how
much one channel draws, leaves every other stream unchanged: the same replication seed gives
the same patients in every scenario that keeps their rates (common random numbers)."""

from __future__ import annotations

import zlib

import numpy as np


def name_key(name: str) -> int:
    """A stable 32-bit key for a stream name (CRC-32 of its UTF-8 bytes)."""
    return zlib.crc32(name.encode("utf-8"))


class Streams:
    """The random streams of one replication of one configuration."""

    def __init__(self, seed: int, replication: int) -> None:
        self.seed, self.replication = int(seed), int(replication)
        # Each must be one 32-bit word: SeedSequence reads [5 + 2**32, 0] as the words
        # [5, 1, 0], which it mixes as it mixes [5, 1] (replication 1 of seed 5).
        for name, value in (("seed", self.seed), ("replication", self.replication)):
            if not 0 <= value < 2**32:
                raise ValueError(f"{name} must be in [0, 2**32), not {value}")
        self._root = np.random.SeedSequence([self.seed, self.replication])

    def seed_sequence(self, *names: str) -> np.random.SeedSequence:
        """The seed sequence of the stream at this path of names."""
        return np.random.SeedSequence(
            self._root.entropy, spawn_key=tuple(name_key(n) for n in names)
        )

    def rng(self, *names: str) -> np.random.Generator:
        """A fresh generator for the stream at this path of names."""
        return np.random.default_rng(self.seed_sequence(*names))
