"""Mel-spectrogram and MFCC estimators."""

from __future__ import annotations

import numbers

import numpy as np

from . import filters
from ._base import STFTFeatureTransformer
from ._deprecation import DEPRECATED, resolve_renamed
from ._docstrings import fill_params
from ._params import (
    CEPSTRUM,
    DB,
    MEL,
    POOLING,
    POSITIVE_REAL,
    SAMPLE_RATE,
    STFT,
    Interval,
    Options,
    StrOptions,
    check_int,
    combine,
    raise_invalid,
)
from .functional._core import lifter_weights, log_mel_spec, mfcc_spec

__all__ = ["MFCC", "MelSpectrogram"]


class _MelBase(STFTFeatureTransformer):
    """Parameters and log-mel computation shared by MelSpectrogram and MFCC."""

    _parameter_constraints = combine(SAMPLE_RATE, STFT, MEL, DB, POOLING, power=[POSITIVE_REAL],
                                     mel_norm=[StrOptions({"slaney"}), None],
                                     norm=[StrOptions({"slaney", DEPRECATED}), None])

    def _check_params(self):
        super()._check_params()
        self.mel_norm_ = resolve_renamed(type(self).__name__, "norm", "mel_norm", self.norm,
                                         self.mel_norm, stacklevel=7)
        self.mel_basis_ = filters.mel(**self._mel_params(), dtype=self.dtype)

    def _mel_params(self):
        return dict(sample_rate=self.sample_rate, n_fft=self.n_fft, n_mels=self.n_mels,
                    fmin=self.fmin, fmax=self.fmax, htk=self.htk, norm=self.mel_norm_)

    def _mel_spec_params(self):
        return dict(power=self.power, n_mels=self.n_mels, fmin=self.fmin, fmax=self.fmax,
                    htk=self.htk, mel_norm=self.mel_norm_, ref=self.ref, top_db=self.top_db)


@fill_params("mel", "deprecated")
class MelSpectrogram(_MelBase):
    """Log-mel spectrogram (dB) per frame, pooled per clip.

    Per frame: ``10 log10(max(1e-10, W @ |STFT| ** power))`` with ``W`` the
    mel filterbank (Slaney 1998 / librosa ``filters.mel``), clamped to
    ``top_db`` below the clip's maximum (librosa
    ``power_to_db(melspectrogram(...))``, ``ref=1``). Frame features are
    summarised per clip by ``pooling``.

    Parameters
    ----------

    Attributes
    ----------
    mel_basis_ : ndarray of shape (n_mels, 1 + n_fft // 2)
        The mel filterbank.
    n_features_frame_ : int
        ``n_mels``.
    n_features_out_ : int
        ``n_mels * len(pooling)``.
    n_features_in_ : int
        Samples per clip, set only when fitted on a 2-D array.

    See Also
    --------
    sklaudio.functional.melspectrogram, sklaudio.functional.power_to_db

    References
    ----------
    .. [1] M. Slaney, "Auditory Toolbox: a MATLAB toolbox for auditory modeling work,
       version 2", Technical Report #1998-010, Interval Research Corporation, 1998.
    .. [2] librosa ``feature.melspectrogram``,
       https://librosa.org/doc/latest/generated/librosa.feature.melspectrogram.html
    .. [3] librosa ``power_to_db``,
       https://librosa.org/doc/latest/generated/librosa.power_to_db.html

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio import MelSpectrogram
    >>> X = np.random.default_rng(0).standard_normal((3, 8000))
    >>> MelSpectrogram(sample_rate=8000, n_mels=40).fit_transform(X).shape
    (3, 80)
    """

    def __init__(self, *, sample_rate=22050, n_fft=2048, hop_length=512, win_length=None,
                 window="hann", center=True, pad_mode="constant", power=2.0, n_mels=128,
                 fmin=0.0, fmax=None, htk=False, mel_norm="slaney", ref=1.0, top_db=80.0,
                 pooling=("mean", "std"), trajectory_length=32, dtype="float32", n_jobs=None,
                 norm=DEPRECATED):
        self.sample_rate = sample_rate
        self.n_fft = n_fft
        self.hop_length = hop_length
        self.win_length = win_length
        self.window = window
        self.center = center
        self.pad_mode = pad_mode
        self.power = power
        self.n_mels = n_mels
        self.fmin = fmin
        self.fmax = fmax
        self.htk = htk
        self.mel_norm = mel_norm
        self.ref = ref
        self.top_db = top_db
        self.pooling = pooling
        self.trajectory_length = trajectory_length
        self.dtype = dtype
        self.n_jobs = n_jobs
        self.norm = norm

    def _specs(self, dtype):
        return [log_mel_spec(self.sample_rate, self.n_fft, dtype, **self._mel_spec_params())]

    def _frame_feature_names(self):
        return [f"mel_{i}" for i in range(self.n_mels)]


