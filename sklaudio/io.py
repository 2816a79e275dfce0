"""Read audio files into NumPy arrays.

:func:`load` reads one file with `soundfile <https://python-soundfile.readthedocs.io>`_
(libsndfile: WAV, FLAC, OGG/Vorbis, AIFF and, with libsndfile >= 1.1, MP3),
optionally mixes it down to mono and resamples it with
`soxr <https://python-soxr.readthedocs.io>`_. :class:`AudioLoader` wraps it as a
scikit-learn transformer that turns a sequence of file paths into a list of
clips, so decoding can be the first step of a :class:`~sklearn.pipeline.Pipeline`.

Arrays follow librosa's orientation: a mono clip has shape ``(n_samples,)``, a
multichannel clip ``(n_channels, n_samples)``.
"""

from __future__ import annotations

import numbers
import os
from collections.abc import Iterable, Mapping, Set
from typing import Any, Union

import numpy as np
import soundfile as sf
import soxr
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from ._base import ClipsOutputMixin
from ._deprecation import deprecate_positional_args
from ._params import (
    NONNEGATIVE_INT,
    POOLING,
    Satisfies,
    check_bool,
    raise_invalid,
    validate_estimator_params,
)
from ._validation import resolve_dtype

__all__ = ["load", "AudioLoader"]

PathLike = Union[str, "os.PathLike[str]"]

_RESAMPLE_QUALITY = "HQ"


