using BaiQianWan.Assess.Rules.Formulas;

namespace BaiQianWan.Assess.Tests.Formulas;

public class DiagnosticTests
{
    private const string IndicatorNames = "actual、target、baseline、weight、completion、growth、change、rank、peers、classAvg、parentAvg、levelAvg";

    [Fact]
    public void An_unknown_name_is_reported_at_its_position() =>
        // "actual + " is 9 characters, "foo" is 3
        Assert.Equal(
            new FormulaDiagnostic(9, 3, $"未知的名称 'foo'（可用的名称：{IndicatorNames}）", FormulaCodes.UnknownName),
            Formula.Diagnostic("actual + foo"));

    [Fact]
    public void A_misspelt_name_gets_a_suggestion() =>
        Assert.Equal(new FormulaDiagnostic(0, 6, "未知的名称 'actaul'，是不是 'actual'？", FormulaCodes.UnknownName), Formula.Diagnostic("actaul * 2"));

    [Fact]
    public void A_name_in_Chinese_is_an_unknown_name() =>
        Assert.Equal(
            new FormulaDiagnostic(0, 3, $"未知的名称 '实际值'（可用的名称：{IndicatorNames}）", FormulaCodes.UnknownName),
            Formula.Diagnostic("实际值 * 2"));

    [Fact]
    public void Offsets_count_the_leading_equals_and_spaces() =>
        // " = 1 + " is 7 characters
        Assert.Equal(7, Formula.Diagnostic(" = 1 + foo").Offset);

    [Fact]
    public void An_unknown_function_is_reported_at_its_name() =>
        Assert.Equal(new FormulaDiagnostic(2, 4, "未知的函数 'SUMM'（可用的函数：IF、AND、OR、NOT、MIN、MAX、ABS、ROUND、CLAMP、FLOOR、CEILING、TRUNC）", FormulaCodes.UnknownFunction), Formula.Diagnostic("1+SUMM(1, 2)"));

    [Fact]
    public void A_misspelt_function_gets_a_suggestion() =>
        Assert.Equal(new FormulaDiagnostic(0, 4, "未知的函数 'MAXX'，是不是 'MAX'？（可用的函数：IF、AND、OR、NOT、MIN、MAX、ABS、ROUND、CLAMP、FLOOR、CEILING、TRUNC）", FormulaCodes.UnknownFunction), Formula.Diagnostic("MAXX(1, 2)"));

    [Fact]
    public void A_variable_called_like_a_function_is_reported() =>
        Assert.Equal(new FormulaDiagnostic(0, 6, "'actual' 不是函数，后面不能跟括号", FormulaCodes.NotAFunction), Formula.Diagnostic("actual(2)"));

    [Fact]
    public void A_function_name_without_arguments_is_reported() =>
        Assert.Equal(new FormulaDiagnostic(0, 3, "函数 MIN 后面需要括号和参数，例如 MIN(…)", FormulaCodes.FunctionWithoutArguments), Formula.Diagnostic("min + 1"));

    [Theory]
    [InlineData("ROUND(1, 2, 3)", 0, 5, "函数 ROUND 需要 2 个参数，这里有 3 个")]
    [InlineData("=round(actual)", 1, 5, "函数 ROUND 需要 2 个参数，这里有 1 个")]
    [InlineData("CLAMP(1, 2)", 0, 5, "函数 CLAMP 需要 3 个参数，这里有 2 个")]
    [InlineData("NOT(1, 2)", 0, 3, "函数 NOT 需要 1 个参数，这里有 2 个")]
    [InlineData("ABS()", 0, 3, "函数 ABS 需要 1 个参数，这里有 0 个")]
    [InlineData("IF(1)", 0, 2, "函数 IF 需要 2 到 3 个参数，这里有 1 个")]
    [InlineData("IF(1, 2, 3, 4)", 0, 2, "函数 IF 需要 2 到 3 个参数，这里有 4 个")]
    [InlineData("1 + MIN()", 4, 3, "函数 MIN 至少需要 1 个参数，这里有 0 个")]
    [InlineData("AND()", 0, 3, "函数 AND 至少需要 1 个参数，这里有 0 个")]
    public void A_wrong_argument_count_is_reported_at_the_function_name(string text, int offset, int length, string message) =>
        Assert.Equal(new FormulaDiagnostic(offset, length, message, FormulaCodes.ArgumentCount), Formula.Diagnostic(text));

