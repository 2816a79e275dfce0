"""Where sklaudio keeps downloaded datasets."""

from __future__ import annotations

import os
import shutil
from typing import Union

__all__ = ["get_data_home", "clear_data_home"]

DATA_HOME_ENV = "SKLAUDIO_DATA"
_DEFAULT_DATA_HOME = os.path.join("~", "sklaudio_data")

PathLike = Union[str, "os.PathLike[str]"]


def get_data_home(data_home: PathLike | None = None) -> str:
    """Return the path of the sklaudio data folder, creating it if missing.

    Datasets are downloaded there once and read from there afterwards. The
    folder is, in order of precedence:

    1. ``data_home`` if given;
    2. the environment variable ``SKLAUDIO_DATA`` if set and not empty;
    3. ``~/sklaudio_data``.

    A leading ``~`` is expanded to the user's home folder.

    Parameters
    ----------
    data_home : str or os.PathLike, default=None
        The data folder. ``None`` uses ``SKLAUDIO_DATA``, else
        ``~/sklaudio_data``.

    Returns
    -------
    data_home : str
        Path of the data folder (not made absolute: a relative path is
        relative to the working directory).

    Raises
    ------
    TypeError
        If ``data_home`` is neither ``None``, ``str`` nor ``os.PathLike``.
    OSError
        If the folder does not exist and cannot be created (e.g. a file of that
        name exists, or no permission).

    Examples
    --------
    >>> from sklaudio.datasets import get_data_home
    >>> get_data_home("/tmp/my_sklaudio_data")  # doctest: +SKIP
    '/tmp/my_sklaudio_data'
    """
    if data_home is None:
        data_home = os.environ.get(DATA_HOME_ENV) or _DEFAULT_DATA_HOME
    elif not isinstance(data_home, (str, os.PathLike)):
        raise TypeError(
            f"data_home must be None, a str or an os.PathLike, got {type(data_home).__name__}."
        )
    data_home = os.path.expanduser(os.fspath(data_home))
    if not os.path.isdir(data_home):
        try:
            os.makedirs(data_home, exist_ok=True)
        except OSError as exc:
            raise OSError(
                f"Cannot create the sklaudio data folder {data_home!r}: {exc}. Pass "
                f"data_home= or set the {DATA_HOME_ENV} environment variable to a writable folder."
            ) from exc
    return data_home


def clear_data_home(data_home: PathLike | None = None) -> None:
    """Delete the sklaudio data folder and everything in it.

    Parameters
    ----------
    data_home : str or os.PathLike, default=None
        The folder to delete, resolved as in :func:`get_data_home` (so with
        ``None`` this deletes the folder named by ``SKLAUDIO_DATA`` if set).

    Raises
    ------
    OSError
        If the folder cannot be deleted.

    Warnings
    --------
    This removes the whole folder, including files sklaudio did not put there.
    """
    shutil.rmtree(get_data_home(data_home))
