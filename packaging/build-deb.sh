#!/bin/sh
# Builds dist/cass2dynamo_<version>_<arch>.deb: the release binary, the systemd unit and the docs.
# Usage: packaging/build-deb.sh [VERSION]   (needs swift and dpkg-deb)
# Environment: CASS2DYNAMO_BIN=path packages that binary instead of building one;
# DIST=folder writes the .deb there instead of dist/.
set -eu
cd "$(dirname "$0")/.."
VERSION="${1:-0.1.0}"
ARCH="$(dpkg --print-architecture)"
DIST="${DIST:-dist}"
if [ -n "${CASS2DYNAMO_BIN:-}" ]; then
  BIN="$CASS2DYNAMO_BIN"
else
  swift build -c release --product cass2dynamo --static-swift-stdlib
  BIN="$(swift build -c release --show-bin-path)/cass2dynamo"
fi
ROOT="$(mktemp -d)"
trap 'rm -rf "$ROOT"' EXIT
install -D -m 0755 "$BIN" "$ROOT/usr/bin/cass2dynamo"
install -D -m 0644 packaging/cass2dynamo-agent.service "$ROOT/lib/systemd/system/cass2dynamo-agent.service"
install -D -m 0644 docs/agent.md "$ROOT/usr/share/doc/cass2dynamo/agent.md"
install -D -m 0644 docs/agent-api.md "$ROOT/usr/share/doc/cass2dynamo/agent-api.md"
install -D -m 0644 docs/agent-openapi.yaml "$ROOT/usr/share/doc/cass2dynamo/agent-openapi.yaml"
mkdir -p "$ROOT/DEBIAN"
cat > "$ROOT/DEBIAN/control" <<CONTROL
Package: cass2dynamo
Version: $VERSION
Architecture: $ARCH
Maintainer: cass2dynamo developers
Depends: libc6, openssh-client, liblz4-1, libsnappy1v5, libzstd1, zlib1g, libdeflate0
Section: database
Priority: optional
Description: Migrate Apache Cassandra tables to Amazon DynamoDB, reading SSTables directly
 Includes the extraction agent (cass2dynamo agent serve) and its systemd unit.
CONTROL
cat > "$ROOT/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
set -e
getent group cass2dynamo >/dev/null || addgroup --system cass2dynamo
getent passwd cass2dynamo >/dev/null || adduser --system --ingroup cass2dynamo --home /var/lib/cass2dynamo --no-create-home cass2dynamo
install -d -o cass2dynamo -g cass2dynamo -m 0750 /var/lib/cass2dynamo /etc/cass2dynamo
if [ ! -f /etc/cass2dynamo/agent-settings.yaml ]; then
  su -s /bin/sh cass2dynamo -c "/usr/bin/cass2dynamo agent init --dir /etc/cass2dynamo --generate-certs" >/dev/null
  sed -i 's|^state_directory:.*|state_directory: "/var/lib/cass2dynamo/state"|; s|^staging_directory:.*|staging_directory: "/var/lib/cass2dynamo/staging"|' /etc/cass2dynamo/agent-settings.yaml
fi
systemctl daemon-reload >/dev/null 2>&1 || true
POSTINST
chmod 0755 "$ROOT/DEBIAN/postinst"
mkdir -p "$DIST"
dpkg-deb --root-owner-group --build "$ROOT" "$DIST/cass2dynamo_${VERSION}_${ARCH}.deb"
echo "built $DIST/cass2dynamo_${VERSION}_${ARCH}.deb"
