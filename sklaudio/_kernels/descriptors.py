"""Per-frame spectral descriptors (centroid, bandwidth, roll-off, flatness, contrast,
flux, entropy), frames-first. Accumulations are in float64 whatever the input dtype.

These kernels run next to MFCC on the same STFT (``AudioFeatures``), so each is
written to cost a small fraction of it: the inner loops over the bins are
branch-free and vectorisable where possible (no per-bin ``np.log``; no ``/``
in them -- Numba's Python-semantics division checks for zero and blocks
vectorisation, ``np.divide`` does not), and no kernel allocates per frame.

* :func:`log_pos` / :func:`logf_pos` are vectorisable natural logs (fdlibm's
  ``__ieee754_log`` / ``__ieee754_logf``: exponent split by integer
  operations on the bits, minimax polynomial, <= 1 ulp), used by entropy.
* Flatness takes one log per block of ~30 bins, the log of the block's
  product, with the block length bounded so that no partial product can
  overflow or underflow.
* Contrast finds the ``q`` smallest / largest bins of each band by selection,
  not by sorting the band. Non-negative bands (magnitudes) work on the
  integer bits of the values, which order like the values and vectorise:
  ``q == 1`` is one min/max pass, ``q <= 3`` repeated scans for the next
  distinct extreme, larger ``q`` thresholds from interleaved group minima /
  maxima, one branch-free pass collecting the few candidates and a
  branch-free insertion network on them; other bands take the same
  selection on the float values.
* Roll-off sums 32-bin blocks in one vectorised pass and scans bin by bin
  only inside the block that crosses the threshold.
* Bandwidth with ``p = 2`` is one pass (``s2 - 2 c s1 + c**2 s0``).

Every kernel is checked against a naive NumPy twin in ``tests/naive_spectral.py``
(and librosa where it has the feature) by ``tests/test_spectral.py``.
"""

from __future__ import annotations

import numpy as np
from llvmlite import ir
from numba import types
from numba.extending import intrinsic, overload

from ._jit import jit

#: Smallest positive normal float64.
_DBL_MIN = 2.2250738585072014e-308


@intrinsic
def _f64_bits(typingctx, x):
    """The IEEE-754 bits of a float64 as an int64 (a bitcast, no conversion)."""
    if not (isinstance(x, types.Float) and x.bitwidth == 64):
        return None

    def codegen(context, builder, sig, args):
        return builder.bitcast(args[0], ir.IntType(64))

    return types.int64(types.float64), codegen


@intrinsic
def _bits_f64(typingctx, b):
    """The float64 whose IEEE-754 bits are the int64 ``b`` (a bitcast)."""
    if not isinstance(b, types.Integer):
        return None

    def codegen(context, builder, sig, args):
        v = context.cast(builder, args[0], sig.args[0], types.int64)
        return builder.bitcast(v, ir.DoubleType())

    return types.float64(b), codegen


# fdlibm e_log.c: minimax coefficients of (log(1+f) - 2s)/s - s*R on |s| <= 0.1716, ln 2 split.
_LG1 = 6.666666666666735130e-01
_LG2 = 3.999999999940941908e-01
_LG3 = 2.857142874366239149e-01
_LG4 = 2.222219843214978396e-01
_LG5 = 1.818357216161805012e-01
_LG6 = 1.531383769920937332e-01
_LG7 = 1.479819860511658591e-01
_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10


