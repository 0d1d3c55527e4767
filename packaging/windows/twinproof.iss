; Inno Setup 6 script: a per-user or per-machine Windows installer for the PyInstaller bundle.
;
;   pyinstaller --noconfirm build.spec                       (makes dist\twinproof\)
;   iscc /DAppVersion=0.1.0 packaging\windows\twinproof.iss  (makes dist\TwinProof-0.1.0-setup-x64.exe)
;
; Installs dist\twinproof\ as is into Program Files (or %LOCALAPPDATA%\Programs for a user
; install), a Start-menu entry for twinproof-gui.exe (no console window), an optional desktop
; icon, and optionally adds the folder to PATH so `twinproof analyze ...` works in a terminal.
; Built and checked by .github/workflows/release.yml on windows-latest; not testable on Linux.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "TwinProof"
#define AppExe "twinproof-gui.exe"
#define SourceDir "..\..\dist\twinproof"

[Setup]
; A fixed AppId: upgrades replace the previous version instead of installing beside it.
AppId={{6B1E3F0A-8C2D-4E7B-9A41-5D0C7F2B9E13}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=TwinProof
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Users without admin rights can still install for themselves.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=TwinProof-{#AppVersion}-setup-x64
SetupIconFile=..\icons\twinproof.ico
UninstallDisplayIcon={app}\{#AppExe}
WizardStyle=modern
; ~500 MB of libraries: lzma2 solid gives the smallest download; the build is slower, installs fast.
Compression=lzma2/max
SolidCompression=yes
ChangesEnvironment=yes
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "addtopath"; Description: "Add the twinproof command to PATH"; GroupDescription: "Command line:"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade must not leave an old version's libraries beside the new ones.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
Root: HKA; Subkey: "{code:EnvKey}"; ValueType: expandsz; ValueName: "Path"; \
    ValueData: "{olddata};{app}"; Tasks: addtopath; Check: NeedsAddPath(ExpandConstant('{app}'))

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
function EnvKey(Param: String): String;
begin
  if IsAdminInstallMode then
    Result := 'SYSTEM\CurrentControlSet\Control\Session Manager\Environment'
  else
    Result := 'Environment';
end;

function EnvRoot: Integer;
begin
  if IsAdminInstallMode then Result := HKEY_LOCAL_MACHINE else Result := HKEY_CURRENT_USER;
end;

function NeedsAddPath(Dir: String): Boolean;
var
  Paths: String;
begin
  if not RegQueryStringValue(EnvRoot, EnvKey(''), 'Path', Paths) then
  begin
    Result := True;
    exit;
  end;
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Paths) + ';') = 0;
end;

{ Take the install folder out of PATH again on uninstall. }
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Paths, Dir: String;
  P: Integer;
begin
  if CurUninstallStep <> usPostUninstall then exit;
  if not RegQueryStringValue(EnvRoot, EnvKey(''), 'Path', Paths) then exit;
  Dir := ExpandConstant('{app}');
  P := Pos(';' + Uppercase(Dir), Uppercase(Paths));
  if P > 0 then
  begin
    Delete(Paths, P, Length(Dir) + 1);
    RegWriteExpandStringValue(EnvRoot, EnvKey(''), 'Path', Paths);
  end;
end;
