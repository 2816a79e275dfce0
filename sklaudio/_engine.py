"""Chunked frames-first engine shared by ``functional`` and the estimators.

All frames of all clips are numbered globally. The engine walks them in
cache-sized chunks: frame a chunk (Numba), ``scipy.fft.rfft`` it (one call),
reduce it with one fused Numba pass, and write the reduced rows into one
frames-first output array ``(n_frames_total, n_features)``. Clips are never
processed one by one in Python, and memory beyond the output stays bounded by
the chunk size.

Threading
---------
``n_jobs`` (scikit-learn's meaning) asks for threads over contiguous blocks
of frames; each thread runs single-threaded Numba kernels (``nogil``) and
single-worker FFTs (``workers=1``), so no library below spawns threads of its
own. The number of threads actually used is

``min(effective_n_jobs(n_jobs), max_threads(), work // MIN_SAMPLES_PER_THREAD)``

with ``work = n_frames * n_fft`` (:func:`plan_threads`), further limited by
a process-wide budget:

* :func:`max_threads` is the number of CPUs this process may run on
  (``os.sched_getaffinity``), capped by ``numba.config.NUMBA_NUM_THREADS``
  (which joblib's loky workers set to their share of the cores, e.g. 1 with
  ``Parallel(n_jobs=n_cores)``), so nested use inside joblib workers does not
  multiply threads;
* :data:`MIN_SAMPLES_PER_THREAD` (frames x ``n_fft`` per thread, about
  1 ms of work; passes without an FFT count :data:`NO_FFT_WORK` per sample):
  below it a thread costs more than it saves (measured; see the constant);
* every engine call, from whatever thread (user threads, joblib's threading
  backend, Dask worker threads), counts itself and the helpers it borrows
  against one budget of :func:`max_threads` threads: helpers are lent only
  while callers plus helpers fit in it, and a call that finds the budget
  spent runs in its calling thread alone. The helpers come from one
  module-level pool of ``max_threads() - 1`` threads, created on first use
  and reused (no pool is created per call). So the engine never starts more
  than ``max_threads() - 1`` threads in a process, and the threads doing
  engine work at once are at most the concurrent callers plus
  ``max_threads() - 1``, whatever their number (a forked child starts with
  a fresh pool).

The calling thread always computes a block itself. Results never depend on
the number of threads (each frame goes through the same arithmetic).
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait as _wait_futures
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numba
import numpy as np
import scipy.fft

from . import filters
from ._kernels.spectral import (
    power_filterbank,
    spectrum_mag_power,
    spectrum_power,
)
from ._kernels.stft import PAD_MODES, frame_chunk
from ._params import check_stft
from ._validation import ClipBatch

#: Bytes of float frames per chunk for a pass with one feature (32 frames of n_fft 2048 in
#: float64, 64 in float32, plus :data:`CHUNK_PAD_FRAMES`). A pass with ``k`` features uses
#: ``min(k, MAX_CHUNK_SCALE)`` times more (a pass without an FFT at least
#: :data:`NO_FFT_CHUNK_SCALE` times). Measured (1 thread, 128 KiB..1 MiB): MFCC alone is
#: fastest at 192-256 KiB, where the frames, their rFFT and the power band stay in the 2 MiB
#: L2 cache (W1-like n_fft 2048: -5%, FSDD n_fft 256: -15%, 16 kHz n_fft 512: -9% against
#: 1 MiB); AudioFeatures with 7 features is fastest at 1 MiB (2-4% better than 256 KiB), the
#: larger chunks amortising each feature's per-chunk call (Python, Numba dispatch, scratch).
CHUNK_BYTES = 1 << 18

#: Largest multiple of :data:`CHUNK_BYTES` used for passes with several features.
MAX_CHUNK_SCALE = 4

#: Multiple of :data:`CHUNK_BYTES` for passes without an FFT (time-domain features). Measured
#: (16 kHz, 1000 x 1 s, frame 512): RMS 19.9 / 18.4 / 20.0 ms at 256 KiB / 512 KiB / 1 MiB on
#: one thread, 18.8 / 13.8 / 13.4 ms on two; zero-crossing rate alike.
NO_FFT_CHUNK_SCALE = 2


#: Least work per thread, in FFT samples (frames x ``n_fft``), before the engine adds a
#: thread: 512 Ki samples, about 1.3 ms of MFCC (2.5 ns per frame sample). Measured on
#: 2 cores: handing a block to the pooled thread and joining it costs 30-50 us, plus the
#: thread's scratch buffers (~0.1 ms); with 128-256 Ki samples per thread n_jobs=2 was up
#: to 50% slower than one thread (MFCC, centroid, RMS; n_fft 512 and 2048), from about
#: 512 Ki samples on it was not slower (and 1.3-1.7x faster on large inputs).
MIN_SAMPLES_PER_THREAD = 1 << 19

#: Passes without an FFT (time-domain features on raw frames: RMS, zero crossings, LPC...)
#: cost about 1/6 of an FFT pass per sample (RMS: 0.35 ns, MFCC: 2.5 ns per frame sample at
#: n_fft 512), so their frame samples count for this fraction of FFT work.
NO_FFT_WORK = 1.0 / 6.0


def effective_n_jobs(n_jobs) -> int:
    """scikit-learn's meaning of ``n_jobs``: None -> 1, -1 -> all cores, -2 -> all but one."""
    if n_jobs is None or n_jobs == 0:
        return 1
    n_cpu = os.cpu_count() or 1
    if n_jobs < 0:
        return max(1, n_cpu + 1 + int(n_jobs))
    return int(n_jobs)


