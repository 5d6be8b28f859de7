#!/usr/bin/env bash
# The fresh-machine stage of CI: a new Debian 12 root (debootstrap --variant=minbase, no
# locale set), a clean clone of this repository and the ../shared folder beside it (the
# tests read it), then the README's two commands exactly as the README writes them (taken
# from its "Two commands" section, `sudo ` dropped: they run as root), then `make test`
# again as an ordinary user on a copy owned by that user. Prints both test counts; exits
# non-zero when either run fails. Run as root (debootstrap, chroot, mount).
#   .ci/fresh-machine.sh [REPO-DIR]     (default: the repository holding this script)
set -euo pipefail
REPO=$(cd "${1:-$(dirname "$0")/..}" && pwd)
SHARED="$REPO/../shared"
[ "$(id -u)" = 0 ] || { echo "fresh-machine: needs root (debootstrap, chroot)" >&2; exit 2; }
[ -d "$SHARED" ] || { echo "fresh-machine: $SHARED is missing (the tests read it)" >&2; exit 2; }
# The mirror this machine's apt already uses (CI reaches only Debian's archive).
MIRROR=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
  grep -oE 'https?://[^ ]+/debian/?( |$)' | head -n 1 | tr -d ' ' || true)
MIRROR=${MIRROR:-http://deb.debian.org/debian}

work=$(mktemp -d -t billaudit-fresh.XXXXXX)
R="$work/root"
cleanup() {
  for m in dev/pts dev proc; do mountpoint -q "$R/$m" 2>/dev/null && umount -l "$R/$m"; done
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT

start=$(date +%s)
echo "fresh-machine: debootstrap bookworm from $MIRROR"
debootstrap --variant=minbase bookworm "$R" "$MIRROR" >"$work/debootstrap.log" 2>&1 ||
  { tail -n 30 "$work/debootstrap.log"; exit 1; }
mount -t proc proc "$R/proc"
mount --bind /dev "$R/dev"
mount --bind /dev/pts "$R/dev/pts"
cp /etc/resolv.conf "$R/etc/resolv.conf"

mkdir -p "$R/src"
git clone -q "$REPO" "$R/src/billaudit"
cp -a "$SHARED" "$R/src/shared"
rm -rf "$R/src/shared/.git"

# The README's two commands: the indented lines of its "Two commands" section.
mapfile -t cmds < <(awk '/^## Two commands/{on=1; next} /^## /{on=0} on && /^    [^ ]/{sub(/^    /, ""); print}' \
  "$REPO/README.md")
[ "${#cmds[@]}" = 2 ] || { echo "fresh-machine: README's Two commands section has ${#cmds[@]} commands, want 2" >&2; exit 1; }
in_root() { # USER DIR COMMAND: a login-less shell with no LANG, as a fresh machine has
  chroot --userspec="$1" "$R" env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME="$([ "$1" = root ] && echo /root || echo /home/tester)" DEBIAN_FRONTEND=noninteractive \
    bash -c "cd $2 && $3"
}
rc=0
for c in "${cmds[@]}"; do
  c=${c//sudo /}
  echo "fresh-machine (root): $c"
  in_root root /src/billaudit "$c" >"$work/out" 2>&1 || { echo "FAIL (root): $c"; tail -n 40 "$work/out"; exit 1; }
done
root_counts=$(tail -n 1 "$work/out")
echo "fresh-machine: make test as root: $root_counts"

# Again as an ordinary user, on a copy it owns (built already: make test rebuilds nothing).
chroot "$R" useradd -m tester
cp -a "$R/src" "$R/home/tester/src"
chroot "$R" chown -R tester:tester /home/tester/src
in_root tester:tester /home/tester/src/billaudit "make test" >"$work/out" 2>&1 || rc=1
user_counts=$(tail -n 1 "$work/out")
[ "$rc" = 0 ] || { grep -a '^FAIL\|^NOT RUN' "$work/out" | head -n 40; }
echo "fresh-machine: make test as user tester: $user_counts"
echo "fresh-machine: $(($(date +%s) - start)) s"
exit "$rc"
