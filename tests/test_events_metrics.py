"""sklaudio.events metrics: hand-computed cases, sed_eval's own test values, and sed_eval itself.

The comparison with sed_eval (``pytest.importorskip("sed_eval")``) checks every
number of sed_eval's ``results()`` and every count behind them, to 1e-12, on
generated event lists. ``benchmarks/events_vs_sed_eval.py`` runs the same
comparison on thousands of cases.
"""

from __future__ import annotations

import math
import pathlib
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pd = pytest.importorskip("pandas")

from sklaudio._params import InvalidParameterError
from sklaudio.events import (
    MetricsResult,
    event_based_metrics,
    read_events,
    segment_based_metrics,
)
from sklaudio.events._matching import greedy_matching, optimal_matching

DATA = pathlib.Path(__file__).resolve().parent / "data" / "sed_eval"
EPS = np.spacing(1)


def events(*rows, filename=None):
    """Event table from (onset, offset, label) tuples."""
    df = pd.DataFrame(list(rows), columns=["onset", "offset", "event_label"])
    if filename is not None:
        df.insert(0, "filename", filename)
    return df


def nan_equal(a, b):
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-15, abs=1e-15)


# -- hand-computed cases ------------------------------------------------------------------------
def test_event_based_by_hand_collars_are_inclusive():
    # t_collar 0.2, percentage_of_length 0.5.
    # r0 [0, 2.5] ~ e0 [0.2, 3.5]: |0 - 0.2| = 0.2 <= 0.2 (onset, on the collar);
    #    |2.5 - 3.5| = 1.0 <= max(0.2, 0.5 * 2.5 = 1.25) (offset)            -> pair
    # r1 [2.8, 4.5]: no estimate within 0.2 s of its onset                   -> deletion
    # r2 [6, 10] ~ e1 [6, 8]: onset equal; |10 - 8| = 2.0 <= max(0.2, 0.5 * 4 = 2.0)
    #    (offset, on the bound)                                              -> pair
    # Ntp 2, Nref 3, Nsys 2, S 0, D 1, I 0: P 1, R 2/3, F 0.8, ER 1/3
    ref = events((0.0, 2.5, "car"), (2.8, 4.5, "car"), (6.0, 10.0, "car"))
    est = events((0.2, 3.5, "car"), (6.0, 8.0, "car"))
    res = event_based_metrics(ref, est, t_collar=0.2, percentage_of_length=0.5)
    o = res.overall
    assert (o["Ntp"], o["Nref"], o["Nsys"], o["Nsubs"], o["Nfn"], o["Nfp"]) == (2, 3, 2, 0, 1, 0)
    assert o["precision"] == 1.0 and o["recall"] == pytest.approx(2 / 3)
    assert o["f_measure"] == pytest.approx(0.8)
    assert o["error_rate"] == pytest.approx(1 / 3) and o["deletion_rate"] == pytest.approx(1 / 3)
    assert o["insertion_rate"] == 0.0 and o["substitution_rate"] == 0.0
    # onset only: r0~e0 and r2~e1 still pair; offset only: r2~e1 (2.0 <= 2.0), r0~e0 (1.0)
    assert event_based_metrics(ref, est, evaluate_offset=False).overall["Ntp"] == 2
    assert event_based_metrics(ref, est, evaluate_onset=False).overall["Ntp"] == 2
    # DCASE's 20 % of the length: the offset tolerances shrink to max(0.2, 0.5) < 1.0 (r0)
    # and max(0.2, 0.8) < 2.0 (r2): no pair left
    assert event_based_metrics(ref, est, percentage_of_length=0.2).overall["Ntp"] == 0


