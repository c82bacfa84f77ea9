"""Commands that build and inspect a project: new, import, labels, split, stats, export."""

from __future__ import annotations

import argparse
import re
import shlex
import sys
from pathlib import Path
from typing import Any, Optional

from bertdesk import ops
from bertdesk.cli.options import add_yes_option
from bertdesk.cli.text_columns import SHOWN_PROBLEMS, counted, label_cell, label_column_width, listed_lines, ljust
from bertdesk.core import Split, UserInputError
from bertdesk.store import ExampleFilter, Project

COLOR_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}$")
NO_SEPARATOR = "none"  # --label-sep none: label cells that look like lists stay one label each
LABEL_SAMPLE_ROWS = 500  # rows read to tell whether label cells are lists


def register(subparsers: Any) -> None:
    new = subparsers.add_parser(
        "new", help="create an empty project file",
        description="Create PROJECT, a new project file (one SQLite file, e.g. reviews.bertdesk). "
        "A project gives each text one label unless --multi-label is given.",
    )
    new.add_argument("project", type=Path, help="the project file to create")
    new.add_argument("--multi-label", action="store_true",
                     help="texts may carry several labels at once (e.g. topics)")
    new.set_defaults(func=run_new)

    import_parser = subparsers.add_parser(
        "import", help="add the texts of a CSV, TSV, TXT, JSON(L), XLSX, XLS or Parquet file",
        description="Add the texts of FILE to PROJECT in one step: all of them or, on an error "
        "or Ctrl-C, none. The encoding (UTF-8, GBK/GB18030, Big5, UTF-16) and the delimiter are "
        "detected; the text column is guessed from its name (text, review, sentence, 文本 …) "
        "unless given. Label columns create the labels they name. Other columns are kept as "
        "metadata. Empty texts, duplicates (same text after normalising case, width and "
        "spaces) and unreadable lines are skipped and listed. After a large import the texts "
        "are indexed for search (stopping that keeps the import).",
    )
    import_parser.add_argument("project", type=Path, help="the project file")
    import_parser.add_argument("file", type=Path, help="the file to import")
    import_parser.add_argument("--text-col", help="the column holding the texts")
    import_parser.add_argument("--label-col", action="append", default=[], metavar="COLUMN",
                               help="a column holding labels (repeat for several; more than "
                               "one needs a multi-label project)")
    import_parser.add_argument("--label-sep", metavar="SEP",
                               help="split label cells at SEP, e.g. ';' for 'sports;politics' "
                               "(multi-label projects); 'none' keeps each cell one label where "
                               "the cells look like lists")
    import_parser.add_argument("--label-name", action="append", default=[], metavar="RAW=NAME",
                               type=_label_name,
                               help="name the label the file writes RAW, e.g. 0=negative "
                               "(repeat for each value; values not named keep theirs)")
    import_parser.add_argument("--split-col", metavar="COLUMN",
                               help="a column saying train / validation / test for each text")
    import_parser.add_argument("--split", choices=[s.value for s in Split], dest="whole_file_split",
                               help="put every text of the file in this split, e.g. validation "
                               "for a dev.tsv (rows of --split-col that say otherwise win)")
    import_parser.add_argument("--encoding", help="the file's encoding, e.g. gb18030 (default: detected)")
    import_parser.add_argument("--delimiter", help="the field delimiter, e.g. ';' or '\\t' (default: detected)")
    import_parser.add_argument("--sheet", help="the sheet of an .xlsx file (default: the first that holds anything)")
    add_header_option(import_parser)
    import_parser.add_argument("--keep-duplicates", action="store_true",
                               help="import texts that are already there as well")
    import_parser.add_argument("--no-metadata", action="store_true",
                               help="do not keep the other columns")
    import_parser.add_argument("--dry-run", action="store_true",
                               help="only say what the import would do; change nothing")
    import_parser.set_defaults(func=run_import)

    _register_labels(subparsers)

    split = subparsers.add_parser(
        "split", help="assign labelled texts to train / validation / test",
        description="Assign the labelled texts to train, validation and test in the given "
        "ratios, stratified by label, with a fixed seed (the same seed gives the same split). "
        "Splits that came with the imported file are kept unless --reassign is given.",
    )
    split.add_argument("project", type=Path, help="the project file")
    split.add_argument("--train", type=float, default=0.8, help="share for training (0.8)")
    split.add_argument("--validation", type=float, default=0.1, help="share for validation (0.1)")
    split.add_argument("--test", type=float, default=0.1, help="share for the final test (0.1)")
    split.add_argument("--seed", type=int, default=0, help="random seed (0)")
    split.add_argument("--reassign", action="store_true",
                       help="split every labelled text anew, also those with a split already")
    split.set_defaults(func=run_split)

    stats = subparsers.add_parser(
        "stats", help="count texts per label and split",
        description="Print how many texts the project holds per label and split.",
    )
    stats.add_argument("project", type=Path, help="the project file")
    stats.set_defaults(func=run_stats)

    export = subparsers.add_parser(
        "export", help="write texts, labels, splits and metadata to CSV, JSONL or XLSX",
        description="Write the project's texts to FILE (.csv, .jsonl or .xlsx) with the columns "
        "text, label, split and the metadata. Several labels are joined with ';'. The file "
        "imports back unchanged: bertdesk import NEW FILE --label-col label --split-col split.",
    )
    export.add_argument("project", type=Path, help="the project file")
    export.add_argument("file", type=Path, help="the file to write (.csv, .jsonl, .xlsx)")
    which = export.add_mutually_exclusive_group()
    which.add_argument("--label", help="only texts with this label")
    which.add_argument("--unlabeled", action="store_true", help="only texts without a label")
    export.add_argument("--split", choices=[s.value for s in Split], help="only texts of this split")
    export.set_defaults(func=run_export)


