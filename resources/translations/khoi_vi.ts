<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN" sourcelanguage="vi_VN">
    <context>
        <name>AboutDialog</name>
        <message>
            <source>Qt và PySide6 được dùng theo giấy phép GNU LGPL 3.0, dưới dạng thư viện liên kết động: có thể thay bằng bản khác cùng phiên bản chính trong thư mục chương trình.</source>
            <translation>Qt và PySide6 được dùng theo giấy phép GNU LGPL 3.0, dưới dạng thư viện liên kết động: có thể thay bằng bản khác cùng phiên bản chính trong thư mục chương trình.</translation>
        </message>
        <message>
            <source>Giới thiệu Khối</source>
            <translation>Giới thiệu Khối</translation>
        </message>
        <message>
            <source>Tự đánh giá và lập hồ sơ xây dựng cơ quan, đơn vị, doanh nghiệp đạt chuẩn văn hóa, kiểu mẫu; xuất hồ sơ PDF và ký số. Chạy hoàn toàn trên máy, không cần Internet.</source>
            <translation>Tự đánh giá và lập hồ sơ xây dựng cơ quan, đơn vị, doanh nghiệp đạt chuẩn văn hóa, kiểu mẫu; xuất hồ sơ PDF và ký số. Chạy hoàn toàn trên máy, không cần Internet.</translation>
        </message>
        <message>
            <source>(chưa có)</source>
            <translation>(chưa có)</translation>
        </message>
        <message>
            <source>Khối</source>
            <translation>Khối</translation>
        </message>
        <message>
            <source>Thành phần</source>
            <translation>Thành phần</translation>
        </message>
        <message>
            <source>Giấy phép</source>
            <translation>Giấy phép</translation>
        </message>
        <message>
            <source>Đóng</source>
            <translation>Đóng</translation>
        </message>
        <message>
            <source>Bộ tiêu chí kèm theo:</source>
            <translation>Bộ tiêu chí kèm theo:</translation>
        </message>
        <message>
            <source>Bộ tiêu chí</source>
            <translation>Bộ tiêu chí</translation>
        </message>
        <message>
            <source>Mã</source>
            <translation>Mã</translation>
        </message>
        <message>
            <source>Phiên bản</source>
            <translation>Phiên bản</translation>
        </message>
        <message>
            <source>Thành phần phần mềm đi kèm:</source>
            <translation>Thành phần phần mềm đi kèm:</translation>
        </message>
        <message>
            <source>Không tìm thấy tệp giấy phép «{name}»: bộ cài có thể bị thiếu tệp, hãy cài lại Khối.</source>
            <translation>Không tìm thấy tệp giấy phép «{name}»: bộ cài có thể bị thiếu tệp, hãy cài lại Khối.</translation>
        </message>
        <message>
            <source>&lt;h2&gt;Khối {v}&lt;/h2&gt;</source>
            <translation>&lt;h2&gt;Khối {v}&lt;/h2&gt;</translation>
        </message>
        <message>
            <source>Tài liệu đang mở: {path}
Thư mục dữ liệu: {data}
Nhật ký lỗi: {log}</source>
            <translation>Tài liệu đang mở: {path}
