"""sklaudio.events metrics against sed_eval on randomly generated event lists.

Generates ``--cases`` random evaluations (several recordings each; random
onsets and durations on a coarse grid, so that collar and segment boundaries
are hit exactly, or continuous; estimates jittered from the reference,
relabelled, dropped, duplicated or random; empty and identical lists;
overlapping events of one class; random parameters), computes every number of
sed_eval's ``results()`` with sed_eval (one ``evaluate()`` per recording) and
with :func:`sklaudio.events.event_based_metrics` /
:func:`sklaudio.events.segment_based_metrics`, and prints, per metric key, the
largest absolute difference and the number of values compared. NaN must match
NaN. Exits with status 1 if any difference exceeds ``--tol``.

Usage (needs ``pip install sed_eval`` and ``pip install sklaudio[events]``)::

    python benchmarks/events_vs_sed_eval.py                 # 2,000 cases, seed 0, ~40 s
    python benchmarks/events_vs_sed_eval.py --cases 5000 --seed 1

Also evaluates the event files of sed_eval's own test suite, copied to
``tests/data/sed_eval`` (``--sed-eval-data``; pass ``--sed-eval-data ''`` to
skip them).
"""

from __future__ import annotations

import argparse
import math
import pathlib
import sys
import time
import warnings
from collections import defaultdict

import numpy as np
import pandas as pd

from sklaudio.events import event_based_metrics, read_events, segment_based_metrics

LABELS = ["car", "dog", "speech", "alarm"]
DEFAULT_DATA = pathlib.Path(__file__).resolve().parents[1] / "tests" / "data" / "sed_eval"


# -- generation -----------------------------------------------------------------------------
def _times(rng, n, grid):
    if grid:
        step = rng.choice([0.05, 0.1, 0.25, 0.5])
        on = rng.integers(0, int(10 / step), n) * step
        dur = rng.integers(1, int(3 / step) + 1, n) * step
    else:
        on = rng.uniform(0, 10, n)
        dur = rng.exponential(1.0, n) + 1e-3
    return on, on + dur


def random_case(rng):
    """(reference, estimated) DataFrames with a filename column, and the labels used."""
    n_files = int(rng.integers(1, 5))
    labels = LABELS[:int(rng.integers(1, len(LABELS) + 1))]
    grid = rng.random() < 0.6
    ref_rows, est_rows = [], []
    for f in range(n_files):
        name = f"rec{f}.wav"
        n = int(rng.integers(0, 9))
        on, off = _times(rng, n, grid)
        lab = rng.choice(labels, n)
        ref = list(zip(on.tolist(), off.tolist(), lab.tolist()))
        mode = rng.random()
        if mode < 0.1:
            est = list(ref)                                       # identical
        elif mode < 0.15:
            est = []                                              # nothing detected
        else:
            est = []
            for o, e, lb in ref:
                if rng.random() < 0.2:
                    continue                                      # missed
                step = 0.05 if grid else rng.uniform(0.01, 0.1)
                o2 = max(0.0, o + step * rng.integers(-6, 7))
                e2 = max(o2 + step, e + step * rng.integers(-8, 9))
                if rng.random() < 0.2:
                    lb = rng.choice(labels)                       # maybe relabelled
                est.append((o2, e2, str(lb)))
                if rng.random() < 0.1:
                    est.append((o2, e2, str(lb)))                 # duplicate
            m = int(rng.integers(0, 4))
            o3, e3 = _times(rng, m, grid)
            est += list(zip(o3.tolist(), e3.tolist(), rng.choice(labels, m).tolist()))
            order = rng.permutation(len(est))
            est = [est[k] for k in order]
        if rng.random() < 0.1 and ref:
            ref = []                                              # no reference events
        # every recording is listed in the reference, one without events by its name alone
        ref_rows += [(name, *r) for r in ref] or [(name, np.nan, np.nan, None)]
        est_rows += [(name, *e) for e in est]
    cols = ["filename", "onset", "offset", "event_label"]
    return (pd.DataFrame(ref_rows, columns=cols), pd.DataFrame(est_rows, columns=cols),
            labels)


def random_params(rng, kind):
    if kind == "segment":
        return {"time_resolution": float(rng.choice([1.0, 0.5, 0.25, 0.1,
                                                     round(rng.uniform(0.05, 2), 3)]))}
    onset, offset = [(True, True), (True, False), (False, True)][int(rng.integers(0, 3))]
    return {"t_collar": float(rng.choice([0.2, 0.25, 0.1, 0.5, round(rng.uniform(0.01, 1), 3)])),
            "percentage_of_length": float(rng.choice([0.5, 0.2, 0.0, 1.0,
                                                      round(rng.uniform(0, 1), 3)])),
            "evaluate_onset": onset, "evaluate_offset": offset,
            "event_matching_type": str(rng.choice(["optimal", "greedy"])),
            "empty_system_output_handling": [None, "zero_score"][int(rng.integers(0, 2))]}


