"""Harmonics-to-noise ratio per frame by the autocorrelation method (Boersma 1993).

For each frame ``x`` of ``L = frame_length`` samples (Boersma 1993, Sec. 2-3;
Praat's "To Harmonicity (ac)"):

1. the frame's mean is removed and it is multiplied by a Hann window ``w``;
2. the normalised autocorrelation of the windowed frame,
   ``r_xw(tau) = sum_n xw[n] xw[n + tau] / sum_n xw[n] ** 2``, is divided by
   that of the window, ``r_w(tau)``, which undoes the window's taper:
   ``r_x(tau) = r_xw(tau) / r_w(tau)`` (Boersma's Eq. 9);
3. ``r_max`` is the largest ``r_x(tau)`` over the lags
   ``floor(sample_rate / fmax) <= tau <= ceil(sample_rate / fmin)``, refined by
   the parabola through its neighbours when it is an interior maximum;
4. ``HNR = 10 log10(r_max / (1 - r_max))`` dB (Boersma's Eq. 4): the power of
   the periodic part over that of the noise, as ``r_max`` is the periodic
   fraction of the frame's power.

The defaults follow Praat's "To Harmonicity (ac)": pitch floor 75 Hz, a
window of 4.5 periods of ``fmin`` (``frame_length = round(4.5 sample_rate /
fmin)``), a 10 ms hop. Praat refines the peak by sinc interpolation (here a
parabola) and applies a silence threshold and a Viterbi pitch path; here
every frame gets its own maximum, and a frame with ``r_max <= 0`` (including
silence) gets the floor of -200 dB, as Praat gives unvoiced frames.
``r_max`` is capped at ``1 - 1e-15`` (at most 150 dB). openSMILE's eGeMAPS
``HNRdBACF`` is the same ratio, ``10 log10(acf(T0) / (acf(0) - acf(T0)))``,
from its own (unwindowed-corrected) ACF and pitch lag.

Source: P. Boersma, "Accurate short-term analysis of the fundamental
frequency and the harmonics-to-noise ratio of a sampled sound", IFA
Proceedings 17, 97-110, 1993; F. Eyben et al., IEEE Trans. Affective
Computing 7(2), 2016 (eGeMAPS ``HNRdBACF``).
"""

from __future__ import annotations

import numpy as np
import scipy.fft
import scipy.signal

from .._docstrings import fill_params
from .._engine import FrameSpec
from .._params import check_framing, check_real, raise_invalid, validate_params
from ._energy import _run_frames

__all__ = ["check_hnr_params", "hnr", "hnr_spec"]

#: HNR of a frame with no positive autocorrelation peak (Praat's value for unvoiced frames)
HNR_FLOOR_DB = -200.0
_R_CAP = 1.0 - 1e-15


def check_hnr_params(sample_rate, fmin, fmax, frame_length):
    sr = check_real("sample_rate", sample_rate, low=0, low_open=True, unit="Hz")
    fmin = check_real("fmin", fmin, low=0, low_open=True, unit="Hz")
    fmax = check_real("fmax", fmax, low=0, low_open=True, unit="Hz")
    if fmax > sr / 2:
        raise_invalid("fmax", f"at most the Nyquist frequency sample_rate / 2 = {sr / 2} Hz", fmax)
    if fmin >= fmax:
        raise_invalid("fmin", f"below fmax = {fmax} Hz (fmin < fmax)", fmin)
    min_lag = max(int(np.floor(sr / fmax)), 1)
    max_lag = int(np.ceil(sr / fmin))
    if max_lag + 1 >= frame_length:
        raise_invalid("fmin", f"large enough that one period fits in a frame (sample_rate / fmin < "
                      f"frame_length - 1 = {frame_length - 1})", fmin)
    return min_lag, max_lag


