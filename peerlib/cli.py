"""The `peerlib` command: validate and list the bank, import articles, progress, cohorts.

Every command returns an exit code; errors a person can act on are printed without a
traceback and give exit code 1.
"""

from __future__ import annotations

import argparse
import json
import sys

from . import bank, importers
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
            answer = "answer" if row.example_answer else "no answer"
            print(f"{row.number:>3}. {row.question}  [{answer}]")
        print(f"\n{len(frame)} question(s) found in {args.file}")
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
