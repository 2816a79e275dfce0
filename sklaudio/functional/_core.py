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
kernels in cache-sized chunks. Frame outputs are returned as transposed views
of that frames-first array (so they may not be C-contiguous).

Clips shorter than ``n_fft`` are handled as librosa does: with
``center=True`` they are padded by ``n_fft // 2`` on each side (``pad_mode``)
and give ``1 + n_samples // hop_length`` frames; with ``center=False`` they
raise ``ValueError``.
"""

from __future__ import annotations

import numpy as np
import scipy.fft

from .. import filters
from .._docstrings import fill_params
from .._engine import (
    FrameSpec,
    filterbank_frames,
    plan_frames,
    power_frames,
    run_features,
    stft_frames,
)
from .._kernels.cepstral import db_reference_clamp, dct_rows
from .._kernels.delta import delta_clips
from .._kernels.spectral import db_reference_clamp_flat, power_filterbank
from .._kernels.stft import nonfinite_rows, overlap_add
from .._params import (
    STFT,
    check_int,
    check_real,
    check_stft,
    raise_invalid,
    validate_params,
)
from .._streaming import Chain, FrameLocal, RunningDBClamp, Windowed
from .._validation import ClipBatch

__all__ = [
    "stft",
    "istft",
    "spectrogram",
    "mel_filterbank",
    "melspectrogram",
    "power_to_db",
    "mfcc",
    "delta",
    "frames_to_time",
]

mel_filterbank = filters.mel


# -- steps shared by the dB-scaled and cepstral features ----------------------------------------
def apply_db_reference(db: np.ndarray, frame_offsets: np.ndarray, *, ref, amin: float,
                       top_db) -> np.ndarray:
    """Per-clip ``ref`` and ``top_db`` of :func:`sklaudio.functional.power_to_db`, in place."""
    ref_is_max = ref == "max" or ref is np.max
    if ref_is_max:
        ref_db = 0.0
    else:
        if callable(ref):
            raise_invalid("ref", "a positive float, 'max' or np.max", ref)
        ref_db = 10.0 * np.log10(max(float(amin), abs(float(ref))))
    td = -1.0 if top_db is None else float(top_db)
    if top_db is not None and td < 0:
        raise_invalid("top_db", "a float >= 0 (dB) or None", top_db)
    if db.flags.c_contiguous:
        db_reference_clamp_flat(db, frame_offsets, ref_db, ref_is_max, td)  # same values, faster
    else:
        db_reference_clamp(db, frame_offsets, ref_db, ref_is_max, td)
    return db


def cepstrum_rows(x: np.ndarray, basis: np.ndarray, lift: np.ndarray) -> np.ndarray:
    """Row-wise ``lift * (basis @ row)``; ``x`` is ``(n_frames, n_in)``."""
    out = np.empty((x.shape[0], basis.shape[0]), dtype=x.dtype)
    dct_rows(x, basis.astype(x.dtype, copy=False), lift.astype(x.dtype, copy=False), out)
    return out


def lifter_weights(n_mfcc: int, lifter: float) -> np.ndarray:
    """librosa's liftering: ``1 + (lifter / 2) sin(pi (k + 1) / lifter)``, k = 0..n_mfcc-1."""
    lifter = check_real("lifter", lifter, low=0)
    if lifter == 0:
        return np.ones(n_mfcc)
    return 1.0 + (lifter / 2.0) * np.sin(np.pi * np.arange(1, 1 + n_mfcc) / lifter)


def _float_dtype(y) -> np.dtype:
    """The float dtype :func:`_as_audio` gives ``y``: float32/float64 kept, float16 -> float32,
    anything else float64."""
    dt = np.asarray(y).dtype
    if dt.kind == "f":
        return np.dtype(np.float32) if dt.itemsize < 4 else dt
    return np.dtype(np.float64)


def _as_audio(y, name: str = "y") -> tuple[ClipBatch, tuple[int, ...]]:
    """Validate ``y`` (..., n_samples) -> (batch of rows, leading shape)."""
    if y is None:
        raise ValueError(f"{name} is required (audio samples, shape (..., n_samples)).")
    a = np.asarray(y)
    if a.dtype.kind not in "iuf":
        raise ValueError(
            f"{name} must be a real numeric array of audio samples, got dtype {a.dtype}."
        )
    if a.ndim == 0:
        raise ValueError(f"{name} must have at least one dimension (n_samples,), got a scalar.")
    if a.shape[-1] == 0:
        raise ValueError(f"{name} is empty (0 samples); pass at least one sample.")
    dtype = a.dtype if a.dtype.kind == "f" and a.dtype.itemsize >= 4 else np.float64
    if a.dtype == np.float16:
        dtype = np.float32
    lead = a.shape[:-1]
    rows = np.ascontiguousarray(a.reshape(-1, a.shape[-1]), dtype=dtype)
    bad_rows = np.zeros(rows.shape[0], dtype=np.bool_)
    if nonfinite_rows(rows, bad_rows):  # one pass, no full-size temporary
        bad = np.flatnonzero(bad_rows)
        where = [tuple(int(k) for k in np.unravel_index(i, lead)) if lead else () for i in bad[:5]]
        raise ValueError(
            f"{name} contains NaN or inf (at leading index {where[0] if lead else '()'}"
            f"{' and others' if bad.size > 1 else ''}); audio must be finite."
        )
    return ClipBatch.from_2d(rows), lead