@fill_params("mel", "deprecated")
class MFCC(_MelBase):
    """Mel-frequency cepstral coefficients per frame, pooled per clip.

    Per frame (Davis & Mermelstein 1980; librosa ``feature.mfcc``): the
    log-mel spectrum in dB (as :class:`MelSpectrogram`), an orthonormal DCT
    over the mel axis keeping ``n_mfcc`` coefficients, optional liftering
    ``1 + (lifter / 2) sin(pi (k + 1) / lifter)``, and optionally delta
    features (Savitzky-Golay derivatives over ``delta_width`` frames, librosa
    ``feature.delta``) stacked below. Frame features are summarised per clip
    by ``pooling``.

    Parameters
    ----------
    n_mfcc : int, default=20
        Number of cepstral coefficients, ``<= n_mels``.
    delta_order : {0, 1, 2}, default=0
        Append deltas up to this order: 1 adds deltas, 2 adds deltas and
        delta-deltas.
    delta_width : int, default=9
        Odd number of frames of the delta window. A clip with fewer frames
        uses one least-squares fit over all its frames (constant derivative),
        where librosa would raise.

    Attributes
    ----------
    mel_basis_ : ndarray of shape (n_mels, 1 + n_fft // 2)
        The mel filterbank.
    dct_basis_ : ndarray of shape (n_mfcc, n_mels)
        The DCT basis.
    n_features_frame_ : int
        ``n_mfcc * (1 + delta_order)``.
    n_features_out_ : int
        Columns of ``transform``'s output (``n_features_frame_`` per
        statistic, ``trajectory_length`` times that for ``"trajectory"``).
    n_features_in_ : int
        Samples per clip, set only when fitted on a 2-D array.

    See Also
    --------
    sklaudio.functional.mfcc, sklaudio.functional.delta

    References
    ----------
    .. [1] S. B. Davis and P. Mermelstein, "Comparison of parametric representations for
       monosyllabic word recognition in continuously spoken sentences", IEEE Trans. ASSP
       28(4), 1980.
    .. [2] A. Savitzky and M. J. E. Golay, "Smoothing and differentiation of data by
       simplified least squares procedures", Analytical Chemistry 36(8), 1964.
    .. [3] librosa ``feature.mfcc``,
       https://librosa.org/doc/latest/generated/librosa.feature.mfcc.html
    .. [4] librosa ``feature.delta``,
       https://librosa.org/doc/latest/generated/librosa.feature.delta.html

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklearn.svm import SVC
    >>> from sklaudio import MFCC
    >>> rng = np.random.default_rng(0)
    >>> X = [rng.standard_normal(n) for n in (4000, 6000, 8000, 5000)]
    >>> y = [0, 1, 0, 1]
    >>> clf = make_pipeline(MFCC(sample_rate=8000), StandardScaler(), SVC()).fit(X, y)
    >>> MFCC(sample_rate=8000, n_mfcc=13).fit(X).get_feature_names_out()[:2].tolist()
    ['mfcc_0_mean', 'mfcc_1_mean']
    """

    def __init__(self, *, sample_rate=22050, n_mfcc=20, dct_type=2, lifter=0, delta_order=0,
                 delta_width=9, n_fft=2048, hop_length=512, win_length=None, window="hann",
                 center=True, pad_mode="constant", power=2.0, n_mels=128, fmin=0.0, fmax=None,
                 htk=False, mel_norm="slaney", ref=1.0, top_db=80.0, pooling=("mean", "std"),
                 trajectory_length=32, dtype="float32", n_jobs=None, norm=DEPRECATED):
        self.sample_rate = sample_rate
        self.n_mfcc = n_mfcc
        self.dct_type = dct_type
        self.lifter = lifter
        self.delta_order = delta_order
        self.delta_width = delta_width
        self.n_fft = n_fft
        self.hop_length = hop_length
        self.win_length = win_length
        self.window = window
        self.center = center
        self.pad_mode = pad_mode
        self.power = power
        self.n_mels = n_mels
        self.fmin = fmin
        self.fmax = fmax
        self.htk = htk
        self.mel_norm = mel_norm
        self.ref = ref
        self.top_db = top_db
        self.pooling = pooling
        self.trajectory_length = trajectory_length
        self.dtype = dtype
        self.n_jobs = n_jobs
        self.norm = norm

    _parameter_constraints = combine(
        _MelBase._parameter_constraints, CEPSTRUM,
        n_mfcc=[Interval(numbers.Integral, 1, None, closed="left")],
        delta_order=[Options(numbers.Integral, {0, 1, 2})],
        delta_width=[Interval(numbers.Integral, 3, None, closed="left")],
    )

    def _check_params(self):
        super()._check_params()
        check_int("n_mfcc", self.n_mfcc, 1, self.n_mels, hint=" (at most n_mels)")
        if self.delta_width % 2 == 0:
            raise_invalid("delta_width", "an odd int >= 3 (frames)", self.delta_width)
        self.dct_basis_ = filters.dct(self.n_mels, self.n_mfcc, dct_type=self.dct_type,
                                      dtype=np.float64).astype(self.dtype)
        self.lifter_ = lifter_weights(self.n_mfcc, self.lifter)

    def _specs(self, dtype):
        return [mfcc_spec(self.sample_rate, self.n_fft, dtype, n_mfcc=self.n_mfcc,
                          dct_type=self.dct_type, lifter=self.lifter,
                          delta_order=self.delta_order, delta_width=self.delta_width,
                          **self._mel_spec_params())]

    def _frame_feature_names(self):
        names = [f"mfcc_{i}" for i in range(self.n_mfcc)]
        for order in range(1, self.delta_order + 1):
            tag = "delta" if order == 1 else f"delta{order}"
            names += [f"mfcc_{tag}_{i}" for i in range(self.n_mfcc)]
        return names
