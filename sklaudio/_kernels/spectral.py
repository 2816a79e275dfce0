"""Per-frame spectral reductions: power, sparse filterbank, log.

:func:`power_filterbank` works in the bins-contiguous layout: the power of
the chunk is laid out ``(bins, frames)`` so that every filter weight
multiplies a contiguous run of frames. The inner loops then vectorise across
frames (8 float32 per AVX2 instruction) instead of running over a filter's
~16 bins with a horizontal sum per filter and frame, and the dB conversion
runs on whole ``(filters, frames)`` blocks. The engine hands it that layout
for free (``scipy.fft.rfft(frames.T, axis=0).T``, a transposed view) when
only filterbank kernels read the chunk; frames-first C-ordered input (the
engine's layout when other features read ``|X|`` too) goes through
:func:`power_band_transposed`, which reads only the filters' band and
writes its power transposed in blocks of ``TB`` frames (no copy of the
complex chunk), bit for bit the values of the bins-contiguous path.

:func:`spectrum_mag_power` computes ``|X|`` and ``|X|**2`` in one pass for the
engine's shared spectra, and :func:`db_reference_clamp_flat` is the
vectorised per-clip dB reference / ``top_db`` clamp of the filterbank rows.

float32 inputs accumulate in float32, float64 inputs in float64. The dB
conversion of float32 blocks uses a vectorisable natural log (``_fastmath.logf_cephes``:
exponent extraction and a degree-9 polynomial, Cephes ``logf``; at most 2 ulp from the
correctly rounded value over all 2.1e9 normal positive float32, relative error
< 1.3e-7; checked in ``tests/test_fast_kernels.py``); float64 uses ``np.log``.
"""

from __future__ import annotations

import numpy as np

from ._fastmath import FLT_MIN, _from_signed_order_key, _signed_order_key, log_f32
from ._jit import jit

#: Frames per accumulator sub-block (8 AVX2 vectors of float32).
SUB = 64
#: 10 / ln(10): natural log to dB of power.
DB_PER_NEPER = 4.342944819032518


@jit
def filter_band(fb_start, fb_stop, n_bins):
    """``(lo, hi)``: the bins any filter touches (``lo >= hi`` when all filters are empty)."""
    lo = n_bins
    hi = 0
    for m in range(fb_start.shape[0]):
        if fb_stop[m] > fb_start[m]:
            lo = min(lo, fb_start[m])
            hi = max(hi, fb_stop[m])
    if hi <= lo:
        return 0, 0
    return lo, hi


@jit
def power_row(src, power, dst):
    """``dst[i] = |src[i]| ** power`` for 1-D complex ``src`` and real ``dst``."""
    n = src.shape[0]
    if power == 2.0:
        for i in range(n):
            z = src[i]
            dst[i] = z.real * z.real + z.imag * z.imag
    elif power == 1.0:
        for i in range(n):
            z = src[i]
            dst[i] = np.sqrt(z.real * z.real + z.imag * z.imag)
    else:
        h = power / 2.0
        for i in range(n):
            z = src[i]
            dst[i] = (z.real * z.real + z.imag * z.imag) ** h


@jit
def floor_db(x, amin, dst):
    """``dst = 10 log10(max(x, amin))`` elementwise; ``x`` is floored in place.

    ``x`` and ``dst`` are distinct 1-D arrays of one length. ``amin`` is cast to the dtype of
    ``x``. NaN stays NaN; ``amin = 0`` gives ``-inf`` for zeros. float32 with
    ``amin >= FLT_MIN`` uses :func:`log_f32`, otherwise ``np.log``.
    """
    n = x.shape[0]
    amn = x.dtype.type(amin)
    for j in range(n):
        v = x[j]
        x[j] = amn if v < amn else v
    if x.itemsize == 4 and amin >= FLT_MIN:
        log_f32(x, DB_PER_NEPER, dst)
    else:
        scale = x.dtype.type(DB_PER_NEPER)
        for j in range(n):
            dst[j] = scale * np.log(x[j])


#: Frames per block of :func:`power_band_transposed`. Measured at n_fft 256, 512 and 2048:
#: 32 beat 8 and 16 by 10-25% (each row of ``pt`` gets two cache lines per block).
TB = 32


@jit
def power_band_transposed(spec, power, lo, hi, pt):
    """``pt[k - lo, t] = |spec[t, k]| ** power`` for bins ``lo:hi``, from frames-first ``spec``.

    A blocked transpose fused with the power: for each block of ``TB``
    frames (one contiguous run of ``spec``), the power of the whole block is
    computed in one :func:`power_row` call (contiguous, vectorised) into a
    small scratch block, whose band columns are then written transposed,
    ``TB`` consecutive values per row of ``pt``. No copy of the complex
    chunk, and each value comes from :func:`power_row` on a contiguous run,
    as in the bins-contiguous path (bit for bit). ``spec`` rows must be
    contiguous (C order, any row stride is copied per block otherwise).
    """
    n, n_bins = spec.shape
    nb = hi - lo
    blk = np.empty((min(TB, n), n_bins), dtype=pt.dtype)  # small for a stream's few frames
    for t0 in range(0, n, TB):
        m = min(TB, n - t0)
        rows = np.ascontiguousarray(spec[t0:t0 + m])  # a view for C-ordered spec
        power_row(rows.reshape(m * n_bins), power, blk[:m].reshape(m * n_bins))
        if m == 1:  # one frame (a stream's block): no row views
            for k in range(nb):
                pt[k, t0] = blk[0, lo + k]
            continue
        for k in range(nb):
            dst = pt[k, t0:t0 + m]
            for j in range(m):
                dst[j] = blk[j, lo + k]


