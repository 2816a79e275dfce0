"""sklaudio.events annotations: the text format, validation and frame targets."""

from __future__ import annotations

import io
import pathlib
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pd = pytest.importorskip("pandas")

from sklaudio._params import InvalidParameterError
from sklaudio.events import (
    check_events,
    events_to_frames,
    read_events,
    write_events,
)
from sklaudio.functional import frames_to_time

ROOT = pathlib.Path(__file__).resolve().parents[1]
SED_EVAL_DATA = pathlib.Path(__file__).resolve().parent / "data" / "sed_eval"


def _read(text: str, **kw):
    return read_events(io.StringIO(text), **kw)


# -- read_events: the layouts sed_eval / dcase_util read -----------------------------------------
def test_read_onset_offset_label():
    df = _read("0.5\t1.25\tdog\n\n2.0\t3.5\tcar horn\n")  # blank line skipped
    assert list(df.columns) == ["onset", "offset", "event_label"]
    assert df["onset"].tolist() == [0.5, 2.0]
    assert df["offset"].tolist() == [1.25, 3.5]
    assert df["event_label"].tolist() == ["dog", "car horn"]
    assert df["onset"].dtype == np.float64


def test_read_without_labels_keeps_them_missing_or_uses_default_label():
    df = _read("0.5\t1.0\n2.0\t3.0\n")
    assert list(df.columns) == ["onset", "offset", "event_label"]
    assert df["event_label"].isna().all()
    with pytest.raises(ValueError, match=r"row 0 has no event_label.*default_label"):
        check_events(df)
    df = _read("0.5\t1.0\n2.0\t3.0\n", default_label="event")
    assert df["event_label"].tolist() == ["event", "event"]
    # a trailing empty label cell is a missing label too
    assert _read("0.5\t1.0\t\n", default_label="x")["event_label"].tolist() == ["x"]


def test_read_with_filenames_and_recordings_without_events():
    text = "a.wav\t0.5\t1.0\tdog\nb.wav\nc.wav\t1\t2\tcat\nd.wav\t0.1\t0.2\n"
    df = _read(text, default_label="unk")
    assert list(df.columns) == ["filename", "onset", "offset", "event_label"]
    assert df["filename"].tolist() == ["a.wav", "b.wav", "c.wav", "d.wav"]
    assert df["onset"].tolist()[0] == 0.5 and np.isnan(df["onset"][1])
    assert df["event_label"].tolist()[0] == "dog" and pd.isna(df["event_label"][1])
    assert df["event_label"][3] == "unk"
    checked = check_events(df)  # the marker row (b.wav) is valid
    assert len(checked) == 4


def test_read_dcase2016_layout_with_scene_label():
    df = _read("audio/b099.wav\tstreet\t0.18\t2.55\tcar\n"
               "audio/b099.wav\tstreet\t2.42\t4.53\n", default_label="?")
    assert list(df.columns) == ["filename", "onset", "offset", "event_label", "scene_label"]
    assert df["scene_label"].tolist() == ["street", "street"]
    assert df["event_label"].tolist() == ["car", "?"]


def test_read_header_file_as_desed_tsv():
    text = "filename\tonset\toffset\tevent_label\nY1.wav\t0.0\t1.5\tSpeech\nY2.wav\t\t\t\n"
    df = _read(text)
    assert df["filename"].tolist() == ["Y1.wav", "Y2.wav"]
    assert df["event_label"][0] == "Speech" and pd.isna(df["onset"][1])
    # sed_eval's key names in a header, in another order
    df = _read("event_label\tevent_onset\tevent_offset\ndog\t1\t2\n")
    assert list(df.columns) == ["onset", "offset", "event_label"]
    assert df.iloc[0].tolist() == [1.0, 2.0, "dog"]


@pytest.mark.parametrize("text", ["0.5,1.0,dog\n2,3,cat\n", "0.5;1.0;dog\n2;3;cat\n",
                                  "0,5;1,0;dog\n2;3;cat\n", "0.5 1.0 dog\n2 3 cat\n",
                                  "0,5\t1,0\tdog\n2\t3\tcat\n"])
def test_read_other_delimiters_and_decimal_comma(text):
    df = _read(text)
    assert df["onset"].tolist() == [0.5, 2.0]
    assert df["offset"].tolist() == [1.0, 3.0]
    assert df["event_label"].tolist() == ["dog", "cat"]