def test_event_based_by_hand_substitutions_follow_sed_eval_pairing():
    # Onset only, t_collar 0.25 (all times exact in binary).
    # Label x: r0@1.0 may pair with e0@0.875 or e1@1.125 (both 0.125 away): one pair.
    # sed_eval pairs r0 with e0 (its greedy start takes, for each estimate in order, the
    # first free reference). Left: r1 (y@0.75) and e1 (x@1.125), 0.375 apart > 0.25: no
    # substitution. (Pairing r0 with e1 instead would leave e0, 0.125 from r1: one
    # substitution and ER 0.5: the pairing, not only the number of pairs, matters.)
    # Overall: Ntp 1, S 0, D 1, I 1 -> ER (0 + 1 + 1) / 2 = 1.0, P = R = F = 0.5.
    # Class x: Nref 1, Nsys 2, Ntp 1 -> P 0.5, R 1, F 2/3, D 0, I 1.
    # Class y: Nref 1, Nsys 0 -> P NaN, R 0, F NaN, D 1, I 0.
    ref = events((1.0, 2.0, "x"), (0.75, 2.0, "y"))
    est = events((0.875, 2.0, "x"), (1.125, 2.0, "x"))
    for matching in ("optimal", "greedy"):
        res = event_based_metrics(ref, est, t_collar=0.25, evaluate_offset=False,
                                  event_matching_type=matching)
        o = res.overall
        assert (o["Ntp"], o["Nsubs"], o["Nfn"], o["Nfp"]) == (1, 0, 1, 1), matching
        assert o["error_rate"] == 1.0 and o["f_measure"] == 0.5
        x, y = res.class_wise["x"], res.class_wise["y"]
        assert (x["precision"], x["recall"]) == (0.5, 1.0)
        assert x["f_measure"] == pytest.approx(2 / 3)
        assert x["insertion_rate"] == pytest.approx(1.0) and x["deletion_rate"] == 0.0
        assert math.isnan(y["precision"]) and y["recall"] == 0.0 and math.isnan(y["f_measure"])
        # macro: NaN classes dropped per metric
        a = res.class_wise_average
        assert a["f_measure"] == pytest.approx(2 / 3) and a["precision"] == 0.5
        assert a["recall"] == 0.5 and a["error_rate"] == pytest.approx(1.0)
    # zero_score: class y's precision is 0, so its F is 0 (P = R = 0) and counts in the mean
    res = event_based_metrics(ref, est, t_collar=0.25, evaluate_offset=False,
                              empty_system_output_handling="zero_score")
    assert res.class_wise["y"]["precision"] == 0.0 and res.class_wise["y"]["f_measure"] == 0.0
    assert res.class_wise_average["f_measure"] == pytest.approx(1 / 3)


def test_event_based_by_hand_optimal_finds_the_augmenting_path_greedy_misses():
    # Onset only, t_collar 0.25. r0@1.0 hits e0@1.25 (0.25, on the collar) and e1@0.875;
    # r1@1.5 hits only e0. Greedy: r0 takes e0, r1 is left -> Ntp 1.
    # Optimal: r0-e1, r1-e0 -> Ntp 2 (sed_eval's Hopcroft-Karp augments r1-e0-r0-e1).
    ref = events((1.0, 2.0, "x"), (1.5, 2.0, "x"))
    est = events((1.25, 2.0, "x"), (0.875, 2.0, "x"))
    kw = {"t_collar": 0.25, "evaluate_offset": False}
    opt = event_based_metrics(ref, est, **kw)
    greedy = event_based_metrics(ref, est, event_matching_type="greedy", **kw)
    assert opt.overall["Ntp"] == 2 and opt.overall["f_measure"] == 1.0
    assert opt.overall["error_rate"] == 0.0
    assert greedy.overall["Ntp"] == 1 and greedy.overall["f_measure"] == 0.5
    # |1.5 - 0.875| = 0.625: no substitution, so one deletion and one insertion
    assert greedy.overall["error_rate"] == 1.0