Thư mục dữ liệu: {data}
Nhật ký lỗi: {log}</translation>
        </message>
    </context>
    <context>
        <name>BackupsDialog</name>
        <message>
            <source>Bản sao lưu</source>
            <translation>Bản sao lưu</translation>
        </message>
        <message>
            <source>Thời điểm</source>
            <translation>Thời điểm</translation>
        </message>
        <message>
            <source>Lý do</source>
            <translation>Lý do</translation>
        </message>
        <message>
            <source>Dung lượng</source>
            <translation>Dung lượng</translation>
        </message>
        <message>
            <source>Khôi phục</source>
            <translation>Khôi phục</translation>
        </message>
        <message>
            <source>Sao lưu ngay</source>
            <translation>Sao lưu ngay</translation>
        </message>
        <message>
            <source>Chép tài liệu hiện tại thành một bản sao lưu mới</source>
            <translation>Chép tài liệu hiện tại thành một bản sao lưu mới</translation>
        </message>
        <message>
            <source>Đóng</source>
            <translation>Đóng</translation>
        </message>
        <message>
            <source>Sao lưu thủ công</source>
            <translation>Sao lưu thủ công</translation>
        </message>
        <message>
            <source>Trước khi khôi phục một bản sao lưu</source>
            <translation>Trước khi khôi phục một bản sao lưu</translation>
        </message>
        <message>
            <source>Trước khi nhập hồ sơ</source>
            <translation>Trước khi nhập hồ sơ</translation>
        </message>
        <message>
            <source>Trước khi nâng cấp tài liệu lên định dạng mới (từ bản {rev})</source>
            <translation>Trước khi nâng cấp tài liệu lên định dạng mới (từ bản {rev})</translation>
        </message>
        <message>
            <source>Chưa mở tài liệu nào.</source>
            <translation>Chưa mở tài liệu nào.</translation>
        </message>
        <message>
            <source>Tài liệu này chưa có bản sao lưu nào. Khối tự sao lưu trước khi nâng cấp tài liệu, nhập hồ sơ hoặc khôi phục, và giữ {keep} bản gần nhất trong thư mục «{folder}».</source>
            <translation>Tài liệu này chưa có bản sao lưu nào. Khối tự sao lưu trước khi nâng cấp tài liệu, nhập hồ sơ hoặc khôi phục, và giữ {keep} bản gần nhất trong thư mục «{folder}».</translation>
        </message>
        <message>
            <source>Khối tự sao lưu trước khi nâng cấp tài liệu, nhập hồ sơ hoặc khôi phục, và giữ {keep} bản gần nhất trong thư mục «{folder}». Chọn một bản rồi bấm «Khôi phục».</source>
            <translation>Khối tự sao lưu trước khi nâng cấp tài liệu, nhập hồ sơ hoặc khôi phục, và giữ {keep} bản gần nhất trong thư mục «{folder}». Chọn một bản rồi bấm «Khôi phục».</translation>
        </message>
        <message>
            <source>Đang sao lưu tài liệu…</source>
            <translation>Đang sao lưu tài liệu…</translation>
        </message>
        <message>
            <source>Khôi phục bản sao lưu</source>
            <translation>Khôi phục bản sao lưu</translation>
        </message>
        <message>
            <source>Đưa tài liệu về bản sao lưu lúc {when} ({reason})? Mọi thay đổi sau thời điểm đó sẽ không còn trong tài liệu, nhưng tài liệu hiện tại được sao lưu trước khi khôi phục nên có thể quay lại.</source>
            <translation>Đưa tài liệu về bản sao lưu lúc {when} ({reason})? Mọi thay đổi sau thời điểm đó sẽ không còn trong tài liệu, nhưng tài liệu hiện tại được sao lưu trước khi khôi phục nên có thể quay lại.</translation>
        </message>
        <message>
            <source>Hủy</source>
            <translation>Hủy</translation>
        </message>
        <message>
            <source>Đã khôi phục tài liệu về bản sao lưu lúc {when}.</source>
            <translation>Đã khôi phục tài liệu về bản sao lưu lúc {when}.</translation>
        </message>
        <message>
            <source>Tài liệu trước khi khôi phục được giữ thành bản sao lưu mới nhất.</source>
            <translation>Tài liệu trước khi khôi phục được giữ thành bản sao lưu mới nhất.</translation>
        </message>
        <message>
            <source>Tệp cũ bị hỏng được giữ lại ở «{path}».</source>
            <translation>Tệp cũ bị hỏng được giữ lại ở «{path}».</translation>
        </message>
        <message>
            <source>Đã khôi phục</source>
            <translation>Đã khôi phục</translation>
        </message>
        <message>
            <source>Đang khôi phục tài liệu…</source>
            <translation>Đang khôi phục tài liệu…</translation>
        </message>
    </context>
    <context>
        <name>BlocWorkspace</name>
        <message>
            <source>Ký bản tổng hợp PDF</source>
            <translation>Ký bản tổng hợp PDF</translation>
        </message>
        <message>
            <source>Tổng hợp khối</source>
            <translation>Tổng hợp khối</translation>
        </message>
        <message>
            <source>Xuất Excel…</source>
            <translation>Xuất Excel…</translation>
        </message>
        <message>
            <source>Dự thảo báo cáo (Word)…</source>
            <translation>Dự thảo báo cáo (Word)…</translation>
        </message>
        <message>
            <source>Bản tổng hợp PDF…</source>
            <translation>Bản tổng hợp PDF…</translation>
        </message>
        <message>
            <source>Bảng đơn vị (CSV)…</source>
            <translation>Bảng đơn vị (CSV)…</translation>
        </message>
        <message>
            <source>Bảng kiểm tra tệp (CSV)…</source>
            <translation>Bảng kiểm tra tệp (CSV)…</translation>
        </message>
        <message>
            <source>Mỗi tệp đã đọc một dòng: chữ ký, người ký, được tính hay không và lý do</source>
            <translation>Mỗi tệp đã đọc một dòng: chữ ký, người ký, được tính hay không và lý do</translation>
        </message>
        <message>
            <source>Tệp Excel hoặc CSV: tên đơn vị, tên viết tắt, loại hình, dấu vân tay</source>
            <translation>Tệp Excel hoặc CSV: tên đơn vị, tên viết tắt, loại hình, dấu vân tay</translation>
        </message>
        <message>
            <source>Chọn…</source>
            <translation>Chọn…</translation>
        </message>
        <message>
            <source>Thư mục chứa các hồ sơ PDF đơn vị gửi (hoặc từng tệp)</source>
            <translation>Thư mục chứa các hồ sơ PDF đơn vị gửi (hoặc từng tệp)</translation>
        </message>
        <message>
            <source>Chọn thư mục…</source>
            <translation>Chọn thư mục…</translation>
        </message>
        <message>
            <source>Chọn tệp…</source>
            <translation>Chọn tệp…</translation>
        </message>
        <message>
            <source>Tự nhận theo hồ sơ</source>
            <translation>Tự nhận theo hồ sơ</translation>
        </message>
        <message>
            <source>Để «Tự nhận theo hồ sơ» thì Khối lấy năm mà đa số hồ sơ ghi.</source>
            <translation>Để «Tự nhận theo hồ sơ» thì Khối lấy năm mà đa số hồ sơ ghi.</translation>
        </message>
        <message>
            <source>Làm tròn (51,24 %)</source>
            <translation>Làm tròn (51,24 %)</translation>
        </message>
        <message>
            <source>Bỏ phần thừa (51,23 %)</source>
            <translation>Bỏ phần thừa (51,23 %)</translation>
        </message>
        <message>
            <source>Tính cả chữ ký chưa tin cậy</source>
            <translation>Tính cả chữ ký chưa tin cậy</translation>
        </message>
        <message>
            <source>Tổng hợp</source>
            <translation>Tổng hợp</translation>
        </message>
        <message>
            <source>%v/%m tệp</source>
            <translation>%v/%m tệp</translation>
        </message>
        <message>
            <source>Hủy</source>
            <translation>Hủy</translation>
        </message>
        <message>
            <source>Mọi loại hình</source>
            <translation>Mọi loại hình</translation>
        </message>
        <message>
            <source>Mọi kết quả</source>
            <translation>Mọi kết quả</translation>
        </message>
        <message>
            <source>Đơn vị</source>
            <translation>Đơn vị</translation>
        </message>
        <message>
            <source>Kết quả toàn Khối (số đơn vị)</source>
            <translation>Kết quả toàn Khối (số đơn vị)</translation>
        </message>
        <message>
            <source>Mười tiêu chí ít đơn vị đạt nhất</source>
            <translation>Mười tiêu chí ít đơn vị đạt nhất</translation>
        </message>
        <message>
            <source>Biểu đồ</source>
            <translation>Biểu đồ</translation>
        </message>
        <message>
            <source>Tệp đã đọc</source>
            <translation>Tệp đã đọc</translation>
        </message>
        <message>
            <source>Danh sách đơn vị</source>
            <translation>Danh sách đơn vị</translation>
        </message>
        <message>
            <source>Đóng</source>
            <translation>Đóng</translation>
        </message>
        <message>
            <source>Chọn danh sách đơn vị</source>
            <translation>Chọn danh sách đơn vị</translation>
        </message>
        <message>
            <source>Danh sách đơn vị (*.xlsx *.csv)</source>
            <translation>Danh sách đơn vị (*.xlsx *.csv)</translation>
        </message>
        <message>
            <source>Lưu danh sách đơn vị</source>
            <translation>Lưu danh sách đơn vị</translation>
        </message>
        <message>
            <source>Excel (*.xlsx);;CSV (*.csv)</source>
            <translation>Excel (*.xlsx);;CSV (*.csv)</translation>
        </message>
        <message>
            <source>Chọn thư mục chứa hồ sơ PDF</source>
            <translation>Chọn thư mục chứa hồ sơ PDF</translation>
        </message>
        <message>
            <source>Chọn các tệp hồ sơ PDF</source>
            <translation>Chọn các tệp hồ sơ PDF</translation>
        </message>
        <message>
            <source>Tệp PDF (*.pdf)</source>
            <translation>Tệp PDF (*.pdf)</translation>
        </message>
        <message>
            <source>Đang đọc và kiểm tra hồ sơ…</source>
            <translation>Đang đọc và kiểm tra hồ sơ…</translation>
        </message>
        <message>
            <source>&lt;p&gt;Chọn một đơn vị để xem kết quả kiểm tra và số liệu của đơn vị.&lt;/p&gt;</source>
            <translation>&lt;p&gt;Chọn một đơn vị để xem kết quả kiểm tra và số liệu của đơn vị.&lt;/p&gt;</translation>
        </message>
        <message>
            <source>Xuất Excel</source>
            <translation>Xuất Excel</translation>
        </message>
        <message>
            <source>Excel (*.xlsx)</source>
            <translation>Excel (*.xlsx)</translation>
        </message>
        <message>
            <source>Dự thảo báo cáo</source>
            <translation>Dự thảo báo cáo</translation>
        </message>
        <message>
            <source>Word (*.docx)</source>
            <translation>Word (*.docx)</translation>
        </message>
        <message>
            <source>Bản tổng hợp PDF</source>
            <translation>Bản tổng hợp PDF</translation>
        </message>
        <message>
            <source>PDF (*.pdf)</source>
            <translation>PDF (*.pdf)</translation>
        </message>
        <message>
            <source>CSV</source>
            <translation>CSV</translation>
        </message>
        <message>
            <source>CSV (*.csv)</source>
            <translation>CSV (*.csv)</translation>
        </message>
        <message>
            <source>Bảng kiểm tra tệp (CSV)</source>
            <translation>Bảng kiểm tra tệp (CSV)</translation>
        </message>
        <message>
            <source>Chưa có số liệu</source>
            <translation>Chưa có số liệu</translation>
        </message>
        <message>
            <source>Bản tổng hợp ký số thì cấp trên kiểm tra được và cộng dồn được với bản tổng hợp của các Khối khác.</source>
            <translation>Bản tổng hợp ký số thì cấp trên kiểm tra được và cộng dồn được với bản tổng hợp của các Khối khác.</translation>
        </message>
        <message>
            <source>Danh sách đơn vị:</source>
            <translation>Danh sách đơn vị:</translation>
        </message>
        <message>
            <source>Hồ sơ:</source>
            <translation>Hồ sơ:</translation>
        </message>
        <message>
            <source>Từ năm</source>
            <translation>Từ năm</translation>
        </message>
        <message>
            <source>đến năm</source>
            <translation>đến năm</translation>
        </message>
        <message>
            <source>Tỷ lệ:</source>
            <translation>Tỷ lệ:</translation>
        </message>
        <message>
            <source>Mọi tình trạng</source>
            <translation>Mọi tình trạng</translation>
        </message>
        <message>
            <source>Được tính</source>
            <translation>Được tính</translation>
        </message>
        <message>
            <source>Chưa nộp / không được tính</source>
            <translation>Chưa nộp / không được tính</translation>
        </message>
        <message>
            <source>Thêm đơn vị</source>
            <translation>Thêm đơn vị</translation>
        </message>
        <message>
            <source>Xóa dòng</source>
            <translation>Xóa dòng</translation>
        </message>
        <message>
            <source>Lưu danh sách…</source>
            <translation>Lưu danh sách…</translation>
        </message>
        <message>
            <source>Đang tổng hợp khối…</source>
            <translation>Đang tổng hợp khối…</translation>
        </message>
        <message>
            <source>Đang dừng sau tệp hiện tại…</source>
            <translation>Đang dừng sau tệp hiện tại…</translation>
        </message>
        <message>
            <source>Đã hủy tổng hợp. Bấm «Tổng hợp» để chạy lại.</source>
            <translation>Đã hủy tổng hợp. Bấm «Tổng hợp» để chạy lại.</translation>
        </message>
        <message>
            <source>Không tổng hợp được các hồ sơ đã chọn.</source>
            <translation>Không tổng hợp được các hồ sơ đã chọn.</translation>
        </message>
        <message>
            <source>Đang ghi tệp…</source>
            <translation>Đang ghi tệp…</translation>
        </message>
        <message>
            <source>{n} tệp trong {folder}</source>
            <translation>{n} tệp trong {folder}</translation>
        </message>
        <message>
            <source>Hồ sơ đã nhận</source>
            <translation>Hồ sơ đã nhận</translation>
        </message>
        <message>
            <source>Kết quả qua các năm</source>
            <translation>Kết quả qua các năm</translation>
        </message>
        <message>
            <source>điểm</source>
            <translation>điểm</translation>
        </message>
        <message>
            <source>Tiêu chí đạt</source>
            <translation>Tiêu chí đạt</translation>
        </message>
        <message>
            <source>khen thưởng</source>
            <translation>khen thưởng</translation>
        </message>
        <message>
            <source>ký bởi</source>
            <translation>ký bởi</translation>
        </message>
        <message>
            <source>chữ ký</source>
            <translation>chữ ký</translation>
        </message>
        <message>
            <source>Đã lưu: {path}</source>
            <translation>Đã lưu: {path}</translation>
        </message>
        <message>
            <source>lượt người</source>
            <translation>lượt người</translation>
        </message>
        <message>
            <source>số lượng</source>
            <translation>số lượng</translation>
        </message>
    </context>
    <context>
        <name>ChecklistModel</name>
        <message>
            <source>Đã có {n} minh chứng, cần ít nhất {m}.</source>
            <translation>Đã có {n} minh chứng, cần ít nhất {m}.</translation>
        </message>
        <message>
            <source>Kết quả chép từ năm trước: hãy xem lại và xác nhận.</source>
            <translation>Kết quả chép từ năm trước: hãy xem lại và xác nhận.</translation>
        </message>
    </context>
    <context>
        <name>ChecklistPage</name>
        <message>
            <source>Khớp trong phần hướng dẫn của tiêu chí.</source>
            <translation>Khớp trong phần hướng dẫn của tiêu chí.</translation>
        </message>
        <message>
            <source>Cần xác nhận: nội dung tiêu chí đã đổi so với năm trước, hãy xem lại rồi xác nhận riêng tiêu chí này.</source>
            <translation>Cần xác nhận: nội dung tiêu chí đã đổi so với năm trước, hãy xem lại rồi xác nhận riêng tiêu chí này.</translation>
        </message>
        <message>
            <source>Cần xác nhận: kết quả chép từ năm trước, hãy xem lại rồi xác nhận.</source>
            <translation>Cần xác nhận: kết quả chép từ năm trước, hãy xem lại rồi xác nhận.</translation>
        </message>
        <message>
            <source>Tìm theo mã, tên hoặc hướng dẫn (gõ không dấu cũng được)… Ctrl+F</source>
            <translation>Tìm theo mã, tên hoặc hướng dẫn (gõ không dấu cũng được)… Ctrl+F</translation>
        </message>
        <message>
            <source>Hiển thị:</source>
            <translation>Hiển thị:</translation>
        </message>
        <message>
            <source>Xác nhận tất cả tiêu chí không đổi</source>
            <translation>Xác nhận tất cả tiêu chí không đổi</translation>
        </message>
        <message>
            <source>Chưa lưu kết quả vừa gõ: {why}</source>
            <translation>Chưa lưu kết quả vừa gõ: {why}</translation>
        </message>
        <message>
            <source>Chưa mở tài liệu nào.</source>
            <translation>Chưa mở tài liệu nào.</translation>
        </message>
        <message>
            <source> · Điểm kiểu mẫu: {p}/{m}</source>
            <translation> · Điểm kiểu mẫu: {p}/{m}</translation>
        </message>
        <message>
            <source>Kết quả tự đánh giá năm {year}: &lt;b&gt;{label}&lt;/b&gt; · Đã đánh giá {a}/{t} · Đủ minh chứng {e}/{t}</source>
            <translation>Kết quả tự đánh giá năm {year}: &lt;b&gt;{label}&lt;/b&gt; · Đã đánh giá {a}/{t} · Đủ minh chứng {e}/{t}</translation>
        </message>
        <message>
            <source>{n} tiêu chí mang kết quả năm trước đang chờ xác nhận (đánh dấu «?» trong danh sách).</source>
            <translation>{n} tiêu chí mang kết quả năm trước đang chờ xác nhận (đánh dấu «?» trong danh sách).</translation>
        </message>
        <message>
            <source>Trong đó {n} tiêu chí đổi nội dung phải xác nhận riêng từng tiêu chí.</source>
            <translation>Trong đó {n} tiêu chí đổi nội dung phải xác nhận riêng từng tiêu chí.</translation>
        </message>
        <message>
            <source>{n} tiêu chí đổi nội dung so với năm trước đang chờ xác nhận (đánh dấu «?»): chọn từng tiêu chí, xem lại rồi bấm «Xác nhận kết quả chép từ năm trước».</source>
            <translation>{n} tiêu chí đổi nội dung so với năm trước đang chờ xác nhận (đánh dấu «?»): chọn từng tiêu chí, xem lại rồi bấm «Xác nhận kết quả chép từ năm trước».</translation>
        </message>
        <message>
            <source>Tài liệu đang mở ở chế độ chỉ đọc.</source>
            <translation>Tài liệu đang mở ở chế độ chỉ đọc.</translation>
        </message>
        <message>
            <source>Xác nhận một lần {n} tiêu chí có nội dung giống năm trước; tiêu chí đổi nội dung để lại xác nhận riêng.</source>
            <translation>Xác nhận một lần {n} tiêu chí có nội dung giống năm trước; tiêu chí đổi nội dung để lại xác nhận riêng.</translation>
        </message>
        <message>
            <source>Các tiêu chí còn lại đều đổi nội dung: chọn từng tiêu chí, xem lại rồi bấm xác nhận.</source>
            <translation>Các tiêu chí còn lại đều đổi nội dung: chọn từng tiêu chí, xem lại rồi bấm xác nhận.</translation>
        </message>
        <message>
            <source>Đã xác nhận {n} tiêu chí không đổi so với năm trước.</source>
            <translation>Đã xác nhận {n} tiêu chí không đổi so với năm trước.</translation>
        </message>
        <message>
            <source>Không có tiêu chí nào xác nhận được một lần.</source>
            <translation>Không có tiêu chí nào xác nhận được một lần.</translation>
        </message>
        <message>
            <source>Còn {n} tiêu chí đổi nội dung cần xác nhận từng tiêu chí: {codes} (lọc «Cần xác nhận» để xem).</source>
            <translation>Còn {n} tiêu chí đổi nội dung cần xác nhận từng tiêu chí: {codes} (lọc «Cần xác nhận» để xem).</translation>
        </message>
        <message>
            <source>Không tìm thấy tiêu chí nào.</source>
            <translation>Không tìm thấy tiêu chí nào.</translation>
        </message>
        <message>
            <source>Tìm thấy {n} tiêu chí; {k} tiêu chí chỉ khớp trong phần hướng dẫn (tên in nghiêng).</source>
            <translation>Tìm thấy {n} tiêu chí; {k} tiêu chí chỉ khớp trong phần hướng dẫn (tên in nghiêng).</translation>
        </message>
        <message>
            <source>Tìm thấy {n} tiêu chí.</source>
            <translation>Tìm thấy {n} tiêu chí.</translation>
        </message>
        <message>
            <source>đánh giá tiêu chí {code}: {what}</source>
            <translation>đánh giá tiêu chí {code}: {what}</translation>
        </message>
    </context>
    <context>
        <name>ChoosePage</name>
        <message>
            <source>Chọn hồ sơ năm trước</source>
            <translation>Chọn hồ sơ năm trước</translation>
        </message>
        <message>
            <source>Chọn tệp hồ sơ PDF do Khối xuất năm trước (bản đã ký số nếu có). Khối sẽ kiểm tra chữ ký, đọc dữ liệu trong hồ sơ và tạo kỳ đánh giá mới với kết quả năm trước để anh/chị xác nhận.</source>
            <translation>Chọn tệp hồ sơ PDF do Khối xuất năm trước (bản đã ký số nếu có). Khối sẽ kiểm tra chữ ký, đọc dữ liệu trong hồ sơ và tạo kỳ đánh giá mới với kết quả năm trước để anh/chị xác nhận.</translation>
        </message>
        <message>
            <source>Đường dẫn tệp hồ sơ .pdf</source>
            <translation>Đường dẫn tệp hồ sơ .pdf</translation>
        </message>
        <message>
            <source>Chọn tệp…</source>
            <translation>Chọn tệp…</translation>
        </message>
        <message>
            <source>Năm của kỳ đánh giá mới:</source>
            <translation>Năm của kỳ đánh giá mới:</translation>
        </message>
        <message>
            <source>tự động (năm của hồ sơ + 1)</source>
            <translation>tự động (năm của hồ sơ + 1)</translation>
        </message>
        <message>
            <source>Chưa mở tài liệu nào: Khối sẽ tạo tài liệu mới tại:</source>
            <translation>Chưa mở tài liệu nào: Khối sẽ tạo tài liệu mới tại:</translation>
        </message>
        <message>
            <source>Chọn hồ sơ PDF</source>
            <translation>Chọn hồ sơ PDF</translation>
        </message>
        <message>
            <source>Hồ sơ PDF (*.pdf);;Mọi tệp (*)</source>
            <translation>Hồ sơ PDF (*.pdf);;Mọi tệp (*)</translation>
        </message>
    </context>
    <context>
        <name>ConfirmAllDialog</name>
        <message>
            <source>Xác nhận kết quả chép từ năm trước</source>
            <translation>Xác nhận kết quả chép từ năm trước</translation>
        </message>
        <message>
            <source>Sẽ xác nhận {n} tiêu chí có nội dung giống năm trước: kết quả dưới đây trở thành kết quả tự đánh giá năm {y}. Hãy xem lại trước khi xác nhận.</source>
            <translation>Sẽ xác nhận {n} tiêu chí có nội dung giống năm trước: kết quả dưới đây trở thành kết quả tự đánh giá năm {y}. Hãy xem lại trước khi xác nhận.</translation>
        </message>
        <message>
            <source>{k} tiêu chí chỉ có minh chứng của năm trước (chữ màu cam). Minh chứng cũ không thay cho minh chứng năm nay: sau khi xác nhận, hãy đính kèm minh chứng của năm {y} — danh sách kiểm tra khi xuất hồ sơ sẽ nhắc lại các tiêu chí này.</source>
            <translation>{k} tiêu chí chỉ có minh chứng của năm trước (chữ màu cam). Minh chứng cũ không thay cho minh chứng năm nay: sau khi xác nhận, hãy đính kèm minh chứng của năm {y} — danh sách kiểm tra khi xuất hồ sơ sẽ nhắc lại các tiêu chí này.</translation>
        </message>
        <message>
            <source>Số năm liên tục đã được cộng thêm một năm so với năm trước ({codes}).</source>
            <translation>Số năm liên tục đã được cộng thêm một năm so với năm trước ({codes}).</translation>
        </message>
        <message>
            <source>Xác nhận {n} tiêu chí</source>
            <translation>Xác nhận {n} tiêu chí</translation>
        </message>
        <message>
            <source>Để sau</source>
            <translation>Để sau</translation>
        </message>
    </context>
    <context>
        <name>ConfirmPage</name>
        <message>
            <source>Xác nhận</source>
            <translation>Xác nhận</translation>
        </message>
        <message>
            <source>Nhập</source>
            <translation>Nhập</translation>
        </message>
        <message>
            <source>Khối sẽ sao lưu tài liệu đang mở, rồi tạo kỳ đánh giá năm {0} trong tài liệu. Nếu có lỗi, tài liệu giữ nguyên như trước.</source>
            <translation>Khối sẽ sao lưu tài liệu đang mở, rồi tạo kỳ đánh giá năm {0} trong tài liệu. Nếu có lỗi, tài liệu giữ nguyên như trước.</translation>
        </message>
        <message>
            <source>Khối sẽ tạo tài liệu mới «{0}» với kỳ đánh giá năm {1}.</source>
            <translation>Khối sẽ tạo tài liệu mới «{0}» với kỳ đánh giá năm {1}.</translation>
        </message>
        <message>
            <source>Nhấn «Nhập» để bắt đầu.</source>
            <translation>Nhấn «Nhập» để bắt đầu.</translation>
        </message>
    </context>
    <context>
        <name>ConventionPage</name>
        <message>
            <source>Quy ước</source>
            <translation>Quy ước</translation>
        </message>
        <message>
            <source>Phiên bản:</source>
            <translation>Phiên bản:</translation>
        </message>
        <message>
            <source>Các phiên bản cũ chỉ để xem</source>
            <translation>Các phiên bản cũ chỉ để xem</translation>
        </message>
        <message>
            <source>Phiên bản mới</source>
            <translation>Phiên bản mới</translation>
        </message>
        <message>
            <source>Tạo phiên bản mới (chép từ phiên bản hiện hành) khi Hội nghị thông qua Quy ước sửa đổi</source>
            <translation>Tạo phiên bản mới (chép từ phiên bản hiện hành) khi Hội nghị thông qua Quy ước sửa đổi</translation>
        </message>
        <message>
            <source>Tạo từ Quy ước mẫu</source>
            <translation>Tạo từ Quy ước mẫu</translation>
        </message>
        <message>
            <source>Tạo Quy ước theo bố cục thường dùng (4 chương: quy định chung; nội dung; khen thưởng và xử lý vi phạm; tổ chức thực hiện) để đơn vị sửa cho phù hợp</source>
            <translation>Tạo Quy ước theo bố cục thường dùng (4 chương: quy định chung; nội dung; khen thưởng và xử lý vi phạm; tổ chức thực hiện) để đơn vị sửa cho phù hợp</translation>
        </message>
        <message>
            <source>Tạo Quy ước trống</source>
            <translation>Tạo Quy ước trống</translation>
        </message>
        <message>
            <source>Tạo Quy ước với tên mặc định theo tên đơn vị; có thể sửa tên sau</source>
            <translation>Tạo Quy ước với tên mặc định theo tên đơn vị; có thể sửa tên sau</translation>
        </message>
        <message>
            <source>Số:</source>
            <translation>Số:</translation>
        </message>
        <message>
            <source>Tên Quy ước</source>
            <translation>Tên Quy ước</translation>
        </message>
        <message>
            <source>(chưa có)</source>
            <translation>(chưa có)</translation>
        </message>
        <message>
            <source>Ngày Hội nghị thông qua Quy ước (ngày/tháng/năm)</source>
            <translation>Ngày Hội nghị thông qua Quy ước (ngày/tháng/năm)</translation>
        </message>
        <message>
            <source>Thông qua tại</source>
            <translation>Thông qua tại</translation>
        </message>
        <message>
            <source>ví dụ: Hội nghị viên chức, người lao động năm 2026</source>
            <translation>ví dụ: Hội nghị viên chức, người lao động năm 2026</translation>
        </message>
        <message>
            <source>Ngày thông qua</source>
            <translation>Ngày thông qua</translation>
        </message>
        <message>
            <source>Chọn chương hoặc điều để sửa ở bên phải</source>
            <translation>Chọn chương hoặc điều để sửa ở bên phải</translation>
        </message>
        <message>
            <source>Thêm chương</source>
            <translation>Thêm chương</translation>
        </message>
        <message>
            <source>Thêm một chương vào cuối Quy ước</source>
            <translation>Thêm một chương vào cuối Quy ước</translation>
        </message>
        <message>
            <source>Thêm điều</source>
            <translation>Thêm điều</translation>
        </message>
        <message>
            <source>Thêm một điều vào chương đang chọn</source>
            <translation>Thêm một điều vào chương đang chọn</translation>
        </message>
        <message>
            <source>Đổi tên</source>
            <translation>Đổi tên</translation>
        </message>
        <message>
            <source>Sửa tên chương hoặc điều đang chọn (F2)</source>
            <translation>Sửa tên chương hoặc điều đang chọn (F2)</translation>
        </message>
        <message>
            <source>Xóa</source>
            <translation>Xóa</translation>
        </message>
        <message>
            <source>Xóa chương hoặc điều đang chọn (có thể hoàn tác bằng Ctrl+Z)</source>
            <translation>Xóa chương hoặc điều đang chọn (có thể hoàn tác bằng Ctrl+Z)</translation>
        </message>
        <message>
            <source>Chuyển lên trên</source>
            <translation>Chuyển lên trên</translation>
        </message>
        <message>
            <source>Chuyển xuống dưới</source>
            <translation>Chuyển xuống dưới</translation>
        </message>
        <message>
            <source>Chọn một chương hoặc một điều ở bên trái để sửa.
Mọi thay đổi được lưu ngay.</source>
            <translation>Chọn một chương hoặc một điều ở bên trái để sửa.
Mọi thay đổi được lưu ngay.</translation>
        </message>
        <message>
            <source>Nội dung của điều…</source>
            <translation>Nội dung của điều…</translation>
        </message>
        <message>
            <source>Chưa mở tài liệu nào. Hãy mở hoặc tạo tài liệu trước.</source>
            <translation>Chưa mở tài liệu nào. Hãy mở hoặc tạo tài liệu trước.</translation>
        </message>
        <message>
            <source>Đơn vị chưa có Quy ước trong tài liệu này.
Bấm «Tạo Quy ước» để bắt đầu soạn theo chương, điều.</source>
            <translation>Đơn vị chưa có Quy ước trong tài liệu này.
