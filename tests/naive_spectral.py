"""Plain-NumPy twins of the spectral-descriptor kernels, written from the formulas.

Spectrograms are (n_bins, n_frames), librosa's orientation; loops over frames
are explicit on purpose. The librosa-equal descriptors (centroid, bandwidth,
roll-off, flatness, contrast, onset flux) are also checked against librosa.
"""

from __future__ import annotations

import numpy as np
from naive import hann_periodic, stft


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