def max_threads() -> int:
    """Most threads the engine runs at once in this process (callers included).

    The CPUs this process may run on (``os.sched_getaffinity``, else
    ``os.cpu_count()``), capped by ``numba.config.NUMBA_NUM_THREADS`` (set
    from the ``NUMBA_NUM_THREADS`` environment variable, which joblib's loky
    workers set to their share of the cores). At least 1.
    """
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        n = os.cpu_count() or 1
    return max(1, min(n, int(numba.config.NUMBA_NUM_THREADS)))


class _ThreadBudget:
    """Process-wide count of threads doing engine work (callers and pooled helpers)."""

    def __init__(self):
        self._lock = threading.Lock()
        self.active = 0
        self.peak = 0
        self.peak_helpers = 0
        self._helpers = 0

    def enter(self, want_helpers: int, limit: int) -> int:
        """Count the calling thread; return how many helpers it may use (0 .. want_helpers)."""
        with self._lock:
            self.active += 1
            grant = max(0, min(int(want_helpers), limit - self.active))
            self.active += grant
            self._helpers += grant
            self.peak = max(self.peak, self.active)
            self.peak_helpers = max(self.peak_helpers, self._helpers)
            return grant

    def leave(self, grant: int) -> None:
        with self._lock:
            self.active -= 1 + grant
            self._helpers -= grant

    def reset_peaks(self) -> None:
        with self._lock:
            self.peak = self.active
            self.peak_helpers = self._helpers


_BUDGET = _ThreadBudget()
_POOL: ThreadPoolExecutor | None = None
_POOL_SIZE = 0
_POOL_LOCK = threading.Lock()


def _pool(n_helpers: int) -> ThreadPoolExecutor:
    """The shared helper pool, at least ``n_helpers`` threads wide (created on first use)."""
    global _POOL, _POOL_SIZE
    with _POOL_LOCK:
        if _POOL is None or _POOL_SIZE < n_helpers:
            old = _POOL
            _POOL_SIZE = max(n_helpers, max_threads() - 1, 1)
            _POOL = ThreadPoolExecutor(max_workers=_POOL_SIZE,
                                       thread_name_prefix="sklaudio-engine")
            if old is not None:
                old.shutdown(wait=False)
        return _POOL