def test_event_based_by_hand_which_maximum_matching():
    # Onset only, t_collar 0.25. Label x: r0@1.125 hits e1@1.0 and e2@1.25 (not e0@0.75);
    # r1@1.0 hits e0, e1, e2 (0.25, 0, 0.25). r2@1.5 is label y: time-compatible with e2
    # (0.25) only. Hit matrix (x): r0 [0 1 1], r1 [1 1 1]: two maximum matchings leave e0
    # or e2 unpaired.
    # sed_eval's graph lists estimates in order of first hit, e1, e2, e0; its greedy start
    # pairs e1-r0, e2-r1, and nothing augments: e0 is left, 0.75 s from r2 -> no
    # substitution: Ntp 2, S 0, D 1, I 1, ER 2/3.
    # Greedy matching: r0 takes e1, r1 takes e0; e2 is left and substitutes r2: ER 1/3.
    ref = events((1.125, 3.0, "x"), (1.0, 3.0, "x"), (1.5, 3.0, "y"))
    est = events((0.75, 3.0, "x"), (1.0, 3.0, "x"), (1.25, 3.0, "x"))
    kw = {"t_collar": 0.25, "evaluate_offset": False}
    o = event_based_metrics(ref, est, **kw).overall
    assert (o["Ntp"], o["Nsubs"], o["Nfn"], o["Nfp"]) == (2, 0, 1, 1)
    assert o["error_rate"] == pytest.approx(2 / 3)
    o = event_based_metrics(ref, est, event_matching_type="greedy", **kw).overall
    assert (o["Ntp"], o["Nsubs"], o["Nfn"], o["Nfp"]) == (2, 1, 0, 0)
    assert o["error_rate"] == pytest.approx(1 / 3)
    assert optimal_matching(np.array([[0, 1, 1], [1, 1, 1]], dtype=bool)).tolist() == [1, 2]


def test_matchings_directly():
    hit = np.array([[1, 1], [1, 0]], dtype=bool)  # r0: e0, e1; r1: e0
    assert optimal_matching(hit).tolist() == [1, 0]
    assert greedy_matching(hit).tolist() == [0, -1]
    assert optimal_matching(np.zeros((3, 0), dtype=bool)).tolist() == [-1, -1, -1]
    # a long chain needs a deep augmenting path: no recursion limit
    n = 3000
    chain = np.eye(n, dtype=bool) | np.eye(n, k=1, dtype=bool)
    chain = chain[::-1, ::-1].copy()
    assert (optimal_matching(chain) >= 0).sum() == n


def test_segment_based_by_hand_two_recordings():
    # time_resolution 1.0; an event marks segments floor(onset) .. ceil(offset) - 1.
    # a.wav: ref x [0.5, 1.5] -> segments 0, 1; est x [1.0, 2.0] -> segment 1; 2 segments.
    #   seg 0: Nref 1 Nsys 0 -> D 1, Nfn 1 (x); Ntn 2 (y, z)
    #   seg 1: x in both -> Ntp 1; Ntn 2
    # b.wav: ref y [2.0, 3.0] -> segment 2; est z [2.5, 2.75] -> segment 2; 3 segments.
    #   seg 0, 1: Ntn 3 each; seg 2: Nref 1 Nsys 1 Ntp 0 -> S 1; Nfn 1 (y), Nfp 1 (z), Ntn 1
    # Overall: Nref 3, Nsys 2, Ntp 1, S 1, D 1, I 0, Ntn 11, Nfp 1, Nfn 2
    #   P 1/2, R 1/3, F 0.4, ER (1 + 1) / 3, accuracy (1 + 11) / 15 = 0.8,
    #   sensitivity 1/3, specificity 11/12
    ref = pd.concat([events((0.5, 1.5, "x"), filename="a.wav"),
                     events((2.0, 3.0, "y"), filename="b.wav")])
    est = pd.concat([events((1.0, 2.0, "x"), filename="a.wav"),
                     events((2.5, 2.75, "z"), filename="b.wav")])
    res = segment_based_metrics(ref, est, time_resolution=1.0, event_label_list=["x", "y", "z"])
    o = res.overall
    counts = {k: o[k] for k in ("Nref", "Nsys", "Ntp", "S", "D", "I", "Ntn", "Nfp", "Nfn")}
    assert counts == {"Nref": 3, "Nsys": 2, "Ntp": 1, "S": 1, "D": 1, "I": 0, "Ntn": 11,
                      "Nfp": 1, "Nfn": 2}
    assert o["precision"] == 0.5 and o["recall"] == pytest.approx(1 / 3)
    assert o["f_measure"] == pytest.approx(0.4)
    assert o["error_rate"] == pytest.approx(2 / 3)
    assert o["substitution_rate"] == pytest.approx(1 / 3)
    assert o["accuracy"] == pytest.approx(0.8) and o["sensitivity"] == pytest.approx(1 / 3)
    assert o["specificity"] == pytest.approx(11 / 12)
    assert o["balanced_accuracy"] == pytest.approx(0.5 / 3 + 0.5 * 11 / 12)
    x, y, z = (res.class_wise[c] for c in "xyz")
    assert (x["Ntp"], x["Nfn"], x["Nfp"], x["Ntn"]) == (1, 1, 0, 3)
    assert x["f_measure"] == pytest.approx(2 / 3) and x["error_rate"] == pytest.approx(0.5)
    assert math.isnan(y["precision"]) and y["deletion_rate"] == pytest.approx(1.0)
    # sed_eval divides by Nref + eps: a class without reference segments has a huge,
    # finite insertion rate (1 / 2.2e-16), not NaN
    assert z["insertion_rate"] == 1 / EPS and math.isnan(z["recall"])
    assert res.class_wise_average["f_measure"] == pytest.approx(2 / 3)  # y, z are NaN
    assert res.n_files == 2 and res.evaluated_length == 2.0 + 3.0