    [Fact]
    public void Count_is_unknown_in_indicator_formulas() =>
        Assert.Equal(new FormulaDiagnostic(4, 5, "'count' 只能用在加减分项的公式里", FormulaCodes.CountOutsideAdjustment), Formula.Diagnostic("2 * count"));

    [Fact]
    public void Indicator_variables_are_unknown_in_adjustment_formulas() =>
        Assert.Equal(
            new FormulaDiagnostic(0, 6, "'actual' 只能用在指标的公式里，加减分项的公式只能用 'count'", FormulaCodes.VariableOutsideIndicator),
            Formula.Diagnostic("actual * 2", FormulaContext.Adjustment));

    [Fact]
    public void An_unknown_name_in_an_adjustment_formula_lists_only_count() =>
        Assert.Equal(
            new FormulaDiagnostic(0, 3, "未知的名称 'foo'（可用的名称：count）", FormulaCodes.UnknownName),
            Formula.Diagnostic("foo", FormulaContext.Adjustment));

    [Fact]
    public void All_binding_errors_are_reported_together_in_text_order() =>
        Assert.Equal(
            [
                new FormulaDiagnostic(0, 3, $"未知的名称 'foo'（可用的名称：{IndicatorNames}）", FormulaCodes.UnknownName),
                new FormulaDiagnostic(6, 4, "未知的函数 'SUMM'（可用的函数：IF、AND、OR、NOT、MIN、MAX、ABS、ROUND、CLAMP、FLOOR、CEILING、TRUNC）", FormulaCodes.UnknownFunction),
                new FormulaDiagnostic(11, 3, $"未知的名称 'bar'（可用的名称：{IndicatorNames}）", FormulaCodes.UnknownName),
                new FormulaDiagnostic(18, 5, "函数 ROUND 需要 2 个参数，这里有 1 个", FormulaCodes.ArgumentCount),
            ],
            Formula.Diagnostics("foo + SUMM(bar) + ROUND(1)"));

    [Fact]
    public void A_chained_power_points_at_the_second_caret() =>
        Assert.Equal(new FormulaDiagnostic(3, 1, "乘方不能连写（a^b^c），请加括号", FormulaCodes.ChainedPower), Formula.Diagnostic("2^3^2"));

    [Fact]
    public void A_chained_power_with_a_signed_exponent_is_still_a_chain() =>
        Assert.Equal(4, Formula.Diagnostic("2^-3^2").Offset);

    [Fact]
    public void A_chained_power_does_not_hide_other_errors() =>
        // "actual + " is 9 characters; in "actual + foo + 2^3^4" the second '^' is at 18
        Assert.Equal(
            [
                new FormulaDiagnostic(9, 3, $"未知的名称 'foo'（可用的名称：{IndicatorNames}）", FormulaCodes.UnknownName),
                new FormulaDiagnostic(18, 1, "乘方不能连写（a^b^c），请加括号", FormulaCodes.ChainedPower),
            ],
            Formula.Diagnostics("actual + foo + 2^3^4"));

    [Theory]
    [InlineData("(1+2", 0)]
    [InlineData("((1+2)", 0)]      // the outer one is unclosed
    [InlineData("MIN(1, 2", 3)]
    [InlineData("2*(1+MAX(3)", 2)]
    public void A_missing_right_parenthesis_points_at_the_unclosed_left_one(string text, int offset) =>
        Assert.Equal(new FormulaDiagnostic(offset, 1, "缺少右括号", FormulaCodes.MissingCloseParen), Formula.Diagnostic(text));

