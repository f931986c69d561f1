"""A spec named on the command line or as a release: a native spec folder, an OpenAI
model_spec.md, or a git revision of the current repository (``main``, ``HEAD~1``,
``v1.2`` for the project's spec; ``REV:path`` for a given folder or file at that
revision). The sides of a diff and a project's releases are read this way.

A revision is read with ``git archive`` into a scratch folder, only the files the spec
needs (its folder or file, and the project's mkdocs.yml), then loaded like any spec.
Members that would land outside the scratch folder (absolute symlinks, links up out of
it) are left out and reported (SG009); links that stay inside are kept, and the reader
checks them like a working tree's.

Every git command specgen runs is here (revisions, archives, tags, commit dates).
"""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from specgen.diagnostics import Diagnostic
from specgen.forge import RepoSettings, forge_for
from specgen.model import Location
from specgen.origin import Origin
from specgen.sources import LoadResult, codes, links
from specgen.sources.config import CONFIG_NAME, find_config, load_config
from specgen.sources.loading import load_spec
from specgen.sources.paths import shown_path


class SideError(Exception):
    """A side that names no spec: the message says why, for the user."""


@dataclass(frozen=True)
class Side:
    label: str
    loaded: LoadResult
    origin: Origin = field(default_factory=Origin)
    repo: RepoSettings = field(default_factory=RepoSettings)  # its mkdocs.yml's


def side_origins(old: Side, new: Side, repo_url: str | None = None) -> tuple[Origin, Origin]:
    """The two sides' origins, sharing one forge: ``repo_url`` when given (with the
    sides' other settings), else the new side's settings, else the old side's. A
    forge that cannot be used (no http(s) repo_url, an unknown host) gives no links."""
    settings = new.repo if new.repo.repo_url else old.repo
    if repo_url is not None:
        settings = replace(settings, repo_url=repo_url)
    forge = forge_for(settings)
    return replace(old.origin, forge=forge), replace(new.origin, forge=forge)


def _folder_origin(arg: str, path: Path, cwd: Path, repo: RepoSettings) -> Origin:
    """A spec on disk: its locations are relative to ``cwd`` (or absolute); the
    repository is the git top level, else the project folder (mkdocs.yml's)."""
    top = _git_toplevel(cwd)
    if top is None:
        config = find_config(path.resolve())
        top = config.parent if config is not None else cwd
    top, cwd = top.resolve(), cwd.resolve()
    rewrites = _tree_rewrites(top, cwd)
    folder = path.resolve() if path.is_dir() else path.resolve().parent
    if not folder.is_relative_to(top):
        # Outside the repository: cited as given from here ("../corpus/x.md"), never as
        # an absolute path; such paths are not linked (Origin.source_url).
        shown = os.path.relpath(folder, cwd).replace(os.sep, "/")
        rewrites = ((folder.as_posix() + "/", shown + "/"), *rewrites)
    return Origin(arg, None, None, rewrites, forge_for(repo))


def working_tree_origin(spec: Path, repo: RepoSettings, label: str = "") -> Origin:
    """A spec read from disk in this process (its locations as ``shown_path`` writes
    them: relative to the working folder, else absolute): repository paths are
    relative to the spec's own git top level, else to its project folder
    (mkdocs.yml's). A location outside that folder maps to an absolute path, which
    ``Origin.source_url`` never links."""
    spec = spec.resolve()
    folder = spec if spec.is_dir() else spec.parent
    top = _git_toplevel(folder)
    if top is None:
        config = find_config(spec)
        top = config.parent if config is not None else folder
    rewrites = _tree_rewrites(top.resolve(), Path.cwd().resolve())
    return Origin(label or shown_path(spec), None, None, rewrites, forge_for(repo))


def _tree_rewrites(top: Path, cwd: Path) -> tuple[tuple[str, str], ...]:
    """How a shown path becomes a path under ``top`` ("/..." when it is not under it)."""
    absolute = (top.as_posix().rstrip("/") + "/", "")
    if cwd.is_relative_to(top):
        here = cwd.relative_to(top).as_posix()
        return (absolute, ("/", "/"), ("", "" if here == "." else here + "/"))
    if top.is_relative_to(cwd):
        return (absolute, ("/", "/"), (top.relative_to(cwd).as_posix() + "/", ""), ("", "/"))
    return (absolute, ("", "/"))


