"""skorch classifiers with sklaudio's conventions: float32 inside, any labels, early
stopping on an internal split, ``random_state``, and mixup in training batches."""

from __future__ import annotations

import numbers

import numpy as np
import scipy.sparse
import torch
from skorch import NeuralNetClassifier
from skorch.callbacks import EarlyStopping, EpochTimer, PassthroughScoring, PrintLog
from sklearn.model_selection import ShuffleSplit, StratifiedShuffleSplit
from sklearn.preprocessing import LabelEncoder
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, column_or_1d, validate_data
from torch.utils.data import Subset, default_collate

from .._params import Interval, validate_parameter_constraints
from ._modules import CNNModule, MLPModule

__all__ = ["CNNClassifier", "MLPClassifier", "MixupCollate"]


class MixupCollate:
    """Collate a training batch and mix it (mixup, Zhang et al. 2018).

    Each batch is mixed with a shuffled copy of itself, with one weight
    ``lam ~ Beta(alpha, alpha)`` per batch::

        X = lam * X + (1 - lam) * X[perm]
        Y = lam * onehot(y) + (1 - lam) * onehot(y)[perm]

    and returned with the soft targets ``Y`` (float32, ``(batch,
    n_classes)``), which ``torch.nn.CrossEntropyLoss`` accepts as class
    probabilities. The classifiers of :mod:`sklaudio.nn` use it as the
    ``collate_fn`` of the training iterator only: validation batches and
    ``predict``/``predict_proba`` never see it.

    Parameters
    ----------
    alpha : float
        The Beta distribution's parameter; ``0`` collates without mixing.
    n_classes : int
        Number of classes (width of the soft targets).
    random_state : int, numpy.random.Generator or None, default=None
        Seed of the mixing weights and permutations.

    References
    ----------
    .. [1] H. Zhang, M. Cisse, Y. N. Dauphin and D. Lopez-Paz, "mixup: Beyond
       Empirical Risk Minimization", ICLR 2018.

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.nn import MixupCollate
    >>> batch = [(np.ones(3, dtype=np.float32), 0), (np.zeros(3, dtype=np.float32), 1)]
    >>> X, Y = MixupCollate(alpha=0.4, n_classes=2, random_state=0)(batch)
    >>> tuple(Y.shape), float(Y.sum())
    ((2, 2), 2.0)
    """

    def __init__(self, alpha, n_classes, random_state=None):
        self.alpha = alpha
        self.n_classes = n_classes
        self.random_state = random_state
        seed = random_state if isinstance(random_state, np.random.Generator) else \
            check_random_state(random_state).randint(2 ** 31)
        self._rng = np.random.default_rng(seed)

    def __call__(self, batch):
        """Collate ``batch`` (a list of ``(x, y)`` pairs) and mix it.

        Parameters
        ----------
        batch : list of tuple
            ``(x, y)`` pairs of one sample each, ``y`` a class index.

        Returns
        -------
        X : torch.Tensor
            The mixed inputs, stacked.
        Y : torch.Tensor of shape (batch, n_classes)
            Soft targets (float32); plain class indices when ``alpha`` is 0.
        """
        X, y = default_collate(batch)
        if not self.alpha:
            return X, y
        lam = float(self._rng.beta(self.alpha, self.alpha))
        perm = torch.from_numpy(self._rng.permutation(len(y)))
        Y = torch.nn.functional.one_hot(y.long(), int(self.n_classes)).to(torch.float32)
        X = lam * X + (1.0 - lam) * X[perm]
        Y = lam * Y + (1.0 - lam) * Y[perm]
        return X, Y


class _EarlyStopping(EarlyStopping):
    """skorch's EarlyStopping that does nothing when an epoch has no validation score
    (a training set too small to split)."""

    def on_epoch_end(self, net, **kwargs):
        if self.monitor in net.history[-1]:
            super().on_epoch_end(net, **kwargs)


_OWN = {
    "mixup_alpha": [Interval(numbers.Real, 0, None, closed="left")],
    "validation_fraction": [Interval(numbers.Real, 0, 1, closed="left")],
    "patience": [Interval(numbers.Integral, 1, None, closed="left"), None],
    "random_state": [Interval(numbers.Integral, 0, 2 ** 32 - 1, closed="both"),
                     np.random.RandomState, None],
}


