"""Event annotations: the DCASE / sed_eval text format, validation and frame targets.

An event table is a :class:`pandas.DataFrame` with one row per event and the
columns ``onset`` and ``offset`` (seconds from the start of the recording),
``event_label`` and, when it covers several recordings, ``filename``. A row
that has a ``filename`` and no onset, offset or label marks a recording
without events (the DCASE 2017 task 2 layout), so that the recording still
counts in an evaluation.
"""

from __future__ import annotations

import csv
import io
import math
import numbers
import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from .._params import SAMPLE_RATE, STFT, Interval, raise_invalid, validate_params
from ..functional import frames_to_time

__all__ = ["check_events", "events_to_frames", "read_events", "write_events"]

#: Canonical columns, in the order they are written.
EVENT_COLUMNS = ("onset", "offset", "event_label")
#: Other spellings accepted on input (sed_eval's dict keys, dcase_util's field names).
_ALIASES = {"event_onset": "onset", "event_offset": "offset", "file": "filename",
            "label": "event_label"}
#: Columns of the headerless layouts, by the pattern of their cells
#: (``s`` text, ``n`` number), after trailing empty cells are dropped.
_LAYOUTS = {
    "nn": ("onset", "offset"),
    "nns": ("onset", "offset", "event_label"),
    "nnn": ("onset", "offset", "event_label"),
    "snn": ("filename", "onset", "offset"),
    "snns": ("filename", "onset", "offset", "event_label"),
    "snnn": ("filename", "onset", "offset", "event_label"),
    "ssnn": ("filename", "scene_label", "onset", "offset"),
    "ssnns": ("filename", "scene_label", "onset", "offset", "event_label"),
    "ssnnss": ("filename", "scene_label", "onset", "offset", "event_label", "source_label"),
    "ssnnsss": ("filename", "scene_label", "onset", "offset", "event_label", "source_label",
                "identifier"),
}
_FORMAT_HINT = ("expected onset<TAB>offset[<TAB>event_label], optionally after a filename "
                "column (the DCASE / sed_eval layouts), or a filename alone for a recording "
                "without events")


def _pandas():
    """Import pandas, or raise an ImportError naming the extra to install."""
    try:
        import pandas
    except ImportError as exc:  # pragma: no cover - exercised in a subprocess test
        raise ImportError(
            "sklaudio.events needs pandas for its event tables; install it with "
            "`pip install sklaudio[events]` (or `pip install pandas`)."
        ) from exc
    return pandas


# -- validation ------------------------------------------------------------------------------
def _missing(values) -> np.ndarray:
    pd = _pandas()
    return np.asarray(pd.isna(values), dtype=bool).reshape(-1)


def _index_label(df, pos: int):
    """The index label of row ``pos``, as a plain Python value (for messages)."""
    label = df.index[pos]
    return label.item() if isinstance(label, np.generic) else label


def _where(df, pos: int) -> str:
    """``row <index label>`` plus the row's filename, for error messages."""
    text = f"row {_index_label(df, pos)!r}"
    if "filename" in df.columns:
        fn = df["filename"].iloc[pos]
        if not _missing([fn])[0]:
            text += f" (filename {fn!r})"
    return text


def _first_bad(df, bad: np.ndarray, what, fix: str) -> None:
    """Raise a ValueError naming the first row flagged in ``bad``, if any.

    ``what`` is the problem, a str or a function of the row's position.
    """
    idx = np.flatnonzero(bad)
    if idx.size:
        pos = int(idx[0])
        what = what(pos) if callable(what) else what
        more = f" ({idx.size - 1} more row(s) like it)" if idx.size > 1 else ""
        raise ValueError(f"Invalid events: {_where(df, pos)} {what}{more}. {fix}")