@jit(fastmath={"nsz", "contract"})
def log_pos(x):
    """Natural log of a positive normal finite float64, vectorisable inside a loop.

    fdlibm's ``__ieee754_log`` (Sun Microsystems 1993; musl ``log.c``): write
    ``x = 2**k (1 + f)`` with ``1 + f`` in ``[sqrt(2)/2, sqrt(2))`` by integer
    operations on the bits, then ``log(1 + f) = f - hfsq + s (hfsq + R(s**2))``
    with ``s = f / (2 + f)``, ``hfsq = f**2 / 2`` and ``R`` a degree-7 minimax
    polynomial; ``k ln 2`` is added in two parts. Error <= 1 ulp. No branch and
    no libm call, so LLVM vectorises a loop of it (4 lanes with AVX2), 3-6x
    faster than ``np.log`` there. Zero, subnormals, negatives, inf and NaN give
    wrong finite values: callers substitute 1.0 for them (see the kernels).
    Compiled without the reassociation flag (its instructions keep their own
    flags when inlined): reassociation may regroup the compensated sum and
    the two-part ``k ln 2``.
    """
    b = _f64_bits(x) + (0x3FF0000000000000 - 0x3FE6A09E00000000)
    k = np.float64(np.int32((b >> 52) - 1023))
    f = _bits_f64((b & 0x000FFFFFFFFFFFFF) + 0x3FE6A09E00000000) - 1.0
    hfsq = 0.5 * f * f
    s = np.divide(f, 2.0 + f)
    z = s * s
    w = z * z
    t1 = w * (_LG2 + w * (_LG4 + w * _LG6))
    t2 = z * (_LG1 + w * (_LG3 + w * (_LG5 + w * _LG7)))
    return s * (hfsq + t2 + t1) + k * _LN2_LO - hfsq + f + k * _LN2_HI


@intrinsic
def _f32_bits(typingctx, x):
    """The IEEE-754 bits of a float32 as an int32 (a bitcast)."""
    if not (isinstance(x, types.Float) and x.bitwidth == 32):
        return None

    def codegen(context, builder, sig, args):
        return builder.bitcast(args[0], ir.IntType(32))

    return types.int32(types.float32), codegen


@intrinsic
def _bits_f32(typingctx, b):
    """The float32 whose IEEE-754 bits are the int32 ``b`` (a bitcast)."""
    if not isinstance(b, types.Integer):
        return None

    def codegen(context, builder, sig, args):
        v = context.cast(builder, args[0], sig.args[0], types.int32)
        return builder.bitcast(v, ir.FloatType())

    return types.float32(b), codegen


# fdlibm e_logf.c (float32): |(log(1+s)-log(1-s))/s - Lg(s)| < 2**-34.24.
_F32_ONE = np.float32(1.0)
_F32_TWO = np.float32(2.0)
_F32_HALF = np.float32(0.5)
_F32_ZERO = np.float32(0.0)
_FLT_MIN = np.float32(1.1754943508222875e-38)
_LGF1 = np.float32(0.66666662693)
_LGF2 = np.float32(0.40000972152)
_LGF3 = np.float32(0.28498786688)
_LGF4 = np.float32(0.24279078841)
_LN2F_HI = np.float32(6.9313812256e-01)
_LN2F_LO = np.float32(9.0580006145e-06)


@jit(fastmath={"nsz", "contract"})
def logf_pos(x):
    """Natural log of a positive normal finite float32, all in float32 (8 AVX2 lanes).

    fdlibm's ``__ieee754_logf``, the float32 twin of :func:`log_pos`
    (degree-4 polynomial, error < 1 float32 ulp). Zero, subnormals and
    non-finite values give wrong finite values.
    """
    b = _f32_bits(x) + np.int32(0x3F800000 - 0x3F3504F3)
    k = np.float32((b >> np.int32(23)) - np.int32(0x7F))
    f = _bits_f32((b & np.int32(0x007FFFFF)) + np.int32(0x3F3504F3)) - _F32_ONE
    hfsq = _F32_HALF * f * f
    s = np.divide(f, _F32_TWO + f)
    z = s * s
    w = z * z
    t1 = w * (_LGF2 + w * _LGF4)
    t2 = z * (_LGF1 + w * _LGF3)
    return s * (hfsq + t2 + t1) + k * _LN2F_LO - hfsq + f + k * _LN2F_HI


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
        num = 0.0
        den = 0.0
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
        num = 0.0
        den = 0.0
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
        total = 0.0
        for b in range(n_blocks):
            bs = 0.0
            for k in range(b * block, min((b + 1) * block, n_bins)):
                bs += S[t, k]
            bsums[b] = bs
            total += bs
        thr = roll_percent * total
        idx = n_bins - 1
        acc = 0.0
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