def _unbatch(frames: np.ndarray, frame_offsets: np.ndarray, lead: tuple[int, ...]) -> np.ndarray:
    """(n_rows * n_frames, F) frames-first -> (..., F, n_frames)."""
    n_rows = len(frame_offsets) - 1
    T = int(frame_offsets[1] - frame_offsets[0]) if n_rows else 0
    out = frames.reshape(n_rows, T, frames.shape[1]).transpose(0, 2, 1)
    return out.reshape(*lead, frames.shape[1], T)


def _check_spectrogram(S, name: str = "S", *, nonnegative: str | None = None,
                       min_bins: int = 1) -> np.ndarray:
    """``S`` as a finite, non-empty real array of shape (..., n_bins, n_frames).

    ``nonnegative`` (the sentence naming what is needed, e.g. ``"chroma_stft
    needs a non-negative spectrogram S; pass np.abs(S) ** 2"``) also rejects
    negative values; ``min_bins`` is the least number of frequency bins.
    """
    S = np.asarray(S)
    if S.ndim < 2 or S.dtype.kind not in "fiu" or 0 in S.shape:
        raise ValueError(
            f"{name} must be a non-empty real array of shape (..., n_bins, n_frames), got "
            f"shape {S.shape} and dtype {S.dtype}."
        )
    if not np.all(np.isfinite(S)):
        raise ValueError(f"{name} contains NaN or inf; pass a finite spectrogram.")
    if nonnegative is not None and np.any(S < 0):
        raise ValueError(f"{nonnegative}.")
    if S.shape[-2] < min_bins:
        raise ValueError(f"{name} must have at least {min_bins} frequency bins, got {S.shape[-2]}.")
    return S


def _as_spectrogram(S, name: str = "S") -> tuple[np.ndarray, np.ndarray, tuple[int, ...]]:
    """Validate ``S`` (..., n_bins, n_frames) -> (frames-first rows, clip offsets, leading shape).

    ``rows`` has shape ``(n_clips * n_frames, n_bins)`` (float, integers cast
    to float64); clip ``i`` is ``rows[offsets[i]:offsets[i + 1]]``.
    """
    S = _check_spectrogram(S, name)
    dt = S.dtype if S.dtype.kind == "f" else np.float64
    lead = S.shape[:-2]
    n_bins, T = S.shape[-2:]
    rows = np.ascontiguousarray(np.swapaxes(S, -1, -2).reshape(-1, n_bins), dtype=dt)
    offs = np.arange(0, rows.shape[0] + 1, T, dtype=np.int64)
    return rows, offs, lead


def cepstra_from_bands(S, n_ceps: int, *, name: str, dct_type: int = 2, norm: str | None = "ortho",
                       lifter: float = 0.0) -> np.ndarray:
    """Cepstra of precomputed compressed band energies: ``lift * DCT(S)[:n_ceps]`` over axis -2.

    The last steps of :func:`mfcc`, :func:`~sklaudio.functional.gfcc`,
    :func:`~sklaudio.functional.bfcc` and :func:`~sklaudio.functional.lfcc`
    when they are given ``S`` instead of audio (librosa ``feature.mfcc(S=...)``).
    ``name`` is the coefficient-count parameter named in errors.
    """
    S = _check_spectrogram(S)
    n_bands = S.shape[-2]
    n_ceps = check_int(name, n_ceps, 1, n_bands, hint=" (at most the n_bands rows of S)")
    lift = lifter_weights(n_ceps, lifter)
    basis = filters.dct(n_bands, n_ceps, dct_type=dct_type, norm=norm,
                        dtype=S.dtype if S.dtype.kind == "f" else np.float64)
    out = np.einsum("km,...mt->...kt", basis, S)
    return out * lift.astype(out.dtype)[:, None]


def _frame_feature(y, S, specs, *, n_fft=2048, hop_length=512, win_length=None,
                   window="hann", center=True, pad_mode="constant", n_jobs=None,
                   name="S") -> list[np.ndarray]:
    """Run engine specs on audio ``y`` or on a precomputed spectrogram ``S``.

    With ``y`` (shape ``(..., n_samples)``) the engine frames, transforms and
    reduces every clip in one chunked pass. With ``S`` (shape
    ``(..., n_bins, n_frames)``, every spec's input must be ``"spectrum"``)
    the specs reduce ``S``'s frames directly; ``S`` then stands for
    ``|STFT| ** spec.power``. Returns one array ``(..., n_out, n_frames)``
    per spec.
    """
    if S is not None:
        bad = [s for s in specs if s.input != "spectrum"]
        if bad:
            raise ValueError("This feature needs the audio y, not a spectrogram.")
        rows, offs, lead = _as_spectrogram(S, name)
        dt = rows.dtype
        result = []
        for s in specs:
            o = np.empty((rows.shape[0], s.n_out), dtype=dt)
            s.reduce(rows, o)
            if s.finalize is not None:
                o = s.finalize(o, offs)
            result.append(_unbatch(o, offs, lead))
        return result
    batch, lead = _as_audio(y)
    plan = plan_frames(batch, n_fft=n_fft, hop_length=hop_length, win_length=win_length,
                       window=window, center=center, pad_mode=pad_mode,
                       dtype=batch.samples.dtype)
    outs = run_features(batch, plan, specs, n_jobs)
    return [_unbatch(o, plan.frame_offsets, lead) for o in outs]


