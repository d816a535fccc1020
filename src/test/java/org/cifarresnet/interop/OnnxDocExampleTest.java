package org.cifarresnet.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Pattern;
import javax.tools.ToolProvider;
import org.cifarresnet.cli.Cli;
import org.cifarresnet.data.CifarReader;
import org.cifarresnet.data.TinyCifar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java example of docs/onnx.md, taken from the page as it stands, compiles against ONNX
 * Runtime alone, runs on an exported model and prints the class TensorFlow Java predicts.
 */
class OnnxDocExampleTest {
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL);

  @TempDir Path dir;

  @Test
  void theDocumentedJavaExampleRunsAndPrintsTheTopClass() throws Exception {
    var block = JAVA_BLOCK.matcher(Files.readString(Path.of("docs", "onnx.md")));
    assertTrue(block.find(), "docs/onnx.md has a java block");
    Path checkpoint = Fixtures.randomCheckpoint(dir.resolve("model.npz"), 8, 48);
    Path onnx = dir.resolve("model.onnx");
    var export = Cli.run("export", checkpoint.toString(), "--format", "onnx", "--out", onnx.toString());
    assertEquals(0, export.exit(), export.err());

    // The page's imports and its float[] pixels, around the block itself. The block prints with
    // System.out.println: a nested class named System gives it a stream of the test's own, so that
    // nothing global is swapped.
    String source = "import ai.onnxruntime.*;\nimport java.nio.FloatBuffer;\nimport java.util.Map;\n"
        + "public class DocExample {\n"
        + "  public static final class System { public static java.io.PrintStream out; }\n"
        + "  public static void run(float[] pixels, java.io.PrintStream out) throws Exception {\n"
        + "    System.out = out;\n"
        + block.group(1).replace("\"model.onnx\"", "\"" + onnx.toString().replace("\\", "\\\\") + "\"")
        + "  }\n}\n";
    Path src = Files.writeString(dir.resolve("DocExample.java"), source);
    Path classes = Files.createDirectories(dir.resolve("classes"));
    var onnxRuntimeJar = Path.of(OrtEnvironment.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    var errors = new ByteArrayOutputStream();
    int compiled = ToolProvider.getSystemJavaCompiler()
        .run(null, null, errors, "-classpath", onnxRuntimeJar.toString(), "-d", classes.toString(), src.toString());
    assertEquals(0, compiled, errors.toString(StandardCharsets.UTF_8));

    Path archive = TinyCifar.writeArchive(dir.resolve("cifar.tar.gz"), 10, 10, 3);
    byte[] image = Arrays.copyOf(CifarReader.read(archive).test().images(), 3072); // the first test image
    float[] pixels = new float[3072];
    for (int i = 0; i < pixels.length; i++) pixels[i] = image[i] & 0xFF;
    float[] expected = Fixtures.probabilities(checkpoint, image);
    int top = OnnxRuntimeRun.argMax(expected);

    var out = new ByteArrayOutputStream();
    try (var loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
      loader.loadClass("DocExample").getMethod("run", float[].class, PrintStream.class)
          .invoke(null, pixels, new PrintStream(out, true, StandardCharsets.UTF_8));
    }
    String printed = out.toString(StandardCharsets.UTF_8).strip();
    String[] words = printed.split(" ");
    assertEquals(2, words.length, printed);
    assertEquals(TinyCifar.CLASS_NAMES.get(top), words[0], printed);
    assertEquals(expected[top], Float.parseFloat(words[1]), OnnxExportTest.TOLERANCE, printed);
  }
}
