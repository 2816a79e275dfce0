"""Voice-quality measures of eGeMAPS: local jitter and local shimmer (per clip).

Periods are marked pitch-synchronously on the waveform, guided by the YIN f0
track and its voicing flag (:func:`sklaudio.functional.yin`), in the manner of
Praat's "To PointProcess (periodic, cc)": each voiced run starts at a waveform
peak; the next mark is the lag between 0.8 and 1.2 local periods that
maximises the normalised cross-correlation of one period of waveform around
the previous mark (parabola-refined), moved onto the waveform peak within 2 %
of a period; a run ends where that correlation falls below 0.3 or the
voicing stops (kernel :func:`sklaudio._kernels.voice.mark_periods`). Jitter
and shimmer are then computed over the marks of the whole clip as Praat's
"Get jitter (local)" and "Get shimmer (local_dB)" define them (period floor
and ceiling, maximum period factor, maximum amplitude factor).

Agreement with Praat (parselmouth 0.4.7, Praat's defaults). The formulas
are Praat's: given Praat's own point process (jitter) or its period
AmplitudeTier (shimmer) of real speech they reproduce "Get jitter (local)"
and "Get shimmer (local_dB)" to rounding (``tests/test_voice.py``). On
Gaussian pulse trains with 0.5-3 % jitter and 5-20 % amplitude perturbation
both tools equal the true values within 2 %. On real speech (60 FSDD digit
clips, 8 kHz; ``benchmarks/compare_voice_praat.py``) the per-clip values
differ much more (median relative difference about 0.3 for both, Pearson r
0.1 for jitter and 0.3 for shimmer, medians 0.026 vs 0.019 and 1.46 vs
1.11 dB): the marks differ. The voicing decision (YIN's CMND trough here,
Praat's autocorrelation pitch path with its silence threshold and
voiced/unvoiced costs there) admits different periods at onsets and
offsets, where jitter and shimmer are largest, and Praat's per-period
amplitude is not the peak within half a period of the mark used here.

openSMILE (eGeMAPSv02, ``cPitchJitter``) computes the same local measures
per 60 ms frame and averages them over voiced frames; the per-clip form here
is Praat's. Sources: F. Eyben et al., "The Geneva Minimalistic Acoustic
Parameter Set (GeMAPS) for Voice Research and Affective Computing", IEEE
Trans. Affective Computing 7(2), 2016, Sec. 3.1.1; P. Boersma and D.
Weenink, Praat manual, "Voice 2. Jitter" and "Voice 3. Shimmer".
"""

from __future__ import annotations

import warnings

import numpy as np

from .._docstrings import fill_params
from .._kernels.voice import mark_periods
from .._params import check_framing, check_real, raise_invalid, validate_params
from ._core import _as_audio, _float_dtype
from ._energy import _run_frames
from ._pitch import check_yin_params, yin_spec

__all__ = ["jitter", "period_marks", "shimmer"]


def _default_framing(sample_rate, fmin, frame_length, hop_length):
    sr = check_real("sample_rate", sample_rate, low=0, low_open=True, unit="Hz")
    fmin = check_real("fmin", fmin, low=0, low_open=True, unit="Hz")
    if frame_length is None:  # at least 2.5 periods of fmin, a power of two
        frame_length = int(2 ** np.ceil(np.log2(2.5 * sr / fmin + 2)))
    if hop_length is None:  # 10 ms
        hop_length = max(1, int(round(0.010 * sr)))
    return check_framing(frame_length, hop_length, True, "constant")


