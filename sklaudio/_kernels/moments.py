"""Spectral centroid, bandwidth and roll-off of each frame, and the fused one-pass of those
plus flatness, frames-first. Accumulations are in float64 whatever the input dtype.

These kernels run next to MFCC on the same STFT (``AudioFeatures``), so each is
written to cost a small fraction of it: the inner loops over the bins are
branch-free and vectorisable where possible (no ``/`` in them -- Numba's
Python-semantics division checks for zero and blocks vectorisation,
``np.divide`` does not), and no kernel allocates per frame.

* Roll-off sums 32-bin blocks in one vectorised pass and scans bin by bin
  only inside the block that crosses the threshold.
* Bandwidth with ``p = 2`` is one pass (``s2 - 2 c s1 + c**2 s0``).
* :func:`fused_descriptor_rows` loads each magnitude once for centroid,
  bandwidth, roll-off and flatness (:mod:`.flatness`), with each one's own
  arithmetic.

Every kernel is checked against a naive NumPy twin in ``tests/naive_spectral.py``
(and librosa where it has the feature) by ``tests/test_spectral.py``.
"""

from __future__ import annotations

import numpy as np

from ._jit import jit
from .flatness import _flatness_from_levels


@jit
def centroid_rows(S, freq, out):
    """Spectral centroid of each row of a magnitude spectrum.

    Parameters
    ----------
    S : (n_frames, n_bins) float
        Magnitude spectrum, frames first.
    freq : (n_bins,) float
        Bin centre frequencies in Hz.
    out : (n_frames, 1) float
        ``sum(freq * S) / sum(S)``; a frame whose ``sum(S)`` is below the
        dtype's ``tiny`` is left unnormalised (librosa ``util.normalize``),
        so silence gives 0 Hz.
    """
    tiny = np.finfo(out.dtype).tiny
    for t in range(S.shape[0]):
        num = np.float64(0.0)
        den = np.float64(0.0)
        for k in range(S.shape[1]):
            v = S[t, k]
            num += freq[k] * v
            den += abs(v)
        out[t, 0] = num / den if den >= tiny else num


@jit
def bandwidth_rows(S, freq, centroid, p, norm, out):
    """p-th order spectral bandwidth of each row of a magnitude spectrum.

    Parameters
    ----------
    S : (n_frames, n_bins) float
        Magnitude spectrum, frames first (non-negative).
    freq : (n_bins,) float
        Bin centre frequencies in Hz.
    centroid : (n_frames,) or (0,) float
        Precomputed centroid of each row in Hz; empty to compute it from
        ``S`` (:func:`centroid_rows`).
    p : float
        Order, ``> 0``.
    norm : bool
        Divide ``S`` by its sum first (librosa ``util.normalize(norm=1)``:
        a frame whose sum is below ``tiny`` is left as is).
    out : (n_frames, 1) float
        ``(sum_k w[k] |freq[k] - c| ** p) ** (1 / p)`` with ``c`` the
        centroid (:func:`centroid_rows`) and ``w = S`` or ``S / sum(S)``.
    """
    tiny = np.finfo(out.dtype).tiny
    n_bins = S.shape[1]
    one_pass = p == 2.0 and centroid.shape[0] == 0
    for t in range(S.shape[0]):
        if one_pass:
            # sum w (f - c)**2 = s2 - 2 c s1 + c**2 s0: one pass, in float64 (the cancellation
            # costs ~eps * E[f**2] / var, < 1e-10 relative even for a pure tone)
            s0 = 0.0
            s1 = 0.0
            s2 = 0.0
            den = 0.0
            for k in range(n_bins):
                v = np.float64(S[t, k])
                fv = np.float64(freq[k]) * v
                s0 += v
                s1 += fv
                s2 += np.float64(freq[k]) * fv
                den += abs(v)
            scale = den if den >= tiny else 1.0
            c = s1 / scale
            acc = max(s2 - c * (2.0 * s1 - c * s0), 0.0)
            if norm:
                acc = acc / scale
            out[t, 0] = np.sqrt(acc)
            continue
        num = np.float64(0.0)
        den = np.float64(0.0)
        for k in range(n_bins):
            v = S[t, k]
            num += freq[k] * v
            den += abs(v)
        scale = den if den >= tiny else 1.0
        c = num / scale if centroid.shape[0] == 0 else np.float64(centroid[t])
        acc = 0.0
        if p == 2.0:
            for k in range(n_bins):
                d = freq[k] - c
                acc += S[t, k] * (d * d)
        elif p == 1.0:
            for k in range(n_bins):
                acc += S[t, k] * abs(freq[k] - c)
        else:
            for k in range(n_bins):
                acc += S[t, k] * abs(freq[k] - c) ** p
        if norm:
            acc = acc / scale
        if p == 2.0:
            out[t, 0] = np.sqrt(acc)
        elif p == 1.0:
            out[t, 0] = acc
        else:
            out[t, 0] = acc ** (1.0 / p)


