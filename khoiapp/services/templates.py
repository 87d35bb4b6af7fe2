"""Starting content a unit edits: a Quy ước and a Bộ quy tắc ứng xử in their usual structure.

The Quy ước follows the common four chapters (general provisions; content; rewards and handling
of breaches; implementation, adopted at the annual staff conference); the code of conduct has
rules in each usual group (with superiors, colleagues, subordinates, citizens, at work, in public,
in the family and residential area), citing QĐ 129/2007/QĐ-TTg and QĐ 1847/QĐ-TTg. Every text is a
draft to adapt: "…" marks what only the unit knows (hours, the conference's date). Dates stay
empty until the unit enters them.
"""

from __future__ import annotations

from sqlalchemy import func, select

from khoiapp.db import Document
from khoiapp.errors import BadInputError
from khoiapp.models import ConductRule, Convention, ConventionArticle, ConventionChapter
from khoiapp.services.content import current_convention_in
from khoiapp.services.document import Changes, nfc

CONVENTION_TEMPLATE: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Những quy định chung",
        (
            (
                "Phạm vi điều chỉnh",
                "Quy ước này quy định về trách nhiệm, nghĩa vụ, lề lối làm việc, nếp sống văn minh, "
                "giữ gìn cảnh quan môi trường và các hoạt động văn hóa, thể thao trong {unit}, nhằm xây "
                "dựng cơ quan, đơn vị đạt chuẩn văn hóa.",
            ),
            (
                "Đối tượng áp dụng",
                "Quy ước áp dụng đối với cán bộ, công chức, viên chức và người lao động đang công tác tại "
                "{unit}, kể cả người làm việc theo hợp đồng.",
            ),
            (
                "Nguyên tắc thực hiện",
                "Thực hiện công khai, dân chủ, tự giác; gắn với việc thực hiện Quy chế văn hóa công sở "
                "(Quyết định số 129/2007/QĐ-TTg) và Đề án văn hóa công vụ (Quyết định số 1847/QĐ-TTg); "
                "mỗi người gương mẫu thực hiện và nhắc nhở đồng nghiệp cùng thực hiện.",
            ),
        ),
    ),
    (
        "Nội dung Quy ước",
        (
            (
                "Thực hiện nhiệm vụ",
                "Hoàn thành tốt nhiệm vụ được giao; chấp hành chủ trương, đường lối của Đảng, chính sách, "
                "pháp luật của Nhà nước và các quy định của cơ quan, đơn vị.",
            ),
            (
                "Kỷ luật lao động và giờ làm việc",
                "Làm việc đúng giờ: buổi sáng từ … giờ … đến … giờ …, buổi chiều từ … giờ … đến … giờ …. "
                "Không đi muộn, về sớm; không làm việc riêng trong giờ làm việc; nghỉ phải có lý do và "
                "báo cáo người phụ trách.",
            ),
            (
                "Trang phục và giao tiếp",
                "Trang phục gọn gàng, lịch sự; đeo thẻ công chức, viên chức trong giờ làm việc. Giao tiếp "
                "với đồng nghiệp và nhân dân văn minh, lịch sự, tôn trọng.",
            ),
            (
                "Nếp sống văn minh",
                "Không hút thuốc lá nơi làm việc; không uống rượu, bia trong giờ làm việc và giờ nghỉ trưa "
                "của ngày làm việc; thực hiện nếp sống văn minh trong việc cưới, việc tang và lễ hội.",
            ),
            (
                "Môi trường xanh – sạch – đẹp",
                "Giữ gìn vệ sinh nơi làm việc; sắp xếp hồ sơ, tài liệu ngăn nắp; tiết kiệm điện, nước; "
                "tham gia trồng và chăm sóc cây xanh trong khuôn viên cơ quan, đơn vị.",
            ),
            (
                "Hoạt động văn hóa, thể thao và đoàn kết",
                "Tích cực tham gia các phong trào văn hóa, văn nghệ, thể dục, thể thao do cơ quan, đơn vị "
                "và công đoàn tổ chức; đoàn kết, giúp đỡ nhau trong công tác và cuộc sống.",
            ),
            (
                "Phòng, chống tệ nạn xã hội",
                "Không tham gia đánh bạc, sử dụng ma túy hoặc các tệ nạn xã hội khác; không tàng trữ, lưu "
                "hành văn hóa phẩm có nội dung độc hại.",
            ),
        ),
    ),
    (
        "Khen thưởng và xử lý vi phạm",
        (
            (
                "Khen thưởng",
                "Cá nhân, tập thể thực hiện tốt Quy ước được xem xét biểu dương, khen thưởng và là một căn "
                "cứ đánh giá, xếp loại, bình xét thi đua hằng năm.",
            ),
            (
                "Xử lý vi phạm",
                "Cá nhân vi phạm Quy ước, tùy mức độ, bị nhắc nhở, phê bình trước tập thể hoặc xem xét xử "
                "lý theo quy định; kết quả là căn cứ đánh giá, xếp loại cuối năm.",
            ),
        ),
    ),
    (
        "Tổ chức thực hiện",
        (
            (
                "Trách nhiệm thực hiện",
                "Thủ trưởng cơ quan, đơn vị, Ban chấp hành công đoàn và Ban chỉ đạo xây dựng cơ quan, đơn "
                "vị đạt chuẩn văn hóa có trách nhiệm phổ biến, theo dõi, kiểm tra việc thực hiện Quy ước.",
            ),
            (
                "Hiệu lực thi hành",
                "Quy ước được thông qua tại Hội nghị cán bộ, công chức, viên chức và người lao động năm … "
                "ngày …/…/…; có hiệu lực kể từ ngày ký. Trong quá trình thực hiện, nếu có vướng mắc, các "
                "bộ phận phản ánh để sửa đổi, bổ sung cho phù hợp.",
            ),
        ),
    ),
)

