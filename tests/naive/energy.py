"""Short-term energy and entropy of energy, as pyAudioAnalysis ShortTermFeatures defines them."""

from __future__ import annotations

import numpy as np


def energy(frame):
    """pyAudioAnalysis ``energy``: ``sum(x**2) / len(x)``."""
    frame = np.asarray(frame, dtype=np.float64)
    return np.sum(frame**2) / np.float64(len(frame))


def energy_entropy(frame, n_short_blocks=10, eps=1e-8):
    """pyAudioAnalysis ``energy_entropy``, as written there."""
    frame = np.asarray(frame, dtype=np.float64)
    frame_energy = np.sum(frame**2)
    frame_length = len(frame)
    sub_win_len = int(np.floor(frame_length / n_short_blocks))
    if frame_length != sub_win_len * n_short_blocks:
        frame = frame[0:sub_win_len * n_short_blocks]
    sub_wins = frame.reshape(sub_win_len, n_short_blocks, order="F").copy()
    s = np.sum(sub_wins**2, axis=0) / (frame_energy + eps)
    return -np.sum(s * np.log2(s + eps))


# -- kernel twins -----------------------------------------------------------------------------
def energy_rows(frames, out):
    for t in range(frames.shape[0]):
        out[t, 0] = energy(frames[t])


def energy_entropy_rows(frames, n_sub, eps, out):
    for t in range(frames.shape[0]):
        out[t, 0] = energy_entropy(frames[t], n_sub, eps)
