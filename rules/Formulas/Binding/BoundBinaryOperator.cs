namespace BaiQianWan.Assess.Rules.Formulas.Binding;

/// <summary>The binary operators.</summary>
internal enum BoundBinaryOperator
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Power,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}