@pytest.mark.parametrize("text, match", [
    ("0.5\t1.0\tdog\nfoo\tbar\n", r"line 2: cannot read \['foo', 'bar'\]"),
    ("0.5\t1.0\tdog\na.wav\t1\t2\tcat\n", r"line 2: a filename, unlike the lines before"),
    ("a.wav\t1\t2\tcat\n\n1\t2\tcat\n", r"line 3: no filename"),
    ("2.0\t1.0\tdog\n", r"line 1: onset 2.0 s is after offset 1.0 s"),
    ("-0.5\t1.0\tdog\n", r"line 1: negative onset -0.5"),
    ("nan\t1.0\tdog\n", r"line 1: onset nan .* must be finite"),
    ("filename\tonset\toffset\na.wav\tx\t2\n", r"line 2: onset 'x' is not a number"),
])
def test_read_errors_name_the_line(text, match):
    with pytest.raises(ValueError, match=match):
        _read(text)


def test_read_error_names_the_file(tmp_path):
    p = tmp_path / "ann.txt"
    p.write_text("0.5\t1.0\tdog\n3\t2\tcat\n")
    with pytest.raises(ValueError, match=r"ann\.txt, line 2"):
        read_events(p)


def test_read_keeps_zero_length_events_that_check_events_refuses():
    df = _read("1.5\t1.5\tcar\n")  # as in sed_eval's street_fold1_reference.txt, line 25
    assert df["onset"][0] == df["offset"][0] == 1.5
    with pytest.raises(ValueError, match=r"row 0 is zero-length .*allow_zero_length=True"):
        check_events(df)
    assert len(check_events(df, allow_zero_length=True)) == 1


# -- write_events -----------------------------------------------------------------------------
def test_write_layouts():
    df = pd.DataFrame({"filename": ["a.wav", "b.wav", "c.wav"], "onset": [0.1, None, 1e-5],
                       "offset": [1.0, None, 2.0], "event_label": ["dog", None, None]})
    buf = io.StringIO()
    write_events(df, buf)
    # the marker row is a filename alone; an unlabelled event has no label cell; no exponent
    assert buf.getvalue() == "a.wav\t0.1\t1.0\tdog\nb.wav\nc.wav\t0.00001\t2.0\n"


times = st.floats(0, 1e4, allow_nan=False, allow_infinity=False)
labels = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zs", "Zl", "Zp")),
                 min_size=1, max_size=8).filter(lambda s: s.strip() == s)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(times, st.floats(1e-6, 100), labels), max_size=12),
       st.booleans())
def test_write_read_round_trip_is_exact(rows, with_files):
    df = pd.DataFrame([(o, o + d, lab) for o, d, lab in rows],
                      columns=["onset", "offset", "event_label"])
    df = df[df["onset"] < df["offset"]].reset_index(drop=True)  # o + d may round to o
    if with_files:
        df.insert(0, "filename", [f"dir/rec {k % 3}.wav" for k in range(len(df))])
    buf = io.StringIO()
    write_events(df, buf)
    back = _read(buf.getvalue())
    if len(df) == 0:
        assert len(back) == 0
        return
    pd.testing.assert_frame_equal(back, df, check_dtype=False)
    assert back["onset"].tolist() == df["onset"].tolist()  # bit-exact times


def test_write_to_path_and_read_back(tmp_path):
    df = pd.DataFrame({"onset": [0.25], "offset": [0.75], "event_label": ["a b"]})
    write_events(df, tmp_path / "x.txt")
    pd.testing.assert_frame_equal(read_events(tmp_path / "x.txt"), df, check_dtype=False)


# -- against dcase_util's reader (sed_eval.io.load_event_list) ------------------------------------
@pytest.mark.parametrize("name", sorted(p.name for p in SED_EVAL_DATA.glob("*.txt")
                                          if p.name != "LICENSE.txt"))
def test_read_matches_sed_eval_load_event_list(name):
    sed_eval = pytest.importorskip("sed_eval")
    ours = read_events(SED_EVAL_DATA / name)
    theirs = sed_eval.io.load_event_list(str(SED_EVAL_DATA / name))
    assert len(ours) == len(theirs)
    for k, item in enumerate(theirs):
        row = ours.iloc[k]
        if "onset" in item:
            assert (row["onset"], row["offset"]) == (item["onset"], item["offset"])
            assert row["event_label"] == item.get("event_label")
        else:
            assert pd.isna(row["onset"])
        assert row.get("filename") == item.get("filename")


def test_written_files_load_in_sed_eval(tmp_path):
    sed_eval = pytest.importorskip("sed_eval")
    df = pd.DataFrame({"filename": ["a.wav", "a.wav", "b.wav"], "onset": [0.1, 2.0, None],
                       "offset": [1.0, 3.25, None], "event_label": ["dog", "car horn", None]})
    write_events(df, tmp_path / "ann.txt")
    items = sed_eval.io.load_event_list(str(tmp_path / "ann.txt"))
    assert [(i["filename"], i.get("onset"), i.get("event_label")) for i in items] == [
        ("a.wav", 0.1, "dog"), ("a.wav", 2.0, "car horn"), ("b.wav", None, None)]


