# Sourced by the fault scripts: builds the tests, sets CP to their class path, and takes the build lock
# so that their JVMs do not compete with a build or another heavy script on a small machine.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lock="${CIFAR_RESNET_LOCK:-/tmp/cifar-build.lock}"
exec 9>"$lock"
if ! flock -n 9; then
  echo "waiting for $lock (a build or another script is running)..." >&2
  flock 9
fi
(cd "$root" && ./mvnw -q -B test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/faults-classpath.txt >/dev/null) \
  || { echo "error: the build failed; run './mvnw -B test-compile' in $root to see why" >&2; exit 1; }
CP="$root/target/test-classes:$root/target/classes:$(cat "$root/target/faults-classpath.txt")"
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
