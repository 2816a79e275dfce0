"""Chroma filterbank (librosa ``filters.chroma``), built in NumPy and cached.

Re-exported as :func:`sklaudio.filters.chroma`. The construction follows Ellis's
``chromagram_E`` (Ellis 2007, "Chroma feature analysis and synthesis") exactly as
librosa implements it, so that with the same parameters the matrices are equal.
"""

from __future__ import annotations

import numbers
from functools import lru_cache

import numpy as np

from .._docstrings import fill_params
from .._params import check_bool, check_int, check_real, raise_invalid, validate_params

__all__ = ["PITCH_CLASSES", "check_chroma_params", "chroma", "chroma_names", "normalize_columns"]

#: Pitch-class names in librosa's chroma order (``base_c=True`` starts at C).
PITCH_CLASSES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")


def _is_real(value) -> bool:
    return (isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))
            and bool(np.isfinite(value)))


def check_norm(name, norm):
    """Validate a :func:`librosa.util.normalize`-style ``norm``; return it as float or None."""
    if norm is None:
        return None
    if isinstance(norm, (bool, np.bool_)) or not isinstance(norm, numbers.Real) or np.isnan(norm) \
            or (np.isfinite(norm) and norm < 0):
        raise_invalid(name, "None, np.inf, -np.inf, 0 or a positive number", norm)
    return float(norm)


def check_chroma_params(*, sample_rate, n_fft, n_chroma, tuning, ctroct, octwidth, norm, base_c):
    """Validate the filterbank parameters; return them normalised to hashable Python types.

    Raises
    ------
    ValueError
        Naming the offending parameter and its valid range.
    """
    sample_rate = check_real("sample_rate", sample_rate, low=0, low_open=True, unit="Hz")
    n_fft = check_int("n_fft", n_fft, 2, hint=" (samples)")
    n_chroma = check_int("n_chroma", n_chroma, 1)
    tuning = check_real("tuning", tuning, unit="fractions of a chroma bin")
    ctroct = check_real("ctroct", ctroct, unit="octaves above A0")
    octwidth = check_real("octwidth", octwidth, low=0, low_open=True, allow_none=True,
                          unit="octaves")
    norm = check_norm("norm", norm)
    base_c = check_bool("base_c", base_c)
    return sample_rate, n_fft, n_chroma, tuning, ctroct, octwidth, norm, base_c


def normalize_columns(W: np.ndarray, norm) -> np.ndarray:
    """librosa ``util.normalize(W, norm=norm, axis=0)`` (``threshold=tiny``, ``fill=None``).

    Columns whose norm is below the dtype's ``tiny`` are left unchanged.
    """
    if norm is None:
        return W
    mag = np.abs(W).astype(float)
    if norm == np.inf:
        length = np.max(mag, axis=0, keepdims=True)
    elif norm == -np.inf:
        length = np.min(mag, axis=0, keepdims=True)
    elif norm == 0:
        length = np.sum(mag > 0, axis=0, keepdims=True, dtype=mag.dtype)
    else:
        length = np.sum(mag ** norm, axis=0, keepdims=True) ** (1.0 / norm)
    length[length < np.finfo(W.dtype).tiny] = 1.0
    return W / length


