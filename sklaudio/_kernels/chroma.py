"""Chroma projection and the spectral-peak picking of tuning estimation, frames-first."""

from __future__ import annotations

import numpy as np

from ._jit import jit

# Codes of ``librosa.util.normalize``'s ``norm`` for the row normalisation.
NORM_NONE = 0
NORM_INF = 1
NORM_NEG_INF = 2
NORM_ZERO = 3
NORM_P = 4


@jit
def normalize_rows(X, norm_code, p):
    """In-place ``librosa.util.normalize(X.T, norm, axis=0).T`` (``fill=None``).

    Parameters
    ----------
    X : (n_frames, n_out) float
        Rows to normalise in place.
    norm_code : int
        One of ``NORM_*``: none, max-abs (``np.inf``), min-abs (``-np.inf``),
        count of non-zeros (``0``) or the ``p``-norm.
    p : float
        Exponent for ``NORM_P``.

    Notes
    -----
    A row whose norm is below the dtype's ``tiny`` is left unnormalised, as
    librosa does; so a silent frame stays all zero.
    """
    if norm_code == NORM_NONE:
        return
    tiny = np.finfo(X.dtype).tiny
    n, m = X.shape
    for t in range(n):
        if norm_code == NORM_INF:
            length = 0.0
            for c in range(m):
                length = max(length, abs(np.float64(X[t, c])))
        elif norm_code == NORM_NEG_INF:
            length = np.inf
            for c in range(m):
                length = min(length, abs(np.float64(X[t, c])))
        elif norm_code == NORM_ZERO:
            length = 0.0
            for c in range(m):
                if X[t, c] != 0:
                    length += 1.0
        else:
            acc = 0.0
            for c in range(m):
                acc += abs(np.float64(X[t, c])) ** p
            length = acc ** (1.0 / p)
        if length < tiny:
            length = 1.0
        for c in range(m):
            X[t, c] = X[t, c] / length


@jit
def chroma_rows(S, W, norm_code, p, out):
    """Raw chroma ``W @ S[t]`` of each frame, then :func:`normalize_rows`.

    Parameters
    ----------
    S : (n_frames, n_bins) float
        Power spectrum, frames first.
    W : (n_chroma, n_bins) float
        Dense chroma filterbank.
    norm_code, p
        Frame normalisation (see :func:`normalize_rows`).
    out : (n_frames, n_chroma) float
        Destination (C-contiguous rows). Sums are accumulated in the dtype
        of ``out`` when ``S``, ``W`` and ``out`` share it (float32 input:
        float32 sums, as librosa's float32 ``np.dot``, vectorised over the
        bins in 8-lane partial sums; relative error a few float32 ulp), else
        in float64, then rounded to ``out.dtype`` before the normalisation
        (as librosa, which normalises the raw chroma in its own dtype).

    Notes
    -----
    The filterbank is dense over the bins, so the product is dense, blocked
    by four frames (each weight loaded once for four products). float32
    sums run about twice as fast as float64 ones (no conversions, twice the
    lanes): about 0.5 us per frame at ``n_fft=2048``. A BLAS ``matmul`` per
    chunk is several times slower overall when OpenBLAS spawns its own
    threads inside the engine's, so the product stays in Numba. A tail of
    fewer than four frames repeats the last frame, so every frame's sum is
    formed by the same code (bit-identical whatever the frame's position in
    a chunk).
    """
    n_c, n_bins = W.shape
    n = S.shape[0]
    if S.dtype == out.dtype and W.dtype == out.dtype:
        zero = out.dtype.type(0.0)
        for t in range(0, n, 4):
            t1 = min(t + 1, n - 1)
            t2 = min(t + 2, n - 1)
            t3 = min(t + 3, n - 1)
            s0 = S[t]
            s1 = S[t1]
            s2 = S[t2]
            s3 = S[t3]
            for c in range(n_c):
                w = W[c]
                a0 = zero
                a1 = zero
                a2 = zero
                a3 = zero
                for k in range(n_bins):
                    wk = w[k]
                    a0 += wk * s0[k]
                    a1 += wk * s1[k]
                    a2 += wk * s2[k]
                    a3 += wk * s3[k]
                out[t, c] = a0
                out[t1, c] = a1
                out[t2, c] = a2
                out[t3, c] = a3
        normalize_rows(out, norm_code, p)
        return
    for t in range(0, n, 4):
        t1 = min(t + 1, n - 1)
        t2 = min(t + 2, n - 1)
        t3 = min(t + 3, n - 1)
        for c in range(n_c):
            a0 = 0.0
            a1 = 0.0
            a2 = 0.0
            a3 = 0.0
            for k in range(n_bins):
                w = np.float64(W[c, k])
                a0 += w * np.float64(S[t, k])
                a1 += w * np.float64(S[t1, k])
                a2 += w * np.float64(S[t2, k])
                a3 += w * np.float64(S[t3, k])
            out[t, c] = a0
            out[t1, c] = a1
            out[t2, c] = a2
            out[t3, c] = a3
    normalize_rows(out, norm_code, p)


