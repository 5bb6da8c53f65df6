using System.Collections.Immutable;

namespace BaiQianWan.Assess.Rules.Model;

/// <summary>A group of indicators whose scores add up to the dimension's score.</summary>
public sealed record Dimension(string Id, string Name, ImmutableArray<Indicator> Indicators, SourcePosition Position);
