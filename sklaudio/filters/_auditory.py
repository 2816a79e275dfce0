"""Auditory and linear filterbanks: ERB/gammatone, Bark, linear (built in NumPy, cached).

Re-exported from :mod:`sklaudio.filters`. Every dense builder returns weights of
shape ``(n_filters, 1 + n_fft // 2)`` over the rFFT bins (a fresh copy, like
:func:`sklaudio.filters.mel`); every ``sparse_*`` twin returns the same
filterbank as a cached, read-only :class:`sklaudio.filters.SparseFilterbank`
for the fused engine kernels.

Scales
------
* ERB (Glasberg & Moore 1990, "Derivation of auditory filter shapes from
  notched-noise data", Hearing Research 47): bandwidth
  ``ERB(f) = 24.7 (4.37 f / 1000 + 1)`` Hz and ERB-rate
  ``E(f) = 21.4 log10(1 + 0.00437 f)`` (ERB number, "Cams").
* Bark (Traunmüller 1990, "Analytical expressions for the tonotopic sensory
  scale", JASA 88(1)): ``z = 26.81 f / (1960 + f) - 0.53``, corrected to
  ``z + 0.15 (2 - z)`` below 2 Bark and ``z + 0.22 (z - 20.1)`` above
  20.1 Bark. Chosen over Zwicker & Terhardt (1980) because it has an exact
  closed-form inverse (needed to place the filter edges).
"""

from __future__ import annotations

import numbers
from functools import lru_cache

import numpy as np

from .._docstrings import fill_params
from .._params import (
    check_frequency_range,
    check_int,
    check_real,
    raise_invalid,
    validate_params,
)
from ._common import _readonly, _readonly_sparse, _triangular_weights, _warn_empty

__all__ = [
    "bark",
    "bark_frequencies",
    "bark_to_hz",
    "erb_bandwidth",
    "erb_frequencies",
    "erb_to_hz",
    "gammatone",
    "gammatone_iir_coefficients",
    "hz_to_bark",
    "hz_to_erb",
    "linear",
    "sparse_bark",
    "sparse_gammatone",
    "sparse_linear",
]

#: Gammatone bandwidth in ERBs (Patterson et al. 1992; Slaney 1993).
GAMMATONE_BW = 1.019
#: Order of the gammatone filters (fixed: Slaney's 4 second-order sections).
GAMMATONE_ORDER = 4


# -- parameter checks -----------------------------------------------------------------------------
def _is_real(value) -> bool:
    return (isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))
            and bool(np.isfinite(value)))


