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
    return f"{n / (1024 * 1024):.1f} MB".replace(".", ",")


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
    def __init__(self, locked: bool = False) -> None:
        if locked:
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