@jit
def fused_descriptor_rows(S, freq, col_centroid, col_bandwidth, bw_norm, col_rolloff,
                          roll_percent, col_flatness, flat_power, flat_amin, out):
    """Centroid, bandwidth (``p = 2``), roll-off and flatness of each row in one pass.

    One loop over each row's bins loads every magnitude once and feeds all
    the requested accumulators; each descriptor then gets the same
    arithmetic as its own kernel (:func:`centroid_rows`, the one-pass
    ``p = 2`` branch of :func:`bandwidth_rows`, :func:`rolloff_rows`,
    :func:`flatness_rows`), term by term and in float64 like them, so the
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
        num = 0.0  # centroid: sum freq * S (products in S's dtype, as centroid_rows)
        den = 0.0  # sum |S|
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
                bs = 0.0
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
            total = 0.0
            for b in range(n_blocks):
                total += bsums[b]
            thr = roll_percent * total
            idx = n_bins - 1
            acc = 0.0
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


@jit
def _select(a, n, k):
    """Reorder ``a[:n]`` so that ``a[:k] <= a[k] <= a[k + 1:n]`` (Wirth's quickselect).

    N. Wirth, *Algorithms + Data Structures = Programs* (1976), ``Find``,
    with the median of three moved to ``k`` as pivot. Expected ``O(n)``.
    """
    lo = 0
    hi = n - 1
    while lo < hi:
        mid = (lo + hi) >> 1
        if a[mid] < a[lo]:
            a[mid], a[lo] = a[lo], a[mid]
        if a[hi] < a[lo]:
            a[hi], a[lo] = a[lo], a[hi]
        if a[hi] < a[mid]:
            a[hi], a[mid] = a[mid], a[hi]
        a[mid], a[k] = a[k], a[mid]
        x = a[k]
        i = lo
        j = hi
        while i <= j:
            while a[i] < x:
                i += 1
            while x < a[j]:
                j -= 1
            if i <= j:
                a[i], a[j] = a[j], a[i]
                i += 1
                j -= 1
        if j < k:
            lo = i
        if k < i:
            hi = j


@jit
def _sum_smallest(a, n, q, work):
    """Sum (float64) of the ``q`` smallest of ``a[:n]``, ``1 <= q <= n`` (may reorder ``a``).

    Few candidates (``n q <= 512``): a branch-free insertion network keeps
    the ``q`` smallest seen so far, sorted, in ``work[:q]`` (``2 q`` min/max
    per entry, no mispredicted branches). Otherwise quickselect.
    """
    acc = 0.0
    if q == n:
        for i in range(n):
            acc += a[i]
        return acc
    if n * q <= 512:
        for r in range(q):
            work[r] = a[r]
        for r in range(1, q):  # sort the first q (insertion network)
            c = work[r]
            for s in range(r):
                w = work[s]
                work[s] = min(w, c)
                c = max(w, c)
            work[r] = c
        for i in range(q, n):
            c = a[i]
            for r in range(q):
                w = work[r]
                work[r] = min(w, c)
                c = max(w, c)
        for r in range(q):
            acc += work[r]
        return acc
    _select(a, n, q - 1)
    for i in range(q):
        acc += a[i]
    return acc


@jit
def _sum_largest(a, n, q, work):
    """Sum (float64) of the ``q`` largest of ``a[:n]``, ``1 <= q <= n`` (may reorder ``a``).

    Mirror image of :func:`_sum_smallest`.
    """
    acc = 0.0
    if q == n:
        for i in range(n):
            acc += a[i]
        return acc
    if n * q <= 512:
        for r in range(q):
            work[r] = a[r]
        for r in range(1, q):
            c = work[r]
            for s in range(r):
                w = work[s]
                work[s] = max(w, c)
                c = min(w, c)
            work[r] = c
        for i in range(q, n):
            c = a[i]
            for r in range(q):
                w = work[r]
                work[r] = max(w, c)
                c = min(w, c)
        for r in range(q):
            acc += work[r]
        return acc
    _select(a, n, n - q)
    for i in range(n - q, n):
        acc += a[i]
    return acc


@jit
def _band_extremes(x, q, buf, lo_buf, hi_buf, work):
    """Sums of the ``q`` smallest and of the ``q`` largest values of ``x`` (1-D).

    ``q == 1``: one min/max pass. ``4 q <= len(x)``: split ``x`` into ``q``
    interleaved groups ``x[j::q]``; the largest group minimum ``tl`` bounds
    the ``q``-th smallest value from above (the ``q`` group minima are ``q``
    distinct entries), so the ``q`` smallest are among the entries ``<= tl``;
    likewise the ``q`` largest are among those ``>= th``, the smallest group
    maximum. One branch-free pass collects those candidates (typically 2-3
    ``q`` per side; a superset when rounding is close, never fewer), which
    are then selected (:func:`_sum_smallest`, :func:`_sum_largest`).
    Otherwise (``4 q > len(x)``) the whole band is selected. The multisets summed are exactly
    those of a full sort; only the order of the float64 additions differs.
    """
    m = x.shape[0]
    if q == 1:
        mn = x[0]
        mx = x[0]
        for i in range(1, m):
            v = x[i]
            mn = min(mn, v)
            mx = max(mx, v)
        return np.float64(mn), np.float64(mx)
    if 4 * q > m:
        for i in range(m):
            buf[i] = x[i]
        return _sum_smallest(buf, m, q, work), _sum_largest(buf, m, q, work)
    tl = x[0]
    th = x[0]
    for j in range(q):
        mn = x[j]
        mx = x[j]
        for i in range(j + q, m, q):
            v = x[i]
            mn = min(mn, v)
            mx = max(mx, v)
        if j == 0:
            tl = mn
            th = mx
        else:
            tl = max(tl, mn)
            th = min(th, mx)
    # Candidates: v <= tl or v >= th, i.e. |v - c| >= w with c, w the centre and half-width
    # of [tl, th]; one compare per entry (this loop is the kernel's hot spot). w is shrunk
    # by 1e-6 relative (> 10 float32 ulp of the operands) plus the dtype's tiny (> any
    # subnormal rounding), so rounding can only add candidates, never drop one; the exact
    # tests below sort them out. (tl > th gives w < 0: everything is kept.) c and w are
    # computed in float64, then stored in x's dtype: no conversion in the loop.
    c64 = 0.5 * np.float64(tl) + 0.5 * np.float64(th)
    w64 = 0.5 * np.float64(th) - 0.5 * np.float64(tl)
    work[0] = c64
    work[1] = w64 - (abs(c64) + abs(w64)) * 1e-6 - np.finfo(x.dtype).tiny
    c = work[0]
    w = work[1]
    n = 0
    for i in range(m):  # branch-free, one store per entry
        v = x[i]
        buf[n] = v
        n += abs(v - c) >= w
    n_lo = 0
    n_hi = 0
    for i in range(n):
        v = buf[i]
        lo_buf[n_lo] = v
        hi_buf[n_hi] = v
        n_lo += v <= tl
        n_hi += v >= th
    return _sum_smallest(lo_buf, n_lo, q, work), _sum_largest(hi_buf, n_hi, q, work)


def _order_key(v):
    """The IEEE-754 bits of the float ``v`` as a signed integer (compiled code only)."""
    raise NotImplementedError("_order_key is only callable from compiled code")


@overload(_order_key)
def _order_key_impl(v):
    """float32 -> int32 bits, float64 -> int64 bits (a bitcast).

    For non-negative floats (``+0.0`` up to ``+inf``, positive NaN above)
    the bits, read as signed integers, order exactly as the values, and any
    value with the sign bit set (negatives, ``-0.0``) gives a negative key.
    Integer ``min``/``max`` have no NaN semantics to honour, so reductions
    over keys vectorise under the project's fast-math flags (float
    ``min``/``max`` do not without ``nnan``).
    """
    if isinstance(v, types.Float) and v.bitwidth == 32:
        return lambda v: _f32_bits(v)
    if isinstance(v, types.Float) and v.bitwidth == 64:
        return lambda v: _f64_bits(v)
    return None


def _key_value(k, like):
    """The float of ``like``'s type whose bits are the key ``k`` (compiled code only)."""
    raise NotImplementedError("_key_value is only callable from compiled code")


