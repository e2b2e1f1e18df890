#!/bin/sh
# Builds a Debian trixie root (chroot) with Samba >= 4.24 from trixie-backports, for the KB5014754 PKINIT
# interop test (test/interop/samba-pkinit.test.ts). Bookworm's own Samba (4.17) and bookworm-backports' (4.22)
# predate "strong certificate binding enforcement"; installing trixie-backports' Samba on bookworm itself
# would replace libc6, systemd, python3 and ~170 packages, so it lives in its own root instead.
# Usage (as root): sh test/helpers/make-samba-root.sh [DIR]   (default /var/tmp/certdesk-samba-root)
# Then: CERTDESK_SAMBA_ROOT=DIR node build/test.mjs samba-pkinit   (DIR is also found without the variable)
# Needs: debootstrap (apt-get install debootstrap) and Debian's mirror. About 30 s and 580 MB.
set -eu
ROOT=${1:-/var/tmp/certdesk-samba-root}
MIRROR=http://deb.debian.org/debian
if [ -x "$ROOT/usr/sbin/samba" ]; then echo "samba root already at $ROOT"; exit 0; fi
command -v debootstrap >/dev/null || { apt-get install -y -q debootstrap; }
rm -rf "$ROOT.tmp"
debootstrap --variant=minbase trixie "$ROOT.tmp" "$MIRROR"
echo "deb $MIRROR trixie-backports main" > "$ROOT.tmp/etc/apt/sources.list.d/trixie-backports.list"
# Never start services from maintainer scripts inside the root.
printf '#!/bin/sh\nexit 101\n' > "$ROOT.tmp/usr/sbin/policy-rc.d"
chmod +x "$ROOT.tmp/usr/sbin/policy-rc.d"
chroot "$ROOT.tmp" apt-get update -q
chroot "$ROOT.tmp" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
  -t trixie-backports samba-ad-dc samba samba-ad-provision winbind
chroot "$ROOT.tmp" apt-get clean
mkdir -p "$ROOT.tmp/tmp" && chmod 1777 "$ROOT.tmp/tmp"
mv "$ROOT.tmp" "$ROOT"
chroot "$ROOT" samba -V
