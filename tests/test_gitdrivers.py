"""`claims git-setup`, and git's diff and merge drivers at work in real repositories."""

from __future__ import annotations

import subprocess

import pytest
from claimkit.errors import EXIT_REPO
from conftest import assert_one_line_error, base_files, claim_text, git, source_files, write_files

A3 = "Trump and Putin met on August 16, 2025, at Joint Base Elmendorf-Richardson.\n"
A2_QUOTE = "met in Anchorage, Alaska, on September 18, 2025"
A3_QUOTE = "met on August 16, 2025"


def run_git(root, *args):
    """git, without raising: the merge tests need its exit status."""
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)


@pytest.fixture
def setup_repo(make_repo, claims):
    """Three sources, the date claim from a1, and the drivers installed and committed."""
    files = {**base_files(), **source_files("a3", A3, "2025-08-17", "Summit at the base")}
    root = make_repo([files])
    result = claims("git-setup", repo=root)
    assert result.exit_code == 0, result.output
    git(root, "add", ".gitattributes")
    git(root, "commit", "-qm", "Install the claims drivers")
    return root


def record(claims, root, source, value, quote, *extra):
    result = claims("record", "summit-date", "--source", source, "--value", value, "--quote",
                    quote, "--commit", *extra, repo=root)  # fmt: skip
    assert result.exit_code == 0, result.output


def test_git_setup_is_idempotent_and_repo_local(claims, make_repo):
    import sys

    root = make_repo([base_files()])
    write_files(root, {".gitattributes": "seeds/**/*.txt -text"})
    first = claims("git-setup", repo=root)
    assert first.stdout == (
        "set up git drivers for claim files: diff.claims.command, merge.claims.name, "
        "merge.claims.driver, .gitattributes\n"
        "commit .gitattributes so that everyone's git uses them\n"
    )
    assert (root / ".gitattributes").read_text() == (
        "seeds/**/*.txt -text\n"
        "# claims git-setup: semantic diffs and field-wise merges of claim files\n"
        "claims/*.yaml diff=claims merge=claims\n"
    )
    config = git(root, "config", "--local", "--get-regexp", r"^(diff|merge)\.claims\.")
    assert config.splitlines() == [
        f"diff.claims.command {sys.executable} -m claimkit diff-driver",
        "merge.claims.name claims: field-wise three-way merge of claim files",
        f"merge.claims.driver {sys.executable} -m claimkit merge-driver --marker-size %L %O %A %B %P",
    ]
    again = claims("git-setup", repo=root)
    assert again.stdout == "git drivers already set up; nothing to do\n"
    assert (root / ".gitattributes").read_text().count("diff=claims") == 1


def test_git_setup_refuses_to_write_through_a_link(claims, make_repo, tmp_path):
    root = make_repo([base_files()])
    target = tmp_path / "elsewhere"
    target.write_text("")
    (root / ".gitattributes").symlink_to(target)
    result = claims("git-setup", repo=root)
    assert_one_line_error(result, ".gitattributes:1:1: is a link; refused to write through it")
    assert target.read_text() == ""
    assert git(root, "config", "--local", "--list").count("claims") == 0


def test_git_setup_outside_git(claims, tmp_path):
    (tmp_path / "claims").mkdir()
    assert_one_line_error(
        claims("git-setup", repo=tmp_path), "not a git repository", code=EXIT_REPO
    )


SEMANTIC = (
    "claims: summit-date: contradicted\n"
    "    value: 2025-08-15 -> 2025-09-18 (contradicted)\n"
    "    modality: scheduled -> asserted\n"
    '    source: a2 (was a1), published 2025-08-24/2025-08-31, "Trump and Putin met"\n'
    f'    quote: "{A2_QUOTE}"\n'
)


