"""What the editing commands ask of git and do with it: the work tree's status against HEAD,
commits of exactly the named paths, the repository's config, `git init` and git's three-way
file merge. GitPython serves init, config and merge-file; commits are built from plumbing."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import ConflictError, RepoError
from .gitcommand import SAFE_ENV, SAFE_OPTIONS, index_lock_message


def init_repository(path: Path) -> None:
    import git

    try:
        git.Repo.init(path, initial_branch="main")
    except git.GitCommandError as err:
        raise RepoError(f"{path}: git init failed: {err.stderr.strip()}") from None


def blob_id(data: bytes) -> str:
    """The id git gives these bytes as a blob, computed here so that comparing the working
    tree never runs git's index machinery (and with it filters or fsmonitor hooks)."""
    import hashlib  # here: OpenSSL's start-up is a cost every command would pay

    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def merge_file(
    base: bytes,
    ours: bytes,
    theirs: bytes,
    labels: tuple[str, str, str],
    marker_size: int = 7,
    style: str = "merge",
) -> tuple[bytes, int]:
    """git's own line-based three-way merge: the merged bytes and the number of conflicts."""
    import tempfile

    import git

    with tempfile.TemporaryDirectory(prefix="claims-merge-") as folder:
        names = []
        for name, data in (("ours", ours), ("base", base), ("theirs", theirs)):
            (Path(folder) / name).write_bytes(data)
            names.append(str(Path(folder) / name))
        runner = git.Git(folder)
        runner.update_environment(**SAFE_ENV)
        status, out, err = runner.execute(
            ["git", *SAFE_OPTIONS, "merge-file", "-p", f"--marker-size={marker_size}",
             *([f"--{style}"] if style in ("diff3", "zdiff3") else []),
             "-L", labels[0], "-L", labels[1], "-L", labels[2], *names],
            with_extended_output=True, with_exceptions=False, strip_newline_in_stdout=False,
            stdout_as_string=False,
        )  # fmt: skip
    if not 0 <= status < 128:
        text = err.decode("utf-8", "replace") if isinstance(err, bytes) else str(err)
        message = text.strip().splitlines()
        raise RepoError(f"git merge-file failed: {message[-1] if message else status}")
    return out, status


