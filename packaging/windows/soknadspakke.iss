; Inno Setup 6 script: the Windows installer for Søknadspakke (saved as UTF-8 with a BOM,
; which Inno Setup needs to read the "ø" right).
;
;   bash packaging/build.sh                                  (makes dist\soknadspakke\)
;   iscc packaging\windows\soknadspakke.iss                  (makes dist\installer\*.exe)
;
; Installs for the current user only, without administrator rights (into
; %LOCALAPPDATA%\Programs\Søknadspakke), adds a Start-menu entry, opens .soknad files with the
; program, and removes all of it again on uninstall: the program folder, the Start-menu entry,
; the file association and the program's cache of converted documents. The user's projects and
; packages are never touched. The version is read from the built program (whose version
; resource the PyInstaller spec writes from soknadspakke.__version__), so it has one source.

#define AppName "Søknadspakke"
#define DistDir "..\..\dist\soknadspakke"
#define AppExe "soknadspakke.exe"
#define AppVersion GetStringFileInfo(DistDir + "\" + AppExe, "ProductVersion")
#define ProgId "Soknadspakke.Project"

[Setup]
; Never change AppId: Windows finds an installed copy to update or uninstall by it.
AppId={{6F3C2B1E-7A54-4C1D-9E8B-2D5A4F0C7B31}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Søknadspakke developers
VersionInfoVersion={#AppVersion}
; Per user, no administrator rights; an administrator may still choose "for all users".
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
ChangesAssociations=yes
SetupIconFile=..\..\resources\icons\soknadspakke.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
OutputDir=..\..\dist\installer
OutputBaseFilename=Soknadspakke-{#AppVersion}-windows-x64

[Languages]
Name: "nb"; MessagesFile: "compiler:Languages\Norwegian.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; .soknad -> Søknadspakke. HKA is HKEY_CURRENT_USER for a per-user install (no admin rights
; needed) and HKEY_LOCAL_MACHINE for an all-users one. Removed again on uninstall.
Root: HKA; Subkey: "Software\Classes\.soknad"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.soknad\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "{cm:ProjectFile}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".soknad"; ValueData: ""

[CustomMessages]
nb.ProjectFile=Søknadspakke-prosjekt
en.ProjectFile=Søknadspakke project

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; The intake cache holds PDF copies of the user's documents: it goes with the program.
Type: filesandordirs; Name: "{localappdata}\Soknadspakke\Cache"
Type: dirifempty; Name: "{localappdata}\Soknadspakke"
Type: dirifempty; Name: "{app}"