@fill_params()
@validate_params({})
def stft(y, *, n_fft: int = 2048, hop_length: int | None = None, win_length: int | None = None,
         window="hann", center: bool = True, pad_mode: str = "constant", n_jobs=None) -> np.ndarray:
    """Short-time Fourier transform.

    ``D[..., k, t] = sum_n w[n] y_pad[t * hop_length + n] exp(-2j pi k n / n_fft)``
    where ``y_pad`` is ``y`` padded by ``n_fft // 2`` on both sides when
    ``center`` (librosa ``stft``; Allen & Rabiner 1977).

    Parameters
    ----------
    y : ndarray of shape (..., n_samples)
        Audio, real. Integers are cast to float64.
    hop_length : int or None, default=None
        Hop between frames in samples; ``None`` is ``win_length // 4``
        (librosa's default).
    win_length : int or None, default=None
        Window length in samples (``<= n_fft``), centre-padded with zeros to
        ``n_fft``; ``None`` is ``n_fft``.
    window : str, tuple, callable or array, default="hann"
        Periodic window spec (see :func:`sklaudio.filters.get_window`).

    Returns
    -------
    ndarray of shape (..., 1 + n_fft // 2, n_frames), complex
        The complex spectrum, complex64 for float32 input, else complex128.
        ``n_frames`` is ``1 + n_samples // hop_length`` when ``center`` else
        ``1 + (n_samples - n_fft) // hop_length``.

    Raises
    ------
    ValueError
        For non-finite or empty audio, impossible parameters, or (with
        ``center=False``) fewer than ``n_fft`` samples.

    See Also
    --------
    istft : The inverse transform.
    spectrogram : ``|stft| ** power``.

    References
    ----------
    .. [1] J. B. Allen and L. R. Rabiner, "A unified approach to short-time
       Fourier analysis and synthesis", Proc. IEEE 65(11), 1977.
    .. [2] librosa ``stft``, https://librosa.org/doc/latest/generated/librosa.stft.html

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.functional import stft
    >>> sr = 8000
    >>> y = np.sin(2 * np.pi * 1000 * np.arange(sr) / sr)  # 1 s of 1 kHz
    >>> D = stft(y, n_fft=256, hop_length=64)
    >>> D.shape  # (1 + n_fft // 2, 1 + n_samples // hop_length)
    (129, 126)
    >>> int(np.abs(D[:, 60]).argmax()) * sr / 256  # peak bin in Hz
    1000.0
    """
    batch, lead = _as_audio(y)
    plan = plan_frames(batch, n_fft=n_fft, hop_length=hop_length, win_length=win_length,
                       window=window, center=center, pad_mode=pad_mode,
                       dtype=batch.samples.dtype)
    return _unbatch(stft_frames(batch, plan, n_jobs), plan.frame_offsets, lead)


@fill_params()
@validate_params({})
def istft(stft_matrix, *, hop_length: int | None = None, win_length: int | None = None,
          n_fft: int | None = None, window="hann", center: bool = True,
          length: int | None = None) -> np.ndarray:
    """Inverse STFT by weighted overlap-add (Griffin & Lim 1984), as librosa ``istft``.

    Each frame is inverse-transformed, multiplied by the window, overlap-added,
    and the sum is divided by the overlap-added squared window wherever that
    is non-negligible. For a window and hop that satisfy the (squared)
    constant-overlap-add condition, ``istft(stft(y), length=len(y))``
    reconstructs ``y``.

    Parameters
    ----------
    stft_matrix : ndarray of shape (..., 1 + n_fft // 2, n_frames), complex
        The STFT to invert, as returned by :func:`stft`.
    hop_length : int or None, default=None
        Hop between frames in samples, as used for :func:`stft`; ``None`` is
        ``win_length // 4``.
    win_length : int or None, default=None
        Window length in samples, as used for :func:`stft`; ``None`` is
        ``n_fft``.
    n_fft : int or None, default=None
        FFT length in samples; ``None`` is ``2 * (n_bins - 1)``.
    window : str, tuple, callable or array, default="hann"
        The analysis window used for :func:`stft`.
    length : int or None, default=None
        Trim or zero-pad the output to exactly this many samples.

    Returns
    -------
    ndarray of shape (..., n_samples)
        The signal, float32 for complex64 input, else float64.

    Raises
    ------
    ValueError
        For a matrix with fewer than 2 dimensions or inconsistent sizes.

    References
    ----------
    .. [1] D. W. Griffin and J. S. Lim, "Signal estimation from modified
       short-time Fourier transform", IEEE Trans. ASSP 32(2), 1984.

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.functional import istft, stft
    >>> y = np.random.default_rng(0).standard_normal(4000)
    >>> y_hat = istft(stft(y, n_fft=512, hop_length=128), hop_length=128, length=len(y))
    >>> bool(np.allclose(y, y_hat))
    True
    """
    S = np.asarray(stft_matrix)
    if S.ndim < 2:
        raise ValueError(f"stft_matrix must have shape (..., n_bins, n_frames), got {S.shape}.")
    if not np.isfinite(S).all():
        raise ValueError("stft_matrix contains NaN or inf.")
    if n_fft is None:
        n_fft = 2 * (S.shape[-2] - 1)
    if S.shape[-2] != n_fft // 2 + 1:
        raise ValueError(
            f"stft_matrix has {S.shape[-2]} frequency bins, but n_fft={n_fft} needs "
            f"{n_fft // 2 + 1}."
        )
    n_fft, hop_length, win_length = check_stft(n_fft, hop_length, win_length, False,
                                                      "constant")
    rdt = np.float32 if S.dtype == np.complex64 else np.float64
    win = filters.get_window(window, win_length, n_fft, dtype=np.float64).astype(rdt)
    lead = S.shape[:-2]
    n_frames = S.shape[-1]
    S2 = S.reshape(-1, S.shape[-2], n_frames)
    full = n_fft + hop_length * (n_frames - 1)
    start = n_fft // 2 if center else 0
    if length is None:
        out_len = full - 2 * start
    else:
        out_len = check_int("length", length, 0, hint=" (samples)")
    out = np.zeros((S2.shape[0], out_len), dtype=rdt)
    for i in range(S2.shape[0]):
        frames = scipy.fft.irfft(S2[i].T, n=n_fft, axis=1).astype(rdt, copy=False)
        y = np.zeros(max(full, start + out_len), dtype=np.float64)
        wss = np.zeros_like(y)
        overlap_add(frames.astype(np.float64), win.astype(np.float64), hop_length, y, wss)
        seg = y[start : start + out_len]
        w = wss[start : start + out_len]
        nz = w > np.finfo(rdt).tiny
        seg[nz] /= w[nz]
        out[i] = seg
    return out.reshape(*lead, out_len)


