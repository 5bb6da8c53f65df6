namespace BaiQianWan.Assess.Rules.Formulas.Binding;

/// <summary>The functions of the formula language.</summary>
internal enum BuiltinFunction
{
    If,
    And,
    Or,
    Not,
    Min,
    Max,
    Abs,
    Round,
    Clamp,
    Floor,
    Ceiling,
    Trunc,
}
