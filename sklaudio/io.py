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
from collections.abc import Iterable, Iterator, Mapping, Set
from typing import Any, NamedTuple, Union

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

__all__ = ["load", "AudioLoader", "find_audio_files", "iter_transform_files", "transform_files",
           "FileBatch", "TransformedFiles"]

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


# ---------------------------------------------------------------------------
# Files through a fitted transformer, in batches
# ---------------------------------------------------------------------------

#: File name endings :func:`find_audio_files` takes from directories (case-insensitive):
#: the formats libsndfile reads.
AUDIO_EXTENSIONS = (".wav", ".wave", ".flac", ".ogg", ".oga", ".opus", ".mp3", ".aiff",
                    ".aif", ".aifc", ".au", ".snd", ".caf", ".w64", ".rf64")


def find_audio_files(paths: Iterable[PathLike] | PathLike,
                     extensions: Iterable[str] = AUDIO_EXTENSIONS) -> list[str]:
    """Expand files and directories into a list of audio file paths.

    Parameters
    ----------
    paths : str, os.PathLike or iterable of them
        Files and directories. A file is kept as given, whatever its name
        (a missing one too: it fails when it is read, with the reason).
        A directory is searched recursively, in sorted order, for files whose
        name ends with one of ``extensions``; hidden files and directories
        (names starting with ``"."``, such as macOS ``._name.wav`` forks) are
        skipped.
    extensions : iterable of str, default=AUDIO_EXTENSIONS
        Name endings, compared case-insensitively (``".wav"``, ``".flac"``,
        ...).

    Returns
    -------
    list of str
        The files in the order given (each directory's files sorted), each
        path once.

    Raises
    ------
    TypeError
        If an item is not a ``str`` or ``os.PathLike``.

    Examples
    --------
    >>> from sklaudio.io import find_audio_files
    >>> find_audio_files(["recordings/"])[:2]  # doctest: +SKIP
    ['recordings/0_george_0.wav', 'recordings/0_george_1.wav']
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    ends = tuple(e.lower() for e in extensions)
    out: list[str] = []
    seen: set[str] = set()

    def add(p: str) -> None:
        key = os.path.normpath(p)
        if key not in seen:
            seen.add(key)
            out.append(p)

    for item in paths:
        p = _as_path(item)
        if not os.path.isdir(p):
            add(p)
            continue
        for root, dirs, files in os.walk(p):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if not name.startswith(".") and name.lower().endswith(ends):
                    add(os.path.join(root, name))
    return out


class FileBatch(NamedTuple):
    """One batch of files through a transformer (see :func:`iter_transform_files`).

    Parameters
    ----------
    paths : list of str
        The files transformed, in input order.
    features : ndarray of shape (len(paths), n_features_out)
        Their features, one row per file.
    failures : list of (str, str)
        ``(path, reason)`` of every file of the batch that failed.
    """

    paths: list[str]
    features: np.ndarray
    failures: list[tuple[str, str]]


class TransformedFiles(NamedTuple):
    """Features of many files (see :func:`transform_files`).

    Parameters
    ----------
    features : ndarray of shape (n_files_ok, n_features_out)
        One row per file of ``paths``.
    paths : list of str
        The files that were read and transformed, in input order.
    failures : list of (str, str)
        ``(path, reason)`` of every file that failed.
    """

    features: np.ndarray
    paths: list[str]
    failures: list[tuple[str, str]]


def _single_param(est, name):
    """The value of parameter ``name`` (also nested, ``step__name``) if exactly one is set."""
    try:
        params = est.get_params(deep=True)
    except Exception:  # noqa: BLE001 - not an estimator: no such parameter
        return None
    values = {repr(v): v for k, v in params.items()
              if (k == name or k.endswith("__" + name)) and v is not None}
    return next(iter(values.values())) if len(values) == 1 else None


def _with_n_jobs(est, n_jobs):
    """A copy of the fitted ``est`` whose ``n_jobs`` parameters (nested too) are ``n_jobs``."""
    import copy

    try:
        keys = [k for k in est.get_params(deep=True) if k == "n_jobs" or k.endswith("__n_jobs")]
    except Exception:  # noqa: BLE001 - not an estimator
        return est
    if not keys:
        return est
    est = copy.deepcopy(est)
    est.set_params(**dict.fromkeys(keys, n_jobs))
    return est


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _transform_batch(est, paths, sample_rate, dtype) -> FileBatch:
    """Read ``paths`` and transform the readable ones in one call; failures per file."""
    clips, ok, failures = [], [], []
    for p in paths:
        try:
            y, _ = _read(p, sample_rate, True, dtype, 0.0, None)
        except _LoadError as err:
            failures.append((p, err.reason))
            continue
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the others
            failures.append((p, _reason(exc)))
            continue
        clips.append(y)
        ok.append(p)
    if not clips:
        return FileBatch([], np.empty((0, 0), dtype=dtype), failures)
    try:
        X = np.asarray(est.transform(clips))
    except Exception:  # noqa: BLE001 - find the clip(s) at fault one by one
        rows, kept = [], []
        for p, y in zip(ok, clips):
            try:
                rows.append(np.asarray(est.transform([y]))[0])
                kept.append(p)
            except Exception as exc:  # noqa: BLE001
                failures.append((p, _reason(exc)))
        # a clip's features never depend on its batch: the rows equal the batch call's
        X = np.stack(rows) if rows else np.empty((0, 0), dtype=dtype)
        ok = kept
    return FileBatch(ok, X, failures)


def _check_batch_size(batch_size):
    if (isinstance(batch_size, (bool, np.bool_)) or not isinstance(batch_size, numbers.Integral)
            or batch_size < 1):
        raise_invalid("batch_size", "an int >= 1", batch_size)
    return int(batch_size)


def iter_transform_files(
    transformer: Any,
    paths: Iterable[PathLike],
    *,
    sample_rate: int | None = None,
    batch_size: int = 64,
    n_jobs: int | None = None,
    client: Any = None,
) -> Iterator[FileBatch]:
    """Read audio files and transform them in batches, one failure per bad file.

    Each batch of ``batch_size`` files is decoded (mono, resampled to
    ``sample_rate``) and passed to ``transformer.transform`` in one call, so
    the rows equal ``transformer.transform`` of the decoded clips. A file
    that cannot be read or transformed is reported in its batch's
    ``failures`` and the others go on.

    Parameters
    ----------
    transformer : fitted transformer
        Maps a list of 1-D clips to a 2-D array, e.g. a fitted
        :class:`sklaudio.AudioFeatures` or a Pipeline starting with one.
        sklaudio's feature transformers learn nothing in ``fit``: fit them on
        any clip.
    paths : iterable of str or os.PathLike
        Audio files (see :func:`find_audio_files` to expand directories).
    sample_rate : int or None, default=None
        Rate in Hz the files are resampled to (soxr, as :func:`load`).
        ``None`` takes the transformer's ``sample_rate`` parameter (nested
        parameters such as ``features__sample_rate`` too) when it has exactly
        one, else keeps each file's rate.
    batch_size : int, default=64
        Files per ``transform`` call (and per task on a cluster).
    n_jobs : int or None, default=None
        Batches processed at once in threads of this process (scikit-learn's
        meaning: ``None`` is 1, ``-1`` all CPUs). With more than one, every
        ``n_jobs`` parameter of the transformer is set to 1 in a copy, so the
        threads doing feature work never exceed ``n_jobs``. Ignored with
        ``client``.
    client : distributed.Client, str or None, default=None
        Run the batches as tasks on a Dask cluster: a
        :class:`distributed.Client` or a scheduler address such as
        ``"tcp://10.0.0.5:8786"`` (a client is then opened and closed here).
        Each task sets the transformer's ``n_jobs`` to the cores of its
        worker's host divided by the worker threads on that host, so worker
        threads times engine threads never exceed the cores. The files must
        be readable at the same paths on the workers. Needs
        ``pip install sklaudio[dask]``.

    Yields
    ------
    FileBatch
        ``(paths, features, failures)`` per batch, in input order: the files
        transformed, their ``(len(paths), n_features_out)`` features and the
        ``(path, reason)`` of the files that failed.

    Raises
    ------
    sklearn.exceptions.NotFittedError
        If ``transformer`` has not been fitted.
    ImportError
        If ``client`` is given and dask.distributed is not installed.

    See Also
    --------
    transform_files : The same, collected into one array.

    Examples
    --------
    >>> from sklaudio import AudioFeatures
    >>> from sklaudio.io import find_audio_files, iter_transform_files
    >>> est = AudioFeatures(features=("mfcc",), sample_rate=8000, n_fft=256,
    ...                     hop_length=80, n_mels=40).fit([[0.0] * 800])
    >>> for batch in iter_transform_files(est, find_audio_files("recordings")):  # doctest: +SKIP
    ...     print(len(batch.paths), batch.features.shape, batch.failures)
    """
    check_is_fitted(transformer)
    batch_size = _check_batch_size(batch_size)
    paths = _as_path_list(list(paths))
    if sample_rate is None:
        sample_rate = _single_param(transformer, "sample_rate")
    sample_rate = _check_sample_rate(sample_rate)
    dtype = resolve_dtype(_single_param(transformer, "dtype") or "float32")
    batches = [paths[i:i + batch_size] for i in range(0, len(paths), batch_size)]
    if not batches:
        return
    if client is not None:
        from ._dask import iter_batches_on_cluster

        yield from iter_batches_on_cluster(client, transformer, batches, sample_rate, dtype)
        return
    from ._engine import effective_n_jobs

    n_threads = max(1, min(effective_n_jobs(n_jobs), len(batches)))
    if n_threads == 1:
        for b in batches:
            yield _transform_batch(transformer, b, sample_rate, dtype)
        return
    est = _with_n_jobs(transformer, 1)
    parallel = Parallel(n_jobs=n_threads, prefer="threads", return_as="generator")
    yield from parallel(delayed(_transform_batch)(est, b, sample_rate, dtype) for b in batches)


def transform_files(
    transformer: Any,
    paths: Iterable[PathLike],
    *,
    sample_rate: int | None = None,
    batch_size: int = 64,
    n_jobs: int | None = None,
    client: Any = None,
    verbose: bool = False,
) -> TransformedFiles:
    """Transform many audio files with a fitted transformer, locally or on Dask.

    The rows equal ``transformer.transform`` of the clips :func:`load` reads
    (mono, ``sample_rate``), whatever ``batch_size``, ``n_jobs`` or
    ``client``. Files that fail are listed, not raised.

    Parameters
    ----------
    transformer : fitted transformer
        E.g. a fitted :class:`sklaudio.AudioFeatures`.
    paths : iterable of str or os.PathLike
        Audio files (see :func:`find_audio_files` to expand directories).
    sample_rate : int or None, default=None
        As in :func:`iter_transform_files`.
    batch_size : int, default=64
        Files per ``transform`` call (and per task on a cluster).
    n_jobs : int or None, default=None
        Batches at once in threads of this process; ignored with ``client``.
    client : distributed.Client, str or None, default=None
        Run on a Dask cluster (see :func:`iter_transform_files`).
    verbose : bool, default=False
        Show a tqdm progress bar.

    Returns
    -------
    TransformedFiles
        ``(features, paths, failures)``: the ``(n_files_ok, n_features_out)``
        features, the files they belong to (input order) and the
        ``(path, reason)`` of every file that failed.

    Raises
    ------
    sklearn.exceptions.NotFittedError
        If ``transformer`` has not been fitted.
    ImportError
        If ``client`` is given and dask.distributed is not installed.

    See Also
    --------
    iter_transform_files : The same, batch by batch.

    Examples
    --------
    >>> from distributed import Client  # doctest: +SKIP
    >>> from sklaudio import AudioFeatures
    >>> from sklaudio.io import find_audio_files, transform_files
    >>> est = AudioFeatures(features=("mfcc", "chroma"), sample_rate=8000, n_fft=256,
    ...                     hop_length=80, n_mels=40).fit([[0.0] * 800])
    >>> paths = find_audio_files("recordings")  # doctest: +SKIP
    >>> X, done, failed = transform_files(est, paths, n_jobs=2)  # doctest: +SKIP
    >>> client = Client("tcp://scheduler:8786")  # doctest: +SKIP
    >>> X, done, failed = transform_files(est, paths, client=client)  # doctest: +SKIP
    """
    paths = _as_path_list(list(paths))
    feats, done, failed = [], [], []
    bar = None
    if verbose:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(paths), desc="Transforming", unit="file")
    try:
        for batch in iter_transform_files(transformer, paths, sample_rate=sample_rate,
                                          batch_size=batch_size, n_jobs=n_jobs, client=client):
            if batch.paths:
                feats.append(batch.features)
                done.extend(batch.paths)
            failed.extend(batch.failures)
            if bar is not None:
                bar.update(len(batch.paths) + len(batch.failures))
    finally:
        if bar is not None:
            bar.close()
    if feats:
        X = np.concatenate(feats)
    else:
        n_out = getattr(transformer, "n_features_out_", 0)
        dtype = resolve_dtype(_single_param(transformer, "dtype") or "float32")
        X = np.empty((0, n_out), dtype=dtype)
    return TransformedFiles(X, done, failed)
