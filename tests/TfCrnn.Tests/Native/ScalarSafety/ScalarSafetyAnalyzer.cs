using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace TfCrnn.Tests.Native.ScalarSafety;

/// <summary>
/// Finds the code that lets a TorchSharp <c>Scalar</c> be finalized while libtorch may still read it
/// (docs/torchsharp-scalars.md): a Scalar made by our code (an implicit conversion such as the <c>2.0</c> of
/// <c>t.mul(2.0)</c>, a <c>ToScalar()</c> passed on directly) that no <c>using</c> variable, field or return holds;
/// a call, operator or constructor of TorchSharp that makes a temporary Scalar inside (<c>a + b</c>, <c>add_(t)</c>,
/// <see cref="TemporaryScalarMembers"/>); and a TorchSharp module or optimizer whose <c>forward</c> or <c>step</c>
/// does, used as it is or inherited without an override.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class ScalarSafetyAnalyzer(TemporaryScalarMembers temporaries) : DiagnosticAnalyzer
{
    public static readonly DiagnosticDescriptor UnheldScalar = new("TFS001", "Scalar not held",
        "a Scalar is made here ({0}) and no using variable, field or return holds it", Category, DiagnosticSeverity.Error, true);

    public static readonly DiagnosticDescriptor TemporaryInside = new("TFS002", "TorchSharp member makes a temporary Scalar",
        "{0} makes a temporary Scalar inside ({1})", Category, DiagnosticSeverity.Error, true);

    public static readonly DiagnosticDescriptor TemporaryInOverride = new("TFS003", "TorchSharp type runs a member that makes a temporary Scalar",
        "{0} runs {1}, which makes a temporary Scalar ({2})", Category, DiagnosticSeverity.Error, true);

    /// <summary>The category of this analyzer's diagnostics.</summary>
    public const string Category = "TorchSharp scalars";

    private const string TorchSharpAssembly = "TorchSharp";
    private readonly ConcurrentDictionary<INamedTypeSymbol, (IMethodSymbol, string)[]> virtuals = new(SymbolEqualityComparer.Default);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [UnheldScalar, TemporaryInside, TemporaryInOverride];

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterOperationAction(Conversion, OperationKind.Conversion);
        context.RegisterOperationAction(Invocation, OperationKind.Invocation);
        context.RegisterOperationAction(ObjectCreation, OperationKind.ObjectCreation);
        context.RegisterOperationAction(Operator, OperationKind.Binary, OperationKind.Unary, OperationKind.CompoundAssignment,
            OperationKind.Increment, OperationKind.Decrement);
        context.RegisterOperationAction(MethodReference, OperationKind.MethodReference);
        context.RegisterOperationAction(PropertyReference, OperationKind.PropertyReference);
        context.RegisterSymbolAction(DerivedType, SymbolKind.NamedType);
    }

    private void Conversion(OperationAnalysisContext context)
    {
        var conversion = (IConversionOperation)context.Operation;
        if (conversion.OperatorMethod is { } method)
        {
            if (IsScalar(method.ReturnType) && !IsHeld(conversion))
                context.ReportDiagnostic(Diagnostic.Create(UnheldScalar, conversion.Syntax.GetLocation(),
                    $"{conversion.Operand.Type?.ToDisplayString() ?? "a value"} converted to Scalar"));
            CheckMember(context, method, conversion.Syntax);
        }
    }

    private void Invocation(OperationAnalysisContext context)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (IsScalar(method.ReturnType) && !IsHeld(invocation))
            context.ReportDiagnostic(Diagnostic.Create(UnheldScalar, invocation.Syntax.GetLocation(), $"{method.Name}()"));
        CheckMember(context, method, invocation.Syntax);
        CheckInstance(context, method.ReturnType, invocation.Syntax);
    }

    private void ObjectCreation(OperationAnalysisContext context)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (creation.Constructor is { } constructor) CheckMember(context, constructor, creation.Syntax);
        if (creation.Type is { } type) CheckInstance(context, type, creation.Syntax);
    }

    private void Operator(OperationAnalysisContext context)
    {
        var method = context.Operation switch
        {
            IBinaryOperation binary => binary.OperatorMethod,
            IUnaryOperation unary => unary.OperatorMethod,
            ICompoundAssignmentOperation compound => compound.OperatorMethod,
            IIncrementOrDecrementOperation step => step.OperatorMethod,
            _ => null,
        };
        if (method is not null) CheckMember(context, method, context.Operation.Syntax);
    }

    private void MethodReference(OperationAnalysisContext context) =>
        CheckMember(context, ((IMethodReferenceOperation)context.Operation).Method, context.Operation.Syntax);

    private void PropertyReference(OperationAnalysisContext context)
    {
        var property = ((IPropertyReferenceOperation)context.Operation).Property;
        foreach (var accessor in new[] { property.GetMethod, property.SetMethod })
            if (accessor is not null) CheckMember(context, accessor, context.Operation.Syntax);
    }

    /// <summary>Our own types that derive from a TorchSharp module or optimizer and inherit a member that makes a temporary.</summary>
    private void DerivedType(SymbolAnalysisContext context)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (type.BaseType is null || !IsScanned(type.BaseType)) return;
        foreach (var (implementation, reason) in TemporaryVirtuals(type))
            context.ReportDiagnostic(Diagnostic.Create(TemporaryInOverride, type.Locations[0], type.Name, Describe(implementation), reason));
    }

    private void CheckMember(OperationAnalysisContext context, IMethodSymbol method, SyntaxNode syntax)
    {
        if (TemporaryReason(method) is { } reason)
            context.ReportDiagnostic(Diagnostic.Create(TemporaryInside, syntax.GetLocation(), Describe(method), reason));
    }

    /// <summary>An instance of a TorchSharp class whose <c>forward</c>, <c>step</c> or other virtual member makes a temporary.</summary>
    private void CheckInstance(OperationAnalysisContext context, ITypeSymbol type, SyntaxNode syntax)
    {
        if (type is not INamedTypeSymbol named || !IsScanned(named)) return;
        foreach (var (implementation, reason) in TemporaryVirtuals(named))
            context.ReportDiagnostic(Diagnostic.Create(TemporaryInOverride, syntax.GetLocation(), named.Name, Describe(implementation), reason));
    }

    /// <summary>The virtual members a type runs (the most derived implementation of each) that are TorchSharp's and make a temporary.</summary>
    private (IMethodSymbol Implementation, string Reason)[] TemporaryVirtuals(INamedTypeSymbol type) =>
        virtuals.GetOrAdd(type, t => [.. FindTemporaryVirtuals(t)]);

    private IEnumerable<(IMethodSymbol Implementation, string Reason)> FindTemporaryVirtuals(INamedTypeSymbol type)
    {
        var overridden = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        for (var current = type; current is not null; current = current.BaseType)
            foreach (var method in current.GetMembers().OfType<IMethodSymbol>())
            {
                if (!(method.IsVirtual || method.IsOverride || method.IsAbstract) || overridden.Contains(method)) continue;
                for (var slot = method.OverriddenMethod; slot is not null; slot = slot.OverriddenMethod)
                    overridden.Add(slot);
                if (TemporaryReason(method) is { } reason) yield return (method, reason);
            }
    }

    private string? TemporaryReason(IMethodSymbol method)
    {
        var definition = (method.ReducedFrom ?? method).OriginalDefinition;
        return IsScanned(definition) ? temporaries.Reason(definition.ContainingAssembly.Name, definition.MetadataToken) : null;
    }

    private bool IsScanned(ISymbol symbol) => symbol.ContainingAssembly is { } assembly && temporaries.Covers(assembly.Name);

    private static bool IsFromTorchSharp(ISymbol symbol) => symbol.ContainingAssembly?.Name == TorchSharpAssembly;

    private static bool IsScalar(ITypeSymbol? type) =>
        type is { Name: "Scalar" } && IsFromTorchSharp(type) && type.ContainingNamespace.ToDisplayString() == TorchSharpAssembly;

    private static string Describe(IMethodSymbol method) => method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);

    /// <summary>
    /// Whether a new Scalar is held past every call that reads it: the initial value of a <c>using</c> variable
    /// (disposed at the end of its scope, so alive until then), a value stored in a field (alive with its object), or a
    /// value returned to the caller (which is checked in turn).
    /// </summary>
    private static bool IsHeld(IOperation made)
    {
        var parent = made.Parent;
        while (parent is IConversionOperation { IsImplicit: true } or IParenthesizedOperation) parent = parent.Parent;
        switch (parent)
        {
            case IReturnOperation:
            case IFieldInitializerOperation:
            case ISimpleAssignmentOperation { Target: IFieldReferenceOperation or IPropertyReferenceOperation }:
                return true;
            case IVariableInitializerOperation initializer:
                var scope = initializer.Parent?.Parent?.Parent;
                if (scope is IVariableDeclarationGroupOperation) scope = scope.Parent;
                return scope is IUsingDeclarationOperation or IUsingOperation;
            default:
                return false;
        }
    }
}
