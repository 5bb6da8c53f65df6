using System.Text;
using System.Text.RegularExpressions;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Tests.Engine;
using BaiQianWan.Assess.Tests.Functions;
using BaiQianWan.Assess.Tests.Store;

namespace BaiQianWan.Assess.Tests.Hostile;

/// <summary>Issue 14 item 10: the messages rule authors and offices read.</summary>
public sealed partial class MessageTests
{
    private static string Only(string yaml) => Assert.Single(RulesetLoader.Load(yaml).Diagnostics).Message;

    private static string WithFormula(string formula) => Mini.RulesetYaml.Replace("""
                weight: 40
                method: completion
        """, $"""
                weight: 40
                method: formula
                formula: "{formula}"
        """);

    [Fact]
    public void An_unknown_function_lists_the_functions_there_are()
    {
        Assert.Equal("公式错误：未知的函数 'SUM'（可用的函数：IF、AND、OR、NOT、MIN、MAX、ABS、ROUND、CLAMP、FLOOR、CEILING、TRUNC）", Only(WithFormula("SUM(actual)")));
        // A likely typo still gets its suggestion.
        Assert.Equal("公式错误：未知的函数 'ROUDN'，是不是 'ROUND'？（可用的函数：IF、AND、OR、NOT、MIN、MAX、ABS、ROUND、CLAMP、FLOOR、CEILING、TRUNC）", Only(WithFormula("ROUDN(actual, 1)")));
    }

    [Fact]
    public void Suggestions_are_made_only_when_the_key_is_close()
    {
        var scope = Only(Mini.RulesetYaml.Replace("        core: true", "        core: true\n        scope: x"));
        Assert.Equal("指标 'fai' 中未知的键 'scope'", scope);
        var typo = Only(Mini.RulesetYaml.Replace("        core: true", "        coer: true"));
        Assert.Equal("指标 'fai' 中未知的键 'coer'（是不是 'core'？）", typo);
    }

    [Fact]
    public void A_dotted_name_says_formulas_read_only_their_own_indicator_once()
    {
        var d = Assert.Single(RulesetLoader.Load(WithFormula("gdp.growth * weight")).Diagnostics);
        Assert.Equal("公式错误：公式只能读取本指标自己的数据（actual、target、baseline、completion、growth 等）和规则集 inputs 中的输入数据，不能用 'gdp.growth' 引用其他指标：需要的数据请加到 inputs", d.Message);
    }

    [Fact]
    public void No_stray_space_between_chinese_words_in_the_reported_examples()
    {
        // 维度 中未知的键 → 维度中未知的键
        Assert.Equal("维度中未知的键 'scope'", Only(Mini.RulesetYaml.Replace("    name: 经济", "    name: 经济\n    scope: x")));
        // 权重 必须大于 0 → 权重必须大于 0
        Assert.Equal("权重必须大于 0，这里是 0", Only(Mini.RulesetYaml.Replace("weight: 40", "weight: 0")));
        // 等级 良好 缺少必填项 → 等级 '良好' 缺少必填项
        Assert.Equal("等级 '良好' 缺少必填项 'share'", Only(Mini.RulesetYaml.Replace("- { name: 好, share: 0.5 }", "- { name: 好, share: 0.5 }\n    - { name: 良好 }")));
    }

    [Fact]
    public void Tidying_keeps_spaces_next_to_latin_text_numbers_and_quoted_values()
    {
        Assert.Equal("grades 中未知的键 'a 甲 乙'，这里是 10 亿元", TextRules.TidySpaces("grades 中未知的键 'a 甲 乙'，这里是 10 亿元"));
        Assert.Equal("权重必须大于 0", TextRules.TidySpaces("权重 必须大于 0"));
    }