def test_segment_based_floor_and_ceil_at_segment_edges():
    # res 0.5: [0.5, 1.0] marks only segment 1 (floor(1) .. ceil(2) - 1), [0.4, 1.1] marks
    # segments 0..2: the second reference event makes segments 0 and 2 deletions.
    res = segment_based_metrics(events((0.5, 1.0, "x")), events((0.5, 1.0, "x")),
                                time_resolution=0.5)
    assert (res.overall["Nref"], res.overall["Ntp"], res.overall["Ntn"]) == (1, 1, 1)
    res = segment_based_metrics(events((0.4, 1.1, "x")), events((0.5, 1.0, "x")),
                                time_resolution=0.5)
    assert (res.overall["Nref"], res.overall["Ntp"], res.overall["D"]) == (3, 1, 2)


def test_identical_and_empty_lists():
    ref = pd.concat([events((0.1, 1.2, "a"), (1.0, 1.7, "a"), (0.3, 0.9, "b"), filename="f1"),
                     events((3.3, 4.0, "b"), filename="f2")])
    for fn in (event_based_metrics, segment_based_metrics):
        o = fn(ref, ref).overall
        assert (o["f_measure"], o["error_rate"]) == (1.0, 0.0)
        # nothing detected: P NaN, R 0, F NaN (sed_eval), ER 1 (all deletions)
        o = fn(ref, events()).overall
        assert math.isnan(o["precision"]) and o["recall"] == 0.0 and math.isnan(o["f_measure"])
        assert o["error_rate"] == pytest.approx(1.0) and o["Nsys"] == 0
        o = fn(events(), events()).overall
        assert math.isnan(o["f_measure"]) and o["error_rate"] == 0.0


# -- sed_eval's own test values on its test files (no sed_eval needed) --------------------------
def test_sed_eval_suite_street_fold1_segment_based():
    ref = read_events(DATA / "street_fold1_reference.txt")
    est = read_events(DATA / "street_fold1_detected.txt")
    # sed_eval tests/test_sound_event.py::test_dcase_style (the reference has one zero-length
    # event, which sed_eval evaluates)
    res = segment_based_metrics(ref, est, time_resolution=1.0, allow_zero_length=True)
    assert res.overall["accuracy"] == pytest.approx(0.84244791666, abs=1e-7)
    assert res.overall["error_rate"] == pytest.approx(1.0616698292220115, abs=1e-7)
    with pytest.raises(ValueError, match="zero-length"):
        segment_based_metrics(ref, est)


def test_sed_eval_suite_binary():
    ref = [read_events(DATA / f"binary{k}.txt") for k in (1, 2)]
    est = [read_events(DATA / f"binary{k}_detected.txt") for k in (1, 2)]
    assert len(ref[1]) == 0  # binary2.txt is empty
    # sed_eval tests/test_sound_event.py::test_binary
    o = segment_based_metrics(ref, est, time_resolution=1.0).overall
    assert o["accuracy"] == pytest.approx(2 / 3, abs=1e-7)
    assert (o["balanced_accuracy"], o["sensitivity"], o["specificity"]) == (0.75, 1.0, 0.5)
    assert o["error_rate"] == 1.0 and o["f_measure"] == pytest.approx(2 / 3)
    o = event_based_metrics(ref, est, t_collar=0.2).overall
    assert o["error_rate"] == pytest.approx(0.9999999999999999)
    assert o["f_measure"] == pytest.approx(2 / 3)
    # binary5: six recordings in one file, some without events
    o = event_based_metrics(read_events(DATA / "binary5.txt"),
                            read_events(DATA / "binary5_detected.txt")).overall
    assert o["error_rate"] == pytest.approx(1.5) and o["f_measure"] == 0.0