def _register_labels(subparsers: Any) -> None:
    labels = subparsers.add_parser(
        "labels", help="list, add, rename, merge or delete labels",
        description="Manage the project's labels. Without an action, list them.",
    )
    labels.add_argument("project", type=Path, help="the project file")
    labels.set_defaults(func=run_labels_list)
    actions = labels.add_subparsers(dest="action", metavar="ACTION")
    listing = actions.add_parser("list", help="list the labels with their counts, colours and keys")
    listing.set_defaults(func=run_labels_list)
    add = actions.add_parser("add", help="add a label")
    add.add_argument("name")
    add.add_argument("--color", help="a colour such as #e15759 (default: the next free one)")
    add.add_argument("--shortcut", help="a key that gives the label in the labeling view")
    add.set_defaults(func=run_labels_add)
    rename = actions.add_parser("rename", help="rename a label (its texts keep it)")
    rename.add_argument("name")
    rename.add_argument("new_name")
    rename.set_defaults(func=run_labels_rename)
    merge = actions.add_parser("merge", help="give SOURCE's texts the label TARGET, then drop SOURCE")
    merge.add_argument("source")
    merge.add_argument("target")
    delete = actions.add_parser("delete", help="delete a label; its texts lose it")
    delete.add_argument("name")
    for action, run in ((merge, run_labels_merge), (delete, run_labels_delete)):
        add_yes_option(action)
        action.set_defaults(func=run)
    color = actions.add_parser("color", help="set a label's colour")
    color.add_argument("name")
    color.add_argument("color", help="#rrggbb")
    color.set_defaults(func=run_labels_color)
    shortcut = actions.add_parser("shortcut", help="set a label's keyboard shortcut ('none' clears it)")
    shortcut.add_argument("name")
    shortcut.add_argument("key")
    shortcut.set_defaults(func=run_labels_shortcut)


