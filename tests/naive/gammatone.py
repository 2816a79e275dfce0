"""Slaney's gammatone filterbank (Apple TR #35, MakeERBFilters, 1998 revision) run with
scipy.signal.lfilter, and the windowed frame energies of its outputs."""

from __future__ import annotations

import numpy as np
import scipy.signal

from .stft import pad_clip


def slaney_filters(fs, cf):
    """Slaney's MakeERBFilters (1998 revision), literally: per channel four (b, a) pairs.

    The overall gain at ``cf`` is divided out of the first section only, with
    Slaney's closed-form ``gain`` expression.
    """
    T = 1.0 / fs
    EarQ, minBW = 9.26449, 24.7
    out = []
    for f in np.atleast_1d(cf):
        erb = 24.7 * (4.37 * f / 1000 + 1)  # Glasberg & Moore (Slaney: f / EarQ + minBW)
        assert abs(erb - (f / EarQ + minBW)) <= 1e-5 * erb
        B = 1.019 * 2 * np.pi * erb
        c, s, eb = np.cos(2 * f * np.pi * T), np.sin(2 * f * np.pi * T), np.exp(B * T)
        A0, A2, B0 = T, 0.0, 1.0
        B1 = -2 * c / eb
        B2 = np.exp(-2 * B * T)
        p, m = np.sqrt(3 + 2 ** 1.5), np.sqrt(3 - 2 ** 1.5)
        A11 = -(2 * T * c / eb + 2 * p * T * s / eb) / 2
        A12 = -(2 * T * c / eb - 2 * p * T * s / eb) / 2
        A13 = -(2 * T * c / eb + 2 * m * T * s / eb) / 2
        A14 = -(2 * T * c / eb - 2 * m * T * s / eb) / 2
        e4 = np.exp(4j * f * np.pi * T)
        e2 = np.exp(-(B * T) + 2j * f * np.pi * T)
        gain = abs((-2 * e4 * T + 2 * e2 * T * (c - m * s))
                   * (-2 * e4 * T + 2 * e2 * T * (c + m * s))
                   * (-2 * e4 * T + 2 * e2 * T * (c - p * s))
                   * (-2 * e4 * T + 2 * e2 * T * (c + p * s))
                   / (-2 / np.exp(2 * B * T) - 2 * e4 + 2 * (1 + e4) / eb) ** 4)
        a = [B0, B1, B2]
        out.append([([A0 / gain, A11 / gain, A2 / gain], a), ([A0, A12, A2], a),
                    ([A0, A13, A2], a), ([A0, A14, A2], a)])
    return out


def cascade(x, sections):
    for b, a in sections:
        x = scipy.signal.lfilter(b, a, x)
    return x


def iir_energy(y, fs, cf, n_fft, hop, window="hann", win_length=None, center=True,
                     pad_mode="constant"):
    """np.pad, scipy.signal.lfilter cascade per channel, explicit windowed frame sums."""
    win_length = n_fft if win_length is None else win_length
    w = np.zeros(n_fft)
    lp = (n_fft - win_length) // 2
    w[lp:lp + win_length] = scipy.signal.get_window(window, win_length, fftbins=True)
    yp = np.pad(y, n_fft // 2, mode=pad_mode) if center else y
    n_frames = 1 + (len(yp) - n_fft) // hop
    E = np.zeros((n_frames, len(cf)))
    for m, sections in enumerate(slaney_filters(fs, cf)):
        out = cascade(yp, sections)
        for t in range(n_frames):
            E[t, m] = n_fft / 2 * np.sum(w ** 2 * out[t * hop:t * hop + n_fft] ** 2)
    return E


# -- kernel twin ------------------------------------------------------------------------------
def gammatone_frame_energy(samples, offsets, frame_offsets, c0, c1, coefs, wsq, w0, w1, hop,
                           pad, mode, scale, out):
    """Each clip numpy.pad-ded, through every channel's four sections (scipy.signal.lfilter),
    ``out[t, m] = scale * sum_j wsq[j] y_m[t hop + j] ** 2`` over ``j`` in ``[w0, w1)``."""
    n_fft = wsq.shape[0]
    w = np.zeros(n_fft)
    w[w0:w1] = wsq[w0:w1]
    for c in range(c0, c1):
        fa, fb = frame_offsets[c], frame_offsets[c + 1]
        if fb <= fa:
            continue
        y = pad_clip(samples[offsets[c]:offsets[c + 1]].astype(np.float64), pad, n_fft + pad, mode)
        for m in range(coefs.shape[1]):
            sections = [([coefs[k, m], coefs[4 + k, m]], [1.0, coefs[8, m], coefs[9, m]])
                        for k in range(4)]
            z = cascade(y, sections)
            for t in range(fb - fa):
                out[fa + t, m] = scale * np.sum(w * z[t * hop:t * hop + n_fft] ** 2)


def gammatone_stream_energy(x, ip0, coefs, st, wsq, w0, w1, hop, t_base, acc):
    """The four sections of every channel by ``scipy.signal.lfilter`` from the states
    ``zi = (u_k, v_k)`` held in ``st`` (its direct form II transposed is the kernel's), updated;
    ``acc[t - t_base, m] += wsq[ip - t hop] y_m[ip] ** 2`` for every position ``ip`` of ``x``
    (from ``ip0``) inside frame ``t``'s window ``[t hop + w0, t hop + w1)``."""
    x = np.asarray(x, dtype=np.float64)
    for m in range(coefs.shape[1]):
        z = x
        for k in range(4):
            b = [coefs[k, m], coefs[4 + k, m]]
            a = [1.0, coefs[8, m], coefs[9, m]]
            z, zf = scipy.signal.lfilter(b, a, z, zi=np.array([st[k, m], st[4 + k, m]]))
            st[k, m], st[4 + k, m] = zf
        for r in range(acc.shape[0]):
            t = t_base + r
            for j in range(len(x)):
                ip = ip0 + j
                if t * hop + w0 <= ip < t * hop + w1:
                    acc[r, m] += np.float64(wsq[ip - t * hop]) * z[j] ** 2