@fill_params()
@validate_params({})
def spectrogram(y=None, *, S=None, n_fft: int = 2048, hop_length: int | None = 512,
                win_length: int | None = None, window="hann", center: bool = True,
                pad_mode: str = "constant", power: float = 2.0, n_jobs=None) -> np.ndarray:
    """Magnitude (``power=1``) or power (``power=2``) spectrogram ``|STFT| ** power``.

    Parameters
    ----------
    y : ndarray of shape (..., n_samples), optional
        Audio. Either ``y`` or ``S`` is required.
    S : ndarray of shape (..., 1 + n_fft // 2, n_frames), optional
        A precomputed spectrogram, returned unchanged.

    Returns
    -------
    ndarray of shape (..., 1 + n_fft // 2, n_frames)
        The spectrogram, in the float precision of ``y``.

    References
    ----------
    .. [1] J. B. Allen and L. R. Rabiner, "A unified approach to short-time Fourier
       analysis and synthesis", Proc. IEEE 65(11), 1977.
    .. [2] librosa ``stft``, https://librosa.org/doc/latest/generated/librosa.stft.html

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.functional import spectrogram
    >>> sr = 8000
    >>> y = np.sin(2 * np.pi * 1000 * np.arange(sr) / sr)   # 1 s of 1 kHz
    >>> S = spectrogram(y, n_fft=256, hop_length=64)
    >>> S.shape   # (1 + n_fft // 2, 1 + n_samples // hop_length)
    (129, 126)
    >>> spectrogram(y, n_fft=256, hop_length=64, center=False).shape   # 1 + (8000-256) // 64
    (129, 122)
    >>> int(S[:, 60].argmax()) * sr / 256   # the loudest bin is 1 kHz
    1000.0
    >>> bool(np.allclose(spectrogram(y, n_fft=256, hop_length=64, power=1.0) ** 2, S))
    True
    """
    if S is not None:
        return np.asarray(S)
    check_real("power", power, low=0, low_open=True)
    batch, lead = _as_audio(y)
    plan = plan_frames(batch, n_fft=n_fft, hop_length=hop_length, win_length=win_length,
                       window=window, center=center, pad_mode=pad_mode,
                       dtype=batch.samples.dtype)
    return _unbatch(power_frames(batch, plan, power, n_jobs), plan.frame_offsets, lead)