CONDUCT_SOURCE = "Quyết định số 129/2007/QĐ-TTg; Quyết định số 1847/QĐ-TTg"
CONDUCT_TEMPLATE: tuple[tuple[str, str], ...] = (
    ("cap-tren", "Tôn trọng, chấp hành sự chỉ đạo, phân công của cấp trên; báo cáo trung thực, kịp thời; góp ý thẳng thắn, đúng nơi, đúng lúc."),
    ("dong-nghiep", "Chân thành, hợp tác, giúp đỡ nhau hoàn thành nhiệm vụ; không nói xấu, gây mất đoàn kết; tôn trọng sự khác biệt."),
    ("cap-duoi", "Gương mẫu, công tâm, lắng nghe ý kiến; phân công rõ ràng, tạo điều kiện để cấp dưới phát huy năng lực."),
    ("nhan-dan", "Niềm nở, tận tình, hướng dẫn rõ ràng, đầy đủ; không hách dịch, gây phiền hà, sách nhiễu; giải quyết công việc đúng hẹn."),
    ("noi-lam-viec", "Trang phục gọn gàng, lịch sự, đeo thẻ trong giờ làm việc; nói chuyện điện thoại ngắn gọn, nhỏ nhẹ; họp đúng giờ, tắt chuông điện thoại khi họp."),
    ("noi-cong-cong", "Chấp hành quy định nơi công cộng, giữ gìn vệ sinh, trật tự; ứng xử văn minh, lịch sự; không phát ngôn, đăng tải thông tin sai sự thật trên mạng xã hội."),
    ("gia-dinh", "Xây dựng gia đình văn hóa, hòa thuận, bình đẳng; gương mẫu chấp hành quy định nơi cư trú, tham gia các hoạt động của khu dân cư."),
)


def convention_from_template(doc: Document, unit_name: str) -> tuple[int, Changes]:
    """A new Quy ước (the next version, or the first) filled with the usual four chapters, in one transaction.

    Returns the id of the new version; its adoption date stays empty until the unit enters it.
    """
    doc.require_writable()
    unit = nfc(unit_name).strip() or "cơ quan, đơn vị"
    with doc.transaction() as s:
        cur = current_convention_in(s)
        c = Convention(
            version=(cur.version + 1) if cur else 1,
            title=f"Quy ước xây dựng cơ quan, đơn vị đạt chuẩn văn hóa — {unit}",
            adopted_on=None,
            adopted_at="",
        )
        for ci, (chapter, articles) in enumerate(CONVENTION_TEMPLATE, start=1):
            ch = ConventionChapter(position=ci, title=chapter)
            ch.articles = [
                ConventionArticle(position=ai, title=title, body=body.format(unit=unit))
                for ai, (title, body) in enumerate(articles, start=1)
            ]
            c.chapters.append(ch)
        s.add(c)
        s.flush()
        return c.id, Changes(convention=True)


def conduct_from_template(doc: Document) -> tuple[list[int], Changes]:
    """Add the sample rules (one or more per usual group) to an empty Bộ quy tắc ứng xử.

    Raises:
        BadInputError: the code of conduct already has rules (the sample never mixes with them).
    """
    doc.require_writable()
    with doc.transaction() as s:
        if int(s.scalar(select(func.count()).select_from(ConductRule)) or 0):
            raise BadInputError(
                "Bộ quy tắc ứng xử đã có quy tắc nên không thêm bộ mẫu. Hãy sửa trực tiếp các quy tắc đang có."
            )
        ids = []
        for pos, (category, text) in enumerate(CONDUCT_TEMPLATE, start=1):
            rule = ConductRule(category=category, position=pos, text=text, source=CONDUCT_SOURCE, adopted_on=None)
            s.add(rule)
            s.flush()
            ids.append(rule.id)
        return ids, Changes(tables=("conduct",))
