"""Leading and trailing silence trimming (librosa ``effects.trim``).

A frame is *non-silent* when its RMS level, in dB relative to a reference,
is above ``-top_db``; the kept span runs from the first to the last
non-silent frame. The RMS frames come from the engine (one chunked pass over
all clips of a batch), so :class:`sklaudio.Trim` trims a whole batch with one
framing pass and a few vectorised NumPy operations, and :func:`trim` is the
single-signal (or multichannel) librosa-style function.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable

import numpy as np

from .._docstrings import fill_params
from .._engine import run_features
from .._params import check_framing, validate_params
from .._validation import ClipBatch
from ._core import _as_audio
from ._temporal import _time_plan, rms_spec

__all__ = ["trim"]

#: librosa ``amplitude_to_db``'s default ``amin = 1e-5`` (amplitude), applied to powers.
AMIN_POWER = 1e-10
#: librosa's ``feature.rms`` pads centred frames with zeros.
TRIM_PAD_MODE = "constant"

RefType = str | float | Callable[[np.ndarray], float]


# -- validation -------------------------------------------------------------------------------
def check_trim_params(top_db, ref, frame_length, hop_length, margin):
    """Validate the trimming parameters; return ``(top_db, ref, frame_length, hop_length, margin)``.

    ``ref`` comes back as ``"max"`` (also for ``np.max``), a positive float or
    a callable.

    Raises
    ------
    ValueError
        Naming the offending parameter.
    """
    if (isinstance(top_db, (bool, np.bool_)) or not isinstance(top_db, numbers.Real)
            or not np.isfinite(top_db)):
        raise ValueError(f"top_db must be a finite number (dB below ref), got {top_db!r}.")
    if isinstance(ref, str):
        if ref != "max":
            raise ValueError(
                f"ref must be 'max', a positive number or a callable, got {ref!r}."
            )
    elif ref is np.max or ref is np.amax:
        ref = "max"
    elif not callable(ref):
        if (isinstance(ref, (bool, np.bool_)) or not isinstance(ref, numbers.Real)
                or not np.isfinite(ref) or ref <= 0):
            raise ValueError(
                "ref must be 'max', a positive finite number (amplitude) or a callable, got "
                f"{ref!r}."
            )
        ref = float(ref)
    frame_length, hop_length = check_framing(frame_length, hop_length, True, TRIM_PAD_MODE,
                                             hop_none=False)
    if (isinstance(margin, (bool, np.bool_)) or not isinstance(margin, numbers.Integral)
            or margin < 0):
        raise ValueError(f"margin must be an integer >= 0 (samples), got {margin!r}.")
    return float(top_db), ref, frame_length, hop_length, int(margin)


def _call_ref(ref, levels: np.ndarray, where: str) -> float:
    """``ref(levels)`` as a float (a scalar >= 0), else ``ValueError``."""
    value = np.asarray(ref(levels))
    if value.size != 1 or value.dtype.kind not in "iuf":
        raise ValueError(
            f"ref returned {value!r} for {where}; a callable ref must map the RMS levels "
            f"(shape {levels.shape}) to one real number, e.g. np.max."
        )
    value = float(value.reshape(()))
    if not np.isfinite(value):
        raise ValueError(f"ref returned a non-finite value ({value}) for {where}.")
    return abs(value)


# -- shared computation ---------------------------------------------------------------------
def rms_levels(batch: ClipBatch, frame_length: int, hop_length: int, n_jobs=None):
    """Centred RMS of every frame of a batch: ``(levels (n_frames_total,), frame_offsets)``.

    Zero padding of ``frame_length // 2`` samples on both sides (librosa
    ``feature.rms`` defaults), so clip ``i`` has ``1 + n_i // hop_length``
    frames for an even ``frame_length``.
    """
    plan = _time_plan(batch, frame_length, hop_length, True, TRIM_PAD_MODE)
    out = run_features(batch, plan, [rms_spec(frame_length, batch.samples.dtype)], n_jobs)[0]
    return out[:, 0], plan.frame_offsets


def level_db(levels: np.ndarray) -> np.ndarray:
    """``10 log10(max(1e-10, levels ** 2))`` in float64 (librosa ``amplitude_to_db``)."""
    lv = levels.astype(np.float64)
    return 10.0 * np.log10(np.maximum(AMIN_POWER, lv * lv))


def ref_db(ref_value) -> np.ndarray:
    """dB of reference amplitudes, with librosa's ``amin`` clamp."""
    r = np.asarray(ref_value, dtype=np.float64)
    return 10.0 * np.log10(np.maximum(AMIN_POWER, r * r))


