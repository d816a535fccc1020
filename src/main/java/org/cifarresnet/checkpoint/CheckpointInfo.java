package org.cifarresnet.checkpoint;

import java.util.List;
import org.cifarresnet.config.RunConfig;
import org.cifarresnet.train.TrainingState;

/**
 * Everything a checkpoint says about itself besides the weights: the settings, where training
 * stood, the data it was trained on and the software and machine that made it.
 *
 * @param format file format version
 * @param kind "last" (resumable: has the optimizer's state) or "best" (model only)
 * @param config every setting of the run
 * @param state where training stood when saved
 * @param dataset the data the model was trained on
 * @param provenance versions, machine and precision
 * @param savedAt ISO-8601 time of saving
 */
public record CheckpointInfo(
    int format, String kind, RunConfig config, TrainingState state, DatasetInfo dataset,
    Provenance provenance, String savedAt) {
  public static final int FORMAT = 1;

  /**
   * @param source the path the data was read from
   * @param sha256 checksum of that archive
   * @param classNames class names in label order
   * @param trainImages training images used (after --limit)
   * @param testImages test images
   */
  public record DatasetInfo(String source, String sha256, List<String> classNames, int trainImages, int testImages) {}
}
