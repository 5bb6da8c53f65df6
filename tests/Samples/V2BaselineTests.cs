using System.Security.Cryptography;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Samples;

namespace BaiQianWan.Assess.Tests.Samples;

/// <summary>
/// The v2 baseline: both sample rulesets over the generated province (seed 2025, scale 1) for 2025Q1–Q4 give
/// exactly the bytes they gave before rule language v3 (the hashes of <c>cli evaluate</c>'s output, recorded
/// before the v3 work began). Every v2 ruleset keeps byte-identical results.
/// </summary>
public sealed class V2BaselineTests(ProvinceFixture fixture) : IClassFixture<ProvinceFixture>
{
    public static TheoryData<string, string, string> Baseline => new()
    {
        { "county.yaml", "2025Q1", "aff7e48914aae0594999ea698e728c3fe8272d463e8de23feb6e9662714305f0" },
        { "county.yaml", "2025Q2", "25faf8894861fa7b3a30b5e9f059c7434cb1a38ac64b0dcfc6e278d8b0887c34" },
        { "county.yaml", "2025Q3", "9da1d4e1e50a9864f109c6d705590dfbed24961f0f8b8be238d1647c96152121" },
        { "county.yaml", "2025Q4", "501a905900a9224b559976684de9998ec14f05620c63ebf7ee2941bbf85ef6b6" },
        { "town.yaml", "2025Q1", "123ae0f866ac999c84bbec1a6a23d26ddcec99c346e826972bfe175ab691bb07" },
        { "town.yaml", "2025Q2", "9f0e1592b35c280e227593f46cf307b724aeb520d728f8119f8ebd6c6cac26ed" },
        { "town.yaml", "2025Q3", "a97f0a407124081f54ca465a7772bbd8130917f08d0d5632c5f0cc7516ebd16e" },
        { "town.yaml", "2025Q4", "49f21e1519afdd282ecb2e8fdc1a1c6f15dcc4c75a2aee3e2c85c24ea753cb27" },
    };

    [Theory]
    [MemberData(nameof(Baseline))]
    public void Sample_ruleset_results_are_byte_identical_to_the_v2_baseline(string file, string period, string sha256)
    {
        var loaded = RulesetLoader.Load(SampleRulesets.Read(file));
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Diagnostics));
        var compiled = CompiledRuleset.Compile(loaded.Ruleset!, loaded.Sha256);

        var bytes = ResultsJson.Serialize(Evaluator.Evaluate(compiled, fixture.Province, Period.Parse(period)));

        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }
}
