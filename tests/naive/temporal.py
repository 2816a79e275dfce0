"""Zero-crossing rate and RMS, from librosa's definitions."""

from __future__ import annotations

import numpy as np


def raw_frames(y, frame_length, hop, center, pad_mode):
    """Raw frames (n_frames, frame_length) by explicit padding and slicing."""
    if center:
        y = np.pad(y, frame_length // 2, mode=pad_mode)
    n = 1 + (len(y) - frame_length) // hop
    return np.stack([y[t * hop: t * hop + frame_length] for t in range(n)])


def zcr_frames(F, thr, zero_pos=True, pad=False):
    """librosa zero_crossings(pad=pad) averaged over each frame, from the definition."""
    thr = np.broadcast_to(np.asarray(thr, dtype=F.dtype), (F.shape[0],))
    out = np.zeros(F.shape[0])
    for t, x in enumerate(F):
        xc = np.where(np.abs(x) <= thr[t], 0.0, x)
        s = np.signbit(xc) if zero_pos else np.sign(xc)
        count = int(pad) + int(np.sum(s[1:] != s[:-1]))
        out[t] = count / len(x)
    return out


def rms_frames(F):
    return np.sqrt(np.array([np.mean(np.asarray(x, dtype=np.float64) ** 2) for x in F]))


def rms_spectrum(S, frame_length):
    """sqrt(2 sum_k w_k S_k^2 / L^2), w = 1/2 at DC and (even L) Nyquist; S is (bins, frames)."""
    w = np.ones(S.shape[0])
    w[0] = 0.5
    if frame_length % 2 == 0:
        w[-1] = 0.5
    return np.sqrt(2 * np.sum(w[:, None] * np.asarray(S, dtype=np.float64) ** 2, axis=0)
                   / frame_length ** 2)


# -- kernel twins -----------------------------------------------------------------------------
def zcr_rows(frames, thresholds, zero_pos, pad, out):
    thr = thresholds[0] if thresholds.shape[0] == 1 else thresholds
    out[:, 0] = zcr_frames(np.asarray(frames), thr, zero_pos, pad)


def rms_rows(frames, out):
    out[:, 0] = rms_frames(frames)


def rms_spectrum_rows(S, frame_length, out):
    out[:, 0] = rms_spectrum(S.T, frame_length)