@validate_params({})
def period_marks(y, *, sample_rate, fmin, fmax, frame_length=None, hop_length=None,
                 trough_threshold=0.45):
    """Mark one point per glottal period in each clip (the input of jitter and shimmer).

    Parameters
    ----------
    y : ndarray of shape (..., n_samples)
        Audio.
    sample_rate : float
        Sampling rate in Hz.
    fmin : float
        Lowest f0 in Hz (YIN's search range).
    fmax : float
        Highest f0 in Hz, ``fmin < fmax <= sample_rate / 2``.
    frame_length : int or None, default=None
        YIN frame length in samples; ``None`` is the power of two at or above
        ``2.5 sample_rate / fmin + 2``.
    hop_length : int or None, default=None
        Hop of the f0 track in samples; ``None`` is 10 ms.
    trough_threshold : float, default=0.45
        YIN's voicing threshold on the CMND: a frame is voiced when a trough
        lies below it. Higher than YIN's 0.1 (at 0.1 a pulse train with 2 %
        jitter already loses most frames, biasing jitter low); 0.45 keeps a
        5 % jitter pulse train voiced while white noise stays unvoiced.

    Returns
    -------
    list of tuple of ndarray
        One ``(times, amplitudes, runs)`` per clip (row-major over the leading
        axes): mark times in seconds, waveform amplitudes at the marks, and
        the voiced-run index of each mark (``int64``).

    Raises
    ------
    ValueError
        For invalid audio, pitch range or framing (see :func:`yin`).
    """
    frame_length, hop_length = _default_framing(sample_rate, fmin, frame_length, hop_length)
    check_yin_params(sample_rate, fmin, fmax, frame_length, trough_threshold, stacklevel=4)
    _as_audio(y)  # validation: finite, non-empty, numeric
    rows = np.asarray(y, dtype=_float_dtype(y)).reshape(-1, np.shape(y)[-1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        spec = yin_spec(sample_rate, frame_length, rows.dtype, fmin=fmin, fmax=fmax,
                        trough_threshold=trough_threshold)
    track = _run_frames(rows, spec, frame_length, hop_length, True, "constant", None)
    sr = float(sample_rate)
    out = []
    for i in range(rows.shape[0]):
        x = np.ascontiguousarray(rows[i], dtype=np.float64)
        pos = np.empty(x.size)
        amp = np.empty(x.size)
        run = np.empty(x.size, dtype=np.int64)
        f0 = np.ascontiguousarray(track[i, 0], dtype=np.float64)
        voiced = np.ascontiguousarray(track[i, 1], dtype=np.float64)
        n = mark_periods(x, f0, voiced, 0.0, hop_length, sr, pos, amp, run)
        out.append((pos[:n] / sr, amp[:n].copy(), run[:n].copy()))
    return out


def _check_limits(period_floor, period_ceiling, max_period_factor):
    lo = check_real("period_floor", period_floor, low=0, low_open=True, unit="s")
    hi = check_real("period_ceiling", period_ceiling, low=0, low_open=True, unit="s")
    if hi <= lo:
        raise_invalid("period_ceiling", f"above period_floor = {lo} s", hi)
    f = check_real("max_period_factor", max_period_factor, low=1)
    return lo, hi, f


def _periods(times, runs, lo, hi):
    """Periods between consecutive marks of one run, and their validity."""
    p = np.diff(times)
    same = runs[1:] == runs[:-1]
    return p, same & (p >= lo) & (p <= hi)


def _jitter_one(times, runs, lo, hi, factor):
    p, ok = _periods(times, runs, lo, hi)
    if not ok.any():
        return np.nan
    a, b = p[:-1], p[1:]
    close = np.maximum(a, b) <= factor * np.minimum(a, b)  # consecutive intervals within factor
    pair = ok[:-1] & ok[1:] & close
    if not pair.any():
        return np.nan
    # Praat's mean period: a valid period counts when it is within factor of the interval
    # before or after it (the first and last interval count on their open side)
    counted = ok & (np.r_[True, close] | np.r_[close, True])
    return float(np.mean(np.abs(b - a)[pair]) / np.mean(p[counted]))


def _shimmer_one(times, amps, runs, lo, hi, factor, amp_factor):
    _, ok = _periods(times, runs, lo, hi)
    # amplitude pair (A_i, A_{i+1}) of consecutive marks joined by a valid period
    a, b = amps[:-1], amps[1:]
    good = ok & (a > 0) & (b > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        good &= np.maximum(a, b) <= amp_factor * np.minimum(a, b)
        if good.sum() == 0:
            return np.nan
        return float(np.mean(np.abs(20.0 * np.log10(b[good] / a[good]))))


@validate_params({})
def jitter(y, *, sample_rate: float, fmin: float = 75.0, fmax: float = 600.0,
           frame_length: int | None = None, hop_length: int | None = None,
           trough_threshold: float = 0.45, period_floor: float = 0.0001,
           period_ceiling: float = 0.02, max_period_factor: float = 1.3):
    """Local jitter of each clip (a fraction; eGeMAPS ``jitterLocal``, Praat's "jitter (local)").

    With ``T_1 .. T_N`` the durations (seconds) of consecutive glottal periods
    marked in the voiced runs of the clip (see :func:`period_marks`)::

        jitter = mean_i |T_i - T_{i-1}| / mean_i T_i

    The numerator counts only consecutive pairs inside one voiced run where
    both periods lie in ``[period_floor, period_ceiling]`` and their ratio is
    at most ``max_period_factor``; the denominator is the mean of the periods
    in ``[period_floor, period_ceiling]`` that are within
    ``max_period_factor`` of the interval before or after them (the first
    and last interval pass on their open side). This is Praat's "Get jitter
    (local)": applied to the marks of Praat's own point process it equals
    Praat's value to rounding (``tests/test_voice.py``); openSMILE's eGeMAPSv02 computes the same
    ratio per 60 ms frame and averages it over voiced frames, so its values
    are of the same size but not equal.

    Parameters
    ----------
    y : ndarray of shape (..., n_samples)
        Audio; integers are cast to float64.
    sample_rate : float
        Sampling rate of the audio in Hz.
    fmin : float, default=75.0
        Lowest f0 in Hz (YIN's search range; Praat's pitch floor default).
    fmax : float, default=600.0
        Highest f0 in Hz, ``fmin < fmax <= sample_rate / 2`` (Praat's default
        pitch ceiling).
    frame_length : int or None, default=None
        YIN frame length in samples; ``None`` is the power of two at or above
        ``2.5 sample_rate / fmin + 2``.
    hop_length : int or None, default=None
        Hop of the f0 track in samples; ``None`` is 10 ms.
    trough_threshold : float, default=0.45
        YIN's voicing threshold on the CMND (see :func:`period_marks`).
    period_floor : float, default=0.0001
        Shortest period counted, in seconds (Praat's default).
    period_ceiling : float, default=0.02
        Longest period counted, in seconds (Praat's default: 50 Hz).
    max_period_factor : float, default=1.3
        Largest ratio of two consecutive periods counted (Praat's default).

    Returns
    -------
    float or ndarray of shape (...)
        Local jitter (dimensionless; multiply by 100 for Praat's percent), NaN
        for a clip with no valid pair of consecutive periods (unvoiced).

    Raises
    ------
    ValueError
        For invalid audio, pitch range, framing or period limits.

    References
    ----------
    .. [1] F. Eyben et al., "The Geneva Minimalistic Acoustic Parameter Set (GeMAPS) for
       Voice Research and Affective Computing", IEEE Trans. Affective Computing 7(2), 2016.
    .. [2] P. Boersma and D. Weenink, Praat manual, "Voice 2. Jitter".

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.functional import jitter
    >>> t = np.arange(16000) / 16000
    >>> y = np.sin(2 * np.pi * 120 * t) + 0.5 * np.sin(2 * np.pi * 240 * t)
    >>> bool(jitter(y, sample_rate=16000) < 1e-3)
    True
    """
    lo, hi, factor = _check_limits(period_floor, period_ceiling, max_period_factor)
    marks = period_marks(y, sample_rate=sample_rate, fmin=fmin, fmax=fmax,
                         frame_length=frame_length, hop_length=hop_length,
                         trough_threshold=trough_threshold)
    out = np.array([_jitter_one(t, r, lo, hi, factor) for t, _, r in marks])
    return _shape(out, y)


@fill_params(like=jitter)
@validate_params({})
def shimmer(y, *, sample_rate: float, fmin: float = 75.0, fmax: float = 600.0,
            frame_length: int | None = None, hop_length: int | None = None,
            trough_threshold: float = 0.45, period_floor: float = 0.0001,
            period_ceiling: float = 0.02, max_amplitude_factor: float = 1.6):
    """Local shimmer of each clip in dB (eGeMAPS ``shimmerLocaldB``, Praat's "shimmer (local, dB)").

    With ``A_0 .. A_N`` the peak amplitudes of consecutive glottal periods
    marked in the voiced runs of the clip (see :func:`period_marks`)::

        shimmer_dB = mean_i |20 log10(A_i / A_{i-1})|

    over the consecutive marks of one voiced run joined by a period in
    ``[period_floor, period_ceiling]``, both amplitudes positive and their
    ratio at most ``max_amplitude_factor``. This is Praat's "Get shimmer
    (local_dB)" on its point process (Praat takes each period's peak
    amplitude; here the parabola-refined waveform maximum within half a
    period of the mark);
    openSMILE's eGeMAPSv02 averages per 60 ms frame values over voiced frames.

    Parameters
    ----------
    y : ndarray of shape (..., n_samples)
        Audio; integers are cast to float64.
    max_amplitude_factor : float, default=1.6
        Largest ratio of two consecutive amplitudes counted (Praat's default).

    Returns
    -------
    float or ndarray of shape (...)
        Local shimmer in dB, NaN for a clip with no valid pair (unvoiced).

    Raises
    ------
    ValueError
        For invalid audio, pitch range, framing or limits.

    References
    ----------
    .. [1] F. Eyben et al., "The Geneva Minimalistic Acoustic Parameter Set (GeMAPS) for
       Voice Research and Affective Computing", IEEE Trans. Affective Computing 7(2), 2016.
    .. [2] P. Boersma and D. Weenink, Praat manual, "Voice 3. Shimmer".

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.functional import shimmer
    >>> t = np.arange(16000) / 16000
    >>> y = np.sin(2 * np.pi * 120 * t) + 0.5 * np.sin(2 * np.pi * 240 * t)
    >>> bool(shimmer(y, sample_rate=16000) < 0.01)
    True
    """
    lo, hi, _ = _check_limits(period_floor, period_ceiling, 1.3)
    amp_factor = check_real("max_amplitude_factor", max_amplitude_factor, low=1)
    marks = period_marks(y, sample_rate=sample_rate, fmin=fmin, fmax=fmax,
                         frame_length=frame_length, hop_length=hop_length,
                         trough_threshold=trough_threshold)
    out = np.array([_shimmer_one(t, a, r, lo, hi, None, amp_factor) for t, a, r in marks])
    return _shape(out, y)


def _shape(out, y):
    lead = np.shape(y)[:-1]
    return float(out[0]) if not lead else out.reshape(lead)