def test_git_diff_shows_the_semantic_change_above_the_plain_diff(claims, setup_repo):
    record(claims, setup_repo, "a2", "2025-09-18", A2_QUOTE, "--modality", "asserted")
    old, new = (
        git(setup_repo, "rev-parse", "--short=7", f"{rev}:claims/summit-date.yaml").strip()
        for rev in ("HEAD~1", "HEAD")
    )
    expected = SEMANTIC + (
        "diff --git a/claims/summit-date.yaml b/claims/summit-date.yaml\n"
        f"index {old}..{new} 100644\n"
        "--- a/claims/summit-date.yaml\n"
        "+++ b/claims/summit-date.yaml\n"
        "@@ -3,7 +3,7 @@ id: summit-date\n"
        " event: alaska-summit-2025\n"
        " property: date\n"
        " type: date\n"
        "-value: 2025-08-15\n"
        "-modality: scheduled\n"
        "-source: a1\n"
        '-quote: "scheduled to meet next Friday in Alaska"\n'
        "+value: 2025-09-18\n"
        "+modality: asserted\n"
        "+source: a2\n"
        f'+quote: "{A2_QUOTE}"\n'
    )
    assert git(setup_repo, "diff", "HEAD~1", "HEAD") == expected
    # git's own plain diff is the same text below the header.
    assert git(setup_repo, "diff", "--no-ext-diff", "HEAD~1", "HEAD") == expected[len(SEMANTIC) :]
    log = git(setup_repo, "log", "-p", "--ext-diff", "-1", "--format=%s")
    assert log == "summit-date: 2025-08-15 -> 2025-09-18 (contradicted) [a2]\n\n" + expected
    assert git(setup_repo, "show", "--ext-diff", "--format=", "HEAD") == expected
    # Without --ext-diff, log and show keep git's plain diff.
    assert "claims: summit-date" not in git(setup_repo, "log", "-p", "-1")


def test_git_diff_of_the_working_tree_from_a_subfolder_and_git_apply(claims, setup_repo):
    text = (setup_repo / "claims" / "summit-date.yaml").read_text()
    write_files(setup_repo, {"claims/summit-date.yaml": text.replace("scheduled\n", "alleged\n")})
    patch = subprocess.run(["git", "diff"], cwd=setup_repo / "seeds", capture_output=True,
                           text=True, check=True).stdout  # fmt: skip
    assert patch.startswith(
        "claims: summit-date: edited\n"
        "    value: 2025-08-15 (edited)\n"
        "    modality: scheduled -> alleged\n"
        '    source: a1, published 2025-08-08, "Trump and Putin Set to Meet in Alaska"\n'
        '    quote: "scheduled to meet next Friday in Alaska"\n'
        "diff --git a/claims/summit-date.yaml b/claims/summit-date.yaml\n"
    )
    git(setup_repo, "checkout", "--", "claims")
    (setup_repo / "fix.patch").write_text(patch)
    git(setup_repo, "apply", "fix.patch")  # the header is commentary to git apply
    assert "modality: alleged\n" in (setup_repo / "claims" / "summit-date.yaml").read_text()


def test_git_diff_of_added_and_removed_claims(claims, setup_repo):
    write_files(setup_repo, {"claims/summit-place.yaml": claim_text(
        "summit-place", property="location", type="place", value=["Alaska"],
        quote="meet next Friday in Alaska")})  # fmt: skip
    git(setup_repo, "add", "claims")
    added = git(setup_repo, "diff", "--cached")
    assert added.startswith(
        "claims: summit-place: added\n"
        "    value: Alaska (new claim)\n"
        '    source: a1, published 2025-08-08, "Trump and Putin Set to Meet in Alaska"\n'
        '    quote: "meet next Friday in Alaska"\n'
        "diff --git a/claims/summit-place.yaml b/claims/summit-place.yaml\n"
        "new file mode 100644\n"
        "index 0000000.."
    )
    assert "--- /dev/null\n+++ b/claims/summit-place.yaml\n@@ -0,0 +1,10 @@\n" in added
    git(setup_repo, "commit", "-qm", "place")
    git(setup_repo, "rm", "-q", "claims/summit-date.yaml")
    removed = git(setup_repo, "diff", "--cached")
    assert removed.startswith(
        "claims: summit-date: removed\n    value: 2025-08-15 (claim removed)\n"
    )
    assert "deleted file mode 100644\n" in removed and "+++ /dev/null\n" in removed


def test_git_diff_of_a_file_that_is_not_a_claim_still_shows_the_plain_diff(setup_repo):
    write_files(setup_repo, {"claims/broken.yaml": "id: [\n"})
    git(setup_repo, "add", "claims")
    shown = git(setup_repo, "diff", "--cached")
    assert shown.startswith(
        "claims: claims/broken.yaml: not readable as a claim: b/claims/broken.yaml:2:1: invalid YAML"
    )
    assert shown.endswith("+++ b/claims/broken.yaml\n@@ -0,0 +1 @@\n+id: [\n")


