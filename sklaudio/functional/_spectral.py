"""Spectral descriptors, librosa ``feature.spectral_*`` equivalents.

Each descriptor is an engine :class:`~sklaudio._engine.FrameSpec` built by a
``*_spec(sample_rate, n_fft, dtype, ...)`` factory (so a composite estimator
can compute several of them from one STFT pass) and a librosa-style
function taking audio ``y`` or a precomputed spectrogram ``S``.
"""

from __future__ import annotations

import itertools

import numpy as np

from .. import filters
from .._docstrings import fill_params
from .._engine import FrameSpec
from .._kernels.cepstral import db_reference_clamp
from .._kernels.contrast import contrast_rows
from .._kernels.entropy import entropy_rows, entropy_rows_f32
from .._kernels.flatness import flatness_rows
from .._kernels.flux import normalized_flux_rows, onset_flux_clips
from .._kernels.moments import (
    bandwidth_rows,
    centroid_rows,
    fused_descriptor_rows,
    rolloff_rows,
)
from .._kernels.spectral import db_reference_clamp_flat, power_filterbank
from .._params import check_bool, check_int, check_real, check_stft, validate_params
from .._streaming import Chain, FrameLocal, RowStream, RunningDBClamp, Windowed
from ._core import _frame_feature, spectrogram

__all__ = [
    "bandwidth_spec",
    "centroid_spec",
    "contrast_bands",
    "contrast_spec",
    "descriptor_group_spec",
    "entropy_spec",
    "flatness_spec",
    "flux_spec",
    "rolloff_spec",
    "spectral_bandwidth",
    "spectral_centroid",
    "spectral_contrast",
    "spectral_entropy",
    "spectral_flatness",
    "spectral_flux",
    "spectral_rolloff",
]

#: The two definitions of :func:`spectral_flux`.
FLUX_KINDS = ("onset", "normalized")


def _check_nonnegative(S, what):
    if S is not None and np.any(np.asarray(S) < 0):
        raise ValueError(f"{what} is only defined for a non-negative spectrogram S "
                         "(magnitudes); pass np.abs(S).")


def _n_fft_of(S, n_fft):
    return n_fft if S is None else 2 * (np.shape(S)[-2] - 1)


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


def _run(y, S, spec, n_fft, hop_length, win_length, window, center, pad_mode, n_jobs):
    return _frame_feature(y, S, [spec], n_fft=n_fft, hop_length=hop_length,
                          win_length=win_length, window=window, center=center,
                          pad_mode=pad_mode, n_jobs=n_jobs)[0]


