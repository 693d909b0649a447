"""The new value types end to end: recording from the article's words, the vocabulary file,
self-contradictory readings (`also`) and retired claims (`superseded_by`)."""

from __future__ import annotations

import json
import sqlite3

from conftest import assert_one_line_error, claim_text, git, source_files, write_files

T1 = (
    "Trump and Putin talked for nearly three hours. US President Donald Trump said thousands "
    "were displaced. The delegation: Trump, Rubio, Witkoff.\n"
)
T2 = (
    "The talks lasted about 2 1/2 hours. Former President Trump said tens of thousands were "
    "displaced. Only Trump and Rubio sat at the table, with Lavrov. US President Donald Trump "
    "left first.\n"
)
T3 = "Rubio did not attend; Trump met Putin alone.\n"
VOCABULARY = """categories:
  office:
    progression: [President, former President]
people:
  Donald Trump: [Trump]
"""


def flat(text: str) -> str:
    """Output with its wrapping undone: long lines wrap at the terminal's width."""
    return " ".join(text.split())


def typed_repo(make_repo, *claims_files, vocabulary=VOCABULARY):
    files = {
        **source_files("t1", T1, "2025-08-15", "Summit ends"),
        **source_files("t2", T2, "2025-08-16", "Summit recap"),
        **source_files("t3", T3, "2025-08-17", "Alone"),
    }
    if vocabulary is not None:
        files["claims/_vocabulary.yaml"] = vocabulary
    for claim_id, fields in claims_files:
        files[f"claims/{claim_id}.yaml"] = claim_text(claim_id, **fields)
    return make_repo([files])


DURATION = {
    "property": "duration", "type": "quantity", "modality": "asserted", "source": "t1",
    "value": "{text: nearly three hours, amount: 3, lower: 2.5, upper: 3, unit: hour}",
    "quote": "talked for nearly three hours",
}  # fmt: skip
OFFICE = {
    "property": "office", "type": "category", "modality": "asserted", "source": "t1",
    "value": "President", "quote": "US President Donald Trump",
}  # fmt: skip


def test_record_reads_a_quantity_from_the_articles_words(claims, make_repo):
    repo = typed_repo(make_repo, ("summit-duration", DURATION))
    assert claims("check", repo=repo).exit_code == 0
    result = claims(
        "record", "summit-duration", "--source", "t2", "--value", "about 2 1/2 hours",
        "--quote", "lasted about 2 1/2 hours", "--commit", repo=repo,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "summit-duration: nearly three hours -> about 2 1/2 hours (changed) [t2]\n"
    )
    text = (repo / "claims" / "summit-duration.yaml").read_text()
    assert (
        "value:\n  text: about 2 1/2 hours\n  amount: 2.5\n  lower: 2.25\n  upper: 2.75\n  unit: hour\n"
        in text
    )
    log = flat(claims("log", "summit-duration", repo=repo).stdout)
    assert (
        "(nearly three hours -> about 2 1/2 hours: 2.5–3 hours vs 2.25–2.75 hours (overlapping))"
        in log
    )
    shown = claims("show", "summit-duration", repo=repo).stdout
    assert "value           about 2 1/2 hours (2.25–2.75 hours)\n" in shown
    exported = json.loads(claims("export", "--format", "json", repo=repo).stdout)
    rows = [v for v in exported["versions"] if v["claim"] == "summit-duration"]
    assert [(v["amount_lower"], v["amount_upper"], v["value_unit"]) for v in rows] == [
        (2.5, 3, "hour"),
        (2.25, 2.75, "hour"),
    ]


def test_sqlite_keeps_quantity_bounds_as_numbers(claims, make_repo, tmp_path):
    repo = typed_repo(make_repo, ("summit-duration", DURATION))
    out = tmp_path / "claims.sqlite"
    assert claims("export", "--format", "sqlite", "--output", str(out), repo=repo).exit_code == 0
    with sqlite3.connect(out) as db:
        row = db.execute(
            "SELECT amount_lower, amount_upper, value_unit FROM versions WHERE claim = ?",
            ("summit-duration",),
        ).fetchone()
    assert row == (2.5, 3, "hour")


def test_record_refuses_words_it_cannot_read_as_a_quantity(claims, make_repo):
    repo = typed_repo(make_repo, ("summit-duration", DURATION))
    result = claims(
        "record", "summit-duration", "--source", "t2", "--value", "a long while",
        "--quote", "lasted about 2 1/2 hours", repo=repo,
    )  # fmt: skip
    assert_one_line_error(result, "cannot read a number in 'a long while'")


