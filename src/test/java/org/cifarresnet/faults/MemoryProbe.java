package org.cifarresnet.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cifarresnet.checkpoint.RunDirectory;
import org.cifarresnet.cli.Cli;
import org.cifarresnet.cli.Main;
import org.cifarresnet.data.TinyCifar;

/**
 * Measures whether native memory leaks ({@code faults/memory-test.sh}): resident memory of a training
 * run at the end of epoch 5 and of epoch 20, and of one process after 100 and after 1,000 {@code
 * predict} calls. The JVMs get a fixed, pre-touched heap ({@code -Xms = -Xmx}, AlwaysPreTouch), so the
 * Java heap is resident from the start and any growth is native memory (TensorFlow's tensors, graphs
 * and sessions) or the JIT's code.
 */
public final class MemoryProbe {
  private static final List<String> JVM = List.of("-Xms768m", "-Xmx768m", "-XX:+AlwaysPreTouch");
  private static final Pattern EPOCH_LINE = Pattern.compile("(?m)^epoch +(\\d+) \\|");

  private MemoryProbe() {}

  /** {@code MemoryProbe WORK_DIR [IMAGES] [EPOCHS] [PREDICTS]}: both measurements; prints the figures. */
  public static void main(String[] args) throws Exception {
    Path work = Files.createDirectories(Path.of(args[0]));
    int images = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    int predicts = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
    Path archive = TinyCifar.writeArchive(work.resolve("cifar.tar.gz"), images / 5, 200, 1);
    Path run = work.resolve("run");
    double trainGrowth = training(archive, run, epochs);
    Path image = work.resolve("cat.png");
    Files.write(image, FuzzTargets.image("png", 120, 90));
    ChildJvm child = ChildJvm.start(work.resolve("predict.out"), JVM, PredictLoop.class.getName(),
        new RunDirectory(run).best().toString(), image.toString(), Integer.toString(predicts));
    int exit = child.waitFor(3600);
    System.out.print(child.out());
    if (exit != 0) throw new IllegalStateException("predict loop failed: " + child.err());
    System.out.printf(Locale.ROOT, "memory growth: training %+.1f %% (epoch 5 to %d), %s%n", trainGrowth, epochs,
        child.out().lines().filter(l -> l.startsWith("predict growth")).findFirst().orElse("predict: ?"));
    System.exit(0);
  }

  /** Trains and samples the child's resident memory as each epoch line appears; returns epoch 5 to last, in %. */
  static double training(Path archive, Path run, int epochs) throws InterruptedException {
    ChildJvm child = ChildJvm.start(run.resolveSibling("train.out"), JVM, Main.class.getName(), "train",
        "--data", archive.toString(), "--out", run.toString(), "--epochs", Integer.toString(epochs),
        "--batch-size", "32", "--threads", "1");
    List<Long> rss = new ArrayList<>();
    while (rss.size() < epochs) {
      Matcher m = EPOCH_LINE.matcher(child.out());
      int seen = 0;
      while (m.find()) seen = Integer.parseInt(m.group(1));
      if (seen > rss.size()) {
        long kb = child.rssKb();
        while (rss.size() < seen) rss.add(kb);
        System.out.printf(Locale.ROOT, "epoch %2d: resident %,d kB%n", seen, kb);
      }
      if (!child.alive() && seen < epochs) throw new IllegalStateException("training ended early: " + child.err());
      Thread.sleep(50);
    }
    child.waitFor(600);
    long at5 = rss.get(Math.min(4, epochs - 1));
    long atEnd = rss.get(epochs - 1);
    double growth = 100.0 * (atEnd - at5) / at5;
    System.out.printf(Locale.ROOT, "training: %,d kB after epoch 5, %,d kB after epoch %d: %+.1f %%%n", at5, atEnd, epochs, growth);
    return growth;
  }

  /** {@code PredictLoop CHECKPOINT IMAGE N}: the CLI's predict N times in this process, memory every 100. */
  public static final class PredictLoop {
    public static void main(String[] args) {
      int n = Integer.parseInt(args[2]);
      long at100 = 0;
      long last = 0;
      for (int i = 1; i <= n; i++) {
        Cli.Outcome r = Cli.run("predict", args[0], args[1]); // its output is captured and dropped
        if (r.exit() != 0) throw new IllegalStateException("predict exited " + r.exit() + ": " + r.err());
        if (i % 100 == 0 || i == n) {
          last = selfRssKb();
          if (i == 100) at100 = last;
          System.out.printf(Locale.ROOT, "predict %4d: resident %,d kB%n", i, last);
        }
      }
      if (at100 > 0) System.out.printf(Locale.ROOT, "predict growth %+.1f %% (call 100 to %d)%n", 100.0 * (last - at100) / at100, n);
      System.out.flush();
      System.exit(0);
    }
  }

  static long selfRssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }
}
