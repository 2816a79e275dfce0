"""Spectral descriptors, librosa ``feature.spectral_*`` equivalents."""

from __future__ import annotations

import numpy as np

from .. import filters
from .._engine import FrameSpec
from .._kernels.descriptors import centroid_rows
from ._core import _frame_feature

__all__ = ["spectral_centroid", "centroid_spec"]


def _bin_freqs(sample_rate, n_fft, freq, n_bins, dtype):
    if freq is None:
        f = filters.fft_frequencies(sample_rate=sample_rate, n_fft=2 * (n_bins - 1))
    else:
        f = np.asarray(freq, dtype=np.float64)
        if f.shape != (n_bins,):
            raise ValueError(
                f"freq must have shape ({n_bins},) (one frequency in Hz per bin), got {f.shape}."
            )
    return f.astype(dtype)


def centroid_spec(sample_rate, n_fft, dtype, freq=None) -> FrameSpec:
    """Engine spec of :func:`spectral_centroid` (magnitude input, 1 column)."""
    f = _bin_freqs(sample_rate, n_fft, freq, n_fft // 2 + 1, dtype)

    def reduce(S, out):
        centroid_rows(S, f, out)

    return FrameSpec(n_out=1, reduce=reduce, input="spectrum", power=1.0)


def spectral_centroid(y=None, *, sample_rate: float = 22050, S=None, n_fft: int = 2048,
                      hop_length: int = 512, freq=None, win_length: int | None = None,
                      window="hann", center: bool = True, pad_mode: str = "constant",
                      n_jobs=None) -> np.ndarray:
    """Spectral centroid: the magnitude-weighted mean frequency of each frame.

    ``centroid[t] = sum_k f[k] S[k, t] / sum_k S[k, t]`` with ``S = |STFT|``
    and ``f`` the bin frequencies in Hz (librosa ``feature.spectral_centroid``;
    Klapuri & Davy 2006). A silent frame (``sum S`` below the float ``tiny``)
    gives 0 Hz.

    Parameters
    ----------
    y : ndarray of shape (..., n_samples), optional
        Audio. Either ``y`` or ``S`` is required.
    sample_rate : float, default=22050
        Sampling rate in Hz.
    S : ndarray of shape (..., 1 + n_fft // 2, n_frames), optional
        Precomputed magnitude spectrogram.
    freq : ndarray of shape (1 + n_fft // 2,), optional
        Bin centre frequencies in Hz; default the rFFT bin frequencies.
    n_fft, hop_length, win_length, window, center, pad_mode
        STFT parameters (samples), see :func:`sklaudio.functional.stft`.
    n_jobs : int or None
        Threads over frames.

    Returns
    -------
    ndarray of shape (..., 1, n_frames)
        Centroid in Hz.

    Raises
    ------
    ValueError
        For invalid audio, spectrogram or parameters.
    """
    if S is not None:
        n_fft = 2 * (np.shape(S)[-2] - 1)
    dt = _dtype_of(y, S)
    spec = centroid_spec(sample_rate, n_fft, dt, freq)
    return _frame_feature(y, S, [spec], n_fft=n_fft, hop_length=hop_length,
                          win_length=win_length, window=window, center=center,
                          pad_mode=pad_mode, n_jobs=n_jobs)[0]


def _dtype_of(y, S):
    a = np.asarray(S if S is not None else y)
    if a.dtype.kind == "f" and a.dtype.itemsize >= 4:
        return a.dtype
    return np.dtype(np.float32) if a.dtype == np.float16 else np.dtype(np.float64)