Bấm «Tạo Quy ước» để bắt đầu soạn theo chương, điều.</translation>
        </message>
        <message>
            <source>Phiên bản {n}</source>
            <translation>Phiên bản {n}</translation>
        </message>
        <message>
            <source> (hiện hành)</source>
            <translation> (hiện hành)</translation>
        </message>
        <message>
            <source>Đang xem phiên bản {old} (phiên bản cũ, chỉ để xem). Chọn phiên bản {cur} để sửa.</source>
            <translation>Đang xem phiên bản {old} (phiên bản cũ, chỉ để xem). Chọn phiên bản {cur} để sửa.</translation>
        </message>
        <message>
            <source>Quy ước này kế thừa từ hồ sơ năm trước. Sửa nếu Hội nghị đã thông qua nội dung mới.</source>
            <translation>Quy ước này kế thừa từ hồ sơ năm trước. Sửa nếu Hội nghị đã thông qua nội dung mới.</translation>
        </message>
        <message>
            <source>Chương {n}. {title}</source>
            <translation>Chương {n}. {title}</translation>
        </message>
        <message>
            <source>Điều {n}. {title}</source>
            <translation>Điều {n}. {title}</translation>
        </message>
        <message>
            <source>Chương {n}.</source>
            <translation>Chương {n}.</translation>
        </message>
        <message>
            <source>Điều {n}.</source>
            <translation>Điều {n}.</translation>
        </message>
        <message>
            <source>Nội dung được lưu khi bạn dừng gõ hoặc rời ô soạn thảo.</source>
            <translation>Nội dung được lưu khi bạn dừng gõ hoặc rời ô soạn thảo.</translation>
        </message>
        <message>
            <source>Phiên bản cũ: chỉ xem.</source>
            <translation>Phiên bản cũ: chỉ xem.</translation>
        </message>
        <message>
            <source>Tạo phiên bản {n} của Quy ước, chép từ phiên bản {cur} để sửa? Phiên bản {cur} được giữ lại để xem. Việc này không hoàn tác được.</source>
            <translation>Tạo phiên bản {n} của Quy ước, chép từ phiên bản {cur} để sửa? Phiên bản {cur} được giữ lại để xem. Việc này không hoàn tác được.</translation>
        </message>
        <message>
            <source>tên Quy ước</source>
            <translation>tên Quy ước</translation>
        </message>
        <message>
            <source>ngày thông qua</source>
            <translation>ngày thông qua</translation>
        </message>
        <message>
            <source>nơi thông qua</source>
            <translation>nơi thông qua</translation>
        </message>
        <message>
            <source>Sửa {what}</source>
            <translation>Sửa {what}</translation>
        </message>
        <message>
            <source>Chương mới</source>
            <translation>Chương mới</translation>
        </message>
        <message>
            <source>Điều mới</source>
            <translation>Điều mới</translation>
        </message>
        <message>
            <source>Thêm chương «{t}»</source>
            <translation>Thêm chương «{t}»</translation>
        </message>
        <message>
            <source>Thêm điều «{t}»</source>
            <translation>Thêm điều «{t}»</translation>
        </message>
        <message>
            <source>Đổi tên chương «{old}» thành «{new}»</source>
            <translation>Đổi tên chương «{old}» thành «{new}»</translation>
        </message>
        <message>
            <source>Sửa nội dung điều «{t}»</source>
            <translation>Sửa nội dung điều «{t}»</translation>
        </message>
        <message>
            <source>Đổi tên điều «{old}» thành «{new}»</source>
            <translation>Đổi tên điều «{old}» thành «{new}»</translation>
        </message>
        <message>
            <source>Xóa chương «{t}»</source>
            <translation>Xóa chương «{t}»</translation>
        </message>
        <message>
            <source>Xóa điều «{t}»</source>
            <translation>Xóa điều «{t}»</translation>
        </message>
        <message>
            <source>Đổi thứ tự chương</source>
            <translation>Đổi thứ tự chương</translation>
        </message>
        <message>
            <source>Đổi thứ tự điều</source>
            <translation>Đổi thứ tự điều</translation>
        </message>
        <message>
            <source>Quy ước xây dựng cơ quan văn hóa</source>
            <translation>Quy ước xây dựng cơ quan văn hóa</translation>
        </message>
        <message>
            <source>Cơ quan</source>
            <translation>Cơ quan</translation>
        </message>
        <message>
            <source>Quy ước xây dựng {kind} văn hóa {name}</source>
            <translation>Quy ước xây dựng {kind} văn hóa {name}</translation>
        </message>
    </context>
    <context>
        <name>CosignDialog</name>
        <message>
            <source>Ký tiếp hồ sơ</source>
            <translation>Ký tiếp hồ sơ</translation>
        </message>
        <message>
            <source>Chọn hồ sơ PDF đã được xuất và ký (thường do chủ tịch công đoàn ký trước). Thủ trưởng ký vào ô xác nhận, văn thư ký bằng chứng thư của đơn vị để đóng dấu. Mỗi ô chỉ ký một lần.</source>
            <translation>Chọn hồ sơ PDF đã được xuất và ký (thường do chủ tịch công đoàn ký trước). Thủ trưởng ký vào ô xác nhận, văn thư ký bằng chứng thư của đơn vị để đóng dấu. Mỗi ô chỉ ký một lần.</translation>
        </message>
        <message>
            <source>Hồ sơ PDF cần ký tiếp</source>
            <translation>Hồ sơ PDF cần ký tiếp</translation>
        </message>
        <message>
            <source>Chọn hồ sơ…</source>
            <translation>Chọn hồ sơ…</translation>
        </message>
        <message>
            <source>Chữ ký đã có</source>
            <translation>Chữ ký đã có</translation>
        </message>
        <message>
            <source>(chưa chọn hồ sơ)</source>
            <translation>(chưa chọn hồ sơ)</translation>
        </message>
        <message>
            <source>Ký bằng</source>
            <translation>Ký bằng</translation>
        </message>
        <message>
            <source>Ảnh chữ ký hoặc con dấu (PNG nền trong suốt), nếu hồ sơ chưa kèm</source>
            <translation>Ảnh chữ ký hoặc con dấu (PNG nền trong suốt), nếu hồ sơ chưa kèm</translation>
        </message>
        <message>
            <source>Chọn ảnh…</source>
            <translation>Chọn ảnh…</translation>
        </message>
        <message>
            <source>Ký</source>
            <translation>Ký</translation>
        </message>
        <message>
            <source>Đóng</source>
            <translation>Đóng</translation>
        </message>
        <message>
            <source>Chọn hồ sơ PDF</source>
            <translation>Chọn hồ sơ PDF</translation>
        </message>
        <message>
            <source>Hồ sơ PDF (*.pdf)</source>
            <translation>Hồ sơ PDF (*.pdf)</translation>
        </message>
        <message>
            <source>Chọn ảnh</source>
            <translation>Chọn ảnh</translation>
        </message>
        <message>
            <source>Ảnh PNG (*.png)</source>
            <translation>Ảnh PNG (*.png)</translation>
        </message>
        <message>
            <source>Đang kiểm tra hồ sơ…</source>
            <translation>Đang kiểm tra hồ sơ…</translation>
        </message>
        <message>
            <source>Đang ký…</source>
            <translation>Đang ký…</translation>
        </message>
        <message>
            <source>Chưa ký được; chưa có tệp nào được ghi.</source>
            <translation>Chưa ký được; chưa có tệp nào được ghi.</translation>
        </message>
        <message>
            <source>hợp lệ tại thời điểm ký</source>
            <translation>hợp lệ tại thời điểm ký</translation>
        </message>
        <message>
            <source>hợp lệ, tin cậy</source>
            <translation>hợp lệ, tin cậy</translation>
        </message>
        <message>
            <source>chứng thư đã bị thu hồi</source>
            <translation>chứng thư đã bị thu hồi</translation>
        </message>
        <message>
            <source>Lưu bản đã ký:</source>
            <translation>Lưu bản đã ký:</translation>
        </message>
        <message>
            <source>Hồ sơ chưa có chữ ký nào.</source>
            <translation>Hồ sơ chưa có chữ ký nào.</translation>
        </message>
        <message>
            <source>Đang ký hồ sơ…</source>
            <translation>Đang ký hồ sơ…</translation>
        </message>
        <message>
            <source>Lưu ý về chữ ký</source>
            <translation>Lưu ý về chữ ký</translation>
        </message>
        <message>
            <source>chưa được tin cậy</source>
            <translation>chưa được tin cậy</translation>
        </message>
        <message>
            <source>không hợp lệ</source>
            <translation>không hợp lệ</translation>
        </message>
        <message>
            <source>{n}. {role}: {who}, ký lúc {when} — {state}</source>
            <translation>{n}. {role}: {who}, ký lúc {when} — {state}</translation>
        </message>
        <message>
            <source>Không đọc được hồ sơ.</source>
            <translation>Không đọc được hồ sơ.</translation>
        </message>
        <message>
            <source>Hồ sơ không hợp lệ nên không ký tiếp được: </source>
            <translation>Hồ sơ không hợp lệ nên không ký tiếp được: </translation>
        </message>
        <message>
            <source>Hãy chọn hồ sơ PDF cần ký tiếp.</source>
            <translation>Hãy chọn hồ sơ PDF cần ký tiếp.</translation>
        </message>
        <message>
            <source>Đã ký và lưu: {path}. Hồ sơ có {n} chữ ký.</source>
            <translation>Đã ký và lưu: {path}. Hồ sơ có {n} chữ ký.</translation>
        </message>
        <message>
            <source>không rõ</source>
            <translation>không rõ</translation>
        </message>
        <message>
            <source>Không đọc được tệp ảnh ({why}). Hãy chọn lại ảnh.</source>
            <translation>Không đọc được tệp ảnh ({why}). Hãy chọn lại ảnh.</translation>
        </message>
    </context>
    <context>
        <name>CriterionDetail</name>
        <message>
            <source>Kết quả:</source>
            <translation>Kết quả:</translation>
        </message>
        <message>
            <source>Không áp dụng</source>
            <translation>Không áp dụng</translation>
        </message>
        <message>
            <source>Số liệu:</source>
            <translation>Số liệu:</translation>
        </message>
        <message>
            <source>Xác nhận kết quả chép từ năm trước</source>
            <translation>Xác nhận kết quả chép từ năm trước</translation>
        </message>
        <message>
            <source>Minh chứng đã gắn (kéo thả tệp vào đây hoặc vào dòng tiêu chí để thêm):</source>
            <translation>Minh chứng đã gắn (kéo thả tệp vào đây hoặc vào dòng tiêu chí để thêm):</translation>
        </message>
        <message>
            <source>Chưa lưu số liệu của tiêu chí {code}: {why}</source>
            <translation>Chưa lưu số liệu của tiêu chí {code}: {why}</translation>
        </message>
        <message>
            <source>Chọn một tiêu chí ở bên trái để xem và đánh giá.</source>
            <translation>Chọn một tiêu chí ở bên trái để xem và đánh giá.</translation>
        </message>
        <message>
            <source>Nhóm {g}: {t}</source>
            <translation>Nhóm {g}: {t}</translation>
        </message>
        <message>
            <source>Yêu cầu: {r}</source>
            <translation>Yêu cầu: {r}</translation>
        </message>
        <message>
            <source>bắt buộc</source>
            <translation>bắt buộc</translation>
        </message>
        <message>
            <source>không bắt buộc</source>
            <translation>không bắt buộc</translation>
        </message>
        <message>
            <source>cần ít nhất {n} minh chứng</source>
            <translation>cần ít nhất {n} minh chứng</translation>
        </message>
        <message>
            <source>điểm</source>
            <translation>điểm</translation>
        </message>
        <message>
            <source>→ {s}, {p} điểm</source>
            <translation>→ {s}, {p} điểm</translation>
        </message>
        <message>
            <source>→ {s}</source>
            <translation>→ {s}</translation>
        </message>
        <message>
            <source>(chưa có; thêm ở trang Minh chứng, cần ít nhất {n})</source>
            <translation>(chưa có; thêm ở trang Minh chứng, cần ít nhất {n})</translation>
        </message>
        <message>
            <source>Nội dung tiêu chí năm đó: «{t}»</source>
            <translation>Nội dung tiêu chí năm đó: «{t}»</translation>
        </message>
        <message>
            <source>Kết quả: {s}</source>
            <translation>Kết quả: {s}</translation>
        </message>
        <message>
            <source>Năm {y}</source>
            <translation>Năm {y}</translation>
        </message>
        <message>
            <source>Năm trước</source>
            <translation>Năm trước</translation>
        </message>
        <message>
            <source>sửa «{part}» của tiêu chí {code}</source>
            <translation>sửa «{part}» của tiêu chí {code}</translation>
        </message>
    </context>
    <context>
        <name>DocumentNumberEdit</name>
        <message>
            <source>Số, ký hiệu in sau «Số:» trên văn bản; để trống thì văn bản chừa chỗ cho văn thư ghi tay</source>
            <translation>Số, ký hiệu in sau «Số:» trên văn bản; để trống thì văn bản chừa chỗ cho văn thư ghi tay</translation>
        </message>
        <message>
            <source>sửa {what} năm {year}</source>
            <translation>sửa {what} năm {year}</translation>
        </message>
    </context>
    <context>
        <name>DonePage</name>
        <message>
            <source>Đã nhập xong</source>
            <translation>Đã nhập xong</translation>
        </message>
        <message>
            <source>Đã tạo kỳ đánh giá năm {0} từ hồ sơ năm {1}.</source>
            <translation>Đã tạo kỳ đánh giá năm {0} từ hồ sơ năm {1}.</translation>
        </message>
        <message>
            <source>{0} tiêu chí đang chờ xác nhận: trong trang Tiêu chí, các tiêu chí này được đánh dấu và kết quả năm trước hiện ở khung chi tiết. Dùng «Xác nhận tất cả tiêu chí không đổi» để xác nhận một lần.</source>
            <translation>{0} tiêu chí đang chờ xác nhận: trong trang Tiêu chí, các tiêu chí này được đánh dấu và kết quả năm trước hiện ở khung chi tiết. Dùng «Xác nhận tất cả tiêu chí không đổi» để xác nhận một lần.</translation>
        </message>
        <message>
            <source>{0} minh chứng được chuyển sang (đánh dấu «từ năm trước»).</source>
            <translation>{0} minh chứng được chuyển sang (đánh dấu «từ năm trước»).</translation>
        </message>
        <message>
            <source>Bản sao lưu trước khi nhập: {0}</source>
            <translation>Bản sao lưu trước khi nhập: {0}</translation>
        </message>
        <message>
            <source>Lưu ý: {0}</source>
            <translation>Lưu ý: {0}</translation>
        </message>
    </context>
    <context>
        <name>DropArea</name>
        <message>
            <source>Kéo thả tệp vào đây</source>
            <translation>Kéo thả tệp vào đây</translation>
        </message>
    </context>
    <context>
        <name>EvidencePage</name>
        <message>
            <source>Minh chứng</source>
            <translation>Minh chứng</translation>
        </message>
        <message>
            <source>Tìm theo mã, tên, số ký hiệu, tiêu chí…</source>
            <translation>Tìm theo mã, tên, số ký hiệu, tiêu chí…</translation>
        </message>
        <message>
            <source>Gõ có dấu hoặc không dấu đều được</source>
            <translation>Gõ có dấu hoặc không dấu đều được</translation>
        </message>
        <message>
            <source>Thêm tệp…</source>
            <translation>Thêm tệp…</translation>
        </message>
        <message>
            <source>Chọn tệp ảnh, PDF, văn bản để thêm làm minh chứng (Ctrl+Shift+A)</source>
            <translation>Chọn tệp ảnh, PDF, văn bản để thêm làm minh chứng (Ctrl+Shift+A)</translation>
        </message>
        <message>
            <source>Mở tệp</source>
            <translation>Mở tệp</translation>
        </message>
        <message>
            <source>Mở tệp minh chứng bằng chương trình xem trên máy</source>
            <translation>Mở tệp minh chứng bằng chương trình xem trên máy</translation>
        </message>
        <message>
            <source>Xóa</source>
            <translation>Xóa</translation>
        </message>
        <message>
            <source>Xóa minh chứng đang chọn (phím Delete; có thể hoàn tác bằng Ctrl+Z)</source>
            <translation>Xóa minh chứng đang chọn (phím Delete; có thể hoàn tác bằng Ctrl+Z)</translation>
        </message>
        <message>
            <source>Danh sách</source>
            <translation>Danh sách</translation>
        </message>
        <message>
            <source>Xem dạng bảng</source>
            <translation>Xem dạng bảng</translation>
        </message>
        <message>
            <source>Ảnh thu nhỏ</source>
            <translation>Ảnh thu nhỏ</translation>
        </message>
        <message>
            <source>Xem dạng lưới ảnh thu nhỏ</source>
            <translation>Xem dạng lưới ảnh thu nhỏ</translation>
        </message>
        <message>
            <source>Kéo thả tệp ảnh, PDF, văn bản vào đây (hoặc bất kỳ đâu trên trang) để thêm minh chứng</source>
            <translation>Kéo thả tệp ảnh, PDF, văn bản vào đây (hoặc bất kỳ đâu trên trang) để thêm minh chứng</translation>
        </message>
        <message>
            <source>Tệp đã có trong hồ sơ sẽ được nhận ra và không lưu hai lần</source>
            <translation>Tệp đã có trong hồ sơ sẽ được nhận ra và không lưu hai lần</translation>
        </message>
        <message>
            <source>Mã minh chứng, ví dụ MC-1.2-01 (chữ, số và dấu . - [ ])</source>
            <translation>Mã minh chứng, ví dụ MC-1.2-01 (chữ, số và dấu . - [ ])</translation>
        </message>
        <message>
            <source>Số, ký hiệu của văn bản, ví dụ 15/QĐ-CĐ</source>
            <translation>Số, ký hiệu của văn bản, ví dụ 15/QĐ-CĐ</translation>
        </message>
        <message>
            <source>(chưa có)</source>
            <translation>(chưa có)</translation>
        </message>
        <message>
            <source>Ngày ban hành văn bản (ngày/tháng/năm)</source>
            <translation>Ngày ban hành văn bản (ngày/tháng/năm)</translation>
        </message>
        <message>
            <source>Xóa ngày</source>
            <translation>Xóa ngày</translation>
        </message>
        <message>
            <source>Để trống ngày ban hành</source>
            <translation>Để trống ngày ban hành</translation>
        </message>
        <message>
            <source>Tự động (theo tùy chọn khi xuất hồ sơ)</source>
            <translation>Tự động (theo tùy chọn khi xuất hồ sơ)</translation>
        </message>
        <message>
            <source>Đính kèm bản thu nhỏ (ảnh)</source>
            <translation>Đính kèm bản thu nhỏ (ảnh)</translation>
        </message>
        <message>
            <source>Đính kèm bản gốc</source>
            <translation>Đính kèm bản gốc</translation>
        </message>
        <message>
            <source>Chỉ liệt kê, không đính kèm</source>
            <translation>Chỉ liệt kê, không đính kèm</translation>
        </message>
        <message>
            <source>Cách đưa minh chứng này vào hồ sơ PDF:
