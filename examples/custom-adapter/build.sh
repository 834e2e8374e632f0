#!/usr/bin/env bash
# Builds this example adapter the way an adapter author outside the project does: against the gateway
# artifact. The gateway is built here and installed into a private Maven repository under target/ --
# never into the shared local repository, which other builds use.
#
#   examples/custom-adapter/build.sh            # build + test; extra arguments go to the adapter's build
#   examples/custom-adapter/build.sh -DskipTests
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
private_repo="$here/target/m2"
# Third-party artifacts are read from the usual local repository, read-only (Maven 3.9 "tail"
# repository); whatever this build writes -- the gateway snapshot, any download -- goes to the private one.
shared_repo="${SHARED_MAVEN_REPO:-$HOME/.m2/repository}"
mvn=("$root/mvnw" -B -q "-Dmaven.repo.local=$private_repo" "-Dmaven.repo.local.tail=$shared_repo")

echo "==> building the gateway and installing it into $private_repo"
"${mvn[@]}" -f "$root/pom.xml" -pl gateway -am install -DskipTests

echo "==> building the example adapter against it"
"${mvn[@]}" -f "$here/pom.xml" package "$@"

echo "==> $here/target/example-cloud-adapter.jar"
