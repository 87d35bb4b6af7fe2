#!/bin/sh
# Cài Khối cho người dùng hiện tại (không cần quyền quản trị): trình đơn ứng dụng, biểu tượng và
# liên kết tệp .khoi. Chạy từ thư mục chương trình đã build (dist/Khoi) hoặc chỉ định nó:
#   sh packaging/linux/install.sh [THU_MUC_CHUONG_TRINH]
# Gỡ: sh packaging/linux/install.sh --remove   (tài liệu .khoi của người dùng không bị động tới)
set -eu
APP_ID=vn.khoi.Khoi
DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
BIN="$HOME/.local/bin"

if [ "${1:-}" = "--remove" ]; then
  rm -f "$DATA/applications/$APP_ID.desktop" "$DATA/icons/hicolor/scalable/apps/$APP_ID.svg" \
        "$DATA/mime/packages/$APP_ID.xml" "$BIN/khoi" "$BIN/khoiapp"
  update-mime-database "$DATA/mime" 2>/dev/null || true
  update-desktop-database "$DATA/applications" 2>/dev/null || true
  echo "Đã gỡ Khối khỏi trình đơn; tài liệu .khoi vẫn còn nguyên."
  exit 0
fi

APP_DIR="$(cd "${1:-$(dirname "$0")/../../dist/Khoi}" && pwd)"
RES="$APP_DIR/_internal/khoiapp/resources"
[ -x "$APP_DIR/khoi" ] || { echo "Không thấy $APP_DIR/khoi: hãy chạy make dist trước." >&2; exit 1; }

mkdir -p "$DATA/applications" "$DATA/icons/hicolor/scalable/apps" "$DATA/mime/packages" "$BIN"
ln -sf "$APP_DIR/khoi" "$BIN/khoi"
ln -sf "$APP_DIR/khoi" "$BIN/khoiapp"
sed "s|^Exec=khoi|Exec=\"$APP_DIR/khoi\"|" "$RES/linux/$APP_ID.desktop" > "$DATA/applications/$APP_ID.desktop"
cp "$RES/icons/khoi.svg" "$DATA/icons/hicolor/scalable/apps/$APP_ID.svg"
cp "$RES/linux/$APP_ID.mime.xml" "$DATA/mime/packages/$APP_ID.xml"
update-mime-database "$DATA/mime" 2>/dev/null || true
update-desktop-database "$DATA/applications" 2>/dev/null || true
xdg-mime default "$APP_ID.desktop" application/x-khoi 2>/dev/null || true
echo "Đã cài Khối: mở từ trình đơn ứng dụng, hoặc nhấp đúp một tệp .khoi."
