"""Named random streams: a stream's draws depend on its name, the seed and the replication,
and on nothing else."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patientflow.core.streams import Streams

names = st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=3)


@settings(max_examples=40, deadline=None)
@given(path=names, other=names, seed=st.integers(0, 2**32 - 1), rep=st.integers(0, 50))
def test_a_stream_is_fixed_by_its_name_seed_and_replication(path, other, seed, rep):
    first = Streams(seed, rep)
    first.rng(*other).random(7)  # another stream made and used first changes nothing
    a = first.rng(*path).random(5)
    b = Streams(seed, rep).rng(*path).random(5)
    np.testing.assert_array_equal(a, b)
    if other != path:
        assert not np.array_equal(a, Streams(seed, rep).rng(*other).random(5))


def test_replications_and_seeds_give_other_draws():
    base = Streams(1, 0).rng("acute", "arrivals", "call_112").random(5)
    assert not np.array_equal(base, Streams(1, 1).rng("acute", "arrivals", "call_112").random(5))
    assert not np.array_equal(base, Streams(2, 0).rng("acute", "arrivals", "call_112").random(5))


@pytest.mark.parametrize("seed, rep", [(5 + 2**32, 0), (5, 2**32), (-1, 0)])
def test_a_seed_or_replication_beyond_one_32_bit_word_is_refused(seed, rep):
    """SeedSequence mixes the words of [5 + 2**32, 0] as those of [5, 1]: that seed's first
    replication drew every patient of seed 5's second."""
    same = np.random.SeedSequence([5 + 2**32, 0]).generate_state(4)
    np.testing.assert_array_equal(same, np.random.SeedSequence([5, 1]).generate_state(4))
    with pytest.raises(ValueError, match="2\\*\\*32"):
        Streams(seed, rep)
