"""Event-based and segment-based sound event detection metrics, equal to sed_eval's.

The counts and every formula follow sed_eval 0.2.1 (``sed_eval.sound_event``,
``sed_eval.metric``), written anew from its definitions: same conditions
(``<=`` at the collars), same event pairing (:mod:`._matching`), same
``eps`` in the rates, same NaN rules. The results equal sed_eval's to the last
bit on the randomised comparison of ``benchmarks/events_vs_sed_eval.py``.
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._params import Interval, StrOptions, raise_invalid, validate_params
from ._annotations import (
    _event_rows,
    _index_label,
    _pandas,
    _resolve_classes,
    check_events,
)
from ._matching import greedy_matching, optimal_matching

__all__ = ["MetricsResult", "event_based_metrics", "segment_based_metrics"]

#: sed_eval's ``eps`` (``numpy.spacing(1)``) in the denominators of the rates.
EPS = float(np.spacing(1))

_OVERALL_EVENT = ("f_measure", "precision", "recall", "error_rate", "substitution_rate",
                  "deletion_rate", "insertion_rate")
_ACCURACY = ("sensitivity", "specificity", "balanced_accuracy", "accuracy")


# -- the formulas of sed_eval.metric ----------------------------------------------------------
def _precision(ntp, nsys, zero_score: bool = False) -> float:
    if nsys == 0:
        return 0.0 if zero_score else math.nan
    return ntp / float(nsys)


def _recall(ntp, nref) -> float:
    return math.nan if nref == 0 else ntp / float(nref)


def _f_measure(p: float, r: float) -> float:
    if p == 0 and r == 0:
        return 0.0
    return 2.0 * p * r / (p + r)


def _rate(n, nref) -> float:
    """``n / (Nref + eps)``: finite (and huge) when there is no reference event."""
    return n / (float(nref) + EPS)


def _accuracy(ntp, ntn, nfp, nfn) -> dict[str, float]:
    sens = ntp / (float(ntp + nfn) + EPS)
    spec = ntn / (float(ntn + nfp) + EPS)
    return {"sensitivity": sens, "specificity": spec,
            "balanced_accuracy": 0.5 * sens + 0.5 * spec,
            "accuracy": (ntp + ntn) / (float(ntp + ntn + nfn + nfp) + EPS)}


def _nanmean(values: list[float]) -> float:
    if not values:
        return math.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN: NaN, as sed_eval
        return float(np.nanmean(values))


# -- the result -------------------------------------------------------------------------------
@dataclass(frozen=True)
class MetricsResult:
    """Results of :func:`event_based_metrics` or :func:`segment_based_metrics`.

    The three mappings hold sed_eval's numbers under sed_eval's names, flat:
    ``result.overall["f_measure"]`` is sed_eval's
    ``results()["overall"]["f_measure"]["f_measure"]``.

    Parameters
    ----------
    kind : {"event-based", "segment-based"}
        Which metric.
    params : dict
        The parameters used (collar, resolution, ...).
    n_files : int
        Number of recordings evaluated.
    evaluated_length : float
        Seconds evaluated, as sed_eval reports it: the sum over recordings of
        the last reference offset (event-based), or of the last offset of
        either list (segment-based).
    overall : dict
        Micro-averaged metrics (counts pooled over classes and recordings):
        ``f_measure``, ``precision``, ``recall``, ``error_rate``,
        ``substitution_rate``, ``deletion_rate``, ``insertion_rate``, and the
        counts: ``Nref``, ``Nsys``, ``Ntp``, ``Nfp``, ``Nfn`` and ``Nsubs``
        (event-based) or ``Ntn``, ``S``, ``D``, ``I`` (segment-based, which
        also has ``sensitivity``, ``specificity``, ``balanced_accuracy`` and
        ``accuracy``).
    class_wise : dict
        Label -> dict of the same metrics for that class (no substitutions:
        a class's errors are deletions ``Nfn`` and insertions ``Nfp``), with
        counts ``Nref``, ``Nsys``, ``Ntp``, ``Nfp``, ``Nfn`` (and ``Ntn``).
    class_wise_average : dict
        Macro average: the mean over classes of each class-wise metric,
        ignoring the classes where it is NaN (``numpy.nanmean``, as sed_eval).

    Notes
    -----
    Undefined values follow sed_eval: precision is NaN without system events
    (0 with ``empty_system_output_handling="zero_score"``), recall NaN without
    reference events, F NaN if either is NaN (0 if both are 0). The rates
    divide by ``Nref + eps`` with ``eps = numpy.spacing(1)``, so with no
    reference event they are not NaN but huge (``N / 2.2e-16``): read
    ``Nref`` before trusting an error rate.
    """

    kind: str
    params: dict
    n_files: int
    evaluated_length: float
    overall: dict
    class_wise: dict
    class_wise_average: dict = field(default_factory=dict)

    def results(self) -> dict:
        """The same numbers nested as sed_eval's ``results()`` dict.

        Returns
        -------
        dict
            ``{"overall": {"f_measure": {...}, "error_rate": {...},
            "accuracy": {...}}, "class_wise": {label: {"f_measure": ...,
            "error_rate": ..., "accuracy": ..., "count": {"Nref", "Nsys"}}},
            "class_wise_average": {...}}``; ``accuracy`` is ``{}`` for
            event-based metrics, and ``class_wise_average`` sections are
            ``{}`` without classes, as in sed_eval.
        """
        seg = self.kind == "segment-based"

        def pick(d, keys):
            return {k: d[k] for k in keys}

        fm = ("f_measure", "precision", "recall")
        er_class = ("error_rate", "deletion_rate", "insertion_rate")
        overall = {"f_measure": pick(self.overall, fm),
                   "error_rate": pick(self.overall, ("error_rate", "substitution_rate",
                                                     "deletion_rate", "insertion_rate")),
                   "accuracy": pick(self.overall, _ACCURACY) if seg else {}}
        class_wise = {
            label: {"f_measure": pick(m, fm), "accuracy": pick(m, _ACCURACY) if seg else {},
                    "error_rate": pick(m, er_class),
                    "count": {"Nref": float(m["Nref"]), "Nsys": float(m["Nsys"])}}
            for label, m in self.class_wise.items()}
        if self.class_wise:
            avg = {"f_measure": pick(self.class_wise_average, fm),
                   "error_rate": pick(self.class_wise_average, er_class),
                   "accuracy": pick(self.class_wise_average, _ACCURACY) if seg else {}}
        else:
            avg = {"f_measure": {}, "error_rate": {}, "accuracy": {}}
        return {"overall": overall, "class_wise": class_wise, "class_wise_average": avg}

    def to_frame(self):
        """All metrics as a table: one row per class, then the two averages.

        Returns
        -------
        DataFrame
            Index ``(scope, event_label)``: ``("class", label)`` for each
            class, ``("overall", "")`` (micro) and ``("class_wise_average",
            "")`` (macro); columns the metric and count names (NaN where a
            row has no such entry, e.g. ``substitution_rate`` per class).
        """
        pd = _pandas()
        rows = [(("class", label), m) for label, m in self.class_wise.items()]
        rows += [(("overall", ""), self.overall),
                 (("class_wise_average", ""), self.class_wise_average)]
        index = pd.MultiIndex.from_tuples([k for k, _ in rows], names=["scope", "event_label"])
        return pd.DataFrame([dict(m) for _, m in rows], index=index)

    def __str__(self) -> str:
        def pct(x):
            return "    nan" if math.isnan(x) else f"{100 * x:6.1f}%"

        def num(x):
            return "   nan" if math.isnan(x) else f"{x:6.2f}"

        params = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        o, a = self.overall, self.class_wise_average
        lines = [f"{self.kind.capitalize()} metrics ({params})",
                 (f"  {self.n_files} file(s), {self.evaluated_length:.2f} s evaluated, "
                  f"Nref={o['Nref']:g}, Nsys={o['Nsys']:g}"),
                 (f"  Overall (micro):     F {pct(o['f_measure'])}  P {pct(o['precision'])}  "
                  f"R {pct(o['recall'])}  ER {num(o['error_rate'])}  "
                  f"S {num(o['substitution_rate'])}  D {num(o['deletion_rate'])}  "
                  f"I {num(o['insertion_rate'])}")]
        if self.class_wise:
            lines.append(f"  Class-wise (macro):  F {pct(a['f_measure'])}  "
                         f"P {pct(a['precision'])}  R {pct(a['recall'])}  "
                         f"ER {num(a['error_rate'])}  D {num(a['deletion_rate'])}  "
                         f"I {num(a['insertion_rate'])}")
            width = max(11, *(len(str(k)) for k in self.class_wise))
            lines.append(f"  {'event_label':<{width}}  {'Nref':>6} {'Nsys':>6}  {'F':>7} "
                         f"{'P':>7} {'R':>7}  {'ER':>6} {'D':>6} {'I':>6}")
            for label, m in self.class_wise.items():
                lines.append(f"  {label!s:<{width}}  {m['Nref']:>6g} {m['Nsys']:>6g}  "
                             f"{pct(m['f_measure'])} {pct(m['precision'])} "
                             f"{pct(m['recall'])}  {num(m['error_rate'])} "
                             f"{num(m['deletion_rate'])} {num(m['insertion_rate'])}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        o = self.overall
        return (f"MetricsResult(kind={self.kind!r}, n_files={self.n_files}, "
                f"f_measure={o['f_measure']!r}, error_rate={o['error_rate']!r}, "
                f"classes={list(self.class_wise)!r})")


# -- inputs: per-recording pairs of event arrays ------------------------------------------------
@dataclass
class _Events:
    """One recording's events, in table order: onsets, offsets (s), label codes."""

    onset: np.ndarray
    offset: np.ndarray
    code: np.ndarray

    def __len__(self) -> int:
        return len(self.onset)


def _is_sequence_of_tables(x, pd) -> bool:
    return isinstance(x, (list, tuple)) and len(x) > 0 and isinstance(x[0], pd.DataFrame)


def _split_files(reference, estimated, allow_zero_length: bool) -> list[tuple[Any, Any, Any]]:
    """[(name, reference table, estimated table)] of validated tables, one per recording."""
    pd = _pandas()
    ref_seq, est_seq = _is_sequence_of_tables(reference, pd), _is_sequence_of_tables(estimated, pd)
    if ref_seq or est_seq:
        if not (ref_seq and est_seq) or len(reference) != len(estimated):
            raise ValueError(
                "reference and estimated must both be event tables, or both sequences of "
                "one table per recording of the same length (paired by position); got "
                f"{_describe(reference)} and {_describe(estimated)}.")
        pairs = []
        for k, (r, e) in enumerate(zip(reference, estimated)):
            r = check_events(r, allow_zero_length=allow_zero_length)
            e = check_events(e, allow_zero_length=allow_zero_length)
            for what, t in (("reference", r), ("estimated", e)):
                if "filename" in t.columns and t["filename"].dropna().nunique() > 1:
                    raise ValueError(
                        f"{what}[{k}] holds {t['filename'].dropna().nunique()} filenames; "
                        f"in a sequence each table is one recording. Pass two tables with a "
                        f"'filename' column instead to pair recordings by name.")
            pairs.append((k, r, e))
        return pairs
    ref = check_events(reference, allow_zero_length=allow_zero_length)
    est = check_events(estimated, allow_zero_length=allow_zero_length)
    ref_files = "filename" in ref.columns and len(ref) > 0
    est_files = "filename" in est.columns and len(est) > 0
    if not ref_files and not est_files:
        return [(None, ref, est)]
    for what, t, other in (("reference", ref, est), ("estimated", est, ref)):
        if len(t) > 0 and "filename" not in t.columns:
            raise ValueError(
                f"The {_other(what)} events have a 'filename' column but the {what} "
                f"events have none, so they cannot be paired by recording. Add one "
                f"({what}['filename'] = name), or drop it from the {_other(what)} table "
                f"when both hold one recording.")
    names_ref = set(ref["filename"]) if ref_files else set()
    names_est = set(est["filename"]) if est_files else set()
    if names_ref and names_est and not names_ref & names_est:
        raise ValueError(
            "No filename is shared by the reference and estimated events (e.g. reference "
            f"{sorted(map(str, names_ref))[:2]} vs estimated {sorted(map(str, names_est))[:2]}),"
            " so every reference event would be a deletion and every estimate an insertion. "
            "Make the names agree (e.g. same folder prefix, or only basenames); if the "
            "recordings really differ, list every evaluated recording in the reference (a "
            "row with only a filename marks a recording without events).")
    names = sorted(names_ref | names_est, key=str)
    ref_groups = dict(tuple(ref.groupby("filename", sort=False))) if ref_files else {}
    est_groups = dict(tuple(est.groupby("filename", sort=False))) if est_files else {}
    empty = ref.iloc[:0]
    return [(n, ref_groups.get(n, empty), est_groups.get(n, est.iloc[:0])) for n in names]


def _other(what: str) -> str:
    return "estimated" if what == "reference" else "reference"


def _describe(x) -> str:
    if isinstance(x, (list, tuple)):
        return f"a {type(x).__name__} of {len(x)}"
    return type(x).__name__


def _prepare(reference, estimated, event_label_list, allow_zero_length):
    """Per-recording event arrays with label codes, the evaluated labels and all labels."""
    files = _split_files(reference, estimated, allow_zero_length)
    files = [(n, _event_rows(r), _event_rows(e)) for n, r, e in files]
    ref_labels = [lab for _, r, _ in files for lab in r["event_label"].tolist()]
    labels = _resolve_classes(ref_labels, event_label_list, "event_label_list")
    codes = {lab: k for k, lab in enumerate(labels)}
    for _, r, e in files:  # labels outside the evaluated list get codes after it
        for lab in (*r["event_label"].tolist(), *e["event_label"].tolist()):
            codes.setdefault(lab, len(codes))

    def arrays(t) -> _Events:
        return _Events(t["onset"].to_numpy(np.float64), t["offset"].to_numpy(np.float64),
                       np.array([codes[lab] for lab in t["event_label"].tolist()],
                                dtype=np.int64))

    return [(n, r, e, arrays(r), arrays(e)) for n, r, e in files], labels


_COMMON = {"event_label_list": [None, "array-like"], "allow_zero_length": ["boolean"]}


# -- event-based --------------------------------------------------------------------------------
@validate_params({
    "t_collar": [Interval(numbers.Real, 0, None, closed="neither", unit="s")],
    "percentage_of_length": [Interval(numbers.Real, 0, 1, closed="both")],
    "evaluate_onset": ["boolean"],
    "evaluate_offset": ["boolean"],
    "event_matching_type": [StrOptions({"optimal", "greedy"})],
    "empty_system_output_handling": [None, StrOptions({"zero_score"})],
    **_COMMON,
})
def event_based_metrics(reference, estimated, *, t_collar: float = 0.2,
                        percentage_of_length: float = 0.5, evaluate_onset: bool = True,
                        evaluate_offset: bool = True, event_matching_type: str = "optimal",
                        empty_system_output_handling: str | None = None,
                        event_label_list: Sequence | None = None,
                        allow_zero_length: bool = False) -> MetricsResult:
    """Event-based precision, recall, F-measure and error rate, equal to sed_eval's.

    An estimated event is correct when it has the reference event's label,
    its onset is within ``t_collar`` of the reference onset,
    ``|onset_est - onset_ref| <= t_collar``, and its offset within
    ``max(t_collar, percentage_of_length * (offset_ref - onset_ref))`` of the
    reference offset (both bounds inclusive). Each reference event pairs with
    at most one estimated event and vice versa: ``Ntp`` is the number of pairs.
    Overall (micro) errors: an unpaired reference and an unpaired estimate
    that meet the time conditions with different labels are one substitution
    (paired greedily, reference order then estimate order); the remaining
    unpaired references are deletions, the remaining estimates insertions.
    ``ER = (S + D + I) / Nref``. Class-wise there are no substitutions:
    ``D = Nfn``, ``I = Nfp``. This is sed_eval's ``EventBasedMetrics``;
    the numbers equal those of calling its ``evaluate()`` once per recording
    and then ``results()``.

    Parameters
    ----------
    reference, estimated : DataFrame, list of dict, or sequence of DataFrame
        The annotations and the system output (:func:`check_events`): columns
        ``onset``, ``offset`` (seconds), ``event_label``, and ``filename``
        for several recordings. Recordings are paired by ``filename``: each
        name found in either table is one recording, evaluated with its rows
        from both (a name missing from one side has no events there, so all
        its events count as deletions or insertions); a row with only a
        filename adds a recording without events. Without a ``filename``
        column both tables are one recording. Alternatively, two sequences of
        the same length of one table per recording, paired by position. Within
        a recording the events are taken in table order, as sed_eval takes
        list order (the order can change which events pair up, and so the
        substitution count, never ``Ntp`` with the optimal matching).
    t_collar : float, default=0.2
        Collar in seconds on the onset and (at least) on the offset.
    percentage_of_length : float, default=0.5
        Offset tolerance as a fraction of the reference event's length
        (DCASE uses 0.2), in ``[0, 1]``.
    evaluate_onset, evaluate_offset : bool, default=True
        Which boundaries must match (not both False).
    event_matching_type : {"optimal", "greedy"}, default="optimal"
        "optimal": the most pairs (a maximum bipartite matching, paired as
        sed_eval's Hopcroft-Karp pairs them); "greedy": each reference in
        order takes the first free estimate that hits it (sed_eval's legacy
        mode, order-dependent).
    empty_system_output_handling : {"zero_score"} or None, default=None
        ``"zero_score"``: precision 0 instead of NaN when there is no system
        event (overall, or for a class).
    event_label_list : sequence of labels or None, default=None
        The classes reported class-wise and averaged, in this order. ``None``:
        the sorted labels of the reference (sed_eval's usual
        ``unique_event_labels``). Events with other labels still count
        overall (as in sed_eval).
    allow_zero_length : bool, default=False
        Evaluate events with ``onset == offset`` (as sed_eval does) instead of
        refusing them (:func:`check_events`).

    Returns
    -------
    MetricsResult
        ``overall``, ``class_wise`` and ``class_wise_average`` mappings
        (see :class:`MetricsResult`); ``results()`` nests them as sed_eval.

    Raises
    ------
    ValueError
        If an event is invalid (:func:`check_events`: the row is named), only
        one table has a ``filename`` column, the two tables share no filename,
        or sequences differ in length.
    InvalidParameterError
        If a parameter is invalid, or both ``evaluate_onset`` and
        ``evaluate_offset`` are False.
    ImportError
        If pandas is not installed (``pip install sklaudio[events]``).

    See Also
    --------
    segment_based_metrics

    References
    ----------
    A. Mesaros, T. Heittola and T. Virtanen, "Metrics for polyphonic sound
    event detection", Applied Sciences 6(6):162, 2016.
    https://doi.org/10.3390/app6060162

    sed_eval 0.2.1 (MIT licence), ``sed_eval.sound_event.EventBasedMetrics``,
    https://github.com/TUT-ARG/sed_eval

    Examples
    --------
    >>> import pandas as pd
    >>> from sklaudio.events import event_based_metrics
    >>> ref = pd.DataFrame({"onset": [0.0, 2.8, 6.0], "offset": [2.5, 4.5, 10.0],
    ...                     "event_label": ["car", "car", "car"]})
    >>> est = pd.DataFrame({"onset": [0.2, 6.0], "offset": [3.5, 8.0],
    ...                     "event_label": ["car", "car"]})
    >>> res = event_based_metrics(ref, est, t_collar=0.2)
    >>> res.overall["Ntp"], res.overall["Nref"], res.overall["Nsys"]
    (2, 3, 2)
    >>> round(res.overall["f_measure"], 4), round(res.overall["error_rate"], 4)
    (0.8, 0.3333)
    """
    if not evaluate_onset and not evaluate_offset:
        raise_invalid("evaluate_offset", "True when evaluate_onset is False (at least one "
                      "boundary must be evaluated)", evaluate_offset)
    t_collar, pol = float(t_collar), float(percentage_of_length)
    zero = empty_system_output_handling == "zero_score"
    files, labels = _prepare(reference, estimated, event_label_list, allow_zero_length)
    n_cls = len(labels)
    tot = dict.fromkeys(("Nref", "Nsys", "Ntp", "Nsubs"), 0)
    cls = {k: np.zeros(n_cls, dtype=np.int64) for k in ("Nref", "Nsys", "Ntp")}
    length = 0.0
    for _, _, _, ref, est in files:
        length += float(ref.offset.max()) if len(ref) else 0.0
        ok = np.ones((len(ref), len(est)), dtype=bool)
        if evaluate_onset:
            ok &= np.abs(ref.onset[:, None] - est.onset[None, :]) <= t_collar
        if evaluate_offset:
            tol = np.maximum(t_collar, pol * (ref.offset - ref.onset))
            ok &= np.abs(ref.offset[:, None] - est.offset[None, :]) <= tol[:, None]
        hit = ok & (ref.code[:, None] == est.code[None, :])
        match = (optimal_matching if event_matching_type == "optimal" else greedy_matching)(hit)
        paired_ref = match >= 0
        free_est = np.ones(len(est), dtype=bool)
        free_est[match[paired_ref]] = False
        n_subs = 0
        for r in np.flatnonzero(~paired_ref):
            cand = np.flatnonzero(ok[r] & free_est)
            if cand.size:
                free_est[cand[0]] = False
                n_subs += 1
        tot["Nref"] += len(ref)
        tot["Nsys"] += len(est)
        tot["Ntp"] += int(paired_ref.sum())
        tot["Nsubs"] += n_subs
        cls["Nref"] += np.bincount(ref.code, minlength=n_cls)[:n_cls]
        cls["Nsys"] += np.bincount(est.code, minlength=n_cls)[:n_cls]
        cls["Ntp"] += np.bincount(ref.code[paired_ref], minlength=n_cls)[:n_cls]

    o = tot
    o["Nfp"] = o["Nsys"] - o["Ntp"] - o["Nsubs"]
    o["Nfn"] = o["Nref"] - o["Ntp"] - o["Nsubs"]
    p = _precision(o["Ntp"], o["Nsys"], zero)
    r = _recall(o["Ntp"], o["Nref"])
    s, d, i = _rate(o["Nsubs"], o["Nref"]), _rate(o["Nfn"], o["Nref"]), _rate(o["Nfp"], o["Nref"])
    overall = {"f_measure": _f_measure(p, r), "precision": p, "recall": r,
               "error_rate": s + d + i, "substitution_rate": s, "deletion_rate": d,
               "insertion_rate": i, **o}
    class_wise = {}
    for k, label in enumerate(labels):
        nref, nsys, ntp = (int(cls[c][k]) for c in ("Nref", "Nsys", "Ntp"))
        class_wise[label] = _class_metrics(ntp, nref, nsys, nsys - ntp, nref - ntp, zero)
    params = {"t_collar": t_collar, "percentage_of_length": pol,
              "evaluate_onset": evaluate_onset, "evaluate_offset": evaluate_offset,
              "event_matching_type": event_matching_type,
              "empty_system_output_handling": empty_system_output_handling}
    return MetricsResult("event-based", params, len(files), length, overall, class_wise,
                         _macro(class_wise, accuracy=False))


def _class_metrics(ntp, nref, nsys, nfp, nfn, zero: bool = False) -> dict:
    p, r = _precision(ntp, nsys, zero), _recall(ntp, nref)
    d, i = _rate(nfn, nref), _rate(nfp, nref)
    return {"f_measure": _f_measure(p, r), "precision": p, "recall": r,
            "error_rate": d + i, "deletion_rate": d, "insertion_rate": i,
            "Nref": nref, "Nsys": nsys, "Ntp": ntp, "Nfp": nfp, "Nfn": nfn}


def _macro(class_wise: Mapping, accuracy: bool) -> dict:
    keys = ["f_measure", "precision", "recall", "error_rate", "deletion_rate",
            "insertion_rate"] + (list(_ACCURACY) if accuracy else [])
    return {k: _nanmean([m[k] for m in class_wise.values()]) for k in keys}


# -- segment-based ------------------------------------------------------------------------------
def _activity(ev: _Events, n_seg: int, n_codes: int, resolution: float) -> np.ndarray:
    """(n_seg, n_codes) bool: segments ``floor(onset/res)`` to ``ceil(offset/res) - 1``."""
    edges = np.zeros((n_seg + 1, n_codes), dtype=np.int64)
    first = np.floor(ev.onset / resolution).astype(np.int64)
    stop = np.ceil(ev.offset / resolution).astype(np.int64)
    np.add.at(edges, (first, ev.code), 1)
    np.add.at(edges, (stop, ev.code), -1)
    return np.cumsum(edges, axis=0)[:n_seg] > 0


@validate_params({
    "time_resolution": [Interval(numbers.Real, 0, None, closed="neither", unit="s")],
    **_COMMON,
})
def segment_based_metrics(reference, estimated, *, time_resolution: float = 1.0,
                          event_label_list: Sequence | None = None,
                          allow_zero_length: bool = False) -> MetricsResult:
    """Segment-based precision, recall, F-measure, error rate and accuracy, equal to sed_eval's.

    Each recording is cut into segments of ``time_resolution`` seconds, from
    0 to ``ceil(max_offset / time_resolution)`` where ``max_offset`` is the
    last offset of either table. An event makes its class active in segments
    ``floor(onset / res)`` up to ``ceil(offset / res) - 1`` (any overlap
    counts). Per segment, with ``Nref``/``Nsys`` active classes in the
    reference/estimate and ``Ntp`` in both, ``S = min(Nref, Nsys) - Ntp``,
    ``D = max(0, Nref - Nsys)``, ``I = max(0, Nsys - Nref)``; all counts are
    summed over segments and recordings before the metrics are computed
    (micro), and per class (``D = Nfn``, ``I = Nfp``). This is sed_eval's
    ``SegmentBasedMetrics``, the numbers equal those of calling its
    ``evaluate()`` once per recording and then ``results()``.

    Parameters
    ----------
    reference, estimated : DataFrame, list of dict, or sequence of DataFrame
        As in :func:`event_based_metrics` (recordings paired by
        ``filename``, or by position in two sequences).
    time_resolution : float, default=1.0
        Segment length in seconds.
    event_label_list : sequence of labels or None, default=None
        The classes, in this order; ``None``: the sorted labels of the
        reference. Every event's label must be in it (sed_eval fails on
        others).
    allow_zero_length : bool, default=False
        Evaluate events with ``onset == offset`` (as sed_eval does) instead of
        refusing them (:func:`check_events`).

    Returns
    -------
    MetricsResult
        ``overall`` (with ``S``, ``D``, ``I``, ``Ntn`` and the accuracy
        metrics ``sensitivity``, ``specificity``, ``balanced_accuracy``,
        ``accuracy``), ``class_wise`` and ``class_wise_average``.

    Raises
    ------
    ValueError
        If an event is invalid (:func:`check_events`), has a label outside
        ``event_label_list``, or the tables cannot be paired by recording
        (see :func:`event_based_metrics`).
    InvalidParameterError
        If a parameter is invalid.
    ImportError
        If pandas is not installed (``pip install sklaudio[events]``).

    See Also
    --------
    event_based_metrics

    References
    ----------
    A. Mesaros, T. Heittola and T. Virtanen, "Metrics for polyphonic sound
    event detection", Applied Sciences 6(6):162, 2016.
    https://doi.org/10.3390/app6060162

    sed_eval 0.2.1 (MIT licence), ``sed_eval.sound_event.SegmentBasedMetrics``,
    https://github.com/TUT-ARG/sed_eval

    Examples
    --------
    >>> import pandas as pd
    >>> from sklaudio.events import segment_based_metrics
    >>> ref = pd.DataFrame({"onset": [0.0, 2.8, 6.0], "offset": [2.5, 4.5, 10.0],
    ...                     "event_label": ["car", "car", "car"]})
    >>> est = pd.DataFrame({"onset": [1.0, 7.0], "offset": [3.5, 8.0],
    ...                     "event_label": ["car", "car"]})
    >>> res = segment_based_metrics(ref, est, time_resolution=1.0)
    >>> res.overall["Ntp"], res.overall["Nref"], res.overall["Nsys"]
    (4, 9, 4)
    >>> round(res.overall["error_rate"], 4), res.overall["accuracy"]
    (0.5556, 0.5)
    """
    res = float(time_resolution)
    files, labels = _prepare(reference, estimated, event_label_list, allow_zero_length)
    n_cls = len(labels)
    for name, ref_table, est_table, ref, est in files:
        for what, table, ev in (("reference", ref_table, ref), ("estimated", est_table, est)):
            outside = ev.code >= n_cls
            if outside.any():
                k = int(np.argmax(outside))
                in_file = f" (filename {name!r})" if "filename" in table.columns else ""
                raise ValueError(
                    f"Invalid events: {what} row {_index_label(table, k)!r}{in_file} has event_label "
                    f"{table['event_label'].iloc[k]!r}, which is not among the evaluated "
                    f"labels {labels} (event_label_list, by default the reference's labels). "
                    f"Add it to event_label_list or drop the row.")
    keys = ("Ntp", "Ntn", "Nfp", "Nfn", "Nref", "Nsys")
    o = dict.fromkeys(keys + ("S", "D", "I"), 0)
    cls = {k: np.zeros(n_cls, dtype=np.int64) for k in keys}
    length = 0.0
    for _, _, _, ref, est in files:
        last = max(float(ref.offset.max()) if len(ref) else 0.0,
                   float(est.offset.max()) if len(est) else 0.0)
        length += last
        n_seg = math.ceil(last / res)
        R = _activity(ref, n_seg, n_cls, res)
        E = _activity(est, n_seg, n_cls, res)
        counts = {"Ntp": R & E, "Ntn": ~R & ~E, "Nfp": E & ~R, "Nfn": R & ~E,
                  "Nref": R, "Nsys": E}
        for k, m in counts.items():
            cls[k] += m.sum(axis=0)
            o[k] += int(m.sum())
        nref, nsys, ntp = R.sum(axis=1), E.sum(axis=1), (R & E).sum(axis=1)
        o["S"] += int((np.minimum(nref, nsys) - ntp).sum())
        o["D"] += int(np.maximum(0, nref - nsys).sum())
        o["I"] += int(np.maximum(0, nsys - nref).sum())

    p, r = _precision(o["Ntp"], o["Nsys"]), _recall(o["Ntp"], o["Nref"])
    s, d, i = _rate(o["S"], o["Nref"]), _rate(o["D"], o["Nref"]), _rate(o["I"], o["Nref"])
    overall = {"f_measure": _f_measure(p, r), "precision": p, "recall": r,
               "error_rate": s + d + i, "substitution_rate": s, "deletion_rate": d,
               "insertion_rate": i, **_accuracy(o["Ntp"], o["Ntn"], o["Nfp"], o["Nfn"]), **o}
    class_wise = {}
    for k, label in enumerate(labels):
        c = {key: int(cls[key][k]) for key in keys}
        m = _class_metrics(c["Ntp"], c["Nref"], c["Nsys"], c["Nfp"], c["Nfn"])
        m.update(_accuracy(c["Ntp"], c["Ntn"], c["Nfp"], c["Nfn"]))
        m["Ntn"] = c["Ntn"]
        class_wise[label] = m
    return MetricsResult("segment-based", {"time_resolution": res}, len(files), length,
                         overall, class_wise, _macro(class_wise, accuracy=True))