def test_a_place_given_as_one_string_becomes_a_path(claims, make_repo):
    place = {"property": "location", "type": "place", "value": ["Alaska"], "source": "t1",
             "quote": "Trump and Putin talked"}  # fmt: skip
    repo = typed_repo(make_repo, ("summit-location", place))
    for words in ("Anchorage, Alaska", "Alaska > Anchorage"):
        result = claims(
            "record", "summit-location", "--source", "t2", "--value", words,
            "--quote", "Only Trump and Rubio", "--force", repo=repo,
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        text = (repo / "claims" / "summit-location.yaml").read_text()
        assert "value:\n  - Alaska\n  - Anchorage\n" in text
    result = claims(
        "record", "summit-location", "--source", "t2", "--value", "Alaska >  > Anchorage",
        "--quote", "Only Trump and Rubio", "--force", repo=repo,
    )  # fmt: skip
    assert_one_line_error(result, "write a place as a list from broad to narrow")
    result = claims(
        "record", "summit-location", "--source", "t2", "--value", "Alaska",
        "--value", "Anchorage > Downtown", "--quote", "Only Trump and Rubio", "--force", repo=repo,
    )  # fmt: skip
    assert_one_line_error(result, "'Anchorage > Downtown' holds several levels")


def test_check_gives_the_same_hint_for_a_hand_written_place(claims, make_repo):
    place = {"property": "location", "type": "place", "value": ["Anchorage, Alaska"],
             "source": "t1", "quote": "Trump and Putin talked"}  # fmt: skip
    repo = typed_repo(make_repo, ("summit-location", place))
    result = claims("check", repo=repo)
    assert result.exit_code == 1
    assert (
        "claims/summit-location.yaml:7:3: error: place level 'Anchorage, Alaska' holds several "
        "levels; write a place as a list from broad to narrow, e.g. [Alaska, Anchorage]; here: "
        "[Alaska, Anchorage] [value-parses]"
    ) in result.stdout


def test_a_category_follows_its_progression(claims, make_repo):
    repo = typed_repo(make_repo, ("trump-office", OFFICE))
    result = claims(
        "record", "trump-office", "--source", "t2", "--value", "former President",
        "--quote", "Former President Trump", "--commit", repo=repo,
    )  # fmt: skip
    assert result.stdout.startswith("trump-office: President -> former President (changed) [t2]\n")
    assert (
        "(President -> former President (a later stage))"
        in claims("log", "trump-office", repo=repo).stdout
    )
    listing = claims("list", repo=repo).stdout
    assert "trump-office" in listing and "yes" not in listing


def test_check_holds_categories_to_the_vocabulary(claims, make_repo):
    repo = typed_repo(
        make_repo,
        ("trump-office", {**OFFICE, "value": "Emperor"}),
        ("summit-status", {**OFFICE, "property": "status", "value": "held"}),
    )
    out = claims("check", repo=repo).stdout
    assert (
        "claims/summit-status.yaml:6:8: error: no vocabulary for property 'status': declare its "
        "terms under categories in claims/_vocabulary.yaml [value-parses]"
    ) in out
    assert (
        "claims/trump-office.yaml:6:8: error: 'Emperor' is not a term of 'office'; one of: "
        "President, former President [value-parses]"
    ) in out


def test_check_validates_the_vocabulary_file(claims, make_repo):
    bad = "categories:\n  office:\n    terms: [President]\n    progression: [President, King]\npeople:\n  Donald Trump: [Trump]\n  Donald J. Trump: [Trump]\nextra: 1\n"
    repo = typed_repo(make_repo, vocabulary=bad)
    out = claims("check", repo=repo).stdout
    assert (
        "claims/_vocabulary.yaml:4:18: error: progression stage 'King' is not one of the terms [vocabulary]"
        in out
    )
    assert (
        "claims/_vocabulary.yaml:7:20: error: 'Trump' is also a name or alias of Donald Trump [vocabulary]"
        in out
    )
    assert (
        "claims/_vocabulary.yaml:8:8: error: unknown section 'extra'; use categories or people [vocabulary]"
        in out
    )
    # The declarations file is not a claim: list and log skip it.
    assert "_vocabulary" not in claims("list", repo=repo).stdout


def test_people_named_at_least_and_absent(claims, make_repo):
    people = {"property": "participants", "type": "people", "source": "t1",
              "value": ["Trump", "Rubio", "Witkoff"], "quote": "The delegation: Trump, Rubio, Witkoff."}  # fmt: skip
    repo = typed_repo(make_repo, ("delegation", people))
    result = claims(
        "record", "delegation", "--source", "t2", "--value", "Donald Trump", "--value", "Rubio",
        "--quote", "Only Trump and Rubio sat at the table", "--commit", repo=repo,
    )  # fmt: skip
    assert "(broadened)" in result.stdout.splitlines()[0]
    assert "(not named again: Witkoff)" in claims("log", "delegation", repo=repo).stdout
    result = claims(
        "record", "delegation", "--source", "t3", "--value", "Trump", "--value", "absent:Rubio",
        "--quote", "Rubio did not attend", "--force", repo=repo,
    )  # fmt: skip
    assert result.stdout.splitlines()[0] == (
        "delegation: Donald Trump, Rubio -> Trump; absent: Rubio (contradicted) [t3]"
    )
    result = claims(
        "record", "delegation", "--source", "t2", "--value", "Trump", "--value", "Donald Trump",
        "--quote", "Only Trump and Rubio sat at the table", "--force", repo=repo,
    )  # fmt: skip
    assert_one_line_error(result, "people lists the same person twice: Trump, Donald Trump")


SELF_CONTRADICTORY = (
    claim_text(
        "trump-office",
        **{
            **OFFICE,
            "value": "former President",
            "source": "t2",
            "quote": "Former President Trump",
        },
    )  # fmt: skip
    + 'also:\n  - value: President\n    quote: "US President Donald Trump"\n'
)


def test_a_reading_that_contradicts_itself_is_contested_and_shown(claims, make_repo):
    repo = typed_repo(make_repo)
    write_files(repo, {"claims/trump-office.yaml": SELF_CONTRADICTORY})
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "trump-office")
    assert claims("check", repo=repo).exit_code == 0
    log = claims("log", "trump-office", repo=repo).stdout
    assert "first-report  former President  [asserted]  (the article also says: President)" in log
    listing = claims("list", repo=repo).stdout.splitlines()
    assert "contested:" in [line for line in listing if line.startswith("trump-office")][0]
    shown = claims("show", "trump-office", repo=repo).stdout
    assert 'also            President "US President Donald Trump"\n' in shown
    exported = json.loads(claims("export", "--format", "json", repo=repo).stdout)
    assert exported["claims"][0]["contested"] is True
    assert exported["versions"][0]["also"] == [
        {"value": "President", "quote": "US President Donald Trump"}
    ]


