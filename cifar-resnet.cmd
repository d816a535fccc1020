@echo off
rem cifar-resnet.cmd: the Windows launcher (cmd or PowerShell), as ./cifar-resnet is on Linux and macOS.
rem Builds the project through the Maven Wrapper on first use and whenever a source is newer than the
rem jar, then runs it with the same class path, environment defaults and exit codes. Needs only a
rem JDK 17+ (JAVA_HOME, or java on PATH). CIFAR_RESNET_JAVA_OPTS adds JVM options, e.g. -Xmx8g.
rem Paths are only ever used in quotes and outside parenthesised blocks, where "C:\Program Files (x86)"
rem would end the block early.
setlocal
set "HERE=%~dp0"
set "JAR=%HERE%target\cifar-resnet.jar"
set "SUPPORTED=linux-x86_64 (NVIDIA GPUs with CIFAR_RESNET_GPU=1), linux-arm64, macosx-arm64 (Apple silicon), windows-x86_64"

rem TensorFlow Java 1.1.0 ships windows-x86_64 only; a 32-bit cmd on 64-bit Windows reports x86 here
rem and AMD64 in PROCESSOR_ARCHITEW6432.
set "ARCH=%PROCESSOR_ARCHITECTURE%"
if defined PROCESSOR_ARCHITEW6432 set "ARCH=%PROCESSOR_ARCHITEW6432%"
if /i not "%ARCH%"=="AMD64" goto unsupported

if not defined CIFAR_RESNET_GPU goto cpu_build
if "%CIFAR_RESNET_GPU%"=="0" goto cpu_build
echo error: CIFAR_RESNET_GPU: TensorFlow's GPU build is for Linux on x86-64; on Windows run cifar-resnet inside WSL2 for the GPU, or unset CIFAR_RESNET_GPU 1>&2
exit /b 1
:cpu_build

set "JAVA=java"
if defined JAVA_HOME if exist "%JAVA_HOME%\bin\java.exe" set "JAVA=%JAVA_HOME%\bin\java.exe"
"%JAVA%" -version >nul 2>&1
if errorlevel 1 goto no_java

rem Stale when the jar is missing or any file under src\main, or pom.xml, is newer than it.
powershell -NoProfile -NonInteractive -Command "$jar = Get-Item -LiteralPath $env:JAR -ErrorAction SilentlyContinue; if (-not $jar) { exit 1 }; $newer = Get-ChildItem -LiteralPath (Join-Path $env:HERE 'src\main'), (Join-Path $env:HERE 'pom.xml') -Recurse -File | Where-Object { $_.LastWriteTimeUtc -gt $jar.LastWriteTimeUtc } | Select-Object -First 1; if ($newer) { exit 1 }; exit 0"
if not errorlevel 1 goto run

echo building cifar-resnet (the first run downloads Maven and TensorFlow, about 260 MB)... 1>&2
if not exist "%HERE%target" mkdir "%HERE%target"
pushd "%HERE%"
call "%HERE%mvnw.cmd" -q -B -DskipTests package > "%HERE%target\build.log" 2>&1
set "BUILD=%ERRORLEVEL%"
popd
if "%BUILD%"=="0" goto run
rem The pom's own refusals (platform, Java version) are one line: show that line.
set "REASON="
for /f "usebackq delims=" %%L in (`findstr /c:"has no native build" /c:"needs Java 17" "%HERE%target\build.log"`) do if not defined REASON set "REASON=%%L"
if defined REASON set "REASON=: %REASON:[ERROR] =%"
echo error: the build failed%REASON%; see %HERE%target\build.log 1>&2
exit /b 1

:run
rem oneDNN kernels on every x86-64 CPU: TensorFlow turns them on by itself only where the CPU has
rem AVX512_VNNI, AVX512_BF16, AVX_VNNI or AMX (fp32 training 2.0x faster with them on an AVX2 CPU,
rem docs/speed.md). The user's own settings stand.
if not defined TF_ENABLE_ONEDNN_OPTS set "TF_ENABLE_ONEDNN_OPTS=1"
rem TensorFlow's C++ core prints start-up notices unless told not to.
if not defined TF_CPP_MIN_LOG_LEVEL set "TF_CPP_MIN_LOG_LEVEL=2"
"%JAVA%" --enable-native-access=ALL-UNNAMED -Djava.awt.headless=true -Dcifarresnet.launcher=cifar-resnet.cmd %CIFAR_RESNET_JAVA_OPTS% -cp "%JAR%;%HERE%target\lib\*" org.cifarresnet.cli.Main %*
exit /b %ERRORLEVEL%

:unsupported
echo error: TensorFlow Java 1.1.0 has no native build for Windows on %ARCH%; cifar-resnet runs on %SUPPORTED% 1>&2
exit /b 1

:no_java
echo error: Java is needed: install a JDK 17 or newer (e.g. Eclipse Temurin) and put it on PATH or set JAVA_HOME 1>&2
exit /b 1