def _forget_pool_after_fork() -> None:
    # a forked child has none of the parent's threads: start from scratch
    global _POOL, _POOL_SIZE, _BUDGET, _POOL_LOCK
    _POOL = None
    _POOL_SIZE = 0
    _BUDGET = _ThreadBudget()
    _POOL_LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool_after_fork)


def engine_thread_stats() -> dict:
    """Counters of the process-wide thread budget (for tests and diagnostics).

    Returns ``{"max_threads", "active", "peak", "peak_helpers", "pool_threads"}``:
    ``active`` threads doing engine work now (callers and helpers), the
    ``peak`` of that count and of the helpers alone since the last
    :func:`reset_engine_thread_stats`, and the threads the shared pool has
    started (never more than ``max_threads() - 1``).
    """
    pool = _POOL
    return {"max_threads": max_threads(), "active": _BUDGET.active, "peak": _BUDGET.peak,
            "peak_helpers": _BUDGET.peak_helpers,
            "pool_threads": 0 if pool is None else len(getattr(pool, "_threads", ()))}


def reset_engine_thread_stats() -> None:
    """Restart the peaks of :func:`engine_thread_stats` from the current counts."""
    _BUDGET.reset_peaks()


def plan_threads(n_jobs, work_samples: float) -> int:
    """Threads worth using for ``work_samples`` samples of FFT work (before the budget).

    ``min(effective_n_jobs(n_jobs), max_threads(), work_samples // MIN_SAMPLES_PER_THREAD)``,
    at least 1 (see :data:`MIN_SAMPLES_PER_THREAD`; frames-only passes count
    :data:`NO_FFT_WORK` per sample).
    """
    n = min(effective_n_jobs(n_jobs), max_threads())
    if n > 1:
        n = min(n, int(work_samples // max(1, int(MIN_SAMPLES_PER_THREAD))))
    return max(1, n)


def run_blocks(work: Callable[[int, int], None], n_items: int, n_threads: int,
               weights: np.ndarray | None = None) -> int:
    """Run ``work(start, stop)`` over contiguous blocks of ``range(n_items)`` in threads.

    The calling thread runs the first block; the others go to the shared
    pool, as many as the process-wide budget grants (see the module
    docstring), so fewer than ``n_threads`` blocks may be used. ``work`` must
    release the GIL for its heavy parts and write disjoint outputs per
    block. With ``weights`` (cumulative item costs, ``n_items + 1``
    non-decreasing values) the blocks are of about equal cost, else of
    about equal length. Waits for every block; re-raises the first error.

    Returns
    -------
    int
        The number of threads used.
    """
    if n_items <= 0:
        return 0
    want = max(1, min(int(n_threads), n_items)) - 1
    grant = _BUDGET.enter(want, max_threads())
    try:
        if grant == 0:
            work(0, n_items)
            return 1
        n = grant + 1
        if weights is None:
            bounds = np.linspace(0, n_items, n + 1).astype(np.int64)
        else:
            w = np.asarray(weights, dtype=np.float64)
            cuts = np.searchsorted(w, np.linspace(w[0], w[-1], n + 1)[1:-1])
            bounds = np.concatenate(([0], np.clip(cuts, 0, n_items), [n_items])).astype(np.int64)
        blocks = [(int(a), int(b)) for a, b in zip(bounds[:-1], bounds[1:]) if b > a]
        pool = _pool(grant)
        futures = [pool.submit(work, a, b) for a, b in blocks[1:]]
        err = None
        try:
            work(*blocks[0])
        except BaseException as exc:  # noqa: BLE001 - re-raised after the helpers finish
            err = exc
        _wait_futures(futures)
        if err is not None:
            raise err
        for fut in futures:
            fut.result()
        return len(blocks)
    finally:
        _BUDGET.leave(grant)


@dataclass(frozen=True)
class FramePlan:
    """How a batch is cut into frames."""

    n_fft: int
    hop_length: int
    window: np.ndarray  # (n_fft,), zero outside [w0, w1)
    w0: int
    w1: int
    pad: int
    pad_mode: int
    frame_offsets: np.ndarray  # (n_clips + 1,)

    @property
    def n_frames(self) -> int:
        return int(self.frame_offsets[-1])

    @property
    def n_bins(self) -> int:
        return self.n_fft // 2 + 1


def plan_frames(batch: ClipBatch, *, n_fft, hop_length, win_length, window, center,
                pad_mode, dtype) -> FramePlan:
    """Frame counts per clip and the padded window.

    With ``center=True`` each clip is padded by ``n_fft // 2`` on both sides,
    so a clip of ``n`` samples gives ``1 + n // hop_length`` frames (any
    ``n >= 1``, including clips shorter than ``n_fft``, as librosa does).
    With ``center=False`` a clip needs at least ``n_fft`` samples and gives
    ``1 + (n - n_fft) // hop_length`` frames.
    """
    n_fft, hop_length, win_length = check_stft(n_fft, hop_length, win_length, center,
                                                      pad_mode)
    win = filters.get_window(window, win_length, n_fft, dtype=np.float64).astype(dtype)
    nz = np.flatnonzero(win)
    w0, w1 = (int(nz[0]), int(nz[-1]) + 1) if nz.size else (0, 0)
    lengths = batch.lengths
    if center:
        pad = n_fft // 2
        counts = 1 + (lengths + 2 * pad - n_fft) // hop_length
    else:
        pad = 0
        short = np.flatnonzero(lengths < n_fft)
        if short.size:
            listed = ", ".join(f"clip {i} ({lengths[i]} samples)" for i in short[:10])
            raise ValueError(
                f"With center=False every clip needs at least n_fft={n_fft} samples; "
                f"{short.size} clip(s) are shorter: {listed}. Use center=True, a smaller "
                "n_fft, or longer clips."
            )
        counts = 1 + (lengths - n_fft) // hop_length
    frame_offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(counts, out=frame_offsets[1:])
    return FramePlan(n_fft, hop_length, win, w0, w1, pad, PAD_MODES.get(pad_mode, 0),
                     frame_offsets)


#: Frames added to every chunk so that a chunk is never a power of two frames long. The
#: bins-contiguous rFFT output ``(n_bins, n)`` then has a row stride of ``n`` complex values
#: that is not a multiple of 4 KiB: with ``n`` a power of two (512 at n_fft 512 in float32)
#: every output row maps to the same L1 cache set and pocketfft's writes evict each other
#: (measured: 780 -> 610 ns per frame at n_fft 512, 349 -> 288 at 256, 3075 -> 2920 at 2048).
CHUNK_PAD_FRAMES = 8


def _chunk_frames(n_fft: int, itemsize: int, n_specs: int = 1) -> int:
    """Frames per chunk: about ``min(n_specs, MAX_CHUNK_SCALE) * CHUNK_BYTES`` of frames,
    plus :data:`CHUNK_PAD_FRAMES` (at least 16 + the pad)."""
    nbytes = CHUNK_BYTES * max(1, min(int(n_specs), MAX_CHUNK_SCALE))
    return max(16, nbytes // (n_fft * itemsize)) + CHUNK_PAD_FRAMES


try:  # scipy.fft's own pocketfft entry point: same transform, without the dispatch layers
    from scipy.fft._pocketfft.pypocketfft import r2c as _pocketfft_r2c

    _probe = np.arange(8, dtype=np.float32).reshape(4, 2)
    if not np.array_equal(
        _pocketfft_r2c(_probe, (0,), True, 0, np.empty((3, 2), np.complex64), 1),
        scipy.fft.rfft(_probe, axis=0, workers=1),
    ):  # pragma: no cover - an incompatible private API: use the public one
        _pocketfft_r2c = None
    del _probe
except Exception:  # pragma: no cover - scipy without that module or signature
    _pocketfft_r2c = None


def _aligned_empty(shape, dtype, align: int = 64) -> np.ndarray:
    """Uninitialised C-contiguous array whose data starts on an ``align``-byte boundary.

    NumPy only guarantees 16 bytes; 64-byte aligned rows (cache lines) make
    the framing stores and pocketfft's loads of the frames measurably faster
    (framing: 12.2 -> 9.4 ms for 101,000 frames of 512, float32).
    """
    dtype = np.dtype(dtype)
    n = int(np.prod(shape))
    raw = np.empty(n * dtype.itemsize + align, dtype=np.uint8)
    off = (-raw.ctypes.data) % align
    return raw[off:off + n * dtype.itemsize].view(dtype).reshape(shape)


def _rfft_chunk(frames: np.ndarray, bins_contiguous: bool) -> np.ndarray:
    """rFFT of a chunk's rows, frames-first ``(n, n_bins)``.

    With ``bins_contiguous`` the result is the transposed view of a
    C-contiguous ``(n_bins, n)`` array (pocketfft writes it directly, at
    about the cost of the usual layout): frames-first values, but each bin's
    frames are contiguous, which lets :func:`power_filterbank` vectorise
    across frames. The engine's loops use :func:`_chunk_rfft` (same values,
    into a reused buffer).
    """
    if bins_contiguous and frames.shape[0] > 1:
        return scipy.fft.rfft(frames.T, axis=0, workers=1).T
    return scipy.fft.rfft(frames, axis=1, workers=1)


def _fft_store(n_frames: int, n_fft: int, dtype) -> np.ndarray:
    """Flat 64-byte aligned complex scratch for the rFFT of up to ``n_frames`` frames."""
    cdt = np.result_type(dtype, np.complex64)
    return _aligned_empty((n_frames * (n_fft // 2 + 1),), cdt)


def _chunk_rfft(n_max: int, n_fft: int, dtype, bins_contiguous: bool):
    """``fft(frames)``: :func:`_rfft_chunk` of chunks of up to ``n_max`` frames, with less glue.

    One thread's transform: the output goes to one scratch buffer reused for
    every chunk (the result is a view of it, valid until the next call), and
    the per-call checks of :func:`_rfft_chunk` are done once here (a few
    microseconds per chunk, hundreds of chunks per call). Same values as
    :func:`_rfft_chunk`, same layouts.
    """
    if _pocketfft_r2c is None:  # pragma: no cover - see the import
        return lambda frames: _rfft_chunk(frames, bins_contiguous)
    n_bins = n_fft // 2 + 1
    store = _fft_store(n_max, n_fft, dtype)
    r2c = _pocketfft_r2c
    axis0, axis1 = (0,), (1,)
    one = store[:n_bins]  # a single frame goes through the 1-D transform (about 1 us faster)
    if bins_contiguous:
        full = store.reshape(n_bins, n_max)

        def fft(frames):
            n = frames.shape[0]
            if n == n_max and n > 1:
                return r2c(frames.T, axis0, True, 0, full, 1).T
            if n > 1:
                return r2c(frames.T, axis0, True, 0, store[: n * n_bins].reshape(n_bins, n), 1).T
            return r2c(frames[0], axis0, True, 0, one, 1).reshape(1, n_bins)
    else:
        full = store.reshape(n_max, n_bins)

        def fft(frames):
            if frames.shape[0] == 1:
                return r2c(frames[0], axis0, True, 0, one, 1).reshape(1, n_bins)
            return r2c(frames, axis1, True, 0, full[: frames.shape[0]], 1)
    return fft


def _run_chunks(batch: ClipBatch, plan: FramePlan, reduce, n_jobs, *,
                bins_contiguous: bool = False) -> None:
    """Frame -> rFFT -> ``reduce(spec, f0)`` over all frames, in chunks.

    ``spec`` is frames-first ``(n, n_bins)``; C-contiguous unless
    ``bins_contiguous`` (then a transposed view, see :func:`_rfft_chunk`).
    """
    N = plan.n_frames
    if N == 0:
        return
    dtype = batch.samples.dtype
    chunk = _chunk_frames(plan.n_fft, dtype.itemsize)
    fo = plan.frame_offsets

    def work(start, stop):
        n_max = min(chunk, stop - start)
        buf = _aligned_empty((n_max, plan.n_fft), dtype)
        fft = _chunk_rfft(n_max, plan.n_fft, dtype, bins_contiguous)
        c = int(np.searchsorted(fo, start, side="right") - 1)
        for f0 in range(start, stop, chunk):
            f1 = min(f0 + chunk, stop)
            while f0 >= fo[c + 1]:
                c += 1
            frame_chunk(batch.samples, batch.offsets, fo, c, f0, f1, plan.window, plan.w0,
                        plan.w1, plan.hop_length, plan.pad, plan.pad_mode, buf)
            reduce(fft(buf[: f1 - f0]), f0)

    run_blocks(work, N, plan_threads(n_jobs, N * plan.n_fft))


@dataclass
class FrameSpec:
    """One frame feature as the engine computes it.

    The engine frames each chunk once and hands every spec the representation
    it asks for (``input``):

    - ``"frames"``: the raw (un-windowed) frames, ``(n, n_fft)``;
    - ``"windowed"``: the frames times the plan's window, ``(n, n_fft)``;
    - ``"complex"``: their rFFT, ``(n, n_fft // 2 + 1)`` complex (a
      non-contiguous view, bins-contiguous, when no spec asks for
      ``"spectrum"``; index it, do not assume C order);
    - ``"spectrum"``: ``|rFFT| ** power``, ``(n, n_fft // 2 + 1)`` real.

    Each representation is computed at most once per chunk, however many
    specs share it (one STFT for many features). ``reduce(x, out)`` writes
    the chunk's ``n_out`` columns into ``out`` (a C-contiguous ``(n, n_out)``
    view of the output). It runs in several threads at once when
    ``n_jobs > 1`` and must not keep state between calls. After all chunks,
    ``finalize(rows, frame_offsets)`` (optional) turns the full
    ``(n_frames_total, n_out)`` array into the final per-frame features, for
    steps that need a whole clip (per-clip dB reference, differences across
    frames, temporal filters).

    ``stream`` (optional, needed to stream a spec that has a ``finalize``)
    is a factory of the streaming form of ``finalize``: a fresh
    :class:`sklaudio._streaming.RowStream` per stream, which takes the
    ``reduce`` rows of a stream's frames block by block and returns the
    final rows (see :mod:`sklaudio._streaming`). It raises ``ValueError``
    when the parameters make ``finalize`` need the whole clip.
    """

    n_out: int
    reduce: Callable[[np.ndarray, np.ndarray], None]
    input: str = "spectrum"
    power: float = 1.0
    finalize: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = field(default=None)
    stream: Callable[[], object] | None = field(default=None)

    def __post_init__(self):
        if self.input not in ("frames", "windowed", "complex", "spectrum"):
            raise ValueError(f"Unknown FrameSpec input {self.input!r}.")


def run_features(batch: ClipBatch, plan: FramePlan, specs: Sequence[FrameSpec],
                 n_jobs=None) -> list[np.ndarray]:
    """Compute several frame features in one chunked pass (one framing, one rFFT).

    Returns one frames-first array ``(n_frames_total, n)`` per spec, in the
    batch's float dtype (after ``finalize`` where a spec has one).
    """
    dtype = batch.samples.dtype
    N = plan.n_frames
    outs = [np.empty((N, s.n_out), dtype=dtype) for s in specs]
    if N > 0:
        _run_specs(batch, plan, specs, outs, n_jobs)
    result = []
    for s, o in zip(specs, outs):
        result.append(o if s.finalize is None else s.finalize(o, plan.frame_offsets))
    return result


def _run_specs(batch, plan, specs, outs, n_jobs):
    run_pass(SpecPass(specs, plan.n_fft, batch.samples.dtype), batch, plan, outs, n_jobs)


def run_pass(sp: SpecPass, batch: ClipBatch, plan: FramePlan, outs, n_jobs=None) -> None:
    """Run ``sp`` over all frames of ``plan`` into ``outs``, in threads over blocks of frames."""
    N = plan.n_frames

    def work(start, stop):
        sp.run(batch, plan, outs, start, stop, sp.scratch(min(sp.chunk, stop - start)))

    work_samples = N * plan.n_fft * (1.0 if sp.need_fft else NO_FFT_WORK)
    run_blocks(work, N, plan_threads(n_jobs, work_samples))


class SpecPass:
    """The chunk loop of :func:`run_features` for one list of specs, built once, run many times.

    Holds what the specs need from each chunk (raw or windowed frames, the
    rFFT, which ``|X| ** p``), the chunk size, and :meth:`run`, which frames
    a range of frames chunk by chunk and hands each spec its input.
    :func:`run_features` builds one per call and runs it in threads over
    blocks of frames; a stream (:mod:`sklaudio._streaming`) builds one and
    runs it on each block's new frames with one :meth:`scratch` kept across
    blocks. The arithmetic of a frame never depends on the chunk, block or
    thread it falls in.
    """

    def __init__(self, specs: Sequence[FrameSpec], n_fft: int, dtype):
        self.specs = list(specs)
        self.n_fft = int(n_fft)
        self.dtype = np.dtype(dtype)
        kinds = {s.input for s in self.specs}
        self.need_raw = "frames" in kinds
        self.need_windowed = bool(kinds - {"frames"})
        self.need_fft = bool(kinds & {"complex", "spectrum"})
        # without an FFT the frames are the only buffer and a chunk's work is small: larger
        # chunks amortise the per-chunk calls (RMS, zero crossings: best at 512 KiB-1 MiB)
        n = len(self.specs)
        self.chunk = _chunk_frames(self.n_fft, self.dtype.itemsize,
                                   n if self.need_fft else max(NO_FFT_CHUNK_SCALE, n))
        self.powers = sorted({float(s.power) for s in self.specs if s.input == "spectrum"})
        # |X| and |X|**2 together (the usual pair: magnitude descriptors + chroma): one pass
        self.mag_and_power = self.powers == [1.0, 2.0]
        # Only "complex" readers (filterbank kernels): hand them the bins-contiguous layout.
        self.bins_contiguous = not self.powers
        # per spec: (reduce, which input); spectra indexed by their position in powers
        self.jobs = [(s.reduce, s.input if s.input != "spectrum"
                      else self.powers.index(float(s.power))) for s in self.specs]
        single = len(self.jobs) == 1 and self.jobs[0][1] == "complex"
        self.single = self.jobs[0][0] if single else None

    def scratch(self, n_max: int) -> tuple:
        """Buffers (frames, windowed frames, rFFT, spectra) for chunks of up to ``n_max`` frames."""
        n_max = max(1, int(n_max))
        buf = _aligned_empty((n_max, self.n_fft), self.dtype)
        wbuf = (_aligned_empty(buf.shape, self.dtype) if self.need_raw and self.need_windowed
                else buf)
        fft = (_chunk_rfft(n_max, self.n_fft, self.dtype, self.bins_contiguous)
               if self.need_fft else None)
        pbufs = [np.empty((n_max, self.n_fft // 2 + 1), dtype=self.dtype) for _ in self.powers]
        ones = np.ones(self.n_fft, dtype=self.dtype) if self.need_raw else None
        return n_max, buf, wbuf, fft, pbufs, ones

    def run(self, batch: ClipBatch, plan: FramePlan, outs, start: int, stop: int,
            scratch: tuple) -> None:
        """Frames ``start:stop`` of ``plan`` into rows ``start:stop`` of every ``outs[i]``.

        ``scratch`` from :meth:`scratch`; chunks are at most ``min(chunk, n_max)`` frames.
        """
        n_max, buf, wbuf, fft, pbufs, ones = scratch
        chunk = min(self.chunk, n_max)
        fo = plan.frame_offsets
        samples, offsets, window = batch.samples, batch.offsets, plan.window
        hop, pad, pad_mode = plan.hop_length, plan.pad, plan.pad_mode
        if self.need_raw:
            frame_win, fw0, fw1 = ones, 0, self.n_fft
        else:
            frame_win, fw0, fw1 = window, plan.w0, plan.w1
        need_raw_and_windowed = self.need_raw and self.need_windowed
        single = self.single
        # the clip of frame `start` (the loop below skips empty clips)
        c = 0 if start == 0 else int(np.searchsorted(fo, start, side="right") - 1)
        for f0 in range(start, stop, chunk):
            f1 = min(f0 + chunk, stop)
            n = f1 - f0
            while f0 >= fo[c + 1]:
                c += 1
            frame_chunk(samples, offsets, fo, c, f0, f1, frame_win, fw0, fw1, hop, pad,
                        pad_mode, buf)
            raw = buf[:n]
            if single is not None:  # one filterbank-style reader (MFCC, mel): no other glue
                single(fft(raw), outs[0][f0:f1])
                continue
            windowed = raw
            if need_raw_and_windowed:
                windowed = np.multiply(raw, window, out=wbuf[:n])
            spec = fft(windowed) if self.need_fft else None
            if self.mag_and_power:
                spectrum_mag_power(spec, pbufs[0], pbufs[1], 0)
            else:
                for p, pb in zip(self.powers, pbufs):
                    spectrum_power(spec, p, pb, 0)
            for (reduce, src), o in zip(self.jobs, outs):
                if src == "frames":
                    x = raw
                elif src == "windowed":
                    x = windowed
                elif src == "complex":
                    x = spec
                else:
                    x = pbufs[src][:n]
                reduce(x, o[f0:f1])


def stft_frames(batch: ClipBatch, plan: FramePlan, n_jobs=None) -> np.ndarray:
    """Complex STFT of every frame, frames-first ``(n_frames_total, n_bins)``."""
    cdt = np.result_type(batch.samples.dtype, np.complex64)
    out = np.empty((plan.n_frames, plan.n_bins), dtype=cdt)

    def reduce(spec, f0):
        out[f0 : f0 + spec.shape[0]] = spec

    _run_chunks(batch, plan, reduce, n_jobs)
    return out


def power_frames(batch: ClipBatch, plan: FramePlan, power: float, n_jobs=None) -> np.ndarray:
    """``|STFT| ** power`` of every frame, ``(n_frames_total, n_bins)``."""
    out = np.empty((plan.n_frames, plan.n_bins), dtype=batch.samples.dtype)

    def reduce(spec, f0):
        spectrum_power(spec, float(power), out, f0)

    _run_chunks(batch, plan, reduce, n_jobs)
    return out


def filterbank_frames(batch: ClipBatch, plan: FramePlan, fb: filters.SparseFilterbank, *,
                      power: float = 2.0, log: bool = False, amin: float = 1e-10,
                      n_jobs=None) -> np.ndarray:
    """Filterbank energies of every frame, optionally in dB.

    Returns ``(n_frames_total, n_filters)``: ``fb @ |STFT| ** power`` per frame,
    or ``10 log10(max(amin, .))`` of it when ``log``.
    """
    dtype = batch.samples.dtype
    out = np.empty((plan.n_frames, len(fb.start)), dtype=dtype)
    weights = fb.weights.astype(dtype, copy=False)

    def reduce(spec, f0):
        power_filterbank(spec, float(power), fb.start, fb.stop, fb.offset, weights, bool(log),
                         float(amin), out, f0)

    _run_chunks(batch, plan, reduce, n_jobs, bins_contiguous=True)
    return out