def test_sed_eval_suite_audioset_and_mini():
    ref, est = read_events(DATA / "audioset1.txt"), read_events(DATA / "audioset1_detected.txt")
    o = segment_based_metrics(ref, est).overall
    assert (o["accuracy"], o["error_rate"], o["f_measure"]) == (1.0, 0.0, 1.0)
    # sed_eval tests/test_sound_event.py::test_event_matching: with the optimal matching the
    # order of the events does not change F; with the greedy one it does
    ref = read_events(DATA / "mini_reference.txt")
    est = read_events(DATA / "mini_detected_a.txt")
    kw = {"t_collar": 0.25, "evaluate_offset": False}
    for r in (ref, ref[::-1]):
        for e in (est, est[::-1]):
            assert event_based_metrics(r, e, **kw).overall["f_measure"] == 1.0
    greedy = event_based_metrics(ref[::-1], est, event_matching_type="greedy", **kw)
    assert greedy.overall["f_measure"] == 0.5


# -- inputs -------------------------------------------------------------------------------------
def _two_files():
    ref = pd.concat([events((0.0, 1.0, "a"), (2.0, 3.0, "b"), filename="f1"),
                     events((0.5, 1.5, "a"), filename="f2")])
    est = pd.concat([events((0.1, 1.1, "a"), filename="f1"),
                     events((0.4, 1.4, "b"), (2.0, 2.5, "a"), filename="f2")])
    return ref, est


def test_files_pair_by_filename_like_sequences_and_in_any_row_order():
    ref, est = _two_files()
    seq_ref = [ref[ref.filename == f] for f in ("f1", "f2")]
    seq_est = [est[est.filename == f].drop(columns="filename") for f in ("f1", "f2")]
    for fn in (event_based_metrics, segment_based_metrics):
        a = fn(ref, est)
        b = fn(seq_ref, seq_est)
        c = fn(ref.iloc[::-1].sort_values("filename", kind="stable").iloc[::-1],
               est.sample(frac=1, random_state=1).sort_values("filename", kind="stable"))
        assert a.overall == b.overall and a.class_wise == b.class_wise
        assert a.n_files == b.n_files == 2
        assert c.overall["Nref"] == a.overall["Nref"]
    # files are independent: f1's estimate cannot match f2's reference event
    o = event_based_metrics(ref, est).overall
    assert o["Ntp"] == 1  # f1: a~a; f2: b@0.4 substitutes a@0.5; a@2.0 is an insertion
    assert (o["Nsubs"], o["Nfn"], o["Nfp"]) == (1, 1, 1)


def test_recordings_present_on_one_side_and_markers():
    ref, est = _two_files()
    extra = pd.concat([est, events((1.0, 2.0, "a"), filename="f3")])
    o = event_based_metrics(ref, extra)
    assert o.n_files == 3 and o.overall["Nfp"] == event_based_metrics(ref, est).overall["Nfp"] + 1
    marker = pd.concat([ref, pd.DataFrame({"filename": ["f4"]})])
    res = event_based_metrics(marker, est)
    assert res.n_files == 3 and res.overall == event_based_metrics(ref, est).overall
    # nothing detected anywhere: an empty table without a filename column is fine
    assert event_based_metrics(ref, events()).overall["Nref"] == 3


