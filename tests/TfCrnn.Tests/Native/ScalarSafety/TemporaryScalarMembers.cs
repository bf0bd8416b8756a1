using Mono.Cecil;
using Mono.Cecil.Cil;
using TorchSharp;

namespace TfCrnn.Tests.Native.ScalarSafety;

/// <summary>
/// The TorchSharp methods that make a <see cref="Scalar"/> of their own, directly (an implicit conversion such as the
/// alpha <c>1</c> of <c>add(Tensor)</c>, a <c>ToScalar()</c>) or through another TorchSharp method, a lambda or an
/// iterator they use. TorchSharp never disposes such a Scalar nor keeps it alive past reading its handle, so its
/// finalizer may free it while libtorch still reads it (docs/torchsharp-scalars.md). Read from the IL of the
/// TorchSharp assembly the tests run with, so an upgrade is checked by the same rule.
/// </summary>
internal sealed class TemporaryScalarMembers
{
    private readonly Dictionary<(string Assembly, int Token), string> reasons;
    private readonly HashSet<string> assemblies;

    private TemporaryScalarMembers(Dictionary<(string, int), string> reasons, HashSet<string> assemblies) =>
        (this.reasons, this.assemblies) = (reasons, assemblies);

    /// <summary>TorchSharp, and PyBridge, which saves and loads checkpoints with it.</summary>
    public static IReadOnlyList<string> ScannedAssemblies { get; } =
        [typeof(Scalar).Assembly.Location, typeof(TorchSharp.PyBridge.PyBridgeModuleExtensions).Assembly.Location];

    public static TemporaryScalarMembers Shared { get; } = Read(ScannedAssemblies);

    /// <summary>Whether the methods of this assembly were scanned.</summary>
    public bool Covers(string assemblyName) => assemblies.Contains(assemblyName);

    /// <summary>Why the method with this metadata token makes a temporary Scalar; null when it does not.</summary>
    public string? Reason(string assemblyName, int metadataToken) => reasons.GetValueOrDefault((assemblyName, metadataToken));

    /// <summary>
    /// Reads the assemblies in order, each after those it calls: a call into an assembly read before counts as the
    /// callee's temporaries.
    /// </summary>
    public static TemporaryScalarMembers Read(IEnumerable<string> assemblyPaths)
    {
        var byName = new Dictionary<string, string>();
        var reasons = new Dictionary<(string, int), string>();
        var assemblies = new HashSet<string>();
        foreach (var path in assemblyPaths)
        {
            using var module = ModuleDefinition.ReadModule(path);
            assemblies.Add(module.Assembly.Name.Name);
            foreach (var (method, reason) in Read(module, byName))
            {
                byName[method.FullName] = reason;
                reasons[(module.Assembly.Name.Name, method.MetadataToken.ToInt32())] = reason;
            }
        }
        return new TemporaryScalarMembers(reasons, assemblies);
    }

    private static Dictionary<MethodDefinition, string> Read(ModuleDefinition module, Dictionary<string, string> earlier)
    {
        var uses = module.GetTypes().SelectMany(t => t.Methods).ToDictionary(m => m, m => Uses(m, earlier));
        var reasons = new Dictionary<MethodDefinition, string>();
        foreach (var (method, (_, external)) in uses)
            if (!MakesScalar(method) && external is not null) reasons[method] = external;
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var (method, (used, _)) in uses)
            {
                if (reasons.ContainsKey(method) || MakesScalar(method)) continue;
                var callee = used.FirstOrDefault(reasons.ContainsKey);
                if (callee is null) continue;
                reasons[method] = $"through {callee.FullName}";
                changed = true;
            }
        }
        return reasons;
    }

    /// <summary>Whether a method gives a new Scalar to its caller: the conversions, <c>ToScalar</c>s, the constructor.</summary>
    private static bool MakesScalar(MethodReference method) =>
        method.ReturnType.FullName == typeof(Scalar).FullName || method.Name == ".ctor" && method.DeclaringType.FullName == typeof(Scalar).FullName;

    /// <summary>
    /// The methods of its own module that a body calls, constructs with or takes a delegate to, with those of the
    /// closures and state machines (lambdas, iterators, async methods) it creates, which run as part of it; and the
    /// reason it makes a Scalar itself or calls a method of an earlier assembly that does, if it does.
    /// </summary>
    private static (List<MethodDefinition> Used, string? Reason) Uses(MethodDefinition method, Dictionary<string, string> earlier)
    {
        var used = new List<MethodDefinition>();
        string? reason = null;
        if (!method.HasBody) return (used, reason);
        foreach (var instruction in method.Body.Instructions)
        {
            if (instruction.OpCode.Code is not (Code.Call or Code.Callvirt or Code.Newobj or Code.Ldftn or Code.Ldvirtftn)) continue;
            if (instruction.Operand is not MethodReference reference) continue;
            if (MakesScalar(reference))
                reason ??= $"makes a Scalar with {reference.DeclaringType.Name}.{reference.Name}";
            else if (earlier.ContainsKey(reference.GetElementMethod().FullName))
                reason ??= $"through {reference.FullName}";
            if (reference.DeclaringType.Scope.MetadataScopeType != MetadataScopeType.ModuleDefinition) continue;
            var target = reference.Resolve();
            if (target is null) continue;
            used.Add(target);
            if (instruction.OpCode.Code == Code.Newobj && target.DeclaringType.Name.StartsWith('<'))
                used.AddRange(target.DeclaringType.Methods);
        }
        return (used, reason);
    }
}