@jit
def _filterbank_block(pt, fb_start, fb_stop, fb_offset, fb_weights, lo, log, amin, out, row0,
                      abuf, lbuf):
    """Filterbank (and dB) of one power block ``pt`` (band bins ``lo:`` x frames) into ``out``.

    Per sub-block of up to ``SUB`` frames: each filter's accumulator row is
    ``sum_i w_i pt[k_i, frames]`` summed in bin order (contiguous over
    frames, vectorised), the dB conversion runs on the whole sub-block, and
    the rows are written back frames-first. Every frame goes through the
    same arithmetic whatever the block size, so results never depend on how
    frames are batched. Scratch: ``abuf``, ``lbuf`` (float) of at least
    ``n_filters * min(SUB, n_frames)``.
    """
    nt = pt.shape[1]
    n_filt = fb_start.shape[0]
    sb = min(nt, SUB)
    zero = out.dtype.type(0.0)
    for s0 in range(0, nt, sb):
        ns = min(sb, nt - s0)
        acc = abuf[: n_filt * ns].reshape((n_filt, ns))
        if ns == 1:
            # one frame (a stream's block): the same sums in the same order, without the row
            # views that dominate the cost of a single frame
            for m in range(n_filt):
                a = fb_start[m] - lo
                n_w = fb_stop[m] - fb_start[m]
                o = fb_offset[m]
                acc[m, 0] = zero
                i = 0
                # the sum stays in memory (acc), never a register reduction that fast-math
                # could reorder: each frame's sums are those of the block path, bit for bit
                while i + 4 <= n_w:
                    acc[m, 0] = (acc[m, 0] + out.dtype.type(fb_weights[o + i]) * pt[a + i, s0]
                                 + out.dtype.type(fb_weights[o + i + 1]) * pt[a + i + 1, s0]
                                 + out.dtype.type(fb_weights[o + i + 2]) * pt[a + i + 2, s0]
                                 + out.dtype.type(fb_weights[o + i + 3]) * pt[a + i + 3, s0])
                    i += 4
                while i < n_w:
                    acc[m, 0] += out.dtype.type(fb_weights[o + i]) * pt[a + i, s0]
                    i += 1
        for m in range(n_filt if ns > 1 else 0):
            a = fb_start[m] - lo
            n_w = fb_stop[m] - fb_start[m]
            w = fb_weights[fb_offset[m] : fb_offset[m] + n_w]
            ar = acc[m]
            for j in range(ns):
                ar[j] = zero
            # four weights per pass over the accumulator row: the same sums in the same
            # order (left to right), a quarter of the loop overhead, loads and stores of it
            i = 0
            while i + 4 <= n_w:
                w0 = out.dtype.type(w[i])
                w1 = out.dtype.type(w[i + 1])
                w2 = out.dtype.type(w[i + 2])
                w3 = out.dtype.type(w[i + 3])
                p0 = pt[a + i, s0 : s0 + ns]
                p1 = pt[a + i + 1, s0 : s0 + ns]
                p2 = pt[a + i + 2, s0 : s0 + ns]
                p3 = pt[a + i + 3, s0 : s0 + ns]
                for j in range(ns):
                    ar[j] = ar[j] + w0 * p0[j] + w1 * p1[j] + w2 * p2[j] + w3 * p3[j]
                i += 4
            while i < n_w:
                wi = out.dtype.type(w[i])
                pr = pt[a + i, s0 : s0 + ns]
                for j in range(ns):
                    ar[j] += wi * pr[j]
                i += 1
        res = acc
        if log:
            res = lbuf[: n_filt * ns].reshape((n_filt, ns))
            floor_db(abuf[: n_filt * ns], amin, lbuf[: n_filt * ns])
        for t in range(ns):  # transposing write-back; the sub-block stays in L1
            orow = out[row0 + s0 + t]
            for m in range(n_filt):
                orow[m] = res[m, t]


