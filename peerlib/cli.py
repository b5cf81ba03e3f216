"""The `peerlib` command: validate and list the bank, import articles, progress, cohorts.

Every command returns an exit code; errors a person can act on are printed without a
traceback and give exit code 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import contextmanager

from . import bank, content, importers
from .errors import PeerlibError


def _cmd_bank_validate(args) -> int:
    from . import validate

    problems, summary = validate.validate(args.path)
    if problems:
        print(f"{len(problems)} problem(s) found:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    print(summary)
    return 0


def _cmd_bank_list(args) -> int:
    frame = bank.load_bank(extra=args.extra)
    if args.competency:
        bank.competency(args.competency)
        frame = frame[frame["competencies"].map(lambda c: args.competency in c)]
    table = frame.assign(competencies=frame["competencies"].map(", ".join))[
        ["question_id", "kind", "competencies", "question"]
    ]
    width = 70
    table["question"] = table["question"].map(
        lambda q: q if len(q) <= width else q[: width - 1] + "…"
    )
    print(table.to_string(index=False, justify="left"))
    print(f"\n{len(table)} question(s)")
    return 0


def _cmd_import_article(args) -> int:
    frame = importers.read_article(args.file)
    if args.json:
        json.dump(frame.to_dict(orient="records"), sys.stdout, ensure_ascii=False, indent=2)
        print()
    if args.out:
        importers.write_article_rows(frame, args.out)
        print(
            f"Wrote {len(frame)} question(s) to {args.out}. Fill in question_id, competencies, "
            "kind and talking_points, then check it with `peerlib bank validate "
            f"{args.out}`.",
            file=sys.stderr,
        )
    if not args.json and not args.out:
        for row in frame.itertuples():
            notes = ["answer" if row.example_answer else "no answer", f"line {row.line}"]
            if row.follow_ups:
                notes.insert(1, f"{len(row.follow_ups)} follow-up(s)")
            print(f"{row.number:>3}. {row.question}  [{', '.join(notes)}]")
        print(f"\n{len(frame)} question(s) found in {args.file}")
    return 0


@contextmanager
def _progress_store(learner: str | None = None, required: bool = True):
    """The learner's own progress store, and ``learner`` (default: the current learner).

    The store must belong to the current learner (``NotOwnerError`` otherwise); a database
    that fails is an error, not a traceback. ``required=False``: the id may be None.
    """
    from sqlalchemy.exc import SQLAlchemyError

    from .errors import NoLearnerError
    from .learner import current_learner
    from .store import ProgressStore, check_owner_of

    try:
        with ProgressStore(ids=content.known_ids) as store:
            try:
                me = current_learner(store)
            except NoLearnerError:
                if required and not learner:
                    raise
                me = None
            check_owner_of(store, me)
            yield store, learner or me
    except SQLAlchemyError as exc:
        raise PeerlibError(f"cannot use the progress database: {exc}") from exc


def _cmd_export(args) -> int:
    with _progress_store(args.learner) as (store, learner):
        path = store.export_learner(learner, args.out, include_text=args.include_text)
    texts = "with" if args.include_text else "without"
    print(f"Exported the progress of {learner} to {path} ({texts} answer and reflection texts).")
    return 0


def _cmd_import(args) -> int:
    from .errors import ProgressFileError

    failed = 0
    with _progress_store(required=False) as (store, _learner):
        for file in args.files:
            try:
                added = store.import_learner(file)
            except ProgressFileError as exc:
                print(f"peerlib: {exc}", file=sys.stderr)
                failed += 1
                continue
            learner = added.pop("learner_id")
            counts = ", ".join(f"{count} {kind}" for kind, count in added.items())
            print(f"{file}: imported for {learner}: {counts} added")
    if failed:
        print(f"peerlib: {failed} of {len(args.files)} file(s) not imported", file=sys.stderr)
    return 1 if failed else 0


def _cmd_progress(args) -> int:
    with _progress_store(args.learner) as (store, learner):
        print(store.progress_text(learner))
    return 0


def _cmd_send(args) -> int:
    from .hub import CourseClient

    with _progress_store() as (store, learner):
        content = store.export_json(learner, include_text=args.include_text)
    sent = CourseClient().push(content)
    texts = "with" if sent["include_text"] else "without"
    print(
        f"Sent the progress of {sent['learner']} to the course service at "
        f"{sent['received_at']} ({texts} answer and reflection texts)."
    )
    return 0


def _cmd_demo_cohort(args) -> int:
    from . import demo

    paths = demo.write_demo_cohort(args.out, learners=args.learners, seed=args.seed)
    print(
        f"Wrote {len(paths):,} synthetic export file(s) ({paths[0].name} … {paths[-1].name}) "
        f"to {paths[0].parent}. Synthetic demo data: these learners do not exist.\n"
        f"Next: peerlib cohort report {paths[0].parent} --out report.html"
    )
    return 0


def _cmd_cohort_report(args) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from . import cohort, demo, report

    try:
        group = cohort.load(args.source, names=args.names)
    except SQLAlchemyError as exc:
        raise PeerlibError(f"cannot read the database {args.source!r}: {exc}") from exc
    except ImportError as exc:
        raise PeerlibError(
            f"the database driver is not installed ({exc}); for PostgreSQL run "
            "pip install 'peerlib[postgres]'"
        ) from exc
    print(group.summary())
    if group.learners.empty:
        raise PeerlibError(
            f"nothing could be loaded from {args.source}: give a folder of learners' export "
            "files (*.json), export files, a database URL, or 'hub'; no report was written."
        )
    synthetic = demo.is_synthetic(args.source)
    title = "Cohort review — synthetic demo data" if synthetic else None
    path = report.write_report(group, args.out, title=title)
    private = "learners' names" if args.names else "pseudonymous learner keys"
    print(f"Wrote the report to {path} (with {private}; keep it private).")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the `peerlib` command."""
    parser = argparse.ArgumentParser(
        prog="peerlib", description="Peer Support Trainer Workbook helper commands."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    bank_parser = sub.add_parser("bank", help="check and list the question bank")
    bank_sub = bank_parser.add_subparsers(dest="bank_command", required=True, metavar="ACTION")
    validate_parser = bank_sub.add_parser(
        "validate",
        help="check the bank, curation, exercises and trainer files (or one file)",
    )
    validate_parser.add_argument(
        "path", nargs="?", help="a trainer question file (.csv/.yaml) or an exercise file"
    )
    validate_parser.set_defaults(func=_cmd_bank_validate)
    list_parser = bank_sub.add_parser("list", help="show the questions as a table")
    list_parser.add_argument("--competency", metavar="ID", help="only this competency")
    list_parser.add_argument("--extra", metavar="PATH", help="also a trainer question file")
    list_parser.set_defaults(func=_cmd_bank_list)

    article_parser = sub.add_parser(
        "import-article", help="find the questions in an interview-questions article"
    )
    article_parser.add_argument("file", help="the article as a UTF-8 text file")
    article_parser.add_argument("--out", metavar="PATH", help="write a .csv or .yaml to curate")
    article_parser.add_argument("--json", action="store_true", help="print the questions as JSON")
    article_parser.set_defaults(func=_cmd_import_article)

    export_parser = sub.add_parser("export", help="write a learner's progress to a JSON file")
    export_parser.add_argument("--learner", metavar="ID", help="default: the current learner")
    export_parser.add_argument("--out", metavar="FILE", required=True, help="the file to write")
    export_parser.add_argument(
        "--include-text", action="store_true", help="also the answer and reflection texts"
    )
    export_parser.set_defaults(func=_cmd_export)
    import_parser = sub.add_parser("import", help="merge progress export files into the store")
    import_parser.add_argument("files", nargs="+", metavar="FILE", help="export files (.json)")
    import_parser.set_defaults(func=_cmd_import)
    progress_parser = sub.add_parser("progress", help="summarize a learner's progress")
    progress_parser.add_argument("--learner", metavar="ID", help="default: the current learner")
    progress_parser.set_defaults(func=_cmd_progress)

    send_parser = sub.add_parser(
        "send", help="send your progress to your trainer (the course service on a hub)"
    )
    send_parser.add_argument(
        "--include-text", action="store_true", help="also your answer and reflection texts"
    )
    send_parser.set_defaults(func=_cmd_send)

    demo_parser = sub.add_parser(
        "demo-cohort", help="write a synthetic demo cohort of export files (for trying things)"
    )
    demo_parser.add_argument("--learners", type=int, required=True, metavar="N")
    demo_parser.add_argument("--out", required=True, metavar="DIR", help="an empty folder")
    demo_parser.add_argument("--seed", type=int, default=0, metavar="S", help="default: 0")
    demo_parser.set_defaults(func=_cmd_demo_cohort)
    cohort_parser = sub.add_parser("cohort", help="review a whole cohort's progress")
    cohort_sub = cohort_parser.add_subparsers(
        dest="cohort_command", required=True, metavar="ACTION"
    )
    report_parser = cohort_sub.add_parser("report", help="write a self-contained HTML report")
    report_parser.add_argument(
        "source",
        metavar="SOURCE",
        help="a folder of export files, one file, a database URL, or 'hub' (the course service)",
    )
    report_parser.add_argument("--out", required=True, metavar="FILE", help="the .html to write")
    report_parser.add_argument(
        "--names", action="store_true", help="show learners' names (default: pseudonymous keys)"
    )
    report_parser.set_defaults(func=_cmd_cohort_report)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the `peerlib` command; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except PeerlibError as exc:
        print(f"peerlib: {exc}", file=sys.stderr)
        return 1
    except (OSError, KeyboardInterrupt) as exc:
        print(f"peerlib: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