• Tự động: ảnh lớn được thu nhỏ khi hồ sơ vượt dung lượng đặt trong Cài đặt;
• Bản gốc: luôn đính kèm đúng tệp gốc;
• Bản thu nhỏ: ảnh đính kèm cỡ in (mã băm của ảnh gốc vẫn ghi trong hồ sơ);
• Chỉ liệt kê: ghi tên và mã băm, không đính kèm tệp (bản gốc lưu tại đơn vị).</source>
            <translation>Cách đưa minh chứng này vào hồ sơ PDF:
• Tự động: ảnh lớn được thu nhỏ khi hồ sơ vượt dung lượng đặt trong Cài đặt;
• Bản gốc: luôn đính kèm đúng tệp gốc;
• Bản thu nhỏ: ảnh đính kèm cỡ in (mã băm của ảnh gốc vẫn ghi trong hồ sơ);
• Chỉ liệt kê: ghi tên và mã băm, không đính kèm tệp (bản gốc lưu tại đơn vị).</translation>
        </message>
        <message>
            <source>Mã</source>
            <translation>Mã</translation>
        </message>
        <message>
            <source>Tên</source>
            <translation>Tên</translation>
        </message>
        <message>
            <source>Số, ký hiệu</source>
            <translation>Số, ký hiệu</translation>
        </message>
        <message>
            <source>Ngày ban hành</source>
            <translation>Ngày ban hành</translation>
        </message>
        <message>
            <source>Cơ quan ban hành</source>
            <translation>Cơ quan ban hành</translation>
        </message>
        <message>
            <source>Ghi chú</source>
            <translation>Ghi chú</translation>
        </message>
        <message>
            <source>Đưa vào hồ sơ</source>
            <translation>Đưa vào hồ sơ</translation>
        </message>
        <message>
            <source>Thông tin</source>
            <translation>Thông tin</translation>
        </message>
        <message>
            <source>Lọc tiêu chí…</source>
            <translation>Lọc tiêu chí…</translation>
        </message>
        <message>
            <source>Đánh dấu các tiêu chí mà minh chứng này chứng minh</source>
            <translation>Đánh dấu các tiêu chí mà minh chứng này chứng minh</translation>
        </message>
        <message>
            <source>Tiêu chí</source>
            <translation>Tiêu chí</translation>
        </message>
        <message>
            <source>Chưa mở tài liệu nào.</source>
            <translation>Chưa mở tài liệu nào.</translation>
        </message>
        <message>
            <source>{n} minh chứng · đính kèm {size}</source>
            <translation>{n} minh chứng · đính kèm {size}</translation>
        </message>
        <message>
            <source>Tiêu chí ({n})</source>
            <translation>Tiêu chí ({n})</translation>
        </message>
        <message>
            <source>Chọn một minh chứng để xem và sửa thông tin.</source>
            <translation>Chọn một minh chứng để xem và sửa thông tin.</translation>
        </message>
        <message>
            <source>Chưa có minh chứng. Kéo thả tệp vào trang này hoặc bấm «Thêm tệp…».</source>
            <translation>Chưa có minh chứng. Kéo thả tệp vào trang này hoặc bấm «Thêm tệp…».</translation>
        </message>
        <message>
            <source>(không có tệp)</source>
            <translation>(không có tệp)</translation>
        </message>
        <message>
            <source>kế thừa từ năm trước</source>
            <translation>kế thừa từ năm trước</translation>
        </message>
        <message>
            <source>Đang tạo ảnh xem trước…</source>
            <translation>Đang tạo ảnh xem trước…</translation>
        </message>
        <message>
            <source>Không có ảnh xem trước cho loại tệp này.
Bấm «Mở tệp» để xem.</source>
            <translation>Không có ảnh xem trước cho loại tệp này.
