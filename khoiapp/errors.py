"""Errors the core raises, each with one Vietnamese message for the user."""

from __future__ import annotations


class KhoiError(Exception):
    """A problem the user can act on. ``message`` is Vietnamese: what happened, what to do.

    The CLI maps these to exit status 2 (bad input) unless ``exit_code`` says otherwise.
    """

    exit_code = 2

    def __init__(self, message: str, *, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return self.message


class Cancelled(Exception):
    """The user cancelled a long operation; shows nothing."""


class BadInputError(KhoiError):
    """The user's input (a value, a name, an option) is not acceptable."""


class DocumentNotFoundError(KhoiError):
    """The document file does not exist."""

    def __init__(self, path: object) -> None:
        super().__init__(
            f"Không tìm thấy tệp hồ sơ «{path}». Hãy kiểm tra lại đường dẫn "
            "hoặc tạo tài liệu mới bằng lệnh «new»."
        )


class NotADocumentError(KhoiError):
    """The file exists but is not a Khối document, or it is damaged."""

    def __init__(self, path: object, reason: str = "") -> None:
        extra = f" ({reason})" if reason else ""
        super().__init__(
            f"Tệp «{path}» không phải tài liệu Khối (.khoi) hoặc đã bị hỏng{extra}. "
            "Hãy chọn đúng tệp .khoi, hoặc khôi phục từ bản sao lưu."
        )


class DocumentSchemaError(NotADocumentError):
    """The file holds triggers, views or tables the app never creates: refused before any write."""

    def __init__(self, path: object, found: str, backup: object = None) -> None:
        self.found = found
        kept = (
            "tệp không bị thay đổi" if backup is None
            else f"bản của tệp trước khi nâng cấp định dạng được giữ ở «{backup}»"
        )
        KhoiError.__init__(
            self,
            f"Tệp «{path}» chứa thành phần mà Khối không bao giờ tạo ra ({found}): tệp không phải do Khối "
            f"tạo, hoặc đã bị sửa bằng công cụ khác. Để bảo vệ dữ liệu, Khối không mở tệp này; {kept}. "
            "Hãy mở bản sao lưu của tài liệu, hoặc xin lại tệp gốc từ người gửi.",
        )


class DocumentTooNewError(KhoiError):
    """The document was written by a newer version of the app."""

    def __init__(self, path: object) -> None:
        super().__init__(
            f"Tài liệu «{path}» được tạo bằng phiên bản Khối mới hơn phiên bản đang dùng. "
            "Hãy cập nhật Khối lên phiên bản mới nhất rồi mở lại; tài liệu không bị thay đổi."
        )


class DocumentReadOnlyError(KhoiError):
    """The document can only be read (read-only media, or open elsewhere)."""

    def __init__(self, path: object, reason: str = "") -> None:
        why = reason or "tệp chỉ cho phép đọc"
        super().__init__(
            f"Không ghi được vào tài liệu «{path}» vì {why}. "
            "Hãy chép tài liệu vào một thư mục có quyền ghi (ví dụ thư mục Tài liệu) rồi mở lại."
        )


class DocumentBusyError(KhoiError):
    """SQLite stayed busy past the timeout: another program is writing the file right now."""

    def __init__(self, path: object) -> None:
        super().__init__(
            f"Tài liệu «{path}» đang bận vì một chương trình khác đang ghi vào tệp. "
            "Hãy chờ một lát rồi thử lại; chưa có thay đổi nào bị mất."
        )


class DocumentMovedError(KhoiError):
    """The open document's file was deleted, renamed or moved away while it was open."""

    def __init__(self, path: object) -> None:
        self.path = path
        super().__init__(
            f"Tài liệu «{path}» đã bị xóa, đổi tên hoặc chuyển đi nơi khác trong lúc đang mở, nên Khối không "
            "ghi được thay đổi vừa rồi vào tệp (thay đổi này chưa được lưu). Hãy đóng tài liệu rồi mở lại tệp "
            "ở vị trí mới của nó, hoặc khôi phục từ bản sao lưu."
        )


class DocumentExistsError(KhoiError):
    """Refusing to overwrite an existing document."""

    def __init__(self, path: object) -> None:
        super().__init__(
            f"Tệp «{path}» đã tồn tại. Hãy chọn tên khác; Khối không ghi đè lên tài liệu có sẵn."
        )


class FrameworkError(KhoiError):
    """A criteria framework file has a mistake."""

    def __init__(self, source: str, where: str, problem: str) -> None:
        self.source = source
        self.where = where
        self.problem = problem
        loc = f", {where}" if where else ""
        super().__init__(
            f"Tệp bộ tiêu chí «{source}»{loc}: {problem}. "
            "Hãy sửa tệp rồi thử lại, hoặc dùng bộ tiêu chí có sẵn của Khối."
        )


class UnknownFrameworkError(KhoiError):
    def __init__(self, key: str, known: list[str]) -> None:
        super().__init__(
            f"Không có bộ tiêu chí «{key}». Các bộ tiêu chí có sẵn: {', '.join(known)}. "
            "Xem danh sách bằng lệnh «frameworks»."
        )


class PeriodNotFoundError(KhoiError):
    def __init__(self, year: int, known: list[str]) -> None:
        have = ", ".join(known) if known else "chưa có năm nào"
        super().__init__(
            f"Tài liệu chưa có kỳ đánh giá năm {year} (đang có: {have}). "
            "Hãy chọn đúng năm, hoặc tạo kỳ đánh giá mới."
        )


class UnknownCriterionError(KhoiError):
    def __init__(self, code: str) -> None:
        super().__init__(
            f"Không có tiêu chí mã «{code}» trong bộ tiêu chí của kỳ này. "
            "Hãy xem danh sách mã tiêu chí bằng lệnh «info --json»."
        )


class ValueOutOfRangeError(KhoiError):
    pass


class EvidenceFileError(KhoiError):
    """A file to attach is missing, unreadable, too large or of an unsupported type."""


class EvidenceTooLargeError(EvidenceFileError):
    def __init__(self, path: object, size: int, limit: int) -> None:
        self.size = size
        self.limit = limit
        super().__init__(
            f"Tệp «{path}» có dung lượng {_mb(size)}, vượt giới hạn {_mb(limit)} cho một minh chứng. "
            "Hãy nén hoặc chia nhỏ tệp (ví dụ quét lại ở độ phân giải thấp hơn), "
            "hoặc tăng giới hạn trong phần Cài đặt."
        )


class DiskFullError(KhoiError):
    def __init__(self) -> None:
        super().__init__(
            "Ổ đĩa đã đầy nên chưa lưu được. Hãy giải phóng dung lượng rồi thử lại; "
            "dữ liệu trước đó vẫn còn nguyên."
        )


class OutputPathError(KhoiError):
    """The destination of an export cannot be written."""


class DossierError(KhoiError):
    """A dossier PDF cannot be read or is not acceptable."""


class SigningError(KhoiError):
    """Signing failed for a reason the user can act on."""


class CertificatePasswordError(SigningError):
    def __init__(self) -> None:
        super().__init__(
            "Mật khẩu tệp chứng thư số không đúng. Hãy nhập lại mật khẩu; "
            "chưa có tệp nào được ghi."
        )


class CheckFailedError(KhoiError):
    """A check ran and did not pass (exit status 1)."""

    exit_code = 1


def _mb(n: int) -> str:
    from khoiapp.textformat import format_size

    return format_size(n)


# --- signing, certificates, trust list --------------------------------------------------


class CertificateFileError(SigningError):
    """A certificate or .p12/.pfx file is missing, unreadable or of the wrong kind."""


class CertificateRejectedError(SigningError):
    """The signer's certificate cannot be used: expired, not yet valid, wrong key usage, weak key."""


class TokenError(SigningError):
    """A PKCS#11 token (USB token) problem."""


class TokenLibraryError(TokenError):
    def __init__(self, lib_path: object, reason: str = "") -> None:
        why = f" ({reason})" if reason else ""
        super().__init__(
            f"Không nạp được thư viện PKCS#11 «{lib_path}»{why}. Hãy cài trình điều khiển (driver) "
            "của USB token do nhà cung cấp chứng thư số phát hành, rồi chọn đúng tệp thư viện "
            "(ví dụ tệp .dll trên Windows, .so trên Linux). Chưa có tệp nào được ghi."
        )


class TokenNotFoundError(TokenError):
    def __init__(self, token_label: str, present: list[str]) -> None:
        have = (
            "Các token đang cắm: " + ", ".join(f"«{p}»" for p in present) + "."
            if present
            else "Không thấy token nào đang cắm."
        )
        super().__init__(
            f"Không tìm thấy USB token có nhãn «{token_label}». {have} "
            "Hãy cắm token, kiểm tra nhãn token rồi thử lại. Chưa có tệp nào được ghi."
        )


class TokenPinError(TokenError):
    def __init__(self, locked: bool = False, *, final_try: bool = False, count_low: bool = False) -> None:
        if final_try and not locked:
            msg = (
                "Mã PIN của USB token không đúng. Token báo chỉ còn MỘT lần thử: nhập sai lần nữa token sẽ bị "
                "khóa. Hãy kiểm tra kỹ mã PIN (hoặc hỏi người quản lý token) trước khi thử lại. "
                "Chưa có tệp nào được ghi."
            )
        elif count_low and not locked:
            msg = (
                "Mã PIN của USB token không đúng. Token báo số lần thử còn lại đã ít; nhập sai thêm sẽ khóa "
                "token. Hãy kiểm tra kỹ mã PIN rồi thử lại. Chưa có tệp nào được ghi."
            )
        elif locked:
            msg = (
                "USB token đã bị khóa do nhập sai mã PIN quá số lần cho phép. Hãy liên hệ nhà cung cấp "
                "chứng thư số để mở khóa token. Chưa có tệp nào được ghi."
            )
        else:
            msg = (
                "Mã PIN của USB token không đúng. Hãy nhập lại; lưu ý nhập sai nhiều lần liên tiếp "
                "(thường là 3 lần) sẽ khóa token. Chưa có tệp nào được ghi."
            )
        super().__init__(msg)


class TokenKeyNotFoundError(TokenError):
    def __init__(self, key_label: str, token_label: str, present: list[str]) -> None:
        have = (
            " Các nhãn có trên token: " + ", ".join(f"«{p}»" for p in present) + "."
            if present
            else ""
        )
        super().__init__(
            f"Không tìm thấy khóa ký và chứng thư số có nhãn «{key_label}» trên token "
            f"«{token_label}».{have} Hãy chọn đúng nhãn khóa rồi thử lại. Chưa có tệp nào được ghi."
        )


class TimestampError(SigningError):
    def __init__(self, url: str, reason: str = "") -> None:
        why = f" ({reason})" if reason else ""
        super().__init__(
            f"Không lấy được dấu thời gian từ máy chủ «{url}»{why}. Hãy kiểm tra kết nối mạng và "
            "địa chỉ máy chủ dấu thời gian, hoặc ký không kèm dấu thời gian. Chưa có tệp nào được ghi."
        )


class TrustListError(KhoiError):
    """A certificate cannot be added to or removed from the app's trust list."""


# --- dossier export ----------------------------------------------------------------------


class ExportRefusedError(KhoiError):
    """The preflight found things to complete; export refused unless it is a draft (exit 1)."""

    exit_code = 1

    def __init__(self, items: list[str]) -> None:
        self.items = list(items)
        shown = "\n".join(f"  - {m}" for m in self.items[:30])
        more = f"\n  … và {len(self.items) - 30} mục khác." if len(self.items) > 30 else ""
        super().__init__(
            f"Chưa xuất được hồ sơ vì còn {len(self.items)} mục chưa hoàn thành:\n{shown}{more}\n"
            "Hãy hoàn thành các mục trên rồi xuất lại, hoặc xuất bản nháp (--draft, có dấu «BẢN NHÁP» "
            "trên mọi trang)."
        )


class ExportCheckError(KhoiError):
    """The written dossier failed its self-check; nothing was left at the destination (exit 1)."""

    exit_code = 1


# --- dossier import -----------------------------------------------------------------------


class DossierTooNewError(DossierError):
    """The dossier's payload is of a newer format version than this app reads."""

    def __init__(self, schema: str) -> None:
        self.schema = schema
        super().__init__(
            f"Hồ sơ được tạo bằng phiên bản Khối mới hơn (dữ liệu định dạng «{schema}») nên phiên bản "
            "đang dùng chưa đọc được. Hãy cập nhật Khối lên phiên bản mới nhất rồi nhập lại; "
            "tài liệu chưa bị thay đổi."
        )


class UnsafeNameError(DossierError):
    """A file or evidence name in a dossier holds a path part or control characters."""

    def __init__(self, name: str, what: str = "tệp đính kèm") -> None:
        self.name = name
        shown = name.encode("unicode_escape").decode("ascii")[:120]
        super().__init__(
            f"Hồ sơ có {what} mang tên không an toàn «{shown}» (chứa đường dẫn thư mục, ổ đĩa hoặc "
            "ký tự điều khiển). Hồ sơ có thể đã bị làm giả; Khối không nhập hồ sơ này. "
            "Hãy xin lại bản hồ sơ gốc từ đơn vị."
        )


class DossierLimitError(DossierError):
    """A dossier goes over a size, count or nesting limit of the format."""


class DossierUnverifiedError(CheckFailedError):
    """The dossier's signature is missing, broken or not trusted; import refused (exit 1)."""

    def __init__(self, verdict: str, problems: list[str] | tuple[str, ...]) -> None:
        self.verdict = verdict
        self.problems = tuple(problems)
        head = {
            "unsigned": "Hồ sơ chưa được ký số nên không xác minh được nguồn gốc.",
            "untrusted": "Chữ ký số của hồ sơ còn nguyên vẹn nhưng chứng thư của người ký chưa được tin cậy.",
            "foreign": "Chữ ký số của hồ sơ còn nguyên vẹn nhưng không phải của đơn vị trong hồ sơ.",
        }.get(verdict, "Hồ sơ không qua được kiểm tra chữ ký số (có thể đã bị sửa sau khi ký).")
        why = "" if verdict == "unsigned" else " ".join(self.problems[:5]) + " "
        super().__init__(
            f"{head} {why}Khối chưa nhập hồ sơ; tài liệu chưa bị thay đổi. Hãy xin lại bản hồ sơ đã ký "
            "từ đơn vị, hoặc thêm chứng thư của đơn vị vào danh sách tin cậy; nếu vẫn muốn nhập, "
            "hãy chọn «nhập hồ sơ chưa xác minh» (--accept-unverified) — kỳ đánh giá mới sẽ ghi rõ "
            "dữ liệu lấy từ hồ sơ chưa xác minh."
        )


class AlreadyImportedError(BadInputError):
    """The same dossier was already rolled forward into this year of the document."""

    def __init__(self, year: int, when: str) -> None:
        self.year = year
        super().__init__(
            f"Hồ sơ này đã được nhập vào kỳ đánh giá năm {year} của tài liệu (lúc {when}). "
            "Khối không nhập lại lần nữa để tránh trùng dữ liệu; hãy mở kỳ năm đó để tiếp tục, "
            "hoặc chọn năm khác."
        )


# --- document locking and crash recovery --------------------------------------------------


class DocumentLockedError(DocumentReadOnlyError):
    """Another window (or another computer) has the document open for writing."""

    def __init__(self, path: object, reason: str = "", *, lock_file: object | None = None) -> None:
        self.path = path
        self.reason = reason or "tài liệu đang được mở ở cửa sổ khác"
        self.lock_file = lock_file
        hint = (
            f" Nếu chắc chắn không còn nơi nào mở tài liệu (ví dụ máy kia đã tắt), hãy xóa tệp "
            f"«{lock_file}» rồi mở lại."
            if lock_file
            else ""
        )
        KhoiError.__init__(
            self,
            f"Không ghi được vào tài liệu «{path}» vì {self.reason}. "
            "Hãy đóng tài liệu ở cửa sổ kia rồi mở lại để sửa; trong lúc này chỉ xem được." + hint,
        )


class DocumentRecoveryError(KhoiError):
    """A write was cut off (crash, power cut) and the file cannot be repaired where it is."""

    def __init__(self, path: object, journal: object) -> None:
        super().__init__(
            f"Tài liệu «{path}» còn dở một lần lưu bị ngắt giữa chừng (máy tắt đột ngột hoặc chương trình "
            f"bị dừng) nhưng thư mục chỉ cho phép đọc nên Khối chưa khôi phục được. Hãy chép cả hai tệp "
            f"«{path}» và «{journal}» vào một thư mục có quyền ghi rồi mở tài liệu ở đó; "
            "Khối sẽ tự đưa tài liệu về lần lưu trọn vẹn gần nhất."
        )


class DossierLayoutError(KhoiError):
    """A piece of content cannot be laid out on A4 pages."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "Không dàn trang được hồ sơ vì có một nội dung quá dài hoặc quá lớn để đặt vừa trang A4. "
            "Hãy rút gọn đoạn văn dài nhất (hoặc chia bớt minh chứng) rồi xuất lại; tài liệu không bị thay đổi.",
            detail=detail,
        )


class ResourcesMissingError(KhoiError):
    """The installation lacks a file it ships (a broken copy or an incomplete build)."""

    exit_code = 1

    def __init__(self, what: object) -> None:
        super().__init__(
            f"Bộ cài Khối bị thiếu tệp «{what}» nên chưa chạy được. Hãy cài lại Khối từ bộ cài gốc "
            "(hoặc chép lại nguyên thư mục chương trình); tài liệu của đơn vị không bị ảnh hưởng."
        )


class UnitListError(BadInputError):
    """The bloc's unit list (CSV or XLSX) cannot be used as it is; the message names the row."""
