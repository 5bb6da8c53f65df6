namespace BaiQianWan.Assess.Rules.Formulas;

/// <summary>
/// Bounds on one formula, checked by the compiler before anything walks the formula's tree, so that no text can
/// exhaust the stack (issue 19: <c>MIN(1,1,…)</c> with 100,000 arguments overflowed it in NRules' expression
/// visitors and killed the process). A formula past any of them is refused with a diagnostic at the place it was
/// passed. Real formulas are far inside them: the samples' largest is 81 characters, 23 nodes, 9 levels deep.
/// Documented for rule authors in docs/rules.md.
/// </summary>
public static class FormulaLimits
{
    /// <summary>Most characters of formula text, counting any leading <c>=</c> and spaces. Checked before the text is read.</summary>
    public const int MaxCharacters = 4096;

    /// <summary>Most arguments of one function call (<c>MIN</c>, <c>MAX</c>, <c>AND</c>, <c>OR</c> take any number up to this).</summary>
    public const int MaxArguments = 64;

    /// <summary>Most nodes of the syntax tree: numbers, names, operators, function calls and parentheses.</summary>
    public const int MaxNodes = 1000;

    /// <summary>
    /// Tallest syntax tree: every parenthesis, function call and sign is a level, and so is every operator of a chain
    /// (<c>1+1+1</c> is three levels: the chain is left-nested). Binding, both emitters and evaluation recurse at
    /// most this deep.
    /// </summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// Tallest LINQ expression tree a formula may become (a formula level is at most four expression levels, as in
    /// <c>AND</c>: block, if, not, test), with room for the rule NRules embeds it in. NRules' expression visitors
    /// recurse over the whole tree, so the rule compiler refuses anything taller before handing it to them; within the
    /// limits above it cannot happen.
    /// </summary>
    public const int MaxExpressionHeight = 4 * MaxDepth + 256;
}
