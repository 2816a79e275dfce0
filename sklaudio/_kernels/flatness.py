"""Spectral flatness of each frame (geometric over arithmetic mean), frames-first.

Accumulation is in float64 whatever the input dtype. Flatness takes one log
(the vectorised :func:`~sklaudio._kernels._fastmath.log_pos`) per block of
bins (16 with ``amin = 1e-10``), the log of the block's product, with the
block length bounded so that no partial product can overflow or underflow
(see :func:`flatness_rows`).
:func:`_flatness_from_levels` is shared with the fused descriptor pass
(:func:`sklaudio._kernels.moments.fused_descriptor_rows`).
"""

from __future__ import annotations

import numpy as np

from ._fastmath import log_pos
from ._jit import jit


@jit
def _flatness_from_levels(v, ssum, neg_ln_amin, prods, part):
    """Flatness of one row from its levels ``v = max(amin, S ** power)`` (``ssum = sum(v)``).

    The block-product log sum of :func:`flatness_rows` (see there); ``prods``
    (``len(v) + 1``) and ``part`` (16) are scratch. Returns ``min(1, exp(mean
    log v) / mean v)``.
    """
    n_bins = v.shape[0]
    bound = max(neg_ln_amin, np.log(ssum), 1.0)
    slog = 0.0
    if bound <= 43.75:
        # 16 interleaved partial products (four AVX2 vectors: the multiply latency is
        # hidden), L a multiple of 16 with L * bound <= 700
        L = 16 * int(43.75 / bound)
        n_full = (n_bins // L) * L
        n_blk = 0
        for a in range(0, n_full, L):
            for j in range(16):
                part[j] = v[a + j]
            for k in range(a + 16, a + L, 16):
                for j in range(16):
                    part[j] *= v[k + j]
            pr = 1.0
            for j in range(16):
                pr *= part[j]
            prods[n_blk] = pr
            n_blk += 1
        pr = 1.0
        for k in range(n_full, n_bins):
            pr *= v[k]
        prods[n_blk] = pr
        n_blk += 1
        for i in range(n_blk):
            slog += log_pos(prods[i])
    elif bound <= 175.0:
        L = 4 * int(175.0 / bound)
        n_full = (n_bins // L) * L
        n_blk = 0
        for a in range(0, n_full, L):
            p0 = 1.0
            p1 = 1.0
            p2 = 1.0
            p3 = 1.0
            for k in range(a, a + L, 4):
                p0 *= v[k]
                p1 *= v[k + 1]
                p2 *= v[k + 2]
                p3 *= v[k + 3]
            prods[n_blk] = (p0 * p1) * (p2 * p3)
            n_blk += 1
        pr = 1.0
        for k in range(n_full, n_bins):
            pr *= v[k]
        prods[n_blk] = pr
        n_blk += 1
        for i in range(n_blk):
            slog += log_pos(prods[i])
    else:
        for k in range(n_bins):
            slog += np.log(v[k])
    f = np.exp(slog / n_bins) / (ssum / n_bins)
    return min(1.0, f)


@jit
def flatness_rows(S, power, amin, out):
    """Spectral flatness of each row: geometric over arithmetic mean of ``max(amin, S**power)``.

    ``sum_k log v[k]`` is computed as the sum of the logs of the products of
    blocks of ``L`` consecutive values. Every value lies in ``[amin,
    sum(v)]``, so any partial product of at most ``L`` of them lies within
    ``exp(+-L b)`` with ``b = max(-ln amin, ln sum(v), 1)``; ``L <= 700 / b``
    keeps it in the normal float64 range whatever order the vectorised
    product takes. For ``b <= 43.75`` (``amin >= 1e-19`` and ``sum(v) <=
    1e19``), ``L`` is a multiple of 16 (16 interleaved partial products,
    which hide the multiply latency): with ``amin = 1e-10``, ``L = 16``, one
    log (vectorised :func:`log_pos`) per 16 bins instead of one per bin, each
    product exact to ``L`` ulp. For ``b <= 175``, a multiple of 4 (four
    partial products). Frames where ``b > 175`` (``amin < 1e-76`` or
    ``sum(v) > 1e76``) take one ``np.log`` per bin, as the reference formula.

    Parameters
    ----------
    S : (n_frames, n_bins) float
        Magnitude spectrum (non-negative).
    power : float
        Exponent on the magnitude (2: power spectrum).
    amin : float
        Floor, ``> 0``.
    out : (n_frames, 1) float
        ``exp(mean(log v)) / mean(v)`` with ``v = max(amin, S ** power)``,
        in ``[0, 1]`` (clipped at 1 against rounding; a silent frame gives
        ``amin / amin = 1``, as librosa).
    """
    n_bins = S.shape[1]
    v = np.empty(n_bins, dtype=np.float64)
    prods = np.empty(n_bins + 1, dtype=np.float64)
    part = np.empty(16, dtype=np.float64)
    neg_ln_amin = -np.log(amin)
    for t in range(S.shape[0]):
        ssum = 0.0
        if power == 2.0:
            for k in range(n_bins):
                s = np.float64(S[t, k])
                x = max(s * s, amin)
                v[k] = x
                ssum += x
        elif power == 1.0:
            for k in range(n_bins):
                x = max(np.float64(S[t, k]), amin)
                v[k] = x
                ssum += x
        else:
            for k in range(n_bins):
                x = max(np.float64(S[t, k]) ** power, amin)
                v[k] = x
                ssum += x
        out[t, 0] = _flatness_from_levels(v, ssum, neg_ln_amin, prods, part)
