package org.cifarresnet.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.random.TruncatedNormal;
import org.tensorflow.types.TFloat32;

/**
 * Creates the graph's variables with deterministic names and seeded initial values, and lists them.
 * Layer names follow TF2 Keras' creation-order naming ({@code conv2d}, {@code conv2d_1}, ...) so
 * that a variable's name says which Keras layer it matches.
 */
public final class ParameterStore {
  /** Keras' he_normal draws from a normal truncated at 2 sigma, whose spread is 0.8796 of sigma. */
  private static final double TRUNCATED_NORMAL_STDDEV = 0.87962566103423978;

  private final Ops tf;
  private final long seed;
  private final List<Parameter> parameters = new ArrayList<>();
  private final Map<String, Integer> layerCounts = new HashMap<>();
  private long nextOpSeed = 1;

  public ParameterStore(Ops tf, long seed) {
    this.tf = tf;
    this.seed = seed;
  }

  /** A new layer name in Keras style: the first is {@code prefix}, then {@code prefix_1}, ... */
  public String layerName(String prefix) {
    int n = layerCounts.merge(prefix, 1, Integer::sum) - 1;
    return n == 0 ? prefix : prefix + "_" + n;
  }

  /** A variable initialised by Keras' he_normal: truncated normal, stddev sqrt(2 / fan_in). */
  public Variable<TFloat32> heNormal(String name, Shape shape, long fanIn, Parameter.Kind kind) {
    double stddev = Math.sqrt(2.0 / fanIn) / TRUNCATED_NORMAL_STDDEV;
    // Both op seeds set: the same run seed gives the same initial weights on every machine and run.
    Operand<TFloat32> unit =
        tf.random.truncatedNormal(
            tf.constant(shape.asArray()), TFloat32.class, TruncatedNormal.seed(seed), TruncatedNormal.seed2(nextOpSeed++));
    return add(name, tf.math.mul(unit, tf.constant((float) stddev)), kind);
  }

  /** A variable filled with one value (zeros for biases, ones for gamma and moving variance). */
  public Variable<TFloat32> filled(String name, Shape shape, float value, Parameter.Kind kind) {
    return add(name, tf.fill(tf.constant(shape.asArray()), tf.constant(value)), kind);
  }

  private Variable<TFloat32> add(String name, Operand<TFloat32> init, Parameter.Kind kind) {
    Variable<TFloat32> v = tf.withName(name).variable(init);
    parameters.add(new Parameter(name, v, kind));
    return v;
  }

  /** The ops factory variables are created with. */
  Ops ops() {
    return tf;
  }

  public List<Parameter> all() {
    return Collections.unmodifiableList(parameters);
  }

  public List<Parameter> ofKind(Parameter.Kind kind) {
    return parameters.stream().filter(p -> p.kind() == kind).toList();
  }

  public List<Parameter> trainable() {
    return parameters.stream().filter(p -> p.kind().trainable()).toList();
  }

  /** Number of trainable scalars: 273,066 for ResNet20. */
  public long trainableCount() {
    return trainable().stream().mapToLong(Parameter::size).sum();
  }

  /** Trainable scalars plus batch-norm moving statistics: 274,442 for ResNet20, as Keras counts. */
  public long kerasTotalCount() {
    return trainableCount() + ofKind(Parameter.Kind.MOVING_STAT).stream().mapToLong(Parameter::size).sum();
  }
}
