"""make_soundscapes: placement, exact annotations, SNR, reproducibility, errors."""

from __future__ import annotations

import numpy as np
import pytest

from sklaudio.datasets import make_soundscapes

pd = pytest.importorskip("pandas")
SR = 8000


def _tones():
    t = np.arange(2000) / SR
    return [np.sin(2 * np.pi * f * t) for f in (300.0, 600.0, 1200.0)], ["a", "b", "c"]


def test_events_are_sorted_disjoint_inside_and_match_the_clips():
    clips, labels = _tones()
    sc = make_soundscapes(clips, labels, sample_rate=SR, n_soundscapes=4, duration=20.0,
                          gap=(0.2, 1.0), random_state=1)
    assert len(sc.data) == len(sc.events) == 4
    for x, ev, src in zip(sc.data, sc.events, sc.source_index):
        assert x.dtype == np.float32 and x.shape == (20 * SR,)
        assert list(ev.columns) == ["onset", "offset", "event_label"]
        assert len(ev) >= 10
        on, off = ev.onset.to_numpy(), ev.offset.to_numpy()
        assert (on >= 0).all() and (off <= 20.0).all() and (on < off).all()
        assert (on[1:] >= off[:-1] + 0.2 - 1e-9).all()        # gaps respected, no overlap
        assert np.allclose(off - on, 2000 / SR)                  # tones have no silence to trim
        assert ev.event_label.tolist() == [labels[k] for k in src]


def test_snr_is_the_event_to_background_power_ratio():
    clips, labels = _tones()
    bg = np.full(3 * SR, 0.5)                                    # scaled to unit RMS inside
    sc = make_soundscapes(clips, labels, sample_rate=SR, n_soundscapes=3, duration=6.0,
                          background=bg, snr_db=[-6.0, 0.0, 12.0], random_state=0)
    for x, ev, snr in zip(sc.data, sc.events, sc.snr_db):
        event_only = x.astype(np.float64) - 1.0
        for on, off in zip(ev.onset, ev.offset):
            a, b = int(round(on * SR)), int(round(off * SR))
            p = np.mean(event_only[a:b] ** 2)
            assert 10 * np.log10(p) == pytest.approx(snr, abs=1e-4)
        mask = np.ones(x.size, bool)
        for on, off in zip(ev.onset, ev.offset):
            mask[int(round(on * SR)):int(round(off * SR))] = False
        np.testing.assert_allclose(x[mask], 1.0, rtol=1e-6)    # background untouched elsewhere


def test_trimming_annotates_only_the_sounding_part():
    t = np.arange(1000) / SR
    clip = np.concatenate([np.zeros(1500), np.sin(2 * np.pi * 500 * t), np.zeros(1500)])
    sc = make_soundscapes([clip], ["x"], sample_rate=SR, n_soundscapes=1, duration=5.0,
                          snr_db=30.0, random_state=0)
    dur = (sc.events[0].offset - sc.events[0].onset).to_numpy()
    assert (dur < 1500 / SR).all() and (dur > 900 / SR).all()   # ~1000 sounding samples kept
    untrimmed = make_soundscapes([clip], ["x"], sample_rate=SR, n_soundscapes=1, duration=5.0,
                                 trim_db=None, random_state=0)
    assert np.allclose(untrimmed.events[0].offset - untrimmed.events[0].onset, 4000 / SR)


def test_same_seed_same_soundscapes_and_real_fsdd_clips(fsdd_sample):
    clips = fsdd_sample
    digits = [str(i % 10) for i in range(len(clips))]
    kw = dict(sample_rate=SR, n_soundscapes=2, duration=15.0, random_state=3)
    a = make_soundscapes(clips, digits, **kw)
    b = make_soundscapes(clips, digits, **kw)
    for xa, xb, ea, eb in zip(a.data, b.data, a.events, b.events):
        np.testing.assert_array_equal(xa, xb)
        pd.testing.assert_frame_equal(ea, eb)
    assert set(a.events[0].event_label) <= set(digits)


@pytest.mark.parametrize("kwargs,match", [
    (dict(background="violet"), "background"),
    (dict(gap=(2.0, 1.0)), "gap"),
    (dict(snr_db=[np.nan]), "snr_db"),
    (dict(duration=0.1), "longer than duration"),
    (dict(sample_rate=0), "sample_rate"),
])
def test_bad_parameters_are_clear_errors(kwargs, match):
    clips, labels = _tones()
    params = dict(sample_rate=SR, n_soundscapes=1, duration=5.0) | kwargs
    with pytest.raises(ValueError, match=match):
        make_soundscapes(clips, labels, **params)


def test_bad_clips_are_named():
    clips, labels = _tones()
    with pytest.raises(ValueError, match=r"events\[1\] contains NaN"):
        make_soundscapes([clips[0], np.full(100, np.nan)], ["a", "b"], sample_rate=SR)
    with pytest.raises(ValueError, match="one label per clip"):
        make_soundscapes(clips, ["a"], sample_rate=SR)
    with pytest.raises(ValueError, match=r"events\[0\] is silent"):
        make_soundscapes([np.zeros(100)], ["a"], sample_rate=SR)
