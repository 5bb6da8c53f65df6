using BaiQianWan.Assess.Rules.Model;
using NRules;

namespace BaiQianWan.Assess.Rules.Engine;

/// <summary>A ruleset as NRules rules: the rule model built from it and the session factory NRules compiled.</summary>
internal sealed class ScoringRules
{
    public ScoringRules(Ruleset ruleset)
    {
        Classes = new ClassRules(ruleset);
        var definitions = RuleModelBuilder.Build(Classes);
        RuleNames = [.. definitions.Select(d => d.Name)];
        Factory = new RuleCompiler { ExpressionCompiler = new RuleExpressionCompiler() }.Compile(definitions);
    }

    public ClassRules Classes { get; }

    /// <summary>The names of the rules, in ruleset order.</summary>
    public IReadOnlyList<string> RuleNames { get; }

    public ISessionFactory Factory { get; }
}