def _is_int(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def check_band(sample_rate, n_filters, fmin, fmax, *, what="n_filters") -> tuple:
    """Validate ``sample_rate``, ``n_filters``, ``fmin``, ``fmax``; return them as Python types.

    ``fmax=None`` becomes the Nyquist frequency ``sample_rate / 2``.

    Raises
    ------
    ValueError
        Naming the parameter: ``sample_rate <= 0``, ``n_filters < 1``,
        ``fmin < 0``, ``fmin >= fmax`` or ``fmax`` above Nyquist.
    """
    n_filters = check_int(what, n_filters, 1)
    sample_rate, fmin, fmax = check_frequency_range(sample_rate, fmin, fmax)
    return sample_rate, n_filters, fmin, fmax


def _check_n_fft(n_fft):
    return check_int("n_fft", n_fft, 2, hint=" (samples)")


def _check_norm(norm):
    if norm not in (None, "area"):
        raise_invalid("norm", 'None or "area"', norm)
    return norm


# -- ERB scale --------------------------------------------------------------------------------
def hz_to_erb(frequencies):
    """ERB-rate (ERB number) of frequencies: ``21.4 log10(1 + 0.00437 f)``.

    Glasberg & Moore (1990), eq. 4: the number of ERBs below ``f``.

    Parameters
    ----------
    frequencies : float or ndarray
        Frequencies in Hz, ``>= 0``.

    Returns
    -------
    float or ndarray
        ERB numbers (Cams), same shape.

    References
    ----------
    .. [1] B. R. Glasberg and B. C. J. Moore, "Derivation of auditory filter shapes from
       notched-noise data", Hearing Research 47(1-2), 1990.

    Examples
    --------
    >>> from sklaudio.filters import hz_to_erb
    >>> round(float(hz_to_erb(1000.0)), 3)
    15.621
    """
    f = np.asanyarray(frequencies, dtype=np.float64)
    return 21.4 * np.log10(1.0 + 0.00437 * f)


def erb_to_hz(erbs):
    """Inverse of :func:`hz_to_erb`: ``(10 ** (E / 21.4) - 1) / 0.00437`` Hz.

    Parameters
    ----------
    erbs : float or array-like
        Values on the ERB-rate scale.

    Returns
    -------
    float or ndarray
        The frequencies in Hz, same shape as ``erbs``.

    References
    ----------
    .. [1] B. R. Glasberg and B. C. J. Moore, "Derivation of auditory filter shapes from
       notched-noise data", Hearing Research 47(1-2), 1990.

    Examples
    --------
    >>> from sklaudio.filters import erb_to_hz, hz_to_erb
    >>> round(float(erb_to_hz(hz_to_erb(440.0))), 6)
    440.0
    """
    e = np.asanyarray(erbs, dtype=np.float64)
    return (10.0 ** (e / 21.4) - 1.0) / 0.00437


def erb_bandwidth(frequencies):
    """Equivalent rectangular bandwidth ``ERB(f) = 24.7 (4.37 f / 1000 + 1)`` in Hz.

    Glasberg & Moore (1990), eq. 3 (the bandwidth of the auditory filter
    centred at ``f`` Hz, for young normal-hearing listeners at moderate
    levels).

    Parameters
    ----------
    frequencies : float or ndarray
        Centre frequencies in Hz.

    Returns
    -------
    float or ndarray
        Bandwidths in Hz, same shape.

    References
    ----------
    .. [1] B. R. Glasberg and B. C. J. Moore, "Derivation of auditory filter shapes from
       notched-noise data", Hearing Research 47(1-2), 1990.

    Examples
    --------
    >>> from sklaudio.filters import erb_bandwidth
    >>> round(float(erb_bandwidth(1000.0)), 3)
    132.639
    """
    f = np.asanyarray(frequencies, dtype=np.float64)
    return 24.7 * (4.37 * f / 1000.0 + 1.0)


@validate_params({})
def erb_frequencies(n_filters: int = 64, *, fmin: float = 50.0, fmax: float = 11025.0):
    """Centre frequencies uniformly spaced on the ERB-rate scale, ascending.

    ``E_i = E(fmin) + i (E(fmax) - E(fmin)) / n_filters`` for
    ``i = 0 .. n_filters - 1`` (``E`` is :func:`hz_to_erb`), mapped back to
    Hz. The lowest centre is ``fmin``; the highest is one ERB step below
    ``fmax``, so no filter sits on ``fmax`` (Nyquist by default). This is
    Slaney's ``ERBSpace`` (Auditory Toolbox, 1993/1998; also the Python
    ``gammatone`` package), in ascending instead of descending order.

    Parameters
    ----------
    n_filters : int, default=64
        Number of centre frequencies, ``>= 1``.
    fmin, fmax : float
        Band in Hz, ``0 <= fmin < fmax``.

    Returns
    -------
    ndarray of shape (n_filters,)
        Strictly increasing, in ``[fmin, fmax)``.

    Raises
    ------
    ValueError
        For ``n_filters < 1`` or ``not 0 <= fmin < fmax``.

    References
    ----------
    .. [1] B. R. Glasberg and B. C. J. Moore, "Derivation of auditory filter shapes from
       notched-noise data", Hearing Research 47(1-2), 1990.
    .. [2] M. Slaney, "An efficient implementation of the Patterson-Holdsworth auditory
       filter bank", Apple Computer Technical Report #35, 1993.
    .. [3] M. Slaney, "Auditory Toolbox: a MATLAB toolbox for auditory modeling work,
       version 2", Technical Report #1998-010, Interval Research Corporation, 1998.

    Examples
    --------
    >>> from sklaudio.filters import erb_frequencies
    >>> erb_frequencies(4, fmin=100.0, fmax=4000.0).round(1).tolist()
    [100.0, 393.9, 950.4, 2004.3]
    """
    n_filters = check_int("n_filters", n_filters, 1)
    fmin = check_real("fmin", fmin, low=0, unit="Hz")
    fmax = check_real("fmax", fmax, low=fmin, low_open=True, unit="Hz")
    lo, hi = hz_to_erb(float(fmin)), hz_to_erb(float(fmax))
    e = lo + np.arange(n_filters) * ((hi - lo) / n_filters)
    f = erb_to_hz(e)
    f[0] = fmin
    return f


# -- gammatone --------------------------------------------------------------------------------
@fill_params("gammatone")
@validate_params({})
def gammatone(*, sample_rate: float = 22050, n_fft: int = 2048, n_filters: int = 64,
              fmin: float = 50.0, fmax: float | None = None, dtype=np.float32) -> np.ndarray:
    """FFT-domain gammatone filterbank: each filter's squared magnitude response.

    The 4th-order gammatone of centre ``fc`` (an :func:`erb_frequencies`
    centre) and bandwidth ``b = 1.019 ERB(fc)`` (Patterson et al. 1992;
    Slaney 1993) has impulse response ``g(t) = t^3 exp(-2 pi b t)
    cos(2 pi fc t)`` and Fourier transform proportional to
    ``H(f) = (b + i (f - fc)) ** -4 + (b + i (f + fc)) ** -4`` (the second
    term is the negative-frequency image, kept so low channels are exact).
    The weights are ``W[m, k] = |H_m(f_k)| ** 2 / |H_m(fc_m)| ** 2`` at the
    rFFT bin frequencies ``f_k``: 1 at the centre, so a tone at ``fc``
    passes with unit gain, as Slaney's IIR filters
    (:func:`gammatone_iir_coefficients`). Weighting a power spectrum by ``W``
    approximates the channel energies of the time-domain filterbank in one
    STFT pass (Ellis 2009, "Gammatone-like spectrograms").

    Parameters
    ----------
    dtype : numpy dtype, default=np.float32
        Data type of the returned weights.

    Returns
    -------
    ndarray of shape (n_filters, 1 + n_fft // 2)
        Weights in ``(0, 1]`` (a copy; the cached original is read-only).

    Raises
    ------
    ValueError
        For invalid ``sample_rate``, ``n_fft``, ``n_filters``, ``fmin``, ``fmax``.

    References
    ----------
    .. [1] R. D. Patterson, K. Robinson, J. Holdsworth, D. McKeown, C. Zhang and
       M. Allerhand, "Complex sounds and auditory images", in Auditory Physiology and
       Perception, Pergamon, 1992, pp. 429-446.
    .. [2] M. Slaney, "An efficient implementation of the Patterson-Holdsworth auditory
       filter bank", Apple Computer Technical Report #35, 1993.
    .. [3] D. P. W. Ellis, "Gammatone-like spectrograms", web resource, 2009,
       https://www.ee.columbia.edu/~dpwe/resources/matlab/gammatonegram/

    Examples
    --------
    >>> from sklaudio.filters import gammatone
    >>> W = gammatone(sample_rate=8000, n_fft=512, n_filters=32)
    >>> W.shape, float(W.max()) <= 1.0
    ((32, 257), True)
    """
    key = (*check_band(sample_rate, n_filters, fmin, fmax), _check_n_fft(n_fft))
    return _gammatone_cached(*key, np.dtype(dtype).str).copy()


@lru_cache(maxsize=64)
def _gammatone_cached(sample_rate, n_filters, fmin, fmax, n_fft, dtype):
    fc = erb_frequencies(n_filters, fmin=fmin, fmax=fmax)[:, None]
    b = GAMMATONE_BW * erb_bandwidth(fc)
    f = np.fft.rfftfreq(n_fft, 1.0 / sample_rate)[None, :]

    def response(freq):
        return (b + 1j * (freq - fc)) ** -GAMMATONE_ORDER + (b + 1j * (freq + fc)) ** -GAMMATONE_ORDER

    W = np.abs(response(f)) ** 2 / np.abs(response(fc)) ** 2
    return _readonly(np.ascontiguousarray(W, dtype=dtype))


@fill_params("gammatone", like=gammatone)
@validate_params({})
def sparse_gammatone(*, sample_rate: float, n_fft: int, n_filters: int = 64, fmin: float = 50.0,
                     fmax: float | None = None, dtype=np.float32):
    """:func:`gammatone` as a cached, read-only :class:`~sklaudio.filters.SparseFilterbank`.

    The gammatone response never vanishes, so every filter spans all bins;
    ``sparse_gammatone(...).to_dense()`` equals :func:`gammatone` exactly.

    Parameters
    ----------

    Returns
    -------
    SparseFilterbank
        The filterbank (shared by every call with the same arguments; its
        arrays are read-only).

    References
    ----------
    .. [1] R. D. Patterson, K. Robinson, J. Holdsworth, D. McKeown, C. Zhang and
       M. Allerhand, "Complex sounds and auditory images", in Auditory Physiology and
       Perception, Pergamon, 1992, pp. 429-446.
    .. [2] M. Slaney, "An efficient implementation of the Patterson-Holdsworth auditory
       filter bank", Apple Computer Technical Report #35, 1993.
    .. [3] D. P. W. Ellis, "Gammatone-like spectrograms", web resource, 2009,
       https://www.ee.columbia.edu/~dpwe/resources/matlab/gammatonegram/
    """
    key = (*check_band(sample_rate, n_filters, fmin, fmax), _check_n_fft(n_fft))
    return _sparse_gammatone_cached(key, np.dtype(dtype).str)


@lru_cache(maxsize=64)
def _sparse_gammatone_cached(key, dtype):
    return _readonly_sparse(_gammatone_cached(*key, dtype))


def gammatone_iir_coefficients(sample_rate: float, center_freqs) -> np.ndarray:
    """Compute Slaney's digital gammatone: 4 cascaded second-order sections per channel.

    From Slaney (1993), "An efficient implementation of the
    Patterson-Holdsworth auditory filter bank", Apple Computer Technical
    Report #35 (``MakeERBFilters``, 1998 revision with four separate
    sections). With ``T = 1 / sample_rate``, ``w = 2 pi fc T``,
    ``B = 2 pi 1.019 ERB(fc)`` and ``r = exp(-B T)``, every section shares
    the poles ``1 - 2 r cos(w) z^-1 + r^2 z^-2`` and section ``k`` has the
    numerator ``T + a_k z^-1`` with
    ``a_k = -T r (cos(w) + s_k sin(w))``,
    ``s_k in (+sqrt(3 + 2^1.5), -sqrt(3 + 2^1.5), +sqrt(3 - 2^1.5), -sqrt(3 - 2^1.5))``.

    Slaney divides the first section by the cascade's gain at ``fc``; here
    each section is divided by its own gain at ``fc`` (the same overall
    filter, better scaled in floating point). The cascade has unit gain at
    its centre frequency.

    Parameters
    ----------
    sample_rate : float
        Sampling rate in Hz.
    center_freqs : array-like of shape (n_filters,)
        Centre frequencies in Hz, in ``(0, sample_rate / 2)``.

    Returns
    -------
    ndarray of shape (10, n_filters), float64
        One row per coefficient, one column per channel (see Notes).

    Notes
    -----
    Row layout (each row is one coefficient for all channels, so a kernel
    can run all channels of one sample with SIMD): rows ``0..3`` are the
    numerators' ``b0`` of sections 1-4, rows ``4..7`` their ``b1``, row 8 is
    ``a1 = -2 r cos(w)`` and row 9 is ``a2 = r^2``. Section ``k`` is
    ``y[n] = b0_k x[n] + b1_k x[n-1] - a1 y[n-1] - a2 y[n-2]``.

    References
    ----------
    .. [1] M. Slaney, "An efficient implementation of the Patterson-Holdsworth auditory
       filter bank", Apple Computer Technical Report #35, 1993.
    .. [2] M. Slaney, "Auditory Toolbox: a MATLAB toolbox for auditory modeling work,
       version 2", Technical Report #1998-010, Interval Research Corporation, 1998.
    """
    fc = np.asarray(center_freqs, dtype=np.float64)
    T = 1.0 / float(sample_rate)
    w = 2.0 * np.pi * fc * T
    B = 2.0 * np.pi * GAMMATONE_BW * erb_bandwidth(fc)
    r = np.exp(-B * T)
    a1 = -2.0 * r * np.cos(w)
    a2 = r * r
    z1 = np.exp(-1j * w)  # z^-1 at the centre frequency
    den = 1.0 + a1 * z1 + a2 * z1 * z1
    out = np.empty((10, fc.size))
    s = (np.sqrt(3.0 + 2.0 ** 1.5), -np.sqrt(3.0 + 2.0 ** 1.5), np.sqrt(3.0 - 2.0 ** 1.5),
         -np.sqrt(3.0 - 2.0 ** 1.5))
    for k in range(4):
        b1 = -T * r * (np.cos(w) + s[k] * np.sin(w))
        gain = np.abs((T + b1 * z1) / den)
        out[k] = T / gain
        out[4 + k] = b1 / gain
    out[8] = a1
    out[9] = a2
    return out


# -- triangular filterbanks (Bark, linear): edges on a scale, triangles as the mel filterbank ---
def _triangular_key(scale, sample_rate, n_fft, n_filters, fmin, fmax, norm):
    """Validate the parameters, warn about empty filters, return the cache key."""
    key = (scale, *check_band(sample_rate, n_filters, fmin, fmax), _check_n_fft(n_fft),
           _check_norm(norm))
    W = _triangular_cached(*key, np.dtype(np.float64).str)
    _warn_empty(np.flatnonzero(~np.any(W > 0, axis=1)), scale, W.shape[0], stacklevel=4)
    return key


@lru_cache(maxsize=64)
def _triangular_cached(scale, sample_rate, n_filters, fmin, fmax, n_fft, norm, dtype):
    if scale == "bark":
        edges = bark_frequencies(n_filters + 2, fmin=fmin, fmax=fmax)
    else:
        edges = np.linspace(fmin, fmax, n_filters + 2)
    W = _triangular_weights(sample_rate, n_fft, edges, norm == "area")
    return _readonly(np.ascontiguousarray(W, dtype=dtype))


@lru_cache(maxsize=64)
def _sparse_triangular_cached(key, dtype):
    return _readonly_sparse(_triangular_cached(*key, dtype))


def hz_to_bark(frequencies):
    """Hz to Bark, Traunmüller (1990).

    ``z = 26.81 f / (1960 + f) - 0.53``; then ``z + 0.15 (2 - z)`` where
    ``z < 2`` and ``z + 0.22 (z - 20.1)`` where ``z > 20.1`` (the paper's
    low- and high-frequency corrections). Continuous and strictly increasing.

    Parameters
    ----------
    frequencies : float or ndarray
        Frequencies in Hz, ``>= 0``.

    Returns
    -------
    float or ndarray
        Critical-band rate in Bark, same shape.

    References
    ----------
    .. [1] H. Traunmüller, "Analytical expressions for the tonotopic sensory scale",
       J. Acoust. Soc. Am. 88(1), 1990.

    Examples
    --------
    >>> from sklaudio.filters import hz_to_bark
    >>> round(float(hz_to_bark(1000.0)), 3)
    8.527
    """
    f = np.asanyarray(frequencies, dtype=np.float64)
    z = 26.81 * f / (1960.0 + f) - 0.53
    z = np.where(z < 2.0, z + 0.15 * (2.0 - z), z)
    z = np.where(z > 20.1, z + 0.22 * (z - 20.1), z)
    return z if z.ndim else z[()]


def bark_to_hz(barks):
    """Bark to Hz: the exact inverse of :func:`hz_to_bark` (Traunmüller 1990).

    Undo the corrections (``(z - 0.3) / 0.85`` below 2 Bark,
    ``(z + 4.422) / 1.22`` above 20.1 Bark), then
    ``f = 1960 (z + 0.53) / (26.28 - z)``.

    Parameters
    ----------
    barks : float or array-like
        Values on the Bark scale.

    Returns
    -------
    float or ndarray
        The frequencies in Hz, same shape as ``barks``.

    References
    ----------
    .. [1] H. Traunmüller, "Analytical expressions for the tonotopic sensory scale",
       J. Acoust. Soc. Am. 88(1), 1990.

    Examples
    --------
    >>> from sklaudio.filters import bark_to_hz, hz_to_bark
    >>> round(float(bark_to_hz(hz_to_bark(3000.0))), 6)
    3000.0
    """
    z = np.asanyarray(barks, dtype=np.float64)
    z = np.where(z < 2.0, (z - 0.3) / 0.85, z)
    z = np.where(z > 20.1, (z + 4.422) / 1.22, z)
    f = 1960.0 * (z + 0.53) / (26.28 - z)
    return f if f.ndim else f[()]


def bark_frequencies(n_points: int, *, fmin: float = 0.0, fmax: float = 11025.0) -> np.ndarray:
    """``n_points`` frequencies (Hz) equally spaced in Bark from ``fmin`` to ``fmax`` inclusive.

    Parameters
    ----------
    n_points : int
        Number of frequencies.
    fmin : float, default=0.0
        First frequency in Hz.
    fmax : float, default=11025.0
        Last frequency in Hz (included).

    Returns
    -------
    ndarray of shape (n_points,)
        The frequencies in Hz, increasing.

    References
    ----------
    .. [1] H. Traunmüller, "Analytical expressions for the tonotopic sensory scale",
       J. Acoust. Soc. Am. 88(1), 1990.
    """
    return bark_to_hz(np.linspace(hz_to_bark(fmin), hz_to_bark(fmax), n_points))


@fill_params("triangular")
@validate_params({})
def bark(*, sample_rate: float = 22050, n_fft: int = 2048, n_filters: int = 64,
         fmin: float = 0.0, fmax: float | None = None, norm: str | None = None,
         dtype=np.float32) -> np.ndarray:
    """Bark filterbank: triangular filters equally spaced on the Bark scale.

    The ``n_filters + 2`` edge frequencies ``p`` are equally spaced in Bark
    (:func:`hz_to_bark`, Traunmüller 1990) from ``fmin`` to ``fmax``; filter
    ``m`` rises linearly (in Hz) from ``p[m]`` to 1 at ``p[m + 1]`` and falls
    to 0 at ``p[m + 2]`` -- the construction of the mel filterbank (Slaney
    1998; librosa ``filters.mel``) on the Bark scale. With ``norm="area"``
    each filter is divided by half its width, ``2 / (p[m+2] - p[m])``, so all
    filters have equal area.

    Parameters
    ----------
    n_filters : int, default=64
        Number of filters.
    norm : {None, "area"}, default=None
        Filter normalisation.
    dtype : numpy dtype, default=np.float32
        Data type of the returned weights.

    Returns
    -------
    ndarray of shape (n_filters, 1 + n_fft // 2)
        Non-negative weights (a copy of a cached array).

    Raises
    ------
    ValueError
        For invalid ``sample_rate``, ``n_fft``, ``n_filters``, band or ``norm``.

    Warns
    -----
    UserWarning
        If some filters cover no FFT bin (too many filters for ``n_fft``).

    References
    ----------
    .. [1] H. Traunmüller, "Analytical expressions for the tonotopic sensory scale",
       J. Acoust. Soc. Am. 88(1), 1990.
    .. [2] M. Slaney, "Auditory Toolbox: a MATLAB toolbox for auditory modeling work,
       version 2", Technical Report #1998-010, Interval Research Corporation, 1998.

    Examples
    --------
    >>> from sklaudio.filters import bark
    >>> bark(sample_rate=16000, n_fft=512, n_filters=24).shape
    (24, 257)
    """
    key = _triangular_key("bark", sample_rate, n_fft, n_filters, fmin, fmax, norm)
    return _triangular_cached(*key, np.dtype(dtype).str).copy()


@fill_params("triangular", like=bark)
@validate_params({})
def sparse_bark(*, sample_rate: float, n_fft: int, n_filters: int = 64, fmin: float = 0.0,
                fmax: float | None = None, norm: str | None = None, dtype=np.float32):
    """:func:`bark` as a cached, read-only :class:`~sklaudio.filters.SparseFilterbank`.

    Parameters
    ----------

    Returns
    -------
    SparseFilterbank
        The filterbank (shared by every call with the same arguments; its
        arrays are read-only).

    References
    ----------
    .. [1] H. Traunmüller, "Analytical expressions for the tonotopic sensory scale",
       J. Acoust. Soc. Am. 88(1), 1990.
    .. [2] M. Slaney, "Auditory Toolbox: a MATLAB toolbox for auditory modeling work,
       version 2", Technical Report #1998-010, Interval Research Corporation, 1998.
    """
    key = _triangular_key("bark", sample_rate, n_fft, n_filters, fmin, fmax, norm)
    return _sparse_triangular_cached(key, np.dtype(dtype).str)


@fill_params("triangular")
@validate_params({})
def linear(*, sample_rate: float = 22050, n_fft: int = 2048, n_filters: int = 128,
           fmin: float = 0.0, fmax: float | None = None, norm: str | None = None,
           dtype=np.float32) -> np.ndarray:
    """Linear filterbank: triangular filters equally spaced in Hz.

    The ``n_filters + 2`` edges ``p = linspace(fmin, fmax, n_filters + 2)``;
    filter ``m`` rises from ``p[m]`` to 1 at ``p[m + 1]`` and falls to 0 at
    ``p[m + 2]`` (the LFCC filterbank; torchaudio ``functional.linear_fbanks``
    with ``norm=None``). ``norm="area"`` divides each filter by
    ``(p[m+2] - p[m]) / 2``.

    Parameters
    ----------
    n_filters : int, default=128
        Number of filters.
    norm : {None, "area"}, default=None
        Filter normalisation.
    dtype : numpy dtype, default=np.float32
        Data type of the returned weights.

    Returns
    -------
    ndarray of shape (n_filters, 1 + n_fft // 2)
        Non-negative weights (a copy of a cached array).

    Raises
    ------
    ValueError
        For invalid ``sample_rate``, ``n_fft``, ``n_filters``, band or ``norm``.

    Warns
    -----
    UserWarning
        If some filters cover no FFT bin.

    References
    ----------
    .. [1] torchaudio ``functional.linear_fbanks``,
       https://pytorch.org/audio/stable/generated/torchaudio.functional.linear_fbanks.html

    Examples
    --------
    >>> from sklaudio.filters import linear
    >>> W = linear(sample_rate=8000, n_fft=256, n_filters=20)
    >>> W.shape, float(W.max()) <= 1.0
    ((20, 129), True)
    """
    key = _triangular_key("linear", sample_rate, n_fft, n_filters, fmin, fmax, norm)
    return _triangular_cached(*key, np.dtype(dtype).str).copy()


@fill_params("triangular", like=linear)
@validate_params({})
def sparse_linear(*, sample_rate: float, n_fft: int, n_filters: int = 128, fmin: float = 0.0,
                  fmax: float | None = None, norm: str | None = None, dtype=np.float32):
    """:func:`linear` as a cached, read-only :class:`~sklaudio.filters.SparseFilterbank`.

    Parameters
    ----------

    Returns
    -------
    SparseFilterbank
        The filterbank (shared by every call with the same arguments; its
        arrays are read-only).

    References
    ----------
    .. [1] torchaudio ``functional.linear_fbanks``,
       https://pytorch.org/audio/stable/generated/torchaudio.functional.linear_fbanks.html
    """
    key = _triangular_key("linear", sample_rate, n_fft, n_filters, fmin, fmax, norm)
    return _sparse_triangular_cached(key, np.dtype(dtype).str)
