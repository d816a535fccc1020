package org.cifarresnet.cli;

import java.io.PrintWriter;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.cifarresnet.checkpoint.Checkpoint;
import org.cifarresnet.checkpoint.CheckpointInfo;
import org.cifarresnet.checkpoint.Checkpointer;
import org.cifarresnet.checkpoint.Provenance;
import org.cifarresnet.checkpoint.RunDirectory;
import org.cifarresnet.config.Precision;
import org.cifarresnet.config.RunConfig;
import org.cifarresnet.data.CifarDataset;
import org.cifarresnet.data.Split;
import org.cifarresnet.eval.Evaluator;
import org.cifarresnet.model.CifarModel;
import org.cifarresnet.platform.Device;
import org.cifarresnet.platform.Platform;
import org.cifarresnet.report.HistoryRecorder;
import org.cifarresnet.report.ReportListener;
import org.cifarresnet.tensorboard.TensorBoardListener;
import org.cifarresnet.train.MeanImage;
import org.cifarresnet.train.ProgressLogger;
import org.cifarresnet.train.StopSignal;
import org.cifarresnet.train.Trainer;
import org.cifarresnet.train.TrainingListener;
import org.cifarresnet.train.TrainingState;
import org.cifarresnet.util.UserError;
import picocli.CommandLine;

/** Wires a run together (model, data, listeners) and trains it; shared by train and resume. */
final class RunLauncher {
  private static final int EVAL_BATCH = 1000;

  private RunLauncher() {}

  /**
   * @param cli the command's command line: its output and error writers are the run's console
   * @param resumeFrom the checkpoint to continue from, or null for a new run
   * @param device CPU or GPU, resolved
   * @param stop a stop the caller controls (tests), or null for Ctrl-C and SIGTERM while the run trains
   * @return the state after the last epoch
   */
  static TrainingState launch(
      CommandLine cli, RunConfig asked, CifarDataset data, Split train, RunDirectory run, TrainingState state,
      Checkpoint resumeFrom, int threads, Device device, StopSignal stop, List<TrainingListener> extraListeners) {
    // On a GPU the run computes in fp32 (auto, and a resumed bf16 run: bf16 is a CPU rewrite); the
    // checkpoints record what it computes in.
    RunConfig config = device == Device.GPU ? asked.with(asked.training().withPrecision(Precision.FP32)) : asked;
    var datasetInfo = datasetInfo(data, train);
    var provenance = Provenance.current(threads, config.training().precision(), device);
    boolean live = System.console() != null;
    PrintWriter out = cli.getOut();
    try (var signals = stop != null ? stop : StopSignal.installForSignals(cli.getErr(), Main::quitWithoutSaving);
        var model = new CifarModel(config.model(), config.optimizer(), config.training().seed(), config.training().precision(),
            threads, config.training().ema(), device);
        var evaluator = new Evaluator(data.test(), data.classNames(), EVAL_BATCH);
        var progress = new ProgressLogger(out, live, run.log());
        var tensorboard = new TensorBoardListener(run, cli.getErr())) { // closes its event files however training ends
      progress.line("device: " + device.label() + " (TensorFlow " + Platform.nativeBuild() + ")");
      if (resumeFrom != null) {
        resumeFrom.restoreInto(model);
      } else {
        model.setMeanImage(MeanImage.of(train));
      }
      var checkpointer = new Checkpointer(model, run, (kind, s) ->
          new CheckpointInfo(CheckpointInfo.FORMAT, kind, config, s, datasetInfo, provenance, now()));
      List<TrainingListener> listeners = new ArrayList<>(List.of(progress, new HistoryRecorder(run, cli.getErr()), checkpointer));
      listeners.add(new ReportListener(run, data.test(), cli.getErr()));
      listeners.add(tensorboard); // after the checkpointer: an epoch's events follow its checkpoint
      listeners.addAll(extraListeners);
      var trainer = new Trainer(model, config, train, evaluator, listeners, signals);
      TrainingState end = trainer.fit(state, data.test().size());
      progress.line(String.format(Locale.ROOT, "done: best val_acc %.4f at epoch %d%s; checkpoints in %s",
          end.bestValAcc(), end.bestEpoch(), withFlip(run, threads, cli), run.root().resolve("checkpoints")));
      return end;
    }
  }

  /** The finished run's report made anew from its best checkpoint, with the flip figure; as text for the last line. */
  private static String withFlip(RunDirectory run, int threads, CommandLine cli) {
    try {
      Double flip = ReportCommand.rewriteFinished(run, threads, cli.getOut(), cli.getErr());
      return flip == null ? "" : String.format(Locale.ROOT, " (%.4f with --tta)", flip);
    } catch (UserError e) {
      cli.getErr().println("warning: report.html not rewritten with the flip figure: " + e.getMessage());
      cli.getErr().flush();
      return "";
    }
  }

  static CheckpointInfo.DatasetInfo datasetInfo(CifarDataset data, Split train) {
    return new CheckpointInfo.DatasetInfo(data.source(), data.sha256(), data.classNames(), train.size(), data.test().size());
  }

  static String now() {
    return OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
