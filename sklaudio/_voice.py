"""Voice-quality estimators: harmonics-to-noise ratio per frame, pooled per clip."""

from __future__ import annotations

import numpy as np

from . import functional as F
from ._base import STFTFeatureTransformer, TimeDomainFeatureTransformer
from ._docstrings import fill_params
from ._params import (
    FRAMING,
    POOLING,
    POSITIVE_REAL,
    SAMPLE_RATE,
    STFT,
    StrOptions,
    combine,
)
from .functional._balance import BALANCE_FEATURES, SLOPE_METHODS, spectral_balance_spec
from .functional._harmonicity import check_hnr_params, hnr_spec

__all__ = ["HNR", "SpectralBalance"]


@fill_params("frames", references_from=F.hnr)
class HNR(TimeDomainFeatureTransformer):
    """Harmonics-to-noise ratio per frame (Boersma 1993), pooled per clip.

    One frame feature, ``hnr`` in dB, computed as
    :func:`sklaudio.functional.hnr`: the mean-removed, Hann-windowed frame's
    normalised autocorrelation divided by the window's, its maximum ``r_max``
    over the lags ``sample_rate / fmax .. sample_rate / fmin``, and
    ``10 log10(r_max / (1 - r_max))`` (-200 dB where ``r_max <= 0``, e.g.
    silence, as Praat marks unvoiced frames; at most 150 dB). eGeMAPS pools
    its ``HNRdBACF`` over voiced frames only; here all frames are pooled.

    Parameters
    ----------
    sample_rate : float, default=22050
        Sampling rate of the clips in Hz.
    fmin : float, default=75.0
        Lowest f0 in Hz (longest lag; Praat's pitch floor), with
        ``sample_rate / fmin < frame_length - 1``.
    fmax : float, default=600.0
        Highest f0 in Hz (shortest lag), ``fmin < fmax <= sample_rate / 2``.
    hop_length : int or None, default=None
        Hop between frames in samples; ``None`` means ``frame_length // 4``.

    Attributes
    ----------
    n_features_frame_ : int
        1 (hnr).
    n_features_out_ : int
        Columns of ``transform``'s output.

    Raises
    ------
    ValueError
        At ``fit``, for ``fmin >= fmax``, ``fmax > sample_rate / 2``,
        ``fmin`` too low for ``frame_length`` or invalid framing.

    See Also
    --------
    sklaudio.functional.hnr

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio import HNR
    >>> rng = np.random.default_rng(0)
    >>> t = np.arange(16000) / 16000
    >>> X = np.sin(2 * np.pi * 150 * t) + np.sqrt(0.05) * rng.standard_normal((2, t.size))
    >>> est = HNR(sample_rate=16000, frame_length=960, pooling="median").fit(X)
    >>> est.get_feature_names_out().tolist()
    ['hnr_median']
    >>> est.transform(X).round().tolist()
    [[10.0], [10.0]]
    """

    def __init__(self, *, sample_rate=22050, fmin=75.0, fmax=600.0, frame_length=2048,
                 hop_length=None, center=True, pad_mode="constant",
                 pooling=("mean", "std"), trajectory_length=32, dtype="float32", n_jobs=None):
        self.sample_rate = sample_rate
        self.fmin = fmin
        self.fmax = fmax
        self.frame_length = frame_length
        self.hop_length = hop_length
        self.center = center
        self.pad_mode = pad_mode
        self.pooling = pooling
        self.trajectory_length = trajectory_length
        self.dtype = dtype
        self.n_jobs = n_jobs

    _parameter_constraints = combine(
        SAMPLE_RATE, FRAMING, POOLING, fmin=[POSITIVE_REAL], fmax=[POSITIVE_REAL],
        hop_length=FRAMING["hop_length"] + [None],
    )

    def _check_params(self):
        super()._check_params()
        check_hnr_params(self.sample_rate, self.fmin, self.fmax, self.frame_length)

    def _specs(self, dtype):
        return [hnr_spec(self.sample_rate, self.frame_length, dtype, fmin=self.fmin,
                         fmax=self.fmax)]

    def _frame_feature_names(self):
        return ["hnr"]