# -- check_events -------------------------------------------------------------------------------
def test_check_accepts_sed_eval_style_dicts_and_returns_a_copy():
    out = check_events([{"file": "a.wav", "event_onset": 1, "event_offset": 2,
                         "event_label": "dog", "scene_label": "home"}])
    assert list(out.columns) == ["filename", "onset", "offset", "event_label", "scene_label"]
    assert out["onset"].dtype == np.float64
    df = pd.DataFrame({"onset": ["0.5"], "offset": [1], "event_label": ["x"]})
    out = check_events(df)
    assert out["onset"].tolist() == [0.5] and df["onset"].tolist() == ["0.5"]  # not modified


def test_check_empty_inputs_give_empty_tables():
    for empty in ([], pd.DataFrame(), pd.DataFrame(columns=["onset", "offset"])):
        out = check_events(empty)
        assert len(out) == 0 and {"onset", "offset", "event_label"} <= set(out.columns)


@pytest.mark.parametrize("rows, match", [
    ({"onset": [0.0, np.nan], "offset": [1.0, 2.0]}, r"row 'r1' \(filename 'b.wav'\) has no onset"),
    ({"onset": [0.0, 1.0], "offset": [1.0, np.inf]}, r"row 'r1' .* has offset inf"),
    ({"onset": [0.0, -1.0], "offset": [1.0, 2.0]}, r"row 'r1' .* negative onset -1.0"),
    ({"onset": [0.0, 3.0], "offset": [1.0, 2.0]}, r"row 'r1' .* 3.0 s after offset 2.0 s\. .*swap"),
    ({"onset": [0.0, 2.0], "offset": [1.0, 2.0]}, r"row 'r1' .* is zero-length"),
    ({"onset": [0.0, "soon"], "offset": [1.0, 2.0]}, r"row 'r1' .* non-numeric onset 'soon'"),
])
def test_check_errors_name_row_file_and_fix(rows, match):
    df = pd.DataFrame({"filename": ["a.wav", "b.wav"], **rows, "event_label": ["x", "y"]},
                      index=["r0", "r1"])
    with pytest.raises(ValueError, match=match):
        check_events(df)


def test_check_counts_further_bad_rows_and_structural_errors():
    df = pd.DataFrame({"onset": [2.0, 5.0, 0.0], "offset": [1.0, 4.0, 1.0],
                       "event_label": ["a", "b", "c"]})
    with pytest.raises(ValueError, match=r"row 0 .*\(1 more row\(s\) like it\)"):
        check_events(df)
    with pytest.raises(ValueError, match=r"missing column\(s\) \['offset'\]"):
        check_events(pd.DataFrame({"onset": [1.0], "event_label": ["a"]}))
    with pytest.raises(ValueError, match=r"row 0 is empty"):
        check_events(pd.DataFrame({"onset": [None], "offset": [None], "event_label": [None]}))
    with pytest.raises(ValueError, match=r"row 1 has no filename"):
        check_events(pd.DataFrame({"filename": ["a", None], "onset": [0.0, 1.0],
                                   "offset": [1.0, 2.0], "event_label": ["x", "y"]}))
    with pytest.raises(TypeError, match="DataFrame or a list of dicts"):
        check_events("events.txt")


# -- events_to_frames ---------------------------------------------------------------------------
def test_events_to_frames_by_hand_center_true():
    # sample_rate 100, hop 10: frame k is centred at t_k = k * 0.1 s.
    # dog [0.1, 0.3): t_1 = 0.1 in (onset included), t_2 = 0.2 in, t_3 = 0.3 out (offset
    # excluded); cat [0.25, 0.26) holds no frame centre; dog again [0.2, 0.5) overlaps the
    # first dog event: frames 2, 3, 4 -> dog active in 1..4, once.
    ev = pd.DataFrame({"onset": [0.1, 0.25, 0.2], "offset": [0.3, 0.26, 0.5],
                       "event_label": ["dog", "cat", "dog"]})
    Y, classes = events_to_frames(ev, 7, sample_rate=100, hop_length=10)
    assert classes.tolist() == ["cat", "dog"]
    assert Y.dtype == np.float64 and Y.shape == (7, 2)
    assert Y[:, 0].tolist() == [0] * 7
    assert Y[:, 1].tolist() == [0, 1, 1, 1, 1, 0, 0]