@fill_params()
@validate_params({})
def chroma(*, sample_rate: float, n_fft: int, n_chroma: int = 12, tuning: float = 0.0,
           ctroct: float = 5.0, octwidth: float | None = 2, norm: float | None = 2,
           base_c: bool = True, dtype=np.float32) -> np.ndarray:
    """Chroma filterbank: projects rFFT bins onto ``n_chroma`` pitch classes.

    With ``f[k] = k sample_rate / n_fft`` and
    ``b[k] = n_chroma log2(f[k] / (A / 16))`` the bin's position in chroma bins
    above A0 (``A = 440 * 2 ** (tuning / n_chroma)`` Hz; ``b[0] = b[1] -
    1.5 n_chroma`` for the DC bin), each column is a Gaussian bump around its
    pitch class::

        W[c, k] = exp(-0.5 (2 D[c, k] / w[k]) ** 2)

    where ``D[c, k]`` is ``b[k] - c`` wrapped to ``[-n_chroma/2, n_chroma/2)``
    (with librosa's ``round(n_chroma / 2)``) and ``w[k] = max(b[k+1] - b[k], 1)``
    (1 for the last bin). Columns are normalised with ``norm`` (as
    ``librosa.util.normalize(axis=0)``), then weighted by the octave dominance
    window ``exp(-0.5 ((b[k] / n_chroma - ctroct) / octwidth) ** 2)``. With
    ``base_c`` the rows are rolled by ``-3 (n_chroma // 12)`` so row 0 is C,
    otherwise row 0 is A. Source: Ellis (2007) ``chromagram_E``; librosa
    ``filters.chroma`` (same result with the same parameters).

    Parameters
    ----------
    tuning : float, default=0.0
        Deviation from A440 in fractions of a chroma bin.
    ctroct : float, default=5.0
        Centre of the octave dominance window, in octaves above A0 (27.5 Hz);
        5.0 is 880 Hz.
    octwidth : float or None, default=2
        Gaussian half-width of the dominance window in octaves; None for a
        flat weighting.
    norm : float or None, default=2
        Column normalisation (``np.inf``, ``-np.inf``, ``0``, ``p > 0`` or
        None).
    base_c : bool, default=True
        Start the rows at C (else at A).
    dtype : numpy dtype, default=np.float32
        Data type of the returned weights.

    Returns
    -------
    ndarray of shape (n_chroma, 1 + n_fft // 2)
        Read-only and cached: equal parameters return the same array (copy
        it before modifying).

    Raises
    ------
    ValueError
        For a non-positive ``sample_rate``, ``n_fft < 2``, ``n_chroma < 1``,
        non-finite ``tuning``/``ctroct``, ``octwidth <= 0`` or an invalid
        ``norm``.

    References
    ----------
    .. [1] D. P. W. Ellis, "Chroma feature analysis and synthesis", web resource, 2007,
       https://www.ee.columbia.edu/~dpwe/resources/matlab/chroma-ansyn/
    .. [2] librosa ``filters.chroma``,
       https://librosa.org/doc/latest/generated/librosa.filters.chroma.html

    Examples
    --------
    >>> from sklaudio.filters import chroma
    >>> W = chroma(sample_rate=22050, n_fft=4096)
    >>> W.shape
    (12, 2049)
    >>> W.flags.writeable
    False
    """
    key = check_chroma_params(sample_rate=sample_rate, n_fft=n_fft, n_chroma=n_chroma,
                              tuning=tuning, ctroct=ctroct, octwidth=octwidth, norm=norm,
                              base_c=base_c)
    return _chroma_cached(*key, np.dtype(dtype).str)


@lru_cache(maxsize=256)
def _chroma_cached(sample_rate, n_fft, n_chroma, tuning, ctroct, octwidth, norm, base_c, dtype):
    # FFT bin frequencies without DC, then their position in chroma bins above A0.
    frequencies = np.linspace(0, sample_rate, n_fft, endpoint=False)[1:]
    a440 = 440.0 * 2.0 ** (tuning / n_chroma)
    frqbins = n_chroma * np.log2(frequencies / (float(a440) / 16))
    # DC: 1.5 octaves below bin 1 (chroma 50% rotated, broad bin).
    frqbins = np.concatenate(([frqbins[0] - 1.5 * n_chroma], frqbins))
    binwidthbins = np.concatenate((np.maximum(frqbins[1:] - frqbins[:-1], 1.0), [1]))
    D = np.subtract.outer(frqbins, np.arange(0, n_chroma, dtype="d")).T
    n_chroma2 = np.round(float(n_chroma) / 2)
    D = np.remainder(D + n_chroma2 + 10 * n_chroma, n_chroma) - n_chroma2
    wts = np.exp(-0.5 * (2 * D / np.tile(binwidthbins, (n_chroma, 1))) ** 2)
    wts = normalize_columns(wts, norm)
    if octwidth is not None:
        wts *= np.tile(np.exp(-0.5 * (((frqbins / n_chroma - ctroct) / octwidth) ** 2)),
                       (n_chroma, 1))
    if base_c:
        wts = np.roll(wts, -3 * (n_chroma // 12), axis=0)
    out = np.ascontiguousarray(wts[:, : n_fft // 2 + 1], dtype=dtype)
    out.flags.writeable = False
    return out


@fill_params()
def chroma_names(n_chroma: int, base_c: bool = True) -> list[str]:
    """Feature names of the chroma rows: ``chroma_C``, ``chroma_C#``, ... for 12 bins.

    With ``base_c=False`` the names start at A. For ``n_chroma`` other than
    12 the rows are numbered: ``chroma_0``, ``chroma_1``, ...

    Parameters
    ----------
    base_c : bool, default=True
        Start at C (else at A), as :func:`chroma`.

    Returns
    -------
    list of str
        ``n_chroma`` names.
    """
    if n_chroma == 12:
        start = 0 if base_c else 9
        return [f"chroma_{PITCH_CLASSES[(start + i) % 12]}" for i in range(12)]
    return [f"chroma_{i}" for i in range(n_chroma)]
