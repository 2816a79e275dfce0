"""sklaudio.nn: skorch MLP and log-mel CNN classifiers (optional ``[torch]`` extra).

Tiny nets on small data, a few epochs each, so the whole file runs in about a minute
on two cores. Skipped when torch or skorch is absent (``pip install "sklaudio[torch]"``).
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import textwrap

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("skorch")

from sklearn.base import clone  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

import sklaudio.nn  # noqa: E402
from sklaudio import MFCC, LogMelPatches  # noqa: E402
from sklaudio.nn import CNNClassifier, CNNModule, MixupCollate, MLPClassifier, MLPModule  # noqa: E402

FAST = dict(max_epochs=6, batch_size=16, lr=1e-2, random_state=0)


def _blobs(n=90, d=6, seed=0, labels=("cat", "dog", "owl")):
    rng = np.random.default_rng(seed)
    y = np.asarray(labels)[np.arange(n) % len(labels)]
    centers = rng.standard_normal((len(labels), d)) * 3
    X = centers[np.arange(n) % len(labels)] + rng.standard_normal((n, d))
    return X, y  # float64 X, string y


def _patches(n=48, seed=0):
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    P = rng.standard_normal((n, 1, 12, 10))
    P[y == 1, :, :4] += 2.0  # class 1: energy in the low bands
    return P, y


# -- the optional import --------------------------------------------------------------------------
def _run(code):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [os.path.dirname(os.path.dirname(sklaudio.nn.__file__))] + sys.path)}
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                         text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_import_sklaudio_imports_no_torch_and_nn_names_the_extra():
    assert _run("import sys, sklaudio; print([m for m in ('torch', 'skorch', 'sklaudio.nn') "
                "if m in sys.modules])") == "[]"
    out = _run("""
        import sys

        class NoTorch:  # a machine without torch: importing it raises ImportError
            def find_spec(self, name, path=None, target=None):
                if name.split('.')[0] in ('torch', 'skorch'):
                    raise ImportError(f'No module named {name!r}')

        sys.meta_path.insert(0, NoTorch())
        try:
            import sklaudio.nn
        except ImportError as e:
            print(e)
        """)
    assert 'pip install "sklaudio[torch]"' in out


# -- shapes, dtypes, labels -------------------------------------------------------------------
def test_mlp_string_labels_float64_input_shapes():
    X, y = _blobs()
    clf = MLPClassifier(**FAST).fit(X, y)
    assert list(clf.classes_) == ["cat", "dog", "owl"]
    P = clf.predict_proba(X)
    assert P.shape == (90, 3) and P.dtype == np.float64
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-9)
    pred = clf.predict(X)
    assert pred.dtype == y.dtype and set(pred) <= set(y)
    assert clf.score(X, y) > 0.9
    assert clf.n_features_in_ == 6
    # float32 input gives the same probabilities
    np.testing.assert_allclose(clf.predict_proba(X.astype(np.float32)), P, rtol=1e-6)
    with pytest.raises(ValueError, match="features"):
        clf.predict(X[:, :5])


def test_cnn_on_logmel_patch_shapes_and_integer_labels():
    P, y = _patches()
    clf = CNNClassifier(**FAST).fit(P, y + 10)
    assert list(clf.classes_) == [10, 11]
    assert clf.input_shape_ == (1, 12, 10)
    assert clf.predict_proba(P).shape == (48, 2)
    assert clf.score(P, y + 10) > 0.8
    # 3-D input (n, n_mels, n_frames) gets the channel axis
    np.testing.assert_allclose(clf.predict_proba(P[:, 0]), clf.predict_proba(P), rtol=1e-6)
    with pytest.raises(ValueError, match="fitted on"):
        clf.predict(P[:, :, :6])


def test_cnn_takes_logmel_patches_in_a_pipeline(fsdd_sample):
    clips = fsdd_sample[:20]
    y = np.arange(20) % 2
    pipe = Pipeline([("patches", LogMelPatches(sample_rate=8000, n_fft=256, hop_length=128,
                                               n_mels=20, n_frames=16)),
                     ("cnn", CNNClassifier(max_epochs=2, random_state=0))])
    pipe.fit(clips, y)
    assert pipe.predict_proba(clips).shape == (20, 2)


def test_modules_have_the_documented_shapes():
    assert MLPModule(8, 3, hidden_units=())(torch.zeros(2, 8)).shape == (2, 3)
    cnn = CNNModule(5, channels=(4, 8)).eval()
    for shape in ((2, 1, 40, 32), (2, 1, 1, 7), (2, 1, 3, 3)):
        assert cnn(torch.zeros(shape)).shape == (2, 5)


# -- reproducibility, early stopping ------------------------------------------------------------
@pytest.mark.parametrize("mixup_alpha", [0.0, 0.4])
def test_random_state_makes_fits_reproducible(mixup_alpha):
    X, y = _blobs()
    fit = lambda rs: MLPClassifier(**{**FAST, "random_state": rs},  # noqa: E731
                                   mixup_alpha=mixup_alpha).fit(X, y).predict_proba(X)
    before = torch.random.get_rng_state()
    a, b, c = fit(0), fit(0), fit(1)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)
    # the global torch random state is left as it was
    assert torch.equal(before, torch.random.get_rng_state())


def test_early_stopping_on_the_internal_split():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((80, 4))
    y = rng.integers(0, 2, 80)  # noise: the validation loss soon stops improving
    clf = MLPClassifier(max_epochs=200, patience=3, lr=1e-2, random_state=0).fit(X, y)
    hist = clf.history_
    assert len(hist) < 200
    assert "valid_loss" in hist[-1]
    assert len(hist[-1]["batches"]) and sum(b["valid_batch_size"] for b in
                                            hist[-1]["batches"] if "valid_batch_size" in b) == 8
    # no validation: trains max_epochs
    clf = MLPClassifier(max_epochs=4, validation_fraction=0.0, random_state=0).fit(X, y)
    assert len(clf.history_) == 4 and "valid_loss" not in clf.history_[-1]


def test_invalid_own_parameters_raise():
    X, y = _blobs(n=30)
    with pytest.raises(ValueError, match="'mixup_alpha' parameter of MLPClassifier"):
        MLPClassifier(mixup_alpha=-1).fit(X, y)
    with pytest.raises(ValueError, match="'validation_fraction' parameter of CNNClassifier"):
        CNNClassifier(validation_fraction=1.0).fit(X, y)


# -- scikit-learn machinery ---------------------------------------------------------------------
def test_clone_and_grid_search_over_module_lr_and_max_epochs():
    X, y = _blobs(n=60)
    clf = MLPClassifier(module__hidden_units=(8,), **FAST)
    c = clone(clf)
    assert c.get_params()["module__hidden_units"] == (8,) and c.lr == 1e-2
    grid = GridSearchCV(clf, {"module__hidden_units": [(4,), (16, 8)], "lr": [1e-2, 3e-2],
                              "max_epochs": [3]}, cv=2)
    grid.fit(X, y)
    assert set(grid.best_params_) == {"module__hidden_units", "lr", "max_epochs"}
    assert grid.best_estimator_.module_.net[0].out_features in (4, 16)
    assert grid.predict(X).shape == (60,)


def test_grid_search_runs_in_worker_processes():
    """n_jobs=2: the module classes are importable from sklaudio.nn, so the workers
    unpickle them."""
    P, y = _patches(n=32)
    grid = GridSearchCV(CNNClassifier(max_epochs=2, random_state=0),
                        {"module__channels": [(4,), (4, 8)]}, cv=2, n_jobs=2)
    grid.fit(P, y)
    assert len(grid.cv_results_["params"]) == 2


@pytest.mark.parametrize("cls,data", [(MLPClassifier, _blobs), (CNNClassifier, _patches)])
def test_pickle_round_trip(cls, data):
    X, y = data()
    clf = cls(**FAST).fit(X, y)
    again = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(again.predict_proba(X), clf.predict_proba(X))
    assert list(again.classes_) == list(clf.classes_)


# -- mixup in training only ---------------------------------------------------------------------
class _ProbeMLP(MLPModule):
    """Records the inputs it sees, in training and in evaluation mode."""

    seen = {"train": [], "eval": []}

    def forward(self, X):
        self.seen["train" if self.training else "eval"].append(X.detach().numpy().copy())
        return super().forward(X)


def test_mixup_only_in_training_batches():
    X, y = _blobs(n=60)
    X = np.round(X)  # integer-valued rows: a mixed row is (almost surely) not one of them
    rows = {tuple(r) for r in X.astype(np.float32)}
    _ProbeMLP.seen = {"train": [], "eval": []}
    clf = MLPClassifier(module=_ProbeMLP, mixup_alpha=1.0, max_epochs=3, random_state=0).fit(X, y)
    train = np.concatenate(_ProbeMLP.seen["train"])
    assert np.mean([tuple(r) not in rows for r in train]) > 0.5  # mixed
    _ProbeMLP.seen = {"train": [], "eval": []}
    clf.predict_proba(X)
    seen = np.concatenate(_ProbeMLP.seen["eval"])
    np.testing.assert_array_equal(seen, X.astype(np.float32))  # predict: as given
    # validation batches during fit are unmixed rows too
    _ProbeMLP.seen = {"train": [], "eval": []}
    MLPClassifier(module=_ProbeMLP, mixup_alpha=1.0, max_epochs=2, random_state=0).fit(X, y)
    assert all(tuple(r) in rows for r in np.concatenate(_ProbeMLP.seen["eval"]))
    # without mixup, training batches are rows of X
    _ProbeMLP.seen = {"train": [], "eval": []}
    MLPClassifier(module=_ProbeMLP, max_epochs=2, random_state=0).fit(X, y)
    assert all(tuple(r) in rows for r in np.concatenate(_ProbeMLP.seen["train"]))


def test_mixup_collate_soft_targets():
    batch = [(np.full(3, i, dtype=np.float32), i % 3) for i in range(8)]
    X, Y = MixupCollate(alpha=0.5, n_classes=3, random_state=0)(batch)
    assert X.shape == (8, 3) and Y.shape == (8, 3) and Y.dtype == torch.float32
    np.testing.assert_allclose(Y.sum(dim=1).numpy(), 1.0, rtol=1e-6)
    X0, y0 = MixupCollate(alpha=0, n_classes=3)(batch)
    assert y0.dtype == torch.int64 and torch.equal(X0[:, 0], torch.arange(8.0))


# -- scikit-learn's estimator checks ------------------------------------------------------------
CHECKS = dict(max_epochs=15, lr=1e-2, batch_size=32, random_state=0)

#: skorch's own design, not sklaudio's
_EXPECTED = {
    "check_no_attributes_set_in_init":
        "skorch's NeuralNet.__init__ sets private bookkeeping attributes (_params_to_validate, "
        "_modules, _criteria, _optimizers) that get_params reports by design",
    "check_set_params":
        "skorch reports its private _params_to_validate set among the parameters (its "
        "_get_param_names lists every attribute not ending in '_'); the check sets it to "
        "floats and skorch's set_params then calls .add on it",
}


def _expected(est):
    out = dict(_EXPECTED)
    return out


@parametrize_with_checks([MLPClassifier(**CHECKS), CNNClassifier(**CHECKS)],
                         expected_failed_checks=_expected)
def test_sklearn_compatible(estimator, check):
    check(estimator)


# -- numpydoc ---------------------------------------------------------------------------------
def _nn_public():
    for name in sklaudio.nn.__all__:
        obj = getattr(sklaudio.nn, name)
        yield f"sklaudio.nn.{name}"
        for meth, value in vars(obj).items():
            if not meth.startswith("_") and callable(value):
                yield f"sklaudio.nn.{name}.{meth}"


@pytest.mark.parametrize("qualname", list(_nn_public()))
def test_numpydoc(qualname):
    validate = pytest.importorskip("numpydoc.validate").validate
    ignored = {"ES01", "SA01", "SA04", "EX01", "RT02", "GL08"}
    errors = [f"{c}: {m}" for c, m in validate(qualname)["errors"] if c not in ignored]
    assert not errors, f"{qualname}:\n" + "\n".join(errors)


# -- real audio ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def fsdd_small(fsdd_split):
    """A few hundred FSDD clips: every 5th training clip (540), every 3rd test clip (100)."""
    Xtr, ytr, Xte, yte = fsdd_split
    return Xtr[::5], ytr[::5], Xte[::3], yte[::3]


def test_mfcc_scaler_mlp_pipeline_on_fsdd(fsdd_small):
    Xtr, ytr, Xte, yte = fsdd_small
    pipe = Pipeline([("mfcc", MFCC(sample_rate=8000)), ("scale", StandardScaler()),
                     ("mlp", MLPClassifier(max_epochs=60, random_state=0))])
    pipe.fit(Xtr, ytr)
    acc = pipe.score(Xte, yte)
    assert acc > 0.6, acc  # chance: 0.1


# -- Keras 3 through its own scikit-learn wrapper ------------------------------------------------
def _keras_mlp(X, y, hidden=64):
    """A Keras MLP built for the data (the wrapper passes one-hot ``y``)."""
    import keras

    model = keras.Sequential([keras.Input((X.shape[1],)),
                              keras.layers.Dense(hidden, activation="relu"),
                              keras.layers.Dense(y.shape[1], activation="softmax")])
    model.compile(loss="categorical_crossentropy", optimizer=keras.optimizers.Adam(1e-2))
    return model


def test_keras_mlp_in_a_pipeline(fsdd_small):
    """Keras 3 on the torch backend (no TensorFlow), through keras.wrappers.SKLearnClassifier."""
    os.environ.setdefault("KERAS_BACKEND", "torch")
    keras = pytest.importorskip("keras")
    if keras.backend.backend() != "torch":
        pytest.skip(f"Keras runs on {keras.backend.backend()}, not torch")
    from keras.wrappers import SKLearnClassifier

    keras.utils.set_random_seed(0)
    Xtr, ytr, Xte, yte = fsdd_small
    labels = np.array(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
                       "nine"])
    pipe = Pipeline([("mfcc", MFCC(sample_rate=8000)), ("scale", StandardScaler()),
                     ("mlp", SKLearnClassifier(model=_keras_mlp, model_kwargs={"hidden": 64},
                                               fit_kwargs={"epochs": 40, "verbose": 0}))])
    pipe.fit(Xtr, labels[ytr])
    assert set(pipe.classes_) == set(labels)
    acc = pipe.score(Xte, labels[yte])
    assert acc > 0.6, acc