def test_git_diff_of_a_rename(setup_repo):
    git(setup_repo, "mv", "claims/summit-date.yaml", "claims/summit-day.yaml")
    shown = git(setup_repo, "diff", "--cached", "-M")
    assert "diff --git a/claims/summit-date.yaml b/claims/summit-day.yaml\n" in shown
    assert "rename from claims/summit-date.yaml\nrename to claims/summit-day.yaml\n" in shown


# Merging -------------------------------------------------------------------------------------


def branch(root, name, start="main"):
    git(root, "checkout", "-q", "-b", name, start)


def test_edits_of_different_fields_merge_cleanly(claims, setup_repo):
    root = setup_repo
    branch(root, "note")
    text = (root / "claims" / "summit-date.yaml").read_text()
    write_files(root, {"claims/summit-date.yaml": text.replace(
        "modality: scheduled\n", "modality: alleged  # hedged in the lede\n")})  # fmt: skip
    git(root, "commit", "-qam", "Modality as the lede hedges it")
    branch(root, "date", "main")
    write_files(root, {"claims/summit-date.yaml": text.replace("2025-08-15", "2025-08-15?")})
    git(root, "commit", "-qam", "Uncertain")
    merged = run_git(root, "merge", "--no-edit", "note")
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert (root / "claims" / "summit-date.yaml").read_text() == claim_text(
        value="2025-08-15?", modality="alleged  # hedged in the lede"
    )
    # git's own line merge conflicts on these adjacent lines; the driver merges by field.
    git(root, "reset", "-q", "--hard", "HEAD~1")
    git(root, "config", "--unset", "merge.claims.driver")
    assert run_git(root, "merge", "--no-edit", "note").returncode != 0


def test_a_new_article_merges_with_a_comment_added_elsewhere(claims, setup_repo):
    root = setup_repo
    branch(root, "comment")
    text = (root / "claims" / "summit-date.yaml").read_text()
    write_files(root, {"claims/summit-date.yaml": text.replace(
        "id: summit-date\n", "# Reviewed by the desk.\nid: summit-date\n")})  # fmt: skip
    git(root, "commit", "-qam", "A comment")
    branch(root, "article", "main")
    record(claims, root, "a3", "2025-08-16", A3_QUOTE, "--modality", "asserted")
    merged = run_git(root, "merge", "--no-edit", "comment")
    assert merged.returncode == 0, merged.stdout + merged.stderr
    result = (root / "claims" / "summit-date.yaml").read_text()
    assert result == claim_text(
        value="2025-08-16", modality="asserted", source="a3", quote=A3_QUOTE
    ).replace("id: summit-date\n", "# Reviewed by the desk.\nid: summit-date\n")


def test_two_new_values_for_one_field_conflict_naming_both_sources(claims, setup_repo):
    root = setup_repo
    branch(root, "later")
    record(claims, root, "a2", "2025-09-18", A2_QUOTE, "--modality", "asserted")
    branch(root, "base", "main")
    record(claims, root, "a3", "2025-08-16", A3_QUOTE, "--modality", "asserted")
    merged = run_git(root, "merge", "--no-edit", "later")
    assert merged.returncode != 0
    assert "CONFLICT (content): Merge conflict in claims/summit-date.yaml" in merged.stdout
    assert (
        "claims: conflict in claims/summit-date.yaml: value, source, quote set differently by "
        "ours (source a3) and theirs (source a2)"
    ) in merged.stderr
    assert (root / "claims" / "summit-date.yaml").read_text() == (
        "# yaml-language-server: $schema=../schema/claim.schema.json\n"
        "id: summit-date\n"
        "event: alaska-summit-2025\n"
        "property: date\n"
        "type: date\n"
        "<<<<<<< ours (source a3)\n"
        "value: 2025-08-16\n"
        "=======\n"
        "value: 2025-09-18\n"
        ">>>>>>> theirs (source a2)\n"
        "modality: asserted\n"
        "<<<<<<< ours (source a3)\n"
        "source: a3\n"
        f'quote: "{A3_QUOTE}"\n'
        "=======\n"
        "source: a2\n"
        f'quote: "{A2_QUOTE}"\n'
        ">>>>>>> theirs (source a2)\n"
    )
    assert git(root, "status", "--porcelain") == "UU claims/summit-date.yaml\n"


