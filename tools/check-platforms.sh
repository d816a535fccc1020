#!/usr/bin/env bash
# Proves on one machine what can be proved about the others: for every platform TensorFlow Java
# 1.1.0 ships, (1) which native build the pom's OS/architecture profiles choose for that platform's
# JVM, (2) that the Maven Wrapper resolves that build from Maven Central, and (3) that the jar holds
# the platform's TensorFlow libraries. It runs nothing on those platforms.
#
# usage: tools/check-platforms.sh        (first run downloads about 1 GB into ~/.m2)
# Output: a table per step; exit 1 if any platform fails a check.
set -euo pipefail
cd "$(dirname "$0")/.."
out="target/platforms"
mkdir -p "$out"
mvnw=(./mvnw -B -q)
status=0

echo "== 1. the native build each platform's JVM selects (its os.name and os.arch given to Maven; offline)"
# The JVM's os.name/os.arch are faked for Maven alone, so only offline goals work (the JDK's own
# networking reads os.name); Maven's console library may complain on stderr, which is dropped.
# Names are written without spaces (MAVEN_OPTS is split on them); the profiles match on the family
# (mac, windows) or the name's start, as they would for "Mac OS X" and "Windows 11".
printf "%-22s %-10s %-28s %s\n" "os.name" "os.arch" "tensorflow.native" "expected"
while IFS='|' read -r name arch expected; do
  got=$(MAVEN_OPTS="-Dos.name=$name -Dos.arch=$arch" "${mvnw[@]}" -o help:evaluate \
    -Dexpression=tensorflow.native -DforceStdout 2>/dev/null || true)
  mark=ok; [ "$got" = "$expected" ] || { mark=FAIL; status=1; }
  printf "%-22s %-10s %-28s %s %s\n" "$name" "$arch" "$got" "$expected" "$mark"
done <<'EOF'
Linux|amd64|linux-x86_64
Linux|aarch64|linux-arm64
Mac_OS_X|aarch64|macosx-arm64
Windows_11|amd64|windows-x86_64
Mac_OS_X|x86_64|unsupported
Linux|x86|unsupported
Windows_10|x86|unsupported
Windows_11|aarch64|unsupported
Linux|arm|unsupported
EOF

echo
echo "== 2. the build stops on an unsupported platform (Mac OS X x86_64 given to Maven; offline)"
msg=$(MAVEN_OPTS="-Dos.name=Mac_OS_X -Dos.arch=x86_64" "${mvnw[@]}" -o validate 2>&1 | grep -m1 "has no native build" || true)
if [ -n "$msg" ]; then echo "stopped: ${msg#\[ERROR\] }"; else echo "FAIL: validate did not stop"; status=1; fi

echo
echo "== 3. each native build resolved through the wrapper, and what its jar holds"
# Every platform's profile activated explicitly and the others switched off, so the host's own
# profile does not take part; -Pgpu adds the CUDA variant to linux-x86_64.
printf "%-18s %-52s %6s  %s\n" "native build" "jar" "MB" "TensorFlow libraries in it"
for build in linux-x86_64 linux-x86_64-gpu linux-arm64 macosx-arm64 windows-x86_64; do
  base="${build%-gpu}"
  profiles="$base"
  [ "$build" = "$base" ] || profiles="$profiles,gpu"
  for other in linux-x86_64 linux-arm64 macosx-arm64 windows-x86_64; do
    [ "$other" = "$base" ] || profiles="$profiles,!$other"
  done
  rm -rf "${out:?}/$build"
  if ! "${mvnw[@]}" -P "$profiles" dependency:copy-dependencies -DincludeScope=runtime \
      -DincludeArtifactIds=tensorflow-core-native -DoutputDirectory="$out/$build" >"$out/$build.log" 2>&1; then
    echo "$build: FAIL, not resolved (see $out/$build.log)"; status=1; continue
  fi
  jar=$(ls "$out/$build"/tensorflow-core-native-*-"$build".jar 2>/dev/null || true)
  if [ -z "$jar" ]; then echo "$build: FAIL, no $build jar among: $(ls "$out/$build")"; status=1; continue; fi
  # The libraries sit under org/tensorflow/internal/c_api/<build>/, where JavaCPP's loader looks.
  all_libs=$(unzip -Z1 "$jar" | grep "^org/tensorflow/internal/c_api/$build/" | sed "s|.*/||" | grep -E '\.(so|dylib|dll)' | sort)
  libs=$(echo "$all_libs" | grep tensorflow | tr '\n' ' ')
  others=$(echo "$all_libs" | grep -vc tensorflow || true)
  [ "$others" = 0 ] || libs="$libs+ $others runtime libraries ($(echo "$all_libs" | grep -v tensorflow | grep -v '^api-ms-win' | tr '\n' ' ' | sed 's/ $//'), ...)"
  case "$build" in
    linux-*) need="libtensorflow_cc.so.2 libtensorflow_framework.so.2 libjnitensorflow.so" ;;
    macosx-*) need="libtensorflow_cc.2.dylib libtensorflow_framework.2.dylib libjnitensorflow.dylib" ;;
    windows-*) need="tensorflow.dll jnitensorflow.dll" ;;
  esac
  missing=""
  for lib in $need; do case " $libs " in *" $lib "*) ;; *) missing="$missing $lib" ;; esac; done
  size=$(( $(wc -c <"$jar") / 1000000 ))
  printf "%-18s %-52s %6s  %s\n" "$build" "$(basename "$jar")" "$size" "$libs"
  if [ -n "$missing" ]; then echo "  FAIL: missing$missing"; status=1; fi
done

echo
[ "$status" = 0 ] && echo "all platforms: ok" || echo "some checks FAILED"
exit "$status"