@fill_params()
@validate_params({})
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
    S : ndarray of shape (..., 1 + n_fft // 2, n_frames), optional
        Precomputed magnitude spectrogram.
    freq : ndarray of shape (1 + n_fft // 2,), optional
        Bin centre frequencies in Hz; default the rFFT bin frequencies.

    Returns
    -------
    ndarray of shape (..., 1, n_frames)
        Centroid in Hz.

    Raises
    ------
    ValueError
        For invalid audio, spectrogram or parameters.

    References
    ----------
    .. [1] A. Klapuri and M. Davy (eds.), "Signal Processing Methods for Music
       Transcription", Springer, 2006.
    .. [2] librosa ``feature.spectral_centroid``,
       https://librosa.org/doc/latest/generated/librosa.feature.spectral_centroid.html

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.functional import spectral_centroid
    >>> sr = 8000
    >>> t = np.arange(sr) / sr
    >>> tone = np.sin(2 * np.pi * 1000 * t)
    >>> c = spectral_centroid(tone, sample_rate=sr, n_fft=256, hop_length=80)
    >>> c.shape   # (1, 1 + n_samples // hop_length)
    (1, 101)
    >>> round(float(np.median(c)), 1)   # a 1 kHz tone: 1000 Hz
    1000.0
    >>> mix = tone + np.sin(2 * np.pi * 3000 * t)   # equal parts 1 and 3 kHz
    >>> round(float(np.median(spectral_centroid(mix, sample_rate=sr, n_fft=256,
    ...                                         hop_length=80))), 1)
    2000.0
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


# -- bandwidth ----------------------------------------------------------------------------------
def bandwidth_spec(sample_rate, n_fft, dtype, freq=None, *, norm=True, p=2.0) -> FrameSpec:
    """Engine spec of :func:`spectral_bandwidth` (magnitude input, 1 column)."""
    p = check_real("p", p, low=0, low_open=True)
    norm = check_bool("norm", norm)
    f = _bin_freqs(sample_rate, n_fft, freq, n_fft // 2 + 1, dtype)
    no_centroid = np.empty(0, dtype=dtype)

    def reduce(S, out):
        bandwidth_rows(S, f, no_centroid, p, norm, out)

    return FrameSpec(n_out=1, reduce=reduce, input="spectrum", power=1.0)


@fill_params()
@validate_params({})
def spectral_bandwidth(y=None, *, sample_rate: float = 22050, S=None, n_fft: int = 2048,
                       hop_length: int = 512, win_length: int | None = None, window="hann",
                       center: bool = True, pad_mode: str = "constant", freq=None,
                       centroid=None, norm: bool = True, p: float = 2,
                       n_jobs=None) -> np.ndarray:
    """Spectral bandwidth of order ``p``: the spread of each frame around its centroid.

    ``bandwidth[t] = (sum_k w[k, t] |f[k] - c[t]| ** p) ** (1 / p)`` with
    ``S = |STFT|``, ``f`` the bin frequencies (Hz), ``c`` the spectral
    centroid (:func:`spectral_centroid`) and ``w = S / sum_k S`` when ``norm``
    (else ``w = S``). Equals librosa ``feature.spectral_bandwidth``
    (Klapuri & Davy 2006, ch. 5). A silent frame gives 0 Hz.

    Parameters
    ----------
    y : ndarray of shape (..., n_samples), optional
        Audio. Either ``y`` or ``S`` is required.
    S : ndarray of shape (..., 1 + n_fft // 2, n_frames), optional
        Precomputed magnitude spectrogram (non-negative).
    freq : ndarray of shape (1 + n_fft // 2,), optional
        Bin centre frequencies in Hz; default the rFFT bin frequencies
        (librosa's 2-D reassigned frequencies are not supported).
    centroid : ndarray of shape (..., 1, n_frames), optional
        Precomputed centroid in Hz; default computed from ``S``.
    norm : bool, default=True
        Normalise each frame's magnitudes to sum 1 (frames summing to less
        than the float ``tiny`` are left as they are).
    p : float, default=2
        Order of the deviation, ``> 0``.

    Returns
    -------
    ndarray of shape (..., 1, n_frames)
        Bandwidth in Hz (``>= 0``).

    Raises
    ------
    ValueError
        For invalid audio, a negative ``S``, ``p <= 0``, a ``freq`` or
        ``centroid`` of the wrong shape, or invalid STFT parameters.

    References
    ----------
    .. [1] A. Klapuri and M. Davy (eds.), "Signal Processing Methods for Music
       Transcription", Springer, 2006.
    .. [2] librosa ``feature.spectral_bandwidth``,
       https://librosa.org/doc/latest/generated/librosa.feature.spectral_bandwidth.html

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.functional import spectral_bandwidth
    >>> y = np.random.default_rng(0).standard_normal(8000)
    >>> spectral_bandwidth(y, sample_rate=8000, n_fft=256, hop_length=80).shape
    (1, 101)
    """
    _check_nonnegative(S, "Spectral bandwidth")
    n_fft = _n_fft_of(S, n_fft)
    dt = _dtype_of(y, S)
    if centroid is None:
        spec = bandwidth_spec(sample_rate, n_fft, dt, freq, norm=norm, p=p)
        return _run(y, S, spec, n_fft, hop_length, win_length, window, center, pad_mode, n_jobs)
    if S is None:
        S = spectrogram(y, n_fft=n_fft, hop_length=hop_length, win_length=win_length,
                        window=window, center=center, pad_mode=pad_mode, power=1.0,
                        n_jobs=n_jobs)
    S = np.asarray(S)
    target = S.shape[:-2] + (1, S.shape[-1])
    c = np.asarray(centroid, dtype=np.float64)
    try:
        c = np.broadcast_to(c, target)
    except ValueError:
        raise ValueError(
            f"centroid must have shape {target} (..., 1, n_frames) to match S of shape "
            f"{S.shape}, got {c.shape}."
        ) from None
    if not np.all(np.isfinite(c)):
        raise ValueError("centroid contains NaN or inf; pass finite frequencies in Hz.")
    p = check_real("p", p, low=0, low_open=True)
    norm = check_bool("norm", norm)
    dt = _dtype_of(None, S)
    f = _bin_freqs(sample_rate, n_fft, freq, S.shape[-2], dt)
    c_rows = np.ascontiguousarray(c[..., 0, :].reshape(-1), dtype=dt)

    def reduce(rows, out):  # called once, on all rows of S in order
        bandwidth_rows(rows, f, c_rows, p, norm, out)

    spec = FrameSpec(n_out=1, reduce=reduce, input="spectrum", power=1.0)
    return _frame_feature(None, S, [spec])[0]


# -- roll-off -----------------------------------------------------------------------------------
def rolloff_spec(sample_rate, n_fft, dtype, freq=None, *, roll_percent=0.85) -> FrameSpec:
    """Engine spec of :func:`spectral_rolloff` (magnitude input, 1 column)."""
    rp = check_real("roll_percent", roll_percent, low=0, high=1, low_open=True,
                       high_open=True)
    f = _bin_freqs(sample_rate, n_fft, freq, n_fft // 2 + 1, dtype)

    def reduce(S, out):
        rolloff_rows(S, f, rp, out)

    return FrameSpec(n_out=1, reduce=reduce, input="spectrum", power=1.0)


@fill_params()
@validate_params({})
def spectral_rolloff(y=None, *, sample_rate: float = 22050, S=None, n_fft: int = 2048,
                     hop_length: int = 512, win_length: int | None = None, window="hann",
                     center: bool = True, pad_mode: str = "constant", freq=None,
                     roll_percent: float = 0.85, n_jobs=None) -> np.ndarray:
    """Roll-off frequency: where the cumulative magnitude reaches ``roll_percent`` of the total.

    ``rolloff[t] = min { f[k] : sum_{j <= k} S[j, t] >= roll_percent * sum_j S[j, t] }``
    with ``S = |STFT|`` (magnitude, not energy) and ``f`` the bin
    frequencies in Hz, exactly as librosa ``feature.spectral_rolloff``. A
    silent frame satisfies the condition at every bin, so its roll-off is
    the lowest bin frequency (0 Hz), as in librosa.

    Parameters
    ----------
    y : ndarray of shape (..., n_samples), optional
        Audio. Either ``y`` or ``S`` is required.
    S : ndarray of shape (..., 1 + n_fft // 2, n_frames), optional
        Precomputed magnitude spectrogram (non-negative).
    freq : ndarray of shape (1 + n_fft // 2,), optional
        Bin centre frequencies in Hz; default the rFFT bin frequencies.
    roll_percent : float, default=0.85
        Fraction of the total, in ``(0, 1)``.

    Returns
    -------
    ndarray of shape (..., 1, n_frames)
        Roll-off frequency in Hz, non-decreasing in ``roll_percent``.

    Raises
    ------
    ValueError
        For invalid audio, a negative ``S``, ``roll_percent`` outside
        ``(0, 1)``, or invalid STFT parameters.

    References
    ----------
    .. [1] librosa ``feature.spectral_rolloff``,
       https://librosa.org/doc/latest/generated/librosa.feature.spectral_rolloff.html

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.functional import spectral_rolloff
    >>> t = np.arange(8000) / 8000
    >>> r = spectral_rolloff(np.sin(2 * np.pi * 1000 * t), sample_rate=8000, n_fft=256,
    ...                      hop_length=80)
    >>> float(np.median(r))
    1031.25
    """
    _check_nonnegative(S, "Spectral rolloff")
    n_fft = _n_fft_of(S, n_fft)
    spec = rolloff_spec(sample_rate, n_fft, _dtype_of(y, S), freq, roll_percent=roll_percent)
    return _run(y, S, spec, n_fft, hop_length, win_length, window, center, pad_mode, n_jobs)


# -- flatness -----------------------------------------------------------------------------------
def flatness_spec(sample_rate, n_fft, dtype, *, amin=1e-10, power=2.0) -> FrameSpec:
    """Engine spec of :func:`spectral_flatness` (magnitude input, 1 column).

    ``sample_rate`` and ``n_fft`` are unused (uniform factory signature).
    """
    amin = check_real("amin", amin, low=0, low_open=True)
    power = check_real("power", power, low=0, low_open=True)

    def reduce(S, out):
        flatness_rows(S, power, amin, out)

    return FrameSpec(n_out=1, reduce=reduce, input="spectrum", power=1.0)


@fill_params()
@validate_params({})
def spectral_flatness(y=None, *, S=None, n_fft: int = 2048, hop_length: int = 512,
                      win_length: int | None = None, window="hann", center: bool = True,
                      pad_mode: str = "constant", amin: float = 1e-10, power: float = 2.0,
                      n_jobs=None) -> np.ndarray:
    """Spectral flatness (tonality coefficient): geometric over arithmetic mean.

    ``flatness[t] = exp(mean_k log v[k, t]) / mean_k v[k, t]`` with
    ``v = max(amin, |STFT| ** power)`` (librosa ``feature.spectral_flatness``;
    Dubnov 2004). It lies in ``[0, 1]``: near 1 for white noise, near 0 for a
    pure tone. A silent frame gives ``amin / amin = 1`` (librosa's value).

    Parameters
    ----------
    y : ndarray of shape (..., n_samples), optional
        Audio. Either ``y`` or ``S`` is required.
    S : ndarray of shape (..., 1 + n_fft // 2, n_frames), optional
        Precomputed magnitude spectrogram (non-negative); raised to ``power``.
    amin : float, default=1e-10
        Floor on ``|STFT| ** power``, ``> 0``.

    Returns
    -------
    ndarray of shape (..., 1, n_frames)
        Flatness, dimensionless, in ``[0, 1]``.

    Raises
    ------
    ValueError
        For invalid audio, a negative ``S``, ``amin <= 0``, ``power <= 0``,
        or invalid STFT parameters.

    References
    ----------
    .. [1] S. Dubnov, "Generalization of spectral flatness measure for non-Gaussian
       linear processes", IEEE Signal Processing Letters 11, 2004.
    .. [2] librosa ``feature.spectral_flatness``,
       https://librosa.org/doc/latest/generated/librosa.feature.spectral_flatness.html

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.functional import spectral_flatness
    >>> noise = np.random.default_rng(0).standard_normal(8000)
    >>> tone = np.sin(2 * np.pi * 1000 * np.arange(8000) / 8000)
    >>> flat = lambda y: float(np.median(spectral_flatness(y, n_fft=256, hop_length=80)))
    >>> flat(noise) > 0.3 > 0.01 > flat(tone)
    True
    """
    _check_nonnegative(S, "Spectral flatness")
    n_fft = _n_fft_of(S, n_fft)
    spec = flatness_spec(None, n_fft, _dtype_of(y, S), amin=amin, power=power)
    return _run(y, S, spec, n_fft, hop_length, win_length, window, center, pad_mode, n_jobs)


# -- several descriptors in one pass --------------------------------------------------------------
#: Descriptors :func:`descriptor_group_spec` computes together, with their parameters and defaults.
GROUPED_DESCRIPTORS = {
    "centroid": {},
    "bandwidth": {"norm": True, "p": 2.0},
    "rolloff": {"roll_percent": 0.85},
    "flatness": {"amin": 1e-10, "power": 2.0},
}


def descriptor_group_spec(sample_rate, n_fft, dtype, descriptors) -> FrameSpec:
    """One engine spec computing several magnitude descriptors in one pass over each frame.

    The descriptors are :func:`spectral_centroid`, :func:`spectral_bandwidth`
    (``p = 2``, default frequencies, no precomputed centroid),
    :func:`spectral_rolloff` and :func:`spectral_flatness`; the column of
    each equals its own spec's (:func:`centroid_spec`, :func:`bandwidth_spec`,
    :func:`rolloff_spec`, :func:`flatness_spec`) up to the order of float64
    sums (see :func:`sklaudio._kernels.moments.fused_descriptor_rows`).

    Parameters
    ----------
    sample_rate : float
        Sampling rate in Hz.
    n_fft : int
        FFT size (``1 + n_fft // 2`` bins).
    dtype : numpy dtype
        Float dtype of the spectra.
    descriptors : sequence of (str, dict)
        ``(name, params)`` pairs, in output column order, each name at most
        once, from ``GROUPED_DESCRIPTORS`` (``"centroid"``: no parameters;
        ``"bandwidth"``: ``norm``, ``p`` (must be 2); ``"rolloff"``:
        ``roll_percent``; ``"flatness"``: ``amin``, ``power``). Missing
        parameters take the functions' defaults.

    Returns
    -------
    FrameSpec
        Magnitude input, ``len(descriptors)`` columns.

    Raises
    ------
    ValueError
        For an unknown or repeated name, an unknown parameter, ``p != 2``,
        or a parameter out of range (named as in the single-descriptor functions).
    """
    cols = {}
    params = {}
    for j, item in enumerate(descriptors):
        name, kw = item
        if name not in GROUPED_DESCRIPTORS:
            raise ValueError(f"descriptors: unknown descriptor {name!r}; choose from "
                             f"{tuple(GROUPED_DESCRIPTORS)}.")
        if name in cols:
            raise ValueError(f"descriptors lists {name!r} twice.")
        unknown = set(kw) - set(GROUPED_DESCRIPTORS[name])
        if unknown:
            raise ValueError(f"descriptors: {name!r} takes parameters "
                             f"{sorted(GROUPED_DESCRIPTORS[name])}, got {sorted(unknown)}.")
        cols[name] = j
        params[name] = {**GROUPED_DESCRIPTORS[name], **kw}
    if not cols:
        raise ValueError("descriptors must name at least one descriptor.")
    bw = params.get("bandwidth", GROUPED_DESCRIPTORS["bandwidth"])
    bw_norm = check_bool("norm", bw["norm"])
    if check_real("p", bw["p"], low=0, low_open=True) != 2.0:
        raise ValueError(f"descriptor_group_spec computes the bandwidth with p=2 only, got "
                         f"p={bw['p']!r}; use bandwidth_spec.")
    rp = check_real("roll_percent",
                       params.get("rolloff", GROUPED_DESCRIPTORS["rolloff"])["roll_percent"],
                       low=0, high=1, low_open=True, high_open=True)
    fl = params.get("flatness", GROUPED_DESCRIPTORS["flatness"])
    amin = check_real("amin", fl["amin"], low=0, low_open=True)
    power = check_real("power", fl["power"], low=0, low_open=True)
    f = _bin_freqs(sample_rate, n_fft, None, n_fft // 2 + 1, dtype)
    c_c, c_b, c_r, c_f = (cols.get(n, -1) for n in ("centroid", "bandwidth", "rolloff",
                                                     "flatness"))

    def reduce(S, out):
        fused_descriptor_rows(S, f, c_c, c_b, bw_norm, c_r, rp, c_f, power, amin, out)

    return FrameSpec(n_out=len(cols), reduce=reduce, input="spectrum", power=1.0)


# -- contrast -----------------------------------------------------------------------------------
def contrast_bands(freq, *, sample_rate, fmin=200.0, n_bands=6, quantile=0.02):
    """Bins and quantile counts of :func:`spectral_contrast`'s octave sub-bands.

    Reproduces librosa's selection: band edges ``[0, fmin, 2 fmin, ...,
    2 ** n_bands fmin]`` (Hz); band ``b`` takes the bins with
    ``edge[b] <= f <= edge[b + 1]``, plus the bin just below for ``b > 0``
    and every bin above for the last band; every band but the last then
    drops its highest bin. The peak and valley average
    ``max(1, rint(quantile * n))`` bins, ``n`` the band's bin count before
    the drop (capped at the band's size).

    Parameters
    ----------
    freq : ndarray of shape (n_bins,)
        Bin frequencies in Hz, strictly increasing.
    sample_rate : float
        Sampling rate in Hz.
    fmin : float, default=200.0
        Upper edge of the first band in Hz, ``> 0``.
    n_bands : int, default=6
        Number of octave bands above the first, ``>= 1``.
    quantile : float, default=0.02
        In ``(0, 1)``.

    Returns
    -------
    start, stop, n_q : ndarray of shape (n_bands + 1,), int64
        Band ``b`` is bins ``start[b]:stop[b]``; ``n_q[b]`` bins are averaged.

    Raises
    ------
    ValueError
        If a band edge below the last reaches Nyquist, or a band has no bin
        (increase ``n_fft`` or ``fmin``, or lower ``n_bands``).
    """
    sample_rate = check_real("sample_rate", sample_rate, low=0, low_open=True, unit="Hz")
    fmin = check_real("fmin", fmin, low=0, low_open=True, unit="Hz")
    n_bands = check_int("n_bands", n_bands, 1)
    quantile = check_real("quantile", quantile, low=0, high=1, low_open=True, high_open=True)
    freq = np.asarray(freq, dtype=np.float64)
    if freq.ndim != 1 or freq.size < 2 or np.any(np.diff(freq) <= 0):
        raise ValueError("freq must be a strictly increasing 1-D array of bin frequencies (Hz).")
    octa = np.zeros(n_bands + 2)
    octa[1:] = fmin * (2.0 ** np.arange(0, n_bands + 1))
    if np.any(octa[:-1] >= 0.5 * sample_rate):
        raise ValueError(
            f"Spectral contrast band edge {octa[:-1].max():g} Hz (fmin * 2 ** (n_bands - 1)) "
            f"reaches the Nyquist frequency {0.5 * sample_rate:g} Hz; reduce fmin={fmin:g} or "
            f"n_bands={n_bands}."
        )
    start = np.zeros(n_bands + 1, dtype=np.int64)
    stop = np.zeros(n_bands + 1, dtype=np.int64)
    n_q = np.zeros(n_bands + 1, dtype=np.int64)
    n_bins = freq.size
    for k, (f_low, f_high) in enumerate(zip(octa[:-1], octa[1:])):
        idx = np.flatnonzero((freq >= f_low) & (freq <= f_high))
        if idx.size == 0 or (k > 0 and idx[0] == 0):
            raise ValueError(
                f"Spectral contrast band {k} [{f_low:g}, {f_high:g}] Hz contains no FFT bin "
                f"(bin spacing {freq[1] - freq[0]:g} Hz); increase n_fft or fmin, or lower "
                "n_bands."
            )
        a = int(idx[0]) - (1 if k > 0 else 0)
        b = n_bins if k == n_bands else int(idx[-1]) + 1
        count = b - a
        if k < n_bands:
            b -= 1
        if b <= a:
            raise ValueError(
                f"Spectral contrast band {k} [{f_low:g}, {f_high:g}] Hz has a single FFT bin, "
                "which librosa's selection drops; increase n_fft or fmin."
            )
        start[k], stop[k] = a, b
        n_q[k] = min(max(int(np.rint(quantile * count)), 1), b - a)
    return start, stop, n_q


def contrast_spec(sample_rate, n_fft, dtype, freq=None, *, fmin=200.0, n_bands=6,
                  quantile=0.02, linear=False) -> FrameSpec:
    """Engine spec of :func:`spectral_contrast` (magnitude input).

    Writes ``n_bands + 1`` columns. Unless ``linear``, ``reduce`` writes the
    peaks' and valleys' dB (``2 (n_bands + 1)`` columns, ``n_out``) and
    ``finalize`` applies the per-clip ``top_db=80`` clamp of librosa's
    ``power_to_db`` and returns their difference (``n_bands + 1`` columns).
    """
    linear = check_bool("linear", linear)
    f = _bin_freqs(sample_rate, n_fft, freq, n_fft // 2 + 1, np.float64)
    start, stop, n_q = contrast_bands(f, sample_rate=sample_rate, fmin=fmin, n_bands=n_bands,
                                      quantile=quantile)
    nb1 = len(start)

    def reduce(S, out):
        contrast_rows(S, start, stop, n_q, linear, 1e-10, out)

    if linear:
        return FrameSpec(n_out=nb1, reduce=reduce, input="spectrum", power=1.0)

    def finalize(rows, frame_offsets):
        peak = np.ascontiguousarray(rows[:, :nb1])
        valley = np.ascontiguousarray(rows[:, nb1:])
        # vectorised per-clip clamp, the same values as db_reference_clamp bit for bit
        db_reference_clamp_flat(peak, frame_offsets, 0.0, False, 80.0)
        db_reference_clamp_flat(valley, frame_offsets, 0.0, False, 80.0)
        return np.subtract(peak, valley, out=peak)

    def stream():  # the 80 dB clamps below the running maxima of the peaks and the valleys
        return Chain(RunningDBClamp(1.0, 80.0, groups=[(0, nb1), (nb1, 2 * nb1)]),
                     FrameLocal(lambda r, offs: np.subtract(r[:, :nb1], r[:, nb1:])))

    return FrameSpec(n_out=2 * nb1, reduce=reduce, input="spectrum", power=1.0,
                     finalize=finalize, stream=stream)


@fill_params()
@validate_params({})
def spectral_contrast(y=None, *, sample_rate: float = 22050, S=None, n_fft: int = 2048,
                      hop_length: int = 512, win_length: int | None = None, window="hann",
                      center: bool = True, pad_mode: str = "constant", freq=None,
                      fmin: float = 200.0, n_bands: int = 6, quantile: float = 0.02,
                      linear: bool = False, n_jobs=None) -> np.ndarray:
    """Spectral contrast: peak-to-valley level difference in octave sub-bands.

    Each frame of ``S = |STFT|`` is split into ``n_bands + 1`` bands (``[0,
    fmin]``, ``[fmin, 2 fmin]``, ..., the last one up to Nyquist, bins chosen
    exactly as librosa, see :func:`contrast_bands`). In each band the peak
    (valley) is the mean of the largest (smallest) ``quantile`` of its bins;
    the contrast is ``power_to_db(peak) - power_to_db(valley)`` in dB
    (``10 log10(max(1e-10, .))``, each clamped to 80 dB below its maximum
    over the clip), or ``peak - valley`` if ``linear`` (Jiang et al. 2002;
    librosa ``feature.spectral_contrast``).

    Parameters
    ----------
    y : ndarray of shape (..., n_samples), optional
        Audio. Either ``y`` or ``S`` is required.
    S : ndarray of shape (..., 1 + n_fft // 2, n_frames), optional
        Precomputed magnitude spectrogram.
    freq : ndarray of shape (1 + n_fft // 2,), optional
        Bin frequencies in Hz (strictly increasing); default the rFFT bins.
    fmin : float, default=200.0
        Upper edge of the first band in Hz.
    n_bands : int, default=6
        Number of octave bands above the first; needs
        ``fmin * 2 ** (n_bands - 1) < sample_rate / 2``.
    quantile : float, default=0.02
        Fraction of each band's bins averaged for peak and valley, in ``(0, 1)``.
    linear : bool, default=False
        Return the linear difference ``peak - valley`` instead of dB.

    Returns
    -------
    ndarray of shape (..., n_bands + 1, n_frames)
        Contrast in dB (or in magnitude units if ``linear``). The dB clamp
        uses each row's (clip's) own maximum; librosa takes the maximum over
        all leading dimensions of a multi-channel input at once.

    Raises
    ------
    ValueError
        For invalid audio, parameters out of range, a band reaching Nyquist,
        or a band without FFT bins (see :func:`contrast_bands`).

    References
    ----------
    .. [1] D.-N. Jiang, L. Lu, H.-J. Zhang, J.-H. Tao and L.-H. Cai, "Music type
       classification by spectral contrast feature", Proc. IEEE ICME, 2002.
    .. [2] librosa ``feature.spectral_contrast``,
       https://librosa.org/doc/latest/generated/librosa.feature.spectral_contrast.html

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.functional import spectral_contrast
    >>> y = np.random.default_rng(0).standard_normal(22050)
    >>> spectral_contrast(y, sample_rate=22050).shape
    (7, 44)
    """
    n_fft = _n_fft_of(S, n_fft)
    spec = contrast_spec(sample_rate, n_fft, _dtype_of(y, S), freq, fmin=fmin, n_bands=n_bands,
                         quantile=quantile, linear=linear)
    return _run(y, S, spec, n_fft, hop_length, win_length, window, center, pad_mode, n_jobs)


# -- flux ---------------------------------------------------------------------------------------
def _check_kind(kind):
    if kind not in FLUX_KINDS:
        raise ValueError(f"kind must be one of {FLUX_KINDS}, got {kind!r}.")
    return kind


def _onset_shift(n_fft, hop_length, center):
    """librosa ``onset_strength``'s frame shift: lag (1) plus ``n_fft // (2 hop)`` if centred."""
    return 1 + (int(n_fft) // (2 * int(hop_length)) if center else 0)


def _onset_differences(shift):
    def differences(rows, frame_offsets):
        out = np.empty((rows.shape[0], 1), dtype=rows.dtype)
        onset_flux_clips(rows, frame_offsets, shift, out)
        return out

    return differences


def _onset_finalize(shift, db_reference):
    differences = _onset_differences(shift)

    def finalize(rows, frame_offsets):
        if db_reference:
            db_reference_clamp(rows, frame_offsets, 0.0, False, 80.0)
        return differences(rows, frame_offsets)

    return finalize


def _onset_stream(shift):
    """Streamed onset strength: the 80 dB clamp below the running maximum, then the
    differences, which read the ``shift`` frames before each frame (carried)."""

    def make():
        return Chain(RunningDBClamp(1.0, 80.0), Windowed(_onset_differences(shift), left=shift))

    return make


def _normalized_flux_spec(dtype):
    """Normalised flux; chunk edges are stitched in ``finalize`` from stashed spectra.

    ``reduce`` sees one chunk of frames at a time (possibly in several
    threads), so the first frame of a chunk has no predecessor there. It
    tags its rows with a chunk token (column 1) and keeps the chunk's first
    and last normalised spectra; ``finalize`` recomputes the flux at every
    chunk start from those, then sets each clip's first frame to 0.
    """
    counter = itertools.count()
    stash = {}

    def reduce(S, out):
        # tokens wrap (float32 holds integers exactly up to 2 ** 24); adjacent chunks and the
        # stash of one finalize never hold 2 ** 20 chunks
        token = next(counter) % (1 << 20)
        first = np.empty(S.shape[1], dtype=np.float64)
        last = np.empty(S.shape[1], dtype=np.float64)
        normalized_flux_rows(S, out, first, last)
        out[:, 1] = token
        stash[token] = (first, last)

    def finalize(rows, frame_offsets):
        flux = np.ascontiguousarray(rows[:, :1])
        tokens = rows[:, 1]
        for f0 in np.flatnonzero(tokens[1:] != tokens[:-1]) + 1:
            a = stash[int(tokens[f0])][0]
            b = stash[int(tokens[f0 - 1])][1]
            flux[f0, 0] = np.sum((a - b) ** 2)
        starts = frame_offsets[:-1]
        flux[starts[starts < rows.shape[0]], 0] = 0.0
        stash.clear()
        return flux

    class Stream(RowStream):
        """Each block's rows finalised as a clip, the first one's flux against the last
        normalised spectrum of the block before (carried)."""

        def __init__(self):
            self.last = None

        def push(self, rows):
            if rows is None or len(rows) == 0:
                return None
            first = stash[int(rows[0, 1])][0]
            last = stash[int(rows[-1, 1])][1]
            flux = finalize(rows, np.array([0, len(rows)], dtype=np.int64))
            if self.last is not None:
                flux[0, 0] = np.sum((first - self.last) ** 2)
            self.last = last
            return flux

    return FrameSpec(n_out=2, reduce=reduce, input="spectrum", power=1.0, finalize=finalize,
                     stream=Stream)


def flux_spec(sample_rate, n_fft, dtype, *, kind="onset", hop_length=512, center=True,
              n_mels=128, fmin=0.0, fmax=None) -> FrameSpec:
    """Engine spec of :func:`spectral_flux` (1 column after ``finalize``).

    ``kind="onset"`` reads the complex STFT, writes ``n_mels`` log-mel
    columns per frame, and ``finalize`` applies the per-clip dB clamp and the
    differences. ``kind="normalized"`` reads the magnitude spectrum and
    writes 2 columns (flux, chunk token) that ``finalize`` stitches.
    ``hop_length`` and ``center`` set the onset frame shift.
    """
    kind = _check_kind(kind)
    if kind == "normalized":
        return _normalized_flux_spec(dtype)
    n_mels = check_int("n_mels", n_mels, 1)
    fb = filters.sparse_mel(sample_rate=sample_rate, n_fft=n_fft, n_mels=n_mels, fmin=fmin,
                            fmax=fmax, dtype=dtype)
    weights = fb.weights.astype(dtype, copy=False)
    shift = _onset_shift(n_fft, hop_length, center)

    def reduce(X, out):
        power_filterbank(X, 2.0, fb.start, fb.stop, fb.offset, weights, True, 1e-10, out, 0)

    return FrameSpec(n_out=n_mels, reduce=reduce, input="complex",
                     finalize=_onset_finalize(shift, True), stream=_onset_stream(shift))


@fill_params("mel")
@validate_params({})
def spectral_flux(y=None, *, sample_rate: float = 22050, S=None, kind: str = "onset",
                  n_fft: int = 2048, hop_length: int = 512, win_length: int | None = None,
                  window="hann", center: bool = True, pad_mode: str = "constant",
                  n_mels: int = 128, fmin: float = 0.0, fmax: float | None = None,
                  n_jobs=None) -> np.ndarray:
    """Spectral flux: frame-to-frame change of the spectrum, in one of two definitions.

    ``kind="onset"`` -- librosa's onset strength (``onset.onset_strength``
    with its defaults: lag 1, no maximum filter, mean over bands; Böck &
    Widmer 2013). ``L = power_to_db(melspectrogram(y, power=2))`` (``ref=1``,
    ``amin=1e-10``, clamped to 80 dB below the clip's maximum) and::

        flux[t] = mean_m max(0, L[m, t - s + 1] - L[m, t - s])   (t >= s), else 0

    with the shift ``s = 1 + n_fft // (2 hop_length)`` when ``center`` (librosa
    pads ``s`` zeros in front and trims to the number of frames), ``s = 1``
    otherwise. Units: dB.

    ``kind="normalized"`` -- pyAudioAnalysis ``stSpectralFlux``
    (Giannakopoulos 2015) on the magnitude spectrum ``X = |STFT|``::

        flux[t] = sum_k (X[k, t] / sum_j X[j, t] - X[k, t-1] / sum_j X[j, t-1]) ** 2

    with the first frame of each clip compared with itself (0), and a silent
    frame's normalised spectrum taken as 0 (pyAudioAnalysis adds ``1e-8`` to
    each bin instead). Dimensionless, in ``[0, 2]``.

    Parameters
    ----------
    y : ndarray of shape (..., n_samples), optional
        Audio. Either ``y`` or ``S`` is required.
    S : ndarray of shape (..., n_rows, n_frames), optional
        ``kind="onset"``: a precomputed log-power spectrogram in dB, used as
        ``L`` (as librosa's ``onset_strength(S=...)``; ``n_fft`` and
        ``hop_length`` then only set the shift). ``kind="normalized"``: a
        magnitude spectrogram (non-negative).
    kind : {"onset", "normalized"}, default="onset"
    n_mels : int, default=128
        Mel bands of ``kind="onset"`` (Slaney, area-normalised, as librosa's
        onset strength).

    Returns
    -------
    ndarray of shape (..., 1, n_frames)
        Flux per frame (librosa's ``onset_strength`` returns ``(..., n_frames)``:
        take ``[..., 0, :]``). Each leading row (clip) gets its own dB
        reference; librosa takes the maximum over all channels at once.

    Raises
    ------
    ValueError
        For invalid audio, an unknown ``kind``, a negative magnitude ``S``,
        or invalid STFT/mel parameters.

    References
    ----------
    .. [1] S. Böck and G. Widmer, "Maximum filter vibrato suppression for onset
       detection", Proc. 16th Int. Conf. on Digital Audio Effects (DAFx), 2013.
    .. [2] librosa ``onset.onset_strength``,
       https://librosa.org/doc/latest/generated/librosa.onset.onset_strength.html
    .. [3] T. Giannakopoulos, "pyAudioAnalysis: an open-source Python library for audio
       signal analysis", PLoS ONE 10(12), 2015;
       https://github.com/tyiannak/pyAudioAnalysis

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.functional import spectral_flux
    >>> y = np.zeros(8000)
    >>> y[4000:] = np.random.default_rng(0).standard_normal(4000)
    >>> flux = spectral_flux(y, sample_rate=8000, n_fft=256, hop_length=80)[0]
    >>> int(np.argmax(flux)) in (50, 51, 52)
    True
    >>> spectral_flux(y, sample_rate=8000, kind="normalized", n_fft=256,
    ...               hop_length=80).shape
    (1, 101)
    """
    kind = _check_kind(kind)
    if kind == "normalized":
        _check_nonnegative(S, "Normalized spectral flux")
        n_fft = _n_fft_of(S, n_fft)
        spec = _normalized_flux_spec(_dtype_of(y, S))
        return _run(y, S, spec, n_fft, hop_length, win_length, window, center, pad_mode,
                    n_jobs)
    n_fft, hop_length, _ = check_stft(n_fft, hop_length, win_length, center, pad_mode)
    check_bool("center", center)
    if S is not None:
        n_rows = np.shape(S)[-2] if np.ndim(S) >= 2 else 0

        def copy_rows(rows, out):
            out[:] = rows

        spec = FrameSpec(n_out=n_rows, reduce=copy_rows, input="spectrum",
                         finalize=_onset_finalize(_onset_shift(n_fft, hop_length, center),
                                                  False))
        return _frame_feature(None, S, [spec])[0]
    spec = flux_spec(sample_rate, n_fft, _dtype_of(y, S), kind="onset", hop_length=hop_length,
                     center=center, n_mels=n_mels, fmin=fmin, fmax=fmax)
    return _run(y, S, spec, n_fft, hop_length, win_length, window, center, pad_mode, n_jobs)


# -- entropy ------------------------------------------------------------------------------------
def _entropy_bands(n_bins, n_bands):
    if n_bands is None:
        return 1, n_bins
    n_bands = check_int("n_bands", n_bands, 1, n_bins)
    return n_bins // n_bands, n_bands


def entropy_spec(sample_rate, n_fft, dtype, *, power=2.0, n_bands=None,
                 normalize=False) -> FrameSpec:
    """Engine spec of :func:`spectral_entropy` (magnitude input, 1 column).

    ``sample_rate`` is unused (uniform factory signature).
    """
    power = check_real("power", power, low=0, low_open=True)
    normalize = check_bool("normalize", normalize)
    size, nb = _entropy_bands(n_fft // 2 + 1, n_bands)

    def reduce(S, out):
        if S.dtype == np.float32 and size == 1 and power in (1.0, 2.0):
            entropy_rows_f32(S, power, nb, normalize, out)
        else:
            entropy_rows(S, power, size, nb, normalize, out)

    return FrameSpec(n_out=1, reduce=reduce, input="spectrum", power=1.0)


@fill_params()
@validate_params({})
def spectral_entropy(y=None, *, S=None, n_fft: int = 2048, hop_length: int = 512,
                     win_length: int | None = None, window="hann", center: bool = True,
                     pad_mode: str = "constant", power: float = 2.0, n_bands: int | None = None,
                     normalize: bool = False, n_jobs=None) -> np.ndarray:
    """Spectral entropy: Shannon entropy (nats) of each frame's normalised power spectrum.

    ``E[j, t] = sum_{k in band j} |STFT[k, t]| ** power``, ``p = E / sum_j E``,
    ``H[t] = -sum_j p[j, t] ln p[j, t]`` (``0 ln 0 = 0``), so
    ``0 <= H <= ln n`` with ``n`` the number of bands. By default every rFFT
    bin is a band (``n = 1 + n_fft // 2``). With ``n_bands`` the bins are
    grouped into ``n_bands`` contiguous bands of ``(1 + n_fft // 2) //
    n_bands`` bins from 0 Hz, the remaining top bins being ignored, as
    pyAudioAnalysis ``stSpectralEntropy`` (``n_bands=10`` is its default
    ``numOfShortBlocks``; it uses ``log2`` and adds ``1e-8``, here natural log
    without offset). ``normalize`` divides by ``ln n``, giving ``[0, 1]``
    (0 when ``n = 1``). A silent frame gives 0.

    Parameters
    ----------
    y : ndarray of shape (..., n_samples), optional
        Audio. Either ``y`` or ``S`` is required.
    S : ndarray of shape (..., 1 + n_fft // 2, n_frames), optional
        Precomputed magnitude spectrogram (non-negative); raised to ``power``.
    n_bands : int or None, default=None
        Number of equal sub-bands in ``[1, 1 + n_fft // 2]``; None: one per bin.
    normalize : bool, default=False
        Divide by ``ln n`` to get values in ``[0, 1]``.

    Returns
    -------
    ndarray of shape (..., 1, n_frames)
        Entropy in nats (dimensionless if ``normalize``).

    Raises
    ------
    ValueError
        For invalid audio, a negative ``S``, ``power <= 0``, ``n_bands``
        outside ``[1, 1 + n_fft // 2]``, or invalid STFT parameters.

    References
    ----------
    .. [1] T. Giannakopoulos, "pyAudioAnalysis: an open-source Python library for audio
       signal analysis", PLoS ONE 10(12), 2015;
       https://github.com/tyiannak/pyAudioAnalysis

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.functional import spectral_entropy
    >>> noise = np.random.default_rng(0).standard_normal(8000)
    >>> tone = np.sin(2 * np.pi * 1000 * np.arange(8000) / 8000)
    >>> h = lambda y: float(np.median(spectral_entropy(y, n_fft=256, hop_length=80,
    ...                                                normalize=True)))
    >>> h(noise) > 0.8 > 0.3 > h(tone)
    True
    """
    _check_nonnegative(S, "Spectral entropy")
    n_fft = _n_fft_of(S, n_fft)
    spec = entropy_spec(None, n_fft, _dtype_of(y, S), power=power, n_bands=n_bands,
                        normalize=normalize)
    return _run(y, S, spec, n_fft, hop_length, win_length, window, center, pad_mode, n_jobs)