def test_events_to_frames_center_false_uses_the_frame_centre():
    # center=False, n_fft 40, hop 10, sr 100: t_k = (10k + 20) / 100 = 0.2 + 0.1k
    ev = pd.DataFrame({"onset": [0.3], "offset": [0.5], "event_label": ["x"]})
    Y, _ = events_to_frames(ev, 5, sample_rate=100, hop_length=10, n_fft=40, center=False)
    assert Y[:, 0].tolist() == [0, 1, 1, 0, 0]
    with pytest.raises(InvalidParameterError, match="'n_fft' parameter of events_to_frames"):
        events_to_frames(ev, 5, sample_rate=100, hop_length=10, center=False)


def test_events_to_frames_matches_estimator_frames():
    from sklaudio import MelSpectrogram

    sr, hop = 8000, 80
    y = np.random.default_rng(0).standard_normal(sr).astype(np.float32)  # 1 s
    for center in (True, False):
        est = MelSpectrogram(sample_rate=sr, n_fft=256, hop_length=hop, n_mels=16,
                             center=center).fit([y])
        n = est.transform_frames([y])[0].shape[1]
        ev = pd.DataFrame({"onset": [0.25], "offset": [0.5], "event_label": ["e"]})
        Y, _ = events_to_frames(ev, n, sample_rate=sr, hop_length=hop, n_fft=256,
                                center=center)
        t = frames_to_time(np.arange(n), sample_rate=sr, hop_length=hop,
                           n_fft=None if center else 256)
        np.testing.assert_array_equal(Y[:, 0], ((t >= 0.25) & (t < 0.5)).astype(float))
        assert Y.shape[0] == n and Y.sum() == 25  # 0.25 s of 10 ms hops


def test_events_to_frames_classes_and_errors():
    ev = pd.DataFrame({"onset": [0.0], "offset": [0.1], "event_label": ["b"]})
    Y, classes = events_to_frames(ev, 3, sample_rate=10, hop_length=1, classes=["a", "b", "c"])
    assert classes.tolist() == ["a", "b", "c"] and Y[:, 1].tolist() == [1, 0, 0]
    assert Y[:, [0, 2]].sum() == 0
    with pytest.raises(ValueError, match=r"row 0 has event_label 'b' which is not in classes"):
        events_to_frames(ev, 3, sample_rate=10, hop_length=1, classes=["a"])
    with pytest.raises(InvalidParameterError, match="distinct"):
        events_to_frames(ev, 3, sample_rate=10, hop_length=1, classes=["a", "a"])
    two = pd.DataFrame({"filename": ["x", "y"], "onset": [0.0, 0.0], "offset": [1.0, 1.0],
                        "event_label": ["a", "a"]})
    with pytest.raises(ValueError, match="one recording, got 2 filenames"):
        events_to_frames(two, 3, sample_rate=10, hop_length=1)
    Y, classes = events_to_frames([], 4, sample_rate=10, hop_length=1)
    assert Y.shape == (4, 0) and classes.size == 0


def test_frames_to_time_n_fft_equals_librosa():
    librosa = pytest.importorskip("librosa")
    f = np.arange(40)
    for n_fft in (None, 255, 256):
        np.testing.assert_array_equal(
            frames_to_time(f, sample_rate=8000, hop_length=80, n_fft=n_fft),
            librosa.frames_to_time(f, sr=8000, hop_length=80, n_fft=n_fft))


# -- optional dependency and import rules -------------------------------------------------------
def test_import_sklaudio_does_not_import_events():
    code = "import sys, sklaudio; print('sklaudio.events' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"


def test_missing_pandas_error_names_the_extra():
    code = textwrap.dedent("""
        import sys
        sys.modules["pandas"] = None  # import pandas now raises ImportError
        import sklaudio.events as ev
        try:
            ev.check_events([])
        except ImportError as e:
            print(e)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    assert "pip install sklaudio[events]" in out.stdout


def test_soundscape_event_lists_feed_events_functions():
    """datasets.make_soundscapes' tables are event tables: frame targets and metrics take them."""
    from sklaudio.datasets import make_soundscapes
    from sklaudio.events import event_based_metrics

    t = np.arange(4000) / 8000
    clips = [np.sin(2 * np.pi * f * t) for f in (440.0, 880.0)]
    sc = make_soundscapes(clips, [3, 7], sample_rate=8000, n_soundscapes=2, duration=10.0,
                          random_state=0)
    Y, classes = events_to_frames(sc.events[0], 1 + 80000 // 80, sample_rate=8000,
                                  hop_length=80, classes=[3, 7])
    assert classes.tolist() == [3, 7] and Y.shape == (1001, 2)
    frames_per_event = (sc.events[0].offset - sc.events[0].onset) * 100  # 10 ms hops
    assert Y.sum() == pytest.approx(frames_per_event.sum(), abs=len(sc.events[0]))
    res = event_based_metrics(sc.events, sc.events)
    assert res.n_files == 2 and res.overall["f_measure"] == 1.0