@pytest.mark.parametrize("fn", [event_based_metrics, segment_based_metrics])
def test_pairing_errors(fn):
    ref, est = _two_files()
    with pytest.raises(ValueError, match="No filename is shared.*'f1'.*'g1'"):
        fn(ref, est.assign(filename=est.filename.str.replace("f", "g")))
    with pytest.raises(ValueError, match="estimated events have none"):
        fn(ref, est.drop(columns="filename"))
    with pytest.raises(ValueError, match="both sequences of one table per recording"):
        fn([ref], [est, est])
    with pytest.raises(ValueError, match=r"reference\[0\] holds 2 filenames"):
        fn([ref], [est])
    bad = est.copy()
    bad.iloc[1, bad.columns.get_loc("onset")] = np.nan
    with pytest.raises(ValueError, match=r"row 0 \(filename 'f2'\) has no onset"):
        fn(ref, bad)
    with pytest.raises(ValueError, match=r"row 0 \(filename 'f1'\) has onset 3.0 s after"):
        fn(ref.assign(onset=[3.0, 2.0, 0.5]), est)


def test_labels_outside_the_evaluated_list():
    ref = events((0.0, 1.0, "a"), (2.0, 3.0, "b"))
    est = events((0.0, 1.0, "a"), (2.0, 3.0, "zzz"))
    # event-based (as sed_eval): other labels count overall, not class-wise
    res = event_based_metrics(ref, est, event_label_list=["a"])
    assert list(res.class_wise) == ["a"] and res.overall["Nsys"] == 2
    assert res.overall["Nsubs"] == 1  # zzz@2.0 substitutes b@2.0
    # default classes: the reference's labels
    assert list(event_based_metrics(ref, est).class_wise) == ["a", "b"]
    # segment-based (sed_eval fails on them): an error naming the row
    with pytest.raises(ValueError, match=r"estimated row 1 has event_label 'zzz'.*"
                                         r"event_label_list"):
        segment_based_metrics(ref, est)
    res = segment_based_metrics(ref, est, event_label_list=["zzz", "b", "a", "unused"])
    assert list(res.class_wise) == ["zzz", "b", "a", "unused"]
    assert math.isnan(res.class_wise["unused"]["f_measure"])
    assert res.class_wise["unused"]["error_rate"] == 0.0


