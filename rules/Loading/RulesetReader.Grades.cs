using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Model;
using static BaiQianWan.Assess.Rules.Loading.ValueChecks;
using System.Globalization;
using System.Text.RegularExpressions;

namespace BaiQianWan.Assess.Rules.Loading;

/// <summary><c>grades</c> (spec 2.4; v3 optional, <c>scope</c>) and <c>lists</c> (spec 2.5; v3 percentages and <c>scope</c>).</summary>
internal sealed partial class RulesetReader
{
    private GradeScheme? ReadGrades(YamlNode node)
    {
        if (AsMapping(node, "grades") is not { } map) return null;
        CheckKeys(map, ["by", "levels", "scope"], "grades");
        GradeBasis? by = null;
        if (Required(map, "by", "grades") is { } byNode)
        {
            switch (ScalarText(byNode, "by"))
            {
                case "rankShare": by = GradeBasis.RankShare; break;
                case "score": by = GradeBasis.Score; break;
                case { } other: Error(byNode, $"grades.by 应为 rankShare 或 score，这里是 '{other}'", RulesetCodes.GradesBy); break;
            }
        }
        if (Required(map, "levels", "grades") is not { } levelsNode || AsSequence(levelsNode, "levels") is not { } seq) return null;
        if (seq.Items.Count == 0)
        {
            Error(seq, "grades.levels 至少要有一个等级", RulesetCodes.NoGradeLevels);
            return null;
        }
        var levels = ImmutableArray.CreateBuilder<GradeLevel>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var shareSum = 0m;
        var ok = by is not null;
        for (var i = 0; i < seq.Items.Count; i++)
        {
            if (AsMapping(seq.Items[i], "等级") is not { } level)
            {
                ok = false;
                continue;
            }
            var last = i == seq.Items.Count - 1;
            CheckKeys(level, ["name", "share", "min"], "等级");
            var name = KeyText(level, "name", "等级");
            if (name is not null && !names.Add(name))
            {
                Error(level["name"]!, $"重复的等级 '{name}'", RulesetCodes.DuplicateGrade);
                ok = false;
            }
            decimal? share = null, min = null;
            var key = by == GradeBasis.Score ? "min" : "share";
            var other = by == GradeBasis.Score ? "share" : "min";
            if (by is not null && level.KeyNode(other) is { } otherKey)
            {
                Error(otherKey, by == GradeBasis.Score ? "按分数定等（by: score）的等级用 min，不用 share" : "按名次比例定等（by: rankShare）的等级用 share，不用 min", RulesetCodes.GradeShareOrMin);
                ok = false;
            }
            if (last)
            {
                if (level.KeyNode(key) is { } lastKey)
                {
                    Error(lastKey, $"最后一个等级承接其余单位，不能有 {key}", RulesetCodes.LastGradeKey);
                    ok = false;
                }
            }
            else if (by == GradeBasis.RankShare)
            {
                if (Required(level, "share", $"等级 '{name}'") is { } s && Decimal(s, "share", UnitInterval) is { } v)
                {
                    share = v;
                    shareSum += v;
                    if (shareSum > 1m)
                    {
                        Error(s, $"等级比例之和 {Format(shareSum)} 超过 1", RulesetCodes.ShareSum);
                        ok = false;
                    }
                }
                else ok = false;
            }
            else if (by == GradeBasis.Score)
            {
                if (Required(level, "min", $"等级 '{name}'") is { } m && Decimal(m, "min", null) is { } v) min = v;
                else ok = false;
            }
            if (name is not null) levels.Add(new GradeLevel(name, share, min));
        }
        var levelScope = false;
        if (map["scope"] is { } scopeNode)
        {
            var scope = scopeNode is YamlScalar ss ? ss.Value : null;
            if (scope is not ("class" or "level"))
            {
                Error(scopeNode, $"grades.scope 应为 class（类别内）或 level（全部参评单位），这里是 {Show(scopeNode)}", RulesetCodes.GradeScope);
                ok = false;
            }
            else if (by == GradeBasis.Score)
            {
                Error(scopeNode, "按分数定等（by: score）不分范围，不能有 scope", RulesetCodes.GradeScope);
                ok = false;
            }
            levelScope = scope == "level";
        }
        return ok ? new GradeScheme(by!.Value, levels.ToImmutable()) { LevelScope = levelScope } : null;
    }

