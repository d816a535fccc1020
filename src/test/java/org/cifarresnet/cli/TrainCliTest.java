package org.cifarresnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.cifarresnet.checkpoint.RunDirectory;
import org.cifarresnet.data.TinyCifar;
import org.cifarresnet.report.HistoryCsv;
import org.cifarresnet.train.EpochStats;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the real command line on a tiny generated CIFAR archive. */
class TrainCliTest {
  @TempDir static Path dir;
  static Path archive;

  @BeforeAll
  static void writeData() {
    archive = TinyCifar.writeArchive(dir.resolve("cifar-10-binary.tar.gz"), 16, 32, 7);
  }

  @Test
  void aTinyRunOverfits64ImagesAndWritesEveryOutput() throws Exception {
    Path out = dir.resolve("overfit");
    var r = Cli.run("train", "--data", archive.toString(), "--out", out.toString(), "--preset", "seed",
        "--epochs", "30", "--batch-size", "16", "--limit", "64", "--seed", "3");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("273,066 trainable parameters"), r.out());

    RunDirectory run = new RunDirectory(out);
    List<EpochStats> history = HistoryCsv.read(run.history());
    assertEquals(30, history.size());
    assertEquals("epoch,lr,loss,acc,val_loss,val_acc,seconds,images_per_s", Files.readAllLines(run.history()).get(0));
    EpochStats last = history.get(history.size() - 1);
    assertTrue(last.acc() >= 0.95, "training accuracy after 30 epochs on 64 images: " + last.acc());
    assertTrue(last.loss() < history.get(0).loss() / 2, "the loss falls: " + history.get(0).loss() + " -> " + last.loss());
    for (Path p : List.of(run.config(), run.log(), run.curves(), run.last(), run.best())) {
      assertTrue(Files.size(p) > 0, p + " is written");
    }
    BufferedImage curves = ImageIO.read(run.curves().toFile());
    assertTrue(curves.getWidth() > 400);
    assertTrue(Files.readString(run.log()).contains("epoch  30 |"));

    // evaluate reproduces the test accuracy history.csv shows for the best epoch.
    var eval = Cli.run("evaluate", out.toString());
    assertEquals(0, eval.exit(), eval.err());
    double best = history.stream().mapToDouble(EpochStats::valAcc).max().orElseThrow();
    assertTrue(eval.out().contains(String.format(Locale.ROOT, "accuracy %.4f", best)), eval.out());
    assertTrue(eval.out().contains("confusion matrix"));
    // --tta: the plain view's figure first, then the averaged views' table.
    var tta = Cli.run("evaluate", out.toString(), "--tta");
    assertEquals(0, tta.exit(), tta.err());
    assertTrue(tta.out().contains(String.format(Locale.ROOT, "plain view: test loss %.4f  accuracy %.4f; with --tta",
        history.stream().filter(h -> h.valAcc() == best).findFirst().orElseThrow().valLoss(), best)), tta.out());

    // predict on two pictures of other sizes.
    Path png = dir.resolve("red.png");
    Path jpg = dir.resolve("blue.jpg");
    ImageIO.write(filled(64, 48, 0xFF0000), "png", png.toFile());
    ImageIO.write(filled(20, 20, 0x0000FF), "jpg", jpg.toFile());
    var predict = Cli.run("predict", out.toString(), png.toString(), jpg.toString());
    assertEquals(0, predict.exit(), predict.err());
    String[] lines = predict.out().strip().split("\n");
    assertEquals(2, lines.length, predict.out());
    assertTrue(lines[0].startsWith(png + ": "), lines[0]);
    assertEquals(3, lines[0].split(",").length, "top 3 classes: " + lines[0]);
    var predictTta = Cli.run("predict", out.toString(), png.toString(), "--tta", "--top", "10");
    assertEquals(0, predictTta.exit(), predictTta.err());
    assertTrue(predictTta.out().startsWith(png + ": "), predictTta.out());
  }

  static BufferedImage filled(int w, int h, int rgb) {
    var image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) image.setRGB(x, y, rgb);
    return image;
  }
}
