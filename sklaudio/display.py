"""Plots of spectrograms and features, in the spirit of ``librosa.display``.

:func:`specshow` draws any ``(n_bins, n_frames)`` matrix with its axes in
physical units: time in seconds, frequency in Hz (linear, logarithmic or on
the mel scale, labelled in Hz), chroma in pitch classes. :func:`waveshow`
draws a signal against time. :func:`plot_spectrogram`,
:func:`plot_melspectrogram`, :func:`plot_chroma` compute the matrix with
:mod:`sklaudio.functional` and draw it; :func:`plot_features` draws frame
features (``est.transform_frames([y])[0]``) against time.

matplotlib is an optional dependency (``pip install sklaudio[display]``):
importing ``sklaudio`` or this module does not import it; the functions do,
with an error naming the extra when it is missing. Every function draws into
``ax`` (default: the current axes of :mod:`matplotlib.pyplot`) and returns
the matplotlib artist it made, whose ``.axes`` is the axes.

Differences from ``librosa.display.specshow``: the sample rate is
``sample_rate`` (librosa: ``sr``); a linear or log frequency axis runs from 0
to the Nyquist frequency (librosa's cells extend half a bin beyond both); a
mel band is drawn around its filter's centre frequency
(``mel_frequencies(n_mels + 2)[1:-1]``, librosa: ``mel_frequencies(n_mels)``)
on a true mel axis whose ticks are evenly spaced in mel and labelled in Hz
(librosa: a symmetric-log axis); time ticks are plain seconds.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import filters, functional
from ._docstrings import fill_params

__all__ = [
    "specshow",
    "waveshow",
    "plot_spectrogram",
    "plot_melspectrogram",
    "plot_chroma",
    "plot_features",
]

_TIME = ("time", "s")
_FFT = ("linear", "fft", "hz", "log")
_AXES = (None, "frames", *_TIME, *_FFT, "mel", "chroma")

#: Pitch-class names of a chroma axis starting at C (``base_c=True``, the default).
PITCH_CLASSES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")

#: Lower end of the linear part of the ``"log"`` frequency axis (C2, as librosa).
LOG_LINTHRESH = 65.40639132514966


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("sklaudio.display needs matplotlib: pip install "
                          "'sklaudio[display]' (or pip install matplotlib).") from exc
    return plt


def _ticker():
    try:
        import matplotlib.ticker as ticker
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("sklaudio.display needs matplotlib: pip install "
                          "'sklaudio[display]' (or pip install matplotlib).") from exc
    return ticker


def _get_axes(ax):
    if ax is None:
        return _pyplot().gca()
    from matplotlib.axes import Axes

    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes, got {type(ax).__name__}.")
    return ax


def _check_axis_type(name, value):
    if value not in _AXES:
        raise ValueError(f"{name}={value!r} is not an axis type; use one of "
                         f"{[a for a in _AXES]}.")


def _edges(kind, n, *, sample_rate, hop_length, n_fft, fmin, fmax, htk):
    """Cell edges (``n + 1`` values) of ``n`` rows or columns on an axis of type ``kind``."""
    if kind in (None, "frames", "chroma"):
        return np.arange(n + 1) - 0.5
    if kind in _TIME:
        return (np.arange(n + 1) - 0.5) * hop_length / sample_rate
    if kind in _FFT:
        if n_fft is None:
            n_fft = 2 * (n - 1)
        if n_fft // 2 + 1 != n:
            raise ValueError(f"the data has {n} frequency rows but n_fft={n_fft} gives "
                             f"{n_fft // 2 + 1} bins; pass the n_fft of the spectrogram.")
        f = np.arange(n) * sample_rate / n_fft
        return np.concatenate([[0.0], (f[:-1] + f[1:]) / 2, [sample_rate / 2]])
    # mel: the filters' centres are evenly spaced in mel; cells are centred on them
    lo, hi = _mel_range(sample_rate, fmin, fmax)
    m = filters.hz_to_mel(np.array([lo, hi]), htk=htk)
    step = (m[1] - m[0]) / (n + 1)
    mel_edges = m[0] + step * (np.arange(n + 1) + 0.5)
    return filters.mel_to_hz(mel_edges, htk=htk)


def _mel_range(sample_rate, fmin, fmax):
    return (0.0 if fmin is None else float(fmin),
            sample_rate / 2 if fmax is None else float(fmax))


def _nice(x):
    """``x`` rounded to two significant digits (ticks such as 130, 1300, 5400 Hz)."""
    if x <= 0:
        return 0.0
    digits = int(np.floor(np.log10(x))) - 1
    return float(np.round(x, -digits))


def _decorate(ax, which, kind, edges, *, htk):
    ticker = _ticker()
    axis = ax.xaxis if which == "x" else ax.yaxis
    set_scale = ax.set_xscale if which == "x" else ax.set_yscale
    set_lim = ax.set_xlim if which == "x" else ax.set_ylim
    if kind == "log":
        set_scale("symlog", base=2, linthresh=LOG_LINTHRESH, linscale=0.5)
    elif kind == "mel":
        def forward(f):
            return filters.hz_to_mel(np.maximum(np.asarray(f, dtype=float), 0.0), htk=htk)

        def inverse(m):
            return filters.mel_to_hz(np.asarray(m, dtype=float), htk=htk)

        set_scale("function", functions=(forward, inverse))
    set_lim(edges[0], edges[-1])
    if kind in _TIME:
        axis.set_major_formatter(ticker.ScalarFormatter())
        axis.set_label_text("Time (s)")
    elif kind in ("linear", "fft", "hz"):
        axis.set_label_text("Frequency (Hz)")
    elif kind == "log":
        axis.set_major_formatter(ticker.ScalarFormatter())
        axis.set_label_text("Frequency (Hz, log scale)")
    elif kind == "mel":
        m = filters.hz_to_mel(np.array([edges[0], edges[-1]]), htk=htk)
        hz = filters.mel_to_hz(np.linspace(m[0], m[1], 7), htk=htk)
        ticks = np.unique([_nice(f) for f in hz])
        ticks = ticks[(ticks >= edges[0]) & (ticks <= edges[-1])]
        axis.set_major_locator(ticker.FixedLocator(ticks))
        axis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:.0f}"))
        axis.set_minor_locator(ticker.NullLocator())
        axis.set_label_text("Frequency (Hz, mel scale)")
    elif kind == "chroma":
        n = len(edges) - 1
        if n % 12 == 0:  # 12, 24, 36... bins per octave from C: name the semitones
            per = n // 12
            axis.set_major_locator(ticker.FixedLocator(np.arange(0, n, per)))
            axis.set_major_formatter(ticker.FixedFormatter(list(PITCH_CLASSES)))
        else:
            axis.set_major_locator(ticker.MaxNLocator(integer=True))
        axis.set_label_text("Pitch class")
    elif kind == "frames":
        axis.set_label_text("Frames")


@fill_params()
def specshow(
    data: Any,
    *,
    x_axis: str | None = None,
    y_axis: str | None = None,
    sample_rate: float = 22050,
    hop_length: int = 512,
    n_fft: int | None = None,
    fmin: float | None = None,
    fmax: float | None = None,
    htk: bool = False,
    x_coords: Any = None,
    y_coords: Any = None,
    ax: Any = None,
    **kwargs: Any,
):
    """Draw a spectrogram-like matrix with its axes in seconds and Hz.

    Parameters
    ----------
    data : array-like of shape (n_bins, n_frames)
        The matrix (e.g. a dB spectrogram), in librosa's orientation: one
        column per frame. Complex input is drawn as its magnitude.
    x_axis, y_axis : str or None, default=None
        Axis types: ``None`` (indices, no label), ``"frames"``,
        ``"time"`` or ``"s"`` (frame ``t`` at ``t * hop_length /
        sample_rate`` seconds, as with ``center=True`` framing),
        ``"linear"``/``"fft"``/``"hz"`` (FFT bins from 0 Hz to Nyquist),
        ``"log"`` (the same on a symmetric log axis, linear below 65.4 Hz),
        ``"mel"`` (mel bands between ``fmin`` and ``fmax``: ticks evenly
        spaced in mel, labelled in Hz), ``"chroma"`` (pitch classes C to B
        for 12 bins, or every ``n_bins // 12``-th bin of a finer chroma,
        starting at C).
    n_fft : int or None, default=None
        FFT size of a linear/log frequency axis; ``None`` infers
        ``2 * (n_bins - 1)``.
    fmin, fmax : float or None, default=None
        Frequency range of the mel bands in Hz (``None``: 0 and
        ``sample_rate / 2``), as given to the mel filterbank.
    x_coords, y_coords : array-like or None, default=None
        Cell edges (``n + 1`` values) that replace those of the axis type.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.pcolormesh` (``cmap``,
        ``vmin``, ``vmax``, ...).

    Returns
    -------
    matplotlib.collections.QuadMesh
        The mesh; ``.axes`` is the axes it was drawn into.

    Raises
    ------
    ValueError
        If ``data`` is not 2-D, an axis type is unknown, the number of
        frequency rows does not match ``n_fft``, or coordinates have the
        wrong length.
    ImportError
        If matplotlib is not installed.

    See Also
    --------
    librosa.display.specshow : The model of this function.

    Examples
    --------
    >>> import numpy as np
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from sklaudio import functional as F
    >>> from sklaudio.display import specshow
    >>> y = np.sin(2 * np.pi * 440 * np.arange(22050) / 22050)
    >>> S = F.power_to_db(F.melspectrogram(y, sample_rate=22050, n_mels=64), ref=1.0)
    >>> fig, ax = plt.subplots()
    >>> img = specshow(S, x_axis="time", y_axis="mel", sample_rate=22050, ax=ax)
    >>> ax.get_ylabel()
    'Frequency (Hz, mel scale)'
    """
    _pyplot()
    data = np.asarray(data)
    if data.ndim != 2:
        raise ValueError(f"data must be 2-D (n_bins, n_frames), got shape {data.shape}.")
    if np.iscomplexobj(data):
        data = np.abs(data)
    _check_axis_type("x_axis", x_axis)
    _check_axis_type("y_axis", y_axis)
    common = dict(sample_rate=float(sample_rate), hop_length=int(hop_length), n_fft=n_fft,
                  fmin=fmin, fmax=fmax, htk=bool(htk))
    edges = []
    for which, kind, coords, n in (("x", x_axis, x_coords, data.shape[1]),
                                   ("y", y_axis, y_coords, data.shape[0])):
        if coords is not None:
            coords = np.asarray(coords, dtype=float)
            if coords.shape != (n + 1,):
                raise ValueError(f"{which}_coords must hold the {n + 1} cell edges of the "
                                 f"{n} cells, got shape {coords.shape}.")
            edges.append(coords)
        else:
            edges.append(_edges(kind, n, **common))
    axes = _get_axes(ax)
    kwargs.setdefault("shading", "flat")
    kwargs.setdefault("rasterized", True)
    kwargs.setdefault("edgecolors", "none")
    if "cmap" not in kwargs:  # as librosa: sequential unless the data has both signs
        lo, hi = (np.nanmin(data), np.nanmax(data)) if data.size else (0.0, 0.0)
        kwargs["cmap"] = "magma" if lo >= 0 or hi <= 0 else "coolwarm"
    mesh = axes.pcolormesh(edges[0], edges[1], data, **kwargs)
    if ax is None:
        _pyplot().sci(mesh)
    _decorate(axes, "x", x_axis, edges[0], htk=bool(htk))
    _decorate(axes, "y", y_axis, edges[1], htk=bool(htk))
    return mesh


@fill_params()
def waveshow(y: Any, *, sample_rate: float = 22050, max_points: int = 20000, ax: Any = None,
             **kwargs: Any):
    """Draw a signal against time in seconds.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        A mono signal.
    max_points : int, default=20000
        Longer signals are drawn as their min-max envelope over
        ``max_points // 2`` blocks (a filled band), as audio editors do.
    **kwargs
        Passed to :meth:`~matplotlib.axes.Axes.plot` or
        :meth:`~matplotlib.axes.Axes.fill_between`.

    Returns
    -------
    matplotlib.lines.Line2D or matplotlib.collections.PolyCollection
        The line, or the envelope band of a long signal.

    Raises
    ------
    ValueError
        If ``y`` is not a non-empty 1-D signal.
    ImportError
        If matplotlib is not installed.

    Examples
    --------
    >>> import numpy as np
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from sklaudio.display import waveshow
    >>> fig, ax = plt.subplots()
    >>> art = waveshow(np.zeros(8000), sample_rate=8000, ax=ax)
    >>> tuple(map(float, ax.get_xlim()))
    (0.0, 1.0)
    """
    _pyplot()
    y = np.asarray(y, dtype=float)
    if y.ndim != 1 or y.size == 0:
        raise ValueError(f"y must be a non-empty 1-D signal, got shape {y.shape}.")
    axes = _get_axes(ax)
    duration = y.size / float(sample_rate)
    kwargs.setdefault("color", "C0")
    if y.size <= max_points:
        t = np.arange(y.size) / float(sample_rate)
        (art,) = axes.plot(t, y, **kwargs)
    else:
        n_blocks = max(1, int(max_points) // 2)
        block = int(np.ceil(y.size / n_blocks))
        pad = np.pad(y, (0, block * n_blocks - y.size), mode="edge").reshape(n_blocks, block)
        t = (np.arange(n_blocks) + 0.5) * block / float(sample_rate)
        art = axes.fill_between(t, pad.min(axis=1), pad.max(axis=1), linewidth=0, **kwargs)
    axes.set_xlim(0.0, duration)
    axes.set_xlabel("Time (s)")
    return art


def _db(S, top_db):
    ref = float(np.max(S)) if np.max(S) > 0 else 1.0
    # at most 0 dB (float rounding can put the maximum a hair above)
    return np.minimum(functional.power_to_db(S, ref=ref, top_db=top_db), 0.0)


@fill_params()
def plot_spectrogram(y: Any, *, sample_rate: float = 22050, n_fft: int = 2048,
                     hop_length: int = 512, win_length: int | None = None, window="hann",
                     y_axis: str = "linear", top_db: float | None = 80.0, ax: Any = None,
                     **kwargs: Any):
    """Compute and draw the power spectrogram of a signal in dB.

    The power STFT (:func:`sklaudio.functional.spectrogram`) in dB relative
    to its maximum (:func:`~sklaudio.functional.power_to_db`), drawn with
    time in seconds and frequency in Hz.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        A mono signal.
    y_axis : {"linear", "log"}, default="linear"
        Linear or logarithmic frequency axis.
    top_db : float or None, default=80.0
        Dynamic range shown below the maximum, in dB.
    **kwargs
        Passed to :func:`specshow`.

    Returns
    -------
    matplotlib.collections.QuadMesh
        The mesh (values in dB, maximum 0).

    Raises
    ------
    ValueError
        If ``y_axis`` is not ``"linear"`` or ``"log"``, or a parameter is
        invalid for the spectrogram.
    ImportError
        If matplotlib is not installed.

    Examples
    --------
    >>> import numpy as np
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from sklaudio.display import plot_spectrogram
    >>> y = np.sin(2 * np.pi * 1000 * np.arange(8000) / 8000)
    >>> fig, ax = plt.subplots()
    >>> img = plot_spectrogram(y, sample_rate=8000, n_fft=256, hop_length=80, ax=ax)
    >>> tuple(map(float, ax.get_ylim()))
    (0.0, 4000.0)
    """
    if y_axis not in ("linear", "log"):
        raise ValueError(f"y_axis must be 'linear' or 'log', got {y_axis!r}.")
    S = functional.spectrogram(np.asarray(y), n_fft=n_fft, hop_length=hop_length,
                               win_length=win_length, window=window, power=2.0)
    return specshow(_db(S, top_db), x_axis="time", y_axis=y_axis, sample_rate=sample_rate,
                    hop_length=hop_length, n_fft=n_fft, ax=ax, **kwargs)


@fill_params("mel")
def plot_melspectrogram(y: Any, *, sample_rate: float = 22050, n_fft: int = 2048,
                        hop_length: int = 512, n_mels: int = 128, fmin: float = 0.0,
                        fmax: float | None = None, htk: bool = False,
                        top_db: float | None = 80.0, ax: Any = None, **kwargs: Any):
    """Compute and draw the mel spectrogram of a signal in dB.

    :func:`sklaudio.functional.melspectrogram` in dB relative to its maximum,
    drawn with time in seconds and a mel frequency axis labelled in Hz.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        A mono signal.
    top_db : float or None, default=80.0
        Dynamic range shown below the maximum, in dB.
    **kwargs
        Passed to :func:`specshow`.

    Returns
    -------
    matplotlib.collections.QuadMesh
        The mesh (values in dB, maximum 0).

    Raises
    ------
    ValueError
        If a parameter is invalid for the mel spectrogram.
    ImportError
        If matplotlib is not installed.

    Examples
    --------
    >>> import numpy as np
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from sklaudio.display import plot_melspectrogram
    >>> y = np.sin(2 * np.pi * 1000 * np.arange(8000) / 8000)
    >>> fig, ax = plt.subplots()
    >>> img = plot_melspectrogram(y, sample_rate=8000, n_fft=256, hop_length=80, n_mels=40,
    ...                           ax=ax)
    >>> img.get_array().shape
    (40, 101)
    """
    S = functional.melspectrogram(np.asarray(y), sample_rate=sample_rate, n_fft=n_fft,
                                  hop_length=hop_length, n_mels=n_mels, fmin=fmin, fmax=fmax,
                                  htk=htk)
    return specshow(_db(S, top_db), x_axis="time", y_axis="mel", sample_rate=sample_rate,
                    hop_length=hop_length, fmin=fmin, fmax=fmax, htk=htk, ax=ax, **kwargs)


@fill_params()
def plot_chroma(y: Any, *, sample_rate: float = 22050, n_fft: int = 2048,
                hop_length: int = 512, n_chroma: int = 12, tuning: float | None = 0.0,
                ax: Any = None, **kwargs: Any):
    """Compute and draw the chromagram of a signal.

    :func:`sklaudio.functional.chroma_stft` (each frame scaled to a maximum
    of 1), drawn with time in seconds and pitch classes (C, C#, ..., B).

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        A mono signal.
    **kwargs
        Passed to :func:`specshow` (default ``vmin=0, vmax=1``).

    Returns
    -------
    matplotlib.collections.QuadMesh
        The mesh.

    Raises
    ------
    ValueError
        If a parameter is invalid for the chromagram.
    ImportError
        If matplotlib is not installed.

    Examples
    --------
    >>> import numpy as np
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from sklaudio.display import plot_chroma
    >>> y = np.sin(2 * np.pi * 440 * np.arange(22050) / 22050)
    >>> fig, ax = plt.subplots()
    >>> img = plot_chroma(y, ax=ax)
    >>> [t.get_text() for t in ax.get_yticklabels()][9]
    'A'
    """
    C = functional.chroma_stft(np.asarray(y), sample_rate=sample_rate, n_fft=n_fft,
                               hop_length=hop_length, n_chroma=n_chroma, tuning=tuning)
    kwargs.setdefault("vmin", 0.0)
    kwargs.setdefault("vmax", 1.0)
    return specshow(C, x_axis="time", y_axis="chroma", sample_rate=sample_rate,
                    hop_length=hop_length, ax=ax, **kwargs)


@fill_params()
def plot_features(frames: Any, *, feature_names: Any = None, sample_rate: float = 22050,
                  hop_length: int = 512, ax: Any = None, **kwargs: Any):
    """Draw frame features as curves against time in seconds.

    Parameters
    ----------
    frames : array-like of shape (n_features, n_frames) or (n_frames,)
        Frame features in librosa's orientation, e.g.
        ``est.transform_frames([y])[0]`` or a :mod:`sklaudio.functional`
        result; frame ``t`` is drawn at ``t * hop_length / sample_rate``
        seconds.
    feature_names : sequence of str or None, default=None
        One legend entry per feature (e.g. ``["centroid", "rolloff"]``).
    **kwargs
        Passed to :meth:`~matplotlib.axes.Axes.plot`.

    Returns
    -------
    list of matplotlib.lines.Line2D
        One line per feature.

    Raises
    ------
    ValueError
        If ``frames`` has more than 2 dimensions or ``feature_names`` has the
        wrong length.
    ImportError
        If matplotlib is not installed.

    Examples
    --------
    >>> import numpy as np
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from sklaudio import functional as F
    >>> from sklaudio.display import plot_features
    >>> y = np.random.default_rng(0).standard_normal(8000)
    >>> c = F.spectral_centroid(y, sample_rate=8000, n_fft=256, hop_length=80)
    >>> fig, ax = plt.subplots()
    >>> lines = plot_features(c, feature_names=["centroid"], sample_rate=8000,
    ...                       hop_length=80, ax=ax)
    >>> tuple(map(float, ax.get_xlim()))
    (0.0, 1.0)
    """
    _pyplot()
    F = np.asarray(frames, dtype=float)
    if F.ndim == 1:
        F = F[None, :]
    if F.ndim != 2:
        raise ValueError(f"frames must be (n_features, n_frames), got shape {F.shape}.")
    if feature_names is not None:
        feature_names = [str(n) for n in feature_names]
        if len(feature_names) != F.shape[0]:
            raise ValueError(f"feature_names has {len(feature_names)} names for "
                             f"{F.shape[0]} features.")
    axes = _get_axes(ax)
    t = np.arange(F.shape[1]) * hop_length / float(sample_rate)
    lines = axes.plot(t, F.T, **kwargs)
    if feature_names is not None:
        for line, name in zip(lines, feature_names):
            line.set_label(name)
        axes.legend(loc="best", fontsize="small")
    axes.set_xlim(0.0, t[-1] if t.size > 1 else hop_length / float(sample_rate))
    axes.set_xlabel("Time (s)")
    return lines
