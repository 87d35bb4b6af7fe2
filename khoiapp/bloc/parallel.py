"""Reading a bloc's inbox fast: one parse per dossier, a compiled schema check, worker processes.

Per dossier the plain path verifies (pyHanko parses the PDF), opens the same PDF again to read the
payload, and runs the interpreted JSON Schema check. Here verification keeps the payload it has
already decoded, the schema check is a compiled function (the interpreted check still writes the
Vietnamese list of problems when a payload fails), the trust roots are parsed once per worker, and
files are spread over worker processes. A worker has a memory cap (POSIX), so one hostile file
costs its own row, not the run.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from khoiapp.bloc import read
from khoiapp.errors import Cancelled, KhoiError, TrustListError
from khoiapp.services import summary as base

log = logging.getLogger(__name__)

WORKER_MEMORY_BYTES = 2 * 1024 * 1024 * 1024  # address space of one worker: far above a 100 MB dossier


# --------------------------------------------------------------------------- compiled schema check


@functools.lru_cache(maxsize=1)
def _compiled() -> Callable[[Any], Any]:
    import fastjsonschema

    from khoiapp.services.payload import schema

    sch = dict(schema())
    # the keywords the schema uses mean the same in draft 7, the newest draft fastjsonschema compiles
    sch["$schema"] = "http://json-schema.org/draft-07/schema#"
    return fastjsonschema.compile(sch)  # type: ignore[no-any-return]


def validate_fast(payload: Any) -> None:
    """Raise :class:`DossierError` unless ``payload`` fits the schema (same verdict and message as
    :func:`khoiapp.services.payload.validate_payload`, which writes the message)."""
    import fastjsonschema

    from khoiapp.services.payload import validate_payload

    try:
        _compiled()(payload)
    except fastjsonschema.JsonSchemaException:
        validate_payload(payload)  # raises with the Vietnamese list of problems


# --------------------------------------------------------------------------- one file, one parse


@functools.lru_cache(maxsize=1)
def _store_crls() -> tuple[bytes, ...]:
    """The trust store's CRLs, read once per process (a worker reads many files)."""
    from khoiapp.services.trust import load_crls

    return tuple(load_crls((), True))


SUMMARY_FOUND = "summary"  # what verify_and_read returns as the payload for a bloc summary PDF


def verify_and_read(path: Path, roots: list[Any]) -> tuple[Any, Any, str]:
    """:func:`khoiapp.services.verify.verify_dossier` that also returns the payload it decoded and
    the file's SHA-256: one private copy, verified and read from the same bytes, parsed once. A bloc
    summary PDF is recognised from the same parse: the payload is then :data:`SUMMARY_FOUND` and the
    caller reads it its own way.

    Raises:
        DossierError: the file is missing, not a PDF, encrypted or too damaged to read.
    """
    from khoiapp.dossier.limits import PAYLOAD_NAME
    from khoiapp.dossier.reader import open_dossier
    from khoiapp.services import verify as v

    with open_dossier(path, strict=False) as rd:
        if rd.has(read.SUMMARY_ATTACHMENT) and not rd.has(PAYLOAD_NAME):
            return None, SUMMARY_FOUND, rd.sha256
        report = v._verify(rd, roots, list(_store_crls()))
        return report, rd.check_manifest().payload, rd.sha256


def read_entry_fast(path: Path, roots: list[Any], *, accept_untrusted: bool) -> read.Entry:
    """:func:`read.read_entry` with one parse of the PDF and the compiled schema check."""
    try:
        return _read_entry_fast(path, roots, accept_untrusted=accept_untrusted)
    except (TrustListError, Cancelled):
        raise
    except Exception as exc:  # noqa: BLE001 - one file from outside must not stop the others
        return read.unexpected_failure(path, exc)


