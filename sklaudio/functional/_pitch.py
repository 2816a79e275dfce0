"""YIN fundamental-frequency estimation, librosa ``yin`` equivalent.

:func:`yin_spec` builds the engine :class:`~sklaudio._engine.FrameSpec`
(raw frames of ``frame_length`` samples in; f0 and a voicing flag out) so
that an estimator or a composite can compute it in the shared framing pass;
:func:`yin` is the librosa-style function.

Source: A. de Cheveigne and H. Kawahara, "YIN, a fundamental frequency
estimator for speech and music", J. Acoust. Soc. Am. 111(4), 1917-1930,
2002; reference implementation ``librosa.yin`` (librosa 0.11), which this
module reproduces step by step.
"""

from __future__ import annotations

import warnings

import numpy as np
import scipy.fft

from .._docstrings import fill_params
from .._engine import FrameSpec
from .._kernels.pitch import SCALE_HZ, SCALE_LOG2, SCALE_MIDI, yin_rows
from .._params import (
    check_framing,
    check_int,
    check_real,
    raise_invalid,
    validate_params,
)
from ._core import _float_dtype
from ._energy import _run_frames

__all__ = ["F0_SCALES", "check_yin_params", "yin", "yin_spec"]

#: ``f0_scale`` values -> (kernel code, column name).
F0_SCALES = {"hz": (SCALE_HZ, "f0"), "log": (SCALE_LOG2, "f0_log2"),
             "midi": (SCALE_MIDI, "f0_midi")}


def check_yin_params(sample_rate, fmin, fmax, frame_length, trough_threshold=0.1, *,
                     stacklevel=2):
    """Validate YIN's parameters; return the lag range ``(min_period, max_period)``.

    Conditions (librosa's, raised as ``ValueError``): ``0 < fmin < fmax <=
    sample_rate / 2`` and ``sample_rate / fmin < frame_length - 1`` (one
    period of ``fmin`` fits in a frame); ``trough_threshold`` a finite
    number ``> 0``. Warns (``UserWarning``, as librosa) when fewer than two
    periods of ``fmin`` fit in a frame (``sample_rate / fmin >=
    frame_length // 2``). ``min_period = floor(sample_rate / fmax)`` and
    ``max_period = ceil(sample_rate / fmin)`` (in samples). ``stacklevel``
    is passed to :func:`warnings.warn` (2: the caller of this function).
    """
    sr = check_real("sample_rate", sample_rate, low=0, low_open=True, unit="Hz")
    frame_length = check_int("frame_length", frame_length, 2, hint=" (samples)")
    fmin = check_real("fmin", fmin, low=0, low_open=True, unit="Hz")
    fmax = check_real("fmax", fmax, low=0, low_open=True, unit="Hz")
    check_real("trough_threshold", trough_threshold, low=0, low_open=True)
    if fmax > sr / 2:
        raise_invalid("fmax", f"at most the Nyquist frequency sample_rate / 2 = {sr / 2} Hz", fmax)
    if fmin >= fmax:
        raise_invalid("fmin", f"below fmax = {fmax} Hz (fmin < fmax)", fmin)
    if sr / fmin >= frame_length - 1:
        raise_invalid(
            "fmin", f"large enough that one period fits in a frame (sample_rate / fmin < "
            f"frame_length - 1 = {frame_length - 1}): at least {sr / (frame_length - 1):.3f} Hz "
            f"at sample_rate={sr}, or raise frame_length to {int(np.ceil(sr / fmin) + 1)} "
            "samples", fmin)
    if sr / fmin >= frame_length // 2:
        warnings.warn(
            f"With fmin={fmin:.3f} Hz, sample_rate={sr} and frame_length={frame_length}, "
            "fewer than two periods of fmin fit in a frame, which can make pitch detection "
            f"inaccurate. Consider fmin >= {sr / (frame_length / 2):.3f} Hz or frame_length "
            f">= {int(np.ceil(sr / fmin) * 2 + 1)}.",
            UserWarning, stacklevel=stacklevel,
        )
    min_period = int(np.floor(sr / fmax))
    max_period = min(int(np.ceil(sr / fmin)), frame_length - 1)
    return min_period, max_period


def check_f0_scale(f0_scale):
    if f0_scale not in F0_SCALES:
        raise_invalid("f0_scale", f"one of {sorted(F0_SCALES)}", f0_scale)
    return F0_SCALES[f0_scale][0]


def yin_spec(sample_rate, frame_length, dtype, *, fmin, fmax, trough_threshold=0.1,
             f0_scale="hz") -> FrameSpec:
    """Engine spec of YIN (raw-frame input, 2 columns: f0, voiced).

    The plan must frame with ``n_fft = frame_length``. Column 0 is f0 (Hz,
    or ``log2`` Hz / MIDI semitones per ``f0_scale``), column 1 the voicing
    flag (1.0 when a trough of the cumulative mean normalised difference
    lies below ``trough_threshold``, else 0.0); see :func:`yin`. ``dtype`` is
    accepted for the common ``*_spec`` signature; the frames' own dtype is used.

    Raises
    ------
    ValueError
        See :func:`check_yin_params`, or an unknown ``f0_scale``.
    """
    min_period, max_period = check_yin_params(sample_rate, fmin, fmax, frame_length,
                                              trough_threshold, stacklevel=3)
    scale = check_f0_scale(f0_scale)
    n_pad = scipy.fft.next_fast_len(2 * int(frame_length) - 1, real=True)
    sr = float(sample_rate)
    thr = float(trough_threshold)

    def reduce(frames, out):
        # autocorrelation of every frame of the chunk at once, as librosa.autocorrelate
        P = scipy.fft.rfft(frames, n=n_pad, axis=1, workers=1)
        acf = scipy.fft.irfft(P.real ** 2 + P.imag ** 2, n=n_pad, axis=1, workers=1)
        tiny = float(np.finfo(frames.dtype).tiny)
        yin_rows(frames, acf, min_period, max_period, thr, sr, tiny, scale, out)

    return FrameSpec(n_out=2, reduce=reduce, input="frames")


