; Bộ cài Khối cho Windows (Inno Setup 6). Xem docs/build-windows.md.
;   iscc /DAppVersion=0.1.0 packaging\windows\khoi.iss      (sau khi build: dist\Khoi)
; - Cài cho người dùng hiện tại, không cần quyền quản trị (PrivilegesRequired=lowest):
;   chương trình vào %LOCALAPPDATA%\Programs\Khoi, lối tắt vào Start menu.
; - Nhấp đúp tệp .khoi mở Khối (đăng ký trong HKCU\Software\Classes, chỉ cho người dùng này);
;   hồ sơ PDF vẫn mở bằng trình xem PDF sẵn có, Khối có trong «Open with».
; - Gỡ cài đặt chỉ xóa thư mục chương trình: tài liệu (%APPDATA%\Khoi, Tài liệu của người dùng)
;   và cài đặt được giữ nguyên.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Khối"
#define SourceDir "..\..\dist\Khoi"

[Setup]
AppId={{7D3B0F4C-2E7A-4C5B-9C61-5B2F8E0A4D11}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Khối
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\Khoi
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
ChangesAssociations=yes
OutputDir=..\..\dist
OutputBaseFilename=Khoi-{#AppVersion}-caidat
SetupIconFile=khoi.ico
UninstallDisplayIcon={app}\khoi.exe
UninstallDisplayName={#AppName} {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
LicenseFile=..\..\LICENSE
; Unicode paths (a profile named "Nguyễn Văn Đức") are fine: Inno Setup 6 is Unicode throughout.

[Languages]
#if FileExists(AddBackslash(CompilerPath) + "Languages\Unofficial\Vietnamese.isl")
Name: "vi"; MessagesFile: "compiler:Languages\Unofficial\Vietnamese.isl"
#elif FileExists(AddBackslash(SourcePath) + "Vietnamese.isl")
Name: "vi"; MessagesFile: "Vietnamese.isl"
#else
Name: "en"; MessagesFile: "compiler:Default.isl"
#endif

[CustomMessages]
DesktopIcon=Tạo lối tắt trên màn hình nền
DocType=Tài liệu Khối
LaunchApp=Mở Khối ngay

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "khoi.ico"; DestDir: "{app}"; Flags: ignoreversion

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\khoi.exe"; IconFilename: "{app}\khoi.ico"; Comment: "Tự đánh giá đơn vị văn hóa, kiểu mẫu"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\khoi.exe"; IconFilename: "{app}\khoi.ico"; Tasks: desktopicon

[Registry]
; .khoi → Khoi.Document (per user: HKA is HKCU when installed without admin rights)
Root: HKA; Subkey: "Software\Classes\.khoi"; ValueType: string; ValueName: ""; ValueData: "Khoi.Document"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.khoi"; ValueType: string; ValueName: "Content Type"; ValueData: "application/x-khoi"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\Khoi.Document"; ValueType: string; ValueName: ""; ValueData: "{cm:DocType}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Khoi.Document\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: """{app}\khoi.ico"",0"
Root: HKA; Subkey: "Software\Classes\Khoi.Document\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\khoi.exe"" ""%1"""
; «Open with» Khối for dossier PDFs, without taking PDFs from the user's viewer
Root: HKA; Subkey: "Software\Classes\Applications\khoi.exe\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\khoi.exe"" ""%1"""; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\khoi.exe\SupportedTypes"; ValueType: string; ValueName: ".khoi"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\khoi.exe\SupportedTypes"; ValueType: string; ValueName: ".pdf"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\.pdf\OpenWithProgids"; ValueType: string; ValueName: "Khoi.Dossier"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\Khoi.Dossier"; ValueType: string; ValueName: ""; ValueData: "Hồ sơ PDF (mở bằng Khối để kiểm tra)"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Khoi.Dossier\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\khoi.exe"" ""%1"""

[Run]
Filename: "{app}\khoi.exe"; Description: "{cm:LaunchApp}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only files the program itself may leave in its own folder; user data lives elsewhere and stays.
Type: filesandordirs; Name: "{app}\_internal\__pycache__"