# The merge itself, without git ---------------------------------------------------------------


BASE = "id: x\nvalue: 1\nnote: n\n"


@pytest.mark.parametrize(
    "ours, theirs, expected, conflicts",
    [
        ("id: x\nvalue: 2\nnote: n\n", "id: x\nvalue: 2\nnote: n\n", "id: x\nvalue: 2\nnote: n\n", []),
        ("id: x\nvalue: 2\nnote: n\n", "id: x\nvalue: 1\n", "id: x\nvalue: 2\n", []),
        ("id: x\nvalue: 2\nnote: n\n", "id: x\nvalue: 1\nnote: m  # why\nextra: e\n",
         "id: x\nvalue: 2\nnote: m  # why\nextra: e\n", []),
        ("id: x\nvalue: 2\n", "id: x\nvalue: 1\nnote: m\n",
         "id: x\nvalue: 2\n<<<<<<< ours (no source)\n=======\nnote: m\n>>>>>>> theirs (no source)\n",
         ["note"]),
        ("source: a\nvalue: 2\n", "source: b\nvalue: 3\n",
         "<<<<<<< ours (source a)\nsource: a\nvalue: 2\n=======\nsource: b\nvalue: 3\n>>>>>>> theirs (source b)\n",
         ["source", "value"]),
    ],
)  # fmt: skip
def test_merge_by_field(ours, theirs, expected, conflicts):
    from claimkit.gitdrivers import merge_claims

    result = merge_claims(BASE, ours, theirs)
    assert (result.text, result.conflicts) == (expected, conflicts)


def test_merge_of_files_that_are_not_mappings_falls_back_to_lines():
    from claimkit.gitdrivers import merge_claims

    result = merge_claims("a\nb\nc\n", "- a\nb\nc\n", "a\nb\n- c\n")
    assert (result.text, result.conflicts, result.line_merged) == ("- a\nb\n- c\n", [], True)
    clash = merge_claims("a: [\n", "a: [1\n", "a: [2\n", marker_size=3)
    assert clash.text == "<<< ours\na: [1\n===\na: [2\n>>> theirs\n" and clash.line_merged


def test_merge_driver_command_errors(claims, tmp_path):
    result = claims("merge-driver", str(tmp_path / "o"), str(tmp_path / "a"), str(tmp_path / "b"))
    assert_one_line_error(result, "file not found")
    assert_one_line_error(claims("diff-driver", "a", "b"), "diff-driver takes the 7 or 9 arguments")
    assert claims("diff-driver", "claims/x.yaml").stdout == "* Unmerged path claims/x.yaml\n"


def test_claims_own_commands_never_run_drivers_or_hooks(claims, setup_repo, tmp_path):
    """A repository's config cannot make `claims` run a program: not diff drivers, not hooks."""
    marker = tmp_path / "ran"
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    for hook in ("pre-commit", "commit-msg", "post-commit"):
        (hooks / hook).write_text(f"#!/bin/sh\necho {hook} >> '{marker}'\n")
        (hooks / hook).chmod(0o755)
    for key, value in [
        ("diff.claims.command", f"echo diff >> '{marker}'; true"),
        ("diff.claims.textconv", f"echo textconv >> '{marker}'; cat"),
        ("diff.external", f"echo external >> '{marker}'; true"),
        ("core.hooksPath", str(hooks)),
    ]:
        git(setup_repo, "config", key, value)
    record(claims, setup_repo, "a2", "2025-09-18", A2_QUOTE, "--modality", "asserted")
    for argv in (["log", "summit-date"], ["diff", "HEAD~1"], ["blame", "summit-date"],
                 ["review", "HEAD~1..HEAD"], ["show", "summit-date", "--at", "HEAD~1"]):  # fmt: skip
        assert claims(*argv, repo=setup_repo).exit_code == 0, argv
    assert not marker.exists(), marker.read_text()
    git(setup_repo, "diff", "HEAD~1")  # the trap is live: git itself springs it
    assert marker.read_text() == "diff\n"