def add_header_option(parser: argparse.ArgumentParser) -> None:
    """--header / --no-header: whether a CSV, TSV or sheet names its columns on its first line."""
    parser.add_argument("--header", action=argparse.BooleanOptionalAction, default=None,
                        help="whether the first line of a CSV, TSV or sheet names the columns "
                        "(default: detected); with --no-header it is a text like the others "
                        "and the columns are 'column 1', 'column 2' …")


# ----------------------------------------------------------------------------- commands
def run_new(args: argparse.Namespace, ctx: Any) -> int:
    with Project.create(args.project, multi_label=args.multi_label):
        pass
    kind = "multi-label" if args.multi_label else "single-label"
    print(f"Created {args.project} ({kind}). Next: bertdesk import {args.project} FILE")
    return 0


def run_import(args: argparse.Namespace, ctx: Any) -> int:
    from bertdesk.io import ImportOptions, import_file, preview_import

    options = ImportOptions(
        text_column=args.text_col,
        label_columns=list(args.label_col),
        label_separator=None if args.label_sep == NO_SEPARATOR else args.label_sep,
        label_names=dict(args.label_name),
        split_column=args.split_col,
        file_split=args.whole_file_split,
        encoding=args.encoding,
        delimiter=_unescape_delimiter(args.delimiter),
        sheet=args.sheet,
        header=args.header,
        skip_duplicates=not args.keep_duplicates,
        keep_metadata=not args.no_metadata,
    )
    if args.label_col and args.label_sep is None:
        _refuse_label_lists(args.file, options)
    with Project.open(args.project) as project:
        if args.dry_run:
            with ctx.progress_bar(f"Checking {args.file.name}") as bar:
                report = preview_import(args.file, options, project=project, progress=bar, cancel=ctx.cancel)
            print(_describe_import(report, args.file, True))
            return 0
        with ctx.progress_bar(f"Importing {args.file.name}") as bar:
            report = import_file(project, args.file, options, progress=bar, cancel=ctx.cancel)
        print(_describe_import(report, args.file, False), flush=True)
        unread = _unread_columns(args, report)
        if unread:
            command = " ".join([f"bertdesk import {shlex.quote(str(args.project))} {shlex.quote(str(args.file))}",
                                *(f"{option} {shlex.quote(column)}" for option, column, _ in unread)])
            what = " and ".join(f"the column {column!r} as {meaning}" for _, column, meaning in unread)
            print(f"This import did not read {what}. To read {'them' if len(unread) > 1 else 'it'}: {command} "
                  "(the texts already imported take the labels and splits the file gives them where "
                  "they have none).")
        # The texts are saved; a large import's search index is built after them (a Ctrl-C
        # here keeps the chunks done, and the app or the next import goes on from there).
        if project.search_index_pending():
            with ctx.progress_bar("Indexing for search") as bar:
                project.update_search_index(bar, ctx.cancel)
    return 0


def _refuse_label_lists(file: Path, options: Any) -> None:
    """Label cells written as lists ("食物;价格") read whole would make each combination one
    label: the user says first whether to split them, before anything is written."""
    from bertdesk.io import likely_label_separator, sniff_file

    sniff = sniff_file(file, encoding=options.encoding, delimiter=options.delimiter, sheet=options.sheet,
                       header=options.header, preview_rows=LABEL_SAMPLE_ROWS)
    values = [row.get(column) or "" for row in sniff.preview_rows for column in options.label_columns]
    separator = likely_label_separator(values)
    if separator is None:
        return
    examples = list(dict.fromkeys(value for value in values if separator in value))[:3]
    raise UserInputError(
        "The labels of {file} look like lists separated by {separator!r} ({examples} …): read whole, "
        "each list would be one label.",
        "Import with --label-sep {separator!r} to split them (several labels a text need a multi-label "
        "project: bertdesk new PROJECT --multi-label), or with --label-sep none to keep each cell one label.",
        file=file.name, separator=separator, examples=", ".join(examples),
    )


