"""Spectral descriptors from their definitions (librosa's, pyAudioAnalysis's), plain NumPy.

Helpers on (n_bins, n_frames) spectrograms, librosa's orientation (``magnitude``,
``bandwidth``, ``rolloff``, ``flatness``, ``normalized_flux``, ``entropy``), and the
twins of the kernels in ``sklaudio._kernels.descriptors`` (frames first, outputs written
into the kernel's arguments). Loops over frames are explicit on purpose.
"""

from __future__ import annotations

import numpy as np

from .stft import hann_periodic, stft


def magnitude(y, n_fft, hop, center=True):
    """|STFT| with a periodic Hann window, (n_bins, n_frames)."""
    return np.abs(stft(np.asarray(y, dtype=np.float64), n_fft, hop, hann_periodic(n_fft), center))


def bandwidth(S, freq, p=2.0, norm=True):
    out = np.zeros(S.shape[1])
    for t in range(S.shape[1]):
        s = S[:, t]
        tot = s.sum()
        w = s / tot if tot >= np.finfo(float).tiny else s
        c = np.sum(freq * w)
        out[t] = np.sum((w if norm else s) * np.abs(freq - c) ** p) ** (1.0 / p)
    return out


def rolloff(S, freq, roll_percent):
    """First bin whose cumulative magnitude reaches roll_percent of the total (silence: bin 0)."""
    out = np.zeros(S.shape[1])
    for t in range(S.shape[1]):
        cum = np.cumsum(S[:, t])
        k = int(np.argmax(cum >= roll_percent * cum[-1]))
        out[t] = freq[k]
    return out


def flatness(S, amin=1e-10, power=2.0):
    out = np.zeros(S.shape[1])
    for t in range(S.shape[1]):
        v = np.maximum(amin, S[:, t] ** power)
        out[t] = np.exp(np.mean(np.log(v))) / np.mean(v)
    return out


def normalized_flux(S):
    """pyAudioAnalysis stSpectralFlux between consecutive frames; frame 0 -> 0; silence P = 0."""
    out = np.zeros(S.shape[1])
    prev = None
    for t in range(S.shape[1]):
        tot = S[:, t].sum()
        P = S[:, t] / tot if tot > 0 else np.zeros(S.shape[0])
        if prev is not None:
            out[t] = np.sum((P - prev) ** 2)
        prev = P
    return out


def entropy(S, power=2.0, n_bands=None, normalize=False):
    """Shannon entropy (nats) of S**power over bins or n_bands equal leading sub-bands."""
    n_bins = S.shape[0]
    out = np.zeros(S.shape[1])
    for t in range(S.shape[1]):
        X = S[:, t] ** power
        if n_bands is None:
            E = X
        else:
            size = n_bins // n_bands
            E = X[: size * n_bands].reshape(n_bands, size).sum(axis=1)
        if E.sum() == 0:
            continue
        p = E / E.sum()
        p = p[p > 0]
        h = -np.sum(p * np.log(p))
        if normalize:
            h = h / np.log(len(E)) if len(E) > 1 else 0.0
        out[t] = h
    return out


def contrast(S, start, stop, n_q, linear, amin=1e-10):
    """Sort each band; valley/peak = mean of the q smallest/largest (float64); frames first."""
    S = np.asarray(S, dtype=np.float64)
    n_b = len(start)
    out = np.zeros((S.shape[0], n_b if linear else 2 * n_b))
    for t in range(S.shape[0]):
        for b in range(n_b):
            v = np.sort(S[t, start[b]:stop[b]])
            q = n_q[b]
            valley, peak = v[:q].mean(), v[-q:].mean()
            if linear:
                out[t, b] = peak - valley
            else:
                out[t, b] = 10 * np.log10(max(peak, amin))
                out[t, n_b + b] = 10 * np.log10(max(valley, amin))
    return out


# -- kernel twins (frames first) --------------------------------------------------------------
def log_pos(x):
    return np.log(np.float64(x))


def centroid_rows(S, freq, out):
    """``sum(freq * S) / sum(|S|)``; a frame whose sum is below ``tiny`` is not normalised."""
    tiny = np.finfo(out.dtype).tiny
    for t in range(S.shape[0]):
        s = S[t].astype(np.float64)
        den = np.sum(np.abs(s))
        num = np.sum(freq * s)
        out[t, 0] = num / den if den >= tiny else num


def bandwidth_rows(S, freq, centroid, p, norm, out):
    """``(sum_k w[k] |freq[k] - c| ** p) ** (1 / p)``, ``w = S / sum(S)`` (norm) or ``S``."""
    tiny = np.finfo(out.dtype).tiny
    freq = np.asarray(freq, dtype=np.float64)
    for t in range(S.shape[0]):
        s = S[t].astype(np.float64)
        tot = np.sum(np.abs(s))
        w = s / tot if tot >= tiny else s
        c = np.sum(freq * w) if centroid.shape[0] == 0 else np.float64(centroid[t])
        out[t, 0] = np.sum((w if norm else s) * np.abs(freq - c) ** p) ** (1.0 / p)


