"""The engine's threading policy: same results whatever ``n_jobs``, bounded threads.

What is checked (no timing assertions; speed lives in ``benchmarks/``):

* ``n_jobs=2`` and ``n_jobs=-1`` give bit-identical results to ``n_jobs=1``
  when threads are really used (the work threshold is lowered so that small
  test inputs are split, and the engine's counters confirm a helper ran);
* below the work threshold the engine stays in the calling thread;
* 4 Python threads calling ``transform`` at once, and ``joblib.Parallel``
  with the threading backend, give correct results while the live thread
  count stays within the documented bound: the threads the caller made,
  plus at most ``max_threads() - 1`` pooled engine threads per process;
* an error in one block reaches the caller and frees the budget;
* a forked child process can use the engine (the pool is rebuilt);
* inside joblib's loky workers, ``max_threads()`` follows the worker's
  ``NUMBA_NUM_THREADS`` share.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time

import joblib
import numpy as np
import pytest

import sklaudio._engine as engine
from sklaudio import MFCC, AudioFeatures, SpectralCentroid
from sklaudio._engine import (
    FrameSpec,
    engine_thread_stats,
    max_threads,
    plan_frames,
    reset_engine_thread_stats,
    run_features,
)
from sklaudio._validation import check_clips
from sklaudio.functional import mfcc

SR = 8000
KW = dict(sample_rate=SR, n_fft=256, hop_length=80)
FEATURES = ("mfcc", "chroma", "spectral_centroid", "spectral_contrast", "rms",
            "zero_crossing_rate", "spectral_flatness")


def _clips(n=12, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(SR * 2) / SR
    out = []
    for i in range(n):
        x = 0.3 * np.sin(2 * np.pi * (200 + 150 * i) * t) + 0.1 * rng.standard_normal(t.size)
        out.append(x[: int(rng.integers(SR // 4, 2 * SR))].astype(np.float32))
    return out


CLIPS = _clips()
MULTI = max_threads() >= 2


@pytest.fixture
def split_small_inputs(monkeypatch):
    """Lower the work threshold so that the small test inputs use threads."""
    monkeypatch.setattr(engine, "MIN_SAMPLES_PER_THREAD", 1)


def _estimators(n_jobs):
    return [MFCC(n_mels=40, n_mfcc=13, n_jobs=n_jobs, **KW),
            AudioFeatures(features=FEATURES, n_mels=40, contrast_n_bands=3, n_jobs=n_jobs, **KW),
            SpectralCentroid(n_jobs=n_jobs, dtype="float64", **KW)]


@pytest.mark.parametrize("n_jobs", [2, -1])
def test_threads_give_identical_results(split_small_inputs, n_jobs):
    for one, many in zip(_estimators(None), _estimators(n_jobs)):
        ref = one.fit(CLIPS).transform(CLIPS)
        ref_frames = one.transform_frames(CLIPS)
        reset_engine_thread_stats()
        got = many.fit(CLIPS).transform(CLIPS)
        got_frames = many.transform_frames(CLIPS)
        if MULTI:
            assert engine_thread_stats()["peak_helpers"] >= 1, "no helper thread was used"
        np.testing.assert_array_equal(got, ref)
        for a, b in zip(got_frames, ref_frames):
            np.testing.assert_array_equal(a, b)
    y = np.stack([c[:SR // 4] for c in CLIPS])
    np.testing.assert_array_equal(mfcc(y, n_jobs=n_jobs, **KW), mfcc(y, **KW))


def test_small_inputs_stay_in_the_calling_thread():
    """Below MIN_SAMPLES_PER_THREAD (frames x n_fft) no helper is borrowed."""
    clips = CLIPS[:2]
    batch = check_clips(clips)
    plan = plan_frames(batch, n_fft=256, hop_length=80, win_length=None, window="hann",
                       center=True, pad_mode="constant", dtype=np.float32)
    assert plan.n_frames * 256 < 2 * engine.MIN_SAMPLES_PER_THREAD
    reset_engine_thread_stats()
    MFCC(n_jobs=-1, **KW).fit(clips).transform(clips)
    assert engine_thread_stats()["peak_helpers"] == 0
    assert engine.plan_threads(-1, plan.n_frames * 256) == 1
    assert engine.plan_threads(-1, 10**9) == max_threads()
    assert engine.plan_threads(None, 10**9) == 1


def _engine_threads():
    return sum(t.name.startswith("sklaudio-engine") for t in threading.enumerate())


def test_budget_lends_helpers_only_within_max_threads():
    b = engine._ThreadBudget()
    assert b.enter(3, 2) == 1          # the caller plus one helper fill a budget of 2
    assert b.enter(3, 2) == 0          # spent: the second caller runs alone
    assert b.active == 3 and b.peak_helpers == 1
    b.leave(0)
    b.leave(1)
    assert b.active == 0
    assert b.enter(0, 4) == 0          # a single-threaded caller still counts
    assert b.enter(5, 4) == 2          # 1 + (1 + 2) = 4
    b.leave(2)
    b.leave(0)
    assert b.active == 0


@pytest.mark.parametrize("weights", [None, "skewed"])
def test_run_blocks_covers_every_item_once(weights):
    n = 1000
    w = None if weights is None else np.cumsum(np.r_[0, np.linspace(1, 50, n)])
    seen = np.zeros(n, np.int64)
    lock = threading.Lock()

    def work(a, b):
        with lock:
            seen[a:b] += 1

    used = engine.run_blocks(work, n, 2, weights=w)
    assert seen.tolist() == [1] * n
    assert 1 <= used <= min(2, max_threads())
    assert engine.run_blocks(work, 0, 2) == 0


class _ThreadSampler:
    """Samples the live threads in the background while a block runs.

    ``peak``: most threads alive at once (``threading.active_count()``);
    ``peak_engine``: most engine pool threads alive at once (named
    ``sklaudio-engine*``).
    """

    def __enter__(self):
        self.peak = threading.active_count()
        self.peak_engine = _engine_threads()
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()
        return self

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, threading.active_count())
            self.peak_engine = max(self.peak_engine, _engine_threads())
            time.sleep(0.0005)

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()


def _bound(baseline, extra_threads):
    """Documented bound: the threads alive before (pool threads of earlier calls
    included), the threads the caller makes, the sampler, and at most
    ``max_threads() - 1`` pooled engine threads."""
    return baseline + extra_threads + 1 + (max_threads() - 1)


def test_concurrent_python_threads_stay_bounded(split_small_inputs):
    est = AudioFeatures(features=FEATURES, n_mels=40, contrast_n_bands=3, n_jobs=-1,
                        **KW).fit(CLIPS)
    ref = AudioFeatures(features=FEATURES, n_mels=40, contrast_n_bands=3,
                        **KW).fit(CLIPS).transform(CLIPS)
    baseline = threading.active_count()
    results = [None] * 4
    errors = []
    start = threading.Barrier(4)

    def call(i):
        try:
            start.wait()
            for _ in range(3):
                results[i] = est.transform(CLIPS)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    reset_engine_thread_stats()
    with _ThreadSampler() as sampler:
        threads = [threading.Thread(target=call, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors, errors
    for r in results:
        np.testing.assert_array_equal(r, ref)
    stats = engine_thread_stats()
    assert sampler.peak <= _bound(baseline, 4), (sampler.peak, baseline, stats)
    assert sampler.peak_engine <= max_threads() - 1
    assert stats["pool_threads"] <= max_threads() - 1
    assert stats["peak_helpers"] <= max_threads() - 1
    # threads doing engine work: the 4 callers plus at most max_threads() - 1 helpers
    # (a helper is lent only while callers + helpers fit in max_threads())
    assert stats["peak"] <= 4 + max_threads() - 1
    assert stats["active"] == 0


def test_joblib_threading_backend_stays_bounded(split_small_inputs):
    est = MFCC(n_mels=40, n_mfcc=13, n_jobs=-1, **KW).fit(CLIPS)
    ref = MFCC(n_mels=40, n_mfcc=13, **KW).fit(CLIPS)
    parts = [CLIPS[i::4] for i in range(4)]
    baseline = threading.active_count()
    reset_engine_thread_stats()
    with _ThreadSampler() as sampler:
        got = joblib.Parallel(n_jobs=2, backend="threading")(
            joblib.delayed(est.transform)(p) for p in parts)
    for g, p in zip(got, parts):
        np.testing.assert_array_equal(g, ref.transform(p))
    stats = engine_thread_stats()
    # joblib's threading backend is a multiprocessing ThreadPool: 2 workers + 3 handlers
    assert sampler.peak <= _bound(baseline, 2 + 3), (sampler.peak, baseline, stats)
    assert sampler.peak_engine <= max_threads() - 1
    assert stats["pool_threads"] <= max_threads() - 1
    assert stats["active"] == 0


def test_dask_threaded_workers_stay_bounded(split_small_inputs):
    dask = pytest.importorskip("dask")
    est = MFCC(n_mels=40, n_mfcc=13, n_jobs=-1, **KW).fit(CLIPS)
    ref = MFCC(n_mels=40, n_mfcc=13, **KW).fit(CLIPS)
    parts = [CLIPS[i::4] for i in range(4)]
    baseline = threading.active_count()
    reset_engine_thread_stats()
    with _ThreadSampler() as sampler:
        tasks = [dask.delayed(est.transform)(p) for p in parts]
        got = dask.compute(*tasks, scheduler="threads", num_workers=4)
    for g, p in zip(got, parts):
        np.testing.assert_array_equal(g, ref.transform(p))
    stats = engine_thread_stats()
    # dask's threaded scheduler: at most num_workers pool threads doing our work
    assert sampler.peak <= _bound(baseline, 4), (sampler.peak, baseline, stats)
    assert sampler.peak_engine <= max_threads() - 1
    assert stats["pool_threads"] <= max_threads() - 1
    assert stats["peak"] <= 4 + max_threads() - 1
    assert stats["active"] == 0


def test_an_error_in_a_block_reaches_the_caller_and_frees_the_budget(split_small_inputs):
    batch = check_clips(CLIPS)
    plan = plan_frames(batch, n_fft=256, hop_length=80, win_length=None, window="hann",
                       center=True, pad_mode="constant", dtype=np.float32)
    caller = threading.get_ident()

    def reduce(S, out):
        out[:, 0] = S[:, 0]
        if threading.get_ident() != caller or not MULTI:  # fail in a helper block
            raise RuntimeError("boom in a block")

    spec = FrameSpec(n_out=1, reduce=reduce, input="spectrum")
    with pytest.raises(RuntimeError, match="boom"):
        run_features(batch, plan, [spec], n_jobs=2)
    assert engine_thread_stats()["active"] == 0
    # and the engine still works afterwards
    ok = FrameSpec(n_out=1, reduce=lambda S, out: np.sum(S, axis=1, out=out[:, 0]))
    assert run_features(batch, plan, [ok], n_jobs=2)[0].shape == (plan.n_frames, 1)


def _child(queue):
    try:
        engine.MIN_SAMPLES_PER_THREAD = 1
        est = MFCC(n_mels=40, n_mfcc=13, n_jobs=2, **KW).fit(CLIPS)
        queue.put(est.transform(CLIPS))
    except BaseException as exc:  # noqa: BLE001 - sent to the parent
        queue.put(repr(exc))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_forked_child_can_use_the_engine(split_small_inputs):
    ref = MFCC(n_mels=40, n_mfcc=13, n_jobs=2, **KW).fit(CLIPS).transform(CLIPS)  # pool exists
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(queue,))
    proc.start()
    got = queue.get(timeout=120)
    proc.join(timeout=60)
    assert not isinstance(got, str), got
    np.testing.assert_array_equal(got, ref)


def _worker_limits():
    from sklaudio._engine import max_threads as mt

    return mt(), os.environ.get("NUMBA_NUM_THREADS")


def test_loky_workers_get_their_share():
    n_cpu = joblib.cpu_count()
    got = joblib.Parallel(n_jobs=2, backend="loky")(
        joblib.delayed(_worker_limits)() for _ in range(2))
    for n, env in got:
        expected = int(env) if env is not None else n_cpu
        assert 1 <= n <= max(1, expected)
        if "NUMBA_NUM_THREADS" not in os.environ and env is not None:
            assert int(env) <= max(1, n_cpu // 2)  # joblib's share, not every core