@overload(_key_value)
def _key_value_impl(k, like):
    """Inverse of :func:`_order_key` (``like`` only selects float32 or float64)."""
    if isinstance(like, types.Float) and like.bitwidth == 32:
        return lambda k, like: _bits_f32(k)
    if isinstance(like, types.Float) and like.bitwidth == 64:
        return lambda k, like: _bits_f64(k)
    return None


#: Largest ``n_q`` searched by repeated vectorised scans in :func:`contrast_rows` (each
#: scan costs about as much as the group pass of the next method; measured faster up to 3).
_QSCAN = 3

#: Largest ``n_q`` searched by groups and an insertion network in :func:`contrast_rows`
#: (larger ``n_q``: quickselect, :func:`_band_extremes`).
_QMAX = 32


@jit
def contrast_rows(S, band_start, band_stop, n_q, linear, amin, out):
    """Spectral contrast (peak vs valley of each sub-band) of each row.

    The valley (peak) of a band is the mean of its ``n_q`` smallest
    (largest) bins, found by selection, not by a sort; the comparisons are
    exact, the sums in float64.

    Non-negative bands (magnitudes; a negative value or ``-0.0`` is detected
    on the way) are searched on the integer keys of the values
    (:func:`_order_key`), inline, with no call per band:

    * ``n_q == 1``: one vectorised min/max pass over the keys;
    * ``n_q <= 3``: after the min/max pass, repeated vectorised passes that
      count the current smallest (largest) key and find the next distinct
      one, both sides at once, until ``n_q`` values per side are summed, in
      sorted order;
    * ``4 <= n_q <= 32`` and ``4 n_q <= width``: the keys' minima and
      maxima over ``n_q`` interleaved groups ``x[j::n_q]``. The largest
      group minimum ``tl`` bounds the ``n_q``-th smallest value from above
      (the ``n_q`` group minima are distinct entries ``<= tl``), so the
      ``n_q`` smallest values are among the entries ``<= tl``; likewise
      the largest are among those ``>= th``, the smallest group maximum.
      One branch-free pass collects those candidates (typically 2-3 ``n_q``
      per side), and an insertion network on their keys keeps the ``n_q``
      extremes, summed in sorted order (many candidates, e.g. silence:
      :func:`_sum_smallest` / :func:`_sum_largest`).

    Other bands take :func:`_band_extremes`. Either way the multisets summed
    are exactly those of a full sort; only the order of the float64
    additions may differ from it (float32 results: identical to the
    previous float-compare selection in all our tests; float64: within a
    few 1e-15 relative). At ``n_fft=2048`` this costs about 1.4 us per frame
    (was 2.0 us), at ``n_fft=256`` 0.15 us (was 0.5 us).

    Parameters
    ----------
    S : (n_frames, n_bins) float
        Magnitude spectrum.
    band_start, band_stop : (n_bands + 1,) int64
        Band ``b`` is bins ``band_start[b]:band_stop[b]`` (non-empty).
    n_q : (n_bands + 1,) int64
        Bins averaged for the valley (smallest) and the peak (largest),
        ``1 <= n_q[b] <= band_stop[b] - band_start[b]``.
    linear : bool
        Write ``peak - valley`` into ``out[:, b]`` (``out`` has
        ``n_bands + 1`` columns). Otherwise write ``10 log10(max(amin, peak))``
        into ``out[:, b]`` and the valley's into ``out[:, n_bands + 1 + b]``
        (``out`` has ``2 (n_bands + 1)`` columns); the per-clip ``top_db``
        clamp and the difference are done afterwards.
    amin : float
        Floor before the log.
    out : (n_frames, n_bands + 1) or (n_frames, 2 (n_bands + 1)) float
    """
    n_b = band_start.shape[0]
    width = 1
    qmax = 1
    for b in range(n_b):
        width = max(width, band_stop[b] - band_start[b])
        qmax = max(qmax, n_q[b])
    buf = np.empty(width, dtype=S.dtype)
    lo_buf = np.empty(width, dtype=S.dtype)
    hi_buf = np.empty(width, dtype=S.dtype)
    work = np.empty(max(qmax, 2), dtype=S.dtype)
    lo_k = np.empty(width, dtype=np.int64)
    hi_k = np.empty(width, dtype=np.int64)
    wk = np.empty(max(qmax, 2), dtype=np.int64)
    scale = 10.0 / np.log(10.0)
    for t in range(S.shape[0]):
        row = S[t]
        for b in range(n_b):
            q = n_q[b]
            x = row[band_start[b]:band_stop[b]]
            m = x.shape[0]
            keyed = False
            lo = 0.0
            hi = 0.0
            if q == 1:
                kmin = _order_key(x[0])
                kmax = kmin
                for i in range(1, m):
                    k = _order_key(x[i])
                    kmin = min(kmin, k)
                    kmax = max(kmax, k)
                if kmin >= 0:
                    keyed = True
                    lo = np.float64(_key_value(kmin, x[0]))
                    hi = np.float64(_key_value(kmax, x[0]))
            elif q <= _QSCAN:
                # repeated vectorised scans: each pass counts the current extreme key and
                # finds the next distinct one, on both sides at once
                kmin = _order_key(x[0])
                kmax = kmin
                for i in range(1, m):
                    k = _order_key(x[i])
                    kmin = min(kmin, k)
                    kmax = max(kmax, k)
                if kmin >= 0:
                    keyed = True
                    cur_lo = kmin
                    cur_hi = kmax
                    need_lo = q
                    need_hi = q
                    while need_lo > 0 or need_hi > 0:
                        c_lo = 0
                        c_hi = 0
                        nxt_lo = kmax  # sentinel: no larger key
                        nxt_hi = kmin
                        for i in range(m):
                            k = _order_key(x[i])
                            c_lo += k == cur_lo
                            c_hi += k == cur_hi
                            nxt_lo = min(nxt_lo, k if k > cur_lo else kmax)
                            nxt_hi = max(nxt_hi, k if k < cur_hi else kmin)
                        if need_lo > 0:
                            v = np.float64(_key_value(cur_lo, x[0]))
                            for r in range(min(c_lo, need_lo)):  # ascending, one at a time
                                lo += v
                            need_lo -= min(c_lo, need_lo)
                            cur_lo = nxt_lo
                        if need_hi > 0:
                            v = np.float64(_key_value(cur_hi, x[0]))
                            for r in range(min(c_hi, need_hi)):  # descending
                                hi += v
                            need_hi -= min(c_hi, need_hi)
                            cur_hi = nxt_hi
            elif q <= _QMAX and 4 * q <= m:
                tl = _order_key(x[0])
                th = tl
                neg = tl < 0
                for j in range(q):  # group extremes (register accumulators, strided reads)
                    mn = _order_key(x[j])
                    mx = mn
                    for i in range(j + q, m, q):
                        k = _order_key(x[i])
                        mn = min(mn, k)
                        mx = max(mx, k)
                    neg |= mn < 0
                    tl = max(tl, mn) if j > 0 else mn
                    th = min(th, mx) if j > 0 else mx
                if not neg:
                    keyed = True
                    n_lo = 0
                    n_hi = 0
                    for i in range(m):  # branch-free candidates, two stores per entry
                        k = _order_key(x[i])
                        lo_k[n_lo] = k
                        hi_k[n_hi] = k
                        n_lo += k <= tl
                        n_hi += k >= th
                    if n_lo * q <= 512:  # insertion network: q smallest, ascending
                        for r in range(q):
                            c = lo_k[r]
                            for s in range(r):
                                w = wk[s]
                                wk[s] = min(w, c)
                                c = max(w, c)
                            wk[r] = c
                        for i in range(q, n_lo):
                            c = lo_k[i]
                            for r in range(q):
                                w = wk[r]
                                wk[r] = min(w, c)
                                c = max(w, c)
                        for r in range(q):
                            lo += np.float64(_key_value(wk[r], x[0]))
                    else:
                        for i in range(n_lo):
                            lo_buf[i] = _key_value(lo_k[i], x[0])
                        lo = _sum_smallest(lo_buf, n_lo, q, work)
                    if n_hi * q <= 512:  # q largest, descending
                        for r in range(q):
                            c = hi_k[r]
                            for s in range(r):
                                w = wk[s]
                                wk[s] = max(w, c)
                                c = min(w, c)
                            wk[r] = c
                        for i in range(q, n_hi):
                            c = hi_k[i]
                            for r in range(q):
                                w = wk[r]
                                wk[r] = max(w, c)
                                c = min(w, c)
                        for r in range(q):
                            hi += np.float64(_key_value(wk[r], x[0]))
                    else:
                        for i in range(n_hi):
                            hi_buf[i] = _key_value(hi_k[i], x[0])
                        hi = _sum_largest(hi_buf, n_hi, q, work)
            if not keyed:
                lo, hi = _band_extremes(x, q, buf, lo_buf, hi_buf, work)
            valley = lo / q
            peak = hi / q
            if linear:
                out[t, b] = peak - valley
            elif amin >= _DBL_MIN:  # levels now, dB below in one vectorised pass
                out[t, b] = max(peak, amin)
                out[t, n_b + b] = max(valley, amin)
            else:
                out[t, b] = scale * np.log(max(peak, amin))
                out[t, n_b + b] = scale * np.log(max(valley, amin))
    if not linear and amin >= _DBL_MIN:
        for t in range(S.shape[0]):
            for j in range(2 * n_b):
                out[t, j] = scale * log_pos(max(np.float64(out[t, j]), amin))


