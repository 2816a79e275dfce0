"""Analysis windows (``scipy.signal.get_window``, periodic, centre-padded), cached.

Re-exported as :func:`sklaudio.filters.get_window`.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .._params import check_int, validate_params

__all__ = ["get_window"]


@validate_params({})
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
    dtype : numpy dtype, default=np.float64
        Data type of the returned window.

    Returns
    -------
    ndarray of shape (n_fft,)
        The window, zero-padded on both sides to ``n_fft``.

    Raises
    ------
    ValueError
        For an unknown window spec, a window of the wrong length, or
        ``win_length > n_fft``.

    References
    ----------
    .. [1] F. J. Harris, "On the use of windows for harmonic analysis with the discrete
       Fourier transform", Proc. IEEE 66(1), 1978.
    .. [2] SciPy ``scipy.signal.get_window``,
       https://docs.scipy.org/doc/scipy/reference/generated/scipy.signal.get_window.html
    .. [3] librosa ``filters.get_window``,
       https://librosa.org/doc/latest/generated/librosa.filters.get_window.html

    Examples
    --------
    >>> from sklaudio.filters import get_window
    >>> get_window("hann", 4).tolist()   # periodic: a 5-point Hann without its last 0
    [0.0, 0.5, 1.0, 0.5]
    >>> get_window("hann", 4, n_fft=8).tolist()   # centred in n_fft with zeros
    [0.0, 0.0, 0.0, 0.5, 1.0, 0.5, 0.0, 0.0]
    """
    n_fft = win_length if n_fft is None else n_fft
    n_fft = check_int("n_fft", n_fft, 1, hint=" (samples)")
    check_int("win_length", win_length, 1, n_fft, hint=" (at most n_fft)")
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
