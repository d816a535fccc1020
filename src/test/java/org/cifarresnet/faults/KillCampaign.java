package org.cifarresnet.faults;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cifarresnet.checkpoint.Checkpoint;
import org.cifarresnet.checkpoint.RunDirectory;
import org.cifarresnet.data.TinyCifar;
import org.cifarresnet.train.EpochStats;

/**
 * Kills tiny training runs with real signals at seeded random moments and checks what survives.
 *
 * <p>One run directory is trained, killed, resumed, killed again and so on until the kills are spent,
 * then resumed to its end; a run that finishes before its kill makes way for a new one. The moments
 * are of three kinds, in turn: any time after start (JVM start, data loading, graph building or
 * training), while a checkpoint is being written (its temporary file exists), and while the history,
 * curves or config is being written. After each SIGKILL every file must parse whole, the checkpoint
 * may only lag the last finished epoch by that one epoch, and the next {@code resume} must start
 * exactly where the checkpoint stands; a run killed before its first checkpoint is resumed too, and
 * must say in one line that it starts over from its config.json. (A directory killed before train
 * wrote config.json holds no run yet: train starts it again.) Every run ends finished, its history
 * holding each epoch once, in order.
 *
 * <p>With SIGTERM the run must instead save where it stands and exit 130: its checkpoint must hold the
 * last step it reported, and the run resumed to its end must have exactly the weights of a run never
 * stopped (one engine thread makes training deterministic).
 *
 * <p>{@code faults/kill-test.sh} runs this with many kills; {@link KillTest} with a few.
 */
final class KillCampaign {
  static final int EPOCHS = 8;
  private static final Pattern RESUMING = Pattern.compile("resuming after epoch (\\d+), step (\\d+)");
  private static final Pattern EPOCH_LINE = Pattern.compile("(?m)^epoch +(\\d+) \\|");
  private static final Pattern PROGRESS = Pattern.compile("(?m)^(?:epoch +(\\d+) \\||Epoch (\\d+)/\\d+$| *(\\d+)/(\\d+) \\[)");
  private static final String STARTING_OVER = "no checkpoint yet";

  /** The outcome; {@link #problems} empty means every fault was survived. */
  static final class Result {
    int kills;
    int duringCheckpointWrite;
    int duringOtherWrite;
    int beforeFirstCheckpoint;
    int resumesChecked;
    int startOversChecked;
    int runsCompleted;
    int filesChecked;
    final List<String> problems = new ArrayList<>();

    String summary(String signal) {
      if (signal.equals("SIGTERMs")) {
        return String.format(Locale.ROOT, "%d SIGTERMs survived, %d files damaged (each saved the step it reported;"
            + " %d resumes checked, %d runs completed with the weights of an uninterrupted run, %d file checks)",
            kills, problems.size(), resumesChecked, runsCompleted, filesChecked);
      }
      return String.format(Locale.ROOT,
          "%d %s survived, %d files damaged (%d during a checkpoint write, %d during another write, %d before the"
              + " first checkpoint; %d resumes checked, %d of them starting over without a checkpoint, %d runs"
              + " completed, %d file checks)",
          kills, signal, problems.size(), duringCheckpointWrite, duringOtherWrite, beforeFirstCheckpoint,
          resumesChecked, startOversChecked, runsCompleted, filesChecked);
    }
  }

  private final Path work;
  private final Path archive;
  private final Random random;
  private final PrintStream log;
  private final Result result = new Result();
  private int runs;
  private int children;

  KillCampaign(Path work, long seed, PrintStream log) {
    this.work = work;
    this.random = new Random(seed);
    this.log = log;
    // 40 training images in batches of 8: 5 steps an epoch; the test set of 16 keeps evaluation short.
    this.archive = TinyCifar.writeArchive(work.resolve("cifar.tar.gz"), 8, 16, seed);
  }

  private String[] trainArgs(Path dir) {
    return new String[] {"train", "--data", archive.toString(), "--out", dir.toString(), "--epochs", Integer.toString(EPOCHS),
        "--batch-size", "8", "--seed", "3", "--threads", "1", "--log-every", "2"}; // per-step TensorBoard events too
  }

  private Path newRun() {
    return work.resolve("run-" + (++runs));
  }

  private ChildJvm start(String... args) {
    return ChildJvm.cli(work.resolve(String.format(Locale.ROOT, "child-%03d.out", ++children)), args);
  }

  // ------------------------------------------------------------------ SIGKILL