def test_check_holds_also_values_to_the_type(claims, make_repo):
    repo = typed_repo(make_repo)
    write_files(
        repo,
        {"claims/trump-office.yaml": SELF_CONTRADICTORY.replace("value: President", "value: King")},
    )
    out = claims("check", repo=repo).stdout
    assert (
        "claims/trump-office.yaml:11:12: error: also: 'King' is not a term of 'office'; one of: "
        "President, former President [value-parses]"
    ) in out


def test_a_retired_claim_leaves_the_listing_but_keeps_its_history(claims, make_repo):
    office = {**OFFICE, "value": "President"}
    repo = typed_repo(
        make_repo, ("trump-office", office), ("trump-title", {**office, "type": "text"})
    )
    write_files(
        repo,
        {"claims/trump-title.yaml": claim_text("trump-title", **{**office, "type": "text"})
         + "superseded_by:\n  - trump-office\n"},
    )  # fmt: skip
    git(repo, "commit", "-qam", "retire trump-title")
    assert claims("check", repo=repo).exit_code == 0
    assert "trump-title" not in claims("list", repo=repo).stdout
    assert "trump-title" in claims("list", "--all", repo=repo).stdout
    # Both readings are t1's: one version, edited; its history stays readable.
    log = claims("log", "trump-title", repo=repo).stdout
    assert "trump-title  1 version" in log and "edited (2 readings)" in log
    write_files(
        repo,
        {"claims/trump-title.yaml": claim_text("trump-title", **{**office, "type": "text"})
         + "superseded_by:\n  - trump-offices\n  - trump-title\n"},
    )  # fmt: skip
    out = claims("check", repo=repo).stdout
    assert (
        "claims/trump-title.yaml:11:5: error: superseded_by names 'trump-offices', which is not a "
        "claim in claims/ [superseded-exists]"
    ) in out
    assert (
        "claims/trump-title.yaml:12:5: error: superseded_by names the claim itself [superseded-exists]"
    ) in out


def test_the_schema_takes_several_quotes(claims, make_repo):
    repo = typed_repo(make_repo, ("summit-duration", DURATION))
    text = (repo / "claims" / "summit-duration.yaml").read_text()
    text = text.replace(
        'quote: "talked for nearly three hours"',
        'quote:\n  - "talked for nearly three hours"\n  - "Trump and Putin"',
    )
    write_files(repo, {"claims/summit-duration.yaml": text})
    out = claims("check", repo=repo).stdout
    assert "[schema]" not in out


