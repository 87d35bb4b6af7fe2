"""A realistic, fully filled demo document (for trying the app, screenshots and benchmarks)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from khoiapp import frameworks as fwlib
from khoiapp.db import Document
from khoiapp.paths import resources_dir
from khoiapp.services import content, criteria, document, evidence

UNIT = {
    "name": "Trung tâm Dịch vụ Văn hóa tỉnh Thanh Hóa",
    "short_name": "TTDVVH",
    "parent_org": "Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh Thanh Hóa",
    "superior_union": "Công đoàn Viên chức tỉnh Thanh Hóa",
    "union_name": "Công đoàn Trung tâm Dịch vụ Văn hóa tỉnh Thanh Hóa",
    "address": "Số 12 đường Lê Lợi, phường Hạc Thành, tỉnh Thanh Hóa",
    "place_name": "Thanh Hóa",
    "head_name": "Lê Thị Thu Hương",
    "head_title": "Giám đốc",
    "party_secretary": "Nguyễn Đức Thắng",
    "union_chair": "Trịnh Văn Quyết",
    "staff_count": "48",
    "party_member_count": "21",
    "phone": "0237 3852 468",
    "email": "ttdvvh@thanhhoa.gov.vn",
}

NARRATIVE = {
    "current_state": (
        "Trong năm {y}, {short} triển khai đầy đủ nội dung tiêu chí «{title}»; kết quả được "
        "tổng hợp từ sổ theo dõi và các văn bản lưu tại văn thư cơ quan."
    ),
    "strengths": "Cán bộ, viên chức, người lao động đồng thuận, thực hiện nghiêm túc; có phân công theo dõi rõ ràng.",
    "weaknesses": "Việc cập nhật minh chứng trong năm có lúc chưa kịp thời.",
    "improvement_plan": "Giao tổ công đoàn theo dõi, cập nhật minh chứng hằng quý; rà soát kết quả vào tháng 6 và tháng 11.",
}

CONVENTION = [
    ("Những quy định chung", [
        ("Phạm vi, đối tượng áp dụng", "Quy ước này áp dụng đối với toàn thể cán bộ, viên chức, người lao động của Trung tâm."),
        ("Mục đích", "Xây dựng nếp sống văn minh, môi trường văn hóa công sở; góp phần hoàn thành tốt nhiệm vụ chính trị được giao."),
    ]),
    ("Nội dung quy ước", [
        ("Thực hiện nhiệm vụ", "Chấp hành nghiêm chủ trương của Đảng, chính sách, pháp luật của Nhà nước; hoàn thành kế hoạch công tác năm."),
        ("Kỷ luật lao động, giờ giấc làm việc", "Đi làm đúng giờ; không làm việc riêng, không uống rượu, bia trong giờ làm việc."),
        ("Trang phục, giao tiếp", "Trang phục gọn gàng, lịch sự; đeo thẻ viên chức; giao tiếp văn minh, lắng nghe, tôn trọng."),
        ("Môi trường xanh – sạch – đẹp", "Giữ gìn vệ sinh nơi làm việc; trồng và chăm sóc cây xanh; phân loại rác thải."),
        ("Việc cưới, việc tang, lễ hội", "Thực hiện nếp sống văn minh, tiết kiệm trong việc cưới, việc tang và lễ hội."),
    ]),
    ("Khen thưởng và xử lý vi phạm", [
        ("Khen thưởng", "Tập thể, cá nhân thực hiện tốt Quy ước được xem xét biểu dương, khen thưởng hằng năm."),
        ("Xử lý vi phạm", "Người vi phạm tùy mức độ bị nhắc nhở, phê bình hoặc xem xét trong đánh giá, xếp loại cuối năm."),
    ]),
    ("Tổ chức thực hiện", [
        ("Hiệu lực", "Quy ước được Hội nghị viên chức, người lao động thông qua và có hiệu lực từ ngày ký ban hành."),
    ]),
]

CONDUCT = [
    ("cap-tren", "Tôn trọng, chấp hành sự chỉ đạo, điều hành của cấp trên; báo cáo trung thực, kịp thời."),
    ("dong-nghiep", "Chân thành, hợp tác, giúp đỡ lẫn nhau; không gây mất đoàn kết nội bộ."),
    ("cap-duoi", "Lắng nghe, tôn trọng ý kiến; gương mẫu, công tâm trong phân công và đánh giá."),
    ("nhan-dan", "Tận tụy, niềm nở khi phục vụ nhân dân, tổ chức; không gây phiền hà, sách nhiễu."),
    ("noi-lam-viec", "Trang phục lịch sự, đeo thẻ; giữ trật tự trong phòng làm việc và cuộc họp."),
    ("noi-cong-cong", "Chấp hành quy định nơi công cộng; giữ gìn vệ sinh, bảo vệ cảnh quan môi trường."),
    ("gia-dinh", "Xây dựng gia đình văn hóa, hòa thuận; gương mẫu thực hiện quy định nơi cư trú."),
]


def _font_path() -> Path:
    return resources_dir() / "fonts" / "LiberationSerif-Regular.ttf"


def _demo_pdf(title: str, lines: list[str], number: str) -> bytes:
    """A one-page scanned-document look-alike, with Vietnamese text."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "KhoiDemoSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("KhoiDemoSerif", str(_font_path())))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, initialFontName="KhoiDemoSerif")
    w, h = A4
    c.setFont("KhoiDemoSerif", 12)
    c.drawCentredString(w * 0.27, h - 60, "TRUNG TÂM DỊCH VỤ VĂN HÓA")
    c.drawCentredString(w * 0.27, h - 76, f"Số: {number}")
    c.drawCentredString(w * 0.7, h - 60, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    c.drawCentredString(w * 0.7, h - 76, "Độc lập - Tự do - Hạnh phúc")
    c.setFont("KhoiDemoSerif", 15)
    c.drawCentredString(w / 2, h - 130, title)
    c.setFont("KhoiDemoSerif", 13)
    y = h - 170
    for line in lines:
        c.drawString(85, y, line)
        y -= 22
    c.showPage()
    c.save()
    return buf.getvalue()


def _demo_png(caption: str, colour: tuple[int, int, int]) -> bytes:
    """A photo-like picture (a board with a slogan), small enough for a demo."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGB", (960, 640), (235, 230, 220))
    d = ImageDraw.Draw(img)
    d.rectangle((60, 80, 900, 460), fill=colour, outline=(90, 40, 20), width=12)
    for i in range(0, 960, 40):
        d.line((i, 500, i + 80, 640), fill=(180, 170, 150), width=3)
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont
    small: ImageFont.FreeTypeFont | ImageFont.ImageFont
    try:
        font = ImageFont.truetype(str(_font_path()), 40)
        small = ImageFont.truetype(str(_font_path()), 28)
    except OSError:
        font = small = ImageFont.load_default()
    words = caption.split()
    lines, cur = [], ""
    for wd in words:
        if len(cur) + len(wd) > 32:
            lines.append(cur)
            cur = wd
        else:
            cur = (cur + " " + wd).strip()
    lines.append(cur)
    y = 130
    for line in lines[:5]:
        d.text((480, y), line, fill=(255, 240, 120), font=font, anchor="ma")
        y += 62
    d.text((480, 580), "Ảnh chụp minh chứng", fill=(60, 60, 60), font=small, anchor="ma")
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _value_for(c: fwlib.Criterion) -> tuple[str | None, float | None]:
    if c.kind == fwlib.CriterionKind.YESNO:
        return "dat", None
    if c.kind == fwlib.CriterionKind.PERCENT:
        return None, min(100.0, (c.threshold or 0) + 6)
    if c.kind == fwlib.CriterionKind.COUNT:
        return None, float(int(c.threshold or 0) + 2)
    return None, float(c.max_points or 0)


def build_demo(path: str | Path, *, year: int | None = None) -> Path:
    """Create a filled demo document at ``path`` (refuses to overwrite)."""
    year = year or dt.date.today().year
    path = Path(path)
    doc = document.new_document(
        path, unit_name=UNIT["name"], unit_type="don-vi", year=year, target_model=True, place_name="Thanh Hóa"
    )
    try:
        _fill(doc, year)
    except BaseException:
        doc.close()
        path.unlink(missing_ok=True)
        raise
    doc.close()
    return path


def _fill(doc: Document, year: int) -> None:
    document.update_unit(doc, **{k: v for k, v in UNIT.items() if k != "name"})
    document.update_period(
        doc,
        year,
        registered_on=dt.date(year, 1, 15),
        registration_number="01/ĐK-CĐ",  # as the registration filed as evidence says
        report_number=1,
        report_symbol="BC-CĐ",
        situation=(
            f"{UNIT['name']} là đơn vị sự nghiệp công lập trực thuộc Sở Văn hóa, Thể thao và Du lịch, "
            f"có {UNIT['staff_count']} viên chức, người lao động, {UNIT['party_member_count']} đảng viên. "
            f"Ngày 15/01/{year}, Công đoàn Trung tâm đăng ký xây dựng đơn vị đạt chuẩn văn hóa và kiểu mẫu; "
            "Ban Chỉ đạo được kiện toàn, phân công nhiệm vụ cụ thể cho từng thành viên."
        ),
        proposals=(
            "Đề nghị Công đoàn Viên chức tỉnh xem xét, công nhận Trung tâm đạt chuẩn văn hóa; "
            "tiếp tục hướng dẫn các tiêu chí kiểu mẫu cho năm sau."
        ),
        recipients="Công đoàn Viên chức tỉnh;\nĐảng ủy Khối Cơ quan và Doanh nghiệp tỉnh;\nGiám đốc Trung tâm;\nLưu: VT, CĐ.",
    )
    cl = criteria.checklist(doc, year)
    for cv in cl.criteria:
        fw = fwlib.bundled_framework(cv.framework_key)
        c = fw.criterion(cv.code)
        assert c is not None
        word, value = _value_for(c)
        status, _ = criteria.parse_value_text(word) if word else (None, None)
        short = UNIT["short_name"]
        criteria.set_result(
            doc,
            year,
            cv.code,
            status=status,
            value=value,
            narrative={k: v.format(y=year, short=short, title=cv.title) for k, v in NARRATIVE.items()},
        )
    _attach_evidence(doc, year, cl)
    _fill_content(doc, year)


def _attach_evidence(doc: Document, year: int, cl: criteria.Checklist) -> None:
    files: list[tuple[str, bytes, str, str, str]] = [
        ("QD-thanh-lap-BCD.pdf", _demo_pdf("QUYẾT ĐỊNH", [
            "Về việc kiện toàn Ban Chỉ đạo xây dựng đơn vị đạt chuẩn văn hóa,",
            f"kiểu mẫu năm {year}.", "", "Điều 1. Kiện toàn Ban Chỉ đạo gồm các ông (bà) có tên sau …",
            "Điều 2. Ban Chỉ đạo có nhiệm vụ tham mưu, tổ chức thực hiện …"], f"05/QĐ-TTDVVH"),
         "Quyết định kiện toàn Ban Chỉ đạo", "05/QĐ-TTDVVH", "Trung tâm Dịch vụ Văn hóa"),
        ("Ban-dang-ky.pdf", _demo_pdf("BẢN ĐĂNG KÝ", [
            f"Xây dựng đơn vị đạt chuẩn văn hóa năm {year}.", "",
            "Công đoàn Trung tâm đăng ký phấn đấu đạt danh hiệu đơn vị đạt chuẩn văn hóa",
            "và thực hiện các tiêu chí kiểu mẫu theo hướng dẫn của Đảng ủy Khối."], "01/ĐK-CĐ"),
         "Bản đăng ký xây dựng đơn vị đạt chuẩn văn hóa", "01/ĐK-CĐ", "Công đoàn Trung tâm"),
        ("Bien-ban-hoi-nghi-VC.pdf", _demo_pdf("BIÊN BẢN", [
            f"Hội nghị viên chức, người lao động năm {year}.", "",
            "Hội nghị thông qua Quy ước xây dựng đơn vị văn hóa với 100% đại biểu tán thành.",
            "Hội nghị thông qua Bộ quy tắc ứng xử của Trung tâm."], "02/BB-HNVC"),
         "Biên bản Hội nghị viên chức, người lao động", "02/BB-HNVC", "Trung tâm Dịch vụ Văn hóa"),
        ("Ke-hoach-hoc-tap-lam-theo-Bac.pdf", _demo_pdf("KẾ HOẠCH", [
            f"Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh năm {year}.", "",
            "Mỗi đảng viên đăng ký ít nhất 02 việc làm theo; chi bộ sơ kết 6 tháng và cuối năm."], "03/KH-CB"),
         "Kế hoạch học tập và làm theo Bác", "03/KH-CB", "Chi bộ Trung tâm"),
        ("Bao-cao-chuyen-doi-so.pdf", _demo_pdf("BÁO CÁO", [
            f"Kết quả chuyển đổi số năm {year}.", "",
            "100% văn bản đi, đến được xử lý trên Hệ thống quản lý văn bản và điều hành;",
            "97% hồ sơ được ký số."], "12/BC-TTDVVH"),
         "Báo cáo kết quả chuyển đổi số", "12/BC-TTDVVH", "Trung tâm Dịch vụ Văn hóa"),
        ("QD-khen-thuong.pdf", _demo_pdf("QUYẾT ĐỊNH", [
            "Về việc tặng Giấy khen cho tập thể có thành tích xuất sắc", "trong học tập và làm theo Bác."], "214/QĐ-ĐUK"),
         "Quyết định tặng Giấy khen của Ban Thường vụ Đảng ủy Khối", "214/QĐ-ĐUK", "Đảng ủy Khối CQ&DN tỉnh"),
        ("Anh-bang-chuan-muc-dao-duc.png", _demo_png("Chuẩn mực đạo đức của cán bộ, viên chức, người lao động", (150, 30, 30)),
         "Ảnh bảng chuẩn mực đạo đức niêm yết tại hội trường", "", ""),
        ("Anh-khau-hieu.png", _demo_png("Tỉnh Thanh Hoá phải trở nên một tỉnh kiểu mẫu", (170, 20, 20)),
         "Ảnh khẩu hiệu tại phòng họp", "", ""),
        ("Anh-quy-tac-ung-xu.png", _demo_png("Bộ quy tắc ứng xử của Trung tâm Dịch vụ Văn hóa", (20, 70, 140)),
         "Ảnh Bộ quy tắc ứng xử niêm yết", "", ""),
        ("Anh-khuon-vien-xanh.png", _demo_png("Cơ quan xanh – sạch – đẹp", (30, 110, 50)),
         "Ảnh khuôn viên cơ quan xanh – sạch – đẹp", "", ""),
        ("Anh-hoi-thao.png", _demo_png("Hội thao chào mừng ngày thành lập Công đoàn Việt Nam", (120, 60, 140)),
         "Ảnh hội thao văn hóa, thể thao", "", ""),
        ("Anh-hoi-nghi-tuyen-truyen.png", _demo_png("Hội nghị tuyên truyền phổ biến pháp luật", (40, 90, 120)),
         "Ảnh hội nghị tuyên truyền phổ biến pháp luật", "", ""),
    ]
    ranked: list[list[tuple[int, int, str]]] = [[] for _ in files]
    for n, cv in enumerate(cl.criteria):
        for rank, i in enumerate(_best_files(cv, len(files), max(1, cv.min_evidence))):
            ranked[i].append((rank, n, cv.code))
    # A file is numbered after the criterion it fits best (MC-<code>-NN), then linked to the rest.
    buckets = [[code for _r, _n, code in sorted(b)] for b in ranked]
    # Dated as the rest of the demo says: the steering committee before the registration (15/01),
    # the staff conference that adopted the Quy ước on 20/01, the award decision of 19/05.
    dates = {"QD-thanh-lap-BCD.pdf": dt.date(year, 1, 8), "Ban-dang-ky.pdf": dt.date(year, 1, 15),
             "Bien-ban-hoi-nghi-VC.pdf": dt.date(year, 1, 20), "QD-khen-thuong.pdf": dt.date(year, 5, 19)}
    for i, ((name, data, title, number, issuer), codes) in enumerate(zip(files, buckets)):
        first, rest = (codes[0], codes[1:]) if codes else (None, [])
        res = evidence.add_evidence_bytes(
            doc, year, data, name, criteria=(first,) if first else (), title=title, doc_number=number,
            issuer=issuer, issued_on=dates.get(name, dt.date(year, 1 + i % 11, 5 + i)),
        )
        for code in dict.fromkeys(rest):
            evidence.link(doc, res.evidence.id, code)


# Which generated file fits which criterion: words of the criterion → index in the file list of
# _attach_evidence. The report of the staff conference (2) is the fallback: it records most things.
_EVIDENCE_WORDS: tuple[tuple[tuple[str, ...], int], ...] = (
    (("ban chỉ đạo", "kế hoạch thực hiện", "phân công", "hoàn thành kế hoạch"), 0),
    (("đăng ký", "số năm liên tục"), 1),
    (("quy ước", "hội nghị cán bộ", "dân chủ", "công khai"), 2),
    (("làm theo", "bác", "tư tưởng", "cam kết", "tu dưỡng", "học tập", "bồi dưỡng"), 3),
    (("chuyển đổi số", "phần mềm", "trực tuyến", "sáng kiến", "phục vụ"), 4),
    (("khen", "thi đua", "lao động tiên tiến", "điển hình"), 5),
    (("chuẩn mực đạo đức", "nêu gương", "đạo đức", "chức trách"), 6),
    (("khẩu hiệu", "kiểu mẫu", "niêm yết"), 7),
    (("quy tắc ứng xử", "văn hóa công sở", "nếp sống", "cưới", "tang", "lễ hội"), 8),
    (("xanh", "cảnh quan", "môi trường", "an toàn"), 9),
    (("văn nghệ", "thể thao", "thể dục"), 10),
    (("tuyên truyền", "pháp luật", "quán triệt", "tham nhũng", "vi phạm"), 11),
)


def _best_files(cv: criteria.CriterionView, n_files: int, k: int) -> list[int]:
    """The ``k`` generated files whose subject best matches the criterion."""
    title, guidance = cv.title.lower(), cv.guidance.lower()
    scores = [0] * n_files
    for words, idx in _EVIDENCE_WORDS:
        if idx < n_files:
            scores[idx] += sum(3 * title.count(w) + guidance.count(w) for w in words)
    ranked = sorted(range(n_files), key=lambda i: (-scores[i], i != 2, i))
    return ranked[:k]


def _fill_content(doc: Document, year: int) -> None:
    conv_id, _ = content.new_convention_version(
        doc,
        title="Quy ước xây dựng đơn vị văn hóa Trung tâm Dịch vụ Văn hóa tỉnh Thanh Hóa",
        adopted_on=dt.date(year, 1, 20),
        adopted_at=f"Hội nghị viên chức, người lao động năm {year}",
    )
    for ch_title, arts in CONVENTION:
        ch_id, _ = content.add_chapter(doc, conv_id, ch_title)
        for a_title, body in arts:
            content.add_article(doc, ch_id, a_title, body)
    for cat, text in CONDUCT:
        content.add_row(
            doc, "conduct", None, category=cat, text=text, source="Quyết định 1847/QĐ-TTg; Quy chế văn hóa công sở",
            adopted_on=dt.date(year, 1, 20), posted=True,
        )
    members = [
        ("Lê Thị Thu Hương", "Giám đốc", "Trưởng ban", "Chỉ đạo chung; phụ trách tiêu chí hoàn thành nhiệm vụ."),
        ("Nguyễn Đức Thắng", "Bí thư Chi bộ, Phó Giám đốc", "Phó Trưởng ban", "Học tập và làm theo Bác; cam kết của đảng viên."),
        ("Trịnh Văn Quyết", "Chủ tịch Công đoàn", "Phó Trưởng ban", "Thường trực phong trào; tổng hợp hồ sơ tự đánh giá."),
        ("Phạm Thị Lan", "Trưởng phòng Hành chính – Tổng hợp", "Thành viên", "Môi trường công sở, chuyển đổi số."),
        ("Hoàng Minh Tuấn", "Bí thư Chi đoàn", "Thành viên", "Văn hóa, văn nghệ, thể dục thể thao."),
        ("Đỗ Thị Ngọc Ánh", "Chuyên viên", "Thư ký", "Lưu trữ minh chứng, theo dõi kế hoạch."),
    ]
    for name, job, role, tasks in members:
        content.add_row(doc, "committee", year, name=name, job_title=job, role=role, tasks=tasks)
    plan = [
        ("Đăng ký xây dựng đơn vị đạt chuẩn văn hóa, kiểu mẫu", "Trịnh Văn Quyết", dt.date(year, 1, 31), "Gửi bản đăng ký về Công đoàn Viên chức tỉnh.", "hoan-thanh"),
        ("Thông qua Quy ước, Bộ quy tắc ứng xử tại Hội nghị viên chức", "Lê Thị Thu Hương", dt.date(year, 2, 28), "Lồng ghép vào Hội nghị viên chức đầu năm.", "hoan-thanh"),
        ("Niêm yết chuẩn mực đạo đức và khẩu hiệu tại hội trường", "Phạm Thị Lan", dt.date(year, 3, 31), "Làm bảng niêm yết tại hội trường, phòng họp.", "hoan-thanh"),
        ("Sơ kết 6 tháng học tập và làm theo Bác", "Nguyễn Đức Thắng", dt.date(year, 7, 15), "Chi bộ sơ kết, biểu dương việc làm tốt.", "hoan-thanh"),
        ("Hoàn thiện hồ sơ tự đánh giá, gửi Công đoàn cấp trên", "Trịnh Văn Quyết", dt.date(year, 12, 10), "Tổng hợp minh chứng, xuất hồ sơ và ký số.", "dang-thuc-hien"),
    ]
    for text, owner, deadline, measures, status in plan:
        content.add_row(doc, "plan", year, content=text, owner=owner, deadline=deadline, measures=measures, status=status)
    activities = [
        ("hoi-nghi-tuyen-truyen", "Hội nghị tuyên truyền, phổ biến pháp luật về phòng, chống tham nhũng", dt.date(year, 3, 12), 46, None),
        ("hoi-nghi-tuyen-truyen", "Hội nghị quán triệt Nghị quyết của Đảng ủy Khối", dt.date(year, 5, 20), 44, None),
        ("noi-chuyen", "Nói chuyện chuyên đề «Văn hóa công sở trong thời kỳ chuyển đổi số»", dt.date(year, 6, 18), 48, None),
        ("tin-bai", "Tin, bài đăng trên trang thông tin điện tử và fanpage của Trung tâm", None, None, 36),
        ("ke-hoach-lam-theo-bac", "Kế hoạch học tập và làm theo Bác của chi bộ và các tổ công đoàn", dt.date(year, 2, 10), None, 4),
        ("viec-lam-theo", "Việc làm theo gương Bác được đăng ký và thực hiện", None, None, 52),
        ("cam-ket-dang-vien", "Đảng viên xây dựng bản cam kết tu dưỡng, rèn luyện", dt.date(year, 2, 25), 21, 21),
        ("van-hoa-the-thao", "Hội thao chào mừng ngày thành lập Công đoàn Việt Nam", dt.date(year, 7, 28), 45, None),
    ]
    for kind, title, held, people, qty in activities:
        content.add_row(doc, "activity", year, kind=kind, title=title, held_on=held, participants=people, quantity=qty)
    awards = [
        ("giay-khen", "Tập thể có thành tích xuất sắc trong học tập và làm theo Bác", "Ban Thường vụ Đảng ủy Khối CQ&DN tỉnh", "214/QĐ-ĐUK", dt.date(year, 5, 19), "Trung tâm Dịch vụ Văn hóa tỉnh Thanh Hóa", True),
        ("bang-khen", "Hoàn thành xuất sắc nhiệm vụ công tác", "Chủ tịch UBND tỉnh", "1862/QĐ-UBND", dt.date(year, 6, 2), "Trịnh Văn Quyết", False),
        ("giay-khen", "Công đoàn cơ sở vững mạnh", "Công đoàn Viên chức tỉnh", "87/QĐ-CĐVC", dt.date(year, 11, 20), "Công đoàn Trung tâm", True),
    ]
    levels = {"Chủ tịch UBND tỉnh": "ubnd-tinh", "Ban Thường vụ Đảng ủy Khối CQ&DN tỉnh": "btv-dang-uy-khoi"}
    for kind, text, issuer, number, date, holder, coll in awards:
        content.add_row(doc, "award", year, kind=kind, content=text, issuer=issuer, number=number, issued_on=date, holder=holder, collective=coll, issuer_level=levels.get(issuer, "khac"))
