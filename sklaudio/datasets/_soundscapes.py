"""Synthetic soundscapes with exact event lists: event clips mixed into long backgrounds.

The standard way to build a sound-event-detection task with exact labels
(as Scaper and the DCASE synthetic sets do): isolated event recordings are
placed at random times, without overlap, into a background recording or
noise, each scaled to a chosen event-to-background ratio; the annotation
is known by construction.
"""

from __future__ import annotations

import numbers
from typing import Sequence

import numpy as np
from sklearn.utils import Bunch, check_random_state

from .._params import check_int, check_real, raise_invalid, validate_params
from ..functional import trim

__all__ = ["make_soundscapes"]

_NOISES = ("white", "pink", "brown")


def _coloured_noise(kind: str, n: int, rng: np.random.RandomState) -> np.ndarray:
    """Gaussian noise with a ``1/f**beta`` power spectrum (0 white, 1 pink, 2 brown), unit RMS."""
    white = rng.standard_normal(n)
    if kind == "white":
        x = white
    else:
        beta = {"pink": 1.0, "brown": 2.0}[kind]
        spec = np.fft.rfft(white)
        f = np.arange(spec.size, dtype=np.float64)
        f[0] = 1.0  # keep the DC bin finite (then removed below)
        spec = spec / f ** (beta / 2.0)
        spec[0] = 0.0
        x = np.fft.irfft(spec, n=n)
    return x / np.sqrt(np.mean(x ** 2))


def _as_clip(x, what: str) -> np.ndarray:
    a = np.asarray(x)
    if a.ndim != 1 or a.dtype.kind not in "iuf" or a.size == 0:
        raise ValueError(f"{what} must be a non-empty 1-D real array, got shape {a.shape} "
                         f"and dtype {a.dtype}.")
    a = a.astype(np.float64)
    if not np.isfinite(a).all():
        raise ValueError(f"{what} contains NaN or inf.")
    return a


def _pandas():
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - pandas is in the test extra
        raise ImportError("make_soundscapes returns event lists as pandas DataFrames: "
                          "pip install 'sklaudio[events]' (or pandas).") from exc
    return pd