@fill_params("mel")
@validate_params({})
def melspectrogram(y=None, *, sample_rate: float = 22050, S=None, n_fft: int = 2048,
                   hop_length: int = 512, win_length: int | None = None, window="hann",
                   center: bool = True, pad_mode: str = "constant", power: float = 2.0,
                   n_mels: int = 128, fmin: float = 0.0, fmax: float | None = None,
                   htk: bool = False, norm: str | None = "slaney", n_jobs=None) -> np.ndarray:
    """Mel spectrogram: the mel filterbank applied to ``|STFT| ** power``.

    ``M[..., m, t] = sum_k W[m, k] |D[..., k, t]| ** power`` with ``W`` from
    :func:`mel_filterbank` (librosa ``feature.melspectrogram``). The
    filterbank is applied sparsely (only each filter's non-zero bins) in the
    same Numba pass that forms the power.

    Parameters
    ----------
    y : ndarray of shape (..., n_samples), optional
        Audio; integers are cast to float64.
    S : ndarray of shape (..., 1 + n_fft // 2, n_frames), optional
        Precomputed power spectrogram, used instead of ``y``.
    norm : {"slaney", None}, default="slaney"
        Mel filter normalisation (``mel_norm`` of :class:`sklaudio.MelSpectrogram`).

    Returns
    -------
    ndarray of shape (..., n_mels, n_frames)
        Same float precision as ``y``.

    Raises
    ------
    ValueError
        For invalid audio or parameters (see :func:`stft`, :func:`mel_filterbank`).

    References
    ----------
    .. [1] M. Slaney, "Auditory Toolbox: a MATLAB toolbox for auditory modeling work,
       version 2", Technical Report #1998-010, Interval Research Corporation, 1998.
    .. [2] librosa ``feature.melspectrogram``,
       https://librosa.org/doc/latest/generated/librosa.feature.melspectrogram.html

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.filters import mel, mel_frequencies
    >>> from sklaudio.functional import melspectrogram, spectrogram
    >>> sr = 8000
    >>> y = np.sin(2 * np.pi * 1000 * np.arange(sr) / sr)   # 1 s of 1 kHz
    >>> M = melspectrogram(y, sample_rate=sr, n_fft=256, hop_length=64, n_mels=40)
    >>> M.shape   # (n_mels, 1 + n_samples // hop_length)
    (40, 126)
    >>> W = mel(sample_rate=sr, n_fft=256, n_mels=40)
    >>> bool(np.allclose(M, W @ spectrogram(y, n_fft=256, hop_length=64)))
    True
    >>> centres = mel_frequencies(40 + 2, fmax=sr / 2)[1:-1]   # band centres in Hz
    >>> m = int(M[:, 60].argmax())   # the loudest band is the one centred nearest 1 kHz
    >>> m == int(np.abs(centres - 1000).argmin()), round(float(centres[m]))
    (True, 972)
    """
    if S is not None:
        S = np.asarray(S)
        if S.shape[-2] != n_fft // 2 + 1:
            n_fft = 2 * (S.shape[-2] - 1)
        W = filters.mel(sample_rate=sample_rate, n_fft=n_fft, n_mels=n_mels, fmin=fmin,
                        fmax=fmax, htk=htk, norm=norm, dtype=S.real.dtype)
        return np.einsum("mk,...kt->...mt", W, S, optimize=True)
    M, offs, lead = _mel_db_frames(y, sample_rate=sample_rate, n_fft=n_fft,
                                   hop_length=hop_length, win_length=win_length, window=window,
                                   center=center, pad_mode=pad_mode, power=power, n_mels=n_mels,
                                   fmin=fmin, fmax=fmax, htk=htk, norm=norm, log=False,
                                   n_jobs=n_jobs)
    return _unbatch(M, offs, lead)


def _mel_db_frames(y, *, sample_rate, n_fft, hop_length, win_length, window, center, pad_mode,
                   power, n_mels, fmin, fmax, htk, norm, log, amin=1e-10, n_jobs=None,
                   batch=None):
    check_real("power", power, low=0, low_open=True)
    lead = ()
    if batch is None:
        batch, lead = _as_audio(y)
    plan = plan_frames(batch, n_fft=n_fft, hop_length=hop_length, win_length=win_length,
                       window=window, center=center, pad_mode=pad_mode,
                       dtype=batch.samples.dtype)
    fb = filters.sparse_mel(sample_rate=sample_rate, n_fft=plan.n_fft, n_mels=n_mels, fmin=fmin,
                            fmax=fmax, htk=htk, norm=norm, dtype=batch.samples.dtype)
    M = filterbank_frames(batch, plan, fb, power=power, log=log, amin=amin, n_jobs=n_jobs)
    return M, plan.frame_offsets, lead


@fill_params()
@validate_params({})
def power_to_db(S, *, ref=1.0, amin: float = 1e-10, top_db: float | None = 80.0) -> np.ndarray:
    """Power to decibels: ``10 log10(max(amin, S)) - 10 log10(max(amin, ref))``.

    Then, if ``top_db`` is not None, values are clamped from below to
    ``max - top_db``, where ``max`` is taken over the whole input (a single
    clip), as librosa ``power_to_db``. The estimators apply the reference and
    ``top_db`` per clip, never across a batch.

    Parameters
    ----------
    S : array-like
        Power (non-negative). Complex input uses ``|S| ** 2``.
    ref : float or callable, default=1.0
        Reference power; ``np.max`` (or ``"max"``) uses ``S.max()``.
    amin : float, default=1e-10
        Floor on ``S`` and ``ref``, ``> 0``.

    Returns
    -------
    ndarray, same shape as ``S``
        The values in dB.

    Raises
    ------
    ValueError
        If ``amin <= 0`` or ``top_db < 0``.

    References
    ----------
    .. [1] librosa ``power_to_db``,
       https://librosa.org/doc/latest/generated/librosa.power_to_db.html

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.functional import power_to_db
    >>> float(power_to_db(10.0))   # 10 times the reference power: 10 dB
    10.0
    >>> power_to_db(np.array([1.0, 10.0, 100.0])).tolist()
    [0.0, 10.0, 20.0]
    >>> power_to_db(np.array([1.0, 10.0, 100.0]), ref=np.max).tolist()   # 0 dB at the max
    [-20.0, -10.0, 0.0]
    >>> power_to_db(np.array([1.0, 1e-3, 1e-12])).tolist()   # floor: max - top_db (80 dB)
    [0.0, -30.0, -80.0]
    """
    S = np.asarray(S)
    check_real("amin", amin, low=0, low_open=True)
    if np.iscomplexobj(S):
        S = np.abs(S) ** 2
    mag = S
    if ref == "max" or callable(ref):
        ref_value = np.max(mag) if ref == "max" else ref(mag)
    else:
        ref_value = np.abs(ref)
    log_spec = 10.0 * np.log10(np.maximum(amin, mag))
    log_spec = log_spec - 10.0 * np.log10(np.maximum(amin, ref_value))
    if top_db is not None:
        check_real("top_db", top_db, low=0, unit="dB")
        log_spec = np.maximum(log_spec, log_spec.max() - top_db)
    return log_spec.astype(S.dtype, copy=False) if S.dtype.kind == "f" else log_spec


