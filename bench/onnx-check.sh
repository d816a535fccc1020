#!/usr/bin/env bash
# Checks an exported ONNX model with ONNX Runtime against TF Java on a whole CIFAR-10 test set
# (src/test/java/org/cifarresnet/interop/OnnxCheck.java). Needs the real data, so it is not a test.
# Usage: bench/onnx-check.sh MODEL.onnx RUN_DIR|CHECKPOINT DATA   (DATA: cifar-10-binary.tar.gz or its folder)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
mvn -q -B -o test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
if [ "$(uname -m)" = x86_64 ]; then export TF_ENABLE_ONEDNN_OPTS="${TF_ENABLE_ONEDNN_OPTS:-1}"; fi
exec java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" org.cifarresnet.interop.OnnxCheck \
  "$@"