@validate_params({"require_label": ["boolean"], "allow_zero_length": ["boolean"]})
def check_events(events: Any, *, require_label: bool = True, allow_zero_length: bool = False):
    """Validate an event table and return it in canonical form.

    Every function of :mod:`sklaudio.events` that takes events calls this
    first.

    Parameters
    ----------
    events : DataFrame or list of dict
        One row per event with columns ``onset`` and ``offset`` (seconds),
        ``event_label`` and optionally ``filename``. sed_eval's and
        dcase_util's names ``event_onset``, ``event_offset`` and ``file`` are
        accepted too (so a sed_eval event list of dicts can be passed as is),
        as is ``label``. A row with a ``filename`` and neither onset, offset
        nor label marks a recording without events. Other columns are kept.
    require_label : bool, default=True
        Whether every event needs an ``event_label``. With ``False`` missing
        labels are allowed (e.g. to write a file of unlabelled events).
    allow_zero_length : bool, default=False
        Whether an event may have ``onset == offset``. Such events occur in
        published annotations (e.g. TUT Sound Events 2016) and sed_eval
        evaluates them; by default they are refused as likely mistakes.

    Returns
    -------
    DataFrame
        A copy with the canonical column names, ``onset`` and ``offset`` as
        float64 seconds, the rows and index of ``events`` unchanged. An empty
        input gives an empty table with the columns ``onset``, ``offset`` and
        ``event_label``.

    Raises
    ------
    ValueError
        If a required column is missing, or a row has a missing, non-numeric,
        infinite or negative onset or offset, an onset after its offset (or
        equal to it, unless ``allow_zero_length``), or no label (with
        ``require_label``). The message names the first
        offending row by its index label (and its filename, when the table
        has them) and says how to fix it.
    ImportError
        If pandas is not installed (``pip install sklaudio[events]``).

    Examples
    --------
    >>> import pandas as pd
    >>> from sklaudio.events import check_events
    >>> check_events([{"event_onset": 0.5, "event_offset": 1.0, "event_label": "dog"}])
       onset  offset event_label
    0    0.5     1.0         dog
    >>> bad = pd.DataFrame({"onset": [0.5, 2.0], "offset": [1.0, 1.5],
    ...                     "event_label": ["dog", "cat"]})
    >>> check_events(bad)
    Traceback (most recent call last):
    ...
    ValueError: Invalid events: row 1 has onset 2.0 s after offset 1.5 s. ...
    """
    pd = _pandas()
    if isinstance(events, pd.DataFrame):
        df = events.copy()
    elif isinstance(events, (str, bytes)) or not hasattr(events, "__len__"):
        raise TypeError(
            f"events must be a pandas DataFrame or a list of dicts, got "
            f"{type(events).__name__}; read a file with sklaudio.events.read_events.")
    elif len(events) == 0:
        df = pd.DataFrame(columns=list(EVENT_COLUMNS))
    else:
        df = pd.DataFrame(list(events))
    df = df.rename(columns={a: c for a, c in _ALIASES.items()
                            if a in df.columns and c not in df.columns})
    if len(df) == 0:
        for c in EVENT_COLUMNS:
            if c not in df.columns:
                df[c] = pd.Series(dtype=object if c == "event_label" else np.float64)
    required = ["onset", "offset"] + (["event_label"] if require_label else [])
    absent = [c for c in required if c not in df.columns]
    if absent:
        raise ValueError(
            f"Invalid events: missing column(s) {absent}; the table has {list(df.columns)}. "
            "Events need 'onset' and 'offset' in seconds and an 'event_label' "
            "(sed_eval's 'event_onset'/'event_offset' are accepted too).")
    if "event_label" not in df.columns:
        df["event_label"] = None
    has_file = "filename" in df.columns
    no_on, no_off = _missing(df["onset"]), _missing(df["offset"])
    no_label = _missing(df["event_label"])
    marker = no_on & no_off & no_label
    if has_file:
        no_file = _missing(df["filename"])
        _first_bad(df, marker & no_file, "is empty",
                   "Drop empty rows; a row marking a recording without events needs its "
                   "filename.")
        _first_bad(df, ~marker & no_file, "has no filename",
                   "When a table has a 'filename' column, every event needs one.")
    else:
        _first_bad(df, marker, "is empty",
                   "Drop empty rows (a row marking a recording without events needs a "
                   "'filename' column).")
    times = {}
    for col, miss in (("onset", no_on), ("offset", no_off)):
        _first_bad(df, ~marker & miss, f"has no {col}",
                   "Every event needs an onset and an offset in seconds; a row with only a "
                   "filename marks a recording without events.")
        raw = df[col]
        if raw.dtype.kind == "b":
            raw = raw.astype(object)
        vals = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        _first_bad(df, ~marker & np.isnan(vals) & ~miss,
                   lambda k, raw=raw, col=col: f"has a non-numeric {col} {raw.iloc[k]!r}",
                   "Onsets and offsets are numbers of seconds.")
        _first_bad(df, ~marker & np.isinf(vals),
                   lambda k, vals=vals, col=col: f"has {col} {float(vals[k])!r}",
                   "Onsets and offsets must be finite numbers of seconds.")
        times[col] = vals
    on, off = times["onset"], times["offset"]
    _first_bad(df, ~marker & (on < 0), lambda k: f"has a negative onset {float(on[k])!r} s",
               "Times are seconds from the start of the recording; clip them at 0.")
    _first_bad(df, ~marker & (on > off),
               lambda k: f"has onset {float(on[k])!r} s after offset {float(off[k])!r} s",
               "An event must end after it starts: swap onset and offset.")
    if not allow_zero_length:
        _first_bad(df, ~marker & (on == off),
                   lambda k: f"is zero-length (onset == offset == {float(on[k])!r} s)",
                   "Drop such events (events[events.offset > events.onset]), or pass "
                   "allow_zero_length=True to evaluate them as sed_eval does.")
    if require_label:
        _first_bad(df, ~marker & no_label, "has no event_label",
                   "Every event needs a label: fill the column, or read label-less files "
                   "with read_events(path, default_label='...') (sed_eval silently ignores "
                   "unlabelled events).")
    df["onset"] = on
    df["offset"] = off
    return df