Bấm «Mở tệp» để xem.</translation>
        </message>
        <message>
            <source>mã</source>
            <translation>mã</translation>
        </message>
        <message>
            <source>tên</source>
            <translation>tên</translation>
        </message>
        <message>
            <source>số, ký hiệu</source>
            <translation>số, ký hiệu</translation>
        </message>
        <message>
            <source>ngày ban hành</source>
            <translation>ngày ban hành</translation>
        </message>
        <message>
            <source>cơ quan ban hành</source>
            <translation>cơ quan ban hành</translation>
        </message>
        <message>
            <source>ghi chú</source>
            <translation>ghi chú</translation>
        </message>
        <message>
            <source>đính kèm</source>
            <translation>đính kèm</translation>
        </message>
        <message>
            <source>cách đưa vào hồ sơ</source>
            <translation>cách đưa vào hồ sơ</translation>
        </message>
        <message>
            <source>Sửa {what} của minh chứng {code}</source>
            <translation>Sửa {what} của minh chứng {code}</translation>
        </message>
        <message>
            <source>Gắn {ev} với tiêu chí {code}</source>
            <translation>Gắn {ev} với tiêu chí {code}</translation>
        </message>
        <message>
            <source>Bỏ gắn {ev} khỏi tiêu chí {code}</source>
            <translation>Bỏ gắn {ev} khỏi tiêu chí {code}</translation>
        </message>
        <message>
            <source>Chọn tệp minh chứng</source>
            <translation>Chọn tệp minh chứng</translation>
        </message>
        <message>
            <source>Tệp minh chứng (*.pdf *.jpg *.jpeg *.png *.gif *.bmp *.tif *.tiff *.webp *.doc *.docx *.xls *.xlsx *.odt *.ods *.txt *.mp4 *.mp3 *.zip);;Mọi tệp (*)</source>
            <translation>Tệp minh chứng (*.pdf *.jpg *.jpeg *.png *.gif *.bmp *.tif *.tiff *.webp *.doc *.docx *.xls *.xlsx *.odt *.ods *.txt *.mp4 *.mp3 *.zip);;Mọi tệp (*)</translation>
        </message>
        <message>
            <source>Chưa mở tài liệu nào. Hãy mở hoặc tạo tài liệu trước khi thêm minh chứng.</source>
            <translation>Chưa mở tài liệu nào. Hãy mở hoặc tạo tài liệu trước khi thêm minh chứng.</translation>
        </message>
        <message>
            <source>Đang thêm {n} tệp minh chứng…</source>
            <translation>Đang thêm {n} tệp minh chứng…</translation>
        </message>
        <message>
            <source>Đang thêm tệp minh chứng…</source>
            <translation>Đang thêm tệp minh chứng…</translation>
        </message>
        <message>
            <source>Tệp «{name}» đã có (minh chứng {code}); đã gắn thêm vào tiêu chí {codes}, không lưu lại lần nữa.</source>
            <translation>Tệp «{name}» đã có (minh chứng {code}); đã gắn thêm vào tiêu chí {codes}, không lưu lại lần nữa.</translation>
        </message>
        <message>
            <source>Tệp «{name}» đã có (minh chứng {code}); không lưu lại lần nữa.</source>
            <translation>Tệp «{name}» đã có (minh chứng {code}); không lưu lại lần nữa.</translation>
        </message>
        <message>
            <source>Đã thêm {n} minh chứng: {codes}.</source>
            <translation>Đã thêm {n} minh chứng: {codes}.</translation>
        </message>
        <message>
            <source>Gắn minh chứng {code} với tiêu chí {codes}</source>
            <translation>Gắn minh chứng {code} với tiêu chí {codes}</translation>
        </message>
        <message>
            <source>Thêm minh chứng {code}</source>
            <translation>Thêm minh chứng {code}</translation>
        </message>
        <message>
            <source>Không khôi phục được minh chứng {code} vì nó không có tệp.</source>
            <translation>Không khôi phục được minh chứng {code} vì nó không có tệp.</translation>
        </message>
        <message>
            <source>Xóa minh chứng</source>
            <translation>Xóa minh chứng</translation>
        </message>
        <message>
            <source>Minh chứng {code} chỉ có thông tin, không có tệp, nên xóa rồi sẽ không hoàn tác được. Vẫn xóa?</source>
            <translation>Minh chứng {code} chỉ có thông tin, không có tệp, nên xóa rồi sẽ không hoàn tác được. Vẫn xóa?</translation>
        </message>
        <message>
            <source>Xóa minh chứng {code}</source>
            <translation>Xóa minh chứng {code}</translation>
        </message>
        <message>
            <source>Máy chưa có chương trình để mở tệp «{name}». Tệp đã được lưu tạm tại:
{path}</source>
            <translation>Máy chưa có chương trình để mở tệp «{name}». Tệp đã được lưu tạm tại:
{path}</translation>
        </message>
        <message>
            <source>Đang mở tệp minh chứng…</source>
            <translation>Đang mở tệp minh chứng…</translation>
        </message>
        <message>
            <source>Đính kèm tệp vào hồ sơ khi xuất</source>
            <translation>Đính kèm tệp vào hồ sơ khi xuất</translation>
        </message>
        <message>
            <source>không có tệp</source>
            <translation>không có tệp</translation>
        </message>
        <message>
            <source>Chỉ liệt kê, không đính kèm vào hồ sơ</source>
            <translation>Chỉ liệt kê, không đính kèm vào hồ sơ</translation>
        </message>
        <message>
            <source>{title} (kế thừa)</source>
            <translation>{title} (kế thừa)</translation>
        </message>
        <message>
            <source>Gắn với tiêu chí: {codes}</source>
            <translation>Gắn với tiêu chí: {codes}</translation>
        </message>
        <message>
            <source>Kế thừa từ hồ sơ năm trước</source>
            <translation>Kế thừa từ hồ sơ năm trước</translation>
        </message>
        <message>
            <source>Đính kèm vào hồ sơ (tự động: ảnh lớn thu nhỏ khi hồ sơ vượt dung lượng)</source>
            <translation>Đính kèm vào hồ sơ (tự động: ảnh lớn thu nhỏ khi hồ sơ vượt dung lượng)</translation>
        </message>
        <message>
            <source>Đính kèm bản gốc vào hồ sơ</source>
            <translation>Đính kèm bản gốc vào hồ sơ</translation>
        </message>
        <message>
            <source>Đính kèm bản thu nhỏ vào hồ sơ</source>
            <translation>Đính kèm bản thu nhỏ vào hồ sơ</translation>
        </message>
        <message>
            <source>Cơ quan ban hành: {issuer}</source>
            <translation>Cơ quan ban hành: {issuer}</translation>
        </message>
    </context>
    <context>
        <name>ExportDialog</name>
        <message>
            <source>Thông tin đơn vị</source>
            <translation>Thông tin đơn vị</translation>
        </message>
        <message>
            <source>Chưa đánh giá</source>
            <translation>Chưa đánh giá</translation>
        </message>
        <message>
            <source>Cần xác nhận</source>
            <translation>Cần xác nhận</translation>
        </message>
        <message>
            <source>Thiếu minh chứng</source>
            <translation>Thiếu minh chứng</translation>
        </message>
        <message>
            <source>Lưu ý</source>
            <translation>Lưu ý</translation>
        </message>
        <message>
            <source>Xuất hồ sơ</source>
            <translation>Xuất hồ sơ</translation>
        </message>
        <message>
            <source>In…</source>
            <translation>In…</translation>
        </message>
        <message>
            <source>Mở thư mục</source>
            <translation>Mở thư mục</translation>
        </message>
        <message>
            <source>Xuất lại…</source>
            <translation>Xuất lại…</translation>
        </message>
        <message>
            <source>Đóng</source>
            <translation>Đóng</translation>
        </message>
        <message>
            <source>Kiểm tra trước khi xuất</source>
            <translation>Kiểm tra trước khi xuất</translation>
        </message>
        <message>
            <source>Nội dung hồ sơ</source>
            <translation>Nội dung hồ sơ</translation>
        </message>
        <message>
            <source>Tự động (thu nhỏ khi hồ sơ quá lớn)</source>
            <translation>Tự động (thu nhỏ khi hồ sơ quá lớn)</translation>
        </message>
        <message>
            <source>Bản gốc</source>
            <translation>Bản gốc</translation>
        </message>
        <message>
            <source>Bản thu nhỏ cỡ in</source>
            <translation>Bản thu nhỏ cỡ in</translation>
        </message>
        <message>
            <source>Áp dụng cho minh chứng để «Tự động» ở trang Minh chứng; minh chứng đã chọn bản gốc, bản thu nhỏ hoặc chỉ liệt kê luôn theo lựa chọn riêng của nó.</source>
            <translation>Áp dụng cho minh chứng để «Tự động» ở trang Minh chứng; minh chứng đã chọn bản gốc, bản thu nhỏ hoặc chỉ liệt kê luôn theo lựa chọn riêng của nó.</translation>
        </message>
        <message>
            <source>Mỗi minh chứng được đính kèm vào hồ sơ hoặc chỉ ghi tên trong danh mục (ví dụ tệp có thông tin cá nhân). Chọn cho từng minh chứng ở trang «Minh chứng». Khi hồ sơ vượt dung lượng mong muốn, ảnh lớn được đính kèm bản thu nhỏ đủ rõ để in.</source>
            <translation>Mỗi minh chứng được đính kèm vào hồ sơ hoặc chỉ ghi tên trong danh mục (ví dụ tệp có thông tin cá nhân). Chọn cho từng minh chứng ở trang «Minh chứng». Khi hồ sơ vượt dung lượng mong muốn, ảnh lớn được đính kèm bản thu nhỏ đủ rõ để in.</translation>
        </message>
        <message>
            <source>Bản nháp (đóng dấu BẢN NHÁP)</source>
            <translation>Bản nháp (đóng dấu BẢN NHÁP)</translation>
        </message>
        <message>
            <source>Ký số</source>
            <translation>Ký số</translation>
        </message>
        <message>
            <source>Lưu hồ sơ</source>
            <translation>Lưu hồ sơ</translation>
        </message>
        <message>
            <source>Chọn…</source>
            <translation>Chọn…</translation>
        </message>
        <message>
            <source>(chưa có tên đơn vị)</source>
            <translation>(chưa có tên đơn vị)</translation>
        </message>
        <message>
            <source>Tệp PDF (*.pdf)</source>
            <translation>Tệp PDF (*.pdf)</translation>
        </message>
        <message>
            <source>Đang mở bản xem trước…</source>
            <translation>Đang mở bản xem trước…</translation>
        </message>
        <message>
            <source>Chưa mở tài liệu nào. Hãy mở hoặc tạo tài liệu rồi xuất hồ sơ.</source>
            <translation>Chưa mở tài liệu nào. Hãy mở hoặc tạo tài liệu rồi xuất hồ sơ.</translation>
        </message>
        <message>
            <source>Ảnh mỗi trang phụ lục:</source>
            <translation>Ảnh mỗi trang phụ lục:</translation>
        </message>
        <message>
            <source>Ảnh đính kèm:</source>
            <translation>Ảnh đính kèm:</translation>
        </message>
        <message>
            <source>Tệp PDF:</source>
            <translation>Tệp PDF:</translation>
        </message>
        <message>
            <source>Xem:</source>
            <translation>Xem:</translation>
        </message>
        <message>
            <source>Vừa chiều ngang</source>
            <translation>Vừa chiều ngang</translation>
        </message>
        <message>
            <source>Cả trang</source>
            <translation>Cả trang</translation>
        </message>
        <message>
            <source>100 %</source>
            <translation>100 %</translation>
        </message>
        <message>
            <source>Bấm để đi tới mục này và hoàn thành nó.</source>
            <translation>Bấm để đi tới mục này và hoàn thành nó.</translation>
        </message>
        <message>
            <source>Vì còn mục chưa hoàn thành nên hồ sơ chỉ xuất được dưới dạng bản nháp, mọi trang có dấu «BẢN NHÁP».</source>
            <translation>Vì còn mục chưa hoàn thành nên hồ sơ chỉ xuất được dưới dạng bản nháp, mọi trang có dấu «BẢN NHÁP».</translation>
        </message>
        <message>
            <source>Đã đủ thông tin: hồ sơ sẵn sàng để xuất bản chính thức.</source>
            <translation>Đã đủ thông tin: hồ sơ sẵn sàng để xuất bản chính thức.</translation>
        </message>
        <message>
            <source>Dung lượng dự kiến: {size}</source>
            <translation>Dung lượng dự kiến: {size}</translation>
        </message>
        <message>
            <source>Đang xuất hồ sơ…</source>
            <translation>Đang xuất hồ sơ…</translation>
        </message>
        <message>
            <source>Đang hủy…</source>
            <translation>Đang hủy…</translation>
        </message>
        <message>
            <source>Hủy</source>
            <translation>Hủy</translation>
        </message>
        <message>
            <source>Dừng xuất hồ sơ; không có tệp nào được ghi.</source>
            <translation>Dừng xuất hồ sơ; không có tệp nào được ghi.</translation>
        </message>
        <message>
            <source>Lưu ý về chữ ký</source>
            <translation>Lưu ý về chữ ký</translation>
        </message>
        <message>
            <source>Đã hủy xuất hồ sơ; không có tệp nào được ghi.</source>
            <translation>Đã hủy xuất hồ sơ; không có tệp nào được ghi.</translation>
        </message>
        <message>
            <source>đã ký số</source>
            <translation>đã ký số</translation>
        </message>
        <message>
            <source>chưa ký số</source>
            <translation>chưa ký số</translation>
        </message>
        <message>
            <source>Hồ sơ tự đánh giá {period} — {unit}</source>
            <translation>Hồ sơ tự đánh giá {period} — {unit}</translation>
        </message>
        <message>
            <source>Hãy chọn nơi lưu tệp hồ sơ PDF (nút «Chọn…»).</source>
            <translation>Hãy chọn nơi lưu tệp hồ sơ PDF (nút «Chọn…»).</translation>
        </message>
        <message>
            <source>Ghi đè tệp?</source>
            <translation>Ghi đè tệp?</translation>
        </message>
        <message>
            <source>Ghi đè</source>
            <translation>Ghi đè</translation>
        </message>
        <message>
            <source>Không</source>
            <translation>Không</translation>
        </message>
        <message>
            <source>Đang xuất và ký hồ sơ…</source>
            <translation>Đang xuất và ký hồ sơ…</translation>
        </message>
        <message>
            <source>Chưa xuất được hồ sơ.</source>
            <translation>Chưa xuất được hồ sơ.</translation>
        </message>
        <message>
            <source>{n} trang</source>
            <translation>{n} trang</translation>
        </message>
        <message>
            <source>{n} tệp minh chứng đính kèm</source>
            <translation>{n} tệp minh chứng đính kèm</translation>
        </message>
        <message>
            <source>Đã xuất hồ sơ: {path}
{facts}.</source>
            <translation>Đã xuất hồ sơ: {path}
{facts}.</translation>
        </message>
        <message>
            <source>{n} ảnh</source>
            <translation>{n} ảnh</translation>
        </message>
        <message>
            <source>Còn {n} mục chưa hoàn thành. Bấm vào một mục để đi tới chỗ cần sửa; hồ sơ chính thức chỉ xuất được khi danh sách này trống.</source>
            <translation>Còn {n} mục chưa hoàn thành. Bấm vào một mục để đi tới chỗ cần sửa; hồ sơ chính thức chỉ xuất được khi danh sách này trống.</translation>
        </message>
        <message>
            <source>Chưa xuất được hồ sơ chính thức vì còn {n} mục chưa hoàn thành (xem phần «Kiểm tra trước khi xuất»). Hãy hoàn thành các mục đó rồi xuất lại, hoặc đánh dấu «Bản nháp» để xuất bản nháp có dấu «BẢN NHÁP» trên mọi trang. Chưa có tệp nào được ghi.</source>
            <translation>Chưa xuất được hồ sơ chính thức vì còn {n} mục chưa hoàn thành (xem phần «Kiểm tra trước khi xuất»). Hãy hoàn thành các mục đó rồi xuất lại, hoặc đánh dấu «Bản nháp» để xuất bản nháp có dấu «BẢN NHÁP» trên mọi trang. Chưa có tệp nào được ghi.</translation>
        </message>
        <message>
            <source>đánh dấu báo cáo năm {y} «Đã hoàn tất» sau khi xuất hồ sơ chính thức</source>
            <translation>đánh dấu báo cáo năm {y} «Đã hoàn tất» sau khi xuất hồ sơ chính thức</translation>
        </message>
        <message>
            <source>{n} trang; cuộn để xem tiếp.</source>
            <translation>{n} trang; cuộn để xem tiếp.</translation>
        </message>
        <message>
            <source>Tệp «{name}» đã có trong thư mục «{folder}». Thay bằng hồ sơ mới?</source>
            <translation>Tệp «{name}» đã có trong thư mục «{folder}». Thay bằng hồ sơ mới?</translation>
        </message>
        <message>
            <source>Lưu ý {n} tiêu chí chỉ có minh chứng của năm trước (xem danh sách).</source>
            <translation>Lưu ý {n} tiêu chí chỉ có minh chứng của năm trước (xem danh sách).</translation>
        </message>
    </context>
    <context>
        <name>HelpDialog</name>
        <message>
            <source>Hướng dẫn sử dụng Khối</source>
            <translation>Hướng dẫn sử dụng Khối</translation>
        </message>
        <message>
            <source>ví dụ: ký số, minh chứng, sao lưu</source>
            <translation>ví dụ: ký số, minh chứng, sao lưu</translation>
        </message>
        <message>
            <source>Tìm tiếp</source>
            <translation>Tìm tiếp</translation>
        </message>
        <message>
            <source>Đóng</source>
            <translation>Đóng</translation>
        </message>
        <message>
            <source>Hướng dẫn có sẵn trong máy, không cần Internet.</source>
            <translation>Hướng dẫn có sẵn trong máy, không cần Internet.</translation>
        </message>
        <message>
            <source>Tìm trong hướng dẫn:</source>
            <translation>Tìm trong hướng dẫn:</translation>
        </message>
        <message>
            <source>Không thấy «{text}» trong hướng dẫn.</source>
            <translation>Không thấy «{text}» trong hướng dẫn.</translation>
        </message>
        <message>
            <source>Không mở được «{name}» ({why}). Hướng dẫn đầy đủ có trong thư mục docs của bộ cài; nếu thiếu, hãy cài lại Khối.</source>
            <translation>Không mở được «{name}» ({why}). Hướng dẫn đầy đủ có trong thư mục docs của bộ cài; nếu thiếu, hãy cài lại Khối.</translation>
        </message>
    </context>
    <context>
        <name>ImportWizard</name>
        <message>
            <source>Nhập hồ sơ năm trước</source>
            <translation>Nhập hồ sơ năm trước</translation>
        </message>
        <message>
            <source>Tiếp</source>
            <translation>Tiếp</translation>
        </message>
        <message>
            <source>Quay lại</source>
            <translation>Quay lại</translation>
        </message>
        <message>
            <source>Hủy</source>
            <translation>Hủy</translation>
        </message>
        <message>
            <source>Xong</source>
            <translation>Xong</translation>
        </message>
        <message>
            <source>Đang kiểm tra hồ sơ…</source>
            <translation>Đang kiểm tra hồ sơ…</translation>
        </message>
        <message>
            <source>Đang nhập hồ sơ…</source>
            <translation>Đang nhập hồ sơ…</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>. Bấm «Lưu thành…» để lưu tất cả vào một tệp mới rồi làm việc tiếp trên tệp đó.</source>
            <translation>. Bấm «Lưu thành…» để lưu tất cả vào một tệp mới rồi làm việc tiếp trên tệp đó.</translation>
        </message>
        <message>
            <source>Đơn vị</source>
            <translation>Đơn vị</translation>
        </message>
        <message>
            <source>Ban chỉ đạo và kế hoạch</source>
            <translation>Ban chỉ đạo và kế hoạch</translation>
        </message>
        <message>
            <source>Tiêu chí</source>
            <translation>Tiêu chí</translation>
        </message>
        <message>
            <source>Minh chứng</source>
            <translation>Minh chứng</translation>
        </message>
        <message>
            <source>Quy ước</source>
            <translation>Quy ước</translation>
        </message>
        <message>
            <source>Quy tắc ứng xử</source>
            <translation>Quy tắc ứng xử</translation>
        </message>
        <message>
            <source>Hoạt động và khen thưởng</source>
            <translation>Hoạt động và khen thưởng</translation>
        </message>
        <message>
            <source>Khối</source>
            <translation>Khối</translation>
        </message>
        <message>
            <source>Lưu thành…</source>
            <translation>Lưu thành…</translation>
        </message>
        <message>
            <source>Kỳ đánh giá</source>
            <translation>Kỳ đánh giá</translation>
        </message>
        <message>
            <source>&amp;Mới…</source>
            <translation>&amp;Mới…</translation>
        </message>
        <message>
            <source>M&amp;ở…</source>
            <translation>M&amp;ở…</translation>
        </message>
        <message>
            <source>&amp;Lưu thành…</source>
            <translation>&amp;Lưu thành…</translation>
        </message>
        <message>
            <source>Lưu tài liệu đang mở thành một tệp mới và làm việc tiếp trên tệp đó</source>
            <translation>Lưu tài liệu đang mở thành một tệp mới và làm việc tiếp trên tệp đó</translation>
        </message>
        <message>
            <source>&amp;Xuất hồ sơ…</source>
            <translation>&amp;Xuất hồ sơ…</translation>
        </message>
        <message>
            <source>&amp;Kiểm tra hồ sơ PDF…</source>
            <translation>&amp;Kiểm tra hồ sơ PDF…</translation>
        </message>
        <message>
            <source>Ký &amp;tiếp hồ sơ…</source>
            <translation>Ký &amp;tiếp hồ sơ…</translation>
        </message>
        <message>
            <source>Thủ trưởng ký xác nhận, hoặc đóng dấu (chứng thư của đơn vị) vào hồ sơ PDF đã xuất</source>
            <translation>Thủ trưởng ký xác nhận, hoặc đóng dấu (chứng thư của đơn vị) vào hồ sơ PDF đã xuất</translation>
        </message>
        <message>
            <source>&amp;Nhập hồ sơ năm trước…</source>
            <translation>&amp;Nhập hồ sơ năm trước…</translation>
        </message>
        <message>
            <source>Tạo kỳ đánh giá mới từ hồ sơ PDF năm trước do Khối xuất</source>
            <translation>Tạo kỳ đánh giá mới từ hồ sơ PDF năm trước do Khối xuất</translation>
        </message>
        <message>
            <source>&amp;Sao lưu và khôi phục…</source>
            <translation>&amp;Sao lưu và khôi phục…</translation>
        </message>
        <message>
            <source>Xem các bản sao lưu của tài liệu đang mở và khôi phục một bản</source>
            <translation>Xem các bản sao lưu của tài liệu đang mở và khôi phục một bản</translation>
        </message>
        <message>
            <source>Ảnh chữ ký và con dấu…</source>
            <translation>Ảnh chữ ký và con dấu…</translation>
        </message>
        <message>
            <source>Chọn ảnh chữ ký của chủ tịch, thủ trưởng và con dấu của đơn vị (PNG nền trong suốt)</source>
            <translation>Chọn ảnh chữ ký của chủ tịch, thủ trưởng và con dấu của đơn vị (PNG nền trong suốt)</translation>
        </message>
        <message>
            <source>Tổng hợp khối…</source>
            <translation>Tổng hợp khối…</translation>
        </message>
        <message>
            <source>Kiểm tra và tổng hợp các hồ sơ PDF đơn vị gửi về: tệp nào được tính và vì sao, danh sách đơn vị, số liệu báo cáo, biểu đồ; xuất Excel, Word, CSV, bản tổng hợp PDF</source>
            <translation>Kiểm tra và tổng hợp các hồ sơ PDF đơn vị gửi về: tệp nào được tính và vì sao, danh sách đơn vị, số liệu báo cáo, biểu đồ; xuất Excel, Word, CSV, bản tổng hợp PDF</translation>
        </message>
        <message>
            <source>T&amp;hoát</source>
            <translation>T&amp;hoát</translation>
        </message>
        <message>
            <source>Hoàn tác</source>
            <translation>Hoàn tác</translation>
        </message>
        <message>
            <source>Làm lại</source>
            <translation>Làm lại</translation>
        </message>
        <message>
            <source>&amp;Tìm tiêu chí</source>
            <translation>&amp;Tìm tiêu chí</translation>
        </message>
        <message>
            <source>&amp;Cài đặt…</source>
            <translation>&amp;Cài đặt…</translation>
        </message>
        <message>
            <source>Thêm kỳ đánh giá…</source>
            <translation>Thêm kỳ đánh giá…</translation>
        </message>
        <message>
            <source>&amp;Giới thiệu</source>
            <translation>&amp;Giới thiệu</translation>
        </message>
        <message>
            <source>&amp;Hướng dẫn sử dụng</source>
            <translation>&amp;Hướng dẫn sử dụng</translation>
        </message>
        <message>
            <source>Mở hướng dẫn sử dụng (có sẵn trong máy, không cần Internet)</source>
            <translation>Mở hướng dẫn sử dụng (có sẵn trong máy, không cần Internet)</translation>
        </message>
        <message>
            <source>? Hướng dẫn</source>
            <translation>? Hướng dẫn</translation>
        </message>
        <message>
            <source>Hướng dẫn cho trang đang xem</source>
            <translation>Hướng dẫn cho trang đang xem</translation>
        </message>
        <message>
            <source>&amp;Tệp</source>
            <translation>&amp;Tệp</translation>
        </message>
        <message>
            <source>Mở &amp;gần đây</source>
            <translation>Mở &amp;gần đây</translation>
        </message>
        <message>
            <source>&amp;Sửa</source>
            <translation>&amp;Sửa</translation>
        </message>
        <message>
            <source>&amp;Xem</source>
            <translation>&amp;Xem</translation>
        </message>
        <message>
            <source>&amp;Công cụ</source>
            <translation>&amp;Công cụ</translation>
        </message>
        <message>
            <source>T&amp;rợ giúp</source>
            <translation>T&amp;rợ giúp</translation>
        </message>
        <message>
            <source>Tạo tài liệu mới</source>
            <translation>Tạo tài liệu mới</translation>
        </message>
        <message>
            <source>Mở tài liệu</source>
            <translation>Mở tài liệu</translation>
        </message>
        <message>
            <source>Thêm kỳ đánh giá</source>
            <translation>Thêm kỳ đánh giá</translation>
        </message>
        <message>
            <source>Năm đánh giá:</source>
            <translation>Năm đánh giá:</translation>
        </message>
        <message>
            <source>Thêm</source>
            <translation>Thêm</translation>
        </message>
        <message>
            <source>Hủy</source>
            <translation>Hủy</translation>
        </message>
        <message>
            <source>Lưu tài liệu thành</source>
            <translation>Lưu tài liệu thành</translation>
        </message>
        <message>
            <source>Còn thay đổi chưa lưu</source>
            <translation>Còn thay đổi chưa lưu</translation>
        </message>
        <message>
            <source>Bỏ các thay đổi</source>
            <translation>Bỏ các thay đổi</translation>
        </message>
        <message>
            <source>Quay lại</source>
            <translation>Quay lại</translation>
        </message>
        <message>
            <source> (chỉ đọc)</source>
            <translation> (chỉ đọc)</translation>
        </message>
        <message>
            <source>Nhập hồ sơ này…</source>
            <translation>Nhập hồ sơ này…</translation>
        </message>
        <message>
            <source>Tạo kỳ đánh giá mới từ hồ sơ này (trình hướng dẫn nhập hồ sơ năm trước)</source>
            <translation>Tạo kỳ đánh giá mới từ hồ sơ này (trình hướng dẫn nhập hồ sơ năm trước)</translation>
        </message>
        <message>
            <source>  Kỳ đánh giá: </source>
            <translation>  Kỳ đánh giá: </translation>
        </message>
        <message>
            <source>Chức năng xuất hồ sơ chưa có trong phiên bản này.</source>
            <translation>Chức năng xuất hồ sơ chưa có trong phiên bản này.</translation>
        </message>
        <message>
            <source>Chưa thêm được minh chứng</source>
            <translation>Chưa thêm được minh chứng</translation>
        </message>
        <message>
            <source>Trang Minh chứng chưa có trong phiên bản này.</source>
            <translation>Trang Minh chứng chưa có trong phiên bản này.</translation>
        </message>
        <message>
            <source>Đang tạo tài liệu…</source>
            <translation>Đang tạo tài liệu…</translation>
        </message>
        <message>
            <source>Tài liệu mới</source>
            <translation>Tài liệu mới</translation>
        </message>
        <message>
            <source>Đang mở tài liệu…</source>
            <translation>Đang mở tài liệu…</translation>
        </message>
        <message>
            <source>(chưa có tài liệu nào)</source>
            <translation>(chưa có tài liệu nào)</translation>
        </message>
        <message>
            <source>Xóa danh sách</source>
            <translation>Xóa danh sách</translation>
        </message>
        <message>
            <source>tài liệu được mở để xem</source>
            <translation>tài liệu được mở để xem</translation>
        </message>
        <message>
            <source>Muốn sửa, hãy đóng cửa sổ kia rồi mở lại tài liệu.</source>
            <translation>Muốn sửa, hãy đóng cửa sổ kia rồi mở lại tài liệu.</translation>
        </message>
        <message>
            <source>Muốn sửa, hãy chép tệp vào thư mục có quyền ghi (ví dụ thư mục Tài liệu) rồi mở bản chép.</source>
            <translation>Muốn sửa, hãy chép tệp vào thư mục có quyền ghi (ví dụ thư mục Tài liệu) rồi mở bản chép.</translation>
        </message>
        <message>
            <source>Tài liệu đang mở ở chế độ chỉ đọc nên không nhập hồ sơ vào được.</source>
            <translation>Tài liệu đang mở ở chế độ chỉ đọc nên không nhập hồ sơ vào được.</translation>
        </message>
        <message>
            <source>Tệp «{name}» đã bị xóa, đổi tên hoặc chuyển đi nơi khác trong lúc đang mở. Khối vẫn giữ dữ liệu đã lưu trước đó</source>
            <translation>Tệp «{name}» đã bị xóa, đổi tên hoặc chuyển đi nơi khác trong lúc đang mở. Khối vẫn giữ dữ liệu đã lưu trước đó</translation>
        </message>
        <message>
            <source>Tệp đã bị chuyển đi</source>
            <translation>Tệp đã bị chuyển đi</translation>
        </message>
        <message>
            <source>Chưa mở tài liệu nào</source>
            <translation>Chưa mở tài liệu nào</translation>
        </message>
        <message>
            <source>Chỉ đọc: thay đổi không được lưu</source>
            <translation>Chỉ đọc: thay đổi không được lưu</translation>
        </message>
        <message>
            <source>Phần «{title}» chưa có trong phiên bản này.</source>
            <translation>Phần «{title}» chưa có trong phiên bản này.</translation>
        </message>
        <message>
            <source>Đã hoàn tác: {what}</source>
            <translation>Đã hoàn tác: {what}</translation>
        </message>
        <message>
            <source>Đã làm lại: {what}</source>
            <translation>Đã làm lại: {what}</translation>
        </message>
        <message>
            <source> (trang {page})</source>
            <translation> (trang {page})</translation>
        </message>
        <message>
            <source> và {n} thay đổi vừa làm (chưa ghi được vào tệp)</source>
            <translation> và {n} thay đổi vừa làm (chưa ghi được vào tệp)</translation>
        </message>
        <message>
            <source>Đã lưu tài liệu thành «{path}».</source>
            <translation>Đã lưu tài liệu thành «{path}».</translation>
        </message>
        <message>
            <source>Tệp của tài liệu đã bị xóa hoặc đổi tên nên {n} thay đổi vừa làm chưa được lưu. Lưu tài liệu thành một tệp mới trước khi đóng?</source>
            <translation>Tệp của tài liệu đã bị xóa hoặc đổi tên nên {n} thay đổi vừa làm chưa được lưu. Lưu tài liệu thành một tệp mới trước khi đóng?</translation>
        </message>
        <message>
            <source>Đã đánh giá {a}/{t} · đủ minh chứng {e}/{t}</source>
            <translation>Đã đánh giá {a}/{t} · đủ minh chứng {e}/{t}</translation>
        </message>
        <message>
            <source>Kết quả: {label}</source>
            <translation>Kết quả: {label}</translation>
        </message>
        <message>
            <source>Mọi thay đổi được lưu ngay</source>
            <translation>Mọi thay đổi được lưu ngay</translation>
        </message>
        <message>
            <source>Đã tạo kỳ đánh giá năm {year} từ hồ sơ năm {source}: {n} tiêu chí cần xác nhận (dùng «Xác nhận tất cả tiêu chí không đổi» ở trang Tiêu chí).</source>
            <translation>Đã tạo kỳ đánh giá năm {year} từ hồ sơ năm {source}: {n} tiêu chí cần xác nhận (dùng «Xác nhận tất cả tiêu chí không đổi» ở trang Tiêu chí).</translation>
        </message>
        <message>
            <source>Khối đang làm việc</source>
            <translation>Khối đang làm việc</translation>
        </message>
        <message>
            <source>Khối đang làm một việc chưa xong (ví dụ thêm minh chứng hoặc xuất hồ sơ). Đóng lúc này có thể làm việc đó dở dang. Chờ việc đó xong rồi đóng?</source>
            <translation>Khối đang làm một việc chưa xong (ví dụ thêm minh chứng hoặc xuất hồ sơ). Đóng lúc này có thể làm việc đó dở dang. Chờ việc đó xong rồi đóng?</translation>
        </message>
        <message>
            <source>Chờ xong rồi đóng</source>
            <translation>Chờ xong rồi đóng</translation>
        </message>
        <message>
            <source>Không đóng</source>
            <translation>Không đóng</translation>
        </message>
        <message>
            <source>{label} (Ctrl+{n})</source>
            <translation>{label} (Ctrl+{n})</translation>
        </message>
        <message>
            <source>Tài liệu «{name}» đang mở trong cửa sổ này.</source>
            <translation>Tài liệu «{name}» đang mở trong cửa sổ này.</translation>
        </message>
        <message>
            <source>Tài liệu đã được nâng cấp; bản sao trước khi nâng cấp: {path}</source>
            <translation>Tài liệu đã được nâng cấp; bản sao trước khi nâng cấp: {path}</translation>
        </message>
        <message>
            <source>Tài liệu đang mở ở chế độ chỉ đọc vì {reason}: xem được nhưng không sửa được. {advice}</source>
            <translation>Tài liệu đang mở ở chế độ chỉ đọc vì {reason}: xem được nhưng không sửa được. {advice}</translation>
        </message>
        <message>
            <source>Chưa lưu: {n} thay đổi</source>
            <translation>Chưa lưu: {n} thay đổi</translation>
        </message>
        <message>
            <source>Năm {label}</source>
            <translation>Năm {label}</translation>
        </message>
        <message>
            <source>Đã lưu lúc {t}</source>
            <translation>Đã lưu lúc {t}</translation>
        </message>
    </context>
    <context>
        <name>PdfPreview</name>
        <message>
            <source>In hồ sơ</source>
            <translation>In hồ sơ</translation>
        </message>
        <message>
            <source>Không hiển thị được tệp «{path}» ({err}). Hãy mở tệp bằng trình đọc PDF khác.</source>
            <translation>Không hiển thị được tệp «{path}» ({err}). Hãy mở tệp bằng trình đọc PDF khác.</translation>
        </message>
        <message>
            <source>Đang mở bản xem trước…</source>
            <translation>Đang mở bản xem trước…</translation>
        </message>
        <message>
            <source>Không mở được máy in «{name}». Hãy kiểm tra máy in đã bật và được kết nối rồi thử lại.</source>
            <translation>Không mở được máy in «{name}». Hãy kiểm tra máy in đã bật và được kết nối rồi thử lại.</translation>
        </message>
    </context>
    <context>
        <name>ProgressPage</name>
        <message>
            <source>Đang nhập hồ sơ</source>
            <translation>Đang nhập hồ sơ</translation>
        </message>
        <message>
            <source>Khối gặp lỗi không lường trước nên chưa nhập được; tài liệu giữ nguyên như trước.</source>
            <translation>Khối gặp lỗi không lường trước nên chưa nhập được; tài liệu giữ nguyên như trước.</translation>
        </message>
    </context>
    <context>
        <name>RowDialog</name>
        <message>
            <source>Thêm vào bảng «{label}»</source>
            <translation>Thêm vào bảng «{label}»</translation>
        </message>
        <message>
            <source>Các mục có dấu * là bắt buộc.</source>
            <translation>Các mục có dấu * là bắt buộc.</translation>
        </message>
        <message>
            <source>Thêm</source>
            <translation>Thêm</translation>
        </message>
        <message>
            <source>Hủy</source>
            <translation>Hủy</translation>
        </message>
        <message>
            <source>Chưa nhập «{label}». Hãy nhập nội dung rồi bấm Thêm.</source>
            <translation>Chưa nhập «{label}». Hãy nhập nội dung rồi bấm Thêm.</translation>
        </message>
    </context>
    <context>
        <name>RowTable</name>
        <message>
            <source>Thêm…</source>
            <translation>Thêm…</translation>
        </message>
        <message>
            <source>Thêm một dòng vào bảng «{label}»</source>
            <translation>Thêm một dòng vào bảng «{label}»</translation>
        </message>
        <message>
            <source>Xóa</source>
            <translation>Xóa</translation>
        </message>
        <message>
            <source>Xóa dòng đang chọn (có thể hoàn tác bằng Ctrl+Z)</source>
            <translation>Xóa dòng đang chọn (có thể hoàn tác bằng Ctrl+Z)</translation>
        </message>
        <message>
            <source>Lên</source>
            <translation>Lên</translation>
        </message>
        <message>
            <source>Chuyển dòng đang chọn lên trên</source>
            <translation>Chuyển dòng đang chọn lên trên</translation>
        </message>
        <message>
            <source>Xuống</source>
            <translation>Xuống</translation>
        </message>
        <message>
            <source>Chuyển dòng đang chọn xuống dưới</source>
            <translation>Chuyển dòng đang chọn xuống dưới</translation>
        </message>
        <message>
            <source>Lọc theo {label}:</source>
            <translation>Lọc theo {label}:</translation>
        </message>
        <message>
            <source>Tất cả</source>
            <translation>Tất cả</translation>
        </message>
        <message>
            <source>Chỉ hiện các dòng thuộc một nhóm</source>
            <translation>Chỉ hiện các dòng thuộc một nhóm</translation>
        </message>
        <message>
            <source>Bấm tiêu đề cột để sắp xếp; bấm lần nữa để đổi chiều hoặc bỏ sắp xếp</source>
            <translation>Bấm tiêu đề cột để sắp xếp; bấm lần nữa để đổi chiều hoặc bỏ sắp xếp</translation>
        </message>
        <message>
            <source>Số thứ tự</source>
            <translation>Số thứ tự</translation>
        </message>
        <message>
            <source>{n} dòng</source>
            <translation>{n} dòng</translation>
        </message>
        <message>
            <source> · {n} quá hạn</source>
            <translation> · {n} quá hạn</translation>
        </message>
        <message>
            <source>Bỏ sắp xếp và bỏ lọc để đổi thứ tự</source>
            <translation>Bỏ sắp xếp và bỏ lọc để đổi thứ tự</translation>
        </message>
        <message>
            <source>Thêm dòng vào «{label}»</source>
            <translation>Thêm dòng vào «{label}»</translation>
        </message>
        <message>
            <source>Sửa «{label}»</source>
            <translation>Sửa «{label}»</translation>
        </message>
        <message>
            <source>Xóa dòng khỏi «{label}»</source>
            <translation>Xóa dòng khỏi «{label}»</translation>
        </message>
        <message>
            <source>Đổi thứ tự «{label}»</source>
            <translation>Đổi thứ tự «{label}»</translation>
        </message>
        <message>
            <source>Để trống ngày: bấm Delete ở ô trong bảng</source>
            <translation>Để trống ngày: bấm Delete ở ô trong bảng</translation>
        </message>
    </context>
    <context>
        <name>RowTableModel</name>
        <message>
            <source>Quá hạn: đã qua thời hạn mà chưa hoàn thành</source>
            <translation>Quá hạn: đã qua thời hạn mà chưa hoàn thành</translation>
        </message>
    </context>
    <context>
        <name>SettingsDialog</name>
        <message>
            <source>Cài đặt</source>
            <translation>Cài đặt</translation>
        </message>
        <message>
            <source>Ví dụ: Thanh Hóa</source>
            <translation>Ví dụ: Thanh Hóa</translation>
        </message>
        <message>
            <source>Dung lượng tối đa của một minh chứng:</source>
            <translation>Dung lượng tối đa của một minh chứng:</translation>
        </message>
        <message>
            <source>Dung lượng hồ sơ mong muốn (báo trước khi xuất nếu lớn hơn):</source>
            <translation>Dung lượng hồ sơ mong muốn (báo trước khi xuất nếu lớn hơn):</translation>
        </message>
        <message>
            <source>Địa danh ghi trên văn bản:</source>
            <translation>Địa danh ghi trên văn bản:</translation>
        </message>
        <message>
            <source>Dùng trong dòng «…, ngày … tháng … năm …» khi đơn vị chưa ghi địa danh.</source>
            <translation>Dùng trong dòng «…, ngày … tháng … năm …» khi đơn vị chưa ghi địa danh.</translation>
        </message>
        <message>
            <source>Tỷ lệ giao diện:</source>
            <translation>Tỷ lệ giao diện:</translation>
        </message>
        <message>
            <source>Tỷ lệ giao diện có hiệu lực khi mở lại Khối.</source>
            <translation>Tỷ lệ giao diện có hiệu lực khi mở lại Khối.</translation>
        </message>
        <message>
            <source>Chung</source>
            <translation>Chung</translation>
        </message>
        <message>
            <source>Chứng thư tin cậy</source>
            <translation>Chứng thư tin cậy</translation>
        </message>
        <message>
            <source>Lưu</source>
            <translation>Lưu</translation>
        </message>
        <message>
            <source>Hủy</source>
            <translation>Hủy</translation>
        </message>
    </context>
    <context>
        <name>SignOptions</name>
        <message>
            <source>Tạo chứng thư riêng của đơn vị</source>
            <translation>Tạo chứng thư riêng của đơn vị</translation>
        </message>
        <message>
            <source>Khối tạo một cặp khóa mới và chứng thư số tự ký mang tên đơn vị, lưu thành tệp .p12 có mật khẩu. Hãy cất giữ tệp và mật khẩu cẩn thận: mất tệp là mất khóa ký, Khối không lưu mật khẩu. Nơi nhận hồ sơ cần tin cậy chứng thư này (gửi họ tệp chứng thư hoặc dấu vân tay) thì chữ ký mới được công nhận.</source>
            <translation>Khối tạo một cặp khóa mới và chứng thư số tự ký mang tên đơn vị, lưu thành tệp .p12 có mật khẩu. Hãy cất giữ tệp và mật khẩu cẩn thận: mất tệp là mất khóa ký, Khối không lưu mật khẩu. Nơi nhận hồ sơ cần tin cậy chứng thư này (gửi họ tệp chứng thư hoặc dấu vân tay) thì chữ ký mới được công nhận.</translation>
        </message>
        <message>
            <source>Tên đơn vị ghi trên chứng thư:</source>
            <translation>Tên đơn vị ghi trên chứng thư:</translation>
        </message>
        <message>
            <source>Chọn…</source>
            <translation>Chọn…</translation>
        </message>
        <message>
            <source>Lưu tệp chứng thư tại:</source>
            <translation>Lưu tệp chứng thư tại:</translation>
        </message>
        <message>
            <source>Mật khẩu bảo vệ tệp:</source>
            <translation>Mật khẩu bảo vệ tệp:</translation>
        </message>
        <message>
            <source>Nhập lại mật khẩu:</source>
            <translation>Nhập lại mật khẩu:</translation>
        </message>
        <message>
            <source>Tạo chứng thư</source>
            <translation>Tạo chứng thư</translation>
        </message>
        <message>
            <source>Hủy</source>
            <translation>Hủy</translation>
        </message>
        <message>
            <source>Lưu tệp chứng thư</source>
            <translation>Lưu tệp chứng thư</translation>
        </message>
        <message>
            <source>Tệp chứng thư số (*.p12 *.pfx)</source>
            <translation>Tệp chứng thư số (*.p12 *.pfx)</translation>
        </message>
        <message>
            <source>Hãy nhập tên đơn vị để ghi vào chứng thư.</source>
            <translation>Hãy nhập tên đơn vị để ghi vào chứng thư.</translation>
        </message>
        <message>
            <source>Đang tạo cặp khóa và chứng thư…</source>
            <translation>Đang tạo cặp khóa và chứng thư…</translation>
        </message>
        <message>
            <source>Không ký</source>
            <translation>Không ký</translation>
        </message>
        <message>
            <source>Tệp chứng thư (.p12/.pfx)</source>
            <translation>Tệp chứng thư (.p12/.pfx)</translation>
        </message>
        <message>
            <source>Thiết bị ký số (USB token)</source>
            <translation>Thiết bị ký số (USB token)</translation>
        </message>
        <message>
            <source>Chứng thư riêng của đơn vị</source>
            <translation>Chứng thư riêng của đơn vị</translation>
        </message>
        <message>
            <source>Đường dẫn tới tệp .p12 hoặc .pfx</source>
            <translation>Đường dẫn tới tệp .p12 hoặc .pfx</translation>
        </message>
        <message>
            <source>Chọn tệp…</source>
            <translation>Chọn tệp…</translation>
        </message>
        <message>
            <source>Tệp:</source>
            <translation>Tệp:</translation>
        </message>
        <message>
            <source>Thư viện PKCS#11 của token (.dll/.so), có trong bộ cài của nhà cung cấp</source>
            <translation>Thư viện PKCS#11 của token (.dll/.so), có trong bộ cài của nhà cung cấp</translation>
        </message>
        <message>
            <source>Thư viện:</source>
            <translation>Thư viện:</translation>
        </message>
        <message>
            <source>ví dụ: VNPT-CA</source>
            <translation>ví dụ: VNPT-CA</translation>
        </message>
        <message>
            <source>nhãn khóa ký trên token</source>
            <translation>nhãn khóa ký trên token</translation>
        </message>
        <message>
            <source>Nhãn khóa:</source>
            <translation>Nhãn khóa:</translation>
        </message>
        <message>
            <source>Nhãn token:</source>
            <translation>Nhãn token:</translation>
        </message>
        <message>
            <source>Bấm «Đọc token» để chọn chứng thư</source>
            <translation>Bấm «Đọc token» để chọn chứng thư</translation>
        </message>
        <message>
            <source>Đọc token</source>
            <translation>Đọc token</translation>
        </message>
        <message>
            <source>Liệt kê các chứng thư trên token (chưa cần mã PIN)</source>
            <translation>Liệt kê các chứng thư trên token (chưa cần mã PIN)</translation>
        </message>
        <message>
            <source>Tìm trình điều khiển</source>
            <translation>Tìm trình điều khiển</translation>
        </message>
        <message>
            <source>Chứng thư:</source>
            <translation>Chứng thư:</translation>
        </message>
        <message>
            <source>Tệp .p12 do Khối tạo cho đơn vị</source>
            <translation>Tệp .p12 do Khối tạo cho đơn vị</translation>
        </message>
        <message>
            <source>Tạo chứng thư mới…</source>
            <translation>Tạo chứng thư mới…</translation>
        </message>
        <message>
            <source>Ký với vai trò:</source>
            <translation>Ký với vai trò:</translation>
        </message>
        <message>
            <source>Hiện chữ ký trên trang (ô chữ ký của báo cáo: người ký, đơn vị, ngày ký)</source>
            <translation>Hiện chữ ký trên trang (ô chữ ký của báo cáo: người ký, đơn vị, ngày ký)</translation>
        </message>
        <message>
            <source>Mật khẩu hoặc mã PIN được hỏi mỗi lần ký và không bao giờ được lưu lại.</source>
            <translation>Mật khẩu hoặc mã PIN được hỏi mỗi lần ký và không bao giờ được lưu lại.</translation>
        </message>
        <message>
            <source>Hãy chọn tệp chứng thư số (.p12/.pfx) để ký, hoặc chọn «Không ký».</source>
            <translation>Hãy chọn tệp chứng thư số (.p12/.pfx) để ký, hoặc chọn «Không ký».</translation>
        </message>
        <message>
            <source>Hãy chọn tệp chứng thư riêng của đơn vị, hoặc bấm «Tạo chứng thư mới…» để tạo.</source>
            <translation>Hãy chọn tệp chứng thư riêng của đơn vị, hoặc bấm «Tạo chứng thư mới…» để tạo.</translation>
        </message>
        <message>
            <source>Mã PIN của USB token</source>
            <translation>Mã PIN của USB token</translation>
        </message>
        <message>
            <source>Chọn tệp chứng thư số</source>
            <translation>Chọn tệp chứng thư số</translation>
        </message>
        <message>
            <source>Tệp chứng thư số (*.p12 *.pfx);;Mọi tệp (*)</source>
            <translation>Tệp chứng thư số (*.p12 *.pfx);;Mọi tệp (*)</translation>
        </message>
        <message>
            <source>Thư viện PKCS#11 (*.dll)</source>
            <translation>Thư viện PKCS#11 (*.dll)</translation>
        </message>
        <message>
            <source>Thư viện PKCS#11 (*.so *.dylib);;Mọi tệp (*)</source>
            <translation>Thư viện PKCS#11 (*.so *.dylib);;Mọi tệp (*)</translation>
        </message>
        <message>
            <source>Chọn thư viện PKCS#11 của USB token</source>
            <translation>Chọn thư viện PKCS#11 của USB token</translation>
        </message>
        <message>
            <source>Chọn trình điều khiển</source>
            <translation>Chọn trình điều khiển</translation>
        </message>
        <message>
            <source>Trình điều khiển USB token:</source>
            <translation>Trình điều khiển USB token:</translation>
        </message>
        <message>
            <source>Hãy chọn nơi lưu tệp chứng thư (.p12).</source>
            <translation>Hãy chọn nơi lưu tệp chứng thư (.p12).</translation>
        </message>
        <message>
            <source>Đang tạo chứng thư…</source>
            <translation>Đang tạo chứng thư…</translation>
        </message>
        <message>
            <source>Hãy chọn thư viện PKCS#11 của USB token (tệp .dll/.so trong bộ cài của nhà cung cấp chữ ký số).</source>
            <translation>Hãy chọn thư viện PKCS#11 của USB token (tệp .dll/.so trong bộ cài của nhà cung cấp chữ ký số).</translation>
        </message>
        <message>
            <source>Hãy nhập nhãn token và nhãn khóa ký (xem trong phần mềm quản lý token).</source>
            <translation>Hãy nhập nhãn token và nhãn khóa ký (xem trong phần mềm quản lý token).</translation>
        </message>
        <message>
            <source>Mật khẩu chứng thư số</source>
            <translation>Mật khẩu chứng thư số</translation>
        </message>
        <message>
            <source>Không tìm thấy trình điều khiển</source>
            <translation>Không tìm thấy trình điều khiển</translation>
        </message>
        <message>
            <source>Không thấy trình điều khiển USB token của VNPT-CA, Viettel-CA, FPT-CA, BKAV-CA, Vina-CA, NewCA hay ePass trên máy này. Hãy cài phần mềm đi kèm token, hoặc bấm «Chọn tệp…» để chọn tệp .dll.</source>
            <translation>Không thấy trình điều khiển USB token của VNPT-CA, Viettel-CA, FPT-CA, BKAV-CA, Vina-CA, NewCA hay ePass trên máy này. Hãy cài phần mềm đi kèm token, hoặc bấm «Chọn tệp…» để chọn tệp .dll.</translation>
        </message>
        <message>
            <source>Đang đọc USB token…</source>
            <translation>Đang đọc USB token…</translation>
        </message>
        <message>
            <source>Không có chứng thư</source>
            <translation>Không có chứng thư</translation>
        </message>
        <message>
            <source>Không thấy chứng thư ký số nào trên token. Hãy kiểm tra token đã cắm, đúng trình điều khiển, rồi bấm «Đọc token» lại.</source>
            <translation>Không thấy chứng thư ký số nào trên token. Hãy kiểm tra token đã cắm, đúng trình điều khiển, rồi bấm «Đọc token» lại.</translation>
        </message>
        <message>
            <source>Đã tạo chứng thư</source>
            <translation>Đã tạo chứng thư</translation>
        </message>
        <message>
            <source>Hãy đặt mật khẩu bảo vệ tệp chứng thư.</source>
            <translation>Hãy đặt mật khẩu bảo vệ tệp chứng thư.</translation>
        </message>
        <message>
            <source>Cắm USB token «{token}» rồi nhập mã PIN:</source>
            <translation>Cắm USB token «{token}» rồi nhập mã PIN:</translation>
        </message>
        <message>
            <source>Mật khẩu quá ngắn. Hãy dùng ít nhất 6 ký tự.</source>
            <translation>Mật khẩu quá ngắn. Hãy dùng ít nhất 6 ký tự.</translation>
        </message>
        <message>
            <source>Nhập mật khẩu của tệp chứng thư «{name}»:</source>
            <translation>Nhập mật khẩu của tệp chứng thư «{name}»:</translation>
        </message>
        <message>
            <source>Hãy chọn thư viện PKCS#11 của USB token.</source>
            <translation>Hãy chọn thư viện PKCS#11 của USB token.</translation>
        </message>
        <message>
            <source>{who}{org}; cấp bởi {issuer}; hiệu lực {start} – {end}</source>
            <translation>{who}{org}; cấp bởi {issuer}; hiệu lực {start} – {end}</translation>
        </message>
        <message>
            <source>Đã tạo chứng thư riêng của đơn vị «{name}», có hiệu lực đến {until}, lưu tại:
{path}