def spans_from_mask(mask: np.ndarray, frame_offsets: np.ndarray, lengths: np.ndarray,
                    hop_length: int, margin: int) -> tuple[np.ndarray, np.ndarray]:
    """Kept ``[start, end)`` sample span of each clip from its non-silent frames.

    ``start = hop_length * first``, ``end = min(n, hop_length * (last + 1))``
    (librosa ``effects.trim``), widened by ``margin`` on both sides and
    clipped to ``[0, n]``; ``(0, 0)`` for a clip with no non-silent frame.
    Vectorised over clips (no Python loop).
    """
    fo = np.asarray(frame_offsets, dtype=np.int64)
    lengths = np.asarray(lengths, dtype=np.int64)
    nz = np.flatnonzero(mask)
    n_clips = len(fo) - 1
    start = np.zeros(n_clips, dtype=np.int64)
    end = np.zeros(n_clips, dtype=np.int64)
    if nz.size == 0:
        return start, end
    i_first = np.searchsorted(nz, fo[:-1], side="left")
    i_last = np.searchsorted(nz, fo[1:], side="left") - 1
    ok = (i_first < nz.size) & (i_last >= 0)
    first = nz[np.minimum(i_first, nz.size - 1)]
    ok &= first < fo[1:]
    last = nz[np.maximum(i_last, 0)]
    s = (first - fo[:-1]) * hop_length
    e = np.minimum(lengths, (last - fo[:-1] + 1) * hop_length)
    if margin:
        s = np.maximum(0, s - margin)
        e = np.minimum(lengths, e + margin)
    start[ok] = s[ok]
    end[ok] = e[ok]
    return start, end


def batch_spans(batch: ClipBatch, *, top_db: float, ref, frame_length: int, hop_length: int,
                margin: int, n_jobs=None) -> tuple[np.ndarray, np.ndarray]:
    """Kept span ``(start, end)`` of every clip of a batch, each clip with its own reference.

    Parameters must already be validated (:func:`check_trim_params`).
    """
    levels, fo = rms_levels(batch, frame_length, hop_length, n_jobs)
    counts = np.diff(fo)
    if ref == "max":
        refs = np.maximum.reduceat(levels, fo[:-1]) if levels.size else np.zeros(0)
    elif callable(ref):
        refs = np.array([_call_ref(ref, levels[fo[i]:fo[i + 1]], f"clip {i}")
                         for i in range(batch.n_clips)])
    else:
        refs = np.full(batch.n_clips, ref)
    mask = level_db(levels) - np.repeat(ref_db(refs), counts) > -top_db
    return spans_from_mask(mask, fo, batch.lengths, hop_length, margin)


