"""Real cepstrum, linear prediction (LPC) and LPC cepstrum (LPCC) per frame.

Each feature is an engine :class:`~sklaudio._engine.FrameSpec` built by a
``*_spec`` factory (so a composite estimator can share one framing pass) and
a librosa-style function on audio ``y`` (``(..., n_samples)``) returning
``(..., n_features, n_frames)``.
"""

from __future__ import annotations

import numpy as np
import scipy.fft

from .._docstrings import fill_params
from .._engine import FrameSpec
from .._kernels.lpc import log_magnitude_rows, lpc_rows, lpcc_rows
from .._params import (
    check_bool,
    check_int,
    check_real,
    validate_params,
)
from ._core import _check_spectrogram, _float_dtype, _frame_feature

__all__ = ["cepstrum", "lpc", "lpcc", "cepstrum_spec", "lpc_spec", "lpcc_spec"]


# -- validation helpers (shared with the PNCC module) -------------------------------------------
def check_lpc_order(order, frame_length):
    return check_int("order", order, 1, frame_length - 1,
                      hint=f" (the LPC order must be below frame_length={frame_length})")


def check_quefrency_range(qmin, qmax, n_fft):
    """Resolve ``(qmin, qmax)`` (samples, inclusive) for an ``n_fft``-point cepstrum."""
    half = n_fft // 2
    qmin = check_int("qmin", qmin, 0, half,
                      hint=f" (quefrency in samples, at most n_fft // 2 = {half})")
    if qmax is None:
        return qmin, half
    qmax = check_int("qmax", qmax, qmin, half,
                      hint=f" (quefrency in samples, from qmin={qmin} to n_fft // 2 = {half})")
    return qmin, qmax


# -- cepstrum --------------------------------------------------------------------------------------
def cepstrum_spec(n_fft, dtype, *, qmin=0, qmax=None, amin=1e-10) -> FrameSpec:
    """Engine spec of :func:`cepstrum` (magnitude input, ``qmax - qmin + 1`` columns).

    Raises
    ------
    ValueError
        For a quefrency range outside ``[0, n_fft // 2]`` or ``amin <= 0``.
    """
    qmin, qmax = check_quefrency_range(qmin, qmax, n_fft)
    amin = check_real("amin", amin, low=0, low_open=True)
    n = int(n_fft)

    def reduce(S, out):
        logmag = np.empty(S.shape, dtype=S.dtype)
        log_magnitude_rows(S, amin, logmag)
        out[:] = scipy.fft.irfft(logmag, n=n, axis=1, workers=1)[:, qmin:qmax + 1]

    return FrameSpec(n_out=qmax - qmin + 1, reduce=reduce, input="spectrum", power=1.0)