Dấu vân tay SHA-256:
{fp}

Hãy gửi dấu vân tay này cho nơi nhận hồ sơ để họ tin cậy chữ ký của đơn vị.</source>
            <translation>Đã tạo chứng thư riêng của đơn vị «{name}», có hiệu lực đến {until}, lưu tại:
{path}

Dấu vân tay SHA-256:
{fp}

Hãy gửi dấu vân tay này cho nơi nhận hồ sơ để họ tin cậy chữ ký của đơn vị.</translation>
        </message>
        <message>
            <source>Hai lần nhập mật khẩu không giống nhau. Hãy nhập lại.</source>
            <translation>Hai lần nhập mật khẩu không giống nhau. Hãy nhập lại.</translation>
        </message>
    </context>
    <context>
        <name>SignatureImagesDialog</name>
        <message>
            <source>Ảnh chữ ký và con dấu</source>
            <translation>Ảnh chữ ký và con dấu</translation>
        </message>
        <message>
            <source>Ảnh PNG nền trong suốt, hiện trong ô ký của hồ sơ khi ký số. Con dấu được đặt đè lên khoảng 1/3 chữ ký của thủ trưởng, về bên trái (Nghị định 30/2020, Phụ lục I). Ảnh được lưu trong tài liệu này, không dùng cho tài liệu của đơn vị khác.</source>
            <translation>Ảnh PNG nền trong suốt, hiện trong ô ký của hồ sơ khi ký số. Con dấu được đặt đè lên khoảng 1/3 chữ ký của thủ trưởng, về bên trái (Nghị định 30/2020, Phụ lục I). Ảnh được lưu trong tài liệu này, không dùng cho tài liệu của đơn vị khác.</translation>
        </message>
        <message>
            <source>Đóng</source>
            <translation>Đóng</translation>
        </message>
        <message>
            <source>Chọn ảnh…</source>
            <translation>Chọn ảnh…</translation>
        </message>
        <message>
            <source>Bỏ ảnh</source>
            <translation>Bỏ ảnh</translation>
        </message>
        <message>
            <source>Chọn ảnh PNG</source>
            <translation>Chọn ảnh PNG</translation>
        </message>
        <message>
            <source>Ảnh PNG (*.png)</source>
            <translation>Ảnh PNG (*.png)</translation>
        </message>
        <message>
            <source>(chưa có)</source>
            <translation>(chưa có)</translation>
        </message>
    </context>
    <context>
        <name>SummaryPage</name>
        <message>
            <source>Những gì sẽ được chuyển sang</source>
            <translation>Những gì sẽ được chuyển sang</translation>
        </message>
        <message>
            <source>Đơn vị: {0}</source>
            <translation>Đơn vị: {0}</translation>
        </message>
        <message>
            <source>Hồ sơ năm {0} → kỳ đánh giá mới năm {1}.</source>
            <translation>Hồ sơ năm {0} → kỳ đánh giá mới năm {1}.</translation>
        </message>
        <message>
            <source>• {0} tiêu chí mang kết quả năm trước, ở trạng thái «cần xác nhận».</source>
            <translation>• {0} tiêu chí mang kết quả năm trước, ở trạng thái «cần xác nhận».</translation>
        </message>
        <message>
            <source>• {0} minh chứng ({1} tệp, {2}), đánh dấu «từ năm trước».</source>
            <translation>• {0} minh chứng ({1} tệp, {2}), đánh dấu «từ năm trước».</translation>
        </message>
        <message>
            <source>• Thông tin đơn vị, Ban chỉ đạo ({0} người).</source>
            <translation>• Thông tin đơn vị, Ban chỉ đạo ({0} người).</translation>
        </message>
        <message>
            <source>• Quy ước «{0}».</source>
            <translation>• Quy ước «{0}».</translation>
        </message>
        <message>
            <source>• Bộ quy tắc ứng xử ({0} quy tắc).</source>
            <translation>• Bộ quy tắc ứng xử ({0} quy tắc).</translation>
        </message>
        <message>
            <source>Hoạt động, khen thưởng và kế hoạch của năm trước không chuyển sang.</source>
            <translation>Hoạt động, khen thưởng và kế hoạch của năm trước không chuyển sang.</translation>
        </message>
        <message>
            <source>Bộ tiêu chí «{0}» có phiên bản mới hơn ({1}; hồ sơ dùng {2}): tiêu chí được ghép theo mã.</source>
            <translation>Bộ tiêu chí «{0}» có phiên bản mới hơn ({1}; hồ sơ dùng {2}): tiêu chí được ghép theo mã.</translation>
        </message>
        <message>
            <source>Tiêu chí không còn trong bộ mới: {0}.</source>
            <translation>Tiêu chí không còn trong bộ mới: {0}.</translation>
        </message>
        <message>
            <source>Tiêu chí mới, chưa có kết quả: {0}.</source>
            <translation>Tiêu chí mới, chưa có kết quả: {0}.</translation>
        </message>
        <message>
            <source>Tiêu chí đổi nội dung, phải xác nhận từng mục: {0}.</source>
            <translation>Tiêu chí đổi nội dung, phải xác nhận từng mục: {0}.</translation>
        </message>
        <message>
            <source>Lưu ý: {0}</source>
            <translation>Lưu ý: {0}</translation>
        </message>
        <message>
            <source>So với năm {0} trong tài liệu đang mở:</source>
            <translation>So với năm {0} trong tài liệu đang mở:</translation>
        </message>
    </context>
    <context>
        <name>TablesPage</name>
        <message>
            <source>Chưa mở tài liệu nào. Hãy mở hoặc tạo tài liệu để nhập nội dung.</source>
            <translation>Chưa mở tài liệu nào. Hãy mở hoặc tạo tài liệu để nhập nội dung.</translation>
        </message>
        <message>
            <source>Thêm bộ quy tắc mẫu</source>
            <translation>Thêm bộ quy tắc mẫu</translation>
        </message>
        <message>
            <source>Thêm các quy tắc mẫu theo từng nhóm ứng xử (căn cứ QĐ 129/2007/QĐ-TTg, QĐ 1847/QĐ-TTg) để sửa cho phù hợp</source>
            <translation>Thêm các quy tắc mẫu theo từng nhóm ứng xử (căn cứ QĐ 129/2007/QĐ-TTg, QĐ 1847/QĐ-TTg) để sửa cho phù hợp</translation>
        </message>
        <message>
            <source>Số văn bản ban hành Bộ quy tắc:</source>
            <translation>Số văn bản ban hành Bộ quy tắc:</translation>
        </message>
        <message>
            <source>Thêm bộ quy tắc ứng xử mẫu</source>
            <translation>Thêm bộ quy tắc ứng xử mẫu</translation>
        </message>
        <message>
            <source>Tổng cộng: {n} hoạt động, {p} lượt người tham gia, {q} tin bài, việc làm…</source>
            <translation>Tổng cộng: {n} hoạt động, {p} lượt người tham gia, {q} tin bài, việc làm…</translation>
        </message>
        <message>
            <source>Ban chỉ đạo và kế hoạch</source>
            <translation>Ban chỉ đạo và kế hoạch</translation>
        </message>
        <message>
            <source>Hoạt động và khen thưởng</source>
            <translation>Hoạt động và khen thưởng</translation>
        </message>
        <message>
            <source>Quy tắc ứng xử</source>
            <translation>Quy tắc ứng xử</translation>
        </message>
        <message>
            <source> và </source>
            <translation> và </translation>
        </message>
    </context>
    <context>
        <name>TrustTab</name>
        <message>
            <source>Dấu vân tay chứng thư</source>
            <translation>Dấu vân tay chứng thư</translation>
        </message>
        <message>
            <source>Sao chép</source>
            <translation>Sao chép</translation>
        </message>
        <message>
            <source>Đóng</source>
            <translation>Đóng</translation>
        </message>
        <message>
            <source>Hồ sơ ký bằng các chứng thư dưới đây được coi là đáng tin cậy khi kiểm tra. Chỉ thêm chứng thư sau khi đã so dấu vân tay với đơn vị hoặc tổ chức cấp chứng thư.</source>
            <translation>Hồ sơ ký bằng các chứng thư dưới đây được coi là đáng tin cậy khi kiểm tra. Chỉ thêm chứng thư sau khi đã so dấu vân tay với đơn vị hoặc tổ chức cấp chứng thư.</translation>
        </message>
        <message>
            <source>Chưa có chứng thư nào. Bấm «Thêm…» để thêm chứng thư (.pem, .cer, .crt, .der).</source>
            <translation>Chưa có chứng thư nào. Bấm «Thêm…» để thêm chứng thư (.pem, .cer, .crt, .der).</translation>
        </message>
        <message>
            <source>Thêm…</source>
            <translation>Thêm…</translation>
        </message>
        <message>
            <source>Xóa…</source>
            <translation>Xóa…</translation>
        </message>
        <message>
            <source>Xem dấu vân tay…</source>
            <translation>Xem dấu vân tay…</translation>
        </message>
        <message>
            <source>Nhập danh sách thu hồi (CRL)…</source>
            <translation>Nhập danh sách thu hồi (CRL)…</translation>
        </message>
        <message>
            <source>Để kiểm tra chứng thư có bị thu hồi không, khi không có mạng</source>
            <translation>Để kiểm tra chứng thư có bị thu hồi không, khi không có mạng</translation>
        </message>
        <message>
            <source>Chọn chứng thư cần tin cậy</source>
            <translation>Chọn chứng thư cần tin cậy</translation>
        </message>
        <message>
            <source>Chứng thư số (*.pem *.cer *.crt *.der);;Mọi tệp (*)</source>
            <translation>Chứng thư số (*.pem *.cer *.crt *.der);;Mọi tệp (*)</translation>
        </message>
        <message>
            <source>Chọn danh sách thu hồi (CRL)</source>
            <translation>Chọn danh sách thu hồi (CRL)</translation>
        </message>
        <message>
            <source>Danh sách thu hồi (*.crl);;Mọi tệp (*)</source>
            <translation>Danh sách thu hồi (*.crl);;Mọi tệp (*)</translation>
        </message>
        <message>
            <source>Chưa nhập danh sách thu hồi (CRL) nào: Khối sẽ ghi «chưa kiểm tra được tình trạng thu hồi».</source>
            <translation>Chưa nhập danh sách thu hồi (CRL) nào: Khối sẽ ghi «chưa kiểm tra được tình trạng thu hồi».</translation>
        </message>
        <message>
            <source>Bỏ tin cậy chứng thư?</source>
            <translation>Bỏ tin cậy chứng thư?</translation>
        </message>
        <message>
            <source>Bỏ tin cậy</source>
            <translation>Bỏ tin cậy</translation>
        </message>
        <message>
            <source>Giữ lại</source>
            <translation>Giữ lại</translation>
        </message>
        <message>
            <source>Dấu vân tay SHA-256 của chứng thư «{subject}». So từng nhóm ký tự với dấu vân tay đơn vị gửi cho bạn (qua điện thoại hoặc văn bản) để chắc chắn đây đúng là chứng thư của họ.</source>
            <translation>Dấu vân tay SHA-256 của chứng thư «{subject}». So từng nhóm ký tự với dấu vân tay đơn vị gửi cho bạn (qua điện thoại hoặc văn bản) để chắc chắn đây đúng là chứng thư của họ.</translation>
        </message>
        <message>
            <source>Danh sách thu hồi đã nhập: {items}.</source>
            <translation>Danh sách thu hồi đã nhập: {items}.</translation>
        </message>
        <message>
            <source>Chọn chứng thư của tổ chức phát hành CRL</source>
            <translation>Chọn chứng thư của tổ chức phát hành CRL</translation>
        </message>
        <message>
            <source>Bỏ chứng thư «{subject}» khỏi danh sách tin cậy? Hồ sơ ký bằng chứng thư này sẽ được báo là «chưa được tin cậy» khi kiểm tra.</source>
            <translation>Bỏ chứng thư «{subject}» khỏi danh sách tin cậy? Hồ sơ ký bằng chứng thư này sẽ được báo là «chưa được tin cậy» khi kiểm tra.</translation>
        </message>
        <message>
            <source>{date} (đã hết hạn)</source>
            <translation>{date} (đã hết hạn)</translation>
        </message>
        <message>
            <source>{issuer} (phát hành {date})</source>
            <translation>{issuer} (phát hành {date})</translation>
        </message>
    </context>
    <context>
        <name>UnitPage</name>
        <message>
            <source>Thông tin cơ quan, đơn vị</source>
            <translation>Thông tin cơ quan, đơn vị</translation>
        </message>
        <message>
            <source>Kỳ đánh giá</source>
            <translation>Kỳ đánh giá</translation>
        </message>
        <message>
            <source>Bộ tiêu chí:</source>
            <translation>Bộ tiêu chí:</translation>
        </message>
        <message>
            <source>Đạt chuẩn văn hóa</source>
            <translation>Đạt chuẩn văn hóa</translation>
        </message>
        <message>
            <source>Kiểu mẫu</source>
            <translation>Kiểu mẫu</translation>
        </message>
        <message>
            <source>Mục tiêu đăng ký:</source>
            <translation>Mục tiêu đăng ký:</translation>
        </message>
        <message>
            <source>ngày/tháng/năm, ví dụ 15/01/2026</source>
            <translation>ngày/tháng/năm, ví dụ 15/01/2026</translation>
        </message>
        <message>
            <source>Số:</source>
            <translation>Số:</translation>
        </message>
        <message>
            <source>Ngày đăng ký:</source>
            <translation>Ngày đăng ký:</translation>
        </message>
        <message>
            <source>Số/ký hiệu báo cáo:</source>
            <translation>Số/ký hiệu báo cáo:</translation>
        </message>
        <message>
            <source>Tình trạng:</source>
            <translation>Tình trạng:</translation>
        </message>
        <message>
            <source>Kỳ đánh giá năm {label}</source>
            <translation>Kỳ đánh giá năm {label}</translation>
        </message>
        <message>
            <source>sửa «{label}»</source>
            <translation>sửa «{label}»</translation>
        </message>
        <message>
            <source>sửa «{label}» của báo cáo năm {year}</source>
            <translation>sửa «{label}» của báo cáo năm {year}</translation>
        </message>
        <message>
            <source>sửa loại hình</source>
            <translation>sửa loại hình</translation>
        </message>
        <message>
            <source>bật mục tiêu kiểu mẫu</source>
            <translation>bật mục tiêu kiểu mẫu</translation>
        </message>
        <message>
            <source>tắt mục tiêu kiểu mẫu</source>
            <translation>tắt mục tiêu kiểu mẫu</translation>
        </message>
    </context>
    <context>
        <name>VerifyDialog</name>
        <message>
            <source>Hồ sơ không hợp lệ</source>
            <translation>Hồ sơ không hợp lệ</translation>
        </message>
        <message>
            <source>Không dùng hồ sơ này. Hãy đề nghị đơn vị gửi lại bản gốc đã ký.</source>
            <translation>Không dùng hồ sơ này. Hãy đề nghị đơn vị gửi lại bản gốc đã ký.</translation>
        </message>
        <message>
            <source>Hồ sơ đã ký số, nguyên vẹn, chứng thư được tin cậy</source>
            <translation>Hồ sơ đã ký số, nguyên vẹn, chứng thư được tin cậy</translation>
        </message>
        <message>
            <source>Hồ sơ nguyên vẹn nhưng chứng thư chưa được tin cậy</source>
            <translation>Hồ sơ nguyên vẹn nhưng chứng thư chưa được tin cậy</translation>
        </message>
        <message>
            <source>Hồ sơ chưa ký số: không có gì bảo đảm nội dung không bị sửa</source>
            <translation>Hồ sơ chưa ký số: không có gì bảo đảm nội dung không bị sửa</translation>
        </message>
        <message>
            <source>Chữ ký không thuộc đơn vị: hồ sơ không do chính đơn vị ký</source>
            <translation>Chữ ký không thuộc đơn vị: hồ sơ không do chính đơn vị ký</translation>
        </message>
        <message>
            <source>Hồ sơ không hợp lệ: đã bị sửa sau khi ký</source>
            <translation>Hồ sơ không hợp lệ: đã bị sửa sau khi ký</translation>
        </message>
        <message>
            <source>Nội dung không thay đổi từ khi ký; dữ liệu và các tệp đính kèm khớp nhau.</source>
            <translation>Nội dung không thay đổi từ khi ký; dữ liệu và các tệp đính kèm khớp nhau.</translation>
        </message>
        <message>
            <source>Nội dung không thay đổi từ khi ký, nhưng chứng thư của người ký chưa có trong danh sách tin cậy. Hãy so dấu vân tay dưới đây với đơn vị gửi; nếu khớp, bấm «Tin cậy chứng thư này».</source>
            <translation>Nội dung không thay đổi từ khi ký, nhưng chứng thư của người ký chưa có trong danh sách tin cậy. Hãy so dấu vân tay dưới đây với đơn vị gửi; nếu khớp, bấm «Tin cậy chứng thư này».</translation>
        </message>
        <message>
            <source>Hãy đề nghị đơn vị ký số hồ sơ rồi gửi lại.</source>
            <translation>Hãy đề nghị đơn vị ký số hồ sơ rồi gửi lại.</translation>
        </message>
        <message>
            <source>—</source>
            <translation>—</translation>
        </message>
        <message>
            <source>Kiểm tra hồ sơ PDF</source>
            <translation>Kiểm tra hồ sơ PDF</translation>
        </message>
        <message>
            <source>Chọn tệp hồ sơ PDF do đơn vị gửi</source>
            <translation>Chọn tệp hồ sơ PDF do đơn vị gửi</translation>
        </message>
        <message>
            <source>Chọn tệp…</source>
            <translation>Chọn tệp…</translation>
        </message>
        <message>
            <source>Kiểm tra lại</source>
            <translation>Kiểm tra lại</translation>
        </message>
        <message>
            <source>Tin cậy chứng thư này</source>
            <translation>Tin cậy chứng thư này</translation>
        </message>
        <message>
            <source>Lý do</source>
            <translation>Lý do</translation>
        </message>
        <message>
            <source>Chi tiết</source>
            <translation>Chi tiết</translation>
        </message>
        <message>
            <source>Đóng</source>
            <translation>Đóng</translation>
        </message>
        <message>
            <source>Chọn một tệp hồ sơ PDF để kiểm tra chữ ký số và tệp đính kèm.</source>
            <translation>Chọn một tệp hồ sơ PDF để kiểm tra chữ ký số và tệp đính kèm.</translation>
        </message>
        <message>
            <source>Chọn tệp hồ sơ PDF</source>
            <translation>Chọn tệp hồ sơ PDF</translation>
        </message>
        <message>
            <source>Tệp PDF (*.pdf)</source>
            <translation>Tệp PDF (*.pdf)</translation>
        </message>
        <message>
            <source>Không kiểm tra được tệp này.</source>
            <translation>Không kiểm tra được tệp này.</translation>
        </message>
        <message>
            <source>Không đọc được hồ sơ</source>
            <translation>Không đọc được hồ sơ</translation>
        </message>
        <message>
            <source> (có dấu thời gian)</source>
            <translation> (có dấu thời gian)</translation>
        </message>
        <message>
            <source>Không có dữ liệu hồ sơ đính kèm (tệp không do Khối xuất hoặc đã bị gỡ).</source>
            <translation>Không có dữ liệu hồ sơ đính kèm (tệp không do Khối xuất hoặc đã bị gỡ).</translation>
        </message>
        <message>
            <source>Tệp hồ sơ:</source>
            <translation>Tệp hồ sơ:</translation>
        </message>
        <message>
            <source>Người ký:</source>
            <translation>Người ký:</translation>
        </message>
        <message>
            <source>Đơn vị:</source>
            <translation>Đơn vị:</translation>
        </message>
        <message>
            <source>Thời điểm ký:</source>
            <translation>Thời điểm ký:</translation>
        </message>
        <message>
            <source>Đơn vị cấp chứng thư:</source>
            <translation>Đơn vị cấp chứng thư:</translation>
        </message>
        <message>
            <source>Chứng thư hiệu lực đến:</source>
            <translation>Chứng thư hiệu lực đến:</translation>
        </message>
        <message>
            <source>Dấu vân tay SHA-256:</source>
            <translation>Dấu vân tay SHA-256:</translation>
        </message>
        <message>
            <source>Dữ liệu và tệp đính kèm:</source>
            <translation>Dữ liệu và tệp đính kèm:</translation>
        </message>
        <message>
            <source>Đang kiểm tra hồ sơ…</source>
            <translation>Đang kiểm tra hồ sơ…</translation>
        </message>
        <message>
            <source>Có dữ liệu hồ sơ; mọi tệp đính kèm khớp mã băm SHA-256.</source>
            <translation>Có dữ liệu hồ sơ; mọi tệp đính kèm khớp mã băm SHA-256.</translation>
        </message>
        <message>
            <source>Có dữ liệu hồ sơ nhưng tệp đính kèm không khớp danh mục.</source>
            <translation>Có dữ liệu hồ sơ nhưng tệp đính kèm không khớp danh mục.</translation>
        </message>
        <message>
            <source>Tin cậy chứng thư này?</source>
            <translation>Tin cậy chứng thư này?</translation>
        </message>
        <message>
            <source>Tin cậy</source>
            <translation>Tin cậy</translation>
        </message>
        <message>
            <source>Không</source>
            <translation>Không</translation>
        </message>
        <message>
            <source>Đang kiểm tra «{name}»…</source>
            <translation>Đang kiểm tra «{name}»…</translation>
        </message>
        <message>
            <source>Thay đổi sau khi ký: {change}</source>
            <translation>Thay đổi sau khi ký: {change}</translation>
        </message>
        <message>
            <source>(chưa ký)</source>
            <translation>(chưa ký)</translation>
        </message>
        <message>
            <source>Chứng thư trong tệp đã thay đổi từ lúc kiểm tra. Hãy kiểm tra lại tệp rồi thử lại.</source>
            <translation>Chứng thư trong tệp đã thay đổi từ lúc kiểm tra. Hãy kiểm tra lại tệp rồi thử lại.</translation>
        </message>
        <message>
            <source>Không đọc được chứng thư của người ký trong tệp «{path}» ({err}).</source>
            <translation>Không đọc được chứng thư của người ký trong tệp «{path}» ({err}).</translation>
        </message>
        <message>
            <source>Lưu ý: {w}</source>
            <translation>Lưu ý: {w}</translation>
        </message>
        <message>
            <source>Thiếu: {names}.</source>
            <translation>Thiếu: {names}.</translation>
        </message>
        <message>
            <source>Sai mã băm: {names}.</source>
            <translation>Sai mã băm: {names}.</translation>
        </message>
        <message>
            <source>Thừa (không có trong danh mục): {names}.</source>
            <translation>Thừa (không có trong danh mục): {names}.</translation>
        </message>
        <message>
            <source>Chỉ tin cậy khi đã xác nhận với đơn vị gửi rằng đây là chứng thư của họ.

