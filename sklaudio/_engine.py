"""Chunked frames-first engine shared by ``functional`` and the estimators.

All frames of all clips are numbered globally. The engine walks them in
cache-sized chunks: frame a chunk (Numba), ``scipy.fft.rfft`` it (one call),
reduce it with one fused Numba pass, and write the reduced rows into one
frames-first output array ``(n_frames_total, n_features)``. Clips are never
processed one by one in Python, and memory beyond the output stays bounded by
the chunk size.

With ``n_jobs > 1`` the frame range is split into contiguous blocks handled by
a thread pool; each thread runs single-threaded kernels (Numba ``nogil``) and
single-worker FFTs, so nothing oversubscribes.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np
import scipy.fft

from . import filters
from ._kernels.cepstral import db_reference_clamp, dct_rows
from ._kernels.spectral import power_filterbank, spectrum_power
from ._kernels.stft import PAD_MODES, frame_chunk
from ._validation import ClipBatch

#: Bytes of float frames per chunk (64 frames of n_fft 2048 in float64, 128 in float32).
#: Measured best of 128 KiB..2 MiB for MFCC, mel, chroma and centroid at n_fft 2048 and 256:
#: larger chunks amortise the per-chunk Python/FFT call overhead; 1 MiB beat 512 KiB by 1-3%.
CHUNK_BYTES = 1 << 20


def effective_n_jobs(n_jobs) -> int:
    """scikit-learn's meaning of ``n_jobs``: None -> 1, -1 -> all cores, -2 -> all but one."""
    if n_jobs is None or n_jobs == 0:
        return 1
    n_cpu = os.cpu_count() or 1
    if n_jobs < 0:
        return max(1, n_cpu + 1 + int(n_jobs))
    return int(n_jobs)


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