# -- public function -------------------------------------------------------------------------
@fill_params("frames")
@validate_params({})
def trim(y, *, top_db: float = 60.0, ref: RefType = "max", frame_length: int = 2048,
         hop_length: int = 512, margin: int = 0, n_jobs=None) -> tuple[np.ndarray, np.ndarray]:
    """Trim leading and trailing silence from a signal.

    The signal is cut into centred frames of ``frame_length`` samples every
    ``hop_length`` samples (zero padding of ``frame_length // 2`` at both
    ends, as librosa ``feature.rms``), and the RMS amplitude ``rms[t]`` of
    each frame is converted to dB relative to a reference amplitude::

        db[t] = 10 log10(max(1e-10, rms[t] ** 2)) - 10 log10(max(1e-10, ref ** 2))

    Frame ``t`` is non-silent when ``db[t] > -top_db``; for multichannel
    ``y`` when this holds in any channel (librosa's default ``aggregate=np.max``
    over channels of ``db``, with one reference for all channels). With
    ``first`` and ``last`` the first and last non-silent frames, the kept
    span is ``start = first * hop_length``,
    ``end = min(n_samples, (last + 1) * hop_length)``, then widened by
    ``margin`` samples on both sides and clipped to ``[0, n_samples]``.
    If no frame is non-silent the result is empty (``index = [0, 0]``).

    With ``margin=0`` this equals ``librosa.effects.trim(y, top_db=top_db,
    ref=np.max or ref, frame_length=frame_length, hop_length=hop_length)``
    (librosa 0.11, ``effects.trim`` and ``_signal_to_frame_nonsilent``),
    except that the RMS levels are accumulated in float64 where librosa uses
    float32, which can only matter for a frame within about 1e-6 dB of the
    threshold.

    Parameters
    ----------
    y : ndarray of shape (n_samples,) or (..., n_samples)
        Audio; every leading index is a channel, all channels are trimmed
        together. Integers are analysed as float64 (no rescaling), but the
        returned slice keeps ``y``'s dtype.
    top_db : float, default=60.0
        Threshold in dB below ``ref``: frames at or below ``ref - top_db``
        are silent. A negative value (librosa allows it) requires frames to
        be louder than ``ref + |top_db|``, useful only with a fixed ``ref``.
    ref : "max", float or callable, default="max"
        Reference amplitude (units of ``y``). ``"max"`` (or ``np.max``) is
        the largest frame RMS of the whole signal (all channels), so a
        completely silent signal is kept whole (every frame is at 0 dB). A
        positive number is a fixed amplitude (e.g. ``1.0`` for dB re full
        scale; an all-zero signal is then trimmed to nothing). A callable is
        applied, as in librosa, to the RMS levels of shape
        ``(..., n_frames)`` and must return one number.
    margin : int, default=0
        Samples kept on each side of the non-silent span (clipped to the
        signal), ``>= 0``. A sklaudio extension: librosa has no margin. An
        empty result stays empty.

    Returns
    -------
    y_trimmed : ndarray of shape (..., end - start)
        ``y[..., start:end]``, a view of ``y`` (``np.asarray(y)``).
    index : ndarray of shape (2,), int64
        ``[start, end]`` in samples.

    Raises
    ------
    ValueError
        If ``y`` is empty, not real numeric, or contains NaN or inf; if
        ``top_db`` is not finite; ``ref`` is not ``"max"``, a positive
        finite number or a callable (or the callable does not return one
        finite number); ``frame_length < 2``; ``hop_length < 1``; or
        ``margin < 0``. The message names the parameter.

    See Also
    --------
    sklaudio.Trim : The same trimming for a batch of clips, as a transformer.

    References
    ----------
    .. [1] librosa ``effects.trim``,
       https://librosa.org/doc/latest/generated/librosa.effects.trim.html

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.functional import trim
    >>> tone = np.sin(2 * np.pi * np.arange(4000) / 16)
    >>> y = np.concatenate([np.zeros(3000), tone, np.zeros(3000)])
    >>> y_trimmed, index = trim(y, top_db=40, frame_length=256, hop_length=64)
    >>> index.tolist(), y_trimmed.shape
    ([2880, 7168], (4288,))
    >>> trim(y, top_db=40, frame_length=256, hop_length=64, margin=100)[1].tolist()
    [2780, 7268]
    """
    top_db, ref, frame_length, hop_length, margin = check_trim_params(
        top_db, ref, frame_length, hop_length, margin)
    batch, lead = _as_audio(y)
    a = np.asarray(y)
    n = a.shape[-1]
    levels, fo = rms_levels(batch, frame_length, hop_length, n_jobs)
    T = int(fo[1] - fo[0])
    if ref == "max":
        ref_value = float(levels.max())
    elif callable(ref):
        ref_value = _call_ref(ref, levels.reshape(*lead, T), "y")
    else:
        ref_value = ref
    db = level_db(levels) - ref_db(ref_value)
    mask = (db > -top_db).reshape(-1, T).any(axis=0)
    start, end = spans_from_mask(mask, np.array([0, T]), np.array([n]), hop_length, margin)
    s, e = int(start[0]), int(end[0])
    return a[..., s:e], np.asarray([s, e])