@pytest.mark.parametrize("kwargs, match", [
    ({"t_collar": 0},
     r"'t_collar' parameter of event_based_metrics must be a finite float in the range \(0, inf\)"),
    ({"percentage_of_length": 1.5}, "'percentage_of_length' parameter"),
    ({"evaluate_onset": False, "evaluate_offset": False},
     "'evaluate_offset' parameter .* True when evaluate_onset is False"),
    ({"event_matching_type": "best"}, "'event_matching_type' parameter"),
    ({"empty_system_output_handling": "zero"}, "'empty_system_output_handling' parameter"),
    ({"event_label_list": "abc"}, "'event_label_list' parameter"),
    ({"event_label_list": ["a", "a"]}, "'event_label_list' parameter .* distinct"),
])
def test_event_parameter_errors(kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        event_based_metrics(events(), events(), **kwargs)


def test_segment_parameter_errors():
    with pytest.raises(InvalidParameterError, match="'time_resolution' parameter of "
                                                    "segment_based_metrics"):
        segment_based_metrics(events(), events(), time_resolution=-1.0)


# -- the result object --------------------------------------------------------------------------
def test_result_object():
    ref, est = _two_files()
    res = event_based_metrics(ref, est)
    assert isinstance(res, MetricsResult)
    nested = res.results()
    assert set(nested) == {"overall", "class_wise", "class_wise_average"}
    assert nested["overall"]["f_measure"]["f_measure"] == res.overall["f_measure"]
    assert nested["overall"]["accuracy"] == {}
    assert nested["class_wise"]["a"]["count"] == {"Nref": 2.0, "Nsys": 2.0}
    frame = res.to_frame()
    assert frame.shape[0] == 4 and frame.loc[("class", "b"), "Nref"] == 1
    assert frame.loc[("overall", ""), "Nsubs"] == 1
    text = str(res)
    assert "Event-based metrics" in text and "Overall (micro)" in text and "\n  b " in text
    assert "f_measure=" in repr(res)
    seg = segment_based_metrics(ref, est).results()
    assert set(seg["overall"]["accuracy"]) == {"accuracy", "balanced_accuracy", "sensitivity",
                                               "specificity"}
    empty = event_based_metrics(events(), events()).results()
    assert empty["class_wise_average"] == {"f_measure": {}, "error_rate": {}, "accuracy": {}}


# -- against sed_eval ---------------------------------------------------------------------------
def sed_eval_run(reference, estimated, kind, params, labels):
    """sed_eval's results() plus its counts, one evaluate() per recording."""
    sed_eval = pytest.importorskip("sed_eval")
    cls = (sed_eval.sound_event.EventBasedMetrics if kind == "event"
           else sed_eval.sound_event.SegmentBasedMetrics)
    metric = cls(event_label_list=list(labels), **params)
    for name in sorted(set(reference["filename"]) | set(estimated["filename"])):
        pair = []
        for df in (reference, estimated):
            rows = df[(df["filename"] == name) & df["onset"].notna()]
            pair.append([{"event_onset": a, "event_offset": b, "event_label": c}
                         for a, b, c in zip(rows["onset"], rows["offset"], rows["event_label"])])
        metric.evaluate(*pair)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        out = metric.results()
    skip = {"ER", "Ntn"} if kind == "event" else {"ER"}
    out["counts"] = {"overall": {k: v for k, v in metric.overall.items() if k not in skip},
                     "class_wise": {lab: {k: v for k, v in c.items() if k not in skip}
                                    for lab, c in metric.class_wise.items()},
                     "files": metric.evaluated_files}
    return out


def ours_run(reference, estimated, kind, params, labels, **extra):
    fn = event_based_metrics if kind == "event" else segment_based_metrics
    res = fn(reference, estimated, event_label_list=labels, **params, **extra)
    out = res.results()
    overall = (("Nref", "Nsys", "Ntp", "Nsubs", "Nfp", "Nfn") if kind == "event"
               else ("Ntp", "Ntn", "Nfp", "Nfn", "Nref", "Nsys", "S", "D", "I"))
    per_class = ("Nref", "Nsys", "Ntp", "Nfp", "Nfn") + (("Ntn",) if kind == "segment" else ())
    out["counts"] = {"overall": {k: res.overall[k] for k in overall},
                     "class_wise": {lab: {k: m[k] for k in per_class}
                                    for lab, m in res.class_wise.items()},
                     "files": res.n_files}
    return out


def assert_same(theirs, ours, path=""):
    assert set(theirs) == set(ours), (path, sorted(set(theirs) ^ set(ours)))
    for k in theirs:
        a, b = theirs[k], ours[k]
        if isinstance(a, dict):
            assert_same(a, b, f"{path}/{k}")
        else:
            a, b = float(a), float(b)
            assert (math.isnan(a) and math.isnan(b)) or abs(a - b) <= 1e-12, (f"{path}/{k}", a, b)


@st.composite
def event_tables(draw):
    """Reference and estimated tables over 1-3 recordings: grid or free times, overlaps,
    duplicates, copies, empty recordings, labels the reference lacks."""
    step = draw(st.sampled_from([0.05, 0.1, 0.125, 0.25, None]))
    labels = draw(st.sampled_from(["a", "ab", "abc"]))

    def time():
        if step is None:
            return draw(st.floats(0, 5, allow_nan=False))
        return draw(st.integers(0, int(5 / step))) * step

    def one():
        on = time()
        dur = (draw(st.integers(1, int(2 / step))) * step if step is not None
               else draw(st.floats(1e-3, 2)))
        return (on, on + dur, draw(st.sampled_from(labels)))

    ref_rows, est_rows = [], []
    for f in range(draw(st.integers(1, 3))):
        ref = [one() for _ in range(draw(st.integers(0, 6)))]
        kind = draw(st.sampled_from(["random", "copy", "jitter"]))
        if kind == "copy":
            est = list(ref)
        elif kind == "jitter":
            jit = step or 0.05
            est = [(max(0.0, a + jit * draw(st.integers(-3, 3))),
                    b + jit * draw(st.integers(0, 4)) + jit * 3,
                    draw(st.sampled_from([c, c, labels[-1]]))) for a, b, c in ref]
        else:
            est = [one() for _ in range(draw(st.integers(0, 6)))]
        if draw(st.booleans()) and est:
            est.append(est[0])  # an exact duplicate (overlap of one class)
        name = f"rec{f}.wav"
        ref_rows += [(name, *r) for r in ref] or [(name, None, None, None)]
        est_rows += [(name, *e) for e in est]
    cols = ["filename", "onset", "offset", "event_label"]
    return pd.DataFrame(ref_rows, columns=cols), pd.DataFrame(est_rows, columns=cols)


event_params = st.fixed_dictionaries({
    "t_collar": st.sampled_from([0.2, 0.25, 0.1, 0.5, 0.05]),
    "percentage_of_length": st.sampled_from([0.5, 0.2, 0.0, 1.0]),
    "event_matching_type": st.sampled_from(["optimal", "greedy"]),
    "empty_system_output_handling": st.sampled_from([None, "zero_score"]),
}).flatmap(lambda d: st.sampled_from([(True, True), (True, False), (False, True)]).map(
    lambda b: {**d, "evaluate_onset": b[0], "evaluate_offset": b[1]}))

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(event_tables(), event_params, st.booleans())
def test_event_based_equals_sed_eval(tables, params, union_labels):
    pytest.importorskip("sed_eval")
    ref, est = tables
    labels = sorted(set(ref["event_label"].dropna()))
    if union_labels:
        labels = sorted(set(labels) | set(est["event_label"]))
    assert_same(sed_eval_run(ref, est, "event", params, labels),
                ours_run(ref, est, "event", params, labels))


@SETTINGS
@given(event_tables(), st.sampled_from([1.0, 0.5, 0.25, 0.1, 0.3]))
def test_segment_based_equals_sed_eval(tables, resolution):
    pytest.importorskip("sed_eval")
    ref, est = tables
    labels = sorted(set(ref["event_label"].dropna()) | set(est["event_label"]))
    params = {"time_resolution": resolution}
    assert_same(sed_eval_run(ref, est, "segment", params, labels),
                ours_run(ref, est, "segment", params, labels))


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 8), st.integers(0, 8), st.data())
def test_optimal_matching_pairs_as_sed_eval_bipartite_match(n_ref, n_est, data):
    matching = pytest.importorskip("sed_eval.util.event_matching")
    hit = np.array(data.draw(st.lists(st.lists(st.booleans(), min_size=n_est, max_size=n_est),
                                      min_size=n_ref, max_size=n_ref)), dtype=bool)
    hit = hit.reshape(n_ref, n_est)
    graph = {}
    for r, e in zip(*np.nonzero(hit)):
        graph.setdefault(int(e), []).append(int(r))
    expected = np.full(n_ref, -1)
    for r, e in matching.bipartite_match(graph).items():
        expected[r] = e
    np.testing.assert_array_equal(optimal_matching(hit), expected)


