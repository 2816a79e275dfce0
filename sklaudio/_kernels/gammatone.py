"""Time-domain gammatone filterbank (Slaney 1993) and its per-frame channel energies."""

from __future__ import annotations

import numpy as np

from ._jit import jit
from .stft import PAD_CONSTANT, padded_index


@jit
def gammatone_frame_energy(samples, offsets, frame_offsets, c0, c1, coefs, wsq, w0, w1, hop,
                           pad, mode, scale, out):
    """Filter clips ``c0:c1`` through every gammatone channel; windowed energy per frame.

    Each channel is Slaney's cascade of four second-order sections (see
    :func:`sklaudio.filters.gammatone_iir_coefficients`), run in float64
    (direct form II transposed) over the clip as the STFT frames it: padded
    by ``pad`` samples on both sides with ``mode`` (zero padding is skipped
    at the start, where the output is exactly zero). With ``y_m`` the output
    of channel ``m`` over the padded clip, frame ``t`` gets::

        out[t, m] = scale * sum_j wsq[j] * y_m[t * hop + j] ** 2,   j in [w0, w1)

    Parameters
    ----------
    samples, offsets : flat clip buffer and its ``(n_clips + 1,)`` offsets.
    frame_offsets : (n_clips + 1,) int64
        Cumulative frame counts (the engine's frame plan).
    c0, c1 : int
        Clip range to process.
    coefs : (10, n_filters) float64
        Rows ``b0`` of sections 1-4, ``b1`` of sections 1-4, ``a1``, ``a2``.
    wsq : (n_fft,) float
        Squared analysis window, zero outside ``[w0, w1)``.
    hop, pad, mode : int
        Hop length, padding per side and ``PAD_*`` code.
    scale : float
        Factor applied to the energies.
    out : (n_frames_total, n_filters) float
        Rows ``frame_offsets[c0]:frame_offsets[c1]`` are written.
    """
    M = coefs.shape[1]
    b00 = coefs[0].copy()
    b01 = coefs[1].copy()
    b02 = coefs[2].copy()
    b03 = coefs[3].copy()
    b10 = coefs[4].copy()
    b11 = coefs[5].copy()
    b12 = coefs[6].copy()
    b13 = coefs[7].copy()
    a1 = coefs[8].copy()
    a2 = coefs[9].copy()
    u0 = np.zeros(M)
    u1 = np.zeros(M)
    u2 = np.zeros(M)
    u3 = np.zeros(M)
    v0 = np.zeros(M)
    v1 = np.zeros(M)
    v2 = np.zeros(M)
    v3 = np.zeros(M)
    e = np.zeros(M)
    for c in range(c0, c1):
        s = offsets[c]
        n = offsets[c + 1] - s
        fa = frame_offsets[c]
        F = frame_offsets[c + 1] - fa
        if F <= 0:
            continue
        acc = np.zeros((F, M))
        for m in range(M):
            u0[m] = 0.0
            u1[m] = 0.0
            u2[m] = 0.0
            u3[m] = 0.0
            v0[m] = 0.0
            v1[m] = 0.0
            v2[m] = 0.0
            v3[m] = 0.0
        end = (F - 1) * hop + w1
        start = pad if mode == PAD_CONSTANT else 0
        start = min(start, end)
        for ip in range(start, end):
            i = ip - pad
            if i >= 0 and i < n:
                x = np.float64(samples[s + i])
            else:
                j = padded_index(i, n, mode)
                x = 0.0 if j < 0 else np.float64(samples[s + j])
            for m in range(M):
                y = b00[m] * x + u0[m]
                u0[m] = b10[m] * x - a1[m] * y + v0[m]
                v0[m] = -a2[m] * y
                z = b01[m] * y + u1[m]
                u1[m] = b11[m] * y - a1[m] * z + v1[m]
                v1[m] = -a2[m] * z
                y = b02[m] * z + u2[m]
                u2[m] = b12[m] * z - a1[m] * y + v2[m]
                v2[m] = -a2[m] * y
                z = b03[m] * y + u3[m]
                u3[m] = b13[m] * y - a1[m] * z + v3[m]
                v3[m] = -a2[m] * z
                e[m] = z * z
            # frames t with t * hop + w0 <= ip < t * hop + w1
            t_hi = (ip - w0) // hop
            t_hi = min(t_hi, F - 1)
            t_lo = (ip - w1) // hop + 1
            t_lo = max(t_lo, 0)
            for t in range(t_lo, t_hi + 1):
                wj = np.float64(wsq[ip - t * hop])
                for m in range(M):
                    acc[t, m] += wj * e[m]
        for t in range(F):
            for m in range(M):
                out[fa + t, m] = scale * acc[t, m]