@fill_params(references_from=F.spectral_balance)
class SpectralBalance(STFTFeatureTransformer):
    """Spectral balance per frame (eGeMAPS alpha ratio, Hammarberg index, slopes), pooled per clip.

    Four frame features from the power spectrum ``P_k`` at ``f_k`` Hz, as
    :func:`sklaudio.functional.spectral_balance` (openSMILE's eGeMAPSv02
    definitions):

    - ``alpha_ratio``: ``10 log10`` of the 1-5 kHz energy over the energy below 1 kHz (dB);
    - ``hammarberg_index``: ``10 log10`` of the strongest bin below 2 kHz over
      the strongest in 2-5 kHz (dB);
    - ``slope_0_500``, ``slope_500_1500``: least-squares slope of the dB
      spectrum against frequency in those bands (dB/Hz).

    eGeMAPS pools them over voiced (alpha ratio, Hammarberg, slopes) and
    unvoiced (alpha ratio, Hammarberg) frames separately; here all frames are
    pooled. eGeMAPS-like framing at 16 kHz is ``n_fft=512, win_length=400,
    hop_length=160`` (25 ms Hamming frames, 10 ms hop).

    Parameters
    ----------
    sample_rate : float, default=22050
        Sampling rate of the clips in Hz, ``> 4000`` (a 2-5 kHz band is needed).
    window : str, tuple or array, default="hamming"
        Analysis window (eGeMAPS uses Hamming frames).
    amin : float, default=1e-10
        Floor on powers, band sums and maxima before the logarithms, ``> 0``.
    slope_method : {"ols", "opensmile"}, default="ols"
        Least squares over the band's bins, or openSMILE's exact (biased)
        formula to reproduce eGeMAPSv02 values.

    Attributes
    ----------
    n_features_frame_ : int
        4.
    n_features_out_ : int
        Columns of ``transform``'s output.

    Raises
    ------
    ValueError
        At ``fit``, for ``sample_rate <= 4000``, ``amin <= 0``, an ``n_fft``
        too short for two bins in 0-500 Hz, or invalid framing.

    See Also
    --------
    sklaudio.functional.spectral_balance

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio import SpectralBalance
    >>> t = np.arange(16000) / 16000
    >>> X = np.stack([np.sin(2 * np.pi * 500 * t) + a * np.sin(2 * np.pi * 2500 * t)
    ...               for a in (0.1, 1.0)])
    >>> est = SpectralBalance(sample_rate=16000, n_fft=512, win_length=400, hop_length=160,
    ...                       pooling="median").fit(X)
    >>> est.get_feature_names_out()[:2].tolist()
    ['alpha_ratio_median', 'hammarberg_index_median']
    >>> est.transform(X)[:, :2].round().tolist()
    [[-20.0, 20.0], [0.0, 0.0]]
    """

    def __init__(self, *, sample_rate=22050, n_fft=1024, hop_length=256, win_length=None,
                 window="hamming", center=True, pad_mode="constant", amin=1e-10,
                 slope_method="ols", pooling=("mean", "std"), trajectory_length=32, dtype="float32", n_jobs=None):
        self.sample_rate = sample_rate
        self.n_fft = n_fft
        self.hop_length = hop_length
        self.win_length = win_length
        self.window = window
        self.center = center
        self.pad_mode = pad_mode
        self.amin = amin
        self.slope_method = slope_method
        self.pooling = pooling
        self.trajectory_length = trajectory_length
        self.dtype = dtype
        self.n_jobs = n_jobs

    _parameter_constraints = combine(SAMPLE_RATE, STFT, POOLING, amin=[POSITIVE_REAL],
                                     slope_method=[StrOptions(set(SLOPE_METHODS))])

    def _check_params(self):
        super()._check_params()
        self._specs(np.dtype(np.float64))  # the spec factory validates the bands and amin

    def _specs(self, dtype):
        return [spectral_balance_spec(self.sample_rate, self.n_fft, dtype, amin=self.amin,
                                      slope_method=self.slope_method)]

    def _frame_feature_names(self):
        return list(BALANCE_FEATURES)