@fill_params("frames")
@validate_params({})
def yin(y, *, fmin: float, fmax: float, sample_rate: float = 22050, frame_length: int = 2048,
        hop_length: int | None = None, trough_threshold: float = 0.1, center: bool = True,
        pad_mode: str = "constant", n_jobs=None) -> np.ndarray:
    """Fundamental frequency (f0) per frame by YIN, equal to ``librosa.yin``.

    For each raw (un-windowed) frame ``x`` of ``L = frame_length`` samples
    (de Cheveigne & Kawahara 2002, as implemented by librosa 0.11):

    1. autocorrelation ``r[k] = sum_n x[n] x[n + k]`` (by FFT) and the
       difference function ``d[k] = 2 (r[0] - r[k]) - sum_{m<k} x[m] ** 2``
       for ``k >= 2``, ``d[1] = 2 (r[0] - r[1])``, ``d[0] = 0`` (librosa's
       form of YIN's ``sum_n (x[n] - x[n + k]) ** 2``, including its lag-1
       energy term);
    2. cumulative mean normalised difference (CMND)
       ``d'[tau] = d[tau] / ((1 / tau) sum_{j=1}^{tau} d[j] + tiny)`` for the
       lags ``tau = floor(sample_rate / fmax) .. ceil(sample_rate / fmin)``;
    3. the period is the smallest lag at a local minimum (trough) of ``d'``
       with ``d'[tau] < trough_threshold``; if there is none, the lag of the
       global minimum of ``d'`` (YIN's absolute threshold step);
    4. the lag is refined by parabolic interpolation over its two
       neighbours (no shift at the range ends, or when the vertex lies more
       than one lag away), and ``f0 = sample_rate / period``.

    YIN always returns a value: frames without a trough below the threshold
    (unvoiced, noise, silence) still get the f0 of the global minimum. A
    silent frame (``d' = 0`` everywhere) gives
    ``sample_rate / floor(sample_rate / fmax)`` (``>= fmax``), as librosa.
    librosa's deprecated ``win_length`` (no effect since 0.11) is not
    accepted.

    Parameters
    ----------
    y : ndarray of shape (..., n_samples)
        Audio; integers are cast to float64.
    fmin : float
        Lowest f0 in Hz, ``> 0``; ``sample_rate / fmin < frame_length - 1``.
        librosa recommends ``note_to_hz("C2")`` (about 65.4 Hz).
    fmax : float
        Highest f0 in Hz, ``fmin < fmax <= sample_rate / 2``; e.g.
        ``note_to_hz("C7")`` (about 2093 Hz).
    hop_length : int, optional
        Hop between frames in samples; default ``frame_length // 4``.
    trough_threshold : float, default=0.1
        Absolute threshold on the CMND, ``> 0``.

    Returns
    -------
    ndarray of shape (..., n_frames)
        The f0 in Hz, same float precision as ``y`` (librosa's orientation: no
        feature axis).

    Raises
    ------
    ValueError
        For non-finite or empty audio, ``fmin``/``fmax`` outside
        ``0 < fmin < fmax <= sample_rate / 2``, ``fmin`` too low for
        ``frame_length``, ``trough_threshold <= 0``, invalid framing, or
        (with ``center=False``) fewer than ``frame_length`` samples.

    Warns
    -----
    UserWarning
        When fewer than two periods of ``fmin`` fit in a frame.

    See Also
    --------
    sklaudio.Pitch : The f0 and voicing per frame, pooled per clip.

    References
    ----------
    .. [1] A. de Cheveigné and H. Kawahara, "YIN, a fundamental frequency estimator for
       speech and music", J. Acoust. Soc. Am. 111(4), 2002.
    .. [2] librosa ``yin``, https://librosa.org/doc/latest/generated/librosa.yin.html

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.functional import yin
    >>> t = np.arange(8000) / 8000
    >>> f0 = yin(np.sin(2 * np.pi * 220 * t), fmin=60, fmax=500, sample_rate=8000,
    ...          frame_length=1024)
    >>> float(np.median(f0).round())
    220.0
    """
    frame_length, hop_length = check_framing(frame_length, hop_length, center, pad_mode)
    check_yin_params(sample_rate, fmin, fmax, frame_length, trough_threshold, stacklevel=4)
    with warnings.catch_warnings():  # already warned, pointing at the caller
        warnings.simplefilter("ignore", UserWarning)
        spec = yin_spec(sample_rate, frame_length, _float_dtype(y), fmin=fmin, fmax=fmax,
                        trough_threshold=trough_threshold)
    out = _run_frames(y, spec, frame_length, hop_length, center, pad_mode, n_jobs)
    return out[..., 0, :]