def test_timeline_and_review_show_bounds_and_what_the_article_also_says(
    claims, make_repo, tmp_path
):
    repo = typed_repo(make_repo, ("summit-duration", DURATION))
    write_files(repo, {"claims/trump-office.yaml": SELF_CONTRADICTORY})
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "trump-office")
    claims(
        "record", "summit-duration", "--source", "t2", "--value", "about 2 1/2 hours",
        "--quote", "lasted about 2 1/2 hours", "--commit", repo=repo,
    )  # fmt: skip
    page = tmp_path / "timeline.html"
    assert claims("timeline", "--output", str(page), repo=repo).exit_code == 0
    html = page.read_text()
    assert "<strong>about 2 1/2 hours (2.25–2.75 hours)</strong>" in html
    assert "the article also says: <strong>President</strong> “US President Donald Trump”" in html
    review = claims("review", "HEAD~2..HEAD", repo=repo).stdout
    assert "| new | about 2 1/2 hours (2.25–2.75 hours) | asserted | `t2` |" in review
    assert "**The article also says:** President" in review


def test_the_listing_follows_an_edited_vocabulary(claims, make_repo):
    repo = typed_repo(make_repo, ("trump-office", OFFICE), vocabulary=None)
    write_files(
        repo,
        {"claims/trump-office.yaml": claim_text("trump-office", **{**OFFICE, "source": "t2",
         "value": "former President", "quote": "Former President Trump"})},
    )  # fmt: skip
    git(repo, "commit", "-qam", "former")

    def contested():
        lines = claims("list", repo=repo).stdout.splitlines()
        return "contested:" in [line for line in lines if line.startswith("trump-office")][0]

    assert contested()  # distinct terms, no progression declared
    write_files(repo, {"claims/_vocabulary.yaml": VOCABULARY})
    assert not contested()  # a later stage: a development


def test_record_drops_the_previous_articles_other_statements(claims, make_repo):
    repo = typed_repo(make_repo)
    write_files(repo, {"claims/trump-office.yaml": SELF_CONTRADICTORY})
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "trump-office")
    result = claims(
        "record", "trump-office", "--source", "t1", "--value", "President",
        "--quote", "US President Donald Trump", "--commit", repo=repo,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "also" not in (repo / "claims" / "trump-office.yaml").read_text()
    log = flat(claims("log", "trump-office", repo=repo).stdout)
    # In story order t1 (President) comes first; t2 moves on to the later stage and also
    # says the earlier one.
    assert "first-report President [asserted]" in log
    assert (
        "changed former President [asserted] (President -> former President (a later "
        "stage); the article also says: President)"
    ) in log


def test_every_quote_is_checked_and_shown(claims, make_repo):
    repo = typed_repo(make_repo, ("summit-duration", DURATION))
    text = (repo / "claims" / "summit-duration.yaml").read_text()
    listed = text.replace(
        'quote: "talked for nearly three hours"',
        'quote:\n  - "talked for nearly three hours"\n  - "Trump and Putin"',
    )
    write_files(repo, {"claims/summit-duration.yaml": listed})
    assert claims("check", repo=repo).exit_code == 0
    git(repo, "commit", "-qam", "two quotes")
    log = claims("log", "summit-duration", repo=repo).stdout
    assert '  "talked for nearly three hours"\n  "Trump and Putin"\n' in log
    write_files(repo, {"claims/summit-duration.yaml": listed.replace("Trump and Putin", "Biden")})
    out = claims("check", repo=repo).stdout
    assert (
        "claims/summit-duration.yaml:11:5: error: quote 2 not found in the text of source 't1' "
        "[quote-verbatim]"
    ) in out
    write_files(
        repo,
        {"claims/trump-office.yaml": SELF_CONTRADICTORY.replace("US President", "UK President")},
    )
    out = claims("check", repo=repo).stdout
    assert (
        "claims/trump-office.yaml:12:12: error: also 1 quote not found in the text of source 't2'"
    ) in out


def test_diff_and_review_leave_the_vocabulary_file_alone(claims, make_repo):
    repo = typed_repo(make_repo, ("trump-office", OFFICE))
    write_files(repo, {"claims/_vocabulary.yaml": VOCABULARY + "  Vladimir Putin: [Putin]\n"})
    result = claims("diff", repo=repo)
    assert result.exit_code == 0, result.output
    assert "_vocabulary" not in result.stdout
    git(repo, "commit", "-qam", "Putin")
    review = claims("review", "HEAD~1..HEAD", repo=repo)
    assert review.exit_code == 0, review.output
    assert "_vocabulary" not in review.stdout


def test_check_gives_the_hint_for_a_place_written_as_one_string(claims, make_repo):
    place = {"property": "location", "type": "place", "value": "Anchorage, Alaska",
             "source": "t1", "quote": "Trump and Putin talked"}  # fmt: skip
    repo = typed_repo(make_repo, ("summit-location", place))
    assert (
        "claims/summit-location.yaml:6:8: error: place 'Anchorage, Alaska' is one string; write "
        "a place as a list from broad to narrow, e.g. [Alaska, Anchorage]; here: [Alaska, "
        "Anchorage] [value-parses]"
    ) in claims("check", repo=repo).stdout
