using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using static TorchSharp.torch;

namespace TfCrnn.Models.Onnx;

/// <summary>
/// Appends nodes to an ONNX graph with unique value names, and constants to the initializers of the outermost
/// graph (a Scan body refers to them from the enclosing scope, so weights shared by every step are stored once).
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly GraphProto initializerGraph;
    private readonly HashSet<string> initializerNames;
    private readonly NameCounter names;

    /// <summary>A builder for a new top-level graph.</summary>
    public OnnxGraphBuilder(string graphName) : this(new GraphProto { Name = graphName }, null, [], new NameCounter()) { }

    private OnnxGraphBuilder(GraphProto graph, GraphProto? initializerGraph, HashSet<string> initializerNames, NameCounter names)
    {
        Graph = graph;
        this.initializerGraph = initializerGraph ?? graph;
        this.initializerNames = initializerNames;
        this.names = names;
    }

    public GraphProto Graph { get; }

    /// <summary>A builder for a subgraph (a Scan body) whose constants go into this graph's initializers.</summary>
    public OnnxGraphBuilder Subgraph(string graphName) =>
        new(new GraphProto { Name = graphName }, initializerGraph, initializerNames, names);

    /// <summary>A float32 constant; <paramref name="name"/> is kept when unused so weights keep their PyTorch names.</summary>
    public string Constant(string name, ReadOnlySpan<float> values, params long[] dims) =>
        AddInitializer(name, TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(values), dims);

    /// <summary>A float32 constant with <paramref name="tensor"/>'s values and shape.</summary>
    public string Constant(string name, Tensor tensor)
    {
        using var values = tensor.detach().to(ScalarType.Float32).contiguous();
        return Constant(name, values.data<float>().ToArray(), values.shape);
    }

    /// <summary>An int64 constant (axes, shapes, indices).</summary>
    public string Constant(string name, ReadOnlySpan<long> values, params long[] dims) =>
        AddInitializer(name, TensorProto.Types.DataType.Int64, MemoryMarshal.AsBytes(values), dims);

    /// <summary>
    /// The int64 constant <paramref name="values"/> (a 1-D tensor), added once per graph family however often it is
    /// asked for.
    /// </summary>
    public string Int64s(params long[] values)
    {
        var name = $"const_int64[{string.Join(",", values)}]";
        return initializerNames.Contains(name) ? name : Constant(name, values, values.Length);
    }

    /// <summary>The float32 constant <paramref name="values"/> (a 1-D tensor), added once per graph family however often it is asked for.</summary>
    public string Float32s(params float[] values)
    {
        var name = $"const_float[{string.Join(",", values.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}]";
        return initializerNames.Contains(name) ? name : Constant(name, values, values.Length);
    }

    /// <summary>Adds a node with one output, named after the node, and returns the output's name.</summary>
    public string Node(string op, string scope, IEnumerable<string> inputs, params AttributeProto[] attributes) =>
        Node(op, scope, inputs, [null], attributes)[0];

    /// <summary>Adds a node whose single output is called <paramref name="output"/> (a graph input or output name).</summary>
    public string NamedNode(string output, string op, string scope, IEnumerable<string> inputs, params AttributeProto[] attributes) =>
        Node(op, scope, inputs, [output], attributes)[0];

    /// <summary>Adds a node with one output per entry of <paramref name="outputs"/> (null: named after the node).</summary>
    public string[] Node(string op, string scope, IEnumerable<string> inputs, IReadOnlyList<string?> outputs,
        params AttributeProto[] attributes)
    {
        var nodeName = names.Next($"{scope}/{op}");
        var node = new NodeProto { OpType = op, Name = nodeName };
        node.Input.AddRange(inputs);
        var outputNames = outputs.Select((name, i) => name ?? (outputs.Count == 1 ? nodeName : $"{nodeName}:{i}")).ToArray();
        node.Output.AddRange(outputNames);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return outputNames;
    }

    public void Input(string name, params object[] dims) => Graph.Input.Add(FloatValue(name, dims));

    public void Output(string name, params object[] dims) => Graph.Output.Add(FloatValue(name, dims));

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto GraphAttribute(string name, GraphProto graph) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Graph, G = graph };

    /// <summary>A float32 value description; a string dimension is symbolic (the dynamic batch).</summary>
    public static ValueInfoProto FloatValue(string name, params object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
            shape.Dim.Add(dim is string symbol
                ? new TensorShapeProto.Types.Dimension { DimParam = symbol }
                : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(dim) });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape },
            },
        };
    }

    private string AddInitializer(string name, TensorProto.Types.DataType type, ReadOnlySpan<byte> littleEndianBytes, long[] dims)
    {
        // raw_data is little-endian by the ONNX specification; the span is in this machine's order.
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX export needs a little-endian machine");
        if (!initializerNames.Add(name))
            throw new InvalidOperationException($"initializer '{name}' added twice");
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(littleEndianBytes) };
        tensor.Dims.AddRange(dims);
        initializerGraph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>Unique names shared by a graph and its subgraphs (ONNX names must not repeat across scopes).</summary>
    private sealed class NameCounter
    {
        private readonly Dictionary<string, int> counts = new(StringComparer.Ordinal);

        public string Next(string stem)
        {
            var n = counts.GetValueOrDefault(stem);
            counts[stem] = n + 1;
            return n == 0 ? stem : $"{stem}_{n}";
        }
    }
}