# -- sed_eval -------------------------------------------------------------------------------
def sed_eval_results(reference, estimated, kind, params, event_label_list):
    """sed_eval's results(), one evaluate() per recording (recordings paired by filename)."""
    import sed_eval

    if kind == "event":
        metric = sed_eval.sound_event.EventBasedMetrics(event_label_list=list(event_label_list),
                                                        **params)
    else:
        metric = sed_eval.sound_event.SegmentBasedMetrics(
            event_label_list=list(event_label_list), **params)
    names = sorted(set(reference["filename"]) | set(estimated["filename"]))

    def events(df, name):  # a row without onset marks a recording without events
        rows = df[(df["filename"] == name) & df["onset"].notna()]
        return [{"event_onset": float(a), "event_offset": float(b), "event_label": c}
                for a, b, c in zip(rows["onset"], rows["offset"], rows["event_label"])]

    for name in names:
        metric.evaluate(events(reference, name), events(estimated, name))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        out = metric.results()
    # the counts behind the metrics, and what sed_eval reports of the evaluation
    skip = {"ER", "Ntn"} if kind == "event" else {"ER"}
    out["counts"] = {
        "overall": {k: v for k, v in metric.overall.items() if k not in skip},
        "class_wise": {lab: {k: v for k, v in c.items() if k not in skip}
                       for lab, c in metric.class_wise.items()},
        "evaluated_files": metric.evaluated_files,
        "evaluated_length": (metric.evaluated_length if kind == "event"
                             else metric.evaluated_length_seconds)}
    return out


COUNTS = {"event": ("Nref", "Nsys", "Ntp", "Nsubs", "Nfp", "Nfn"),
          "segment": ("Ntp", "Ntn", "Nfp", "Nfn", "Nref", "Nsys", "S", "D", "I")}


def sklaudio_results(reference, estimated, kind, params, event_label_list):
    """The same dict from sklaudio: MetricsResult.results() plus the counts."""
    fn = event_based_metrics if kind == "event" else segment_based_metrics
    res = fn(reference, estimated, event_label_list=event_label_list, **params)
    out = res.results()
    class_keys = ("Nref", "Nsys", "Ntp", "Nfp", "Nfn") + (("Ntn",) if kind == "segment" else ())
    out["counts"] = {
        "overall": {k: res.overall[k] for k in COUNTS[kind]},
        "class_wise": {lab: {k: c[k] for k in class_keys} for lab, c in res.class_wise.items()},
        "evaluated_files": res.n_files,
        "evaluated_length": res.evaluated_length}
    return out


def flatten(d, prefix=""):
    out = {}
    for k, v in d.items():
        key = f"{prefix}/{k}" if prefix else str(k)
        if isinstance(v, dict):
            out.update(flatten(v, key))
        else:
            out[key] = float(v)
    return out


def generic_key(key: str, labels) -> str:
    """'class_wise/dog/f_measure/recall' -> 'class_wise/<label>/f_measure/recall'."""
    parts = key.split("/")
    if parts[0] == "class_wise":
        parts[1] = "<label>"
    elif parts[:2] == ["counts", "class_wise"]:
        parts[2] = "<label>"
    return "/".join(parts)


def compare(a: dict, b: dict, labels, into: dict) -> float:
    """Record per-key max |a - b| into ``into``; return the largest difference of this case."""
    fa, fb = flatten(a), flatten(b)
    if set(fa) != set(fb):
        raise AssertionError(f"different keys: {sorted(set(fa) ^ set(fb))}")
    worst = 0.0
    for k in fa:
        x, y = fa[k], fb[k]
        if math.isnan(x) or math.isnan(y):
            d = 0.0 if (math.isnan(x) and math.isnan(y)) else math.inf
        else:
            d = abs(x - y)
        g = generic_key(k, labels)
        n, m = into.get(g, (0, 0.0))
        into[g] = (n + 1, max(m, d))
        worst = max(worst, d)
    return worst


