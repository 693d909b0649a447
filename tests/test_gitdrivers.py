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

    from claimkit.gitdrivers import merge_command, textconv_command

    root = make_repo([base_files()])
    write_files(root, {".gitattributes": "seeds/**/*.txt -text"})
    git(root, "config", "diff.claims.command", "old external diff")  # an older setup's driver
    first = claims("git-setup", repo=root)
    assert first.stdout == (
        "set up git drivers for claim files: diff.claims.textconv, diff.claims.cachetextconv, "
        "merge.claims.name, merge.claims.driver, -diff.claims.command, .gitattributes\n"
        "commit .gitattributes so that everyone's git uses them\n"
    )
    assert (root / ".gitattributes").read_text() == (
        "seeds/**/*.txt -text\n"
        "# claims git-setup: semantic diffs and field-wise merges of claim files\n"
        "claims/*.yaml diff=claims merge=claims\n"
    )
    config = git(root, "config", "--local", "--get-regexp", r"^(diff|merge)\.claims\.")
    assert config.splitlines() == [
        f"diff.claims.textconv {textconv_command()}",
        "diff.claims.cachetextconv true",
        "merge.claims.name claims: three-way merge of claim files, a reading as one unit",
        f"merge.claims.driver {merge_command()}",
    ]
    assert f'{sys.executable} -m claimkit.textconv "$1"' in textconv_command()
    assert f"{sys.executable} -m claimkit merge-driver --marker-size" in merge_command()
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


def test_git_diff_is_gits_own_patch_with_the_meaning_below(claims, setup_repo):
    record(claims, setup_repo, "a2", "2025-09-18", A2_QUOTE, "--modality", "asserted")
    old, new = (
        git(setup_repo, "rev-parse", "--short=7", f"{rev}:claims/summit-date.yaml").strip()
        for rev in ("HEAD~1", "HEAD")
    )
    expected = (
        "diff --git a/claims/summit-date.yaml b/claims/summit-date.yaml\n"
        f"index {old}..{new} 100644\n"
        "--- a/claims/summit-date.yaml\n"
        "+++ b/claims/summit-date.yaml\n"
        "@@ -3,9 +3,9 @@ id: summit-date\n"
        " event: alaska-summit-2025\n"
        " property: date\n"
        " type: date\n"
        "-value: 2025-08-15\n"
        "-modality: scheduled\n"
        "-source: a1\n"
        '-quote: "scheduled to meet next Friday in Alaska"\n'
        "-#= reading: 2025-08-15 [date, scheduled]\n"
        "-#= source: a1\n"
        "+value: 2025-09-18\n"
        "+modality: asserted\n"
        "+source: a2\n"
        f'+quote: "{A2_QUOTE}"\n'
        "+#= reading: 2025-09-18 [date, asserted]\n"
        "+#= source: a2\n"
    )
    assert git(setup_repo, "diff", "HEAD~1", "HEAD") == expected
    assert git(setup_repo, "show", "--format=", "HEAD") == expected
    assert "#= reading" in git(setup_repo, "log", "-p", "-1")
    # git's own options work as they do without the driver.
    unified0 = git(setup_repo, "diff", "-U0", "HEAD~1", "HEAD").splitlines()
    assert "@@ -6,6 +6,6 @@ type: date" in unified0 and not [x for x in unified0 if x[:1] == " "]
    words = git(setup_repo, "diff", "--color-words", "HEAD~1", "HEAD")
    assert "\x1b[31m2025-08-15\x1b[m\x1b[32m2025-09-18\x1b[m [date, " in words
    assert "value: \x1b[31m2025-08-15\x1b[m\x1b[32m2025-09-18\x1b[m" in words
    plain_words = git(setup_repo, "diff", "--word-diff", "HEAD~1", "HEAD")
    assert "modality: [-scheduled-]{+asserted+}" in plain_words
    # Without the driver: the same patch, less the meaning.
    bare = git(setup_repo, "diff", "--no-textconv", "HEAD~1", "HEAD")
    assert "#=" not in bare and bare.startswith(expected[:120])
    # git keeps the converted text per blob: a second diff does not run the tool.
    assert git(setup_repo, "notes", "--ref", "textconv/claims", "list").strip()


def test_a_date_range_is_spelled_out_and_broken_files_still_diff(setup_repo):
    text = (setup_repo / "claims" / "summit-date.yaml").read_text()
    write_files(setup_repo, {"claims/summit-date.yaml": text.replace("2025-08-15", "2025-08")})
    patch = subprocess.run(["git", "diff"], cwd=setup_repo / "seeds", capture_output=True,
                           text=True, check=True).stdout  # fmt: skip
    assert "+#= reading: 2025-08 (between 2025-08-01 and 2025-08-31) [date, scheduled]\n" in patch
    write_files(setup_repo, {"claims/broken.yaml": "id: [\n"})
    git(setup_repo, "add", "claims")
    shown = git(setup_repo, "diff", "--cached", "--", "claims/broken.yaml")
    assert shown.endswith(
        "@@ -0,0 +1,2 @@\n+id: [\n+#= not readable as a claim: claims/broken.yaml:2:1: invalid YAML: "
        "did not find expected node content [yaml-syntax]\n"
    )