    [Fact]
    public void An_extra_right_parenthesis_is_reported() =>
        Assert.Equal(new FormulaDiagnostic(5, 1, "多余的右括号", FormulaCodes.ExtraCloseParen), Formula.Diagnostic("1 + 2)"));

    [Theory]
    [InlineData("actual # 2", 7, '#')]
    [InlineData("50%", 2, '%')]
    [InlineData("actual & 2", 7, '&')]
    public void An_unexpected_character_is_reported(string text, int offset, char c) =>
        Assert.Equal(new FormulaDiagnostic(offset, 1, $"意外的字符 '{c}'", FormulaCodes.UnexpectedCharacter), Formula.Diagnostic(text));

    [Fact]
    public void Every_unexpected_character_is_reported() =>
        Assert.Equal([0, 5], Formula.Diagnostics("#1 + $").Select(d => d.Offset));

    [Fact]
    public void Full_width_punctuation_from_a_Chinese_input_method_names_the_fix() =>
        Assert.Equal(
            [
                new FormulaDiagnostic(3, 1, "意外的字符 '（'，请改用 '('", FormulaCodes.UnexpectedCharacter),
                new FormulaDiagnostic(5, 1, "意外的字符 '，'，请改用 ','", FormulaCodes.UnexpectedCharacter),
                new FormulaDiagnostic(7, 1, "意外的字符 '）'，请改用 ')'", FormulaCodes.UnexpectedCharacter),
            ],
            Formula.Diagnostics("MIN（1，2）"));

