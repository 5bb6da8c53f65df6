using BaiQianWan.Assess.Rules.Formulas.Emit;

namespace BaiQianWan.Assess.Tests.Formulas.Closures;

/// <summary>The operators of the language as <see cref="IBinaryOperation"/> structs. Comparisons give 1 or 0.</summary>
internal static class BinaryOperations
{
    public readonly struct Add : IBinaryOperation
    {
        public static decimal Apply(decimal left, decimal right) => left + right;
    }

    public readonly struct Subtract : IBinaryOperation
    {
        public static decimal Apply(decimal left, decimal right) => left - right;
    }

    public readonly struct Multiply : IBinaryOperation
    {
        public static decimal Apply(decimal left, decimal right) => left * right;
    }

    public readonly struct Divide : IBinaryOperation
    {
        public static decimal Apply(decimal left, decimal right) => left / right;
    }

    public readonly struct Power : IBinaryOperation
    {
        public static decimal Apply(decimal left, decimal right) => FormulaMath.Power(left, right);
    }

    public readonly struct Equal : IBinaryOperation
    {
        public static decimal Apply(decimal left, decimal right) => left == right ? 1m : 0m;
    }

    public readonly struct NotEqual : IBinaryOperation
    {
        public static decimal Apply(decimal left, decimal right) => left != right ? 1m : 0m;
    }

    public readonly struct Less : IBinaryOperation
    {
        public static decimal Apply(decimal left, decimal right) => left < right ? 1m : 0m;
    }

    public readonly struct LessOrEqual : IBinaryOperation
    {
        public static decimal Apply(decimal left, decimal right) => left <= right ? 1m : 0m;
    }

    public readonly struct Greater : IBinaryOperation
    {
        public static decimal Apply(decimal left, decimal right) => left > right ? 1m : 0m;
    }

    public readonly struct GreaterOrEqual : IBinaryOperation
    {
        public static decimal Apply(decimal left, decimal right) => left >= right ? 1m : 0m;
    }
}