def _read_entry_fast(path: Path, roots: list[Any], *, accept_untrusted: bool) -> read.Entry:
    from dataclasses import replace

    from khoiapp.services.importer import upgrade_payload

    try:
        report, raw, sha = verify_and_read(path, roots)
        if raw is SUMMARY_FOUND:
            return read.Entry(base._not_dossier(path, SUMMARY_FOUND))  # the caller reads it, in process
    except KhoiError as exc:
        return read.Entry(base._not_dossier(path, exc.message))
    except (OSError, MemoryError, RecursionError, ValueError):
        return read.Entry(base._not_dossier(path, f"Không đọc được tệp «{path.name}». Hãy đề nghị đơn vị gửi lại hồ sơ."))
    sig = {"signer": report.signer, "signing_time": report.signing_time}
    if raw is None:
        # verification could not decode the payload: say why as the plain path does
        problem = next((p for p in report.problems if "dữ liệu hồ sơ" in p), None)
        return read.Entry(
            base._not_dossier(
                path,
                problem or f"Không đọc được dữ liệu hồ sơ trong tệp «{path.name}». Hãy đề nghị đơn vị gửi lại hồ sơ.",
                verdict=report.verdict,
                **sig,
            )
        )
    try:
        payload = upgrade_payload(raw)
        validate_fast(payload)
    except KhoiError as exc:
        return read.Entry(base._not_dossier(path, exc.message, verdict=report.verdict, **sig))
    row, facts = _row_of(path, report, payload, sha)
    judged = base._judge(row, report.problems, accept_untrusted)
    return read.Entry(replace(judged), facts)


def _row_of(
    path: Path, report: Any, payload: dict[str, Any], sha256: str
) -> tuple[base.SummaryRow, read.DossierFacts]:
    row = base.row_from_payload(path, report, payload)
    return row, read.facts_of(payload, sha256, report.cert_fingerprint)


# --------------------------------------------------------------------------- workers

_worker_roots: list[Any] = []
_worker_accept = False


def _init_worker(trust: list[bytes], use_trust_store: bool, accept_untrusted: bool, memory: int | None) -> None:
    global _worker_roots, _worker_accept
    if memory:
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        except (ImportError, ValueError, OSError):  # Windows has no RLIMIT_AS; the row limit stays
            pass
    from khoiapp.services.verify import _load_trust

    _worker_roots = _load_trust(trust, use_trust_store)
    _worker_accept = accept_untrusted
    _compiled()


def _work(path: str) -> read.Entry:
    return read_entry_fast(Path(path), _worker_roots, accept_untrusted=_worker_accept)