Người ký: {signer}
Dấu vân tay SHA-256:
{fp}

So dấu vân tay này với dấu vân tay đơn vị cung cấp. Khớp hoàn toàn thì bấm «Tin cậy».</source>
            <translation>Chỉ tin cậy khi đã xác nhận với đơn vị gửi rằng đây là chứng thư của họ.

Người ký: {signer}
Dấu vân tay SHA-256:
{fp}

So dấu vân tay này với dấu vân tay đơn vị cung cấp. Khớp hoàn toàn thì bấm «Tin cậy».</translation>
        </message>
        <message>
            <source>Tệp «{path}» không có chữ ký số.</source>
            <translation>Tệp «{path}» không có chữ ký số.</translation>
        </message>
    </context>
    <context>
        <name>VerifyPage</name>
        <message>
            <source>Kiểm tra hồ sơ</source>
            <translation>Kiểm tra hồ sơ</translation>
        </message>
        <message>
            <source>Tôi vẫn muốn nhập hồ sơ chưa xác minh (kỳ đánh giá mới sẽ ghi rõ điều này)</source>
            <translation>Tôi vẫn muốn nhập hồ sơ chưa xác minh (kỳ đánh giá mới sẽ ghi rõ điều này)</translation>
        </message>
        <message>
            <source>Đang kiểm tra chữ ký số và dữ liệu của hồ sơ…</source>
            <translation>Đang kiểm tra chữ ký số và dữ liệu của hồ sơ…</translation>
        </message>
        <message>
            <source>không rõ</source>
            <translation>không rõ</translation>
        </message>
        <message>
            <source>Hồ sơ nguyên vẹn, chữ ký số hợp lệ và người ký được tin cậy.</source>
            <translation>Hồ sơ nguyên vẹn, chữ ký số hợp lệ và người ký được tin cậy.</translation>
        </message>
        <message>
            <source>Hồ sơ nguyên vẹn và chữ ký số hợp lệ, nhưng chứng thư của người ký chưa có trong danh sách tin cậy. Nếu đã xác nhận với đơn vị ký, hãy thêm chứng thư của họ trong phần Cài đặt.</source>
            <translation>Hồ sơ nguyên vẹn và chữ ký số hợp lệ, nhưng chứng thư của người ký chưa có trong danh sách tin cậy. Nếu đã xác nhận với đơn vị ký, hãy thêm chứng thư của họ trong phần Cài đặt.</translation>
        </message>
        <message>
            <source>Hồ sơ chưa được ký số: không có gì bảo đảm nội dung không bị sửa. Nên xin đơn vị bản hồ sơ đã ký.</source>
            <translation>Hồ sơ chưa được ký số: không có gì bảo đảm nội dung không bị sửa. Nên xin đơn vị bản hồ sơ đã ký.</translation>
        </message>
        <message>
            <source>Hồ sơ không qua được kiểm tra chữ ký số: tệp có thể đã bị sửa sau khi ký. Không nên nhập; hãy xin lại bản hồ sơ gốc từ đơn vị.</source>
            <translation>Hồ sơ không qua được kiểm tra chữ ký số: tệp có thể đã bị sửa sau khi ký. Không nên nhập; hãy xin lại bản hồ sơ gốc từ đơn vị.</translation>
        </message>
        <message>
            <source>Khối không đọc được hồ sơ này.</source>
            <translation>Khối không đọc được hồ sơ này.</translation>
        </message>
        <message>
            <source>Không nhập được hồ sơ này.</source>
            <translation>Không nhập được hồ sơ này.</translation>
        </message>
        <message>
            <source>Hồ sơ không qua được kiểm tra chữ ký số: tệp đã bị sửa sau khi ký. Không nhập được hồ sơ này.</source>
            <translation>Hồ sơ không qua được kiểm tra chữ ký số: tệp đã bị sửa sau khi ký. Không nhập được hồ sơ này.</translation>
        </message>
    </context>
    <context>
        <name>WelcomeDialog</name>
        <message>
            <source>Chào mừng đến với Khối</source>
            <translation>Chào mừng đến với Khối</translation>
        </message>
        <message>
            <source>Khối giúp cơ quan, đơn vị, doanh nghiệp tự đánh giá và lập hồ sơ xây dựng đạt chuẩn văn hóa, kiểu mẫu. Hãy nhập ba thông tin dưới đây để bắt đầu; mọi thông tin khác có thể bổ sung sau. Mọi thay đổi được lưu ngay.</source>
            <translation>Khối giúp cơ quan, đơn vị, doanh nghiệp tự đánh giá và lập hồ sơ xây dựng đạt chuẩn văn hóa, kiểu mẫu. Hãy nhập ba thông tin dưới đây để bắt đầu; mọi thông tin khác có thể bổ sung sau. Mọi thay đổi được lưu ngay.</translation>
        </message>
        <message>
            <source>Ví dụ: Sở Tư pháp tỉnh Thanh Hóa</source>
            <translation>Ví dụ: Sở Tư pháp tỉnh Thanh Hóa</translation>
        </message>
        <message>
            <source>Tên cơ quan, đơn vị:</source>
            <translation>Tên cơ quan, đơn vị:</translation>
        </message>
        <message>
            <source>Loại hình:</source>
            <translation>Loại hình:</translation>
        </message>
        <message>
            <source>Năm đánh giá:</source>
            <translation>Năm đánh giá:</translation>
        </message>
        <message>
            <source>Bắt đầu</source>
            <translation>Bắt đầu</translation>
        </message>
        <message>
            <source>Để sau</source>
            <translation>Để sau</translation>
        </message>
    </context>
    <context>
        <name>errors</name>
        <message>
            <source>Không thực hiện được</source>
            <translation>Không thực hiện được</translation>
        </message>
        <message>
            <source>Khối gặp lỗi</source>
            <translation>Khối gặp lỗi</translation>
        </message>
        <message>
            <source>Đóng</source>
            <translation>Đóng</translation>
        </message>
        <message>
            <source>Rất tiếc, Khối gặp một lỗi không lường trước nên chưa làm xong việc này. Các thay đổi đã lưu trước đó vẫn còn nguyên. Hãy thử lại; nếu lỗi lặp lại, hãy gửi tệp nhật ký sau cho người hỗ trợ:
{path}</source>
            <translation>Rất tiếc, Khối gặp một lỗi không lường trước nên chưa làm xong việc này. Các thay đổi đã lưu trước đó vẫn còn nguyên. Hãy thử lại; nếu lỗi lặp lại, hãy gửi tệp nhật ký sau cho người hỗ trợ:
{path}</translation>
        </message>
    </context>
    <context>
        <name>tasks</name>
        <message>
            <source>Hủy</source>
            <translation>Hủy</translation>
        </message>
    </context>
</TS>