def _event_rows(df):
    """The rows of a checked table that are events (not recording markers)."""
    marker = _missing(df["onset"]) & _missing(df["offset"]) & _missing(df["event_label"])
    return df[~marker]


# -- the text format -------------------------------------------------------------------------
def _delimiter(lines: list[str]) -> str | None:
    """Tab if any line has one; else ``;`` or ``,`` (csv.Sniffer); else whitespace (None)."""
    if any("\t" in ln for ln in lines):
        return "\t"
    sample = "\n".join(lines[:50])
    if ";" in sample or "," in sample:
        try:
            return csv.Sniffer().sniff(sample, delimiters=";,").delimiter
        except csv.Error:
            return ";" if ";" in sample else ","
    return None


def _number(cell: str, decimal_comma: bool) -> float | None:
    try:
        return float(cell)
    except ValueError:
        if decimal_comma and "," in cell:
            try:
                return float(cell.replace(",", "."))
            except ValueError:
                return None
        return None


@validate_params({"default_label": [None, str]})
def read_events(path, *, default_label: str | None = None):
    """Read an event annotation file (DCASE / sed_eval tab-separated text).

    One line per event, the layouts that ``sed_eval.io.load_event_list``
    (dcase_util's ``MetaDataContainer.load``) reads:

    - ``onset<TAB>offset<TAB>event_label`` (one file per recording),
    - ``onset<TAB>offset`` (no label: see ``default_label``),
    - ``filename<TAB>onset<TAB>offset<TAB>event_label`` and
      ``filename<TAB>onset<TAB>offset`` (several recordings in one file),
    - ``filename<TAB>scene_label<TAB>onset<TAB>offset[<TAB>event_label
      [<TAB>source_label[<TAB>identifier]]]`` (DCASE 2016/2017),
    - ``filename`` alone: a recording without events (DCASE 2017 task 2),

    and files with a header line naming these columns (the DCASE task 4 /
    DESED ``.tsv`` files: ``filename  onset  offset  event_label``).
    Times are seconds. The delimiter is a tab, or else ``;`` or ``,``
    (sniffed), or else runs of spaces; with a tab or ``;`` delimiter a decimal
    comma is read as a point (as dcase_util does). Blank lines are skipped.

    Parameters
    ----------
    path : str, path-like or text file object
        The file (UTF-8).
    default_label : str or None, default=None
        Label given to events that have none (``onset<TAB>offset`` lines or an
        empty label cell). sed_eval silently skips unlabelled events; here they
        keep a missing label, which the metrics and :func:`events_to_frames`
        refuse, naming the row.

    Returns
    -------
    DataFrame
        Columns ``filename`` (when the file has filenames), ``onset`` and
        ``offset`` (float64 seconds), ``event_label`` (str, or missing), then
        ``scene_label``, ``source_label`` and ``identifier`` when present;
        one row per line, in file order, with a default index. Zero-length
        events (``onset == offset``, found in published annotations) are
        kept; :func:`check_events` and the metrics refuse them unless told
        ``allow_zero_length=True``.

    Raises
    ------
    ValueError
        If a line fits none of the layouts, some lines have a filename and
        others not, or an event has a non-finite or negative time or an onset
        after its offset. The message names the file and line.
    ImportError
        If pandas is not installed (``pip install sklaudio[events]``).

    See Also
    --------
    write_events : The inverse.
    check_events : The validation the metrics apply to the result.

    Examples
    --------
    >>> import io
    >>> from sklaudio.events import read_events
    >>> text = "0.5\\t1.25\\tdog\\n2.0\\t3.5\\tcar horn\\n"
    >>> read_events(io.StringIO(text))
       onset  offset event_label
    0    0.5    1.25         dog
    1    2.0    3.50    car horn
    >>> read_events(io.StringIO("a.wav\\t0.5\\t1.0\\tdog\\nb.wav\\n"))
      filename  onset  offset event_label
    0    a.wav    0.5     1.0         dog
    1    b.wav    NaN     NaN         NaN
    """
    pd = _pandas()
    if hasattr(path, "read"):
        text, name = path.read(), getattr(path, "name", "<file object>")
    else:
        name = os.fspath(path)
        with open(name, encoding="utf-8", newline="") as f:
            text = f.read()
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    numbered = [(k + 1, ln) for k, ln in enumerate(text.splitlines()) if ln.strip()]
    delim = _delimiter([ln for _, ln in numbered])
    decimal_comma = delim in ("\t", ";", None)
    if delim is None:
        rows = [(n, ln.split()) for n, ln in numbered]
    else:
        rows = [(n, next(csv.reader([ln], delimiter=delim))) for n, ln in numbered]
    rows = [(n, [c.strip() for c in cells]) for n, cells in rows]

    header = None
    if rows:
        first = [c.lower() for c in rows[0][1]]
        names = {_ALIASES.get(c, c) for c in first}
        if {"onset", "offset"} <= names and all(_number(c, False) is None for c in first):
            header = [_ALIASES.get(c, c) for c in first]
            rows = rows[1:]

    records: list[dict] = []
    with_file: bool | None = None
    for n, cells in rows:
        where = f"{name}, line {n}"
        while cells and cells[-1] == "":
            cells = cells[:-1]
        if header is not None:
            if len(cells) > len(header):
                raise ValueError(f"{where}: {len(cells)} cells for the {len(header)} columns "
                                 f"of the header {header}.")
            rec = {c: v for c, v in zip(header, cells) if v != ""}
            if not {"onset", "offset", "event_label"} & set(rec):
                if "filename" not in rec:
                    raise ValueError(f"{where}: neither an event nor a filename; "
                                     f"{_FORMAT_HINT}.")
                has_file = True  # a recording without events
            else:
                has_file = "filename" in header
                for c in ("onset", "offset"):
                    if c not in rec or _number(rec[c], decimal_comma) is None:
                        raise ValueError(f"{where}: {c} {rec.get(c, '')!r} is not a number "
                                         f"of seconds.")
        else:
            nums = [_number(c, decimal_comma) for c in cells]
            if len(cells) == 1 and nums[0] is None:
                cols: tuple = ("filename",)
            else:
                cols = _LAYOUTS.get("".join("s" if v is None else "n" for v in nums))
                if cols is None or "" in cells:
                    raise ValueError(f"{where}: cannot read {cells} as an event; "
                                     f"{_FORMAT_HINT}.")
            rec = dict(zip(cols, cells))
            has_file = "filename" in cols
        if with_file is None:
            with_file = has_file
        elif has_file != with_file:
            raise ValueError(
                f"{where}: {'a' if has_file else 'no'} filename, unlike the lines before it; "
                f"a file lists either one recording (no filenames) or several (a filename "
                f"on every line).")
        if "onset" in rec:
            on = _number(rec["onset"], decimal_comma)
            off = _number(rec["offset"], decimal_comma)
            if not (math.isfinite(on) and math.isfinite(off)):
                raise ValueError(f"{where}: onset {on!r} and offset {off!r} must be finite "
                                 f"seconds.")
            if on < 0:
                raise ValueError(f"{where}: negative onset {on!r} s; times are seconds from "
                                 f"the start of the recording.")
            if on > off:
                raise ValueError(f"{where}: onset {on!r} s is after offset {off!r} s; an "
                                 f"event must end after it starts.")
            rec["onset"], rec["offset"] = on, off
            rec.setdefault("event_label", default_label)
        records.append(rec)

    order = (["filename"] if with_file else []) + list(EVENT_COLUMNS) + [
        c for c in ("scene_label", "source_label", "identifier")
        if any(c in r for r in records)]
    if header is not None:
        order += [c for c in header if c not in order]
    df = pd.DataFrame.from_records(records, columns=order)
    df["onset"] = df["onset"].astype(np.float64)
    df["offset"] = df["offset"].astype(np.float64)
    return df


