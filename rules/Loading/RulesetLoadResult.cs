using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Model;

namespace BaiQianWan.Assess.Rules.Loading;

/// <summary>The outcome of loading a ruleset: the model when valid, else every diagnostic; always the text's SHA-256.</summary>
/// <param name="Ruleset">The ruleset, or null when there is any diagnostic.</param>
/// <param name="Diagnostics">Every validation error, in source order.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the UTF-8 text.</param>
public sealed record RulesetLoadResult(Ruleset? Ruleset, ImmutableArray<RulesetDiagnostic> Diagnostics, string Sha256)
{
    /// <summary>Warnings about a valid ruleset (<see cref="RulesetWarnings"/>), in source order; they do not make it invalid.</summary>
    public ImmutableArray<RulesetDiagnostic> Warnings { get; init; } = [];

    /// <summary>True when the ruleset is valid and may be stored or used.</summary>
    public bool IsValid => Ruleset is not null && Diagnostics.IsEmpty;
}
