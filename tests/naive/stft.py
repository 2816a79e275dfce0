"""Framing, padding and overlap-add, from numpy.pad and the STFT definition.

Helpers used across the tests (``hann_periodic``, ``frames``, ``stft``,
``overlap_add_signal``) plus the twins of the kernels in ``sklaudio._kernels.stft``
(same signature as the kernel: outputs are written into the same arguments).
"""

from __future__ import annotations

import numpy as np

#: numpy.pad mode of each ``PAD_*`` code of the kernels.
PAD_NAMES = {0: "constant", 1: "edge", 2: "reflect", 3: "symmetric"}


def hann_periodic(n):
    k = np.arange(n)
    return 0.5 - 0.5 * np.cos(2 * np.pi * k / n)


def frames(y, n_fft, hop, window, center=True, pad_mode="constant"):
    """Windowed frames (n_frames, n_fft) by explicit padding and slicing."""
    if center:
        y = np.pad(y, n_fft // 2, mode=pad_mode)
    n_frames = 1 + (len(y) - n_fft) // hop
    return np.stack([window * y[t * hop : t * hop + n_fft] for t in range(n_frames)])


def stft(y, n_fft, hop, window, center=True, pad_mode="constant"):
    """(n_bins, n_frames) via a DFT per frame."""
    F = frames(y, n_fft, hop, window, center, pad_mode)
    n = np.arange(n_fft)
    k = np.arange(n_fft // 2 + 1)
    basis = np.exp(-2j * np.pi * np.outer(k, n) / n_fft)
    return basis @ F.T


def overlap_add_signal(frames_, window, hop, length):
    """(signal, squared-window sum) of windowed frames overlap-added into ``length`` samples."""
    out = np.zeros(length)
    wss = np.zeros(length)
    for t, fr in enumerate(frames_):
        s = t * hop
        e = min(length, s + len(fr))
        out[s:e] += (window * fr)[: e - s]
        wss[s:e] += (window**2)[: e - s]
    return out, wss


def pad_clip(x, left, right, mode):
    """``numpy.pad`` of a clip by a ``PAD_*`` code."""
    return np.pad(np.asarray(x), (left, right), mode=PAD_NAMES[int(mode)])


# -- kernel twins -----------------------------------------------------------------------------
def padded_index(i, n, mode):
    """The clip index numpy.pad copies to position ``i`` (-1 for constant padding)."""
    if mode == 0:
        return -1
    width = abs(i) + n + 1
    idx = np.pad(np.arange(n), width, mode=PAD_NAMES[int(mode)])
    return int(idx[i + width])


def frame_chunk(samples, offsets, frame_offsets, c0, f0, f1, window, w0, w1, hop, pad, mode, out):
    """Frames ``f0:f1`` of the batch: each clip numpy.pad-ded, sliced, times the window."""
    win = np.zeros(out.shape[1])
    win[w0:w1] = window[w0:w1]
    for f in range(f0, f1):
        c = int(np.searchsorted(frame_offsets, f, side="right")) - 1
        clip = np.asarray(samples[offsets[c]:offsets[c + 1]], dtype=np.float64)
        y = pad_clip(clip, pad, out.shape[1] + pad + hop, mode)
        t = f - frame_offsets[c]
        out[f - f0] = win * y[t * hop : t * hop + out.shape[1]]


def overlap_add(frames, window, hop, out, wss):
    """``out[t hop : t hop + n_fft] += window * frames[t]``, ``wss`` the same with ``window**2``."""
    n_fft = frames.shape[1]
    for t in range(frames.shape[0]):
        s = t * hop
        e = min(out.shape[0], s + n_fft)
        if e > s:
            out[s:e] += (window * frames[t])[: e - s]
            wss[s:e] += (window * window)[: e - s]


def nonfinite_rows(x, bad):
    bad[:] = ~np.all(np.isfinite(x), axis=1)
    return int(bad.sum())


def nonfinite_segments(x, offsets, bad):
    for c in range(len(offsets) - 1):
        bad[c] = not np.all(np.isfinite(x[offsets[c]:offsets[c + 1]]))
    return int(bad.sum())
