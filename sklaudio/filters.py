"""Filterbanks, windows and transform bases.

Every matrix here is built from its defining formula in NumPy (float64), then
cast. The functions follow librosa's names, parameters and conventions
(``librosa.filters``, ``librosa.core.convert``), so that with the same
parameters they return the same matrices.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

__all__ = [
    "fft_frequencies",
    "hz_to_mel",
    "mel_to_hz",
    "mel_frequencies",
    "mel",
    "dct",
    "get_window",
    "SparseFilterbank",
    "chroma",
    "chroma_names",
    "hz_to_erb",
    "erb_to_hz",
    "erb_bandwidth",
    "erb_frequencies",
    "gammatone",
    "sparse_gammatone",
    "gammatone_iir_coefficients",
    "hz_to_bark",
    "bark_to_hz",
    "bark_frequencies",
    "bark",
    "sparse_bark",
    "linear",
    "sparse_linear",
]

# Slaney's Auditory Toolbox mel scale: linear below 1 kHz, logarithmic above.
_F_SP = 200.0 / 3
_MIN_LOG_HZ = 1000.0
_MIN_LOG_MEL = _MIN_LOG_HZ / _F_SP
_LOGSTEP = np.log(6.4) / 27.0


def fft_frequencies(*, sample_rate: float = 22050, n_fft: int = 2048) -> np.ndarray:
    """Centre frequency of each rFFT bin.

    Returns
    -------
    ndarray of shape (1 + n_fft // 2,)
        ``k * sample_rate / n_fft`` in Hz, from 0 to the Nyquist frequency.
    """
    return np.fft.rfftfreq(n=n_fft, d=1.0 / sample_rate)


def hz_to_mel(frequencies, *, htk: bool = False):
    """Convert Hz to mels.

    Parameters
    ----------
    frequencies : float or ndarray
        Frequencies in Hz.
    htk : bool, default=False
        ``True``: the HTK formula ``2595 log10(1 + f / 700)`` (O'Shaughnessy
        1987). ``False``: Slaney's Auditory Toolbox scale, linear
        (``f / (200/3)``) below 1 kHz and logarithmic above, as librosa.

    Returns
    -------
    float or ndarray
        Mels, same shape as ``frequencies``.
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


def mel_to_hz(mels, *, htk: bool = False):
    """Convert mels to Hz; the inverse of :func:`hz_to_mel`."""
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


def mel_frequencies(n_mels: int = 128, *, fmin: float = 0.0, fmax: float = 11025.0,
                    htk: bool = False) -> np.ndarray:
    """``n_mels`` frequencies (Hz) equally spaced on the mel scale from ``fmin`` to ``fmax``."""
    min_mel = hz_to_mel(fmin, htk=htk)
    max_mel = hz_to_mel(fmax, htk=htk)
    return mel_to_hz(np.linspace(min_mel, max_mel, n_mels), htk=htk)


def _check_mel_params(sample_rate, n_fft, n_mels, fmin, fmax, norm):
    if not (isinstance(sample_rate, (int, float, np.integer, np.floating)) and sample_rate > 0):
        raise ValueError(f"sample_rate must be a positive number (Hz), got {sample_rate!r}.")
    if not (isinstance(n_fft, (int, np.integer)) and n_fft >= 2):
        raise ValueError(f"n_fft must be an integer >= 2, got {n_fft!r}.")
    if not (isinstance(n_mels, (int, np.integer)) and n_mels >= 1):
        raise ValueError(f"n_mels must be a positive integer, got {n_mels!r}.")
    nyquist = sample_rate / 2.0
    if fmax is None:
        fmax = nyquist
    if not (0.0 <= fmin < fmax):
        raise ValueError(f"Need 0 <= fmin < fmax, got fmin={fmin!r}, fmax={fmax!r} (Hz).")
    if fmax > nyquist * (1 + 1e-9):
        raise ValueError(
            f"fmax={fmax!r} Hz is above the Nyquist frequency {nyquist} Hz of "
            f"sample_rate={sample_rate}; lower fmax or leave it as None."
        )
    if norm not in ("slaney", None):
        raise ValueError(f"norm must be 'slaney' or None, got {norm!r}.")
    return float(fmax)


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
    sample_rate : float, default=22050
        Sampling rate in Hz.
    n_fft : int, default=2048
        FFT size in samples.
    n_mels : int, default=128
        Number of filters.
    fmin, fmax : float
        Lowest and highest band edges in Hz; ``fmax=None`` means Nyquist.
    htk : bool, default=False
        HTK mel formula instead of Slaney's.
    norm : {"slaney", None}, default="slaney"
        Area normalisation.
    dtype : numpy dtype, default=np.float32

    Returns
    -------
    ndarray of shape (n_mels, 1 + n_fft // 2)
        Non-negative weights.

    Raises
    ------
    ValueError
        For a non-positive ``sample_rate``, ``n_fft < 2``, ``n_mels < 1``,
        ``fmin >= fmax``, ``fmax`` above Nyquist or an unknown ``norm``.
    """
    fmax = _check_mel_params(sample_rate, n_fft, n_mels, fmin, fmax, norm)
    key = (float(sample_rate), int(n_fft), int(n_mels), float(fmin), fmax, bool(htk), norm)
    _warn_empty(_mel_empty_cached(*key), "mel", n_mels)
    return _mel_cached(*key, np.dtype(dtype).str).copy()


def _warn_empty(empty, name, n_filters, stacklevel=3):
    """Warn about all-zero filters, given their indices (``stacklevel``: as ``warnings.warn``,
    counted from this function; 3 names the caller of the public builder calling it)."""
    if empty.size:
        warnings.warn(
            f"Empty filters detected in the {name} filterbank: {empty.size} of "
            f"{n_filters} filters have no FFT bin (filters {empty[:8].tolist()}...). "
            "Lower the number of filters or increase n_fft.",
            UserWarning,
            stacklevel=stacklevel,
        )


@lru_cache(maxsize=64)
def _mel_empty_cached(*key):
    W = _mel_cached(*key, np.dtype(np.float64).str)
    return np.flatnonzero(~np.any(W > 0, axis=1))


def _triangular_weights(sample_rate, n_fft, edges, area_norm):
    """Triangular filters on the rFFT bins, float64, shape ``(len(edges) - 2, 1 + n_fft // 2)``.

    Filter ``m`` rises linearly (in Hz) from ``edges[m]`` to 1 at
    ``edges[m + 1]`` and falls to 0 at ``edges[m + 2]`` (Slaney 1998; librosa
    ``filters.mel``). With ``area_norm`` each filter is divided by half its
    width, ``2 / (edges[m + 2] - edges[m])``, so all filters have equal area.
    Shared by the mel, Bark and linear filterbanks.
    """
    fftfreqs = fft_frequencies(sample_rate=sample_rate, n_fft=n_fft)
    fdiff = np.diff(edges)
    ramps = edges[:, None] - fftfreqs[None, :]
    lower = -ramps[:-2] / fdiff[:-1, None]
    upper = ramps[2:] / fdiff[1:, None]
    weights = np.maximum(0.0, np.minimum(lower, upper))
    if area_norm:
        weights *= (2.0 / (edges[2:] - edges[:-2]))[:, None]
    return weights


def _readonly_sparse(W) -> "SparseFilterbank":
    """:meth:`SparseFilterbank.from_dense` of ``W`` with read-only arrays (for caches)."""
    fb = SparseFilterbank.from_dense(W)
    for a in (fb.start, fb.stop, fb.offset, fb.weights):
        a.flags.writeable = False
    return fb


@lru_cache(maxsize=64)
def _mel_cached(sample_rate, n_fft, n_mels, fmin, fmax, htk, norm, dtype):
    mel_f = mel_frequencies(n_mels + 2, fmin=fmin, fmax=fmax, htk=htk)
    weights = _triangular_weights(sample_rate, n_fft, mel_f, norm == "slaney")
    out = weights.astype(dtype)
    out.flags.writeable = False
    return out


def dct(n_filters: int, n_out: int, *, dct_type: int = 2, norm: str | None = "ortho",
        dtype=np.float64) -> np.ndarray:
    """DCT basis matrix, equal to ``scipy.fft.dct(x, type=dct_type, norm=norm)``.

    Parameters
    ----------
    n_filters : int
        Length of the transformed axis (e.g. ``n_mels``).
    n_out : int
        Number of coefficients kept (e.g. ``n_mfcc``), ``<= n_filters``.
    dct_type : {1, 2, 3}, default=2
    norm : {"ortho", None}, default="ortho"

    Returns
    -------
    ndarray of shape (n_out, n_filters)
        ``C`` such that ``C @ x`` are the first ``n_out`` coefficients.

    Raises
    ------
    ValueError
        For an unknown type or norm, or ``n_out`` outside ``[1, n_filters]``.

    Notes
    -----
    With ``N = n_filters`` (Ahmed, Natarajan & Rao 1974; the definitions in
    scipy.fft's documentation), for ``norm="ortho"``:

    * type 2: ``C[k, n] = sqrt(2/N) a_k cos(pi k (2n + 1) / (2N))``,
      ``a_0 = 1/sqrt(2)``, else 1;
    * type 3: the transpose (inverse) of type 2;
    * type 1: ``C[k, n] = sqrt(2/(N-1)) b_k b_n cos(pi k n / (N-1))``,
      ``b = 1/sqrt(2)`` at 0 and ``N-1``, else 1 (needs ``N >= 2``).

    For ``norm=None`` the unnormalised sums: type 2 ``2 cos(pi k (2n+1)/(2N))``;
    type 3 ``x_0 + 2 sum_{n>=1} x_n cos(pi n (2k+1)/(2N))``; type 1
    ``x_0 + (-1)^k x_{N-1} + 2 sum_{0<n<N-1} x_n cos(pi k n/(N-1))``.
    """
    if dct_type not in (1, 2, 3):
        raise ValueError(f"dct_type must be 1, 2 or 3, got {dct_type!r}.")
    if norm not in ("ortho", None):
        raise ValueError(f"norm must be 'ortho' or None, got {norm!r}.")
    if not (isinstance(n_out, (int, np.integer)) and 1 <= n_out <= n_filters):
        raise ValueError(
            f"The number of coefficients ({n_out!r}) must be between 1 and the number of "
            f"filters ({n_filters})."
        )
    if dct_type == 1 and n_filters < 2:
        raise ValueError("dct_type=1 needs at least 2 filters.")
    return _dct_cached(int(n_filters), int(n_out), int(dct_type), norm,
                       np.dtype(dtype).str).copy()


@lru_cache(maxsize=64)
def _dct_cached(N, n_out, dct_type, norm, dtype):
    n = np.arange(N, dtype=np.float64)
    k = n[:, None]
    if dct_type == 2:
        C = np.cos(np.pi * k * (2 * n[None, :] + 1) / (2 * N))
        if norm == "ortho":
            C *= np.sqrt(2.0 / N)
            C[0] /= np.sqrt(2.0)
        else:
            C *= 2.0
    elif dct_type == 3:
        if norm == "ortho":
            C = _dct_cached(N, N, 2, "ortho", np.dtype(np.float64).str).T.copy()
        else:
            C = 2.0 * np.cos(np.pi * n[None, :] * (2 * k + 1) / (2 * N))
            C[:, 0] = 1.0
    else:
        C = np.cos(np.pi * k * n[None, :] / (N - 1))
        if norm == "ortho":
            b = np.ones(N)
            b[0] = b[-1] = 1.0 / np.sqrt(2.0)
            C *= np.sqrt(2.0 / (N - 1)) * b[:, None] * b[None, :]
        else:
            C[:, 1:-1] *= 2.0
    out = np.ascontiguousarray(C[:n_out]).astype(dtype)
    out.flags.writeable = False
    return out


def get_window(window, win_length: int, n_fft: int | None = None, dtype=np.float64) -> np.ndarray:
    """Periodic analysis window, centre-padded to ``n_fft``.

    Parameters
    ----------
    window : str, tuple, float or array-like
        A window spec understood by :func:`scipy.signal.get_window` (built
        with ``fftbins=True``, i.e. periodic, as librosa does), or an explicit
        array of length ``win_length``.
    win_length : int
        Window length in samples, ``<= n_fft``.
    n_fft : int, optional
        Length to zero-pad the window to, centred. Defaults to ``win_length``.

    Returns
    -------
    ndarray of shape (n_fft,)

    Raises
    ------
    ValueError
        For an unknown window spec, a window of the wrong length, or
        ``win_length > n_fft``.
    """
    n_fft = win_length if n_fft is None else n_fft
    if not (isinstance(win_length, (int, np.integer)) and 1 <= win_length <= n_fft):
        raise ValueError(f"win_length must be an integer in [1, n_fft={n_fft}], got {win_length!r}.")
    if isinstance(window, (str, tuple)):
        try:
            hash(window)
        except TypeError:
            pass
        else:
            return _window_cached(window, int(win_length), int(n_fft)).astype(dtype)
    return _make_window(window, win_length, n_fft).astype(dtype)


@lru_cache(maxsize=64)
def _window_cached(window, win_length, n_fft):
    out = _make_window(window, win_length, n_fft)
    out.flags.writeable = False
    return out


def _make_window(window, win_length, n_fft):
    if callable(window):
        w = np.asarray(window(win_length), dtype=np.float64)
    elif isinstance(window, (str, tuple)) or np.isscalar(window):
        try:
            import scipy.signal  # lazy: scipy.signal costs ~0.2 s of import time

            w = scipy.signal.get_window(window, win_length, fftbins=True)
        except (ValueError, TypeError) as exc:
            raise ValueError(f"Unknown window {window!r}: {exc}") from exc
    else:
        w = np.asarray(window, dtype=np.float64)
        if w.shape != (win_length,):
            raise ValueError(
                f"An explicit window must have shape ({win_length},) (win_length), got {w.shape}."
            )
    if not np.all(np.isfinite(w)):
        raise ValueError("The window contains NaN or inf.")
    lpad = (n_fft - win_length) // 2
    out = np.zeros(n_fft, dtype=np.float64)
    out[lpad : lpad + win_length] = w
    return out


def sparse_mel(*, sample_rate: float, n_fft: int, n_mels: int, fmin: float = 0.0,
               fmax: float | None = None, htk: bool = False, norm: str | None = "slaney",
               dtype=np.float32) -> "SparseFilterbank":
    """The :func:`mel` filterbank in sparse form, cached (validated and warned as :func:`mel`)."""
    fmax = _check_mel_params(sample_rate, n_fft, n_mels, fmin, fmax, norm)
    key = (float(sample_rate), int(n_fft), int(n_mels), float(fmin), fmax, bool(htk), norm)
    _warn_empty(_mel_empty_cached(*key), "mel", n_mels)
    return _sparse_mel_cached(key, np.dtype(dtype).str)


@lru_cache(maxsize=64)
def _sparse_mel_cached(key, dtype):
    return _readonly_sparse(_mel_cached(*key, np.dtype(np.float64).str).astype(dtype))


@dataclass(frozen=True)
class SparseFilterbank:
    """A non-negative filterbank stored by its non-zero band per filter.

    Filter ``m`` covers bins ``start[m]:stop[m]`` with weights
    ``weights[offset[m]:offset[m + 1]]``. Only those bins are visited by the
    kernels, which is what makes the mel pass cheap.
    """

    start: np.ndarray
    stop: np.ndarray
    offset: np.ndarray
    weights: np.ndarray
    n_bins: int

    @classmethod
    def from_dense(cls, W: np.ndarray) -> "SparseFilterbank":
        W = np.asarray(W)
        n_filt, n_bins = W.shape
        start = np.zeros(n_filt, dtype=np.int64)
        stop = np.zeros(n_filt, dtype=np.int64)
        for m in range(n_filt):
            nz = np.flatnonzero(W[m])
            if nz.size:
                start[m], stop[m] = nz[0], nz[-1] + 1
        offset = np.zeros(n_filt + 1, dtype=np.int64)
        np.cumsum(stop - start, out=offset[1:])
        weights = np.concatenate([W[m, start[m]:stop[m]] for m in range(n_filt)]) if n_filt else W[:, :0].ravel()
        return cls(start, stop, offset, np.ascontiguousarray(weights), n_bins)

    def to_dense(self) -> np.ndarray:
        W = np.zeros((len(self.start), self.n_bins), dtype=self.weights.dtype)
        for m in range(len(self.start)):
            W[m, self.start[m]:self.stop[m]] = self.weights[self.offset[m]:self.offset[m + 1]]
        return W


# Filterbanks built in their own modules, re-exported here (imported last: they use this module).
from ._fb_auditory import (  # noqa: E402
    bark,
    bark_frequencies,
    bark_to_hz,
    erb_bandwidth,
    erb_frequencies,
    erb_to_hz,
    gammatone,
    gammatone_iir_coefficients,
    hz_to_bark,
    hz_to_erb,
    linear,
    sparse_bark,
    sparse_gammatone,
    sparse_linear,
)
from ._fb_chroma import chroma, chroma_names  # noqa: E402
