#!/usr/bin/env bash
# Builds this example adapter the way an adapter author outside the project does: against the gateway
# artifact, tested with the gateway's adapter conformance kit. Both are built here and installed into a
# private Maven repository under target/ -- never into the shared local repository, which other builds use.
#
# The adapter's build runs to verify: unit tests against a fake Nimbus, the conformance kit's contract
# (NimbusConformanceTest), then GatewayWithAdapterJarIT, which
# starts the gateway's fat jar (built here) with the packaged adapter jar on its classpath and sends a
# request through it.
#
#   examples/custom-adapter/build.sh            # build + unit and integration tests; extra arguments go to the adapter's build
#   examples/custom-adapter/build.sh -DskipTests
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
private_repo="$here/target/m2"
# Third-party artifacts are read from the usual local repository, read-only (Maven 3.9 "tail"
# repository); whatever this build writes -- the gateway snapshot, any download -- goes to the private one.
shared_repo="${SHARED_MAVEN_REPO:-$HOME/.m2/repository}"
mvn=("$root/mvnw" -B -q "-Dmaven.repo.local=$private_repo" "-Dmaven.repo.local.tail=$shared_repo")

# Also (re)builds gateway/target/smart-gateway.jar, the jar the integration test runs. Tests are skipped:
# they are the main build's job, and after it (as in CI) this step only re-packages and installs.
echo "==> building the gateway and the adapter conformance kit, installing them into $private_repo"
"${mvn[@]}" -f "$root/pom.xml" -pl gateway,adapter-conformance -am install -DskipTests

echo "==> building the example adapter against it and running it in the gateway"
"${mvn[@]}" -f "$here/pom.xml" verify "-Dsmartgateway.jar=$root/gateway/target/smart-gateway.jar" "$@"

echo "==> $here/target/example-cloud-adapter.jar"