def check_stft_params(n_fft, hop_length, win_length, center, pad_mode):
    """Validate and resolve STFT parameters (librosa defaults)."""
    if not (isinstance(n_fft, (int, np.integer)) and not isinstance(n_fft, bool) and n_fft >= 2):
        raise ValueError(f"n_fft must be an integer >= 2 (samples), got {n_fft!r}.")
    n_fft = int(n_fft)
    if win_length is None:
        win_length = n_fft
    if not (isinstance(win_length, (int, np.integer)) and 1 <= win_length <= n_fft):
        raise ValueError(f"win_length must be an integer in [1, n_fft={n_fft}], got {win_length!r}.")
    if hop_length is None:
        hop_length = int(win_length // 4)
    if not (isinstance(hop_length, (int, np.integer)) and not isinstance(hop_length, bool)
            and hop_length >= 1):
        raise ValueError(f"hop_length must be a positive integer (samples), got {hop_length!r}.")
    if center and pad_mode not in PAD_MODES:
        raise ValueError(
            f"pad_mode must be one of {sorted(PAD_MODES)} when center=True, got {pad_mode!r}."
        )
    return n_fft, int(hop_length), int(win_length)


def plan_frames(batch: ClipBatch, *, n_fft, hop_length, win_length, window, center,
                pad_mode, dtype) -> FramePlan:
    """Frame counts per clip and the padded window.

    With ``center=True`` each clip is padded by ``n_fft // 2`` on both sides,
    so a clip of ``n`` samples gives ``1 + n // hop_length`` frames (any
    ``n >= 1``, including clips shorter than ``n_fft``, as librosa does).
    With ``center=False`` a clip needs at least ``n_fft`` samples and gives
    ``1 + (n - n_fft) // hop_length`` frames.
    """
    n_fft, hop_length, win_length = check_stft_params(n_fft, hop_length, win_length, center,
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


def _chunk_frames(n_fft: int, itemsize: int) -> int:
    return max(16, CHUNK_BYTES // (n_fft * itemsize))


def _rfft_chunk(frames: np.ndarray, bins_contiguous: bool) -> np.ndarray:
    """rFFT of a chunk's rows, frames-first ``(n, n_bins)``.

    With ``bins_contiguous`` the result is the transposed view of a
    C-contiguous ``(n_bins, n)`` array (pocketfft writes it directly, at
    about the cost of the usual layout): frames-first values, but each bin's
    frames are contiguous, which lets :func:`power_filterbank` vectorise
    across frames.
    """
    if bins_contiguous and frames.shape[0] > 1:
        return scipy.fft.rfft(frames.T, axis=0, workers=1).T
    return scipy.fft.rfft(frames, axis=1, workers=1)


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
    n_threads = max(1, min(effective_n_jobs(n_jobs), -(-N // chunk)))
    fo = plan.frame_offsets

    def work(start, stop):
        buf = np.zeros((min(chunk, stop - start), plan.n_fft), dtype=dtype)
        c = int(np.searchsorted(fo, start, side="right") - 1)
        for f0 in range(start, stop, chunk):
            f1 = min(f0 + chunk, stop)
            while f0 >= fo[c + 1]:
                c += 1
            frame_chunk(batch.samples, batch.offsets, fo, c, f0, f1, plan.window, plan.w0,
                        plan.w1, plan.hop_length, plan.pad, plan.pad_mode, buf)
            spec = _rfft_chunk(buf[: f1 - f0], bins_contiguous)
            reduce(spec, f0)

    if n_threads == 1:
        work(0, N)
        return
    bounds = np.linspace(0, N, n_threads + 1).astype(np.int64)
    with ThreadPoolExecutor(max_workers=n_threads) as ex:
        futures = [ex.submit(work, int(a), int(b)) for a, b in zip(bounds[:-1], bounds[1:]) if b > a]
        for fut in futures:
            fut.result()


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
    """

    n_out: int
    reduce: Callable[[np.ndarray, np.ndarray], None]
    input: str = "spectrum"
    power: float = 1.0
    finalize: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = field(default=None)

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
    N = plan.n_frames
    dtype = batch.samples.dtype
    chunk = _chunk_frames(plan.n_fft, dtype.itemsize)
    n_threads = max(1, min(effective_n_jobs(n_jobs), -(-N // chunk)))
    fo = plan.frame_offsets
    kinds = {s.input for s in specs}
    need_raw = "frames" in kinds
    need_windowed = bool(kinds - {"frames"})
    need_fft = bool(kinds & {"complex", "spectrum"})
    powers = sorted({float(s.power) for s in specs if s.input == "spectrum"})
    # Only "complex" readers (filterbank kernels): hand them the bins-contiguous layout.
    bins_contiguous = not powers
    if need_raw:
        frame_win = np.ones(plan.n_fft, dtype=dtype)
        fw0, fw1 = 0, plan.n_fft
    else:
        frame_win, fw0, fw1 = plan.window, plan.w0, plan.w1

    def work(start, stop):
        n_max = min(chunk, stop - start)
        buf = np.zeros((n_max, plan.n_fft), dtype=dtype)
        wbuf = np.empty_like(buf) if need_raw and need_windowed else buf
        pbufs = {p: np.empty((n_max, plan.n_bins), dtype=dtype) for p in powers}
        c = int(np.searchsorted(fo, start, side="right") - 1)
        for f0 in range(start, stop, chunk):
            f1 = min(f0 + chunk, stop)
            n = f1 - f0
            while f0 >= fo[c + 1]:
                c += 1
            frame_chunk(batch.samples, batch.offsets, fo, c, f0, f1, frame_win, fw0, fw1,
                        plan.hop_length, plan.pad, plan.pad_mode, buf)
            raw = buf[:n]
            windowed = raw
            if need_raw and need_windowed:
                windowed = np.multiply(raw, plan.window, out=wbuf[:n])
            spec = _rfft_chunk(windowed, bins_contiguous) if need_fft else None
            spectra = {}
            for p in powers:
                spectrum_power(spec, p, pbufs[p], 0)
                spectra[p] = pbufs[p][:n]
            for s, o in zip(specs, outs):
                if s.input == "frames":
                    x = raw
                elif s.input == "windowed":
                    x = windowed
                elif s.input == "complex":
                    x = spec
                else:
                    x = spectra[float(s.power)]
                s.reduce(x, o[f0:f1])

    if n_threads == 1:
        work(0, N)
        return
    bounds = np.linspace(0, N, n_threads + 1).astype(np.int64)
    with ThreadPoolExecutor(max_workers=n_threads) as ex:
        futures = [ex.submit(work, int(a), int(b)) for a, b in zip(bounds[:-1], bounds[1:]) if b > a]
        for fut in futures:
            fut.result()


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


def apply_db_reference(db: np.ndarray, frame_offsets: np.ndarray, *, ref, amin: float,
                       top_db) -> np.ndarray:
    """Per-clip ``ref`` and ``top_db`` of :func:`sklaudio.functional.power_to_db`, in place."""
    ref_is_max = ref == "max" or ref is np.max
    if ref_is_max:
        ref_db = 0.0
    else:
        if callable(ref):
            raise ValueError("ref must be a positive number, 'max' or np.max.")
        ref_db = 10.0 * np.log10(max(float(amin), abs(float(ref))))
    td = -1.0 if top_db is None else float(top_db)
    if top_db is not None and td < 0:
        raise ValueError(f"top_db must be non-negative (dB) or None, got {top_db!r}.")
    db_reference_clamp(db, frame_offsets, ref_db, ref_is_max, td)
    return db


def cepstrum_rows(x: np.ndarray, basis: np.ndarray, lift: np.ndarray) -> np.ndarray:
    """Row-wise ``lift * (basis @ row)``; ``x`` is ``(n_frames, n_in)``."""
    out = np.empty((x.shape[0], basis.shape[0]), dtype=x.dtype)
    dct_rows(x, basis.astype(x.dtype, copy=False), lift.astype(x.dtype, copy=False), out)
    return out


def lifter_weights(n_mfcc: int, lifter: float) -> np.ndarray:
    """librosa's liftering: ``1 + (lifter / 2) sin(pi (k + 1) / lifter)``, k = 0..n_mfcc-1."""
    if not np.isscalar(lifter) or lifter < 0 or not np.isfinite(lifter):
        raise ValueError(f"lifter must be a non-negative number, got {lifter!r}.")
    if lifter == 0:
        return np.ones(n_mfcc)
    return 1.0 + (lifter / 2.0) * np.sin(np.pi * np.arange(1, 1 + n_mfcc) / lifter)
