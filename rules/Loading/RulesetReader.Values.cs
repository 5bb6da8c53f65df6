using System.Globalization;
using BaiQianWan.Assess.Rules.Methods;

namespace BaiQianWan.Assess.Rules.Loading;

/// <summary>The checks every section shares: keys, booleans, numbers.</summary>
internal sealed partial class RulesetReader
{
    private void CheckKeys(YamlMapping map, IEnumerable<string> allowed, string what, string? method = null, string? code = null)
    {
        var set = allowed as ICollection<string> ?? allowed.ToArray();
        foreach (var (key, _) in map.Entries)
        {
            if (set.Contains(key.Value)) continue;
            var hint = Suggest(key.Value, set);
            var methodNote = method is not null && ScoringMethods.AllKeys.Contains(key.Value)
                ? $"（{method} 方法不用这个参数）"
                : hint is null ? "" : $"（是不是 '{hint}'？）";
            Error(key, $"{what} 中未知的键 '{key.Value}'{methodNote}", code ?? RulesetCodes.UnknownKey);
        }
    }

    // Only a likely typo is suggested ('metirc' → 'metric'), never a different word ('scope' is not 'core').
    private static string? Suggest(string key, IEnumerable<string> allowed) => Formulas.Binding.Suggestions.Closest(key, allowed);

    private bool? OptionalBool(YamlMapping map, string key)
    {
        if (map[key] is not { } node) return null;
        // YAML 1.2: only true and false are booleans; yes/no/on/off are plain words.
        if (node is YamlScalar { IsPlain: true } s && s.Value is "true" or "false") return s.Value == "true";
        Error(node, $"{key} 应为 true 或 false，这里是 {Show(node)}", RulesetCodes.NotBoolean);
        return null;
    }

    private decimal? OptionalDecimal(YamlMapping map, string key, Func<decimal, string?>? check) =>
        map[key] is { } node ? Decimal(node, key, check) : null;

    private int? OptionalInteger(YamlMapping map, string key, int min, int max) =>
        map[key] is { } node ? Integer(node, key, min, max) : null;

    private decimal? Decimal(YamlNode node, string what, Func<decimal, string?>? check, string? code = null)
    {
        if (node is not YamlScalar { IsPlain: true } s || !NumberPattern().IsMatch(s.Value)
            || !decimal.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            Error(node, $"{what} 应为数字，这里是 {Show(node)}", code ?? RulesetCodes.NotNumber);
            return null;
        }
        if (check?.Invoke(value) is { } problem)
        {
            Error(node, $"{what} {problem}，这里是 {s.Value}", code ?? RulesetCodes.OutOfRange);
            return null;
        }
        return value;
    }

    private int? Integer(YamlNode node, string what, int min, int max)
    {
        if (Decimal(node, what, null) is not { } value) return null;
        if (value != decimal.Truncate(value) || value < min || value > max)
        {
            Error(node, max == int.MaxValue
                ? $"{what} 应为不小于 {min} 的整数，这里是 {((YamlScalar)node).Value}"
                : $"{what} 应为 {min} 到 {max} 的整数，这里是 {((YamlScalar)node).Value}", RulesetCodes.OutOfRange);
            return null;
        }
        return (int)value;
    }
}
