"""Shared building blocks of the filterbanks: the sparse form, rFFT bin frequencies,
the triangular-filter builder (mel, Bark, linear), read-only cache helpers and the
empty-filter warning.

Imported by every family module of :mod:`sklaudio.filters`; imports none of them.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from .._docstrings import fill_params

__all__ = ["SparseFilterbank", "fft_frequencies"]


@dataclass(frozen=True)
class SparseFilterbank:
    """A non-negative filterbank stored by its non-zero band per filter.

    Filter ``m`` covers bins ``start[m]:stop[m]`` with weights
    ``weights[offset[m]:offset[m + 1]]``. Only those bins are visited by the
    kernels, which is what makes the mel pass cheap.

    Parameters
    ----------
    start, stop : ndarray of int64 of shape (n_filters,)
        First and one-past-last non-zero bin of each filter.
    offset : ndarray of int64 of shape (n_filters + 1,)
        Where each filter's weights start in ``weights``.
    weights : ndarray of shape (offset[-1],)
        The non-zero weights, filter after filter.
    n_bins : int
        Number of frequency bins (``1 + n_fft // 2``).
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
        """Return the filterbank as a dense matrix.

        Returns
        -------
        ndarray of shape (n_filters, n_bins)
            The weights, zero outside each filter's band.
        """
        W = np.zeros((len(self.start), self.n_bins), dtype=self.weights.dtype)
        for m in range(len(self.start)):
            W[m, self.start[m]:self.stop[m]] = self.weights[self.offset[m]:self.offset[m + 1]]
        return W


@fill_params()
def fft_frequencies(*, sample_rate: float = 22050, n_fft: int = 2048) -> np.ndarray:
    """Centre frequency of each rFFT bin.

    Parameters
    ----------

    Returns
    -------
    ndarray of shape (1 + n_fft // 2,)
        ``k * sample_rate / n_fft`` in Hz, from 0 to the Nyquist frequency.
    """
    return np.fft.rfftfreq(n=n_fft, d=1.0 / sample_rate)


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


def _readonly(a):
    """Mark ``a`` read-only (for cached arrays) and return it."""
    a.flags.writeable = False
    return a