class WorkTreeWrites:
    """GitSession's writing side: status, commits of named paths, config. Mixed into
    GitSession (gitio.py), whose `run`, `head` and paths they use."""

    def status(self, path: str) -> str:
        """Short status of one path ('' when it matches HEAD): ' M', 'M ', 'A ', '??', ' D'...

        Worked out from blob ids, the working tree's hashed here, as `diff` does: `git status`
        would run the repository's clean filter on a file whose stat data changed.
        """
        name = self.repo_path(path)
        head = (
            self._entry("ls-tree", "-z", "--full-tree", "HEAD", "--", name) if self.head else None
        )
        index = self._entry("ls-files", "-z", "--stage", "--", name)
        file = self.top / name
        work = None
        if os.path.lexists(file):
            from .files import read_bytes

            work = blob_id(read_bytes(file, path, 64 * 1024 * 1024))
        return status_code(head, index, work)

    def changes(self, folder: str) -> list[tuple[str, str]]:
        """(status, path) of every file under `folder` that differs from HEAD, from blob ids as
        `status` works them out: no filter runs, whatever the repository configures."""
        from .errors import DataError
        from .files import read_bytes

        top = self.repo_path(folder)
        head = {}
        if self.head:
            listing = self.run("ls-tree", "-r", "-z", "--full-tree", "HEAD", "--", top)
            head = {
                p: meta.split()[2]
                for meta, _, p in (e.partition("\t") for e in listing.split("\0"))
                if p
            }
        staged = self.run("ls-files", "-z", "--stage", "--", top)
        index = {
            p: meta.split()[1]
            for meta, _, p in (e.partition("\t") for e in staged.split("\0"))
            if p
        }
        work = {}
        for base, folders, files in os.walk(self.top / top):
            folders[:] = [f for f in folders if f != ".git"]
            for name in files:
                file = Path(base) / name
                path = file.relative_to(self.top).as_posix()
                try:
                    work[path] = blob_id(read_bytes(file, path, 64 * 1024 * 1024))
                except DataError:
                    work[path] = "unreadable"
        found = []
        for path in sorted(head.keys() | index.keys() | work.keys()):
            code = status_code(head.get(path), index.get(path), work.get(path))
            if code:
                found.append((code, self.claims_path(path)))
        return found

    def _entry(self, *args: str) -> str | None:
        """The object id in the first entry `ls-tree`/`ls-files --stage` lists; None if none."""
        output = self.run(*args)
        meta = output.split("\t", 1)[0].split()
        if len(meta) != 3:
            return None
        return meta[2] if args[0] == "ls-tree" else meta[1]  # mode type id / mode id stage

    def git_path(self, name: str) -> Path:
        """A file inside the repository's git directory (worktrees included)."""
        found = self.run("rev-parse", "--git-path", name).strip()
        return Path(found) if os.path.isabs(found) else self.top / found

    def index_lock(self) -> Path | None:
        """The index lock file when another git process holds it."""
        path = self.git_path("index.lock")
        return path if path.exists() else None

    def refuse_if_locked(self) -> None:
        lock = self.index_lock()
        if lock is not None:
            raise ConflictError(index_lock_message(str(lock)))

    def commit_paths(self, paths: list[str], message: str) -> str:
        """Commit exactly `paths` as they are in the working tree, whatever else is staged.

        Built from git's plumbing so that nothing the repository configures runs: the files are
        hashed with no filter (`hash-object --no-filters`), the tree is written from a private
        index, the commit is made by `commit-tree --no-gpg-sign` (no hook, no signing program)
        and HEAD moves by compare-and-swap (`update-ref`, hooks off). The real index takes the
        new blobs first, so that a process killed before HEAD moves leaves the change staged,
        and `git commit` finishes it. Returns the new commit's id.
        """
        from .files import read_bytes

        self.refuse_if_locked()
        names = [self.repo_path(path) for path in paths]
        entries = []
        for path, name in zip(paths, names, strict=True):
            data = read_bytes(self.top / name, path, 64 * 1024 * 1024)
            blob = self.run_bytes("hash-object", "-w", "--no-filters", "--stdin", input=data)
            old = self.run("ls-files", "-z", "--stage", "--", name).split("\t", 1)[0].split()
            mode = old[0] if old else "100644"
            entries.append((mode, blob.decode().strip(), name, old[1] if old else None))
        # HEAD now, not when this session began: another writer may have committed meanwhile.
        parent = self.run(
            "rev-parse", "--verify", "--quiet", "HEAD^{commit}", ok_codes=(1,)
        ).strip()
        # Callers hold the write lock: a leftover of this file or its lock is a killed run's.
        private = self.git_path("claims-commit.index")
        Path(f"{private}.lock").unlink(missing_ok=True)
        env = {"GIT_INDEX_FILE": str(private)}
        try:
            if parent:
                self.run_bytes("read-tree", parent, env=env)
            else:
                self.run_bytes("read-tree", "--empty", env=env)
            for mode, blob, name, _ in entries:
                self.run_bytes(
                    "update-index", "--add", "--cacheinfo", f"{mode},{blob},{name}", env=env
                )
            tree = self.run_bytes("write-tree", env=env).decode().strip()
        finally:
            private.unlink(missing_ok=True)
        parents = ["-p", parent] if parent else []
        text = message.strip("\n") + "\n"  # as `git commit` cleans a message up
        try:
            commit = self.run_bytes(
                "commit-tree", "--no-gpg-sign", *parents, "-F", "-", tree,
                input=text.encode("utf-8"),
            ).decode().strip()  # fmt: skip
        except RepoError as err:
            raise RepoError(
                str(err).replace("git commit-tree failed", "git commit failed")
            ) from None
        # Writing the index re-reads "racily clean" files through their clean filter: every
        # filter driver the configuration names is switched off for these calls.
        off = self.no_filters()
        staged = [f"{mode},{blob},{name}" for mode, blob, name, _ in entries]
        cacheinfo = [a for entry in staged for a in ("--cacheinfo", entry)]
        self.run(*off, "update-index", "--add", *cacheinfo)
        subject = message.splitlines()[0] if message else ""
        try:
            self.run("update-ref", "-m", f"claims: {subject}", "HEAD", commit, parent or "")
        except BaseException:
            for mode, _, name, old_blob in entries:  # the index as it was
                if old_blob is None:
                    self.run(*off, "update-index", "--force-remove", "--", name)
                else:
                    self.run(*off, "update-index", "--cacheinfo", f"{mode},{old_blob},{name}")
            raise
        self.head = commit
        return commit

    def no_filters(self) -> list[str]:
        """`-c` options that switch off every filter driver the configuration defines (an empty
        command is no filter), so that git runs none of them on the work tree's files."""
        output = self.run("config", "-z", "--get-regexp", r"^filter\.", ok_codes=(1,))
        names = set()
        for entry in output.split("\0"):
            key = entry.split("\n", 1)[0]
            if key.count(".") >= 2:
                names.add(key[len("filter.") : key.rindex(".")])
        options = []
        for name in sorted(names):
            for setting in ("clean=", "smudge=", "process=", "required=false"):
                options += ["-c", f"filter.{name}.{setting}"]
        return options

    def _config_section(self, key: str) -> tuple[str, str]:
        """`diff.claims.command` -> ('diff "claims"', 'command'), as GitPython names them."""
        section, _, option = key.rpartition(".")
        name, dot, subsection = section.partition(".")
        return (f'{name} "{subsection}"' if dot else name), option

    def config_get(self, key: str) -> str | None:
        """The repository's own (`--local`) value of `key`, or None."""
        import configparser

        import git

        section, option = self._config_section(key)
        try:
            reader = git.Repo(self.top).config_reader("repository")
            value = reader.get(section, option)  # the text as written: no typing of "true"
        except (configparser.NoSectionError, configparser.NoOptionError):
            return None
        except (git.GitError, OSError, ValueError, configparser.Error) as err:
            raise RepoError(f"git config {key}: {err}") from None
        return str(value)

    def config_value(self, key: str) -> str | None:
        """A setting from every config git reads here (system, global, repository)."""
        value = self.run("config", "--get", key, ok_codes=(1,))
        return value.rstrip("\n") if value else None

    def config_set(self, key: str, value: str) -> None:
        """Set `key` in the repository's own config (.git/config), through GitPython."""
        import git

        section, option = self._config_section(key)
        try:
            with git.Repo(self.top).config_writer("repository") as writer:
                writer.set_value(section, option, value)
        except (git.GitError, OSError, ValueError) as err:
            raise RepoError(f"git config {key}: {err}") from None


def status_code(head: str | None, index: str | None, work: str | None) -> str:
    """`git status --porcelain`'s two letters for one file, from its blob ids at HEAD, in the
    index and in the work tree (None: not there); "" when nothing differs."""
    if head is None and index is None:
        return "??" if work is not None else ""
    staged = " " if index == head else "A" if head is None else "D" if index is None else "M"
    changed = " " if work == index else "D" if work is None else "M"
    code = staged + changed
    return "" if code == "  " else code
