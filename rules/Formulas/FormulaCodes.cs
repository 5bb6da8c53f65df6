namespace BaiQianWan.Assess.Rules.Formulas;

/// <summary>
/// Stable codes of formula errors (<c>RS2xxx</c>): lexer RS200x, parser RS201x, binder RS202x, limits RS203x. A ruleset
/// reports them at the exact YAML position of the offending text. Tests and tools match these, never the Chinese
/// wording. A code is never reused for another meaning.
/// </summary>
public static class FormulaCodes
{
    /// <summary>A character that is not part of the formula language (full-width or look-alike signs name their replacement).</summary>
    public const string UnexpectedCharacter = "RS2001";

    /// <summary>A number written in a form the language does not read (e.g. <c>1e5</c>, <c>1.2.3</c>).</summary>
    public const string InvalidNumber = "RS2002";

    /// <summary>A number too large for a decimal.</summary>
    public const string NumberTooLarge = "RS2003";

    /// <summary><c>==</c>: equality is one <c>=</c>.</summary>
    public const string DoubleEquals = "RS2004";

    /// <summary>A dotted name such as <c>gdp.growth</c>: a formula reads its own indicator's figures and the ruleset's <c>inputs</c>.</summary>
    public const string OtherIndicator = "RS2005";

    /// <summary>An empty formula.</summary>
    public const string Empty = "RS2010";

    /// <summary>A <c>(</c> that is never closed (at the <c>(</c>).</summary>
    public const string MissingCloseParen = "RS2011";

    /// <summary>A <c>)</c> with no <c>(</c>.</summary>
    public const string ExtraCloseParen = "RS2012";

    /// <summary><c>a^b^c</c> without parentheses.</summary>
    public const string ChainedPower = "RS2013";

    /// <summary>A comma outside a function's arguments.</summary>
    public const string UnexpectedComma = "RS2014";

    /// <summary>A token where none of its kind may stand.</summary>
    public const string UnexpectedToken = "RS2015";

    /// <summary>Two operands with no operator (or, in a call, no comma) between them.</summary>
    public const string MissingOperator = "RS2016";

    /// <summary>A formula that ends after an operator.</summary>
    public const string Incomplete = "RS2017";

    /// <summary>An unknown name (the message suggests a close one or lists the names the formula may use).</summary>
    public const string UnknownName = "RS2020";

    /// <summary>An unknown function (the message lists the available functions).</summary>
    public const string UnknownFunction = "RS2021";

    /// <summary>A variable used as a function (<c>actual(1)</c>).</summary>
    public const string NotAFunction = "RS2022";

    /// <summary>A function name without parentheses (<c>MAX</c>).</summary>
    public const string FunctionWithoutArguments = "RS2023";

    /// <summary>A call with too few or too many arguments for its function.</summary>
    public const string ArgumentCount = "RS2024";

    /// <summary><c>count</c> in an indicator's formula.</summary>
    public const string CountOutsideAdjustment = "RS2025";

    /// <summary>An indicator variable in an adjustment's formula.</summary>
    public const string VariableOutsideIndicator = "RS2026";

    /// <summary>Longer than <see cref="FormulaLimits.MaxCharacters"/>.</summary>
    public const string TooLong = "RS2030";

    /// <summary>Deeper than <see cref="FormulaLimits.MaxDepth"/>.</summary>
    public const string TooDeep = "RS2031";

    /// <summary>More nodes than <see cref="FormulaLimits.MaxNodes"/>.</summary>
    public const string TooManyNodes = "RS2032";

    /// <summary>More arguments than <see cref="FormulaLimits.MaxArguments"/> in one call.</summary>
    public const string TooManyArguments = "RS2033";
}
