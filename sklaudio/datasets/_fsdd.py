"""Free Spoken Digit Dataset (FSDD) loader.

The recordings are read from ``<data_home>/fsdd/recordings/*.wav``. When they
are missing, the pinned public release ``v1.0.10`` of
https://github.com/Jakobovski/free-spoken-digit-dataset is downloaded with
pooch, its ``recordings/`` folder is extracted, and every recording is checked
against the SHA-256 manifest ``fsdd_sha256.txt`` shipped in this package before
it is moved into place.

GitHub generates release archives on the fly, so the archive's own hash is not
guaranteed to stay stable; that is why the archive is downloaded with
``known_hash=None`` and the *content* (each recording) is verified instead.

How the manifest was made
-------------------------
From a copy of the repository's ``recordings/`` folder (commit 26eb9aa, whose
``recordings/`` is identical to tag v1.0.10; 3,000 files), one line per file,
``<sha256 hex>  <file name>``, sorted by file name in code-point order, i.e.
the output of::

    cd recordings && LC_ALL=C ls *.wav | LC_ALL=C sort | xargs sha256sum

(the same bytes as ``hashlib.sha256`` over ``sorted(Path('recordings').glob('*.wav'))``).

Tests replace the download URL and the manifest through the module-level
names :data:`_FSDD_URL` and :func:`_load_manifest`.
"""

from __future__ import annotations

import os
import re
from typing import Union

import numpy as np
import pooch  # noqa: F401  (tests replace pooch.retrieve through this module)
from sklearn.utils import Bunch

from ._base import DATA_HOME_ENV, get_data_home
from ._fetch import Remote, fetch, listing, load_audio, load_text, parse_manifest

__all__ = ["fetch_fsdd"]

PathLike = Union[str, "os.PathLike[str]"]

#: Pinned public release archive. Tests monkeypatch this.
_FSDD_URL = (
    "https://github.com/Jakobovski/free-spoken-digit-dataset/archive/refs/tags/v1.0.10.tar.gz"
)
_ARCHIVE_NAME = "free-spoken-digit-dataset-1.0.10.tar.gz"
_ARCHIVE_ROOT = "free-spoken-digit-dataset-1.0.10"
_MANIFEST_FILE = "fsdd_sha256.txt"
_DESCR_FILE = "fsdd.rst"
_FOLDER = "fsdd"
_RECORDINGS = "recordings"
_SAMPLE_RATE = 8000
_N_TEST_TAKES = 5  # takes 0-4 are the official test set
_SUBSETS = ("all", "train", "test")

_NAME_RE = re.compile(r"^(?P<digit>[0-9])_(?P<speaker>[A-Za-z0-9-]+)_(?P<take>[0-9]+)\.wav$")
_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


# ---------------------------------------------------------------------------
# Manifest
# ---------------------------------------------------------------------------


def _load_manifest() -> dict[str, str]:
    """Return the packaged manifest ``{file name: sha256 hex}`` of the 3,000 recordings."""
    return parse_manifest(load_text(_MANIFEST_FILE), _MANIFEST_FILE)


def _check_manifest(manifest: dict[str, str]) -> dict[str, str]:
    if not manifest:
        raise ValueError("The FSDD manifest is empty; reinstall sklaudio.")
    for name, digest in manifest.items():
        if not _NAME_RE.match(name):
            raise ValueError(
                f"The FSDD manifest lists {name!r}, which is not named "
                "'{digit}_{speaker}_{take}.wav'; reinstall sklaudio."
            )
        if not isinstance(digest, str) or not _SHA256_RE.match(digest):
            raise ValueError(
                f"The FSDD manifest entry for {name!r} is not a SHA-256 hex digest: {digest!r}."
            )
    return manifest


def _download(fsdd_home: str, rec_dir: str, manifest: dict[str, str], verbose: bool) -> None:
    """Download the release, verify every recording, move them into ``rec_dir``."""
    prefix = f"{_ARCHIVE_ROOT}/{_RECORDINGS}/"

    def locate(member: str):
        member = member.replace("\\", "/")
        if member.startswith(prefix) and "/" not in member[len(prefix):]:
            return f"{_RECORDINGS}/{member[len(prefix):]}"
        return None

    fetch(
        "FSDD",
        fsdd_home,
        [Remote(_FSDD_URL, _ARCHIVE_NAME, None)],  # each recording is verified instead
        locate,
        [f"{_RECORDINGS}/{name}" for name in manifest],
        manifest={f"{_RECORDINGS}/{k}": v for k, v in manifest.items()},
        verbose=verbose,
    )


# ---------------------------------------------------------------------------
# Public loader
# ---------------------------------------------------------------------------