def _coverage(ours: dict, kind: str, into: dict) -> None:
    """Count the situations a random evaluation exercised (from sklaudio's results)."""
    o = ours["counts"]["overall"]
    classes = ours["counts"]["class_wise"].values()
    subs = o["Nsubs"] if kind == "event" else o["S"]
    flags = {"with substitutions": subs > 0,
             "with a class without reference events (rates / eps)":
                 any(c["Nref"] == 0 for c in classes),
             "with a class without system events (NaN precision)":
                 any(c["Nsys"] == 0 for c in classes),
             "with no system event at all": o["Nsys"] == 0,
             "with no reference event at all": o["Nref"] == 0,
             "perfect (F = 1)": ours["overall"]["f_measure"]["f_measure"] == 1.0}
    for what, hit in flags.items():
        into[f"{kind}: {what}"] += int(hit)


def sed_eval_test_data(folder: pathlib.Path):
    """(name, reference, estimated) of sed_eval's own sound-event test files."""
    pairs = [("street_fold1", "street_fold1_reference.txt", "street_fold1_detected.txt"),
             ("office_high", "office_snr0_high_v2.txt", "office_snr0_high_v2_detected.txt"),
             ("office_med", "office_snr0_med_v2.txt", "office_snr0_med_v2_detected.txt"),
             ("mini_a", "mini_reference.txt", "mini_detected_a.txt"),
             ("mini_b", "mini_reference.txt", "mini_detected_b.txt"),
             ("binary1", "binary1.txt", "binary1_detected.txt"),
             ("binary5", "binary5.txt", "binary5_detected.txt")]
    for name, r, e in pairs:
        ref, est = read_events(folder / r), read_events(folder / e)
        if "filename" not in ref.columns:
            ref["filename"] = name
            est["filename"] = name
        yield name, ref, est


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=2000, help="random cases (default 2000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--tol", type=float, default=1e-12)
    ap.add_argument("--sed-eval-data", default=str(DEFAULT_DATA),
                    help="folder of sed_eval's test event files (default: tests/data/sed_eval; "
                         "'' to skip)")
    args = ap.parse_args(argv)
    import sed_eval

    rng = np.random.default_rng(args.seed)
    stats = {"event": {}, "segment": {}}
    coverage = defaultdict(int)
    worst, counted = 0.0, defaultdict(int)
    t0 = time.perf_counter()
    for case in range(args.cases):
        ref, est, labels = random_case(rng)
        for kind in ("event", "segment"):
            params = random_params(rng, kind)
            ref_labels = sorted(set(ref["event_label"].dropna()))
            union = sorted(set(ref_labels) | set(est["event_label"]))
            lists = [union] if kind == "segment" else [ref_labels, union]
            for lab in lists:
                a = sed_eval_results(ref, est, kind, params, lab)
                b = sklaudio_results(ref, est, kind, params, lab)
                w = compare(a, b, labels, stats[kind])
                counted[kind] += 1
                _coverage(b, kind, coverage)
                if w > args.tol:
                    print(f"case {case} ({kind}, {params}, labels {lab}): difference {w}")
                worst = max(worst, w)
    if args.sed_eval_data:
        for name, ref, est in sed_eval_test_data(pathlib.Path(args.sed_eval_data)):
            labels = sorted(set(ref["event_label"].dropna()))
            for kind, params in (("event", {"t_collar": 0.2, "percentage_of_length": 0.5}),
                                 ("event", {"t_collar": 0.25, "evaluate_offset": False}),
                                 ("event", {"t_collar": 0.2, "event_matching_type": "greedy"}),
                                 ("segment", {"time_resolution": 1.0}),
                                 ("segment", {"time_resolution": 0.1})):
                a = sed_eval_results(ref, est, kind, params, labels)
                # street_fold1 has a zero-length reference event, which sed_eval evaluates
                b = sklaudio_results(ref, est, kind, dict(params, allow_zero_length=True),
                                     labels)
                w = compare(a, b, labels, stats[kind])
                counted[f"sed_eval test data ({kind})"] += 1
                if w > args.tol:
                    print(f"{name} ({kind}, {params}): difference {w}")
                worst = max(worst, w)
    elapsed = time.perf_counter() - t0

    print(f"sed_eval {sed_eval.__version__}, {args.cases} random cases (seed {args.seed}), "
          f"{elapsed:.1f} s")
    for what, n in counted.items():
        print(f"  {what}: {n} evaluations compared")
    print("  of which (random cases):")
    for what, n in sorted(coverage.items()):
        print(f"    {what}: {n}")
    for kind in ("event", "segment"):
        print(f"\n{kind}-based: max |sklaudio - sed_eval| per key (values compared)")
        for key, (n, m) in sorted(stats[kind].items()):
            print(f"  {key:<48} {m:.3g}  ({n})")
    print(f"\nlargest difference over all keys and cases: {worst:.3g} (tolerance {args.tol:g})")
    return 0 if worst <= args.tol else 1


if __name__ == "__main__":
    sys.exit(main())