@jit
def rolloff_rows(S, freq, roll_percent, out):
    """Roll-off frequency of each row, with librosa's tie and silence rules.

    The roll-off is the lowest ``freq[k]`` over the bins whose cumulative sum
    ``C[k] = sum_{j <= k} S[j]`` reaches ``roll_percent * C[-1]`` (librosa
    ``feature.spectral_rolloff``: ``nanmin`` over the qualifying bins). A
    silent frame (``C[-1] == 0``) qualifies every bin, hence ``min(freq)``
    (0 Hz for rFFT bins).

    One vectorised pass sums blocks of 32 bins (and the total); the scan
    then adds block sums until the block that reaches the threshold and goes
    bin by bin inside it only (starting from the same block-level partial
    sum whatever the threshold, so the result is non-decreasing in
    ``roll_percent``). With ``S >= 0`` every bin from the first qualifying
    one on qualifies, so the answer is the suffix minimum of ``freq`` there.

    Parameters
    ----------
    S : (n_frames, n_bins) float
        Magnitude spectrum (non-negative).
    freq : (n_bins,) float
        Bin frequencies in Hz.
    roll_percent : float
        In ``(0, 1)``.
    out : (n_frames, 1) float
    """
    n_bins = S.shape[1]
    block = 32
    n_blocks = (n_bins + block - 1) // block
    bsums = np.empty(n_blocks, dtype=np.float64)
    suffix_min = np.empty(n_bins, dtype=np.float64)
    m = np.inf
    for k in range(n_bins - 1, -1, -1):
        m = min(m, np.float64(freq[k]))
        suffix_min[k] = m
    for t in range(S.shape[0]):
        total = np.float64(0.0)
        for b in range(n_blocks):
            bs = np.float64(0.0)
            for k in range(b * block, min((b + 1) * block, n_bins)):
                bs += S[t, k]
            bsums[b] = bs
            total += bs
        thr = roll_percent * total
        idx = n_bins - 1
        acc = np.float64(0.0)
        for b in range(n_blocks):
            if acc + bsums[b] >= thr:
                run = acc
                hit = -1
                for k in range(b * block, min((b + 1) * block, n_bins)):
                    run += S[t, k]
                    if run >= thr:
                        hit = k
                        break
                if hit >= 0:
                    idx = hit
                    break
            acc += bsums[b]
        out[t, 0] = suffix_min[idx]


