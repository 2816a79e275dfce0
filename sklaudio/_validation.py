"""Turn any accepted form of ``X`` into one clip batch.

Accepted forms
--------------
* a 2-D numeric array ``(n_clips, n_samples)`` (NumPy array, or anything
  ``np.asarray`` turns into one, e.g. a pandas DataFrame);
* a sequence (list, tuple, 1-D object array, pandas Series) of 1-D numeric
  arrays of any lengths;
* a single 1-D numeric array is *not* accepted as a batch (it is ambiguous:
  one clip or many one-sample clips); wrap it in a list.

Whatever the form, the result is a :class:`ClipBatch`: one contiguous flat
sample buffer plus clip offsets, so a Numba loop can walk all clips without a
Python loop per clip. Clips are never NaN-padded.

Copies and passes
-----------------
The samples are copied only when they must be: a C-contiguous 2-D array of
the target float dtype, a single 1-D clip of that dtype (contiguous), or
clips that are adjacent views into one buffer are used in place (the batch
is read-only for everything downstream). Otherwise one flat buffer is
filled once (``np.concatenate`` with the cast). Finiteness is then checked
in one vectorised pass over the samples as the engine will read them
(:func:`sklaudio._kernels.stft.nonfinite_rows` /
:func:`~sklaudio._kernels.stft.nonfinite_segments`, no temporary array), so a
float64 value beyond float32's range is caught after the cast; integer
samples are always finite and not checked.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from ._kernels.stft import nonfinite_rows, nonfinite_segments
from ._params import raise_invalid

__all__ = ["ClipBatch", "NonNumericClipError", "check_clips", "resolve_dtype"]


class NonNumericClipError(ValueError, TypeError):
    """A clip holds non-numeric objects.

    A ``ValueError`` (like every invalid clip) and also a ``TypeError``, which
    is what scikit-learn raises for object arrays that hold non-numbers.
    """

_MAX_LISTED = 10


@dataclass(frozen=True)
class ClipBatch:
    """Clips stored as one flat buffer plus offsets.

    Attributes
    ----------
    samples : ndarray of shape (total_samples,)
        All clips, one after another, in float32 or float64.
    offsets : ndarray of shape (n_clips + 1,), int64
        Clip ``i`` is ``samples[offsets[i]:offsets[i + 1]]``.
    """

    samples: np.ndarray
    offsets: np.ndarray

    @property
    def n_clips(self) -> int:
        return len(self.offsets) - 1

    @property
    def lengths(self) -> np.ndarray:
        return np.diff(self.offsets)

    def clip(self, i: int) -> np.ndarray:
        return self.samples[self.offsets[i] : self.offsets[i + 1]]

    @classmethod
    def from_2d(cls, X: np.ndarray) -> "ClipBatch":
        """Batch of equal-length clips, without copying a C-contiguous ``X``."""
        n, m = X.shape
        return cls(np.ascontiguousarray(X).reshape(-1), np.arange(n + 1, dtype=np.int64) * m)


def resolve_dtype(dtype) -> np.dtype:
    """Return float32 or float64 for a ``dtype`` parameter, else raise ``ValueError``."""
    try:
        dt = np.dtype(dtype)
    except TypeError:
        dt = None
    if dt not in (np.float32, np.float64):
        raise_invalid("dtype", '"float32" or "float64"', dtype)
    return dt


def _describe(bad: list[tuple[int, str]], total: int) -> str:
    lines = [f"  clip {i}: {why}" for i, why in bad[:_MAX_LISTED]]
    if len(bad) > _MAX_LISTED:
        lines.append(f"  ... and {len(bad) - _MAX_LISTED} more")
    return f"{len(bad)} of {total} clips are invalid:\n" + "\n".join(lines)


def _as_numeric_1d(x, i: int):
    """Return ``(array, None)`` or ``(None, reason)`` for one clip."""
    if isinstance(x, (str, bytes)) or hasattr(x, "__fspath__"):
        return None, (
            f"got a file path {str(x)!r} instead of samples; load files with "
            "sklaudio.io.AudioLoader (e.g. Pipeline([('load', AudioLoader(sample_rate=...)), ...]))"
        )
    if isinstance(x, numbers.Number) and not isinstance(x, bool):
        return None, "got a scalar; each clip must be a 1-D array of samples"
    try:
        a = np.asarray(x)
    except Exception as exc:  # noqa: BLE001 - report any conversion failure
        return None, f"could not be converted to an array ({exc})"
    if a.dtype == object:
        try:
            a = a.astype(np.float64)
        except (TypeError, ValueError) as exc:
            return None, f"contains non-numeric values ({exc}); clips must hold numbers"
    if a.dtype.kind == "b":
        return None, "has boolean dtype; clips must hold numbers"
    if a.dtype.kind == "c":
        return None, "has complex dtype (Complex data not supported); clips must be real-valued"
    if a.dtype.kind not in "iuf":
        return None, f"contains non-numeric values (dtype {a.dtype}); clips must hold numbers"
    if a.ndim != 1:
        return None, (
            f"has shape {a.shape}; each clip must be 1-D (mix multichannel audio "
            "down to mono, or pass channels as separate clips)"
        )
    return a, None


def check_clips(X, dtype=np.float32, *, min_length: int = 1) -> ClipBatch:
    """Validate ``X`` and return it as a :class:`ClipBatch`.

    Parameters
    ----------
    X : array-like of shape (n_clips, n_samples) or sequence of 1-D arrays
        The clips. Integer samples are cast to float (no rescaling).
    dtype : {np.float32, np.float64}
        Floating type of the returned buffer.
    min_length : int, default=1
        Minimum number of samples per clip.

    Returns
    -------
    ClipBatch
        Its ``samples`` are ``X``'s own memory, not a copy, when ``X`` is a
        C-contiguous 2-D array of ``dtype``, a single contiguous clip of
        ``dtype``, or adjacent contiguous views into one buffer (see the
        module docstring); treat them as read-only.

    Raises
    ------
    ValueError
        If ``X`` holds no clips, a clip is empty or shorter than
        ``min_length``, contains NaN or inf (or, with ``dtype=float32``,
        values beyond float32's range), is not 1-D (arrays of 3 or more
        dimensions), or holds non-numeric values. The message names every
        offending clip index (up to ten) and the fix.
    TypeError
        If ``X`` is not array-like at all (e.g. a scalar, a string or a dict).
    """
    dtype = resolve_dtype(dtype)
    if X is None or isinstance(X, (str, bytes, dict, numbers.Number)) or hasattr(X, "__fspath__"):
        raise TypeError(
            "X must be a 2-D array (n_clips, n_samples) or a sequence of 1-D sample "
            f"arrays, got {type(X).__name__}. For file paths use sklaudio.io.AudioLoader."
        )
    # Fast path: a rectangular numeric array.
    arr = None
    if isinstance(X, np.ndarray) and X.dtype != object:
        arr = X
    elif hasattr(X, "__array__") and not isinstance(X, (list, tuple)) and not hasattr(X, "dtypes"):
        arr = np.asarray(X)
        if arr.dtype == object:
            arr = None
    elif hasattr(X, "to_numpy") and hasattr(X, "columns"):  # pandas DataFrame
        arr = X.to_numpy()
        if arr.dtype == object:
            try:
                arr = arr.astype(np.float64)
            except (TypeError, ValueError) as exc:
                raise ValueError(
                    f"X contains non-numeric values ({exc}); clips must hold numbers."
                ) from exc
    if arr is not None:
        if arr.dtype.kind == "c":
            raise ValueError("Complex data not supported: audio clips must be real-valued.")
        if arr.dtype.kind not in "iuf":
            raise ValueError(
                f"X has dtype {arr.dtype}; clips must hold real numbers (int or float)."
            )
        if arr.ndim != 2:
            if arr.ndim == 1:
                raise ValueError(
                    f"Reshape your data: X is 1-D with shape {arr.shape}, expected a batch "
                    "of clips. Pass one "
                    "clip as X[np.newaxis] or [clip], or several as a list of 1-D arrays."
                )
            raise ValueError(
                f"X has {arr.ndim} dimensions {arr.shape}; expected (n_clips, n_samples) or "
                "a sequence of 1-D clips. Mix multichannel audio down to mono first."
            )
        if arr.shape[0] == 0:
            raise ValueError("X holds no clips (n_clips == 0); pass at least one clip.")
        if arr.shape[1] < max(1, min_length):
            raise ValueError(
                f"All {arr.shape[0]} clips have {arr.shape[1]} samples: found "
                f"{arr.shape[1]} feature(s) (shape={arr.shape}) while a minimum of "
                f"{max(1, min_length)} is required. Pass non-empty clips."
            )
        with np.errstate(over="ignore"):  # float32 overflow is reported below
            out = np.asarray(arr, dtype=dtype, order="C")  # no copy when already so
        if arr.dtype.kind == "f":  # integers are always finite
            bad_rows = np.zeros(out.shape[0], dtype=np.bool_)
            if nonfinite_rows(out, bad_rows):
                bad = [(int(i), _nonfinite_reason(arr[i], dtype))
                       for i in np.flatnonzero(bad_rows)]
                raise ValueError(_describe(bad, out.shape[0]))
        return ClipBatch.from_2d(out)

    # Sequence of clips.
    try:
        items = list(X)
    except TypeError as exc:
        raise TypeError(
            f"X must be a 2-D array or a sequence of 1-D arrays, got {type(X).__name__}."
        ) from exc
    if len(items) == 0:
        raise ValueError("X holds no clips (empty sequence); pass at least one clip.")
    clips: list[np.ndarray] = []
    bad: list[tuple[int, str]] = []
    for i, x in enumerate(items):
        a, why = _as_numeric_1d(x, i)
        if why is None:
            if a.shape[0] == 0:
                why = "is empty (0 samples); drop it or pad it"
            elif a.shape[0] < min_length:
                why = f"has {a.shape[0]} samples; at least {min_length} are needed"
        if why is not None:
            bad.append((i, why))
        else:
            clips.append(a)
    if bad:
        if all("non-numeric" in why for _, why in bad):
            raise NonNumericClipError(_describe(bad, len(items)))
        # list the non-finite clips too (all problems at once)
        valid = sorted(set(range(len(items))) - {i for i, _ in bad})
        for i, c in zip(valid, clips):
            with np.errstate(over="ignore"):
                if c.dtype.kind == "f" and _has_nonfinite(np.asarray(c, dtype=dtype)):
                    bad.append((i, _nonfinite_reason(c, dtype)))
        raise ValueError(_describe(sorted(bad), len(items)))
    lengths = np.fromiter((c.shape[0] for c in clips), dtype=np.int64, count=len(clips))
    offsets = np.zeros(len(clips) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    samples = _shared_buffer(clips, dtype)
    if samples is None:
        with np.errstate(over="ignore"):  # float32 overflow is reported below
            samples = np.concatenate(clips, dtype=dtype, casting="same_kind")
    # one pass over the samples as used (after any cast: also catches float32 overflow)
    bad_clips = np.zeros(len(clips), dtype=np.bool_)
    if any(c.dtype.kind == "f" for c in clips) and nonfinite_segments(samples, offsets,
                                                                     bad_clips):
        # every clip is valid here, so item i is clips[i]
        raise ValueError(_describe([(int(i), _nonfinite_reason(clips[i], dtype))
                                    for i in np.flatnonzero(bad_clips)], len(items)))
    return ClipBatch(samples, offsets)


def _has_nonfinite(a: np.ndarray) -> bool:
    """Whether the 1-D float array ``a`` holds a NaN or an infinity (one pass, no temporary)."""
    flag = np.zeros(1, dtype=np.bool_)
    return bool(nonfinite_rows(a[np.newaxis], flag))


def _nonfinite_reason(source: np.ndarray, dtype: np.dtype) -> str:
    """Why a clip is non-finite in ``dtype``: NaN/inf in the source, or float32 overflow."""
    src = np.asarray(source)
    if src.dtype.kind == "f" and src.dtype.itemsize > np.dtype(dtype).itemsize and not (
            _has_nonfinite(np.ascontiguousarray(src))):
        return "has values beyond float32's range; use dtype='float64' or rescale"
    return "contains NaN or inf; clean or drop it first"


def _shared_buffer(clips: list[np.ndarray], dtype: np.dtype) -> np.ndarray | None:
    """The clips as one flat array without copying, or None if that needs a copy.

    Possible when every clip already has ``dtype`` and unit stride and they
    lie back to back in one buffer (a single clip, or consecutive slices of
    one array); the result is a view of that buffer.
    """
    first = clips[0]
    if len(clips) == 1:
        return first if first.dtype == dtype and first.flags.c_contiguous else None
    if first.dtype != dtype or not first.flags.c_contiguous:
        return None
    base = first if first.base is None else first.base
    addr = first.__array_interface__["data"][0]
    for c in clips:  # stops at the first clip that is not adjacent
        if (c.__array_interface__["data"][0] != addr or c.dtype != dtype
                or not c.flags.c_contiguous or (c.base if c.base is not None else c) is not base):
            return None
        addr += c.nbytes
    total = sum(c.shape[0] for c in clips)
    return np.lib.stride_tricks.as_strided(first, shape=(total,), strides=(dtype.itemsize,),
                                           writeable=False)