class _AudioNet(NeuralNetClassifier):
    """The sklaudio conventions on top of skorch's NeuralNetClassifier."""

    def __init__(self, module, *, criterion=torch.nn.CrossEntropyLoss,
                 optimizer=torch.optim.AdamW, lr=1e-3, max_epochs=100, batch_size=64,
                 mixup_alpha=0.0, validation_fraction=0.1, patience=10, random_state=None,
                 train_split=None, verbose=0, **kwargs):
        kwargs.setdefault("iterator_train__shuffle", True)
        super().__init__(module, criterion=criterion, optimizer=optimizer, lr=lr,
                         max_epochs=max_epochs, batch_size=batch_size, train_split=train_split,
                         verbose=verbose, **kwargs)
        self.mixup_alpha = mixup_alpha
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.random_state = random_state

    # -- scikit-learn side ------------------------------------------------------------------
    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        tags.non_deterministic = self.random_state is None
        return tags

    @property
    def classes_(self):
        """The class labels as given to ``fit`` (sorted), ndarray of shape (n_classes,)."""
        return self.label_encoder_.classes_

    def _check_X(self, X, reset):
        raise NotImplementedError

    @property
    def _default_callbacks(self):
        callbacks = [
            ("epoch_timer", EpochTimer()),
            ("train_loss", PassthroughScoring(name="train_loss", on_train=True)),
            ("valid_loss", PassthroughScoring(name="valid_loss")),
        ]
        if self.patience is not None:
            callbacks.append(("early_stopping", _EarlyStopping(
                monitor="valid_loss", patience=self.patience, load_best=True)))
        callbacks.append(("print_log", PrintLog()))
        return callbacks

    def _module_kwargs(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def initialize_module(self):
        """Build the module, with its data-dependent sizes taken from the training data.

        Returns
        -------
        self : object
            The net, with ``module_`` set.
        """
        kwargs = self.get_params_for("module")
        if not isinstance(self.module, torch.nn.Module):
            kwargs = {**self._module_kwargs(), **kwargs}
        self.module_ = self.initialized_instance(self.module, kwargs)
        return self

    def get_split_datasets(self, X, y=None, **fit_params):
        """Split the training data into a training and an early-stopping validation part.

        With ``train_split=None`` (the default) a stratified shuffle split keeps
        ``validation_fraction`` of the samples (at least one) for validation,
        drawn from ``random_state``; when a class has a single sample, the split
        is not stratified; with ``validation_fraction=0``, or fewer than 2 samples,
        nothing is held out and early stopping is off. A skorch ``train_split``
        replaces all this.

        Parameters
        ----------
        X : ndarray
            Training inputs (float32).
        y : ndarray of int64
            Encoded labels.
        **fit_params : dict
            Passed to a user ``train_split``.

        Returns
        -------
        dataset_train : torch.utils.data.Dataset
            The training part.
        dataset_valid : torch.utils.data.Dataset or None
            The validation part.
        """
        if self.train_split is not None:
            return super().get_split_datasets(X, y, **fit_params)
        dataset = self.get_dataset(X, y)
        n = len(dataset)
        n_valid = int(np.ceil(self.validation_fraction * n)) if self.validation_fraction else 0
        if n_valid < 1 or n - n_valid < 1:
            return dataset, None
        y = np.asarray(y)
        counts = np.bincount(y)
        counts = counts[counts > 0]
        stratify = counts.min() >= 2 and n_valid >= len(counts) and n - n_valid >= len(counts)
        split = (StratifiedShuffleSplit if stratify else ShuffleSplit)(
            n_splits=1, test_size=n_valid, random_state=self.fit_seed_)
        train, valid = next(split.split(np.zeros(n), y))
        return Subset(dataset, train), Subset(dataset, valid)

    def get_iterator(self, dataset, training=False):
        """The batch iterator; training batches are mixed when ``mixup_alpha > 0``.

        Parameters
        ----------
        dataset : torch.utils.data.Dataset
            The data.
        training : bool, default=False
            Whether this is the training iterator (the only one that mixes).

        Returns
        -------
        torch.utils.data.DataLoader
            The iterator.
        """
        mix = getattr(self, "mixup_", None)
        if not (training and mix is not None):
            return super().get_iterator(dataset, training=training)
        kwargs = self.get_params_for("iterator_train")
        kwargs.setdefault("batch_size", self.batch_size)
        if kwargs["batch_size"] == -1:
            kwargs["batch_size"] = len(dataset)
        kwargs["collate_fn"] = mix
        return self.iterator_train(dataset, **kwargs)

    def fit(self, X, y, **fit_params):
        """Train the net on ``X`` and labels ``y``.

        ``X`` is cast to float32; the labels (any type) are encoded to class
        indices; torch and the validation split are seeded from
        ``random_state`` (the global torch random state is restored after).

        Parameters
        ----------
        X : array-like
            Training inputs (see the class description for the shapes).
        y : array-like of shape (n_samples,)
            Class labels of any type.
        **fit_params : dict
            Passed to skorch's ``fit``.

        Returns
        -------
        self : object
            The fitted classifier.
        """
        X, y_idx = self._prepare(X, y)
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(self.fit_seed_)
            if not self.warm_start or not self.initialized_:
                self.initialize()
            super().partial_fit(X, y_idx, _routing_method="fit", **fit_params)
        return self

    def _prepare(self, X, y, classes=None):
        validate_parameter_constraints(_OWN, {k: getattr(self, k) for k in _OWN},
                                       type(self).__name__)
        X = self._check_X(X, reset=True)
        y = column_or_1d(y, warn=True)
        if len(y) != len(X):
            raise ValueError(f"X and y have different numbers of samples: {len(X)} and {len(y)}.")
        check_classification_targets(y)
        classes = self.classes if classes is None else classes
        encoder = LabelEncoder().fit(y if classes is None else np.asarray(classes))
        if len(encoder.classes_) < 2:
            raise ValueError(f"{type(self).__name__} needs samples of at least 2 classes in y; "
                             f"got 1 class: {encoder.classes_[0]!r}.")
        self.label_encoder_ = encoder
        y_idx = encoder.transform(y).astype(np.int64)
        self.fit_seed_ = int(check_random_state(self.random_state).randint(2 ** 31))
        self.mixup_ = (MixupCollate(self.mixup_alpha, len(encoder.classes_), self.fit_seed_ + 1)
                       if self.mixup_alpha else None)
        return X, y_idx

    def partial_fit(self, X, y, classes=None, **fit_params):
        """Train for ``max_epochs`` more epochs, starting from the current weights.

        The first call (on an unfitted net) sets up the classes (from
        ``classes`` or ``y``) and the module, as ``fit``.

        Parameters
        ----------
        X : array-like
            Training inputs, as in ``fit``.
        y : array-like of shape (n_samples,)
            Class labels, among ``classes_``.
        classes : array-like or None, default=None
            All the class labels, on the first call when ``y`` lacks some.
        **fit_params : dict
            Passed to skorch's ``partial_fit``.

        Returns
        -------
        self : object
            The trained classifier.
        """
        if not getattr(self, "initialized_", False) or not hasattr(self, "label_encoder_"):
            X, y_idx = self._prepare(X, y, classes)
            seed = self.fit_seed_
            with torch.random.fork_rng(devices=[]):
                torch.manual_seed(seed)
                self.initialize()
        else:
            X = self._check_X(X, reset=False)
            y_idx = self.label_encoder_.transform(column_or_1d(y)).astype(np.int64)
            seed = self.fit_seed_ + len(self.history_)
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            super().partial_fit(X, y_idx, **fit_params)
        return self

    def predict_proba(self, X):
        """Class probabilities (the softmax of the module's logits, in eval mode).

        Parameters
        ----------
        X : array-like
            Inputs, as in ``fit``.

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
            Probabilities (float64, rows sum to 1), columns in ``classes_`` order.
        """
        check_is_fitted(self)
        X = self._check_X(X, reset=False)
        with torch.random.fork_rng(devices=[]):  # the DataLoader draws a seed: keep the global state
            P = np.asarray(super().predict_proba(X), dtype=np.float64)
        return P / P.sum(axis=1, keepdims=True)

    def predict(self, X):
        """Most probable class of each sample.

        Parameters
        ----------
        X : array-like
            Inputs, as in ``fit``.

        Returns
        -------
        ndarray of shape (n_samples,)
            Labels from ``classes_``.
        """
        P = self.predict_proba(X)
        return self.classes_[np.argmax(P, axis=1)]


class MLPClassifier(_AudioNet):
    """A multi-layer perceptron classifier (skorch, PyTorch) for 2-D audio features.

    A skorch ``NeuralNetClassifier`` with :class:`MLPModule` (hidden layers
    ``(256, 128)``, ReLU, dropout 0.2) trained with AdamW on the
    cross-entropy. It takes the features of any sklaudio transformer (MFCC
    statistics, pooled spectral descriptors), ideally standardised
    (``StandardScaler`` before it in the Pipeline). Every skorch parameter
    can be passed and tuned (``module__hidden_units``, ``module__dropout``,
    ``lr``, ``max_epochs``, ``batch_size``, ``optimizer__weight_decay``,
    ``callbacks__early_stopping__patience``).

    - ``X`` of any float dtype is cast to float32; labels of any type are
      encoded inside (``classes_`` keeps the originals, ``predict`` returns
      them).
    - Early stopping: ``validation_fraction`` of the training samples
      (stratified) is held out; training stops when the validation loss has
      not improved for ``patience`` epochs and the best epoch's weights are
      restored.
    - Mixup (``mixup_alpha > 0``) mixes training batches only
      (:class:`MixupCollate`), with soft targets; validation and prediction
      see the samples as given.
    - ``random_state`` seeds the weights, batch order, dropout, the split
      and mixup; the global torch random state is left unchanged.

    Parameters
    ----------
    module : type or torch.nn.Module, default=MLPModule
        The torch module (class or instance). A class receives
        ``n_features`` and ``n_classes`` from the data, plus every
        ``module__...`` parameter.
    criterion : type, default=torch.nn.CrossEntropyLoss
        The loss (on logits); it must accept soft targets for mixup.
    optimizer : type, default=torch.optim.AdamW
        The optimiser.
    lr : float, default=1e-3
        Learning rate.
    max_epochs : int, default=100
        Most training epochs.
    batch_size : int, default=64
        Samples per batch.
    mixup_alpha : float, default=0.0
        Mixup's Beta parameter; 0 disables mixup. 0.2-0.4 is usual.
    validation_fraction : float, default=0.1
        Part of the training data held out for early stopping, in ``[0, 1)``;
        0 trains on everything for ``max_epochs``.
    patience : int or None, default=10
        Epochs without improvement of the validation loss before stopping;
        None disables early stopping.
    random_state : int, RandomState instance or None, default=None
        Seed for reproducible fits.
    train_split : callable or None, default=None
        A skorch ``train_split`` that replaces the internal split.
    verbose : int, default=0
        Per-epoch log of skorch when 1.
    **kwargs : dict
        Any other skorch parameter (``module__hidden_units=(64,)``,
        ``optimizer__weight_decay=1e-4``, ``device``, ...).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The labels seen in ``fit``.
    n_features_in_ : int
        Features per sample.
    module_ : torch.nn.Module
        The trained module.
    history_ : skorch.History
        Per-epoch losses.
    fit_seed_ : int
        The torch seed of the last fit (drawn from ``random_state``).

    See Also
    --------
    CNNClassifier : The convolutional net for log-mel patches.

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.nn import MLPClassifier
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((60, 5))
    >>> y = np.where(X[:, 0] > 0, "yes", "no")
    >>> clf = MLPClassifier(max_epochs=5, random_state=0).fit(X, y)
    >>> clf.predict_proba(X).shape, clf.classes_.tolist()
    ((60, 2), ['no', 'yes'])
    """

    def __init__(self, module=MLPModule, *, criterion=torch.nn.CrossEntropyLoss,
                 optimizer=torch.optim.AdamW, lr=1e-3, max_epochs=100, batch_size=64,
                 mixup_alpha=0.0, validation_fraction=0.1, patience=10, random_state=None,
                 train_split=None, verbose=0, **kwargs):
        super().__init__(module, criterion=criterion, optimizer=optimizer, lr=lr,
                         max_epochs=max_epochs, batch_size=batch_size, mixup_alpha=mixup_alpha,
                         validation_fraction=validation_fraction, patience=patience,
                         random_state=random_state, train_split=train_split, verbose=verbose,
                         **kwargs)

    def _check_X(self, X, reset):
        return validate_data(self, X, dtype=np.float32, reset=reset)

    def _module_kwargs(self):
        return {"n_features": self.n_features_in_, "n_classes": len(self.classes_)}


class CNNClassifier(_AudioNet):
    """A small convolutional net classifier (skorch, PyTorch) for log-mel patches.

    A skorch ``NeuralNetClassifier`` with :class:`CNNModule` (an input
    batch norm, three ``3x3 conv -> batch norm -> ReLU -> 2x2 max-pool``
    blocks of 16, 32 and 64 channels, global average pooling, dropout 0.3,
    a linear output layer) trained with AdamW on the cross-entropy. Its
    input is the output of :class:`sklaudio.LogMelPatches`, ``(n, 1,
    n_mels, n_frames)``; 3-D input ``(n, n_mels, n_frames)`` gets the
    channel axis added and 2-D input ``(n, n_features)`` is read as one-row
    images ``(n, 1, 1, n_features)``. Every skorch parameter can be passed
    and tuned (``module__channels``, ``module__dropout``, ``lr``,
    ``max_epochs``, ...).

    The conventions are those of :class:`MLPClassifier`: float32 inside,
    labels of any type, early stopping on an internal stratified split,
    ``random_state``, and mixup of training batches only
    (``mixup_alpha``), which is where it helps most (small data sets of
    spectrogram patches).

    Parameters
    ----------
    module : type or torch.nn.Module, default=CNNModule
        The torch module (class or instance). A class receives
        ``n_classes`` and ``in_channels`` from the data, plus every
        ``module__...`` parameter.
    criterion : type, default=torch.nn.CrossEntropyLoss
        The loss (on logits); it must accept soft targets for mixup.
    optimizer : type, default=torch.optim.AdamW
        The optimiser.
    lr : float, default=1e-3
        Learning rate.
    max_epochs : int, default=100
        Most training epochs.
    batch_size : int, default=64
        Samples per batch.
    mixup_alpha : float, default=0.0
        Mixup's Beta parameter; 0 disables mixup. 0.2-0.4 is usual.
    validation_fraction : float, default=0.1
        Part of the training data held out for early stopping, in ``[0, 1)``.
    patience : int or None, default=10
        Epochs without improvement of the validation loss before stopping;
        None disables early stopping.
    random_state : int, RandomState instance or None, default=None
        Seed for reproducible fits.
    train_split : callable or None, default=None
        A skorch ``train_split`` that replaces the internal split.
    verbose : int, default=0
        Per-epoch log of skorch when 1.
    **kwargs : dict
        Any other skorch parameter.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The labels seen in ``fit``.
    input_shape_ : tuple of int
        ``(channels, height, width)`` of one training input.
    module_ : torch.nn.Module
        The trained module.
    history_ : skorch.History
        Per-epoch losses.
    fit_seed_ : int
        The torch seed of the last fit (drawn from ``random_state``).

    See Also
    --------
    MLPClassifier : The perceptron for 2-D features.

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.nn import CNNClassifier
    >>> rng = np.random.default_rng(0)
    >>> P = rng.standard_normal((40, 1, 16, 12))
    >>> y = np.repeat([3, 7], 20)
    >>> clf = CNNClassifier(max_epochs=2, random_state=0).fit(P, y)
    >>> clf.predict(P[:3]).shape
    (3,)
    """

    def __init__(self, module=CNNModule, *, criterion=torch.nn.CrossEntropyLoss,
                 optimizer=torch.optim.AdamW, lr=1e-3, max_epochs=100, batch_size=64,
                 mixup_alpha=0.0, validation_fraction=0.1, patience=10, random_state=None,
                 train_split=None, verbose=0, **kwargs):
        super().__init__(module, criterion=criterion, optimizer=optimizer, lr=lr,
                         max_epochs=max_epochs, batch_size=batch_size, mixup_alpha=mixup_alpha,
                         validation_fraction=validation_fraction, patience=patience,
                         random_state=random_state, train_split=train_split, verbose=verbose,
                         **kwargs)

    def _check_X(self, X, reset):
        if not scipy.sparse.issparse(X) and not hasattr(X, "iloc"):
            X = np.asarray(X)
            if X.ndim == 3:
                X = X[:, None]  # (n, n_mels, n_frames): one channel
        X = validate_data(self, X, dtype=np.float32, allow_nd=True, reset=reset)
        if X.ndim == 2:
            X = X[:, None, None, :]
        elif X.ndim != 4:
            raise ValueError(f"{type(self).__name__} expects 2-D, 3-D or 4-D input "
                             f"(n, channels, n_mels, n_frames); got shape {X.shape}.")
        if reset:
            self.input_shape_ = tuple(X.shape[1:])
        elif tuple(X.shape[1:]) != self.input_shape_:
            raise ValueError(f"X has inputs of shape {tuple(X.shape[1:])}, but "
                             f"{type(self).__name__} was fitted on {self.input_shape_}.")
        return np.ascontiguousarray(X)

    def _module_kwargs(self):
        return {"n_classes": len(self.classes_), "in_channels": self.input_shape_[0]}
