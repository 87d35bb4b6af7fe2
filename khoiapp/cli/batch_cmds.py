"""CLI for scripts: ``criteria`` lists codes; ``set --from`` and ``attach CODE FILE…`` do many at once.

``set`` and ``attach`` are declared with the document commands; this module widens them: ``set
FILE --year Y --from answers.csv|json`` records every row in one transaction, and ``attach`` takes
several files (and ``--date``), all in one transaction, one report. A bad row or file is named and
nothing is saved.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from khoiapp.errors import BadInputError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("criteria", help="liệt kê các tiêu chí của kỳ đánh giá: mã, tên, loại, kết quả hiện có")
    p.add_argument("file", type=Path, metavar="FILE.khoi")
    p.add_argument("--year", required=True, type=int)
    p.add_argument("--json", action="store_true", help="in dạng JSON (xem docs/cli.md)")
    p.set_defaults(func=cmd_criteria)
    if "set" in sub.choices:
        _widen_set(sub.choices["set"])
    if "attach" in sub.choices:
        _widen_attach(sub.choices["attach"])


def _action(p: argparse.ArgumentParser, dest: str) -> argparse.Action | None:
    return next((a for a in p._actions if a.dest == dest), None)


def _widen_set(p: argparse.ArgumentParser) -> None:
    for dest in ("code", "value"):
        act = _action(p, dest)
        if act is not None:
            act.nargs = "?"  # not needed with --from
    # argparse (3.11) gives optional positionals their empty value in the first run of positionals
    # (FILE), before --year; CODE and VALUE written after --year then come back unparsed: take them.
    parse = p.parse_known_args

    def parse_known_args(args: Any = None, namespace: Any = None) -> Any:
        ns, extras = parse(args, namespace)
        for dest in ("code", "value"):
            if getattr(ns, dest, None) is None and extras and not str(extras[0]).startswith("-"):
                setattr(ns, dest, extras.pop(0))
        return ns, extras

    p.parse_known_args = parse_known_args  # type: ignore[method-assign]
    p.add_argument(
        "--from", dest="from_file", type=Path, metavar="ANSWERS.csv|json",
        help="ghi nhiều kết quả một lần từ tệp CSV/JSON (cột code,value[,note,…]); lỗi một dòng thì không ghi dòng nào",
    )
    p.add_argument("--json", dest="batch_json", action="store_true", help="báo cáo dạng JSON (với --from)")
    single = p.get_default("func")
    p.set_defaults(func=lambda a: cmd_set_batch(a, single))


def _widen_attach(p: argparse.ArgumentParser) -> None:
    act = _action(p, "path")
    if act is not None:
        act.nargs = "+"  # FILE…
        act.metavar = "FILE"
    if not any("--date" in a.option_strings for a in p._actions):
        p.add_argument("--date", help="ngày ban hành của các tệp (ngày/tháng/năm)")
    single = p.get_default("func")
    p.set_defaults(func=lambda a: cmd_attach_batch(a, single))


def _kind_label(kind: str) -> str:
    return {"yesno": "có/không", "percent": "tỷ lệ %", "count": "số lượng", "points": "điểm"}.get(kind, kind)


def cmd_criteria(a: argparse.Namespace) -> int:
    from khoiapp.cli.output import emit_json, say
    from khoiapp.db import open_document
    from khoiapp.frameworks import format_number
    from khoiapp.services import criteria as crit

    with open_document(a.file, read_only=True) as doc:
        cl = crit.checklist(doc, a.year)
    if a.json:
        emit_json(
            {
                "year": cl.year,
                "criteria": [
                    {
                        "code": c.code,
                        "framework": c.framework_key,
                        "group": c.group_code,
                        "title": c.title,
                        "kind": c.kind,
                        "requirement": c.requirement,
                        "mandatory": c.mandatory,
                        "max_points": c.max_points,
                        "min_evidence": c.min_evidence,
                        "status": c.status,
                        "status_label": c.status_label,
                        "value": c.value,
                        "evidence": list(c.evidence_codes),
                        "needs_confirmation": c.needs_confirmation,
                    }
                    for c in cl.criteria
                ],
            }
        )
        return 0
    for c in cl.criteria:
        value = f" ({format_number(c.value)})" if c.value is not None else ""
        mark = " · cần xác nhận" if c.needs_confirmation else ""
        say(f"{c.code}\t{_kind_label(c.kind)}\t{c.status_label}{value}{mark}\t{c.title}")
    return 0


def cmd_set_batch(a: argparse.Namespace, single: Any) -> int:
    if a.from_file is None:
        if a.code is None or a.value is None:
            raise BadInputError("Cần mã tiêu chí và giá trị (ví dụ: set so.khoi --year 2026 2.1 92), hoặc --from tệp.")
        return int(single(a))
    if a.code is not None:
        raise BadInputError("Dùng --from thì không ghi thêm mã tiêu chí và giá trị trên dòng lệnh.")
    from khoiapp.cli.output import emit_json, say
    from khoiapp.db import open_document
    from khoiapp.services import batch

    rows = batch.read_answers(a.from_file)
    with open_document(a.file) as doc:
        report = batch.set_answers(doc, a.year, rows, source=a.from_file.name)
    if a.batch_json:
        emit_json(report)
        return 0
    say(f"Đã ghi {report.rows} kết quả vào kỳ {report.year} trong một lần lưu.")
    for code, label in report.statuses:
        say(f"  {code}: {label}")
    return 0


def cmd_attach_batch(a: argparse.Namespace, single: Any) -> int:
    paths = a.path if isinstance(a.path, list) else [a.path]
    if len(paths) == 1:
        a.path = paths[0]
        return int(single(a))  # one file: the single command, with its --title, --number, --issuer, --date
    if len(paths) > 1 and (a.title or a.number or a.issuer or getattr(a, "embed", None)):
        raise BadInputError(
            "--title, --number, --issuer, --embed chỉ dùng khi thêm một tệp; thêm nhiều tệp thì bỏ các tùy chọn "
            "này (cách đính kèm của từng minh chứng sửa sau bằng lệnh evidence)."
        )
    from khoiapp.cli.output import emit_json, say
    from khoiapp.db import open_document
    from khoiapp.services import batch
    from khoiapp.textformat import format_size

    with open_document(a.file) as doc:
        report = batch.attach_files(doc, a.year, a.code, paths, issued_on=getattr(a, "date", None))
    if a.json:
        emit_json(report)
        return 0
    reused = len(report.items) - report.stored
    say(
        f"Đã thêm {report.stored} minh chứng cho tiêu chí {report.criterion}"
        + (f", gắn thêm {reused} tệp đã có" if reused else "")
        + " (một lần lưu)."
    )
    for item in report.items:
        tag = "đã có, gắn thêm" if item.reused else format_size(item.size)
        say(f"  {item.code}\t{tag}\t{Path(item.path).name}")
    return 0