def log_mel_spec(sample_rate, n_fft, dtype, *, power=2.0, n_mels=128, fmin=0.0, fmax=None,
                 htk=False, mel_norm="slaney", ref=1.0, top_db=80.0, post=None,
                 post_stream=None) -> FrameSpec:
    """Engine spec of the log-mel spectrogram in dB (``n_mels`` columns), then ``post``.

    One pass per chunk: fused ``|X| ** power`` -> sparse mel filterbank -> dB
    (``amin = 1e-10``); per clip, the ``ref`` (a float, or ``"max"``: the
    clip's maximum) and ``top_db`` clamp of :func:`power_to_db`. ``post(db,
    frame_offsets)``, if given, maps the dB rows to the spec's output (MFCC's
    DCT and deltas). Used by :class:`sklaudio.MelSpectrogram`,
    :class:`sklaudio.MFCC` and :func:`mfcc`.

    Streamed (``stream``), ``top_db`` clamps below the running maximum
    (:class:`sklaudio._streaming.RunningDBClamp`; ``ref="max"`` raises), then
    ``post_stream()`` (the streaming form of ``post``) runs.
    """
    fb = filters.sparse_mel(sample_rate=sample_rate, n_fft=n_fft, n_mels=n_mels, fmin=fmin,
                            fmax=fmax, htk=htk, norm=mel_norm, dtype=dtype)
    weights = fb.weights.astype(dtype, copy=False)
    power = float(power)
    start, stop, offset = fb.start, fb.stop, fb.offset

    def reduce(spec, out):
        power_filterbank(spec, power, start, stop, offset, weights, True, 1e-10, out, 0)

    def finalize(db, frame_offsets):
        apply_db_reference(db, frame_offsets, ref=ref, amin=1e-10, top_db=top_db)
        return db if post is None else post(db, frame_offsets)

    def stream():
        if post is not None and post_stream is None:
            raise ValueError("This log-mel spec's post step has no streaming form.")
        return Chain(RunningDBClamp(ref, top_db, amin=1e-10),
                     None if post_stream is None else post_stream())

    return FrameSpec(n_out=len(fb.start), reduce=reduce, input="complex", finalize=finalize,
                     stream=stream)


def mfcc_spec(sample_rate, n_fft, dtype, *, n_mfcc=20, dct_type=2, dct_norm="ortho", lifter=0,
              delta_order=0, delta_width=9, n_mels=128, **mel) -> FrameSpec:
    """Engine spec of MFCCs (``n_mfcc * (1 + delta_order)`` columns), one for all MFCC paths.

    :func:`log_mel_spec` (``mel`` holds its other parameters), then per frame
    the DCT rows times the lifter weights, then per clip the Savitzky-Golay
    deltas up to ``delta_order``. Used by :class:`sklaudio.MFCC` and
    :func:`mfcc`.
    """
    basis = filters.dct(n_mels, n_mfcc, dct_type=dct_type, norm=dct_norm,
                        dtype=np.float64).astype(dtype)
    lift = lifter_weights(n_mfcc, lifter)
    tables = [_delta_table(delta_width, o).astype(dtype) for o in range(1, delta_order + 1)]

    lift_dt = lift.astype(dtype)  # cast once (cepstrum_rows casts it per call otherwise)

    def ceps_rows(db, offs):
        return cepstrum_rows(db, basis, lift_dt)

    def with_deltas(ceps, offs):
        parts = [ceps]
        for table in tables:
            d = np.empty_like(ceps)
            delta_clips(ceps, offs, table, d)
            parts.append(d)
        return np.concatenate(parts, axis=1)

    def post(db, offs):
        ceps = ceps_rows(db, offs)
        return ceps if not tables else with_deltas(ceps, offs)

    def post_stream():
        # the DCT per frame; the deltas read delta_width // 2 frames on each side, and their
        # first / last frames the first / last full window ("interp" edges)
        if not tables:
            return FrameLocal(ceps_rows)
        h = int(delta_width) // 2
        return Chain(FrameLocal(ceps_rows),
                     Windowed(with_deltas, left=2 * h, right=h, min_frames=2 * h + 1))

    return log_mel_spec(sample_rate, n_fft, dtype, n_mels=n_mels, post=post,
                        post_stream=post_stream, **mel)


