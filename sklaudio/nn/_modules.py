"""The default torch modules of :mod:`sklaudio.nn` (importable, so they pickle and run in
joblib workers)."""

from __future__ import annotations

import torch
from torch import nn

__all__ = ["CNNModule", "MLPModule"]


class MLPModule(nn.Module):
    """A multi-layer perceptron that returns class logits.

    ``Linear -> ReLU -> Dropout`` for each hidden layer, then a ``Linear``
    output layer of ``n_classes`` logits (the softmax is in the loss,
    ``torch.nn.CrossEntropyLoss``, and in ``predict_proba``).

    Parameters
    ----------
    n_features : int
        Input size. :class:`MLPClassifier` sets it from ``X``.
    n_classes : int
        Output size. :class:`MLPClassifier` sets it from ``y``.
    hidden_units : tuple of int, default=(256, 128)
        Width of each hidden layer; ``()`` is a linear (softmax regression)
        model.
    dropout : float, default=0.2
        Dropout probability after each hidden layer (training only).

    Examples
    --------
    >>> import torch
    >>> from sklaudio.nn import MLPModule
    >>> MLPModule(n_features=26, n_classes=10)(torch.zeros(4, 26)).shape
    torch.Size([4, 10])
    """

    def __init__(self, n_features, n_classes, hidden_units=(256, 128), dropout=0.2):
        super().__init__()
        layers = []
        width = int(n_features)
        for units in hidden_units:
            layers += [nn.Linear(width, int(units)), nn.ReLU(), nn.Dropout(float(dropout))]
            width = int(units)
        layers.append(nn.Linear(width, int(n_classes)))
        self.net = nn.Sequential(*layers)

    def forward(self, X):
        """Class logits.

        Parameters
        ----------
        X : torch.Tensor of shape (batch, n_features)
            Float32 features.

        Returns
        -------
        torch.Tensor of shape (batch, n_classes)
            Logits.
        """
        return self.net(X.reshape(len(X), -1))


class CNNModule(nn.Module):
    """A small log-mel CNN that returns class logits.

    Architecture, for input ``(batch, in_channels, n_mels, n_frames)``:

    1. ``BatchNorm2d(in_channels)``: learns the data set's level and scale,
       so dB patches need no scaler (scikit-learn's ``StandardScaler``
       rejects 4-D input);
    2. for each entry ``c`` of ``channels``: ``Conv2d(3x3, c, padding=1) ->
       BatchNorm2d -> ReLU -> MaxPool2d(2, ceil_mode=True)`` (each block
       halves both axes, rounding up, so any patch size of at least 1 x 1
       works);
    3. global average pooling over frequency and time (the net is
       independent of the patch size and roughly of where in the patch the
       sound is);
    4. ``Dropout(dropout) -> Linear(channels[-1], n_classes)``.

    With the defaults ``channels=(16, 32, 64)`` it has about 24 k weights
    plus ``65 * n_classes`` in the output layer, and trains on a CPU in
    seconds per epoch for a few thousand 40 x 32 patches.

    Parameters
    ----------
    n_classes : int
        Output size. :class:`CNNClassifier` sets it from ``y``.
    in_channels : int, default=1
        Input channels. :class:`CNNClassifier` sets it from ``X``.
    channels : tuple of int, default=(16, 32, 64)
        Output channels of the convolution blocks.
    dropout : float, default=0.3
        Dropout probability before the output layer (training only).

    Examples
    --------
    >>> import torch
    >>> from sklaudio.nn import CNNModule
    >>> CNNModule(n_classes=10)(torch.zeros(4, 1, 40, 32)).shape
    torch.Size([4, 10])
    """

    def __init__(self, n_classes, in_channels=1, channels=(16, 32, 64), dropout=0.3):
        super().__init__()
        layers = [nn.BatchNorm2d(int(in_channels))]
        width = int(in_channels)
        for c in channels:
            layers += [nn.Conv2d(width, int(c), kernel_size=3, padding=1), nn.BatchNorm2d(int(c)),
                       nn.ReLU(), nn.MaxPool2d(2, ceil_mode=True)]
            width = int(c)
        self.features = nn.Sequential(*layers)
        self.head = nn.Sequential(nn.Dropout(float(dropout)), nn.Linear(width, int(n_classes)))

    def forward(self, X):
        """Class logits.

        Parameters
        ----------
        X : torch.Tensor of shape (batch, in_channels, n_mels, n_frames)
            Float32 patches.

        Returns
        -------
        torch.Tensor of shape (batch, n_classes)
            Logits.
        """
        h = self.features(X)
        return self.head(torch.mean(h, dim=(2, 3)))
