"""librosa-style functions on arrays.

Every function takes audio ``y`` of shape ``(n_samples,)`` or
``(..., n_samples)`` (equal-length clips, e.g. channels or a batch) and
returns features in librosa's orientation ``(..., n_features, n_frames)``.
Parameter names, defaults and results follow librosa (``librosa.stft``,
``librosa.feature.melspectrogram``, ``librosa.feature.mfcc``, ...), except
that the sampling rate is spelled ``sample_rate``. With the same parameters
each function equals librosa to float tolerance; the differences that remain
are listed in ``docs/librosa_differences.md``.

Batches go through one frames-first engine: all frames of all clips are
framed, transformed with ``scipy.fft.rfft`` and reduced by fused Numba
kernels in cache-sized chunks.
"""

from ._balance import spectral_balance
from ._cepstral import bfcc, gammatone_spectrogram, gfcc, lfcc
from ._chroma import chroma_stft, estimate_tuning, pitch_tuning
from ._core import (  # noqa: F401 (private helpers shared by sibling modules)
    _as_audio,
    _check_delta_params,
    _delta_table,
    _frame_feature,
    _unbatch,
    delta,
    frames_to_time,
    istft,
    mel_filterbank,
    melspectrogram,
    mfcc,
    power_to_db,
    savgol_delta_coefficients,
    spectrogram,
    stft,
)
from ._energy import energy_entropy, short_term_energy
from ._formants import formants, lpc_formants
from ._harmonicity import hnr
from ._lpc import cepstrum, lpc, lpcc
from ._pitch import yin
from ._pncc import pncc, pncc_filterbank
from ._spectral import (
    spectral_bandwidth,
    spectral_centroid,
    spectral_contrast,
    spectral_entropy,
    spectral_flatness,
    spectral_flux,
    spectral_rolloff,
)
from ._temporal import rms, zero_crossing_rate
from ._trim import trim
from ._voice import jitter, period_marks, shimmer

__all__ = [
    "stft",
    "istft",
    "spectrogram",
    "mel_filterbank",
    "melspectrogram",
    "power_to_db",
    "mfcc",
    "delta",
    "savgol_delta_coefficients",
    "frames_to_time",
    "spectral_centroid",
    "spectral_bandwidth",
    "spectral_rolloff",
    "spectral_flatness",
    "spectral_contrast",
    "spectral_flux",
    "spectral_entropy",
    "chroma_stft",
    "estimate_tuning",
    "pitch_tuning",
    "zero_crossing_rate",
    "rms",
    "short_term_energy",
    "energy_entropy",
    "yin",
    "cepstrum",
    "lpc",
    "lpcc",
    "gammatone_spectrogram",
    "gfcc",
    "bfcc",
    "lfcc",
    "pncc",
    "pncc_filterbank",
    "trim",
    "jitter",
    "shimmer",
    "period_marks",
    "hnr",
    "formants",
    "lpc_formants",
    "spectral_balance",
]