def test_a_patch_for_git_apply_is_made_without_the_meaning(setup_repo):
    text = (setup_repo / "claims" / "summit-date.yaml").read_text()
    write_files(setup_repo, {"claims/summit-date.yaml": text.replace("scheduled\n", "alleged\n")})
    patch = git(setup_repo, "diff", "--no-textconv")
    git(setup_repo, "checkout", "--", "claims")
    (setup_repo / "fix.patch").write_text(patch)
    git(setup_repo, "apply", "fix.patch")
    assert "modality: alleged\n" in (setup_repo / "claims" / "summit-date.yaml").read_text()


def test_a_broken_tool_leaves_git_working_with_one_warning(claims, setup_repo):
    import sys

    root = setup_repo
    for key in ("diff.claims.textconv", "merge.claims.driver"):
        value = git(root, "config", key).strip()
        git(root, "config", key, value.replace(sys.executable, "/gone/venv/bin/python"))
    git(root, "update-ref", "-d", "refs/notes/textconv/claims")
    branch(root, "later")
    record(claims, root, "a2", "2025-09-18", A2_QUOTE, "--modality", "asserted")
    shown = run_git(root, "diff", "--color-words", "main", "later", "--", "claims", "seeds")
    assert shown.returncode == 0
    assert "value: \x1b[31m2025-08-15\x1b[m\x1b[32m2025-09-18\x1b[m" in shown.stdout
    assert "#=" not in shown.stdout
    assert shown.stderr.count("warning: the claims git driver") == 1
    assert "/gone/venv/bin/python -m claimkit" in shown.stderr
    branch(root, "base", "main")
    record(claims, root, "a3", "2025-08-16", A3_QUOTE, "--modality", "asserted")
    merged = run_git(root, "merge", "--no-edit", "later")
    assert merged.returncode == 1 and "warning: the claims git driver" in merged.stderr
    text = (root / "claims" / "summit-date.yaml").read_text()
    assert "<<<<<<< ours\n" in text and ">>>>>>> theirs\n" in text  # git's own markers
    assert git(root, "status", "--porcelain") == "UU claims/summit-date.yaml\n"


def test_git_diff_of_added_and_removed_claims(claims, setup_repo):
    write_files(setup_repo, {"claims/summit-place.yaml": claim_text(
        "summit-place", property="location", type="place", value=["Alaska"],
        quote="meet next Friday in Alaska")})  # fmt: skip
    git(setup_repo, "add", "claims")
    added = git(setup_repo, "diff", "--cached")
    assert "new file mode 100644\n" in added and "--- /dev/null\n" in added
    assert added.endswith("+#= reading: Alaska [place, scheduled]\n+#= source: a1\n")
    git(setup_repo, "commit", "-qm", "place")
    git(setup_repo, "rm", "-q", "claims/summit-date.yaml")
    removed = git(setup_repo, "diff", "--cached")
    assert "deleted file mode 100644\n" in removed and "+++ /dev/null\n" in removed
    assert removed.endswith("-#= reading: 2025-08-15 [date, scheduled]\n-#= source: a1\n")


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


def two_readings(claims, root):
    """Branch `later` records a2's reading, `base` (checked out) a3's: both from a1's."""
    branch(root, "later")
    record(claims, root, "a2", "2025-09-18", A2_QUOTE, "--modality", "asserted")
    branch(root, "base", "main")
    text = (root / "claims" / "summit-date.yaml").read_text()
    write_files(root, {"claims/summit-date.yaml": text.replace(
        "event: alaska-summit-2025\n", "event: alaska-summit-2025  # the one in August\n")})  # fmt: skip
    git(root, "commit", "-qam", "A comment on an unchanged field")
    record(claims, root, "a3", "2025-08-16", A3_QUOTE, "--modality", "asserted")


A2_WORDS = 'source a2, published 2025-08-24/2025-08-31, "Trump and Putin met"'
A3_WORDS = 'source a3, published 2025-08-17, "Summit at the base"'