@fill_params()
@validate_params({})
def cepstrum(y=None, *, S=None, n_fft: int = 2048, hop_length: int = 512,
             win_length: int | None = None, window="hann", center: bool = True,
             pad_mode: str = "constant", qmin: int = 0, qmax: int | None = None,
             amin: float = 1e-10, n_jobs=None) -> np.ndarray:
    """Real cepstrum of each frame, at quefrencies ``qmin..qmax`` (samples).

    ``c[n, t] = (1 / N) sum_{k=0}^{N-1} ln(max(|X[k, t]|, amin)) exp(2j pi k n / N)``
    with ``X`` the ``N = n_fft``-point DFT of the windowed frame (STFT as
    :func:`sklaudio.functional.stft`), i.e. ``irfft(ln(max(|X|, amin)), n=N)``:
    the inverse DFT of the natural log of the magnitude spectrum (Bogert,
    Healy & Tukey 1963; Oppenheim & Schafer, *Discrete-Time Signal
    Processing*, 3rd ed., sec. 13.2). The cepstrum is real and even
    (``c[n] = c[N - n]``), so quefrencies ``0..N // 2`` hold all of it.
    Quefrency ``n`` samples is ``n / sample_rate`` seconds: a periodic
    component of period ``P`` samples gives a peak (rahmonic) at ``n = P``.

    Parameters
    ----------
    y : ndarray of shape (..., n_samples), optional
        Audio. Either ``y`` or ``S`` is required.
    S : ndarray of shape (..., 1 + n_fft // 2, n_frames), optional
        Precomputed magnitude spectrogram ``|STFT|`` (non-negative); ``n_fft``
        is then ``2 * (S.shape[-2] - 1)``.
    qmin : int, default=0
        Lowest quefrency kept, in samples, ``0 <= qmin <= n_fft // 2``.
    qmax : int or None, default=None
        Highest quefrency kept (inclusive), in samples,
        ``qmin <= qmax <= n_fft // 2``; ``None`` is ``n_fft // 2``.
    amin : float, default=1e-10
        Floor on the magnitude before the log, ``> 0``. A silent frame
        (all ``|X| < amin``) gives ``c[0] = ln(amin)`` and 0 elsewhere.

    Returns
    -------
    ndarray of shape (..., qmax - qmin + 1, n_frames)
        Row ``i`` is quefrency ``qmin + i`` samples. Dimensionless (natural
        log units).

    Raises
    ------
    ValueError
        For invalid audio or spectrogram (negative ``S``), a quefrency range
        outside ``[0, n_fft // 2]``, ``amin <= 0`` or invalid STFT parameters.

    References
    ----------
    .. [1] B. P. Bogert, M. J. R. Healy and J. W. Tukey, "The quefrency alanysis of time
       series for echoes: cepstrum, pseudo-autocovariance, cross-cepstrum and saphe
       cracking", in Proc. Symposium on Time Series Analysis, M. Rosenblatt (ed.),
       Wiley, 1963.
    .. [2] A. V. Oppenheim and R. W. Schafer, "Discrete-Time Signal Processing", 3rd
       ed., Pearson, 2010.

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.functional import cepstrum
    >>> y = np.zeros(8000)
    >>> y[::80] = 1.0                          # 100 Hz pulse train at 8 kHz
    >>> c = cepstrum(y, n_fft=1024, hop_length=256, qmin=20, qmax=200)
    >>> int(20 + np.argmax(c[:, 10]))          # period in samples
    80
    """
    if S is not None:
        S = _check_spectrogram(S, nonnegative="cepstrum needs a non-negative magnitude "
                               "spectrogram S; pass np.abs(S)")
        n_fft = 2 * (S.shape[-2] - 1)
    dt = _float_dtype(S if S is not None else (0.0 if y is None else y))
    spec = cepstrum_spec(n_fft, dt, qmin=qmin, qmax=qmax, amin=amin)
    return _frame_feature(y, S, [spec], n_fft=n_fft, hop_length=hop_length,
                          win_length=win_length, window=window, center=center,
                          pad_mode=pad_mode, n_jobs=n_jobs)[0]


# -- LPC --------------------------------------------------------------------------------------------
def lpc_spec(frame_length, dtype, *, order=12, gain=False) -> FrameSpec:
    """Engine spec of :func:`lpc` (windowed-frame input, ``order + gain`` columns).

    Raises
    ------
    ValueError
        If ``order`` is not an integer in ``[1, frame_length - 1]``.
    """
    frame_length = check_int("frame_length", frame_length, 2, hint=" (samples)")
    order = check_lpc_order(order, frame_length)
    gain = check_bool("gain", gain)

    def reduce(frames, out):
        lpc_rows(frames, order, gain, out)

    return FrameSpec(n_out=order + int(gain), reduce=reduce, input="windowed")


