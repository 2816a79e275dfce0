"""Mel scale (Slaney and HTK) and mel filterbank, built in NumPy and cached.

Re-exported from :mod:`sklaudio.filters`. The functions follow librosa's names,
parameters and conventions (``librosa.filters.mel``, ``librosa.core.convert``),
so that with the same parameters they return the same matrices.
"""

from __future__ import annotations

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
from ._common import (
    SparseFilterbank,
    _readonly_sparse,
    _triangular_weights,
    _warn_empty,
)

__all__ = ["hz_to_mel", "mel_to_hz", "mel_frequencies", "mel", "sparse_mel"]

# Slaney's Auditory Toolbox mel scale: linear below 1 kHz, logarithmic above.
_F_SP = 200.0 / 3
_MIN_LOG_HZ = 1000.0
_MIN_LOG_MEL = _MIN_LOG_HZ / _F_SP
_LOGSTEP = np.log(6.4) / 27.0


@fill_params("mel")
def hz_to_mel(frequencies, *, htk: bool = False):
    """Convert Hz to mels.

    Parameters
    ----------
    frequencies : float or ndarray
        Frequencies in Hz.

    Returns
    -------
    float or ndarray
        Mels, same shape as ``frequencies``.

    References
    ----------
    .. [1] M. Slaney, "Auditory Toolbox: a MATLAB toolbox for auditory modeling work,
       version 2", Technical Report #1998-010, Interval Research Corporation, 1998.
    .. [2] S. Young et al., "The HTK Book (for HTK version 3.4)", Cambridge University
       Engineering Department, 2009.
    .. [3] librosa ``hz_to_mel``,
       https://librosa.org/doc/latest/generated/librosa.hz_to_mel.html
    """
    f = np.asanyarray(frequencies, dtype=np.float64)
    if htk:
        return 2595.0 * np.log10(1.0 + f / 700.0)
    mels = f / _F_SP
    log_t = f >= _MIN_LOG_HZ
    if f.ndim:
        mels[log_t] = _MIN_LOG_MEL + np.log(f[log_t] / _MIN_LOG_HZ) / _LOGSTEP
    elif log_t:
        mels = _MIN_LOG_MEL + np.log(f / _MIN_LOG_HZ) / _LOGSTEP
    return mels


@fill_params("mel")
def mel_to_hz(mels, *, htk: bool = False):
    """Convert mels to Hz; the inverse of :func:`hz_to_mel`.

    Parameters
    ----------
    mels : float or array-like
        Values on the mel scale.

    Returns
    -------
    float or ndarray
        The frequencies in Hz, same shape as ``mels``.

    References
    ----------
    .. [1] M. Slaney, "Auditory Toolbox: a MATLAB toolbox for auditory modeling work,
       version 2", Technical Report #1998-010, Interval Research Corporation, 1998.
    .. [2] S. Young et al., "The HTK Book (for HTK version 3.4)", Cambridge University
       Engineering Department, 2009.
    .. [3] librosa ``mel_to_hz``,
       https://librosa.org/doc/latest/generated/librosa.mel_to_hz.html
    """
    m = np.asanyarray(mels, dtype=np.float64)
    if htk:
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)
    freqs = _F_SP * m
    log_t = m >= _MIN_LOG_MEL
    if m.ndim:
        freqs[log_t] = _MIN_LOG_HZ * np.exp(_LOGSTEP * (m[log_t] - _MIN_LOG_MEL))
    elif log_t:
        freqs = _MIN_LOG_HZ * np.exp(_LOGSTEP * (m - _MIN_LOG_MEL))
    return freqs


@fill_params("mel")
def mel_frequencies(n_mels: int = 128, *, fmin: float = 0.0, fmax: float = 11025.0,
                    htk: bool = False) -> np.ndarray:
    """``n_mels`` frequencies (Hz) equally spaced on the mel scale from ``fmin`` to ``fmax``.

    Parameters
    ----------
    fmin : float, default=0.0
        First frequency in Hz.
    fmax : float, default=11025.0
        Last frequency in Hz (included).

    Returns
    -------
    ndarray of shape (n_mels,)
        The frequencies in Hz, increasing.

    References
    ----------
    .. [1] M. Slaney, "Auditory Toolbox: a MATLAB toolbox for auditory modeling work,
       version 2", Technical Report #1998-010, Interval Research Corporation, 1998.
    .. [2] S. Young et al., "The HTK Book (for HTK version 3.4)", Cambridge University
       Engineering Department, 2009.
    .. [3] librosa ``mel_frequencies``,
       https://librosa.org/doc/latest/generated/librosa.mel_frequencies.html
    """
    min_mel = hz_to_mel(fmin, htk=htk)
    max_mel = hz_to_mel(fmax, htk=htk)
    return mel_to_hz(np.linspace(min_mel, max_mel, n_mels), htk=htk)


def _check_mel_params(sample_rate, n_fft, n_mels, fmin, fmax, norm):
    check_int("n_fft", n_fft, 2, hint=" (samples)")
    check_int("n_mels", n_mels, 1)
    nyquist = check_real("sample_rate", sample_rate, low=0, low_open=True, unit="Hz") / 2.0
    fmax = nyquist if fmax is None else fmax
    check_frequency_range(sample_rate, fmin, fmax)
    if norm not in ("slaney", None):
        raise_invalid("norm", '"slaney" or None', norm)
    return float(fmax)


