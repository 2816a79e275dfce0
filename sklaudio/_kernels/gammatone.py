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
    # separate 1-D arrays (not rows of one 2-D array): the channel loop of gammatone_step
    # then vectorises (about 3x faster than rows of an (8, M) state)
    b00, b01, b02, b03 = coefs[0].copy(), coefs[1].copy(), coefs[2].copy(), coefs[3].copy()
    b10, b11, b12, b13 = coefs[4].copy(), coefs[5].copy(), coefs[6].copy(), coefs[7].copy()
    a1, a2 = coefs[8].copy(), coefs[9].copy()
    u0, u1, u2, u3 = np.zeros(M), np.zeros(M), np.zeros(M), np.zeros(M)
    v0, v1, v2, v3 = np.zeros(M), np.zeros(M), np.zeros(M), np.zeros(M)
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
            gammatone_step(x, b00, b01, b02, b03, b10, b11, b12, b13, a1, a2,
                           u0, u1, u2, u3, v0, v1, v2, v3, e)
            accumulate_frames(ip, e, wsq, w0, w1, hop, 0, acc)
        for t in range(F):
            for m in range(M):
                out[fa + t, m] = scale * acc[t, m]


@jit(inline="always")
def gammatone_step(x, b00, b01, b02, b03, b10, b11, b12, b13, a1, a2,
                   u0, u1, u2, u3, v0, v1, v2, v3, e):
    """One input sample ``x`` through every channel's cascade; ``e[m]`` gets the squared output.

    ``b0k``, ``b1k`` (section ``k``), ``a1``, ``a2``: the rows of the
    coefficients of :func:`gammatone_frame_energy`; ``uk``, ``vk``: the
    direct-form II transposed state of section ``k`` per channel, updated.
    """
    for m in range(e.shape[0]):
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


@jit(inline="always")
def accumulate_frames(ip, e, wsq, w0, w1, hop, t_base, acc):
    """Add ``wsq[ip - t hop] * e`` to the rows ``acc[t - t_base]`` of the frames ``t`` that see
    padded position ``ip`` (``t hop + w0 <= ip < t hop + w1``), within the rows of ``acc``."""
    t_hi = (ip - w0) // hop
    t_hi = min(t_hi, t_base + acc.shape[0] - 1)
    t_lo = (ip - w1) // hop + 1
    t_lo = max(t_lo, t_base)
    M = e.shape[0]
    for t in range(t_lo, t_hi + 1):
        wj = np.float64(wsq[ip - t * hop])
        for m in range(M):
            acc[t - t_base, m] += wj * e[m]


@jit
def gammatone_stream_energy(x, ip0, coefs, st, wsq, w0, w1, hop, t_base, acc):
    """Continue :func:`gammatone_frame_energy` over the next samples of a padded stream.

    ``x`` holds the padded signal at positions ``ip0 .. ip0 + len(x) - 1``
    (padding included; the positions must follow the previous call's). Each
    sample goes through the cascades from the state ``st`` (float64,
    ``(8, M)``: ``u`` of sections 1-4, then ``v``; zero at the start of a
    stream; updated on return) and its windowed squared outputs are added to
    the rows of ``acc`` (float64, ``(n_rows, M)``), row ``r`` being frame
    ``t_base + r``. Consecutive calls over a whole padded clip give the same
    sums as one :func:`gammatone_frame_energy` pass (before its ``scale``).
    """
    M = coefs.shape[1]
    b00, b01, b02, b03 = coefs[0].copy(), coefs[1].copy(), coefs[2].copy(), coefs[3].copy()
    b10, b11, b12, b13 = coefs[4].copy(), coefs[5].copy(), coefs[6].copy(), coefs[7].copy()
    a1, a2 = coefs[8].copy(), coefs[9].copy()
    u0, u1, u2, u3 = st[0].copy(), st[1].copy(), st[2].copy(), st[3].copy()
    v0, v1, v2, v3 = st[4].copy(), st[5].copy(), st[6].copy(), st[7].copy()
    e = np.zeros(M)
    for j in range(x.shape[0]):
        gammatone_step(np.float64(x[j]), b00, b01, b02, b03, b10, b11, b12, b13, a1, a2,
                       u0, u1, u2, u3, v0, v1, v2, v3, e)
        accumulate_frames(ip0 + j, e, wsq, w0, w1, hop, t_base, acc)
    st[0], st[1], st[2], st[3] = u0, u1, u2, u3
    st[4], st[5], st[6], st[7] = v0, v1, v2, v3
