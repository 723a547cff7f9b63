#!/usr/bin/env bash
# Runs the README's two commands on a machine where nothing was installed before: a fresh Debian
# bookworm root made with debootstrap, entered with chroot (sharing this machine's network, so
# the PostgreSQL of 127.0.0.1:5432 serves its tests). Inside, only `make` is installed first, as
# the README says; then
#
#   make run    (offscreen) until the log-in window shows the demonstration accounts, then stops
#   make test   with CI=true: nothing may be skipped, packaging included
#
# and the timings are printed as a table for docs/platform.md. Needs root and the network to a
# Debian mirror and PyPI.
#
#   scripts/check-clean-machine.sh [--keep] [--mirror URL] [FOLDER]
#
# FOLDER (default /var/tmp/imagin-clean-machine) is removed at the end unless --keep.
set -euo pipefail

keep=0
mirror=http://deb.debian.org/debian
target=/var/tmp/imagin-clean-machine
while (($#)); do
  case "$1" in
    --keep) keep=1 ;;
    --mirror) mirror=$2; shift ;;
    *) target=$1 ;;
  esac
  shift
done
root=$(cd "$(dirname "$0")/.." && pwd)
[[ $(id -u) -eq 0 ]] || { echo "Lancez ce contrôle en root (debootstrap, chroot)." >&2; exit 1; }
command -v debootstrap >/dev/null || {
  echo "Installation de debootstrap"
  apt-get install -y -qq debootstrap >/dev/null
}

declare -A took
step() {  # step NAME COMMAND...: runs and times one step
  local name=$1 start=$SECONDS
  shift
  echo "== $name"
  "$@"
  took[$name]=$((SECONDS - start))
  echo "== $name: ${took[$name]} s"
}

mounted=()
cleanup() {
  local status=$?
  if [[ -n "${app_group:-}" ]]; then kill -TERM -- "-$app_group" 2>/dev/null || true; fi
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[i]}" 2>/dev/null || true; done
  if ((keep == 0)); then rm -rf --one-file-system "$target"; fi
  exit "$status"
}
trap cleanup EXIT

mount_into() {  # mount_into TYPE SOURCE POINT [OPTIONS]
  mkdir -p "$target$3"
  mount -t "$1" ${4:+-o "$4"} "$2" "$target$3"
  mounted+=("$target$3")
}
in_root() {
  chroot "$target" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
    TERM=dumb "${cert_env[@]}" "$@"
}

rm -rf --one-file-system "$target"
mkdir -p "$target"
quiet() { "$@" >/dev/null; }
step debootstrap quiet debootstrap --variant=minbase bookworm "$target" "$mirror"
mount_into proc proc /proc
mount_into sysfs sys /sys
mount_into devtmpfs udev /dev
mount_into devpts devpts /dev/pts gid=5,mode=620
mount_into tmpfs tmpfs /dev/shm mode=1777
mount_into tmpfs tmpfs /tmp mode=1777
cp /etc/resolv.conf "$target/etc/resolv.conf"
# What the Debian installer writes and debootstrap does not.
printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$target/etc/hosts"
# This network's own certificate authority, when pip here is told to trust one (a proxy that
# inspects TLS): the same trust inside, nothing else from this machine.
pip_cert=${PIP_CERT:-$(pip3 config get global.cert 2>/dev/null || true)}
cert_env=()
if [[ -n "$pip_cert" && -f "$pip_cert" ]]; then
  install -D -m 644 "$pip_cert" "$target/etc/imagin-check/network-ca.crt"
  cert_env=(PIP_CERT=/etc/imagin-check/network-ca.crt)
fi

# The project as a fresh clone with this working tree's changes: tracked and new files, never
# the virtual environment or anything ignored.
mkdir -p "$target/root/imagin"
(cd "$root" && git ls-files -z --cached --others --exclude-standard | xargs -0 -I{} sh -c \
  'test -e "{}" && printf "%s\0" "{}"' | tar --null -T - -cf -) | tar -xf - -C "$target/root/imagin"

step make-install in_root sh -c 'apt-get update -qq && apt-get install -y -qq make >/dev/null'

# make run, offscreen, until the application says the demonstration server is up and the log-in
# window shows its accounts; then stopped like a person closing it (SIGTERM).
app_log=/root/.local/state/imagin/log/imagin.log
run_started=$SECONDS
setsid chroot "$target" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin \
  LANG=C.UTF-8 TERM=dumb QT_QPA_PLATFORM=offscreen "${cert_env[@]}" \
  sh -c 'cd /root/imagin && exec make run' >"$target/root/make-run.log" 2>&1 &
app_group=$!
shown=""
ready=""
while kill -0 "$app_group" 2>/dev/null && ((SECONDS - run_started < 1800)); do
  if [[ -z "$shown" ]] && grep -q "IMAG'IN shown" "$target$app_log" 2>/dev/null; then
    shown=$((SECONDS - run_started))
  fi
  if grep -q "demo server up" "$target$app_log" 2>/dev/null; then
    ready=$((SECONDS - run_started))
    break
  fi
  sleep 1
done
kill -TERM -- "-$app_group" 2>/dev/null || true
wait "$app_group" 2>/dev/null || true
app_group=""
if [[ -z "$ready" ]]; then
  echo "make run n'a pas atteint la fenêtre de connexion avec le serveur de démonstration :" >&2
  tail -40 "$target/root/make-run.log" >&2
  tail -40 "$target$app_log" >&2 2>/dev/null || true
  exit 1
fi
took[make-run]=$ready
echo "== make run: log-in window at ${shown:-?} s, demonstration accounts at $ready s (bootstrap included)"
grep -h "demo server up\|IMAG'IN shown" "$target$app_log"

set +e
step make-test in_root sh -c 'cd /root/imagin && CI=true make test' 2>&1 |
  tee "$target/root/make-test.log" | tail -25
status=${PIPESTATUS[0]}
set -e
summary=$(grep -E "^=+ .*(passed|failed).* in " "$target/root/make-test.log" | tail -1 || true)
test_seconds=$(grep -E "^== make-test: " "$target/root/make-test.log" | tail -1 | tr -dc 0-9 || true)

cat <<SUMMARY

Clean machine ($(date -u +%Y-%m-%d), Debian bookworm minbase, $(nproc) cores):
| step | seconds |
|---|---|
| debootstrap --variant=minbase bookworm | ${took[debootstrap]} |
| apt-get install make | ${took[make-install]} |
| make run to the log-in window with the demo accounts (bootstrap included) | ${took[make-run]} |
| CI=true make test | ${test_seconds##*: } |
make test: ${summary:-no pytest summary} (exit $status)
SUMMARY
exit "$status"