@fill_params("mel")
@validate_params({})
def mel(*, sample_rate: float = 22050, n_fft: int = 2048, n_mels: int = 128,
        fmin: float = 0.0, fmax: float | None = None, htk: bool = False,
        norm: str | None = "slaney", dtype=np.float32) -> np.ndarray:
    """Mel filterbank: triangular filters on the mel scale.

    Filter ``m`` rises linearly from mel point ``m`` to ``m + 1`` and falls
    to ``m + 2``, where the ``n_mels + 2`` points are equally spaced in mels
    between ``fmin`` and ``fmax`` (Slaney 1998, Auditory Toolbox; librosa
    ``filters.mel``). With ``norm="slaney"`` each filter is divided by its
    bandwidth in Hz (``2 / (f[m+2] - f[m])``) so filters have equal area.

    Parameters
    ----------
    norm : {"slaney", None}, default="slaney"
        Area normalisation.
    dtype : numpy dtype, default=np.float32
        Data type of the returned weights.

    Returns
    -------
    ndarray of shape (n_mels, 1 + n_fft // 2)
        Non-negative weights.

    Raises
    ------
    ValueError
        For a non-positive ``sample_rate``, ``n_fft < 2``, ``n_mels < 1``,
        ``fmin >= fmax``, ``fmax`` above Nyquist or an unknown ``norm``.

    References
    ----------
    .. [1] M. Slaney, "Auditory Toolbox: a MATLAB toolbox for auditory modeling work,
       version 2", Technical Report #1998-010, Interval Research Corporation, 1998.
    .. [2] librosa ``filters.mel``,
       https://librosa.org/doc/latest/generated/librosa.filters.mel.html

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.filters import fft_frequencies, mel, mel_frequencies
    >>> W = mel(sample_rate=16000, n_fft=512, n_mels=40)
    >>> W.shape   # (n_mels, 1 + n_fft // 2)
    (40, 257)
    >>> tips = mel_frequencies(40 + 2, fmax=8000.0)[1:-1]   # each triangle's peak in Hz
    >>> freqs = fft_frequencies(sample_rate=16000, n_fft=512)   # 31.25 Hz apart
    >>> bool(np.all(np.abs(freqs[W.argmax(axis=1)] - tips) < 31.25))   # peak bin next to it
    True
    >>> bool(np.allclose(W.sum(axis=1) * 31.25, 1.0, atol=0.05))   # "slaney": unit area
    True
    >>> float(mel(sample_rate=16000, n_fft=512, n_mels=40, norm=None).max()) <= 1.0
    True
    """
    fmax = _check_mel_params(sample_rate, n_fft, n_mels, fmin, fmax, norm)
    key = (float(sample_rate), int(n_fft), int(n_mels), float(fmin), fmax, bool(htk), norm)
    _warn_empty(_mel_empty_cached(*key), "mel", n_mels)
    return _mel_cached(*key, np.dtype(dtype).str).copy()


@lru_cache(maxsize=64)
def _mel_empty_cached(*key):
    W = _mel_cached(*key, np.dtype(np.float64).str)
    return np.flatnonzero(~np.any(W > 0, axis=1))


@lru_cache(maxsize=64)
def _mel_cached(sample_rate, n_fft, n_mels, fmin, fmax, htk, norm, dtype):
    mel_f = mel_frequencies(n_mels + 2, fmin=fmin, fmax=fmax, htk=htk)
    weights = _triangular_weights(sample_rate, n_fft, mel_f, norm == "slaney")
    out = weights.astype(dtype)
    out.flags.writeable = False
    return out


@fill_params("mel", like=mel)
@validate_params({})
def sparse_mel(*, sample_rate: float, n_fft: int, n_mels: int, fmin: float = 0.0,
               fmax: float | None = None, htk: bool = False, norm: str | None = "slaney",
               dtype=np.float32) -> "SparseFilterbank":
    """The :func:`mel` filterbank in sparse form, cached (validated and warned as :func:`mel`).

    Parameters
    ----------

    Returns
    -------
    SparseFilterbank
        The filterbank (shared by every call with the same arguments; its
        arrays are read-only).

    References
    ----------
    .. [1] M. Slaney, "Auditory Toolbox: a MATLAB toolbox for auditory modeling work,
       version 2", Technical Report #1998-010, Interval Research Corporation, 1998.
    .. [2] librosa ``filters.mel``,
       https://librosa.org/doc/latest/generated/librosa.filters.mel.html
    """
    fmax = _check_mel_params(sample_rate, n_fft, n_mels, fmin, fmax, norm)
    key = (float(sample_rate), int(n_fft), int(n_mels), float(fmin), fmax, bool(htk), norm)
    _warn_empty(_mel_empty_cached(*key), "mel", n_mels)
    return _sparse_mel_cached(key, np.dtype(dtype).str)


@lru_cache(maxsize=64)
def _sparse_mel_cached(key, dtype):
    return _readonly_sparse(_mel_cached(*key, np.dtype(np.float64).str).astype(dtype))
