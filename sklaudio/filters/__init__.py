"""Filterbanks, windows and transform bases.

Every matrix here is built from its defining formula in NumPy (float64), then
cast. The functions follow librosa's names, parameters and conventions
(``librosa.filters``, ``librosa.core.convert``), so that with the same
parameters they return the same matrices.

* Mel scale and filterbank (Slaney, HTK): :func:`hz_to_mel`, :func:`mel_to_hz`,
  :func:`mel_frequencies`, :func:`mel`, :func:`sparse_mel`.
* ERB scale, gammatone (FFT weights and Slaney's IIR coefficients):
  :func:`hz_to_erb`, :func:`erb_to_hz`, :func:`erb_bandwidth`,
  :func:`erb_frequencies`, :func:`gammatone`, :func:`sparse_gammatone`,
  :func:`gammatone_iir_coefficients`.
* Bark scale and filterbank: :func:`hz_to_bark`, :func:`bark_to_hz`,
  :func:`bark_frequencies`, :func:`bark`, :func:`sparse_bark`.
* Linear filterbank: :func:`linear`, :func:`sparse_linear`.
* Chroma filterbank: :func:`chroma`, :func:`chroma_names`.
* DCT bases, analysis windows: :func:`dct`, :func:`get_window`.
* The sparse form used by the kernels, rFFT bin frequencies:
  :class:`SparseFilterbank`, :func:`fft_frequencies`.

The implementation lives in private family modules (``_common``, ``_mel``,
``_auditory``, ``_chroma``, ``_dct``, ``_windows``); each imports only
``_common``, never this package.
"""

from ._auditory import (
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
from ._chroma import chroma, chroma_names
from ._common import SparseFilterbank, fft_frequencies
from ._dct import dct
from ._mel import hz_to_mel, mel, mel_frequencies, mel_to_hz, sparse_mel
from ._windows import get_window

__all__ = [
    "SparseFilterbank",
    "bark",
    "bark_frequencies",
    "bark_to_hz",
    "chroma",
    "chroma_names",
    "dct",
    "erb_bandwidth",
    "erb_frequencies",
    "erb_to_hz",
    "fft_frequencies",
    "gammatone",
    "gammatone_iir_coefficients",
    "get_window",
    "hz_to_bark",
    "hz_to_erb",
    "hz_to_mel",
    "linear",
    "mel",
    "mel_frequencies",
    "mel_to_hz",
    "sparse_bark",
    "sparse_gammatone",
    "sparse_linear",
    "sparse_mel",
]
