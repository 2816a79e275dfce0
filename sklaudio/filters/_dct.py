"""DCT basis matrices (``scipy.fft.dct`` as a matrix), built in NumPy and cached.

Re-exported as :func:`sklaudio.filters.dct`.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .._docstrings import fill_params
from .._params import check_int, raise_invalid, validate_params

__all__ = ["dct"]


@fill_params("dct")
@validate_params({})
def dct(n_filters: int, n_out: int, *, dct_type: int = 2, norm: str | None = "ortho",
        dtype=np.float64) -> np.ndarray:
    """DCT basis matrix, equal to ``scipy.fft.dct(x, type=dct_type, norm=norm)``.

    Parameters
    ----------
    n_filters : int
        Length of the transformed axis (e.g. ``n_mels``).
    n_out : int
        Number of coefficients kept (e.g. ``n_mfcc``), ``<= n_filters``.

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

    References
    ----------
    .. [1] N. Ahmed, T. Natarajan and K. R. Rao, "Discrete cosine transform", IEEE
       Trans. Computers C-23(1), 1974.
    .. [2] SciPy ``scipy.fft.dct``,
       https://docs.scipy.org/doc/scipy/reference/generated/scipy.fft.dct.html

    Examples
    --------
    >>> import numpy as np
    >>> import scipy.fft
    >>> from sklaudio.filters import dct
    >>> C = dct(40, 13)   # 13 MFCCs from 40 mel bands
    >>> C.shape
    (13, 40)
    >>> bool(np.allclose(C @ C.T, np.eye(13)))   # orthonormal rows ("ortho")
    True
    >>> x = np.random.default_rng(0).standard_normal(40)
    >>> bool(np.allclose(C @ x, scipy.fft.dct(x, norm="ortho")[:13]))
    True
    """
    n_filters = check_int("n_filters", n_filters, 1)
    if isinstance(dct_type, bool) or dct_type not in (1, 2, 3):
        raise_invalid("dct_type", "1, 2 or 3", dct_type)
    if norm not in ("ortho", None):
        raise_invalid("norm", '"ortho" or None', norm)
    n_out = check_int("n_out", n_out, 1, n_filters, hint=" (at most n_filters)")
    if dct_type == 1 and n_filters < 2:
        raise_invalid("n_filters", "at least 2 with dct_type=1", n_filters)
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
