"""Every computing call releases the GIL: another Python thread keeps running
while tessel computes, and threads computing at once use several cores."""
import threading
import time

import numpy as np
import pytest

import tessel
from tessel import ndimage as tn, signal as ts

BIG = np.random.default_rng(0).random((2048, 2048), dtype=np.float32)
DENSE = np.random.default_rng(1).random((25, 25))  # not separable: direct

CALLS = {
    "filter": lambda: tessel.filter(BIG, "gaussian:sigma=6", method="direct"),
    "ndimage": lambda: tn.correlate(BIG, DENSE),
    "signal": lambda: ts.convolve2d(BIG, DENSE, "same"),
    # a window that is no box: running sums would make the call too short to tell
    "convolve": lambda: tessel.convolve(BIG.ravel(), np.hanning(301).astype(np.float32)),
    "deconvolve": lambda: tessel.deconvolve(BIG[:512, :512], "gaussian:sigma=2",
                                            method="richardson-lucy", iterations=40),
    "match_template": lambda: tessel.match_template(BIG, BIG[100:125, 100:125]),
}


def longest_pause_while(call):
    """The longest time this thread could not run Python while `call` ran in another."""
    done = threading.Event()

    def work():
        with tessel.using_device("cpu", threads=1):
            call()
        done.set()

    worker = threading.Thread(target=work)
    start = time.perf_counter()
    worker.start()
    last, longest = time.perf_counter(), 0.0
    while not done.is_set():
        now = time.perf_counter()
        longest = max(longest, now - last)
        last = now
    worker.join()
    return longest, time.perf_counter() - start


@pytest.mark.parametrize("name", sorted(CALLS))
def test_python_runs_during_the_call(name):
    with tessel.using_device("cpu", threads=1):
        CALLS[name]()  # warm: plans and caches made
    pause, total = longest_pause_while(CALLS[name])
    # Holding the GIL would stop this thread for the whole call. The calls
    # take 40 ms or more on a 2-core AVX-512 machine; 20 ms still tells a
    # pause of a whole call from the scheduler's.
    assert total > 0.02, "the call is too short to tell"
    assert pause < 0.5 * total, (pause, total)


def test_threads_compute_at_once():
    """A short call on one thread starts and ends while a long call runs on
    another: with the GIL held through a call, the short one could only start
    after the long one returned. (Ordering, not speed: bench/python_compare.py
    measures how much faster N threads are.)"""
    started, times = threading.Event(), {}

    def long_call():
        times["long"] = [time.perf_counter()]
        started.set()
        with tessel.using_device("cpu", threads=1):
            tn.correlate(BIG, DENSE)
        times["long"].append(time.perf_counter())

    with tessel.using_device("cpu", threads=1):
        tn.correlate(BIG, DENSE)
        tn.correlate(BIG[:256, :256], DENSE)
    worker = threading.Thread(target=long_call)
    worker.start()
    started.wait()
    time.sleep(0.02)
    with tessel.using_device("cpu", threads=1):
        short_start = time.perf_counter()
        tn.correlate(BIG[:256, :256], DENSE)
        short_end = time.perf_counter()
    worker.join()
    assert times["long"][0] < short_start and short_end < times["long"][1], (times, short_start, short_end)
