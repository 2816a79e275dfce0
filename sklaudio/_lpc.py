"""Cepstrum, linear-prediction (LPC) and LPC-cepstrum (LPCC) estimators."""

from __future__ import annotations

from . import functional as F
from ._base import STFTFeatureTransformer, TimeDomainFeatureTransformer
from ._deprecation import DEPRECATED, resolve_renamed
from ._docstrings import fill_params
from ._params import (
    FRAMING,
    NONNEGATIVE_INT,
    POOLING,
    POSITIVE_INT,
    POSITIVE_REAL,
    STFT,
    WINDOW,
    StrOptions,
    combine,
)
from .functional._lpc import (
    cepstrum_spec,
    check_lpc_order,
    check_quefrency_range,
    lpc_spec,
    lpcc_spec,
)

__all__ = ["Cepstrum", "LPC", "LPCC"]

@fill_params(references_from=F.cepstrum)
class Cepstrum(STFTFeatureTransformer):
    """Real cepstrum per frame at quefrencies ``qmin..qmax`` (samples), pooled per clip.

    ``c[n] = irfft(ln(max(|X|, amin)), n=n_fft)[n]``: the inverse DFT of the
    natural log of each frame's magnitude spectrum (Bogert, Healy & Tukey
    1963; Oppenheim & Schafer, *Discrete-Time Signal Processing*, sec. 13.2).
    A periodic component of period ``P`` samples gives a peak at quefrency
    ``n = P`` (``P / sample_rate`` seconds), which is how the cepstrum finds
    pitch. Equal to :func:`sklaudio.functional.cepstrum` frame by frame.

    Parameters
    ----------
    qmin : int, default=0
        Lowest quefrency kept, in samples, ``0 <= qmin <= n_fft // 2``.
    qmax : int or None, default=None
        Highest quefrency kept (inclusive), in samples,
        ``qmin <= qmax <= n_fft // 2``; ``None`` is ``n_fft // 2``. The
        cepstrum is even, so higher quefrencies repeat lower ones.
    amin : float, default=1e-10
        Floor on the magnitude before the log, ``> 0``; a silent frame gives
        ``c[0] = ln(amin)`` and 0 at every other quefrency.
    n_fft : int, default=2048
        FFT length in samples, also the length of the cepstrum (``>= 2``).

    Attributes
    ----------
    qmax_ : int
        The resolved highest quefrency (samples).
    n_features_frame_ : int
        ``qmax_ - qmin + 1``.
    n_features_out_ : int
        Columns of ``transform``'s output.

    See Also
    --------
    sklaudio.functional.cepstrum, LPCC

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio import Cepstrum
    >>> X = np.zeros((2, 8000))
    >>> X[0, ::80] = 1.0                      # 100 Hz pulse train at 8 kHz
    >>> X[1, ::40] = 1.0                      # 200 Hz
    >>> est = Cepstrum(n_fft=1024, hop_length=256, qmin=20, qmax=200, pooling="median")
    >>> F = est.fit_transform(X)
    >>> (20 + F.argmax(axis=1)).tolist()      # the periods in samples
    [80, 40]
    """

    def __init__(self, *, qmin=0, qmax=None, amin=1e-10, n_fft=2048, hop_length=512,
                 win_length=None, window="hann", center=True, pad_mode="constant",
                 pooling=("mean", "std"), trajectory_length=32, dtype="float32", n_jobs=None):
        self.qmin = qmin
        self.qmax = qmax
        self.amin = amin
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

    _parameter_constraints = combine(STFT, POOLING, qmin=[NONNEGATIVE_INT],
                                     qmax=[NONNEGATIVE_INT, None], amin=[POSITIVE_REAL])

    def _check_params(self):
        super()._check_params()
        _, self.qmax_ = check_quefrency_range(self.qmin, self.qmax, self.n_fft)

    def _specs(self, dtype):
        return [cepstrum_spec(self.n_fft, dtype, qmin=self.qmin, qmax=self.qmax, amin=self.amin)]

    def _frame_feature_names(self):
        return [f"cepstrum_{q}" for q in range(self.qmin, self.qmax_ + 1)]


class _FrameLPCBase(TimeDomainFeatureTransformer):
    """Time-domain framing: ``frame_length`` samples, ``window`` over the whole frame."""

    def _check_params(self):
        super()._check_params()
        check_lpc_order(self.order, self.frame_length)


