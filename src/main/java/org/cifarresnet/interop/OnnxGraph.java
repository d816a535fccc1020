package org.cifarresnet.interop;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.cifarresnet.interop.onnx.OnnxProto.AttributeProto;
import org.cifarresnet.interop.onnx.OnnxProto.GraphProto;
import org.cifarresnet.interop.onnx.OnnxProto.NodeProto;
import org.cifarresnet.interop.onnx.OnnxProto.TensorProto;
import org.cifarresnet.interop.onnx.OnnxProto.TensorShapeProto;
import org.cifarresnet.interop.onnx.OnnxProto.TypeProto;
import org.cifarresnet.interop.onnx.OnnxProto.ValueInfoProto;

/**
 * An ONNX graph of float32 tensors, built node by node on the classes generated from ONNX's own
 * {@code onnx.proto}: constants (initializers), nodes with their attributes, and the graph's typed
 * inputs and outputs. Nodes must be added in an order where every input already exists, as ONNX
 * requires (a topological order).
 */
final class OnnxGraph {
  /** The batch dimension, left open: any number of images. */
  static final long BATCH = -1;

  private final GraphProto.Builder graph = GraphProto.newBuilder();

  OnnxGraph(String name, String doc) {
    graph.setName(name).setDocString(doc);
  }

  /** A float32 constant with these dimensions (row-major data); returns its name. */
  String constant(String name, long[] dims, float[] values) {
    if (Arrays.stream(dims).reduce(1, Math::multiplyExact) != values.length) {
      throw new IllegalArgumentException(name + ": " + values.length + " values for dimensions " + Arrays.toString(dims));
    }
    // raw_data is the tensor's bytes, little-endian as ONNX specifies; protobuf encodes the field.
    ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
        .addAllDims(Arrays.stream(dims).boxed().toList()).setRawData(ByteString.copyFrom(bytes.array())));
    return name;
  }

  /** One node with one output, named {@code output}; returns that name for the next node. */
  String node(String opType, String output, List<String> inputs, AttributeProto... attributes) {
    graph.addNode(NodeProto.newBuilder().setOpType(opType).setName(output).addAllInput(inputs).addOutput(output)
        .addAllAttribute(Arrays.asList(attributes)));
    return output;
  }

  /** Declares a graph input of float32 tensors with these dimensions ({@link #BATCH} for an open one). */
  void input(String name, long... dims) {
    graph.addInput(valueInfo(name, dims));
  }

  /** Declares a graph output, as {@link #input}. */
  void output(String name, long... dims) {
    graph.addOutput(valueInfo(name, dims));
  }

  GraphProto build() {
    return graph.build();
  }

  static AttributeProto ints(String name, long... values) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS)
        .addAllInts(Arrays.stream(values).boxed().toList()).build();
  }

  static AttributeProto integer(String name, long value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
  }

  static AttributeProto real(String name, float value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
  }

  private static ValueInfoProto valueInfo(String name, long[] dims) {
    var shape = TensorShapeProto.newBuilder();
    for (long d : dims) {
      shape.addDim(d == BATCH ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
          : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    var tensor = TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape);
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(tensor)).build();
  }
}
