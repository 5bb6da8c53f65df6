using System.Globalization;

namespace BaiQianWan.Assess.Rules.Formulas;

/// <summary>
/// Every user-facing formula message in one place, so the wording stays consistent and tests can name it.
/// Rule authors are Chinese office staff: messages quote the offending text as written.
/// </summary>
internal static class FormulaMessages
{
    // Run-time failure reasons.
    public const string DivisionByZero = "除数为零";
    public const string NonWholeExponent = "指数不是整数";
    public const string NonWholeRoundDigits = "ROUND 的位数不是整数";

    public const string NonPositiveStep = "FLOOR 或 CEILING 的步长不大于 0";

    public const string NonWholeTruncDigits = "TRUNC 的位数不是整数";
    public const string Overflow = "数值超出范围";

    // Compile-time diagnostics with fixed wording.
    public const string Empty = "公式为空";
    public const string MissingCloseParen = "缺少右括号";
    public const string ExtraCloseParen = "多余的右括号";
    public const string ChainedPower = "乘方不能连写（a^b^c），请加括号";
    public const string CountOutsideAdjustment = "'count' 只能用在加减分项的公式里";
    public const string DoubleEquals = "意外的 '=='，比较相等只用一个 '='";
    public const string UnexpectedComma = "意外的 ','，逗号只能用来分隔函数的参数";

    public static string UnexpectedCharacter(char c) => $"意外的字符 '{c}'";

    public static string UnexpectedCharacterWithHint(char c, string replacement) =>
        $"意外的字符 '{c}'，请改用 '{replacement}'";

    public static string InvalidNumber(string text) => $"无效的数字 '{text}'（只支持 123、1.5、.5 这样的写法）";

    public static string NumberTooLarge(string text) => $"数字太大 '{text}'";

    public static string UnexpectedToken(string text) => $"意外的 '{text}'";

    public static string MissingOperator(string text) => $"'{text}' 前面缺少运算符";

    public static string MissingOperatorOrComma(string text) => $"'{text}' 前面缺少运算符或逗号";

    public static string Incomplete(string afterText) => $"公式不完整，'{afterText}' 后面缺少内容";

    public static string TooDeep(int limit) => $"公式嵌套太深（超过 {limit.ToString(CultureInfo.InvariantCulture)} 层）";

    public static string TooLong(int length, int limit) =>
        $"公式太长（{length.ToString(CultureInfo.InvariantCulture)} 个字符，最多 {limit.ToString(CultureInfo.InvariantCulture)} 个）";

    public static string TooManyNodes(int limit) =>
        $"公式太复杂（数字、名称、运算符、函数和括号合计超过 {limit.ToString(CultureInfo.InvariantCulture)} 个）";

    public static string TooManyArguments(string function, int limit) =>
        $"函数 {function} 的参数太多（最多 {limit.ToString(CultureInfo.InvariantCulture)} 个）";

    public static string UnknownName(string name, string? suggestion, IEnumerable<string> known) =>
        suggestion is not null
            ? $"未知的名称 '{name}'，是不是 '{suggestion}'？"
            : $"未知的名称 '{name}'（可用的名称：{string.Join("、", known)}）";

    public static string VariableOutsideIndicator(string name) =>
        $"'{name}' 只能用在指标的公式里，加减分项的公式只能用 'count'";

    public static string UnknownFunction(string name, string? suggestion, IEnumerable<string> known) =>
        suggestion is not null
            ? $"未知的函数 '{name}'，是不是 '{suggestion}'？（可用的函数：{string.Join("、", known)}）"
            : $"未知的函数 '{name}'（可用的函数：{string.Join("、", known)}）";

    public static string OtherIndicator(string dotted) =>
        $"公式只能读取本指标自己的数据（actual、target、baseline、completion、growth 等）和规则集 inputs 中的输入数据，不能用 '{dotted}' 引用其他指标：需要的数据请加到 inputs";

    public static string FunctionWithoutArguments(string name) => $"函数 {name} 后面需要括号和参数，例如 {name}(…)";

    public static string NotAFunction(string name) => $"'{name}' 不是函数，后面不能跟括号";

    public static string ArgumentCount(string function, int min, int max, int actual)
    {
        var given = actual.ToString(CultureInfo.InvariantCulture);
        var lo = min.ToString(CultureInfo.InvariantCulture);
        if (min == max) return $"函数 {function} 需要 {lo} 个参数，这里有 {given} 个";
        if (max == int.MaxValue) return $"函数 {function} 至少需要 {lo} 个参数，这里有 {given} 个";
        var hi = max.ToString(CultureInfo.InvariantCulture);
        return $"函数 {function} 需要 {lo} 到 {hi} 个参数，这里有 {given} 个";
    }
}