@fill_params("frames")
@validate_params({})
def lpc(y, *, order: int = 12, frame_length: int = 2048, hop_length: int = 512,
        window="hamming", center: bool = True, pad_mode: str = "constant",
        return_gain: bool = False, n_jobs=None):
    """Linear-prediction coefficients of each frame (autocorrelation method).

    Each frame of ``frame_length`` samples is multiplied by ``window`` and its
    autocorrelation ``r[k] = sum_n x[n] x[n + k]`` (``k = 0..order``) is
    solved for the predictor by the Levinson-Durbin recursion (Makhoul 1975,
    "Linear prediction: a tutorial review", Proc. IEEE 63(4); Rabiner &
    Schafer 1978, ch. 8): ``a`` minimises the residual energy
    ``sum_n (x[n] + sum_k a_k x[n - k]) ** 2`` over the zero-extended frame,
    i.e. solves ``sum_j a_j r[|i - j|] = -r[i]``, ``i = 1..order``.

    Unlike ``librosa.lpc`` (one polynomial per signal, Burg's method, with
    the leading 1), this frames the signal and drops ``a_0 = 1``.

    Parameters
    ----------
    y : ndarray of shape (..., n_samples)
        Audio.
    order : int, default=12
        Prediction order ``p``, ``1 <= p < frame_length``.
    return_gain : bool, default=False
        Also return the prediction-error energy per frame.

    Returns
    -------
    a : ndarray of shape (..., order, n_frames)
        ``a_1..a_p`` of the inverse filter ``A(z) = 1 + sum_k a_k z^-k``
        (scipy/librosa sign convention: the prediction is
        ``x_hat[n] = -sum_k a_k x[n - k]``). A silent frame (``r[0] = 0``)
        gives all zeros.
    gain : ndarray of shape (..., 1, n_frames)
        Only with ``return_gain``: the minimum residual energy
        ``E = r[0] + sum_k a_k r[k] = r[0] prod_i (1 - k_i ** 2)`` (``k_i``
        the reflection coefficients), in squared sample units; ``E / |A|^2``
        is the all-pole model of the frame's power spectrum ``|X|^2``
        (``G^2 = E`` in Makhoul's notation). 0 for a silent frame.

    Raises
    ------
    ValueError
        For invalid audio, ``order >= frame_length`` or invalid framing
        parameters.

    Notes
    -----
    The recursion runs in float64. If the residual energy falls to
    ``1e-13 r[0]`` (a frame predicted exactly by a lower order) the
    remaining coefficients are set to 0, which is then an exact solution.

    References
    ----------
    .. [1] J. Makhoul, "Linear prediction: a tutorial review", Proc. IEEE 63(4), 1975.
    .. [2] L. R. Rabiner and R. W. Schafer, "Digital Processing of Speech Signals",
       Prentice-Hall, 1978.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy.signal import lfilter
    >>> from sklaudio.functional import lpc
    >>> e = np.random.default_rng(0).standard_normal(20000)
    >>> y = lfilter([1.0], [1.0, -0.9], e)           # AR(1): A(z) = 1 - 0.9 z^-1
    >>> a = lpc(y, order=1, frame_length=20000, hop_length=20000, center=False)
    >>> round(float(a[0, 0]), 1)
    -0.9
    """
    frame_length = check_int("frame_length", frame_length, 2, hint=" (samples)")
    return_gain = check_bool("return_gain", return_gain)
    dt = _float_dtype(y if y is not None else 0.0)
    spec = lpc_spec(frame_length, dt, order=order, gain=return_gain)
    out = _frame_feature(y, None, [spec], n_fft=frame_length, hop_length=hop_length,
                         win_length=None, window=window, center=center, pad_mode=pad_mode,
                         n_jobs=n_jobs)[0]
    if return_gain:
        return out[..., :-1, :], out[..., -1:, :]
    return out