class _LoadError(Exception):
    """Internal: why one file failed, without the path (added by the caller).

    ``kind`` is the exception class the public API raises for it.
    """

    def __init__(self, kind: type[Exception], reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


# ---------------------------------------------------------------------------
# Parameter validation
# ---------------------------------------------------------------------------


def _check_sample_rate(sample_rate: Any) -> int | None:
    """``None``, or a positive integral number of Hz (``16000`` or ``16000.0``) as an int."""
    if sample_rate is None:
        return None
    if (
        isinstance(sample_rate, (bool, np.bool_))
        or not isinstance(sample_rate, numbers.Real)
        or not np.isfinite(sample_rate)
        or sample_rate <= 0
        or sample_rate != int(sample_rate)
    ):
        raise_invalid("sample_rate", "None (keep each file's rate) or an integral number of "
                      "Hz > 0 (e.g. 16000 or 16000.0)", sample_rate)
    return int(sample_rate)


def _check_seconds(value: Any, name: str, allow_none: bool) -> float | None:
    if value is None and allow_none:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number of seconds, got {value!r}.")
    value = float(value)
    if not np.isfinite(value) or value < 0 or (name == "duration" and value == 0):
        bound = "> 0" if name == "duration" else ">= 0"
        raise ValueError(f"{name} must be a finite number of seconds {bound}, got {value!r}.")
    return value





def _as_path(path: Any) -> str:
    """Return ``path`` as ``str`` or raise ``TypeError``."""
    if isinstance(path, (str, os.PathLike)):
        p = os.fspath(path)
        if isinstance(p, str):
            return p
    raise TypeError(
        f"Expected a file path (str or os.PathLike), got {type(path).__name__} {_short_repr(path)}."
    )


def _short_repr(obj: Any, limit: int = 60) -> str:
    r = repr(obj)
    return r if len(r) <= limit else r[: limit - 3] + "..."


# ---------------------------------------------------------------------------
# Decoding
# ---------------------------------------------------------------------------


def _sndfile_reason(exc: Exception) -> str:
    detail = getattr(exc, "error_string", None) or str(exc)
    return (
        f"libsndfile could not decode it ({detail.strip()}). The file is corrupt, truncated, "
        "or not in a format libsndfile supports (WAV, FLAC, OGG/Vorbis, AIFF, MP3 with "
        "libsndfile >= 1.1); convert it, e.g. with ffmpeg, to WAV or FLAC."
    )


def _read(
    path: str,
    sample_rate: int | None,
    mono: bool,
    dtype: np.dtype,
    offset: float,
    duration: float | None,
) -> tuple[np.ndarray, int]:
    """Decode one file; raise :class:`_LoadError` for file problems.

    Parameters must already be validated.
    """
    if not os.path.exists(path):
        where = (
            "" if os.path.isabs(path) else f" (relative to the working directory {os.getcwd()!r})"
        )
        raise _LoadError(FileNotFoundError, f"no such file{where}; check the path.")
    if os.path.isdir(path):
        raise _LoadError(ValueError, "it is a directory, not an audio file.")
    if not os.access(path, os.R_OK):
        raise _LoadError(PermissionError, "permission denied; make the file readable.")
    try:
        with sf.SoundFile(path) as f:
            sr = int(f.samplerate)
            n_frames = f.frames
            start = int(round(offset * sr))
            if n_frames == 0:
                raise _LoadError(ValueError, "the file contains no audio samples (0 frames).")
            if start >= n_frames:
                raise _LoadError(
                    ValueError,
                    f"offset={offset} s is at or past the end of the file "
                    f"({n_frames / sr:.3f} s long); use a smaller offset.",
                )
            n_read = n_frames - start
            if duration is not None:
                n_read = min(n_read, max(1, int(round(duration * sr))))
            if start:
                f.seek(start)
            data = f.read(n_read, dtype=dtype.name, always_2d=True)
    except _LoadError:
        raise
    except (sf.LibsndfileError, RuntimeError) as exc:  # LibsndfileError subclasses RuntimeError
        raise _LoadError(ValueError, _sndfile_reason(exc)) from exc

    if data.shape[0] == 0:
        raise _LoadError(ValueError, "no audio samples could be read (0 frames decoded).")

    # data has shape (n_frames, n_channels)
    if mono:
        y = data[:, 0] if data.shape[1] == 1 else data.mean(axis=1, dtype=dtype)
    else:
        y = data
    if sample_rate is not None and sample_rate != sr:
        y = soxr.resample(y, sr, sample_rate, quality=_RESAMPLE_QUALITY)
        if y.shape[0] == 0:
            raise _LoadError(
                ValueError,
                f"it is too short ({data.shape[0]} samples at {sr} Hz) to resample to "
                f"{sample_rate} Hz.",
            )
        sr = sample_rate
    y = np.ascontiguousarray(y if mono else y.T, dtype=dtype)
    return y, sr


def load(
    path: PathLike,
    sample_rate: int | None = None,
    mono: bool = True,
    dtype: Any = np.float32,
    offset: float = 0.0,
    duration: float | None = None,
) -> tuple[np.ndarray, int]:
    """Read an audio file into a floating-point array.

    Parameters
    ----------
    path : str or os.PathLike
        Audio file in any format libsndfile reads (WAV, FLAC, OGG/Vorbis,
        AIFF; MP3 with libsndfile >= 1.1).
    sample_rate : int or None, default=None
        Target sample rate in Hz. ``None`` keeps the file's rate. Otherwise
        the signal is resampled with soxr (``quality="HQ"``) when the file's
        rate differs.
    mono : bool, default=True
        Mix all channels down to one by averaging them.
    dtype : {np.float32, np.float64, "float32", "float64"}, default=np.float32
        Floating-point type of the output. Samples of integer PCM files are
        scaled to [-1, 1).
    offset : float, default=0.0
        Start reading this many seconds into the file (at the file's rate).
    duration : float or None, default=None
        Read at most this many seconds (at the file's rate). ``None`` reads to
        the end of the file.

    Returns
    -------
    y : ndarray of shape (n_samples,) or (n_channels, n_samples)
        The signal, C-contiguous, of type ``dtype``. Shape ``(n_samples,)``
        when ``mono=True``, else ``(n_channels, n_samples)`` (librosa's
        orientation; a mono file then has ``n_channels=1``).
    sr : int
        Sample rate of ``y`` in Hz: ``sample_rate`` if given, else the file's.

    Raises
    ------
    TypeError
        If ``path`` is not a ``str`` or ``os.PathLike``.
    FileNotFoundError
        If ``path`` does not exist. The message names the path.
    ValueError
        If the file cannot be decoded (corrupt, truncated, not audio, or a
        directory), holds no samples, ``offset`` lies past its end, or a
        parameter is invalid. The message names the path and the problem.
    PermissionError
        If the file cannot be read for lack of permission.

    See Also
    --------
    AudioLoader : The same as a scikit-learn transformer over many paths.

    Examples
    --------
    >>> from sklaudio.io import load
    >>> y, sr = load("7_jackson_32.wav")  # doctest: +SKIP
    >>> y.shape, y.dtype, sr  # doctest: +SKIP
    ((4301,), dtype('float32'), 8000)
    >>> y16, sr16 = load("7_jackson_32.wav", sample_rate=16000)  # doctest: +SKIP
    """
    p = _as_path(path)
    sample_rate = _check_sample_rate(sample_rate)
    mono = check_bool("mono", mono)
    dt = resolve_dtype(dtype)
    offset = _check_seconds(offset, "offset", allow_none=False)
    duration = _check_seconds(duration, "duration", allow_none=True)
    try:
        return _read(p, sample_rate, mono, dt, offset, duration)
    except _LoadError as err:
        raise err.kind(f"Cannot load audio file {p!r}: {err.reason}") from err.__cause__


# ---------------------------------------------------------------------------
# Many files
# ---------------------------------------------------------------------------


def _as_path_list(X: Any) -> list[str]:
    """Validate a sequence of paths; raise ``TypeError`` naming the bad index."""
    if isinstance(X, (str, bytes, os.PathLike)):
        raise TypeError(
            f"X must be a sequence of file paths, got a single {type(X).__name__} "
            f"{_short_repr(X)}; wrap it in a list: [path]."
        )
    if isinstance(X, (Mapping, Set)):
        raise TypeError(
            f"X must be an ordered sequence of file paths (list, tuple, 1-D array, pandas "
            f"Series), got a {type(X).__name__}, whose order is not defined."
        )
    shape = getattr(X, "shape", None)
    if shape is not None and len(shape) != 1:
        hint = (
            " For a pandas DataFrame, select the column of paths, e.g. df['path']."
            if hasattr(X, "columns")
            else ""
        )
        raise TypeError(
            f"X must be a 1-D sequence of file paths, got an array of shape {tuple(shape)}. "
            "AudioLoader reads files; pass decoded audio arrays directly to the feature "
            f"transformers instead.{hint}"
        )
    if not isinstance(X, Iterable):
        raise TypeError(
            f"X must be a sequence of file paths (list, tuple, 1-D array, pandas Series), "
            f"got {type(X).__name__}."
        )
    items = list(X)
    paths = []
    for i, item in enumerate(items):
        if isinstance(item, (str, os.PathLike)):
            p = os.fspath(item)
            if isinstance(p, str):
                paths.append(p)
                continue
        raise TypeError(
            f"X[{i}] must be a file path (str or os.PathLike), got {type(item).__name__} "
            f"{_short_repr(item)}. AudioLoader reads files; pass decoded audio arrays directly "
            "to the feature transformers instead."
        )
    return paths


def _read_or_error(path, sample_rate, mono, dtype):
    try:
        return _read(path, sample_rate, mono, dtype, 0.0, None)
    except _LoadError as err:
        return err


def _load_many(
    paths: list[str],
    sample_rate: int | None,
    mono: bool,
    dtype: np.dtype,
    n_jobs: int | None,
    verbose: bool | int,
    desc: str = "Decoding audio",
) -> tuple[list[np.ndarray], int | None]:
    """Decode ``paths`` in parallel (threads); all-or-nothing.

    Returns the clips and their common sample rate (``None`` if ``paths`` is
    empty). Raises one ``FileNotFoundError`` (every failure is a missing
    file) or ``ValueError`` naming every failing file, or ``ValueError`` if
    ``sample_rate`` is None and the files' rates differ.
    """
    if not paths:
        return [], sample_rate
    tasks = (delayed(_read_or_error)(p, sample_rate, mono, dtype) for p in paths)
    parallel = Parallel(n_jobs=n_jobs, prefer="threads", return_as="generator")
    results = parallel(tasks)
    if verbose:
        from tqdm.auto import tqdm

        results = tqdm(results, total=len(paths), desc=desc, unit="file")
    results = list(results)

    failures = [(i, paths[i], r) for i, r in enumerate(results) if isinstance(r, _LoadError)]
    if failures:
        kinds = {r.kind for _, _, r in failures}
        kind = FileNotFoundError if kinds == {FileNotFoundError} else ValueError
        lines = [f"  X[{i}] {p!r}: {r.reason}" for i, p, r in failures]
        exc = kind(
            f"Could not load {len(failures)} of {len(paths)} audio files; nothing was "
            "returned. Failing files:\n" + "\n".join(lines)
        )
        exc.failures = [(i, p) for i, p, _ in failures]  # type: ignore[attr-defined]
        raise exc

    clips = [y for y, _ in results]
    rates = [sr for _, sr in results]
    distinct = sorted(set(rates))
    if len(distinct) > 1:
        examples = []
        for rate in distinct:
            i = rates.index(rate)
            examples.append(f"  {rates.count(rate)} file(s) at {rate} Hz, e.g. X[{i}] {paths[i]!r}")
        raise ValueError(
            "The audio files have different sample rates and sample_rate=None keeps each "
            "file's rate, so the clips would not be comparable:\n" + "\n".join(examples) + "\n"
            "Pass sample_rate=<Hz> (e.g. sample_rate=16000) to resample every file to one rate."
        )
    return clips, distinct[0]


class AudioLoader(ClipsOutputMixin, TransformerMixin, BaseEstimator):
    """Decode audio files into a list of clips.

    A stateless transformer that maps a sequence of file paths to a list of
    floating-point signals, one per path, so that reading files can be the
    first step of a :class:`~sklearn.pipeline.Pipeline`. Files are decoded
    with :func:`load` in parallel threads (libsndfile and soxr release the
    GIL).

    Parameters
    ----------
    sample_rate : int, float or None, default=None
        Resample every file to this rate in Hz, an integral number such as
        ``16000`` or ``16000.0`` (soxr, ``quality="HQ"``).
        ``None`` keeps the files' own rate; all files of one ``transform``
        call must then share it, else a ``ValueError`` is raised. The rate is
        not stored on the estimator: pass it explicitly when later steps need
        it.
    mono : bool, default=True
        Average all channels to one. Output clips then have shape
        ``(n_samples,)``, else ``(n_channels, n_samples)``.
    dtype : {"float32", "float64"}, default="float32"
        Floating-point type of the clips.
    n_jobs : int or None, default=None
        Number of threads used to decode files, as in :class:`joblib.Parallel`
        (``None`` means 1 unless in a :func:`joblib.parallel_config` context,
        ``-1`` means all processors).
    verbose : bool, default=False
        Show a tqdm progress bar while decoding.

    Attributes
    ----------
    is_fitted_ : bool
        ``True`` once :meth:`fit` has validated the parameters. Nothing is
        learned from the data.

    See Also
    --------
    load : Read one file.

    Notes
    -----
    The output is a ragged Python list, not an array: clips have different
    lengths and are never padded. If any file fails, one error names every
    failing file (with its index in ``X``) and no partial result is returned.

    Examples
    --------
    >>> from sklaudio.io import AudioLoader
    >>> paths = ["0_jackson_0.wav", "1_jackson_0.wav"]
    >>> clips = AudioLoader(sample_rate=16000).fit_transform(paths)  # doctest: +SKIP
    >>> len(clips), clips[0].dtype, clips[0].ndim  # doctest: +SKIP
    (2, dtype('float32'), 1)

    As the first step of a pipeline, so that ``fit`` and ``predict`` take
    file paths:

    >>> from sklearn.pipeline import make_pipeline
    >>> pipe = make_pipeline(AudioLoader(), features, classifier)  # doctest: +SKIP
    >>> pipe.fit(train_paths, y_train).predict(test_paths)  # doctest: +SKIP
    """

    _parameter_constraints = {
        "sample_rate": [Satisfies(_check_sample_rate, "an integral number of Hz > 0"), None],
        "mono": ["boolean"],
        "dtype": POOLING["dtype"],
        "n_jobs": POOLING["n_jobs"],
        "verbose": ["boolean", NONNEGATIVE_INT],
    }

    @deprecate_positional_args
    def __init__(
        self,
        *,
        sample_rate: int | None = None,
        mono: bool = True,
        dtype: str = "float32",
        n_jobs: int | None = None,
        verbose: bool = False,
    ) -> None:
        self.sample_rate = sample_rate
        self.mono = mono
        self.dtype = dtype
        self.n_jobs = n_jobs
        self.verbose = verbose

    def _validated_params(self) -> tuple[int | None, bool, np.dtype]:
        validate_estimator_params(self)
        return _check_sample_rate(self.sample_rate), bool(self.mono), resolve_dtype(self.dtype)

    def fit(self, X: Any, y: Any = None) -> "AudioLoader":
        """Validate the parameters and the form of ``X``; read no file.

        Parameters
        ----------
        X : sequence of str or os.PathLike of length n_files
            Paths of audio files (list, tuple, 1-D array, pandas Series).
        y : None
            Ignored.

        Returns
        -------
        self : AudioLoader
            The fitted loader.

        Raises
        ------
        ValueError
            If a parameter is invalid.
        TypeError
            If ``X`` is not a 1-D sequence of paths; the message names the
            first offending index.
        """
        self._validated_params()
        _as_path_list(X)
        self.is_fitted_ = True
        return self

    def transform(self, X: Any) -> list[np.ndarray]:
        """Decode every file of ``X``.

        Parameters
        ----------
        X : sequence of str or os.PathLike of length n_files
            Paths of audio files (list, tuple, 1-D array, pandas Series). An
            empty sequence gives an empty list.

        Returns
        -------
        clips : list of length n_files of ndarray
            ``clips[i]`` is file ``X[i]``, of shape ``(n_samples_i,)`` if
            ``mono`` else ``(n_channels_i, n_samples_i)``, of type ``dtype``.

        Raises
        ------
        sklearn.exceptions.NotFittedError
            If called before :meth:`fit`.
        TypeError
            If ``X`` is not a 1-D sequence of paths; the message names the
            first offending index.
        FileNotFoundError
            If files are missing (and no file failed for another reason). The
            message lists every missing file with its index.
        ValueError
            If files cannot be decoded (the message lists every failing file
            with its index and reason), or ``sample_rate=None`` and the files'
            rates differ, or a parameter is invalid.
        """
        check_is_fitted(self)
        sample_rate, mono, dtype = self._validated_params()
        paths = _as_path_list(X)
        clips, _ = _load_many(paths, sample_rate, mono, dtype, self.n_jobs, self.verbose)
        return clips

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.one_d_array = True
        tags.input_tags.two_d_array = False
        tags.transformer_tags.preserves_dtype = []
        return tags
