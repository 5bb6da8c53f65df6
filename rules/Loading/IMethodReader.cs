using BaiQianWan.Assess.Rules.Formulas;
using BaiQianWan.Assess.Rules.Model;

namespace BaiQianWan.Assess.Rules.Loading;

/// <summary>What a scoring method's reader (rules/Methods/) asks of the ruleset reader: values checked and errors placed at their nodes.</summary>
internal interface IMethodReader
{
    /// <summary>The node of a required key; an error at the mapping when it is missing, at the value when it is null.</summary>
    YamlNode? Required(YamlMapping map, string key, string what);

    YamlMapping? AsMapping(YamlNode node, string what);

    YamlSequence? AsSequence(YamlNode node, string what);

    /// <summary>Every key of <paramref name="map"/> not in <paramref name="allowed"/> is an error at the key.</summary>
    void CheckKeys(YamlMapping map, IEnumerable<string> allowed, string what, string? code = null);

    void Error(YamlNode node, string message, string code);

    /// <summary>A number, checked; null after an error at the node.</summary>
    decimal? Decimal(YamlNode node, string what, Func<decimal, string?>? check, string? code = null);

    decimal? OptionalDecimal(YamlMapping map, string key, Func<decimal, string?>? check);

    /// <summary><c>metric</c>, or <paramref name="fallback"/> when absent or wrong (the error reported).</summary>
    Metric ReadMetric(YamlMapping map, Metric fallback, string what, bool allowCompletion = true);

    /// <summary>A method's <c>cap</c>: a number; a string or a null is an error at the value (<c>none</c> only where allowed).</summary>
    decimal? Cap(YamlMapping map, Func<decimal, string?> check, bool allowNone = false);

    /// <summary>Checks a formula (up to binding), its diagnostics at their YAML positions; the text, or null.</summary>
    string? CheckFormula(YamlNode node, FormulaContext context);
}
