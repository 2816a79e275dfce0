"""EventDetector and its post-processing: hand-checked cases and synthetic recordings."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from scipy.ndimage import median_filter
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV

from sklaudio import RMS, MelSpectrogram
from sklaudio.events import EventDetector, events_to_frames
from sklaudio.events._detector import stack_context
from sklaudio.events._postprocessing import (
    activity_from_probabilities,
    activity_to_intervals,
    clean_intervals,
    median_filter_activity,
)

pd = pytest.importorskip("pandas")
SR = 8000


# -- post-processing --------------------------------------------------------------------------
def test_single_threshold_is_strictly_above():
    p = np.array([0.2, 0.5, 0.51, 0.9, 0.4])
    assert activity_from_probabilities(p, 0.5)[:, 0].tolist() == [False, False, True, True, False]


def _hysteresis_naive(p, high, low):
    """Every maximal run above ``low`` that contains a frame above ``high``."""
    out = np.zeros(p.size, bool)
    i = 0
    while i < p.size:
        if p[i] > low:
            j = i
            while j < p.size and p[j] > low:
                j += 1
            if (p[i:j] > high).any():
                out[i:j] = True
            i = j
        else:
            i += 1
    return out


@pytest.mark.parametrize("seed", range(5))
def test_hysteresis_equals_the_naive_definition(seed):
    p = np.random.default_rng(seed).random(300)
    got = activity_from_probabilities(p, 0.8, 0.4)[:, 0]
    np.testing.assert_array_equal(got, _hysteresis_naive(p, 0.8, 0.4))
    assert got.sum() >= (p > 0.8).sum()


def test_hysteresis_hand_case():
    p = np.array([0.1, 0.45, 0.6, 0.9, 0.6, 0.45, 0.3, 0.6, 0.45, 0.1])
    assert activity_from_probabilities(p, 0.7, 0.4)[:, 0].astype(int).tolist() == \
        [0, 1, 1, 1, 1, 1, 0, 0, 0, 0]
    with pytest.raises(ValueError, match="threshold_low"):
        activity_from_probabilities(p, 0.5, 0.6)


def test_median_filter_is_scipys_nearest_mode_with_an_odd_window():
    a = np.random.default_rng(0).random((50, 3)) > 0.5
    np.testing.assert_array_equal(median_filter_activity(a, 5),
                                  median_filter(a, size=(5, 1), mode="nearest"))
    np.testing.assert_array_equal(median_filter_activity(a, 4), median_filter_activity(a, 5))
    np.testing.assert_array_equal(median_filter_activity(a, 1), a)


def test_intervals_are_runs_widened_by_half_a_step():
    act = np.array([0, 1, 1, 0, 0, 1, 0], bool)[:, None]
    times = np.arange(7) * 0.01
    np.testing.assert_allclose(activity_to_intervals(act, times, 0.01)[0],
                               [(0.005, 0.025), (0.045, 0.055)], atol=1e-12)


def test_clean_drops_short_events_then_merges_gaps():
    iv = [(0.0, 1.0), (1.05, 1.1), (1.3, 2.0), (2.1, 3.0)]
    # the 50 ms event goes first, then the 0.1 s gap is filled; the 0.3 s gap stays
    assert clean_intervals(iv, min_duration=0.1, min_gap=0.2) == [(0.0, 1.0), (1.3, 3.0)]
    assert clean_intervals(iv) == iv


def test_events_survive_the_round_trip_through_frames_within_half_a_hop():
    hop, n = 80, 800
    ev = pd.DataFrame({"onset": [0.1234, 2.5], "offset": [0.9876, 3.01], "event_label": "x"})
    Y, _ = events_to_frames(ev, n, sample_rate=SR, hop_length=hop)
    times = np.arange(n) * hop / SR
    got = activity_to_intervals(Y > 0.5, times, hop / SR)[0]
    for (a, b), (on, off) in zip(got, zip(ev.onset, ev.offset)):
        assert abs(a - on) <= hop / SR / 2 + 1e-12 and abs(b - off) <= hop / SR / 2 + 1e-12


def test_context_stacking_puts_neighbours_in_time_order():
    f = np.arange(10, dtype=float).reshape(5, 2)
    z = stack_context(f, 1)
    assert z.shape == (5, 6)
    np.testing.assert_array_equal(z[2], [2, 3, 4, 5, 6, 7])
    np.testing.assert_array_equal(z[0], [0, 1, 0, 1, 2, 3])     # edge-padded


# -- the detector -----------------------------------------------------------------------------
def _recording(rng, events, n=3 * SR, freqs=None):
    """Noise with tones at ``events`` [(onset, offset, label)]; labels pick the frequency."""
    freqs = freqs or {"a": 500.0, "b": 1500.0}
    y = 0.02 * rng.standard_normal(n)
    for on, off, lab in events:
        a, b = int(on * SR), int(off * SR)
        y[a:b] += 0.5 * np.sin(2 * np.pi * freqs[lab] * np.arange(b - a) / SR)
    table = pd.DataFrame(events, columns=["onset", "offset", "event_label"])
    return y, table


def _dataset(seed, n=12, labels=("a",)):
    rng = np.random.default_rng(seed)
    X, Y = [], []
    for _ in range(n):
        t, evs = 0.1, []
        while True:
            t += rng.uniform(0.2, 0.6)
            d = rng.uniform(0.2, 0.5)
            if t + d > 2.9:
                break
            evs.append((round(t, 3), round(t + d, 3), labels[rng.integers(len(labels))]))
            t += d
        y, table = _recording(rng, evs)
        X.append(y)
        Y.append(table)
    return X, Y


def test_detects_tone_events_with_onsets_within_two_frames():
    X, Y = _dataset(0)
    det = EventDetector(RMS(frame_length=256, hop_length=80), LogisticRegression(),
                        sample_rate=SR, median_window=0.05).fit(X, Y)
    Xt, Yt = _dataset(1, n=4)
    for ref, est in zip(Yt, det.predict(Xt)):
        assert len(est) == len(ref)
        np.testing.assert_allclose(est.onset, ref.onset, atol=0.02)
        np.testing.assert_allclose(est.offset, ref.offset, atol=0.02)
    assert det.score(Xt, Yt) == 1.0
    scores = det.predict_proba(Xt[:1])[0]
    assert scores.proba.shape == (scores.times.size, 1)
    np.testing.assert_allclose(np.diff(scores.times), 80 / SR)


@pytest.mark.parametrize("polyphonic", [True, False])
def test_two_classes_are_told_apart(polyphonic):
    X, Y = _dataset(2, labels=("a", "b"))
    mel = MelSpectrogram(sample_rate=SR, n_fft=256, hop_length=80, n_mels=32)
    det = EventDetector(mel, LogisticRegression(max_iter=2000), polyphonic=polyphonic,
                        median_window=0.05, min_duration=0.05).fit(X, Y)
    assert det.classes_.tolist() == ["a", "b"]
    Xt, Yt = _dataset(3, n=4, labels=("a", "b"))
    assert det.score(Xt, Yt) >= 0.95
    assert det.predict_proba(Xt[:1])[0].proba.shape[1] == 2


def test_segment_classifier_labels_the_detected_events():
    from sklearn.pipeline import make_pipeline

    X, Y = _dataset(4, labels=("a", "b"))
    speech = [t.assign(event_label=t.event_label) for t in Y]
    seg = make_pipeline(MelSpectrogram(sample_rate=SR, n_fft=256, hop_length=80, n_mels=32),
                        LogisticRegression(max_iter=2000))
    det = EventDetector(RMS(frame_length=256, hop_length=80), LogisticRegression(),
                        sample_rate=SR, polyphonic=False, segment_classifier=seg).fit(X, speech)
    assert det.segment_classifier_ is not None
    Xt, Yt = _dataset(5, n=4, labels=("a", "b"))
    # RMS alone cannot tell 500 Hz from 1500 Hz; the segment classifier can
    assert det.score(Xt, Yt) >= 0.95


def test_clone_pickle_and_grid_search_over_post_processing():
    X, Y = _dataset(6, n=8)
    det = EventDetector(RMS(frame_length=256, hop_length=80), LogisticRegression(),
                        sample_rate=SR)
    assert clone(det).get_params()["threshold"] == 0.5
    gs = GridSearchCV(det, {"threshold": [0.3, 0.7], "median_window": [0.0, 0.05]}, cv=2)
    gs.fit(X, Y)
    assert set(gs.best_params_) == {"threshold", "median_window"}
    fitted = pickle.loads(pickle.dumps(gs.best_estimator_))
    assert [len(e) for e in fitted.predict(X[:2])] == [len(e) for e in
                                                      gs.best_estimator_.predict(X[:2])]


def test_bad_inputs_are_clear_errors():
    X, Y = _dataset(7, n=3)
    rms = RMS(frame_length=256, hop_length=80)
    with pytest.raises(ValueError, match="one table"):
        EventDetector(rms, LogisticRegression(), sample_rate=SR).fit(X, Y[:2])
    bad = [Y[0], Y[1].assign(offset=Y[1].onset - 0.1), Y[2]]
    with pytest.raises(ValueError, match=r"y\[1\]"):
        EventDetector(rms, LogisticRegression(), sample_rate=SR).fit(X, bad)
    with pytest.raises(ValueError, match="sample_rate"):
        EventDetector(rms, LogisticRegression()).fit(X, Y)
    with pytest.raises(ValueError, match="threshold_low"):
        EventDetector(rms, LogisticRegression(), sample_rate=SR, threshold=0.5,
                      threshold_low=0.7).fit(X, Y)
    with pytest.raises(ValueError, match="holds no events"):
        EventDetector(rms, LogisticRegression(), sample_rate=SR).fit(X, [y.iloc[:0] for y in Y])
    with pytest.raises(TypeError, match="frame-feature transformer"):
        EventDetector(LogisticRegression(), LogisticRegression(), sample_rate=SR).fit(X, Y)


# -- streaming ----------------------------------------------------------------------------------
def _split(x, rng):
    cuts = np.sort(rng.integers(0, x.size, rng.integers(1, 12)))
    return np.split(x, cuts)


@pytest.mark.parametrize("polyphonic", [True, False])
@pytest.mark.parametrize("seed", range(3))
def test_stream_events_equal_predict_whatever_the_blocks(polyphonic, seed):
    X, Y = _dataset(10, labels=("a", "b"))
    mel = MelSpectrogram(sample_rate=SR, n_fft=256, hop_length=80, n_mels=32, top_db=None)
    det = EventDetector(mel, LogisticRegression(max_iter=2000), polyphonic=polyphonic,
                        context=2, median_window=0.05, min_duration=0.05, min_gap=0.1).fit(X, Y)
    rng = np.random.default_rng(seed)
    Xt, _ = _dataset(11 + seed, n=2, labels=("a", "b"))
    for x, want in zip(Xt, det.predict(Xt)):
        got = pd.concat(list(det.stream_events(_split(x, rng))), ignore_index=True)
        got = got.sort_values(["onset", "event_label"], ignore_index=True)
        assert len(got) == len(want) > 0
        np.testing.assert_allclose(got.onset, want.onset, atol=1e-9)
        np.testing.assert_allclose(got.offset, want.offset, atol=1e-9)
        assert got.event_label.tolist() == want.event_label.tolist()


def test_stream_events_come_within_the_declared_latency():
    X, Y = _dataset(12)
    det = EventDetector(RMS(frame_length=256, hop_length=80), LogisticRegression(),
                        sample_rate=SR, context=3, median_window=0.05, min_gap=0.1).fit(X, Y)
    x = X[0]
    lat = det.stream_latency()
    assert lat == pytest.approx((256 - 128) / SR + (3 + 2 + 1) * 80 / SR + 0.1)
    block = 40
    blocks = [x[i:i + block] for i in range(0, x.size, block)]
    for i, ev in enumerate(det.stream_events(blocks)):
        now = min((i + 1) * block, x.size) / SR
        for off in ev.offset:
            if i < len(blocks):       # not the end-of-stream flush
                assert now - off <= lat + block / SR + 1e-9


def test_stream_events_with_hysteresis_start_no_earlier_than_predict():
    X, Y = _dataset(13)
    det = EventDetector(RMS(frame_length=256, hop_length=80), LogisticRegression(),
                        sample_rate=SR, threshold=0.7, threshold_low=0.3).fit(X, Y)
    x = X[0]
    want = det.predict([x])[0]
    got = pd.concat(list(det.stream_events([x])), ignore_index=True)
    assert len(got) == len(want)
    assert (got.onset.to_numpy() >= want.onset.to_numpy() - 1e-9).all()