def rolloff_rows(S, freq, roll_percent, out):
    """min freq over the bins whose cumulative sum reaches roll_percent of the total."""
    freq = np.asarray(freq, dtype=np.float64)
    for t in range(S.shape[0]):
        cum = np.cumsum(S[t].astype(np.float64))
        out[t, 0] = np.min(freq[cum >= roll_percent * cum[-1]])


def _flatness_from_levels(v, ssum, neg_ln_amin, prods, part):
    """``min(1, exp(mean log v) / mean v)`` (``ssum = sum(v)``)."""
    v = np.asarray(v, dtype=np.float64)
    return min(1.0, np.exp(np.mean(np.log(v))) / (ssum / len(v)))


def flatness_rows(S, power, amin, out):
    """Geometric over arithmetic mean of ``max(amin, S ** power)``, clipped at 1."""
    for t in range(S.shape[0]):
        v = np.maximum(S[t].astype(np.float64) ** power, amin)
        out[t, 0] = min(1.0, np.exp(np.mean(np.log(v))) / np.mean(v))


def fused_descriptor_rows(S, freq, col_centroid, col_bandwidth, bw_norm, col_rolloff,
                          roll_percent, col_flatness, flat_power, flat_amin, out):
    """Centroid, bandwidth (p = 2), roll-off and flatness into their columns (-1: skipped)."""
    one = np.empty((S.shape[0], 1), dtype=out.dtype)
    if col_centroid >= 0:
        centroid_rows(S, freq, one)
        out[:, col_centroid] = one[:, 0]
    if col_bandwidth >= 0:
        bandwidth_rows(S, freq, np.empty(0), 2.0, bw_norm, one)
        out[:, col_bandwidth] = one[:, 0]
    if col_rolloff >= 0:
        rolloff_rows(S, freq, roll_percent, one)
        out[:, col_rolloff] = one[:, 0]
    if col_flatness >= 0:
        flatness_rows(S, flat_power, flat_amin, one)
        out[:, col_flatness] = one[:, 0]


def _select(a, n, k):
    """Partition ``a[:n]`` around its k-th smallest value (np.partition)."""
    a[:n] = np.partition(a[:n], k)


def _sum_smallest(a, n, q, work):
    return float(np.sum(np.sort(np.asarray(a[:n], dtype=np.float64))[:q]))


def _sum_largest(a, n, q, work):
    return float(np.sum(np.sort(np.asarray(a[:n], dtype=np.float64))[n - q:]))


def _band_extremes(x, q, buf, lo_buf, hi_buf, work):
    v = np.sort(np.asarray(x, dtype=np.float64))
    return float(v[:q].sum()), float(v[len(v) - q:].sum())


def contrast_rows(S, band_start, band_stop, n_q, linear, amin, out):
    """Linear: ``peak - valley``; else the dB levels of the peaks, then of the valleys."""
    out[:] = contrast(S, band_start, band_stop, n_q, linear, amin)


def normalized_flux_rows(S, out, first, last):
    """``sum_k (P[t] - P[t - 1]) ** 2`` of ``P = S / sum(S)`` (0 for silence), 0 for row 0."""
    tiny = np.finfo(out.dtype).tiny
    P = []
    for t in range(S.shape[0]):
        s = S[t].astype(np.float64)
        tot = np.sum(s)
        P.append(s / tot if tot >= tiny else np.zeros_like(s))
    out[0, 0] = 0.0
    for t in range(1, S.shape[0]):
        out[t, 0] = np.sum((P[t] - P[t - 1]) ** 2)
    first[:] = P[0]
    last[:] = P[-1]


def onset_flux_clips(S, frame_offsets, shift, out):
    """librosa onset strength (lag 1, no max filter, mean over rows), ``shift`` zeros in front."""
    for a, b in zip(frame_offsets[:-1], frame_offsets[1:]):
        X = S[a:b].astype(np.float64)
        diff = np.mean(np.maximum(0.0, X[1:] - X[:-1]), axis=1)
        env = np.concatenate([np.zeros(shift), diff])[: b - a]
        out[a:b, 0] = np.pad(env, (0, (b - a) - len(env)))


def entropy_rows(S, power, band_size, n_bands, normalize, out):
    """Shannon entropy (nats) of the sub-band energy distribution of each row."""
    for t in range(S.shape[0]):
        E = (S[t, :n_bands * band_size].astype(np.float64) ** power).reshape(n_bands, band_size)
        E = E.sum(axis=1)
        if not E.sum() >= np.finfo(np.float64).tiny:
            out[t, 0] = 0.0
            continue
        p = E / E.sum()
        p = p[p > 0]
        h = -np.sum(p * np.log(p))
        out[t, 0] = (h / np.log(n_bands) if n_bands > 1 else 0.0) if normalize else h


def entropy_rows_f32(S, power, n_bands, normalize, out):
    entropy_rows(S, power, 1, n_bands, normalize, out)
