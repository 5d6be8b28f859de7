#!/usr/bin/env bash
# Regenerates the ZIP fixtures of tests/data/zip from samples/ (needs zip and 7z, i.e.
# p7zip-full; the tests only read the committed output). The password is this script's
# own invention and occurs nowhere in the samples, so a test can grep outputs for it.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
pw='Qz7-fixture-Pw'
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mkdir -p "$t/exports/2025"
cp "$root"/samples/*.csv "$root"/samples/*.xlsx "$root"/samples/contract.txt "$t/exports/2025/"
touch -d 2025-06-01T00:00:00 "$t/exports/2025"/* "$t/exports/2025" "$t/exports"
cd "$t"
rm -f "$here"/*.zip
zip -qrX "$here/plain.zip" exports
zip -qrX -P "$pw" "$here/zipcrypto.zip" exports
7z a -tzip -mem=AES256 -p"$pw" "$here/aes.zip" exports >/dev/null
# One level of nesting is read; a ZIP inside a ZIP inside a ZIP is not.
cp "$here/plain.zip" inner.zip
zip -qX "$here/nested.zip" inner.zip
cp "$here/nested.zip" nested.zip
zip -qX middle.zip nested.zip
zip -qX "$here/deep.zip" middle.zip
# Cut in the middle of the central directory.
size=$(stat -c %s "$here/plain.zip")
head -c $((size - 100)) "$here/plain.zip" >"$here/truncated.zip"
# A bomb under encryption: 64 MiB of zeros deflate to ~64 KiB, past 200:1.
head -c $((64 << 20)) /dev/zero >zeros.csv
zip -qX -P "$pw" "$here/bomb-zipcrypto.zip" zeros.csv exports/2025/bill-2025.csv
7z a -tzip -mem=AES256 -p"$pw" "$here/bomb-aes.zip" zeros.csv >/dev/null
printf 'wrong-one\n%s\n' "$pw" >"$here/passwords.txt"
printf 'not-it\n' >"$here/wrong-passwords.txt"