@jit
def normalized_flux_rows(S, out, first, last):
    """Flux between consecutive rows of sum-normalised magnitude spectra.

    ``out[t, 0] = sum_k (P[t, k] - P[t - 1, k]) ** 2`` with
    ``P[t] = S[t] / sum(S[t])`` (``P[t] = 0`` for a frame whose sum is
    below ``tiny``); ``out[0, 0] = 0``. The caller fixes the first row
    (and any row that starts a clip) with ``first``/``last``.

    Parameters
    ----------
    S : (n_frames, n_bins) float
        Magnitude spectrum (non-negative), ``n_frames >= 1``.
    out : (n_frames, >= 1) float
    first, last : (n_bins,) float64
        Receive ``P[0]`` and ``P[-1]``.
    """
    n, n_bins = S.shape
    tiny = np.finfo(out.dtype).tiny
    prev = np.zeros(n_bins, dtype=np.float64)
    for t in range(n):
        s = 0.0
        for k in range(n_bins):
            s += S[t, k]
        inv = 1.0 / s if s >= tiny else 0.0
        if t == 0:
            out[t, 0] = 0.0
            for k in range(n_bins):
                c = S[t, k] * inv
                first[k] = c
                prev[k] = c
        else:
            acc = 0.0
            for k in range(n_bins):
                c = S[t, k] * inv
                d = c - prev[k]
                acc += d * d
                prev[k] = c
            out[t, 0] = acc
    for k in range(n_bins):
        last[k] = prev[k]