@jit
def fused_descriptor_rows(S, freq, col_centroid, col_bandwidth, bw_norm, col_rolloff,
                          roll_percent, col_flatness, flat_power, flat_amin, out):
    """Centroid, bandwidth (``p = 2``), roll-off and flatness of each row in one pass.

    One loop over each row's bins loads every magnitude once and feeds all
    the requested accumulators; each descriptor then gets the same
    arithmetic as its own kernel (:func:`centroid_rows`, the one-pass
    ``p = 2`` branch of :func:`bandwidth_rows`, :func:`rolloff_rows`,
    :func:`~sklaudio._kernels.flatness.flatness_rows`), term by term and in float64 like them, so the
    values agree with those kernels up to the order of the vectorised float64
    sums (a few float64 ulp before the final rounding; with float32 output
    they are in practice identical). Roll-off's 32-bin block sums come from
    the same loop; its bin-by-bin scan and flatness's block products and
    logs run afterwards on the row (still in L1).

    Parameters
    ----------
    S : (n_frames, n_bins) float
        Magnitude spectrum, frames first (non-negative).
    freq : (n_bins,) float, same dtype as ``S``
        Bin centre frequencies in Hz.
    col_centroid, col_bandwidth, col_rolloff, col_flatness : int
        Output column of each descriptor, ``-1`` to skip it.
    bw_norm : bool
        Bandwidth's ``norm`` (divide by the frame's magnitude sum).
    roll_percent : float
        Roll-off fraction, in ``(0, 1)``.
    flat_power, flat_amin : float
        Flatness exponent (``> 0``) and floor (``> 0``).
    out : (n_frames, n_out) float
        Receives the requested columns.
    """
    n_bins = S.shape[1]
    tiny = np.finfo(out.dtype).tiny
    want_c = col_centroid >= 0
    want_bw = col_bandwidth >= 0
    want_r = col_rolloff >= 0
    want_f = col_flatness >= 0
    block = 32
    n_blocks = (n_bins + block - 1) // block
    bsums = np.empty(n_blocks, dtype=np.float64)
    suffix_min = np.empty(n_bins, dtype=np.float64)
    m = np.inf
    for k in range(n_bins - 1, -1, -1):
        m = min(m, np.float64(freq[k]))
        suffix_min[k] = m
    v = np.empty(n_bins, dtype=np.float64)
    prods = np.empty(n_bins + 1, dtype=np.float64)
    part = np.empty(16, dtype=np.float64)
    neg_ln_amin = -np.log(flat_amin)
    for t in range(S.shape[0]):
        num = np.float64(0.0)  # centroid: sum freq * S (products in S's dtype, as centroid_rows)
        den = np.float64(0.0)  # sum |S|
        s0 = 0.0
        s1 = 0.0
        s2 = 0.0
        ssum = 0.0
        for k in range(n_bins):
            x = S[t, k]
            x64 = np.float64(x)
            f64 = np.float64(freq[k])
            num += freq[k] * x
            den += abs(x)
            fv = f64 * x64
            s0 += x64
            s1 += fv
            s2 += f64 * fv
        if want_r:  # roll-off block sums: rolloff_rows' loop
            for b in range(n_blocks):
                bs = np.float64(0.0)
                for k in range(b * block, min((b + 1) * block, n_bins)):
                    bs += S[t, k]
                bsums[b] = bs
        if want_f:  # flatness levels: flatness_rows' loops
            if flat_power == 2.0:
                for k in range(n_bins):
                    x64 = np.float64(S[t, k])
                    y = max(x64 * x64, flat_amin)
                    v[k] = y
                    ssum += y
            elif flat_power == 1.0:
                for k in range(n_bins):
                    y = max(np.float64(S[t, k]), flat_amin)
                    v[k] = y
                    ssum += y
            else:
                for k in range(n_bins):
                    y = max(np.float64(S[t, k]) ** flat_power, flat_amin)
                    v[k] = y
                    ssum += y
        if want_c:
            out[t, col_centroid] = num / den if den >= tiny else num
        if want_bw:
            scale = den if den >= tiny else 1.0
            c = s1 / scale
            acc = max(s2 - c * (2.0 * s1 - c * s0), 0.0)
            if bw_norm:
                acc = acc / scale
            out[t, col_bandwidth] = np.sqrt(acc)
        if want_r:
            total = np.float64(0.0)
            for b in range(n_blocks):
                total += bsums[b]
            thr = roll_percent * total
            idx = n_bins - 1
            acc = np.float64(0.0)
            for b in range(n_blocks):
                if acc + bsums[b] >= thr:
                    run = acc
                    hit = -1
                    for k in range(b * block, min((b + 1) * block, n_bins)):
                        run += S[t, k]
                        if run >= thr:
                            hit = k
                            break
                    if hit >= 0:
                        idx = hit
                        break
                acc += bsums[b]
            out[t, col_rolloff] = suffix_min[idx]
        if want_f:
            out[t, col_flatness] = _flatness_from_levels(v, ssum, neg_ln_amin, prods, part)