@fill_params("dct", "mel")
@validate_params({})
def mfcc(y=None, *, sample_rate: float = 22050, S=None, n_mfcc: int = 20, dct_type: int = 2,
         norm: str | None = "ortho", lifter: float = 0, n_fft: int = 2048,
         hop_length: int = 512, win_length: int | None = None, window="hann",
         center: bool = True, pad_mode: str = "constant", power: float = 2.0,
         n_mels: int = 128, fmin: float = 0.0, fmax: float | None = None, htk: bool = False,
         mel_norm: str | None = "slaney", top_db: float | None = 80.0, n_jobs=None) -> np.ndarray:
    """Mel-frequency cepstral coefficients (Davis & Mermelstein 1980; librosa ``feature.mfcc``).

    ``MFCC = lift * DCT(power_to_db(melspectrogram(y)))[:n_mfcc]``: log-mel
    energies in dB (``ref=1``, ``amin=1e-10``, ``top_db`` below each clip's
    maximum), an orthonormal DCT-II over the mel axis, then optional
    liftering ``1 + (lifter / 2) sin(pi (k + 1) / lifter)``.

    Parameters
    ----------
    y : ndarray of shape (..., n_samples), optional
        Audio; each row along the last axis is one clip.
    S : ndarray of shape (..., n_mels, n_frames), optional
        Log-power mel spectrogram (dB), used instead of ``y``.

    Returns
    -------
    ndarray of shape (..., n_mfcc, n_frames)
        The coefficients per frame.

    Raises
    ------
    ValueError
        For invalid audio, ``n_mfcc > n_mels``, an unknown ``dct_type`` or
        ``norm``, a negative ``lifter``, or invalid STFT/mel parameters.

    References
    ----------
    .. [1] S. B. Davis and P. Mermelstein, "Comparison of parametric representations for
       monosyllabic word recognition in continuously spoken sentences", IEEE Trans. ASSP
       28(4), 1980.
    .. [2] librosa ``feature.mfcc``,
       https://librosa.org/doc/latest/generated/librosa.feature.mfcc.html

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.functional import mfcc
    >>> y = np.random.default_rng(0).standard_normal(8000)
    >>> kw = dict(sample_rate=8000, n_mfcc=13, n_fft=256, hop_length=80, n_mels=40)
    >>> C = mfcc(y, **kw)
    >>> C.shape   # (n_mfcc, 1 + n_samples // hop_length)
    (13, 101)

    A gain of 10 adds 20 dB to every mel band; with the orthonormal DCT only
    ``c0`` moves, by ``20 sqrt(n_mels)``:

    >>> C10 = mfcc(10 * y, **kw)
    >>> float(np.round(np.mean(C10[0] - C[0]), 2)), round(20 * float(np.sqrt(40)), 2)
    (126.49, 126.49)
    >>> bool(np.allclose(C10[1:], C[1:]))
    True
    """
    if S is not None:
        return cepstra_from_bands(S, n_mfcc, name="n_mfcc", dct_type=dct_type, norm=norm,
                                  lifter=lifter)
    check_real("power", power, low=0, low_open=True)
    dt = _float_dtype(y)
    spec = mfcc_spec(sample_rate, n_fft, dt, n_mfcc=n_mfcc, dct_type=dct_type, dct_norm=norm,
                     lifter=lifter, n_mels=n_mels, power=power, fmin=fmin, fmax=fmax, htk=htk,
                     mel_norm=mel_norm, ref=1.0, top_db=top_db)
    return _frame_feature(y, None, [spec], n_fft=n_fft, hop_length=hop_length,
                          win_length=win_length, window=window, center=center,
                          pad_mode=pad_mode, n_jobs=n_jobs)[0]


@validate_params({})
def savgol_delta_coefficients(width: int, order: int) -> np.ndarray:
    """Savitzky-Golay coefficients of the ``order``-th derivative at a window's centre.

    Least-squares fit of a degree-``order`` polynomial to ``width`` equally
    spaced points (Savitzky & Golay 1964); the ``order``-th derivative of that
    fit is ``coefficients @ window``.

    Parameters
    ----------
    width : int
        Odd window length in frames, ``>= 3``.
    order : int
        Derivative order, ``>= 1``.

    Returns
    -------
    ndarray of shape (width,)
        The filter taps, applied as a correlation.

    References
    ----------
    .. [1] A. Savitzky and M. J. E. Golay, "Smoothing and differentiation of data by
       simplified least squares procedures", Analytical Chemistry 36(8), 1964.
    """
    if width <= order:
        return np.zeros(width)
    pos = np.arange(width, dtype=np.float64) - (width - 1) / 2.0
    A = np.vander(pos, order + 1, increasing=True)
    return float(np.prod(np.arange(1, order + 1))) * np.linalg.pinv(A)[order]


def _delta_table(width: int, order: int) -> np.ndarray:
    table = np.zeros((width + 1, width))
    for w in range(1, width + 1):
        table[w, :w] = savgol_delta_coefficients(w, order)
    return table