def _format_time(x: float) -> str:
    """Shortest decimal that reads back to the same float (no exponent)."""
    return np.format_float_positional(float(x), unique=True, trim="0")


def write_events(events, path) -> None:
    """Write an event table as tab-separated text (the DCASE / sed_eval format).

    Each event becomes ``[filename<TAB>]onset<TAB>offset[<TAB>event_label]``
    (the filename when the table has a ``filename`` column; the label when the
    event has one), each recording marker a line with its filename alone.
    Times are written as the shortest decimals that read back to the same
    floats, so :func:`read_events` returns the table unchanged. Other columns
    are not written. sed_eval (``sed_eval.io.load_event_list``) reads the
    result.

    Parameters
    ----------
    events : DataFrame or list of dict
        Event table (:func:`check_events`; labels may be missing).
    path : str, path-like or text file object
        Destination; an existing file is overwritten.

    Returns
    -------
    None
        The table is written to ``path``.

    Raises
    ------
    ValueError
        If ``events`` is invalid (:func:`check_events`).
    ImportError
        If pandas is not installed (``pip install sklaudio[events]``).

    Examples
    --------
    >>> import io
    >>> import pandas as pd
    >>> from sklaudio.events import read_events, write_events
    >>> df = pd.DataFrame({"onset": [0.1, 2.0], "offset": [1.0, 3.25],
    ...                    "event_label": ["dog", "car"]})
    >>> buf = io.StringIO()
    >>> write_events(df, buf)
    >>> print(buf.getvalue(), end="")
    0.1	1.0	dog
    2.0	3.25	car
    >>> read_events(io.StringIO(buf.getvalue())).equals(df)
    True
    """
    df = check_events(events, require_label=False, allow_zero_length=True)
    has_file = "filename" in df.columns
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    labels_missing = _missing(df["event_label"])
    on, off = df["onset"].to_numpy(), df["offset"].to_numpy()
    files = df["filename"].to_numpy(dtype=object) if has_file else None
    labels = df["event_label"].to_numpy(dtype=object)
    for k in range(len(df)):
        row = [str(files[k])] if has_file else []
        if not np.isnan(on[k]):
            row += [_format_time(on[k]), _format_time(off[k])]
            if not labels_missing[k]:
                row.append(str(labels[k]))
        writer.writerow(row)
    if hasattr(path, "write"):
        path.write(out.getvalue())
    else:
        with open(os.fspath(path), "w", encoding="utf-8", newline="") as f:
            f.write(out.getvalue())