  Result killRuns(int kills) throws InterruptedException {
    Path dir = newRun();
    while (result.kills < kills) {
      RunCheck before = RunCheck.of(dir);
      ChildJvm child = startOrResume(dir, before);
      int mode = result.kills % 3;
      boolean killed = switch (mode) {
        case 0 -> killAfter(child, 0.2 + random.nextDouble() * 8);
        case 1 -> killWhenTemporary(child, dir.resolve("checkpoints"), 0.03);
        default -> killWhenTemporary(child, dir, 0.002);
      };
      if (!killed) {
        finished(child, dir, before);
        dir = newRun();
        continue;
      }
      result.kills++;
      RunCheck after = check(dir, "after kill " + result.kills);
      if (after.temporaries() > 0) {
        if (containsTemporary(dir.resolve("checkpoints"))) result.duringCheckpointWrite++;
        else result.duringOtherWrite++;
      }
      if (!after.hasCheckpoint()) result.beforeFirstCheckpoint++;
      checkResumedFrom(child, before);
      checkStartedOver(child, before);
      checkLostAtMostOneEpoch(child, before, after);
      log.printf(Locale.ROOT, "kill %2d (%s): checkpoint at epoch %d, %d temporaries left, %s%n", result.kills,
          mode == 0 ? "random moment" : mode == 1 ? "checkpoint write" : "history/curves/config write",
          after.checkpointEpochs(), after.temporaries(), after.whole() ? "all files whole" : after.problems());
    }
    finish(dir);
    return result;
  }

  /** Resume any directory train made (a checkpoint, or at least config.json); train one that holds no run yet. */
  private ChildJvm startOrResume(Path dir, RunCheck before) {
    if (before.hasCheckpoint() || before.hasConfig()) return start("resume", dir.toString(), "--threads", "1");
    return start(trainArgs(dir));
  }