def _check_delta_params(width, order):
    if check_int("width", width, 3, hint=" (odd)") % 2 == 0:
        raise_invalid("width", "an odd int >= 3", width)
    check_int("order", order, 1)


@validate_params({})
def delta(data, *, width: int = 9, order: int = 1, axis: int = -1,
          mode: str = "interp") -> np.ndarray:
    """Delta features: a local Savitzky-Golay estimate of the derivative.

    Equals ``librosa.feature.delta(data, width=width, order=order, axis=axis)``
    (which is ``scipy.signal.savgol_filter(data, width, deriv=order,
    polyorder=order, mode="interp")``): inside, a convolution with the
    derivative coefficients of a degree-``order`` least-squares polynomial
    fit over ``width`` frames; at the edges, the derivative of the fit over
    the first (last) ``width`` frames.

    Parameters
    ----------
    data : ndarray
        Features, e.g. MFCC ``(n_mfcc, n_frames)``.
    width : int, default=9
        Odd window length in frames, ``3 <= width <= data.shape[axis]``.
    order : int, default=1
        Derivative order.
    axis : int, default=-1
        Time axis.
    mode : {"interp"}, default="interp"
        Edge handling (only librosa's default is provided).

    Returns
    -------
    ndarray, same shape as ``data``
        The ``order``-th derivative along ``axis``.

    Raises
    ------
    ValueError
        If ``width`` is even, < 3 or exceeds the number of frames, ``order < 1``,
        or ``mode`` is not ``"interp"``.

    References
    ----------
    .. [1] A. Savitzky and M. J. E. Golay, "Smoothing and differentiation of data by
       simplified least squares procedures", Analytical Chemistry 36(8), 1964.
    .. [2] S. Furui, "Speaker-independent isolated word recognition using dynamic
       features of speech spectrum", IEEE Trans. ASSP 34(1), 1986.
    .. [3] librosa ``feature.delta``,
       https://librosa.org/doc/latest/generated/librosa.feature.delta.html
    .. [4] SciPy ``scipy.signal.savgol_filter``,
       https://docs.scipy.org/doc/scipy/reference/generated/scipy.signal.savgol_filter.html

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.functional import delta
    >>> ramp = 0.5 * np.arange(12.0)   # slope 0.5 per frame
    >>> delta(ramp, width=5).round(6).tolist()   # constant, edges included
    [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
    >>> quad = 0.25 * np.arange(12.0) ** 2   # second derivative 0.5
    >>> bool(np.allclose(delta(quad, width=5, order=2), 0.5))
    True
    >>> delta(np.ones((13, 40)), axis=-1).shape   # e.g. MFCC deltas along time
    (13, 40)
    """
    _check_delta_params(width, order)
    if mode != "interp":
        raise ValueError(f"Only mode='interp' is supported, got {mode!r}.")
    data = np.asarray(data)
    if data.dtype.kind not in "iuf":
        raise ValueError(f"data must be real numeric, got dtype {data.dtype}.")
    n = data.shape[axis]
    if width > n:
        raise ValueError(
            f"when mode='interp', width={width} cannot exceed data.shape[axis]={n}; "
            "use a smaller odd width."
        )
    dt = data.dtype if data.dtype.kind == "f" else np.float64
    moved = np.moveaxis(data, axis, -1)
    flat = np.ascontiguousarray(moved.reshape(-1, n).T, dtype=dt)  # (n_frames, n_series)
    out = np.empty_like(flat)
    table = _delta_table(width, order).astype(dt)
    delta_clips(flat, np.array([0, n], dtype=np.int64), table, out)
    return np.moveaxis(out.T.reshape(moved.shape), -1, axis)


@fill_params()
@validate_params({"n_fft": [STFT["n_fft"][0], None]})
def frames_to_time(frames, *, sample_rate: float = 22050, hop_length: int = 512,
                   n_fft: int | None = None):
    """Frame index to time in seconds: ``(frames * hop_length + offset) / sample_rate``.

    With ``center=True`` (the default everywhere) frame ``t`` is centred on
    sample ``t * hop_length``, so ``n_fft=None`` (``offset = 0``) gives the
    time of the frame's centre (librosa ``frames_to_time`` with
    ``n_fft=None``). With ``center=False`` frame ``t`` spans samples
    ``[t * hop_length, t * hop_length + n_fft)``; pass its ``n_fft`` to get
    the time of its centre, ``offset = n_fft // 2`` samples (librosa's
    ``n_fft`` argument).

    Parameters
    ----------
    frames : int or array-like of int
        Frame indices.
    n_fft : int or None, default=None
        Frame length in samples of ``center=False`` frames; ``None`` for
        ``center=True`` frames.

    Returns
    -------
    ndarray or float
        Times in seconds, same shape as ``frames``.

    Examples
    --------
    >>> from sklaudio.functional import frames_to_time
    >>> frames_to_time([0, 1, 100], sample_rate=8000, hop_length=80).tolist()
    [0.0, 0.01, 1.0]
    >>> frames_to_time([0, 1], sample_rate=8000, hop_length=80, n_fft=256).tolist()
    [0.016, 0.026]
    """
    samples = np.asanyarray(frames) * hop_length
    if n_fft is not None:
        samples = samples + n_fft // 2
    return samples / float(sample_rate)
