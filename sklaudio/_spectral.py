"""Spectral-descriptor estimators (centroid, ...)."""

from __future__ import annotations

from ._base import POOLING_PARAMS_DOC, STFT_PARAMS_DOC, STFTFeatureTransformer
from .functional._spectral import centroid_spec

__all__ = ["SpectralCentroid"]


class SpectralCentroid(STFTFeatureTransformer):
    __doc__ = f"""Spectral centroid (Hz) per frame, pooled per clip.

    ``sum_k f[k] |X[k, t]| / sum_k |X[k, t]|`` over the rFFT bins ``f[k]``
    (librosa ``feature.spectral_centroid``; Klapuri & Davy 2006). Silent
    frames give 0 Hz. Equal to :func:`sklaudio.functional.spectral_centroid`
    frame by frame.

    Parameters
    ----------{STFT_PARAMS_DOC}{POOLING_PARAMS_DOC}

    Attributes
    ----------
    n_features_frame_ : int
        1.
    n_features_out_ : int
        Columns of ``transform``'s output.

    See Also
    --------
    sklaudio.functional.spectral_centroid

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio import SpectralCentroid
    >>> t = np.arange(8000) / 8000
    >>> X = np.stack([np.sin(2 * np.pi * 1000 * t), np.sin(2 * np.pi * 2000 * t)])
    >>> SpectralCentroid(sample_rate=8000, n_fft=256, hop_length=80,
    ...                  pooling="median").fit_transform(X).round(-1).ravel().tolist()
    [1000.0, 2000.0]
    """

    def __init__(self, *, sample_rate=22050, n_fft=2048, hop_length=512, win_length=None,
                 window="hann", center=True, pad_mode="constant", pooling=("mean", "std"),
                 trajectory_length=32, dtype="float32", n_jobs=None):
        self.sample_rate = sample_rate
        self.n_fft = n_fft
        self.hop_length = hop_length
        self.win_length = win_length
        self.window = window
        self.center = center
        self.pad_mode = pad_mode
        self.pooling = pooling
        self.trajectory_length = trajectory_length
        self.dtype = dtype
        self.n_jobs = n_jobs

    def _check_params(self):
        self._check_stft_params()

    def _specs(self, dtype):
        return [centroid_spec(self.sample_rate, self.n_fft, dtype)]

    def _frame_feature_names(self):
        return ["spectral_centroid"]