SED_EVAL_FILES = [("street_fold1_reference.txt", "street_fold1_detected.txt"),
                  ("office_snr0_high_v2.txt", "office_snr0_high_v2_detected.txt"),
                  ("office_snr0_med_v2.txt", "office_snr0_med_v2_detected.txt"),
                  ("binary5.txt", "binary5_detected.txt"),
                  ("mini_reference.txt", "mini_detected_b.txt"),
                  ("audioset1.txt", "audioset1_detected.txt")]


@pytest.mark.parametrize("files", SED_EVAL_FILES, ids=lambda f: f[0])
@pytest.mark.parametrize("kind, params", [
    ("event", {"t_collar": 0.2, "percentage_of_length": 0.5}),
    ("event", {"t_collar": 0.25, "percentage_of_length": 0.2, "event_matching_type": "greedy"}),
    ("event", {"t_collar": 0.25, "evaluate_offset": False}),
    ("segment", {"time_resolution": 1.0}),
    ("segment", {"time_resolution": 0.1}),
])
def test_equals_sed_eval_on_its_test_files(files, kind, params):
    pytest.importorskip("sed_eval")
    ref, est = (read_events(DATA / f) for f in files)
    if "filename" not in ref.columns:
        ref["filename"] = est["filename"] = "one.wav"
    labels = sorted(set(ref["event_label"].dropna()))
    assert_same(sed_eval_run(ref, est, kind, params, labels),
                ours_run(ref, est, kind, params, labels, allow_zero_length=True))
