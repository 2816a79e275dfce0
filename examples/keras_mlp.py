"""A Keras 3 MLP in a scikit-learn Pipeline on FSDD (torch backend, no TensorFlow).

Keras' own scikit-learn wrapper, ``keras.wrappers.SKLearnClassifier`` (Keras >= 3.8),
takes a function that builds the model for the data (it passes one-hot ``y``)::

    Pipeline([("mfcc", MFCC(sample_rate=8000)), ("scale", StandardScaler()),
              ("mlp", SKLearnClassifier(model=keras_mlp, fit_kwargs={"epochs": 60}))])

Limits of the wrapper (Keras 3.15): a clone (GridSearchCV, cross_val_score) keeps
``fit_kwargs`` only as given to the constructor, there is no ``predict_proba``, and ``X``
must be 2-D. :class:`sklaudio.nn.MLPClassifier` (skorch) has none of these limits.

Needs ``pip install "sklaudio[keras]"``. Run from the repository root::

    SKLAUDIO_DATA=../shared/datasets python examples/keras_mlp.py
"""

from __future__ import annotations

import os
import time

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras  # noqa: E402
from keras.wrappers import SKLearnClassifier  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from sklaudio import MFCC  # noqa: E402
from sklaudio.datasets import fetch_fsdd  # noqa: E402


def keras_mlp(X, y, hidden=(256, 128), dropout=0.2):
    """A Keras MLP with softmax output, built for ``X`` and one-hot ``y``."""
    layers = [keras.Input((X.shape[1],))]
    for units in hidden:
        layers += [keras.layers.Dense(units, activation="relu"), keras.layers.Dropout(dropout)]
    layers.append(keras.layers.Dense(y.shape[1], activation="softmax"))
    model = keras.Sequential(layers)
    model.compile(loss="categorical_crossentropy", optimizer=keras.optimizers.Adam(1e-3),
                  metrics=["accuracy"])
    return model


def main():
    keras.utils.set_random_seed(0)
    train, test = fetch_fsdd(subset="train"), fetch_fsdd(subset="test")
    pipe = Pipeline([("mfcc", MFCC(sample_rate=8000)), ("scale", StandardScaler()),
                     ("mlp", SKLearnClassifier(model=keras_mlp,
                                               fit_kwargs={"epochs": 60, "batch_size": 64,
                                                           "verbose": 0}))])
    t0 = time.perf_counter()
    pipe.fit(train.data, train.target)
    acc = pipe.score(test.data, test.target)
    print(f"Keras {keras.__version__} ({keras.backend.backend()} backend), official FSDD split: "
          f"MFCC + StandardScaler + Keras MLP: {100 * acc:.1f} % "
          f"({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