    [Fact]
    public void An_explanation_keeps_one_unit_per_figure()
    {
        var yaml = RulesetYaml.County().Class("创先")
            .Indicator("""{ id: r, name: 达标率, unit: "%", weight: 10, method: increment, metric: value, base: 0.8, per: 1, cap: 1.2 }""")
            .Indicator("{ id: v, name: 投资, unit: 亿元, weight: 10, method: increment, metric: value, base: 0.8, per: 1, cap: 1.2 }")
            .Grades("grades:\n  by: rankShare\n  levels:\n    - { name: 好 }").Build();
        var r = BaiQianWan.Assess.Tests.Engine.Spec.Evaluate(yaml, "A 创先", "A,r,2025Q3,99.5,98,\nA,v,2025Q3,48,50,");
        // 10 × 0.8 + 1 × 1.5 = 9.5; 10 × 0.8 + 1 × (−2) = 6
        Assert.Equal("实际值 99.5%，目标 98%，优于目标 1.5%：权重 10 × 0.8 + 1 × 1.5 = 9.50", r.Indicator("A", "r").Explain);
        Assert.Equal("实际值 48 亿元，目标 50 亿元，差于目标 2 亿元：权重 10 × 0.8 + 1 × (-2) = 6.00", r.Indicator("A", "v").Explain);
    }

    // ---- every message template ----

    private static readonly string[] MessageFolders = ["rules", "store", "cli", "scorecards"];

    /// <summary>
    /// Walks every string literal with Chinese text in the engine, store, CLI and renderer sources (interpolation holes
    /// taken out): none may put a space between two Chinese characters, or next to full-width punctuation. What is
    /// inserted into a hole is tidied where messages are made (<see cref="TextRules.TidySpaces"/>; the fuzz corpus
    /// walks those through the parsers).
    /// </summary>
    [Fact]
    public void No_message_template_has_a_stray_space()
    {
        var offenders = new List<string>();
        var templates = 0;
        foreach (var folder in MessageFolders)
        {
            foreach (var file in Directory.EnumerateFiles(Repository.Path(folder), "*.cs", SearchOption.AllDirectories))
            {
                if (file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    || file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)) continue;
                var lines = File.ReadAllLines(file);
                for (var n = 0; n < lines.Length; n++)
                {
                    foreach (var fragment in Fragments(lines[n]))
                    {
                        if (!fragment.Any(TextRules.IsWide)) continue;
                        templates++;
                        if (StraySpace().IsMatch(fragment))
                            offenders.Add($"{Path.GetRelativePath(Repository.Root, file)}:{n + 1}: \"{fragment}\"");
                    }
                }
            }
        }
        Assert.True(templates > 300, $"only {templates} templates found: is the walk reading the sources?");
        Assert.True(offenders.Count == 0, "stray spaces:\n" + string.Join("\n", offenders));
    }

    /// <summary>The literal text of each regular or interpolated string literal on a line, holes replaced by U+0001.</summary>
    private static IEnumerable<string> Fragments(string line)
    {
        var i = 0;
        while (i < line.Length)
        {
            var quote = line.IndexOf('"', i);
            if (quote < 0) yield break;
            if (quote > 0 && line[quote - 1] == '\'' && quote + 1 < line.Length && line[quote + 1] == '\'') { i = quote + 2; continue; }
            if (line.AsSpan(quote).StartsWith("\"\"\"")) yield break; // raw strings: sample text, not messages
            var interpolated = quote > 0 && line[quote - 1] == '$';
            var sb = new StringBuilder();
            var j = quote + 1;
            var depth = 0;
            for (; j < line.Length; j++)
            {
                var c = line[j];
                if (depth > 0)
                {
                    if (c == '{') depth++;
                    else if (c == '}') depth--;
                    else if (c == '"') j = SkipNested(line, j);
                    continue;
                }
                if (c == '\\') { sb.Append(j + 1 < line.Length ? line[j + 1] : ' '); j++; continue; }
                if (c == '"') break;
                if (interpolated && c == '{')
                {
                    if (j + 1 < line.Length && line[j + 1] == '{') { sb.Append('{'); j++; continue; }
                    depth = 1;
                    sb.Append('\u0001');
                    continue;
                }
                sb.Append(c);
            }
            yield return sb.ToString();
            i = j + 1;
        }
    }

    private static int SkipNested(string line, int j)
    {
        for (j++; j < line.Length && line[j] != '"'; j++)
            if (line[j] == '\\') j++;
        return j;
    }

    // A space between two Chinese characters, or beside full-width punctuation.
    [GeneratedRegex(@"[\u3400-\u9FFF] [\u3400-\u9FFF]|[\u3000-\u303F\uFF00-\uFFEF] | [\u3000-\u303F\uFF00-\uFFEF]")]
    private static partial Regex StraySpace();
}