@validate_params({})
def make_soundscapes(events: Sequence, labels: Sequence, *, sample_rate: float,
                     n_soundscapes: int = 10, duration: float = 30.0,
                     background="pink", snr_db=10.0, gap=(0.5, 3.0),
                     trim_db: float | None = 40.0, random_state=None) -> Bunch:
    """Mix event clips into long backgrounds at chosen SNRs, with exact event lists.

    Each soundscape is ``duration`` seconds of background (coloured noise, or
    a random excerpt of a background recording) into which event clips,
    drawn at random from ``events``, are placed one after another with
    random gaps (``gap``, seconds), never overlapping, until the soundscape is
    full. Each event is first trimmed of its leading and trailing silence
    (:func:`sklaudio.functional.trim` with ``top_db=trim_db``), so that the
    annotation is where the event really sounds, then scaled so that its
    power over its own span is ``snr_db`` dB above the background's power
    over the same span::

        gain = sqrt(P_bg / P_event * 10 ** (snr_db / 10))

    The background is scaled to unit RMS over the soundscape, and the mix is
    left unnormalised (float32).

    Parameters
    ----------
    events : sequence of 1-D arrays
        Isolated event recordings at ``sample_rate`` (e.g. FSDD digits).
    labels : sequence
        The label of each event clip (``str`` or int), same length as
        ``events``.
    sample_rate : float
        Sampling rate of every clip and of the soundscapes, in Hz.
    n_soundscapes : int, default=10
        Number of soundscapes.
    duration : float, default=30.0
        Length of each soundscape in seconds.
    background : {"white", "pink", "brown"}, 1-D array or sequence of 1-D arrays, default="pink"
        Coloured Gaussian noise (spectrum ``1/f ** beta``, beta 0, 1, 2), or
        background recordings at ``sample_rate``: each soundscape takes a
        random excerpt of one of them (chosen at random), looped if shorter
        than ``duration``.
    snr_db : float or sequence of float, default=10.0
        Event-to-background ratio in dB. A sequence gives soundscape ``i``
        the SNR ``snr_db[i % len(snr_db)]``.
    gap : (float, float), default=(0.5, 3.0)
        Range in seconds of the uniform random silence before each event.
    trim_db : float or None, default=40.0
        Silence threshold (dB below each clip's peak) for trimming the event
        clips; ``None`` keeps them whole (the annotation then includes their
        silent edges).
    random_state : int, RandomState instance or None, default=None
        Seed of the placement, the choice of clips and the noise.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        With attributes:

        data : list of ndarray of shape (round(duration * sample_rate),), float32
            The soundscapes.
        events : list of pandas.DataFrame
            One per soundscape, columns ``onset``, ``offset`` (seconds) and
            ``event_label``, sorted by onset (the DCASE / sed_eval layout).
        source_index : list of ndarray of int
            For each soundscape, the index in ``events`` of every placed clip.
        snr_db : ndarray of shape (n_soundscapes,)
            The SNR of each soundscape.
        sample_rate : float
            As given.

    Raises
    ------
    ValueError
        For empty or non-finite clips, ``len(labels) != len(events)``, an
        unknown ``background``, a ``gap`` that is not ``0 <= low <= high``,
        or events longer than the soundscape.

    See Also
    --------
    sklaudio.datasets.fetch_fsdd : Spoken digits, a source of event clips.

    References
    ----------
    .. [1] J. Salamon, D. MacConnell, M. Cartwright, P. Li and J. P. Bello,
       "Scaper: A library for soundscape synthesis and augmentation", IEEE
       WASPAA, 2017.

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.datasets import make_soundscapes
    >>> rng = np.random.default_rng(0)
    >>> t = np.arange(4000) / 8000
    >>> clips = [np.sin(2 * np.pi * f * t) for f in (440.0, 880.0)]
    >>> sc = make_soundscapes(clips, ["low", "high"], sample_rate=8000, n_soundscapes=2,
    ...                       duration=10.0, snr_db=[0.0, 20.0], random_state=0)
    >>> len(sc.data), sc.data[0].shape
    (2, (80000,))
    >>> list(sc.events[0].columns)
    ['onset', 'offset', 'event_label']
    >>> bool((sc.events[0].offset - sc.events[0].onset).round(3).eq(0.5).all())
    True
    """
    pd = _pandas()
    sample_rate = check_real("sample_rate", sample_rate, low=0, low_open=True, unit="Hz")
    n_soundscapes = check_int("n_soundscapes", n_soundscapes, 1)
    duration = check_real("duration", duration, low=0, low_open=True, unit="s")
    if isinstance(events, np.ndarray) and events.ndim == 2:
        events = list(events)
    events = list(events)
    labels = list(labels)
    if not events:
        raise ValueError("events is empty: pass at least one event clip.")
    if len(labels) != len(events):
        raise ValueError(f"labels has {len(labels)} entries but events has {len(events)} clips; "
                         "give one label per clip.")
    clips = [_as_clip(x, f"events[{i}]") for i, x in enumerate(events)]
    for i, c in enumerate(clips):
        if not np.any(c):
            raise ValueError(f"events[{i}] is silent (all zeros); remove it.")
    if trim_db is not None:
        trim_db = check_real("trim_db", trim_db, low=0, low_open=True, unit="dB")
        frame, hop = max(16, int(round(0.032 * sample_rate))), max(4, int(round(0.008 * sample_rate)))
        trimmed = []
        for i, c in enumerate(clips):
            seg, _ = trim(c, top_db=trim_db, frame_length=frame, hop_length=hop)
            if seg.size == 0:
                raise ValueError(f"events[{i}] is silent (nothing above -{trim_db} dB); "
                                 "remove it or pass trim_db=None.")
            trimmed.append(seg)
        clips = trimmed
    n = int(round(duration * sample_rate))
    longest = max(c.size for c in clips)
    if longest > n:
        raise ValueError(f"An event clip lasts {longest / sample_rate:.3f} s, longer than "
                         f"duration={duration} s; make the soundscapes longer.")
    snrs = np.atleast_1d(np.asarray(snr_db, dtype=np.float64))
    if snrs.ndim != 1 or snrs.size == 0 or not np.isfinite(snrs).all():
        raise_invalid("snr_db", "a finite number or a non-empty sequence of them (dB)", snr_db)
    if (not isinstance(gap, (tuple, list)) or len(gap) != 2
            or not all(isinstance(g, numbers.Real) and np.isfinite(g) for g in gap)
            or not 0 <= gap[0] <= gap[1]):
        raise_invalid("gap", "a pair (low, high) of seconds with 0 <= low <= high", gap)
    if isinstance(background, str):
        if background not in _NOISES:
            raise_invalid("background", f"one of {list(_NOISES)}, or background recordings",
                          background)
        backgrounds = None
    else:
        if isinstance(background, np.ndarray) and background.ndim == 1:
            background = [background]
        backgrounds = [_as_clip(b, f"background[{i}]") for i, b in enumerate(background)]
        if not backgrounds:
            raise_invalid("background", "a noise name or at least one background recording",
                          background)
    rng = check_random_state(random_state)

    data, tables, sources = [], [], []
    snr_of = np.array([snrs[i % snrs.size] for i in range(n_soundscapes)])
    for i in range(n_soundscapes):
        if backgrounds is None:
            bg = _coloured_noise(background, n, rng)
        else:
            src = backgrounds[rng.randint(len(backgrounds))]
            reps = int(np.ceil((n + src.size) / src.size))
            looped = np.tile(src, reps)
            start = rng.randint(src.size)
            bg = looped[start:start + n].copy()
            rms = np.sqrt(np.mean(bg ** 2))
            bg = bg / rms if rms > 0 else bg
        mix = bg.copy()
        rows, idx = [], []
        t = 0
        while True:
            t += int(round(rng.uniform(gap[0], gap[1]) * sample_rate))
            k = rng.randint(len(clips))
            clip = clips[k]
            if t + clip.size > n:
                break
            p_event = np.mean(clip ** 2)
            p_bg = np.mean(bg[t:t + clip.size] ** 2)
            if p_event > 0:
                gain = np.sqrt(max(p_bg, 1e-20) / p_event * 10.0 ** (snr_of[i] / 10.0))
                mix[t:t + clip.size] += gain * clip
            rows.append((t / sample_rate, (t + clip.size) / sample_rate, labels[k]))
            idx.append(k)
            t += clip.size
        data.append(mix.astype(np.float32))
        tables.append(pd.DataFrame(rows, columns=["onset", "offset", "event_label"]))
        sources.append(np.asarray(idx, dtype=np.int64))
    return Bunch(data=data, events=tables, source_index=sources, snr_db=snr_of,
                 sample_rate=sample_rate)
