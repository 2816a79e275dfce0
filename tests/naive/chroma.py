"""Chroma projection, librosa's util.normalize and piptrack's peak picking, from the definitions."""

from __future__ import annotations

import numpy as np


def normalize(X, norm):
    """librosa.util.normalize(X, norm, axis=0, fill=None) of (n_out, n_frames) columns, float64."""
    X = np.asarray(X, dtype=np.float64)
    if norm is None:
        return X.copy()
    mag = np.abs(X)
    if norm == np.inf:
        length = mag.max(axis=0)
    elif norm == -np.inf:
        length = mag.min(axis=0)
    elif norm == 0:
        length = np.sum(mag > 0, axis=0).astype(np.float64)
    else:
        length = np.sum(mag**norm, axis=0) ** (1.0 / norm)
    return X / np.where(length < np.finfo(np.float64).tiny, 1.0, length)


def piptrack_peaks(S, sr, n_fft, fmin=150.0, fmax=4000.0, threshold=0.1):
    """Per-frame (pitch, mag) lists of piptrack, by explicit loops from the definition.

    ``S`` is (n_bins, n_frames).
    """
    freqs = np.fft.rfftfreq(n_fft, 1.0 / sr)
    fmax = min(fmax, sr / 2)
    mask = (freqs >= fmin) & (freqs < fmax)
    return peaks_in(S, sr, n_fft, np.flatnonzero(mask), threshold)


def peaks_in(S, sr, n_fft, bins, threshold):
    """piptrack's peaks over the given bins of (n_bins, n_frames) ``S``."""
    n_bins = S.shape[0]
    out = []
    for t in range(S.shape[1]):
        s = S[:, t]
        x = np.where(s > threshold * s.max(), s, 0.0)
        peaks = []
        for k in bins:
            if k < 1:
                continue
            right = True if k == n_bins - 1 else x[k] >= x[k + 1]
            if not (x[k] > x[k - 1] and right):
                continue
            shift = b = 0.0
            if k < n_bins - 1:
                a = s[k + 1] + s[k - 1] - 2 * s[k]
                b = (s[k + 1] - s[k - 1]) / 2
                shift = 0.0 if abs(b) >= abs(a) else -b / a
            peaks.append(((k + shift) * sr / n_fft, s[k] + 0.5 * b * shift))
        out.append(peaks)
    return out


def estimate_tuning(peaks, resolution=0.01, bins_per_octave=12):
    """librosa's estimate_tuning steps on the peaks: median threshold, np.histogram peak."""
    pitch = np.array([p for fr in peaks for p, _ in fr])
    mag = np.array([m for fr in peaks for _, m in fr])
    if pitch.size == 0:
        return 0.0
    f = pitch[mag >= np.median(mag)]
    r = np.mod(bins_per_octave * np.log2(f / 27.5), 1.0)
    r[r >= 0.5] -= 1.0
    counts, edges = np.histogram(r, np.linspace(-0.5, 0.5, int(np.ceil(1 / resolution)) + 1))
    return edges[np.argmax(counts)]


#: ``NORM_*`` codes of ``sklaudio._kernels.chroma`` (4 is the p-norm).
_NORMS = {0: None, 1: np.inf, 2: -np.inf, 3: 0}


# -- kernel twins (frames first) --------------------------------------------------------------
def normalize_rows(X, norm_code, p):
    norm = _NORMS.get(int(norm_code), p)
    X[:] = normalize(X.T, norm).T


def chroma_rows(S, W, norm_code, p, out):
    """``W @ S[t]`` of each frame, rounded to ``out``'s dtype, then normalised."""
    out[:] = S.astype(np.float64) @ W.astype(np.float64).T
    normalize_rows(out, norm_code, p)


def tuning_peaks_rows(S, k0, k1, threshold, sample_rate, n_fft, pitch, mag, counts):
    peaks = peaks_in(np.asarray(S).T, sample_rate, n_fft, range(max(k0, 1), min(k1, S.shape[1])),
                     threshold)
    flat = [pk for fr in peaks for pk in fr]
    counts[:] = [len(fr) for fr in peaks]
    pitch[:len(flat)] = [p for p, _ in flat]
    mag[:len(flat)] = [m for _, m in flat]
    return len(flat)
