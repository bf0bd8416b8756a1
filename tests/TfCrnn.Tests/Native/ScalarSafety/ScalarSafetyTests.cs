using Microsoft.CodeAnalysis;
using Mono.Cecil;

namespace TfCrnn.Tests.Native.ScalarSafety;

/// <summary>
/// The guard against TorchSharp's temporary Scalars (docs/torchsharp-scalars.md): the library, the CLI and the
/// benchmarks hold every Scalar they make and call no TorchSharp member that makes one of its own; the check finds
/// each kind of bad code.
/// </summary>
public class ScalarSafetyTests
{
    [Theory]
    [InlineData("src/TfCrnn", "TfCrnn", OutputKind.DynamicallyLinkedLibrary)]
    [InlineData("src/TfCrnn.Cli", "TfCrnn.Cli", OutputKind.ConsoleApplication)]
    [InlineData("bench/TfCrnn.Bench", "TfCrnn.Bench", OutputKind.ConsoleApplication)]
    public async Task TheProjectHoldsEveryScalarItPassesToLibtorch(string project, string assembly, OutputKind kind)
    {
        var findings = await ScalarSafetyCheck.ProjectAsync(project, assembly, kind);
        Assert.True(findings.Count == 0, $"{findings.Count} unsafe Scalar uses:\n" + string.Join('\n', findings));
    }

    [Fact]
    public void TorchSharpsOwnTemporariesAreFoundInItsIl()
    {
        var temporaries = TemporaryScalarMembers.Shared;
        using var module = ModuleDefinition.ReadModule(TemporaryScalarMembers.ScannedAssemblies[0]);
        var tensor = module.GetType("TorchSharp.torch/Tensor");
        string? Reason(string name, params string[] parameters) => temporaries.Reason("TorchSharp", tensor.Methods
            .Single(m => m.Name == name && m.Parameters.Select(p => p.ParameterType.Name).SequenceEqual(parameters)).MetadataToken.ToInt32());

        // The implicit alpha of add (THSTensor_add's third argument) and the operators built on it.
        Assert.Contains("Scalar.op_Implicit", Reason("add", "Tensor"));
        Assert.Contains("Tensor::add(TorchSharp.torch/Tensor)", Reason("op_Addition", "Tensor", "Tensor"));
        Assert.Contains("Scalar.op_Implicit", Reason("add_", "Scalar"));
        Assert.Contains("Scalar.op_Implicit", Reason("op_Multiply", "Tensor", "Double"));
        // The same calls with every Scalar given, and sub, which has no alpha in TorchSharp.
        Assert.Null(Reason("add", "Tensor", "Scalar"));
        Assert.Null(Reason("add_", "Scalar", "Scalar"));
        Assert.Null(Reason("sub", "Tensor"));
        Assert.Null(Reason("op_Subtraction", "Tensor", "Tensor"));
        Assert.Null(Reason("mul", "Scalar"));
        // Optimizer steps make theirs in a lambda; BatchNorm counts its batches with add_(1).
        Assert.NotNull(temporaries.Reason("TorchSharp", module.GetType("TorchSharp.Modules.SGD").Methods.Single(m => m.Name == "step").MetadataToken.ToInt32()));
        Assert.NotNull(temporaries.Reason("TorchSharp", module.GetType("TorchSharp.Modules.Adam").Methods.Single(m => m.Name == "step").MetadataToken.ToInt32()));
        Assert.NotNull(temporaries.Reason("TorchSharp", module.GetType("TorchSharp.Modules.BatchNorm").Methods.Single(m => m.Name == "forward").MetadataToken.ToInt32()));
    }

    [Theory]
    [InlineData("var c = a + b;", "TFS002", "operator +(torch.Tensor, torch.Tensor)")]
    [InlineData("a.add_(b);", "TFS002", "add_(torch.Tensor)")]
    [InlineData("using var one = 1.ToScalar(); var c = a.add(one);", "TFS002", "add(Scalar)")]
    [InlineData("var c = a * 2.0;", "TFS002", "operator *(torch.Tensor, double)")]
    [InlineData("var c = a.mul(2.0);", "TFS001", "double converted to Scalar")]
    [InlineData("var c = a.clamp(min: 1e-6);", "TFS001", "double converted to Scalar")]
    [InlineData("var c = a.add(b, 1.0.ToScalar());", "TFS001", "ToScalar()")]
    [InlineData("var s = 2.0.ToScalar(); var c = a.mul(s);", "TFS001", "ToScalar()")]
    [InlineData("var d = a.sum().ToScalar().ToDouble();", "TFS001", "ToScalar()")]
    [InlineData("var c = Half(a, 0.5);", "TFS001", "double converted to Scalar")]
    [InlineData("var n = torch.nn.BatchNorm1d(8);", "TFS003", "BatchNorm.forward(torch.Tensor)")]
    [InlineData("var o = torch.optim.Adam(Array.Empty<TorchSharp.Modules.Parameter>());", "TFS003", "step(")]
    public async Task TheCheckFlagsEachKindOfTemporary(string statements, string rule, string text)
    {
        var findings = await ScalarSafetyCheck.SourceAsync(Snippet(statements));
        var finding = Assert.Single(findings);
        Assert.Equal(rule, finding.Rule);
        Assert.Contains(text, finding.Message);
    }

    [Fact]
    public async Task TheCheckFlagsAnOptimizerThatInheritsATemporaryStep()
    {
        var findings = await ScalarSafetyCheck.SourceAsync("""
            using TorchSharp.Modules;
            class Inherited(IEnumerable<Parameter> p) : SGD(p, 0.1) { }
            class Overridden(IEnumerable<Parameter> p) : SGD(p, 0.1) { public override TorchSharp.torch.Tensor step(Func<TorchSharp.torch.Tensor>? closure = null) => null!; }
            """);
        var finding = Assert.Single(findings);
        Assert.Equal(("TFS003", 2), (finding.Rule, finding.Line));
        Assert.Contains("SGD.step(", finding.Message);
    }

    [Fact]
    public async Task HeldScalarsAndAlphaOverloadsPass()
    {
        var findings = await ScalarSafetyCheck.SourceAsync(Snippet("""
            using var one = 1.ToScalar();
            using var half = 0.5.ToScalar();
            using (var two = 2.0.ToScalar()) { using var d = a.mul(two); }
            using var c = a.add(b, one);
            a.add_(b, one).mul_(half);
            using var e = a.clamp(min: half);
            using var f = a - b;
            using var g = Half(a, half);
            """));
        Assert.Empty(findings);
    }

    private static string Snippet(string statements) => $$"""
        using TorchSharp;
        using static TorchSharp.torch;
        static class Code
        {
            static Scalar Owned = 3.0.ToScalar();
            static Tensor Half(Tensor t, Scalar s) => t.mul(s);
            static Scalar Make(double v) => v.ToScalar();
            static void Run(Tensor a, Tensor b)
            {
                {{statements}}
            }
        }
        """;
}
