"""PNCC kernels (Kim & Stern 2016): pre-emphasis, gammatone integration and the
temporal stages, which are recursive over the frames of each clip.

The stage functions work on one clip, ``(n_frames, n_channels)`` float64
arrays, frames first; :func:`pncc_clips` runs them over every clip of a
frames-first batch given its ``frame_offsets``. Source: C. Kim and R. M. Stern, "Power-Normalized Cepstral Coefficients (PNCC) for
Robust Speech Recognition", IEEE/ACM TASLP 24(7):1315-1329, 2016.
"""

from __future__ import annotations

import numpy as np

from ._jit import jit

#: The asymmetric filters start from this fraction of their first input
#: (the authors' reference implementation, ``PNCC_IEEETran.m``).
AF_INIT = 0.9


@jit
def preemphasis_clips(samples, offsets, coef, out):
    """``out[n] = x[n] - coef * x[n - 1]`` within each clip, ``out[0] = x[0]``.

    Parameters
    ----------
    samples : (total_samples,) float
        Flat clip buffer.
    offsets : (n_clips + 1,) int64
    coef : float
        Pre-emphasis coefficient (0.97 in the paper).
    out : (total_samples,) float
    """
    for c in range(offsets.shape[0] - 1):
        a = offsets[c]
        b = offsets[c + 1]
        if b <= a:
            continue
        out[a] = samples[a]
        for n in range(a + 1, b):
            out[n] = np.float64(samples[n]) - coef * np.float64(samples[n - 1])


@jit
def filterbank_rows(S, fb_start, fb_stop, fb_offset, fb_weights, out):
    """``out[t, m] = sum_k W[m, k] S[t, k]`` for a sparse filterbank (float64 sums).

    Parameters
    ----------
    S : (n_frames, n_bins) float
        Power spectrum, frames first.
    fb_start, fb_stop, fb_offset, fb_weights
        Sparse filterbank (see :class:`sklaudio.filters.SparseFilterbank`).
    out : (n_frames, n_filters) float
    """
    for t in range(S.shape[0]):
        for m in range(fb_start.shape[0]):
            acc = 0.0
            o = fb_offset[m] - fb_start[m]
            for k in range(fb_start[m], fb_stop[m]):
                acc += np.float64(fb_weights[o + k]) * np.float64(S[t, k])
            out[t, m] = acc


@jit
def medium_time_power(P, M, out):
    """Medium-time power: ``Q[m, l] = mean(P[m - M .. m + M, l])``.

    At the clip edges the mean is over the frames that exist (so a constant
    input stays constant).
    """
    n, L = P.shape
    for m in range(n):
        lo = m - M if m - M > 0 else 0
        hi = m + M + 1 if m + M + 1 < n else n
        inv = 1.0 / (hi - lo)
        for l in range(L):
            acc = 0.0
            for j in range(lo, hi):
                acc += P[j, l]
            out[m, l] = acc * inv


@jit
def asymmetric_lowpass(x, lam_a, lam_b, out):
    """The asymmetric lowpass filter ``AF_{lam_a, lam_b}`` along frames, per channel.

    ``y[m] = lam_a y[m-1] + (1 - lam_a) x[m]`` if ``x[m] >= y[m-1]``, else
    ``lam_b y[m-1] + (1 - lam_b) x[m]``, starting from
    ``y[-1] = 0.9 x[0]`` (:data:`AF_INIT`).
    """
    n, L = x.shape
    if n == 0:
        return
    y = np.empty(L)
    for l in range(L):
        y[l] = AF_INIT * x[0, l]
    asymmetric_lowpass_from(x, lam_a, lam_b, y, out)


@jit
def asymmetric_lowpass_from(x, lam_a, lam_b, y, out):
    """:func:`asymmetric_lowpass` continued from the state ``y[l] = y[-1]`` of each channel.

    ``y`` (float64, ``(L,)``) is updated to the last output, so consecutive
    calls on consecutive frames equal one call on all of them (streaming).
    """
    n, L = x.shape
    for l in range(L):
        yl = y[l]
        for m in range(n):
            v = x[m, l]
            if v >= yl:
                yl = lam_a * yl + (1.0 - lam_a) * v
            else:
                yl = lam_b * yl + (1.0 - lam_b) * v
            out[m, l] = yl
        y[l] = yl


@jit
def temporal_masking(Q0, lam_t, mu_t, out):
    """Temporal masking of the rectified power ``Q0``.

    The online peak ``Q_p[m] = max(lam_t Q_p[m-1], Q0[m])`` (from
    ``Q_p[-1] = Q0[0]``); the output is ``Q0[m]`` if
    ``Q0[m] >= lam_t Q_p[m-1]``, else ``mu_t Q_p[m-1]``.
    """
    n, L = Q0.shape
    if n == 0:
        return
    peak = np.empty(L)
    for l in range(L):
        peak[l] = Q0[0, l]
    temporal_masking_from(Q0, lam_t, mu_t, peak, out)