def test_two_readings_are_one_conflict_naming_both_articles(claims, setup_repo):
    root = setup_repo
    two_readings(claims, root)
    merged = run_git(root, "merge", "--no-edit", "later")
    assert merged.returncode != 0
    assert "CONFLICT (content): Merge conflict in claims/summit-date.yaml" in merged.stdout
    assert (
        "claims: conflict of readings in claims/summit-date.yaml: ours (source a3) and theirs "
        "(source a2) cite different articles"
    ) in merged.stderr
    # The whole reading is one block: no side's value can end up with the other's source,
    # and the comment ours added to an unchanged field is kept.
    assert (root / "claims" / "summit-date.yaml").read_text() == (
        "# yaml-language-server: $schema=../schema/claim.schema.json\n"
        "id: summit-date\n"
        "event: alaska-summit-2025  # the one in August\n"
        "property: date\n"
        "type: date\n"
        f"<<<<<<< ours: {A3_WORDS}\n"
        "value: 2025-08-16\n"
        "modality: asserted\n"
        "source: a3\n"
        f'quote: "{A3_QUOTE}"\n'
        "=======\n"
        "value: 2025-09-18\n"
        "modality: asserted\n"
        "source: a2\n"
        f'quote: "{A2_QUOTE}"\n'
        f">>>>>>> theirs: {A2_WORDS}\n"
    )
    assert git(root, "status", "--porcelain") == "UU claims/summit-date.yaml\n"


@pytest.mark.parametrize("style", ["diff3", "zdiff3"])
def test_a_conflict_of_readings_honours_the_conflict_style_and_marker_size(
    claims, setup_repo, style
):
    root = setup_repo
    git(root, "config", "merge.conflictStyle", style)
    write_files(root, {".gitattributes": (root / ".gitattributes").read_text().replace(
        "merge=claims", "merge=claims conflict-marker-size=10")})  # fmt: skip
    git(root, "commit", "-qam", "Longer markers")
    two_readings(claims, root)
    assert run_git(root, "merge", "--no-edit", "later").returncode != 0
    text = (root / "claims" / "summit-date.yaml").read_text()
    assert (
        f"<<<<<<<<<< ours: {A3_WORDS}\nvalue: 2025-08-16\nmodality: asserted\nsource: a3\n"
        f'quote: "{A3_QUOTE}"\n'
        '|||||||||| base: source a1, published 2025-08-08, "Trump and Putin Set to Meet in Alaska"\n'
        "value: 2025-08-15\nmodality: scheduled\nsource: a1\n"
        'quote: "scheduled to meet next Friday in Alaska"\n'
        "==========\nvalue: 2025-09-18\n"
    ) in text
    assert text.endswith(f">>>>>>>>>> theirs: {A2_WORDS}\n")


def test_one_article_edited_on_both_sides_merges_field_by_field(claims, setup_repo):
    root = setup_repo
    text = (root / "claims" / "summit-date.yaml").read_text()
    branch(root, "quote")
    write_files(root, {"claims/summit-date.yaml": text.replace(
        "modality: scheduled\n", "modality: scheduled\ntime_expression: next Friday\n")})  # fmt: skip
    git(root, "commit", "-qam", "time expression")
    branch(root, "note", "main")
    write_files(root, {"claims/summit-date.yaml": text + 'note: "A plan, not a fact."\n'})
    git(root, "commit", "-qam", "note")
    merged = run_git(root, "merge", "--no-edit", "quote")
    assert merged.returncode == 0, merged.stdout + merged.stderr
    result = (root / "claims" / "summit-date.yaml").read_text()
    assert "time_expression: next Friday\n" in result and 'note: "A plan, not a fact."\n' in result


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
         "id: x\nvalue: 2\n<<<<<<< ours: no source\n=======\nnote: m\n>>>>>>> theirs: no source\n",
         ["note"]),
        ("source: a\nvalue: 2\n", "source: b\nvalue: 3\n",
         "<<<<<<< ours: source a\nsource: a\nvalue: 2\n=======\nsource: b\nvalue: 3\n>>>>>>> theirs: source b\n",
         ["reading"]),
        # Both sides cite other articles, and the new modality is the same: it stays inside.
        ("id: x\nvalue: 2\nmodality: alleged\nsource: a\n", "id: x\nvalue: 3\nmodality: alleged\nsource: b\n",
         "id: x\n<<<<<<< ours: source a\nvalue: 2\nmodality: alleged\nsource: a\n=======\n"
         "value: 3\nmodality: alleged\nsource: b\n>>>>>>> theirs: source b\n", ["reading"]),
    ],
)  # fmt: skip
def test_merge_by_field(ours, theirs, expected, conflicts):
    from claimkit.gitmerge import merge_claims

    result = merge_claims(BASE, ours, theirs)
    assert (result.text, result.conflicts) == (expected, conflicts)


def test_a_comment_theirs_added_to_an_unchanged_field_is_kept():
    from claimkit.gitmerge import merge_claims

    base = "id: x\nevent: e\nvalue: 1\n"
    ours = "id: x\nevent: e\nvalue: 2\n"
    theirs = "id: x\nevent: e  # checked\nvalue: 1\n"
    result = merge_claims(base, ours, theirs)
    assert (result.text, result.conflicts) == ("id: x\nevent: e  # checked\nvalue: 2\n", [])


def test_merge_of_files_that_are_not_mappings_falls_back_to_lines():
    from claimkit.gitmerge import merge_claims

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