def _unread_columns(args: argparse.Namespace, report: Any) -> list[tuple[str, str, str]]:
    """(option, column, what it holds) for each of the file's columns named like labels or
    splits where this import read none: the texts arrived unlabelled or in no split, which is
    seldom what the file meant."""
    from bertdesk.io import SPLIT_COLUMN_NAMES, column_named, sniff_file

    if args.label_col and args.split_col:
        return []
    try:
        sniff = sniff_file(args.file, encoding=report.encoding, delimiter=_unescape_delimiter(args.delimiter),
                           sheet=args.sheet, header=report.has_header)
    except UserInputError:  # the import is done and saved: a hint must not turn it into an error
        return []
    read = {report.text_column, *(args.label_col or ()), args.split_col}
    unread = []
    for given, column, option, meaning in (
        (args.label_col, sniff.likely_label_column(), "--label-col", "labels"),
        (args.split_col, column_named(sniff.columns, SPLIT_COLUMN_NAMES), "--split-col", "splits"),
    ):
        if not given and column is not None and column not in read:
            unread.append((option, column, meaning))
    return unread


def _label_name(value: str) -> tuple[str, str]:
    """``--label-name RAW=NAME`` as (RAW, NAME); the first "=" divides them."""
    raw, equals, name = value.partition("=")
    if not equals or not raw.strip() or not name.strip():
        raise argparse.ArgumentTypeError(f"{value!r} is not RAW=NAME, e.g. 0=negative")
    return raw, name


def _unescape_delimiter(value: Optional[str]) -> Optional[str]:
    """Shells pass a tab as the two characters backslash and t."""
    return {"\\t": "\t", "tab": "\t"}.get(value or "", value) if value else None


def _describe_import(report: Any, file: Path, dry_run: bool) -> str:
    from bertdesk.io import LISTED_NEW_LABELS

    verb = "would be added" if dry_run else "added"
    lines = [f"{counted(report.added, 'text')} {verb} from {file.name} "
             f"(text column {report.text_column!r}, encoding {report.encoding or 'n/a'})."]
    if not report.has_header:
        lines.append("Its first line holds a text, not column names: the columns are called 'column 1', "
                     "'column 2' … (name them so in --label-col and --split-col). If that line names "
                     "the columns, import with --header.")
    if report.title_rows and report.has_header:
        lines.append(f"Above its column names, skipped as a title: {', '.join(map(repr, report.title_rows))} "
                     "(with --no-header every line is read as a text).")
    elif report.title_rows:
        lines.append(f"Above the table, skipped as a title, having fewer columns than its rows: "
                     f"{', '.join(map(repr, report.title_rows))} (a text there is imported once its line has "
                     "as many columns as the table's rows, e.g. with its label).")
    if report.text_column_guessed and report.has_header:
        lines.append(f"No column name says which holds the texts: {report.text_column!r} was read, "
                     "its values being the longest (name another with --text-col NAME).")
    if report.labels_created:
        named = report.labels_created[:LISTED_NEW_LABELS]
        more = len(report.labels_created) - len(named)
        lines.append(f"New labels: {', '.join(named)}"
                     + (f" and {more:,} more (bertdesk labels PROJECT list)" if more else ""))
    if report.missing_label_marks:
        lines.append(f"Label cells saying {' or '.join(map(repr, report.missing_label_marks))} were read as no label "
                     "(a program's mark of a missing value).")
    if report.labels_folded:
        lines.append("Labels the file writes in several ways, read as one (case, width and spaces aside): "
                     f"{report.joined_spellings()}.")
    assigned = {k: v for k, v in report.per_split.items() if k != Split.UNASSIGNED.value and v}
    if assigned:
        lines.append("Splits: " + ", ".join(f"{k} {v:,}" for k, v in assigned.items()))
    if report.skipped_empty:
        lines.append(f"Skipped {counted(report.skipped_empty, 'empty text')}.")
    if report.skipped_duplicates:
        had = (f"{report.already_in_project:,} of them texts the project already has; "
               if report.already_in_project else "")
        lines.append(f"Skipped {counted(report.skipped_duplicates, 'duplicate')} ({had}the same text after "
                     "normalising case, width and spaces; the first copy is kept), e.g.:")
        lines += [f"  line {line}: {_short(text)}" for line, text in report.duplicates[:SHOWN_PROBLEMS]]
    if report.kept_duplicates:
        lines.append(f"Kept {counted(report.kept_duplicates, 'duplicate')} (--keep-duplicates).")
    # The texts already in the project are among the duplicates: what the file gave them.
    took, went, kept = ("would take", "would go", "would keep") if dry_run else ("took", "went", "kept")
    if report.labelled_existing:
        lines.append(f"{report.labelled_existing:,} texts already in the project, unlabelled, "
                     f"{took} the labels the file gives them.")
    if report.split_existing:
        lines.append(f"{report.split_existing:,} texts already in the project, in no split, "
                     f"{went} to the splits the file names for them.")
    if report.kept_split:
        lines.append(f"{report.kept_split:,} texts already in the project {kept} a split other than the "
                     "one the file names (moving them could put texts a run learned from among those "
                     "it is scored on; to move some, right-click them in the Label tab: Move to split).")
    if report.conflicting_duplicates:
        lines.append(f"{report.conflicting_duplicates:,} of the duplicates carry other labels "
                     "than their first copy: the app's filter Show ▸ Repeated with another "
                     "label lists them.")
    if report.malformed:
        lines.append(f"Skipped {counted(len(report.malformed), 'line')} that cannot be read:")
        lines += listed_lines(report.malformed)
    return "\n".join(lines)


