"""PNCC (C. Kim and R. M. Stern, IEEE/ACM TASLP 24(7):1315-1329, 2016), each stage from the
paper's equations, and the twins of the kernels in ``sklaudio._kernels.pncc``."""

from __future__ import annotations

import numpy as np
import scipy.fft
import scipy.signal

from .filters import dense_from_sparse
from .stft import frames


def gammatone(sr, n_fft, n_bands=40, fmin=200.0, fmax=8000.0):
    """|H_l(f)|^2 / |H_l(fc)|^2 of 4th-order gammatones (both frequency terms), centres ERB-spaced
    from fmin to one step below min(fmax, Nyquist) (Slaney's ERBSpace), |H| < 0.5 % of peak cut."""
    fmax = min(fmax, sr / 2)
    def erb_rate(f):
        return 21.4 * np.log10(1 + 4.37 * f / 1000)

    def response(v, fc, b):
        return (b + 1j * (v - fc)) ** -4 + (b + 1j * (v + fc)) ** -4

    step = (erb_rate(fmax) - erb_rate(fmin)) / n_bands
    fc = (10 ** ((erb_rate(fmin) + step * np.arange(n_bands)) / 21.4) - 1) * 1000 / 4.37
    f = np.fft.rfftfreq(n_fft, 1 / sr)
    W = np.zeros((n_bands, len(f)))
    for l in range(n_bands):
        b = 1.019 * 24.7 * (4.37 * fc[l] / 1000 + 1)
        mag = np.abs(response(f, fc[l], b)) / np.abs(response(fc[l], fc[l], b))
        mag[mag < 0.005 * mag.max()] = 0
        W[l] = mag ** 2
    return W, fc


def medium_time(P, M):
    return np.stack([P[max(0, m - M):m + M + 1].mean(axis=0) for m in range(len(P))])


def af(x, lam_a, lam_b):
    out = np.empty_like(x)
    prev = 0.9 * x[0]
    for m in range(len(x)):
        prev = np.where(x[m] >= prev, lam_a * prev + (1 - lam_a) * x[m],
                        lam_b * prev + (1 - lam_b) * x[m])
        out[m] = prev
    return out


def masking(Q0, lam_t, mu_t):
    out = np.empty_like(Q0)
    peak = Q0[0].copy()
    for m in range(len(Q0)):
        out[m] = np.where(Q0[m] >= lam_t * peak, Q0[m], mu_t * peak)
        peak = np.maximum(lam_t * peak, Q0[m])
    return out


def suppression(Q, lam_a=0.999, lam_b=0.5, lam_t=0.85, mu_t=0.2, c=2.0):
    Q_le = af(Q, lam_a, lam_b)
    Q0 = np.maximum(Q - Q_le, 0)
    Q_f = af(Q0, lam_a, lam_b)
    R_sp = np.maximum(masking(Q0, lam_t, mu_t), Q_f)
    return np.where(Q >= c * Q_le, R_sp, Q_f)


def smoothing(R, Q, N):
    L = Q.shape[1]
    ratio = np.where(Q > 0, R / np.where(Q > 0, Q, 1), 1.0)
    return np.stack([ratio[:, max(0, l - N):min(L, l + N + 1)].mean(axis=1) for l in range(L)],
                    axis=1)


def mean_power(T, lam_mu):
    mu = T.mean()
    U = np.empty_like(T)
    for m in range(len(T)):
        mu = lam_mu * mu + (1 - lam_mu) * T[m].mean()
        U[m] = T[m] / mu if mu > 0 else 0
    return U


def pncc_from_power(P, n_pncc=13, M=2, N=4, lam_a=0.999, lam_b=0.5, lam_t=0.85, mu_t=0.2,
                          c=2.0, lam_mu=0.999, exponent=1 / 15, cmn=False):
    Q = medium_time(P, M)
    R = suppression(Q, lam_a, lam_b, lam_t, mu_t, c)
    T = P * smoothing(R, Q, N)
    V = mean_power(T, lam_mu) ** exponent
    C = scipy.fft.dct(V, type=2, norm="ortho", axis=1)[:, :n_pncc]
    return C - C.mean(axis=0) if cmn else C


def power(y, sr, n_fft, hop, win_length, preemphasis=0.97, window="hamming"):
    y = scipy.signal.lfilter([1.0, -preemphasis], [1.0], y.astype(np.float64))
    w = np.zeros(n_fft)
    lpad = (n_fft - win_length) // 2
    w[lpad:lpad + win_length] = scipy.signal.get_window(window, win_length, fftbins=True)
    return np.abs(np.fft.rfft(frames(y, n_fft, hop, w), axis=1)) ** 2


def pncc(y, sr, n_fft, hop, win_length, n_bands=40, fmin=200.0, fmax=8000.0,
               preemphasis=0.97, **kw):
    W, _ = gammatone(sr, n_fft, n_bands, fmin, fmax)
    P = power(y, sr, n_fft, hop, win_length, preemphasis) @ W.T
    return pncc_from_power(P, **kw).T


# -- kernel twins -----------------------------------------------------------------------------
def preemphasis_clips(samples, offsets, coef, out):
    for a, b in zip(offsets[:-1], offsets[1:]):
        if b > a:
            out[a:b] = scipy.signal.lfilter([1.0, -coef], [1.0], samples[a:b].astype(np.float64))


def filterbank_rows(S, fb_start, fb_stop, fb_offset, fb_weights, out):
    W = dense_from_sparse(fb_start, fb_stop, fb_offset, fb_weights, S.shape[1])
    out[:] = S.astype(np.float64) @ W.T


def medium_time_power(P, M, out):
    out[:] = medium_time(P, M)


def asymmetric_lowpass(x, lam_a, lam_b, out):
    if len(x):
        out[:] = af(x, lam_a, lam_b)


def temporal_masking(Q0, lam_t, mu_t, out):
    if len(Q0):
        out[:] = masking(Q0, lam_t, mu_t)


def noise_suppression(Q, lam_a, lam_b, lam_t, mu_t, c, out, le, q0, qf):
    le[:] = af(Q, lam_a, lam_b)
    q0[:] = np.maximum(Q - le, 0)
    qf[:] = af(q0, lam_a, lam_b)
    out[:] = suppression(Q, lam_a, lam_b, lam_t, mu_t, c)


def weight_smoothing(R, Q, N, out):
    out[:] = smoothing(R, Q, N)


def mean_power_normalization(T, lam_mu, out):
    if len(T):
        out[:] = mean_power(T, lam_mu)


def pncc_clips(P, frame_offsets, M, lam_a, lam_b, lam_t, mu_t, c, N, lam_mu, exponent, out):
    for a, b in zip(frame_offsets[:-1], frame_offsets[1:]):
        if b <= a:
            continue
        Pc = P[a:b].astype(np.float64)
        Q = medium_time(Pc, M)
        R = suppression(Q, lam_a, lam_b, lam_t, mu_t, c)
        U = mean_power(Pc * smoothing(R, Q, N), lam_mu)
        out[a:b] = np.where(U > 0, np.maximum(U, 0) ** exponent, 0.0)


def subtract_clip_means(x, frame_offsets):
    for a, b in zip(frame_offsets[:-1], frame_offsets[1:]):
        if b > a:
            x[a:b] -= x[a:b].mean(axis=0)