  private static boolean killAfter(ChildJvm child, double seconds) throws InterruptedException {
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < deadline) {
      if (!child.alive()) return false;
      Thread.sleep(5);
    }
    if (!child.alive()) return false;
    child.kill9();
    return true;
  }

  /**
   * Kills within {@code maxDelay} seconds of the n-th temporary file (n from 1 to 6, at random)
   * appearing in {@code dir}, so that kills fall on later writes too, not only on the first; if that
   * write is over when the delay is up, the kill waits for the next one, so that it lands inside one.
   */
  private boolean killWhenTemporary(ChildJvm child, Path dir, double maxDelay) throws InterruptedException {
    int wanted = 1 + random.nextInt(6);
    Set<Path> seen = new HashSet<>();
    while (child.alive()) {
      seen.addAll(temporaries(dir));
      if (seen.size() >= wanted) {
        long delay = (long) (random.nextDouble() * maxDelay * 1e9);
        long until = System.nanoTime() + delay;
        while (System.nanoTime() < until) Thread.onSpinWait();
        if (!child.alive()) return false;
        if (containsTemporary(dir)) {
          child.kill9();
          return true;
        }
        maxDelay = 0; // that write was over: kill inside the next one, at once
      }
      Thread.sleep(1);
    }
    return false;
  }

  private static List<Path> temporaries(Path dir) {
    List<Path> found = new ArrayList<>();
    if (!Files.isDirectory(dir)) return found;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*.tmp")) {
      files.forEach(found::add);
    } catch (IOException e) {
      // the directory is being created or went away: nothing to see yet
    }
    return found;
  }

  private static boolean containsTemporary(Path dir) {
    if (!Files.isDirectory(dir)) return false;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*.tmp")) {
      return files.iterator().hasNext();
    } catch (IOException e) {
      return false; // the directory is being created or went away: nothing to see yet
    }
  }

  /**
   * One kill at a moment chosen rather than drawn: as soon as training starts, long before the first
   * checkpoint. resume must then start the run over and finish it.
   */
  Result killBeforeTheFirstCheckpoint() throws InterruptedException {
    Path dir = newRun();
    ChildJvm child = start(trainArgs(dir));
    if (!child.awaitOutput("Epoch 1/", 180)) {
      result.problems.add("train never started its first epoch: " + child.err().strip());
      return result;
    }
    child.kill9();
    result.kills++;
    RunCheck after = check(dir, "after a kill in epoch 1");
    if (after.hasCheckpoint() || !after.hasConfig()) {
      result.problems.add("killed in epoch 1, the run has " + (after.hasCheckpoint() ? "a checkpoint" : "no config.json"));
    }
    result.beforeFirstCheckpoint++;
    finish(dir);
    return result;
  }

  // ------------------------------------------------------------------ SIGTERM

  /**
   * Stops runs with SIGTERM at random moments of training; each must save and exit 130, and the run
   * resumed to its end must equal one that was never stopped.
   */
  Result termRuns(int stops) throws InterruptedException {
    Path reference = newRun();
    ChildJvm straight = start(trainArgs(reference));
    expectExit(straight, 0, "uninterrupted reference run");
    Path dir = newRun();
    while (result.kills < stops) {
      RunCheck before = RunCheck.of(dir);
      ChildJvm child = startOrResume(dir, before);
      // SIGTERM is handled once training is under way; earlier it simply ends the JVM (exit 143).
      if (!child.awaitOutput("Epoch ", 180)) {
        expectExit(child, 0, "run that ended before training");
        continue;
      }
      Thread.sleep((long) (random.nextDouble() * 2500));
      if (!child.alive()) {
        finished(child, dir, before);
        compareWeights(reference, dir);
        dir = newRun();
        continue;
      }
      child.term();
      int exit = child.waitFor(180);
      checkResumedFrom(child, before);
      RunCheck after = check(dir, "after SIGTERM " + (result.kills + 1));
      if (exit == 0) { // the signal came during the last epoch's last step or evaluation: the run finished
        compareWeights(reference, dir);
        result.runsCompleted++;
        dir = newRun();
        continue;
      }
      result.kills++;
      if (exit != 130) result.problems.add("SIGTERM: exit " + exit + " instead of 130; " + child.err().strip());
      if (!child.err().contains("saved; continue with: ./cifar-resnet resume " + dir)) {
        result.problems.add("SIGTERM: no resume hint in: " + child.err().strip());
      }
      int[] reported = lastReported(child.out());
      if (reported[0] != after.checkpointEpochs() || reported[1] != after.checkpointSteps()) {
        result.problems.add(String.format(Locale.ROOT, "SIGTERM: last step reported was epoch %d step %d, checkpoint"
            + " holds epoch %d step %d", reported[0], reported[1], after.checkpointEpochs(), after.checkpointSteps()));
      }
      log.printf(Locale.ROOT, "SIGTERM %2d: exit %d, saved at epoch %d step %d, %s%n", result.kills, exit,
          after.checkpointEpochs(), after.checkpointSteps(), after.whole() ? "all files whole" : after.problems());
    }
    finish(dir);
    compareWeights(reference, dir);
    return result;
  }

  /** (epochs done, steps done in the next epoch) as the last progress lines printed say. */
  static int[] lastReported(String out) {
    int epochsDone = 0;
    int steps = 0;
    Matcher m = PROGRESS.matcher(out);
    while (m.find()) {
      if (m.group(1) != null) {
        epochsDone = Integer.parseInt(m.group(1));
        steps = 0;
      } else if (m.group(2) != null) {
        epochsDone = Integer.parseInt(m.group(2)) - 1;
        steps = 0;
      } else if (m.group(3) != null) {
        // The last step of an epoch is never a stopping point: the epoch ends and is saved whole.
        steps = m.group(3).equals(m.group(4)) ? steps : Integer.parseInt(m.group(3));
      }
    }
    return new int[] {epochsDone, steps};
  }

  private void compareWeights(Path reference, Path dir) {
    Checkpoint a = Checkpoint.load(new RunDirectory(reference).last());
    Checkpoint b = Checkpoint.load(new RunDirectory(dir).last());
    for (String name : a.arrays().keySet()) {
      if (!b.arrays().containsKey(name) || !Arrays.equals(a.arrays().get(name).data(), b.arrays().get(name).data())) {
        result.problems.add(dir.getFileName() + ": resumed run differs from the uninterrupted one in " + name);
        return;
      }
    }
  }

  // ------------------------------------------------------------------ shared checks

  private RunCheck check(Path dir, String when) {
    RunCheck c = RunCheck.of(dir);
    result.filesChecked++;
    for (String p : c.problems()) result.problems.add(dir.getFileName() + " " + when + ": " + p);
    return c;
  }

  /** A resume must announce the checkpoint's own epoch and step, if it got as far as saying so. */
  private void checkResumedFrom(ChildJvm child, RunCheck before) {
    if (!before.hasCheckpoint()) return;
    Matcher m = RESUMING.matcher(child.out());
    if (!m.find()) return; // killed before it said where it resumes
    result.resumesChecked++;
    int epoch = Integer.parseInt(m.group(1));
    int step = Integer.parseInt(m.group(2));
    if (epoch != before.checkpointEpochs() || step != before.checkpointSteps()) {
      result.problems.add(String.format(Locale.ROOT, "resume started at epoch %d step %d, the checkpoint holds epoch %d step %d",
          epoch, step, before.checkpointEpochs(), before.checkpointSteps()));
    }
  }

  /** A resume without a checkpoint must say, in one line, that it starts the run over, if it got that far. */
  private void checkStartedOver(ChildJvm child, RunCheck before) {
    if (before.hasCheckpoint() || !before.hasConfig()) return;
    String out = child.out();
    if (!out.contains("read ")) return; // killed before it read the data, which it does right after saying so
    result.resumesChecked++;
    result.startOversChecked++;
    long lines = out.lines().filter(l -> l.startsWith(STARTING_OVER)).count();
    if (lines != 1 || !out.contains("starting the run over from")) {
      result.problems.add("resume without a checkpoint said " + lines + " lines of starting over: " + out.strip());
    }
  }

  /** Only the epoch in progress may be lost: its end-of-epoch writes can be cut off, nothing older. */
  private void checkLostAtMostOneEpoch(ChildJvm child, RunCheck before, RunCheck after) {
    int finished = before.checkpointEpochs();
    Matcher m = EPOCH_LINE.matcher(child.out());
    while (m.find()) finished = Math.max(finished, Integer.parseInt(m.group(1)));
    if (after.checkpointEpochs() < before.checkpointEpochs() || finished - after.checkpointEpochs() > 1) {
      result.problems.add(String.format(Locale.ROOT, "checkpoint went from epoch %d to %d while epoch %d had finished",
          before.checkpointEpochs(), after.checkpointEpochs(), finished));
    }
    // The rows the checkpoint vouches for never change: a resume continues after them.
    for (int i = 0; i < Math.min(before.checkpointEpochs(), Math.min(before.historyRows(), after.historyRows())); i++) {
      EpochStats was = before.history().get(i);
      EpochStats now = after.history().get(i);
      if (was.loss() != now.loss() || was.valAcc() != now.valAcc()) {
        result.problems.add("history row " + (i + 1) + " changed after a kill: " + was + " -> " + now);
      }
    }
  }

  private void finished(ChildJvm child, Path dir, RunCheck before) throws InterruptedException {
    expectExit(child, 0, dir.getFileName() + " run");
    checkResumedFrom(child, before);
    checkStartedOver(child, before);
    RunCheck end = check(dir, "at its end");
    if (end.historyRows() != EPOCHS || end.checkpointEpochs() != EPOCHS || end.tensorboardEpochs() != EPOCHS) {
      result.problems.add(dir.getFileName() + " ended with " + end.historyRows() + " history rows, a checkpoint at epoch "
          + end.checkpointEpochs() + " and " + end.tensorboardEpochs() + " epochs in TensorBoard, expected " + EPOCHS);
    }
    result.runsCompleted++;
  }

  /** Resumes (or restarts) the last run to its end, unkilled: it must complete with every epoch. */
  private void finish(Path dir) throws InterruptedException {
    RunCheck before = RunCheck.of(dir);
    ChildJvm last = startOrResume(dir, before);
    finished(last, dir, before);
    RunCheck end = RunCheck.of(dir);
    if (end.temporaries() > 0) result.problems.add(dir.getFileName() + ": temporaries remain after a completed resume");
    for (int i = 0; i < Math.min(before.checkpointEpochs(), Math.min(before.historyRows(), end.historyRows())); i++) {
      if (before.history().get(i).valAcc() != end.history().get(i).valAcc()) {
        result.problems.add(dir.getFileName() + ": history row " + (i + 1) + " changed by the final resume");
      }
    }
  }

  private void expectExit(ChildJvm child, int expected, String what) throws InterruptedException {
    int exit = child.waitFor(300);
    if (exit != expected) {
      result.problems.add(what + ": exit " + exit + ", expected " + expected + "; " + child.err().strip());
    }
  }

  /**
   * {@code KillCampaign [kills] [seed] [kill|term]}: the script's entry point; prints the summary
   * line and exits 1 if anything was damaged.
   */
  public static void main(String[] args) throws Exception {
    int kills = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
    boolean term = args.length > 2 && args[2].equals("term");
    Path work = Files.createTempDirectory("cifar-resnet-kill-");
    try {
      var campaign = new KillCampaign(work, seed, System.out);
      Result r = term ? campaign.termRuns(kills) : campaign.killRuns(kills);
      r.problems.forEach(p -> System.out.println("DAMAGED: " + p));
      System.out.println(r.summary(term ? "SIGTERMs" : "kills"));
      if (r.problems.isEmpty()) deleteTree(work);
      else System.out.println("the run directories are kept in " + work);
      System.exit(r.problems.isEmpty() ? 0 : 1);
    } catch (RuntimeException | Error e) {
      System.out.println("the run directories are kept in " + work);
      throw e;
    }
  }

  static void deleteTree(Path root) {
    try (var walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
