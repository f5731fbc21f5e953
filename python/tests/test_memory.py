"""The memory pool of large results: a dead result's block is handed out
again, every pixel of it rewritten; never while a view can still see it."""
import numpy as np
import pytest
import scipy.ndimage as sp

import tessel
from tessel import ndimage as tn
from tessel import _memory

from conftest import assert_matches, random_array

SHAPE = (640, 600)  # float32: 1.5 MB, above the pool's threshold


@pytest.fixture
def pool():
    before = tessel.memory_pool()["limit"]
    tessel.set_memory_pool(0)  # start empty
    tessel.set_memory_pool(64 << 20)
    yield
    tessel.set_memory_pool(before)


def test_reused_blocks_are_rewritten(rng, pool):
    a = random_array(rng, SHAPE, np.float32)
    first = tn.gaussian_filter(a, 2)
    assert first.nbytes >= _memory.POOLED_FROM and first.flags.c_contiguous
    first.fill(np.nan)  # poison: the next result reuses this block
    del first
    reused = tessel.memory_pool()["reused"]
    for mode in ("reflect", "wrap", "constant"):
        again = tn.gaussian_filter(a, 2, mode=mode)
        assert tessel.memory_pool()["reused"] > reused
        assert_matches(again, sp.gaussian_filter(a.astype(np.float64), 2, mode=mode), np.float32)
        again.fill(np.nan)
        reused = tessel.memory_pool()["reused"]
        del again


def test_views_keep_their_block(rng, pool):
    a = random_array(rng, SHAPE, np.float32)
    view = tn.uniform_filter(a, 5)[100:200, ::3]
    kept = view.copy()
    for _ in range(3):
        other = tn.uniform_filter(a, 7)
        assert not np.shares_memory(other, view)
    assert np.array_equal(view, kept)


def test_limit_and_small_arrays(rng, pool):
    tn.gaussian_filter(random_array(rng, SHAPE, np.float32), 1)
    assert tessel.memory_pool()["unused_blocks"] >= 1
    tessel.set_memory_pool(0)
    info = tessel.memory_pool()
    assert info["unused_bytes"] == 0 and info["unused_blocks"] == 0
    # small results and other dtypes are ordinary NumPy arrays
    assert tn.gaussian_filter(np.ones((8, 8), np.float32), 1).base is None
    assert _memory.empty(SHAPE, np.float64).base is None
    with pytest.raises(ValueError, match="max_bytes"):
        tessel.set_memory_pool(-1)
