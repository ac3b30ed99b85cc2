"""Submission folder / zip → Submission: finds the notebook and utils/ in a scratch copy, runs nothing."""
from __future__ import annotations

import re
import shutil
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from autograder.errors import SubmissionFault, UsageError

JUNK_PARTS = frozenset({"__MACOSX", ".ipynb_checkpoints", ".git", "__pycache__", ".DS_Store"})
MAX_SUBMISSION_BYTES = 500 * 2**20


@dataclass(frozen=True)
class SubmissionSource:
    """One student's submission as handed in: a folder or a zip, named after it."""

    name: str
    path: Path


@dataclass(frozen=True)
class Submission:
    """A scratch copy of one submission with the files the grader needs located in it."""

    name: str
    source: Path
    root: Path  # folder holding the notebook (its working directory), else the one holding utils/
    notebook: Path | None  # None when no task1-xor notebook was found: `notebook_missing` says why
    utils_dir: Path | None  # root/utils, None when absent
    notes: tuple[str, ...] = ()  # what intake had to decide (renamed notebook, nesting, junk skipped)
    notebook_missing: str | None = None


def _is_junk(parts: tuple[str, ...]) -> bool:
    return any(p in JUNK_PARTS or p.startswith("._") for p in parts)


def looks_like_submission(path: Path) -> bool:
    """A zip, or a folder with a notebook or Python file in it (junk aside). A folder of utils/ without its
    notebook is still graded (and told what is missing); one of only reports or notes (an earlier `grades/`
    output, say) is not a student."""
    if path.is_file():
        return path.suffix.lower() == ".zip"
    return any(p.suffix in (".ipynb", ".py") and p.is_file() and not _is_junk(p.relative_to(path).parts)
               for p in path.rglob("*"))


def _candidates(path: Path) -> list[Path]:
    return sorted(p for p in path.iterdir() if not _is_junk((p.name,)) and not p.name.startswith("."))


def _names(children: list[Path]) -> list[str]:
    """Folder or zip name without .zip; where a folder and a zip share it, the zip keeps its suffix."""
    stems = [p.stem if p.is_file() else p.name for p in children]
    return [p.name if p.is_file() and stems.count(stem) > 1 else stem for p, stem in zip(children, stems)]


def discover(path: Path) -> list[SubmissionSource]:
    """Submissions under `path`: the path itself if it is one submission, else each child that is one."""
    path = Path(path)
    if not path.exists():
        raise UsageError(f"{path} does not exist", hint="give a folder of submissions, one submission folder, or a zip")
    if path.is_file():
        if path.suffix.lower() != ".zip":
            raise UsageError(f"{path} is neither a folder nor a .zip")
        return [SubmissionSource(path.stem, path)]
    direct = [p for p in path.glob("*.ipynb")] + list((path / "utils").glob("LSTM.py"))
    if direct:
        return [SubmissionSource(path.name, path)]
    children = [p for p in _candidates(path) if looks_like_submission(p)]
    found = [SubmissionSource(name, p) for name, p in zip(_names(children), children)]
    if not found:
        raise UsageError(f"no submissions found in {path}",
                         hint="each submission is a folder holding task1-xor.ipynb (and utils/), or a zip of one")
    return found


def passed_over(path: Path) -> list[Path]:
    """Entries of a class folder that `discover` does not grade (stray files, folders without code), so the
    operator can be told; empty when `path` is itself one submission."""
    path = Path(path)
    if not path.is_dir() or [s.path for s in discover(path)] == [path]:
        return []
    return [p for p in _candidates(path) if not looks_like_submission(p)]


def file_names(sources: list[SubmissionSource]) -> dict[str, str]:
    """A distinct, file-system-safe name per submission, for its records folder and its report file.

    Two names can sanitize alike ('a b', 'a_b'); the later one gets a suffix so neither overwrites the other.
    """
    used: set[str] = set()
    out: dict[str, str] = {}
    for source in sources:
        base = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in source.name).strip(".") or "submission"
        slug, i = base, 2
        while slug in used:
            slug, i = f"{base}-{i}", i + 1
        used.add(slug)
        out[source.name] = slug
    return out