def load_side(arg: str, levels: tuple[str, ...] | None = None, cwd: Path | None = None) -> Side:
    cwd = cwd or Path.cwd()
    path = cwd / arg
    if path.exists():
        loaded, project = load_spec(path, None, levels)
        return Side(arg, loaded, _folder_origin(arg, path, cwd, project.repo), project.repo)
    rev, _, inner = arg.partition(":")
    top = _git_toplevel(cwd)
    if top is None or not _is_revision(rev, top):
        raise SideError(
            f"{arg}: neither a spec folder or file nor a git revision of this repository"
        )
    with tempfile.TemporaryDirectory(prefix="specgen-diff-") as scratch:
        spec_path, config_path = _wanted_paths(inner, cwd, top)
        paths = [p for p in (spec_path, config_path) if p is not None]
        left_out = _extract(top, rev, paths, Path(scratch))
        spec_file = Path(scratch, spec_path)
        if not spec_file.exists():
            for diag in left_out:
                if diag.loc.path == shown_path(spec_file):  # the spec itself is a bad link
                    raise SideError(f"{arg}: {spec_path}: {diag.message}")
            raise SideError(f"{arg}: {spec_path} does not exist at revision {rev}")
        config_file = Path(scratch, config_path) if config_path else None
        if config_file is not None and not config_file.is_file():
            config_file = None
        loaded, project = load_spec(spec_file, config_file, levels)
        if left_out:
            loaded = replace(loaded, diagnostics=[*loaded.diagnostics, *left_out])
        # Locations name the scratch folder: as repository paths they start at its root.
        scratch_prefix = shown_path(Path(scratch)) + "/"
    commit = _git(top, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").strip()
    origin = Origin(arg, rev, commit or None, ((scratch_prefix, ""),), forge_for(project.repo))
    return Side(arg, loaded, origin, project.repo)


def _wanted_paths(inner: str, cwd: Path, top: Path) -> tuple[str, str | None]:
    """Repository paths of the spec and of the mkdocs.yml that configures it."""
    if inner:
        spec = (cwd / inner).resolve()
        config = find_config(spec if spec.exists() else spec.parent)
    else:
        config = find_config(cwd)
        if config is None:
            raise SideError(
                "no mkdocs.yml here or above to say where the spec is; name it: REV:path"
            )
        project, _ = load_config(config)
        spec = (config.parent / project.spec_dir).resolve()
    spec_rel = _relative(spec, top)
    config_rel = _relative(config.resolve(), top) if config else None
    if config_rel is not None and not config_rel.endswith(CONFIG_NAME):
        config_rel = None
    return spec_rel, config_rel


def _relative(path: Path, top: Path) -> str:
    try:
        return path.relative_to(top.resolve()).as_posix()
    except ValueError as exc:
        raise SideError(f"{path} is outside the git repository {top}") from exc


def source_fingerprint(arg: str, cwd: Path | None = None) -> str | None:
    """A digest of everything ``load_side(arg)`` reads, got without reading the spec:
    for a git revision, the ids of the files ``git archive`` would extract (one
    ``git ls-tree``); for a folder or file, their names and bytes and the mkdocs.yml
    that configures them. None when ``arg`` names no side (``load_side`` says why)."""
    cwd = cwd or Path.cwd()
    digest = hashlib.sha256()
    path = cwd / arg
    if path.exists():
        digest.update(f"path {path.resolve()}\n".encode())
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        if path.is_file() and path.suffix == ".md":
            files += sorted(p for p in (path.parent / "examples").rglob("*") if p.is_file())
        config = find_config(path.resolve())
        # As load_side reads it: a link out of the project is its target's name, never
        # its bytes (rglob does not enter linked folders, so checking files suffices).
        base = links.real(config.parent if config else (path if path.is_dir() else path.parent))
        for file in [*files, *([config] if config else [])]:
            real = links.real(file)
            digest.update(f"\n--- {real}\n".encode())
            if not links.within(real, base):
                continue
            try:
                digest.update(file.read_bytes())
            except OSError as exc:
                digest.update(f"unreadable: {exc.strerror}\n".encode())
        return digest.hexdigest()
    rev, _, inner = arg.partition(":")
    top = _git_toplevel(cwd)
    if top is None or not _is_revision(rev, top):
        return None
    try:
        spec_path, config_path = _wanted_paths(inner, cwd, top)
    except SideError:
        return None
    paths = _archive_paths([p for p in (spec_path, config_path) if p is not None])
    listing = subprocess.run(
        ["git", "ls-tree", "-r", "--full-tree", rev, "--", *paths],
        cwd=top,
        capture_output=True,
        check=False,
    )
    if listing.returncode != 0 or not listing.stdout:
        return None
    digest.update(f"rev {spec_path} {config_path}\n".encode())
    digest.update(listing.stdout)
    return digest.hexdigest()


def _archive_paths(paths: list[str]) -> list[str]:
    """The paths to take from a revision: an OpenAI file needs the examples/ folder
    beside it."""
    wanted = list(paths)
    for path in paths:
        if path.endswith(".md"):
            wanted.append((Path(path).parent / "examples").as_posix())
    return wanted


def _extract(top: Path, rev: str, paths: list[str], into: Path) -> list[Diagnostic]:
    """Extract ``paths`` at ``rev`` into ``into``; the members left out, as findings."""
    wanted = _archive_paths(paths)
    left_out: list[Diagnostic] = []
    args = ["git", "archive", "--format=tar", rev, "--", *wanted]
    result = subprocess.run(args, cwd=top, capture_output=True, check=False)
    if result.returncode != 0:
        # A path missing at that revision: try each alone so the others still come.
        for path in wanted:
            one = subprocess.run(
                ["git", "archive", "--format=tar", rev, "--", path],
                cwd=top,
                capture_output=True,
                check=False,
            )
            if one.returncode == 0:
                _untar(one.stdout, into, rev, left_out)
        return left_out
    _untar(result.stdout, into, rev, left_out)
    return left_out


def _untar(data: bytes, into: Path, rev: str, left_out: list[Diagnostic]) -> None:
    """Extract a ``git archive`` member by member through tarfile's "data" filter: a
    member it refuses (an absolute link, a link or path out of ``into``, a special
    file), or one the file system will not take (a name too long), is left out and
    reported in ``left_out``; it never ends the extraction."""

    def report(member: tarfile.TarInfo, code: str, message: str) -> None:
        shown = shown_path(into / member.name)
        left_out.append(Diagnostic(code, message, Location(shown)))

    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        for member in archive:
            try:
                tarfile.data_filter(member, str(into))
            except tarfile.FilterError as exc:
                if member.issym() or member.islnk():
                    message = (
                        f"symlink points outside the project (to {member.linkname}) "
                        f"at revision {rev}: not read"
                    )
                    report(member, codes.SYMLINK_OUTSIDE, message)
                else:
                    report(member, codes.UNREADABLE_FILE, f"not extracted at revision {rev}: {exc}")
                continue
            try:
                archive.extract(member, into, filter="data")
            except (OSError, tarfile.TarError) as exc:
                reason = getattr(exc, "strerror", None) or exc.__class__.__name__
                message = f"cannot read file at revision {rev}: {reason}"
                report(member, codes.UNREADABLE_FILE, message)


def _git_toplevel(cwd: Path) -> Path | None:
    """The repository holding ``cwd``; None outside one, or without git at all (a
    folder spec is read without it)."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return None
    return Path(result.stdout.strip()) if result.returncode == 0 else None


def _is_revision(rev: str, top: Path) -> bool:
    if not rev or rev.startswith("-"):
        return False
    result = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"],
        cwd=top,
        capture_output=True,
        check=False,
    )
    return result.returncode == 0


def tags(root: Path) -> list[str]:
    """The repository's tags (``git tag --list``); none when git fails."""
    return _git(root, "tag", "--list").split()


def commit_date(ref: str, root: Path) -> str:
    """The date (YYYY-MM-DD) of ``ref``'s commit; empty when git cannot say."""
    return _git(root, "log", "-1", "--format=%cs", ref).strip()


def _git(root: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    return result.stdout if result.returncode == 0 else ""