@jit
def temporal_masking_from(Q0, lam_t, mu_t, peak, out):
    """:func:`temporal_masking` continued from the peaks ``peak[l] = Q_p[-1]`` (updated)."""
    n, L = Q0.shape
    for l in range(L):
        p = peak[l]
        for m in range(n):
            v = Q0[m, l]
            thr = lam_t * p
            out[m, l] = v if v >= thr else mu_t * p
            p = v if v > thr else thr
        peak[l] = p


@jit
def noise_suppression(Q, lam_a, lam_b, lam_t, mu_t, c, out, le, q0, qf):
    """Asymmetric noise suppression with temporal masking and the excitation switch.

    ``Q_le = AF[Q]`` (lower envelope), ``Q0 = max(Q - Q_le, 0)`` (half-wave
    rectification), ``Q_f = AF[Q0]`` (floor), ``R_sp = max(TM[Q0], Q_f)``
    and ``R = R_sp`` where ``Q >= c Q_le`` (excitation) else ``Q_f``.

    Parameters
    ----------
    Q : (n_frames, L) float64
        Medium-time power.
    lam_a, lam_b : float
        Asymmetric-filter constants (0.999, 0.5).
    lam_t, mu_t : float
        Temporal-masking constants (0.85, 0.2).
    c : float
        Excitation threshold (2).
    out : (n_frames, L) float64
        ``R``.
    le, q0, qf : (n_frames, L) float64
        Scratch; hold ``Q_le``, ``Q0`` and ``Q_f`` on return.
    """
    state = np.empty((3, Q.shape[1]))
    noise_suppression_from(Q, lam_a, lam_b, lam_t, mu_t, c, state, True, out, le, q0, qf)


@jit
def noise_suppression_from(Q, lam_a, lam_b, lam_t, mu_t, c, state, fresh, out, le, q0, qf):
    """:func:`noise_suppression` with its three recursions' state carried in ``state``.

    ``state`` (float64, ``(3, L)``) holds, per channel, the last output of
    ``AF[Q]``, of ``AF[Q0]`` and the temporal-masking peak; it is updated on
    return. With ``fresh`` (a clip's first frames) it is first set to the
    clip-start values: ``0.9 Q[0]``, ``0.9 Q0[0]`` and ``Q0[0]``.
    Consecutive calls on consecutive frames equal one call on all of them.
    """
    n, L = Q.shape
    if n == 0:
        return
    if fresh:
        for l in range(L):
            state[0, l] = AF_INIT * Q[0, l]
    asymmetric_lowpass_from(Q, lam_a, lam_b, state[0], le)
    for m in range(n):
        for l in range(L):
            d = Q[m, l] - le[m, l]
            q0[m, l] = d if d > 0.0 else 0.0
    if fresh:
        for l in range(L):
            state[1, l] = AF_INIT * q0[0, l]
            state[2, l] = q0[0, l]
    asymmetric_lowpass_from(q0, lam_a, lam_b, state[1], qf)
    temporal_masking_from(q0, lam_t, mu_t, state[2], out)
    for m in range(n):
        for l in range(L):
            if Q[m, l] >= c * le[m, l]:
                v = out[m, l]
                out[m, l] = v if v > qf[m, l] else qf[m, l]
            else:
                out[m, l] = qf[m, l]


@jit
def weight_smoothing(R, Q, N, out):
    """Spectral weight smoothing: ``S[m, l] = mean_{l' = max(l-N, 0)}^{min(l+N, L-1)} R[m, l'] / Q[m, l']``.

    A channel with ``Q = 0`` (digital silence over the medium-time window)
    contributes a ratio of 1 (no change) instead of ``R / 0``.
    """
    n, L = R.shape
    ratio = np.empty(L, dtype=np.float64)
    for m in range(n):
        for l in range(L):
            q = Q[m, l]
            ratio[l] = R[m, l] / q if q > 0.0 else 1.0
        for l in range(L):
            lo = l - N if l - N > 0 else 0
            hi = l + N + 1 if l + N + 1 < L else L
            acc = 0.0
            for j in range(lo, hi):
                acc += ratio[j]
            out[m, l] = acc / (hi - lo)


@jit
def mean_power_normalization(T, lam_mu, out):
    """Mean power normalisation: ``U[m, l] = T[m, l] / mu[m]`` with
    ``mu[m] = lam_mu mu[m-1] + (1 - lam_mu) mean_l T[m, l]``.

    ``mu[-1]`` is the clip's mean of ``mean_l T`` over all its frames (the
    paper leaves the start open; a fixed constant would make short clips
    depend on the recording level). ``U = 0`` where ``mu = 0`` (silence).
    """
    n, L = T.shape
    if n == 0:
        return
    init = 0.0
    for m in range(n):
        for l in range(L):
            init += T[m, l]
    mu = np.empty(1)
    mu[0] = init / (n * L)
    mean_power_normalization_from(T, lam_mu, mu, out)