    private ListRules? ReadLists(YamlNode node)
    {
        if (AsMapping(node, "lists") is not { } map) return null;
        CheckKeys(map, ["red", "black"], "lists");
        RedListRule? red = null;
        BlackListRule? black = null;
        var ok = true;
        if (map["red"] is { } redNode)
        {
            if (AsMapping(redNode, "lists.red") is { } r)
            {
                CheckKeys(r, ["top", "requireTargetsMet", "scope"], "红榜");
                var top = Required(r, "top", "红榜") is { } t ? ListCount(t, "top") : null;
                var require = OptionalBool(r, "requireTargetsMet") ?? false;
                var scope = ListScope(r);
                if (top is null || scope is null) ok = false;
                else red = new RedListRule(top.Value.Count, require) { Percent = top.Value.Percent, LevelScope = scope.Value };
            }
            else ok = false;
        }
        if (map["black"] is { } blackNode)
        {
            if (AsMapping(blackNode, "lists.black") is { } b)
            {
                CheckKeys(b, ["bottom", "requireTargetsMissed", "scope"], "黑榜");
                var bottom = Required(b, "bottom", "黑榜") is { } t ? ListCount(t, "bottom") : null;
                var require = OptionalBool(b, "requireTargetsMissed") ?? false;
                var scope = ListScope(b);
                if (bottom is null || scope is null) ok = false;
                else black = new BlackListRule(bottom.Value.Count, require) { Percent = bottom.Value.Percent, LevelScope = scope.Value };
            }
            else ok = false;
        }
        return ok ? new ListRules(red, black) : null;
    }

    /// <summary>(v3) A list's <c>scope</c>: false for class (the default), true for level, null after an error.</summary>
    private bool? ListScope(YamlMapping map)
    {
        if (map["scope"] is not { } node) return false;
        switch (node is YamlScalar s ? s.Value : null)
        {
            case "class": return false;
            case "level": return true;
            default:
                Error(node, $"scope 应为 class（类别内）或 level（全部参评单位），这里是 {Show(node)}", RulesetCodes.ListScope);
                return null;
        }
    }

    /// <summary>
    /// <c>top</c> / <c>bottom</c>: a whole number ≥ 0 as in v2, or (v3) a percentage <c>P%</c> with 0 &lt; P ≤ 100, no sign,
    /// space or exponent, plain or quoted.
    /// </summary>
    private (int Count, decimal? Percent)? ListCount(YamlNode node, string what)
    {
        if (node is YamlScalar s && !s.IsNull && s.Value.EndsWith('%'))
        {
            var body = s.Value[..^1];
            if (PercentPattern().IsMatch(body)
                && decimal.TryParse(body, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var p) && p > 0m && p <= 100m)
                return (0, p);
            Error(node, $"{what} 应为不小于 0 的整数或 0 到 100 之间的百分比（如 20%），这里是 {Show(node)}", RulesetCodes.ListCount);
            return null;
        }
        if (node is YamlScalar { IsPlain: true } n && NumberPattern().IsMatch(n.Value)
            && decimal.TryParse(n.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
        {
            if (v >= 0m && v == decimal.Truncate(v) && v <= int.MaxValue) return ((int)v, null);
            Error(node, $"{what} 应为不小于 0 的整数或 0 到 100 之间的百分比（如 20%），这里是 {n.Value}", RulesetCodes.ListCount);
            return null;
        }
        Error(node, $"{what} 应为不小于 0 的整数或 0 到 100 之间的百分比（如 20%），这里是 {Show(node)}", RulesetCodes.ListCount);
        return null;
    }

    [GeneratedRegex(@"^([0-9]+(\.[0-9]+)?|\.[0-9]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex PercentPattern();
}
