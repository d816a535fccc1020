package org.cifarresnet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.cifarresnet.checkpoint.Checkpoint;
import org.cifarresnet.checkpoint.RunDirectory;
import org.cifarresnet.checkpoint.RunManifest;
import org.cifarresnet.data.TinyCifar;
import org.cifarresnet.report.HistoryCsv;
import org.cifarresnet.train.StopSignal;
import org.cifarresnet.train.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run stopped mid-epoch and resumed ends with exactly the weights of one that was not stopped. */
class ResumeTest {
  @TempDir Path dir;

  private String[] trainArgs(Path archive, Path out) {
    // One engine thread: multi-threaded reductions may differ in the last bits from run to run.
    return new String[] {"train", "--data", archive.toString(), "--out", out.toString(), "--preset", "keras",
        "--epochs", "3", "--batch-size", "16", "--seed", "11", "--threads", "1"};
  }

  @Test
  void theSameSeedRepeatsARunExactly() {
    Path archive = TinyCifar.writeArchive(dir.resolve("cifar.tar.gz"), 8, 16, 5);
    var ra = Cli.run(trainArgs(archive, dir.resolve("a")));
    assertEquals(0, ra.exit(), ra.err());
    assertEquals(0, Cli.run(trainArgs(archive, dir.resolve("b"))).exit());
    Checkpoint a = Checkpoint.load(new RunDirectory(dir.resolve("a")).last());
    Checkpoint b = Checkpoint.load(new RunDirectory(dir.resolve("b")).last());
    for (String name : a.arrays().keySet()) {
      assertArrayEquals(a.arrays().get(name).data(), b.arrays().get(name).data(), name);
    }
  }

  @Test
  void resumingWithMoreEpochsTrainsOnAndRecordsTheNewCount() {
    Path archive = TinyCifar.writeArchive(dir.resolve("cifar.tar.gz"), 8, 16, 5);
    Path run = dir.resolve("run");
    assertEquals(0, Cli.run(trainArgs(archive, run)).exit());
    var done = Cli.run("resume", run.toString());
    assertEquals(0, done.exit(), done.err());
    assertTrue(done.out().contains("finished its 3 epochs"), done.out());

    var more = Cli.run("resume", run.toString(), "--epochs", "4", "--threads", "1");
    assertEquals(0, more.exit(), more.err());
    assertEquals(4, HistoryCsv.read(new RunDirectory(run).history()).size());
    assertEquals(4, RunManifest.read(new RunDirectory(run).config()).config().training().epochs());
  }

  @Test
  void stoppedAndResumedEqualsUninterrupted() {
    Path archive = TinyCifar.writeArchive(dir.resolve("cifar.tar.gz"), 8, 16, 5); // 40 images: 3 steps per epoch
    Path straight = dir.resolve("straight");
    assertEquals(0, Cli.run(trainArgs(archive, straight)).exit());

    // Stop during epoch 2, after its second step: mid-epoch, with augmentation on (keras preset).
    Path stopped = dir.resolve("stopped");
    var train = new TrainCommand();
    train.stop = new StopSignal();
    train.extraListeners = List.of(new TrainingListener() {
      @Override
      public void onBatchEnd(BatchEnd e) {
        if (e.epoch() == 2 && e.progress().batchesDone() == 2) train.stop.request();
      }
    });
    String[] args = trainArgs(archive, stopped);
    var first = Cli.run(train, java.util.Arrays.copyOfRange(args, 1, args.length)); // without the "train" word
    assertEquals(Main.EXIT_STOPPED, first.exit(), first.err());
    assertTrue(first.err().contains("resume " + stopped), first.err());
    assertEquals(1, HistoryCsv.read(new RunDirectory(stopped).history()).size());

    var resume = new ResumeCommand();
    resume.stop = new StopSignal();
    var second = Cli.run(resume, stopped.toString(), "--threads", "1");
    assertEquals(0, second.exit(), second.err());
    assertTrue(second.out().contains("resuming after epoch 1, step 2"), second.out());

    Checkpoint a = Checkpoint.load(new RunDirectory(straight).last());
    Checkpoint b = Checkpoint.load(new RunDirectory(stopped).last());
    assertEquals(a.arrays().keySet(), b.arrays().keySet());
    for (String name : a.arrays().keySet()) {
      assertArrayEquals(a.arrays().get(name).data(), b.arrays().get(name).data(), name);
    }
    var h1 = HistoryCsv.read(new RunDirectory(straight).history());
    var h2 = HistoryCsv.read(new RunDirectory(stopped).history());
    assertEquals(3, h2.size());
    for (int i = 0; i < 3; i++) {
      assertEquals(h1.get(i).loss(), h2.get(i).loss(), 1e-6);
      assertEquals(h1.get(i).valAcc(), h2.get(i).valAcc());
    }
  }
}
