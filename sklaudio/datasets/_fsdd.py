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

import hashlib
import logging
import os
import re
import shutil
import tarfile
import tempfile
from importlib import resources
from typing import Union

import numpy as np
import pooch
from sklearn.utils import Bunch

from ..io import _load_many
from ._base import DATA_HOME_ENV, get_data_home

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
_MAX_LISTED = 20

_NAME_RE = re.compile(r"^(?P<digit>[0-9])_(?P<speaker>[A-Za-z0-9-]+)_(?P<take>[0-9]+)\.wav$")
_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


# ---------------------------------------------------------------------------
# Manifest
# ---------------------------------------------------------------------------


def _parse_manifest(text: str, source: str) -> dict[str, str]:
    """Parse ``sha256  name`` lines into ``{name: sha256}``."""
    manifest: dict[str, str] = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 2:
            raise ValueError(
                f"{source}, line {lineno}: expected '<sha256>  <file name>', got {line!r}."
            )
        digest, name = parts
        manifest[name.lstrip("*")] = digest.lower()  # sha256sum marks binary mode with '*'
    return manifest


def _load_manifest() -> dict[str, str]:
    """Return the packaged manifest ``{file name: sha256 hex}`` of the 3,000 recordings."""
    ref = resources.files(__package__).joinpath(_MANIFEST_FILE)
    try:
        text = ref.read_text(encoding="ascii")
    except FileNotFoundError as exc:
        raise FileNotFoundError(
            f"The FSDD manifest {_MANIFEST_FILE!r} is missing from the sklaudio.datasets "
            "package; reinstall sklaudio."
        ) from exc
    return _parse_manifest(text, str(ref))


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


def _load_descr() -> str:
    return resources.files(__package__).joinpath(_DESCR_FILE).read_text(encoding="utf-8")


# ---------------------------------------------------------------------------
# Download
# ---------------------------------------------------------------------------


def _sha256(path: str, chunk_size: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(chunk_size), b""):
            h.update(block)
    return h.hexdigest()


def _listing(items: list[str]) -> str:
    lines = [f"  {item}" for item in items[:_MAX_LISTED]]
    if len(items) > _MAX_LISTED:
        lines.append(f"  ... and {len(items) - _MAX_LISTED} more")
    return "\n".join(lines)


def _check_archive(archive: str, prefix: str) -> None:
    """Refuse archives whose recordings are not plain files at safe paths.

    ``pooch.Untar`` only applies tarfile's ``"data"`` filter on Python >= 3.12;
    this check gives the same protection (no links, devices, absolute paths or
    ``..``) for the members we extract, on every Python.
    """
    n_under = 0
    try:
        with tarfile.open(archive, "r:*") as tar:
            for info in tar:
                name = os.path.normpath(info.name)
                if not (name == prefix or name.startswith(prefix + os.sep)):
                    continue
                n_under += 1
                parts = info.name.replace("\\", "/").split("/")
                if os.path.isabs(info.name) or ".." in parts or not (info.isfile() or info.isdir()):
                    raise OSError(
                        f"The downloaded FSDD archive from {_FSDD_URL!r} contains an unsafe "
                        f"member {info.name!r} (a link, device, absolute path or '..'); "
                        "refusing to extract it."
                    )
    except tarfile.TarError as exc:
        raise OSError(
            f"The file downloaded from {_FSDD_URL!r} is not a readable .tar.gz archive ({exc})."
        ) from exc
    if n_under == 0:
        raise OSError(
            f"The archive downloaded from {_FSDD_URL!r} has no folder {prefix!r}; the URL does "
            "not point to the expected FSDD release."
        )


def _verify(src_dir: str, manifest: dict[str, str], verbose: bool) -> None:
    """Raise ``OSError`` naming every file missing from ``src_dir`` or not matching."""
    names = sorted(manifest)
    if verbose:
        from tqdm.auto import tqdm

        names = tqdm(names, desc="Verifying FSDD (SHA-256)", unit="file")
    bad = []
    for name in names:
        path = os.path.join(src_dir, name)
        if not os.path.isfile(path):
            bad.append(f"{name}: missing from the archive")
            continue
        digest = _sha256(path)
        if digest != manifest[name]:
            bad.append(f"{name}: SHA-256 {digest} differs from the expected {manifest[name]}")
    if bad:
        raise OSError(
            f"{len(bad)} of {len(manifest)} FSDD recordings downloaded from {_FSDD_URL!r} do not "
            "match the checksums shipped with sklaudio (the download is corrupt or the release "
            "changed). The download was deleted and nothing was installed:\n" + _listing(bad)
        )


class _DropBelowWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING


def _download(fsdd_home: str, rec_dir: str, manifest: dict[str, str], verbose: bool) -> None:
    """Download, extract and verify the recordings, then move them into ``rec_dir``."""
    try:
        os.makedirs(fsdd_home, exist_ok=True)
        tmp = tempfile.mkdtemp(prefix=".download-", dir=fsdd_home)
    except OSError as exc:
        raise OSError(
            f"Cannot write the FSDD download into {fsdd_home!r} ({exc}). Pass data_home= or set "
            f"{DATA_HOME_ENV} to a writable folder."
        ) from exc
    # pooch logs each step (and a "SHA256 hash of downloaded file" note) at INFO
    # level; keep them only when verbose. A filter, unlike setLevel, is honoured
    # even after the logger has cached its enabled levels.
    logger = pooch.get_logger()
    quiet = _DropBelowWarning()
    if not verbose:
        logger.addFilter(quiet)
    try:
        try:
            archive = pooch.retrieve(
                url=_FSDD_URL,
                known_hash=None,  # each recording is verified against the manifest instead
                fname=_ARCHIVE_NAME,
                path=tmp,
                progressbar=bool(verbose),
            )
        except Exception as exc:
            raise OSError(
                f"Could not download the FSDD from {_FSDD_URL!r}: {exc}. Check your network "
                f"connection, or put the 3,000 recordings in {rec_dir!r} yourself."
            ) from exc

        prefix = f"{_ARCHIVE_ROOT}/{_RECORDINGS}"
        _check_archive(archive, os.path.normpath(prefix))
        untar = pooch.Untar(members=[prefix], extract_dir="extracted")
        untar(archive, "download", None)
        src_dir = os.path.join(tmp, "extracted", _ARCHIVE_ROOT, _RECORDINGS)
        _verify(src_dir, manifest, verbose)

        os.makedirs(rec_dir, exist_ok=True)
        for name in manifest:
            os.replace(os.path.join(src_dir, name), os.path.join(rec_dir, name))
    finally:
        logger.removeFilter(quiet)
        shutil.rmtree(tmp, ignore_errors=True)


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
                + _listing(missing)
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
    try:
        data, sample_rate = _load_many(
            paths, None, True, np.dtype(np.float32), n_jobs, verbose, desc="Loading FSDD"
        )
    except (FileNotFoundError, ValueError) as exc:
        raise type(exc)(
            f"{exc}\nThe local FSDD copy in {rec_abs!r} is damaged; delete {fsdd_home!r} and call "
            "fetch_fsdd() again to download a verified copy."
        ) from exc

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
        DESCR=_load_descr(),
    )
