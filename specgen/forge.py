"""Links to a line of a source file on the forge that hosts the repository.

The project says where its repository is with MkDocs' own settings in mkdocs.yml:
``repo_url`` (the repository's page), ``edit_uri`` (a path from it to the docs folder
on a branch, e.g. ``edit/main/docs/``; ``""`` turns edit links off) or
``edit_uri_template``. Which forge it is follows from the host, as MkDocs guesses it
(github.com, gitlab.*, codeberg.org and gitea.*), or from the plugin's ``forge``
setting for a self-hosted one. Only the branch is taken from ``edit_uri``: a file's
path in the repository is known exactly (its place under the git top level), so a
docs folder that is not the spec folder cannot misplace a link.

URL forms (``ref`` is a commit or a branch):

- GitHub:  ``{repo}/blob/{ref}/{path}#L{line}``, edit ``{repo}/edit/{branch}/{path}``
- GitLab:  ``{repo}/-/blob/{ref}/{path}#L{line}``, edit ``{repo}/-/edit/{branch}/{path}``
- Gitea:   ``{repo}/src/commit/{sha}/{path}#L{line}`` (``src/branch/{branch}/`` for a
  branch), edit ``{repo}/_edit/{branch}/{path}``

Nothing here reads files or runs git; values are checked (an http(s) repository, a
branch without URL syntax) and every path segment is percent-encoded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

GITHUB, GITLAB, GITEA = "github", "gitlab", "gitea"
FORGES = (GITHUB, GITLAB, GITEA)
DEFAULT_BRANCH = "main"

# A branch as edit_uri names it, after the forge's own path word.
_BRANCH_IN_EDIT_URI = re.compile(
    r"^/?(?:-/)?(?:edit|blob|tree|raw|_edit|src/branch|src/commit|src)/([^/?#]+)"
)
_SAFE_REF = re.compile(r"^[A-Za-z0-9._\-/]+$")
_COMMIT = re.compile(r"^[0-9a-f]{7,64}$")


@dataclass(frozen=True, slots=True)
class RepoSettings:
    """The repository settings as mkdocs.yml writes them (unchecked)."""

    repo_url: str | None = None
    edit_uri: str | None = None  # None: not set; "": edit links turned off
    edit_uri_template: str | None = None
    forge: str | None = None  # the plugin's explicit forge kind


@dataclass(frozen=True, slots=True)
class Forge:
    kind: str  # GITHUB, GITLAB or GITEA
    repo_url: str  # https://host/owner/name, no trailing slash
    branch: str = DEFAULT_BRANCH
    edit: bool = True  # edit links wanted

    def view_url(self, path: str, line: int | None = None, ref: str | None = None) -> str:
        """The file at ``ref`` (a commit or branch; the configured branch when None),
        scrolled to ``line``."""
        ref = ref if ref and _SAFE_REF.match(ref) else self.branch
        at = _path(path)
        if self.kind == GITLAB:
            url = f"{self.repo_url}/-/blob/{_ref(ref)}/{at}"
        elif self.kind == GITEA:
            word = "commit" if _COMMIT.match(ref) else "branch"
            url = f"{self.repo_url}/src/{word}/{_ref(ref)}/{at}"
        else:
            url = f"{self.repo_url}/blob/{_ref(ref)}/{at}"
        return f"{url}#L{line}" if line else url

    def edit_url(self, path: str) -> str | None:
        """The forge's editor for the file on the configured branch, unless edit links
        are off."""
        if not self.edit:
            return None
        at = _path(path)
        if self.kind == GITLAB:
            return f"{self.repo_url}/-/edit/{_ref(self.branch)}/{at}"
        if self.kind == GITEA:
            return f"{self.repo_url}/_edit/{_ref(self.branch)}/{at}"
        return f"{self.repo_url}/edit/{_ref(self.branch)}/{at}"


def forge_for(settings: RepoSettings) -> Forge | None:
    """The forge ``settings`` point at, or None when there is no usable repo_url or its
    host names no known forge (and no ``forge`` setting says which)."""
    repo = (settings.repo_url or "").strip()
    parts = urlsplit(repo)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if any(c in repo for c in "\"'<>\\ \t\n\r") or parts.query or parts.fragment:
        return None
    kind = settings.forge if settings.forge in FORGES else _guess(parts.hostname.lower())
    if kind is None:
        return None
    repo = repo.rstrip("/")
    if repo.endswith(".git"):
        repo = repo[: -len(".git")]
    if len([p for p in urlsplit(repo).path.split("/") if p]) < 2:
        return None  # no owner/name: links would land on the forge's own pages
    edit_uri = settings.edit_uri
    if settings.edit_uri_template is not None and edit_uri is None:
        edit_uri = settings.edit_uri_template
    branch = _branch(edit_uri, repo) or DEFAULT_BRANCH
    return Forge(kind, repo, branch, edit=edit_uri != "")


def _guess(host: str) -> str | None:
    if host == "github.com" or host.endswith(".github.com"):
        return GITHUB
    if host.startswith("gitlab.") or ".gitlab." in host or host == "gitlab.com":
        return GITLAB
    if host == "codeberg.org" or host.startswith("gitea.") or ".gitea." in host:
        return GITEA
    return None


def _branch(edit_uri: str | None, repo: str) -> str | None:
    if not edit_uri:
        return None
    path = edit_uri
    if "://" in edit_uri:  # an absolute edit_uri: the part after the repository
        if not edit_uri.startswith(repo + "/"):
            return None
        path = edit_uri[len(repo) :]
    match = _BRANCH_IN_EDIT_URI.match(path)
    if match is None:
        return None
    branch = match.group(1)
    return branch if _SAFE_REF.match(branch) and "{" not in branch else None


def _ref(ref: str) -> str:
    return quote(ref, safe="/")


def _path(path: str) -> str:
    return quote(path.lstrip("/"), safe="/")