@jit
def onset_flux_clips(S, frame_offsets, shift, out):
    """librosa's onset strength (lag 1, no max filter, mean over rows) per clip.

    For each clip of ``T`` frames (local index ``t``):
    ``out[t] = mean_m max(0, S[t - shift + 1, m] - S[t - shift, m])`` when
    ``t >= shift``, else 0 (librosa pads ``shift`` zeros in front of the
    ``T - 1`` differences and trims to ``T``).

    Parameters
    ----------
    S : (n_frames_total, n_mels) float
        Log-power (dB) rows, clips concatenated.
    frame_offsets : (n_clips + 1,) int64
    shift : int
        ``lag + n_fft // (2 hop_length)`` with ``center``, else ``lag`` (>= 1).
    out : (n_frames_total, 1) float
    """
    n_m = S.shape[1]
    for c in range(frame_offsets.shape[0] - 1):
        a = frame_offsets[c]
        b = frame_offsets[c + 1]
        for f in range(a, b):
            t = f - a
            if t < shift:
                out[f, 0] = 0.0
                continue
            g = a + t - shift
            acc = 0.0
            for m in range(n_m):
                d = np.float64(S[g + 1, m]) - np.float64(S[g, m])
                if d > 0.0:
                    acc += d
            out[f, 0] = acc / n_m


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
    tiny = _DBL_MIN  # the sum is float64: float32's tiny would silence quiet frames
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
            h -= pj * log_pos(pj if pj >= _DBL_MIN else 1.0)
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
    :func:`logf_pos`, summed in float32 over blocks of 64 bins and in
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
    tiny = _DBL_MIN  # the sum is float64: float32's tiny would silence quiet frames
    hmax = np.log(np.float64(n_bands))
    for t in range(S.shape[0]):
        total = 0.0
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
                    h32 -= pj * logf_pos(pj if pj >= _FLT_MIN else _F32_ONE)
            else:
                for j in range(a0, min(a0 + 64, n_bands)):
                    pj = S[t, j] * r
                    h32 -= pj * logf_pos(pj if pj >= _FLT_MIN else _F32_ONE)
            h += np.float64(h32)
        h = max(h, 0.0)
        h = min(h, hmax)
        if normalize:
            h = h / hmax if n_bands > 1 else 0.0
        out[t, 0] = h
