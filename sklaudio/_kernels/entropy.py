"""Spectral entropy (Shannon, nats) of each frame's sub-band energy distribution.

:func:`entropy_rows` works in float64 with the vectorised float64 log
(:func:`~sklaudio._kernels._fastmath.log_pos`, fdlibm, <= 1 ulp);
:func:`entropy_rows_f32` is its float32 fast path (one bin per band, power 1
or 2) with the per-bin work in float32 and the Cephes float32 log
(:func:`~sklaudio._kernels._fastmath.logf_cephes`, <= 2 ulp, the one the MFCC
dB pass uses).
"""

from __future__ import annotations

import numpy as np

from ._fastmath import DBL_MIN, FLT_MIN, log_pos, logf_cephes
from ._jit import jit

_F32_ONE = np.float32(1.0)
_F32_ZERO = np.float32(0.0)
#: Smallest normal float32, as a float32 constant.
_FLT_MIN = np.float32(FLT_MIN)


@jit
def entropy_rows(S, power, band_size, n_bands, normalize, out):
    """Shannon entropy (nats) of each row's sub-band energy distribution.

    ``E[j] = sum_{k in band j} S[k] ** power`` over ``n_bands`` contiguous
    bands of ``band_size`` bins from bin 0 (bins past ``n_bands * band_size``
    are ignored); ``p = E / sum(E)``; ``H = -sum_j p[j] log p[j]`` (``0 log 0
    = 0``), clipped to ``[0, log n_bands]`` against rounding. A frame with
    ``sum(E)`` below the float64 ``tiny`` (2.2e-308, whatever the dtype) gives 0. With ``normalize``, ``H / log n_bands``
    (0 when ``n_bands == 1``). The logs are :func:`log_pos` (vectorised);
    a subnormal ``p`` (``< 2.2e-308``, contribution ``< 1.6e-305``) is
    counted as 0 like ``p = 0``.

    Parameters
    ----------
    S : (n_frames, n_bins) float
        Magnitude spectrum (non-negative).
    power : float
    band_size, n_bands : int
        ``band_size * n_bands <= n_bins``.
    normalize : bool
    out : (n_frames, 1) float
    """
    tiny = DBL_MIN  # the sum is float64: float32's tiny would silence quiet frames
    E = np.empty(n_bands, dtype=np.float64)
    hmax = np.log(np.float64(n_bands))
    for t in range(S.shape[0]):
        total = 0.0
        if band_size == 1:
            if power == 2.0:
                for j in range(n_bands):
                    s = np.float64(S[t, j])
                    E[j] = s * s
                    total += s * s
            elif power == 1.0:
                for j in range(n_bands):
                    s = np.float64(S[t, j])
                    E[j] = s
                    total += s
            else:
                for j in range(n_bands):
                    s = np.float64(S[t, j]) ** power
                    E[j] = s
                    total += s
        else:
            for j in range(n_bands):
                acc = 0.0
                for k in range(j * band_size, (j + 1) * band_size):
                    s = np.float64(S[t, k])
                    if power == 2.0:
                        acc += s * s
                    elif power == 1.0:
                        acc += s
                    else:
                        acc += s ** power
                E[j] = acc
                total += acc
        if not total >= tiny:
            out[t, 0] = 0.0
            continue
        inv = 1.0 / total
        h = 0.0
        for j in range(n_bands):
            pj = E[j] * inv
            # 0 log 0 = 0; a subnormal p (< 2.2e-308) contributes < 1.6e-305: dropped too
            h -= pj * log_pos(pj if pj >= DBL_MIN else 1.0)
        h = max(h, 0.0)
        h = min(h, hmax)
        if normalize:
            h = h / hmax if n_bands > 1 else 0.0
        out[t, 0] = h


@jit
def entropy_rows_f32(S, power, n_bands, normalize, out):
    """:func:`entropy_rows` with one bin per band, float32 ``S``, ``power`` 1 or 2.

    The per-bin work is done in float32 (8 AVX2 lanes): ``a = S * r`` with
    ``r = 1 / sum(S**2) ** (1/2)`` (``power=2``, then ``p = a * a``) or
    ``p = S * r`` with ``r = 1 / sum(S)`` (``power=1``), ``-p log p`` with
    :func:`logf_cephes`, summed in float32 over blocks of 64 bins and in
    float64 across blocks; ``sum(S**power)`` itself is accumulated in
    float64. About twice as fast as :func:`entropy_rows` on float32 input;
    the error is a few float32 ulp of ``H`` (<= 1e-6 nats absolute, also for
    nearly pure tones where ``H`` is close to 0). A frame whose ``r`` would
    fall below 1e-30 (``sum(S**power)`` above 1e60 for ``power=2``, 1e30 for
    ``power=1``) goes through :func:`entropy_rows`.

    Parameters
    ----------
    S : (n_frames, n_bins) float32
        Magnitude spectrum (non-negative).
    power : float
        1.0 or 2.0.
    n_bands : int
        Number of leading bins used, ``<= n_bins``.
    normalize : bool
    out : (n_frames, 1) float32
    """
    tiny = DBL_MIN  # the sum is float64: float32's tiny would silence quiet frames
    hmax = np.log(np.float64(n_bands))
    for t in range(S.shape[0]):
        total = np.float64(0.0)
        if power == 2.0:
            for j in range(n_bands):
                s = np.float64(S[t, j])
                total += s * s
        else:
            for j in range(n_bands):
                total += S[t, j]
        if not total >= tiny:
            out[t, 0] = 0.0
            continue
        rd = 1.0 / np.sqrt(total) if power == 2.0 else 1.0 / total
        if not 1e-30 <= rd <= 1e30:  # float32 r would be subnormal or overflow: exact path
            entropy_rows(S[t:t + 1], power, 1, n_bands, normalize, out[t:t + 1])
            continue
        r = np.float32(rd)
        h = 0.0
        for a0 in range(0, n_bands, 64):
            h32 = _F32_ZERO
            if power == 2.0:
                for j in range(a0, min(a0 + 64, n_bands)):
                    a = S[t, j] * r
                    pj = a * a
                    h32 -= pj * logf_cephes(pj if pj >= _FLT_MIN else _F32_ONE)
            else:
                for j in range(a0, min(a0 + 64, n_bands)):
                    pj = S[t, j] * r
                    h32 -= pj * logf_cephes(pj if pj >= _FLT_MIN else _F32_ONE)
            h += np.float64(h32)
        h = max(h, 0.0)
        h = min(h, hmax)
        if normalize:
            h = h / hmax if n_bands > 1 else 0.0
        out[t, 0] = h
