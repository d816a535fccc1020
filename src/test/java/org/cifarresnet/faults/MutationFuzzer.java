package org.cifarresnet.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

/**
 * Runs a fuzz target on seeded mutations of its seeds, each input on a worker thread with a time
 * limit, and collects findings: any exception but the one-line UserError, an error such as
 * OutOfMemoryError, or an input that takes longer than the limit. Deterministic for a seed, so a
 * failure in the suite repeats; each finding's input is saved for the regression corpus.
 */
final class MutationFuzzer {
  /**
   * The campaign's limit: a reader that takes longer than this on one small input (they take
   * milliseconds) is a finding, slow enough to look hung to a user.
   */
  static final double CAMPAIGN_LIMIT_SECONDS = 5;

  /** One distinct failure (by exception type and place) with the first input that showed it. */
  record Finding(String what, Path input) {}

  record Report(int inputs, double seconds, List<Finding> findings) {
    String summary(FuzzTargets target) {
      return String.format(Locale.ROOT, "%s: %,d inputs in %.1f s, %d findings", target.corpus, inputs, seconds, findings.size());
    }
  }

  private final Path findingsDir;
  private final double limitSeconds;
  private ExecutorService worker = newWorker();

  /**
   * @param findingsDir where failing inputs are saved, under {@code <corpus>/}
   * @param limitSeconds how long one input may take before it counts as a finding
   */
  MutationFuzzer(Path findingsDir, double limitSeconds) {
    this.findingsDir = findingsDir;
    this.limitSeconds = limitSeconds;
  }

  private static ExecutorService newWorker() {
    return Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "fuzz-target");
      t.setDaemon(true); // a hung reader must not keep the JVM alive
      return t;
    });
  }

  /** The seeds, then mutations of them in turn, up to {@code inputs} in all. */
  Report fuzz(FuzzTargets target, int inputs, long seed) {
    List<byte[]> seeds = target.seeds();
    Mutator mutator = new Mutator(seed);
    // Made as they are run: 20,000 mutated Keras files of 320 KB each would not fit the heap at once.
    Iterable<byte[]> batch = () -> IntStream.range(0, Math.max(inputs, seeds.size()))
        .mapToObj(i -> i < seeds.size() ? seeds.get(i) : mutator.mutate(target, seeds.get(i % seeds.size())))
        .iterator();
    return run(target, batch);
  }

  Report run(FuzzTargets target, Iterable<byte[]> inputs) {
    long began = System.nanoTime();
    Map<String, Finding> findings = new LinkedHashMap<>();
    int count = 0;
    for (byte[] input : inputs) {
      count++;
      String what = check(target, input);
      if (what != null && !findings.containsKey(what)) findings.put(what, new Finding(what, save(target, input)));
    }
    return new Report(count, (System.nanoTime() - began) / 1e9, List.copyOf(findings.values()));
  }

  /** Null if the target handled {@code input} as it should; otherwise what went wrong, and where. */
  String check(FuzzTargets target, byte[] input) {
    Future<?> done = worker.submit(() -> target.accept(input));
    try {
      done.get((long) (limitSeconds * 1000), TimeUnit.MILLISECONDS);
      return null;
    } catch (TimeoutException e) {
      done.cancel(true);
      worker.shutdownNow();
      worker = newWorker(); // the old thread may never come back
      return "no answer within " + limitSeconds + " s";
    } catch (ExecutionException e) {
      return describe(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** "IllegalStateException at Foo.bar(Foo.java:12): message": the type and the first frame of ours. */
  static String describe(Throwable t) {
    StackTraceElement where = null;
    for (StackTraceElement f : t.getStackTrace()) {
      if (f.getClassName().startsWith("org.cifarresnet") && !f.getClassName().contains(".faults.")) {
        where = f;
        break;
      }
    }
    if (where == null && t.getStackTrace().length > 0) where = t.getStackTrace()[0];
    String message = String.valueOf(t.getMessage()).lines().findFirst().orElse("");
    if (message.length() > 160) message = message.substring(0, 160) + "...";
    return t.getClass().getName() + " at " + where + ": " + message;
  }

  private Path save(FuzzTargets target, byte[] input) {
    try {
      Path dir = Files.createDirectories(findingsDir.resolve(target.corpus));
      String name = "crash-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(input));
      return Files.write(dir.resolve(name), input);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code MutationFuzzer INPUTS SEED FINDINGS_DIR [CORPUS...]}: fuzzes every target (or those whose
   * corpus names are given, e.g. {@code keras-h5}) with INPUTS inputs each, prints a line per target
   * and per finding; exit 1 if anything was found.
   */
  public static void main(String[] args) {
    int inputs = Integer.parseInt(args[0]);
    long seed = Long.parseLong(args[1]);
    var fuzzer = new MutationFuzzer(Path.of(args[2]), CAMPAIGN_LIMIT_SECONDS);
    int found = 0;
    int total = 0;
    List<String> only = List.of(args).subList(3, args.length);
    for (FuzzTargets t : FuzzTargets.values()) {
      if (!only.isEmpty() && !only.contains(t.corpus)) continue;
      Report r = fuzzer.fuzz(t, inputs, seed);
      System.out.println(r.summary(t));
      for (Finding f : r.findings()) System.out.println("  FINDING " + f.what() + "\n    input: " + f.input());
      found += r.findings().size();
      total += r.inputs();
    }
    System.out.printf(Locale.ROOT, "%,d inputs fuzzed, %d findings%n", total, found);
    System.exit(found == 0 ? 0 : 1);
  }
}
