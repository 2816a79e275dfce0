"""The parameter-validation layer: one declaration per estimator, one error, uniform text."""

from __future__ import annotations

import inspect
import os
import warnings

import numpy as np
import pytest
import soundfile as sf
from numpydoc.docscrape import ClassDoc
from sklearn.pipeline import make_pipeline

import sklaudio
from sklaudio import MFCC, AudioLoader, Trim
from sklaudio._params import (
    InvalidParameterError,
    make_constraint,
    validate_parameter_constraints,
)

ESTIMATORS = [getattr(sklaudio, n) for n in sklaudio.__all__
              if inspect.isclass(getattr(sklaudio, n))]


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_signature_constraints_and_documented_parameters_are_one_set(cls):
    signature = set(inspect.signature(cls).parameters)
    constraints = set(cls._parameter_constraints)
    documented = {name.strip() for p in ClassDoc(cls)["Parameters"]
                  for name in p.name.split(",")}
    assert constraints == signature, (
        f"{cls.__name__}: constrained but not in __init__: {constraints - signature}; "
        f"in __init__ without a constraint: {signature - constraints}")
    assert documented == signature, (
        f"{cls.__name__}: documented but not in __init__: {documented - signature}; "
        f"undocumented: {signature - documented}")


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_every_default_satisfies_its_constraints(cls):
    defaults = {k: p.default for k, p in inspect.signature(cls).parameters.items()}
    validate_parameter_constraints(cls._parameter_constraints, defaults, cls.__name__)


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_a_wrong_type_raises_one_error_type_naming_estimator_and_parameter(cls):
    name = next(iter(inspect.signature(cls).parameters))
    est = cls(**{name: object()})
    clips = [np.zeros(4000)]
    if cls is AudioLoader:
        clips = ["missing.wav"]
    with pytest.raises(InvalidParameterError,
                       match=rf"^The '{name}' parameter of {cls.__name__} must be .* Got "):
        est.fit(clips)


def test_invalid_parameter_error_is_a_value_and_a_type_error():
    assert issubclass(InvalidParameterError, ValueError)
    assert issubclass(InvalidParameterError, TypeError)
    with pytest.raises(TypeError):
        MFCC(n_fft=1.5).fit(np.zeros((1, 4000)))


def test_relations_between_parameters_raise_the_same_error_with_the_same_text():
    with pytest.raises(InvalidParameterError,
                       match=r"^The 'n_mfcc' parameter of MFCC must be an int in the range "
                             r"\[1, 40\] \(at most n_mels\)\. Got 41 instead\.$"):
        MFCC(n_mels=40, n_mfcc=41).fit(np.zeros((1, 4000)))
    with pytest.raises(InvalidParameterError,
                       match=r"^The 'win_length' parameter of MFCC must be an int in the range "
                             r"\[1, 256\]"):
        MFCC(n_fft=256, win_length=300).fit(np.zeros((1, 4000)))
    with pytest.raises(InvalidParameterError, match=r"^The 'window' parameter of MFCC"):
        MFCC(window="no-such-window").fit(np.zeros((1, 4000)))


@pytest.mark.parametrize("constraint,good,bad", [
    ("boolean", [True, False, np.bool_(True)], [0, 1, "yes", None]),
    (None, [None], [0, ""]),
    (callable, [np.max, len], [1.0, "max"]),
])
def test_constraint_declarations(constraint, good, bad):
    c = make_constraint(constraint)
    assert all(c.is_satisfied_by(v) for v in good)
    assert not any(c.is_satisfied_by(v) for v in bad)


def test_intervals_refuse_bools_and_non_finite_values():
    from sklaudio._params import POSITIVE_INT, POSITIVE_REAL
    assert POSITIVE_INT.is_satisfied_by(np.int64(3)) and not POSITIVE_INT.is_satisfied_by(True)
    assert not POSITIVE_INT.is_satisfied_by(2.0)
    for v in (np.nan, np.inf, 0.0, -1.0, True):
        assert not POSITIVE_REAL.is_satisfied_by(v)
    assert POSITIVE_REAL.is_satisfied_by(np.float32(0.5))


def test_trim_and_loader_take_set_output_in_a_pandas_pipeline(tmp_path, fsdd_sample):
    pd = pytest.importorskip("pandas")
    paths = []
    for i, x in enumerate(fsdd_sample[:3]):
        paths.append(os.fspath(tmp_path / f"{i}.wav"))
        sf.write(paths[-1], x, 8000)
    mfcc = MFCC(sample_rate=8000, n_fft=256, hop_length=80, n_mels=40, n_mfcc=13)
    pipe = make_pipeline(AudioLoader(), Trim(frame_length=256, hop_length=64), mfcc)
    out = pipe.set_output(transform="pandas").fit_transform(paths)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == list(mfcc.get_feature_names_out())
    assert out.shape == (3, 26)


def test_audio_loader_is_keyword_only_with_a_deprecation_cycle():
    with pytest.warns(FutureWarning, match="sample_rate=16000 as keyword"):
        loader = AudioLoader(16000)
    assert loader.sample_rate == 16000
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        AudioLoader(sample_rate=16000)


@pytest.mark.parametrize("rate,ok", [(16000, True), (16000.0, True), (np.float32(8000), True),
                                     (16000.5, False), (0, False), (True, False)])
def test_audio_loader_accepts_integral_real_sample_rates(rate, ok):
    loader = AudioLoader(sample_rate=rate)
    if ok:
        assert loader._validated_params()[0] == int(rate)
    else:
        with pytest.raises(InvalidParameterError, match="'sample_rate' parameter of AudioLoader"):
            loader.fit(["a.wav"])
