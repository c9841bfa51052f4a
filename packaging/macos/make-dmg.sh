#!/usr/bin/env bash
# Pack dist/Søknadspakke.app (made by packaging/build.sh on macOS) into a disk image:
#   dist/installer/Soknadspakke-VERSION-macos-ARCH.dmg
# with the app and a link to /Applications to drag it onto. Needs only macOS's own hdiutil.
# The version is read from the app's Info.plist, which the spec writes from __version__.
# Signing and notarisation: packaging/README.md (set SOKNADSPAKKE_CODESIGN_IDENTITY before
# build.sh, and SOKNADSPAKKE_NOTARY_PROFILE here, to do both).
set -euo pipefail
cd "$(dirname "$0")/../.."
app="dist/Søknadspakke.app"
[ -d "$app" ] || { echo "make-dmg.sh: $app is missing; run bash packaging/build.sh first" >&2; exit 2; }
version=$(/usr/libexec/PlistBuddy -c "Print :CFBundleShortVersionString" "$app/Contents/Info.plist")
arch=$(uname -m)
out="dist/installer/Soknadspakke-$version-macos-$arch.dmg"
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"
mkdir -p dist/installer
rm -f "$out"
hdiutil create -volname "Søknadspakke $version" -srcfolder "$staging" -fs HFS+ \
  -format UDZO -imagekey zlib-level=9 -ov "$out"
if [ -n "${SOKNADSPAKKE_CODESIGN_IDENTITY:-}" ]; then
  codesign --force --timestamp --sign "$SOKNADSPAKKE_CODESIGN_IDENTITY" "$out"
fi
if [ -n "${SOKNADSPAKKE_NOTARY_PROFILE:-}" ]; then
  xcrun notarytool submit "$out" --keychain-profile "$SOKNADSPAKKE_NOTARY_PROFILE" --wait
  xcrun stapler staple "$out"
fi
echo "== $out ($(du -h "$out" | cut -f1))"
