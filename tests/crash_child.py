"""Child side of the crash test (tests/core/test_crash.py): random edits until killed.

Started once as a "zygote": it imports the app and warms its caches, then forks one editor
process per round on request, so a round costs a fork (~ms) instead of a Python start (~0.3 s).

Protocol, one line each way (all output with a single ``os.write``, so lines never mix):

    parent -> zygote:  ``run <seed>``            fork an editor with this random seed
    zygote -> parent:  ``PID <pid>``             the editor's process id (the parent kills it)
    editor -> parent:  ``BEGIN <n> <kind> <key> <value>``   about to apply edit n
    editor -> parent:  ``COMMIT <n> <kind> <key> <value>``  edit n's service call returned
    zygote -> parent:  ``EXIT <pid> <status>``   the editor is gone (waitpid status)
    parent -> zygote:  ``quit``

Usage: ``python tests/crash_child.py DOCUMENT.khoi YEAR``
"""

from __future__ import annotations

import hashlib
import os
import random
import sys
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from khoiapp.db import open_document  # noqa: E402
from khoiapp.services import content, criteria, evidence  # noqa: E402
from khoiapp.services import document as docsvc  # noqa: E402

KINDS = ("result", "unit", "row", "evidence", "article", "new-article")
WEIGHTS = (4, 2, 3, 2, 3, 1)
MAX_EDITS = 100_000  # an editor that is never killed stops here (the parent reports it)


def emit(line: str) -> None:
    os.write(1, (line + "\n").encode("utf-8"))


def edit_loop(path: Path, year: int, seed: int) -> None:
    rng = random.Random(seed)
    doc = open_document(path)
    if doc.read_only:
        emit(f"READONLY {doc.read_only_reason}")
        os._exit(3)
    codes = [c.code for c in criteria.checklist(doc, year).criteria]
    conv = content.current_convention(doc)
    assert conv is not None and conv.chapters, "the document needs a convention with chapters"
    chapters = [ch.id for ch in conv.chapters]
    articles = [a.id for ch in conv.chapters for a in ch.articles]
    for n in range(1, MAX_EDITS):
        kind = rng.choices(KINDS, WEIGHTS)[0]
        token = f"crash-{seed}-{n}-{rng.getrandbits(32):08x}"
        if kind == "result":
            code = rng.choice(codes)
            key, value = f"result:{code}", token
            emit(f"BEGIN {n} {kind} {key} {value}")
            # two fields in one call: both or neither may be seen afterwards
            criteria.set_result(doc, year, code, note=token, narrative={"current_state": token})
        elif kind == "unit":
            key, value = "unit", token
            emit(f"BEGIN {n} {kind} {key} {value}")
            docsvc.update_unit(doc, head_name=token, address=token)
        elif kind == "row":
            key, value = f"row:{token}", token
            emit(f"BEGIN {n} {kind} {key} {value}")
            content.add_row(doc, "activity", year, kind="khac", title=token, note=token, participants=n)
        elif kind == "evidence":
            # mostly small files, sometimes a large one so that kills land inside a long write
            size = rng.randint(1, 32 * 1024) if rng.random() < 0.75 else rng.randint(256 * 1024, 1024 * 1024)
            data = rng.randbytes(size)
            sha = hashlib.sha256(data).hexdigest()
            key, value = f"evidence:{token}", sha
            emit(f"BEGIN {n} {kind} {key} {value}")
            evidence.add_evidence_bytes(
                doc, year, data, f"{token}.pdf", criteria=(rng.choice(codes),), title=token
            )
        elif kind == "article":
            aid = rng.choice(articles)
            key, value = f"article:{aid}", token
            emit(f"BEGIN {n} {kind} {key} {value}")
            content.update_article(doc, aid, body=token)
        else:
            ch = rng.choice(chapters)
            key, value = f"new-article:{token}", token
            emit(f"BEGIN {n} {kind} {key} {value}")
            aid, _ = content.add_article(doc, ch, title=token, body=token)
            articles.append(aid)
        emit(f"COMMIT {n} {kind} {key} {value}")
    doc.close()


def zygote(path: Path, year: int) -> None:
    # Warm up: imports, Alembic's script directory, bundled frameworks, the ORM mappers.
    with open_document(path, read_only=True) as doc:
        criteria.checklist(doc, year)
        content.current_convention(doc)
    emit("READY")
    for line in sys.stdin:
        cmd = line.split()
        if not cmd:
            continue
        if cmd[0] == "quit":
            break
        if cmd[0] != "run":
            emit(f"ERROR unknown command {line.strip()}")
            continue
        seed = int(cmd[1])
        pid = os.fork()
        if pid == 0:
            try:
                edit_loop(path, year, seed)
                os._exit(0)
            except BaseException:  # noqa: BLE001 - report any failure of the editor to the parent
                traceback.print_exc()
                sys.stderr.flush()
                os._exit(1)
        emit(f"PID {pid}")
        _, status = os.waitpid(pid, 0)
        emit(f"EXIT {pid} {status}")


if __name__ == "__main__":
    zygote(Path(sys.argv[1]), int(sys.argv[2]))