def _extract_zip(zip_path: Path, dest: Path) -> int:
    """Unpack the zip's plain files into `dest`; returns how many unsafe entries (links, paths outside) were left out."""
    unsafe = 0
    try:
        with zipfile.ZipFile(zip_path) as zf:
            members = [m for m in zf.infolist() if not m.is_dir()]
            if sum(m.file_size for m in members) > MAX_SUBMISSION_BYTES:
                raise SubmissionFault(f"the zip unpacks to more than {MAX_SUBMISSION_BYTES // 2**20} MiB")
            for m in members:
                parts = PurePosixPath(m.filename.replace("\\", "/")).parts
                if _is_junk(parts):
                    continue
                if m.filename.startswith("/") or ".." in parts or stat.S_ISLNK(m.external_attr >> 16):
                    unsafe += 1  # links and such paths could reach outside the scratch copy
                    continue
                target = dest.joinpath(*parts)
                try:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with zf.open(m) as src, open(target, "wb") as out:
                        shutil.copyfileobj(src, out)
                except (FileExistsError, NotADirectoryError, IsADirectoryError):
                    raise SubmissionFault(f"the zip {zip_path.name} holds '{m.filename}' where another entry of the "
                                          "same name is a file or a folder; zip the submission folder again") from None
    except zipfile.BadZipFile as exc:
        raise SubmissionFault(f"the file {zip_path.name} is not a readable zip archive ({exc})") from exc
    return unsafe


def _copy_tree(src: Path, dest: Path) -> None:
    total = 0
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        if _is_junk(rel.parts) or path.is_symlink():
            continue
        target = dest / rel
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        if not path.is_file():
            continue  # FIFOs, sockets, devices: nothing a notebook needs
        total += path.stat().st_size
        if total > MAX_SUBMISSION_BYTES:
            raise SubmissionFault(f"the submission folder holds more than {MAX_SUBMISSION_BYTES // 2**20} MiB")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def _notebook_rank(path: Path, base: Path) -> tuple[int, int, int, str]:
    key = re.sub(r"[^a-z0-9]", "", path.stem.lower())
    kind = 0 if key.startswith("task1xor") else 1 if "xor" in key else 2
    return kind, len(path.relative_to(base).parts), len(path.name), str(path)


def open_submission(source: SubmissionSource, scratch: Path) -> Submission:
    """Copy (or unzip) the submission into `scratch` and locate its notebook and utils/ package."""
    scratch.mkdir(parents=True, exist_ok=True)
    notes = []
    if source.path.is_file():
        if unsafe := _extract_zip(source.path, scratch):
            notes.append(f"left out {unsafe} zip entries that are links or point outside the submission folder")
    else:
        _copy_tree(source.path, scratch)
    notebooks = [p for p in scratch.rglob("*.ipynb") if not _is_junk(p.relative_to(scratch).parts)]
    ranked = sorted(notebooks, key=lambda p: _notebook_rank(p, scratch))
    if not ranked or (_notebook_rank(ranked[0], scratch)[0] == 2 and len(ranked) > 1):
        # The notebook's checks fail, but a utils/LSTM.py handed in without it is still graded.
        problem = (f"no task1-xor notebook among the submitted notebooks "
                   f"({', '.join(str(p.relative_to(scratch)) for p in ranked[:5])}); hand in task1-xor.ipynb"
                   if ranked else "no Jupyter notebook (.ipynb) was found in the submission; hand in "
                   "task1-xor.ipynb next to the utils/ folder")
        modules = sorted((p for p in scratch.rglob("utils/LSTM.py") if not _is_junk(p.relative_to(scratch).parts)),
                         key=lambda p: len(p.parts))
        root = modules[0].parent.parent if modules else scratch
        return Submission(name=source.name, source=source.path, root=root, notebook=None,
                          utils_dir=root / "utils" if modules else None, notes=tuple(notes), notebook_missing=problem)
    best = ranked[0]
    rel = best.relative_to(scratch)
    if best.name != "task1-xor.ipynb":
        notes.append(f"graded the notebook '{rel}' (not named task1-xor.ipynb)")
    elif len(rel.parts) > 1:
        notes.append(f"found the notebook one level deeper, at '{rel}'")
    others = [str(p.relative_to(scratch)) for p in ranked[1:] if _notebook_rank(p, scratch)[0] == 0]
    if others:
        notes.append(f"graded '{rel}'; the submission holds other task1-xor notebooks too: {', '.join(others[:3])}")
    utils = best.parent / "utils"
    return Submission(name=source.name, source=source.path, root=best.parent, notebook=best,
                      utils_dir=utils if (utils / "LSTM.py").is_file() else None, notes=tuple(notes))