@jit(fastmath=frozenset())
def tuning_peaks_rows(S, k0, k1, threshold, sample_rate, n_fft, pitch, mag, counts):
    """Spectral peaks of each frame, as librosa ``piptrack``.

    A bin ``k`` in ``[k0, k1)`` (the bins with ``fmin <= f < fmax``) is a peak
    when, with ``x = S * (S > threshold * max(S[t]))``, ``x[k] > x[k-1]`` and
    ``x[k] >= x[k+1]`` (the last bin: ``x[k] > x[k-1]``; bin 0 never). Its
    parabolic refinement uses ``a = S[k+1] + S[k-1] - 2 S[k]``,
    ``b = (S[k+1] - S[k-1]) / 2``, ``shift = -b / a`` (0 if ``|b| >= |a|`` or
    at the edge bins)::

        pitch = (k + shift) * sample_rate / n_fft
        mag = S[k] + 0.5 * b * shift

    Compiled without fast-math so every rounding matches NumPy's.

    Parameters
    ----------
    S : (n_frames, n_bins) float
        Magnitude or power spectrum (non-negative), frames first.
    k0, k1 : int
        Bin range of the frequency mask.
    threshold : float (same dtype as ``S``)
        Peaks must exceed ``threshold`` times the frame's maximum.
    sample_rate : float
        Sampling rate in Hz.
    n_fft : int
        FFT size (``pitch = (k + shift) * sample_rate / n_fft``, librosa's
        order of operations).
    pitch, mag : (>= n_frames * max_peaks,) float64
        Peaks of all frames, written one after another in frame order.
    counts : (n_frames,) int64
        Number of peaks per frame.

    Returns
    -------
    int
        Total number of peaks written.
    """
    n, n_bins = S.shape
    lo = max(k0, 1)
    hi = min(k1, n_bins)
    total = 0
    for t in range(n):
        mx = S[t, 0]
        for k in range(1, n_bins):
            if S[t, k] > mx:
                mx = S[t, k]
        ref = threshold * mx
        c = 0
        for k in range(lo, hi):
            v = S[t, k]
            x = v if v > ref else 0.0 * v
            vm = S[t, k - 1]
            xm = vm if vm > ref else 0.0 * vm
            if k == n_bins - 1:
                peak = x > xm
            else:
                vp = S[t, k + 1]
                xp = vp if vp > ref else 0.0 * vp
                peak = x > xm and x >= xp
            if not peak:
                continue
            sv = np.float64(v)
            shift = 0.0
            b = 0.0
            if k < n_bins - 1:
                sp = np.float64(S[t, k + 1])
                sm = np.float64(S[t, k - 1])
                a = sp + sm - 2 * sv
                b = (sp - sm) / 2.0
                if not abs(b) >= abs(a):
                    shift = -b / a
            pitch[total] = (k + shift) * sample_rate / n_fft
            mag[total] = sv + 0.5 * b * shift
            total += 1
            c += 1
        counts[t] = c
    return total
