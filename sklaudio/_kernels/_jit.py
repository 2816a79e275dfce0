"""The one place that decides how kernels are compiled.

* ``FASTMATH`` allows re-association (so reductions vectorise) but leaves out
  ``nnan`` and ``ninf``: NaN and inf must stay visible, never be optimised away.
* Kernels compile lazily (no eager signatures); nothing compiles at import.
* ``cache=True`` is requested, but if Numba cannot find a writable cache
  location (read-only install, no writable home), the kernel silently falls
  back to an in-memory compile instead of failing at import.
"""

from __future__ import annotations

import warnings

import numba

FASTMATH = frozenset({"nsz", "arcp", "contract", "afn", "reassoc"})

__all__ = ["FASTMATH", "jit"]


def jit(func=None, *, cache: bool = True, parallel: bool = False, fastmath=FASTMATH,
        inline: str = "never"):
    """``numba.njit`` with the project's flags and a safe on-disk cache.

    Parameters
    ----------
    func : callable, optional
        Function to compile. When omitted, a decorator is returned.
    cache : bool, default=True
        Ask Numba to cache the machine code on disk. Falls back to no cache
        when no cache directory is writable.
    parallel : bool, default=False
        Enable ``numba.prange``.
    fastmath : set of str
        Fast-math flags; defaults to :data:`FASTMATH`.
    inline : {"never", "always"}, default="never"
        Numba IR inlining into the calling kernels. ``"always"`` for small
        helpers called in a hot loop whose calls LLVM does not inline (their
        loops then vectorise with the caller's arrays).
    """

    def wrap(f):
        opts = dict(nogil=True, fastmath=set(fastmath), parallel=parallel, inline=inline)
        if cache:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", numba.NumbaWarning)
                    return numba.njit(cache=True, **opts)(f)
            except (RuntimeError, OSError, PermissionError):  # no writable cache locator
                pass
        return numba.njit(cache=False, **opts)(f)

    if func is None:
        return wrap
    return wrap(func)