def _short(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def run_labels_list(args: argparse.Namespace, ctx: Any) -> int:
    with Project.open(args.project) as project:
        labels = project.labels()
        if not labels:
            print("No labels yet. Add one: bertdesk labels PROJECT add NAME")
            return 0
        counts = project.stats().per_label
    width = label_column_width([label.name for label in labels])
    print(f"{'label':<{width}}  {'texts':>8}  colour   key")
    for label in labels:
        print(f"{ljust(label_cell(label.name), width)}  {counts.get(label.id, 0):>8,}  {label.color}  "
              f"{label.shortcut or '-'}")
    return 0


def run_labels_add(args: argparse.Namespace, ctx: Any) -> int:
    with Project.open(args.project) as project:
        label = ops.add_label(project, args.name, _checked_color(args.color), args.shortcut).value
    print(f"Added label {label.name!r} (colour {label.color}, key {label.shortcut or 'none'}).")
    return 0


def run_labels_rename(args: argparse.Namespace, ctx: Any) -> int:
    with Project.open(args.project) as project:
        ops.update_label(project, project.require_label(args.name).id, name=args.new_name)
    print(f"Renamed {args.name!r} to {args.new_name!r}.")
    return 0


def run_labels_merge(args: argparse.Namespace, ctx: Any) -> int:
    with Project.open(args.project) as project:
        source, target = project.require_label(args.source), project.require_label(args.target)
        carrying = project.label_usage(source.id)
        change = (f"Merging {args.source!r} into {args.target!r} gives its {carrying:,} texts "
                  f"{args.target!r} and removes {args.source!r}.")
        asked = carrying and source.id != target.id  # merge_labels refuses the other case
        if asked and not ctx.confirm(change, args.yes):
            print("Nothing was changed.")
            return 1
        ops.merge_labels(project, source.id, target.id)
        now_carrying = project.label_usage(target.id)
    print(f"Merged {args.source!r} into {args.target!r} ({carrying:,} texts): "
          f"{now_carrying:,} texts carry {args.target!r} now.")
    return 0


def run_labels_delete(args: argparse.Namespace, ctx: Any) -> int:
    with Project.open(args.project) as project:
        label = project.require_label(args.name)
        carrying = project.label_usage(label.id)
        change = f"Deleting {args.name!r} takes it off the {carrying:,} texts that carry it."
        if carrying and not ctx.confirm(change, args.yes):
            print("Nothing was changed.")
            return 1
        touched = ops.delete_label(project, label.id).value
    print(f"Deleted {args.name!r}; {touched:,} texts lost it.")
    return 0


def run_labels_color(args: argparse.Namespace, ctx: Any) -> int:
    with Project.open(args.project) as project:
        ops.update_label(project, project.require_label(args.name).id, color=_checked_color(args.color))
    print(f"{args.name!r} is now {args.color}.")
    return 0


def run_labels_shortcut(args: argparse.Namespace, ctx: Any) -> int:
    clear = args.key.lower() == "none"
    if not clear and len(args.key) != 1:
        raise UserInputError(f"{args.key!r} is not one key.", "Give one character, e.g. 1 or a.")
    with Project.open(args.project) as project:
        ops.update_label(
            project, project.require_label(args.name).id,
            shortcut=None if clear else args.key, clear_shortcut=clear,
        )
    print(f"{args.name!r} now has {'no key' if clear else 'the key ' + repr(args.key)}.")
    return 0


def _checked_color(color: Optional[str]) -> Optional[str]:
    if color is not None and not COLOR_PATTERN.match(color):
        raise UserInputError(f"{color!r} is not a colour.", "Write it as #rrggbb, e.g. #e15759.")
    return color


def run_split(args: argparse.Namespace, ctx: Any) -> int:
    shares = (args.train, args.validation, args.test)
    total = sum(shares)
    if total > 0 and min(shares) >= 0 and abs(total - 1) > 1e-6:
        in_proportion = " / ".join(f"{share / total:.0%}" for share in shares)
        print(f"The shares add up to {total:g}, not 1: the texts are split in proportion, "
              f"{in_proportion} (train / validation / test).", file=sys.stderr)
    with Project.open(args.project) as project:
        counts = ops.make_splits(
            project, args.train, args.validation, args.test, seed=args.seed,
            keep_existing=not args.reassign,
        ).value
    moved = sum(counts.values())
    if not moved:
        print("No text to split: every labelled text has a split already (use --reassign), "
              "or no text is labelled yet.")
        return 0
    print(f"Assigned {moved:,} texts: " + ", ".join(f"{s.value} {n:,}" for s, n in counts.items()))
    return 0


def run_stats(args: argparse.Namespace, ctx: Any) -> int:
    with Project.open(args.project) as project:
        stats = project.stats()
        kind = "multi-label" if project.multi_label else "single-label"
    splits = list(Split)
    print(f"{args.project.name} ({kind}): {stats.total:,} texts, {stats.labelled:,} labelled, "
          f"{stats.total - stats.labelled:,} unlabeled")
    width = label_column_width([label.name for label in stats.labels], "(any)")
    print(f"{'label':<{width}}" + "".join(f"{s.value:>12}" for s in splits) + f"{'total':>12}")
    for label in stats.labels:
        counts = stats.per_label_split.get(label.id, {})
        print(ljust(label_cell(label.name), width) + "".join(f"{counts.get(s, 0):>12,}" for s in splits)
              + f"{stats.per_label.get(label.id, 0):>12,}")
    print(f"{'(any)':<{width}}" + "".join(f"{stats.per_split.get(s, 0):>12,}" for s in splits)
          + f"{stats.total:>12,}")
    return 0


def run_export(args: argparse.Namespace, ctx: Any) -> int:
    from bertdesk.io import export_project

    with Project.open(args.project) as project:
        flt = ExampleFilter(
            label_id=project.require_label(args.label).id if args.label else None,
            unlabeled=args.unlabeled,
            split=Split(args.split) if args.split else None,
        )
        with ctx.progress_bar(f"Exporting to {args.file.name}") as bar:
            count = export_project(project, args.file, flt=flt, progress=bar, cancel=ctx.cancel)
    print(f"Wrote {count:,} texts to {args.file}.")
    return 0