# -- LPCC -------------------------------------------------------------------------------------------
def lpcc_spec(frame_length, dtype, *, order=12, n_lpcc=13, amin=1e-10) -> FrameSpec:
    """Engine spec of :func:`lpcc` (windowed-frame input, ``n_lpcc`` columns).

    Raises
    ------
    ValueError
        For ``order`` outside ``[1, frame_length - 1]``, ``n_lpcc < 1`` or
        ``amin <= 0``.
    """
    frame_length = check_int("frame_length", frame_length, 2, hint=" (samples)")
    order = check_lpc_order(order, frame_length)
    n_lpcc = check_int("n_lpcc", n_lpcc, 1)
    amin = check_real("amin", amin, low=0, low_open=True)

    def reduce(frames, out):
        lpcc_rows(frames, order, n_lpcc, amin, out)

    return FrameSpec(n_out=n_lpcc, reduce=reduce, input="windowed")


@fill_params("frames")
@validate_params({})
def lpcc(y, *, order: int = 12, n_lpcc: int = 13, frame_length: int = 2048,
         hop_length: int = 512, window="hamming", center: bool = True,
         pad_mode: str = "constant", amin: float = 1e-10, n_jobs=None) -> np.ndarray:
    """LPC cepstral coefficients (LPCC) of each frame.

    The cepstrum of the all-pole model of :func:`lpc`: with ``a_1..a_p`` and
    the residual energy ``E`` of a frame, the model power spectrum is
    ``E / |A(e^jw)|^2`` and its real cepstrum (inverse DTFT of its natural
    log) is, by the standard recursion (Markel & Gray 1976, *Linear
    Prediction of Speech*; Rabiner & Juang 1993, *Fundamentals of Speech
    Recognition*, eq. 3.83-3.84, predictor sign flipped to ours)::

        c_0 = ln(max(E, amin))
        c_n = -a_n - sum_{k=1}^{n-1} (k / n) c_k a_{n-k},   n >= 1,

    with ``a_n = 0`` for ``n > p`` (so ``n_lpcc`` may exceed the order).
    ``c_n`` (``n >= 1``) is the coefficient of ``cos(w n)`` / 2 in
    ``ln(E / |A|^2)``; it is twice the :func:`cepstrum` of the model's
    magnitude ``sqrt(E) / |A|`` at quefrency ``n``.

    Parameters
    ----------
    y : ndarray of shape (..., n_samples)
        Audio.
    order : int, default=12
        LPC order ``p``, ``1 <= p < frame_length``.
    n_lpcc : int, default=13
        Coefficients per frame, ``c_0 .. c_{n_lpcc - 1}``, ``>= 1``.
    amin : float, default=1e-10
        Floor on ``E`` before the log (squared sample units), ``> 0``: a
        silent frame gives ``c_0 = ln(amin)`` and ``c_n = 0`` otherwise.

    Returns
    -------
    ndarray of shape (..., n_lpcc, n_frames)
        The cepstral coefficients per frame.

    Raises
    ------
    ValueError
        For invalid audio, ``order >= frame_length``, ``n_lpcc < 1``,
        ``amin <= 0`` or invalid framing parameters.

    References
    ----------
    .. [1] J. D. Markel and A. H. Gray, Jr., "Linear Prediction of Speech", Springer,
       1976.
    .. [2] L. Rabiner and B.-H. Juang, "Fundamentals of Speech Recognition", Prentice
       Hall, 1993.

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.functional import lpcc
    >>> y = np.random.default_rng(0).standard_normal(8000)
    >>> lpcc(y, order=10, n_lpcc=16, frame_length=256, hop_length=80).shape
    (16, 101)
    """
    frame_length = check_int("frame_length", frame_length, 2, hint=" (samples)")
    dt = _float_dtype(y if y is not None else 0.0)
    spec = lpcc_spec(frame_length, dt, order=order, n_lpcc=n_lpcc, amin=amin)
    return _frame_feature(y, None, [spec], n_fft=frame_length, hop_length=hop_length,
                          win_length=None, window=window, center=center, pad_mode=pad_mode,
                          n_jobs=n_jobs)[0]