# -- frame targets ---------------------------------------------------------------------------
def _single_recording(df, what: str):
    if "filename" in df.columns:
        files = df["filename"].dropna().unique()
        if len(files) > 1:
            raise ValueError(
                f"{what} takes the events of one recording, got {len(files)} filenames "
                f"({list(files[:3])}...); select one: events[events.filename == name].")


def _resolve_classes(labels, classes, what: str = "classes") -> list:
    if classes is None:
        uniq = list(dict.fromkeys(labels))
        try:
            return sorted(uniq)
        except TypeError:
            raise ValueError(f"The event labels {uniq} cannot be sorted into a default class "
                             f"order; pass {what} explicitly.") from None
    classes = list(classes)
    if len(set(classes)) != len(classes):
        raise_invalid(what, "a sequence of distinct labels", classes)
    return classes


@validate_params({
    "n_frames": [Interval(numbers.Integral, 0, None, closed="left")],
    "sample_rate": SAMPLE_RATE["sample_rate"],
    "hop_length": STFT["hop_length"],
    "n_fft": [STFT["n_fft"][0], None],
    "center": ["boolean"],
    "classes": [None, "array-like"],
})
def events_to_frames(events, n_frames: int, *, sample_rate: float, hop_length: int,
                     n_fft: int | None = None, center: bool = True,
                     classes: Sequence | None = None):
    """Frame-level 0/1 targets of one recording's events, aligned with sklaudio's frames.

    Frame ``k`` of a frame-feature estimator (``transform_frames``) or a
    :mod:`sklaudio.functional` function has its centre at

    - ``t_k = k * hop_length / sample_rate`` with ``center=True`` (the frame
      covers samples ``[k*hop - n_fft//2, k*hop - n_fft//2 + n_fft)`` of the
      padded signal, centred on sample ``k*hop``),
    - ``t_k = (k * hop_length + n_fft // 2) / sample_rate`` with
      ``center=False`` (the frame covers samples ``[k*hop, k*hop + n_fft)``),

    as :func:`sklaudio.functional.frames_to_time` gives. **Rule:** frame ``k``
    is active for class ``c`` when its centre falls inside an event of class
    ``c``: ``onset <= t_k < offset``. An event shorter than the hop may so
    cover no frame; overlapping events of one class give 1, not 2.

    Parameters
    ----------
    events : DataFrame or list of dict
        Events of one recording (:func:`check_events`): ``onset``, ``offset``
        in seconds, ``event_label``; a ``filename`` column may hold one name.
    n_frames : int
        Number of frames, e.g. ``transform_frames(X)[i].shape[1]``.
    sample_rate : float
        Sampling rate in Hz of the audio the frames come from.
    hop_length : int
        Hop between frames in samples.
    n_fft : int or None, default=None
        Frame length in samples; needed with ``center=False``, ignored with
        ``center=True``.
    center : bool, default=True
        The framing of the features (sklaudio's and librosa's default: True).
    classes : sequence of labels or None, default=None
        Column order of the targets; ``None``: the sorted labels of
        ``events``. Pass the same list for every recording of a data set.

    Returns
    -------
    targets : ndarray of shape (n_frames, n_classes), float64
        1.0 where a frame is active for a class, else 0.0.
    classes : ndarray of shape (n_classes,)
        The label of each column.

    Raises
    ------
    ValueError
        If ``events`` is invalid (:func:`check_events`), covers several
        recordings, or has a label that is not in ``classes``.
    InvalidParameterError
        If a parameter is invalid, or ``n_fft`` is None with ``center=False``.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklaudio.events import events_to_frames
    >>> ev = pd.DataFrame({"onset": [0.02, 0.05], "offset": [0.045, 0.08],
    ...                    "event_label": ["dog", "cat"]})
    >>> Y, classes = events_to_frames(ev, 10, sample_rate=1000, hop_length=10)
    >>> classes.tolist()
    ['cat', 'dog']
    >>> Y.T
    array([[0., 0., 0., 0., 0., 1., 1., 1., 0., 0.],
           [0., 0., 1., 1., 1., 0., 0., 0., 0., 0.]])
    """
    if not center and n_fft is None:
        raise_invalid("n_fft", "an int in the range [2, inf) (samples) when center=False",
                      n_fft)
    df = check_events(events)
    _single_recording(df, "events_to_frames")
    df = _event_rows(df)
    labels = df["event_label"].tolist()
    classes = _resolve_classes(labels, classes)
    index = {c: k for k, c in enumerate(classes)}
    unknown = np.array([lab not in index for lab in labels], dtype=bool)
    _first_bad(df, unknown,
               lambda k: f"has event_label {labels[k]!r} which is not in classes {classes}",
               "Add the label to classes or drop the row.")
    times = frames_to_time(np.arange(n_frames), sample_rate=sample_rate,
                           hop_length=hop_length, n_fft=None if center else n_fft)
    targets = np.zeros((n_frames, len(classes)), dtype=np.float64)
    first = np.searchsorted(times, df["onset"].to_numpy(), side="left")
    stop = np.searchsorted(times, df["offset"].to_numpy(), side="left")
    for a, b, lab in zip(first, stop, labels):
        targets[a:b, index[lab]] = 1.0
    return targets, np.asarray(classes)