@jit
def mean_power_normalization_from(T, lam_mu, mu, out):
    """:func:`mean_power_normalization` continued from ``mu[0] = mu[-1]`` (updated)."""
    n, L = T.shape
    m_prev = mu[0]
    for m in range(n):
        s = 0.0
        for l in range(L):
            s += T[m, l]
        m_prev = lam_mu * m_prev + (1.0 - lam_mu) * (s / L)
        for l in range(L):
            out[m, l] = T[m, l] / m_prev if m_prev > 0.0 else 0.0
    mu[0] = m_prev


@jit
def pncc_frames(Pc, Q, lam_a, lam_b, lam_t, mu_t, c, N, lam_mu, exponent, state, fresh,
                mu_from_mean, out, R, S, s1, s2, s3):
    """The stages of PNCC after the medium-time power, on consecutive frames of one clip.

    Noise suppression (:func:`noise_suppression_from`), weight smoothing,
    ``T = P S``, mean power normalisation and ``V = U ** exponent``, the
    recursions continued from ``state`` (float64, ``(4, L)``: the three
    states of :func:`noise_suppression_from`, then ``mu[-1]`` in
    ``state[3, 0]``), which is updated. With ``fresh`` the first three rows
    are set from these frames (a clip's start); with ``mu_from_mean``
    ``mu[-1]`` is the mean of ``mean_l T`` over these frames (a whole clip,
    :func:`mean_power_normalization`), else ``state[3, 0]`` is used.

    Parameters
    ----------
    Pc, Q : (n, L) float64
        Gammatone power and its medium-time power.
    out : (n, L) float
        ``V``.
    R, S, s1, s2, s3 : (>= n, L) float64
        Scratch.
    """
    n = Pc.shape[0]
    L = Pc.shape[1]
    if n == 0:
        return
    noise_suppression_from(Q, lam_a, lam_b, lam_t, mu_t, c, state[:3], fresh, R[:n], s1[:n],
                           s2[:n], s3[:n])
    weight_smoothing(R[:n], Q, N, S[:n])
    for m in range(n):  # time-frequency normalisation T = P * S
        for l in range(L):
            S[m, l] *= Pc[m, l]
    mu = state[3, :1]
    if mu_from_mean:
        init = 0.0
        for m in range(n):
            for l in range(L):
                init += S[m, l]
        mu[0] = init / (n * L)
    mean_power_normalization_from(S[:n], lam_mu, mu, R[:n])
    for m in range(n):
        for l in range(L):
            u = R[m, l]
            out[m, l] = u ** exponent if u > 0.0 else 0.0


@jit
def pncc_clips(P, frame_offsets, M, lam_a, lam_b, lam_t, mu_t, c, N, lam_mu, exponent, out):
    """All temporal stages of PNCC, clip by clip: ``P`` -> ``U ** exponent``.

    Parameters
    ----------
    P : (n_frames_total, L) float
        Gammatone-integrated power of every frame, frames first.
    frame_offsets : (n_clips + 1,) int64
        Frame range of each clip; the recursions restart at each clip.
    M : int
        Medium-time half-window (frames).
    lam_a, lam_b, lam_t, mu_t, c
        See :func:`noise_suppression`.
    N : int
        Half-width (channels) of the weight smoothing.
    lam_mu : float
        Mean-power forgetting factor.
    exponent : float
        Power-law nonlinearity (1/15).
    out : (n_frames_total, L) float
        ``V = U ** exponent``.
    """
    L = P.shape[1]
    n_clips = frame_offsets.shape[0] - 1
    longest = 0
    for i in range(n_clips):
        longest = max(longest, frame_offsets[i + 1] - frame_offsets[i])
    Pc = np.empty((longest, L), dtype=np.float64)
    Q = np.empty((longest, L), dtype=np.float64)
    R = np.empty((longest, L), dtype=np.float64)
    S = np.empty((longest, L), dtype=np.float64)
    s1 = np.empty((longest, L), dtype=np.float64)
    s2 = np.empty((longest, L), dtype=np.float64)
    s3 = np.empty((longest, L), dtype=np.float64)
    state = np.empty((4, L), dtype=np.float64)
    for i in range(n_clips):
        a = frame_offsets[i]
        n = frame_offsets[i + 1] - a
        if n <= 0:
            continue
        for m in range(n):
            for l in range(L):
                Pc[m, l] = P[a + m, l]
        medium_time_power(Pc[:n], M, Q[:n])
        pncc_frames(Pc[:n], Q[:n], lam_a, lam_b, lam_t, mu_t, c, N, lam_mu, exponent, state,
                    True, True, out[a:a + n], R, S, s1, s2, s3)


@jit
def subtract_clip_means(x, frame_offsets):
    """In place: subtract each clip's mean over its frames from every column."""
    F = x.shape[1]
    for i in range(frame_offsets.shape[0] - 1):
        a = frame_offsets[i]
        b = frame_offsets[i + 1]
        if b <= a:
            continue
        for j in range(F):
            acc = 0.0
            for t in range(a, b):
                acc += x[t, j]
            mean = acc / (b - a)
            for t in range(a, b):
                x[t, j] -= mean