def _crashed(path: Path) -> read.Entry:
    return read.Entry(
        base._not_dossier(
            path,
            f"Tệp «{path.name}» làm tiến trình đọc hồ sơ dừng đột ngột (có thể quá lớn hoặc bị làm hỏng cố ý) nên "
            "không được tính. Hãy đề nghị đơn vị gửi lại hồ sơ.",
        )
    )


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def collect_parallel(
    paths: Iterable[str | os.PathLike[str]],
    *,
    trust: Sequence[str | os.PathLike[str] | bytes] = (),
    accept_untrusted: bool = False,
    use_trust_store: bool = True,
    workers: int | None = None,
    memory: int | None = WORKER_MEMORY_BYTES,
    start_method: str = "spawn",
    progress: Callable[[int, int], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> list[read.Entry]:
    """:func:`read.collect` over ``workers`` processes (default: every core); entries in file order.

    ``workers=1`` reads in this process (same fast path, no memory cap). Workers start with
    ``spawn`` by default, as on Windows, and since forking a process that runs threads (the
    window) is unsafe.

    Raises:
        BadInputError: a path is missing, a folder unreadable or no PDF found.
        TrustListError: a ``trust`` file cannot be read.
        Cancelled: ``is_cancelled`` returned true.
    """
    files = base.require_pdfs(paths)
    trust_bytes = base._read_trust(trust)
    n = workers or default_workers()
    total = len(files)
    results: dict[int, list[read.Entry]] = {}
    if progress:
        progress(0, total)

    def finish(i: int, e: read.Entry) -> None:
        if e.row.status == base.NOT_DOSSIER and e.row.reason == SUMMARY_FOUND:
            results[i] = read.read_summary_pdf(
                files[i], trust_bytes, accept_untrusted=accept_untrusted, use_trust_store=use_trust_store
            )
        else:
            results[i] = [e]
        if progress:
            progress(len(results), total)

    def in_process(indexes: list[int]) -> list[read.Entry]:
        from khoiapp.services.verify import _load_trust

        roots = _load_trust(trust_bytes, use_trust_store)
        for i in indexes:
            if is_cancelled and is_cancelled():
                raise Cancelled()
            finish(i, read_entry_fast(files[i], roots, accept_untrusted=accept_untrusted))
        return [e for i in range(total) for e in results[i]]

    if n <= 1 or total == 1:
        return in_process(list(range(total)))

    import multiprocessing

    ctx = multiprocessing.get_context(start_method)
    read_by_workers = 0
    tries: dict[int, int] = {}
    todo = list(range(total))
    while todo:
        with ProcessPoolExecutor(
            max_workers=min(n, len(todo)),
            mp_context=ctx,
            initializer=_init_worker,
            initargs=(trust_bytes, use_trust_store, accept_untrusted, memory),
        ) as pool:
            running: dict[Future[read.Entry], int] = {}
            queue = list(todo)
            todo = []
            broken = False
            while queue or running:
                if is_cancelled and is_cancelled():
                    for fut in running:
                        fut.cancel()
                    pool.shutdown(wait=True, cancel_futures=True)
                    raise Cancelled()
                while queue and len(running) < 2 * n and not broken:
                    i = queue.pop(0)
                    running[pool.submit(_work, str(files[i]))] = i
                done, _ = wait(running, timeout=0.2, return_when=FIRST_COMPLETED)
                for fut in done:
                    i = running.pop(fut)
                    try:
                        finish(i, fut.result())
                        read_by_workers += 1
                    except BrokenProcessPool:
                        broken = True
                        tries[i] = tries.get(i, 0) + 1
                        if tries[i] >= 2:
                            finish(i, _crashed(files[i]))
                        else:
                            todo.append(i)
                if broken:
                    # every file in flight failed with the pool; retry them (alone next time) in a new pool
                    for fut, i in running.items():
                        tries[i] = tries.get(i, 0) + 1
                        todo.append(i)
                    running.clear()
                    todo.extend(queue)
                    queue = []
        if todo and not read_by_workers and not _workers_start(ctx):
            log.warning("worker processes cannot start; reading the dossiers in this process")
            return in_process([i for i in range(total) if i not in results])
        if todo and any(tries.get(i, 0) for i in todo):
            # after a crash, read the suspects one per pool so the culprit is found and only it fails
            suspects = [i for i in todo if tries.get(i, 0)]
            for i in suspects:
                finish(i, _one_isolated(files[i], trust_bytes, use_trust_store, accept_untrusted, memory, ctx))
            todo = [i for i in todo if i not in results]
    return [e for i in range(total) for e in results[i]]


def _probe() -> bool:
    return True


def _workers_start(ctx: Any) -> bool:
    """Whether a worker process starts here at all (an embedded or odd interpreter may not)."""
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool:
            return bool(pool.submit(_probe).result(timeout=120))
    except Exception:  # noqa: BLE001 - any failure means: no workers
        return False


def _one_isolated(
    path: Path, trust: list[bytes], use_trust_store: bool, accept: bool, memory: int | None, ctx: Any
) -> read.Entry:
    try:
        with ProcessPoolExecutor(
            max_workers=1, mp_context=ctx, initializer=_init_worker, initargs=(trust, use_trust_store, accept, memory)
        ) as pool:
            return pool.submit(_work, str(path)).result()
    except BrokenProcessPool:
        return _crashed(path)
