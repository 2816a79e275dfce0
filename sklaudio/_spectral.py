"""Spectral-descriptor estimators: centroid, bandwidth, roll-off, flatness, contrast, flux,
entropy. Each computes its frame feature with the engine spec of its functional twin
(``sklaudio.functional._spectral.*_spec``)."""

from __future__ import annotations

import numbers

import numpy as np

from . import functional as F
from ._base import STFTFeatureTransformer
from ._docstrings import fill_params
from ._params import (
    NONNEGATIVE_REAL,
    POOLING,
    POSITIVE_INT,
    POSITIVE_REAL,
    SAMPLE_RATE,
    STFT,
    Interval,
    StrOptions,
    check_stft,
    combine,
)
from .functional._spectral import (
    FLUX_KINDS,
    bandwidth_spec,
    centroid_spec,
    contrast_spec,
    entropy_spec,
    flatness_spec,
    flux_spec,
    rolloff_spec,
)

__all__ = [
    "SpectralBandwidth",
    "SpectralCentroid",
    "SpectralContrast",
    "SpectralEntropy",
    "SpectralFlatness",
    "SpectralFlux",
    "SpectralRolloff",
]


@fill_params(references_from=F.spectral_centroid)
class SpectralCentroid(STFTFeatureTransformer):
    """Spectral centroid (Hz) per frame, pooled per clip.

    ``sum_k f[k] |X[k, t]| / sum_k |X[k, t]|`` over the rFFT bins ``f[k]``
    (librosa ``feature.spectral_centroid``; Klapuri & Davy 2006). Silent
    frames give 0 Hz. Equal to :func:`sklaudio.functional.spectral_centroid`
    frame by frame.

    Parameters
    ----------

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

    _parameter_constraints = combine(SAMPLE_RATE, STFT, POOLING)

    def _specs(self, dtype):
        return [centroid_spec(self.sample_rate, self.n_fft, dtype)]

    def _frame_feature_names(self):
        return ["spectral_centroid"]


class _STFTDescriptor(STFTFeatureTransformer):
    """Common init/validation of the single-spec spectral descriptors."""

    def _stft_init(self, sample_rate, n_fft, hop_length, win_length, window, center, pad_mode,
                   pooling, trajectory_length, dtype, n_jobs):
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
        super()._check_params()
        self._specs(np.dtype(np.float64))  # the spec factory validates the feature's parameters


@fill_params(references_from=F.spectral_bandwidth)
class SpectralBandwidth(_STFTDescriptor):
    """Spectral bandwidth of order ``p`` (Hz) per frame, pooled per clip.

    ``(sum_k w[k, t] |f[k] - c[t]| ** p) ** (1 / p)`` with ``c`` the spectral
    centroid, ``f`` the rFFT bin frequencies and ``w = |X| / sum |X|`` (or
    ``|X|`` if not ``norm``) (librosa ``feature.spectral_bandwidth``; Klapuri &
    Davy 2006). Silent frames give 0 Hz. Equal to
    :func:`sklaudio.functional.spectral_bandwidth` frame by frame.

    Parameters
    ----------
    norm : bool, default=True
        Normalise each frame's magnitudes to sum 1.
    p : float, default=2.0
        Order of the deviation, ``> 0``.

    Attributes
    ----------
    n_features_frame_ : int
        1.
    n_features_out_ : int
        Columns of ``transform``'s output.

    See Also
    --------
    sklaudio.functional.spectral_bandwidth

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio import SpectralBandwidth
    >>> X = np.random.default_rng(0).standard_normal((2, 8000))
    >>> SpectralBandwidth(sample_rate=8000, n_fft=256, hop_length=80).fit_transform(X).shape
    (2, 2)
    """

    _parameter_constraints = combine(SAMPLE_RATE, STFT, POOLING, norm=["boolean"],
                                     p=[POSITIVE_REAL])

    def __init__(self, *, sample_rate=22050, n_fft=2048, hop_length=512, win_length=None,
                 window="hann", center=True, pad_mode="constant", norm=True, p=2.0,
                 pooling=("mean", "std"), trajectory_length=32, dtype="float32", n_jobs=None):
        self._stft_init(sample_rate, n_fft, hop_length, win_length, window, center, pad_mode,
                        pooling, trajectory_length, dtype, n_jobs)
        self.norm = norm
        self.p = p

    def _specs(self, dtype):
        return [bandwidth_spec(self.sample_rate, self.n_fft, dtype, norm=self.norm, p=self.p)]

    def _frame_feature_names(self):
        return ["spectral_bandwidth"]


@fill_params(references_from=F.spectral_rolloff)
class SpectralRolloff(_STFTDescriptor):
    """Roll-off frequency (Hz) per frame, pooled per clip.

    The lowest rFFT bin frequency at which the cumulative magnitude
    ``sum_(j <= k) |X[j, t]|`` reaches ``roll_percent`` of the frame's total
    (librosa ``feature.spectral_rolloff``, same tie rule). Silent frames give
    0 Hz (every bin qualifies, as in librosa). Equal to
    :func:`sklaudio.functional.spectral_rolloff` frame by frame.

    Parameters
    ----------
    roll_percent : float, default=0.85
        Fraction of the total magnitude, in ``(0, 1)``.

    Attributes
    ----------
    n_features_frame_ : int
        1.
    n_features_out_ : int
        Columns of ``transform``'s output.

    See Also
    --------
    sklaudio.functional.spectral_rolloff

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio import SpectralRolloff
    >>> t = np.arange(8000) / 8000
    >>> X = np.stack([np.sin(2 * np.pi * 1000 * t), np.sin(2 * np.pi * 2000 * t)])
    >>> SpectralRolloff(sample_rate=8000, n_fft=256, hop_length=80,
    ...                 pooling="median").fit_transform(X).ravel().tolist()
    [1031.25, 2031.25]
    """

    _parameter_constraints = combine(SAMPLE_RATE, STFT, POOLING,
                                     roll_percent=[Interval(numbers.Real, 0, 1, closed="neither")])

    def __init__(self, *, sample_rate=22050, n_fft=2048, hop_length=512, win_length=None,
                 window="hann", center=True, pad_mode="constant", roll_percent=0.85,
                 pooling=("mean", "std"), trajectory_length=32, dtype="float32", n_jobs=None):
        self._stft_init(sample_rate, n_fft, hop_length, win_length, window, center, pad_mode,
                        pooling, trajectory_length, dtype, n_jobs)
        self.roll_percent = roll_percent

    def _specs(self, dtype):
        return [rolloff_spec(self.sample_rate, self.n_fft, dtype, roll_percent=self.roll_percent)]

    def _frame_feature_names(self):
        return ["spectral_rolloff"]


@fill_params(references_from=F.spectral_flatness)
class SpectralFlatness(_STFTDescriptor):
    """Spectral flatness per frame (in ``[0, 1]``), pooled per clip.

    ``exp(mean_k log v[k, t]) / mean_k v[k, t]`` with
    ``v = max(amin, |X| ** power)`` (librosa ``feature.spectral_flatness``;
    Dubnov 2004): near 1 for noise, near 0 for tones. Silent frames give 1
    (``amin / amin``, librosa's value). Equal to
    :func:`sklaudio.functional.spectral_flatness` frame by frame.

    Parameters
    ----------
    amin : float, default=1e-10
        Floor on ``|X| ** power``, ``> 0``.
    power : float, default=2.0
        Exponent on the magnitude, ``> 0``.

    Attributes
    ----------
    n_features_frame_ : int
        1.
    n_features_out_ : int
        Columns of ``transform``'s output.

    See Also
    --------
    sklaudio.functional.spectral_flatness

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio import SpectralFlatness
    >>> rng = np.random.default_rng(0)
    >>> X = np.stack([rng.standard_normal(8000), np.sin(np.arange(8000) * 0.7)])
    >>> f = SpectralFlatness(n_fft=256, hop_length=80, pooling="median").fit_transform(X)
    >>> bool(f[0, 0] > 0.3 > 0.01 > f[1, 0])
    True
    """

    _parameter_constraints = combine(SAMPLE_RATE, STFT, POOLING, amin=[POSITIVE_REAL],
                                     power=[POSITIVE_REAL])

    def __init__(self, *, sample_rate=22050, n_fft=2048, hop_length=512, win_length=None,
                 window="hann", center=True, pad_mode="constant", amin=1e-10, power=2.0,
                 pooling=("mean", "std"), trajectory_length=32, dtype="float32", n_jobs=None):
        self._stft_init(sample_rate, n_fft, hop_length, win_length, window, center, pad_mode,
                        pooling, trajectory_length, dtype, n_jobs)
        self.amin = amin
        self.power = power

    def _specs(self, dtype):
        return [flatness_spec(self.sample_rate, self.n_fft, dtype, amin=self.amin,
                              power=self.power)]

    def _frame_feature_names(self):
        return ["spectral_flatness"]


#: ``SpectralContrast(n_bands="auto")``: librosa's default number of bands, when it fits.
AUTO_CONTRAST_BANDS = 6


@fill_params(references_from=F.spectral_contrast)
class SpectralContrast(_STFTDescriptor):
    """Spectral contrast (dB) in ``n_bands + 1`` octave bands per frame, pooled per clip.

    In each band (``[0, fmin]``, ``[fmin, 2 fmin]``, ..., the last up to
    Nyquist; bins chosen exactly as librosa) the peak and valley are the
    means of the largest and smallest ``quantile`` of the magnitudes; the
    contrast is ``power_to_db(peak) - power_to_db(valley)`` with each level
    clamped to 80 dB below its maximum over the clip, or ``peak - valley``
    if ``linear`` (Jiang et al. 2002; librosa ``feature.spectral_contrast``).
    Equal to :func:`sklaudio.functional.spectral_contrast` frame by frame.

    Parameters
    ----------
    fmin : float, default=200.0
        Upper edge of the first band in Hz, ``> 0``.
    n_bands : int or "auto", default="auto"
        Octave bands above the first; ``fmin * 2 ** (n_bands - 1)`` must be
        below Nyquist and every band must contain FFT bins, else ``fit``
        raises ``ValueError``. ``"auto"`` takes librosa's 6, or fewer when
        the rate is too low for 6: the most bands (at most 6) whose lower
        edges stay below Nyquist (5 at 8 kHz with ``fmin=200``), so the
        defaults work at any rate. Resolved in ``n_bands_``.
    quantile : float, default=0.02
        Fraction of each band's bins averaged, in ``(0, 1)``.
    linear : bool, default=False
        Linear difference instead of dB.

    Attributes
    ----------
    n_bands_ : int
        The number of bands above the first, ``n_bands`` resolved.
    n_features_frame_ : int
        ``n_bands_ + 1``; frame features ``spectral_contrast_0`` (lowest band)
        to ``spectral_contrast_<n_bands_>``.
    n_features_out_ : int
        Columns of ``transform``'s output.

    See Also
    --------
    sklaudio.functional.spectral_contrast

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio import SpectralContrast
    >>> X = np.random.default_rng(0).standard_normal((2, 8000))
    >>> est = SpectralContrast(sample_rate=8000, fmin=100.0).fit(X)
    >>> est.transform(X).shape
    (2, 14)
    >>> est.get_feature_names_out()[:2].tolist()
    ['spectral_contrast_0_mean', 'spectral_contrast_1_mean']
    """

    _parameter_constraints = combine(SAMPLE_RATE, STFT, POOLING, fmin=[POSITIVE_REAL],
                                     n_bands=[POSITIVE_INT, StrOptions({"auto"})],
                                     quantile=[Interval(numbers.Real, 0, 1, closed="neither")],
                                     linear=["boolean"])

    def __init__(self, *, sample_rate=22050, n_fft=2048, hop_length=512, win_length=None,
                 window="hann", center=True, pad_mode="constant", fmin=200.0, n_bands="auto",
                 quantile=0.02, linear=False, pooling=("mean", "std"), trajectory_length=32,
                 dtype="float32", n_jobs=None):
        self._stft_init(sample_rate, n_fft, hop_length, win_length, window, center, pad_mode,
                        pooling, trajectory_length, dtype, n_jobs)
        self.fmin = fmin
        self.n_bands = n_bands
        self.quantile = quantile
        self.linear = linear

    def _check_params(self):
        self.n_bands_ = self._resolve_n_bands()
        super()._check_params()

    def _resolve_n_bands(self) -> int:
        if not (isinstance(self.n_bands, str) and self.n_bands == "auto"):
            return int(self.n_bands)
        nyquist = self.sample_rate / 2.0
        n = AUTO_CONTRAST_BANDS
        while n > 1 and self.fmin * 2.0 ** (n - 1) >= nyquist:
            n -= 1
        return n

    def _specs(self, dtype):
        return [contrast_spec(self.sample_rate, self.n_fft, dtype, fmin=self.fmin,
                              n_bands=self.n_bands_, quantile=self.quantile, linear=self.linear)]

    def _frame_feature_names(self):
        return [f"spectral_contrast_{b}" for b in range(self.n_bands_ + 1)]


@fill_params(references_from=F.spectral_flux)
class SpectralFlux(_STFTDescriptor):
    """Spectral flux per frame, pooled per clip, in one of two definitions.

    ``kind="onset"``: librosa's onset strength (``onset.onset_strength``
    defaults): the mean over mel bands of the positive part of the
    frame-to-frame difference of the log-mel spectrogram (dB, 80 dB range per
    clip), shifted by ``n_fft // (2 hop_length)`` frames when ``center`` and
    zero in front, exactly as librosa. ``kind="normalized"``:
    pyAudioAnalysis's ``stSpectralFlux``, ``sum_k (P[k, t] - P[k, t-1]) ** 2``
    with ``P`` the magnitude spectrum normalised to sum 1; the first frame of
    each clip is 0, a silent frame's ``P`` is 0. Frames of one clip never mix
    with another clip's. Equal to :func:`sklaudio.functional.spectral_flux`
    frame by frame.

    Parameters
    ----------
    kind : {"onset", "normalized"}, default="onset"
        The definition; names the frame feature ``spectral_flux_onset`` or
        ``spectral_flux_normalized``.
    n_mels : int, default=128
        Mel bands of ``kind="onset"``.
    fmin : float, default=0.0
        Lowest mel edge in Hz (``kind="onset"``).
    fmax : float or None, default=None
        Highest mel edge in Hz, None for Nyquist (``kind="onset"``).

    Attributes
    ----------
    n_features_frame_ : int
        1.
    n_features_out_ : int
        Columns of ``transform``'s output.

    See Also
    --------
    sklaudio.functional.spectral_flux

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio import SpectralFlux
    >>> X = np.random.default_rng(0).standard_normal((2, 8000))
    >>> est = SpectralFlux(sample_rate=8000, n_fft=256, hop_length=80, n_mels=40).fit(X)
    >>> est.get_feature_names_out().tolist()
    ['spectral_flux_onset_mean', 'spectral_flux_onset_std']
    """

    _parameter_constraints = combine(SAMPLE_RATE, STFT, POOLING, kind=[StrOptions(FLUX_KINDS)],
                                     n_mels=[POSITIVE_INT], fmin=[NONNEGATIVE_REAL],
                                     fmax=[POSITIVE_REAL, None])

    def __init__(self, *, sample_rate=22050, n_fft=2048, hop_length=512, win_length=None,
                 window="hann", center=True, pad_mode="constant", kind="onset", n_mels=128,
                 fmin=0.0, fmax=None, pooling=("mean", "std"), trajectory_length=32,
                 dtype="float32", n_jobs=None):
        self._stft_init(sample_rate, n_fft, hop_length, win_length, window, center, pad_mode,
                        pooling, trajectory_length, dtype, n_jobs)
        self.kind = kind
        self.n_mels = n_mels
        self.fmin = fmin
        self.fmax = fmax

    def _specs(self, dtype):
        n_fft, hop, _ = check_stft(self.n_fft, self.hop_length, self.win_length,
                                   self.center, self.pad_mode)
        return [flux_spec(self.sample_rate, n_fft, dtype, kind=self.kind, hop_length=hop,
                          center=self.center, n_mels=self.n_mels, fmin=self.fmin,
                          fmax=self.fmax)]

    def _frame_feature_names(self):
        return [f"spectral_flux_{self.kind}"]


@fill_params(references_from=F.spectral_entropy)
class SpectralEntropy(_STFTDescriptor):
    """Spectral entropy (nats) per frame, pooled per clip.

    Shannon entropy ``-sum_j p[j] ln p[j]`` of the power spectrum
    ``|X| ** power`` normalised to sum 1, over the rFFT bins (``n_bands=None``)
    or over ``n_bands`` equal contiguous sub-bands from 0 Hz (remaining top
    bins ignored; pyAudioAnalysis's ``stSpectralEntropy`` with
    ``numOfShortBlocks=n_bands``, but natural log and no ``1e-8`` offset).
    In ``[0, ln n]`` for ``n`` bands, ``[0, 1]`` with ``normalize``. Silent
    frames give 0. Equal to :func:`sklaudio.functional.spectral_entropy`
    frame by frame.

    Parameters
    ----------
    power : float, default=2.0
        Exponent on the magnitude, ``> 0``.
    n_bands : int or None, default=None
        Number of sub-bands in ``[1, 1 + n_fft // 2]``; None: one per bin.
    normalize : bool, default=False
        Divide by ``ln n``.

    Attributes
    ----------
    n_features_frame_ : int
        1.
    n_features_out_ : int
        Columns of ``transform``'s output.

    See Also
    --------
    sklaudio.functional.spectral_entropy

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio import SpectralEntropy
    >>> rng = np.random.default_rng(0)
    >>> X = np.stack([rng.standard_normal(8000), np.sin(np.arange(8000) * 0.7)])
    >>> h = SpectralEntropy(n_fft=256, hop_length=80, normalize=True,
    ...                     pooling="median").fit_transform(X)
    >>> bool(h[0, 0] > 0.8 > 0.3 > h[1, 0])
    True
    """

    _parameter_constraints = combine(SAMPLE_RATE, STFT, POOLING, power=[POSITIVE_REAL],
                                     n_bands=[POSITIVE_INT, None], normalize=["boolean"])

    def __init__(self, *, sample_rate=22050, n_fft=2048, hop_length=512, win_length=None,
                 window="hann", center=True, pad_mode="constant", power=2.0, n_bands=None,
                 normalize=False, pooling=("mean", "std"), trajectory_length=32,
                 dtype="float32", n_jobs=None):
        self._stft_init(sample_rate, n_fft, hop_length, win_length, window, center, pad_mode,
                        pooling, trajectory_length, dtype, n_jobs)
        self.power = power
        self.n_bands = n_bands
        self.normalize = normalize

    def _specs(self, dtype):
        return [entropy_spec(self.sample_rate, self.n_fft, dtype, power=self.power,
                             n_bands=self.n_bands, normalize=self.normalize)]

    def _frame_feature_names(self):
        return ["spectral_entropy"]
