using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Samples;

namespace BaiQianWan.Assess.Tests.Samples;

/// <summary>The default province (seed 2025, scale 1) and the sample rulesets, built once for a test class.</summary>
public sealed class ProvinceFixture
{
    public ProvinceFixture()
    {
        Province = ProvinceGenerator.Generate(new ProvinceOptions());
        County = RulesetOutline.Parse(SampleRulesets.County);
        Town = RulesetOutline.Parse(SampleRulesets.Town);
        UnitsByCode = Province.Units.ToDictionary(u => u.Code, StringComparer.Ordinal);
    }

    public Dataset Province { get; }

    internal RulesetOutline County { get; }

    internal RulesetOutline Town { get; }

    public IReadOnlyDictionary<string, Unit> UnitsByCode { get; }

    internal RulesetOutline RulesetFor(UnitLevel level) => level == UnitLevel.County ? County : Town;
}