@fill_params("frames", references_from=F.lpc)
class LPC(_FrameLPCBase):
    """Linear-prediction coefficients per frame, pooled per clip.

    Each windowed frame's autocorrelation ``r[0..order]`` is solved by the
    Levinson-Durbin recursion (autocorrelation method; Makhoul 1975,
    "Linear prediction: a tutorial review", Proc. IEEE 63(4)). The features
    are ``a_1..a_p`` of the inverse filter ``A(z) = 1 + sum_k a_k z^-k``
    (scipy/librosa sign: the prediction is ``x_hat[n] = -sum_k a_k x[n-k]``;
    ``a_0 = 1`` is dropped), optionally followed by the prediction-error
    energy ``E = r[0] prod_i (1 - k_i ** 2)``. A silent frame gives zeros.
    Equal to :func:`sklaudio.functional.lpc` frame by frame.

    Parameters
    ----------
    order : int, default=12
        Prediction order ``p``, ``1 <= p < frame_length``.
    return_gain : bool, default=False
        Append the prediction-error energy ``E`` (the squared gain ``G ** 2``
        of the all-pole model ``G / A(z)``; squared sample units), named
        ``lpc_gain`` (as :func:`sklaudio.functional.lpc`'s
        ``return_gain``).
    with_gain : bool
        Deprecated alias of ``return_gain`` (renamed in 0.1, removed in 0.3).

    Attributes
    ----------
    n_features_frame_ : int
        ``order + return_gain``.
    n_features_out_ : int
        Columns of ``transform``'s output.

    See Also
    --------
    sklaudio.functional.lpc, LPCC

    Examples
    --------
    >>> import numpy as np
    >>> from scipy.signal import lfilter
    >>> from sklaudio import LPC
    >>> e = np.random.default_rng(0).standard_normal((2, 16000))
    >>> X = lfilter([1.0], [1.0, -1.6, 0.8], e)        # AR(2): a = (-1.6, 0.8)
    >>> F = LPC(order=2, frame_length=1024, hop_length=512, pooling="mean").fit_transform(X)
    >>> np.round(F.astype(float), 1).tolist()
    [[-1.6, 0.8], [-1.6, 0.8]]
    """

    def __init__(self, *, order=12, return_gain=False, frame_length=2048, hop_length=512,
                 window="hamming", center=True, pad_mode="constant", pooling=("mean", "std"),
                 trajectory_length=32, dtype="float32", n_jobs=None, with_gain=DEPRECATED):
        self.order = order
        self.return_gain = return_gain
        self.with_gain = with_gain
        self.frame_length = frame_length
        self.hop_length = hop_length
        self.window = window
        self.center = center
        self.pad_mode = pad_mode
        self.pooling = pooling
        self.trajectory_length = trajectory_length
        self.dtype = dtype
        self.n_jobs = n_jobs

    _parameter_constraints = combine(FRAMING, POOLING, order=[POSITIVE_INT],
                                     return_gain=["boolean"], window=WINDOW,
                                     with_gain=["boolean", StrOptions({DEPRECATED})])

    def _check_params(self):
        super()._check_params()
        self.return_gain_ = resolve_renamed("LPC", "with_gain", "return_gain", self.with_gain,
                                            self.return_gain, stacklevel=6)

    def _specs(self, dtype):
        return [lpc_spec(self.frame_length, dtype, order=self.order, gain=self.return_gain_)]

    def _frame_feature_names(self):
        names = [f"lpc_{k}" for k in range(1, self.order + 1)]
        return names + ["lpc_gain"] if self.return_gain_ else names


@fill_params("frames", references_from=F.lpcc)
class LPCC(_FrameLPCBase):
    """LPC cepstral coefficients per frame, pooled per clip.

    The cepstrum of each frame's all-pole model ``E / |A(e^jw)|^2`` (see
    :class:`LPC`), by the standard recursion (Markel & Gray 1976; Rabiner &
    Juang 1993, eq. 3.83-3.84, predictor sign flipped to ours)::

        c_0 = ln(max(E, amin))
        c_n = -a_n - sum_{k=1}^{n-1} (k / n) c_k a_{n-k},   n >= 1

    with ``a_n = 0`` for ``n > order``. A silent frame gives
    ``c_0 = ln(amin)`` and zeros. Equal to :func:`sklaudio.functional.lpcc`
    frame by frame.

    Parameters
    ----------
    order : int, default=12
        LPC order ``p``, ``1 <= p < frame_length``.
    n_lpcc : int, default=13
        Coefficients per frame, ``c_0 .. c_{n_lpcc - 1}`` (may exceed ``order``).
    amin : float, default=1e-10
        Floor on the prediction-error energy ``E`` before the log, ``> 0``.

    Attributes
    ----------
    n_features_frame_ : int
        ``n_lpcc``.
    n_features_out_ : int
        Columns of ``transform``'s output.

    See Also
    --------
    sklaudio.functional.lpcc, LPC, Cepstrum

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio import LPCC
    >>> X = np.random.default_rng(0).standard_normal((3, 8000))
    >>> est = LPCC(order=10, n_lpcc=16, frame_length=256, hop_length=80).fit(X)
    >>> est.transform(X).shape
    (3, 32)
    >>> est.get_feature_names_out()[:2].tolist()
    ['lpcc_0_mean', 'lpcc_1_mean']
    """

    def __init__(self, *, order=12, n_lpcc=13, amin=1e-10, frame_length=2048, hop_length=512,
                 window="hamming", center=True, pad_mode="constant", pooling=("mean", "std"),
                 trajectory_length=32, dtype="float32", n_jobs=None):
        self.order = order
        self.n_lpcc = n_lpcc
        self.amin = amin
        self.frame_length = frame_length
        self.hop_length = hop_length
        self.window = window
        self.center = center
        self.pad_mode = pad_mode
        self.pooling = pooling
        self.trajectory_length = trajectory_length
        self.dtype = dtype
        self.n_jobs = n_jobs

    _parameter_constraints = combine(FRAMING, POOLING, order=[POSITIVE_INT],
                                     n_lpcc=[POSITIVE_INT], amin=[POSITIVE_REAL], window=WINDOW)

    def _specs(self, dtype):
        return [lpcc_spec(self.frame_length, dtype, order=self.order, n_lpcc=self.n_lpcc,
                          amin=self.amin)]

    def _frame_feature_names(self):
        return [f"lpcc_{k}" for k in range(self.n_lpcc)]