def fetch_fsdd(
    data_home: PathLike | None = None,
    *,
    subset: str = "all",
    download_if_missing: bool = True,
    n_jobs: int | None = None,
    verbose: bool = False,
    return_X_y: bool = False,
) -> Bunch | tuple[list[np.ndarray], np.ndarray]:
    """Load the Free Spoken Digit Dataset (FSDD), downloading it if needed.

    3,000 recordings of spoken digits 0-9: 6 speakers x 10 digits x 50 takes,
    mono, 8 kHz, 0.14 s to 2.28 s long. Classes are balanced (300 clips per
    digit).

    =================   ==============================
    Classes                                         10
    Samples total                                3,000
    Samples per class                              300
    Speakers                                         6
    Sample rate                               8,000 Hz
    Official split      2,700 train (takes 5-49) / 300
                        test (takes 0-4)
    =================   ==============================

    Read more in the dataset description, ``fetch_fsdd().DESCR``.

    Parameters
    ----------
    data_home : str or os.PathLike, default=None
        Folder holding ``fsdd/recordings/*.wav``, where the dataset is
        downloaded if missing. ``None`` uses :func:`get_data_home`
        (``SKLAUDIO_DATA``, else ``~/sklaudio_data``).
    subset : {"all", "train", "test"}, default="all"
        Which part of the official split to load: ``"test"`` is takes 0-4 of
        every speaker and digit (300 clips), ``"train"`` takes 5-49 (2,700
        clips).
    download_if_missing : bool, default=True
        If the recordings are not all in ``data_home``, download them
        (about 10 MB) from the pinned GitHub release v1.0.10 and verify each
        file's SHA-256. If ``False``, raise ``OSError`` instead.
    n_jobs : int or None, default=None
        Number of threads used to decode the files (see
        :class:`joblib.Parallel`).
    verbose : bool, default=False
        Show progress bars for the download, verification and decoding.
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the attributes below, all of length
        ``n_clips``, ordered by digit, then speaker, then take.

        data : list of ndarray of shape (n_samples_i,), float32
            The clips in [-1, 1), of different lengths.
        target : ndarray of shape (n_clips,), int64
            The spoken digit, 0-9.
        speaker : ndarray of shape (n_clips,), object
            The speaker's name (str).
        groups : ndarray of shape (n_clips,), object
            Same as ``speaker``; pass as ``groups`` to e.g.
            :class:`~sklearn.model_selection.GroupKFold` for leave-speakers-out
            evaluation.
        take : ndarray of shape (n_clips,), int64
            The take number, 0-49.
        filenames : ndarray of shape (n_clips,), object
            Absolute path of each file.
        split : ndarray of shape (n_clips,), object
            ``"test"`` for takes 0-4, else ``"train"``.
        sample_rate : int
            8000 (Hz).
        DESCR : str
            Description of the dataset.

    (data, target) : tuple
        If ``return_X_y`` is True: the list of clips and the int64 digits.

    Raises
    ------
    ValueError
        If ``subset`` is not one of ``"all"``, ``"train"``, ``"test"``, or a
        local recording cannot be decoded (the message names it).
    OSError
        If recordings are missing and ``download_if_missing`` is False, the
        download fails, or a downloaded recording does not match its SHA-256
        (the message names it; the download is then deleted).

    Notes
    -----
    A local copy counts as complete when every file of the manifest exists;
    files are not hashed on load (only right after a download). Delete
    ``<data_home>/fsdd`` to force a fresh, verified download.

    The dataset is licensed CC BY-SA 4.0; cite it when you publish results.

    Examples
    --------
    >>> from sklaudio.datasets import fetch_fsdd
    >>> fsdd = fetch_fsdd(subset="train")  # doctest: +SKIP
    >>> len(fsdd.data), fsdd.sample_rate  # doctest: +SKIP
    (2700, 8000)
    >>> X, y = fetch_fsdd(return_X_y=True)  # doctest: +SKIP
    """
    if not isinstance(subset, str) or subset not in _SUBSETS:
        raise ValueError(f"subset must be one of {_SUBSETS}, got {subset!r}.")
    for name, value in (("download_if_missing", download_if_missing), ("return_X_y", return_X_y)):
        if not isinstance(value, (bool, np.bool_)):
            raise ValueError(f"{name} must be True or False, got {value!r}.")

    manifest = _check_manifest(_load_manifest())
    data_home = get_data_home(data_home)
    fsdd_home = os.path.join(data_home, _FOLDER)
    rec_dir = os.path.join(fsdd_home, _RECORDINGS)

    present = set(os.listdir(rec_dir)) if os.path.isdir(rec_dir) else set()
    missing = sorted(name for name in manifest if name not in present)
    if missing:
        if not download_if_missing:
            raise OSError(
                f"FSDD recordings not found in {os.path.abspath(rec_dir)!r} "
                f"({len(missing)} of {len(manifest)} files missing) and download_if_missing is "
                f"False. Call fetch_fsdd(download_if_missing=True) to download them, or point "
                f"data_home= (or {DATA_HOME_ENV}) to a folder holding fsdd/recordings/. Missing:\n"
                + listing(missing)
            )
        _download(fsdd_home, rec_dir, manifest, verbose)

    records = []
    for name in manifest:
        m = _NAME_RE.match(name)
        records.append((int(m["digit"]), m["speaker"], int(m["take"]), name))
    records.sort()
    if subset == "test":
        records = [r for r in records if r[2] < _N_TEST_TAKES]
    elif subset == "train":
        records = [r for r in records if r[2] >= _N_TEST_TAKES]

    rec_abs = os.path.abspath(rec_dir)
    paths = [os.path.join(rec_abs, r[3]) for r in records]
    data, sample_rate = load_audio(paths, None, n_jobs, verbose, "FSDD", fsdd_home)

    target = np.array([r[0] for r in records], dtype=np.int64)
    if return_X_y:
        return data, target
    speaker = np.array([r[1] for r in records], dtype=object)
    take = np.array([r[2] for r in records], dtype=np.int64)
    return Bunch(
        data=data,
        target=target,
        speaker=speaker,
        groups=speaker.copy(),
        take=take,
        filenames=np.array(paths, dtype=object),
        split=np.where(take < _N_TEST_TAKES, "test", "train").astype(object),
        sample_rate=int(sample_rate) if sample_rate is not None else _SAMPLE_RATE,
        DESCR=load_text(_DESCR_FILE),
    )