def hnr_spec(sample_rate, frame_length, dtype, *, fmin=75.0, fmax=600.0) -> FrameSpec:
    """Engine spec of :func:`hnr` (raw-frame input, 1 column: HNR in dB).

    The plan must frame with ``n_fft = frame_length``; ``dtype`` is accepted
    for the common ``*_spec`` signature (the computation is float64).

    Raises
    ------
    ValueError
        For ``fmin``/``fmax`` outside ``0 < fmin < fmax <= sample_rate / 2`` or
        ``sample_rate / fmin >= frame_length - 1``.
    """
    L = int(frame_length)
    min_lag, max_lag = check_hnr_params(sample_rate, fmin, fmax, L)
    n_pad = scipy.fft.next_fast_len(2 * L, real=True)
    w = scipy.signal.get_window("hann", L, fftbins=False)
    W = scipy.fft.rfft(w, n=n_pad)
    rw = scipy.fft.irfft(W.real ** 2 + W.imag ** 2, n=n_pad)[:max_lag + 2]
    rw = rw / rw[0]
    lags = np.arange(min_lag, max_lag + 1)

    def reduce(frames, out):
        x = np.asarray(frames, dtype=np.float64)
        xw = (x - x.mean(axis=1, keepdims=True)) * w
        X = scipy.fft.rfft(xw, n=n_pad, axis=1, workers=1)
        r = scipy.fft.irfft(X.real ** 2 + X.imag ** 2, n=n_pad, axis=1, workers=1)
        r0 = r[:, :1]
        with np.errstate(divide="ignore", invalid="ignore"):
            rx = np.where(r0 > 0, r[:, :max_lag + 2] / r0, 0.0) / rw
        seg = rx[:, min_lag:max_lag + 1]
        i = np.argmax(seg, axis=1)
        rows = np.arange(x.shape[0])
        best = seg[rows, i]
        lag = lags[i]
        interior = (i > 0) & (i < lags.size - 1)
        cm = rx[rows, np.maximum(lag - 1, 0)]
        cp = rx[rows, lag + 1]
        den = cm - 2 * best + cp
        ok = interior & (den < 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            d = np.where(ok, 0.5 * (cm - cp) / den, 0.0)
        rmax = np.minimum(best - 0.25 * (cm - cp) * d, _R_CAP)
        with np.errstate(divide="ignore", invalid="ignore"):
            h = 10.0 * np.log10(rmax / (1.0 - rmax))
        out[:, 0] = np.where(rmax > 0, h, HNR_FLOOR_DB)

    return FrameSpec(n_out=1, reduce=reduce, input="frames")


@fill_params("frames")
@validate_params({})
def hnr(y, *, sample_rate: float, fmin: float = 75.0, fmax: float = 600.0,
        frame_length: int | None = None, hop_length: int | None = None, center: bool = True,
        pad_mode: str = "constant", n_jobs=None) -> np.ndarray:
    """Harmonics-to-noise ratio per frame in dB, autocorrelation method (Boersma 1993).

    For each frame (mean removed, Hann window ``w``), with ``r_xw`` the
    normalised autocorrelation of the windowed frame and ``r_w`` that of the
    window::

        r_max = max_{sample_rate/fmax <= tau <= sample_rate/fmin} r_xw(tau) / r_w(tau)
        HNR = 10 log10(r_max / (1 - r_max))

    (parabola-refined maximum; -200 dB where ``r_max <= 0``, e.g. silence;
    at most 150 dB). This is Praat's "To Harmonicity (ac)" without its
    silence threshold and pitch path (every frame gets its own maximum); see
    the module notes for the differences from openSMILE's ``HNRdBACF``.

    Parameters
    ----------
    y : ndarray of shape (..., n_samples)
        Audio; integers are cast to float64.
    sample_rate : float
        Sampling rate of the audio in Hz.
    fmin : float, default=75.0
        Lowest f0 in Hz (longest lag searched; Praat's default pitch floor).
    fmax : float, default=600.0
        Highest f0 in Hz (shortest lag searched), ``fmin < fmax <= sample_rate / 2``.
    frame_length : int or None, default=None
        Frame length in samples; ``None`` is ``round(4.5 sample_rate / fmin)``
        (Praat's 4.5 periods per window); ``sample_rate / fmin < frame_length - 1``.
    hop_length : int or None, default=None
        Hop between frames in samples; ``None`` is 10 ms.

    Returns
    -------
    ndarray of shape (..., n_frames)
        HNR per frame in dB (float64).

    Raises
    ------
    ValueError
        For invalid audio, frequency range or framing.

    References
    ----------
    .. [1] P. Boersma, "Accurate short-term analysis of the fundamental frequency and the
       harmonics-to-noise ratio of a sampled sound", IFA Proceedings 17, 1993.
    .. [2] F. Eyben et al., "The Geneva Minimalistic Acoustic Parameter Set (GeMAPS) for
       Voice Research and Affective Computing", IEEE Trans. Affective Computing 7(2), 2016.

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.functional import hnr
    >>> rng = np.random.default_rng(0)
    >>> t = np.arange(16000) / 16000
    >>> y = np.sin(2 * np.pi * 150 * t) + np.sqrt(0.05) * rng.standard_normal(t.size)
    >>> float(np.median(hnr(y, sample_rate=16000)).round())  # 10 log10(0.5 / 0.05)
    10.0
    """
    sr = check_real("sample_rate", sample_rate, low=0, low_open=True, unit="Hz")
    fmin_ = check_real("fmin", fmin, low=0, low_open=True, unit="Hz")
    if frame_length is None:
        frame_length = int(round(4.5 * sr / fmin_))
    if hop_length is None:
        hop_length = max(1, int(round(0.010 * sr)))
    frame_length, hop_length = check_framing(frame_length, hop_length, center, pad_mode)
    spec = hnr_spec(sr, frame_length, np.float64, fmin=fmin, fmax=fmax)
    y = np.asarray(y)
    if y.dtype.kind in "iu":
        y = y.astype(np.float64)
    out = _run_frames(y, spec, frame_length, hop_length, center, pad_mode, n_jobs)
    return np.asarray(out[..., 0, :], dtype=np.float64)