    [Fact]
    public void Programmer_comparisons_name_the_fix()
    {
        Assert.Equal(new FormulaDiagnostic(7, 2, "意外的 '=='，比较相等只用一个 '='", FormulaCodes.DoubleEquals), Formula.Diagnostic("actual == 1"));
        Assert.Equal(new FormulaDiagnostic(7, 1, "意外的字符 '!'，请改用 '<>'", FormulaCodes.UnexpectedCharacter), Formula.Diagnostic("actual != 1"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("=")]
    [InlineData("  =  ")]
    [InlineData("   ")]
    public void An_empty_formula_is_reported_over_the_whole_text(string text) =>
        Assert.Equal(new FormulaDiagnostic(0, text.Length, "公式为空", FormulaCodes.Empty), Formula.Diagnostic(text));

    [Theory]
    [InlineData("1 +", 2, 1, "公式不完整，'+' 后面缺少内容")]
    [InlineData("MIN(", 3, 1, "公式不完整，'(' 后面缺少内容")]
    [InlineData("MIN(1,", 5, 1, "公式不完整，',' 后面缺少内容")]
    [InlineData("actual >=", 7, 2, "公式不完整，'>=' 后面缺少内容")]
    public void An_incomplete_formula_points_at_its_last_token(string text, int offset, int length, string message) =>
        Assert.Equal(new FormulaDiagnostic(offset, length, message, FormulaCodes.Incomplete), Formula.Diagnostic(text));

    [Theory]
    [InlineData("1 + * 2", 4, 1, "意外的 '*'")]
    [InlineData("()", 1, 1, "意外的 ')'")]
    [InlineData("2 * = 3", 4, 1, "意外的 '='")]
    [InlineData("MIN(1,,2)", 6, 1, "意外的 ','，逗号只能用来分隔函数的参数")]
    [InlineData("1, 2", 1, 1, "意外的 ','，逗号只能用来分隔函数的参数")]
    [InlineData("actual target", 7, 6, "'target' 前面缺少运算符")]
    [InlineData("2 (3)", 2, 1, "'(' 前面缺少运算符")]
    [InlineData("MIN(1 2)", 6, 1, "'2' 前面缺少运算符或逗号")]
    public void A_syntax_error_is_reported_at_the_offending_token(string text, int offset, int length, string message) =>
        Assert.Equal((offset, length, message), Formula.Diagnostic(text) is var d ? (d.Offset, d.Length, d.Message) : default);

    [Theory]
    [InlineData("1e5")]
    [InlineData("1.")]
    [InlineData("1.2.3")]
    [InlineData("2actual")]
    public void A_malformed_number_is_reported_whole(string text) =>
        Assert.Equal(
            new FormulaDiagnostic(0, text.Length, $"无效的数字 '{text}'（只支持 123、1.5、.5 这样的写法）", FormulaCodes.InvalidNumber),
            Formula.Diagnostic(text));

    [Fact]
    public void A_number_beyond_decimal_range_is_reported() =>
        Assert.Equal(
            new FormulaDiagnostic(2, 29, "数字太大 '99999999999999999999999999999'", FormulaCodes.NumberTooLarge),
            Formula.Diagnostic("1+99999999999999999999999999999"));

    [Fact]
    public void A_syntax_error_stops_compilation_before_binding() =>
        // foo would be an unknown name, but after a syntax error only that error is reported.
        Assert.Equal("缺少右括号", Formula.Diagnostic("foo + (1").Message);

    [Fact]
    public void Absurdly_deep_nesting_is_a_diagnostic_not_a_crash()
    {
        // Within the text limit of 4096 characters (FormulaLimits; the limits themselves are tested in LimitTests).
        var parentheses = new string('(', 2000) + "1" + new string(')', 2000);
        Assert.Equal(new FormulaDiagnostic(64, 1, "公式嵌套太深（超过 64 层）", FormulaCodes.TooDeep), Formula.Diagnostic(parentheses));
        var minus = new string('-', 4000) + "1";
        Assert.Equal(new FormulaDiagnostic(64, 1, "公式嵌套太深（超过 64 层）", FormulaCodes.TooDeep), Formula.Diagnostic(minus));
        var chain = "1" + string.Concat(Enumerable.Repeat("+1", 2000));
        Assert.Equal(new FormulaDiagnostic(127, 1, "公式嵌套太深（超过 64 层）", FormulaCodes.TooDeep), Formula.Diagnostic(chain));
    }

    [Fact]
    public void Moderate_nesting_compiles() =>
        // 30 nested parentheses around 1, then + 1 repeated 30 times: 1 + 30 (depth 31 + 30 = 61)
        Assert.Equal(
            31m,
            Formula.Evaluate(new string('(', 30) + "1" + new string(')', 30) + string.Concat(Enumerable.Repeat("+1", 30))));

    [Fact]
    public void A_null_text_is_a_programming_error() =>
        Assert.Throws<ArgumentNullException>(() => FormulaCompiler.Check(null!, FormulaContext.Indicator));

    [Fact]
    public void Succeeded_tells_whether_the_text_is_valid()
    {
        var good = FormulaCompiler.Check("actual / 2", FormulaContext.Indicator);
        Assert.True(good.Succeeded);
        Assert.Empty(good.Diagnostics);
        Assert.Equal(FormulaVariables.Actual, good.Uses);
        var bad = FormulaCompiler.Check("foo + actual", FormulaContext.Indicator);
        Assert.False(bad.Succeeded);
        Assert.Equal(FormulaVariables.None, bad.Uses);
    }

    [Fact]
    public void Validation_stops_at_binding_a_formula_that_fails_at_run_time_is_valid()
    {
        // 1/0 and ROUND(x, 0.5) are run-time failures (spec 2.3): the check binds them and emits nothing.
        Assert.True(FormulaCompiler.Check("1/0 + ROUND(actual, 0.5)", FormulaContext.Indicator).Succeeded);
        Assert.True(FormulaCompiler.Check("inflow / pop", FormulaContext.Indicator, ["inflow", "pop"]).Succeeded);
        Assert.Equal(FormulaCodes.UnknownName, Assert.Single(FormulaCompiler.Check("inflow / pop", FormulaContext.Adjustment, ["inflow", "pop"]).Diagnostics.Take(1)).Code);
    }
}