@jit
def power_filterbank(spec, power, fb_start, fb_stop, fb_offset, fb_weights, log, amin, out, row0):
    """Fused ``|X|**power`` -> sparse filterbank -> optional dB, per frame.

    ``out[row0 + t, m] = sum_k W[m, k] |spec[t, k]| ** power`` (or
    ``10 log10(max(amin, .))`` of it when ``log``), accumulated in the dtype
    of ``out``, in bin order.

    Works on the bins-contiguous layout ``spec.T`` (see the module
    docstring): free when ``spec`` is the transposed view the engine makes,
    a transposing copy of ``spec`` otherwise. Every frame goes through the
    same arithmetic, so rows do not depend on the layout or on how frames
    are batched (bit for bit).

    Parameters
    ----------
    spec : (n_frames, n_bins) complex
        rFFT of the frames, any layout.
    power : float
        Exponent on the magnitude (2.0 power, 1.0 magnitude).
    fb_start, fb_stop, fb_offset, fb_weights
        Sparse filterbank (see :class:`sklaudio.filters.SparseFilterbank`).
    log : bool
        If true, write ``10 * log10(max(amin, value))`` (dB).
    amin : float
        Floor before the log, in the dtype of ``out``.
    out : (>= row0 + n_frames, n_filters) float
        Destination; rows ``row0:row0 + n_frames`` are written.
    """
    if spec.shape[0] == 0:
        return
    n_frames, n_bins = spec.shape
    n_filt = fb_start.shape[0]
    lo, hi = filter_band(fb_start, fb_stop, n_bins)
    nb = hi - lo
    sb = min(n_frames, SUB)
    dt = out.dtype
    pt = np.empty((nb, n_frames), dtype=dt)
    abuf = np.empty(n_filt * sb, dtype=dt)
    lbuf = np.empty(n_filt * sb, dtype=dt)
    # the band's power, bins x frames
    if n_frames > 1 and spec.strides[0] < spec.strides[1]:
        specT = np.ascontiguousarray(spec.T)  # bins-contiguous: a view, one contiguous run
        power_row(specT[lo:hi].reshape(nb * n_frames), power, pt.reshape(nb * n_frames))
    else:
        power_band_transposed(spec, power, lo, hi, pt)
    _filterbank_block(pt, fb_start, fb_stop, fb_offset, fb_weights, lo, log, amin, out, row0,
                      abuf, lbuf)


@jit
def spectrum_power(spec, power, out, row0):
    """``out[row0 + t, k] = |spec[t, k]| ** power``."""
    n_frames = spec.shape[0]
    for t in range(n_frames):
        power_row(spec[t], power, out[row0 + t])


@jit
def spectrum_mag_power(spec, mag, pw, row0):
    """``mag[row0 + t, k] = |spec[t, k]|`` and ``pw[row0 + t, k] = |spec[t, k]| ** 2``.

    One pass over the complex chunk for both spectra (the engine's shared
    ``|X|`` and ``|X|**2``); each value bit for bit that of
    :func:`spectrum_power` with ``power`` 1 and 2.
    """
    n_frames, n_bins = spec.shape
    for t in range(n_frames):
        src = spec[t]
        m = mag[row0 + t]
        p = pw[row0 + t]
        for k in range(n_bins):
            z = src[k]
            e = z.real * z.real + z.imag * z.imag
            p[k] = e
            m[k] = np.sqrt(e)



# -- per-clip dB reference -------------------------------------------------------------------


@jit
def db_reference_clamp_flat(db, frame_offsets, ref_db, ref_is_max, top_db):
    """In place, per clip: clamp to ``max - top_db``, subtract the reference.

    Same values, bit for bit, as
    :func:`sklaudio._kernels.cepstral.db_reference_clamp` (float64
    arithmetic, NaN ignored by the maximum and kept by the clamp), on a
    C-contiguous ``db``: each clip's rows are one contiguous run, its
    maximum is an integer max over :func:`_signed_order_key` (vectorised;
    a clip whose maximum key is a NaN takes the scalar loop), and the clamp
    is a branch-free select.

    Parameters
    ----------
    db : (n_frames_total, n_features) float, C-contiguous
        Values in dB.
    frame_offsets : (n_clips + 1,) int64
        Frame range of each clip.
    ref_db : float
        Fixed reference in dB, subtracted when ``ref_is_max`` is false.
    ref_is_max : bool
        Use each clip's maximum as the reference.
    top_db : float
        Dynamic range kept below each clip's maximum; ``< 0`` disables it.
    """
    n_clips = frame_offsets.shape[0] - 1
    n_feat = db.shape[1]
    flat = db.reshape(db.shape[0] * n_feat)
    clamp = top_db >= 0.0
    for c in range(n_clips):
        a = frame_offsets[c] * n_feat
        b = frame_offsets[c + 1] * n_feat
        if b <= a:
            continue
        x = flat[a:b]
        kmax = _signed_order_key(x[0])
        for i in range(1, b - a):
            kmax = max(kmax, _signed_order_key(x[i]))
        top = _from_signed_order_key(kmax, x[0])
        if np.isnan(top):  # NaNs present: the reference semantics (NaN never the maximum)
            mx = -np.inf
            for i in range(b - a):
                if x[i] > mx:
                    mx = np.float64(x[i])
        else:
            mx = np.float64(top)
        shift = mx if ref_is_max else ref_db
        floor = mx - top_db
        for i in range(b - a):
            v = np.float64(x[i])
            v = floor if clamp and v < floor else v
            x[i] = v - shift
